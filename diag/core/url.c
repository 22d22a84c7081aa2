/* diag/core/url.c: split a URL and tell which kind of Atlassian host it names. */
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
	free(u->port_text);
	free(u->path);
	free(u->query);
	free(u->fragment);
	memset(u, 0, sizeof(*u));
	u->port = -1;
}

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

static int
scheme_char(char c, int first)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (!first &&
		((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.'));
}

/* The port of text (1-65535), or -1. */
static int
port_of(const char *text)
{
	long port = strtol(text, NULL, 10);

	return port > 0 && port <= 65535 ? (int)port : -1;
}

/*
 * Splits the authority [userinfo@]host[:port] of p..end; a bracketed
 * host ("[::1]") keeps its brackets. A '[' without ']' is -1 when strict,
 * else an ordinary host.
 */
static int
split_authority(const char *p, const char *end, struct diag_url *u, int strict)
{
	const char *q, *at = NULL, *colon = NULL, *hend;

	for (q = p; q < end; q++)
		if (*q == '@')
			at = q;
	if (at != NULL) {
		u->userinfo = diag_xstrndup(p, (size_t)(at - p));
		p = at + 1;
	}
	hend = end;
	q = p < end && *p == '[' ? memchr(p, ']', (size_t)(end - p)) : NULL;
	if (strict && p < end && *p == '[' && q == NULL)
		return -1;
	if (q != NULL) {
		hend = q + 1;
		if (hend < end && *hend == ':')
			colon = hend;
	} else
		for (q = p; q < end; q++)
			if (*q == ':')
				colon = hend = q;
	if (colon != NULL) {
		u->port_text =
		    diag_xstrndup(colon + 1, (size_t)(end - colon - 1));
		u->port = port_of(u->port_text);
	}
	u->host = lower_dup(p, (size_t)(hend - p));
	return 0;
}

/* Splits s..end after a scheme of scheme_len bytes (0: none). */
static int
split(const char *s, const char *end, size_t scheme_len, struct diag_url *u,
    int strict)
{
	const char *p = s, *q;

	memset(u, 0, sizeof(*u));
	u->port = -1;
	if (scheme_len > 0) {
		u->scheme = lower_dup(s, scheme_len);
		p = s + scheme_len + 3;
	}
	for (q = p; q < end && *q != '/' && *q != '?' && *q != '#'; q++)
		continue;
	if (split_authority(p, q, u, strict) != 0)
		return -1;
	for (p = q; q < end && *q != '?' && *q != '#'; q++)
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
	return 0;
}

void
diag_url_split(const char *s, size_t len, struct diag_url *u)
{
	const char *q, *end = s + len;
	size_t n, scheme_len = 0;

	for (q = s; q < end && scheme_char(*q, q == s); q++)
		continue;
	if (q > s && end - q >= 3 && memcmp(q, "://", 3) == 0)
		scheme_len = (size_t)(q - s);
	(void)split(s, end, scheme_len, u, 0); /* lenient: never fails */
	n = strlen(u->host);
	while (n > 0 && u->host[n - 1] == '.')
		u->host[--n] = '\0';
}

int
diag_url_parse(const char *s, struct diag_url *u)
{
	const char *sep = strstr(s, "://"), *q;

	memset(u, 0, sizeof(*u));
	u->port = -1;
	if (sep == NULL || sep == s)
		return -1;
	for (q = s; q < sep; q++)
		if (!scheme_char(*q, 0))
			return -1;
	if (split(s, s + strlen(s), (size_t)(sep - s), u, 1) != 0 ||
	    *u->host == '\0' ||
	    (u->port_text != NULL && *u->port_text != '\0' && u->port == -1)) {
		diag_url_release(u);
		return -1;
	}
	if (*u->path == '\0') {
		free(u->path);
		u->path = diag_xstrdup("/");
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

int
diag_host_is_site(const char *host)
{
	return host_is_under(host, "atlassian.net") ||
	    host_is_under(host, "jira.com");
}

const char *
diag_host_kind(const char *host, const char *path)
{
	if (host == NULL)
		return "other";
	if (path == NULL)
		path = "";
	if (strcmp(host, "api.atlassian.com") == 0) {
		if (diag_str_has_prefix(path, "/ex/"))
			return "gateway";
		if (diag_str_has_prefix(path, "/admin/") ||
		    diag_str_has_prefix(path, "/users/"))
			return "admin";
		return "gateway_other";
	}
	if (strcmp(host, "admin.atlassian.com") == 0)
		return "admin";
	if (strcmp(host, "auth.atlassian.com") == 0)
		return "auth";
	if (diag_host_is_site(host))
		return "site";
	return "other";
}

const char *
diag_url_host_kind(const struct diag_url *u)
{
	return diag_host_kind(u->host, u->path);
}

int
diag_url_host_allowed(const char *host, const char *const *extra,
    size_t n_extra)
{
	size_t i;

	if (strcmp(host, "api.atlassian.com") == 0 || diag_host_is_site(host))
		return 1;
	for (i = 0; i < n_extra; i++)
		if (diag_str_ieq(host, extra[i]))
			return 1;
	return 0;
}
