#!/bin/sh
# tests/explain/leak.sh: no credential of any transcript reaches any output format of explain, nor stderr.
: "${top_srcdir:?}" "${ATLDIAG:?}"
dir="$top_srcdir/fixtures/transcripts"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0
for f in "$dir"/*.http "$dir"/*.txt "$dir"/*.har; do
	case $f in */secrets.txt) continue ;; esac
	for fmt in text json markdown junit github; do
		"$ATLDIAG" explain -v --format "$fmt" "$f" >"$tmp/out" 2>&1
		"$ATLDIAG" explain -v --format "$fmt" - <"$f" >>"$tmp/out" 2>&1
		while IFS= read -r s; do
			[ -n "$s" ] || continue
			if grep -qF -- "$s" "$tmp/out"; then
				echo "FAIL: a secret of $(basename "$f") appears in --format $fmt output"
				fail=1
			fi
		done <"$dir/secrets.txt"
	done
done
exit $fail
