# tests/pipeline/lib.sh: helpers for the pipeline tests (sourced): results, JSON queries.
set -u
: "${top_srcdir:?run through make check}"
: "${top_builddir:?run through make check}"
: "${ATLDIAG:=$top_builddir/atldiag}"
PYTHON3=${PYTHON3:-python3}
export NO_COLOR=1

P_FAILS=0

p_ok() { printf 'ok   %s\n' "$1"; }
p_fail() { P_FAILS=$((P_FAILS + 1)); printf 'FAIL %s: %s\n' "$1" "$2"; }

# p_check NAME CONDITION-COMMAND...: records a pass when the command succeeds.
p_check() {
	name=$1
	shift
	if "$@"; then p_ok "$name"; else p_fail "$name" "$*"; fi
}

# p_json FILE PYEXPR: evaluates a Python expression over the JSON document
# d read from FILE (or over the list of lines' documents "docs" for a
# JSONL file when PYEXPR uses docs); succeeds when it is true.
p_json() {
	"$PYTHON3" - "$1" "$2" <<'PY'
import json, sys
text = open(sys.argv[1]).read()
try:
    d = json.loads(text)
except ValueError:
    d = None
docs = [json.loads(l) for l in text.splitlines() if l.strip()] if d is None else [d]
ok = eval(sys.argv[2])
sys.exit(0 if ok else 1)
PY
}

p_done() {
	if [ "$P_FAILS" -gt 0 ]; then
		echo "$P_FAILS failure(s)"
		exit 1
	fi
	exit 0
}
