/* diag/report/report_markdown.c: the report as a paste-ready ticket comment (Markdown). */

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#include "diag/core/model.h"
#include "diag/report/report.h"
#include "diag/core/escape.h"
#include "diag/report/report_util.h"
#include "diag/core/util.h"
#include "diag/report/view.h"

struct md {
	struct diag_buf b;
	const struct diag_report *r;
	const struct diag_report_view *v;
	int verbose;
};

static void visible_value(struct diag_buf *, const char *);
static void fence(struct diag_buf *, const char *, const char *);
static void header(struct md *);
static void inputs(struct md *);
static void exchange(struct md *, const struct diag_exchange *, size_t);
static void finding(struct md *, const struct diag_view_finding *, size_t);
static void checks(struct md *);
static void command_block(struct md *, const char *, const char *);
static void recheck(struct md *);

/*
 * An input value as a code span; when it has leading or trailing blanks,
 * control characters, a no-break space or a zero-width character (the
 * very things input checks look for), it is shown quoted with those
 * characters spelled out, so the reader can see them.
 */
static void
visible_value(struct diag_buf *b, const char *v)
{
	struct diag_buf q = DIAG_BUF_INIT;
	const unsigned char *u = (const unsigned char *)v;
	size_t i, len = strlen(v);
	int odd = 0;

	if (len > 0 && (v[0] == ' ' || v[len - 1] == ' '))
		odd = 1;
	for (i = 0; i < len && !odd; i++)
		if (u[i] < 0x20 || u[i] == 0x7f ||
		    (u[i] == 0xc2 && u[i + 1] == 0xa0) ||
		    (u[i] == 0xe2 && u[i + 1] == 0x80 &&
			(u[i + 2] >= 0x8b && u[i + 2] <= 0x8d)) ||
		    (u[i] == 0xef && u[i + 1] == 0xbb && u[i + 2] == 0xbf))
			odd = 1;
	if (!odd) {
		diag__esc_md_code(b, v);
		return;
	}
	diag_buf_addc(&q, '"');
	for (i = 0; i < len; i++) {
		if (u[i] == '\n')
			diag_buf_adds(&q, "\\n");
		else if (u[i] == '\r')
			diag_buf_adds(&q, "\\r");
		else if (u[i] == '\t')
			diag_buf_adds(&q, "\\t");
		else if (u[i] < 0x20 || u[i] == 0x7f)
			diag_buf_addf(&q, "\\x%02X", u[i]);
		else if (u[i] == 0xc2 && u[i + 1] == 0xa0) {
			diag_buf_adds(&q, "\\u00A0");
			i++;
		} else if (u[i] == 0xe2 && u[i + 1] == 0x80 &&
		    u[i + 2] >= 0x8b && u[i + 2] <= 0x8d) {
			diag_buf_addf(&q, "\\u20%02X", u[i + 2] - 0x80);
			i += 2;
		} else if (u[i] == 0xef && u[i + 1] == 0xbb &&
		    u[i + 2] == 0xbf) {
			diag_buf_adds(&q, "\\uFEFF");
			i += 2;
		} else
			diag_buf_addc(&q, (char)u[i]);
	}
	diag_buf_addc(&q, '"');
	diag__esc_md_code(b, diag_buf_str(&q));
	diag_buf_release(&q);
}

/* A fenced code block whose fence no line of text can close. */
static void
fence(struct diag_buf *b, const char *info, const char *text)
{
	size_t run = 0, longest = 0, i, n;
	const char *p;

	for (p = text; *p != '\0'; p++) {
		if (*p == '`') {
			if (++run > longest)
				longest = run;
		} else
			run = 0;
	}
	n = longest < 3 ? 3 : longest + 1;
	for (i = 0; i < n; i++)
		diag_buf_addc(b, '`');
	diag_buf_adds(b, info);
	diag_buf_addc(b, '\n');
	diag_buf_adds(b, text);
	if (text[0] != '\0' && text[strlen(text) - 1] != '\n')
		diag_buf_addc(b, '\n');
	for (i = 0; i < n; i++)
		diag_buf_addc(b, '`');
	diag_buf_addc(b, '\n');
}

static void
header(struct md *m)
{
	const struct diag_report *r = m->r;
	const struct diag_report_view *v = m->v;
	char when[32];

	diag_buf_adds(&m->b, "## atldiag ");
	diag__esc_md_text(&m->b, r->command != NULL ? r->command : "");
	diag_buf_addf(&m->b, ": %s", v->verdict_upper);
	if (v->primary != NULL) {
		diag_buf_adds(&m->b, " \xe2\x80\x94 ");
		diag__esc_md_code(&m->b, v->primary);
	}
	diag_buf_adds(&m->b, "\n\n");
	if (r->error != NULL) {
		diag_buf_adds(&m->b, "**Error:** ");
		diag__esc_md_text(&m->b, r->error);
		diag_buf_adds(&m->b, "\n\n");
	} else if (v->n_findings > 0) {
		diag_buf_adds(&m->b, "**");
		diag__esc_md_rich(&m->b, v->findings[0].title, 0);
		diag_buf_adds(&m->b, "**\n\n");
	} else if (strcmp(v->verdict, "pass") == 0)
		diag_buf_adds(&m->b, "**No problems found.**\n\n");
	diag__format_time(r->generated_at, when, sizeof(when));
	diag_buf_addf(&m->b,
	    "%zu finding%s \xc2\xb7 %zu check%s \xc2\xb7 %u HTTP exchange%s "
	    "\xc2\xb7 exit code %d \xc2\xb7 atldiag %s \xc2\xb7 %s\n",
	    v->n_findings, v->n_findings == 1 ? "" : "s", r->n_checks,
	    r->n_checks == 1 ? "" : "s", r->exchanges,
	    r->exchanges == 1 ? "" : "s", r->exit_code, ATLDIAG_VERSION, when);
}

static void
inputs(struct md *m)
{
	const struct diag_view_input *in;
	size_t i;

	if (m->v->n_inputs == 0)
		return;
	diag_buf_adds(&m->b,
	    "\n### Inputs\n\n| Input | Value | Source |\n"
	    "|---|---|---|\n");
	for (i = 0; i < m->v->n_inputs; i++) {
		in = &m->v->inputs[i];
		diag_buf_adds(&m->b, "| ");
		diag__esc_md_cell(&m->b, in->key);
		diag_buf_adds(&m->b, " | ");
		if (in->shown != NULL && !in->secret)
			visible_value(&m->b, in->shown);
		else if (in->shown != NULL)
			/* A secret: its traits, never its value. */
			diag__esc_md_cell(&m->b, in->shown);
		else
			diag_buf_adds(&m->b, "(not given)");
		diag_buf_adds(&m->b, " | ");
		if (in->source != NULL)
			diag__esc_md_code(&m->b, in->source);
		else
			diag_buf_adds(&m->b, "\xe2\x80\x94");
		diag_buf_adds(&m->b, " |\n");
	}
}

/* "a<sep>c\n" with a and c's control characters made visible. */
static void
line(struct diag_buf *t, const char *a, const char *sep, const char *c)
{
	diag_esc_visible(t, a, strlen(a), 0);
	diag_buf_adds(t, sep);
	diag_esc_visible(t, c, strlen(c), 0);
	diag_buf_addc(t, '\n');
}

static void
exchange(struct md *m, const struct diag_exchange *ex, size_t no)
{
	struct diag_buf t = DIAG_BUF_INIT;
	const char *name;
	char *body;
	size_t i;
	int cut, auth_shown = 0;

	diag_buf_addf(&m->b, "\nExchange %zu", no);
	if (ex->label != NULL) {
		diag_buf_adds(&m->b, " (");
		diag__esc_md_code(&m->b, ex->label);
		diag_buf_adds(&m->b, ")");
	}
	if (ex->from_transcript)
		diag_buf_adds(&m->b, ", from the transcript:\n\n");
	else
		diag_buf_addf(&m->b, ", live, %ld ms:\n\n", ex->duration_ms);

	line(&t, ex->method != NULL ? ex->method : "?", " ",
	    ex->url != NULL ? ex->url : "?");
	for (i = 0; i < ex->n_req_headers; i++) {
		name = ex->req_headers[i].name;
		if (name == NULL)
			continue;
		if (diag__header_is_credential(name)) {
			if (strcasecmp(name, "Authorization") == 0 &&
			    ex->auth_desc != NULL) {
				line(&t, name, ": ", ex->auth_desc);
				auth_shown = 1;
			} else
				line(&t, name, ": ", "[redacted]");
		} else
			line(&t, name, ": ",
			    ex->req_headers[i].value != NULL ?
				ex->req_headers[i].value :
				"");
	}
	if (!auth_shown && ex->auth_desc != NULL)
		line(&t, "Authorization", ": ", ex->auth_desc);
	diag_buf_addc(&t, '\n');
	if (ex->status == 0) {
		diag_buf_adds(&t, "(no answer");
		if (ex->error != NULL) {
			diag_buf_adds(&t, ": ");
			diag_esc_visible(&t, ex->error, strlen(ex->error), 0);
		}
		diag_buf_adds(&t, ")\n");
	} else {
		diag_esc_visible(&t,
		    ex->http_version != NULL ? ex->http_version : "HTTP",
		    strlen(
			ex->http_version != NULL ? ex->http_version : "HTTP"),
		    0);
		diag_buf_addf(&t, " %ld\n", ex->status);
		for (i = 0; i < ex->n_headers; i++) {
			name = ex->headers[i].name;
			if (name == NULL || diag__header_is_hidden(name))
				continue;
			line(&t, name, ": ",
			    ex->headers[i].value != NULL ?
				ex->headers[i].value :
				"");
		}
		if (ex->body != NULL && ex->body_len > 0) {
			body = diag__excerpt(ex->body, ex->body_len,
			    DIAG_BODY_EXCERPT, &cut);
			diag_buf_addf(&t, "\n%s%s\n", body,
			    cut || ex->body_truncated ? "\n[... cut]" : "");
			free(body);
		}
	}
	fence(&m->b, "http", diag_buf_str(&t));
	diag_buf_release(&t);
	if (ex->trace_id != NULL) {
		diag_buf_adds(&m->b, "\nATL-TraceId ");
		diag__esc_md_code(&m->b, ex->trace_id);
		diag_buf_adds(&m->b,
		    ": quote this ATL-TraceId to Atlassian support.\n");
	}
}

static void
finding(struct md *m, const struct diag_view_finding *vf, size_t no)
{
	const struct diag_finding *f = vf->f;
	struct diag_buf *b = &m->b;
	char *up, *p;
	size_t i;

	up = diag_xstrdup(vf->status);
	for (p = up; *p != '\0'; p++)
		*p = (char)(*p - ('a' <= *p && *p <= 'z' ? 'a' - 'A' : 0));
	diag_buf_addf(b, "\n#### %zu. %s ", no, up);
	free(up);
	diag__esc_md_code(b, f->code);
	diag_buf_adds(b, ": ");
	diag__esc_md_rich(b, vf->title, 0);
	diag_buf_adds(b, "\n");
	if (f->detail != NULL && f->detail[0] != '\0') {
		diag_buf_adds(b, "\n**What happened:** ");
		diag__esc_md_rich(b, f->detail, 0);
		diag_buf_addc(b, '\n');
	}
	if (vf->explanation[0] != '\0') {
		diag_buf_adds(b, "\n**Why:** ");
		diag__esc_md_rich(b, vf->explanation, 0);
		diag_buf_addc(b, '\n');
	}
	if (vf->n_steps > 0)
		diag_buf_adds(b, "\n**Fix:**\n\n");
	for (i = 0; i < vf->n_steps; i++) {
		diag_buf_addf(b, "%zu. ", i + 1);
		diag__esc_md_rich(b, vf->steps[i], 0);
		diag_buf_addc(b, '\n');
	}
	diag_buf_adds(b, "\n**Who must act:** ");
	diag_buf_adds(b, diag__owner_words(diag__finding_owner(f)));
	diag_buf_addf(b, " \xc2\xb7 **Confidence:** %s",
	    diag_confidence_name(f->confidence));
	if (f->check_id != NULL) {
		diag_buf_adds(b, " \xc2\xb7 **Raised by:** ");
		diag__esc_md_code(b, f->check_id);
	}
	diag_buf_addc(b, '\n');
	if (f->n_notes > 0)
		diag_buf_adds(b, "\n**Notes:**\n\n");
	for (i = 0; i < f->n_notes; i++) {
		diag_buf_adds(b, "- ");
		diag__esc_md_rich(b, f->notes[i], 0);
		diag_buf_addc(b, '\n');
	}
	if (vf->n_docs > 0) {
		diag_buf_adds(b, "\n**Docs:**");
		for (i = 0; i < vf->n_docs; i++) {
			/* Autolinks: <...> keeps '_' and '*' in URLs literal. */
			diag_buf_adds(b, i == 0 ? " <" : ", <");
			diag_buf_adds(b, vf->docs[i]);
			diag_buf_addc(b, '>');
		}
		diag_buf_addc(b, '\n');
	}
	if (f->n_evidence > 0)
		diag_buf_adds(b, "\n**Evidence:**\n");
	for (i = 0; i < f->n_evidence; i++)
		exchange(m, f->evidence[i], i + 1);
}

static void
checks(struct md *m)
{
	const struct diag_check_result *c;
	size_t i, k;

	if (m->r->n_checks == 0)
		return;
	if (!m->verbose) {
		/* Mostly "skipped": the counts only, unless asked (-v). */
		diag_buf_adds(&m->b, "\n");
		diag__esc_md_text(&m->b, m->v->checks_line);
		diag_buf_adds(&m->b, " (`-v` lists them)\n");
		return;
	}
	diag_buf_adds(&m->b,
	    "\n### Checks\n\n| Check | Status | Result |\n"
	    "|---|---|---|\n");
	for (i = 0; i < m->r->n_checks; i++) {
		c = &m->r->checks[i];
		diag_buf_adds(&m->b, "| ");
		diag__esc_md_code(&m->b, c->id != NULL ? c->id : "?");
		diag_buf_addf(&m->b, " | %s%s%s | ",
		    c->status == DIAG_FAIL ? "**" : "",
		    diag_status_name(c->status),
		    c->status == DIAG_FAIL ? "**" : "");
		if (c->message != NULL && c->message[0] != '\0')
			diag__esc_md_rich(&m->b, c->message, 1);
		else
			for (k = 0; k < c->n_codes; k++) {
				diag_buf_adds(&m->b, k == 0 ? "raised " : ", ");
				diag__esc_md_code(&m->b, c->codes[k]);
			}
		if (c->status == DIAG_BLOCKED && c->blocked_by != NULL) {
			diag_buf_adds(&m->b, c->message != NULL ? "; " : "");
			diag_buf_adds(&m->b, "blocked by ");
			diag__esc_md_code(&m->b, c->blocked_by);
		}
		diag_buf_adds(&m->b, " |\n");
	}
}

void
diag__md_requirements(struct diag_buf *b, const struct diag_report_view *v)
{
	const struct diag_view_requirement *q;
	size_t i;

	if (v->n_requirements == 0)
		return;
	diag_buf_adds(b, "\n### Requirements\n\n");
	for (i = 0; i < v->n_requirements; i++) {
		q = &v->requirements[i];
		diag_buf_addf(b, "- **%s** %s ", q->outcome, q->kind);
		diag__esc_md_code(b, q->name);
		diag_buf_adds(b, ": ");
		diag__esc_md_rich(b, q->how, 1);
		diag_buf_addc(b, '\n');
	}
}

void
diag__md_routes(struct diag_buf *b, const struct diag_report_view *v)
{
	const struct diag_view_route *rt;
	size_t i;

	if (v->n_routes == 0)
		return;
	diag_buf_adds(b, "\n### Routes\n\n");
	for (i = 0; i < v->n_routes; i++) {
		rt = &v->routes[i];
		diag_buf_addf(b, "- **%s** %s", rt->outcome, rt->route);
		if (rt->url != NULL) {
			diag_buf_adds(b, " (");
			diag__esc_md_code(b, rt->url);
			diag_buf_addc(b, ')');
		}
		diag_buf_adds(b, ": ");
		diag__esc_md_rich(b, rt->why, 1);
		diag_buf_addc(b, '\n');
	}
}

/* One command in a sh block, and where its environment comes from. */
static void
command_block(struct md *m, const char *cmd, const char *env)
{
	fence(&m->b, "sh", cmd);
	if (env != NULL)
		diag_buf_addf(&m->b,
		    "\nIt reads %s from the environment, as this run did.\n",
		    env);
}

/* The view's one re-check command (a passing lint: the live check). */
static void
recheck(struct md *m)
{
	const struct diag_view_recheck *rc = &m->v->recheck;

	if (rc->command == NULL)
		return;
	diag_buf_adds(&m->b,
	    strcmp(m->v->verdict, "pass") == 0 ?
		"\n### Next: check it live\n\n" :
		"\n### Re-check after the fix\n\n");
	diag__esc_md_rich(&m->b, rc->intro, 0);
	if (strchr(rc->command, '<') != NULL)
		diag_buf_adds(&m->b, ", filling in each `<placeholder>`");
	diag_buf_adds(&m->b, ":\n\n");
	command_block(m, rc->command, rc->env);
	if (rc->then == NULL)
		return;
	diag_buf_addc(&m->b, '\n');
	diag__esc_md_rich(&m->b, rc->then_intro, 0);
	diag_buf_adds(&m->b, ":\n\n");
	command_block(m, rc->then, rc->then_env);
}

char *
diag__render_markdown(const struct diag_report *r,
    const struct diag_render_opts *opts)
{
	struct md m;
	size_t i;

	m.b = (struct diag_buf)DIAG_BUF_INIT;
	m.r = r;
	m.v = diag_report_view_new(r);
	m.verbose = opts != NULL && opts->verbose;
	header(&m);
	if (r->error != NULL)
		goto out;
	inputs(&m);
	if (m.v->n_findings > 0)
		diag_buf_adds(&m.b, "\n### Findings\n");
	for (i = 0; i < m.v->n_findings; i++)
		finding(&m, &m.v->findings[i], i + 1);
	diag__md_requirements(&m.b, m.v);
	diag__md_routes(&m.b, m.v);
	checks(&m);
	recheck(&m);
out:
	diag_report_view_free((struct diag_report_view *)m.v);
	return diag_esc_line_starts(diag_buf_detach(&m.b));
}
