/* checks/live/auth_oauth.c: auth.oauth: the sites and scopes an OAuth 2.0 access token was granted (accessible-resources). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "checks/live/live_util.h"
#include "checks/live/requirement.h"
#include "diag/core/util.h"

#define RESOURCES LIVE_GATEWAY "/oauth/token/accessible-resources"
#define MAX_LISTED 5

static const char *
jstr(struct json_object *o, const char *k)
{
	struct json_object *v;

	if (o == NULL || !json_object_object_get_ex(o, k, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

/* 1 when the fact names an OAuth 2.0 access token. */
static int
is_oauth(struct diag_run *r, const char *fact)
{
	const char *k = diag_run_fact_str(r, fact);

	return k != NULL && strcmp(k, "oauth_access_token") == 0;
}

/* 1 when the resource's url ("https://acme.atlassian.net/") is host. */
static int
url_is_host(const char *url, const char *host)
{
	size_t n;

	if (url == NULL || host == NULL)
		return 0;
	if (strncasecmp(url, "https://", 8) == 0)
		url += 8;
	n = strlen(host);
	return strncasecmp(url, host, n) == 0 &&
	    (url[n] == '\0' || (url[n] == '/' && url[n + 1] == '\0'));
}

/* The resource granted for the site (by host, else by cloud ID), or
 * NULL. Borrowed from arr. */
static struct json_object *
granted(struct json_object *arr, const char *host, const char *cid)
{
	struct json_object *e;
	size_t i;

	for (i = 0; i < json_object_array_length(arr); i++) {
		e = json_object_array_get_idx(arr, i);
		if (url_is_host(jstr(e, "url"), host))
			return e;
	}
	for (i = 0; cid != NULL && i < json_object_array_length(arr); i++) {
		e = json_object_array_get_idx(arr, i);
		if (jstr(e, "id") != NULL &&
		    strcasecmp(jstr(e, "id"), cid) == 0)
			return e;
	}
	return NULL;
}

/* "acme-sandbox.atlassian.net, other.atlassian.net" (owned). */
static char *
site_list(struct json_object *arr)
{
	struct diag_buf b = DIAG_BUF_INIT;
	const char *u;
	size_t i, n = json_object_array_length(arr);

	for (i = 0; i < n && i < MAX_LISTED; i++) {
		u = jstr(json_object_array_get_idx(arr, i), "url");
		if (u == NULL)
			continue;
		if (strncasecmp(u, "https://", 8) == 0)
			u += 8;
		diag_buf_addf(&b, "%s%s", b.len > 0 ? ", " : "", u);
	}
	if (n > MAX_LISTED)
		diag_buf_addf(&b, " and %zu more", n - MAX_LISTED);
	if (b.len == 0)
		diag_buf_adds(&b, "none");
	return diag_buf_detach(&b);
}

/* 1 when the resource's scopes hold sc. */
static int
has_scope(struct json_object *res, const char *sc)
{
	struct json_object *a, *e;
	size_t i;

	if (!json_object_object_get_ex(res, "scopes", &a) ||
	    !json_object_is_type(a, json_type_array))
		return 0;
	for (i = 0; i < json_object_array_length(a); i++) {
		e = json_object_array_get_idx(a, i);
		if (json_object_is_type(e, json_type_string) &&
		    strcmp(json_object_get_string(e), sc) == 0)
			return 1;
	}
	return 0;
}

/* Each --need-scope, proven or disproven by the scopes granted on the
 * site. */
static void
scopes(struct diag_run *r, struct json_object *res, const char *host,
    const struct diag_exchange *ex)
{
	const char *need = diag_run_option(r, "need-scope");
	struct diag_finding *f;
	char *copy, *sc, *save = NULL;

	/* scope.probe leaves the requirements to this list. */
	diag_run_fact_set(r, "auth.oauth.scopes_from",
	    json_object_new_string("accessible-resources"));
	if (need == NULL || *need == '\0')
		return;
	copy = diag_xstrdup(need);
	for (sc = strtok_r(copy, ", ", &save); sc != NULL;
	     sc = strtok_r(NULL, ", ", &save)) {
		if (has_scope(res, sc)) {
			diag__req(r, "scope", sc, DIAG_REQ_PROVEN,
			    DIAG_CONFIRMED, NULL,
			    "accessible-resources lists it among the scopes "
			    "granted on %s",
			    host);
			continue;
		}
		f = diag_run_finding(r, "scope.missing", DIAG_FAIL,
		    DIAG_CONFIRMED,
		    "The OAuth 2.0 access token lacks scope %s on %s: "
		    "accessible-resources, which lists the scopes granted on "
		    "each site, does not name it.",
		    sc, host);
		diag_finding_note(f,
		    "the scopes granted on %s, as accessible-resources lists "
		    "them, are authoritative for an OAuth 2.0 access token",
		    host);
		diag_finding_step(f,
		    "Add %s to the app's (or the service account credential's) "
		    "scopes, then get a new token: users of a 3LO app must "
		    "consent again.",
		    sc);
		diag_finding_evidence(f, ex);
		diag__req(r, "scope", sc, DIAG_REQ_DISPROVEN, DIAG_CONFIRMED,
		    NULL,
		    "accessible-resources does not list it among the scopes "
		    "granted on %s",
		    host);
	}
	free(copy);
}

/* The answer of accessible-resources. */
static void
judge(struct diag_run *r, const struct diag_exchange *ex)
{
	struct json_object *arr = diag__live_json(ex), *res;
	struct diag_finding *f;
	char *host = diag__live_site_host(r);
	char *cid = diag__live_cloud_id_given(r);
	const char *sep = "";
	char *list;

	if (ex->status == 401) {
		f = diag_run_finding(r, "auth.credentials_rejected", DIAG_FAIL,
		    DIAG_LIKELY,
		    "api.atlassian.com refused the OAuth 2.0 access token (401 "
		    "on accessible-resources): it is expired, revoked or not "
		    "issued by Atlassian.");
		diag_finding_evidence(f, ex);
	} else if (ex->status != 200 || arr == NULL ||
	    !json_object_is_type(arr, json_type_array)) {
		diag_run_status(r, DIAG_INCONCLUSIVE,
		    "accessible-resources answered %ld without the documented "
		    "list",
		    ex->status);
	} else if ((res = granted(arr, host, cid)) == NULL &&
	    (host != NULL || cid != NULL)) {
		list = site_list(arr);
		if (cid != NULL)
			sep = host != NULL ? " / cloud ID " : "cloud ID ";
		f = diag_run_finding(r, "auth.oauth_site_not_granted",
		    DIAG_FAIL, DIAG_CONFIRMED,
		    "The OAuth 2.0 access token was not granted %s%s%s: "
		    "accessible-resources lists %s.",
		    host != NULL ? host : "", sep, cid != NULL ? cid : "",
		    list);
		diag_finding_evidence(f, ex);
		free(list);
	} else if (res != NULL) {
		scopes(r, res, host != NULL ? host : jstr(res, "url"), ex);
		diag_run_message(r, "granted %s (cloud ID %s)",
		    jstr(res, "url") != NULL ? jstr(res, "url") : "?",
		    jstr(res, "id") != NULL ? jstr(res, "id") : "?");
	} else
		diag_run_message(r,
		    "no site given; the token reaches %zu site(s)",
		    json_object_array_length(arr));
	json_object_put(arr);
	free(host);
	free(cid);
}

static enum diag_step
oauth_run(struct diag_run *r)
{
	const struct diag_exchange *ex = diag_run_exchange(r, "resources");
	const struct diag_input *h = diag_run_input(r, DIAG_IN_AUTH_HEADER);
	enum diag_auth a;

	if (ex != NULL) {
		if (!diag__live_undecided(r, ex) && ex->status != 0)
			judge(r, ex);
		return DIAG_STEP_DONE;
	}
	if (h->value != NULL && is_oauth(r, "inputs.auth_header.token_kind"))
		a = DIAG_AUTH_AS_GIVEN;
	else if (is_oauth(r, "token.kind"))
		a = DIAG_AUTH_BEARER;
	else {
		diag_run_status(r, DIAG_SKIPPED,
		    "not an OAuth 2.0 access token");
		return DIAG_STEP_DONE;
	}
	diag_run_http(r, "resources", "GET", RESOURCES, a, NULL);
	return DIAG_STEP_WAIT;
}

const struct diag_check diag_check_auth_oauth = {
	.id = "auth.oauth",
	.summary = "the sites and scopes an OAuth 2.0 access token was granted",
	.flags = DIAG_CHECK_LIVE,
	.run = oauth_run,
};
