#!/bin/sh
# bench/batch.sh: `atldiag batch` throughput against mockcloud with 20 ms of
# latency per request at the default concurrency (profiles per second, and the
# ratio to what the per-site bound allows), and peak memory at 1,000 and 10,000
# profiles (their ratio: ~1 when memory is bounded by concurrency, not input).
# Usage: bench/batch.sh [BUILDDIR] [THROUGHPUT_PROFILES (default 200)]
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-.}" && pwd)
n_tp=${2:-200}
export top_srcdir=${top_srcdir:-$here} top_builddir=$build
export MOCKCLOUD=${MOCKCLOUD:-$build/fixtures/mockcloud/mockcloud}
bin=$build/atldiag
[ -x "$bin" ] || { echo "bench/batch.sh: no binary at '$bin' (build first)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench/batch.sh: /usr/bin/time is needed" >&2; exit 2; }
. "$here/tests/lib/mockcloud.sh"
D=$(mktemp -d "${TMPDIR:-/tmp}/bench-batch.XXXXXX")
trap 'mc_cleanup; rm -rf "$D"' EXIT

mc_start healthy-human >/dev/null
S=$MC_SCENARIO
jq -j '.client.token' "$S" >"$D/token"
EMAIL=$(mc_client email)
CID=$(mc_client cloud_id)
# profiles N SITES: N good profiles; SITES=one: all on acme; many: each its own site
profiles() {
	python3 - "$1" "$2" "$D/token" "$EMAIL" "$CID" <<'PY'
import sys
n, sites, tok, email, cid = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
print("site,email,token_file,cloud_id")
for i in range(n):
    site = "acme.atlassian.net" if sites == "one" else "t%d.atlassian.net" % i
    print("%s,%s,%s,%s" % (site, email, tok, cid))
PY
}
ms() { python3 -c 'import time; print(int(time.time() * 1000))'; }

jq '.faults = [{"latency_ms": 20}]' "$S" >"$D/slow.json"
mc_start "$D/slow.json" >/dev/null
profiles "$n_tp" one >"$D/tp.csv"
rate() {	# profiles per second of a batch run of tp.csv with extra options
	t0=$(ms)
	"$bin" batch "$D/tp.csv" "$@" $MC_CONNECT_TO --cacert "$MC_CACERT" >/dev/null 2>&1 || true
	t1=$(ms)
	python3 -c "import sys; print('%.1f' % ($n_tp * 1000.0 / max(1, $t1 - $t0)))"
}
r1=$(rate --concurrency 1 --per-site 1)
rd=$(rate)
python3 - "$n_tp" "$r1" "$rd" <<'PY'
import sys
n, r1, rd = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
print("throughput, 20 ms latency, %d profiles on one site:" % n)
print("  one at a time (--concurrency 1):              %.1f profiles/s" % r1)
print("  defaults (--concurrency 4 --per-site 2):      %.1f profiles/s" % rd)
print("  speed-up %.2f (the per-site bound allows 2.00)" % (rd / r1))
PY

mc_start healthy-human >/dev/null
for n in 1000 10000; do
	profiles "$n" many >"$D/m$n.csv"
	/usr/bin/time -v "$bin" batch "$D/m$n.csv" $MC_CONNECT_TO --cacert "$MC_CACERT" \
	    >"$D/m$n.out" 2>"$D/m$n.time" || true
	grep 'Maximum resident' "$D/m$n.time" | awk '{print $NF}' >"$D/rss$n"
	echo "peak memory, $n profiles (each its own site): $(cat "$D/rss$n") KiB, $(wc -l <"$D/m$n.out") lines"
done
python3 -c "import sys; a, b = int(sys.argv[1]), int(sys.argv[2]); print('peak memory ratio 10,000 / 1,000 profiles: %.2f' % (b / a))" \
    "$(cat "$D/rss1000")" "$(cat "$D/rss10000")"
