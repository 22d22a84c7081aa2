/* checks/input/input_site.c: the site name or URL: scheme, host kind, pasted paths, normalisation. */
#include <stdlib.h>
#include <string.h>

#include "checks/input/token_kind.h"
#include "diag/core/url.h"
#include "diag/engine/check.h"
#include "diag/core/secret.h"
#include "diag/core/util.h"

static enum diag_step site_run(struct diag_run *);

const struct diag_check diag_check_input_site = {
	.id = "input.site",
	.summary = "site name or URL: https, host, pasted paths, /wiki",
	.flags = DIAG_CHECK_OFFLINE,
	.run = site_run,
};

/* Atlassian hosts that are services, not sites. */
static const char *const service_hosts[] = {
	"admin.atlassian.com",
	"auth.atlassian.com",
	"id.atlassian.com",
	"start.atlassian.com",
	"home.atlassian.com",
	"team.atlassian.com",
	"developer.atlassian.com",
	"support.atlassian.com",
	"community.atlassian.com",
	"www.atlassian.com",
	"atlassian.com",
};

static int
is_label(const char *s)
{
	size_t i;

	if (*s == '\0' || *s == '-')
		return 0;
	for (i = 0; s[i] != '\0'; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
			(s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return 0;
	return 1;
}

static void
set_site_facts(struct diag_run *r, const char *host)
{
	diag_run_fact_set(r, "site.host", json_object_new_string(host));
	diag_run_fact_set(r, "inputs.site.normalized",
	    json_object_new_string(host));
}

/* When no site was given, the request URL's site host stands in. */
static void
site_from_url(struct diag_run *r)
{
	const struct diag_input *url = diag_run_input(r, DIAG_IN_URL);
	struct diag_url u;

	if (url->value == NULL || url->len == 0) {
		diag_run_status(r, DIAG_SKIPPED, "no site given");
		return;
	}
	diag_url_split(url->value, url->len, &u);
	if (diag_host_is_site(u.host)) {
		set_site_facts(r, u.host);
		diag_run_status(r, DIAG_SKIPPED,
		    "no site given; the request URL names %s", u.host);
	} else
		diag_run_status(r, DIAG_SKIPPED, "no site given");
	diag_url_release(&u);
}

/*
 * The scheme and userinfo of the site u: http:// fails, others are ignored
 * (noted in msg).
 */
static void
site_scheme(struct diag_run *r, const struct diag_input *in,
    const struct diag_url *u, struct diag_buf *msg)
{
	struct diag_finding *f;

	if (u->userinfo != NULL) {
		diag_secret_register(u->userinfo, strlen(u->userinfo));
		diag_buf_adds(msg, "; credentials before the host removed");
	}
	if (u->scheme != NULL && strcmp(u->scheme, "http") == 0) {
		f = diag_run_finding(r, "site.not_https", DIAG_FAIL,
		    DIAG_CONFIRMED,
		    "The site from %s starts with http://: Atlassian Cloud "
		    "redirects to https, and clients drop the Authorization "
		    "header on that redirect (or send the credential in clear "
		    "text first).",
		    in->source);
		diag_finding_step(f, "Use https://%s.", u->host);
	} else if (u->scheme != NULL && strcmp(u->scheme, "https") != 0)
		diag_buf_addf(msg, "; scheme '%s' ignored", u->scheme);
}

/*
 * The kind of host ("site", "gateway", "service", "custom"), with a finding
 * for all but a site.
 */
static const char *
site_kind(struct diag_run *r, const struct diag_input *in, const char *host)
{
	struct diag_finding *f;
	size_t i, n;

	if (strcmp(host, "api.atlassian.com") == 0) {
		f = diag_run_finding(r, "input.site_is_gateway", DIAG_FAIL,
		    DIAG_CONFIRMED,
		    "The site from %s is api.atlassian.com, the API gateway: "
		    "it serves a site only under /ex/{product}/{cloudId}/.",
		    in->source);
		diag_finding_step(f,
		    "Give the site as <your-site>.atlassian.net and the cloud "
		    "ID with --cloud-id.");
		return "gateway";
	}
	for (i = 0; i < DIAG_NELEM(service_hosts); i++)
		if (strcmp(host, service_hosts[i]) == 0)
			break;
	if (i < DIAG_NELEM(service_hosts)) {
		diag_run_finding(r, "input.site_is_gateway", DIAG_FAIL,
		    DIAG_CONFIRMED,
		    "The site from %s is %s, an Atlassian service host, not a "
		    "site: sites are <name>.atlassian.net.",
		    in->source, host);
		return "service";
	}
	if (diag_host_is_site(host))
		return "site";
	n = strlen(host);
	f = diag_run_finding(r, "site.custom_domain", DIAG_WARN, DIAG_LIKELY,
	    "The site %s is not an Atlassian Cloud host "
	    "(<name>.atlassian.net): a custom domain, a proxy, or a "
	    "Jira/Confluence Data Center server. Cloud API tokens work on "
	    "<name>.atlassian.net and api.atlassian.com.",
	    host);
	if (n > 14 && strcmp(host + n - 14, ".atlassian.com") == 0)
		diag_finding_note(f, "did you mean %.*s.atlassian.net?",
		    (int)(n - 14), host);
	return "custom";
}

/*
 * The path, query and fragment pasted after the host: /wiki is dropped (noted
 * in msg), others warn.
 */
static void
site_path(struct diag_run *r, const struct diag_input *in,
    const struct diag_url *u, const char *host, struct diag_buf *msg)
{
	struct diag_finding *f;
	const char *query = "";
	char *path, *shown;
	size_t n;

	n = strlen(u->path);
	while (n > 0 && u->path[n - 1] == '/')
		n--;
	path = diag_xstrndup(u->path, n);
	if (strcmp(path, "/wiki") == 0 && u->query == NULL &&
	    u->fragment == NULL) {
		diag_buf_adds(msg,
		    "; /wiki removed (Confluence lives under /wiki on every "
		    "site)");
	} else if (path[0] != '\0' || u->query != NULL || u->fragment != NULL) {
		shown = diag_str_printable(path[0] != '\0' ? path : "/",
		    path[0] != '\0' ? strlen(path) : 1, 60);
		if (u->query != NULL || u->fragment != NULL)
			query = " and a query";
		f = diag_run_finding(r, "input.site_path", DIAG_WARN,
		    DIAG_CONFIRMED,
		    "The site from %s carries a path (%s%s) after the host: "
		    "atldiag keeps only %s, but a script that appends "
		    "/rest/api/... to the same value calls a page that does "
		    "not exist.",
		    in->source, shown, query, host);
		if (strncmp(path, "/rest/", 5) == 0 ||
		    strncmp(path, "/wiki/rest/", 11) == 0 ||
		    strncmp(path, "/wiki/api/", 10) == 0 ||
		    strncmp(path, "/ex/", 4) == 0)
			diag_finding_step(f,
			    "This is an API URL: give it to `atldiag request "
			    "METHOD URL` (or `lint --url`) and the site as %s.",
			    host);
		else
			diag_finding_step(f, "Give the site as https://%s.",
			    host);
		free(shown);
	}
	free(path);
}

static enum diag_step
site_run(struct diag_run *r)
{
	const struct diag_input *in = diag_run_input(r, DIAG_IN_SITE);
	struct diag__tok_clean c;
	struct diag_url u;
	struct diag_buf msg = DIAG_BUF_INIT;
	struct diag_finding *ws = NULL;
	char *host = NULL, *list;
	size_t i;
	int upper = 0;

	memset(&u, 0, sizeof(u));
	memset(&c, 0, sizeof(c));
	if (in->value == NULL || in->len == 0) {
		site_from_url(r);
		return DIAG_STEP_DONE;
	}
	diag__token_clean(in->value, in->len, &c);
	if (c.len == 0) {
		diag_run_status(r, DIAG_SKIPPED,
		    "the site is blank (input.sources reports it)");
		goto out;
	}
	if (c.n_issues > 0) {
		list = diag__token_issues_text(&c);
		ws = diag_run_finding(r, "input.site_whitespace", DIAG_FAIL,
		    DIAG_CONFIRMED,
		    "The site from %s carries characters around or inside the "
		    "name: %s. A script that builds URLs from the value as "
		    "given sends requests to a broken host; atldiag goes on "
		    "without them.",
		    in->source, list);
		free(list);
	}
	for (i = 0; i < c.len; i++)
		if (c.clean[i] >= 'A' && c.clean[i] <= 'Z')
			upper = 1;
	diag_url_split(c.clean, c.len, &u);
	site_scheme(r, in, &u, &msg);
	if (u.host[0] == '\0') {
		diag_run_finding(r, "input.site_missing", DIAG_FAIL,
		    DIAG_CONFIRMED, "The site from %s has no host name.",
		    in->source);
		goto out;
	}
	if (strchr(u.host, '.') == NULL && is_label(u.host)) {
		host = diag_xasprintf("%s.atlassian.net", u.host);
		diag_buf_addf(&msg, "; the bare name '%s' read as %s", u.host,
		    host);
	} else
		host = diag_xstrdup(u.host);
	if (ws != NULL)
		diag_finding_step(ws,
		    "Set the site value again without them: `https://%s`.",
		    host);
	if (upper)
		diag_buf_adds(&msg, "; lowercased");
	if (u.port_text != NULL && strcmp(u.port_text, "443") != 0 &&
	    u.port_text[0] != '\0')
		diag_buf_addf(&msg, "; port %s ignored", u.port_text);
	site_kind(r, in, host);
	site_path(r, in, &u, host, &msg);
	set_site_facts(r, host);
	diag_run_message(r, "%s%s", host, diag_buf_str(&msg));
out:
	free(host);
	diag_buf_release(&msg);
	diag_url_release(&u);
	diag__token_clean_release(&c);
	return DIAG_STEP_DONE;
}
