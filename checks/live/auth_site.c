/* checks/live/auth_site.c: auth.site: identity through https://<site>, to tell a scoped token from a classic one. */
#include "checks/live/live_util.h"

static enum diag_step
site_run(struct diag_run *r)
{
	return diag__live_identity_probe(r, "site");
}

const struct diag_check diag_check_auth_site = {
	.id = "auth.site",
	.summary = "identity through https://<site> (with auth.gateway: scoped or classic)",
	.flags = DIAG_CHECK_LIVE,
	.run = site_run,
};
