#!/bin/sh
# bench/live.sh: `atldiag check` against mockcloud with 50 ms injected latency: wall time / (depth x 50 ms) and requests sent / requests the plan needs, concurrent and serial.
set -u
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
top_builddir=${top_builddir:-.}
export top_srcdir top_builddir
. "$top_srcdir/tests/live/lib.sh"
ATLDIAG=${ATLDIAG:-$top_builddir/atldiag}
LAT=50
# The healthy scenario with --project: net.reach -> auth.gateway|auth.site ->
# project.access (+ roles only when a permission is missing): depth 3.
DEPTH=3
NEED=8	# tenant_info, gateway ping, 2 identity reads, project, mypermissions, issue, browse
tmp=$(mktemp -d)
jq --argjson l "$LAT" '.faults = [{"latency_ms": $l}]' \
    "$top_srcdir/fixtures/scenarios/healthy-human.json" >"$tmp/sc.json"
mc_start "$tmp/sc.json" >/dev/null || exit 1
IFS='
'
set -- $(live_args)
unset IFS
for par in 8 1; do
	: >"$MC_LOG"
	t0=$(date +%s%N)
	"$ATLDIAG" check "$@" $MC_CONNECT_TO --cacert "$MC_CACERT" \
	    --max-parallel "$par" -q >/dev/null
	t1=$(date +%s%N)
	sent=$(mc_count)
	awk -v w="$(( (t1 - t0) / 1000000 ))" -v d="$DEPTH" -v l="$LAT" \
	    -v s="$sent" -v n="$NEED" -v p="$par" 'BEGIN {
		printf "max-parallel %d: wall %d ms, wall/(depth %d x %d ms) = %.2f (target <= 1.25); requests %d/%d = %.2f\n",
		    p, w, d, l, w / (d * l), s, n, s / n }'
done
mc_cleanup
rm -rf "$tmp"
