/* checks/transcript/redirect.c: what a redirect of a REST call means (site.redirect wording). */
#include <string.h>
#include <strings.h>

#include "checks/transcript/redirect.h"
#include "diag/core/url.h"

enum diag__redirect
diag__redirect_kind(const char *from_url, const char *loc)
{
	struct diag_url from, to;
	enum diag__redirect k;

	if (loc == NULL || *loc == '\0')
		return DIAG__REDIR_NO_LOCATION;
	if (strcasestr(loc, "login") != NULL)
		return DIAG__REDIR_LOGIN;
	if (diag_url_parse(loc, &to) != 0)
		return DIAG__REDIR_SAME_HOST; /* relative: the same host */
	if (from_url == NULL || diag_url_parse(from_url, &from) != 0) {
		diag_url_release(&to);
		return DIAG__REDIR_OTHER_HOST;
	}
	if (strcasecmp(from.host, to.host) != 0)
		k = DIAG__REDIR_OTHER_HOST;
	else if (strcmp(to.scheme, "http") == 0)
		k = DIAG__REDIR_TO_HTTP;
	else if (strcmp(from.scheme, "http") == 0)
		k = DIAG__REDIR_TO_HTTPS;
	else
		k = DIAG__REDIR_SAME_HOST;
	diag_url_release(&from);
	diag_url_release(&to);
	return k;
}

const char *
diag__redirect_meaning(enum diag__redirect k)
{
	switch (k) {
	case DIAG__REDIR_NO_LOCATION:
		return "it names no Location: the answer is not from the "
		       "Atlassian REST API";
	case DIAG__REDIR_TO_HTTPS:
		return "it sends the call from plain http to https: Atlassian "
		       "Cloud serves only HTTPS, so the call as written never "
		       "reaches the API";
	case DIAG__REDIR_LOGIN:
		return "it sends the call to a browser login page: the site "
		       "asks for a browser login (SSO, or not a Cloud site) "
		       "and does not accept these credentials for the API";
	case DIAG__REDIR_TO_HTTP:
		return "it points to plain http: a downgrade no API client "
		       "should follow";
	case DIAG__REDIR_OTHER_HOST:
		return "it points to another host: the site moved, sits behind "
		       "a custom domain or proxy, or is not Atlassian Cloud";
	default:
		return "it points elsewhere on the same host: the path is not "
		       "the REST API the site serves";
	}
}
