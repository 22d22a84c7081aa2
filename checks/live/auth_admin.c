/* checks/live/auth_admin.c: auth.admin: with an org admin API key, the authoritative account and token status. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "checks/live/live_util.h"
#include "diag/core/util.h"

#define MAX_ORGS 3

/* data[].attributes.name of an org, or "?". */
static const char *
org_name(struct json_object *org)
{
	struct json_object *a;
	const char *n;

	if (!json_object_object_get_ex(org, "attributes", &a) ||
	    (n = diag_json_str(a, "name")) == NULL)
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

/* 1 when the email is a service account's (reference §6). */
static int
service_account(struct diag_run *r, const char *email)
{
	const char *k = diag_run_fact_str(r, "token.kind");
	const char *at = email != NULL ? strrchr(email, '@') : NULL;

	return (at != NULL &&
		   strcasecmp(at + 1, "serviceaccount.atlassian.com") == 0) ||
	    (k != NULL && strcmp(k, "service_account_token") == 0);
}

static void
cause(struct diag_run *r, const char *code, int confirmed, const char *detail)
{
	diag_run_fact_set(r, "admin.cause", json_object_new_string(code));
	diag_run_fact_set(r, "admin.cause_confidence",
	    json_object_new_string(confirmed ? "confirmed" : "likely"));
	diag_run_fact_set(r, "admin.cause_detail",
	    json_object_new_string(detail));
}

/*
 * The service-account list (GET .../service-accounts, reference §6: a
 * documented "status" field; its values are not documented, so any value
 * but ACTIVE that reads as inactive is taken as deactivated, "likely").
 * Returns 1 when it proves the account deactivated.
 */
static int
weigh_service_accounts(struct diag_run *r, const char *email)
{
	const struct diag_exchange *ex;
	struct json_object *o, *items, *e;
	char label[32], *d;
	const char *st;
	size_t i, k;
	int res = 0;

	for (k = 0; k < MAX_ORGS && !res; k++) {
		snprintf(label, sizeof(label), "service-accounts%zu", k);
		if ((ex = diag_run_exchange(r, label)) == NULL ||
		    ex->status != 200)
			continue;
		o = diag__live_json(ex);
		if (o == NULL ||
		    !json_object_object_get_ex(o, "items", &items) ||
		    !json_object_is_type(items, json_type_array)) {
			json_object_put(o);
			continue;
		}
		for (i = 0; i < json_object_array_length(items); i++) {
			e = json_object_array_get_idx(items, i);
			if (diag_json_str(e, "email") == NULL ||
			    strcasecmp(diag_json_str(e, "email"), email) != 0 ||
			    (st = diag_json_str(e, "status")) == NULL)
				continue;
			diag_run_fact_set(r, "admin.account_status",
			    json_object_new_string(st));
			if (strcasecmp(st, "ACTIVE") == 0 ||
			    (strcasestr(st, "inactive") == NULL &&
				strcasestr(st, "deactivat") == NULL &&
				strcasestr(st, "disabled") == NULL &&
				strcasestr(st, "suspended") == NULL &&
				strcasestr(st, "closed") == NULL))
				continue;
			d = diag_xasprintf(
			    "The organization admin API lists the service "
			    "account %s with status %s: it is deactivated, and "
			    "a deactivated account's tokens all answer 401.",
			    email, st);
			cause(r, "account.deactivated", 0, d);
			free(d);
			res = 1;
			break;
		}
		json_object_put(o);
	}
	return res;
}

/*
 * Weighs the tokens of the email across the listed orgs (GET .../
 * api-tokens, reference §6: "status", "expiresAt"; the documented status
 * is ALLOWED, other values are read by their words). Sets admin.cause
 * when every token of the email is unusable for one reason, and
 * token.expires_at when the email has exactly one token.
 */
static void
weigh_tokens(struct diag_run *r, const char *email, int proven)
{
	const struct diag_exchange *ex;
	struct json_object *o, *data, *e, *u;
	char label[32];
	size_t i, k, n_tok = 0, n_live = 0, n_exp = 0, n_rev = 0, n_blk = 0;
	const char *st, *ea;
	char *exp_at = NULL, *lab = NULL;

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
				e = json_object_array_get_idx(data, i);
				if (!json_object_object_get_ex(e, "user", &u) ||
				    diag_json_str(u, "email") == NULL ||
				    strcasecmp(diag_json_str(u, "email"),
					email) != 0)
					continue;
				n_tok++;
				st = diag_json_str(e, "status");
				ea = diag_json_str(e, "expiresAt");
				if (lab == NULL &&
				    diag_json_str(e, "label") != NULL)
					lab = diag_xstrdup(
					    diag_json_str(e, "label"));
				free(exp_at);
				exp_at = NULL;
				if (n_tok == 1 && ea != NULL)
					exp_at = diag_xstrdup(ea);
				if (st != NULL &&
				    strcasestr(st, "revoke") != NULL)
					n_rev++;
				else if (st != NULL &&
				    strcasestr(st, "block") != NULL)
					n_blk++;
				else if (past(ea) ||
				    (st != NULL &&
					strcasestr(st, "expire") != NULL))
					n_exp++;
				else if (st == NULL ||
				    strcasecmp(st, "ALLOWED") == 0 ||
				    strcasecmp(st, "ACTIVE") == 0)
					n_live++;
			}
		json_object_put(o);
	}
	diag_run_fact_set(r, "admin.tokens_usable",
	    json_object_new_int((int)n_live));
	/* One token of this email: its expiry is the token's (token.expiry
	 * reads it). With several, which one was given is unknown. */
	if (n_tok == 1 && exp_at != NULL)
		diag_run_fact_set(r, "token.expires_at",
		    json_object_new_string(exp_at));
	free(exp_at);
	if (n_rev > 0 && n_live == 0)
		diag_run_fact_set(r, "admin.revoked",
		    json_object_new_boolean(1));
	if (!proven && n_tok > 0 && n_live == 0) {
		if (n_blk > 0 && n_rev == 0 && n_exp == 0)
			cause(r, "auth.api_tokens_blocked", 0,
			    "The organization admin API (API token access) "
			    "lists every API token of this email with a "
			    "blocked status: the organization blocks API-token "
			    "access for this user.");
		else if (n_exp > 0 && n_rev == 0 && n_blk == 0)
			cause(r, "auth.token_expired", 1,
			    "The organization admin API lists every API token "
			    "of this email as expired.");
		else if (n_rev > 0 && n_exp == 0 && n_blk == 0)
			cause(r, "auth.token_revoked", 1,
			    "The organization admin API lists every API token "
			    "of this email as revoked.");
		else
			cause(r, "auth.token_revoked", 0,
			    "The organization admin API lists no usable API "
			    "token for this email: each one is revoked, "
			    "expired or blocked.");
	}
	diag_run_message(r,
	    "admin API: %zu token%s of this email (%zu usable, %zu expired, "
	    "%zu revoked, %zu blocked)%s%s%s",
	    n_tok, n_tok == 1 ? "" : "s", n_live, n_exp, n_rev, n_blk,
	    lab != NULL ? ", e.g. " : "", lab != NULL ? lab : "",
	    diag_run_fact_str(r, "admin.account_status") != NULL ?
		"; service account status listed" :
		"");
	free(lab);
}

/*
 * Queues the reads of organization id's API tokens (and service accounts, for
 * one's email) as the n-th org.
 */
static void
queue_org(struct diag_run *r, const char *id, const char *email, size_t n)
{
	const char *orgs = LIVE_GATEWAY "/admin/api-access/v1/orgs";
	char *url, label[32];

	snprintf(label, sizeof(label), "tokens%zu", n);
	url = diag_xasprintf("%s/%s/api-tokens", orgs, id);
	diag_run_http(r, label, "GET", url, DIAG_AUTH_ORG_KEY, NULL);
	free(url);
	if (service_account(r, email)) {
		snprintf(label, sizeof(label), "service-accounts%zu", n);
		url = diag_xasprintf("%s/%s/service-accounts", orgs, id);
		diag_run_http(r, label, "GET", url, DIAG_AUTH_ORG_KEY, NULL);
		free(url);
	}
}

static enum diag_step
admin_run(struct diag_run *r)
{
	const struct diag_input *key = diag_run_input(r, DIAG_IN_ORG_KEY);
	const struct diag_exchange *ex;
	struct diag_finding *f;
	struct json_object *o, *data, *ids;
	const char *email = diag_run_fact_str(r, "email.clean"), *id;
	char *cid;
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
			diag_run_status(r, DIAG_WARN,
			    "the admin API did not answer");
			return DIAG_STEP_DONE;
		}
		if (ex->status != 200) {
			/* The key given with --org-key-file does not work:
			 * the run cannot do what it was asked to. */
			f = diag__live_classified(r, ex, DIAG_FAIL);
			if (f == NULL) {
				f = diag_run_finding(r,
				    "admin_api.wrong_credential", DIAG_FAIL,
				    DIAG_POSSIBLE,
				    "GET %s answered %ld: the org key was "
				    "refused.",
				    ex->url, ex->status);
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
				id = diag_json_str(
				    json_object_array_get_idx(data, i), "id");
				if (id == NULL)
					continue;
				json_object_array_add(ids,
				    json_object_new_string(id));
				if (cid != NULL && strcasecmp(cid, id) == 0 &&
				    !diag_run_has_finding(r,
					"cloud_id.is_org_id")) {
					f = diag_run_finding(r,
					    "cloud_id.is_org_id", DIAG_FAIL,
					    DIAG_CONFIRMED,
					    "The ID given as the cloud ID, %s, "
					    "is the ID of organization '%s' "
					    "(admin API).",
					    id,
					    org_name(
						json_object_array_get_idx(data,
						    i)));
					diag_finding_evidence(f, ex);
				}
				if (email != NULL && n < MAX_ORGS)
					queue_org(r, id, email, n++);
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
		weigh_tokens(r, email, weigh_service_accounts(r, email));
		return DIAG_STEP_DONE;
	}
}

const struct diag_check diag_check_auth_admin = {
	.id = "auth.admin",
	.summary =
	    "with an org key: account and token status, org ID vs cloud ID",
	.flags = DIAG_CHECK_LIVE,
	.run = admin_run,
};
