#!/bin/sh
# mockcloud: burst rate limit (429) counted in requests or time, IP allowlist, XSRF rejection (reference §4.7, peers A9, DESIGN §6).
. "$top_srcdir/tests/mockcloud/common.sh"

# The scenario's window is counted in requests (burst 3 of every 4), so the
# answers depend on the order of the requests only, not on the clock.
mc_start service-rate-limited || exit 1
U="$(mc_client email):$(mc_client token)"
GWJ="$GW/ex/jira/$(mc_client cloud_id)/rest/api/3/myself"
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
# A new window after 4 requests; the gateway shares the count.
req "$SITE/rest/api/3/myself" -u "$U"
expect_status 200
for i in 1 2; do
	req "$GWJ" -u "$U"
	expect_status 200
done
req "$GWJ" -u "$U"
expect_status 429
req "$GWJ" -u "$U"
expect_status 200
check "mockcloud logged 2 refusals of 9 requests" \
    test "$(mc_count '.status == 429')/$(mc_count)" = 2/9

# A window in time: one that cannot end during the test refuses every
# request after the burst, on the site and the gateway alike.
jq '.rate_limit = {"burst": 2, "window_ms": 3600000, "reason": "jira-quota-global-based"}' \
    "$MC_SCENARIO" >"$MC_DIR/hour.json"
mc_start "$MC_DIR/hour.json" || exit 1
for i in 1 2; do
	req "$SITE/rest/api/3/myself" -u "$U"
	expect_status 200
done
for i in 1 2 3; do
	req "$SITE/rest/api/3/myself" -u "$U"
	expect_status 429
	expect_header Retry-After '^1$'
	expect_header RateLimit-Reason '^jira-quota-global-based$'
	req "$GWJ" -u "$U"
	expect_status 429
done

# window_requests must leave room for a refusal.
jq '.rate_limit = {"burst": 3, "window_requests": 3}' "$MC_SCENARIO" >"$MC_DIR/bad.json"
WHAT="window_requests <= burst is refused"
CHECKS=$((CHECKS + 1))
if "$MOCKCLOUD" --check --scenario "$MC_DIR/bad.json" \
    --scopes "$top_srcdir/rules/scopes.json" 2>"$MC_DIR/bad.err"; then
	fail "mockcloud --check accepted it"
elif ! grep -q "rate_limit.window_requests" "$MC_DIR/bad.err"; then
	fail "error does not name the field: $(cat "$MC_DIR/bad.err")"
fi

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
