# tests/lib/common.sh: helpers for the shell tests (sourced). Exit 77 = skip.
set -u
: "${top_srcdir:?run through make check}"
: "${top_builddir:?run through make check}"
: "${ATLDIAG:=$top_builddir/atldiag}"
PYTHON3=${PYTHON3:-/usr/bin/python3}
[ -x /usr/bin/python3 ] && PYTHON3=/usr/bin/python3
export NO_COLOR=1

T_DIR=$(mktemp -d "${TMPDIR:-/tmp}/atldiag-test.XXXXXX")
t_cleanup() { rm -rf "$T_DIR"; }
trap t_cleanup EXIT

T_FAILS=0
T_COUNT=0

# t_ok NAME: record a pass; t_fail NAME WHY: record a failure (the test goes on).
t_ok() { T_COUNT=$((T_COUNT + 1)); printf 'ok   %s\n' "$1"; }
t_fail() { T_COUNT=$((T_COUNT + 1)); T_FAILS=$((T_FAILS + 1)); printf 'FAIL %s: %s\n' "$1" "$2"; }

# t_run NAME WANT_EXIT CMD...: runs CMD with stdout/stderr in $T_DIR/out, err;
# checks the exit status.
t_run() {
	local name=$1 want=$2 got=0
	shift 2
	"$@" >"$T_DIR/out" 2>"$T_DIR/err" </dev/null || got=$?
	if [ "$got" = "$want" ]; then
		t_ok "$name (exit $got)"
	else
		t_fail "$name" "exit $got, want $want; stderr: $(head -c 400 "$T_DIR/err")"
	fi
}

# t_grep NAME PATTERN FILE: FILE must contain PATTERN (fixed string).
t_grep() {
	if grep -qF -- "$2" "$3"; then t_ok "$1"; else
		t_fail "$1" "'$2' not in $3: $(head -c 300 "$3")"; fi
}
t_nogrep() {
	if grep -qF -- "$2" "$3"; then t_fail "$1" "'$2' found in $3"; else
		t_ok "$1"; fi
}

# t_json_valid NAME FILE: a report that validates against docs/report.schema.json.
t_json_valid() {
	if "$PYTHON3" "$top_srcdir/tests/lib/validate-report.py" "$2" >"$T_DIR/val" 2>&1; then
		t_ok "$1"
	else
		t_fail "$1" "$(head -c 400 "$T_DIR/val")"
	fi
}

# t_json NAME FILE JQ-EXPR WANT: jq expression on FILE must print WANT.
t_json() {
	local got
	got=$(jq -r "$3" "$2" 2>&1) || got="(jq failed: $got)"
	if [ "$got" = "$4" ]; then t_ok "$1"; else t_fail "$1" "$3 = '$got', want '$4'"; fi
}

t_done() {
	echo "$((T_COUNT - T_FAILS)) passed, $T_FAILS failed"
	[ "$T_FAILS" = 0 ]
}
