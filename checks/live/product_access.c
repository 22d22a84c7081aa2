/* checks/live/product_access.c: product.access: the account can use the product on this site. */
#include <string.h>

#include "checks/live/live_util.h"

static enum diag_step
product_run(struct diag_run *r)
{
	struct json_object *roles = diag_run_fact(r, "auth.application_roles");
	const char *type = diag_run_fact_str(r, "auth.account_type");
	struct diag_exchange *ex;
	struct diag_finding *f;

	if (diag_run_fact_str(r, "auth.account_id") == NULL) {
		diag_run_status(r, DIAG_SKIPPED, "no confirmed identity");
		return DIAG_STEP_DONE;
	}
	if (strcmp(diag__live_product(r), "confluence") == 0) {
		diag_run_message(r,
		    "the Confluence identity read succeeded: the account may "
		    "use Confluence");
		return DIAG_STEP_DONE;
	}
	if (roles == NULL || !json_object_is_type(roles, json_type_int)) {
		diag_run_message(r, "application roles not shown: not decided");
		return DIAG_STEP_DONE;
	}
	if (json_object_get_int(roles) > 0) {
		diag_run_message(r, "%d application role%s on the site",
		    json_object_get_int(roles),
		    json_object_get_int(roles) == 1 ? "" : "s");
		return DIAG_STEP_DONE;
	}
	if (type != NULL && strcmp(type, "app") == 0) {
		diag_run_message(r,
		    "service account: no application role listed (service "
		    "accounts hold no licence); project permissions decide");
		return DIAG_STEP_DONE;
	}
	ex = diag__live_fact_exchange(r, "auth.identity.exchange");
	f = diag_run_finding(r, "product.no_access", DIAG_FAIL, DIAG_LIKELY,
	    "The identity answer lists no application role (applicationRoles "
	    "size 0): the account is known to the site but has no Jira access. "
	    "That an empty list means no access follows from Jira's user model "
	    "(not stated by Atlassian).");
	diag_finding_evidence(f, ex);
	diag_exchange_free(ex);
	return DIAG_STEP_DONE;
}

const struct diag_check diag_check_product_access = {
	.id = "product.access",
	.summary =
	    "the account can use the product on the site (application roles)",
	.flags = DIAG_CHECK_LIVE,
	.run = product_run,
};
