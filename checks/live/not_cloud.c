/* checks/live/not_cloud.c: a site that is not Atlassian Cloud: Jira/Confluence Data Center or Server, or a proxy. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "checks/live/live_util.h"
#include "checks/live/not_cloud.h"
#include "diag/core/util.h"

/* 1 when host ends with suffix (".atlassian.net"). */
static int
ends_with(const char *host, const char *suffix)
{
	size_t n = strlen(host), m = strlen(suffix);

	return n > m && strcasecmp(host + n - m, suffix) == 0;
}

/* 1 when the answer carries a mark of Atlassian Cloud's edge. */
static int
cloud_marked(const struct diag_exchange *ex)
{
	const char *s;

	if (ex == NULL)
		return 0;
	if (diag_exchange_header(ex, "ATL-TraceId") != NULL)
		return 1;
	s = diag_exchange_header(ex, "Server");
	return s != NULL &&
	    (strncasecmp(s, "AtlassianEdge", 13) == 0 ||
		strncasecmp(s, "AtlassianProxy", 14) == 0);
}

int
diag__not_cloud_suspect(struct diag_run *r, const struct diag_exchange *t)
{
	char *host;
	int named;

	if (t == NULL || t->status == 0 || diag__live_transport_failed(t) ||
	    diag_run_fact_str(r, "site.tenant.cloud_id") != NULL ||
	    cloud_marked(t) || (host = diag__live_site_host(r)) == NULL)
		return 0;
	named = ends_with(host, ".atlassian.net") ||
	    ends_with(host, ".jira.com") || ends_with(host, ".atlassian.com");
	free(host);
	return !named;
}

char *
diag__not_cloud_info_url(struct diag_run *r)
{
	char *host, *url;

	if ((host = diag__live_site_host(r)) == NULL)
		return NULL;
	url = diag_xasprintf("https://%s/rest/api/2/serverInfo", host);
	free(host);
	return url;
}

/* serverInfo's deploymentType and version (owned, NULL when absent). */
static void
deployment(const struct diag_exchange *info, char **type, char **version)
{
	struct json_object *o, *v;

	*type = *version = NULL;
	if (info == NULL || info->status != 200 ||
	    (o = diag__live_json(info)) == NULL)
		return;
	if (json_object_object_get_ex(o, "deploymentType", &v) &&
	    json_object_is_type(v, json_type_string))
		*type = diag_str_printable(json_object_get_string(v),
		    (size_t)json_object_get_string_len(v), 40);
	if (json_object_object_get_ex(o, "version", &v) &&
	    json_object_is_type(v, json_type_string))
		*version = diag_str_printable(json_object_get_string(v),
		    (size_t)json_object_get_string_len(v), 40);
	json_object_put(o);
}

/* Which credential the host got: the catalogue's steps say which it needs. */
static void
token_note(struct diag_run *r, struct diag_finding *f)
{
	const char *k = diag_run_fact_str(r, "token.kind");

	if (k != NULL &&
	    (strcmp(k, "user_api_token") == 0 ||
		strcmp(k, "service_account_token") == 0 ||
		strcmp(k, "legacy_api_token") == 0))
		diag_finding_note(f,
		    "the token given is an Atlassian Cloud API token: a Data "
		    "Center or Server instance does not know it, whatever the "
		    "email; it takes a personal access token as Authorization: "
		    "Bearer <PAT>");
}

struct diag_finding *
diag__not_cloud_judge(struct diag_run *r, const struct diag_exchange *t,
    const struct diag_exchange *info)
{
	struct diag_finding *f = NULL;
	char *type, *version;
	const char *server;

	deployment(info, &type, &version);
	if (type != NULL &&
	    (strcmp(type, "Server") == 0 || strcmp(type, "DataCenter") == 0)) {
		f = diag_run_finding(r, "site.not_cloud", DIAG_FAIL,
		    DIAG_CONFIRMED,
		    "%s answers deploymentType \"%s\"%s%s%s: the site is a "
		    "self-managed %s instance, not Atlassian Cloud. atldiag "
		    "diagnoses Atlassian Cloud only, so it runs none of its "
		    "Cloud checks here.",
		    info->url, type, version != NULL ? " (version " : "",
		    version != NULL ? version : "", version != NULL ? ")" : "",
		    strcmp(type, "Server") == 0 ? "Server" : "Data Center");
		diag_finding_evidence(f, info);
	} else if ((type == NULL || strcmp(type, "Cloud") != 0) &&
	    !cloud_marked(info)) {
		server = diag_exchange_header(t, "Server");
		f = diag_run_finding(r, "site.not_cloud", DIAG_FAIL,
		    DIAG_LIKELY,
		    "%s answered %ld without a cloud ID and without any mark "
		    "of Atlassian Cloud (no ATL-TraceId%s%s)"
		    "%s: most likely a Jira/Confluence Data Center or Server "
		    "instance, or a proxy. atldiag runs none of its Cloud "
		    "checks here.",
		    t->url, t->status, server != NULL ? ", Server: " : "",
		    server != NULL ? server : "",
		    info != NULL && info->status != 0 ?
			", and so did its serverInfo" :
			"");
		diag_finding_evidence(f, t);
		if (info != NULL && info->status != 0)
			diag_finding_evidence(f, info);
	}
	if (f != NULL)
		token_note(r, f);
	free(type);
	free(version);
	return f;
}
