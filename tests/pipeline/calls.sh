#!/bin/sh
# tests/pipeline/calls.sh: `check --calls FILE` against mockcloud: a token with
# read:jira-user only; one listed call is allowed, one lacks read:jira-work.
. "$top_srcdir/tests/pipeline/lib.sh"
. "$top_srcdir/tests/lib/mockcloud.sh"

D=$(mktemp -d "${TMPDIR:-/tmp}/pipeline-calls.XXXXXX")
trap 'mc_cleanup; rm -rf "$D"' EXIT
rc=0; "$ATLDIAG" check --calls /dev/null >"$D/out" 2>"$D/err" || rc=$?
if [ "$rc" = 2 ] && grep -q 'not built yet' "$D/err"; then
	echo "skip: atldiag check is not built yet"
	exit 77
fi
mc_start scope-missing || exit 1

jq -j '.client.token' "$MC_SCENARIO" >"$D/token"
set -- --site "$(mc_client site)" --cloud-id "$(mc_client cloud_id)" \
    --email "$(mc_client email)" --token-file "$D/token" $MC_CONNECT_TO \
    --cacert "$MC_CACERT" --timeout 10
cat >"$D/calls" <<'EOT'
# deploy job
GET /rest/api/3/myself
GET /rest/api/3/issue/ENG-1
EOT

rc=0; "$ATLDIAG" check "$@" --calls "$D/calls" --json >"$D/out" 2>"$D/err" || rc=$?
p_check "a call lacking a scope fails the check (exit 1)" [ "$rc" = 1 ]
p_check "calls.plan ran and planned both calls" p_json "$D/out" \
    'any(c["id"] == "calls.plan" and c["status"] == "pass" and "2 calls" in c["message"] for c in d["checks"])'
p_check "scope.missing names the failing call and the scope set" p_json "$D/out" \
    'any(f["code"] == "scope.missing" and "/rest/api/3/issue/ENG-1" in f["explanation"] + json.dumps(f) and "read:jira-work" in json.dumps(f) for f in d["findings"])'
p_check "per-call verdicts in the report: line 2 works, line 3 needs read:jira-work" p_json "$D/out" \
    '[(c["line"], c["verdict"]) for c in d["calls"]] == [(2, "will work"), (3, "fails")] and d["calls"][1]["needs"] == ["read:jira-work"]'
p_check "the token never reaches the report" sh -c "! grep -qF \"\$(cat '$D/token')\" '$D/out' '$D/err'"

rc=0; "$ATLDIAG" check "$@" --calls "$D/calls" --format markdown >"$D/md" 2>"$D/err" || rc=$?
p_check "markdown says which call needs which scope" grep -q 'ENG-1.*needs read:jira-work' "$D/md"

printf 'GET /rest/api/3/myself\nGET /rest/api/3/issue/ENG-1 extra words\n' >"$D/bad"
before=$(mc_count)
rc=0; "$ATLDIAG" check "$@" --calls "$D/bad" >"$D/out" 2>"$D/err" || rc=$?
p_check "a bad calls line is a usage error (exit 2) naming the line" sh -c "[ $rc = 2 ] && grep -q 'line 2' '$D/err'"
p_check "a bad calls file sends nothing" [ "$before" = "$(mc_count)" ]
p_done
