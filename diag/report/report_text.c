/* diag/report/report_text.c: the report for people at a terminal (summary, findings, checks). */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "diag/core/model.h"
#include "diag/report/report.h"
#include "diag/core/escape.h"
#include "diag/report/report_util.h"
#include "diag/core/util.h"
#include "diag/report/view.h"

#define WIDTH 78 /* wrap prose at this column */
#define INDENT 3 /* a finding's fields */
#define LABELW 15 /* "What happened  " */
#define BODY_SHORT 240 /* body excerpt bytes in -v evidence */

#define SGR_RESET "\033[0m"
#define SGR_BOLD "\033[1m"
#define SGR_DIM "\033[2m"
#define SGR_RED "\033[1;31m"
#define SGR_GREEN "\033[1;32m"
#define SGR_YELLOW "\033[1;33m"
#define SGR_MAGENTA "\033[1;35m"

struct text {
	struct diag_buf b;
	const struct diag_render_opts *opts;
	const struct diag_report *r;
	const struct diag_report_view *v;
};

static void adds_visible(struct diag_buf *, const char *);
static void spaces(struct diag_buf *, size_t);
static void paint(struct text *, const char *, const char *);
static size_t word_len(const char *, size_t);
static size_t wrap(struct diag_buf *, const char *, size_t, size_t);
static size_t wrap_hard(struct diag_buf *, const char *, size_t, size_t);
static const char *status_sgr(const char *);
static void summary(struct text *);
static void field(struct text *, const char *, const char *);
static void finding(struct text *, const struct diag_view_finding *, size_t);
static void evidence(struct text *, const struct diag_exchange *);
static void inputs(struct text *);
static void checks(struct text *);
static void recheck(struct text *);
static void routes(struct text *);
static void requirements(struct text *);
static char *codes_of(const struct diag_check_result *);
static int any_evidence(const struct diag_report *);

/* Appends s (NULL: nothing) with its control characters visible. */
static void
adds_visible(struct diag_buf *b, const char *s)
{
	if (s != NULL)
		diag_esc_visible(b, s, strlen(s), 0);
}

static void
spaces(struct diag_buf *b, size_t n)
{
	while (n-- > 0)
		diag_buf_addc(b, ' ');
}

/* Appends s, in colour when the options ask for it. */
static void
paint(struct text *t, const char *sgr, const char *s)
{
	if (t->opts->color && sgr != NULL)
		diag_buf_adds(&t->b, sgr);
	diag_buf_adds(&t->b, s);
	if (t->opts->color && sgr != NULL)
		diag_buf_adds(&t->b, SGR_RESET);
}

/*
 * Length of the word at w: up to the next blank, except that a `code
 * span` stays whole (so a command is never cut across lines) when it fits
 * in room columns.
 */
static size_t
word_len(const char *w, size_t room)
{
	size_t i, plain = strcspn(w, " \t\r\n");
	int code = 0;

	for (i = 0; w[i] != '\0' && w[i] != '\n'; i++) {
		if (w[i] == '`')
			code = !code;
		else if (!code && (w[i] == ' ' || w[i] == '\t' || w[i] == '\r'))
			break;
	}
	if (code || i == plain || diag__utf8_width(w, i) > room)
		return plain;
	return i;
}

/*
 * Appends text word-wrapped at WIDTH. The cursor is at column col; every
 * new line starts with indent spaces. Newlines in text start new lines;
 * a word longer than the line (a URL) is never broken. Returns the
 * column after the last word.
 */
static size_t
wrap(struct diag_buf *b, const char *raw, size_t col, size_t indent)
{
	const char *p, *w;
	char *text;
	size_t wl, ww;
	int empty = 1;

	if (raw == NULL)
		return col;
	/* Text from a server or a file never moves the cursor nor starts a
	 * line of its own: its control characters become visible. */
	p = text = diag_esc_visible_str(raw, 0);
	while (*p != '\0') {
		if (*p == '\n') {
			diag_buf_addc(b, '\n');
			spaces(b, indent);
			col = indent;
			empty = 1;
			p++;
			continue;
		}
		if (*p == ' ' || *p == '\t' || *p == '\r') {
			p++;
			continue;
		}
		w = p;
		wl = word_len(w, WIDTH > indent ? WIDTH - indent : 1);
		ww = diag__utf8_width(w, wl);
		if (!empty && col + 1 + ww > WIDTH) {
			diag_buf_addc(b, '\n');
			spaces(b, indent);
			col = indent;
			empty = 1;
		}
		if (!empty) {
			diag_buf_addc(b, ' ');
			col++;
		}
		diag_buf_add(b, w, wl);
		col += ww;
		empty = 0;
		p = w + wl;
	}
	free(text);
	return col;
}

/*
 * Like wrap(), but a word longer than a whole line (a minified JSON body)
 * is cut at the line's end, on a character boundary.
 */
static size_t
wrap_hard(struct diag_buf *b, const char *text, size_t col, size_t indent)
{
	struct diag_buf words = DIAG_BUF_INIT;
	const char *p;
	size_t room = WIDTH > indent + 8 ? WIDTH - indent : 8, run = 0, cl;

	/* Insert a space into every run longer than a line, then wrap. */
	for (p = text; p != NULL && *p != '\0'; p += cl) {
		cl = 1;
		while ((((unsigned char)p[cl]) & 0xc0) == 0x80)
			cl++;
		if (*p == ' ' || *p == '\n')
			run = 0;
		else if (++run > room) {
			diag_buf_addc(&words, ' ');
			run = 1;
		}
		diag_buf_add(&words, p, cl);
	}
	col = wrap(b, diag_buf_str(&words), col, indent);
	diag_buf_release(&words);
	return col;
}

static const char *
status_sgr(const char *status)
{
	if (strcmp(status, "fail") == 0 || strcmp(status, "error") == 0)
		return SGR_RED;
	if (strcmp(status, "warn") == 0)
		return SGR_YELLOW;
	if (strcmp(status, "pass") == 0)
		return SGR_GREEN;
	if (strcmp(status, "inconclusive") == 0)
		return SGR_MAGENTA;
	return SGR_DIM;
}

static void
summary(struct text *t)
{
	const struct diag_report *r = t->r;
	const struct diag_report_view *v = t->v;

	paint(t, status_sgr(v->verdict), v->verdict_upper);
	diag_buf_adds(&t->b, "  ");
	if (r->error != NULL) {
		adds_visible(&t->b, r->error);
		diag_buf_addc(&t->b, '\n');
		return;
	}
	if (v->n_findings > 0) {
		paint(t, SGR_BOLD, v->primary);
		diag_buf_adds(&t->b, " \xe2\x80\x94 ");
		adds_visible(&t->b, v->findings[0].title);
	} else if (strcmp(v->verdict, "pass") == 0)
		diag_buf_adds(&t->b, "no problems found");
	else
		diag_buf_adds(&t->b, "no finding could be made");
	diag_buf_addf(&t->b, " (%zu finding%s, %zu check%s, %u exchange%s)\n",
	    v->n_findings, v->n_findings == 1 ? "" : "s", r->n_checks,
	    r->n_checks == 1 ? "" : "s", r->exchanges,
	    r->exchanges == 1 ? "" : "s");
}

/* "   Label          text wrapped under the text column". */
static void
field(struct text *t, const char *label, const char *text)
{
	spaces(&t->b, INDENT);
	diag_buf_adds(&t->b, label);
	spaces(&t->b, LABELW - strlen(label));
	wrap(&t->b, text, INDENT + LABELW, INDENT + LABELW);
	diag_buf_addc(&t->b, '\n');
}

static void
evidence(struct text *t, const struct diag_exchange *ex)
{
	struct diag_buf *b = &t->b;
	const size_t col = INDENT + LABELW;
	char *body, *p;
	size_t i;
	int cut, traced = 0;

	adds_visible(b, ex->method != NULL ? ex->method : "?");
	diag_buf_addc(b, ' ');
	adds_visible(b, ex->url != NULL ? ex->url : "?");
	if (ex->from_transcript)
		diag_buf_adds(b, "  (from the transcript)");
	diag_buf_addc(b, '\n');
	if (ex->auth_desc != NULL) {
		spaces(b, col + 2);
		diag_buf_adds(b, "auth: ");
		wrap(b, ex->auth_desc, col + 8, col + 4);
		diag_buf_addc(b, '\n');
	}
	spaces(b, col + 2);
	if (ex->status == 0) {
		diag_buf_adds(b, "-> no answer");
		if (ex->error != NULL) {
			diag_buf_adds(b, ": ");
			wrap(b, ex->error, col + 16, col + 4);
		}
	} else {
		diag_buf_adds(b, "-> ");
		if (ex->http_version != NULL) {
			adds_visible(b, ex->http_version);
			diag_buf_addc(b, ' ');
		}
		diag_buf_addf(b, "%ld", ex->status);
	}
	if (!ex->from_transcript)
		diag_buf_addf(b, " in %ld ms", ex->duration_ms);
	diag_buf_addc(b, '\n');
	for (i = 0; i < ex->n_headers; i++) {
		if (!diag__header_is_telling(ex->headers[i].name))
			continue;
		if (ex->trace_id != NULL && ex->headers[i].value != NULL &&
		    strcmp(ex->headers[i].value, ex->trace_id) == 0)
			traced = 1;
		spaces(b, col + 2);
		adds_visible(b, ex->headers[i].name);
		diag_buf_adds(b, ": ");
		adds_visible(b, ex->headers[i].value);
		diag_buf_addc(b, '\n');
	}
	if (ex->trace_id != NULL && !traced) {
		spaces(b, col + 2);
		diag_buf_adds(b, "trace id: ");
		adds_visible(b, ex->trace_id);
		diag_buf_addc(b, '\n');
	}
	if (ex->body != NULL && ex->body_len > 0) {
		body = diag__excerpt(ex->body, ex->body_len, BODY_SHORT, &cut);
		for (p = body; *p != '\0'; p++)
			if (*p == '\n' || *p == '\t')
				*p = ' ';
		spaces(b, col + 2);
		diag_buf_adds(b, "body: ");
		wrap_hard(b, body, col + 8, col + 8);
		if (cut || ex->body_truncated)
			diag_buf_adds(b, " ...");
		diag_buf_addc(b, '\n');
		free(body);
	}
}

/*
 * The steps of vf not given by an earlier finding, in order, and then
 * one step pointing to where the others were given. Owned array of
 * borrowed strings (the last one owned, in *same), NULL-terminated.
 */
static const char **
unseen_steps(const struct diag_view_finding *vf, size_t *n, char **same)
{
	struct diag_buf b = DIAG_BUF_INIT;
	const char **steps;
	size_t i, k = 0;

	steps = diag_xcalloc(vf->n_steps + 2, sizeof(*steps));
	for (i = 0; i < vf->n_steps; i++) {
		if (vf->step_seen[i] == 0)
			steps[k++] = vf->steps[i];
		else
			diag_buf_addf(&b, "%s%zu of finding %zu",
			    b.len > 0 ? ", " : "", vf->step_seen[i] % 1000,
			    vf->step_seen[i] / 1000);
	}
	*same = NULL;
	if (b.len > 0) {
		*same = diag_xasprintf("Then the same as step %s.",
		    diag_buf_str(&b));
		steps[k++] = *same;
	}
	diag_buf_release(&b);
	*n = k;
	return steps;
}

static void
finding(struct text *t, const struct diag_view_finding *vf, size_t no)
{
	const struct diag_finding *f = vf->f;
	struct diag_buf *b = &t->b;
	const char **steps;
	char *s, *p, *same, num[32];
	size_t i, n, col;

	diag_buf_addf(b, "\n%zu) ", no);
	s = diag_xstrdup(vf->status);
	for (p = s; *p != '\0'; p++)
		*p = (char)(*p - ('a' <= *p && *p <= 'z' ? 'a' - 'A' : 0));
	paint(t, status_sgr(vf->status), s);
	free(s);
	diag_buf_adds(b, "  ");
	paint(t, SGR_BOLD, f->code);
	diag_buf_addc(b, '\n');
	spaces(b, INDENT);
	wrap(b, vf->title, INDENT, INDENT);
	diag_buf_adds(b, "\n\n");

	if (f->detail != NULL && f->detail[0] != '\0')
		field(t, "What happened", f->detail);
	if (vf->explanation[0] != '\0')
		field(t, "Why", vf->explanation);

	steps = unseen_steps(vf, &n, &same);
	for (i = 0; i < n; i++) {
		spaces(b, INDENT);
		diag_buf_adds(b, i == 0 ? "Fix" : "");
		spaces(b, LABELW - (i == 0 ? 3 : 0));
		if (n == 1) {
			wrap(b, steps[i], INDENT + LABELW, INDENT + LABELW);
		} else {
			snprintf(num, sizeof(num), "%zu. ", i + 1);
			diag_buf_adds(b, num);
			col = INDENT + LABELW + strlen(num);
			wrap(b, steps[i], col, col);
		}
		diag_buf_addc(b, '\n');
	}
	free(steps);
	free(same);

	field(t, "Who", diag__owner_words(diag__finding_owner(f)));
	s = diag_xasprintf("%s%s%s", diag_confidence_name(f->confidence),
	    f->check_id != NULL ? " (raised by " : "",
	    f->check_id != NULL ? f->check_id : "");
	if (f->check_id != NULL) {
		p = diag_xasprintf("%s)", s);
		free(s);
		s = p;
	}
	field(t, "Confidence", s);
	free(s);
	for (i = 0; i < f->n_notes; i++) {
		if (f->notes[i] == NULL)
			continue;
		spaces(b, INDENT);
		diag_buf_adds(b, i == 0 ? "Notes" : "");
		spaces(b, LABELW - (i == 0 ? 5 : 0));
		diag_buf_adds(b, "- ");
		wrap(b, f->notes[i], INDENT + LABELW + 2, INDENT + LABELW + 2);
		diag_buf_addc(b, '\n');
	}
	for (i = 0; i < vf->n_docs; i++) {
		spaces(b, INDENT);
		diag_buf_adds(b, i == 0 ? "Docs" : "");
		spaces(b, LABELW - (i == 0 ? 4 : 0));
		diag_buf_adds(b, vf->docs[i]);
		diag_buf_addc(b, '\n');
	}
	if (!t->opts->verbose)
		return;
	for (i = 0; i < f->n_evidence; i++) {
		spaces(b, INDENT);
		diag_buf_adds(b, i == 0 ? "Evidence" : "");
		spaces(b, LABELW - (i == 0 ? 8 : 0));
		evidence(t, f->evidence[i]);
	}
}

/* -v: every input and where it came from; secrets by their traits only. */
static void
inputs(struct text *t)
{
	const struct diag_view_input *in;
	struct diag_buf d;
	size_t i, kw = 0;

	if (t->v->n_inputs == 0)
		return;
	for (i = 0; i < t->v->n_inputs; i++)
		if (strlen(t->v->inputs[i].key) > kw)
			kw = strlen(t->v->inputs[i].key);
	diag_buf_adds(&t->b, "\nInputs\n");
	for (i = 0; i < t->v->n_inputs; i++) {
		in = &t->v->inputs[i];
		d = (struct diag_buf)DIAG_BUF_INIT;
		if (in->shown != NULL)
			diag_buf_addf(&d, in->secret ? "%s" : "'%s'",
			    in->shown);
		if (in->source != NULL)
			diag_buf_addf(&d, "%sfrom %s", d.len > 0 ? " " : "",
			    in->source);
		spaces(&t->b, 2);
		diag_buf_adds(&t->b, in->key);
		spaces(&t->b, kw + 2 - strlen(in->key));
		wrap(&t->b, diag_buf_str(&d), 4 + kw, 4 + kw);
		diag_buf_addc(&t->b, '\n');
		diag_buf_release(&d);
	}
}

/* The status a route's outcome is painted as. */
static const char *
route_status(const char *outcome)
{
	if (strcmp(outcome, "works") == 0)
		return "pass";
	return strcmp(outcome, "refused") == 0 ? "fail" : "skipped";
}

/* One line per route a credential was probed on (the view's routes; the
 * URLs are in the JSON report and, with -v, in the evidence). */
static void
routes(struct text *t)
{
	const struct diag_view_route *rt;
	size_t i, n;

	if (t->v->n_routes == 0)
		return;
	diag_buf_adds(&t->b, "\nRoutes\n");
	for (i = 0; i < t->v->n_routes; i++) {
		rt = &t->v->routes[i];
		spaces(&t->b, 2);
		diag_buf_adds(&t->b, rt->route);
		n = strlen(rt->route);
		spaces(&t->b, 9 - (n < 8 ? n : 8));
		paint(t, status_sgr(route_status(rt->outcome)), rt->outcome);
		n = strlen(rt->outcome);
		spaces(&t->b, 13 - (n < 12 ? n : 12));
		wrap(&t->b, rt->why, 24, 24);
		diag_buf_addc(&t->b, '\n');
	}
}

static void
checks(struct text *t)
{
	const struct diag_report *r = t->r;
	const struct diag_check_result *c;
	struct diag_buf *b = &t->b;
	size_t i, sw = 4, iw = 0, l, col;
	const char *st;
	char *msg;

	if (r->n_checks == 0)
		return;
	if (!t->opts->verbose) {
		/* Mostly "skipped": the counts only, unless asked. */
		diag_buf_addf(b, "\n%s (-v lists them)\n", t->v->checks_line);
		return;
	}
	for (i = 0; i < r->n_checks; i++) {
		l = strlen(diag_status_name(r->checks[i].status));
		if (l > sw)
			sw = l;
		l = r->checks[i].id != NULL ? strlen(r->checks[i].id) : 0;
		if (l > iw)
			iw = l;
	}
	diag_buf_adds(b, "\nChecks\n");
	for (i = 0; i < r->n_checks; i++) {
		c = &r->checks[i];
		st = diag_status_name(c->status);
		spaces(b, 2);
		paint(t, status_sgr(st), st);
		spaces(b, sw + 2 - strlen(st));
		diag_buf_adds(b, c->id != NULL ? c->id : "?");
		col = 2 + sw + 2 + iw + 2;
		if (c->status == DIAG_BLOCKED && c->blocked_by != NULL)
			msg = diag_xasprintf("%s%sblocked by %s",
			    c->message != NULL ? c->message : "",
			    c->message != NULL ? "; " : "", c->blocked_by);
		else if (c->message != NULL && c->message[0] != '\0')
			msg = diag_xstrdup(c->message);
		else
			msg = codes_of(c);
		if (msg != NULL && msg[0] != '\0') {
			spaces(b, iw + 2 - (c->id != NULL ? strlen(c->id) : 1));
			wrap(b, msg, col, col);
		}
		free(msg);
		diag_buf_addc(b, '\n');
	}
}

/* The status a requirement's outcome is painted as. */
static const char *
requirement_status(const char *outcome)
{
	if (strcmp(outcome, "proven") == 0)
		return "pass";
	return strcmp(outcome, "disproven") == 0 ? "fail" : "inconclusive";
}

/* One line per requirement the user stated: outcome, what, and how it
 * was judged. */
static void
requirements(struct text *t)
{
	const struct diag_view_requirement *q;
	struct diag_buf line = DIAG_BUF_INIT;
	size_t i;

	if (t->v->n_requirements == 0)
		return;
	diag_buf_adds(&t->b, "\nRequirements\n");
	for (i = 0; i < t->v->n_requirements; i++) {
		q = &t->v->requirements[i];
		spaces(&t->b, 2);
		paint(t, status_sgr(requirement_status(q->outcome)),
		    q->outcome);
		spaces(&t->b, 11 - strlen(q->outcome));
		diag_buf_release(&line);
		diag_buf_addf(&line, "%s %s: %s", q->kind, q->name, q->how);
		wrap(&t->b, diag_buf_str(&line), 13, 13);
		diag_buf_addc(&t->b, '\n');
	}
	diag_buf_release(&line);
}

/* "raised cloud_id.is_org_id, ..." for a check without a message. */
static char *
codes_of(const struct diag_check_result *c)
{
	struct diag_buf b = DIAG_BUF_INIT;
	size_t i;

	for (i = 0; i < c->n_codes; i++)
		diag_buf_addf(&b, "%s%s", i == 0 ? "raised " : ", ",
		    c->codes[i]);
	return b.len > 0 ? diag_buf_detach(&b) : NULL;
}

/* A command on a line of its own, never wrapped (it is pasted whole). */
static void
command(struct text *t, const char *intro, const char *cmd, const char *env)
{
	char *s;

	s = diag_xasprintf("%s%s:", intro,
	    strchr(cmd, '<') != NULL ? ", filling in each <placeholder>" : "");
	diag_buf_adds(&t->b, "  ");
	wrap(&t->b, s, 2, 2);
	free(s);
	diag_buf_adds(&t->b, "\n    ");
	adds_visible(&t->b, cmd);
	diag_buf_addc(&t->b, '\n');
	if (env == NULL)
		return;
	s = diag_xasprintf("It reads %s from the environment, as this run did.",
	    env);
	diag_buf_adds(&t->b, "  ");
	wrap(&t->b, s, 2, 2);
	diag_buf_addc(&t->b, '\n');
	free(s);
}

/* The one re-check command (a passing lint: the live check). */
static void
recheck(struct text *t)
{
	const struct diag_view_recheck *rc = &t->v->recheck;

	if (rc->command == NULL)
		return;
	if (strcmp(t->v->verdict, "pass") == 0)
		diag_buf_adds(&t->b, "\nNext: check it live\n");
	else
		diag_buf_adds(&t->b, "\nRe-check after the fix\n");
	command(t, rc->intro, rc->command, rc->env);
	if (rc->then != NULL)
		command(t, rc->then_intro, rc->then, rc->then_env);
}

static int
any_evidence(const struct diag_report *r)
{
	size_t i;

	for (i = 0; i < r->n_findings; i++)
		if (r->findings[i] != NULL && r->findings[i]->n_evidence > 0)
			return 1;
	return 0;
}

char *
diag__render_text(const struct diag_report *r,
    const struct diag_render_opts *opts)
{
	static const struct diag_render_opts defaults;
	struct text t;
	size_t i;

	memset(&t, 0, sizeof(t));
	t.opts = opts != NULL ? opts : &defaults;
	t.r = r;
	t.v = diag_report_view_new(r);
	summary(&t);
	if (t.opts->quiet || r->error != NULL)
		goto out;
	for (i = 0; i < t.v->n_findings; i++)
		finding(&t, &t.v->findings[i], i + 1);
	if (t.opts->verbose)
		inputs(&t);
	routes(&t);
	requirements(&t);
	checks(&t);
	recheck(&t);
	if (!t.opts->verbose && any_evidence(r))
		diag_buf_adds(&t.b,
		    "\nRun again with -v to see the HTTP evidence.\n");
out:
	diag_report_view_free((struct diag_report_view *)t.v);
	return diag_esc_line_starts(diag_buf_detach(&t.b));
}
