/* checks/live/gateway_cloud.c: gateway.cloud: whether api.atlassian.com knows the cloud ID the calls use. */
#include <stdlib.h>
#include <string.h>

#include "checks/live/live_util.h"
#include "diag/core/util.h"

/* The gateway's own 404 (Spring Boot shape with "path"): the request never
 * reached the product (reference Q1, VERIFIED observed). */
static int
gateway_404(const struct diag_exchange *ex)
{
	return ex->status == 404 && ex->body != NULL &&
	    strstr(ex->body, "\"path\"") != NULL &&
	    strstr(ex->body, "\"error\"") != NULL;
}

static enum diag_step
cloud_run(struct diag_run *r)
{
	struct diag_exchange *ex;
	struct diag_finding *f;
	const char *real;
	char *cid;

	ex = diag__live_fact_exchange(r, "auth.gateway.exchange");
	cid = diag__live_cloud_id(r);
	if (ex == NULL || cid == NULL) {
		diag_run_status(r, DIAG_SKIPPED,
		    cid == NULL ? "no cloud ID" : "the gateway was not probed");
		goto out;
	}
	real = diag_run_fact_str(r, "site.tenant.cloud_id");
	if (!gateway_404(ex)) {
		diag_run_message(r,
		    "the gateway routes cloud ID %s (answer %ld)", cid,
		    ex->status);
		goto out;
	}
	/* cloud_id.mismatch (site.tenant) only says the ID is not this
	 * site's; the gateway's own 404 says more: it is no site's ID at
	 * all, so cloud_id.unknown is raised as well and ranks first. */
	if (diag_run_has_finding(r, "cloud_id.is_org_id") ||
	    diag_run_has_finding(r, "cloud_id.malformed")) {
		diag_run_status(r, DIAG_FAIL,
		    "the gateway does not know %s either (404 from the gateway "
		    "itself)",
		    cid);
		goto out;
	}
	if (diag_run_fact_true(r, "cloud_id.from_org_url"))
		f = diag_run_finding(r, "cloud_id.is_org_id", DIAG_FAIL,
		    DIAG_LIKELY,
		    "The gateway answered its own 404 for %s, which came from "
		    "an admin.atlassian.com/o/<id> URL: an organization ID, "
		    "not a cloud ID.",
		    cid);
	else {
		f = diag_run_finding(r, "cloud_id.unknown", DIAG_FAIL,
		    DIAG_CONFIRMED,
		    "The gateway answered its own 404 (a JSON error body with "
		    "\"path\") for cloud ID %s: the request never reached %s, "
		    "so no site of the gateway has this cloud ID.",
		    cid, diag__live_product(r));
		diag_finding_note(f,
		    "an organization ID used as the cloud ID answers the same "
		    "404; with --org-key-file atldiag tells the two apart");
	}
	if (real != NULL && strcmp(real, cid) != 0)
		diag_finding_step(f,
		    "The site's cloud ID is %s (from tenant_info): use it.",
		    real);
	diag_finding_evidence(f, ex);
out:
	free(cid);
	diag_exchange_free(ex);
	return DIAG_STEP_DONE;
}

const struct diag_check diag_check_gateway_cloud = {
	.id = "gateway.cloud",
	.summary = "the cloud ID is known to api.atlassian.com",
	.flags = DIAG_CHECK_LIVE,
	.run = cloud_run,
};
