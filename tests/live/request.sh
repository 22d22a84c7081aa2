#!/bin/sh
# tests/live/request.sh: `atldiag request` against mockcloud: a refused read is replayed and explained with its fix; a write is never sent, only explained.
set -u
: "${top_srcdir:?}" "${top_builddir:=.}"
. "$top_srcdir/tests/live/lib.sh"
live_init
GW=https://api.atlassian.com/ex/jira/7c1e4b2a-9d3f-4e6a-b8c5-1f2e3d4c5b6a

# request METHOD URL [ARGS...]: as the scenario's client; exit in $rc.
request() {
	jq -j '.client.token' "$MC_SCENARIO" >"$MC_DIR/token"
	m=$1 u=$2
	shift 2
	# shellcheck disable=SC2086
	"$ATLDIAG" request "$m" "$u" "$@" --site "$(mc_client site)" \
	    --email "$(mc_client email)" --token-file "$MC_DIR/token" \
	    $MC_CONNECT_TO --cacert "$MC_CACERT" --timeout 5 \
	    >"$MC_DIR/out" 2>"$MC_DIR/err"
	rc=$?
	for s in $(mc_secrets); do
		grep -F -q -- "$s" "$MC_DIR/out" "$MC_DIR/err" && fail "$m $u: secret in output"
	done
}

mc_start healthy-human >/dev/null 2>&1 || { echo "FAIL mockcloud did not start"; exit 1; }
# A 404 read: replayed, explained with the replayed exchange as evidence.
url=https://acme.atlassian.net/rest/api/3/issue/ENG-2
request GET "$url" --json
[ "$rc" = 1 ] || fail "404 read: exit $rc (want 1)"
jq -e --arg u "$url" '.primary == "issue.not_visible" and
    (.findings[0].remediation | length) > 0 and
    (.findings[0].evidence | map(.request.url == $u and .response.status == 404) | any)' \
    "$MC_DIR/out" >/dev/null || fail "404 read: not explained with its own exchange and a fix"
[ "$(mc_count '.method == "GET" and .path == "/rest/api/3/issue/ENG-2"')" -ge 1 ] ||
	fail "404 read: the request was not replayed"
# The same in text: the remediation block.
request GET "$url"
grep -q 'Fix' "$MC_DIR/out" || fail "404 read, text: no Fix block"

# A 401 read: the refusal is explained, not taken for a missing resource.
mc_start auth-credentials-rejected >/dev/null 2>&1 || { echo "FAIL mockcloud did not start"; exit 1; }
request GET https://acme.atlassian.net/rest/api/3/myself --json
[ "$rc" = 1 ] || fail "401 read: exit $rc (want 1)"
jq -e '.primary == "auth.credentials_rejected" and
    (.findings[0].remediation | length) > 0 and
    (.findings[0].evidence | map(.response.status == 401) | any)' "$MC_DIR/out" >/dev/null ||
	fail "401 read: primary $(jq -r .primary "$MC_DIR/out") (want auth.credentials_rejected with a fix)"

# A write: never sent. A scoped token through the gateway, no project:
# neither the write scope nor the permission can be proven -> inconclusive,
# naming what is unproven and how to prove it.
mc_start healthy-service-account >/dev/null 2>&1 || { echo "FAIL mockcloud did not start"; exit 1; }
request POST "$GW/rest/api/3/issue" --json
[ "$(mc_count '.method == "GET"')" -gt 0 ] || fail "write: no probe logged (is the log readable?)"
[ "$(mc_count '.method != "GET" and .method != "HEAD"')" = 0 ] || fail "write: a write was sent"
[ "$(mc_count '.path | endswith("/rest/api/3/issue")')" = 0 ] || fail "write: the write's URL was requested"
jq -e '.findings | map(select(.code == "request.write_not_sent" and
    (.notes | map(test("write:jira-work")) | any))) | length == 1' "$MC_DIR/out" >/dev/null ||
	fail "write: no request.write_not_sent naming the scopes that allow it"
[ "$rc" = 3 ] && [ "$(jq -r .verdict "$MC_DIR/out")" = inconclusive ] ||
	fail "write, preconditions unproven: exit $rc, verdict $(jq -r .verdict "$MC_DIR/out") (want 3, inconclusive)"
jq -e '.findings | map(select(.code == "request.write_not_sent") | .explanation + " " + (.detail // "")) | tostring |
    test("was not sent") and test("--probe-writes") and test("--project KEY")' "$MC_DIR/out" >/dev/null ||
	fail "write, unproven: the report does not say what is unproven and how to prove it"

# The account can browse PAY but no role of hers grants CREATE_ISSUES:
# the create-issue body names PAY -> permission.missing, exit 1, not sent.
mc_start write-without-permission >/dev/null 2>&1 || { echo "FAIL mockcloud did not start"; exit 1; }
printf '%s\n' '{"fields": {"project": {"key": "PAY"}, "summary": "Export failed", "issuetype": {"name": "Task"}}}' >"$MC_DIR/body.json"
request POST https://acme.atlassian.net/rest/api/3/issue --data-file "$MC_DIR/body.json" --json
[ "$rc" = 1 ] || fail "write without permission: exit $rc (want 1)"
jq -e '.primary == "permission.missing" and (.findings[0] | tostring |
    test("CREATE_ISSUES") and test("PAY") and test("Developers") and test("Administrators"))' "$MC_DIR/out" >/dev/null ||
	fail "write without permission: primary $(jq -r .primary "$MC_DIR/out"), want permission.missing naming CREATE_ISSUES, PAY and the roles"
jq -e '.findings | map(.code) | index("request.write_not_sent") != null' "$MC_DIR/out" >/dev/null ||
	fail "write without permission: the report does not say the write was not sent"
[ "$(mc_count '.method == "POST"')" = 0 ] || fail "write without permission: a POST was sent"
[ "$(mc_count '.path | endswith("/rest/api/3/issue")')" = 0 ] ||
	fail "write without permission: /rest/api/3/issue was requested"
[ "$(mc_count '.path | endswith("/rest/api/3/mypermissions")')" -ge 1 ] ||
	fail "write without permission: mypermissions was not asked"
# Text: the same, with the fix.
request POST https://acme.atlassian.net/rest/api/3/issue --data-file "$MC_DIR/body.json"
flat=$(tr -s '\n ' '  ' <"$MC_DIR/out")
case $flat in *CREATE_ISSUES*"was not sent"*) ;; *) false ;; esac ||
	fail "write without permission, text: CREATE_ISSUES or 'was not sent' missing"

# A healthy write: Mia is a Developer in ENG -> every precondition proven,
# a warning (exit 0) that says so; still not sent.
mc_start healthy-human >/dev/null 2>&1 || { echo "FAIL mockcloud did not start"; exit 1; }
printf '%s\n' '{"fields": {"project": {"key": "ENG"}, "summary": "x"}}' >"$MC_DIR/body.json"
request POST https://acme.atlassian.net/rest/api/3/issue --data-file "$MC_DIR/body.json" --json
[ "$rc" = 0 ] && [ "$(jq -r .verdict "$MC_DIR/out")" = warn ] ||
	fail "healthy write: exit $rc, verdict $(jq -r .verdict "$MC_DIR/out") (want 0, warn)"
jq -e '.findings | map(select(.code == "request.write_not_sent")) | tostring |
    test("preconditions proven") and test("CREATE_ISSUES on project ENG")' "$MC_DIR/out" >/dev/null ||
	fail "healthy write: request.write_not_sent does not list the proven preconditions"
[ "$(mc_count '.method != "GET" and .method != "HEAD"')" = 0 ] || fail "healthy write: a write was sent"
# --project instead of a body: the same.
request POST https://acme.atlassian.net/rest/api/3/issue --project ENG -q
[ "$rc" = 0 ] || fail "healthy write with --project: exit $rc (want 0)"
# An issue in the URL that the account cannot see: issue.not_visible.
request PUT https://acme.atlassian.net/rest/api/3/issue/ENG-2 --json
[ "$rc" = 1 ] && [ "$(jq -r .primary "$MC_DIR/out")" = issue.not_visible ] ||
	fail "write to a hidden issue: exit $rc, primary $(jq -r .primary "$MC_DIR/out") (want 1, issue.not_visible)"
[ "$(mc_count '.method != "GET" and .method != "HEAD"')" = 0 ] || fail "write to a hidden issue: a write was sent"

# A deprecated operation (getResolutions) that the site no longer routes:
# routing.endpoint_removed from the catalogue's flag, naming the replacement.
request GET https://acme.atlassian.net/rest/api/3/resolution --json
[ "$rc" = 1 ] && [ "$(jq -r .primary "$MC_DIR/out")" = routing.endpoint_removed ] ||
	fail "deprecated read: exit $rc, primary $(jq -r .primary "$MC_DIR/out") (want 1, routing.endpoint_removed)"
jq -e '.findings[0].detail | test("getResolutions") and test("GET /rest/api/3/resolution/search")' \
    "$MC_DIR/out" >/dev/null || fail "deprecated read: the replacement is not named"

mc_cleanup >/dev/null 2>&1
[ "$fails" = 0 ] && echo "ok   request"
[ "$fails" = 0 ]
