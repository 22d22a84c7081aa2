/* checks/live/net_reach.c: net.reach: DNS, TCP, TLS and proxy to each host the live checks need. */
#include <stdlib.h>
#include <string.h>

#include "checks/live/live_util.h"
#include "checks/live/not_cloud.h"
#include "checks/input/token_kind.h"
#include "diag/core/secret.h"
#include "diag/core/util.h"

/* Live probes send the cleaned token and email (token.whitespace is
 * reported by input.token): facts "token.clean" and "email.clean". */
static void
set_clean(struct diag_run *r)
{
	const struct diag_input *t = diag_run_input(r, DIAG_IN_TOKEN);
	const struct diag_input *e = diag_run_input(r, DIAG_IN_EMAIL);
	struct diag__tok_clean c;
	char *em;
	size_t n;
	const char *p;

	if (t->value != NULL && t->len > 0 &&
	    diag_run_fact_str(r, "token.clean") == NULL) {
		diag__token_clean(t->value, t->len, &c);
		if (c.len > 0 && memchr(c.clean, '\0', c.len) == NULL) {
			diag_secret_register(c.clean, c.len);
			diag_run_fact_set(r, "token.clean",
			    json_object_new_string_len(c.clean, (int)c.len));
			if (c.len != t->len ||
			    memcmp(c.clean, t->value, c.len) != 0)
				diag_run_fact_set(r, "token.was_dirty",
				    json_object_new_boolean(1));
		}
		diag__token_clean_release(&c);
	}
	if (e->value != NULL && diag_run_fact_str(r, "email.clean") == NULL) {
		p = e->value;
		n = e->len;
		if (n >= 7 && strncasecmp(p, "mailto:", 7) == 0) {
			p += 7;
			n -= 7;
		}
		while (n > 0 &&
		    (*p == ' ' || *p == '\t' || *p == '"' || *p == '\'' ||
			*p == '<')) {
			p++;
			n--;
		}
		while (n > 0 &&
		    (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\r' ||
			p[n - 1] == '\n' || p[n - 1] == '"' ||
			p[n - 1] == '\'' || p[n - 1] == '>'))
			n--;
		em = diag_xstrndup(p, n);
		diag_run_fact_set(r, "email.clean", json_object_new_string(em));
		free(em);
	}
}

/* tenant_info answer: the site's own cloud ID as a fact. */
static void
tenant_facts(struct diag_run *r, const struct diag_exchange *ex)
{
	struct json_object *o, *v;

	diag__live_fact_exchange_set(r, "site.tenant.exchange", ex);
	if (ex->status != 200)
		return;
	o = diag__live_json(ex);
	/* Only a UUID: the ID goes into gateway URLs (site.tenant says
	 * when the answer holds anything else). */
	if (o != NULL && json_object_object_get_ex(o, "cloudId", &v) &&
	    json_object_is_type(v, json_type_string) &&
	    diag_is_uuid(json_object_get_string(v),
		(size_t)json_object_get_string_len(v))) {
		char *id = diag_str_lower(json_object_get_string(v));

		diag_run_fact_set(r, "site.tenant.cloud_id",
		    json_object_new_string(id));
		free(id);
	}
	json_object_put(o);
}

/* Step 0: tenant_info on the site, and the gateway's root. */
static enum diag_step
reach_send(struct diag_run *r)
{
	char *host, *url, *cid;
	int n = 0;

	set_clean(r);
	if ((host = diag__live_site_host(r)) != NULL) {
		url = diag_xasprintf("https://%s/_edge/tenant_info", host);
		diag_run_http(r, "site", "GET", url, DIAG_AUTH_NONE, NULL);
		free(url);
		free(host);
		n++;
	}
	cid = diag__live_cloud_id_given(r);
	if (cid != NULL || n == 0 ||
	    diag_run_input(r, DIAG_IN_ORG_KEY)->value != NULL)
		diag_run_http(r, "gateway", "GET", LIVE_GATEWAY "/",
		    DIAG_AUTH_NONE, NULL);
	free(cid);
	return DIAG_STEP_WAIT;
}

/*
 * Step 2: the site is not Atlassian Cloud (Data Center, Server, a proxy):
 * the run fails with site.not_cloud, so every Cloud check after net.reach
 * is blocked instead of reading the host's answers as Cloud's.
 */
static enum diag_step
reach_not_cloud(struct diag_run *r)
{
	const struct diag_exchange *s = diag_run_exchange(r, "site");
	const struct diag_exchange *i = diag_run_exchange(r, "serverinfo");

	if (diag__not_cloud_judge(r, s, i) == NULL) {
		diag_run_message(r,
		    "site reachable over TLS; its serverInfo says Atlassian "
		    "Cloud");
		return DIAG_STEP_DONE;
	}
	diag_run_status(r, DIAG_FAIL,
	    "the site is not Atlassian Cloud (site.not_cloud): the Cloud "
	    "checks are not run");
	return DIAG_STEP_DONE;
}

static enum diag_step
reach_run(struct diag_run *r)
{
	const struct diag_exchange *s, *g;
	char *url;
	int undecided = 0;

	if (diag_run_step(r) == 0)
		return reach_send(r);
	if (diag_run_step(r) == 2)
		return reach_not_cloud(r);
	s = diag_run_exchange(r, "site");
	g = diag_run_exchange(r, "gateway");
	if (s != NULL) {
		if (s->status == 0 || diag__live_transport_failed(s))
			undecided |= diag__live_undecided(r, s);
		else
			tenant_facts(r, s);
	}
	if (g != NULL && (g->status == 0 || diag__live_transport_failed(g)))
		undecided |= diag__live_undecided(r, g);
	if (undecided)
		return DIAG_STEP_DONE;
	if (diag__not_cloud_suspect(r, s) &&
	    (url = diag__not_cloud_info_url(r)) != NULL) {
		diag_run_http(r, "serverinfo", "GET", url, DIAG_AUTH_NONE,
		    NULL);
		free(url);
		return DIAG_STEP_WAIT;
	}
	diag_run_message(r, "%s%s%s reachable over TLS",
	    s != NULL ? "site" : "", s != NULL && g != NULL ? " and " : "",
	    g != NULL ? "api.atlassian.com" : "");
	return DIAG_STEP_DONE;
}

const struct diag_check diag_check_net_reach = {
	.id = "net.reach",
	.summary = "DNS, TCP, TLS and proxy to the site and api.atlassian.com",
	.flags = DIAG_CHECK_LIVE,
	.run = reach_run,
};
