/* diag/transcript/transcript_text.c: evidence pulled out of free text (a pasted log or client error message). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "diag/transcript/transcript.h"
#include "diag/core/util.h"

/* Atlassian messages a client prints, and the status they come with. */
static const struct {
	const char *text;
	long status;
} known[] = {
	{ "Basic authentication with passwords is deprecated", 401 },
	{ "Client must be authenticated to access this resource", 401 },
	{ "You are not authenticated. Authentication required", 401 },
	{ "scope does not match", 401 },
	{ "FAILURE_CLIENT_SCOPE_CHECK", 401 },
	{ "FAILURE_CLIENT_AUTH_MISMATCH", 401 },
	{ "Failed to parse Connect Session Auth Token", 403 },
	{ "Current user not permitted to use Confluence", 403 },
	{ "XSRF check failed", 403 },
	{ "CAPTCHA_CHALLENGE", 403 },
	{ "Only Jira administrators can perform this operation", 403 },
	{ "The IP address has been rejected because it is not on the allowed "
	  "list",
	    403 },
	{ "Issue does not exist or you do not have permission to see it", 404 },
	{ "No project could be found with key", 404 },
	{ "AUTHENTICATED_FAILED", 401 },
	{ "AUTHENTICATION_DENIED", 403 },
};

/* Response headers worth lifting out of a log. */
static const char *const resp_headers[] = {
	"X-Seraph-LoginReason",
	"X-Failure-Category",
	"WWW-Authenticate",
	"X-Authentication-Denied-Reason",
	"RateLimit-Reason",
	"Retry-After",
	"ATL-TraceId",
	"X-AAccountId",
	"Content-Type",
};

static const char *const methods[] = {
	"GET",
	"POST",
	"PUT",
	"DELETE",
	"PATCH",
	"HEAD",
};

/* Hosts of documentation links that error messages carry. */
static const char *const doc_hosts[] = {
	"confluence.atlassian.com",
	"developer.atlassian.com",
	"support.atlassian.com",
	"community.atlassian.com",
	"docs.atlassian.com",
	"jira.atlassian.com",
	"go.atlassian.com",
	"www.atlassian.com",
};

struct found_url {
	char *url;
	char *method;
	long status;
	unsigned line;
};

/* 1 when the URL at u (n bytes) is a documentation link, not a request. */
static int
doc_url(const char *u, size_t n)
{
	const char *h = memmem(u, n, "://", 3);
	size_t k, m;

	if (h == NULL)
		return 0;
	h += 3;
	for (k = 0; k < DIAG_NELEM(doc_hosts); k++) {
		m = strlen(doc_hosts[k]);
		if ((size_t)(u + n - h) >= m &&
		    strncasecmp(h, doc_hosts[k], m) == 0 &&
		    (h + m == u + n || h[m] == '/' || h[m] == ':'))
			return 1;
	}
	return 0;
}

static int
url_char(unsigned char c)
{
	return c > 0x20 && c < 0x7f && c != '"' && c != '\'' && c != '<' &&
	    c != '>' && c != '`' && c != '\\';
}

/* A status code on this line (n bytes), or 0. */
static long
line_status(const char *p, size_t n)
{
	static const char *const after[] = { " Client Error", " Server Error",
		" Unauthorized", " Forbidden", " Not Found",
		" Too Many Requests", " Service Unavailable" };
	static const char *const before[] = { "status code ",
		"status code: ", "status: ", "status=", "Status: ", "HTTP ",
		"Response [", "\"status\":", "\"statusCode\":", "\"code\":",
		"status_code=", "StatusCode: ", "error " };
	const char *q;
	size_t i, k;
	long v;

	for (i = 0; i + 3 <= n; i++) {
		if (!isdigit((unsigned char)p[i]) ||
		    !isdigit((unsigned char)p[i + 1]) ||
		    !isdigit((unsigned char)p[i + 2]) ||
		    (i > 0 && isalnum((unsigned char)p[i - 1])) ||
		    (i + 3 < n && isalnum((unsigned char)p[i + 3])))
			continue;
		v = (p[i] - '0') * 100 + (p[i + 1] - '0') * 10 +
		    (p[i + 2] - '0');
		if (v < 400 || v > 599)
			continue;
		for (k = 0; k < DIAG_NELEM(after); k++)
			if (n - i - 3 >= strlen(after[k]) &&
			    strncasecmp(p + i + 3, after[k],
				strlen(after[k])) == 0)
				return v;
		for (k = 0; k < DIAG_NELEM(before); k++) {
			size_t m = strlen(before[k]);

			q = p + i;
			while (q > p && q[-1] == ' ' && before[k][m - 1] != ' ')
				q--;
			if ((size_t)(q - p) >= m &&
			    strncasecmp(q - m, before[k], m) == 0)
				return v;
		}
		/* "HTTP/1.1 401", "HTTP/2 403" */
		if (i >= 7 && memmem(p, i, "HTTP/", 5) != NULL &&
		    p[i - 1] == ' ')
			return v;
	}
	return 0;
}

static const char *
line_method(const char *p, size_t n)
{
	size_t i, k, m;

	for (k = 0; k < DIAG_NELEM(methods); k++) {
		m = strlen(methods[k]);
		for (i = 0; i + m < n; i++)
			if (memcmp(p + i, methods[k], m) == 0 &&
			    (i == 0 || !isalpha((unsigned char)p[i - 1])) &&
			    (p[i + m] == ' ' || p[i + m] == '\t'))
				return methods[k];
	}
	return NULL;
}

/* Registers token-looking words (ATATT..., ATSTT..., ATCTT...). */
static void
find_tokens(struct diag_transcript *tx, const char *p, size_t n)
{
	size_t i, j;

	for (i = 0; i + 5 < n; i++) {
		if (p[i] != 'A' || p[i + 1] != 'T' ||
		    (i > 0 && isalnum((unsigned char)p[i - 1])))
			continue;
		if (memcmp(p + i, "ATATT", 5) != 0 &&
		    memcmp(p + i, "ATSTT", 5) != 0 &&
		    memcmp(p + i, "ATCTT", 5) != 0)
			continue;
		j = i;
		while (j < n &&
		    (isalnum((unsigned char)p[j]) || p[j] == '_' ||
			p[j] == '-' || p[j] == '='))
			j++;
		if (j - i < 20)
			continue;
		diag__tx_secret(p + i, j - i);
		if (tx->token == NULL) {
			tx->token = diag_xstrndup(p + i, j - i);
			tx->token_len = j - i;
		}
		i = j;
	}
}

static void
find_email(struct diag_transcript *tx, const char *p, size_t n)
{
	const char *at;
	size_t a, b, i;

	if (tx->email != NULL)
		return;
	for (i = 0; i < n; i++) {
		if (p[i] != '@')
			continue;
		at = p + i;
		a = i;
		while (a > 0 &&
		    (isalnum((unsigned char)p[a - 1]) ||
			strchr("._%+-", p[a - 1]) != NULL))
			a--;
		b = i + 1;
		while (b < n &&
		    (isalnum((unsigned char)p[b]) || p[b] == '.' ||
			p[b] == '-'))
			b++;
		while (b > i + 1 && p[b - 1] == '.')
			b--;
		if (a < i && memchr(at, '.', b - i) != NULL && b - a < 200 &&
		    (a == 0 || p[a - 1] != '/')) {
			tx->email = diag_xstrndup(p + a, b - a);
			return;
		}
	}
}

/* What the lines of the text gave so far. */
struct text_scan {
	struct found_url *urls;
	size_t n_urls;
	struct diag_header *hdrs;
	size_t n_hdrs;
	const char *auth; /* Authorization value, in buf */
	size_t auth_len;
	unsigned auth_line;
	long any_status; /* the first status seen */
	long msg_status; /* a known message's status */
};

/* Response header lines ("Name: value", "Name=value") in this line. */
static void
scan_headers(struct text_scan *s, const char *p, size_t n)
{
	const char *u, *e;
	size_t k, m;

	for (k = 0; k < DIAG_NELEM(resp_headers); k++) {
		m = strlen(resp_headers[k]);
		for (u = p; u + m < p + n; u++)
			if (strncasecmp(u, resp_headers[k], m) == 0 &&
			    (u[m] == ':' || u[m] == '=') &&
			    (u == p || !isalnum((unsigned char)u[-1])))
				break;
		if (u + m >= p + n)
			continue;
		e = u + m + 1;
		while (e < p + n && (*e == ' ' || *e == '\'' || *e == '"'))
			e++;
		u = e;
		while (e < p + n && *e != '\'' && *e != '"' && *e != ',' &&
		    *e != '}' && *e != '\r')
			e++;
		s->hdrs =
		    diag_xrealloc(s->hdrs, (s->n_hdrs + 1) * sizeof(*s->hdrs));
		s->hdrs[s->n_hdrs].name = diag_xstrdup(resp_headers[k]);
		s->hdrs[s->n_hdrs].value = diag_xstrndup(u, (size_t)(e - u));
		s->n_hdrs++;
	}
}

/*
 * An Authorization value in this line: registered as a secret, the first kept.
 */
static void
scan_auth(struct text_scan *s, const char *p, size_t n, unsigned line)
{
	const char *u = p, *e;

	while ((size_t)(p + n - u) > 14) {
		if (strncasecmp(u, "Authorization", 13) == 0 &&
		    (u[13] == ':' || u[13] == '=' || u[13] == '\'' ||
			u[13] == '"')) {
			e = u + 13;
			while (e < p + n && strchr(":=\"' ", *e) != NULL)
				e++;
			u = e;
			while (e < p + n && *e != '\'' && *e != '"' &&
			    *e != ',' && *e != '}' && *e != '\r')
				e++;
			if (e > u && s->auth == NULL) {
				s->auth = u;
				s->auth_len = (size_t)(e - u);
				s->auth_line = line;
			}
			diag__tx_secret(u, (size_t)(e - u));
			break;
		}
		u++;
	}
}

/* 1 when the len bytes at s start with prefix, in any case. */
static int
has_prefix(const char *s, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);

	return len >= n && strncasecmp(s, prefix, n) == 0;
}

/* Request URLs in this line (not documentation links), at most 64 in all. */
static void
scan_urls(struct text_scan *s, const char *p, size_t n, const char *meth,
    long st, unsigned line)
{
	struct found_url *fu;
	const char *u = p, *e;

	while ((u = memmem(u, (size_t)(p + n - u), "http", 4)) != NULL) {
		/* p is not NUL-terminated: compare only what the line holds */
		if (!has_prefix(u, (size_t)(p + n - u), "http://") &&
		    !has_prefix(u, (size_t)(p + n - u), "https://")) {
			u += 4;
			continue;
		}
		e = u;
		while (e < p + n && url_char((unsigned char)*e))
			e++;
		while (e > u && strchr(".,;:)]}", e[-1]) != NULL)
			e--;
		if (s->n_urls < 64 && (size_t)(e - u) > 10 &&
		    !doc_url(u, (size_t)(e - u))) {
			s->urls = diag_xrealloc(s->urls,
			    (s->n_urls + 1) * sizeof(*s->urls));
			fu = &s->urls[s->n_urls++];
			fu->url = diag_xstrndup(u, (size_t)(e - u));
			fu->method = diag_xstrdup(meth);
			fu->status = st;
			fu->line = line;
		}
		u = e > u ? e : u + 4;
	}
}

/* Everything one line (n bytes at p) tells. */
static void
scan_line(struct diag_transcript *tx, struct text_scan *s, const char *p,
    size_t n, unsigned line)
{
	const char *meth;
	long st;
	size_t k;

	st = line_status(p, n);
	if (st != 0 && s->any_status == 0)
		s->any_status = st;
	meth = line_method(p, n);
	find_tokens(tx, p, n);
	find_email(tx, p, n);
	for (k = 0; k < DIAG_NELEM(known); k++)
		if (s->msg_status == 0 &&
		    memmem(p, n, known[k].text, strlen(known[k].text)) != NULL)
			s->msg_status = known[k].status;
	scan_headers(s, p, n);
	scan_auth(s, p, n, line);
	scan_urls(s, p, n, meth, st, line);
}

/*
 * One exchange per distinct URL (or one without a URL), each with the whole
 * text as body.
 */
static void
emit_items(struct diag_transcript *tx, const struct text_scan *s,
    const char *buf, size_t len)
{
	const struct found_url *urls = s->urls;
	size_t n_urls = s->n_urls, i, k, blen;
	struct diag_tx_item *it;
	const char *method, *url;
	unsigned line;
	long st;

	blen = len < DIAG_TX_BODY_MAX ? len : DIAG_TX_BODY_MAX;
	for (i = 0; i < (n_urls > 0 ? n_urls : 1); i++) {
		/* One exchange per distinct URL, the first carrying it. */
		for (k = 0; k < i; k++)
			if (strcmp(urls[k].url, urls[i].url) == 0)
				break;
		if (n_urls > 0 && k < i)
			continue;
		tx->n_entries++;
		method = "GET";
		url = "";
		line = s->auth_line ? s->auth_line : 1;
		st = s->any_status;
		if (n_urls > 0) {
			if (urls[i].method != NULL)
				method = urls[i].method;
			url = urls[i].url;
			line = urls[i].line;
			if (urls[i].status != 0)
				st = urls[i].status;
		}
		it = diag__tx_item_new(tx, method, url, line);
		if (it == NULL)
			break;
		if (s->auth != NULL)
			diag__tx_req_header(it, "Authorization", s->auth,
			    s->auth_len);
		if (st != 0)
			diag__tx_status(it, "", st);
		for (k = 0; k < s->n_hdrs; k++)
			diag__tx_resp_header(it, s->hdrs[k].name,
			    s->hdrs[k].value, strlen(s->hdrs[k].value));
		diag__tx_body(it, buf, blen);
	}
}

/* Frees what the scan holds (not the text it points into). */
static void
scan_free(struct text_scan *s)
{
	size_t i;

	for (i = 0; i < s->n_urls; i++) {
		free(s->urls[i].url);
		free(s->urls[i].method);
	}
	free(s->urls);
	for (i = 0; i < s->n_hdrs; i++) {
		free(s->hdrs[i].name);
		free(s->hdrs[i].value);
	}
	free(s->hdrs);
}

int
diag__tx_parse_text(const char *buf, size_t len, struct diag_transcript *tx,
    struct diag_tx_error *err)
{
	struct text_scan s;
	const char *p, *nl;
	unsigned line = 1;
	size_t n;
	int rc = -1;

	memset(&s, 0, sizeof(s));
	tx->weak = 1;
	for (p = buf; p < buf + len; line++) {
		nl = memchr(p, '\n', (size_t)(buf + len - p));
		n = nl != NULL ? (size_t)(nl - p) : (size_t)(buf + len - p);
		scan_line(tx, &s, p, n, line);
		if (nl == NULL)
			break;
		p = nl + 1;
	}
	if (s.any_status == 0)
		s.any_status = s.msg_status;
	if (s.n_urls == 0 && s.any_status == 0 && s.auth == NULL) {
		diag__tx_fail(err, 0,
		    "no URL, HTTP status or known Atlassian message found in "
		    "this text");
		goto out;
	}
	emit_items(tx, &s, buf, len);
	rc = 0;
out:
	scan_free(&s);
	return rc;
}
