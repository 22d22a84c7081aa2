#!/bin/sh
# mockcloud: how the site host answers each kind of credential (reference §3, §4.1-4.5, Q5, Q6, Q8).
. "$top_srcdir/tests/mockcloud/common.sh"

REALM='^OAuth realm="https%3A%2F%2Facme\.atlassian\.net"$'
MUST='Client must be authenticated to access this resource.'

mc_start healthy-human || exit 1
EMAIL=$(mc_client email)
TOKEN=$(mc_client token)
MIA=$(jq -r '.accounts[0].account_id' "$MC_SCENARIO")
PASSWORD=$(jq -r '.accounts[0].password' "$MC_SCENARIO")
RAJ_EMAIL=$(jq -r '.accounts[1].email' "$MC_SCENARIO")

req "$SITE/rest/api/3/myself" -u "$EMAIL:$TOKEN"
expect_status 200
expect_header X-AAccountId "^$MIA\$"
expect_json ".accountId == \"$MIA\" and .accountType == \"atlassian\" and .emailAddress == \"$EMAIL\""

# Password in Basic auth.
req "$SITE/rest/api/3/myself" -u "$EMAIL:$PASSWORD"
expect_status 401
expect_header Content-Type '^text/plain'
expect_body_eq 'Basic authentication with passwords is deprecated.  For more information, see: https://developer.atlassian.com/cloud/confluence/deprecation-notice-basic-auth/
'

# Wrong token: 401 on /myself, anonymous answers elsewhere.
req "$SITE/rest/api/3/myself" -u "$EMAIL:not-my-token"
expect_status 401
expect_body_eq "$MUST"
expect_header X-Seraph-LoginReason '^AUTHENTICATED_FAILED$'
expect_header WWW-Authenticate "$REALM"
no_header X-AAccountId
req "$SITE/rest/api/3/project/ENG" -u "$EMAIL:not-my-token"
expect_status 404
expect_header X-Seraph-LoginReason '^AUTHENTICATED_FAILED$'
expect_body_eq '{"errorMessages":["No project could be found with key '"'ENG'"'."],"errors":{}}'
req "$SITE/rest/api/3/search/jql?jql=project%3DENG" -u "$EMAIL:not-my-token"
expect_status 200
expect_header X-Seraph-LoginReason '^AUTHENTICATED_FAILED$'
expect_json '.issues == []'
req "$SITE/rest/api/3/serverInfo" -u "$EMAIL:not-my-token"
expect_status 200
expect_header X-Seraph-LoginReason '^AUTHENTICATED_FAILED$'
# Anonymous (no credential): no login-reason header.
req "$SITE/rest/api/3/serverInfo"
expect_status 200
no_header X-Seraph-LoginReason
req "$SITE/rest/api/3/myself"
expect_status 401
no_header X-Seraph-LoginReason
expect_header WWW-Authenticate "$REALM"

# Token of another account (email.wrong_account).
req "$SITE/rest/api/3/myself" -u "$RAJ_EMAIL:$TOKEN"
expect_status 401
expect_header X-Seraph-LoginReason '^AUTHENTICATED_FAILED$'
check "wrong owner logged" test "$(mc_count '.verdict == "wrong_owner"')" = 1

# Token without email.
req "$SITE/rest/api/3/myself" -H "Authorization: Basic $(printf '%s' "$TOKEN" | base64 -w0)"
expect_status 401
expect_header X-Seraph-LoginReason '^AUTHENTICATED_FAILED$'
check "token-only logged" test "$(mc_count '.verdict == "no_email" and .token == "mia-classic"')" = 1

# Bearer with an API token on the site.
req "$SITE/rest/api/3/myself" -H "Authorization: Bearer $TOKEN"
expect_status 403
expect_header Content-Type '^application/json'
expect_body_eq '{"error": "Failed to parse Connect Session Auth Token"}'
no_header WWW-Authenticate

# Not Base64.
req "$SITE/rest/api/3/myself" -H "Authorization: Basic %%%not-base64"
expect_status 401

run_401() {
	mc_start "$1" || exit 1
	req "$SITE/rest/api/3/myself" -u "$(mc_client email):$(mc_client token)"
	expect_status 401
	expect_body_eq "$MUST"
	expect_header X-Seraph-LoginReason '^AUTHENTICATED_FAILED$'
	expect_header WWW-Authenticate "$REALM"
}
run_401 auth-token-expired
check "expired logged" test "$(mc_count '.verdict == "expired"')" = 1
run_401 auth-token-revoked
check "revoked logged" test "$(mc_count '.verdict == "revoked"')" = 1
run_401 routing-scoped-token-on-site
check "scoped on site logged" test "$(mc_count '.verdict == "scoped_on_site"')" = 1
run_401 account-deactivated
# Deactivated: refused even where anonymous access exists.
req "$SITE/rest/api/3/project/ENG" -u "$(mc_client email):$(mc_client token)"
expect_status 401
run_401 auth-api-tokens-blocked
run_401 token-wrong-kind

# Revocation pending: still works inside the delay.
mc_start auth-revocation-pending || exit 1
req "$SITE/rest/api/3/myself" -u "$(mc_client email):$(mc_client token)"
expect_status 200
# ... and stops working once the delay is over (delay 0 via a copy).
jq '.params.revocation_delay_seconds = 0' "$MC_SCENARIO" >"$MC_DIR/nodelay.json"
mc_start "$MC_DIR/nodelay.json" || exit 1
req "$SITE/rest/api/3/myself" -u "$(mc_client email):$(mc_client token)"
expect_status 401

# CAPTCHA.
mc_start auth-captcha-required || exit 1
req "$SITE/rest/api/3/myself" -u "$(mc_client email):$(mc_client token)"
expect_status 403
expect_header X-Seraph-LoginReason '^AUTHENTICATION_DENIED$'
expect_header X-Authentication-Denied-Reason '^CAPTCHA_CHALLENGE; login-url=https://acme\.atlassian\.net/login\.jsp$'
expect_header WWW-Authenticate "$REALM"
# The gateway does not apply the site's CAPTCHA (INFERRED default).
req "$GW/ex/jira/$(mc_client cloud_id)/rest/api/3/myself" -u "$(mc_client email):$(mc_client token)"
expect_status 200

# Legacy 24-character token.
mc_start healthy-legacy-token || exit 1
req "$SITE/rest/api/3/myself" -u "$(mc_client email):$(mc_client token)"
expect_status 200
# The same token expired (12 May 2026): refused like any expired token.
mc_start legacy-token-expired || exit 1
req "$SITE/rest/api/3/myself" -u "$(mc_client email):$(mc_client token)"
expect_status 401
expect_header X-Seraph-LoginReason '^AUTHENTICATED_FAILED$'

# bad_token_as_password parameter.
jq '.params.bad_token_as_password = true' "$top_srcdir/fixtures/scenarios/healthy-human.json" >"$MC_DIR/pw.json"
mc_start "$MC_DIR/pw.json" || exit 1
req "$SITE/rest/api/3/myself" -u "$EMAIL:not-my-token"
expect_status 401
expect_body '^Basic authentication with passwords is deprecated\.  For'
finish
