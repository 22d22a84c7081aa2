#!/bin/sh
# tests/live/valgrind.sh: live and offline commands under valgrind (no invalid access, no use of uninitialised memory, no definite leak).
#
# Runs the same fixed set of commands every time, however busy the machine
# (part of `make check`; `make check-valgrind` runs it alone; about 20 s on
# an idle 2-core machine).
# Each run has a generous hang guard (VALGRIND_RUN_TIMEOUT, 3600 s), never a
# time budget, and atldiag's longest request timeout (600 s). Skipped (77)
# without valgrind, timeout, jq or mockcloud. PCRE2's JIT code reads the
# subject in aligned 16-byte blocks past its end and valgrind cannot
# see through it (PCRE2Project/pcre2 issues 654 and 995): those reports
# are suppressed, and only when the innermost frame is in code that
# belongs to no object file (JIT output); everything in atldiag and its
# libraries is still checked.
set -u
: "${top_srcdir:?}" "${top_builddir:=.}"
. "$top_srcdir/tests/live/lib.sh"
command -v valgrind >/dev/null 2>&1 || exit 77
command -v timeout >/dev/null 2>&1 || exit 77
command -v jq >/dev/null 2>&1 || exit 77
[ -x "${MOCKCLOUD:-$top_builddir/fixtures/mockcloud/mockcloud}" ] || exit 77
GUARD=${VALGRIND_RUN_TIMEOUT:-3600}
D=$(mktemp -d "${TMPDIR:-/tmp}/live-valgrind.XXXXXX") || exit 1
trap 'mc_cleanup; rm -rf "$D"' EXIT
cat >"$D/jit.supp" <<'EOF'
{
   pcre2-jit-simd-overread
   Memcheck:Addr16
   obj:???
}
{
   pcre2-jit-undefined-tail
   Memcheck:Cond
   obj:???
}
EOF
fails=0
n=0

# vg NAME WANT-EXIT ARGS...: atldiag ARGS under valgrind; fails on a
# valgrind error (exit 9 and its log) or an unexpected exit code.
vg() {
	name=$1 want=$2
	shift 2
	n=$((n + 1))
	rc=0
	timeout "$GUARD" valgrind -q --suppressions="$D/jit.supp" --leak-check=full \
	    --errors-for-leak-kinds=definite --error-exitcode=9 \
	    --num-callers=30 --log-file="$D/$n.vg" \
	    "$ATLDIAG" "$@" >"$D/$n.out" 2>"$D/$n.err" </dev/null || rc=$?
	if [ "$rc" = 124 ]; then
		echo "FAIL $name: hung (still running after $GUARD s)"
		fails=$((fails + 1))
	elif [ "$rc" = 9 ] || [ -s "$D/$n.vg" ]; then
		echo "FAIL $name: valgrind:"
		sed 's/^/    /' "$D/$n.vg" | head -n 60
		fails=$((fails + 1))
	elif [ "$rc" != "$want" ]; then
		echo "FAIL $name: exit $rc (want $want)"
		sed 's/^/    /' "$D/$n.err" | head -n 20
		fails=$((fails + 1))
	else
		echo "ok   $name (exit $rc)"
	fi
}

# live SCENARIO: inputs of the scenario's client, one per line in $D/args.
live() {
	mc_start "$1" >/dev/null || { echo "FAIL $1: mockcloud did not start"; exit 1; }
	live_args >"$D/args"
	# Valgrind makes atldiag many times slower, and a busy machine more
	# so: requests may take up to atldiag's longest timeout, never 15 s.
	printf '%s\n' --timeout 600 >>"$D/args"
}

live healthy-human
IFS='
'
set -- $(cat "$D/args")
unset IFS
vg "check healthy-human, --need-scope, -v --json" 0 check "$@" \
    --need-scope read:jira-work,read:jira-user $MC_CONNECT_TO \
    --cacert "$MC_CACERT" -v --json
# can-i and request take fewer options than check: only theirs.
live_args_for can-i >"$D/args"
IFS='
'
set -- $(cat "$D/args")
unset IFS
vg "can-i BROWSE_PROJECTS,ADMINISTER_PROJECTS --project ENG" 1 can-i \
    "$@" $MC_CONNECT_TO --cacert "$MC_CACERT" \
    BROWSE_PROJECTS,ADMINISTER_PROJECTS --project ENG
live_args_for request >"$D/args"
IFS='
'
set -- $(cat "$D/args")
unset IFS
vg "request GET project, markdown to --output" 0 request "$@" \
    $MC_CONNECT_TO --cacert "$MC_CACERT" --format markdown \
    --output "$D/request.md" GET https://acme.atlassian.net/rest/api/3/project/ENG
email=$(mc_client email)
cid=$(mc_client cloud_id)
{
	echo "name,site,email,token_file,cloud_id"
	for i in 1 2 3 4 5 6 7 8; do
		echo "p$i,acme.atlassian.net,$email,$MC_DIR/token,$cid"
	done
	echo "wrong-email,acme.atlassian.net,raj.patel@acme.example,$MC_DIR/token,$cid"
	echo "no-token,acme.atlassian.net,$email,$D/no-such-token,$cid"
} >"$D/profiles.csv"
vg "batch of 10 profiles (a failure, an unreadable token file)" 2 batch \
    "$D/profiles.csv" $MC_CONNECT_TO --cacert "$MC_CACERT" --timeout 600

live auth-credentials-rejected
IFS='
'
set -- $(cat "$D/args")
unset IFS
vg "check auth-credentials-rejected (401), junit" 1 check "$@" \
    $MC_CONNECT_TO --cacert "$MC_CACERT" --format junit
# explain replays the run of an evidence bundle offline.
"$ATLDIAG" check "$@" $MC_CONNECT_TO --cacert "$MC_CACERT" \
    --save-evidence "$D/evidence.har" >/dev/null 2>&1
vg "explain of an evidence bundle (replayed)" 1 explain "$D/evidence.har"

live service-rate-limited-persistent
IFS='
'
set -- $(cat "$D/args")
unset IFS
vg "check service-rate-limited-persistent (429), text -v" 3 check "$@" \
    $MC_CONNECT_TO --cacert "$MC_CACERT" -v
mc_stop

vg "explain a HAR, json" 1 explain \
    "$top_srcdir/fixtures/transcripts/har-service-account-on-site.har" --json
vg "explain curl -v output, text -v" 1 explain \
    "$top_srcdir/fixtures/transcripts/curl-scope-mismatch.txt" -v
vg "scopes POST /rest/api/3/issue" 0 scopes POST /rest/api/3/issue
vg "lint with flawed inputs, github" 1 lint --site http://acme.atlassian.net/wiki \
    --email mailto:mia@acme.example --cloud-id '{7c1e4b2a}' --format github

echo "$n runs, $fails failed"
[ "$fails" = 0 ]
