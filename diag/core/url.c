/* diag/core/url.c: split a URL and tell which kind of Atlassian host it names. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "diag/core/url.h"
#include "diag/core/util.h"

void
diag_url_release(struct diag_url *u)
{
	free(u->scheme);
	free(u->userinfo);
	free(u->host);
	free(u->path);
	free(u->query);
	memset(u, 0, sizeof(*u));
	u->port = -1;
}

int
diag_url_parse(const char *s, struct diag_url *u)
{
	const char *p, *auth, *auth_end, *at, *host, *host_end, *colon;
	char *tmp;
	long port;

	memset(u, 0, sizeof(*u));
	u->port = -1;
	p = strstr(s, "://");
	if (p == NULL || p == s)
		return -1;
	for (auth = s; auth < p; auth++)
		if (!isalnum((unsigned char)*auth) && *auth != '+' &&
		    *auth != '-' && *auth != '.')
			return -1;
	auth = p + 3;
	auth_end = auth + strcspn(auth, "/?#");
	at = NULL;
	for (p = auth; p < auth_end; p++)
		if (*p == '@')
			at = p;
	host = at != NULL ? at + 1 : auth;
	host_end = auth_end;
	colon = NULL;
	if (*host == '[') {
		p = memchr(host, ']', (size_t)(auth_end - host));
		if (p == NULL)
			return -1;
		if (p + 1 < auth_end && p[1] == ':')
			colon = p + 1;
		host_end = colon != NULL ? colon : p + 1;
	} else {
		for (p = host; p < auth_end; p++)
			if (*p == ':')
				colon = p;
		if (colon != NULL)
			host_end = colon;
	}
	if (host_end == host)
		return -1;
	if (colon != NULL && colon + 1 < auth_end) {
		tmp = diag_xstrndup(colon + 1, (size_t)(auth_end - colon - 1));
		port = strtol(tmp, NULL, 10);
		free(tmp);
		if (port <= 0 || port > 65535)
			return -1;
		u->port = (int)port;
	}
	tmp = diag_xstrndup(s, (size_t)(strstr(s, "://") - s));
	u->scheme = diag_str_lower(tmp);
	free(tmp);
	if (at != NULL)
		u->userinfo = diag_xstrndup(auth, (size_t)(at - auth));
	tmp = diag_xstrndup(host, (size_t)(host_end - host));
	u->host = diag_str_lower(tmp);
	free(tmp);
	p = auth_end;
	if (*p == '/' ) {
		size_t n = strcspn(p, "?#");
		u->path = diag_xstrndup(p, n);
		p += n;
	} else
		u->path = diag_xstrdup("/");
	if (*p == '?') {
		p++;
		u->query = diag_xstrndup(p, strcspn(p, "#"));
	}
	return 0;
}

static int
host_is_under(const char *host, const char *domain)
{
	size_t lh = strlen(host), ld = strlen(domain);

	return lh > ld + 1 && host[lh - ld - 1] == '.' &&
	    strcmp(host + lh - ld, domain) == 0;
}

const char *
diag_url_host_kind(const struct diag_url *u)
{
	if (u->host == NULL)
		return "other";
	if (strcmp(u->host, "api.atlassian.com") == 0) {
		if (diag_str_has_prefix(u->path, "/ex/"))
			return "gateway";
		if (diag_str_has_prefix(u->path, "/admin/") ||
		    diag_str_has_prefix(u->path, "/users/"))
			return "admin";
		return "gateway_other";
	}
	if (strcmp(u->host, "admin.atlassian.com") == 0)
		return "admin";
	if (strcmp(u->host, "auth.atlassian.com") == 0)
		return "auth";
	if (host_is_under(u->host, "atlassian.net") ||
	    host_is_under(u->host, "jira.com"))
		return "site";
	return "other";
}

int
diag_url_host_allowed(const char *host, const char *const *extra,
    size_t n_extra)
{
	size_t i;

	if (strcmp(host, "api.atlassian.com") == 0 ||
	    host_is_under(host, "atlassian.net") ||
	    host_is_under(host, "jira.com"))
		return 1;
	for (i = 0; i < n_extra; i++)
		if (diag_str_ieq(host, extra[i]))
			return 1;
	return 0;
}
