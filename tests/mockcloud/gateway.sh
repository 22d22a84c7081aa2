#!/bin/sh
# mockcloud: api.atlassian.com /ex/ routing, cloud IDs, Bearer, scope checks (reference §3, §4.3, Q1, Q2, Q8, Q10).
. "$top_srcdir/tests/mockcloud/common.sh"

mc_start healthy-service-account || exit 1
CLOUD=$(mc_client cloud_id)
ORG=$(jq -r '.organizations[0].id' "$MC_SCENARIO")
BOT_EMAIL=$(mc_client email)
BOT_TOKEN=$(mc_client token)
BOT=$(jq -r '.accounts[2].account_id' "$MC_SCENARIO")
MIA_EMAIL=$(jq -r '.accounts[0].email' "$MC_SCENARIO")
MIA_TOKEN=$(secret_of mia-classic)
J=$GW/ex/jira/$CLOUD

req "$J/rest/api/3/myself" -u "$BOT_EMAIL:$BOT_TOKEN"
expect_status 200
expect_header X-AAccountId "^$BOT\$"
expect_json ".accountType == \"app\" and (has(\"emailAddress\") | not)"
expect_json ".self | startswith(\"$J/rest/api/3/user\")"
no_header X-Seraph-LoginReason

# Service-account token as Bearer: accepted on the gateway (Q8).
req "$J/rest/api/3/project/ENG" -H "Authorization: Bearer $BOT_TOKEN"
expect_status 200
expect_json '.key == "ENG"'

# A user API token as Bearer: 404 (Q8, "returned 404"), Spring body.
req "$J/rest/api/3/myself" -H "Authorization: Bearer $MIA_TOKEN"
expect_status 404
expect_json ".status == 404 and .error == \"Not Found\" and .message == \"No message available\" and .path == \"/ex/jira/$CLOUD/rest/api/3/myself\""

# A classic token with Basic through the gateway: accepted by default (Q2).
req "$J/rest/api/3/myself" -u "$MIA_EMAIL:$MIA_TOKEN"
expect_status 200

# Bad credentials on the gateway: 401.
req "$J/rest/api/3/myself" -u "$BOT_EMAIL:nope"
expect_status 401
expect_json '.code == 401'
no_header X-Seraph-LoginReason
req "$J/rest/api/3/myself"
expect_status 401

# Unknown cloud ID, org ID as cloud ID, malformed: Spring-style 404 (Q1).
for id in 0b1c2d3e-4f5a-4b6c-9d7e-8f9a0b1c2d3e "$ORG" '{cloudId}' " $CLOUD"; do
	enc=$(printf '%s' "$id" | jq -sRr @uri)
	req "$GW/ex/jira/$enc/rest/api/3/myself" -u "$BOT_EMAIL:$BOT_TOKEN"
	expect_status 404
	expect_header Content-Type '^application/json'
	expect_json '(.timestamp | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$")) and .status == 404 and .error == "Not Found" and .message == "No message available"'
	expect_json ".path == \"/ex/jira/$id/rest/api/3/myself\""
done
req "$GW/ex/bitbucket/$CLOUD/2.0/user" -u "$BOT_EMAIL:$BOT_TOKEN"
expect_status 404

# Gateway paths outside /ex/ (Q10).
req "$GW/rest/api/3/myself" -u "$BOT_EMAIL:$BOT_TOKEN"
expect_status 401
expect_header x-failure-category '^FAILURE_CLIENT_AUTH_MISMATCH$'
req "$GW/me" -u "$MIA_EMAIL:$MIA_TOKEN"
expect_status 401
expect_header x-failure-category '^FAILURE_CLIENT_AUTH_MISMATCH$'

# Confluence through the gateway, with and without /wiki.
req "$GW/ex/confluence/$CLOUD/wiki/api/v2/spaces" -u "$BOT_EMAIL:$BOT_TOKEN"
expect_status 200
expect_json '.results | map(.key) == ["ENG"]'
req "$GW/ex/confluence/$CLOUD/rest/api/space" -u "$BOT_EMAIL:$BOT_TOKEN"
expect_status 404
expect_json ".path == \"/ex/confluence/$CLOUD/rest/api/space\""

# Scope check failure (§4.3).
mc_start scope-missing || exit 1
req "$J/rest/api/3/project/ENG" -u "$BOT_EMAIL:$BOT_TOKEN"
expect_status 401
expect_header X-Failure-Category '^FAILURE_CLIENT_SCOPE_CHECK$'
expect_body_eq '{"code":401,"message":"Unauthorized; scope does not match"}'
req "$J/rest/api/3/myself" -u "$BOT_EMAIL:$BOT_TOKEN"
expect_status 200
# Granular scopes: every scope of one alternative is needed.
jq '(.tokens[] | select(.id == "ci-deploy-scoped") | .scopes) = ["read:permission:jira"]' \
    "$top_srcdir/fixtures/scenarios/healthy-service-account.json" >"$MC_DIR/granular.json"
mc_start "$MC_DIR/granular.json" || exit 1
req "$J/rest/api/3/mypermissions?permissions=BROWSE_PROJECTS" -u "$BOT_EMAIL:$BOT_TOKEN"
expect_status 200
req "$J/rest/api/3/myself" -u "$BOT_EMAIL:$BOT_TOKEN"
expect_status 401
expect_header X-Failure-Category '^FAILURE_CLIENT_SCOPE_CHECK$'
# An operation with an empty alternative needs no scope.
req "$J/rest/api/3/serverInfo" -u "$BOT_EMAIL:$BOT_TOKEN"
expect_status 200
req "$J/rest/api/3/permissions/check" -u "$BOT_EMAIL:$BOT_TOKEN" -H 'Content-Type: application/json' -d '{"globalPermissions":["ADMINISTER"]}'
expect_status 200

# A site of another organization: 401 scope check (Q1, the Forge case).
mc_start cloud-id-other-tenant || exit 1
req "$GW/ex/jira/$(mc_client cloud_id)/rest/api/3/myself" -u "$BOT_EMAIL:$BOT_TOKEN"
expect_status 401
expect_header X-Failure-Category '^FAILURE_CLIENT_SCOPE_CHECK$'

# The classic-token parameter.
jq '.params.gateway_accept_classic_token = false' "$top_srcdir/fixtures/scenarios/healthy-human.json" >"$MC_DIR/noclassic.json"
mc_start "$MC_DIR/noclassic.json" || exit 1
req "$J/rest/api/3/myself" -u "$MIA_EMAIL:$MIA_TOKEN"
expect_status 401
# The non-/ex/ parameter.
jq '.params.gateway_non_ex = "not_found"' "$top_srcdir/fixtures/scenarios/healthy-human.json" >"$MC_DIR/nonex.json"
mc_start "$MC_DIR/nonex.json" || exit 1
req "$GW/rest/api/3/myself" -u "$MIA_EMAIL:$MIA_TOKEN"
expect_status 404
expect_json '.path == "/rest/api/3/myself"'
finish
