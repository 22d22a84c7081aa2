/* checks/auth_admin.c: auth.admin: with an org admin API key, the authoritative account and token status. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "checks/live_util.h"
#include "diag/util.h"

#define MAX_ORGS	3

static const char *
jstr(struct json_object *o, const char *k)
{
	struct json_object *v;

	if (o == NULL || !json_object_object_get_ex(o, k, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

/* data[].attributes.name of an org, or "?". */
static const char *
org_name(struct json_object *org)
{
	struct json_object *a;
	const char *n;

	if (!json_object_object_get_ex(org, "attributes", &a) ||
	    (n = jstr(a, "name")) == NULL)
		return "?";
	return n;
}

/* An ISO 8601 time "YYYY-MM-DDTHH:MM[:SS]..." in the past. */
static int
past(const char *iso)
{
	struct tm tm;
	char now[32];
	time_t t = time(NULL);

	if (iso == NULL || strlen(iso) < 10)
		return 0;
	gmtime_r(&t, &tm);
	strftime(now, sizeof(now), "%Y-%m-%dT%H:%M:%S", &tm);
	return strncmp(iso, now, strlen(iso) < 19 ? strlen(iso) : 19) < 0;
}

/* Weighs the tokens of the email across the listed orgs. */
static void
weigh_tokens(struct diag_run *r, const char *email)
{
	const struct diag_exchange *ex;
	struct json_object *o, *data, *e;
	char label[32];
	size_t i, k, n_tok = 0, n_live = 0, n_exp = 0, n_rev = 0;
	const char *st, *lab = NULL;

	for (k = 0; k < MAX_ORGS; k++) {
		snprintf(label, sizeof(label), "tokens%zu", k);
		if ((ex = diag_run_exchange(r, label)) == NULL)
			break;
		if (ex->status != 200)
			continue;
		o = diag__live_json(ex);
		if (o != NULL && json_object_object_get_ex(o, "data", &data) &&
		    json_object_is_type(data, json_type_array))
			for (i = 0; i < json_object_array_length(data); i++) {
				struct json_object *u;

				e = json_object_array_get_idx(data, i);
				if (!json_object_object_get_ex(e, "user", &u) ||
				    jstr(u, "email") == NULL ||
				    strcasecmp(jstr(u, "email"), email) != 0)
					continue;
				n_tok++;
				st = jstr(e, "status");
				lab = jstr(e, "label");
				if (st != NULL && strcasecmp(st, "ALLOWED")
				    != 0 && strcasecmp(st, "ACTIVE") != 0)
					n_rev++;
				else if (past(jstr(e, "expiresAt")))
					n_exp++;
				else
					n_live++;
			}
		json_object_put(o);
	}
	diag_run_fact_set(r, "admin.tokens_listed",
	    json_object_new_int((int)n_tok));
	if (n_tok > 0 && n_live == 0) {
		diag_run_fact_set(r, "admin.cause", json_object_new_string(
		    n_exp > 0 && n_rev == 0 ? "auth.token_expired" :
		    "auth.token_revoked"));
		diag_run_fact_set(r, "admin.cause_detail",
		    json_object_new_string(n_exp > 0 && n_rev == 0 ?
		    "The organization admin API lists every API token of this "
		    "email as expired." : "The organization admin API lists no "
		    "usable API token for this email: every one is revoked or "
		    "expired."));
	}
	diag_run_message(r, "admin API: %zu token%s of this email (%zu "
	    "usable, %zu expired, %zu revoked)%s%s", n_tok, n_tok == 1 ? "" : "s",
	    n_live, n_exp, n_rev, lab != NULL ? ", e.g. " : "",
	    lab != NULL ? lab : "");
}

static enum diag_step
admin_run(struct diag_run *r)
{
	const struct diag_input *key = diag_run_input(r, DIAG_IN_ORG_KEY);
	const struct diag_exchange *ex;
	struct diag_finding *f;
	struct json_object *o, *data, *ids;
	const char *email = diag_run_fact_str(r, "email.clean"), *id;
	char *cid, *url, label[32];
	size_t i, n;

	if (key->value == NULL || key->len == 0) {
		diag_run_status(r, DIAG_SKIPPED, "no org admin API key given");
		return DIAG_STEP_DONE;
	}
	switch (diag_run_step(r)) {
	case 0:
		diag_run_http(r, "orgs", "GET", LIVE_GATEWAY "/admin/v1/orgs",
		    DIAG_AUTH_ORG_KEY, NULL);
		return DIAG_STEP_WAIT;
	case 1:
		ex = diag_run_exchange(r, "orgs");
		if (diag__live_undecided(r, ex)) {
			diag_run_status(r, DIAG_WARN, "the admin API did not "
			    "answer");
			return DIAG_STEP_DONE;
		}
		if (ex->status != 200) {
			f = diag__live_classified(r, ex, DIAG_WARN);
			if (f == NULL) {
				f = diag_run_finding(r,
				    "admin_api.wrong_credential", DIAG_WARN,
				    DIAG_POSSIBLE, "GET %s answered %ld: the "
				    "org key was refused.", ex->url, ex->status);
				diag_finding_evidence(f, ex);
			}
			return DIAG_STEP_DONE;
		}
		o = diag__live_json(ex);
		ids = json_object_new_array();
		n = 0;
		cid = diag__live_cloud_id_given(r);
		if (o != NULL && json_object_object_get_ex(o, "data", &data) &&
		    json_object_is_type(data, json_type_array))
			for (i = 0; i < json_object_array_length(data); i++) {
				id = jstr(json_object_array_get_idx(data, i),
				    "id");
				if (id == NULL)
					continue;
				json_object_array_add(ids,
				    json_object_new_string(id));
				if (cid != NULL && strcasecmp(cid, id) == 0 &&
				    !diag_run_has_finding(r,
				    "cloud_id.is_org_id")) {
					f = diag_run_finding(r,
					    "cloud_id.is_org_id", DIAG_FAIL,
					    DIAG_CONFIRMED, "The ID given as "
					    "the cloud ID, %s, is the ID of "
					    "organization '%s' (admin API).",
					    id, org_name(json_object_array_get_idx(
					    data, i)));
					diag_finding_evidence(f, ex);
				}
				if (email != NULL && n < MAX_ORGS) {
					snprintf(label, sizeof(label),
					    "tokens%zu", n++);
					url = diag_xasprintf(LIVE_GATEWAY
					    "/admin/api-access/v1/orgs/%s/"
					    "api-tokens", id);
					diag_run_http(r, label, "GET", url,
					    DIAG_AUTH_ORG_KEY, NULL);
					free(url);
				}
			}
		free(cid);
		diag_run_fact_set(r, "admin.org_ids", ids);
		json_object_put(o);
		if (n == 0) {
			diag_run_message(r, "admin API: %zu organization%s",
			    json_object_array_length(ids),
			    json_object_array_length(ids) == 1 ? "" : "s");
			return DIAG_STEP_DONE;
		}
		return DIAG_STEP_WAIT;
	default:
		weigh_tokens(r, email);
		return DIAG_STEP_DONE;
	}
}

const struct diag_check diag_check_auth_admin = {
	"auth.admin",
	"with an org key: account and token status, org ID vs cloud ID",
	DIAG_CHECK_LIVE,
	admin_run,
};
