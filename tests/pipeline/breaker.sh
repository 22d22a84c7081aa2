#!/bin/sh
# tests/pipeline/breaker.sh: `atldiag batch` facing 429 Retry-After: 100000 stops contacting that site (a per-site circuit breaker): the requests mockcloud logs stay bounded, and the rows not checked are inconclusive service.rate_limited with retry_at.
. "$top_srcdir/tests/pipeline/lib.sh"
. "$top_srcdir/tests/lib/mockcloud.sh"

MC_DIR=$(mktemp -d "${TMPDIR:-/tmp}/pipeline-breaker.XXXXXX") || exit 1
D=$MC_DIR
# One request per (very long) window passes; every other one is answered
# 429 with Retry-After: 100000 (about 28 hours).
jq '.rate_limit = {"burst": 1, "window_ms": 86400000, "retry_after": 100000}' \
    "$top_srcdir/fixtures/scenarios/healthy-human.json" >"$D/limited.json"
mc_start "$D/limited.json" >/dev/null 2>&1 || { echo "FAIL mockcloud did not start"; exit 1; }
jq -j '.client.token' "$MC_SCENARIO" >"$D/token"
EMAIL=$(mc_client email)
CID=$(mc_client cloud_id)
N=60
{
	echo "name,site,email,token_file,cloud_id"
	i=0
	while [ $i -lt $N ]; do
		echo "p$i,acme.atlassian.net,$EMAIL,$D/token,$CID"
		i=$((i + 1))
	done
} >"$D/profiles.csv"

rc=0
# shellcheck disable=SC2086
"$ATLDIAG" batch "$D/profiles.csv" --concurrency 4 --per-site 2 --timeout 20 \
    $MC_CONNECT_TO --cacert "$MC_CACERT" >"$D/out" 2>"$D/err" || rc=$?
sent=$(mc_count)
# Without a breaker every profile sends its probes (several per profile);
# with it, only the profiles in flight when the first 429 came back do.
per_profile=8
bound=$((2 * per_profile + 4))
p_check "batch exits 3 (inconclusive; got $rc)" [ "$rc" = 3 ]
p_check "requests sent stay bounded ($sent <= $bound for $N profiles)" [ "$sent" -le "$bound" ]
p_check "one JSON report per profile" p_json "$D/out" "len(docs) == $N"
p_check "every profile is inconclusive service.rate_limited" p_json "$D/out" \
    'all(x["verdict"] == "inconclusive" and x["primary"] == "service.rate_limited" for x in docs)'
p_check "at most the profiles in flight were checked; the others were not sent" p_json "$D/out" \
    'len([x for x in docs if x["findings"][0]["check"] == "batch"]) >= '"$N"' - 4'
p_check "every row carries retry_at about 100000 s ahead" p_json "$D/out" \
    'all(abs(__import__("calendar").timegm(__import__("time").strptime(x["findings"][0]["retry_at"], "%Y-%m-%dT%H:%M:%SZ")) - __import__("time").time() - 100000) < 3600 for x in docs)'
p_check "the rows not checked say why and when to retry" p_json "$D/out" \
    'all("Retry after" in x["findings"][0]["detail"] for x in docs if x["findings"][0]["check"] == "batch")'
p_done
