/* checks/live/auth_routes.c: where the credential works: the outcome of each route's identity probe ("routes" in the report). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/live/auth_routes.h"
#include "checks/live/live_util.h"
#include "diag/core/util.h"

#define ROUTES_FACT "extra.routes"

static struct json_object *
entry(const char *route)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "route", json_object_new_string(route));
	json_object_object_add(o, "url", NULL);
	json_object_object_add(o, "outcome",
	    json_object_new_string("not_probed"));
	json_object_object_add(o, "status", NULL);
	json_object_object_add(o, "why", json_object_new_string("not probed"));
	return o;
}

/* route's entry, borrowed; both entries are made on first use. */
static struct json_object *
route_entry(struct diag_run *r, const char *route)
{
	struct json_object *a = diag_run_fact(r, ROUTES_FACT);

	if (a == NULL || !json_object_is_type(a, json_type_array)) {
		a = json_object_new_array();
		json_object_array_add(a, entry("site"));
		json_object_array_add(a, entry("gateway"));
		diag_run_fact_set(r, ROUTES_FACT, a);
	}
	return json_object_array_get_idx(a, strcmp(route, "site") == 0 ? 0 : 1);
}

static void
put_str(struct json_object *o, const char *key, const char *v)
{
	json_object_object_add(o, key,
	    v != NULL ? json_object_new_string(v) : NULL);
}

int
diag__gateway_category(const struct diag_exchange *ex, const char *category)
{
	const char *h;

	if (ex == NULL || ex->status != 401 ||
	    (h = diag_exchange_header(ex, "X-Failure-Category")) == NULL)
		return 0;
	h += strspn(h, " \t");
	return strncmp(h, category, strlen(category)) == 0;
}

/* What a deciding answer says, in words (no interpretation). */
static char *
answer_words(const struct diag_exchange *ex, int works)
{
	struct diag_buf b = DIAG_BUF_INIT;
	const char *cat = diag_exchange_header(ex, "X-Failure-Category");
	const char *loc = diag_exchange_header(ex, "Location");

	diag_buf_addf(&b, "answered %ld", ex->status);
	if (works) {
		diag_buf_adds(&b, " with an identity");
		return diag_buf_detach(&b);
	}
	if (ex->status == 200)
		diag_buf_adds(&b, " without an identity");
	if (cat != NULL)
		diag_buf_addf(&b, " with X-Failure-Category: %s", cat);
	if (diag__live_seraph_failed(ex))
		diag_buf_adds(&b,
		    ex->status == 401 ?
			" with X-Seraph-LoginReason: AUTHENTICATED_FAILED (the "
			"credentials were refused)" :
			" as anonymous (X-Seraph-LoginReason: "
			"AUTHENTICATED_FAILED)");
	if (ex->status >= 300 && ex->status < 400 && loc != NULL)
		diag_buf_addf(&b, " to %s", loc);
	if (ex->status == 404 && ex->body != NULL &&
	    strstr(ex->body, "\"path\"") != NULL &&
	    strstr(ex->url, "api.atlassian.com") != NULL)
		diag_buf_adds(&b,
		    " from the gateway itself: the call never reached the "
		    "product");
	return diag_buf_detach(&b);
}

/* Why an answer that was sent decides nothing, in words (owned). */
static char *
undecided_words(const struct diag_exchange *sent)
{
	if (sent->status == 0 || diag__live_transport_failed(sent))
		return diag_xasprintf("no complete answer: %s",
		    sent->error != NULL ? sent->error : "transport error");
	return diag_xasprintf("answered %ld, which decides nothing about the "
			      "credential",
	    sent->status);
}

/* Why route was not probed, from what the probe needed. */
static const char *
not_probed_why(struct diag_run *r, const char *route, const char *base)
{
	if (!diag__live_have_token(r))
		return "no token given";
	if (base == NULL)
		return strcmp(route, "site") == 0 ?
		    "no site given, and none found through the gateway" :
		    "no cloud ID given, and none found from the site";
	if (strcmp(route, "site") == 0 &&
	    diag__live_auth(r) == DIAG_AUTH_BEARER)
		return "a service-account token without an email is only "
		       "accepted as Bearer, and only on the gateway";
	return "not probed";
}

void
diag__route_record(struct diag_run *r, const char *route)
{
	struct json_object *o = route_entry(r, route);
	const struct diag_exchange *sent = diag_run_exchange(r, "identity");
	struct diag_exchange *ex;
	char key[64], *why, *base;
	int ok;

	snprintf(key, sizeof(key), "auth.%s.exchange", route);
	if ((ex = diag__live_fact_exchange(r, key)) != NULL) {
		ok = diag__live_identity_ok(ex);
		why = answer_words(ex, ok);
		put_str(o, "url", ex->url);
		put_str(o, "outcome", ok ? "works" : "refused");
		json_object_object_add(o, "status",
		    json_object_new_int64(ex->status));
		put_str(o, "why", why);
		free(why);
		diag_exchange_free(ex);
		return;
	}
	if (sent != NULL) {
		put_str(o, "url", sent->url);
		if (sent->status == 0 && sent->error != NULL &&
		    strncmp(sent->error, "not sent:", 9) == 0) {
			put_str(o, "why", sent->error);
			return;
		}
		put_str(o, "outcome", "inconclusive");
		if (sent->status != 0)
			json_object_object_add(o, "status",
			    json_object_new_int64(sent->status));
		why = undecided_words(sent);
		put_str(o, "why", why);
		free(why);
		return;
	}
	if (strcmp(route, "site") == 0)
		base = diag__live_site_base(r);
	else
		base = diag__live_gateway_base(r);
	put_str(o, "url", base);
	put_str(o, "why", not_probed_why(r, route, base));
	free(base);
}

void
diag__route_why(struct diag_run *r, const char *route, const char *fmt, ...)
{
	struct json_object *o = route_entry(r, route);
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = diag_xvasprintf(fmt, ap);
	va_end(ap);
	put_str(o, "why", s);
	free(s);
}

const char *
diag__route_outcome(struct diag_run *r, const char *route)
{
	struct json_object *a = diag_run_fact(r, ROUTES_FACT), *o, *v;

	if (a == NULL)
		return "not_probed";
	o = json_object_array_get_idx(a, strcmp(route, "site") == 0 ? 0 : 1);
	if (o == NULL || !json_object_object_get_ex(o, "outcome", &v))
		return "not_probed";
	return json_object_get_string(v);
}
