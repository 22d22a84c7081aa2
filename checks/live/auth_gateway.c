/* checks/live/auth_gateway.c: auth.gateway: identity through api.atlassian.com/ex/{product}/{cloudId}. */
#include "checks/live/live_util.h"

static enum diag_step
gateway_run(struct diag_run *r)
{
	return diag__live_identity_probe(r, "gateway");
}

const struct diag_check diag_check_auth_gateway = {
	.id = "auth.gateway",
	.summary = "identity through api.atlassian.com/ex/{product}/{cloudId}",
	.flags = DIAG_CHECK_LIVE,
	.run = gateway_run,
};
