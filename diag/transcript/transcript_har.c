/* diag/transcript/transcript_har.c: HAR 1.2 reader that parses one entry at a time, keeping the failing ones (and every answer of an atldiag bundle). */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#include "diag/core/hash.h"
#include "diag/transcript/transcript.h"
#include "diag/core/util.h"

/*
 * A whole-document json-c parse of a large HAR costs many times the file
 * size (every string and object becomes a json_object). Instead a small
 * scanner walks the outer structure ({"log":{"entries":[...]}}), finds
 * the extent of each entry without building anything, and json-c parses
 * that entry alone: peak memory is the file plus one entry.
 */

/*
 * How deeply JSON may nest inside one entry (objects and arrays). Real
 * HARs nest about 6 levels; browsers' JSON bodies are kept as strings.
 * 512 leaves room for any honest capture, while a hostile one cannot make
 * json-c (whose tokener keeps one frame per level) or the recursive free
 * of the parsed entry use more than a few hundred KiB.
 */
#define HAR_MAX_DEPTH 512
#define HAR_DEPTH_WHY \
	"JSON nested too deeply (more than 512 levels of " \
	"objects and arrays)"

struct har {
	const char *buf;
	size_t len;
	size_t pos;
	struct diag_transcript *tx;
	struct diag_tx_error *err;
	json_tokener *tok;
	size_t line_pos; /* line_at() cache */
	unsigned line;
};

/* Line of pos; counts from the last position asked when it is earlier
 * (entries are asked in order, so the whole walk stays linear). */
static unsigned
line_at(struct har *h, size_t pos)
{
	size_t i;

	if (pos > h->len)
		pos = h->len;
	if (pos < h->line_pos) {
		h->line_pos = 0;
		h->line = 1;
	}
	for (i = h->line_pos; i < pos; i++)
		if (h->buf[i] == '\n')
			h->line++;
	h->line_pos = pos;
	return h->line;
}

static int
har_fail(struct har *h, const char *why)
{
	return diag__tx_fail(h->err, line_at(h, h->pos), "%s", why);
}

static void
skip_ws(struct har *h)
{
	while (h->pos < h->len &&
	    (h->buf[h->pos] == ' ' || h->buf[h->pos] == '\t' ||
		h->buf[h->pos] == '\r' || h->buf[h->pos] == '\n'))
		h->pos++;
}

/* Skips a JSON string starting at pos (on the quote). */
static int
skip_string(struct har *h)
{
	size_t i = h->pos + 1;

	while (i < h->len) {
		if (h->buf[i] == '\\')
			i += 2;
		else if (h->buf[i] == '"') {
			h->pos = i + 1;
			return 0;
		} else
			i++;
	}
	h->pos = h->len;
	return har_fail(h, "the file ends inside a JSON string (truncated?)");
}

/* Skips one JSON value of any kind; brackets are only counted (json-c
 * checks the entries themselves). */
static int
skip_value(struct har *h)
{
	unsigned depth = 0;
	char c;

	skip_ws(h);
	if (h->pos >= h->len)
		return har_fail(h,
		    "the file ends where a JSON value was expected "
		    "(truncated?)");
	while (h->pos < h->len) {
		c = h->buf[h->pos];
		if (c == '"') {
			if (skip_string(h) != 0)
				return -1;
			if (depth == 0)
				return 0;
			continue;
		}
		if (c == '{' || c == '[') {
			if (++depth > HAR_MAX_DEPTH)
				return har_fail(h, HAR_DEPTH_WHY);
		} else if (c == '}' || c == ']') {
			if (depth == 0)
				return 0;
			h->pos++;
			if (--depth == 0)
				return 0;
			continue;
		} else if (depth == 0 &&
		    (c == ',' || c == ' ' || c == '\n' || c == '\r' ||
			c == '\t'))
			return 0;
		h->pos++;
	}
	if (depth > 0)
		return har_fail(h,
		    "the file ends inside a JSON value (truncated?)");
	return 0;
}

/* Reads a key "..." and the ':' after it; *key points into the buffer. */
static int
read_key(struct har *h, const char **key, size_t *klen)
{
	size_t start;

	*key = NULL;
	*klen = 0;
	skip_ws(h);
	if (h->pos >= h->len || h->buf[h->pos] != '"')
		return har_fail(h, "expected a JSON object key");
	start = h->pos + 1;
	if (skip_string(h) != 0)
		return -1;
	*key = h->buf + start;
	*klen = h->pos - 1 - start;
	skip_ws(h);
	if (h->pos >= h->len || h->buf[h->pos] != ':')
		return har_fail(h, "expected ':' after a JSON object key");
	h->pos++;
	skip_ws(h);
	return 0;
}

/* After a member: ',' (returns 1: more), '}' or ']' (returns 0), else -1. */
static int
next_member(struct har *h, char close)
{
	skip_ws(h);
	if (h->pos >= h->len)
		return har_fail(h,
		    "the file ends inside a JSON object or array (truncated?)");
	if (h->buf[h->pos] == ',') {
		h->pos++;
		return 1;
	}
	if (h->buf[h->pos] == close) {
		h->pos++;
		return 0;
	}
	return har_fail(h,
	    close == '}' ? "expected ',' or '}' in a JSON object" :
			   "expected ',' or ']' in a JSON array");
}

static struct json_object *
jget(struct json_object *o, const char *key, enum json_type t)
{
	struct json_object *v;

	if (o == NULL || !json_object_is_type(o, json_type_object) ||
	    !json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, t))
		return NULL;
	return v;
}

/* The value of header name in a HAR headers array, or NULL. */
static const char *
har_header(struct json_object *hdrs, const char *name)
{
	size_t i, n;
	const char *hn;

	if (hdrs == NULL)
		return NULL;
	n = json_object_array_length(hdrs);
	for (i = 0; i < n; i++) {
		hn = diag_json_str(json_object_array_get_idx(hdrs, i), "name");
		if (hn != NULL && strcasecmp(hn, name) == 0)
			return diag_json_str(json_object_array_get_idx(hdrs, i),
			    "value");
	}
	return NULL;
}

/* 1 when the entry's response is a failure worth explaining. */
static int
entry_fails(struct json_object *req, struct json_object *resp)
{
	struct json_object *st = jget(resp, "status", json_type_int);
	struct diag_exchange ex;
	struct diag_header h, rh;
	const char *seraph, *url;
	int rc;

	if (st == NULL)
		return 0;
	memset(&ex, 0, sizeof(ex));
	ex.status = (long)json_object_get_int64(st);
	/* A redirect fails only for a REST call: its URL and whether it
	 * carried credentials decide (diag_transcript_is_failure). */
	url = diag_json_str(req, "url");
	ex.url = (char *)(uintptr_t)(url != NULL ? url : "");
	if (har_header(jget(req, "headers", json_type_array),
		"Authorization") != NULL) {
		rh.name = (char *)(uintptr_t) "Authorization";
		rh.value = (char *)(uintptr_t) "";
		ex.req_headers = &rh;
		ex.n_req_headers = 1;
	}
	seraph = har_header(jget(resp, "headers", json_type_array),
	    "X-Seraph-LoginReason");
	if (seraph != NULL) {
		h.name = (char *)(uintptr_t) "X-Seraph-LoginReason";
		h.value = (char *)(uintptr_t)seraph;
		ex.headers = &h;
		ex.n_headers = 1;
	}
	rc = diag_transcript_is_failure(&ex);
	return rc;
}

static void
add_headers(struct diag_tx_item *it, struct json_object *hdrs, int request)
{
	struct json_object *e;
	const char *n, *v;
	size_t i, len;

	if (hdrs == NULL)
		return;
	len = json_object_array_length(hdrs);
	for (i = 0; i < len; i++) {
		e = json_object_array_get_idx(hdrs, i);
		n = diag_json_str(e, "name");
		v = diag_json_str(e, "value");
		if (n == NULL || v == NULL || *n == ':')
			continue; /* HTTP/2 pseudo-headers */
		if (request)
			diag__tx_req_header(it, n, v, strlen(v));
		else
			diag__tx_resp_header(it, n, v, strlen(v));
	}
	if (request && len > 0)
		it->headers_seen = 1;
}

/* Registers the values of a HAR cookies array or of the sensitive
 * members of a queryString / postData.params array (name, value). */
static void
har_pairs(struct json_object *arr, int cookies)
{
	struct json_object *e;
	struct diag_buf b = DIAG_BUF_INIT;
	const char *n, *v;
	size_t i, len;

	if (arr == NULL)
		return;
	len = json_object_array_length(arr);
	for (i = 0; i < len; i++) {
		e = json_object_array_get_idx(arr, i);
		n = diag_json_str(e, "name");
		v = diag_json_str(e, "value");
		if (n == NULL || v == NULL)
			continue;
		if (cookies) {
			diag__tx_secret(v, strlen(v));
			continue;
		}
		/* "name=value": the redactor knows which names are secret. */
		diag_buf_release(&b);
		diag_buf_addf(&b, "?%s=", n);
		diag_buf_adds(&b, v);
		diag__tx_redact(b.buf, b.len, NULL);
	}
	diag_buf_release(&b);
}

/* Credentials a HAR entry holds outside its headers: cookies arrays, the
 * query string, the request body. None of them is kept; each is
 * registered so that an echo of it anywhere is scrubbed. */
static void
har_entry_secrets(struct json_object *req, struct json_object *resp)
{
	struct json_object *post;
	const char *text;

	har_pairs(jget(req, "cookies", json_type_array), 1);
	har_pairs(jget(resp, "cookies", json_type_array), 1);
	har_pairs(jget(req, "queryString", json_type_array), 0);
	post = jget(req, "postData", json_type_object);
	har_pairs(jget(post, "params", json_type_array), 0);
	text = diag_json_str(post, "text");
	if (text != NULL)
		diag__tx_redact(text, strlen(text), NULL);
}

/* An atldiag bundle's tags of an entry: the check that made it, the
 * transport error of an entry without an answer and, in a batch bundle,
 * the profile's line. */
static void
entry_tags(struct diag_tx_item *it, struct json_object *tags)
{
	struct json_object *p = jget(tags, "profile", json_type_object);
	struct json_object *line = jget(p, "line", json_type_int);
	struct json_object *cc = jget(tags, "curl_code", json_type_int);
	const char *check = diag_json_str(tags, "check");
	const char *err = diag_json_str(tags, "error");

	if (check != NULL && strlen(check) < 64)
		it->check = diag_xstrdup(check);
	/* No answer: the transport error the run met (a replay gives it). */
	if (it->ex->status == 0 && err != NULL && it->ex->error == NULL) {
		it->ex->error = diag_xstrndup(err, strnlen(err, 512));
		if (cc != NULL && json_object_get_int64(cc) > 0 &&
		    json_object_get_int64(cc) < 1000)
			it->ex->curl_code = (int)json_object_get_int64(cc);
	}
	if (line != NULL && json_object_get_int64(line) > 0 &&
	    json_object_get_int64(line) < 0x7fffffff)
		it->profile = (unsigned)json_object_get_int64(line);
}

static void
take_entry(struct har *h, struct json_object *entry, unsigned line)
{
	struct json_object *req, *resp, *content, *st;
	struct diag_tx_item *it;
	const char *method, *url, *text, *enc, *ver;
	unsigned char *dec = NULL;
	size_t dlen;
	int context = 0;

	h->tx->n_entries++;
	req = jget(entry, "request", json_type_object);
	resp = jget(entry, "response", json_type_object);
	if (req == NULL || resp == NULL)
		return;
	/* An atldiag bundle's answers are all kept: explain replays the
	 * run from them. */
	if (!entry_fails(req, resp)) {
		if (jget(entry, "_atldiag", json_type_object) == NULL)
			return;
		context = 1;
	}
	method = diag_json_str(req, "method");
	url = diag_json_str(req, "url");
	it = diag__tx_item_new(h->tx, method != NULL ? method : "GET",
	    url != NULL ? url : "", line);
	if (it == NULL)
		return;
	it->context_only = context;
	har_entry_secrets(req, resp);
	add_headers(it, jget(req, "headers", json_type_array), 1);
	add_headers(it, jget(resp, "headers", json_type_array), 0);
	st = jget(resp, "status", json_type_int);
	ver = diag_json_str(resp, "httpVersion");
	diag__tx_status(it, ver != NULL ? ver : "",
	    st != NULL ? (long)json_object_get_int64(st) : 0);
	entry_tags(it, jget(entry, "_atldiag", json_type_object));
	content = jget(resp, "content", json_type_object);
	text = diag_json_str(content, "text");
	enc = diag_json_str(content, "encoding");
	if (text != NULL && enc != NULL && strcasecmp(enc, "base64") == 0 &&
	    diag_base64_decode(text, strlen(text), &dec, &dlen) == 0) {
		diag__tx_body(it, (const char *)dec, dlen);
		free(dec);
	} else if (text != NULL)
		diag__tx_body(it, text, strlen(text));
}

/* Parses the entry at pos with json-c and takes it. */
static int
read_entry(struct har *h)
{
	struct json_object *entry;
	size_t start, n;
	unsigned line;

	skip_ws(h);
	start = h->pos;
	if (skip_value(h) != 0)
		return -1;
	n = h->pos - start;
	if (n == 0)
		return har_fail(h, "expected an entry in log.entries");
	if (h->buf[start] != '{') {
		h->tx->n_entries++; /* not an entry object: ignored */
		return 0;
	}
	json_tokener_reset(h->tok);
	entry = json_tokener_parse_ex(h->tok, h->buf + start, (int)n);
	if (entry == NULL ||
	    json_tokener_get_error(h->tok) != json_tokener_success) {
		h->pos = start + (size_t)json_tokener_get_parse_end(h->tok);
		json_object_put(entry);
		if (json_tokener_get_error(h->tok) == json_tokener_error_depth)
			return har_fail(h,
			    "an entry of log.entries has " HAR_DEPTH_WHY);
		return har_fail(h, "an entry of log.entries is not valid JSON");
	}
	if (json_object_is_type(entry, json_type_object)) {
		line = line_at(h, start);
		take_entry(h, entry, line);
	} else
		h->tx->n_entries++;
	json_object_put(entry);
	return 0;
}

static int
read_entries(struct har *h)
{
	int more;

	if (h->pos >= h->len || h->buf[h->pos] != '[')
		return har_fail(h, "log.entries is not an array");
	h->pos++;
	skip_ws(h);
	if (h->pos < h->len && h->buf[h->pos] == ']') {
		h->pos++;
		return 0;
	}
	do {
		if (read_entry(h) != 0)
			return -1;
		more = next_member(h, ']');
	} while (more == 1);
	return more;
}

/* Walks an object at pos; for key want calls fn on its value, skips others. */
static int
walk_object(struct har *h, const char *want, int (*fn)(struct har *),
    int *found)
{
	const char *key = NULL;
	size_t klen = 0;
	int more;

	skip_ws(h);
	if (h->pos >= h->len || h->buf[h->pos] != '{')
		return har_fail(h, "expected a JSON object");
	h->pos++;
	skip_ws(h);
	if (h->pos < h->len && h->buf[h->pos] == '}') {
		h->pos++;
		return 0;
	}
	do {
		if (read_key(h, &key, &klen) != 0)
			return -1;
		if (!*found && klen == strlen(want) &&
		    memcmp(key, want, klen) == 0) {
			*found = 1;
			if (fn(h) != 0)
				return -1;
		} else if (skip_value(h) != 0)
			return -1;
		more = next_member(h, '}');
	} while (more == 1);
	return more;
}

/* Parses the JSON value at pos (json-c, bounded depth); NULL with err
 * filled when it is not valid JSON. */
static struct json_object *
parse_value(struct har *h, const char *what)
{
	struct json_object *o;
	size_t start;

	skip_ws(h);
	start = h->pos;
	if (skip_value(h) != 0)
		return NULL;
	json_tokener_reset(h->tok);
	o = json_tokener_parse_ex(h->tok, h->buf + start,
	    (int)(h->pos - start));
	if (o == NULL ||
	    json_tokener_get_error(h->tok) != json_tokener_success) {
		json_object_put(o);
		(void)diag__tx_fail(h->err, line_at(h, start),
		    "%s is not valid JSON", what);
		return NULL;
	}
	return o;
}

/*
 * log._atldiag of an atldiag evidence bundle: what the run was given
 * (inputs without secrets) and found. Kept only when it is an object;
 * its strings are scanned by the redactor like any captured text.
 */
static int
read_bundle(struct har *h)
{
	struct json_object *o = parse_value(h, "log._atldiag");
	const char *text;

	if (o == NULL)
		return -1;
	if (!json_object_is_type(o, json_type_object) ||
	    h->tx->bundle != NULL) {
		json_object_put(o);
		return 0;
	}
	text = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
	diag__tx_redact(text, strlen(text), NULL);
	h->tx->bundle = o;
	return 0;
}

static int
read_log(struct har *h)
{
	const char *key = NULL;
	size_t klen = 0;
	int found = 0, more;

	skip_ws(h);
	if (h->pos >= h->len || h->buf[h->pos] != '{')
		return har_fail(h, "expected a JSON object");
	h->pos++;
	skip_ws(h);
	if (h->pos < h->len && h->buf[h->pos] == '}') {
		h->pos++;
		return har_fail(h, "this HAR has no log.entries array");
	}
	do {
		if (read_key(h, &key, &klen) != 0)
			return -1;
		if (!found && klen == 7 && memcmp(key, "entries", 7) == 0) {
			found = 1;
			if (read_entries(h) != 0)
				return -1;
		} else if (klen == 8 && memcmp(key, "_atldiag", 8) == 0) {
			if (read_bundle(h) != 0)
				return -1;
		} else if (skip_value(h) != 0)
			return -1;
		more = next_member(h, '}');
	} while (more == 1);
	if (more < 0)
		return -1;
	if (!found)
		return har_fail(h, "this HAR has no log.entries array");
	return 0;
}

int
diag__tx_parse_har(const char *buf, size_t len, struct diag_transcript *tx,
    struct diag_tx_error *err)
{
	struct har h;
	int found = 0, rc = -1;

	memset(&h, 0, sizeof(h));
	h.buf = buf;
	h.len = len;
	h.tx = tx;
	h.err = err;
	h.pos = 0;
	h.line = 1;
	if (len > 0x7fffffff)
		return diag__tx_fail(err, 0, "the HAR file is over 2 GiB");
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		h.pos = 3;
	h.tok = json_tokener_new_ex(HAR_MAX_DEPTH + 1);
	if (h.tok == NULL)
		abort();
	if (walk_object(&h, "log", read_log, &found) != 0)
		goto out;
	if (!found) {
		har_fail(&h, "not a HAR file: no top-level \"log\" object");
		goto out;
	}
	skip_ws(&h);
	if (h.pos < h.len) {
		har_fail(&h, "unexpected data after the HAR document");
		goto out;
	}
	rc = 0;
out:
	if (rc != 0 && h.pos >= h.len && tx->n_entries > 0) {
		/* Cut short: explain what was read. */
		tx->truncated = 1;
		rc = 0;
	}
	json_tokener_free(h.tok);
	return rc;
}
