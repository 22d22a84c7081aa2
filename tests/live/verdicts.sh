#!/bin/sh
# tests/live/verdicts.sh: every stated requirement ends proven, disproven or unproven; unproven is exit 3, never a pass (scopes, the write probe, permissions, projects, calls, request).
set -u
: "${top_srcdir:?}" "${top_builddir:=.}"
. "$top_srcdir/tests/live/lib.sh"
live_init

# diag CMD ARGS...: runs atldiag as the scenario's client (JSON report in
# $MC_DIR/out, exit in $rc).
diag() {
	cmd=$1
	shift
	jq -j '.client.token' "$MC_SCENARIO" >"$MC_DIR/token"
	# shellcheck disable=SC2086
	"$ATLDIAG" "$cmd" "$@" --site "$(mc_client site)" \
	    --cloud-id "$(mc_client cloud_id)" --email "$(mc_client email)" \
	    --token-file "$MC_DIR/token" $MC_CONNECT_TO --cacert "$MC_CACERT" \
	    --timeout 10 --json >"$MC_DIR/out" 2>"$MC_DIR/err"
	rc=$?
}
# req KIND NAME: the outcome of that requirement in the last report.
req() {
	jq -r --arg k "$1" --arg n "$2" \
	    '[.requirements[]? | select(.kind == $k and .name == $n) | .outcome][0] // "absent"' \
	    "$MC_DIR/out"
}
primary() { jq -r '.primary // "none"' "$MC_DIR/out"; }
writes() { mc_count '.method != "GET" and .method != "HEAD"'; }

# A scoped service-account token that holds write:jira-work.
mc_start healthy-service-account >/dev/null 2>&1 || { echo "FAIL mockcloud did not start"; exit 1; }
diag check --need-scope write:jira-work
[ "$rc" = 3 ] || fail "write scope without --probe-writes: exit $rc (want 3, never a pass)"
[ "$(primary)" = requirement.unproven ] || fail "write scope unproven: primary $(primary)"
[ "$(req scope write:jira-work)" = unproven ] || fail "write scope: outcome $(req scope write:jira-work)"
jq -e '[.requirements[] | select(.name == "write:jira-work") | .next_step | test("--probe-writes")] == [true]' \
    "$MC_DIR/out" >/dev/null || fail "the unproven write scope does not name --probe-writes"
jq -e '[.findings[0].remediation[] | test("--probe-writes")] | any' "$MC_DIR/out" >/dev/null ||
	fail "the primary finding's fix steps do not name --probe-writes"
[ "$(writes)" = 0 ] || fail "a write was sent without --probe-writes"
"$ATLDIAG" check --need-scope write:jira-work --site "$(mc_client site)" \
    --cloud-id "$(mc_client cloud_id)" --email "$(mc_client email)" \
    --token-file "$MC_DIR/token" $MC_CONNECT_TO --cacert "$MC_CACERT" \
    >"$MC_DIR/text" 2>&1
grep -q '^  unproven   scope write:jira-work' "$MC_DIR/text" ||
	fail "text report: no requirement line for the unproven scope"
grep -q '^INCONCLUSIVE  requirement.unproven' "$MC_DIR/text" ||
	fail "text report: summary is not INCONCLUSIVE requirement.unproven"
# A pipeline sees it too: a JUnit error (not a pass) for the requirement,
# and a Requirements list in the GitHub step summary.
: >"$MC_DIR/summary.md"
GITHUB_STEP_SUMMARY="$MC_DIR/summary.md" "$ATLDIAG" check --need-scope write:jira-work \
    --site "$(mc_client site)" --cloud-id "$(mc_client cloud_id)" \
    --email "$(mc_client email)" --token-file "$MC_DIR/token" $MC_CONNECT_TO \
    --cacert "$MC_CACERT" --format github >/dev/null 2>&1
grep -q '^- \*\*unproven\*\* scope `write:jira-work`: ' "$MC_DIR/summary.md" ||
	fail "step summary: no Requirements item for the unproven scope"
"$ATLDIAG" check --need-scope write:jira-work --site "$(mc_client site)" \
    --cloud-id "$(mc_client cloud_id)" --email "$(mc_client email)" \
    --token-file "$MC_DIR/token" $MC_CONNECT_TO --cacert "$MC_CACERT" \
    --format junit >"$MC_DIR/junit.xml" 2>/dev/null
tr -d '\n' <"$MC_DIR/junit.xml" | grep -q '<testcase classname="atldiag.requirement" name="scope write:jira-work" time="0.000">      <error message="unproven: [^"]*" type="requirement.unproven">' ||
	fail "junit: the unproven scope is not an error test case"

diag check --need-scope write:jira-work --probe-writes
[ "$rc" = 0 ] || fail "write scope held, --probe-writes: exit $rc (want 0)"
[ "$(req scope write:jira-work)" = proven ] || fail "write probe: outcome $(req scope write:jira-work)"
jq -e '[.requirements[] | select(.name == "write:jira-work") | .confidence] == ["likely"]' \
    "$MC_DIR/out" >/dev/null || fail "write probe proof is not 'likely' (the order of checks is not documented)"
[ "$(mc_count '.method == "POST" and (.path | endswith("/rest/api/3/issue"))')" = 1 ] ||
	fail "--probe-writes did not send exactly one POST to create-issue"

printf 'GET /rest/api/3/issue/ENG-1\nPOST /rest/api/3/issue\n' >"$MC_DIR/calls"
diag check --calls "$MC_DIR/calls"
[ "$rc" = 3 ] || fail "--calls with a write whose scope is unproven: exit $rc (want 3)"
[ "$(req call 'POST /rest/api/3/issue (line 2)')" = unproven ] ||
	fail "--calls: the write call is $(req call 'POST /rest/api/3/issue (line 2)')"
diag check --calls "$MC_DIR/calls" --probe-writes
[ "$rc" = 0 ] || fail "--calls --probe-writes: exit $rc (want 0)"

diag request POST "https://api.atlassian.com/ex/jira/$(mc_client cloud_id)/rest/api/3/issue" --project ENG
[ "$rc" = 3 ] || fail "request write with an unproven scope: exit $rc (want 3)"
[ "$(jq -r '[.requirements[] | select(.kind == "request") | .outcome][0]' "$MC_DIR/out")" = unproven ] ||
	fail "request: the write is not reported unproven"

diag check --product confluence --need-scope write:jira-work --probe-writes
[ "$rc" = 3 ] || fail "write probe with --product confluence: exit $rc (want 3, not an internal error)"
[ "$(req scope write:jira-work)" = unproven ] || fail "--product confluence: outcome $(req scope write:jira-work)"

# A scoped token with read:jira-user only.
mc_start scope-missing >/dev/null 2>&1 || { echo "FAIL mockcloud did not start"; exit 1; }
diag check --need-scope write:jira-work --probe-writes
[ "$rc" = 1 ] || fail "write scope missing, --probe-writes: exit $rc (want 1)"
[ "$(primary)" = scope.missing ] || fail "write scope missing: primary $(primary)"
[ "$(req scope write:jira-work)" = disproven ] || fail "write scope missing: outcome $(req scope write:jira-work)"
diag check --need-scope read:jira-wrok
[ "$rc" = 2 ] || fail "misspelt scope: exit $rc (want 2)"
grep -q 'read:jira-work' "$MC_DIR/err" || fail "misspelt scope: the nearest name is not given"

# A classic token: scopes do not restrict it.
mc_start healthy-human >/dev/null 2>&1 || { echo "FAIL mockcloud did not start"; exit 1; }
diag check --need-scope write:jira-work
[ "$(req scope write:jira-work)" = proven ] || fail "classic token: scope outcome $(req scope write:jira-work)"
diag check --project ENG --need-permission CREATE_ISSUES
[ "$rc" = 0 ] || fail "permission held: exit $rc (want 0)"
[ "$(req permission CREATE_ISSUES)" = proven ] && [ "$(req project ENG)" = proven ] ||
	fail "permission held: $(req permission CREATE_ISSUES), project $(req project ENG)"
diag check --project ENG --need-permission ADMINISTER_PROJECTS
[ "$rc" = 1 ] || fail "permission not held: exit $rc (want 1)"
[ "$(req permission ADMINISTER_PROJECTS)" = disproven ] || fail "permission not held: $(req permission ADMINISTER_PROJECTS)"
diag check --project NOPE --need-permission CREATE_ISSUES
[ "$rc" = 1 ] || fail "unknown project: exit $rc (want 1)"
[ "$(req project NOPE)" = disproven ] || fail "unknown project: $(req project NOPE)"
diag check --need-permission CREATE_ISSUES
[ "$rc" = 3 ] || fail "a permission without a project: exit $rc (want 3)"
[ "$(req permission CREATE_ISSUES)" = unproven ] || fail "a permission without a project: $(req permission CREATE_ISSUES)"
diag check --need-permission CREATE_ISSUE --project ENG
[ "$rc" = 2 ] || fail "unknown permission: exit $rc (want 2)"
grep -q CREATE_ISSUES "$MC_DIR/err" || fail "unknown permission: the nearest name is not given"
diag check --product jirra
[ "$rc" = 2 ] || fail "--product jirra: exit $rc (want 2)"
grep -q 'jira, confluence' "$MC_DIR/err" || fail "--product jirra: the known products are not named"
[ "$(writes)" = 0 ] || fail "a write was sent"
for s in $(mc_secrets); do
	grep -F -q -- "$s" "$MC_DIR/out" "$MC_DIR/err" "$MC_DIR/text" 2>/dev/null && fail "secret in output"
done

[ "$fails" = 0 ] && echo "PASS verdicts" || exit 1
