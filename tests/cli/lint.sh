#!/bin/sh
# tests/cli/lint.sh: `atldiag lint` end to end on the bundled broken example
# and on a healthy setup: codes, verdict, exit code, sources, formats.
. "$top_srcdir/tests/lib/common.sh"

GOOD='ATATT3xFfGF0K3irG5tKKi-6u-wwaXQFeGwZ-IHR-hQ3CulkKtMSuteRQFfLZ6jihHThzZCg_UjnDt-4Wl_gIRf4zrZJs5JqaeuBhsfJ4W5GD6yGg3W7903gbvaxZPBjxIQQ7BgFDSkPS8oPispw4KLz56mdK-G6CIvLO6hHRrZHY0Q3tvJ6JxE=C63992E6'
printf '%s' "$GOOD" > "$T_DIR/good"

t_run "healthy setup passes" 0 "$ATLDIAG" lint --site acme.atlassian.net \
    --email mia@example.com --token-file "$T_DIR/good" --json
cp "$T_DIR/out" "$T_DIR/good.json"
t_json_valid "healthy report validates" "$T_DIR/good.json"
t_json "healthy verdict" "$T_DIR/good.json" '.verdict' pass
t_json "token kind reported" "$T_DIR/good.json" '.inputs.token.kind' user_api_token
t_json "token checksum reported" "$T_DIR/good.json" '.inputs.token.checksum' ok
t_json "token source reported" "$T_DIR/good.json" '.inputs.token.source' "file:$T_DIR/good"
t_json "no failing check" "$T_DIR/good.json" '[.checks[] | select(.status == "fail")] | length' 0

# The bundled example: several problems at once (see fixtures/examples/).
set -a
. "$top_srcdir/fixtures/examples/broken-setup.env"
set +a
printf '%s\n' "$GOOD" > "$T_DIR/token-with-newline"
t_run "broken example fails" 1 "$ATLDIAG" lint --token-file "$T_DIR/token-with-newline" --json
cp "$T_DIR/out" "$T_DIR/broken.json"
t_json_valid "broken report validates" "$T_DIR/broken.json"
t_json "site from env" "$T_DIR/broken.json" '.inputs.site.source' env:ATLASSIAN_SITE
for code in site.not_https cloud_id.is_org_id token.whitespace email.is_account_id; do
	t_json "finds $code" "$T_DIR/broken.json" \
	    "[.findings[].code] | index(\"$code\") != null" true
done
t_json "primary is a failure" "$T_DIR/broken.json" '.findings[0].status' fail
for fmt in text markdown junit github; do
	t_run "broken example as $fmt" 1 "$ATLDIAG" lint \
	    --token-file "$T_DIR/token-with-newline" --format "$fmt"
done
t_run "text has a summary line first" 1 "$ATLDIAG" lint --token-file "$T_DIR/token-with-newline"
if head -n 1 "$T_DIR/out" | grep -q '^FAIL'; then t_ok "summary first"; else
	t_fail "summary first" "$(head -n 1 "$T_DIR/out")"; fi
unset ATLASSIAN_SITE ATLASSIAN_CLOUD_ID ATLASSIAN_EMAIL
t_run "strict turns warnings into failure" 1 "$ATLDIAG" lint --strict \
    --site https://jira.example.com --email mia@example.com --token-file "$T_DIR/good"
t_run "a --token on the command line warns" 0 "$ATLDIAG" lint \
    --site acme.atlassian.net --email mia@example.com --token "$GOOD"
t_grep "warned about ps" "input.token_on_cmdline" "$T_DIR/out"
# --allow-host is honoured offline too: the request check asks the
# transport's rule, not an option the command line never sets.
t_run "proxy URL warns" 0 "$ATLDIAG" lint --site acme.atlassian.net \
    --email mia@example.com --token-file "$T_DIR/good" \
    --url https://jira-proxy.example.com/rest/api/3/myself --json
t_json "proxy host is untrusted" "$T_DIR/out" \
    '[.findings[].code] | index("request.untrusted_host") != null' true
t_run "proxy URL with --allow-host" 0 "$ATLDIAG" lint --site acme.atlassian.net \
    --email mia@example.com --token-file "$T_DIR/good" --allow-host other.example \
    --allow-host JIRA-PROXY.example.com \
    --url https://jira-proxy.example.com/rest/api/3/myself --json
t_json "--allow-host trusts the proxy" "$T_DIR/out" \
    '[.findings[].code] | index("request.untrusted_host") == null' true
t_done
