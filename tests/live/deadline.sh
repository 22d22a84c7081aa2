#!/bin/sh
# tests/live/deadline.sh: `check` ends at its --deadline: a site that never answers leaves the waiting checks inconclusive (exit 3), and the report names them and the request each waited for.
set -u
: "${top_srcdir:?}" "${top_builddir:=.}"
. "$top_srcdir/tests/live/lib.sh"
live_init

MC_DIR=$(mktemp -d "${TMPDIR:-/tmp}/deadline.XXXXXX") || exit 1
# The identity reads answer after 10 minutes; the per-request timeout is
# longer still, so only the run's deadline can end the run.
jq '.faults = [{"path_prefix": "/rest/api/3/myself", "latency_ms": 600000}]' \
    "$top_srcdir/fixtures/scenarios/healthy-human.json" >"$MC_DIR/slow.json"
mc_start "$MC_DIR/slow.json" >/dev/null 2>&1 || { echo "FAIL mockcloud did not start"; exit 1; }
live_atldiag check --timeout 600 --deadline 3 --json >"$MC_DIR/out" \
    2>"$MC_DIR/err"
rc=$?
[ "$rc" = 3 ] || fail "exit $rc (want 3: inconclusive)"
jq -e '.verdict == "inconclusive"' "$MC_DIR/out" >/dev/null ||
	fail "verdict $(jq -r .verdict "$MC_DIR/out") (want inconclusive)"
jq -e '.findings | map(select(.code == "network.timeout" and .status == "inconclusive"
    and (.explanation // "" | type == "string")
    and (.detail // "" | test("deadline of 3 s")))) | length == 1' "$MC_DIR/out" >/dev/null ||
	fail "no network.timeout finding naming the deadline"
jq -e '[.checks[] | select(.id == "auth.identity" or .id == "auth.gateway" or .id == "auth.site")
    | select(.status == "inconclusive" and (.message | test("deadline")))] | length >= 2' \
    "$MC_DIR/out" >/dev/null || fail "the unfinished checks do not say the deadline ended them"
jq -e '.checks[] | select(.status == "inconclusive" and (.message | test("waiting for GET https://[^ ]*/rest/api/3/myself")))' \
    "$MC_DIR/out" >/dev/null || fail "no check names the request it was waiting for"
# Text output says the same.
live_atldiag check --timeout 600 --deadline 3 >"$MC_DIR/text" 2>&1
grep -q "deadline" "$MC_DIR/text" || fail "text output does not mention the deadline"
# A deadline is a positive number of seconds.
"$ATLDIAG" check --deadline 0 --site acme >/dev/null 2>&1
[ $? = 2 ] || fail "--deadline 0 is not a usage error"

[ "$fails" = 0 ] || exit 1
echo "ok: the run ends at --deadline, inconclusive, naming the checks that did not finish"
