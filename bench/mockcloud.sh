#!/bin/sh
# bench/mockcloud.sh: keep-alive throughput of mockcloud on loopback (target: 2,000 requests/s).
# Not a timed test.  Usage: top_srcdir=. top_builddir=. sh bench/mockcloud.sh [SECONDS]
# Uses wrk when installed (apt-get install wrk), else (or with BENCH_TOOL=curl)
# parallel curl keep-alive loops.
set -u
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
export top_srcdir top_builddir
secs=${1:-5}
. "$top_srcdir/tests/lib/mockcloud.sh"
mc_start healthy-human || exit 1
auth=$(printf '%s:%s' "$(mc_client email)" "$(mc_client token)" | base64 -w0)
url=https://127.0.0.1:$MC_HTTPS_PORT/rest/api/3/myself
target=2000
if [ "${BENCH_TOOL:-wrk}" = wrk ] && command -v wrk >/dev/null 2>&1; then
	tool=wrk
	out=$(wrk -t2 -c16 -d"${secs}s" -H "Host: acme.atlassian.net" \
	    -H "Authorization: Basic $auth" "$url" 2>&1)
	echo "$out"
	rps=$(printf '%s\n' "$out" | awk '/^Requests\/sec:/ { printf "%d", $2 }')
	non2xx=$(printf '%s\n' "$out" | awk '/Non-2xx/ { print $NF }')
else
	tool=curl
	n=200
	urls=$(i=0; while [ $i -lt $n ]; do printf ' -o /dev/null %s' "$url"; i=$((i + 1)); done)
	start=$(date +%s%N)
	end=$((start + secs * 1000000000))
	: >"$MC_DIR/count"
	pids=
	for w in 1 2 3 4; do
		(
			while [ "$(date +%s%N)" -lt "$end" ]; do
				# shellcheck disable=SC2086
				curl -sk -H "Host: acme.atlassian.net" \
				    -H "Authorization: Basic $auth" $urls
				echo $n >>"$MC_DIR/count"
			done
		) &
		pids="$pids $!"
	done
	# shellcheck disable=SC2086
	wait $pids
	took=$(( ($(date +%s%N) - start) / 1000000 ))
	total=$(awk '{ s += $1 } END { print s + 0 }' "$MC_DIR/count")
	rps=$((total * 1000 / took))
	non2xx=
fi
logged=$(mc_count)
errors=$(mc_count '.status != 200')
mc_cleanup
echo "mockcloud bench ($tool, keep-alive HTTPS, GET /rest/api/3/myself with Basic auth):"
echo "  requests/s: $rps (target $target); logged $logged requests, $errors not 200${non2xx:+, wrk non-2xx $non2xx}"
echo "  ratio to target: $(awk -v a="$rps" -v b="$target" 'BEGIN { printf "%.2f", a / b }')"
[ "$rps" -ge "$target" ]
