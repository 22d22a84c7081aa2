#!/bin/sh
# tests/live/not_cloud.sh: a Jira Data Center host (mockcloud's data_center world) is recognised live as site.not_cloud from its anonymous serverInfo, and no Cloud check runs against it; a Cloud custom domain is not asked.
set -u
: "${top_srcdir:?}" "${top_builddir:=.}"
. "$top_srcdir/tests/live/lib.sh"
command -v jq >/dev/null 2>&1 || exit 77
[ -x "${MOCKCLOUD:-$top_builddir/fixtures/mockcloud/mockcloud}" ] || exit 77
fails=0
fail() { echo "FAIL $*"; fails=$((fails + 1)); }

# run COMMAND [ARGS...]: atldiag with the scenario's client inputs; exit in $rc.
run() {
	jq -j '.client.token' "$MC_SCENARIO" >"$MC_DIR/token"
	IFS='
'
	# shellcheck disable=SC2046
	set -- "$@" $(live_args_for "$1")
	unset IFS
	"$ATLDIAG" "$@" $MC_CONNECT_TO --cacert "$MC_CACERT" --timeout 5 --json \
	    >"$MC_DIR/out" 2>"$MC_DIR/err"
	rc=$?
	for s in $(mc_secrets); do
		grep -F -q -- "$s" "$MC_DIR/out" "$MC_DIR/err" && fail "$1: secret in output"
	done
}

mc_start site-not-cloud-data-center >/dev/null 2>&1 || { echo "FAIL mockcloud did not start"; exit 1; }
run check
[ "$rc" = 1 ] || fail "check: exit $rc (want 1)"
jq -e '.primary == "site.not_cloud" and .findings[0].confidence == "confirmed" and
    (.findings[0].detail | test("deploymentType \"DataCenter\"") and test("9.12.4")) and
    (.findings[0].docs | index("https://confluence.atlassian.com/enterprise/using-personal-access-tokens-1026032365.html") != null) and
    (.findings[0].explanation | test("Authorization: Bearer <PAT>"))' "$MC_DIR/out" >/dev/null ||
	fail "check: not a confirmed site.not_cloud naming the deployment and the PAT"
jq -e '[.findings[].code] | (index("site.not_found") == null and index("service.unexpected_response") == null)' \
    "$MC_DIR/out" >/dev/null || fail "check: diagnosed further as if it were Cloud"
jq -e '[.checks[] | select(.id == "site.tenant" or .id == "auth.site" or .id == "auth.gateway" or .id == "auth.identity") | .status] | length == 4 and all(. == "blocked")' \
    "$MC_DIR/out" >/dev/null || fail "check: the Cloud checks were not blocked"
[ "$(mc_count '.path == "/rest/api/2/serverInfo" and .auth == "none"')" = 1 ] ||
	fail "check: serverInfo was not asked once, anonymously"
[ "$(mc_count '.auth != "none"')" = 0 ] || fail "check: a credential was sent to the Data Center host"
# Even with the host allowed, the Cloud token is never sent there.
run request GET https://jira.acme-corp.example/rest/api/2/myself --allow-host jira.acme-corp.example
[ "$rc" = 1 ] && [ "$(jq -r .primary "$MC_DIR/out")" = site.not_cloud ] ||
	fail "request: exit $rc, primary $(jq -r .primary "$MC_DIR/out") (want 1, site.not_cloud)"
[ "$(mc_count '.auth != "none"')" = 0 ] || fail "request: a credential was sent to the Data Center host"
mc_cleanup >/dev/null 2>&1

# A Cloud site on a custom domain answers tenant_info: serverInfo is not asked.
mc_start site-custom-domain >/dev/null 2>&1 || { echo "FAIL mockcloud did not start"; exit 1; }
run check
[ "$(mc_count '.path == "/rest/api/2/serverInfo"')" = 0 ] || fail "custom domain: serverInfo asked"
jq -e '[.findings[].code] | index("site.not_cloud") == null' "$MC_DIR/out" >/dev/null ||
	fail "custom domain: reported as not Cloud"
mc_cleanup >/dev/null 2>&1
[ "$fails" = 0 ] && echo "ok   not_cloud"
[ "$fails" = 0 ]
