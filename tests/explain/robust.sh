#!/bin/sh
# tests/explain/robust.sh: unreadable input gives "cannot read this: ..." and exit 2; odd but readable input still gets a diagnosis.
: "${top_srcdir:?}" "${ATLDIAG:?}"
dir="$top_srcdir/fixtures/transcripts"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0

expect2() {	# name file [format]
	"$ATLDIAG" explain ${3:+--input-format "$3"} "$2" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ $rc -ne 2 ] || ! grep -q "cannot read this: " "$tmp/err"; then
		echo "FAIL $1: want exit 2 and 'cannot read this', got exit $rc: $(cat "$tmp/err")"
		fail=1
	fi
}

: >"$tmp/empty"
expect2 "empty file" "$tmp/empty"
expect2 "missing file" "$tmp/does-not-exist"
printf '\000\001\002\377\376binary\000junk\033[0m\r\n\377' >"$tmp/junk"
expect2 "binary junk" "$tmp/junk"
printf '{"log": {"entries": [{"request": ' >"$tmp/cut.har"
expect2 "HAR cut inside the first entry" "$tmp/cut.har"
printf '{"log": {"version": "1.2"}}' >"$tmp/noentries.har"
expect2 "HAR without entries" "$tmp/noentries.har"
printf '{"log": {"entries": [{"request": {,}}]}}' >"$tmp/bad.har"
expect2 "HAR entry that is not JSON" "$tmp/bad.har"
printf 'GET / HTTP/1.1\r\nthis is not a header\r\n' >"$tmp/bad.http"
expect2 "raw request with a broken header" "$tmp/bad.http"
printf 'hello world\n' >"$tmp/plain.txt"
expect2 "text with no evidence" "$tmp/plain.txt"
expect2 "a HAR read as curl output" "$dir/har-scope-base64-body.har" curl
"$ATLDIAG" explain --input-format nonsense "$dir/raw-xsrf.http" >/dev/null 2>&1
[ $? -eq 2 ] || { echo "FAIL: unknown --input-format is not a usage error"; fail=1; }

# The line of a broken header is named.
grep -q "(line 2)" "$tmp/err" 2>/dev/null
"$ATLDIAG" explain "$tmp/bad.http" 2>"$tmp/err" >/dev/null
grep -q "(line 2)" "$tmp/err" || { echo "FAIL: the broken header's line is not named: $(cat "$tmp/err")"; fail=1; }

# A truncated HAR still explains the entries read, with a warning.
"$ATLDIAG" explain "$dir/har-truncated.har" >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ $rc -ne 1 ] || ! grep -q "truncated" "$tmp/err"; then
	echo "FAIL truncated HAR: want exit 1 and a warning, got $rc: $(cat "$tmp/err")"
	fail=1
fi

# LF instead of CRLF, headers in any case, stdin: the same diagnosis.
sed 's/\r$//' "$dir/raw-xsrf.http" | "$ATLDIAG" explain --json - >"$tmp/out" 2>"$tmp/err"
grep -q '"primary": *"request.xsrf_rejected"' "$tmp/out" || { echo "FAIL: LF-only raw exchange on stdin not diagnosed"; fail=1; }
sed 's/^X-Seraph-LoginReason/x-SERAPH-loginreason/' "$dir/raw-response-only-captcha.http" >"$tmp/case.http"
"$ATLDIAG" explain --json "$tmp/case.http" >"$tmp/out" 2>&1
grep -q '"primary": *"auth.captcha_required"' "$tmp/out" || { echo "FAIL: header names in odd case not matched"; fail=1; }

# A large number of random byte strings never crash (exit 0..3 only).
i=0
while [ $i -lt 40 ]; do
	head -c $((i * 37 + 1)) /dev/urandom >"$tmp/r"
	for fmt in auto har curl raw text; do
		"$ATLDIAG" explain --input-format $fmt "$tmp/r" >/dev/null 2>&1
		rc=$?
		if [ $rc -gt 3 ]; then
			echo "FAIL: random input ($fmt) gave exit $rc"; cp "$tmp/r" /tmp/explain-crash.bin; fail=1
		fi
	done
	i=$((i + 1))
done

# Binary input is refused from its first bytes: /dev/zero fails at once,
# with memory bounded (under a 400 MB address-space limit; reading it up
# to the 1 GiB input limit would abort). Skipped when the binary cannot
# run at all under the limit (sanitizer builds reserve terabytes).
limited() {	# run "$@" under a 400 MB address-space limit
	(ulimit -v 400000 2>/dev/null; "$@")
}
if limited "$ATLDIAG" --version >/dev/null 2>&1; then
	limited "$ATLDIAG" explain /dev/zero >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ $rc -ne 2 ] || ! grep -q "'/dev/zero' is not a text capture (binary data at byte 0)" "$tmp/err"; then
		echo "FAIL /dev/zero: want exit 2 and 'not a text capture', got $rc: $(head -c 300 "$tmp/err")"
		fail=1
	fi
	head -c 3000000 /dev/zero | limited "$ATLDIAG" explain - >/dev/null 2>"$tmp/err"
	rc=$?
	[ $rc -eq 2 ] && grep -q "'-' is not a text capture" "$tmp/err" || { echo "FAIL: NULs on stdin: exit $rc: $(head -c 300 "$tmp/err")"; fail=1; }
else
	echo "note: memory-bounded cases skipped (cannot run under ulimit -v)"
fi
printf 'GET / HTTP/1.1\r\nHost: a.atlassian.net\r\nX-\000: y\r\n\r\n' >"$tmp/nul.http"
"$ATLDIAG" explain "$tmp/nul.http" >/dev/null 2>"$tmp/err"
rc=$?
[ $rc -eq 2 ] && grep -q "binary data at byte 41" "$tmp/err" || { echo "FAIL: a NUL in the head is not named: exit $rc: $(cat "$tmp/err")"; fail=1; }

# A HAR whose Authorization value is 20 MB: reported as far too long to be
# a credential, never decoded nor registered (memory stays bounded), and
# no run of it is printed.
{
	printf '{"log":{"version":"1.2","entries":[{"request":{"method":"GET","url":"https://acme.atlassian.net/rest/api/3/myself","headers":[{"name":"Authorization","value":"Basic '
	head -c 20000000 /dev/zero | tr '\000' 'Q'
	printf '"}]},"response":{"status":401,"httpVersion":"HTTP/1.1","headers":[],"content":{"text":"Client must be authenticated to access this resource."}}}]}}'
} >"$tmp/big.har"
for fmt in text json; do
	if limited "$ATLDIAG" --version >/dev/null 2>&1; then
		limited "$ATLDIAG" explain -v --format $fmt "$tmp/big.har" >"$tmp/out" 2>&1
	else
		"$ATLDIAG" explain -v --format $fmt "$tmp/big.har" >"$tmp/out" 2>&1
	fi
	rc=$?
	if [ $rc -ne 1 ] || ! grep -q "20000006 bytes, far" "$tmp/out"; then
		echo "FAIL 20 MB Authorization ($fmt): want exit 1 and 'far too long', got $rc: $(head -c 300 "$tmp/out")"
		fail=1
	fi
	if grep -q "QQQQQQQQQQQQQQQQ" "$tmp/out"; then
		echo "FAIL 20 MB Authorization ($fmt): part of the value is printed"
		fail=1
	fi
done

# Deep nesting: 100 levels is a valid HAR; 600 is refused by name.
nest() {	# depth
	printf '{"log":{"entries":[{"request":{"method":"GET","url":"https://acme.atlassian.net/rest/api/3/myself","headers":[]},"response":{"status":401,"headers":[],"_x":'
	i=0; while [ $i -lt "$1" ]; do printf '['; i=$((i + 1)); done
	i=0; while [ $i -lt "$1" ]; do printf ']'; i=$((i + 1)); done
	printf '}}]}}'
}
nest 100 >"$tmp/deep100.har"
"$ATLDIAG" explain "$tmp/deep100.har" >/dev/null 2>"$tmp/err"
rc=$?
[ $rc -eq 1 ] || { echo "FAIL: a HAR nested 100 deep: exit $rc: $(cat "$tmp/err")"; fail=1; }
nest 600 >"$tmp/deep600.har"
"$ATLDIAG" explain "$tmp/deep600.har" >/dev/null 2>"$tmp/err"
rc=$?
[ $rc -eq 2 ] && grep -q "nested too deeply (more than 512 levels" "$tmp/err" || { echo "FAIL: a HAR nested 600 deep: exit $rc: $(cat "$tmp/err")"; fail=1; }
exit $fail
