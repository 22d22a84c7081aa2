# tests/lib/mockcloud.sh: start, query and stop the mockcloud emulator from a test.
# Source it from sh or bash.  Needs: top_srcdir (and top_builddir or MOCKCLOUD).
#
#   mc_start SCENARIO [extra mockcloud args...]
#       SCENARIO is a path, or a name under $top_srcdir/fixtures/scenarios
#       ("healthy-human" or "healthy-human.json").  Makes a temp dir under
#       ${TMPDIR:-/tmp}, makes the test CA and server certificate there
#       (fixtures/mockcloud/gen-certs.sh; set MC_CERT_DIR to share one),
#       starts $MOCKCLOUD in the background, waits (60 s at most) for its
#       first line, and exports:
#         MC_PID MC_HTTPS_PORT MC_HTTP_PORT MC_LOG MC_CACERT MC_DIR MC_SCENARIO
#         MC_CONNECT_TO  "--connect-to :443:127.0.0.1:P1 --connect-to :80:127.0.0.1:P2"
#                        (curl and atldiag syntax: any host's :443 and :80)
#       Installs an EXIT trap (and INT/TERM) that stops exactly $MC_PID and
#       removes MC_DIR (kept when MC_KEEP=1), also when the test fails.  If
#       your test needs its own EXIT trap, call mc_cleanup from it.
#       Calling mc_start again stops the previous emulator first.
#       Returns non-zero (after printing mockcloud's stderr) on failure.
#   mc_stop           stop the emulator (SIGTERM, then SIGKILL after 30 s); keeps the log
#   mc_cleanup        mc_stop, then remove MC_DIR
#   mc_curl ARGS...   curl -sS with $MC_CONNECT_TO and --cacert $MC_CACERT
#   mc_requests       print the request log (one JSON object per line)
#   mc_count [JQ]     number of logged requests for which the jq expression is
#                     true, e.g. mc_count '.host == "api.atlassian.com"'; all without JQ
#   mc_hosts          distinct hosts requested, one per line, sorted
#   mc_secrets        every secret of the scenario (tokens' secrets, OAuth
#                     client secrets, passwords),
#                     one per line, to prove none leaks into output
#   MC_WRAPPER        if set, prefixes the mockcloud command, e.g.
#                     MC_WRAPPER="valgrind --leak-check=full --log-file=/tmp/vg.%p"
#   mc_client FIELD   a field of the scenario's "client" block (jq -r), e.g.
#                     mc_client token; mc_client email

MC_PID=
MC_DIR=
mc__trap_set=

mc__scenario_path() {
	case $1 in
	*/*) printf '%s\n' "$1" ;;
	*.json) printf '%s\n' "$top_srcdir/fixtures/scenarios/$1" ;;
	*) printf '%s\n' "$top_srcdir/fixtures/scenarios/$1.json" ;;
	esac
}

mc_start() {
	if [ -n "$MC_PID" ]; then
		mc_stop
	fi
	MC_SCENARIO=$(mc__scenario_path "$1")
	shift
	: "${top_srcdir:?mc_start: top_srcdir is not set}"
	if [ -z "${MOCKCLOUD:-}" ]; then
		MOCKCLOUD=${top_builddir:-$top_srcdir}/fixtures/mockcloud/mockcloud
	fi
	if [ -z "$MC_DIR" ]; then
		MC_DIR=$(mktemp -d "${TMPDIR:-/tmp}/mockcloud.XXXXXX") || return 1
	fi
	certs=${MC_CERT_DIR:-$MC_DIR/certs}
	"$top_srcdir/fixtures/mockcloud/gen-certs.sh" "$certs" || return 1
	MC_CACERT=$certs/ca.pem
	MC_LOG=$MC_DIR/requests.log
	: >"$MC_LOG"
	: >"$MC_DIR/stdout"
	if [ -z "$mc__trap_set" ]; then
		trap 'mc_cleanup' EXIT
		trap 'mc_cleanup; exit 1' INT TERM
		mc__trap_set=1
	fi
	# shellcheck disable=SC2086
	${MC_WRAPPER:-} "$MOCKCLOUD" --scenario "$MC_SCENARIO" \
	    --scopes "$top_srcdir/rules/scopes.json" \
	    --cert "$certs/server.pem" --key "$certs/server.key" \
	    --log "$MC_LOG" "$@" >"$MC_DIR/stdout" 2>"$MC_DIR/stderr" &
	MC_PID=$!
	i=0
	while [ $i -lt "${MC_START_TENTHS:-600}" ]; do
		if read -r line <"$MC_DIR/stdout" 2>/dev/null && [ -n "$line" ]; then
			break
		fi
		if ! kill -0 "$MC_PID" 2>/dev/null; then
			echo "mc_start: mockcloud exited:" >&2
			cat "$MC_DIR/stderr" >&2
			wait "$MC_PID" 2>/dev/null
			MC_PID=
			return 1
		fi
		sleep 0.1
		i=$((i + 1))
	done
	line=$(head -n 1 "$MC_DIR/stdout")
	case $line in
	https_port=*" http_port="*) ;;
	*)
		echo "mc_start: no port line from mockcloud within $((${MC_START_TENTHS:-600} / 10)) s" >&2
		cat "$MC_DIR/stderr" >&2
		mc_stop
		return 1
		;;
	esac
	MC_HTTPS_PORT=${line#https_port=}
	MC_HTTPS_PORT=${MC_HTTPS_PORT%% *}
	MC_HTTP_PORT=${line##*http_port=}
	MC_CONNECT_TO="--connect-to :443:127.0.0.1:$MC_HTTPS_PORT --connect-to :80:127.0.0.1:$MC_HTTP_PORT"
	export MC_PID MC_HTTPS_PORT MC_HTTP_PORT MC_LOG MC_CACERT MC_DIR MC_CONNECT_TO MC_SCENARIO
	return 0
}

mc_stop() {
	[ -n "$MC_PID" ] || return 0
	kill -TERM "$MC_PID" 2>/dev/null
	i=0
	while kill -0 "$MC_PID" 2>/dev/null && [ $i -lt 300 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	if kill -0 "$MC_PID" 2>/dev/null; then
		echo "mc_stop: mockcloud $MC_PID ignored SIGTERM; killing it" >&2
		kill -KILL "$MC_PID" 2>/dev/null
	fi
	wait "$MC_PID" 2>/dev/null
	MC_PID=
	return 0
}

mc_cleanup() {
	mc_stop
	if [ -n "$MC_DIR" ] && [ "${MC_KEEP:-0}" != 1 ]; then
		rm -rf "$MC_DIR"
	fi
	MC_DIR=
}

mc_curl() {
	# shellcheck disable=SC2086
	curl -sS $MC_CONNECT_TO --cacert "$MC_CACERT" "$@"
}

mc_requests() {
	cat "$MC_LOG"
}

mc_count() {
	if [ $# -eq 0 ]; then
		wc -l <"$MC_LOG" | tr -d ' '
	else
		jq -c "select($1)" "$MC_LOG" | wc -l | tr -d ' '
	fi
}

mc_hosts() {
	jq -r .host "$MC_LOG" | sort -u
}

mc_secrets() {
	jq -r '(.tokens // [])[] | (.secret, (.client_secret // empty)),
	  ((.accounts // [])[] | .password // empty),
	  (.client.client_secret // empty)' "$MC_SCENARIO"
}

mc_client() {
	jq -r ".client.$1 // empty" "$MC_SCENARIO"
}
