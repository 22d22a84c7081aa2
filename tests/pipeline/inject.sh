#!/bin/sh
# tests/pipeline/inject.sh: a scope name never carries a request: unknown
# --need-scope names (flag or batch cell) are usage errors with a
# suggestion, and no method other than the documented probes reaches the
# emulator, even with --probe-writes.
. "$top_srcdir/tests/pipeline/lib.sh"
. "$top_srcdir/tests/lib/mockcloud.sh"

D=$(mktemp -d "${TMPDIR:-/tmp}/pipeline-inject.XXXXXX")
trap 'mc_cleanup; rm -rf "$D"' EXIT
mc_start scope-missing || exit 1
jq -j '.client.token' "$MC_SCENARIO" >"$D/token"
SA=$(mc_client email)
CID=$(mc_client cloud_id)
EVIL='x|DELETE|/rest/api/3/project/ENG#'
set -- --site acme.atlassian.net --email "$SA" --token-file "$D/token" \
    --cloud-id "$CID" $MC_CONNECT_TO --cacert "$MC_CACERT"

rc=0; "$ATLDIAG" check "$@" --need-scope "$EVIL" --probe-writes >"$D/out" \
    2>"$D/err" || rc=$?
p_check "--need-scope with a method and a path: usage error (exit 2, got $rc)" \
    [ "$rc" = 2 ]
p_check "... the message names the flag" grep -q -- '--need-scope: unknown scope' "$D/err"
p_check "... no DELETE (nor any write) reached the emulator" \
    [ "$(mc_count '.method != "GET" and .method != "HEAD"')" = 0 ]

rc=0; "$ATLDIAG" check "$@" --need-scope read:jira-wrok >"$D/out" \
    2>"$D/err" || rc=$?
p_check "a misspelt scope is a usage error (exit 2, got $rc)" [ "$rc" = 2 ]
p_check "... suggesting the nearest known name" grep -q \
    "unknown scope 'read:jira-wrok' (did you mean read:jira-work" "$D/err"

# The batch cell: that row's error, the run goes on.
printf 'name,site,email,token_file,cloud_id,need_scope\n' >"$D/s.csv"
printf 'evil,acme.atlassian.net,%s,%s,%s,"%s"\n' "$SA" "$D/token" "$CID" \
    "$EVIL" >>"$D/s.csv"
printf 'fine,acme.atlassian.net,%s,%s,%s,read:jira-user\n' "$SA" \
    "$D/token" "$CID" >>"$D/s.csv"
rc=0; "$ATLDIAG" batch "$D/s.csv" --probe-writes $MC_CONNECT_TO \
    --cacert "$MC_CACERT" >"$D/out" 2>"$D/err" || rc=$?
p_check "batch need_scope cell with a method and a path: exit 2 (got $rc)" \
    [ "$rc" = 2 ]
# The fine row runs; no read needs read:jira-user alone, so it stays
# unproven: inconclusive, never pass.
p_check "... that row is a usage error naming line and column; the other row runs" \
    p_json "$D/out" 'sorted((x["profile"]["name"], x["verdict"]) for x in docs) == [("evil", "error"), ("fine", "inconclusive")] and "line 2, column need_scope: unknown scope" in [x for x in docs if x["profile"]["name"] == "evil"][0]["error"]'
p_check "... no write reached the emulator" \
    [ "$(mc_count '.method != "GET" and .method != "HEAD"')" = 0 ]

rc=0; "$ATLDIAG" batch "$D/s.csv" --need-scope "$EVIL" $MC_CONNECT_TO \
    --cacert "$MC_CACERT" >"$D/out" 2>"$D/err" || rc=$?
p_check "batch --need-scope with a bad name: exit 2 before any profile (got $rc)" \
    sh -c "[ $rc = 2 ] && [ ! -s '$D/out' ]"

# The documented write probe still goes out, exactly as before.
rc=0; "$ATLDIAG" check "$@" --need-scope write:jira-work --probe-writes \
    >"$D/out" 2>"$D/err" || rc=$?
p_check "--probe-writes: the create-issue probe is the only write sent" \
    [ "$(mc_count '.method != "GET" and .method != "HEAD"')" = \
    "$(mc_count '.method == "POST" and (.path | test("/rest/api/3/issue$"))')" ]
p_check "... and it was sent (rc $rc)" \
    [ "$(mc_count '.method == "POST"')" -ge 1 ]
p_done
