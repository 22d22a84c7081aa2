#!/bin/sh
# mockcloud: burst rate limit (429), IP allowlist, XSRF rejection (reference §4.7, peers A9, DESIGN §6).
. "$top_srcdir/tests/mockcloud/common.sh"

mc_start service-rate-limited || exit 1
U="$(mc_client email):$(mc_client token)"
for i in 1 2 3; do
	req "$SITE/rest/api/3/myself" -u "$U"
	expect_status 200
done
req "$SITE/rest/api/3/myself" -u "$U"
expect_status 429
expect_header Retry-After '^2$'
expect_header X-RateLimit-Limit '^350$'
expect_header X-RateLimit-Remaining '^0$'
expect_header X-RateLimit-Reset '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$'
expect_header RateLimit-Reason '^jira-burst-based$'
req "$GW/ex/jira/$(mc_client cloud_id)/rest/api/3/myself" -u "$U"
expect_status 429
sleep 2.1
req "$SITE/rest/api/3/myself" -u "$U"
expect_status 200

mc_start network-ip-not-allowed || exit 1
req "$SITE/rest/api/3/myself" -u "$U"
expect_status 403
expect_body_eq '{"errorMessages":["The IP address has been rejected because it is not on the allowed list. See your admin for more information."]}'
req "$GW/ex/jira/$(mc_client cloud_id)/rest/api/3/myself" -u "$U"
expect_status 403
req "$SITE/_edge/tenant_info"
expect_status 200
jq '.organizations[0].ip_allowlist = ["203.0.113.0/24", "127.0.0.0/8"]' "$MC_SCENARIO" >"$MC_DIR/allowed.json"
mc_start "$MC_DIR/allowed.json" || exit 1
req "$SITE/rest/api/3/myself" -u "$U"
expect_status 200

mc_start request-xsrf-rejected || exit 1
UA=$(mc_client user_agent)
req "$SITE/rest/api/3/issue" -u "$U" -A "$UA" -H 'Content-Type: application/json' -d '{}'
expect_status 403
expect_body_eq 'XSRF check failed'
req "$SITE/rest/api/3/issue" -u "$U" -A "$UA" -H 'X-Atlassian-Token: no-check' -H 'Content-Type: application/json' -d '{}'
expect_status 400
req "$SITE/rest/api/3/issue" -u "$U" -H 'Content-Type: application/json' -d '{}'
expect_status 400
req "$SITE/rest/api/3/myself" -u "$U" -A "$UA"
expect_status 200
finish
