/* checks/live/auth_identity.c: auth.identity: who answered, on which route; the differential verdict of the two identity probes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "checks/live/auth_routes.h"
#include "checks/live/live_util.h"
#include "checks/transcript/redirect.h"
#include "diag/rules/scopes.h"
#include "diag/core/url.h"
#include "diag/core/util.h"

/* The route of a URL: "site", "gateway", or NULL for another host. */
static const char *
url_route(const char *url)
{
	struct diag_url p;
	const char *kind, *res = NULL;

	if (url == NULL || diag_url_parse(url, &p) != 0)
		return NULL;
	kind = diag_url_host_kind(&p);
	if (strcmp(kind, "site") == 0)
		res = "site";
	else if (strncmp(kind, "gateway", 7) == 0)
		res = "gateway";
	diag_url_release(&p);
	return res;
}

#define CALLS_LINE_MAX 4096

/* The route the --calls file names: "site" when any call is a site URL,
 * else "gateway" when one is a gateway URL, else NULL (paths only). The
 * command has validated the file before the run. */
static const char *
calls_route(struct diag_run *r)
{
	const char *file = diag_run_option(r, "calls"), *res = NULL, *rt;
	char line[CALLS_LINE_MAX], *p, *e;
	FILE *f;

	if (file == NULL || (f = fopen(file, "r")) == NULL)
		return NULL;
	while (fgets(line, sizeof(line), f) != NULL) {
		p = line + strspn(line, " \t");
		if (*p == '#')
			continue;
		p += strcspn(p, " \t\r\n"); /* the method */
		p += strspn(p, " \t");
		e = p + strcspn(p, " \t\r\n#");
		*e = '\0';
		if ((rt = url_route(p)) == NULL)
			continue;
		res = rt;
		if (strcmp(rt, "site") == 0)
			break;
	}
	fclose(f);
	return res;
}

/*
 * The route the user named for their own calls: the URL (--url, or the
 * request command's), else the --calls file; "site", "gateway", or NULL
 * when they named none.
 */
static const char *
named_route(struct diag_run *r)
{
	const struct diag_input *u = diag_run_input(r, DIAG_IN_URL);
	const char *res = NULL;

	if (u->value != NULL)
		res = url_route(u->value);
	return res != NULL ? res : calls_route(r);
}

/* The route whose identity answer is weighed first: the one the user
 * named, else the gateway for a service-account token or a cloud ID,
 * else the site. */
static const char *
user_route(struct diag_run *r, const char *named)
{
	const char *k = diag_run_fact_str(r, "token.kind");
	char *cid;

	if (named != NULL)
		return named;
	if (k != NULL && strcmp(k, "service_account_token") == 0)
		return "gateway";
	if ((cid = diag__live_cloud_id_given(r)) != NULL) {
		free(cid);
		return "gateway";
	}
	return "site";
}

/* Facts of the confirmed identity, for the checks that follow. */
static void
identity_facts(struct diag_run *r, const struct diag_exchange *ex,
    const char *route)
{
	struct json_object *o, *v, *roles;
	char *id, *base;

	id = diag__live_account_id(ex);
	diag_run_fact_set(r, "auth.account_id", json_object_new_string(id));
	free(id);
	if (strcmp(route, "gateway") == 0)
		base = diag__live_gateway_base(r);
	else
		base = diag__live_site_base(r);
	diag_run_fact_set(r, "auth.route", json_object_new_string(route));
	diag_run_fact_set(r, "auth.route_base", json_object_new_string(base));
	free(base);
	diag__live_fact_exchange_set(r, "auth.identity.exchange", ex);
	if ((o = diag__live_json(ex)) == NULL)
		return;
	if (json_object_object_get_ex(o, "accountType", &v))
		diag_run_fact_set(r, "auth.account_type", json_object_get(v));
	if (json_object_object_get_ex(o, "active", &v))
		diag_run_fact_set(r, "auth.active", json_object_get(v));
	if (json_object_object_get_ex(o, "displayName", &v))
		diag_run_fact_set(r, "auth.display_name", json_object_get(v));
	if (json_object_object_get_ex(o, "applicationRoles", &roles) &&
	    json_object_object_get_ex(roles, "size", &v))
		diag_run_fact_set(r, "auth.application_roles",
		    json_object_get(v));
	json_object_put(o);
}

/* Raises the classifier's match as a failure with ex as its evidence,
 * unless a finding with its code is there already. */
static void
raise_match(struct diag_run *r, const struct diag_exchange *ex,
    const struct diag_match *m)
{
	struct diag_finding *f;

	if (diag_run_has_finding(r, m->code))
		return;
	f = diag_run_finding(r, m->code, DIAG_FAIL, m->confidence,
	    "%s %s answered %ld: %s.", ex->method, ex->url, ex->status, m->why);
	diag_finding_evidence(f, ex);
}

/*
 * A finer cause the classifier sees in a refusal: the first match whose
 * catalogue entry refines auth.credentials_rejected (rules/diagnoses.json)
 * and that is confirmed or likely is raised. 1 when one was (no need for
 * the generic verdict); a merely possible match is left to the generic
 * verdict's list of hypotheses.
 */
static int
specific_cause(struct diag_run *r, const struct diag_exchange *ex)
{
	struct diag_match m[16];
	size_t n, i;

	if (ex == NULL)
		return 0;
	n = diag_run_classify(r, ex, m, DIAG_NELEM(m));
	for (i = 0; i < n; i++) {
		if (m[i].confidence == DIAG_POSSIBLE ||
		    !diag_run_refines(r, m[i].code,
			"auth.credentials_rejected"))
			continue;
		raise_match(r, ex, &m[i]);
		return 1;
	}
	return 0;
}

/* Proven by the admin API (auth.admin facts), or NULL. */
static int
admin_proof(struct diag_run *r, const struct diag_exchange *gw,
    const struct diag_exchange *st)
{
	const char *c = diag_run_fact_str(r, "admin.cause");
	const char *d = diag_run_fact_str(r, "admin.cause_detail");
	const char *k = diag_run_fact_str(r, "admin.cause_confidence");
	enum diag_confidence conf = DIAG_CONFIRMED;
	struct diag_finding *f;

	if (c == NULL)
		return 0;
	if (k != NULL && strcmp(k, "likely") == 0)
		conf = DIAG_LIKELY;
	f = diag_run_finding(r, c, DIAG_FAIL, conf, "%s",
	    d != NULL ? d : "The organization admin API shows it.");
	diag_finding_evidence(f, st);
	diag_finding_evidence(f, gw);
	return 1;
}

/*
 * The site's "Basic authentication with passwords is deprecated" 401
 * (reference §4.1, VERIFIED observed) also answers a mis-set token, so
 * it proves a password only together with a secret that has no API
 * token shape (input.token: not ATATT/ATSTT/legacy). Returns 1 when
 * auth.password_not_token was raised.
 */
static int
password_cause(struct diag_run *r, const struct diag_exchange *gw,
    const struct diag_exchange *st)
{
	const char *k = diag_run_fact_str(r, "token.kind");
	struct diag_finding *f;

	if (st == NULL || st->status != 401 || st->body == NULL ||
	    strstr(st->body,
		"Basic authentication with passwords is deprecated") == NULL ||
	    k == NULL || strcmp(k, "user_api_token") == 0 ||
	    strcmp(k, "service_account_token") == 0 ||
	    strcmp(k, "legacy_api_token") == 0)
		return 0;
	f = diag_run_finding(r, "auth.password_not_token", DIAG_FAIL,
	    DIAG_LIKELY,
	    "%s answered 401 \"Basic authentication with passwords is "
	    "deprecated\", and the secret sent has no API token shape "
	    "(input.token: %s): it is a password, or some other secret, where "
	    "an API token belongs.",
	    st->url, k);
	diag_finding_evidence(f, st);
	diag_finding_evidence(f, gw);
	return 1;
}

/*
 * The gateway's X-Failure-Category on a refusal that stays a generic
 * one: FAILURE_CLIENT_AUTH_MISMATCH says the route did not accept this
 * kind of credential (observed; meaning inferred), never that the email
 * and token do not match; any other value is named as unknown.
 */
static void
category_note(struct diag_finding *f, const struct diag_exchange *gw)
{
	const char *cat;

	if (gw == NULL ||
	    (cat = diag_exchange_header(gw, "X-Failure-Category")) == NULL)
		return;
	if (diag__gateway_category(gw, "FAILURE_CLIENT_AUTH_MISMATCH"))
		diag_finding_note(f,
		    "the gateway answered X-Failure-Category: "
		    "FAILURE_CLIENT_AUTH_MISMATCH: it did not accept this kind "
		    "of credential on this route; this is not known to mean "
		    "that the email and token do not match");
	else
		diag_finding_note(f,
		    "the gateway named the failure category '%s', which "
		    "atldiag does not know",
		    cat);
}

static void
rejected(struct diag_run *r, const struct diag_exchange *gw,
    const struct diag_exchange *st)
{
	struct diag_finding *f;
	const char *sum = diag_run_fact_str(r, "inputs.token.checksum");
	const char *em = diag_run_fact_str(r, "email.clean");
	const char *where = "the site";

	if (gw != NULL && st != NULL)
		where = "both the gateway and the site";
	else if (gw != NULL)
		where = "the gateway";
	f = diag_run_finding(r, "auth.credentials_rejected", DIAG_FAIL,
	    DIAG_LIKELY,
	    "Atlassian refused the email and token on %s; no finer cause is "
	    "proven.",
	    where);
	struct json_object *usable = diag_run_fact(r, "admin.tokens_usable");

	category_note(f, gw);
	if (usable != NULL && json_object_get_int(usable) > 0) {
		diag_finding_note(f,
		    "the organization admin API lists %d usable (allowed, "
		    "unexpired) API token%s of %s: if the token given is one "
		    "of them, it has neither expired nor been revoked",
		    json_object_get_int(usable),
		    json_object_get_int(usable) == 1 ? "" : "s",
		    em != NULL ? em : "this email");
		diag_finding_note(f,
		    "remaining hypotheses, most likely first:");
		diag_finding_note(f,
		    "1. the token belongs to another account than %s: log in "
		    "at id.atlassian.com as the token's owner and look for its "
		    "label, or send it with that account's email",
		    em != NULL ? em : "this email");
		diag_finding_note(f,
		    "2. the account is deactivated: the admin API's token list "
		    "does not show a person's account status; an org admin "
		    "checks admin.atlassian.com > Directory > Users");
		diag_finding_note(f, "3. the token was mistyped or truncated%s",
		    sum != NULL && strcmp(sum, "ok") == 0 ?
			" (unlikely: its checksum tail matches)" :
			"");
		diag_finding_evidence(f, st);
		diag_finding_evidence(f, gw);
		return;
	}
	diag_finding_note(f, "remaining hypotheses, most likely first:");
	diag_finding_note(f,
	    "1. the token expired (tokens live 1 to 365 days): the token page "
	    "https://id.atlassian.com/manage-profile/"
	    "security/api-tokens shows its expiry; an expired token is listed "
	    "as expired");
	diag_finding_note(f,
	    "2. the token was revoked: if it was revoked less than 10 minutes "
	    "ago it may still work intermittently; a token that no longer "
	    "appears on the token page was revoked");
	diag_finding_note(f,
	    "3. the email%s%s%s belongs to another account than the token: log "
	    "in at id.atlassian.com with this email and check that the token's "
	    "label is listed there",
	    em != NULL ? " (" : "", em != NULL ? em : "",
	    em != NULL ? ")" : "");
	diag_finding_note(f, "4. the token was mistyped or truncated%s",
	    sum != NULL && strcmp(sum, "ok") == 0 ?
		" (unlikely: its checksum tail matches)" :
		"");
	diag_finding_note(f,
	    "5. the account is deactivated, or the organization blocks API "
	    "tokens: an org admin can tell; with --org-key-file atldiag asks "
	    "the admin API and proves which");
	diag_finding_evidence(f, st);
	diag_finding_evidence(f, gw);
}

/*
 * With --project or --issue, the site answers those anonymous-capable
 * reads as anonymous (200/404 with X-Seraph-LoginReason:
 * AUTHENTICATED_FAILED, reference §4.1) when the credentials are refused:
 * the caller sees "not found", not 401. One read shows it.
 */
static int
fallback_probe(struct diag_run *r, const struct diag_exchange *st)
{
	const char *issue = diag_run_option(r, "issue");
	const char *proj = diag_run_option(r, "project");
	char *base, *k, *url;

	if (st == NULL || !diag__live_seraph_failed(st) ||
	    strcmp(diag__live_product(r), "jira") != 0 ||
	    (issue == NULL && proj == NULL) ||
	    diag__live_auth(r) != DIAG_AUTH_BASIC ||
	    (base = diag__live_site_base(r)) == NULL)
		return 0;
	k = diag__live_urlenc(issue != NULL ? issue : proj);
	url = diag_xasprintf("%s/rest/api/3/%s/%s", base,
	    issue != NULL ? "issue" : "project", k);
	diag_run_http(r, "fallback", "GET", url, DIAG_AUTH_BASIC, NULL);
	free(url);
	free(k);
	free(base);
	return 1;
}

static void
fallback_weigh(struct diag_run *r)
{
	const struct diag_exchange *ex = diag_run_exchange(r, "fallback");
	struct diag_finding *f;

	if (ex == NULL || ex->status == 0 || diag__live_transport_failed(ex) ||
	    ex->status == 401 || ex->status == 429 || ex->status >= 500 ||
	    !diag__live_seraph_failed(ex))
		return;
	f = diag_run_finding(r, "auth.anonymous_fallback", DIAG_FAIL,
	    DIAG_CONFIRMED,
	    "%s answered %ld as anonymous (X-Seraph-LoginReason: "
	    "AUTHENTICATED_FAILED): the credentials were refused, so a %s here "
	    "is not about the %s.",
	    ex->url, ex->status,
	    ex->status == 404 ? "404" : "200 with public data",
	    diag_run_option(r, "issue") != NULL ? "issue" : "project");
	diag_finding_evidence(f, ex);
}

static int
is_redirect(const struct diag_exchange *ex)
{
	return ex != NULL && ex->status >= 300 && ex->status < 400;
}

/* A 3xx to the identity read: says what the redirect means, never that
 * the credentials were rejected (they were not sent on). */
static void
redirected(struct diag_run *r, const struct diag_exchange *ex,
    enum diag_status st)
{
	const char *loc = diag_exchange_header(ex, "Location");
	enum diag__redirect k = diag__redirect_kind(ex->url, loc);
	struct diag_finding *f;
	char *shown;

	if (diag_run_has_finding(r, "site.redirect"))
		return;
	shown = loc != NULL ? diag_str_printable(loc, strlen(loc), 200) : NULL;
	f = diag_run_finding(r, "site.redirect", st, DIAG_LIKELY,
	    "%s answered %ld%s%s: %s. atldiag did not follow it, so the "
	    "credentials were not sent on, and nothing is known yet about "
	    "whether they work.",
	    ex->url, ex->status, shown != NULL ? " to " : "",
	    shown != NULL ? shown : "", diag__redirect_meaning(k));
	diag_finding_evidence(f, ex);
	free(shown);
}

/*
 * A CAPTCHA lock on the site while the gateway works (reference Q5: the
 * site refuses REST logins until a browser solves it): 1 when raised.
 * Other refusals of one route are weighed as a route question (a scoped
 * token); product access is proven by the route that works.
 */
static int
one_route_refused(struct diag_run *r, const struct diag_exchange *ex)
{
	struct diag_match m[16];
	size_t n, i;

	if (ex == NULL || ex->status == 200)
		return 0;
	n = diag_run_classify(r, ex, m, DIAG_NELEM(m));
	for (i = 0; i < n; i++) {
		if (strcmp(m[i].code, "auth.captcha_required") != 0 ||
		    m[i].confidence == DIAG_POSSIBLE)
			continue;
		raise_match(r, ex, &m[i]);
		return 1;
	}
	return 0;
}

/*
 * The gateway accepts the token, the site refuses it: a scoped token
 * (reference §3). A failure when the user's own calls go to the site
 * (URL, request, --calls), a warning when they named no URL; nothing
 * when they named the gateway (the routes list says it).
 */
static void
scoped_on_site(struct diag_run *r, const struct diag_exchange *gw,
    const struct diag_exchange *st, const char *named)
{
	struct diag_finding *f;
	char *gwb;

	diag_run_fact_set(r, "token.scoped", json_object_new_boolean(1));
	diag__route_why(r, "site",
	    "answered %ld: this site refuses the token, which works through "
	    "the gateway: a scoped token",
	    st->status);
	if (named != NULL && strcmp(named, "gateway") == 0)
		return;
	gwb = diag__live_gateway_base(r);
	if (named != NULL)
		f = diag_run_finding(r, "routing.scoped_token_on_site",
		    DIAG_FAIL, DIAG_CONFIRMED,
		    "The same email and token work through the gateway (200 "
		    "with an accountId) but %s refuses them (%ld): the token "
		    "is scoped, and scoped tokens only work through "
		    "api.atlassian.com.",
		    st->url, st->status);
	else
		f = diag_run_finding(r, "routing.scoped_token_on_site",
		    DIAG_WARN, DIAG_CONFIRMED,
		    "The email and token work through the gateway (200 with an "
		    "accountId) but %s refuses them (%ld): the token is "
		    "scoped. No URL was given, so whether your calls use the "
		    "site is not known: calls to the site fail, calls through "
		    "%s/... work.",
		    st->url, st->status, gwb);
	diag_finding_step(f,
	    "Send the calls to %s/... instead of the site URL.", gwb);
	diag_finding_evidence(f, st);
	diag_finding_evidence(f, gw);
	free(gwb);
	if (named != NULL && diag__live_seraph_failed(st) &&
	    st->status != 401) {
		f = diag_run_finding(r, "auth.anonymous_fallback", DIAG_FAIL,
		    DIAG_CONFIRMED,
		    "The site answered %ld as anonymous (X-Seraph-LoginReason: "
		    "AUTHENTICATED_FAILED): the cause is the scoped token on "
		    "the site.",
		    st->status);
		diag_finding_evidence(f, st);
	}
}

/* The identity read's scopes from the catalogue: "read:jira-user (or
 * all of: read:application-role:jira, ...)"; owned. */
static char *
identity_scopes(struct diag_run *r)
{
	const struct diag_scopes *cat = diag_scopes_default();
	const struct diag_scopes_alt *a;
	struct diag_scopes_match m;
	struct diag_buf b = DIAG_BUF_INIT;
	size_t i, j;
	int first;

	if (cat == NULL ||
	    diag_scopes_match(cat, "GET",
		diag__live_identity_path(diag__live_product(r)), &m) != 0) {
		if (cat != NULL)
			diag_scopes_match_release(&m);
		return diag_xstrdup("the identity read's scope");
	}
	for (i = 0; i < m.op->n_alts; i++) {
		a = &m.op->alts[i];
		if (a->n_scopes == 0)
			continue;
		first = b.len == 0;
		if (!first)
			diag_buf_adds(&b,
			    a->n_scopes > 1 ? " (or all of: " : " (or ");
		for (j = 0; j < a->n_scopes; j++)
			diag_buf_addf(&b, "%s%s", j > 0 ? ", " : "",
			    a->scopes[j]);
		if (!first)
			diag_buf_addc(&b, ')');
	}
	diag_scopes_match_release(&m);
	if (b.len == 0)
		return diag_xstrdup("the identity read's scope");
	return diag_buf_detach(&b);
}

/* The tenant check: the site's own cloud ID (tenant_info) differs from
 * the one the gateway was called with. */
static int
other_tenant(struct diag_run *r)
{
	const char *real = diag_run_fact_str(r, "site.tenant.cloud_id");
	char *cid = diag__live_cloud_id(r);
	int res = real != NULL && cid != NULL && strcmp(real, cid) != 0;

	free(cid);
	return res;
}

/*
 * 401 X-Failure-Category: FAILURE_CLIENT_SCOPE_CHECK on the identity
 * read: the token reached the gateway and lacks the read's scope, or the
 * site is not the token's (reference §4.3, Q1). The tenant check and
 * the scope-free serverInfo read (auth.gateway) tell which.
 */
static void
scope_check_refusal(struct diag_run *r, const struct diag_exchange *gw)
{
	struct diag_exchange *ten;
	struct diag_finding *f;
	char *need, *cid;

	if (other_tenant(r)) {
		diag_run_status(r, DIAG_FAIL,
		    "the gateway's scope check refused the identity read "
		    "through a cloud ID that is not this site's (site.tenant): "
		    "not a credential refusal");
		return;
	}
	ten = diag__live_fact_exchange(r, "auth.gateway.tenant_exchange");
	need = identity_scopes(r);
	cid = diag__live_cloud_id(r);
	if (ten != NULL &&
	    diag__gateway_category(ten, "FAILURE_CLIENT_SCOPE_CHECK")) {
		f = diag_run_finding(r, "account.not_on_site", DIAG_FAIL,
		    DIAG_LIKELY,
		    "The gateway's scope check refused %s (401, "
		    "X-Failure-Category: FAILURE_CLIENT_SCOPE_CHECK), and also "
		    "%s, which needs no scope: the token reaches the gateway, "
		    "but its account does not belong to the site of cloud ID "
		    "%s.",
		    gw->url, ten->url, cid != NULL ? cid : "given");
		diag_finding_evidence(f, ten);
		diag__route_why(r, "gateway",
		    "answered 401 with X-Failure-Category: "
		    "FAILURE_CLIENT_SCOPE_CHECK, also for a read that needs no "
		    "scope: the account is not on this site");
	} else if (ten != NULL && ten->status == 200) {
		f = diag_run_finding(r, "scope.missing", DIAG_FAIL,
		    DIAG_CONFIRMED,
		    "The gateway's scope check refused %s (401, "
		    "X-Failure-Category: FAILURE_CLIENT_SCOPE_CHECK), while "
		    "%s, which needs no scope, answered 200 with the same "
		    "token: the token reaches the site but lacks the identity "
		    "read's scope, %s.",
		    gw->url, ten->url, need);
		diag_finding_note(f, "missing scope: %s", need);
		diag_finding_evidence(f, ten);
		diag__route_why(r, "gateway",
		    "answered 401 with X-Failure-Category: "
		    "FAILURE_CLIENT_SCOPE_CHECK: the token lacks %s",
		    need);
	} else {
		f = diag_run_finding(r, "scope.missing", DIAG_FAIL,
		    DIAG_POSSIBLE,
		    "The gateway's scope check refused %s (401, "
		    "X-Failure-Category: FAILURE_CLIENT_SCOPE_CHECK): the "
		    "token reached the gateway and lacks %s, or its account "
		    "does not belong to this site.",
		    gw->url, need);
		diag_finding_note(f,
		    "missing scope: %s, unless the account is not on the site "
		    "(%s)",
		    need,
		    ten != NULL ? "a read without scopes answered otherwise" :
				  "a read without scopes could not be made");
	}
	diag_finding_evidence(f, gw);
	diag_run_status(r, DIAG_FAIL,
	    "the gateway's scope check refused the identity read: the "
	    "credential reached the gateway");
	free(need);
	free(cid);
	diag_exchange_free(ten);
}

/*
 * One route confirmed the identity and the other did not: why the other
 * refused (a redirect, a specific cause, a scoped token on the site, the
 * gateway's scope check). Returns 1 when the site's refusal has a cause
 * of its own.
 */
static int
other_route(struct diag_run *r, struct diag_exchange *gw,
    struct diag_exchange *st, const char *want, const char *named)
{
	struct diag_finding *f;
	int gw_ok = diag__live_identity_ok(gw);
	int st_ok = diag__live_identity_ok(st), site_cause = 0;

	if (gw_ok && !st_ok && is_redirect(st)) {
		redirected(r, st, DIAG_WARN);
		site_cause = 1;
	}
	if (gw_ok && !st_ok && st != NULL && !site_cause)
		site_cause = one_route_refused(r, st);
	if (gw_ok && !st_ok && st != NULL && !site_cause)
		scoped_on_site(r, gw, st, named);
	if (st_ok && !gw_ok && strcmp(want, "gateway") == 0 &&
	    diag__gateway_category(gw, "FAILURE_CLIENT_SCOPE_CHECK"))
		scope_check_refusal(r, gw);
	else if (st_ok && !gw_ok && gw != NULL &&
	    strcmp(want, "gateway") == 0 && gw->status == 401 &&
	    !specific_cause(r, gw)) {
		f = diag_run_finding(r, "auth.gateway_classic_refused",
		    DIAG_FAIL, DIAG_POSSIBLE,
		    "The token works on the site but the gateway refuses it "
		    "(401). Classic tokens are reported to work through the "
		    "gateway too (not documented by Atlassian), so this is "
		    "possible, not proven.");
		diag_finding_evidence(f, gw);
		diag_finding_evidence(f, st);
	}
	return site_cause;
}

/*
 * The identity was confirmed on route (through chosen): the findings that
 * remain, the status and the message.
 */
static void
identity_confirmed(struct diag_run *r, struct diag_exchange *chosen,
    struct diag_exchange *other, const char *route, int site_cause)
{
	struct diag_finding *f;
	const char *acct_type, *name;
	enum diag_status status;

	if (diag_run_fact(r, "auth.active") != NULL &&
	    !diag_run_fact_true(r, "auth.active")) {
		f = diag_run_finding(r, "account.deactivated", DIAG_FAIL,
		    DIAG_CONFIRMED, "The identity answer says active: false.");
		diag_finding_evidence(f, chosen);
	}
	/* The credential works now, yet the admin API lists no
	 * usable token of this email and a revoked one: a
	 * revocation takes up to 10 minutes (reference §6). */
	if (diag_run_fact_true(r, "admin.revoked")) {
		f = diag_run_finding(r, "auth.revocation_pending", DIAG_FAIL,
		    DIAG_LIKELY,
		    "%s accepts the token, but the organization admin API "
		    "lists this email's token as revoked: the revocation has "
		    "not taken effect yet (it takes up to 10 minutes), and the "
		    "token will stop working.",
		    chosen->url);
		diag_finding_evidence(f, chosen);
	}
	acct_type = diag_run_fact_str(r, "auth.account_type");
	name = diag_run_fact_str(r, "auth.display_name");
	/* The identity is confirmed: a wrong route, a lock on the
	 * other host or a pending revocation is a failure of its
	 * own, not a reason to block the checks that follow. */
	if (diag_run_has_finding(r, "account.deactivated"))
		status = DIAG_FAIL;
	else if (diag_run_has_finding(r, "routing.scoped_token_on_site") ||
	    diag_run_has_finding(r, "auth.gateway_classic_refused") ||
	    diag_run_has_finding(r, "auth.revocation_pending") ||
	    diag_run_has_finding(r, "scope.missing") ||
	    diag_run_has_finding(r, "account.not_on_site") || site_cause)
		status = DIAG_WARN;
	else
		status = DIAG_PASS;
	diag_run_status(r, status, NULL);
	diag_run_message(r,
	    "authenticated as %s%s%s (%s account) through the %s%s%s",
	    diag_run_fact_str(r, "auth.account_id"), name != NULL ? ", " : "",
	    name != NULL ? name : "", acct_type != NULL ? acct_type : "unknown",
	    route,
	    other != NULL && !diag__live_identity_ok(other) ?
		"; the other route refuses this token" :
		"",
	    diag_run_fact_true(r, "token.was_dirty") ?
		"; with the cleaned token: the raw value, with the characters "
		"input.token lists, is not what Atlassian accepts" :
		"");
}

static enum diag_step
identity_run(struct diag_run *r)
{
	struct diag_exchange *gw, *st, *chosen, *other;
	struct diag_finding *f;
	const char *named = named_route(r), *want = user_route(r, named);
	const char *route;
	int gw_ok, st_ok, cause, site_cause;
	enum diag_step step = DIAG_STEP_DONE;

	if (diag_run_step(r) > 0) {
		fallback_weigh(r);
		return DIAG_STEP_DONE;
	}
	gw = diag__live_fact_exchange(r, "auth.gateway.exchange");
	st = diag__live_fact_exchange(r, "auth.site.exchange");
	if (gw == NULL && st == NULL) {
		diag_run_status(r, DIAG_SKIPPED, "no identity probe ran");
		goto out;
	}
	gw_ok = diag__live_identity_ok(gw);
	st_ok = diag__live_identity_ok(st);
	if (gw_ok || st_ok) {
		if (strcmp(want, "gateway") == 0)
			route = gw_ok ? "gateway" : "site";
		else
			route = st_ok ? "site" : "gateway";
		chosen = strcmp(route, "gateway") == 0 ? gw : st;
		other = chosen == gw ? st : gw;
		identity_facts(r, chosen, route);
		site_cause = other_route(r, gw, st, want, named);
		identity_confirmed(r, chosen, other, route, site_cause);
		goto out;
	}
	/* Neither route confirmed an identity. */
	if (strcmp(want, "gateway") == 0 && gw != NULL)
		chosen = gw;
	else if (st != NULL)
		chosen = st;
	else
		chosen = gw;
	other = chosen == gw ? st : gw;
	if (chosen->status == 200 && !diag__live_seraph_failed(chosen)) {
		f = diag_run_finding(r, "auth.identity_unconfirmed", DIAG_FAIL,
		    DIAG_LIKELY,
		    "%s answered 200 without an accountId (body or "
		    "X-AAccountId): a 200 alone does not prove that the "
		    "credential works.",
		    chosen->url);
		diag_finding_evidence(f, chosen);
		goto out;
	}
	if (is_redirect(chosen)) {
		redirected(r, chosen, DIAG_FAIL);
		goto out;
	}
	if (fallback_probe(r, st))
		step = DIAG_STEP_WAIT;
	if (admin_proof(r, gw, st))
		goto out;
	/* The gateway's scope check answered: the credential reached the
	 * gateway, so it is not "rejected"; the route that is meant to work
	 * decides (a scoped token's site refusal proves nothing). */
	if (chosen == gw &&
	    diag__gateway_category(gw, "FAILURE_CLIENT_SCOPE_CHECK")) {
		scope_check_refusal(r, gw);
		goto out;
	}
	cause = specific_cause(r, chosen) || specific_cause(r, other) ||
	    password_cause(r, gw, st);
	/* The gateway's 404 tested no credential: the cloud ID is what is
	 * wrong (gateway.cloud). The site's refusal of a token meant for
	 * the gateway proves nothing about it either. */
	if (!cause && chosen == gw && gw->status == 404) {
		diag_run_status(r, DIAG_FAIL,
		    "the gateway answered 404 (gateway.cloud explains it)%s",
		    st != NULL && st->status != 404 ?
			"; the site's refusal is not weighed for a token used "
			"through the gateway" :
			"");
		goto out;
	}
	if (!cause)
		rejected(r, gw, st);
	if (diag__live_seraph_failed(chosen) && chosen->status != 401) {
		f = diag_run_finding(r, "auth.anonymous_fallback", DIAG_FAIL,
		    DIAG_CONFIRMED,
		    "%s answered %ld as anonymous (X-Seraph-LoginReason: "
		    "AUTHENTICATED_FAILED): the credentials were refused, not "
		    "accepted.",
		    chosen->url, chosen->status);
		diag_finding_evidence(f, chosen);
	}
out:
	diag_exchange_free(gw);
	diag_exchange_free(st);
	return step;
}

const struct diag_check diag_check_auth_identity = {
	.id = "auth.identity",
	.summary = "who answered: accountId, account type, active; anonymous "
		   "is a failure",
	.flags = DIAG_CHECK_LIVE,
	.run = identity_run,
};
