#!/bin/sh
# tests/live/routes.sh: check reports where the credential works (site, gateway), weighs a scoped token by the route the user named, finds the site from a cloud ID alone, and calls an http:// URL site.not_https.
set -u
: "${top_srcdir:?}" "${top_builddir:=.}"
. "$top_srcdir/tests/live/lib.sh"
live_init
ok() { echo "ok   $*"; }

# run NAME WANT_RC ARGS...: atldiag with the scenario's client inputs and
# ARGS, JSON into $MC_DIR/NAME.json; checks the exit code.
run() {
	name=$1 want=$2
	shift 2
	live_atldiag "$@" --timeout 10 >"$MC_DIR/out-$name.json" \
	    2>"$MC_DIR/out-$name.err"
	rc=$?
	[ "$rc" = "$want" ] || fail "$name: exit $rc (want $want)"
}
# expect NAME JQ WHAT: the jq expression holds on NAME's report.
expect() {
	if jq -e "$2" "$MC_DIR/out-$1.json" >/dev/null 2>&1; then ok "$1: $3"; else
		fail "$1: $3"; fi
}

mc_start scoped-user-token >/dev/null 2>&1 || { echo "FAIL mockcloud did not start"; exit 1; }
site=$(mc_client site)
gw="https://api.atlassian.com/ex/jira/$(mc_client cloud_id)"

# No URL named: the site's refusal is a warning, and the routes say why.
run none 0 check --json
expect none '.verdict == "warn" and .primary == "routing.scoped_token_on_site"
    and .findings[0].status == "warn"' "no URL: a warning"
expect none '.routes | length == 2 and .[0].route == "site" and
    .[0].outcome == "refused" and .[0].status == 401 and
    .[1].route == "gateway" and .[1].outcome == "works" and .[1].status == 200' \
    "routes: site refused, gateway works"
run text 0 check
if grep -q '^Routes' "$MC_DIR/out-text.json" && grep -Eq '^  site +refused' "$MC_DIR/out-text.json" &&
    grep -Eq '^  gateway +works' "$MC_DIR/out-text.json"; then ok "text: one line per route"; else
	fail "text: no Routes lines"; fi

# Markdown (a ticket) and JUnit (a pipeline) carry the routes too; JUnit
# has one test case per stated requirement, unproven never a pass.
run md 0 check --format markdown
if grep -q '^### Routes' "$MC_DIR/out-md.json" &&
    grep -q "^- \*\*refused\*\* site (\`https://$site/rest/api/3/myself.*\`): answered 401" "$MC_DIR/out-md.json" &&
    grep -q '^- \*\*works\*\* gateway (`https://api.atlassian.com/ex/jira/.*`): answered 200' "$MC_DIR/out-md.json"; then
	ok "markdown: one item per route"; else fail "markdown: no Routes items"; fi
run junit 0 check --format junit --need-scope read:jira-work
if grep -q '<property name="route.site" value="refused: answered 401' "$MC_DIR/out-junit.json" &&
    grep -q '<property name="route.gateway" value="works: answered 200' "$MC_DIR/out-junit.json"; then
	ok "junit: a property per route"; else fail "junit: no route properties"; fi
if grep -q '<testcase classname="atldiag.requirement" name="scope read:jira-work" time="0.000"' "$MC_DIR/out-junit.json"; then
	ok "junit: a test case per requirement"; else fail "junit: no requirement test case"; fi
xmllint --noout "$MC_DIR/out-junit.json" 2>"$MC_DIR/xmllint.err" && ok "junit: well-formed" ||
	fail "junit: $(head -c 300 "$MC_DIR/xmllint.err")"

# The user's calls go to the site: a failure.
run url-site 1 check --url "https://$site/rest/api/3/myself" --json
expect url-site '.primary == "routing.scoped_token_on_site" and .findings[0].status == "fail"' \
    "--url on the site: a failure"
printf 'GET https://%s/rest/api/3/myself\n' "$site" >"$MC_DIR/calls"
run calls-site 1 check --calls "$MC_DIR/calls" --json
expect calls-site '.primary == "routing.scoped_token_on_site" and .findings[0].status == "fail"' \
    "--calls on the site: a failure"

# The user's calls go through the gateway: nothing to fix.
run url-gw 0 check --url "$gw/rest/api/3/myself" --json
expect url-gw '.verdict == "pass" and ([.findings[].code] | index("routing.scoped_token_on_site") == null)
    and .routes[0].outcome == "refused"' "--url on the gateway: a pass, the site still listed as refused"
mc_stop >/dev/null 2>&1

# A cloud ID without a site: the site comes from the gateway's serverInfo.
jq 'del(.client.site, .client.request)' "$top_srcdir/fixtures/scenarios/healthy-human.json" >"$MC_DIR/world-no-site.json"
mc_start "$MC_DIR/world-no-site.json" >/dev/null 2>&1 || { echo "FAIL mockcloud did not start"; exit 1; }
run no-site 0 check --json
expect no-site '([.findings[].code] | index("input.site_missing") == null) and .verdict == "pass"' \
    "a cloud ID alone is complete input"
expect no-site '.inputs.site.value == "acme.atlassian.net" and (.inputs.site.source | test("gateway"))' \
    "the site is found from the gateway"
expect no-site '.routes[0].outcome == "works" and .routes[1].outcome == "works"' \
    "both routes probed"
[ "$(mc_count '.host == "api.atlassian.com" and (.path | endswith("/serverInfo"))')" = 1 ] ||
	fail "no-site: serverInfo not asked once through the gateway"

# An http:// URL is site.not_https, never an untrusted host; nothing sent.
: >"$MC_LOG"
run http 1 request GET "http://$site/rest/api/3/myself" --json
expect http '.primary == "site.not_https" and ([.findings[].code] | index("request.untrusted_host") == null)' \
    "http:// is site.not_https"
[ "$(mc_count '.scheme == "http" and .auth != "none"')" = 0 ] || fail "http: credentials sent over http"

for s in $(mc_secrets); do
	if grep -F -q -- "$s" "$MC_DIR"/out-*; then fail "a secret in the output"; fi
done
mc_cleanup >/dev/null 2>&1
[ "$fails" = 0 ]
