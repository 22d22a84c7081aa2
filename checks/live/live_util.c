/* checks/live/live_util.c: helpers shared by the live checks (hosts, facts, answers). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#include "checks/live/live_util.h"
#include "diag/net/http.h"
#include "diag/core/url.h"
#include "diag/core/util.h"

const char *
diag__live_product(struct diag_run *r)
{
	const struct diag_input *in = diag_run_input(r, DIAG_IN_PRODUCT);

	if (in->value != NULL && strstr(in->value, "confluence") != NULL)
		return "confluence";
	return "jira";
}

/* A copy of s without surrounding white space and quotes. */
static char *
trimmed(const char *s, size_t len)
{
	while (len > 0 &&
	    (isspace((unsigned char)*s) || *s == '"' || *s == '\'')) {
		s++;
		len--;
	}
	while (len > 0 &&
	    (isspace((unsigned char)s[len - 1]) || s[len - 1] == '"' ||
		s[len - 1] == '\''))
		len--;
	return diag_xstrndup(s, len);
}

char *
diag__live_site_host(struct diag_run *r)
{
	const struct diag_input *in;
	const char *f;
	char *v, *p, *h;
	size_t n;

	if ((f = diag_run_fact_str(r, "site.host")) != NULL && *f != '\0')
		return diag_str_lower(f);
	in = diag_run_input(r, DIAG_IN_SITE);
	if (in->value == NULL)
		return NULL;
	v = trimmed(in->value, in->len);
	p = strstr(v, "://");
	p = p != NULL ? p + 3 : v;
	n = strcspn(p, "/:?#");
	h = diag_xstrndup(p, n);
	free(v);
	if (*h == '\0') {
		free(h);
		return NULL;
	}
	if (strchr(h, '.') == NULL) {
		v = diag_xasprintf("%s.atlassian.net", h);
		free(h);
		h = v;
	}
	v = diag_str_lower(h);
	free(h);
	return v;
}

/* 1 when s starts with a 36-character UUID. */
static int
uuid_at(const char *s)
{
	size_t i;

	for (i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return 0;
		} else if (!isxdigit((unsigned char)s[i]))
			return 0;
	}
	return 1;
}

char *
diag__live_cloud_id_given(struct diag_run *r)
{
	const struct diag_input *in;
	const char *f, *p;
	char *v, *out = NULL;

	if ((f = diag_run_fact_str(r, "cloud_id.value")) != NULL && *f != '\0')
		return diag_str_lower(f);
	in = diag_run_input(r, DIAG_IN_CLOUD_ID);
	if (in->value == NULL)
		return NULL;
	v = trimmed(in->value, in->len);
	for (p = v; *p != '\0'; p++)
		if (strlen(p) >= 36 && uuid_at(p)) {
			out = diag_xstrndup(p, 36);
			break;
		}
	free(v);
	if (out != NULL) {
		v = diag_str_lower(out);
		free(out);
		out = v;
	}
	return out;
}

char *
diag__live_cloud_id(struct diag_run *r)
{
	const char *t;
	char *v;

	if ((v = diag__live_cloud_id_given(r)) != NULL)
		return v;
	t = diag_run_fact_str(r, "site.tenant.cloud_id");
	return t != NULL ? diag_xstrdup(t) : NULL;
}

char *
diag__live_gateway_base(struct diag_run *r)
{
	char *id, *b;

	if ((id = diag__live_cloud_id(r)) == NULL)
		return NULL;
	b = diag_xasprintf(LIVE_GATEWAY "/ex/%s/%s", diag__live_product(r), id);
	free(id);
	return b;
}

char *
diag__live_site_base(struct diag_run *r)
{
	char *h, *b;

	if ((h = diag__live_site_host(r)) == NULL)
		return NULL;
	b = diag_xasprintf("https://%s", h);
	free(h);
	return b;
}

const char *
diag__live_identity_path(const char *product)
{
	if (strcmp(product, "confluence") == 0)
		return "/wiki/rest/api/user/current";
	return "/rest/api/3/myself?expand=applicationRoles";
}

const char *
diag__live_route_base(struct diag_run *r)
{
	return diag_run_fact_str(r, "auth.route_base");
}

int
diag__live_have_token(struct diag_run *r)
{
	const struct diag_input *t = diag_run_input(r, DIAG_IN_TOKEN);
	const char *c = diag_run_fact_str(r, "token.clean");

	return (c != NULL && *c != '\0') || (t->value != NULL && t->len > 0);
}

enum diag_auth
diag__live_auth(struct diag_run *r)
{
	const struct diag_input *em = diag_run_input(r, DIAG_IN_EMAIL);
	const char *k = diag_run_fact_str(r, "token.kind");

	if ((em->value == NULL || em->len == 0) && k != NULL &&
	    (strcmp(k, "service_account_token") == 0 ||
		strcmp(k, "oauth_access_token") == 0))
		return DIAG_AUTH_BEARER;
	return DIAG_AUTH_BASIC;
}

void
diag__live_fact_exchange_set(struct diag_run *r, const char *key,
    const struct diag_exchange *ex)
{
	diag_run_keep_exchange(r, key, ex);
}

struct diag_exchange *
diag__live_fact_exchange(struct diag_run *r, const char *key)
{
	const struct diag_exchange *ex = diag_run_kept_exchange(r, key);

	return ex != NULL ? diag_exchange_dup(ex) : NULL;
}

time_t
diag__live_retry_at(const struct diag_exchange *ex)
{
	const char *v = diag_exchange_header(ex, "Retry-After");
	char *end;
	long long s;
	time_t t;

	if (v == NULL)
		return 0;
	s = strtoll(v, &end, 10);
	if (end != v && s >= 0 && (*end == '\0' || *end == ' ')) {
		if (s > 365LL * 86400)
			s = 365LL * 86400;
		return time(NULL) + (time_t)s;
	}
	t = curl_getdate(v, NULL); /* an HTTP date */
	return t > 0 ? t : 0;
}

int
diag__live_transport_failed(const struct diag_exchange *ex)
{
	if (ex == NULL ||
	    (ex->error != NULL && strncmp(ex->error, "not sent:", 9) == 0))
		return 0;
	return ex->status == 0 || ex->curl_code != 0;
}

const char *
diag__live_network_code(int curl_code, long status)
{
	static const struct {
		const char *cls;
		const char *code;
	} codes[] = {
		{ "dns", "network.dns" },
		{ "proxy", "network.proxy" },
		{ "connect", "network.connect" },
		{ "timeout", "network.timeout" },
		{ "transfer", "network.transfer" },
		{ "tls", "network.tls" },
	};
	const char *cls = diag_http_error_class(curl_code);
	size_t i;

	/* A status arrived, then the transfer broke: not a connect error. */
	if (status != 0 &&
	    (strcmp(cls, "other") == 0 || strcmp(cls, "connect") == 0))
		cls = "transfer";
	for (i = 0; i < DIAG_NELEM(codes); i++)
		if (strcmp(codes[i].cls, cls) == 0)
			return codes[i].code;
	return "network.connect"; /* "other": it did not get through */
}

/* The network.* finding of a failed transfer; sets the check inconclusive. */
static void
transport_failure(struct diag_run *r, const struct diag_exchange *ex)
{
	struct diag_finding *f;
	const char *why, *code;

	why = ex->error != NULL ? ex->error : "transport error";
	code = diag__live_network_code(ex->curl_code, ex->status);
	if (!diag_run_has_finding(r, code)) {
		if (ex->status == 0)
			f = diag_run_finding(r, code, DIAG_INCONCLUSIVE,
			    DIAG_CONFIRMED, "%s %s got no answer: %s.",
			    ex->method, ex->url, why);
		else
			f = diag_run_finding(r, code, DIAG_INCONCLUSIVE,
			    DIAG_CONFIRMED,
			    "%s %s began to answer (%ld) but the transfer "
			    "failed: %s (curl error %d). The partial answer is "
			    "not weighed.",
			    ex->method, ex->url, ex->status, why,
			    ex->curl_code);
		diag_finding_evidence(f, ex);
	}
	if (ex->status == 0)
		diag_run_status(r, DIAG_INCONCLUSIVE, "no answer from %s: %s",
		    ex->url, why);
	else
		diag_run_status(r, DIAG_INCONCLUSIVE,
		    "the answer from %s broke off: %s", ex->url, why);
}

int
diag__live_undecided(struct diag_run *r, const struct diag_exchange *ex)
{
	struct diag_finding *f;
	const char *ra;

	if (ex == NULL)
		return 0;
	if (ex->status == 0 && ex->error != NULL &&
	    strncmp(ex->error, "not sent:", 9) == 0)
		return 0;
	if (diag__live_transport_failed(ex)) {
		transport_failure(r, ex);
		return 1;
	}
	if (ex->status == 429) {
		ra = diag_exchange_header(ex, "Retry-After");
		if (!diag_run_has_finding(r, "service.rate_limited")) {
			f = diag_run_finding(r, "service.rate_limited",
			    DIAG_INCONCLUSIVE, DIAG_CONFIRMED,
			    "Atlassian answered 429 Too Many Requests to %s "
			    "%s%s%s%s; this says nothing about the token.",
			    ex->method, ex->url,
			    ra != NULL ? " (Retry-After: " : "",
			    ra != NULL ? ra : "", ra != NULL ? ")" : "");
			f->retry_at = diag__live_retry_at(ex);
			diag_finding_evidence(f, ex);
		}
		diag_run_status(r, DIAG_INCONCLUSIVE,
		    "rate limited (429): could not decide");
		return 1;
	}
	if (ex->status >= 500) {
		if (!diag_run_has_finding(r, "service.unavailable")) {
			f = diag_run_finding(r, "service.unavailable",
			    DIAG_INCONCLUSIVE, DIAG_CONFIRMED,
			    "Atlassian answered %ld to %s %s; retry later.",
			    ex->status, ex->method, ex->url);
			diag_finding_evidence(f, ex);
		}
		diag_run_status(r, DIAG_INCONCLUSIVE,
		    "server error %ld: could not decide", ex->status);
		return 1;
	}
	return 0;
}

struct json_object *
diag__live_json(const struct diag_exchange *ex)
{
	struct json_tokener *t;
	struct json_object *o;

	if (ex == NULL || ex->body == NULL || ex->body_len == 0)
		return NULL;
	t = json_tokener_new();
	o = json_tokener_parse_ex(t, ex->body, (int)ex->body_len);
	if (json_tokener_get_error(t) != json_tokener_success) {
		json_object_put(o);
		o = NULL;
	}
	json_tokener_free(t);
	return o;
}

char *
diag__live_account_id(const struct diag_exchange *ex)
{
	struct json_object *o, *v;
	const char *h;
	char *id = NULL;

	if (ex == NULL || ex->status != 200)
		return NULL;
	o = diag__live_json(ex);
	if (o != NULL && json_object_object_get_ex(o, "accountId", &v) &&
	    json_object_is_type(v, json_type_string) &&
	    json_object_get_string_len(v) > 0)
		id = diag_xstrdup(json_object_get_string(v));
	json_object_put(o);
	if (id == NULL &&
	    (h = diag_exchange_header(ex, "X-AAccountId")) != NULL &&
	    *h != '\0')
		id = diag_xstrdup(h);
	return id;
}

int
diag__live_identity_ok(const struct diag_exchange *ex)
{
	char *id;
	int res;

	if (ex == NULL || ex->status != 200 || diag__live_seraph_failed(ex))
		return 0;
	id = diag__live_account_id(ex);
	res = id != NULL;
	free(id);
	return res;
}

int
diag__live_seraph_failed(const struct diag_exchange *ex)
{
	const char *h = diag_exchange_header(ex, "X-Seraph-LoginReason");

	return h != NULL && strstr(h, "AUTHENTICATED_FAILED") != NULL;
}

char *
diag__live_urlenc(const char *s)
{
	struct diag_buf b = DIAG_BUF_INIT;

	for (; *s != '\0'; s++) {
		if (isalnum((unsigned char)*s) || strchr("-._~", *s) != NULL)
			diag_buf_addc(&b, *s);
		else
			diag_buf_addf(&b, "%%%02X", (unsigned char)*s);
	}
	return diag_buf_detach(&b);
}

char *
diag__live_mypermissions_url(const char *base, const char *param,
    const char *value, const char *keys)
{
	const char *path = "/rest/api/3/mypermissions";

	if (param == NULL)
		return diag_xasprintf("%s%s?permissions=%s", base, path, keys);
	return diag_xasprintf("%s%s?%s=%s&permissions=%s", base, path, param,
	    value, keys);
}

struct json_object *
diag__live_split(const char *list)
{
	struct json_object *a;
	const char *p, *e;
	char *item;

	if (list == NULL)
		return NULL;
	a = json_object_new_array();
	for (p = list; *p != '\0'; p = *e != '\0' ? e + 1 : e) {
		e = p + strcspn(p, ", ");
		item = diag_xstrndup(p, (size_t)(e - p));
		if (*item != '\0')
			json_object_array_add(a, json_object_new_string(item));
		free(item);
	}
	return a;
}

struct diag_finding *
diag__live_classified(struct diag_run *r, const struct diag_exchange *ex,
    enum diag_status st)
{
	struct diag_match m[8];
	struct diag_finding *f;
	size_t n;

	if (ex == NULL)
		return NULL;
	n = diag_run_classify(r, ex, m, DIAG_NELEM(m));
	if (n == 0)
		return NULL;
	f = diag_run_finding(r, m[0].code, st, m[0].confidence,
	    "%s %s answered %ld: %s.", ex->method, ex->url, ex->status,
	    m[0].why);
	diag_finding_evidence(f, ex);
	return f;
}

/*
 * An identity probe the transport refused to send: the host is not one
 * credentials may go to. Says so, with the --allow-host fix, instead of
 * leaving a status-0 "answer" for auth.identity to weigh as a refusal.
 */
static void
not_sent(struct diag_run *r, const struct diag_exchange *ex)
{
	struct diag_finding *f;
	struct diag_url u;
	const char *code;
	char *host = NULL;

	if (ex->error == NULL ||
	    strstr(ex->error, "credentials go only to") == NULL) {
		diag_run_status(r, DIAG_SKIPPED, "%s",
		    ex->error != NULL ? ex->error : "not sent");
		return;
	}
	if (diag_url_parse(ex->url, &u) == 0) {
		host = diag_xstrdup(u.host);
		diag_url_release(&u);
	}
	/* A custom domain input.site reported already: the same finding
	 * (merged) gains this fact and the fix, rather than a second one. */
	code = diag_run_has_finding(r, "site.custom_domain") ?
	    "site.custom_domain" :
	    "request.untrusted_host";
	if (!diag_run_has_finding(r, "request.untrusted_host")) {
		f = diag_run_finding(r, code, DIAG_WARN, DIAG_CONFIRMED,
		    "atldiag did not send the credentials to %s: it is not "
		    "api.atlassian.com, *.atlassian.net, *.jira.com or a host "
		    "named with --allow-host. This route was not tested; "
		    "nothing is known about how %s answers them.",
		    host != NULL ? host : ex->url, host != NULL ? host : "it");
		diag_finding_step(f,
		    "If %s is your site and you trust it, re-run with "
		    "--allow-host %s to test it too.",
		    host != NULL ? host : "the host",
		    host != NULL ? host : "HOST");
		diag_finding_evidence(f, ex);
	}
	diag_run_status(r, DIAG_SKIPPED,
	    "not sent: %s is not a host credentials may go to (--allow-host %s "
	    "allows it)",
	    host != NULL ? host : "the host", host != NULL ? host : "HOST");
	free(host);
}

enum diag_step
diag__live_identity_probe(struct diag_run *r, const char *route)
{
	const struct diag_exchange *ex;
	char *base, *url, *id, key[64];
	int gw = strcmp(route, "gateway") == 0;

	/* Sent once, at the first call or after the check's own earlier
	 * requests (auth.site may first find the site from the gateway). */
	if (diag_run_exchange(r, "identity") == NULL) {
		if (!diag__live_have_token(r)) {
			diag_run_status(r, DIAG_SKIPPED, "no token given");
			return DIAG_STEP_DONE;
		}
		base =
		    gw ? diag__live_gateway_base(r) : diag__live_site_base(r);
		if (base == NULL && gw) {
			diag_run_status(r, DIAG_SKIPPED,
			    "no cloud ID (given or from the site's "
			    "tenant_info)");
			return DIAG_STEP_DONE;
		}
		if (base == NULL) {
			diag_run_status(r, DIAG_SKIPPED, "no site given");
			return DIAG_STEP_DONE;
		}
		if (!gw && diag__live_auth(r) == DIAG_AUTH_BEARER) {
			diag_run_status(r, DIAG_SKIPPED,
			    "a service-account token without an email is only "
			    "accepted as Bearer on the gateway");
			free(base);
			return DIAG_STEP_DONE;
		}
		url = diag_xasprintf("%s%s", base,
		    diag__live_identity_path(diag__live_product(r)));
		diag_run_http(r, "identity", "GET", url, diag__live_auth(r),
		    NULL);
		free(url);
		free(base);
		return DIAG_STEP_WAIT;
	}
	ex = diag_run_exchange(r, "identity");
	if (ex == NULL || diag__live_undecided(r, ex))
		return DIAG_STEP_DONE;
	if (ex->status == 0) {
		/* Not sent: nothing is known about this route. */
		not_sent(r, ex);
		return DIAG_STEP_DONE;
	}
	snprintf(key, sizeof(key), "auth.%s.exchange", route);
	diag__live_fact_exchange_set(r, key, ex);
	id = diag__live_account_id(ex);
	if (id != NULL && !diag__live_seraph_failed(ex))
		diag_run_message(r, "%ld, identity %s", ex->status, id);
	else if (diag__live_seraph_failed(ex))
		diag_run_message(r,
		    "%ld as anonymous: the credentials were refused "
		    "(auth.identity weighs it)",
		    ex->status);
	else
		diag_run_message(r,
		    "%ld without an identity (auth.identity weighs it)",
		    ex->status);
	free(id);
	return DIAG_STEP_DONE;
}
