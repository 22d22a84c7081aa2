#!/bin/sh
# bench/live.sh: `atldiag check` against mockcloud with 50 ms injected latency: wall time / (depth x 50 ms) and requests sent / requests the plan needs, concurrent and serial.
#
# depth is not hard-coded: it is the longest chain of the plan's "after"
# edges (rules/plan.json) through the checks of the concurrent run, each
# check counting the request rounds it waited for (its duration divided by
# the injected latency, rounded down: mockcloud sleeps LAT ms per request,
# so k sequential rounds take at least k x LAT). Checks without requests
# count 0. The serial run is judged against the same depth.
# Each configuration runs RUNS times (default 5); the median is reported,
# because other processes on the machine make single runs noisy.
set -u
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
top_builddir=${top_builddir:-.}
export top_srcdir top_builddir
. "$top_srcdir/tests/live/lib.sh"
ATLDIAG=${ATLDIAG:-$top_builddir/atldiag}
LAT=50
RUNS=${RUNS:-5}
# Requests this scenario needs (healthy-human: --project ENG --issue ENG-1):
# tenant_info, gateway ping, identity on the gateway and on the site,
# project, mypermissions (Browse of ENG: project.access and issue.access
# both need it; one request answers both), issue. What is "needed" is a
# judgement about the scenario, not something the run can tell; requests
# sent more than once are counted separately below.
NEED=7
tmp=$(mktemp -d)
jq --argjson l "$LAT" '.faults = [{"latency_ms": $l}]' \
    "$top_srcdir/fixtures/scenarios/healthy-human.json" >"$tmp/sc.json"
mc_start "$tmp/sc.json" >/dev/null || exit 1
IFS='
'
set -- $(live_args)
unset IFS

# depth REPORT: "rounds chain" of the longest request chain of a report.
depth() {
	jq -r --argjson l "$LAT" --slurpfile plan "$top_srcdir/rules/plan.json" '
	  (reduce .checks[] as $c ({};
	      .[$c.id] = (($c.duration_ms / $l) | floor))) as $r |
	  (reduce $plan[0].checks[] as $p ({};
	      .[$p.id] = [$p.after[] | select($r[.] != null)])) as $after |
	  def chain($id):
	    ([$after[$id][] | chain(.)] | max_by(.n) // {n: 0, ids: []}) as $b |
	    {n: ($b.n + $r[$id]),
	     ids: ($b.ids + (if $r[$id] > 0 then ["\($id) \($r[$id])x"]
	         else [] end))};
	  [$r | keys[] | chain(.)] | max_by(.n) |
	  "\(.n) \(.ids | join(" > "))"' "$1"
}

# path REPORT CHAIN: "ms-on-path detail" for the checks of the chain.
path() {
	jq -r --arg chain "$2" '
	  ($chain | split(" > ") | map(split(" ")[0])) as $ids |
	  [.checks[] | select(.id as $i | $ids | index($i))] as $cs |
	  "\([$cs[].duration_ms] | add // 0) \([$cs[] |
	      "\(.id) \(.duration_ms) ms"] | join(", "))"' "$1"
}

D=
for par in 8 1; do
	i=0
	: >"$tmp/walls"
	while [ $i -lt "$RUNS" ]; do
		: >"$MC_LOG"
		t0=$(date +%s%N)
		"$ATLDIAG" check "$@" $MC_CONNECT_TO --cacert "$MC_CACERT" \
		    --max-parallel "$par" --json >"$tmp/r$i.json"
		t1=$(date +%s%N)
		echo "$(( (t1 - t0) / 1000000 )) $i $(mc_count) $(mc_requests |
		    jq -r '[.method, .host, .path, .query] | join(" ")' |
		    sort | uniq -d | wc -l)" >>"$tmp/walls"
		i=$((i + 1))
	done
	sort -n "$tmp/walls" >"$tmp/sorted"
	med=$(sed -n "$(( (RUNS + 1) / 2 ))p" "$tmp/sorted")
	min=$(sed -n 1p "$tmp/sorted" | cut -d' ' -f1)
	w=${med%% *}
	rest=${med#* }
	run=${rest%% *}
	rest=${rest#* }
	sent=${rest%% *}
	dups=${rest#* }
	if [ -z "$D" ]; then
		dc=$(depth "$tmp/r$run.json")
		D=${dc%% *}
		CHAIN=${dc#* }
	fi
	p=$(path "$tmp/r$run.json" "$CHAIN")
	awk -v w="$w" -v mn="$min" -v d="$D" -v l="$LAT" -v s="$sent" \
	    -v n="$NEED" -v par="$par" -v runs="$RUNS" -v dup="$dups" \
	    -v ch="$CHAIN" -v pm="${p%% *}" -v pd="${p#* }" 'BEGIN {
		printf "max-parallel %d: wall %d ms (median of %d, min %d), wall/(depth %d x %d ms) = %.2f%s; requests %d/%d = %.2f (%d repeated)\n",
		    par, w, runs, mn, d, l, w / (d * l),
		    (par > 1 ? " (target <= 1.25)" : " (serial: for comparison)"),
		    s, n, s / n, dup
		if (par > 1) {
			printf "  depth: %s\n", ch
			printf "  checks on that chain: %s = %d ms; the rest (start-up, rules, offline checks, gaps between checks, report, exit) %d ms\n",
			    pd, pm, w - pm
		}
	}'
done
mc_cleanup
rm -rf "$tmp"
