#!/bin/sh
# tests/live/scenarios.sh: `atldiag check` against mockcloud for every scenario: primary code, verdict, exit code, where credentials went, no write sent.
set -u
: "${top_srcdir:?}" "${top_builddir:=.}"
. "$top_srcdir/tests/live/lib.sh"
live_init
only=${LIVE_ONLY:-}
for sc in "$top_srcdir"/fixtures/scenarios/*.json; do
	name=$(basename "$sc" .json)
	case $name in $only*) ;; *) continue ;; esac
	# A write's answer (e.g. XSRF) is never provoked: atldiag does not send
	# writes (DESIGN §8); tests/live/request.sh covers how one is explained.
	case $(jq -r '.client.request.method // "GET"' "$sc") in
	GET|HEAD) ;;
	*) echo "skip $name: a write, which atldiag never sends"; continue ;;
	esac
	mc_start "$sc" >/dev/null 2>&1 || { echo "FAIL $name: mockcloud did not start"; fails=$((fails + 1)); continue; }
	IFS='
'
	set -- $(live_args)
	hdr=$(live_auth_header)
	[ -n "$hdr" ] && set -- "$@" --auth-header "$hdr"
	unset IFS
	out=$MC_DIR/report.json
	"$ATLDIAG" check "$@" $MC_CONNECT_TO --cacert "$MC_CACERT" --timeout 5 --json >"$out" 2>"$MC_DIR/err"
	rc=$?
	expect=$(jq -r '.expect[0] // ""' "$sc")
	primary=$(jq -r '.primary // ""' "$out")
	verdict=$(jq -r '.verdict // ""' "$out")
	case $expect in
	"") want_rc=0 want_v=pass ;;
	service.*|network.timeout) want_rc=3 want_v=inconclusive ;;
	*) want_rc=1 want_v=fail ;;
	esac
	# A finding that is a warning by design (client.expect_verdict "warn").
	if [ "$(jq -r '.client.expect_verdict // ""' "$sc")" = warn ]; then
		want_rc=0 want_v=warn
	fi
	why=
	unsafe=
	[ "$rc" = "$want_rc" ] || why="$why exit $rc (want $want_rc)"
	[ "$verdict" = "$want_v" ] || why="$why verdict $verdict (want $want_v)"
	if [ -n "$expect" ]; then
		jq -e --arg c "$expect" '.findings | map(.code) | index($c) != null' "$out" >/dev/null ||
			why="$why $expect not found"
		jq -e --arg p "$primary" '.expect | index($p) != null' "$sc" >/dev/null ||
			why="$why primary $primary not in expect"
		note=$(jq -r '.client.expect_note // ""' "$sc")
		if [ -n "$note" ]; then
			jq -e --arg n "$note" '.findings[0].notes | map(test($n)) | any' "$out" >/dev/null ||
				why="$why no note /$note/ on the primary"
		fi
	else
		[ "$primary" = "" ] || [ "$primary" = null ] || why="$why false finding $primary"
	fi
	n=$(mc_count '.auth != "none" and (.host != "api.atlassian.com" and (.host | endswith(".atlassian.net") | not))')
	[ "$n" = 0 ] || unsafe="$unsafe $n credentialed requests to other hosts"
	# The one POST atldiag sends besides the write probe: the OAuth 2.0
	# client-credentials grant, with --client-id.
	n=$(mc_count '.method != "GET" and .method != "HEAD" and
	    (.method == "POST" and .host == "auth.atlassian.com" and
	    .path == "/oauth/token" | not)')
	[ "$n" = 0 ] || unsafe="$unsafe $n writes sent"
	for s in $(mc_secrets); do
		if grep -F -q -- "$s" "$out" "$MC_DIR/err"; then unsafe="$unsafe secret in output"; fi
	done
	if [ -n "$unsafe" ]; then
		echo "FAIL $name (safety):$unsafe"
		fails=$((fails + 1))
	fi
	gap=0
	grep -qx "$name" "$top_srcdir/tests/live/known-gaps.txt" && gap=1
	if [ -n "$why" ] && [ "$gap" = 1 ]; then
		echo "GAP  $name:$why (primary $primary)"
	elif [ -n "$why" ]; then
		echo "FAIL $name:$why (primary $primary)"
		fails=$((fails + 1))
	elif [ "$gap" = 1 ]; then
		echo "FAIL $name passes now: remove it from tests/live/known-gaps.txt"
		fails=$((fails + 1))
	else
		echo "ok   $name: $primary $verdict exit $rc"
	fi
	mc_stop >/dev/null 2>&1
done
mc_cleanup >/dev/null 2>&1
[ "$fails" = 0 ]
