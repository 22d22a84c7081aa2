#!/bin/sh
# tests/cli/leak.sh: no command, in any format, lets the token, email:token or
# any Base64 form of them reach stdout, stderr or a file it writes.
. "$top_srcdir/tests/lib/common.sh"

TOKEN='ATATT3xFfGF0K3irG5tKKi-6u-wwaXQFeGwZ-IHR-hQ3CulkKtMSuteRQFfLZ6jihHThzZCg_UjnDt-4Wl_gIRf4zrZJs5JqaeuBhsfJ4W5GD6yGg3W7903gbvaxZPBjxIQQ7BgFDSkPS8oPispw4KLz56mdK-G6CIvLO6hHRrZHY0Q3tvJ6JxE=C63992E6'
EMAIL='mia@example.com'
b64() { printf '%s' "$1" | base64 -w0; }
B64_PAIR=$(b64 "$EMAIL:$TOKEN")
B64_PAIR_NL=$(printf '%s:%s\n' "$EMAIL" "$TOKEN" | base64 -w0)
B64_TOKEN=$(b64 "$TOKEN")
# Forms that must never appear (a middle slice catches partial copies).
FORBIDDEN="$TOKEN
$EMAIL:$TOKEN
$B64_PAIR
$B64_PAIR_NL
$B64_TOKEN
K3irG5tKKi-6u-wwaXQFeGwZ-IHR
$(printf '%s' "$TOKEN" | cut -c60-100)
$(printf '%s' "$B64_PAIR" | cut -c30-70)
$(printf '%s' "$B64_PAIR_NL" | cut -c30-70)"

printf '%s\n' "$TOKEN" > "$T_DIR/token"
printf '%s' "$B64_PAIR" > "$T_DIR/pair.b64"

# A curl -v transcript carrying the credential, for explain.
cat > "$T_DIR/curl-v.txt" <<EOT
*   Trying 104.192.142.20:443...
> GET /rest/api/3/myself HTTP/2
> Host: acme.atlassian.net
> authorization: Basic $B64_PAIR_NL
> user-agent: curl/7.88.1
> accept: */*
>
< HTTP/2 401
< content-type: text/plain;charset=UTF-8
< x-seraph-loginreason: AUTHENTICATED_FAILED
< www-authenticate: OAuth realm="https%3A%2F%2Facme.atlassian.net"
< atl-traceid: 5b3c0a1e9d2f4c6b
<
Basic authentication with passwords is deprecated.  For more information, see: https://developer.atlassian.com/cloud/confluence/deprecation-notice-basic-auth/
EOT

scan() {
	# scan NAME FILE...: none of the forbidden forms in any file.
	local name=$1 f form bad=""
	shift
	for f in "$@"; do
		[ -f "$f" ] || continue
		while IFS= read -r form; do
			[ -n "$form" ] || continue
			if grep -qF -- "$form" "$f"; then
				bad="$bad $(basename "$f"):'$(printf '%s' "$form" | cut -c1-12)...'"
			fi
		done <<EOT
$FORBIDDEN
EOT
	done
	if [ -z "$bad" ]; then t_ok "$name: no secret"; else t_fail "$name" "secret leaked in$bad"; fi
}

# Live commands are pointed at a closed loopback port: they exercise every
# output path (network errors included) without leaving the machine.
NET="--connect-to ::127.0.0.1:9 --timeout 2"
n=0
for fmt in text json markdown junit github; do
	for way in file env flag stdin header; do
		n=$((n + 1))
		set -- --site acme.atlassian.net --format "$fmt" -v --output "$T_DIR/report.$n"
		case $way in
		file) set -- "$@" --email "$EMAIL" --token-file "$T_DIR/token" ;;
		env) set -- "$@" --email "$EMAIL" ;;
		flag) set -- "$@" --email "$EMAIL" --token "$TOKEN" ;;
		stdin) set -- "$@" --email "$EMAIL" --token-stdin ;;
		header) set -- "$@" --auth-header "Basic $B64_PAIR_NL" ;;
		esac
		for cmd in lint check can-i request; do
			case $cmd in
			lint) extra="--url https://acme.atlassian.net/rest/api/3/myself" ;;
			check) extra="$NET --project DEMO" ;;
			can-i) extra="$NET BROWSE_PROJECTS --project DEMO" ;;
			request) extra="$NET GET https://acme.atlassian.net/rest/api/3/myself" ;;
			esac
			rm -f "$T_DIR/report.$n"
			if [ "$way" = env ]; then
				# shellcheck disable=SC2086
				JIRA_API_TOKEN=$TOKEN "$ATLDIAG" "$cmd" "$@" $extra \
				    >"$T_DIR/stdout" 2>"$T_DIR/stderr" </dev/null || true
			elif [ "$way" = stdin ]; then
				# shellcheck disable=SC2086
				printf '%s' "$TOKEN" | "$ATLDIAG" "$cmd" "$@" $extra \
				    >"$T_DIR/stdout" 2>"$T_DIR/stderr" || true
			else
				# shellcheck disable=SC2086
				"$ATLDIAG" "$cmd" "$@" $extra \
				    >"$T_DIR/stdout" 2>"$T_DIR/stderr" </dev/null || true
			fi
			scan "$cmd/$fmt/$way" "$T_DIR/stdout" "$T_DIR/stderr" "$T_DIR/report.$n"
		done
	done
	# explain reads the transcript that carries the credential.
	"$ATLDIAG" explain --format "$fmt" -v "$T_DIR/curl-v.txt" \
	    >"$T_DIR/stdout" 2>"$T_DIR/stderr" </dev/null || true
	scan "explain/$fmt" "$T_DIR/stdout" "$T_DIR/stderr"
	# A usage error while the token is on the command line.
	"$ATLDIAG" lint --format "$fmt" --token "$TOKEN" --bogus-flag \
	    >"$T_DIR/stdout" 2>"$T_DIR/stderr" </dev/null || true
	scan "usage-error/$fmt" "$T_DIR/stdout" "$T_DIR/stderr"
done
# The secret detector itself must not be blind: the token file does hold it.
if grep -qF -- "$TOKEN" "$T_DIR/token"; then t_ok "scanner sees a planted secret"; else
	t_fail "scanner" "cannot see the planted token"; fi
t_done
