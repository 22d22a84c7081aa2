#!/bin/sh
# tests/cli/envfile.sh: --env-file: dotenv syntax (export, quotes, comments,
# CRLF), precedence (flags > files > environment; a later file wins), the
# source env-file:FILE:KEY, a file holding a token that others can read is
# refused with the chmod that fixes it (exit 2), no value is ever quoted;
# the README's lint example works as written; --format github appends its
# summary to $GITHUB_STEP_SUMMARY and leaves stdout as it was.
. "$top_srcdir/tests/lib/common.sh"
cd "$top_srcdir" || exit 1
unset ATLASSIAN_SITE JIRA_URL JIRA_SERVER CONFLUENCE_URL ATLASSIAN_EMAIL \
    JIRA_EMAIL JIRA_USER CONFLUENCE_EMAIL ATLASSIAN_API_TOKEN JIRA_API_TOKEN \
    CONFLUENCE_API_TOKEN ATLASSIAN_CLOUD_ID JIRA_CLOUD_ID ATLASSIAN_PRODUCT \
    ATLASSIAN_ORG_API_KEY GITHUB_STEP_SUMMARY
GOOD=$(head -n 1 fixtures/examples/token-with-newline.txt)
E=fixtures/examples/broken-setup.env

# The README's example, as written (from the repository's top directory).
t_run "README lint example: exit 1" 1 "$ATLDIAG" lint --env-file "$E" \
    --token-file fixtures/examples/token-with-newline.txt -q
t_grep "README lint example: the summary line" "FAIL  site.not_https" "$T_DIR/out"
t_run "README lint example as JSON" 1 "$ATLDIAG" lint --env-file "$E" \
    --token-file fixtures/examples/token-with-newline.txt --json
for code in site.not_https cloud_id.is_org_id token.whitespace email.is_account_id; do
	t_json "README example finds $code" "$T_DIR/out" \
	    "[.findings[].code] | index(\"$code\") != null" true
done
t_json "source names the file and the key" "$T_DIR/out" '.inputs.site.source' "env-file:$E:ATLASSIAN_SITE"

# Syntax.
printf '# a comment\n\nexport ATLASSIAN_SITE="acme.atlassian.net" # trailing\r\nATLASSIAN_EMAIL = '"'"'mia@example.com'"'"'\nATLASSIAN_PRODUCT=jira # bare, comment\n' >"$T_DIR/a.env"
printf '%s' "$GOOD" >"$T_DIR/good"
t_run "export, quotes, comments, CRLF" 0 "$ATLDIAG" lint --env-file "$T_DIR/a.env" \
    --token-file "$T_DIR/good" --json
t_json "double-quoted value, comment after it" "$T_DIR/out" '.inputs.site.value' acme.atlassian.net
t_json "single-quoted value, spaces around =" "$T_DIR/out" '.inputs.email.value' mia@example.com
t_json "bare value ends before ' #'" "$T_DIR/out" '.inputs.product.value' jira

# Precedence.
printf 'ATLASSIAN_EMAIL=later@example.com\n' >"$T_DIR/b.env"
t_run "two files" 0 "$ATLDIAG" lint --env-file "$T_DIR/a.env" --env-file "$T_DIR/b.env" \
    --token-file "$T_DIR/good" --json
t_json "a later file wins" "$T_DIR/out" '.inputs.email.source' "env-file:$T_DIR/b.env:ATLASSIAN_EMAIL"
t_run "file and environment" 0 env JIRA_EMAIL=env@example.com ATLASSIAN_EMAIL=env2@example.com \
    "$ATLDIAG" lint --env-file "$T_DIR/b.env" --token-file "$T_DIR/good" --json --site acme
t_json "the file wins over the environment" "$T_DIR/out" '.inputs.email.value' later@example.com
t_run "flag and file" 0 "$ATLDIAG" lint --env-file "$T_DIR/b.env" --email flag@example.com \
    --token-file "$T_DIR/good" --json --site acme
t_json "a flag wins over the file" "$T_DIR/out" '.inputs.email.source' flag:--email
printf 'ATLASSIAN_EMAIL=\n' >"$T_DIR/empty.env"
t_run "an empty value" 0 env ATLASSIAN_EMAIL=env@example.com "$ATLDIAG" lint \
    --env-file "$T_DIR/empty.env" --token-file "$T_DIR/good" --site acme --json
t_json "an empty value falls through to the environment" "$T_DIR/out" '.inputs.email.source' env:ATLASSIAN_EMAIL

# A token in a file others can read.
printf 'ATLASSIAN_SITE=acme.atlassian.net\nATLASSIAN_EMAIL=mia@example.com\nATLASSIAN_API_TOKEN=%s\n' "$GOOD" >"$T_DIR/tok.env"
chmod 644 "$T_DIR/tok.env"
t_run "a token in a 0644 file is refused" 2 "$ATLDIAG" lint --env-file "$T_DIR/tok.env"
t_grep "the refusal names the chmod that fixes it" "chmod 600 '$T_DIR/tok.env'" "$T_DIR/err"
t_grep "the refusal names the variable and the mode" "holds ATLASSIAN_API_TOKEN and group or others may read it (mode 0644)" "$T_DIR/err"
t_nogrep "the refusal does not print the token" "$GOOD" "$T_DIR/err"
t_run "the same as JSON: an error document" 2 "$ATLDIAG" lint --env-file "$T_DIR/tok.env" --json
t_json "error document" "$T_DIR/out" '.verdict' error
t_nogrep "no token in the error document" "$GOOD" "$T_DIR/out"
chmod 600 "$T_DIR/tok.env"
t_run "a token in a 0600 file is read" 0 "$ATLDIAG" lint --env-file "$T_DIR/tok.env" --json
t_json "token source" "$T_DIR/out" '.inputs.token.source' "env-file:$T_DIR/tok.env:ATLASSIAN_API_TOKEN"
t_nogrep "the token is never printed" "$GOOD" "$T_DIR/out"
printf 'ATLASSIAN_SITE=acme.atlassian.net\nMY_NOTE=%s\n' "$GOOD" >"$T_DIR/shaped.env"
chmod 644 "$T_DIR/shaped.env"
t_run "a token-shaped value under any name counts as a token" 2 "$ATLDIAG" lint \
    --env-file "$T_DIR/shaped.env"
t_grep "and is named" "holds MY_NOTE" "$T_DIR/err"
printf 'ATLASSIAN_SITE=acme.atlassian.net\n' >"$T_DIR/notok.env"
chmod 644 "$T_DIR/notok.env"
t_run "a 0644 file without a token is fine" 0 "$ATLDIAG" lint --env-file "$T_DIR/notok.env" \
    --email mia@example.com --token-file "$T_DIR/good"

# Bad files.
printf 'ATLASSIAN_SITE=acme\nthis is not a pair %s\n' "$GOOD" >"$T_DIR/bad.env"
t_run "a line that is not KEY=value: exit 2" 2 "$ATLDIAG" lint --env-file "$T_DIR/bad.env"
t_grep "it names the file and the line" "env file '$T_DIR/bad.env', line 2: not KEY=value" "$T_DIR/err"
t_nogrep "it does not quote the line" "$GOOD" "$T_DIR/err"
printf 'ATLASSIAN_API_TOKEN="%s\n' "$GOOD" >"$T_DIR/open.env"
chmod 600 "$T_DIR/open.env"
t_run "an unclosed quote: exit 2" 2 "$ATLDIAG" lint --env-file "$T_DIR/open.env"
t_grep "it says so" "a double quote is not closed" "$T_DIR/err"
t_nogrep "without quoting the token" "$GOOD" "$T_DIR/err"
printf 'ATLASSIAN_SITE=acme\000\001\033]52;c;eA==\007\nATLASSIAN_EMAIL="a\033[2Jb"\n' >"$T_DIR/ctl.env"
t_run "control bytes and NUL in values: no crash, the email is judged (exit 1)" 1 "$ATLDIAG" lint \
    --env-file "$T_DIR/ctl.env" --token-file "$T_DIR/good" --json
t_nogrep "no raw escape reaches the report" "$(printf '\033')" "$T_DIR/out"
head -c 2000000 /dev/zero | tr '\0' 'A' >"$T_DIR/huge.env"
t_run "a file over 1 MiB: exit 2" 2 "$ATLDIAG" lint --env-file "$T_DIR/huge.env"
t_run "a directory: exit 2" 2 "$ATLDIAG" lint --env-file "$T_DIR"
t_run "a missing file: exit 2" 2 "$ATLDIAG" lint --env-file "$T_DIR/no-such.env"
t_grep "it names the file" "cannot read env file '$T_DIR/no-such.env'" "$T_DIR/err"

# --format github and $GITHUB_STEP_SUMMARY.
set -- lint --env-file "$E" --token-file fixtures/examples/token-with-newline.txt --format github
t_run "github, no step summary" 1 "$ATLDIAG" "$@"
cp "$T_DIR/out" "$T_DIR/gh-plain"
printf '# before\n' >"$T_DIR/summary.md"
t_run "github with GITHUB_STEP_SUMMARY" 1 env GITHUB_STEP_SUMMARY="$T_DIR/summary.md" "$ATLDIAG" "$@"
if cmp -s "$T_DIR/out" "$T_DIR/gh-plain"; then t_ok "annotations on stdout unchanged"; else
	t_fail "annotations on stdout unchanged" "stdout differs"; fi
t_grep "the summary is appended" "## atldiag lint: FAIL" "$T_DIR/summary.md"
t_grep "what was there stays" "# before" "$T_DIR/summary.md"
t_grep "a findings table" "| 1 | FAIL | \`site.not_https\` |" "$T_DIR/summary.md"
t_grep "the fixes" "### Fixes" "$T_DIR/summary.md"
t_nogrep "no token in the summary" "$GOOD" "$T_DIR/summary.md"
t_run "a usage error also reaches the summary" 2 env GITHUB_STEP_SUMMARY="$T_DIR/summary.md" \
    "$ATLDIAG" lint --env-file "$T_DIR/no-such.env" --format github
t_grep "the usage error is in the summary" "## atldiag lint: ERROR" "$T_DIR/summary.md"
t_run "json: no summary written" 1 env GITHUB_STEP_SUMMARY="$T_DIR/json-summary.md" \
    "$ATLDIAG" lint --env-file "$E" --token-file fixtures/examples/token-with-newline.txt --json
if [ -e "$T_DIR/json-summary.md" ]; then t_fail "only --format github writes it" "file created"; else
	t_ok "only --format github writes it"; fi
t_done
