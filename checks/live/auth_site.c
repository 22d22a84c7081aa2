/* checks/live/auth_site.c: auth.site: identity through https://<site>, to tell a scoped token from a classic one; finds the site from the gateway when only a cloud ID was given. */
#include <stdlib.h>
#include <string.h>

#include "checks/live/auth_routes.h"
#include "checks/live/live_util.h"
#include "diag/core/url.h"
#include "diag/core/util.h"

/* A cloud ID without a site is complete input for the gateway; the site
 * is then read from serverInfo's baseUrl through the gateway. */
static int
want_site(struct diag_run *r)
{
	char *h, *cid;
	int want;

	if (!diag__live_have_token(r))
		return 0;
	if ((h = diag__live_site_host(r)) != NULL) {
		free(h);
		return 0;
	}
	cid = diag__live_cloud_id_given(r);
	want = cid != NULL;
	free(cid);
	return want;
}

static void
queue_server_info(struct diag_run *r)
{
	char *cid = diag__live_cloud_id_given(r), *url;

	url = diag_xasprintf(LIVE_GATEWAY "/ex/jira/%s/rest/api/3/serverInfo",
	    cid);
	diag_run_http(r, "server_info", "GET", url, diag__live_auth(r), NULL);
	free(url);
	free(cid);
}

/* serverInfo's baseUrl (reference §5: "https://your-domain.atlassian.net")
 * becomes the site, when it is a host credentials may go to. */
static void
site_from_gateway(struct diag_run *r, const struct diag_exchange *ex)
{
	struct json_object *o, *v;
	struct diag_url u;

	if (ex->status != 200 || (o = diag__live_json(ex)) == NULL)
		return;
	if (json_object_object_get_ex(o, "baseUrl", &v) &&
	    json_object_is_type(v, json_type_string) &&
	    diag_url_parse(json_object_get_string(v), &u) == 0) {
		if (strcmp(u.scheme, "https") == 0 &&
		    diag_url_host_allowed(u.host, NULL, 0) &&
		    strcmp(u.host, "api.atlassian.com") != 0) {
			diag_run_fact_set(r, "site.host",
			    json_object_new_string(u.host));
			diag_run_fact_set(r, "site.from_gateway",
			    json_object_new_boolean(1));
			diag_run_fact_set(r, "inputs.site.value",
			    json_object_new_string(u.host));
			diag_run_fact_set(r, "inputs.site.source",
			    json_object_new_string(
				"gateway:serverInfo baseUrl"));
		}
		diag_url_release(&u);
	}
	json_object_put(o);
}

static enum diag_step
site_run(struct diag_run *r)
{
	const struct diag_exchange *si = diag_run_exchange(r, "server_info");

	if (diag_run_step(r) == 0 && want_site(r)) {
		queue_server_info(r);
		return DIAG_STEP_WAIT;
	}
	if (si != NULL && diag_run_exchange(r, "identity") == NULL)
		site_from_gateway(r, si);
	if (diag__live_identity_probe(r, "site") == DIAG_STEP_WAIT)
		return DIAG_STEP_WAIT;
	diag__route_record(r, "site");
	if (diag_run_fact_true(r, "site.from_gateway"))
		diag_run_message(r,
		    "site %s found from the gateway (serverInfo baseUrl); %s",
		    diag_run_fact_str(r, "site.host"),
		    strcmp(diag__route_outcome(r, "site"), "works") == 0 ?
			"the token works there" :
			"the token does not work there");
	return DIAG_STEP_DONE;
}

const struct diag_check diag_check_auth_site = {
	.id = "auth.site",
	.summary = "identity through https://<site> (with auth.gateway: scoped "
		   "or classic)",
	.flags = DIAG_CHECK_LIVE,
	.run = site_run,
};
