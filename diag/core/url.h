/* diag/core/url.h: split a URL and tell which kind of Atlassian host it names. */
#ifndef DIAG_URL_H
#define DIAG_URL_H

#include <stddef.h>

/* Parts of a URL; all strings owned (diag_url_release). */
struct diag_url {
	char *scheme; /* lowercased: "https"; NULL when split found none */
	char *userinfo; /* NULL when absent; may be a secret */
	char *host; /* lowercased, no port */
	int port; /* -1 when absent (or, when split, not a number) */
	char *port_text; /* the port as given; NULL when absent */
	char *path; /* not decoded; parse: "/" when absent, split: "" */
	char *query; /* without '?', NULL when absent */
	char *fragment; /* without '#', NULL when absent */
};

/* Parses an absolute URL (scheme://host...), strictly: a valid scheme, a
 * host and a port of 1-65535 when given. Returns 0, or -1 when it is not
 * one (u is then empty). */
int diag_url_parse(const char *, struct diag_url *u);
/*
 * Splits a URL or host as the user wrote it (s, len bytes, no NUL inside),
 * leniently: input checks must describe broken values, not refuse them.
 * A value without "scheme://" is read as host[:port][/path]; final dots
 * of the host are dropped. Never fails.
 */
void diag_url_split(const char *s, size_t len, struct diag_url *u);
void diag_url_release(struct diag_url *);

/*
 * "gateway" (api.atlassian.com/ex/...), "gateway_other" (api.atlassian.com
 * elsewhere), "admin" (api.atlassian.com/admin/ or /users/, and
 * admin.atlassian.com), "site" (*.atlassian.net, *.jira.com), "auth"
 * (auth.atlassian.com), or "other".
 */
const char *diag_url_host_kind(const struct diag_url *);
/* The same for a host and path (either may be NULL). */
const char *diag_host_kind(const char *host, const char *path);
/* 1 for *.atlassian.net and *.jira.com (a site host). */
int diag_host_is_site(const char *host);
/* 1 when credentials may be sent to host (DESIGN §8), given extra allowed
 * hosts (exact, case-insensitive). */
int diag_url_host_allowed(const char *host, const char *const *extra,
    size_t n_extra);

#endif
