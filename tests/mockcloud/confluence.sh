#!/bin/sh
# mockcloud: Confluence v1/v2 endpoints, product access and unrouted paths (reference §5, Q6, Q9, Q10).
. "$top_srcdir/tests/mockcloud/common.sh"

NOT_PERMITTED='{"message":"Current user not permitted to use Confluence","statusCode":403}'

mc_start healthy-confluence-only || exit 1
U="$(mc_client email):$(mc_client token)"
MIA=$(jq -r '.accounts[0].account_id' "$MC_SCENARIO")
W=$SITE/wiki

req "$W/rest/api/user/current" -u "$U"
expect_status 200
expect_header X-AAccountId "^$MIA\$"
expect_json ".accountId == \"$MIA\" and .type == \"known\" and .accountType == \"atlassian\" and .email == \"$(mc_client email)\" and ._links.base == \"$W\""
req "$W/rest/api/space" -u "$U"
expect_status 200
expect_json '[.results[].key] == ["ENG"] and .size == 1'
req "$W/rest/api/space/ENG" -u "$U"
expect_status 200
expect_json '.key == "ENG" and .name == "Engineering"'
req "$W/rest/api/space/SEC" -u "$U"
expect_status 404
expect_json '.statusCode == 404'
req "$W/api/v2/spaces" -u "$U"
expect_status 200
expect_json '[.results[].key] == ["ENG"] and (.results[0] | has("id") and has("homepageId") and has("status"))'
req "$W/api/v2/spaces?keys=SEC" -u "$U"
expect_json '.results == []'
req "$W/api/v2/spaces/65536" -u "$U"
expect_status 200
req "$W/api/v2/spaces/65537" -u "$U"
expect_status 404
req "$W/rest/api/nopesuchroute" -u "$U"
expect_status 404
expect_header Content-Type '^application/xml'
expect_body_eq '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><status><status-code>404</status-code><message>null for uri: https://acme.atlassian.net/wiki/rest/api/nopesuchroute</message></status>'

# Anonymous on a private site.
req "$W/rest/api/user/current"
expect_status 403
expect_body_eq "$NOT_PERMITTED"
# Refused credentials: 401 with the realm (default).
req "$W/rest/api/user/current" -u "$(mc_client email):wrong"
expect_status 401
expect_header WWW-Authenticate '^OAuth realm="https%3A%2F%2Facme\.atlassian\.net"$'
# Bearer: Stackless 403.
req "$W/rest/api/user/current" -H "Authorization: Bearer $(mc_client token)"
expect_status 403
expect_body 'StacklessResponseStatusException'

# No Confluence access.
mc_start product-no-access || exit 1
req "$W/rest/api/user/current" -u "$U"
expect_status 403
expect_body_eq "$NOT_PERMITTED"
req "$W/api/v2/spaces" -u "$U"
expect_status 403

# Space not visible; Raj sees it.
mc_start space-not-visible || exit 1
req "$W/rest/api/space/SEC" -u "$U"
expect_status 404
req "$W/rest/api/space/SEC" -u "$(jq -r '.accounts[1].email' "$MC_SCENARIO"):$(secret_of raj-classic)"
expect_status 200

# Site without Confluence.
jq '.sites[0].products = ["jira"]' "$top_srcdir/fixtures/scenarios/healthy-human.json" >"$MC_DIR/jiraonly.json"
mc_start "$MC_DIR/jiraonly.json" || exit 1
req "$W/rest/api/user/current" -u "$U"
expect_status 404

# confluence_failed_status = 403.
jq '.params.confluence_failed_status = 403' "$top_srcdir/fixtures/scenarios/healthy-human.json" >"$MC_DIR/c403.json"
mc_start "$MC_DIR/c403.json" || exit 1
req "$W/rest/api/user/current" -u "$(mc_client email):wrong"
expect_status 403
expect_body 'StacklessResponseStatusException'
finish
