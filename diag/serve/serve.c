/* diag/serve/serve.c: answers the requests of `atldiag serve`: the page, its assets, POST /api/explain. */
#include <sys/random.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "diag/cmd/commands.h"
#include "diag/core/secret.h"
#include "diag/core/util.h"
#include "diag/rules/rules_embedded.h"
#include "diag/serve/page_embedded.h"
#include "diag/serve/serve.h"

const char *const diag_serve_headers[][2] = {
	{ "Cache-Control", "no-store" },
	{ "Content-Security-Policy",
	    "default-src 'none'; script-src 'self'; style-src 'self'; "
	    "connect-src 'self'; img-src 'self' data:; base-uri 'none'; "
	    "form-action 'none'; frame-ancestors 'none'" },
	{ "X-Content-Type-Options", "nosniff" },
	{ "Referrer-Policy", "no-referrer" },
	{ "X-Frame-Options", "DENY" },
	{ "Cross-Origin-Opener-Policy", "same-origin" },
	{ "Cross-Origin-Resource-Policy", "same-origin" },
	{ NULL, NULL },
};

#define CT_JSON "application/json; charset=utf-8"
/* HAR has no registered media type; what HAR viewers and browsers expect. */
#define CT_HAR "application/json; charset=utf-8"

/* The page's files: path, embedded name, content type. */
static const struct {
	const char *path;
	const char *name;
	const char *type;
} assets[] = {
	{ "/", "index.html", "text/html; charset=utf-8" },
	{ "/index.html", "index.html", "text/html; charset=utf-8" },
	{ "/app.js", "app.js", "text/javascript; charset=utf-8" },
	{ "/app.css", "app.css", "text/css; charset=utf-8" },
};

/* Where the page carries the access token (index.html). */
#define TOKEN_MARK "@TOKEN@"

int
diag_serve_token_new(char token[DIAG_SERVE_TOKEN_HEX + 1])
{
	unsigned char raw[DIAG_SERVE_TOKEN_HEX / 2];
	size_t got = 0, i;
	ssize_t n;

	while (got < sizeof(raw)) {
		n = getrandom(raw + got, sizeof(raw) - got, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		got += (size_t)n;
	}
	for (i = 0; i < sizeof(raw); i++)
		snprintf(token + 2 * i, 3, "%02x", raw[i]);
	explicit_bzero(raw, sizeof(raw));
	return 0;
}

int
diag_serve_token_equal(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i;
	unsigned char d = la != lb;

	for (i = 0; i < lb; i++)
		d |= (unsigned char)(a[i < la ? i : 0] ^ b[i]);
	return d == 0;
}

void
diag_serve_resp_release(struct diag_serve_resp *resp)
{
	free(resp->body);
	memset(resp, 0, sizeof(*resp));
}

/* A JSON error document {"error": message, "status": status}. */
static void
error_json(struct diag_serve_resp *resp, unsigned status, const char *msg)
{
	struct json_object *o = json_object_new_object();
	const char *s;

	json_object_object_add(o, "error", json_object_new_string(msg));
	json_object_object_add(o, "status", json_object_new_int((int)status));
	s = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY);
	resp->status = status;
	resp->content_type = CT_JSON;
	resp->body = diag_secret_scrub(s, strlen(s), &resp->len);
	json_object_put(o);
}

/* The Host header names this server (or any Host is accepted). */
static int
host_ok(const struct diag_serve *s, const char *host)
{
	size_t i;

	if (s->hosts == NULL)
		return 1;
	if (host == NULL)
		return 0;
	for (i = 0; s->hosts[i] != NULL; i++)
		if (strcasecmp(s->hosts[i], host) == 0)
			return 1;
	return 0;
}

/* One of the page's files; index.html with the token filled in. */
static int
serve_asset(const struct diag_serve *s, const char *path,
    struct diag_serve_resp *resp)
{
	struct diag_buf b = DIAG_BUF_INIT;
	const char *p, *mark;
	size_t i, j;

	for (i = 0; i < DIAG_NELEM(assets); i++)
		if (strcmp(assets[i].path, path) == 0)
			break;
	if (i == DIAG_NELEM(assets))
		return 0;
	for (j = 0; j < diag_embedded_page_count; j++)
		if (strcmp(diag_embedded_page[j].name, assets[i].name) == 0)
			break;
	if (j == diag_embedded_page_count)
		return 0;
	p = diag_embedded_page[j].data;
	while ((mark = strstr(p, TOKEN_MARK)) != NULL) {
		diag_buf_add(&b, p, (size_t)(mark - p));
		diag_buf_adds(&b, s->token);
		p = mark + strlen(TOKEN_MARK);
	}
	diag_buf_adds(&b, p);
	resp->status = 200;
	resp->content_type = assets[i].type;
	resp->len = b.len;
	resp->body = diag_buf_detach(&b);
	return 1;
}

/* ?format=har: the capture as a redacted evidence bundle, explained by
 * rep (a report of the same bytes, read without error). */
static void
serve_har(const struct diag_serve_req *req, const struct diag_report *rep,
    struct diag_serve_resp *resp)
{
	resp->body = diag_serve_har(req->body != NULL ? req->body : "",
	    req->body_len, rep, &resp->len);
	if (resp->body == NULL) {
		error_json(resp, 500,
		    "internal error: this capture could not be read again as a "
		    "bundle");
		return;
	}
	resp->status = 200;
	resp->content_type = CT_HAR;
}

/* The HTTP status for explain's exit code: 422 usage, 500 internal. */
static int
explain_status(enum diag_exit code)
{
	if (code == DIAG_EXIT_USAGE)
		return 422;
	return code == DIAG_EXIT_INTERNAL ? 500 : 200;
}

/* The content type of a report in format fmt (JSON, Markdown or text). */
static const char *
format_type(enum diag_format fmt)
{
	if (fmt == DIAG_FORMAT_JSON)
		return CT_JSON;
	if (fmt == DIAG_FORMAT_MARKDOWN)
		return "text/markdown; charset=utf-8";
	return "text/plain; charset=utf-8";
}

/* POST /api/explain: the capture in the body, explained in a format. */
static void
serve_explain(const struct diag_serve *s, const struct diag_serve_req *req,
    struct diag_serve_resp *resp)
{
	struct diag_render_opts ro;
	struct diag_opts o;
	struct diag_cmd c;
	enum diag_format fmt = DIAG_FORMAT_JSON;
	const char *msg;
	char *text;
	enum diag_exit code;
	int har;

	har =
	    req->query_format != NULL && strcmp(req->query_format, "har") == 0;
	if (req->query_format != NULL && !har &&
	    (diag_format_parse(req->query_format, &fmt) != 0 ||
		(fmt != DIAG_FORMAT_JSON && fmt != DIAG_FORMAT_MARKDOWN &&
		    fmt != DIAG_FORMAT_TEXT))) {
		error_json(resp, 400,
		    "unknown format: use json, markdown, text or har");
		return;
	}
	if (req->body_too_large) {
		text = diag_xasprintf("the capture is too large: "
				      "the limit is %zu MiB",
		    s->max_body >> 20);
		error_json(resp, 413, text);
		free(text);
		return;
	}
	memset(&o, 0, sizeof(o));
	memset(&c, 0, sizeof(c));
	o.command = "explain";
	o.format = fmt;
	c.opts = &o;
	c.rules = s->rules;
	code = diag_explain_buffer(&c, "capture",
	    req->body != NULL ? req->body : "", req->body_len, DIAG_TX_AUTO);
	if (c.report == NULL) {
		/* The capture cannot be read: the CLI's message, as JSON. */
		msg = diag_msg_last_error();
		c.report = diag_report_error("explain", code,
		    msg != NULL ? msg : "cannot read this capture");
		fmt = DIAG_FORMAT_JSON;
	} else if (har && code != DIAG_EXIT_INTERNAL) {
		serve_har(req, c.report, resp);
		diag_report_free(c.report);
		return;
	}
	memset(&ro, 0, sizeof(ro));
	text = diag_report_render(c.report, fmt, &ro);
	resp->status = explain_status(code);
	resp->content_type = format_type(fmt);
	resp->body = diag_secret_scrub(text, strlen(text), &resp->len);
	free(text);
	diag_report_free(c.report);
}

void
diag_serve_handle(const struct diag_serve *s, const struct diag_serve_req *req,
    struct diag_serve_resp *resp)
{
	const char *tok;

	memset(resp, 0, sizeof(resp[0]));
	diag_secret_reset();
	tok = req->header_token != NULL ? req->header_token : req->query_token;
	if (!host_ok(s, req->host))
		error_json(resp, 403,
		    "this server answers only to the address it printed (Host "
		    "header refused)");
	else if (tok == NULL || !diag_serve_token_equal(tok, s->token))
		error_json(resp, 403,
		    "missing or wrong token: open the URL atldiag serve "
		    "printed");
	else if (strcmp(req->path, "/api/explain") == 0) {
		if (strcmp(req->method, "POST") == 0)
			serve_explain(s, req, resp);
		else {
			error_json(resp, 405,
			    "use POST with the capture as the request body");
			resp->allow = "POST";
		}
	} else if (strcmp(req->method, "GET") != 0 &&
	    strcmp(req->method, "HEAD") != 0) {
		error_json(resp, 405, "only GET here");
		resp->allow = "GET, HEAD";
	} else if (!serve_asset(s, req->path, resp))
		error_json(resp, 404, "no such page");
	diag_secret_reset();
	diag_msg_forget();
}
