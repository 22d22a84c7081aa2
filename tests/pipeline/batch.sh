#!/bin/sh
# tests/pipeline/batch.sh: `atldiag batch` against mockcloud: 1,000 profiles, one
# JSON report per line with the right verdict; a missing token file is reported
# without stopping the batch; concurrency (overall and per site) is bounded as
# the emulator's request log shows; bad input files exit 2.
. "$top_srcdir/tests/pipeline/lib.sh"
. "$top_srcdir/tests/lib/mockcloud.sh"

D=$(mktemp -d "${TMPDIR:-/tmp}/pipeline-batch.XXXXXX")
trap 'mc_cleanup; rm -rf "$D"' EXIT
mc_start healthy-human || exit 1
S=$MC_SCENARIO
jq -j '.client.token' "$S" >"$D/token"
EMAIL=$(mc_client email)
CID=$(mc_client cloud_id)
unset ATLDIAG_TEST_NO_SUCH_VAR

# Profile i: i%10 == 0 missing token file (error), 1 another account's
# email (fail), 2 token_env naming an unset variable (fail), else pass.
"$PYTHON3" - "$D" "$EMAIL" "$CID" 1000 >"$D/profiles.csv" <<'PY'
import sys
d, email, cid, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
print("name,site,email,token_file,token_env,cloud_id,product")
for i in range(n):
    tf, te, em = d + "/token", "", email
    if i % 10 == 0:
        tf = d + "/no-such-token-%d" % i
    elif i % 10 == 1:
        em = "raj.patel@acme.example"
    elif i % 10 == 2:
        tf, te = "", "ATLDIAG_TEST_NO_SUCH_VAR"
    print('"p%d, x",https://acme.atlassian.net/,%s,%s,%s,%s,jira' % (i, em, tf, te, cid))
PY
rc=0; "$ATLDIAG" batch "$D/profiles.csv" $MC_CONNECT_TO --cacert "$MC_CACERT" \
    >"$D/out" 2>"$D/err" || rc=$?
p_check "batch of 1,000 exits 2 (worst: an unreadable token file)" [ "$rc" = 2 ]
p_check "one JSON report per profile, in any order, each line once" p_json "$D/out" \
    'len(docs) == 1000 and sorted(x["profile"]["line"] for x in docs) == list(range(2, 1002))'
p_check "every line has the verdict its profile deserves" p_json "$D/out" \
    'all(x["verdict"] == {0: "error", 1: "fail", 2: "fail"}.get((x["profile"]["line"] - 2) % 10, "pass") for x in docs)'
p_check "profile names are read through CSV quotes" p_json "$D/out" \
    'all(x["profile"]["name"] == "p%d, x" % (x["profile"]["line"] - 2) for x in docs)'
p_check "missing token file: error naming the file and the line" p_json "$D/out" \
    'all("no-such-token-%d" % (x["profile"]["line"] - 2) in x["error"] and ("line %d" % x["profile"]["line"]) in x["error"] for x in docs if x["verdict"] == "error")'
p_check "another account's email: credentials refused" p_json "$D/out" \
    'all(x["primary"] in ("auth.credentials_rejected", "email.wrong_account") for x in docs if (x["profile"]["line"] - 2) % 10 == 1)'
p_check "unset token_env: input.token_missing naming the variable" p_json "$D/out" \
    'all(x["primary"] == "input.token_missing" and "ATLDIAG_TEST_NO_SUCH_VAR" in json.dumps(x) for x in docs if (x["profile"]["line"] - 2) % 10 == 2)'
p_check "summary on stderr counts the verdicts" sh -c "grep -q 'pass  *700' '$D/err' && grep -q 'fail  *200' '$D/err' && grep -q 'error  *100' '$D/err'"
p_check "no progress bar when stderr is not a terminal" sh -c "! grep -q '\[#' '$D/err'"
p_check "the token never reaches stdout or stderr" sh -c "! grep -qF \"\$(cat '$D/token')\" '$D/out' '$D/err'"
if [ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import jsonschema' 2>/dev/null; then
	head -n 50 "$D/out" >"$D/sample"
	p_check "reports validate against the report schema" \
	    /usr/bin/python3 "$top_srcdir/tests/lib/validate-report.py" --jsonl "$D/sample"
fi

# Bounded concurrency, seen from the emulator: 20 ms per request, one
# request at a time per profile, so overlapping requests = profiles in flight.
jq '.faults = [{"latency_ms": 20}]' "$S" >"$D/slow.json"
overlap() {
	"$PYTHON3" - "$MC_LOG" <<'PY'
import json, sys, datetime
iv = []
for l in open(sys.argv[1]):
    r = json.loads(l)
    end = datetime.datetime.strptime(r["ts"], "%Y-%m-%dT%H:%M:%S.%fZ").timestamp() * 1000
    iv.append((end - r["elapsed_ms"], end))
ev = sorted([(s + 1, 1) for s, e in iv] + [(e - 1, -1) for s, e in iv])
cur = best = 0
for t, k in ev:
    cur += k
    best = max(best, cur)
print(best)
PY
}
head -n 41 "$D/profiles.csv" | awk -F, 'NR == 1 || $1 !~ /^"p[0-9]*0$/' >"$D/small.csv"
mc_start "$D/slow.json" || exit 1
rc=0; "$ATLDIAG" batch "$D/small.csv" --concurrency 3 --per-site 3 --max-parallel 1 \
    $MC_CONNECT_TO --cacert "$MC_CACERT" >"$D/out2" 2>"$D/err2" || rc=$?
n=$(overlap)
p_check "--concurrency 3: at most 3 requests at once, and more than 1 ($n)" sh -c "[ $n -le 3 ] && [ $n -ge 2 ] && [ $rc = 1 ]"
mc_start "$D/slow.json" || exit 1
rc=0; "$ATLDIAG" batch "$D/small.csv" --concurrency 4 --per-site 1 --max-parallel 1 \
    $MC_CONNECT_TO --cacert "$MC_CACERT" >"$D/out3" 2>"$D/err3" || rc=$?
n=$(overlap)
p_check "--per-site 1: one profile of the site at a time ($n)" sh -c "[ $n -eq 1 ] && [ $rc = 1 ]"
p_check "same verdicts whatever the concurrency" sh -c "[ \"\$(jq -r '[.profile.line, .verdict] | @tsv' '$D/out2' | sort -n)\" = \"\$(jq -r '[.profile.line, .verdict] | @tsv' '$D/out3' | sort -n)\" ]"

# A 429'd profile ends inconclusive (exit 3), never failed.
mc_start service-rate-limited-persistent || exit 1
jq -j '.client.token' "$MC_SCENARIO" >"$D/token429"
printf 'site,email,token_file,cloud_id\n' >"$D/r.csv"
for i in 1 2 3; do
	printf '%s,%s,%s,%s\n' "$(mc_client site)" "$(mc_client email)" "$D/token429" "$(mc_client cloud_id)" >>"$D/r.csv"
done
rc=0; "$ATLDIAG" batch "$D/r.csv" $MC_CONNECT_TO --cacert "$MC_CACERT" >"$D/out" 2>"$D/err" || rc=$?
p_check "rate-limited profiles: inconclusive, batch exit 3" sh -c "[ $rc = 3 ]"
p_check "rate-limited profiles name service.rate_limited" p_json "$D/out" \
    'len(docs) == 3 and all(x["verdict"] == "inconclusive" and x["primary"] == "service.rate_limited" for x in docs)'

# Bad input files.
printf 'site,email,token\nacme,a@b.c,ATATT-inline\n' >"$D/inline.csv"
rc=0; "$ATLDIAG" batch "$D/inline.csv" >"$D/out" 2>"$D/err" || rc=$?
p_check "an inline token column is refused without --allow-inline-secrets (exit 2)" sh -c "[ $rc = 2 ] && grep -q 'allow-inline-secrets' '$D/err' && [ ! -s '$D/out' ]"
printf 'site,mail,token_file\n' >"$D/badcol.csv"
rc=0; "$ATLDIAG" batch "$D/badcol.csv" >"$D/out" 2>"$D/err" || rc=$?
p_check "an unknown column is a usage error naming it" sh -c "[ $rc = 2 ] && grep -q \"'mail'\" '$D/err'"
rc=0; "$ATLDIAG" batch "$D/nonexistent.csv" >"$D/out" 2>"$D/err" || rc=$?
p_check "a missing batch file exits 2" [ "$rc" = 2 ]
printf '{"site":"acme","email":"%s","token_file":"%s/token","cloud_id":"%s"}\nnot json\n{"site":"acme","token":"x"}\n{"site":"acme","email":"%s","token_file":"%s/token","cloud_id":"%s","expires":"%s"}\n' "$EMAIL" "$D" "$CID" "$EMAIL" "$D" "$CID" "$(date -u -d '-2 days' +%F)" >"$D/p.jsonl"
mc_start healthy-human || exit 1
rc=0; "$ATLDIAG" batch "$D/p.jsonl" $MC_CONNECT_TO --cacert "$MC_CACERT" >"$D/out" 2>"$D/err" || rc=$?
p_check "JSONL: a good line passes, bad lines are errors naming the line, exit 2" p_json "$D/out" \
    '[(x["profile"]["line"], x["verdict"]) for x in sorted(docs, key=lambda x: x["profile"]["line"])] == [(1, "pass"), (2, "error"), (3, "error"), (4, "fail")] and "line 3" in [x for x in docs if x["profile"]["line"] == 3][0]["error"]'
p_check "JSONL batch exit 2" [ "$rc" = 2 ]
p_check "JSONL: the expires key feeds the expiry radar (auth.token_expired)" p_json "$D/out" \
    'any(x["profile"]["line"] == 4 and x["primary"] == "auth.token_expired" for x in docs)'

# Scopes: a profile's need_scope column, the batch-wide --need-scope and
# --calls are probed like check's. The scenario's service account holds
# read:jira-user only. No profile names a URL, so the site's refusal of the
# scoped token is a warning (routing.scoped_token_on_site), not a pass.
mc_start scope-missing || exit 1
jq -j '.client.token' "$MC_SCENARIO" >"$D/scoped"
SA=$(mc_client email)
printf 'name,site,email,token_file,cloud_id,need_scope
' >"$D/s.csv"
printf 'lacks,acme.atlassian.net,%s,%s,%s,read:jira-work
' "$SA" "$D/scoped" "$CID" >>"$D/s.csv"
printf 'holds,acme.atlassian.net,%s,%s,%s,read:jira-user
' "$SA" "$D/scoped" "$CID" >>"$D/s.csv"
printf 'none,acme.atlassian.net,%s,%s,%s,\n' "$SA" "$D/scoped" "$CID" >>"$D/s.csv"
rc=0; "$ATLDIAG" batch "$D/s.csv" $MC_CONNECT_TO --cacert "$MC_CACERT" >"$D/out" 2>"$D/err" || rc=$?
p_check "need_scope column: the scope the token lacks is scope.missing, batch exit 1" sh -c "[ $rc = 1 ]"
# No read needs read:jira-user alone: the row that asks for it stays
# unproven, inconclusive (never pass).
p_check "need_scope column: scope.missing names read:jira-work on that profile only" p_json "$D/out" \
    'sorted((x["profile"]["name"], x["verdict"], x["primary"]) for x in docs) == [("holds", "inconclusive", "requirement.unproven"), ("lacks", "fail", "scope.missing"), ("none", "warn", "routing.scoped_token_on_site")] and "read:jira-work" in json.dumps([x for x in docs if x["profile"]["name"] == "lacks"][0]["findings"][0])'
p_check "need_scope column: the probe was refused by scope at the emulator (authenticated, 401)" \
    [ "$(mc_count '.verdict == "ok" and .status == 401')" -ge 1 ]
awk -F, 'NR == 1 || $1 == "none"' "$D/s.csv" >"$D/s1.csv"
rc=0; "$ATLDIAG" batch "$D/s1.csv" --need-scope read:jira-work $MC_CONNECT_TO --cacert "$MC_CACERT" >"$D/out" 2>"$D/err" || rc=$?
p_check "batch --need-scope: scope.missing for the profile without the column" p_json "$D/out" \
    'len(docs) == 1 and docs[0]["primary"] == "scope.missing"'
printf 'GET /rest/api/3/project/search\n' >"$D/calls.txt"
rc=0; "$ATLDIAG" batch "$D/s1.csv" --calls "$D/calls.txt" $MC_CONNECT_TO --cacert "$MC_CACERT" >"$D/out" 2>"$D/err" || rc=$?
p_check "batch --calls: the scopes the calls need are probed (scope.missing, exit 1)" p_json "$D/out" \
    'len(docs) == 1 and docs[0]["primary"] == "scope.missing"'
p_check "batch --calls exit 1" [ "$rc" = 1 ]
p_done
