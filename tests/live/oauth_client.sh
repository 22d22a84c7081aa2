#!/bin/sh
# tests/live/oauth_client.sh: --client-id/--client-secret-file against mockcloud: the token atldiag fetches (client credentials) is diagnosed like one given with --token; a refused grant is auth.oauth_client_rejected; neither the client secret nor the fetched token reaches any output, the evidence bundle or mockcloud's log, not even 16 characters of one.
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/live/lib.sh"
command -v jq >/dev/null 2>&1 || exit 77
[ -x "${MOCKCLOUD:-$top_builddir/fixtures/mockcloud/mockcloud}" ] || exit 77
mc__trap_set=1
trap 'mc_cleanup; t_cleanup' EXIT
trap 'mc_cleanup; t_cleanup; exit 1' INT TERM

# windows: every 16-character window of the client secret and of every
# token of the scenario (the fetched access token is one of them).
windows() {
	mc_secrets | sort -u | while IFS= read -r s; do
		printf '%s\n' "$s" | awk 'length($0) >= 16 {
			for (i = 1; i + 15 <= length($0); i++)
				print substr($0, i, 16) }'
	done | sort -u >"$T_DIR/windows"
}

# noleak NAME FILE...: no 16-character window of a secret in the files.
noleak() {
	name=$1
	shift
	if cat "$@" 2>/dev/null | grep -qF -f "$T_DIR/windows"; then
		t_fail "$name" "a 16-character window of a secret: $(cat "$@" |
		    grep -oF -f "$T_DIR/windows" | head -n 1 | cut -c1-6)..."
	else
		t_ok "$name: no secret, not even 16 characters of one"
	fi
}

# run SCENARIO FORMAT: atldiag check with the scenario's client inputs.
run() {
	rm -f "$T_DIR/evidence.har"
	rc=0
	IFS='
'
	# shellcheck disable=SC2046
	set -- $(live_args)
	unset IFS
	"$ATLDIAG" check "$@" $MC_CONNECT_TO --cacert "$MC_CACERT" \
	    --timeout 10 -v --format "$2" \
	    --save-evidence "$T_DIR/evidence.har" >"$T_DIR/out" \
	    2>"$T_DIR/err" </dev/null || rc=$?
}

mc_start oauth-client-accepted >/dev/null ||
	{ t_fail accepted "mockcloud did not start"; t_done; }
windows
secret=$(mc_client client_secret)
[ -n "$secret" ] && grep -qF -- "$(printf '%s' "$secret" | cut -c5-20)" \
    "$T_DIR/windows" && t_ok "the window list holds the client secret" ||
	t_fail "windows" "the client secret is not in the window list"
IFS='
'
set -- $(live_args)
unset IFS
"$ATLDIAG" check "$@" $MC_CONNECT_TO --cacert "$MC_CACERT" --timeout 10 \
    --json >"$T_DIR/report.json" 2>"$T_DIR/err" </dev/null
rc=$?
[ "$rc" = 0 ] && t_ok "accepted: exit 0" ||
	t_fail "accepted" "exit $rc: $(head -c 300 "$T_DIR/err")"
t_json "accepted: auth.oauth granted the site" "$T_DIR/report.json" \
    '.checks[] | select(.id == "auth.oauth") | .status == "pass" and
    (.message | test("granted https://acme.atlassian.net"))' true
t_json "accepted: read:jira-work proven from accessible-resources" \
    "$T_DIR/report.json" '[.requirements[] | select(.kind == "scope" and
    .name == "read:jira-work")] | any(.outcome == "proven" and
    (.how | test("accessible-resources")))' true
n=$(mc_count '.method == "POST" and .host == "auth.atlassian.com" and .path == "/oauth/token"')
[ "$n" = 1 ] && t_ok "accepted: one token request" ||
	t_fail "accepted" "$n token requests, want 1"
n=$(mc_count '.host == "api.atlassian.com" and .path == "/oauth/token/accessible-resources" and .auth != "none"')
[ "$n" -ge 1 ] && t_ok "accepted: the fetched token went to accessible-resources" ||
	t_fail "accepted" "the fetched token was not sent to accessible-resources"
noleak "accepted json" "$T_DIR/report.json" "$T_DIR/err"
for fmt in text markdown github junit; do
	run accepted "$fmt"
	noleak "accepted $fmt" "$T_DIR/out" "$T_DIR/err" "$T_DIR/evidence.har"
done
noleak "accepted: mockcloud's log" "$MC_LOG"

# A token in the environment is not read with --client-id: no input check
# judges it, and the token checked is the fetched one.
IFS='
'
set -- $(live_args)
unset IFS
ATLASSIAN_API_TOKEN="not a token
" "$ATLDIAG" check "$@" $MC_CONNECT_TO --cacert "$MC_CACERT" --timeout 10 \
    --json >"$T_DIR/env.json" 2>"$T_DIR/err" </dev/null
rc=$?
[ "$rc" = 0 ] && t_ok "an environment token beside --client-id: exit 0" ||
	t_fail "env token" "exit $rc: $(head -c 300 "$T_DIR/err")"
t_json "the token checked is the fetched one" "$T_DIR/env.json" \
    '.inputs.token.source' "oauth:client-credentials"

# batch: a row's client_id and client_secret_file check that OAuth client;
# a row that pairs them wrongly is that row's error, the secret unquoted.
printf '%s' "$secret" >"$T_DIR/cs"
printf 'x\n' >"$T_DIR/tok"
cid=$(mc_client client_id)
{
	echo "name,site,client_id,client_secret_file,token_file"
	echo "ok,acme.atlassian.net,$cid,$T_DIR/cs,"
	echo "nofile,acme.atlassian.net,$cid,,"
	echo "both,acme.atlassian.net,$cid,$T_DIR/cs,$T_DIR/tok"
	echo "pasted,acme.atlassian.net,$cid,$secret,"
} >"$T_DIR/clients.csv"
rc=0
"$ATLDIAG" batch "$T_DIR/clients.csv" $MC_CONNECT_TO --cacert "$MC_CACERT" \
    --timeout 10 >"$T_DIR/batch.jsonl" 2>"$T_DIR/err" </dev/null || rc=$?
[ "$rc" = 2 ] && t_ok "batch with client rows: exit 2 (the worst row)" ||
	t_fail "batch clients" "exit $rc: $(head -c 300 "$T_DIR/err")"
bline() { jq -r --arg n "$1" "select(.profile.name == \$n) | $2" "$T_DIR/batch.jsonl"; }
[ "$(bline ok .verdict)" = pass ] && [ "$(bline ok .inputs.token.source)" = oauth:client-credentials ] &&
	t_ok "batch: the client row checks the token it fetched" ||
	t_fail "batch client ok" "$(bline ok '[.verdict, .inputs.token.source] | @tsv')"
bline nofile .error | grep -q 'client_id needs client_secret_file' &&
	t_ok "batch: client_id without client_secret_file is the row's error" ||
	t_fail "batch nofile" "$(bline nofile .error)"
bline both .error | grep -q 'client_id fetches its own token, so token_file would not be used' &&
	t_ok "batch: client_id with token_file is the row's error" ||
	t_fail "batch both" "$(bline both .error)"
bline pasted .error | grep -q 'client_secret_file cell looks like a secret' &&
	t_ok "batch: a pasted secret is refused" ||
	t_fail "batch pasted" "$(bline pasted .error)"
noleak "batch with client rows" "$T_DIR/batch.jsonl" "$T_DIR/err"
mc_stop >/dev/null 2>&1

mc_start oauth-client-rejected >/dev/null ||
	{ t_fail rejected "mockcloud did not start"; t_done; }
windows
IFS='
'
set -- $(live_args)
unset IFS
"$ATLDIAG" check "$@" $MC_CONNECT_TO --cacert "$MC_CACERT" --timeout 10 \
    --json >"$T_DIR/report.json" 2>"$T_DIR/err" </dev/null
rc=$?
[ "$rc" = 1 ] && t_ok "rejected: exit 1" ||
	t_fail "rejected" "exit $rc: $(head -c 300 "$T_DIR/err")"
t_json "rejected: primary auth.oauth_client_rejected" "$T_DIR/report.json" \
    '.primary' auth.oauth_client_rejected
noleak "rejected json" "$T_DIR/report.json" "$T_DIR/err"
for fmt in text markdown; do
	run rejected "$fmt"
	noleak "rejected $fmt" "$T_DIR/out" "$T_DIR/err" "$T_DIR/evidence.har"
done
noleak "rejected: mockcloud's log" "$MC_LOG"
mc_stop >/dev/null 2>&1

# A token endpoint answering a token with CR LF in it: not used (sent on,
# it would inject a header), the run is inconclusive, not an internal error.
jq '(.tokens[] | select(.client_id != null) | .secret) |= . + "\r\nX-Evil: 1"' \
    "$top_srcdir/fixtures/scenarios/oauth-client-accepted.json" \
    >"$T_DIR/crlf.json"
if mc_start "$T_DIR/crlf.json" >/dev/null; then
	IFS='
'
	set -- $(live_args)
	unset IFS
	rc=0
	"$ATLDIAG" check "$@" $MC_CONNECT_TO --cacert "$MC_CACERT" \
	    --timeout 10 --json >"$T_DIR/report.json" 2>"$T_DIR/err" \
	    </dev/null || rc=$?
	[ "$rc" = 3 ] && t_ok "a token with CR LF: inconclusive, not used" ||
		t_fail "crlf token" "exit $rc: $(head -c 300 "$T_DIR/err")"
	t_json "a token with CR LF: auth.oauth_client says why" \
	    "$T_DIR/report.json" '.checks[] | select(.id ==
	    "auth.oauth_client") | .message | test("control characters")' true
	mc_stop >/dev/null 2>&1
else
	t_fail "crlf token" "mockcloud did not start"
fi

# A token-shaped --client-secret-file value is refused without quoting it.
tok=$(jq -r '.tokens[0].secret' "$top_srcdir/fixtures/scenarios/oauth-client-accepted.json")
rc=0
"$ATLDIAG" check --site acme.atlassian.net --client-id x \
    --client-secret-file "$tok" >"$T_DIR/out" 2>"$T_DIR/err" || rc=$?
[ "$rc" = 2 ] && ! grep -qF -- "$(printf '%s' "$tok" | cut -c1-16)" \
    "$T_DIR/out" "$T_DIR/err" &&
	t_ok "a token as --client-secret-file is refused, not quoted" ||
	t_fail "secret as path" "exit $rc or the value was quoted"

# --client-id with a credential on the command line too: one would be set
# aside silently, so it is a usage error naming both, the token unquoted.
printf 'x\n' >"$T_DIR/secret"
t_run "--client-id with --token is a usage error" 2 "$ATLDIAG" check \
    --site acme.atlassian.net --client-id x \
    --client-secret-file "$T_DIR/secret" --token "$tok"
t_grep "it says why and what to do" \
    "--client-id fetches its own token, so --token would not be used: give one of the two" \
    "$T_DIR/err"
if grep -qF -- "$(printf '%s' "$tok" | cut -c1-16)" "$T_DIR/out" "$T_DIR/err"; then
	t_fail "client-id with token" "the token was quoted"
else
	t_ok "the token is not quoted"
fi
t_run "--client-id with --auth-header too" 2 "$ATLDIAG" check \
    --site acme.atlassian.net --client-id x \
    --client-secret-file "$T_DIR/secret" --auth-header "Bearer $tok"
t_grep "naming that flag" "so --auth-header would not be used" "$T_DIR/err"
t_done
