/* checks/transcript/redirect.h: what a redirect of a REST call means, in one wording for every check. */
#ifndef DIAG_CHECKS_REDIRECT_H
#define DIAG_CHECKS_REDIRECT_H

/* How a redirect moves a call (from_url, Location value). */
enum diag__redirect {
	DIAG__REDIR_NO_LOCATION, /* no Location header */
	DIAG__REDIR_TO_HTTPS, /* http:// to https:// on the same host */
	DIAG__REDIR_LOGIN, /* to a browser login page */
	DIAG__REDIR_TO_HTTP, /* a downgrade to plain http */
	DIAG__REDIR_OTHER_HOST, /* to another host */
	DIAG__REDIR_SAME_HOST, /* elsewhere on the same host */
};

/* Classifies a redirect of from_url to loc (NULL: no Location); a
 * relative Location stays on the same host. */
enum diag__redirect diag__redirect_kind(const char *from_url, const char *loc);
/* What that means, one static clause starting "it ...", no final stop. */
const char *diag__redirect_meaning(enum diag__redirect);

#endif
