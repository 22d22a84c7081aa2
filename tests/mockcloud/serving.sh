#!/bin/sh
# mockcloud: ports on the first line, host routing, http->https, trace ids, request log, shutdown.
. "$top_srcdir/tests/mockcloud/common.sh"

mc_start healthy-human || exit 1
CLOUD=$(jq -r '.sites[0].cloud_id' "$MC_SCENARIO")
EMAIL=$(mc_client email)
TOKEN=$(mc_client token)

check "ports are numbers" sh -c "[ '$MC_HTTPS_PORT' -gt 0 ] && [ '$MC_HTTP_PORT' -gt 0 ] && [ '$MC_HTTPS_PORT' != '$MC_HTTP_PORT' ]"
check "first line format" grep -Eq '^https_port=[0-9]+ http_port=[0-9]+$' "$MC_DIR/stdout"

req "$SITE/_edge/tenant_info"
expect_status 200
expect_header Content-Type '^application/json'
expect_body_eq "{\"cloudId\":\"$CLOUD\"}"
expect_header ATL-TraceId '^[0-9a-f]{32}$'
expect_header X-ARequestId '.'
expect_header Server '^AtlassianEdge$'

req "http://acme.atlassian.net/rest/api/3/myself?expand=groups" -u "$EMAIL:$TOKEN"
expect_status 301
expect_header Location '^https://acme\.atlassian\.net/rest/api/3/myself\?expand=groups$'
check "http request logged as scheme http with basic auth" \
    test "$(mc_count '.scheme == "http" and .auth == "basic" and .token == "mia-classic"')" = 1

req "http://api.atlassian.com/ex/jira/$CLOUD/rest/api/3/myself"
expect_status 301
expect_header Location "^https://api\\.atlassian\\.com/ex/jira/$CLOUD/rest/api/3/myself\$"

req "$GW/ex/jira/$CLOUD/rest/api/3/serverInfo" -u "$EMAIL:$TOKEN"
expect_header x-trace-id '^[0-9a-f]{32}$'
expect_header ATL-TraceId '^[0-9a-f]{32}$'

req "https://nosuchsite.atlassian.net/_edge/tenant_info"
expect_status 404
expect_header Content-Type '^text/html'
expect_body '<h1>Page unavailable</h1>'
expect_body '/_edge/resources/aui-prototyping.css'

req "$SITE/secure/Dashboard.jspa"
expect_status 404
expect_body 'Page unavailable'

req --resolve example.org:443:127.0.0.1 -k "https://localhost:$MC_HTTPS_PORT/"
expect_status 421

req "https://admin.atlassian.com/o/$(jq -r '.organizations[0].id' "$MC_SCENARIO")/overview"
expect_status 200

# The log: one JSON line per request, with the contract's fields.
N=$(mc_count)
check "eight requests logged (got $N)" test "$N" = 8
check "every log line has the contract fields" sh -c "jq -e 'has(\"ts\") and has(\"host\") and has(\"method\") and has(\"path\") and has(\"query\") and has(\"scheme\") and has(\"auth\") and has(\"account\") and has(\"token\") and has(\"status\") and has(\"user_agent\")' '$MC_LOG' | grep -vqx true; test \$? = 1"
check "query logged" test "$(mc_count '.query == "expand=groups"')" = 1
check "hosts" test "$(mc_hosts | tr '\n' ' ')" = "acme.atlassian.net admin.atlassian.com api.atlassian.com localhost nosuchsite.atlassian.net "

# Custom domain answers as the site.
mc_start site-custom-domain || exit 1
req "https://jira.acme-corp.example/_edge/tenant_info"
expect_status 200
expect_body "\"cloudId\":\"$CLOUD\""

# Clean shutdown on SIGTERM with exit status 0 (waited for as long as a
# busy machine needs; 120 s only guard against a hang).
pid=$MC_PID
kill -TERM "$pid"
i=0
while kill -0 "$pid" 2>/dev/null && [ $i -lt 1200 ]; do sleep 0.1; i=$((i + 1)); done
check "stops on SIGTERM" sh -c "! kill -0 $pid 2>/dev/null"
wait "$pid"
check "exit status 0 after SIGTERM" test $? = 0
MC_PID=

# A start that fails reports mockcloud's error.
printf '{"name":"x"}' >"$MC_DIR/bad.json"
if mc_start "$MC_DIR/bad.json" 2>"$MC_DIR/start.err"; then
	fail "mc_start succeeded with a bad scenario"
fi
check "start error names the file" grep -q "bad.json" "$MC_DIR/start.err"
finish
