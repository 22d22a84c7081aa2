#!/bin/sh
# tests/explain/leak.sh: no credential of any transcript (nor any 16-byte run of one) reaches any output format of explain, nor stderr.
# The *-secrets-everywhere fixtures carry one in each place a capture can:
# query strings, X-Api-Key and the like, cookies (HAR cookies arrays too),
# Location, Referer, a body echoing one, `curl -u` and headers in prose.
: "${top_srcdir:?}" "${ATLDIAG:?}"
dir="$top_srcdir/fixtures/transcripts"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0

# Every secret, and every 16-byte window of the longer ones.
awk 'length($0) > 0 {
	print
	for (i = 1; i + 15 < length($0); i++) print substr($0, i, 16)
}' "$dir/secrets.txt" >"$tmp/patterns"
[ "$(wc -l <"$tmp/patterns")" -gt 100 ] || { echo "FAIL: too few secrets"; exit 1; }

for f in "$dir"/*.http "$dir"/*.txt "$dir"/*.har; do
	case $f in */secrets.txt) continue ;; esac
	for fmt in text json markdown junit github; do
		"$ATLDIAG" explain -v --format "$fmt" "$f" >"$tmp/out" 2>&1
		"$ATLDIAG" explain -v --format "$fmt" - <"$f" >>"$tmp/out" 2>&1
		if grep -F -f "$tmp/patterns" "$tmp/out" >"$tmp/hit"; then
			echo "FAIL: a secret of $(basename "$f") appears in --format $fmt output:"
			sed 's/^/  /' "$tmp/hit" | head -5
			fail=1
		fi
	done
done

# The evidence still names what was hidden.
"$ATLDIAG" explain -v "$dir/raw-secrets-everywhere.http" >"$tmp/out" 2>&1
for want in 'access_token=\[redacted\]' 'Location: https://acme.atlassian.net/next?token=\[redacted\]'; do
	grep -q "$want" "$tmp/out" || { echo "FAIL: evidence lacks '$want'"; fail=1; }
done
exit $fail
