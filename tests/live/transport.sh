#!/bin/sh
# tests/live/transport.sh: a transfer that fails after the status line (body cut short, broken gzip, endless headers) is a network.* inconclusive with the curl error, never a verdict drawn from the partial answer.
set -u
: "${top_srcdir:?}" "${top_builddir:=.}"
. "$top_srcdir/tests/live/lib.sh"
live_init

# run_check NAME: atldiag check with the scenario's client inputs, JSON in $MC_DIR/NAME.
run_check() {
	live_atldiag check --timeout 20 --json >"$MC_DIR/$1" 2>"$MC_DIR/err"
	rc=$?
}

# expect_transfer NAME WHAT: exit 3, a network.* primary whose evidence
# carries the curl error, and no verdict drawn from the partial answer.
expect_transfer() {
	[ "$rc" = 3 ] || fail "$2: exit $rc (want 3: inconclusive)"
	jq -e '.verdict == "inconclusive" and (.primary | startswith("network.")) and
	    (.findings[0].status == "inconclusive") and
	    (.findings[0].evidence | map(.error // "" | test("curl")) | any)' \
	    "$MC_DIR/$1" >/dev/null ||
		fail "$2: primary $(jq -r .primary "$MC_DIR/$1") (want network.* with the curl error in the evidence)"
	jq -e '[.findings[].code] | map(select(. == "auth.identity_unconfirmed" or
	    . == "site.not_found" or . == "auth.credentials_rejected")) | length == 0' \
	    "$MC_DIR/$1" >/dev/null || fail "$2: the partial answer was weighed as a real one"
}

# mc_start keeps (and at exit removes) a MC_DIR that is already set.
MC_DIR=$(mktemp -d "${TMPDIR:-/tmp}/transport.XXXXXX") || exit 1

# faulted KNOB: the healthy world with KNOB on every identity read.
faulted() {
	jq --arg k "$1" '.faults = [{"path_prefix": "/rest/api/3/myself", ($k): 1.0}]' \
	    "$top_srcdir/fixtures/scenarios/healthy-human.json" >"$MC_DIR/$1.json"
	mc_start "$MC_DIR/$1.json" >/dev/null 2>&1 ||
		{ echo "FAIL mockcloud did not start"; exit 1; }
	LIVE_CONNECT=$MC_CONNECT_TO
}

# A body cut short (Content-Length announced, half sent, closed).
faulted truncate_rate
run_check truncate
expect_transfer truncate "truncated body"
jq -e '.findings[0].code == "network.transfer"' "$MC_DIR/truncate" >/dev/null ||
	fail "truncated body: not network.transfer"
# A broken gzip stream (Content-Encoding: gzip on a plain body).
faulted bad_gzip_rate
run_check gzip
expect_transfer gzip "broken gzip"
jq -e '.findings[0].code == "network.transfer"' "$MC_DIR/gzip" >/dev/null ||
	fail "broken gzip: not network.transfer"

# Endless headers: a 200 status line, then header lines that never end.
# libmicrohttpd cannot send those, so a tiny TLS server does (same certs).
if command -v python3 >/dev/null 2>&1; then
	python3 "$top_srcdir/tests/live/rawtls.py" "$MC_DIR/certs/server.pem" \
	    "$MC_DIR/certs/server.key" endless-headers >"$MC_DIR/raw.port" 2>/dev/null &
	raw_pid=$!
	i=0
	while [ $i -lt 100 ] && ! grep -q '^port=' "$MC_DIR/raw.port"; do
		sleep 0.1
		i=$((i + 1))
	done
	port=$(sed -n 's/^port=//p' "$MC_DIR/raw.port")
	if [ -n "$port" ]; then
		LIVE_CONNECT="--connect-to ::127.0.0.1:$port"
		run_check endless
		expect_transfer endless "endless headers"
	else
		fail "the raw TLS server did not start"
	fi
	kill "$raw_pid" 2>/dev/null
	wait "$raw_pid" 2>/dev/null
fi

[ "$fails" = 0 ] || exit 1
echo "ok: transfers broken after the status line are inconclusive network.* with the curl error"
