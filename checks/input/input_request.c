/* checks/input/input_request.c: the failing request's URL: host kind, https, gateway prefix, /wiki, removed endpoints. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "checks/input/token_kind.h"
#include "diag/core/url.h"
#include "diag/engine/check.h"
#include "diag/core/secret.h"
#include "diag/core/util.h"

static enum diag_step request_run(struct diag_run *);

const struct diag_check diag_check_input_request = {
	.id = "input.request",
	.summary = "request URL: host kind, https, /ex/ prefix, /wiki, removed "
		   "endpoints",
	.flags = DIAG_CHECK_OFFLINE,
	.run = request_run,
};

/* Read-only endpoints: another method than GET gets 405. */
static const char *const read_only[] = {
	"/rest/api/2/myself",
	"/rest/api/3/myself",
	"/rest/api/latest/myself",
	"/rest/api/2/serverInfo",
	"/rest/api/3/serverInfo",
	"/rest/api/2/mypermissions",
	"/rest/api/3/mypermissions",
	"/wiki/rest/api/user/current",
};

/* Retired endpoints the reference supports (§5 note: third parties
 * report /rest/api/3/search/jql as the current search endpoint). */
static const struct {
	const char *path;
	const char *instead;
} removed[] = {
	{ "/rest/api/2/search", "/rest/api/2/search/jql" },
	{ "/rest/api/3/search", "/rest/api/3/search/jql" },
};

static int
plain_word(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > 24)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
			(s[i] >= '0' && s[i] <= '9') || s[i] == '-' ||
			s[i] == '_'))
			return 0;
	return 1;
}

/* A Confluence REST path written without /wiki: /api/v2/..., or the
 * unversioned /rest/api/<noun> (Jira's are always versioned). 2 for v2,
 * 1 for v1, 0 otherwise. */
static int
confluence_without_wiki(const char *p)
{
	const char *w;

	if (strncmp(p, "/api/v2/", 8) == 0 || strcmp(p, "/api/v2") == 0)
		return 2;
	if (strncmp(p, "/rest/api/", 10) != 0)
		return 0;
	w = p + 10;
	if (*w < 'a' || *w > 'z' || strncmp(w, "latest", 6) == 0)
		return 0;
	return 1;
}

static int
is_jira_path(const char *p)
{
	return strncmp(p, "/rest/api/2/", 12) == 0 ||
	    strncmp(p, "/rest/api/3/", 12) == 0 ||
	    strncmp(p, "/rest/api/latest/", 17) == 0 ||
	    strncmp(p, "/rest/agile/", 12) == 0 ||
	    strncmp(p, "/rest/servicedeskapi/", 21) == 0;
}

static int
is_placeholder_segment(const char *s, size_t n)
{
	char *low = diag_xstrndup(s, n);
	size_t i;
	int hit;

	for (i = 0; i < n; i++)
		if (low[i] >= 'A' && low[i] <= 'Z')
			low[i] = (char)(low[i] - 'A' + 'a');
	hit = diag__token_placeholder(s, n) || strstr(low, "cloudid") ||
	    strstr(low, "cloud_id") || strstr(low, "%7b") || strstr(low, "%3c");
	free(low);
	return hit;
}

/* A service-account credential is in use: 2 by the ATSTT token, 1 by
 * the email domain alone, 0 when neither says so. */
static int
service_account(struct diag_run *r)
{
	const struct diag_input *t = diag_run_input(r, DIAG_IN_TOKEN);
	const struct diag_input *e = diag_run_input(r, DIAG_IN_EMAIL);
	struct diag__tok_clean c;
	int sa = 0;

	if (t->value != NULL && t->len > 0) {
		diag__token_clean(t->value, t->len, &c);
		if (diag__token_kind(c.clean, c.len) ==
		    DIAG__TOK_SERVICE_ACCOUNT)
			sa = 2;
		diag__token_clean_release(&c);
	}
	if (sa == 0 && e->value != NULL && e->len > 29 &&
	    memmem(e->value, e->len, "@serviceaccount.atlassian.com", 29) !=
		NULL)
		sa = 1;
	return sa;
}

/* Parses /ex/<product>/<cloud id><rest>. Returns the product path
 * (owned) or NULL after raising a finding. */
static char *
gateway_path(struct diag_run *r, const char *path, char **product)
{
	const char *p = path + 4, *s1, *s2;
	struct diag_finding *f;
	char *cid;
	size_t n;

	*product = NULL;
	s1 = strchr(p, '/');
	if (s1 == NULL || s1 == p || s1[1] == '\0' || s1[1] == '/') {
		f = diag_run_finding(r, "routing.missing_gateway_prefix",
		    DIAG_FAIL, DIAG_CONFIRMED,
		    "The gateway URL's /ex/ prefix is incomplete: it must be "
		    "/ex/{jira|confluence}/{cloudId}/ followed by the product "
		    "path.");
		diag_finding_step(f,
		    "Build it as https://api.atlassian.com/ex/"
		    "jira/<cloud ID>/rest/api/3/...");
		return NULL;
	}
	*product = diag_xstrndup(p, (size_t)(s1 - p));
	if (strcmp(*product, "jira") != 0 &&
	    strcmp(*product, "confluence") != 0) {
		if (plain_word(*product, strlen(*product)))
			diag_run_finding(r, "routing.missing_gateway_prefix",
			    DIAG_WARN, DIAG_LIKELY,
			    "The gateway URL names the product '%s'; API "
			    "tokens reach Jira as /ex/jira/ and Confluence as "
			    "/ex/confluence/.",
			    *product);
		else
			diag_run_finding(r, "routing.missing_gateway_prefix",
			    DIAG_WARN, DIAG_LIKELY,
			    "The gateway URL's product segment is neither jira "
			    "nor confluence.");
	}
	s1++;
	s2 = strchr(s1, '/');
	n = s2 != NULL ? (size_t)(s2 - s1) : strlen(s1);
	if (is_placeholder_segment(s1, n)) {
		f = diag_run_finding(r, "cloud_id.malformed", DIAG_FAIL,
		    DIAG_CONFIRMED,
		    "The gateway URL still holds a placeholder where the cloud "
		    "ID belongs (/ex/%s/<placeholder>/).",
		    *product);
		diag_finding_step(f,
		    "Read the site's cloud ID from "
		    "https://<your-site>.atlassian.net/_edge/tenant_info.");
	} else if (!diag_is_uuid(s1, n))
		diag_run_finding(r, "cloud_id.malformed", DIAG_FAIL,
		    DIAG_CONFIRMED,
		    "The cloud ID in the gateway URL (%zu characters) is not a "
		    "UUID; the gateway answers such paths with a bare 404.",
		    n);
	else {
		cid = diag_xstrndup(s1, n);
		for (n = 0; cid[n] != '\0'; n++)
			if (cid[n] >= 'A' && cid[n] <= 'F')
				cid[n] = (char)(cid[n] - 'A' + 'a');
		if (strncmp(cid, s1, 36) != 0)
			diag_run_finding(r, "cloud_id.malformed", DIAG_FAIL,
			    DIAG_LIKELY,
			    "The cloud ID in the gateway URL is in upper case: "
			    "the gateway is reported to route only the "
			    "lowercase form (%s).",
			    cid);
		free(cid);
	}
	return diag_xstrdup(s2 != NULL ? s2 : "");
}

static void
product_checks(struct diag_run *r, const char *hk, const char *product,
    const char *pp)
{
	const struct diag_input *pin = diag_run_input(r, DIAG_IN_PRODUCT);
	struct diag_finding *f;
	const char *tail;
	int cw = confluence_without_wiki(pp);
	int gw = strcmp(hk, "gateway") == 0;

	if (gw && strcmp(product, "jira") == 0 &&
	    (strncmp(pp, "/wiki/", 6) == 0 || cw != 0)) {
		f = diag_run_finding(r, "request.product_mismatch", DIAG_FAIL,
		    DIAG_LIKELY,
		    "The path is a Confluence path, but the gateway prefix "
		    "routes it to Jira (/ex/jira/...).");
		diag_finding_step(f, "Use /ex/confluence/<cloud ID>/wiki/...");
		return;
	}
	if (gw && strcmp(product, "confluence") == 0 && is_jira_path(pp)) {
		f = diag_run_finding(r, "request.product_mismatch", DIAG_FAIL,
		    DIAG_LIKELY,
		    "The path is a Jira path, but the gateway prefix routes it "
		    "to Confluence (/ex/confluence/...).");
		diag_finding_step(f, "Use /ex/jira/<cloud ID>/rest/...");
		return;
	}
	if (cw != 0 && !gw) {
		f = diag_run_finding(r, "routing.confluence_missing_wiki",
		    DIAG_FAIL, DIAG_CONFIRMED,
		    "The path %s is a Confluence REST path without the /wiki "
		    "prefix: on a site, Confluence lives under /wiki and the "
		    "root serves Jira.",
		    cw == 2 ? "/api/v2/..." : "/rest/api/<resource>");
		diag_finding_step(f,
		    "Call https://<your-site>.atlassian.net/wiki%s...",
		    cw == 2 ? "/api/v2/" : "/rest/api/");
	} else if (cw != 0 && strcmp(product, "confluence") == 0) {
		if (cw == 1)
			tail = " (one client is seen calling v1 paths without "
			       "it, so this may still route).";
		else
			tail = ".";
		f = diag_run_finding(r, "routing.confluence_missing_wiki",
		    DIAG_WARN, cw == 2 ? DIAG_LIKELY : DIAG_POSSIBLE,
		    "The gateway path has no /wiki after "
		    "/ex/confluence/<cloud ID>: Atlassian's examples use "
		    "/ex/confluence/<cloud ID>/wiki/...%s",
		    tail);
	}
	if (pin->value != NULL && pin->source != NULL &&
	    strcmp(pin->source, "default") != 0 &&
	    (strcmp(product, "jira") == 0 ||
		strcmp(product, "confluence") == 0) &&
	    strncasecmp(pin->value, product, pin->len) != 0)
		diag_run_finding(r, "request.product_mismatch", DIAG_WARN,
		    DIAG_CONFIRMED,
		    "The URL is a %s URL, but the product from %s is another "
		    "one.",
		    product, pin->source);
}

static void
path_checks(struct diag_run *r, const char *hk, const char *pp)
{
	const struct diag_input *m = diag_run_input(r, DIAG_IN_METHOD);
	struct diag_finding *f;
	size_t i, n = strlen(pp);
	int sa;

	while (n > 1 && pp[n - 1] == '/')
		n--;
	for (i = 0; i < DIAG_NELEM(removed); i++)
		if (n == strlen(removed[i].path) &&
		    strncmp(pp, removed[i].path, n) == 0) {
			f = diag_run_finding(r, "routing.endpoint_removed",
			    DIAG_FAIL, DIAG_LIKELY,
			    "%s is the retired Jira search endpoint; the "
			    "current one is %s.",
			    removed[i].path, removed[i].instead);
			diag_finding_note(f,
			    "basis: third parties report "
			    "/rest/api/3/search/jql as the current search "
			    "endpoint");
			diag_finding_step(f,
			    "Call %s (it pages with nextPageToken instead of "
			    "startAt).",
			    removed[i].instead);
		}
	if (strcmp(hk, "site") == 0) {
		sa = service_account(r);
		if (sa == 2)
			f = diag_run_finding(r, "routing.scoped_token_on_site",
			    DIAG_FAIL, DIAG_LIKELY,
			    "An ATSTT service-account token is sent to a site "
			    "host; service accounts can only create scoped "
			    "tokens, and scoped tokens work only through "
			    "api.atlassian.com/ex/"
			    "{product}/{cloudId}.");
		else if (sa == 1)
			f = diag_run_finding(r, "routing.scoped_token_on_site",
			    DIAG_WARN, DIAG_POSSIBLE,
			    "The email is a service account's "
			    "(@serviceaccount.atlassian.com) and the URL is a "
			    "site host; service-account tokens are scoped and "
			    "work only through api.atlassian.com/"
			    "ex/{product}/{cloudId}.");
		if (sa != 0)
			diag_finding_step(f,
			    "Call https://api.atlassian.com/ex/"
			    "{product}/<cloud ID>%.*s instead.",
			    (int)n, pp);
	}
	if (m->value != NULL && m->len > 0 &&
	    strncasecmp(m->value, "GET", m->len) != 0 &&
	    strncasecmp(m->value, "HEAD", m->len) != 0)
		for (i = 0; i < DIAG_NELEM(read_only); i++)
			if (n == strlen(read_only[i]) &&
			    strncmp(pp, read_only[i], n) == 0)
				diag_run_finding(r,
				    "request.method_not_allowed", DIAG_WARN,
				    DIAG_LIKELY,
				    "%s is a read-only endpoint; another "
				    "method than GET is answered 405 (or 404), "
				    "which says nothing about the credential.",
				    read_only[i]);
}

static enum diag_step
request_run(struct diag_run *r)
{
	const struct diag_input *in = diag_run_input(r, DIAG_IN_URL);
	struct diag__tok_clean c;
	struct diag_url u;
	struct diag_finding *f;
	char *pp = NULL, *product = NULL;
	const char *hk;
	int wiki;

	memset(&u, 0, sizeof(u));
	if (in->value == NULL || in->len == 0) {
		diag_run_status(r, DIAG_SKIPPED, "no request URL given");
		return DIAG_STEP_DONE;
	}
	diag__token_clean(in->value, in->len, &c);
	diag_url_split(c.clean, c.len, &u);
	if (u.userinfo != NULL)
		diag_secret_register(u.userinfo, strlen(u.userinfo));
	hk = diag_host_kind(u.host, u.path);
	if (u.scheme != NULL && strcmp(u.scheme, "http") == 0) {
		f = diag_run_finding(r, "site.not_https", DIAG_FAIL,
		    DIAG_CONFIRMED,
		    "The request URL uses http://: Atlassian Cloud redirects "
		    "to https and the Authorization header is dropped on the "
		    "way (or the credential crosses the network in clear text "
		    "first).");
		diag_finding_step(f, "Use https://%s.", u.host);
	}
	if (strcmp(hk, "other") == 0 || strcmp(hk, "auth") == 0 ||
	    strcmp(u.host, "admin.atlassian.com") == 0) {
		/* The transport's own rule, --allow-host included. */
		if (!diag_run_host_allowed(r, u.host)) {
			f = diag_run_finding(r, "request.untrusted_host",
			    DIAG_WARN, DIAG_CONFIRMED,
			    "Credentials would be sent to %s, %s.", u.host,
			    strcmp(hk, "other") == 0 ?
				"a non-Atlassian host" :
				"an Atlassian web host that is not a REST API "
				"host");
			diag_finding_step(f,
			    "Call <your-site>.atlassian.net or "
			    "api.atlassian.com; if %s really is yours (a "
			    "proxy), pass --allow-host %s.",
			    u.host, u.host);
		}
	}
	if (strcmp(hk, "gateway") == 0) {
		pp = gateway_path(r, u.path, &product);
		if (pp == NULL)
			goto done;
	} else if (strcmp(hk, "gateway_other") == 0) {
		pp = diag_xstrdup(u.path);
		wiki = strncmp(pp, "/wiki/", 6) == 0;
		if (strncmp(pp, "/rest/", 6) == 0 || wiki ||
		    strncmp(pp, "/api/", 5) == 0) {
			f = diag_run_finding(r,
			    "routing.missing_gateway_prefix", DIAG_FAIL,
			    DIAG_CONFIRMED,
			    "The URL sends a product path to api.atlassian.com "
			    "without the /ex/{product}/{cloudId} prefix the "
			    "gateway routes on.");
			diag_finding_step(f,
			    "Call https://api.atlassian.com/ex/%s/<cloud ID>%s",
			    wiki ? "confluence" : "jira", pp);
		}
	} else {
		pp = diag_xstrdup(u.path);
		product = diag_xstrdup(
		    strncmp(pp, "/wiki", 5) == 0 ? "confluence" : "jira");
	}
	if (product != NULL &&
	    (strcmp(hk, "site") == 0 || strcmp(hk, "gateway") == 0))
		product_checks(r, hk, product, pp);
	path_checks(r, hk, pp);
done:
	diag_run_message(r, "%s host %s", hk, u.host);
	free(pp);
	free(product);
	diag_url_release(&u);
	diag__token_clean_release(&c);
	return DIAG_STEP_DONE;
}
