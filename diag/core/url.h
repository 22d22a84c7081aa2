/* diag/core/url.h: split a URL and tell which kind of Atlassian host it names. */
#ifndef DIAG_URL_H
#define DIAG_URL_H

/* Parts of an absolute URL; all strings owned (diag_url_release). */
struct diag_url {
	char	*scheme;	/* lowercased: "https" */
	char	*userinfo;	/* NULL when absent; may be a secret */
	char	*host;		/* lowercased, no port */
	int	 port;		/* -1 when absent */
	char	*path;		/* "/" when absent; not decoded */
	char	*query;		/* without '?', NULL when absent */
};

/* Parses an absolute URL (scheme://host...). Returns 0, or -1 when it is
 * not one (u is then empty). */
int	 diag_url_parse(const char *, struct diag_url *u);
void	 diag_url_release(struct diag_url *);

/*
 * "gateway" (api.atlassian.com/ex/...), "gateway_other" (api.atlassian.com
 * elsewhere), "admin" (api.atlassian.com/admin/ or /users/, and
 * admin.atlassian.com), "site" (*.atlassian.net, *.jira.com), "auth"
 * (auth.atlassian.com), or "other".
 */
const char *diag_url_host_kind(const struct diag_url *);
/* 1 when credentials may be sent to host (DESIGN §8), given extra allowed
 * hosts (exact, case-insensitive). */
int	 diag_url_host_allowed(const char *host, const char *const *extra,
	    size_t n_extra);

#endif
