#!/bin/sh
# tests/cli/hostile.sh: a token pasted where a path, format, option or argument
# was expected is never echoed; control characters never reach a header or
# URL; --token leaves argv; --output is written 0600; a bad --cacert is exit 2.
. "$top_srcdir/tests/lib/common.sh"

# A real-shaped ATATT token (CRC tail valid), made at test time.
TOKEN=$("$PYTHON3" -c 'import runpy, sys
m = runpy.run_path(sys.argv[1])
print(m["token"]("hostile-cli"))' "$top_srcdir/tests/golden/make-tokens.py")
case $TOKEN in ATATT*) ;; *) echo "cannot make a token"; exit 99 ;; esac
SLICE=$(printf '%s' "$TOKEN" | cut -c40-80)
JWT='eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJtaWFAZXhhbXBsZS5jb20iLCJleHAiOjE5OTk5OTk5OTl9.c2lnbmF0dXJlLW9mLXRoZS10b2tlbi1mb3ItdGVzdHM'

# noleak NAME SECRET FILE...: SECRET (and its middle) in none of the files.
noleak() {
	local name=$1 secret=$2 f bad=""
	shift 2
	for f in "$@"; do
		[ -f "$f" ] || continue
		if grep -qF -- "$secret" "$f" ||
		    grep -qF -- "$(printf '%s' "$secret" | cut -c30-60)" "$f"; then
			bad="$bad $(basename "$f")"
		fi
	done
	if [ -z "$bad" ]; then t_ok "$name: not echoed"; else
		t_fail "$name" "secret echoed in$bad"; fi
}

# hostile NAME SECRET WANT ARGS...: every format; exit WANT (or any); no echo
# anywhere.
hostile() {
	local name=$1 secret=$2 want=$3 fmt
	shift 3
	for fmt in text json junit github; do
		rm -f "$T_DIR/report"
		if [ "$want" = any ]; then
			"$ATLDIAG" "$@" --format "$fmt" --output "$T_DIR/report" \
			    >"$T_DIR/out" 2>"$T_DIR/err" </dev/null || true
		else
			t_run "$name/$fmt" "$want" "$ATLDIAG" "$@" --format "$fmt" \
			    --output "$T_DIR/report"
		fi
		noleak "$name/$fmt" "$secret" "$T_DIR/out" "$T_DIR/err" \
		    "$T_DIR/report"
	done
}

L="--site acme.atlassian.net --email mia@example.com"
# shellcheck disable=SC2086
{
hostile "token as --token-file" "$TOKEN" 2 check $L --token-file "$TOKEN"
t_grep "--token-file: says why" "looks like a token, not a file path" "$T_DIR/err"
hostile "token as --token-file=" "$TOKEN" 2 check $L --token-file="$TOKEN"
hostile "token as --org-key-file" "$TOKEN" 2 check $L --org-key-file "$TOKEN"
hostile "token as --netrc-file" "$TOKEN" 2 check $L --netrc-file "$TOKEN"
hostile "token as --calls" "$TOKEN" 2 check $L --calls "$TOKEN"
hostile "token after --token-stdin" "$TOKEN" 2 check $L --token-stdin "$TOKEN"
t_grep "--token-stdin: says it takes no value" "takes no value" "$T_DIR/err"
hostile "token as positional" "$TOKEN" 2 check "$TOKEN"
hostile "token as lint positional" "$TOKEN" 2 lint "$TOKEN"
hostile "token in unknown option" "$TOKEN" 2 check "--tokn=$TOKEN"
t_grep "unknown option still named" "unknown option '--tokn'" "$T_DIR/err"
hostile "JWT in unknown option" "$JWT" 2 check "--bearer=$JWT"
hostile "token as --cacert" "$TOKEN" 2 check $L --cacert "$TOKEN"
hostile "token as --expires" "$TOKEN" 2 check $L --expires "$TOKEN"
hostile "token as --timeout" "$TOKEN" 2 check $L --timeout "$TOKEN"
hostile "token as --color" "$TOKEN" 2 lint $L --color "$TOKEN"
hostile "token as the command" "$TOKEN" 2 "$TOKEN"
# A long token-character word that names no file is not a path either.
hostile "opaque key as --token-file" "k3y0nlyl3tt3rsAndDigits0123456789abcdef" 2 \
    check $L --token-file k3y0nlyl3tt3rsAndDigits0123456789abcdef
# A token-shaped --cloud-id or --url is masked like a token-shaped --email.
hostile "token as --cloud-id" "$TOKEN" any lint $L --token-file /dev/null --cloud-id "$TOKEN"
hostile "token in --url" "$TOKEN" any lint $L --token-file /dev/null \
    --url "https://acme.atlassian.net/rest/api/3/myself?t=$TOKEN"
}
for fmt in text json; do
	JIRA_CLOUD_ID=$TOKEN "$ATLDIAG" lint --site acme.atlassian.net \
	    --format "$fmt" >"$T_DIR/out" 2>"$T_DIR/err" </dev/null || true
	noleak "token in JIRA_CLOUD_ID/$fmt" "$TOKEN" "$T_DIR/out" "$T_DIR/err"
done
# --format itself.
for v in "--format=$TOKEN" "--format $TOKEN"; do
	# shellcheck disable=SC2086
	t_run "token as $(echo "$v" | cut -c1-9)" 2 "$ATLDIAG" check $v
	noleak "token as --format" "$TOKEN" "$T_DIR/out" "$T_DIR/err"
done
t_grep "--format: says why" "looks like a token" "$T_DIR/err"
# The JSON error document of a --json run.
t_run "token as --token-file, --json" 2 "$ATLDIAG" check --site acme \
    --email me@example.com --token-file "$TOKEN" --json
noleak "JSON error" "$TOKEN" "$T_DIR/out"
t_json "JSON error is an error" "$T_DIR/out" .exit_code 2

# batch: a token in the token_file or token_env cell.
printf 'site,email,token_file\nacme,mia@example.com,%s\n' "$TOKEN" > "$T_DIR/b1.csv"
printf 'site,email,token_env\nacme,mia@example.com,%s\n' "$TOKEN" > "$T_DIR/b2.csv"
for b in b1 b2; do
	"$ATLDIAG" batch "$T_DIR/$b.csv" --connect-to ::127.0.0.1:9 --timeout 2 \
	    >"$T_DIR/out" 2>"$T_DIR/err" </dev/null || true
	noleak "batch $b cell" "$TOKEN" "$T_DIR/out" "$T_DIR/err"
	t_grep "batch $b: says why" "looks like a token" "$T_DIR/out"
done

# Control characters in anything that becomes a header or a URL: exit 2,
# naming the flag, before anything is sent.
CRLF=$(printf '\r\nX-Injected: 1')
t_run "CRLF in --auth-header" 2 "$ATLDIAG" request GET \
    https://acme.atlassian.net/rest/api/3/myself \
    --auth-header "Basic bWlhQGV4YW1wbGUuY29tOnNlY3JldA==${CRLF}" \
    --connect-to ::127.0.0.1:9
t_grep "CRLF in --auth-header named" "option '--auth-header' holds a control character" "$T_DIR/err"
for flag in site url cloud-id email connect-to allow-host project issue space; do
	t_run "CRLF in --$flag" 2 "$ATLDIAG" check --"$flag" "acme${CRLF}" \
	    --connect-to ::127.0.0.1:9 --timeout 2
	t_grep "CRLF in --$flag named" "option '--$flag' holds a control character" "$T_DIR/err"
done
NL=$(printf '\nx')
NL=${NL%x}
t_run "LF in the request URL" 2 "$ATLDIAG" request GET \
    "https://acme.atlassian.net/rest/api/3/myself${NL}DELETE /x" \
    --connect-to ::127.0.0.1:9
t_grep "LF in the request URL named" "argument 2 holds a control character" "$T_DIR/err"
t_run "DEL in the request method" 2 "$ATLDIAG" request "$(printf 'GET\177')" \
    https://acme.atlassian.net/rest/api/3/myself --connect-to ::127.0.0.1:9
# A token file with a final newline is still a diagnosis, not a usage error.
printf '%s\n' "$TOKEN" > "$T_DIR/token-nl"
t_run "token file with a newline: diagnosed" 1 "$ATLDIAG" lint \
    --site acme.atlassian.net --email mia@example.com --token-file "$T_DIR/token-nl" --json
t_json "token file with a newline: token.whitespace" "$T_DIR/out" \
    '[.findings[].code] | index("token.whitespace") != null' true

# A missing --cacert is a usage error up front, not an inconclusive TLS run.
t_run "missing --cacert" 2 "$ATLDIAG" check --site acme.atlassian.net \
    --cacert "$T_DIR/no-such-ca.pem" --connect-to ::127.0.0.1:9 --timeout 2
t_grep "missing --cacert named" "given to --cacert" "$T_DIR/err"
t_run "--cacert directory" 2 "$ATLDIAG" lint --cacert "$T_DIR"
# Likewise a missing --client-secret-file: exit 2 naming the flag, nothing sent.
t_run "missing --client-secret-file" 2 "$ATLDIAG" check --site acme.atlassian.net \
    --client-id my-client --client-secret-file "$T_DIR/no-such-secret" \
    --connect-to ::127.0.0.1:9 --timeout 2
t_grep "missing --client-secret-file named" "given to --client-secret-file" "$T_DIR/err"

# --output over a world-readable file: the report is written 0600.
: > "$T_DIR/report.json"
chmod 644 "$T_DIR/report.json"
t_run "--output over a 0644 file" 0 "$ATLDIAG" rules --json --output "$T_DIR/report.json"
mode=$(stat -c %a "$T_DIR/report.json")
if [ "$mode" = 600 ]; then t_ok "--output file is 0600"; else
	t_fail "--output file mode" "mode $mode, want 600"; fi
t_json "--output file holds the report" "$T_DIR/report.json" '.checks | length > 0' true
if ls -a "$T_DIR" | grep -q '^\.atldiag-'; then t_fail "--output" "temporary file left behind"; else
	t_ok "--output leaves no temporary file"; fi
t_run "--output to /dev/null" 0 "$ATLDIAG" rules --json --output /dev/null

# --token is wiped from /proc/PID/cmdline while the run goes on: a listener
# that accepts and never answers holds the run in its live checks.
if [ -r /proc/self/cmdline ]; then
	"$PYTHON3" -c 'import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(8)
open(sys.argv[1] + ".port", "w").write(str(s.getsockname()[1]))
conns = []
while True:
    c, _ = s.accept(); conns.append(c)
    open(sys.argv[1], "w").write("accepted")' "$T_DIR/accepted" &
	srv=$!
	i=0
	while [ ! -s "$T_DIR/accepted.port" ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
	port=$(cat "$T_DIR/accepted.port")
	for form in "--token" "--token="; do
		rm -f "$T_DIR/accepted"
		if [ "$form" = "--token" ]; then set -- --token "$TOKEN"; else set -- "--token=$TOKEN"; fi
		"$ATLDIAG" check --site acme.atlassian.net --email mia@example.com "$@" \
		    --connect-to "::127.0.0.1:$port" --timeout 5 >/dev/null 2>&1 </dev/null &
		pid=$!
		i=0
		while [ ! -s "$T_DIR/accepted" ] && kill -0 "$pid" 2>/dev/null && [ $i -lt 600 ]; do
			sleep 0.1; i=$((i + 1))
		done
		if [ -s "$T_DIR/accepted" ] && tr '\0' '\n' < "/proc/$pid/cmdline" > "$T_DIR/cmdline" 2>/dev/null; then
			t_grep "$form: the run is live" "acme.atlassian.net" "$T_DIR/cmdline"
			noleak "$form in /proc/PID/cmdline" "$TOKEN" "$T_DIR/cmdline"
		else
			t_fail "$form in /proc/PID/cmdline" "the run never reached the listener"
		fi
		wait "$pid" || true
	done
	kill "$srv" 2>/dev/null
	wait "$srv" 2>/dev/null || true
else
	echo "skip: no /proc"
fi
t_done
