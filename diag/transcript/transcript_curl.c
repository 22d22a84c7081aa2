/* diag/transcript/transcript_curl.c: reader of curl -v and curl --trace-ascii output. */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "diag/transcript/transcript.h"
#include "diag/core/util.h"

/*
 * Both formats become one stream of events: a request head line, a
 * response head line, response body bytes, or an informational line.
 * curl -v marks them "> ", "< ", "* " (body lines are unmarked);
 * --trace-ascii gives blocks ("=> Send header, N bytes", "<= Recv data")
 * of "OFFS: text" lines, where a line ends at CRLF or after 64 bytes; the
 * offsets tell which.
 */
enum ev {
	EV_REQ,
	EV_RESP,
	EV_BODY,
	EV_INFO,
};

struct curl_state {
	struct diag_transcript *tx;
	struct diag_tx_item *it; /* current exchange */
	struct diag_buf body;
	char *host; /* Host header of the current request */
	char *target; /* request target */
	char *cmd_url; /* URL of a pasted curl command line */
	int port; /* port of the last "Connected to" */
	int item_port; /* that port when the request began */
	int in_resp; /* response head read: body follows */
	int resp_head_done;
};

static void
finish_item(struct curl_state *s)
{
	struct diag_tx_item *it = s->it;
	const char *scheme = "https";
	char *url;

	if (it == NULL)
		return;
	if (s->target != NULL &&
	    (strncmp(s->target, "http://", 7) == 0 ||
		strncmp(s->target, "https://", 8) == 0))
		url = diag_xstrdup(s->target);
	else if (s->host != NULL && *s->host != '\0') {
		/* The connection's port first: after a redirect (curl -L)
		 * the command line's scheme may no longer hold. */
		if (s->item_port == 80 ||
		    (s->item_port != 443 && s->cmd_url != NULL &&
			strncmp(s->cmd_url, "http://", 7) == 0))
			scheme = "http";
		url = diag_xasprintf("%s://%s%s", scheme, s->host,
		    s->target != NULL ? s->target : "/");
	} else
		url = diag_xstrdup(s->cmd_url != NULL ? s->cmd_url : "");
	diag__tx_item_set_url(it, url);
	free(url);
	diag__tx_body(it, s->body.buf != NULL ? s->body.buf : "", s->body.len);
	diag_buf_release(&s->body);
	free(s->host);
	free(s->target);
	s->host = NULL;
	s->target = NULL;
	s->it = NULL;
	s->in_resp = 0;
	s->resp_head_done = 0;
}

static int
request_line(const char *p, size_t n, char **method, char **target)
{
	const char *sp1, *sp2;
	size_t i;

	sp1 = memchr(p, ' ', n);
	if (sp1 == NULL || sp1 == p || sp1 - p > 16)
		return -1;
	for (i = 0; p + i < sp1; i++)
		if (!isupper((unsigned char)p[i]))
			return -1;
	sp2 = memchr(sp1 + 1, ' ', n - (size_t)(sp1 + 1 - p));
	if (sp2 == NULL || (size_t)(p + n - sp2) < 6 ||
	    memcmp(sp2 + 1, "HTTP/", 5) != 0)
		return -1;
	*method = diag_xstrndup(p, (size_t)(sp1 - p));
	*target = diag_xstrndup(sp1 + 1, (size_t)(sp2 - sp1 - 1));
	return 0;
}

/* "HTTP/2 401" / "HTTP/1.1 401 Unauthorized": 0 and the parts, or -1. */
static int
status_line(const char *p, size_t n, char **version, long *status)
{
	const char *sp;
	long v = 0;
	size_t i, d = 0;

	if (n < 8 || memcmp(p, "HTTP/", 5) != 0)
		return -1;
	sp = memchr(p, ' ', n);
	if (sp == NULL)
		return -1;
	for (i = (size_t)(sp + 1 - p);
	     i < n && isdigit((unsigned char)p[i]) && d < 3; i++, d++)
		v = v * 10 + (p[i] - '0');
	if (d != 3)
		return -1;
	*version = diag_xstrndup(p, (size_t)(sp - p));
	*status = v;
	return 0;
}

static void
on_info(struct curl_state *s, const char *p, size_t n)
{
	const char *q, *e;
	static const char auth[] = "Server auth using Basic with user '";
	long port;

	q = memmem(p, n, " port ", 6);
	if (memmem(p, n, "Connected to ", 13) != NULL && q != NULL) {
		port = diag__tx_number(q + 6, p + n, 65535);
		if (port > 0)
			s->port = (int)port;
	}
	q = memmem(p, n, auth, sizeof(auth) - 1);
	if (q != NULL) {
		q += sizeof(auth) - 1;
		e = memchr(q, '\'', (size_t)(p + n - q));
		if (e != NULL && e - q < 200 && s->tx->email == NULL)
			s->tx->email = diag_xstrndup(q, (size_t)(e - q));
	}
}

static void
on_event(struct curl_state *s, enum ev ev, const char *p, size_t n,
    unsigned line)
{
	char *a = NULL, *b = NULL;
	size_t vlen;
	long st;

	while (ev != EV_BODY && n > 0 && (p[n - 1] == '\r' || p[n - 1] == '\n'))
		n--;
	switch (ev) {
	case EV_INFO:
		on_info(s, p, n);
		break;
	case EV_REQ:
		if (request_line(p, n, &a, &b) == 0) {
			finish_item(s);
			s->tx->n_entries++;
			s->it = diag__tx_item_new(s->tx, a, "", line);
			s->item_port = s->port;
			s->target = b;
			b = NULL;
			break;
		}
		if (s->it == NULL || n == 0)
			break;
		if (diag__tx_split_header(p, n, &a, &b, &vlen) == 0) {
			s->it->headers_seen = 1;
			if (strcasecmp(a, "host") == 0 && s->host == NULL)
				s->host = diag_str_lower(b + strspn(b, " \t"));
			diag__tx_req_header(s->it, a, b, vlen);
		}
		break;
	case EV_RESP:
		if (s->it == NULL) {
			/* A response without its request (cut transcript). */
			s->tx->n_entries++;
			s->it = diag__tx_item_new(s->tx, "GET", "", line);
			if (s->it == NULL)
				break;
		}
		if (status_line(p, n, &a, &st) == 0) {
			if (s->it->response_seen && s->it->ex->status != 100 &&
			    s->resp_head_done) {
				/* A second answer on the same request. */
				free(a);
				a = NULL;
				break;
			}
			if (s->it->ex->status == 100)
				s->resp_head_done = 0;
			diag__tx_status(s->it, a, st);
			s->in_resp = 1;
			break;
		}
		if (n == 0) {
			if (s->in_resp)
				s->resp_head_done = 1;
			break;
		}
		if (s->it->response_seen &&
		    diag__tx_split_header(p, n, &a, &b, &vlen) == 0)
			diag__tx_resp_header(s->it, a, b, vlen);
		break;
	case EV_BODY:
		if (s->it != NULL && s->in_resp &&
		    s->body.len < DIAG_TX_BODY_MAX * 2)
			diag_buf_add(&s->body, p, n);
		break;
	}
	free(a);
	free(b);
}

/* Progress-meter lines curl prints to stderr without -s. */
static int
progress_line(const char *p, size_t n)
{
	return (n >= 9 && memcmp(p, "  % Total", 9) == 0) ||
	    (n >= 10 && memmem(p, n, "Dload", 5) != NULL &&
		memmem(p, n, "Upload", 6) != NULL) ||
	    memmem(p, n, "--:--:--", 8) != NULL ||
	    (n > 20 && memmem(p, n, ":--:--", 6) != NULL);
}

/* A pasted command line: remember its URL, register -u and -H secrets. */
static void
command_line(struct curl_state *s, const char *p, size_t n)
{
	const char *u, *e, *q;
	size_t m;

	u = memmem(p, n, "http", 4);
	while (u != NULL && strncmp(u, "http://", 7) != 0 &&
	    strncmp(u, "https://", 8) != 0)
		u = memmem(u + 4, (size_t)(p + n - u - 4), "http", 4);
	if (u != NULL && s->cmd_url == NULL) {
		e = u;
		while (e < p + n && *e != ' ' && *e != '\'' && *e != '"')
			e++;
		s->cmd_url = diag_xstrndup(u, (size_t)(e - u));
	}
	/* Every credential by name or shape (X-Api-Key, ?token=, ...). */
	diag__tx_redact(p, n, NULL);
	/* -u user:secret, --user user:secret, -H 'Authorization: ...' */
	for (q = p; q < p + n; q++) {
		m = 0;
		if ((size_t)(p + n - q) > 3 && memcmp(q, "-u ", 3) == 0)
			m = 3;
		else if ((size_t)(p + n - q) > 7 &&
		    memcmp(q, "--user ", 7) == 0)
			m = 7;
		else if ((size_t)(p + n - q) > 14 &&
		    strncasecmp(q, "Authorization:", 14) == 0)
			m = 14;
		if (m == 0)
			continue;
		q += m;
		while (q < p + n && (*q == ' ' || *q == '\'' || *q == '"'))
			q++;
		e = q;
		while (e < p + n && *e != '\'' && *e != '"' &&
		    (m == 14 || *e != ' '))
			e++;
		diag__tx_secret(q, (size_t)(e - q));
		u = memchr(q, ':', (size_t)(e - q));
		if (u != NULL)
			diag__tx_secret(u + 1, (size_t)(e - u - 1));
		u = memchr(q, ' ', (size_t)(e - q));
		if (u != NULL)
			diag__tx_secret(u + 1, (size_t)(e - u - 1));
	}
}

/* curl -v: one event per line. */
static void
parse_verbose(struct curl_state *s, const char *buf, size_t len)
{
	const char *p = buf, *nl;
	size_t n;
	unsigned line = 1;

	while (p < buf + len) {
		nl = memchr(p, '\n', (size_t)(buf + len - p));
		n = nl != NULL ? (size_t)(nl - p) + 1 : (size_t)(buf + len - p);
		if (n >= 2 && p[0] == '>' &&
		    (p[1] == ' ' || p[1] == '\r' || p[1] == '\n'))
			on_event(s, EV_REQ, p + 2, n >= 2 ? n - 2 : 0, line);
		else if (n >= 1 && p[0] == '>' && n == 1)
			on_event(s, EV_REQ, p + 1, 0, line);
		else if (n >= 2 && p[0] == '<' &&
		    (p[1] == ' ' || p[1] == '\r' || p[1] == '\n'))
			on_event(s, EV_RESP, p + 2, n - 2, line);
		else if (n >= 2 && p[0] == '*' && (p[1] == ' ' || p[1] == '\t'))
			on_event(s, EV_INFO, p + 2, n - 2, line);
		else if (n >= 2 && (p[0] == '{' || p[0] == '}') &&
		    p[1] == ' ' && memmem(p, n, "bytes data]", 11) != NULL)
			; /* data marker */
		else if (progress_line(p, n))
			;
		else if (s->it == NULL && memmem(p, n, "curl ", 5) != NULL)
			command_line(s, p, n);
		else if (s->it != NULL && s->in_resp && s->resp_head_done)
			on_event(s, EV_BODY, p, n, line);
		line++;
		p += n;
	}
}

/* Parses "OFFS: " at p; returns the offset or -1. */
static long
trace_offset(const char *p, size_t n, size_t *skip)
{
	size_t i = 0;
	long v = 0;
	int c;

	while (i < n && i < 8 && isxdigit((unsigned char)p[i])) {
		c = tolower((unsigned char)p[i]);
		v = v * 16 + (c <= '9' ? c - '0' : c - 'a' + 10);
		i++;
	}
	if (i < 4 || i + 1 >= n || p[i] != ':' || p[i + 1] != ' ')
		return -1;
	*skip = i + 2;
	return v;
}

/* Emits the reconstructed bytes of one trace block. */
static void
trace_emit(struct curl_state *s, enum ev ev, struct diag_buf *blk,
    unsigned line)
{
	const char *p = blk->buf, *nl;
	size_t n;

	if (blk->len == 0)
		return;
	if (ev == EV_BODY) {
		on_event(s, EV_BODY, blk->buf, blk->len, line);
		goto out;
	}
	while (p < blk->buf + blk->len) {
		nl = memchr(p, '\n', (size_t)(blk->buf + blk->len - p));
		n = nl != NULL ? (size_t)(nl - p) :
				 (size_t)(blk->buf + blk->len - p);
		on_event(s, ev, p, n, line);
		if (nl == NULL)
			break;
		p = nl + 1;
	}
out:
	diag_buf_release(blk);
}

/* curl --trace-ascii: blocks of offset lines. */
static void
parse_trace(struct curl_state *s, const char *buf, size_t len)
{
	const char *p = buf, *nl;
	size_t n, skip, clen;
	struct diag_buf blk = DIAG_BUF_INIT;
	enum ev ev = EV_INFO;
	int in_block = 0, have_prev = 0;
	long off, prev_off = 0;
	size_t prev_len = 0;
	unsigned line = 1, blk_line = 1;

	while (p < buf + len) {
		nl = memchr(p, '\n', (size_t)(buf + len - p));
		n = nl != NULL ? (size_t)(nl - p) : (size_t)(buf + len - p);
		clen = n;
		while (clen > 0 && p[clen - 1] == '\r')
			clen--;
		if (clen >= 3 &&
		    (memcmp(p, "== ", 3) == 0 || memcmp(p, "=> ", 3) == 0 ||
			memcmp(p, "<= ", 3) == 0)) {
			if (in_block) {
				if (have_prev && ev != EV_BODY)
					diag_buf_add(&blk, "\r\n", 2);
				trace_emit(s, ev, &blk, blk_line);
			}
			in_block = 0;
			have_prev = 0;
			if (clen >= 8 && memcmp(p, "== Info:", 8) == 0)
				on_event(s, EV_INFO, p + 8, clen - 8, line);
			else if (memmem(p, clen, "Send header", 11) != NULL) {
				ev = EV_REQ;
				in_block = 1;
			} else if (memmem(p, clen, "Recv header", 11) != NULL) {
				ev = EV_RESP;
				in_block = 1;
			} else if (memmem(p, clen, "Recv data", 9) != NULL) {
				ev = EV_BODY;
				in_block = 1;
			}
			blk_line = line;
		} else if (in_block &&
		    (off = trace_offset(p, clen, &skip)) >= 0) {
			if (have_prev) {
				if (off - prev_off - (long)prev_len >= 2)
					diag_buf_add(&blk, "\r\n", 2);
				else if (off - prev_off - (long)prev_len == 1)
					diag_buf_add(&blk, "\n", 1);
			}
			diag_buf_add(&blk, p + skip, clen - skip);
			prev_off = off;
			prev_len = clen - skip;
			have_prev = 1;
		} else if (!in_block && s->it == NULL &&
		    memmem(p, clen, "curl ", 5) != NULL)
			command_line(s, p, clen);
		line++;
		if (nl == NULL)
			break;
		p = nl + 1;
	}
	if (in_block) {
		if (have_prev && ev != EV_BODY)
			diag_buf_add(&blk, "\r\n", 2);
		trace_emit(s, ev, &blk, blk_line);
	}
	diag_buf_release(&blk);
}

int
diag__tx_parse_curl(const char *buf, size_t len, struct diag_transcript *tx,
    struct diag_tx_error *err)
{
	struct curl_state s;
	const char *p;
	int trace = 0, rc = -1;

	memset(&s, 0, sizeof(s));
	s.tx = tx;
	p = buf;
	while (p < buf + len && (*p == ' ' || *p == '\r' || *p == '\n'))
		p++;
	if (memmem(buf, len < 65536 ? len : 65536, "\n=> Send ", 9) != NULL ||
	    memmem(buf, len < 65536 ? len : 65536, "\n<= Recv ", 9) != NULL ||
	    (buf + len - p >= 3 &&
		(memcmp(p, "== ", 3) == 0 || memcmp(p, "=> ", 3) == 0)))
		trace = 1;
	if (trace)
		parse_trace(&s, buf, len);
	else
		parse_verbose(&s, buf, len);
	finish_item(&s);
	if (tx->n_items == 0) {
		diag__tx_fail(err, 1,
		    "no request ('> GET ...') or response ('< HTTP/...') lines "
		    "found in this curl output");
		goto out;
	}
	rc = 0;
out:
	diag_buf_release(&s.body);
	free(s.host);
	free(s.target);
	free(s.cmd_url);
	return rc;
}
