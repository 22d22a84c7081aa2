/* checks/input/url_parts.h: URL splitting and Atlassian host kinds, shared by the input checks. */
#ifndef DIAG_CHECKS_URL_PARTS_H
#define DIAG_CHECKS_URL_PARTS_H

#include <stddef.h>

/*
 * A URL or host as the user wrote it, split leniently (input checks must
 * describe broken values, not refuse them). Every member is owned; free
 * with diag__url_release().
 */
struct diag__url {
	char	*scheme;	/* lowercased; NULL when there is no "x://" */
	char	*userinfo;	/* NULL when absent; may be a secret */
	char	*host;		/* lowercased, no port, no final dot */
	char	*port;		/* NULL when absent */
	char	*path;		/* "" when absent; as given */
	char	*query;		/* without '?'; NULL when absent */
	char	*fragment;	/* without '#'; NULL when absent */
};

/* Splits s (len bytes, no NUL inside). A value without "scheme://" is
 * read as host[:port][/path]. */
void		 diag__url_split(const char *s, size_t len, struct diag__url *);
void		 diag__url_release(struct diag__url *);

/* "gateway" (api.atlassian.com/ex/...), "gateway_other" (api.atlassian.com
 * elsewhere), "admin" (api.atlassian.com/admin/ or /users/, and
 * admin.atlassian.com), "auth" (auth.atlassian.com), "site"
 * (*.atlassian.net, *.jira.com) or "other". */
const char	*diag__host_kind(const char *host, const char *path);
/* 1 for *.atlassian.net and *.jira.com (a site host). */
int		 diag__host_is_site(const char *host);
/* 1 when s is exactly a UUID: 8-4-4-4-12 hex digits, any case. */
int		 diag__is_uuid(const char *s, size_t len);

#endif
