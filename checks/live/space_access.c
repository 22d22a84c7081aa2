/* checks/live/space_access.c: space.access: the Confluence space is visible to the account. */
#include <stdlib.h>
#include <string.h>

#include "checks/live/live_util.h"
#include "diag/core/util.h"

static enum diag_step
space_run(struct diag_run *r)
{
	const char *key = diag_run_option(r, "space");
	const char *base = diag__live_route_base(r);
	const struct diag_exchange *ex;
	struct json_object *o, *res;
	struct diag_finding *f;
	char *k, *url;
	size_t n = 0;

	if (key == NULL || base == NULL ||
	    strcmp(diag__live_product(r), "confluence") != 0) {
		diag_run_status(r, DIAG_SKIPPED, key == NULL ? "no --space "
		    "given" : base == NULL ? "no confirmed identity" :
		    "--product is not confluence");
		return DIAG_STEP_DONE;
	}
	if (diag_run_step(r) == 0) {
		k = diag__live_urlenc(key);
		url = diag_xasprintf("%s/wiki/api/v2/spaces?keys=%s&limit=1",
		    base, k);
		diag_run_http(r, "space", "GET", url, diag__live_auth(r), NULL);
		free(url);
		free(k);
		return DIAG_STEP_WAIT;
	}
	ex = diag_run_exchange(r, "space");
	if (diag__live_undecided(r, ex))
		return DIAG_STEP_DONE;
	if (ex->status != 200) {
		if (diag__live_classified(r, ex, DIAG_FAIL) == NULL) {
			f = diag_run_finding(r, "space.not_visible", DIAG_FAIL,
			    DIAG_POSSIBLE, "Listing space %s answered %ld.",
			    key, ex->status);
			diag_finding_evidence(f, ex);
		}
		return DIAG_STEP_DONE;
	}
	if ((o = diag__live_json(ex)) != NULL &&
	    json_object_object_get_ex(o, "results", &res) &&
	    json_object_is_type(res, json_type_array))
		n = json_object_array_length(res);
	json_object_put(o);
	if (n == 0) {
		f = diag_run_finding(r, "space.not_visible", DIAG_FAIL,
		    DIAG_LIKELY, "Confluence lists no space with key %s for "
		    "this account (\"only spaces that the user has permission "
		    "to view will be returned\"): it does not exist or the "
		    "account may not view it.", key);
		diag_finding_step(f, "A space administrator of %s adds the "
		    "account in Space settings > Permissions (View).", key);
		diag_finding_evidence(f, ex);
	} else
		diag_run_message(r, "space %s visible", key);
	return DIAG_STEP_DONE;
}

const struct diag_check diag_check_space_access = {
	.id = "space.access",
	.summary = "the Confluence space is visible",
	.flags = DIAG_CHECK_LIVE,
	.run = space_run,
};
