#!/bin/sh
# tests/serve/browser.sh: `atldiag serve`'s page in a real browser: headless chromium (driven by puppeteer-core from npm) loads it, gets captures dropped on it, must show the primary code and fix steps and no secret, and save a redacted HAR bundle without one; the screenshot stays in tests/serve-browser/serve.png of the build directory.
: "${top_srcdir:?}" "${top_builddir:?}" "${ATLDIAG:?}"
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/serve/lib.sh"
chromium=${CHROMIUM:-/usr/bin/chromium}
[ -x "$chromium" ] || { echo "skip: chromium is not installed ($chromium; apt-get install chromium)"; exit 77; }
command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 ||
    { echo "FAIL: node and npm are needed to drive chromium"; exit 1; }
dir="$top_srcdir/fixtures/transcripts"
# Not tests/serve: EXTRA_DIST takes that whole directory, from the build
# directory too, and node_modules must stay out of the tarball.
work="$top_builddir/tests/serve-browser"
mkdir -p "$work"
# puppeteer-core, once per build directory.
if [ ! -f "$work/node_modules/puppeteer-core/package.json" ]; then
	cp "$top_srcdir/tests/serve/package.json" "$work/package.json.tmp" &&
	    mv "$work/package.json.tmp" "$work/package.json"
	chmod u+w "$work/package.json"
	if ! (cd "$work" && npm install --no-audit --no-fund --loglevel=error >"$T_DIR/npm.log" 2>&1); then
		echo "FAIL: npm install puppeteer-core failed:"
		tail -20 "$T_DIR/npm.log"
		exit 1
	fi
fi
cp "$top_srcdir/tests/serve/browser.js" "$work/browser.js.tmp" && mv "$work/browser.js.tmp" "$work/browser.js"
awk 'length($0) > 0 { print; for (i = 1; i + 15 < length($0); i++) print substr($0, i, 16) }' \
    "$dir/secrets.txt" >"$T_DIR/patterns"
cases=
for b in har-secrets-everywhere.har raw-secrets-everywhere.http raw-captcha-401-seraph-failed.http; do
	p=$("$ATLDIAG" explain --format json "$dir/$b" 2>/dev/null | jq -r .primary)
	cases="$cases $dir/$b=$p"
done
s_start
rc=0
# shellcheck disable=SC2086
CHROMIUM=$chromium node "$work/browser.js" "$S_URL" "$work/serve.png" "$T_DIR/patterns" $cases || rc=$?
s_stop
[ "$S_RC" = 0 ] || { echo "FAIL: serve exited $S_RC"; rc=1; }
exit $rc
