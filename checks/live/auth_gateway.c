/* checks/live/auth_gateway.c: auth.gateway: identity through api.atlassian.com/ex/{product}/{cloudId}. */
#include "checks/live/live_util.h"

static enum diag_step
gateway_run(struct diag_run *r)
{
	return diag__live_identity_probe(r, "gateway");
}

const struct diag_check diag_check_auth_gateway = {
	"auth.gateway",
	"identity through api.atlassian.com/ex/{product}/{cloudId}",
	DIAG_CHECK_LIVE,
	gateway_run,
};
