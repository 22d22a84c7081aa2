/* checks/live/auth_gateway.c: auth.gateway: identity through api.atlassian.com/ex/{product}/{cloudId}; on a scope-check refusal, whether the token reaches the tenant at all. */
#include <stdlib.h>
#include <string.h>

#include "checks/live/auth_routes.h"
#include "checks/live/live_util.h"
#include "diag/core/util.h"

/*
 * The gateway answers 401 X-Failure-Category: FAILURE_CLIENT_SCOPE_CHECK
 * both when the token lacks the scope of the call and when the site is
 * not the token's (reference §4.3 and Q1). serverInfo needs no scope
 * (reference §5): the same token through the same cloud ID tells the two
 * apart. Queues that read; 1 when it did.
 */
static int
tenant_probe(struct diag_run *r)
{
	struct diag_exchange *ex;
	char *cid, *url;
	int scope_check;

	ex = diag__live_fact_exchange(r, "auth.gateway.exchange");
	scope_check = diag__gateway_category(ex, "FAILURE_CLIENT_SCOPE_CHECK");
	diag_exchange_free(ex);
	if (!scope_check || (cid = diag__live_cloud_id(r)) == NULL)
		return 0;
	url = diag_xasprintf(LIVE_GATEWAY "/ex/jira/%s/rest/api/3/serverInfo",
	    cid);
	diag_run_http(r, "tenant", "GET", url, diag__live_auth(r), NULL);
	free(url);
	free(cid);
	return 1;
}

static enum diag_step
gateway_run(struct diag_run *r)
{
	const struct diag_exchange *ten = diag_run_exchange(r, "tenant");

	if (ten != NULL) {
		/* Any answer is kept: auth.identity weighs only a 200 and
		 * another scope-check refusal, and says so otherwise. */
		if (ten->status != 0)
			diag__live_fact_exchange_set(r,
			    "auth.gateway.tenant_exchange", ten);
		return DIAG_STEP_DONE;
	}
	if (diag__live_identity_probe(r, "gateway") == DIAG_STEP_WAIT)
		return DIAG_STEP_WAIT;
	diag__route_record(r, "gateway");
	return tenant_probe(r) ? DIAG_STEP_WAIT : DIAG_STEP_DONE;
}

const struct diag_check diag_check_auth_gateway = {
	.id = "auth.gateway",
	.summary = "identity through api.atlassian.com/ex/{product}/{cloudId}",
	.flags = DIAG_CHECK_LIVE,
	.run = gateway_run,
};
