/* checks/input/url_parts.c: URL splitting and Atlassian host kinds, shared by the input checks. */
#include <stdlib.h>
#include <string.h>

#include "checks/input/url_parts.h"
#include "diag/core/util.h"

static char *
lower_dup(const char *s, size_t n)
{
	char *d = diag_xstrndup(s, n);
	size_t i;

	for (i = 0; i < n; i++)
		if (d[i] >= 'A' && d[i] <= 'Z')
			d[i] = (char)(d[i] - 'A' + 'a');
	return d;
}

void
diag__url_split(const char *s, size_t len, struct diag__url *u)
{
	const char *p = s, *end = s + len, *q, *at, *hend, *colon;
	size_t i;

	memset(u, 0, sizeof(*u));
	for (q = p; q < end && ((*q >= 'a' && *q <= 'z') ||
	    (*q >= 'A' && *q <= 'Z') || (q > p && ((*q >= '0' && *q <= '9') ||
	    *q == '+' || *q == '-' || *q == '.'))); q++)
		continue;
	if (q > p && end - q >= 3 && memcmp(q, "://", 3) == 0) {
		u->scheme = lower_dup(p, (size_t)(q - p));
		p = q + 3;
	}
	/* authority: up to the first '/', '?' or '#' */
	for (hend = p; hend < end && *hend != '/' && *hend != '?' &&
	    *hend != '#'; hend++)
		continue;
	at = NULL;
	for (q = p; q < hend; q++)
		if (*q == '@')
			at = q;
	if (at != NULL) {
		u->userinfo = diag_xstrndup(p, (size_t)(at - p));
		p = at + 1;
	}
	colon = NULL;
	for (q = p; q < hend; q++)
		if (*q == ':')
			colon = q;
	if (colon != NULL) {
		u->port = diag_xstrndup(colon + 1, (size_t)(hend - colon - 1));
		u->host = lower_dup(p, (size_t)(colon - p));
	} else
		u->host = lower_dup(p, (size_t)(hend - p));
	i = strlen(u->host);
	while (i > 0 && u->host[i - 1] == '.')
		u->host[--i] = '\0';
	p = hend;
	for (q = p; q < end && *q != '?' && *q != '#'; q++)
		continue;
	u->path = diag_xstrndup(p, (size_t)(q - p));
	p = q;
	if (p < end && *p == '?') {
		for (q = p + 1; q < end && *q != '#'; q++)
			continue;
		u->query = diag_xstrndup(p + 1, (size_t)(q - p - 1));
		p = q;
	}
	if (p < end && *p == '#')
		u->fragment = diag_xstrndup(p + 1, (size_t)(end - p - 1));
}

void
diag__url_release(struct diag__url *u)
{
	free(u->scheme);
	free(u->userinfo);
	free(u->host);
	free(u->port);
	free(u->path);
	free(u->query);
	free(u->fragment);
	memset(u, 0, sizeof(*u));
}

int
diag__host_is_site(const char *host)
{
	size_t n = strlen(host);

	return (n > 14 && strcmp(host + n - 14, ".atlassian.net") == 0) ||
	    (n > 9 && strcmp(host + n - 9, ".jira.com") == 0);
}

const char *
diag__host_kind(const char *host, const char *path)
{
	if (strcmp(host, "api.atlassian.com") == 0) {
		if (strncmp(path, "/ex/", 4) == 0)
			return "gateway";
		if (strncmp(path, "/admin/", 7) == 0 ||
		    strncmp(path, "/users/", 7) == 0)
			return "admin";
		return "gateway_other";
	}
	if (strcmp(host, "admin.atlassian.com") == 0)
		return "admin";
	if (strcmp(host, "auth.atlassian.com") == 0)
		return "auth";
	if (diag__host_is_site(host))
		return "site";
	return "other";
}

int
diag__is_uuid(const char *s, size_t len)
{
	size_t i;
	char c;

	if (len != 36)
		return 0;
	for (i = 0; i < 36; i++) {
		c = s[i];
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (c != '-')
				return 0;
		} else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
		    (c >= 'A' && c <= 'F')))
			return 0;
	}
	return 1;
}
