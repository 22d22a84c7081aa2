#!/bin/sh
# tests/explain/run.sh: explain every transcript of fixtures/transcripts and assert its primary diagnosis, exit code and supporting codes.
# expected.tsv: file<TAB>primary<TAB>exit[<TAB>other codes that must appear, comma-separated;
# a code folded into a finer finding's "explains" counts]
: "${top_srcdir:?}" "${ATLDIAG:?}"
PY=${PYTHON3:-python3}
command -v "$PY" >/dev/null 2>&1 || { echo "skip: no python3"; exit 77; }
dir="$top_srcdir/fixtures/transcripts"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0
n=0
while IFS='	' read -r file primary want_rc also; do
	case $file in ''|'#'*) continue ;; esac
	n=$((n + 1))
	"$ATLDIAG" explain --json "$dir/$file" >"$tmp/out.json" 2>"$tmp/err"
	rc=$?
	got=$("$PY" - "$tmp/out.json" "$also" <<'PYEOF'
import json, sys
try:
    d = json.load(open(sys.argv[1]))
except Exception as e:
    print("invalid-json"); sys.exit(0)
# A code folded into a finer cause (a finding's "explains") is found too.
codes = [f["code"] for f in d.get("findings", [])]
codes += [x["code"] for f in d.get("findings", []) for x in f.get("explains", [])]
missing = [c for c in sys.argv[2].split(",") if c and c not in codes]
print(d.get("primary"), "missing=" + ",".join(missing) if missing else "")
PYEOF
)
	if [ "$rc" != "$want_rc" ] || [ "$got" != "$primary " ]; then
		echo "FAIL $file: want primary '$primary' exit $want_rc${also:+ with $also}, got '$got' exit $rc"
		sed 's/^/  stderr: /' "$tmp/err"
		fail=1
	fi
done <"$top_srcdir/tests/explain/expected.tsv"
[ "$n" -gt 0 ] || { echo "FAIL: no cases read"; exit 1; }
echo "$n transcripts checked"
exit $fail
