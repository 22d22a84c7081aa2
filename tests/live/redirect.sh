#!/bin/sh
# tests/live/redirect.sh: a 3xx to the identity read says what the redirect means (login page, another host) and that it was not followed, never auth.credentials_rejected.
set -u
: "${top_srcdir:?}" "${top_builddir:=.}"
. "$top_srcdir/tests/live/lib.sh"
live_init
MC_DIR=$(mktemp -d "${TMPDIR:-/tmp}/redirect.XXXXXX") || exit 1

# run NAME FAULTS: check with the healthy world and FAULTS; JSON in NAME.
run() {
	name=$1
	jq --argjson f "$2" '.faults = $f | del(.client.cloud_id)' \
	    "$top_srcdir/fixtures/scenarios/healthy-human.json" >"$MC_DIR/$1.json"
	mc_start "$MC_DIR/$1.json" >/dev/null 2>&1 || { echo "FAIL mockcloud did not start"; exit 1; }
	live_atldiag check --timeout 20 --json >"$MC_DIR/$name" 2>/dev/null
	rc=$?
}

# Both routes redirect to a login page: the credentials are not accepted for the API.
run login '[{"host": "acme.atlassian.net", "path_prefix": "/rest/api/3/myself",
             "redirect_to": "https://acme.atlassian.net/login.jsp?os_destination=%2Frest%2Fapi%2F3%2Fmyself"},
            {"host": "api.atlassian.com", "path_prefix": "/ex/",
             "redirect_to": "https://acme.atlassian.net/login.jsp"}]'
[ "$rc" = 1 ] || fail "login: exit $rc (want 1)"
jq -e '.primary == "site.redirect" and (.findings[0].detail | test("login page")) and
    (.findings[0].detail | test("did not follow"))' "$MC_DIR/login" >/dev/null ||
	fail "login: $(jq -c '[.primary, .findings[0].detail]' "$MC_DIR/login") (want site.redirect: a login page, not followed)"
jq -e '[.findings[].code] | index("auth.credentials_rejected") == null' "$MC_DIR/login" >/dev/null ||
	fail "login: a redirect was reported as rejected credentials"

# The site redirects to another host while the gateway works: a warning
# about the site, not a scoped token refused by it.
run moved '[{"host": "acme.atlassian.net", "path_prefix": "/rest/api/3/myself",
             "redirect_to": "https://jira.acme-corp.example/rest/api/3/myself"}]'
jq -e '.findings | map(select(.code == "site.redirect" and .status == "warn" and
    (.detail | test("another host")))) | length == 1' "$MC_DIR/moved" >/dev/null ||
	fail "moved: $(jq -c '[.findings[] | [.code, .status]]' "$MC_DIR/moved") (want a site.redirect warning naming another host)"
jq -e '[.findings[].code] | index("routing.scoped_token_on_site") == null' "$MC_DIR/moved" >/dev/null ||
	fail "moved: a redirect was reported as a scoped token refused by the site"
[ "$(mc_count '.host == "jira.acme-corp.example"')" = 0 ] || fail "moved: the redirect was followed"

[ "$fails" = 0 ] || exit 1
echo "ok: redirects of the identity read are explained, not taken for refusals"
