#!/bin/sh
# tests/pipeline/progress.sh: the status line on a terminal. With stderr on a
# pseudo-terminal, check shows "probing HOST (what)…" rewritten in place and
# erases it before the report; batch draws a bar (done/total, rate, ETA,
# failures) and erases it before its summary. With stderr a pipe, with -q,
# NO_COLOR or TERM=dumb, not one byte of it; stdout is the same either way.
. "$top_srcdir/tests/pipeline/lib.sh"
. "$top_srcdir/tests/lib/mockcloud.sh"
"$PYTHON3" -c 'import pty' 2>/dev/null || exit 77

D=$(mktemp -d "${TMPDIR:-/tmp}/pipeline-progress.XXXXXX")
trap 'mc_cleanup; rm -rf "$D"' EXIT
PTY="$PYTHON3 $top_srcdir/tests/lib/pty-run.py"
jq '.faults = [{"latency_ms": 150}]' \
    "$top_srcdir/fixtures/scenarios/healthy-human.json" >"$D/slow.json"
mc_start "$D/slow.json" || exit 1
jq -j '.client.token' "$MC_SCENARIO" >"$D/token"
chmod 600 "$D/token"
set -- --site "$(mc_client site)" --email "$(mc_client email)" \
    --token-file "$D/token" --cloud-id "$(mc_client cloud_id)"
TOKEN=$(cat "$D/token")

# has FILE PYEXPR: PYEXPR over the bytes t of FILE.
has() {
	"$PYTHON3" - "$1" "$2" <<'PY'
import re, sys
t = open(sys.argv[1], "rb").read()
sys.exit(0 if eval(sys.argv[2]) else 1)
PY
}

rc=0; $PTY "$D/out" "$D/tty" "$ATLDIAG" check "$@" $MC_CONNECT_TO \
    --cacert "$MC_CACERT" || rc=$?
p_check "check on a terminal: exit 0" [ "$rc" = 0 ]
p_check "check on a terminal: a probing line, rewritten in place (\\r ... \\e[K)" \
    has "$D/tty" 're.search(rb"\r(\x1b\[K)?probing [a-z0-9.-]+ \([a-z_0-9-]+\)\xe2\x80\xa6\x1b\[K", t)'
p_check "check on a terminal: the line names the host probed" \
    has "$D/tty" 'b"probing api.atlassian.com (identity)" in t and b"probing acme.atlassian.net (site)" in t'
p_check "check on a terminal: the line is erased at the end" \
    has "$D/tty" 't.endswith(b"\r\x1b[K")'
p_check "check on a terminal: the report follows on stdout" \
    has "$D/out" 'b"PASS" in t or b"pass" in t'
p_check "check on a terminal: the token never appears" \
    has "$D/tty" "b'$TOKEN' not in t"

# The same run with stderr a pipe: nothing of it, same report.
rc=0; "$ATLDIAG" check "$@" $MC_CONNECT_TO --cacert "$MC_CACERT" \
    >"$D/out2" 2>"$D/err2" || rc=$?
p_check "stderr a pipe: no status line at all" \
    has "$D/err2" 'b"\r" not in t and b"\x1b" not in t and b"probing" not in t'
p_check "stderr a pipe: stdout is byte-identical to the terminal run" \
    sh -c "sed 's/[0-9][0-9]*ms/Nms/g; s/20[0-9-]*T[0-9:]*Z/TIME/g' '$D/out' >'$D/a'; sed 's/[0-9][0-9]*ms/Nms/g; s/20[0-9-]*T[0-9:]*Z/TIME/g' '$D/out2' >'$D/b'; cmp -s '$D/a' '$D/b'"

# -q, NO_COLOR and TERM=dumb ask for plain output even on a terminal.
$PTY "$D/out" "$D/tty" "$ATLDIAG" check -q "$@" $MC_CONNECT_TO \
    --cacert "$MC_CACERT" >/dev/null 2>&1 || :
p_check "-q on a terminal: no status line" has "$D/tty" 'b"probing" not in t and b"\x1b[K" not in t'
rc=0; $PTY "$D/out" "$D/tty" env NO_COLOR=1 "$ATLDIAG" \
    check "$@" $MC_CONNECT_TO --cacert "$MC_CACERT" || rc=$?
p_check "NO_COLOR on a terminal: no status line" has "$D/tty" 'b"probing" not in t and b"\x1b[K" not in t'
rc=0; PTY_TERM=dumb $PTY "$D/out" "$D/tty" "$ATLDIAG" check "$@" \
    $MC_CONNECT_TO --cacert "$MC_CACERT" || rc=$?
p_check "TERM=dumb on a terminal: no status line" has "$D/tty" 'b"probing" not in t and b"\x1b[K" not in t'

# batch: a bar, then the summary.
printf 'name,site,email,token_file,cloud_id\n' >"$D/p.csv"
for i in 1 2 3 4 5 6; do
	printf 'p%s,%s,%s,%s,%s\n' "$i" "$(mc_client site)" "$(mc_client email)" \
	    "$D/token" "$(mc_client cloud_id)" >>"$D/p.csv"
done
printf 'bad,%s,%s,%s/missing,%s\n' "$(mc_client site)" "$(mc_client email)" \
    "$D" "$(mc_client cloud_id)" >>"$D/p.csv"
rc=0; $PTY "$D/bout" "$D/btty" "$ATLDIAG" batch "$D/p.csv" --concurrency 2 \
    $MC_CONNECT_TO --cacert "$MC_CACERT" || rc=$?
p_check "batch on a terminal: a bar with done/total, rate, ETA and failures" \
    has "$D/btty" 're.search(rb"\r\[[#.]{30}\] [0-9]+/[0-9]+\+?  [0-9.]+/s  ETA [0-9?]+s?  [0-9]+ failed\x1b\[K", t)'
p_check "batch on a terminal: the bar is erased before the summary" \
    has "$D/btty" 're.search(rb"\r\x1b\[Katldiag batch: 7 profiles", t)'
p_check "batch on a terminal: no per-probe line inside the bar" has "$D/btty" 'b"probing" not in t'
p_check "batch on a terminal: stdout holds the 7 JSON lines" p_json "$D/bout" 'len(docs) == 7'
rc=0; "$ATLDIAG" batch "$D/p.csv" --concurrency 2 $MC_CONNECT_TO \
    --cacert "$MC_CACERT" >"$D/bout2" 2>"$D/berr2" || rc=$?
p_check "batch, stderr a pipe: no bar" has "$D/berr2" 'b"\r" not in t and b"\x1b" not in t and b"[#" not in t'
p_done
