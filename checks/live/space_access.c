/* checks/live/space_access.c: space.access: the Confluence space is visible to the account. */
#include <stdlib.h>
#include <string.h>

#include "checks/live/live_util.h"
#include "checks/live/requirement.h"
#include "diag/core/util.h"

/*
 * Where to ask Confluence: the route the identity was confirmed on, for
 * Confluence: the site URL as is, or the gateway's /ex/confluence/ (so
 * --space is judged with --product jira as well). Owned, or NULL.
 */
static char *
wiki_base(struct diag_run *r)
{
	const char *route = diag_run_fact_str(r, "auth.route");
	const char *base = diag__live_route_base(r);
	char *id, *b;

	if (base == NULL || route == NULL)
		return NULL;
	if (strcmp(route, "gateway") != 0 ||
	    strcmp(diag__live_product(r), "confluence") == 0)
		return diag_xstrdup(base);
	if ((id = diag__live_cloud_id(r)) == NULL)
		return NULL;
	b = diag_xasprintf(LIVE_GATEWAY "/ex/confluence/%s", id);
	free(id);
	return b;
}

static enum diag_step
space_run(struct diag_run *r)
{
	const char *key = diag_run_option(r, "space");
	const struct diag_exchange *ex;
	struct json_object *o, *res;
	struct diag_finding *f;
	char *k, *url, *base;
	size_t n = 0;

	if (key == NULL || (base = wiki_base(r)) == NULL) {
		diag__req_skip(r, "space", key);
		return DIAG_STEP_DONE;
	}
	if (diag_run_step(r) == 0) {
		k = diag__live_urlenc(key);
		url = diag_xasprintf("%s/wiki/api/v2/spaces?keys=%s&limit=1",
		    base, k);
		diag_run_http(r, "space", "GET", url, diag__live_auth(r), NULL);
		free(url);
		free(k);
		free(base);
		return DIAG_STEP_WAIT;
	}
	free(base);
	ex = diag_run_exchange(r, "space");
	if (diag__live_undecided(r, ex)) {
		diag__req(r, "space", key, DIAG_REQ_UNPROVEN, DIAG_CONFIRMED,
		    "Run again when Atlassian answers.",
		    "no usable answer (network, 429 or 5xx)");
		return DIAG_STEP_DONE;
	}
	if (ex->status != 200) {
		diag__req(r, "space", key, DIAG_REQ_UNPROVEN, DIAG_CONFIRMED,
		    NULL, "listing the space answered %ld", ex->status);
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
		    DIAG_LIKELY,
		    "Confluence lists no space with key %s for this account "
		    "(\"only spaces that the user has permission to view will "
		    "be returned\"): it does not exist or the account may not "
		    "view it.",
		    key);
		diag_finding_step(f,
		    "A space administrator of %s adds the account in Space "
		    "settings > Permissions (View).",
		    key);
		diag_finding_evidence(f, ex);
		diag__req(r, "space", key, DIAG_REQ_DISPROVEN, DIAG_LIKELY,
		    NULL,
		    "Confluence lists no space with this key for the account");
	} else {
		diag_run_message(r, "space %s visible", key);
		diag__req(r, "space", key, DIAG_REQ_PROVEN, DIAG_CONFIRMED,
		    NULL, "Confluence lists it for the account");
	}
	return DIAG_STEP_DONE;
}

const struct diag_check diag_check_space_access = {
	.id = "space.access",
	.summary = "the Confluence space is visible",
	.flags = DIAG_CHECK_LIVE,
	.run = space_run,
};
