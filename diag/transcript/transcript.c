/* diag/transcript/transcript.c: transcript format detection and the helpers every transcript parser shares. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "diag/core/hash.h"
#include "diag/core/secret.h"
#include "diag/transcript/transcript.h"
#include "diag/core/url.h"
#include "diag/core/util.h"

static const char *const format_names[] = {
	"auto",
	"har",
	"curl",
	"raw",
	"text",
};

const char *
diag_transcript_format_name(enum diag_tx_format f)
{
	if ((size_t)f >= DIAG_NELEM(format_names))
		return "auto";
	return format_names[f];
}

int
diag_transcript_format_parse(const char *s, enum diag_tx_format *out)
{
	size_t i;

	for (i = 0; i < DIAG_NELEM(format_names); i++)
		if (s != NULL && strcmp(s, format_names[i]) == 0) {
			*out = (enum diag_tx_format)i;
			return 0;
		}
	return -1;
}

int
diag__tx_fail(struct diag_tx_error *err, unsigned line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err->why, sizeof(err->why), fmt, ap);
	va_end(ap);
	err->line = line;
	return -1;
}

void
diag__tx_secret(const char *s, size_t len)
{
	static char *recent[8];
	static size_t next, known;
	size_t i;

	while (len > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		len--;
	}
	while (len > 0 &&
	    (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r' ||
		s[len - 1] == '\n'))
		len--;
	if (len < 6 || len > DIAG_TX_SECRET_MAX)
		return;
	/* Transcripts repeat one credential many times: register it once
	 * (unless the registry was reset since). */
	if (diag_secret_count() < known)
		for (i = 0; i < DIAG_NELEM(recent); i++) {
			free(recent[i]);
			recent[i] = NULL;
		}
	for (i = 0; i < DIAG_NELEM(recent); i++)
		if (recent[i] != NULL && strlen(recent[i]) == len &&
		    memcmp(recent[i], s, len) == 0)
			return;
	free(recent[next]);
	recent[next] = diag_xstrndup(s, len);
	next = (next + 1) % DIAG_NELEM(recent);
	diag_secret_register(s, len);
	known = diag_secret_count();
}

/* Is the line at p (n bytes) an HTTP request line "METHOD target HTTP/x"? */
static int
is_request_line(const char *p, size_t n)
{
	static const char *const methods[] = { "GET ", "POST ", "PUT ",
		"DELETE ", "PATCH ", "HEAD ", "OPTIONS " };
	size_t i, m;

	for (i = 0; i < DIAG_NELEM(methods); i++) {
		m = strlen(methods[i]);
		if (n > m && memcmp(p, methods[i], m) == 0)
			return memmem(p, n, " HTTP/", 6) != NULL;
	}
	return 0;
}

enum diag_tx_format
diag_transcript_detect(const char *buf, size_t len)
{
	size_t i = 0, n, lines = 0, curl = 0;
	const char *p, *nl;

	while (i < len &&
	    (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\r' ||
		buf[i] == '\n'))
		i++;
	if (len - i >= 3 && memcmp(buf + i, "\xef\xbb\xbf", 3) == 0)
		i += 3;
	if (i < len && buf[i] == '{') {
		n = len - i < 4096 ? len - i : 4096;
		if (memmem(buf + i, n, "\"log\"", 5) != NULL)
			return DIAG_TX_HAR;
	}
	/* Look at the first 200 lines. */
	p = buf + i;
	while (p < buf + len && lines < 200) {
		nl = memchr(p, '\n', (size_t)(buf + len - p));
		n = nl != NULL ? (size_t)(nl - p) : (size_t)(buf + len - p);
		if (lines == 0 &&
		    (is_request_line(p, n) ||
			(n >= 7 && memcmp(p, "HTTP/", 5) == 0 &&
			    memchr(p, ' ', n) != NULL && curl == 0)))
			return DIAG_TX_RAW;
		if ((n >= 8 && memcmp(p, "== Info:", 8) == 0) ||
		    (n >= 8 && memcmp(p, "=> Send ", 8) == 0) ||
		    (n >= 8 && memcmp(p, "<= Recv ", 8) == 0))
			return DIAG_TX_CURL;
		if (n >= 2 && p[0] == '>' && p[1] == ' ' &&
		    is_request_line(p + 2, n - 2))
			return DIAG_TX_CURL;
		if (n >= 7 && p[0] == '<' && p[1] == ' ' &&
		    memcmp(p + 2, "HTTP/", 5) == 0)
			curl++;
		if (is_request_line(p, n) && lines < 3)
			return DIAG_TX_RAW;
		lines++;
		if (nl == NULL)
			break;
		p = nl + 1;
	}
	return curl > 0 ? DIAG_TX_CURL : DIAG_TX_TEXT;
}

/* A copy of s with %XX sequences decoded (userinfo as a client sends it). */
static char *
percent_decode(const char *s)
{
	struct diag_buf b = DIAG_BUF_INIT;
	unsigned v;

	for (; *s != '\0'; s++) {
		if (*s == '%' && isxdigit((unsigned char)s[1]) &&
		    isxdigit((unsigned char)s[2]) &&
		    sscanf(s + 1, "%2x", &v) == 1 && v != 0) {
			diag_buf_addc(&b, (char)v);
			s += 2;
		} else
			diag_buf_addc(&b, *s);
	}
	return diag_buf_detach(&b);
}

void
diag__tx_item_set_url(struct diag_tx_item *it, const char *url)
{
	struct diag_url u;
	struct diag_buf clean = DIAG_BUF_INIT;
	char *enc, *at, *full, *dec;

	memset(&u, 0, sizeof(u));
	free(it->ex->url);
	it->ex->url = NULL;
	if (url != NULL && diag_url_parse(url, &u) == 0 && u.userinfo != NULL) {
		/* user:password@host: register, strip, send as Basic. */
		diag__tx_secret(u.userinfo, strlen(u.userinfo));
		at = strchr(u.userinfo, ':');
		if (at != NULL)
			diag__tx_secret(at + 1, strlen(at + 1));
		dec = percent_decode(u.userinfo);
		diag__tx_secret(dec, strlen(dec));
		at = strchr(dec, ':');
		if (at != NULL)
			diag__tx_secret(at + 1, strlen(at + 1));
		enc = diag_base64_encode(dec, strlen(dec), 0);
		free(dec);
		full = diag_xasprintf("Basic %s", enc);
		free(enc);
		diag_buf_addf(&clean, "%s://%s", u.scheme, u.host);
		if (u.port >= 0)
			diag_buf_addf(&clean, ":%d", u.port);
		diag_buf_adds(&clean, u.path);
		if (u.query != NULL)
			diag_buf_addf(&clean, "?%s", u.query);
		it->ex->url = diag__tx_redacted(clean.buf, clean.len);
		diag_buf_release(&clean);
		if (it->authorization == NULL && it->oversized == 0)
			diag__tx_req_header(it, "Authorization", full,
			    strlen(full));
		free(full);
	} else if (url != NULL)
		/* Query parameters and tokens by shape: see transcript_redact.c. */
		it->ex->url = diag__tx_redacted(url, strlen(url));
	else
		it->ex->url = diag_xstrdup("");
	diag_url_release(&u);
}

struct diag_tx_item *
diag__tx_item_new(struct diag_transcript *tx, const char *method,
    const char *url, unsigned line)
{
	struct diag_tx_item *it;

	if (tx->n_items >= DIAG_TX_MAX_ITEMS) {
		tx->n_dropped++;
		return NULL;
	}
	tx->items =
	    diag_xrealloc(tx->items, (tx->n_items + 1) * sizeof(*tx->items));
	it = &tx->items[tx->n_items++];
	memset(it, 0, sizeof(*it));
	it->index = (unsigned)tx->n_entries;
	it->line = line;
	it->ex = diag_exchange_new("transcript", method, "");
	it->ex->from_transcript = 1;
	free(it->ex->auth);
	it->ex->auth = diag_xstrdup("none");
	diag__tx_item_set_url(it, url);
	return it;
}

static void
item_release(struct diag_tx_item *it)
{
	diag_exchange_free(it->ex);
	free(it->authorization);
	free(it->check);
	memset(it, 0, sizeof(*it));
}

void
diag__tx_item_drop(struct diag_transcript *tx)
{
	if (tx->n_items == 0)
		return;
	item_release(&tx->items[--tx->n_items]);
}

void
diag_transcript_release(struct diag_transcript *tx)
{
	size_t i;

	if (tx == NULL)
		return;
	for (i = 0; i < tx->n_items; i++)
		item_release(&tx->items[i]);
	free(tx->items);
	free(tx->email);
	free(tx->token);
	json_object_put(tx->bundle);
	memset(tx, 0, sizeof(*tx));
}

/* 1 when s (n bytes) is printable ASCII. */
static int
printable(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e)
			return 0;
	return 1;
}

/* A safe description of a Basic credential; registers what it decodes to. */
static char *
describe_basic(const char *cred, size_t n)
{
	unsigned char *dec = NULL;
	size_t dlen = 0, elen;
	const char *colon;
	char *d;

	if (diag_base64_decode(cred, n, &dec, &dlen) != 0)
		return diag_xstrdup("Basic <not Base64, redacted>");
	diag__tx_secret((const char *)dec, dlen);
	colon = memchr(dec, ':', dlen);
	if (colon == NULL) {
		free(dec);
		return diag_xstrdup(
		    "Basic base64(<no ':' separator, redacted>)");
	}
	elen = (size_t)(colon - (const char *)dec);
	diag__tx_secret(colon + 1, dlen - elen - 1);
	if (elen > 0 && elen < 128 && memchr(dec, '@', elen) != NULL &&
	    printable((const char *)dec, elen) &&
	    strncmp((const char *)dec, "AT", 2) != 0)
		d = diag_xasprintf("Basic base64(%.*s:<secret, %zu bytes>)",
		    (int)elen, (const char *)dec, dlen - elen - 1);
	else
		d = diag_xasprintf("Basic base64(<user, %zu bytes>:<secret, "
				   "%zu bytes>)",
		    elen, dlen - elen - 1);
	free(dec);
	return d;
}

/* "a=[redacted]; b=[redacted]": a Cookie value with the names kept. */
static char *
cookie_shown(const char *v, size_t n)
{
	struct diag_buf b = DIAG_BUF_INIT;
	size_t i = 0, s, e;

	while (i < n) {
		while (i < n && (v[i] == ' ' || v[i] == ';'))
			i++;
		s = i;
		while (i < n && v[i] != '=' && v[i] != ';')
			i++;
		if (i == s)
			break;
		if (b.len > 0)
			diag_buf_adds(&b, "; ");
		diag_buf_add(&b, v + s, i - s < 64 ? i - s : 64);
		if (i < n && v[i] == '=') {
			e = ++i;
			while (i < n && v[i] != ';')
				i++;
			diag_buf_addc(&b, '=');
			diag__tx_redacted_value(&b, i - e);
		}
	}
	return diag_buf_detach(&b);
}

/* A Set-Cookie value shown: "name=[redacted]" and its attributes. */
static char *
set_cookie_shown(const char *v, size_t n)
{
	struct diag_buf b = DIAG_BUF_INIT;
	const char *semi = memchr(v, ';', n), *eq;
	size_t first = semi != NULL ? (size_t)(semi - v) : n;
	char *shown, *attrs;

	eq = memchr(v, '=', first);
	if (eq != NULL) {
		diag_buf_add(&b, v,
		    (size_t)(eq - v) < 64 ? (size_t)(eq - v) : 64);
		diag_buf_addc(&b, '=');
		diag__tx_redacted_value(&b, first - (size_t)(eq + 1 - v));
	} else
		diag__tx_redacted_value(&b, first);
	if (semi != NULL) {
		/* Path, Domain, Expires...: not secret, but scanned anyway. */
		attrs = diag__tx_redacted(semi,
		    n - first < 1024 ? n - first : 1024);
		diag_buf_adds(&b, attrs);
		free(attrs);
	}
	shown = diag_buf_detach(&b);
	return shown;
}

/* Adds a header whose value is a credential, hidden; registers it. */
static void
add_secret_header(struct diag_tx_item *it, const char *name, const char *value,
    size_t vlen, int request)
{
	char *shown;

	if (vlen > DIAG_TX_SECRET_MAX && it->oversized == 0) {
		it->oversized = vlen;
		snprintf(it->oversized_name, sizeof(it->oversized_name), "%s",
		    name);
	}
	if (strcasecmp(name, "cookie") == 0 && vlen <= DIAG_TX_SECRET_MAX) {
		diag__tx_cookie_secrets(value, vlen);
		shown = cookie_shown(value, vlen);
	} else if (strcasecmp(name, "set-cookie") == 0 &&
	    vlen <= DIAG_TX_SECRET_MAX) {
		diag__tx_cookie_secrets(value, vlen);
		shown = set_cookie_shown(value, vlen);
	} else {
		struct diag_buf b = DIAG_BUF_INIT;

		diag__tx_secret(value, vlen); /* refuses an oversized one */
		if (vlen <= DIAG_TX_SECRET_MAX) /* "Basic <b64>": its parts */
			diag__tx_redact(value, vlen, NULL);
		diag__tx_redacted_value(&b, vlen);
		shown = diag_buf_detach(&b);
	}
	if (request)
		diag_exchange_add_req_header(it->ex, name, shown);
	else
		diag_exchange_add_header(it->ex, name, shown);
	free(shown);
}

/* An Authorization header too long to be a credential: not decoded. */
static void
oversized_authorization(struct diag_tx_item *it, const char *scheme,
    size_t vlen)
{
	char *shown;

	free(it->ex->auth);
	free(it->ex->auth_desc);
	it->ex->auth = diag_xstrdup("other");
	it->ex->auth_desc = diag_xasprintf("%s <%zu bytes: far too long to be "
					   "a credential, not decoded>",
	    scheme, vlen);
	shown = diag_xasprintf("%s [redacted: %zu bytes]", scheme, vlen);
	diag_exchange_add_req_header(it->ex, "Authorization", shown);
	free(shown);
	if (it->oversized == 0) {
		it->oversized = vlen;
		snprintf(it->oversized_name, sizeof(it->oversized_name),
		    "Authorization");
	}
}

void
diag__tx_req_header(struct diag_tx_item *it, const char *name,
    const char *value, size_t vlen)
{
	const char *sp, *cred;
	size_t sch, clen;
	char *scheme, *shown;

	while (vlen > 0 && (*value == ' ' || *value == '\t')) {
		value++;
		vlen--;
	}
	while (vlen > 0 && (value[vlen - 1] == '\r' || value[vlen - 1] == '\n'))
		vlen--;
	if (!diag__tx_sensitive_header(name)) {
		/* A Referer with a token in its query, a token echoed... */
		shown = diag__tx_redacted(value, vlen);
		diag_exchange_add_req_header(it->ex, name, shown);
		free(shown);
		return;
	}
	if (strcasecmp(name, "authorization") != 0) {
		add_secret_header(it, name, value, vlen, 1);
		return;
	}
	sp = memchr(value, ' ', vlen);
	sch = sp != NULL ? (size_t)(sp - value) : vlen;
	if (vlen > DIAG_TX_SECRET_MAX) {
		scheme = sch > 0 && sch < 32 && printable(value, sch) ?
		    diag_xstrndup(value, sch) :
		    diag_xstrdup("<unreadable scheme>");
		oversized_authorization(it, scheme, vlen);
		free(scheme);
		return;
	}
	diag__tx_secret(value, vlen);
	/* Authorization: keep the raw value apart; show the scheme only. */
	free(it->authorization);
	it->authorization = diag_xstrndup(value, vlen);
	it->authorization_len = vlen;
	sch = sp != NULL ? (size_t)(sp - value) : vlen;
	cred = sp != NULL ? sp : value + vlen;
	clen = vlen - sch;
	while (clen > 0 && *cred == ' ') {
		cred++;
		clen--;
	}
	diag__tx_secret(cred, clen);
	scheme = sch > 0 && sch < 32 && printable(value, sch) ?
	    diag_xstrndup(value, sch) :
	    diag_xstrdup("<unreadable scheme>");
	free(it->ex->auth);
	free(it->ex->auth_desc);
	if (strcasecmp(scheme, "basic") == 0) {
		it->ex->auth = diag_xstrdup("basic");
		it->ex->auth_desc = describe_basic(cred, clen);
	} else if (strcasecmp(scheme, "bearer") == 0) {
		it->ex->auth = diag_xstrdup("bearer");
		it->ex->auth_desc =
		    diag_xasprintf("Bearer <token, %zu bytes>", clen);
	} else {
		it->ex->auth = diag_xstrdup("other");
		it->ex->auth_desc =
		    diag_xasprintf("%s <credential, %zu bytes>", scheme, clen);
	}
	shown = diag_xasprintf("%s %s", scheme, DIAG_REDACTED);
	diag_exchange_add_req_header(it->ex, "Authorization", shown);
	free(shown);
	free(scheme);
}

void
diag__tx_resp_header(struct diag_tx_item *it, const char *name,
    const char *value, size_t vlen)
{
	char *v;

	while (vlen > 0 && (*value == ' ' || *value == '\t')) {
		value++;
		vlen--;
	}
	while (vlen > 0 &&
	    (value[vlen - 1] == '\r' || value[vlen - 1] == '\n' ||
		value[vlen - 1] == ' '))
		vlen--;
	if (diag__tx_sensitive_header(name)) {
		add_secret_header(it, name, value, vlen, 0);
		return;
	}
	/* A Location with a token in its query, a token echoed... */
	v = diag__tx_redacted(value, vlen);
	diag_exchange_add_header(it->ex, name, v);
	free(v);
}

void
diag__tx_status(struct diag_tx_item *it, const char *version, long status)
{
	free(it->ex->http_version);
	it->ex->http_version = diag_xstrdup(version);
	it->ex->status = status;
	it->response_seen = 1;
}

/* Decodes a chunked body into out; returns -1 when it is not chunked. */
static int
dechunk(const char *b, size_t len, struct diag_buf *out)
{
	size_t i = 0, size, digits;
	int c;

	for (;;) {
		size = 0;
		digits = 0;
		while (i < len && isxdigit((unsigned char)b[i])) {
			c = tolower((unsigned char)b[i]);
			if (size > (SIZE_MAX >> 4))
				return -1;
			size = size * 16 +
			    (size_t)(c <= '9' ? c - '0' : c - 'a' + 10);
			i++;
			digits++;
		}
		if (digits == 0)
			return -1;
		while (i < len && b[i] != '\n') /* extensions, CR */
			i++;
		if (i >= len)
			return size == 0 ? 0 : -1;
		i++;
		if (size == 0)
			return 0;
		if (size > len - i) {
			diag_buf_add(out, b + i, len - i); /* truncated */
			return 0;
		}
		diag_buf_add(out, b + i, size);
		i += size;
		if (i < len && b[i] == '\r')
			i++;
		if (i < len && b[i] == '\n')
			i++;
		if (i >= len)
			return 0;
	}
}

/* 1 when the body holds bytes no text would (NUL, most C0 controls). */
static int
binary(const char *b, size_t len)
{
	size_t i, bad = 0, n = len < 4096 ? len : 4096;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)b[i];

		if (c == 0 ||
		    (c < 0x20 && c != '\n' && c != '\r' && c != '\t' &&
			c != 0x1b))
			bad++;
	}
	return bad > 0 && bad * 20 >= n / 10 + 1;
}

void
diag__tx_body(struct diag_tx_item *it, const char *body, size_t len)
{
	struct diag_exchange *ex = it->ex;
	struct diag_buf plain = DIAG_BUF_INIT, red = DIAG_BUF_INIT;
	const char *te, *ce;

	free(ex->body);
	ex->body = NULL;
	ex->body_len = 0;
	ex->body_truncated = 0;
	te = diag_exchange_header(ex, "Transfer-Encoding");
	if (te != NULL && strcasestr(te, "chunked") != NULL &&
	    dechunk(body, len, &plain) == 0) {
		body = plain.buf != NULL ? plain.buf : "";
		len = plain.len;
	}
	ce = diag_exchange_header(ex, "Content-Encoding");
	if (len > 0 && binary(body, len)) {
		if (ce == NULL || strcasecmp(ce, "identity") == 0)
			ce = "binary";
		ex->body = diag_xasprintf("[%s body, %zu bytes, not decoded]",
		    ce, len);
		ex->body_len = strlen(ex->body);
		goto out;
	}
	/* A NUL ends the text; a credential straddling the cap is still
	 * found whole (the slack), then the redacted text is capped. */
	len = strnlen(body, len);
	if (len > DIAG_TX_BODY_MAX + DIAG_TX_SECRET_MAX) {
		len = DIAG_TX_BODY_MAX + DIAG_TX_SECRET_MAX;
		ex->body_truncated = 1;
	}
	diag__tx_redact(body, len, &red);
	if (red.len > DIAG_TX_BODY_MAX) {
		red.len = DIAG_TX_BODY_MAX;
		ex->body_truncated = 1;
	}
	ex->body = diag_xstrndup(diag_buf_str(&red), red.len);
	ex->body_len = strlen(ex->body);
out:
	diag_buf_release(&red);
	diag_buf_release(&plain);
}

int
diag__tx_split_header(const char *s, size_t len, char **name, char **value,
    size_t *vlen)
{
	const char *colon;
	size_t i, n;

	*name = NULL;
	*value = NULL;
	*vlen = 0;
	while (len > 0 && (s[len - 1] == '\r' || s[len - 1] == '\n'))
		len--;
	colon = memchr(s, ':', len);
	if (colon == NULL || colon == s)
		return -1;
	n = (size_t)(colon - s);
	if (n > 100)
		return -1;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '-' && s[i] != '_')
			return -1;
	*name = diag_xstrndup(s, n);
	*vlen = len - n - 1;
	*value = diag_xstrndup(colon + 1, *vlen);
	return 0;
}

/* 1 when ex is a REST call (an API path, or credentials sent): a
 * redirect of it is a failure, a redirect of a page load is not. */
static int
api_call(const struct diag_exchange *ex)
{
	static const char *const api[] = { "/rest/", "/wiki/rest/",
		"/wiki/api/", "/ex/", "/admin/", "/users/", "/gateway/api/",
		"/oauth/" };
	struct diag_url u;
	size_t i;
	int yes = 0;

	for (i = 0; i < ex->n_req_headers; i++)
		if (strcasecmp(ex->req_headers[i].name, "Authorization") == 0)
			return 1;
	if (ex->url == NULL || diag_url_parse(ex->url, &u) != 0)
		return 0;
	for (i = 0; i < DIAG_NELEM(api) && !yes; i++)
		yes = strncmp(u.path, api[i], strlen(api[i])) == 0;
	diag_url_release(&u);
	return yes;
}

int
diag_transcript_is_failure(const struct diag_exchange *ex)
{
	const char *why;
	long s = ex->status;

	if (s == 400 || s == 401 || s == 403 || s == 404 || s == 407 ||
	    s == 410 || s == 429 || (s >= 500 && s <= 599))
		return 1;
	if (s >= 300 && s < 400 && s != 304)
		return api_call(ex);
	if (s >= 200 && s < 300) {
		why = diag_exchange_header(ex, "X-Seraph-LoginReason");
		if (why != NULL &&
		    (strcasestr(why, "AUTHENTICATED_FAILED") != NULL ||
			strcasestr(why, "AUTHENTICATION_DENIED") != NULL))
			return 1;
	}
	return 0;
}

int
diag_transcript_parse(const char *buf, size_t len, enum diag_tx_format fmt,
    struct diag_transcript *out, struct diag_tx_error *err)
{
	int rc;

	memset(out, 0, sizeof(*out));
	memset(err, 0, sizeof(*err));
	if (buf == NULL || len == 0)
		return diag__tx_fail(err, 0, "the input is empty");
	if (fmt == DIAG_TX_AUTO)
		fmt = diag_transcript_detect(buf, len);
	out->format = fmt;
	switch (fmt) {
	case DIAG_TX_HAR:
		rc = diag__tx_parse_har(buf, len, out, err);
		break;
	case DIAG_TX_CURL:
		rc = diag__tx_parse_curl(buf, len, out, err);
		break;
	case DIAG_TX_RAW:
		rc = diag__tx_parse_raw(buf, len, out, err);
		break;
	default:
		rc = diag__tx_parse_text(buf, len, out, err);
		break;
	}
	if (rc != 0) {
		diag_transcript_release(out);
		out->format = fmt;
	}
	return rc;
}

long
diag__tx_number(const char *p, const char *end, long max)
{
	long v = 0;
	int digits = 0;

	for (; p < end && *p >= '0' && *p <= '9'; p++, digits++) {
		v = v * 10 + (*p - '0');
		if (v > max)
			return -1;
	}
	return digits > 0 ? v : -1;
}
