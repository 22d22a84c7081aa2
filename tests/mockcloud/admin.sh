#!/bin/sh
# mockcloud: org admin APIs, per-user token API, accessible-resources, GraphQL (reference §2, §6, §1.4).
. "$top_srcdir/tests/mockcloud/common.sh"

mc_start auth-token-revoked || exit 1
ORG=$(jq -r '.organizations[0].id' "$MC_SCENARIO")
CLOUD=$(mc_client cloud_id)
KEY=$(mc_client org_key)
MIA=$(jq -r '.accounts[0].account_id' "$MC_SCENARIO")
U="$(mc_client email):$(secret_of raj-classic)"
BK="Authorization: Bearer $KEY"

req "$GW/admin/v1/orgs" -H "$BK"
expect_status 200
expect_json ".data == [{\"id\":\"$ORG\",\"type\":\"orgs\",\"attributes\":{\"name\":\"Acme Corp\"}}]"
req "$GW/admin/v1/orgs"
expect_status 401
req "$GW/admin/v1/orgs" -u "$(mc_client email):$(mc_client token)"
expect_status 401
req "$GW/admin/v1/orgs" -H "Authorization: Bearer $(mc_client token)"
expect_status 401
check "admin auth logged" test "$(mc_count '.path == "/admin/v1/orgs" and .status == 401')" = 3

req "$GW/admin/api-access/v1/orgs/$ORG/service-accounts" -H "$BK"
expect_status 200
expect_json '.total == 1 and .items[0].email == "ci-deploy-x7k2m9p4qz@serviceaccount.atlassian.com"'
req "$GW/admin/api-access/v1/orgs/$ORG/api-tokens" -H "$BK"
expect_status 200
expect_json '(.data[] | select(.id == "mia-classic") | .status) == "REVOKED"'
expect_json '(.data[] | select(.id == "ci-deploy-scoped")) | .status == "ALLOWED" and (.expiresAt | test("^[0-9-]{10}T")) and .user.email == "ci-deploy-x7k2m9p4qz@serviceaccount.atlassian.com"'
expect_json '[.data[].id] | index("acme-org-key") == null'
req "$GW/users/$MIA/manage/api-tokens" -H "$BK"
expect_status 200
expect_json 'map(.id) == []'
req "$GW/users/$(jq -r '.accounts[1].account_id' "$MC_SCENARIO")/manage/api-tokens" -H "$BK"
expect_json '.[0].label == "admin scripts" and (.[0] | has("expiry") and has("createdAt") and has("lastAccess"))'
req "$GW/admin/api-access/v1/orgs/c2d9a7e4-1f3b-4a6c-8e5d-7b9a0c1d2e3f/api-tokens" -H "$BK"
expect_status 404

# admin_revoked_tokens = omit
jq '.params.admin_revoked_tokens = "omit"' "$MC_SCENARIO" >"$MC_DIR/omit.json"
mc_start "$MC_DIR/omit.json" || exit 1
req "$GW/admin/api-access/v1/orgs/$ORG/api-tokens" -H "$BK"
expect_json '[.data[].id] | index("mia-classic") == null'

# Blocked token status.
mc_start auth-api-tokens-blocked || exit 1
req "$GW/admin/api-access/v1/orgs/$ORG/api-tokens" -H "$BK"
expect_json '(.data[] | select(.id == "mia-classic") | .status) == "BLOCKED"'

# accessible-resources: OAuth access token yes, API token as Bearer 404.
jq --arg owner "$(jq -r '.accounts[2].account_id' "$MC_SCENARIO")" \
    '.tokens += [{"id":"oauth-1","secret":"eyJhbGciOiJSUzI1NiJ9.bW9ja2Nsb3Vk.ZmFrZQ","owner":$owner,"kind":"oauth","scopes":["read:jira-work"]}]' \
    "$top_srcdir/fixtures/scenarios/healthy-human.json" >"$MC_DIR/oauth.json"
mc_start "$MC_DIR/oauth.json" || exit 1
req "$GW/oauth/token/accessible-resources" -H "Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.bW9ja2Nsb3Vk.ZmFrZQ"
expect_status 200
expect_json ".[0].id == \"$CLOUD\" and .[0].url == \"https://acme.atlassian.net\" and .[0].scopes == [\"read:jira-work\"] and .[0].name == \"acme\""
req "$GW/oauth/token/accessible-resources" -H "Authorization: Bearer $(secret_of ci-deploy-scoped)"
expect_status 404
req "$GW/oauth/token/accessible-resources"
expect_status 401
# OAuth access token on the gateway /ex/ with its scopes.
req "$GW/ex/jira/$CLOUD/rest/api/3/project/ENG" -H "Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.bW9ja2Nsb3Vk.ZmFrZQ"
expect_status 200
req "$GW/ex/jira/$CLOUD/rest/api/3/myself" -H "Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.bW9ja2Nsb3Vk.ZmFrZQ"
expect_status 401
expect_header X-Failure-Category '^FAILURE_CLIENT_SCOPE_CHECK$'

# GraphQL on the site host.
req "$SITE/gateway/api/graphql" -u "$(mc_client email):$(mc_client token)" -H 'Content-Type: application/json' -d '{"query":"verify { me { user {name}}}"}'
expect_status 200
expect_json '.data.me.user.name == "Mia Krystof"'
req "$SITE/gateway/api/graphql" -u "$(mc_client email):wrong" -H 'Content-Type: application/json' -d '{"query":"{ me { user {name}}}"}'
expect_status 401
req "$SITE/gateway/api/graphql" -u "$(mc_client email):$(mc_client token)" -d '{"query":"query { tenantContexts(hostNames: [\"acme.atlassian.net\"]) { cloudId hostName } }"}'
expect_json ".data.tenantContexts[0].cloudId == \"$CLOUD\""
finish
