#!/bin/sh
# mockcloud: fault knobs (latency, jitter, 5xx, reset, slow, truncated, malformed, oversized) per route.
. "$top_srcdir/tests/mockcloud/common.sh"

base=$top_srcdir/fixtures/scenarios/healthy-human.json
mk() {
	jq --argjson f "$2" '.faults = $f' "$base" >"$MC_DIR/$1.json"
	mc_start "$MC_DIR/$1.json" || exit 1
}
mc_start "$base" || exit 1
U="$(mc_client email):$(mc_client token)"
secs() { mc_curl -o /dev/null -w '%{time_total}' "$@"; }
ge() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a >= b) }'; }

# Latency on one route holds that request only: another connection is
# answered while it waits. Told by the order of events, not a stopwatch:
# the held request (10 minutes) is sent (curl's trace says so) before the
# other one starts, and is still unanswered when the other one is done.
mk hold '[{"path_prefix":"/rest/api/3/serverInfo","latency_ms":600000}]'
mc_curl -o /dev/null --trace-ascii "$MC_DIR/hold.trace" "$SITE/rest/api/3/serverInfo" 2>/dev/null &
bg=$!
i=0
while ! grep -q '^=> Send header' "$MC_DIR/hold.trace" 2>/dev/null && [ $i -lt 600 ]; do
	sleep 0.1
	i=$((i + 1))
done
check "the held request was sent" grep -q '^=> Send header' "$MC_DIR/hold.trace"
req "$SITE/rest/api/3/myself" -u "$U"
expect_status 200
check "the held request is still waiting" kill -0 "$bg"
check "only the other request is answered" test "$(mc_count)" = 1
kill "$bg" 2>/dev/null
wait "$bg" 2>/dev/null

# Latency is applied (lower bounds only: a busy machine is never faster).
mk latency '[{"path_prefix":"/rest/api/3/serverInfo","latency_ms":1500,"jitter_ms":100}]'
t=$(secs "$SITE/rest/api/3/serverInfo")
check "latency applied ($t s)" ge "$t" 1.5
check "latency logged" test "$(mc_count '.fault == "latency" and .elapsed_ms >= 1500')" = 1

# 5xx for the first two requests, then normal.
mk errors '[{"host":"*.atlassian.net","error_rate":1.0,"error_status":503,"limit":2}]'
req "$SITE/rest/api/3/myself" -u "$U"
expect_status 503
expect_header Retry-After '^1$'
req "$SITE/rest/api/3/myself" -u "$U"
expect_status 503
req "$SITE/rest/api/3/myself" -u "$U"
expect_status 200
req "$GW/ex/jira/$(mc_client cloud_id)/rest/api/3/myself" -u "$U"
expect_status 200

# Half the requests fail (seeded, so the count is stable).
mk half '[{"error_rate":0.5,"error_status":502}]'
n=0
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
	s=$(mc_curl -o /dev/null -w '%{http_code}' "$SITE/rest/api/3/serverInfo")
	[ "$s" = 502 ] && n=$((n + 1))
done
check "error_rate 0.5 gives some but not all 502 ($n/20)" sh -c "[ $n -gt 2 ] && [ $n -lt 18 ]"

# Connection reset.
mk reset '[{"method":"GET","path_prefix":"/rest/api/3/myself","reset_rate":1.0}]'
mc_curl -o /dev/null -u "$U" "$SITE/rest/api/3/myself" 2>/dev/null
rc=$?
check "reset: curl fails with 52 or 56 (got $rc)" sh -c "[ $rc = 56 ] || [ $rc = 52 ]"
req "$SITE/_edge/tenant_info"
expect_status 200

# Slow body.
mk slow '[{"path_prefix":"/rest/api/3/myself","slow_bytes_per_sec":1000}]'
t=$(secs -u "$U" "$SITE/rest/api/3/myself")
check "slow body takes time ($t s)" ge "$t" 0.5
req "$SITE/rest/api/3/myself" -u "$U"
expect_status 200
expect_json '.accountType == "atlassian"'

# Truncated body: Content-Length promises more than is sent.
mk trunc '[{"path_prefix":"/rest/api/3/myself","truncate_rate":1.0}]'
mc_curl -o /dev/null -u "$U" "$SITE/rest/api/3/myself" 2>/dev/null
rc=$?
check "truncated: curl reports a partial transfer (got $rc)" sh -c "[ $rc = 18 ] || [ $rc = 56 ]"

# Malformed JSON.
mk malformed '[{"path_prefix":"/rest/api/3/myself","malformed_rate":1.0}]'
req "$SITE/rest/api/3/myself" -u "$U"
expect_status 200
check "malformed body is not JSON" sh -c "! jq . '$B' >/dev/null 2>&1"

# Oversized body: 5 MB, still valid JSON.
mk big '[{"path_prefix":"/rest/api/3/myself","oversized_bytes":5000000}]'
n=$(mc_curl -o "$MC_DIR/big" -w '%{size_download}' -u "$U" "$SITE/rest/api/3/myself")
check "oversized body is 5000000 bytes (got $n)" test "$n" = 5000000
check "oversized body is valid JSON" sh -c "jq -e '.accountType == \"atlassian\"' '$MC_DIR/big' >/dev/null"
finish
