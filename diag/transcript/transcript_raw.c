/* diag/transcript/transcript_raw.c: reader of raw HTTP exchanges (request head, blank line, response head, body). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "diag/transcript/transcript.h"
#include "diag/core/util.h"

enum raw_state {
	RAW_START = 0, /* before a request or status line */
	RAW_REQ_HEAD,
	RAW_REQ_BODY, /* request body: skipped until the status line */
	RAW_RESP_HEAD,
	RAW_STATUS, /* (next only) this line is a status line */
	RAW_FAIL, /* (next only) err says why the text is refused */
};

struct raw {
	const char *buf;
	size_t len;
	size_t pos; /* start of the current line */
	unsigned line;
	struct diag_transcript *tx;
	struct diag_tx_item *it;
	char *host;
	char *target;
};

static int
is_method_line(const char *p, size_t n)
{
	size_t i = 0;

	while (i < n && i < 16 && isupper((unsigned char)p[i]))
		i++;
	return i > 0 && i < n && p[i] == ' ' &&
	    memmem(p, n, " HTTP/", 6) != NULL;
}

static int
is_status_line(const char *p, size_t n)
{
	const char *sp;

	if (n < 8 || memcmp(p, "HTTP/", 5) != 0)
		return 0;
	sp = memchr(p, ' ', n);
	return sp != NULL && (size_t)(p + n - sp) >= 4 &&
	    isdigit((unsigned char)sp[1]) && isdigit((unsigned char)sp[2]) &&
	    isdigit((unsigned char)sp[3]);
}

static void
set_url(struct raw *r)
{
	char *url;

	if (r->it == NULL)
		return;
	if (r->target != NULL &&
	    (strncasecmp(r->target, "http://", 7) == 0 ||
		strncasecmp(r->target, "https://", 8) == 0))
		url = diag_xstrdup(r->target);
	else if (r->host != NULL && *r->host != '\0')
		url = diag_xasprintf("https://%s%s", r->host,
		    r->target != NULL ? r->target : "/");
	else
		url = diag_xstrdup("");
	diag__tx_item_set_url(r->it, url);
	free(url);
}

static void
start_request(struct raw *r, const char *p, size_t n)
{
	const char *sp1, *sp2;
	char *method;

	sp1 = memchr(p, ' ', n);
	sp2 = memmem(p, n, " HTTP/", 6);
	method = diag_xstrndup(p, (size_t)(sp1 - p));
	free(r->host);
	free(r->target);
	r->host = NULL;
	r->target = sp2 > sp1 ?
	    diag_xstrndup(sp1 + 1, (size_t)(sp2 - sp1 - 1)) :
	    diag_xstrdup("/");
	r->tx->n_entries++;
	r->it = diag__tx_item_new(r->tx, method, "", r->line);
	free(method);
}

/* The response body from pos: Content-Length bytes, or up to the next
 * exchange (a blank line followed by a request line), or the end. */
static size_t
body_end(struct raw *r)
{
	const char *cl, *p, *q;
	unsigned long long n;
	size_t left;
	char *end;

	/* A Content-Length without chunking says where the body ends. */
	cl = NULL;
	if (r->it != NULL &&
	    diag_exchange_header(r->it->ex, "Transfer-Encoding") == NULL)
		cl = diag_exchange_header(r->it->ex, "Content-Length");
	if (cl != NULL) {
		n = strtoull(cl, &end, 10);
		if (end != cl && n <= r->len - r->pos)
			return r->pos + (size_t)n;
	}
	p = r->buf + r->pos;
	while (p < r->buf + r->len) {
		q = memchr(p, '\n', (size_t)(r->buf + r->len - p));
		if (q == NULL)
			break;
		q++;
		left = (size_t)(r->buf + r->len - q);
		if (left > 0 && is_method_line(q, left < 200 ? left : 200) &&
		    (q - 2 < r->buf + r->pos || q[-2] == '\n' ||
			(q[-2] == '\r' && q - 3 >= r->buf && q[-3] == '\n')))
			return (size_t)(q - r->buf);
		p = q;
	}
	return r->len;
}

static void
count_lines(struct raw *r, size_t from, size_t to)
{
	size_t i;

	for (i = from; i < to; i++)
		if (r->buf[i] == '\n')
			r->line++;
}

/* A line before any exchange: a request line, a status line, or blank. */
static enum raw_state
on_start(struct raw *r, const char *p, size_t n, struct diag_tx_error *err)
{
	if (n == 0)
		return RAW_START;
	if (is_method_line(p, n)) {
		start_request(r, p, n);
		return RAW_REQ_HEAD;
	}
	if (is_status_line(p, n)) {
		r->tx->n_entries++;
		r->it = diag__tx_item_new(r->tx, "GET", "", r->line);
		return RAW_STATUS;
	}
	diag__tx_fail(err, r->line,
	    "expected an HTTP request line ('GET /path HTTP/1.1') or status "
	    "line ('HTTP/1.1 401 Unauthorized')");
	return RAW_FAIL;
}

/*
 * A line of the request head: a header, a pseudo-header, the blank end or a
 * status line.
 */
static enum raw_state
on_req_head(struct raw *r, const char *p, size_t n, struct diag_tx_error *err)
{
	char *name, *value;
	size_t vlen;

	if (n == 0 || is_status_line(p, n)) {
		set_url(r);
		return n == 0 ? RAW_REQ_BODY : RAW_STATUS;
	}
	if (p[0] == ':') {
		/* HTTP/2 pseudo-header from a proxy. */
		if (n > 11 && strncasecmp(p, ":authority:", 11) == 0 &&
		    r->host == NULL) {
			value = diag_xstrndup(p + 11, n - 11);
			r->host = diag_str_lower(value + strspn(value, " \t"));
			free(value);
		}
		return RAW_REQ_HEAD;
	}
	if (diag__tx_split_header(p, n, &name, &value, &vlen) != 0) {
		diag__tx_fail(err, r->line,
		    "expected a request header ('Name: value') or a blank "
		    "line");
		return RAW_FAIL;
	}
	if (strcasecmp(name, "host") == 0 && r->host == NULL)
		r->host = diag_str_lower(value + strspn(value, " \t"));
	if (r->it != NULL) {
		r->it->headers_seen = 1;
		diag__tx_req_header(r->it, name, value, vlen);
	}
	free(name);
	free(value);
	return RAW_REQ_HEAD;
}

/* A line of a request body: skipped until a status line or the next request. */
static enum raw_state
on_req_body(struct raw *r, const char *p, size_t n)
{
	if (is_status_line(p, n))
		return RAW_STATUS;
	if (is_method_line(p, n)) {
		/* A request with no response: the next one. */
		start_request(r, p, n);
		return RAW_REQ_HEAD;
	}
	return RAW_REQ_BODY;
}

/*
 * A line of the response head: a header, or the blank line before the body
 * (read whole).
 */
static enum raw_state
on_resp_head(struct raw *r, const char *p, size_t n, struct diag_tx_error *err)
{
	char *name, *value;
	size_t vlen, end;

	if (n == 0) {
		end = body_end(r);
		if (r->it != NULL)
			diag__tx_body(r->it, r->buf + r->pos, end - r->pos);
		count_lines(r, r->pos, end);
		r->pos = end;
		r->it = NULL;
		return RAW_START;
	}
	if (diag__tx_split_header(p, n, &name, &value, &vlen) != 0) {
		diag__tx_fail(err, r->line,
		    "expected a response header ('Name: value') or a blank "
		    "line");
		return RAW_FAIL;
	}
	if (r->it != NULL)
		diag__tx_resp_header(r->it, name, value, vlen);
	free(name);
	free(value);
	return RAW_RESP_HEAD;
}

/* The status line p (n bytes) of the current exchange. */
static void
on_status(struct raw *r, const char *p, size_t n)
{
	const char *sp;
	char *version;
	long status;

	if (r->it == NULL)
		return;
	sp = memchr(p, ' ', n);
	version = diag_xstrndup(p, (size_t)(sp - p));
	status = diag__tx_number(sp + 1, p + n, 999);
	if (status < 0)
		status = 0;
	diag__tx_status(r->it, version, status);
	free(version);
}

int
diag__tx_parse_raw(const char *buf, size_t len, struct diag_transcript *tx,
    struct diag_tx_error *err)
{
	struct raw r;
	enum raw_state st = RAW_START;
	const char *p, *nl;
	size_t n;
	int rc = -1;

	memset(&r, 0, sizeof(r));
	r.buf = buf;
	r.len = len;
	r.tx = tx;
	r.line = 1;
	while (r.pos < len) {
		p = buf + r.pos;
		nl = memchr(p, '\n', len - r.pos);
		n = nl != NULL ? (size_t)(nl - p) : len - r.pos;
		r.pos += nl != NULL ? n + 1 : n;
		while (n > 0 && p[n - 1] == '\r')
			n--;
		switch (st) {
		case RAW_START:
			st = on_start(&r, p, n, err);
			break;
		case RAW_REQ_HEAD:
			st = on_req_head(&r, p, n, err);
			break;
		case RAW_REQ_BODY:
			st = on_req_body(&r, p, n);
			break;
		case RAW_RESP_HEAD:
		default:
			st = on_resp_head(&r, p, n, err);
			break;
		}
		if (st == RAW_FAIL)
			goto out;
		if (st == RAW_STATUS) {
			on_status(&r, p, n);
			st = RAW_RESP_HEAD;
		}
		r.line++;
	}
	if (tx->n_items == 0) {
		diag__tx_fail(err, r.line, "no HTTP exchange found");
		goto out;
	}
	if (st == RAW_REQ_HEAD)
		set_url(&r);
	rc = 0;
out:
	free(r.host);
	free(r.target);
	return rc;
}
