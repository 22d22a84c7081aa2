/* checks/live/site_tenant.c: site.tenant: the site's real cloud ID from /_edge/tenant_info, compared with the given one. */
#include <stdlib.h>
#include <string.h>

#include "checks/live/live_util.h"
#include "diag/core/util.h"

/*
 * A 200 answer whose cloudId is not a UUID (net.reach keeps only UUIDs):
 * service.unexpected_response, the value shown escaped and cut, never
 * used. Returns 1 when it raised that finding.
 */
static int
odd_cloud_id(struct diag_run *r, struct diag_exchange *ex)
{
	struct json_object *o, *v;
	struct diag_finding *f;
	char *shown;

	if (ex->status != 200 || (o = diag__live_json(ex)) == NULL)
		return 0;
	if (!json_object_object_get_ex(o, "cloudId", &v) ||
	    json_object_get_string_len(v) == 0) {
		json_object_put(o);
		return 0;
	}
	shown = diag_str_printable(json_object_get_string(v),
	    (size_t)json_object_get_string_len(v), 60);
	json_object_put(o);
	f = diag_run_finding(r, "service.unexpected_response", DIAG_FAIL,
	    DIAG_POSSIBLE,
	    "GET %s answered a cloudId that is not a cloud ID (a UUID): '%s'. "
	    "It is not used.",
	    ex->url, shown);
	diag_finding_evidence(f, ex);
	free(shown);
	return 1;
}

static enum diag_step
tenant_run(struct diag_run *r)
{
	struct diag_exchange *ex;
	struct diag_finding *f;
	const char *real;
	char *given = NULL;

	ex = diag__live_fact_exchange(r, "site.tenant.exchange");
	if (ex == NULL) {
		diag_run_status(r, DIAG_SKIPPED, "no site given");
		return DIAG_STEP_DONE;
	}
	if (diag__live_undecided(r, ex))
		goto out;
	real = diag_run_fact_str(r, "site.tenant.cloud_id");
	if (real == NULL && odd_cloud_id(r, ex))
		goto out;
	if (real == NULL) {
		f = diag__live_classified(r, ex, DIAG_FAIL);
		if (f == NULL || strcmp(f->code, "site.not_found") != 0) {
			f = diag_run_finding(r, "site.not_found", DIAG_FAIL,
			    ex->status == 404 ? DIAG_LIKELY : DIAG_POSSIBLE,
			    "GET %s answered %ld without a cloudId: this host "
			    "is not an Atlassian Cloud site (the answer for a "
			    "site that does not exist is not documented).",
			    ex->url, ex->status);
			diag_finding_evidence(f, ex);
		}
		goto out;
	}
	given = diag__live_cloud_id_given(r);
	if (given == NULL) {
		diag_run_message(r,
		    "cloud ID %s (none given: the live checks use this one)",
		    real);
		goto out;
	}
	if (strcmp(given, real) == 0) {
		diag_run_message(r, "cloud ID %s matches the site", real);
		goto out;
	}
	if (diag_run_fact_true(r, "cloud_id.from_org_url")) {
		f = diag_run_finding(r, "cloud_id.is_org_id", DIAG_FAIL,
		    DIAG_CONFIRMED,
		    "The ID %s was taken from an admin URL of the form "
		    "admin.atlassian.com/o/<id>: that is the organization ID. "
		    "The site's cloud ID is %s.",
		    given, real);
	} else {
		f = diag_run_finding(r, "cloud_id.mismatch", DIAG_FAIL,
		    DIAG_LIKELY,
		    "The cloud ID given (%s) is not this site's: %s answers "
		    "%s. It is another site's cloud ID or the organization ID "
		    "(auth.admin tells which when an org key is given).",
		    given, ex->url, real);
	}
	diag_finding_step(f,
	    "Use the cloud ID %s in https://api.atlassian.com/ex/%s/%s/...",
	    real, diag__live_product(r), real);
	diag_finding_evidence(f, ex);
	/* The site itself answered: a wrong cloud ID is a failure of its
	 * own (the finding), not a reason to block gateway.cloud, which
	 * tells whether the gateway knows the given ID at all. */
	diag_run_status(r, DIAG_WARN,
	    "the site's cloud ID is %s, not the given %s", real, given);
out:
	free(given);
	diag_exchange_free(ex);
	return DIAG_STEP_DONE;
}

const struct diag_check diag_check_site_tenant = {
	.id = "site.tenant",
	.summary =
	    "GET https://<site>/_edge/tenant_info: the site's real cloud ID",
	.flags = DIAG_CHECK_LIVE,
	.run = tenant_run,
};
