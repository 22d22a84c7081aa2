#!/bin/sh
# tests/live/can_i.sh: `atldiag can-i` against mockcloud: yes/no and exit 0/1, one line per permission then the answer, -q, JSON, inconclusive.
set -u
: "${top_srcdir:?}" "${top_builddir:=.}"
. "$top_srcdir/tests/live/lib.sh"
live_init

# can_i ARGS...: runs can-i as the scenario's client; output in $out, exit in $rc.
can_i() {
	jq -j '.client.token' "$MC_SCENARIO" >"$MC_DIR/token"
	# shellcheck disable=SC2086
	"$ATLDIAG" can-i "$@" --site "$(mc_client site)" --email "$(mc_client email)" \
	    --token-file "$MC_DIR/token" $MC_CONNECT_TO --cacert "$MC_CACERT" \
	    --timeout 5 >"$MC_DIR/out" 2>"$MC_DIR/err"
	rc=$?
	out=$(cat "$MC_DIR/out")
}

nl='
'
# Mia is a Developer in ENG: she can browse, she cannot administer.
mc_start healthy-human >/dev/null 2>&1 || { echo "FAIL mockcloud did not start"; exit 1; }
can_i BROWSE_PROJECTS --project ENG
[ "$rc" = 0 ] && [ "$out" = yes ] || fail "one permission held: exit $rc, '$out' (want 0, 'yes')"
can_i BROWSE_PROJECTS,ADMINISTER_PROJECTS --project ENG
[ "$rc" = 1 ] || fail "one of two permissions missing: exit $rc (want 1)"
[ "$out" = "BROWSE_PROJECTS yes${nl}ADMINISTER_PROJECTS no${nl}no" ] ||
	fail "per-permission lines then the answer, got: $out"
can_i BROWSE_PROJECTS ADMINISTER_PROJECTS --project ENG
[ "$out" = "BROWSE_PROJECTS yes${nl}ADMINISTER_PROJECTS no${nl}no" ] ||
	fail "permissions as separate arguments, got: $out"
can_i BROWSE_PROJECTS,ADMINISTER_PROJECTS --project ENG -q
[ "$rc" = 1 ] && [ "$out" = no ] || fail "-q: exit $rc, '$out' (want 1, only 'no')"
can_i BROWSE_PROJECTS,EDIT_ISSUES --project ENG -q
[ "$rc" = 0 ] && [ "$out" = yes ] || fail "-q, all held: exit $rc, '$out' (want 0, only 'yes')"
can_i EDIT_ISSUES --issue ENG-1
[ "$rc" = 0 ] && [ "$out" = yes ] || fail "--issue: exit $rc, '$out' (want 0, 'yes')"
can_i BROWSE_PROJECTS --project OPS
[ "$rc" = 1 ] && [ "$(printf '%s\n' "$out" | tail -n 1)" = no ] ||
	fail "project not visible: exit $rc, '$out' (want 1, last line 'no')"
can_i BROWSE_PROJECTS,ADMINISTER_PROJECTS --project ENG --json
[ "$rc" = 1 ] || fail "--json: exit $rc (want 1)"
jq -e '.answer == "no" and .permissions.BROWSE_PROJECTS == true and
    .permissions.ADMINISTER_PROJECTS == false' "$MC_DIR/out" >/dev/null ||
	fail "--json: answer and per-permission answers missing"
n=$(mc_count '.method != "GET" and .method != "HEAD"')
[ "$n" = 0 ] || fail "$n writes sent"
for s in $(mc_secrets); do
	grep -F -q -- "$s" "$MC_DIR/out" "$MC_DIR/err" && fail "secret in output"
done

# 503 everywhere: neither yes nor no.
mc_start service-unavailable >/dev/null 2>&1 || { echo "FAIL mockcloud did not start"; exit 1; }
can_i BROWSE_PROJECTS --project ENG
[ "$rc" = 3 ] || fail "503: exit $rc (want 3)"
case $out in yes|no) fail "503 answered '$out'" ;; esac

mc_cleanup >/dev/null 2>&1
[ "$fails" = 0 ] && echo "ok   can-i"
[ "$fails" = 0 ]
