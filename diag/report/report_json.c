/* diag/report/report_json.c: the JSON report (contract "atldiag.report/1") and the renderers' shared helpers. */

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <json-c/json.h>

#include "diag/core/model.h"
#include "diag/report/report.h"
#include "diag/core/escape.h"
#include "diag/report/report_util.h"
#include "diag/core/secret.h"
#include "diag/core/util.h"
#include "diag/report/view.h"

#define REPORT_SCHEMA "atldiag.report/1"

static void add_str(struct json_object *, const char *, const char *);
static struct json_object *exchange_json(const struct diag_exchange *);
static struct json_object *finding_json(const struct diag_view_finding *);
static struct json_object *check_json(const struct diag_check_result *);

size_t
diag__utf8_width(const char *s, size_t len)
{
	size_t i, w = 0;

	for (i = 0; i < len && s[i] != '\0'; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			w++;
	return w;
}

static char *
excerpt_of(const char *s, size_t len, size_t max, int *cut)
{
	struct diag_buf b = DIAG_BUF_INIT;
	const unsigned char *u = (const unsigned char *)s;
	size_t start;
	uint32_t cp;

	*cut = 0;
	if (s == NULL)
		return diag_xstrdup("");
	if (len > max) {
		len = max;
		*cut = 1;
		/* Drop a sequence cut by the excerpt's end. */
		start = len;
		while (start > 0 && len - start < 3 &&
		    (u[start - 1] & 0xc0) == 0x80)
			start--;
		if (start > 0 && u[start - 1] >= 0xc0 &&
		    diag_utf8_decode(u + start - 1, len - start + 1, &cp) == 0)
			len = start - 1;
	}
	diag_esc_visible(&b, s, len, DIAG_ESC_KEEP_NL | DIAG_ESC_KEEP_TAB);
	return diag_buf_detach(&b);
}

/* Scrubs the whole body before cutting it, so the cut cannot split a
 * secret and leave a piece the scrubber no longer recognises. */
char *
diag__excerpt(const char *s, size_t len, size_t max, int *cut)
{
	char *clean, *e;
	size_t n;

	if (s == NULL)
		return excerpt_of(s, len, max, cut);
	clean = diag_secret_scrub(s, len, &n);
	e = excerpt_of(clean, n, max, cut);
	free(clean);
	return e;
}

void
diag__format_time(time_t t, char *buf, size_t bufsz)
{
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(buf, bufsz, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(buf, bufsz, "1970-01-01T00:00:00Z");
}

void
diag__strv_free(char **v)
{
	size_t i;

	if (v == NULL)
		return;
	for (i = 0; v[i] != NULL; i++)
		free(v[i]);
	free(v);
}

const char *
diag__finding_title(const struct diag_finding *f)
{
	if (f->dx != NULL && f->dx->title != NULL)
		return f->dx->title;
	return f->code != NULL ? f->code : "unknown";
}

const char *
diag__finding_layer(const struct diag_finding *f, char *buf, size_t bufsz)
{
	const char *code = f->code != NULL ? f->code : "unknown";
	size_t l;

	if (f->dx != NULL && f->dx->layer != NULL)
		return f->dx->layer;
	l = strcspn(code, ".");
	if (l >= bufsz)
		l = bufsz - 1;
	memcpy(buf, code, l);
	buf[l] = '\0';
	return buf;
}

const char *
diag__finding_owner(const struct diag_finding *f)
{
	if (f->dx != NULL && f->dx->owner != NULL)
		return f->dx->owner;
	return "caller";
}

const char *
diag__owner_words(const char *owner)
{
	static const struct {
		const char *owner;
		const char *words;
	} w[] = {
		{ "caller", "you (whoever runs the script)" },
		{ "org_admin", "an organization admin" },
		{ "site_admin", "a site admin" },
		{ "project_admin", "a project admin" },
		{ "atlassian", "Atlassian support" },
	};
	size_t i;

	for (i = 0; owner != NULL && i < DIAG_NELEM(w); i++)
		if (strcmp(owner, w[i].owner) == 0)
			return w[i].words;
	return owner != NULL ? owner : "you (whoever runs the script)";
}

const char *
diag__verdict_name(const struct diag_report *r)
{
	if (r->error != NULL)
		return "error";
	switch (r->verdict) {
	case DIAG_FAIL:
	case DIAG_BLOCKED:
		return "fail";
	case DIAG_WARN:
		return "warn";
	case DIAG_INCONCLUSIVE:
		return "inconclusive";
	case DIAG_PASS:
	case DIAG_SKIPPED:
	default:
		return "pass";
	}
}

int
diag__header_is_telling(const char *name)
{
	static const char *const telling[] = {
		"X-Seraph-LoginReason",
		"X-Failure-Category",
		"WWW-Authenticate",
		"X-AAccountId",
		"Retry-After",
		"RateLimit-Reason",
		"X-Authentication-Denied-Reason",
		"ATL-TraceId",
		"x-trace-id",
		"Location",
	};
	size_t i;

	for (i = 0; name != NULL && i < DIAG_NELEM(telling); i++)
		if (strcasecmp(name, telling[i]) == 0)
			return 1;
	return 0;
}

int
diag__header_is_credential(const char *name)
{
	return name != NULL &&
	    (strcasecmp(name, "Authorization") == 0 ||
		strcasecmp(name, "Proxy-Authorization") == 0 ||
		strcasecmp(name, "Cookie") == 0 ||
		strcasecmp(name, "X-Api-Key") == 0);
}

int
diag__header_is_hidden(const char *name)
{
	return name != NULL && strcasecmp(name, "Set-Cookie") == 0;
}

void
diag__esc_xml(struct diag_buf *b, const char *s, int attr)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, n, len;
	uint32_t cp;

	if (s == NULL)
		return;
	len = strlen(s);
	while (i < len) {
		switch (u[i]) {
		case '&':
			diag_buf_adds(b, "&amp;");
			i++;
			continue;
		case '<':
			diag_buf_adds(b, "&lt;");
			i++;
			continue;
		case '>':
			diag_buf_adds(b, "&gt;");
			i++;
			continue;
		case '"':
			diag_buf_adds(b, attr ? "&quot;" : "\"");
			i++;
			continue;
		case '\'':
			diag_buf_adds(b, attr ? "&apos;" : "'");
			i++;
			continue;
		case '\t':
		case '\n':
		case '\r':
			if (attr)
				diag_buf_addf(b, "&#%d;", u[i]);
			else
				diag_buf_addc(b, (char)u[i]);
			i++;
			continue;
		default:
			break;
		}
		n = diag_utf8_decode(u + i, len - i, &cp);
		if (n == 0 || cp < 0x20 || cp == 0x7f ||
		    (cp >= 0x80 && cp < 0xa0) || cp == 0xfffe || cp == 0xffff) {
			diag_buf_adds(b, "\xef\xbf\xbd"); /* U+FFFD */
			i += n == 0 ? 1 : n;
			continue;
		}
		diag_buf_add(b, u + i, n);
		i += n;
	}
}

static void
esc_gh(struct diag_buf *b, const char *text, int prop)
{
	char *vis, *s;

	if (text == NULL)
		return;
	/* Controls visible, invalid UTF-8 as \xNN; newlines stay (%0A). */
	vis = diag_esc_visible_str(text, DIAG_ESC_KEEP_NL | DIAG_ESC_KEEP_CR);
	for (s = vis; *s != '\0'; s++) {
		if (*s == '%')
			diag_buf_adds(b, "%25");
		else if (*s == '\r')
			diag_buf_adds(b, "%0D");
		else if (*s == '\n')
			diag_buf_adds(b, "%0A");
		else if (prop && *s == ':')
			diag_buf_adds(b, "%3A");
		else if (prop && *s == ',')
			diag_buf_adds(b, "%2C");
		else
			diag_buf_addc(b, *s);
	}
	free(vis);
}

void
diag__esc_gh_data(struct diag_buf *b, const char *s)
{
	esc_gh(b, s, 0);
}

void
diag__esc_gh_prop(struct diag_buf *b, const char *s)
{
	esc_gh(b, s, 1);
}

/*
 * The end of the code span opening at p (a run of n backticks closed by
 * a run of exactly n), or NULL when it is never closed.
 */
static const char *
md_span_end(const char *p)
{
	size_t n = strspn(p, "`"), m;
	const char *q = p + n;

	while ((q = strchr(q, '`')) != NULL) {
		m = strspn(q, "`");
		if (m == n)
			return q + m;
		q += m;
	}
	return NULL;
}

static void
esc_md(struct diag_buf *b, const char *text, int cell, int rich)
{
	const char *p, *end, *s;
	char *vis;
	int wordl, wordr;

	if (text == NULL)
		return;
	/* Controls (newlines too) as visible escapes first. */
	s = vis = diag_esc_visible_str(text, 0);
	for (p = s; *p != '\0'; p++) {
		end = *p == '`' && rich ? md_span_end(p) : NULL;
		if (end != NULL) {
			/* A code span the text means: keep it as it is. */
			for (; p < end; p++) {
				if (*p == '\n' || *p == '\r')
					diag_buf_addc(b, ' ');
				else if (*p == '|' && cell)
					diag_buf_adds(b, "\\|");
				else
					diag_buf_addc(b, *p);
			}
			p--;
			continue;
		}
		switch (*p) {
		case '\\':
		case '`':
		case '*':
		case '[':
		case ']':
		case '|':
			diag_buf_addc(b, '\\');
			diag_buf_addc(b, *p);
			break;
		case '<':
			diag_buf_adds(b, "\\<");
			break;
		case '>':
			/* A quote only at the start of a line. */
			if (p == s || p[-1] == '\n')
				diag_buf_addc(b, '\\');
			diag_buf_addc(b, '>');
			break;
		case '&':
			/* Only an entity-looking '&' needs care. */
			if (isalpha((unsigned char)p[1]) || p[1] == '#')
				diag_buf_adds(b, "&amp;");
			else
				diag_buf_addc(b, '&');
			break;
		case '_':
			/* Intraword underscores never emphasise (CommonMark). */
			wordl = p > s && isalnum((unsigned char)p[-1]);
			wordr = isalnum((unsigned char)p[1]);
			if (wordl && wordr)
				diag_buf_addc(b, '_');
			else
				diag_buf_adds(b, "\\_");
			break;
		case '#':
			if (p == s || p[-1] == '\n')
				diag_buf_addc(b, '\\');
			diag_buf_addc(b, '#');
			break;
		case '\r':
			break;
		case '\n':
			diag_buf_adds(b, cell ? " " : "  \n");
			break;
		default:
			diag_buf_addc(b, *p);
			break;
		}
	}
	free(vis);
}

void
diag__esc_md_text(struct diag_buf *b, const char *s)
{
	esc_md(b, s, 0, 0);
}

void
diag__esc_md_cell(struct diag_buf *b, const char *s)
{
	esc_md(b, s, 1, 0);
}

void
diag__esc_md_rich(struct diag_buf *b, const char *s, int cell)
{
	esc_md(b, s, cell, 1);
}

void
diag__esc_md_code(struct diag_buf *b, const char *text)
{
	size_t run = 0, longest = 0, i;
	const char *p, *s;
	char *vis;
	int pad;

	s = vis = diag_esc_visible_str(text, 0);
	for (p = s; *p != '\0'; p++) {
		if (*p == '`') {
			if (++run > longest)
				longest = run;
		} else
			run = 0;
	}
	pad = s[0] == '`' || (s[0] != '\0' && s[strlen(s) - 1] == '`') ||
	    s[0] == '\0';
	for (i = 0; i <= longest; i++)
		diag_buf_addc(b, '`');
	if (pad)
		diag_buf_addc(b, ' ');
	for (p = s; *p != '\0'; p++) {
		if (*p == '\n' || *p == '\r')
			diag_buf_addc(b, ' ');
		else if (*p == '|')
			/* A '|' ends a table cell even inside code (GFM). */
			diag_buf_adds(b, "\\|");
		else
			diag_buf_addc(b, *p);
	}
	if (pad)
		diag_buf_addc(b, ' ');
	for (i = 0; i <= longest; i++)
		diag_buf_addc(b, '`');
	free(vis);
}

/* Adds key: string, or key: null when s is NULL. */
static void
add_str(struct json_object *o, const char *key, const char *s)
{
	json_object_object_add(o, key,
	    s != NULL ? json_object_new_string(s) : NULL);
}

static struct json_object *
exchange_json(const struct diag_exchange *ex)
{
	struct json_object *o, *req, *resp, *hdrs, *old;
	const char *name;
	char *lname, *excerpt, *joined;
	size_t i;
	int cut;

	o = json_object_new_object();
	add_str(o, "label", ex->label);

	req = json_object_new_object();
	add_str(req, "method", ex->method);
	add_str(req, "url", ex->url);
	add_str(req, "auth", ex->auth != NULL ? ex->auth : "none");
	add_str(req, "auth_description", ex->auth_desc);
	hdrs = json_object_new_object();
	for (i = 0; i < ex->n_req_headers; i++) {
		name = ex->req_headers[i].name;
		if (name == NULL)
			continue;
		lname = diag_str_lower(name);
		if (diag__header_is_credential(name))
			add_str(hdrs, lname,
			    ex->auth_desc != NULL &&
				    strcasecmp(name, "Authorization") == 0 ?
				ex->auth_desc :
				"[redacted]");
		else
			add_str(hdrs, lname,
			    ex->req_headers[i].value != NULL ?
				ex->req_headers[i].value :
				"");
		free(lname);
	}
	json_object_object_add(req, "headers", hdrs);
	json_object_object_add(o, "request", req);

	if (ex->status == 0 && ex->n_headers == 0 && ex->body == NULL)
		resp = NULL;
	else {
		resp = json_object_new_object();
		json_object_object_add(resp, "status",
		    json_object_new_int64(ex->status));
		add_str(resp, "http_version", ex->http_version);
		hdrs = json_object_new_object();
		for (i = 0; i < ex->n_headers; i++) {
			name = ex->headers[i].name;
			if (name == NULL || diag__header_is_hidden(name))
				continue;
			lname = diag_str_lower(name);
			if (json_object_object_get_ex(hdrs, lname, &old)) {
				/* Repeated header: one value, comma-joined. */
				joined = diag_xasprintf("%s, %s",
				    json_object_get_string(old),
				    ex->headers[i].value != NULL ?
					ex->headers[i].value :
					"");
				add_str(hdrs, lname, joined);
				free(joined);
			} else
				add_str(hdrs, lname,
				    ex->headers[i].value != NULL ?
					ex->headers[i].value :
					"");
			free(lname);
		}
		json_object_object_add(resp, "headers", hdrs);
		excerpt =
		    diag__excerpt(ex->body, ex->body != NULL ? ex->body_len : 0,
			DIAG_BODY_EXCERPT, &cut);
		add_str(resp, "body_excerpt", excerpt);
		free(excerpt);
		json_object_object_add(resp, "body_truncated",
		    json_object_new_boolean(cut || ex->body_truncated));
	}
	json_object_object_add(o, "response", resp);
	add_str(o, "trace_id", ex->trace_id);
	add_str(o, "error", ex->error);
	json_object_object_add(o, "duration_ms",
	    json_object_new_int64(ex->duration_ms));
	add_str(o, "source", ex->from_transcript ? "transcript" : "live");
	return o;
}

/* The coarser findings folded into f (diag/engine/engine.c): what each said.
 * Present only when there is one. */
static struct json_object *
explains_json(const struct diag_finding *f)
{
	const struct diag_finding *x;
	struct json_object *a, *o;
	size_t i;

	a = json_object_new_array();
	for (i = 0; i < f->n_explains; i++) {
		x = f->explains[i];
		o = json_object_new_object();
		add_str(o, "code", x->code);
		add_str(o, "status", diag_status_name(x->status));
		add_str(o, "confidence", diag_confidence_name(x->confidence));
		add_str(o, "check", x->check_id);
		add_str(o, "detail", x->detail != NULL ? x->detail : "");
		json_object_array_add(a, o);
	}
	return a;
}

static struct json_object *
finding_json(const struct diag_view_finding *vf)
{
	const struct diag_finding *f = vf->f;
	struct json_object *o, *a;
	char layer[64];
	size_t i;

	o = json_object_new_object();
	add_str(o, "code", f->code);
	add_str(o, "status", vf->status);
	add_str(o, "layer", diag__finding_layer(f, layer, sizeof(layer)));
	add_str(o, "owner", diag__finding_owner(f));
	add_str(o, "confidence", diag_confidence_name(f->confidence));
	add_str(o, "title", vf->title);
	add_str(o, "explanation", vf->explanation);
	add_str(o, "detail", f->detail != NULL ? f->detail : "");
	a = json_object_new_array();
	for (i = 0; i < f->n_notes; i++)
		if (f->notes[i] != NULL)
			json_object_array_add(a,
			    json_object_new_string(f->notes[i]));
	json_object_object_add(o, "notes", a);
	a = json_object_new_array();
	for (i = 0; i < vf->n_steps; i++)
		json_object_array_add(a, json_object_new_string(vf->steps[i]));
	json_object_object_add(o, "remediation", a);
	a = json_object_new_array();
	for (i = 0; i < vf->n_docs; i++)
		if (vf->docs[i] != NULL)
			json_object_array_add(a,
			    json_object_new_string(vf->docs[i]));
	json_object_object_add(o, "docs", a);
	add_str(o, "check", f->check_id);
	if (f->retry_at != 0) {
		char when[32];

		diag__format_time(f->retry_at, when, sizeof(when));
		add_str(o, "retry_at", when);
	}
	a = json_object_new_array();
	for (i = 0; i < f->n_evidence; i++)
		if (f->evidence[i] != NULL)
			json_object_array_add(a, exchange_json(f->evidence[i]));
	json_object_object_add(o, "evidence", a);
	if (f->n_explains > 0)
		json_object_object_add(o, "explains", explains_json(f));
	return o;
}

/* "recheck": the command to run once the fixes are in, the variables it
 * reads from the environment, and after lint the live check. */
static struct json_object *
recheck_json(const struct diag_view_recheck *rc)
{
	struct json_object *o;

	o = json_object_new_object();
	add_str(o, "command", rc->command);
	add_str(o, "environment", rc->env);
	if (rc->then != NULL) {
		add_str(o, "then", rc->then);
		add_str(o, "then_environment", rc->then_env);
	}
	return o;
}

static struct json_object *
check_json(const struct diag_check_result *c)
{
	struct json_object *o, *a;
	size_t i;

	o = json_object_new_object();
	add_str(o, "id", c->id);
	add_str(o, "status", diag_status_name(c->status));
	json_object_object_add(o, "duration_ms",
	    json_object_new_int64(c->duration_ms));
	a = json_object_new_array();
	for (i = 0; i < c->n_codes; i++)
		if (c->codes[i] != NULL)
			json_object_array_add(a,
			    json_object_new_string(c->codes[i]));
	json_object_object_add(o, "findings", a);
	add_str(o, "message", c->message);
	if (c->status == DIAG_BLOCKED)
		add_str(o, "blocked_by", c->blocked_by);
	return o;
}

struct json_object *
diag_report_json(const struct diag_report *r)
{
	struct diag_report_view *v = diag_report_view_new(r);
	struct json_object *doc, *o, *a, *copy, *val;
	struct json_object_iterator it, end;
	char when[32];
	size_t i;

	doc = json_object_new_object();
	add_str(doc, "schema", REPORT_SCHEMA);
	o = json_object_new_object();
	add_str(o, "name", "atldiag");
	add_str(o, "version", ATLDIAG_VERSION);
	json_object_object_add(doc, "tool", o);
	diag__format_time(r->generated_at, when, sizeof(when));
	add_str(doc, "generated_at", when);
	add_str(doc, "command", r->command != NULL ? r->command : "");
	add_str(doc, "verdict", v->verdict);
	add_str(doc, "primary", v->primary);
	json_object_object_add(doc, "exit_code",
	    json_object_new_int(r->exit_code));
	copy = NULL;
	if (r->inputs != NULL &&
	    json_object_is_type(r->inputs, json_type_object) &&
	    json_object_deep_copy(r->inputs, &copy, NULL) == 0)
		json_object_object_add(doc, "inputs", copy);
	else
		json_object_object_add(doc, "inputs", json_object_new_object());
	a = json_object_new_array();
	for (i = 0; i < r->n_checks; i++)
		json_object_array_add(a, check_json(&r->checks[i]));
	json_object_object_add(doc, "checks", a);
	a = json_object_new_array();
	for (i = 0; i < v->n_findings; i++)
		json_object_array_add(a, finding_json(&v->findings[i]));
	json_object_object_add(doc, "findings", a);
	if (v->recheck.command != NULL)
		json_object_object_add(doc, "recheck",
		    recheck_json(&v->recheck));
	json_object_object_add(doc, "exchanges",
	    json_object_new_int64(r->exchanges));
	if (r->error != NULL)
		add_str(doc, "error", r->error);

	/* Command-specific members; contract members always win. */
	if (r->extra != NULL &&
	    json_object_is_type(r->extra, json_type_object)) {
		it = json_object_iter_begin(r->extra);
		end = json_object_iter_end(r->extra);
		while (!json_object_iter_equal(&it, &end)) {
			if (!json_object_object_get_ex(doc,
				json_object_iter_peek_name(&it), NULL)) {
				val = json_object_iter_peek_value(&it);
				copy = NULL;
				if (val == NULL ||
				    json_object_deep_copy(val, &copy, NULL) ==
					0)
					json_object_object_add(doc,
					    json_object_iter_peek_name(&it),
					    copy);
			}
			json_object_iter_next(&it);
		}
	}
	diag_report_view_free(v);
	return doc;
}

char *
diag_report_json_text(struct json_object *doc, int flags)
{
	struct diag_buf b = DIAG_BUF_INIT;
	const char *t;

	/* json-c copies invalid UTF-8 through: replace it, so the
	 * document stays valid JSON whatever the inputs held. */
	t = json_object_to_json_string_ext(doc,
	    flags | JSON_C_TO_STRING_NOSLASHESCAPE);
	diag_esc_json_text(&b, t, strlen(t));
	diag_buf_addc(&b, '\n');
	return diag_buf_detach(&b);
}
