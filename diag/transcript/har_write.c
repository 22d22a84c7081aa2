/* diag/transcript/har_write.c: write exchanges as HAR 1.2 entries, redacted like a capture explain reads. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "diag/core/secret.h"
#include "diag/core/util.h"
#include "diag/transcript/har_write.h"
#include "diag/transcript/transcript.h"

#ifndef ATLDIAG_VERSION
#define ATLDIAG_VERSION "0.1.0"
#endif

static void
add_str(struct json_object *o, const char *k, const char *v)
{
	json_object_object_add(o, k,
	    json_object_new_string(v != NULL ? v : ""));
}

static void
add_int(struct json_object *o, const char *k, long long v)
{
	json_object_object_add(o, k, json_object_new_int64(v));
}

/* A HAR time in milliseconds: -1 stays -1, others keep 3 decimals. */
static void
add_ms(struct json_object *o, const char *k, double v)
{
	char buf[64];

	if (v < 0) {
		add_int(o, k, -1);
		return;
	}
	snprintf(buf, sizeof(buf), "%.3f", v);
	json_object_object_add(o, k, json_object_new_double_s(v, buf));
}

/* Redacted copy of s (capture redactor: credentials by name and shape). */
static char *
redacted(const char *s, size_t len)
{
	return diag__tx_redacted(s != NULL ? s : "", s != NULL ? len : 0);
}

/*
 * The value a credential header shows: the scheme word of what the
 * exchange recorded (its description, e.g. "Basic base64(me@x:<token>)",
 * never a credential, or a capture's "Basic [redacted]") and "[redacted]";
 * just "[redacted]" for others.
 */
static char *
secret_header_value(const char *name, const char *v)
{
	size_t n = 0;

	if (strcasecmp(name, "authorization") == 0 ||
	    strcasecmp(name, "proxy-authorization") == 0)
		while (v != NULL && n < 24 && isalpha((unsigned char)v[n]))
			n++;
	/* A capture's header was redacted when read: "Basic [redacted]". */
	if (n > 0 && v[n] == ' ' &&
	    (v[n + 1] == '<' || strncmp(v + n + 1, "base64(", 7) == 0 ||
		strcmp(v + n + 1, DIAG_REDACTED) == 0))
		return diag_xasprintf("%.*s " DIAG_REDACTED, (int)n, v);
	return diag_xstrdup(DIAG_REDACTED);
}

static struct json_object *
headers_json(const struct diag_header *h, size_t n)
{
	struct json_object *a = json_object_new_array(), *e;
	char *v;
	size_t i;

	for (i = 0; i < n; i++) {
		if (diag__tx_sensitive_header(h[i].name))
			v = secret_header_value(h[i].name, h[i].value);
		else
			v = redacted(h[i].value,
			    h[i].value != NULL ? strlen(h[i].value) : 0);
		e = json_object_new_object();
		add_str(e, "name", h[i].name);
		add_str(e, "value", v);
		json_object_array_add(a, e);
		free(v);
	}
	return a;
}

/* The query of a (redacted) URL as HAR name/value pairs, undecoded. */
static struct json_object *
query_json(const char *url)
{
	struct json_object *a = json_object_new_array(), *e;
	const char *q = strchr(url, '?'), *p, *end, *eq;
	size_t n;

	if (q == NULL)
		return a;
	end = q + 1 + strcspn(q + 1, "#");
	for (p = q + 1; p < end; p += n + 1) {
		n = strcspn(p, "&#");
		if (p + n > end)
			n = (size_t)(end - p);
		if (n == 0)
			continue;
		eq = memchr(p, '=', n);
		e = json_object_new_object();
		json_object_object_add(e, "name",
		    json_object_new_string_len(p,
			(int)(eq != NULL ? (size_t)(eq - p) : n)));
		json_object_object_add(e, "value",
		    json_object_new_string_len(eq != NULL ? eq + 1 : "",
			eq != NULL ? (int)(n - (size_t)(eq + 1 - p)) : 0));
		json_object_array_add(a, e);
	}
	return a;
}

/* "2026-01-02T03:04:05.678Z" for ms since the epoch. */
static char *
iso_time(long long ms)
{
	struct tm tm;
	time_t t = (time_t)(ms / 1000);
	char buf[32];

	if (gmtime_r(&t, &tm) == NULL)
		memset(&tm, 0, sizeof(tm));
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
	return diag_xasprintf("%s.%03dZ", buf, (int)(ms % 1000));
}

static struct json_object *
request_json(const struct diag_exchange *ex, const char *url)
{
	struct json_object *q = json_object_new_object(), *post;
	char *body;

	add_str(q, "method", ex->method);
	add_str(q, "url", url);
	add_str(q, "httpVersion",
	    ex->http_version != NULL && *ex->http_version != '\0' ?
		ex->http_version :
		"HTTP/1.1");
	json_object_object_add(q, "cookies", json_object_new_array());
	json_object_object_add(q, "headers",
	    headers_json(ex->req_headers, ex->n_req_headers));
	json_object_object_add(q, "queryString", query_json(url));
	if (ex->req_body != NULL) {
		body = redacted(ex->req_body, strlen(ex->req_body));
		post = json_object_new_object();
		add_str(post, "mimeType", "application/json");
		add_str(post, "text", body);
		json_object_object_add(q, "postData", post);
		free(body);
	}
	add_int(q, "headersSize", -1);
	add_int(q, "bodySize",
	    ex->req_body != NULL ? (long long)strlen(ex->req_body) : 0);
	return q;
}

/* The reason phrase of the common statuses; "" for others. */
static const char *
status_text(long st)
{
	static const struct {
		long code;
		const char *text;
	} t[] = {
		{ 200, "OK" },
		{ 201, "Created" },
		{ 204, "No Content" },
		{ 301, "Moved Permanently" },
		{ 302, "Found" },
		{ 303, "See Other" },
		{ 307, "Temporary Redirect" },
		{ 308, "Permanent Redirect" },
		{ 400, "Bad Request" },
		{ 401, "Unauthorized" },
		{ 403, "Forbidden" },
		{ 404, "Not Found" },
		{ 405, "Method Not Allowed" },
		{ 410, "Gone" },
		{ 429, "Too Many Requests" },
		{ 500, "Internal Server Error" },
		{ 502, "Bad Gateway" },
		{ 503, "Service Unavailable" },
		{ 504, "Gateway Timeout" },
	};
	size_t i;

	for (i = 0; i < DIAG_NELEM(t); i++)
		if (t[i].code == st)
			return t[i].text;
	return "";
}

static struct json_object *
response_json(const struct diag_exchange *ex)
{
	struct json_object *r = json_object_new_object(), *c;
	const char *ct = diag_exchange_header(ex, "Content-Type"), *loc;
	const char *version = "";
	char *body;

	add_int(r, "status", ex->status);
	add_str(r, "statusText", status_text(ex->status));
	if (ex->status != 0 && ex->http_version != NULL)
		version = ex->http_version;
	add_str(r, "httpVersion", version);
	json_object_object_add(r, "cookies", json_object_new_array());
	json_object_object_add(r, "headers",
	    headers_json(ex->headers, ex->n_headers));
	c = json_object_new_object();
	add_int(c, "size", (long long)ex->body_len);
	add_str(c, "mimeType", ct);
	if (ex->body != NULL) {
		body = redacted(ex->body, ex->body_len);
		add_str(c, "text", body);
		free(body);
	}
	if (ex->body_truncated)
		add_str(c, "comment", "body cut at the size atldiag keeps");
	json_object_object_add(r, "content", c);
	loc = diag_exchange_header(ex, "Location");
	body = redacted(loc, loc != NULL ? strlen(loc) : 0);
	add_str(r, "redirectURL", body);
	free(body);
	add_int(r, "headersSize", -1);
	add_int(r, "bodySize", ex->status != 0 ? (long long)ex->body_len : -1);
	if (ex->error != NULL) {
		body = redacted(ex->error, strlen(ex->error));
		add_str(r, "_error", body); /* as browsers write it */
		free(body);
	}
	return r;
}

/* timings and the entry's total time. */
static double
timings_json(const struct diag_exchange *ex, struct json_object *t)
{
	const struct diag_timings *m = &ex->timings;
	double total = 0;

	add_int(t, "blocked", -1);
	if (!m->known) {
		/* Only the whole duration is known: counted as waiting. */
		add_int(t, "dns", -1);
		add_int(t, "connect", -1);
		add_int(t, "ssl", -1);
		add_int(t, "send", 0);
		add_ms(t, "wait", ex->duration_ms > 0 ? ex->duration_ms : 0);
		add_int(t, "receive", 0);
		return ex->duration_ms > 0 ? (double)ex->duration_ms : 0;
	}
	add_ms(t, "dns", m->dns);
	add_ms(t, "connect", m->connect);
	add_ms(t, "ssl", m->ssl);
	add_ms(t, "send", m->send);
	add_ms(t, "wait", m->wait);
	add_ms(t, "receive", m->receive);
	/* HAR: ssl is included in connect, so it is not added again. */
	total = (m->dns > 0 ? m->dns : 0) + (m->connect > 0 ? m->connect : 0) +
	    m->send + m->wait + m->receive;
	return total;
}

/* What the entry's "_atldiag" member says of ex beyond HAR's fields. */
static void
entry_custom(const struct diag_exchange *ex, struct json_object *o)
{
	char *s;

	add_str(o, "label", ex->label);
	if (ex->trace_id != NULL)
		add_str(o, "trace_id", ex->trace_id);
	if (ex->auth != NULL)
		add_str(o, "auth", ex->auth);
	if (ex->auth_desc != NULL) {
		s = redacted(ex->auth_desc, strlen(ex->auth_desc));
		add_str(o, "auth_description", s);
		free(s);
	}
	if (ex->curl_code != 0)
		add_int(o, "curl_code", ex->curl_code);
	if (ex->error != NULL) {
		s = redacted(ex->error, strlen(ex->error));
		add_str(o, "error", s);
		free(s);
	}
	if (ex->body_truncated)
		json_object_object_add(o, "body_truncated",
		    json_object_new_boolean(1));
}

struct json_object *
diag_har_entry(const struct diag_exchange *ex, time_t fallback,
    struct json_object *custom)
{
	struct json_object *e = json_object_new_object(), *t;
	long long start;
	char *url, *when;
	double total;

	url = redacted(ex->url, strlen(ex->url));
	start = ex->timings.started_epoch_ms > 0 ?
	    ex->timings.started_epoch_ms :
	    (long long)fallback * 1000;
	when = iso_time(start);
	add_str(e, "startedDateTime", when);
	free(when);
	t = json_object_new_object();
	total = timings_json(ex, t);
	add_ms(e, "time", total);
	json_object_object_add(e, "request", request_json(ex, url));
	json_object_object_add(e, "response", response_json(ex));
	json_object_object_add(e, "cache", json_object_new_object());
	json_object_object_add(e, "timings", t);
	if (custom == NULL)
		custom = json_object_new_object();
	entry_custom(ex, custom);
	json_object_object_add(e, "_atldiag", custom);
	free(url);
	return e;
}

struct json_object *
diag_har_document(struct json_object *entries, const char *comment,
    struct json_object *atldiag)
{
	struct json_object *doc = json_object_new_object();
	struct json_object *log = json_object_new_object(), *cr;

	add_str(log, "version", "1.2");
	cr = json_object_new_object();
	add_str(cr, "name", "atldiag");
	add_str(cr, "version", ATLDIAG_VERSION);
	json_object_object_add(log, "creator", cr);
	if (comment != NULL)
		add_str(log, "comment", comment);
	if (atldiag != NULL)
		json_object_object_add(log, "_atldiag", atldiag);
	json_object_object_add(log, "entries", entries);
	json_object_object_add(doc, "log", log);
	return doc;
}
