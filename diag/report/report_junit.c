/* diag/report/report_junit.c: the report as JUnit XML, one test case per check, for CI pages. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "diag/core/model.h"
#include "diag/report/report.h"
#include "diag/core/escape.h"
#include "diag/report/report_util.h"
#include "diag/core/util.h"
#include "diag/report/view.h"

/* What one test case becomes. */
enum outcome {
	OUT_PASS = 0,
	OUT_FAILURE,
	OUT_ERROR,
	OUT_SKIPPED,
	OUT_NOTE, /* a warning outside --strict: system-out */
};

struct junit {
	struct diag_buf b;
	const struct diag_report *r;
	const struct diag_report_view *v;
	const struct diag_render_opts *opts;
	unsigned tests, failures, errors, skipped;
	long ms;
};

static enum outcome outcome_of(const struct junit *, enum diag_status);
static void finding_text(struct junit *, struct diag_buf *,
    const struct diag_view_finding *);
static const struct diag_view_finding *view_of(const struct junit *,
    const struct diag_finding *);
static void attr(struct diag_buf *, const char *, const char *);
static void testcase(struct junit *, struct diag_buf *, const char *,
    const char *, long, enum diag_status, const char *, const char *,
    const char *);
static void properties(struct junit *, struct diag_buf *);
static int check_exists(const struct diag_report *, const char *);

static enum outcome
outcome_of(const struct junit *j, enum diag_status st)
{
	switch (st) {
	case DIAG_FAIL:
		return OUT_FAILURE;
	case DIAG_WARN:
		return j->opts->strict ? OUT_FAILURE : OUT_NOTE;
	case DIAG_INCONCLUSIVE:
		return OUT_ERROR;
	case DIAG_BLOCKED:
	case DIAG_SKIPPED:
		return OUT_SKIPPED;
	case DIAG_PASS:
	default:
		return OUT_PASS;
	}
}

/* pre, then s with its control characters visible, then post. */
static void
addv(struct diag_buf *t, const char *pre, const char *s, const char *post)
{
	diag_buf_adds(t, pre);
	if (s != NULL)
		diag_esc_visible(t, s, strlen(s), 0);
	diag_buf_adds(t, post);
}

/*
 * The plain-text account of a finding (XML-escaped by the caller); only
 * its own layout starts lines, never a server's or a file's text.
 */
static void
finding_text(struct junit *j, struct diag_buf *t,
    const struct diag_view_finding *vf)
{
	const struct diag_finding *f = vf->f;
	const struct diag_exchange *ex;
	char num[32];
	size_t i;

	(void)j;
	addv(t, f->code, NULL, ": ");
	addv(t, "", vf->title, "");
	diag_buf_addf(t, " (%s, %s)\n", vf->status,
	    diag_confidence_name(f->confidence));
	if (f->detail != NULL && f->detail[0] != '\0')
		addv(t, "What happened: ", f->detail, "\n");
	if (vf->explanation[0] != '\0')
		addv(t, "Why: ", vf->explanation, "\n");
	if (vf->n_steps > 0)
		diag_buf_adds(t, "Fix:\n");
	for (i = 0; i < vf->n_steps; i++) {
		snprintf(num, sizeof(num), "  %zu. ", i + 1);
		addv(t, num, vf->steps[i], "\n");
	}
	addv(t, "Who must act: ", diag__owner_words(diag__finding_owner(f)),
	    "\n");
	for (i = 0; i < f->n_notes; i++)
		addv(t, "Note: ", f->notes[i], "\n");
	for (i = 0; i < vf->n_docs; i++)
		addv(t, "Docs: ", vf->docs[i], "\n");
	for (i = 0; i < f->n_evidence; i++) {
		ex = f->evidence[i];
		addv(t, "Evidence: ", ex->method != NULL ? ex->method : "?",
		    " ");
		addv(t, "", ex->url != NULL ? ex->url : "?", " -> ");
		if (ex->status != 0)
			diag_buf_addf(t, "%ld", ex->status);
		else
			addv(t, "no answer (",
			    ex->error != NULL ? ex->error : "unknown error",
			    ")");
		if (ex->trace_id != NULL)
			addv(t, ", ATL-TraceId ", ex->trace_id, "");
		diag_buf_addc(t, '\n');
	}
}

/* The view of finding f. */
static const struct diag_view_finding *
view_of(const struct junit *j, const struct diag_finding *f)
{
	size_t i;

	for (i = 0; i < j->v->n_findings; i++)
		if (j->v->findings[i].f == f)
			return &j->v->findings[i];
	return NULL;
}

static void
attr(struct diag_buf *b, const char *name, const char *value)
{
	char *vis = diag_esc_visible_str(value, 0);

	diag_buf_addf(b, " %s=\"", name);
	diag__esc_xml(b, vis, 1);
	diag_buf_addc(b, '"');
	free(vis);
}

/*
 * One <testcase>. Its outcome comes from st; message, type and text
 * describe it (any may be NULL).
 */
static void
testcase(struct junit *j, struct diag_buf *b, const char *classname,
    const char *name, long ms, enum diag_status st, const char *message,
    const char *type, const char *text)
{
	static const char *const elem[] = {
		[OUT_FAILURE] = "failure",
		[OUT_ERROR] = "error",
		[OUT_SKIPPED] = "skipped",
	};
	enum outcome o = outcome_of(j, st);
	char secs[32];

	j->tests++;
	if (ms > 0)
		j->ms += ms;
	snprintf(secs, sizeof(secs), "%.3f", ms > 0 ? ms / 1000.0 : 0.0);
	diag_buf_adds(b, "    <testcase");
	attr(b, "classname", classname);
	attr(b, "name", name);
	attr(b, "time", secs);
	if (o == OUT_PASS && (text == NULL || text[0] == '\0')) {
		diag_buf_adds(b, "/>\n");
		return;
	}
	diag_buf_adds(b, ">\n");
	if (o == OUT_FAILURE || o == OUT_ERROR || o == OUT_SKIPPED) {
		if (o == OUT_FAILURE)
			j->failures++;
		else if (o == OUT_ERROR)
			j->errors++;
		else
			j->skipped++;
		diag_buf_addf(b, "      <%s", elem[o]);
		if (message != NULL)
			attr(b, "message", message);
		if (type != NULL && o != OUT_SKIPPED)
			attr(b, "type", type);
		if (text != NULL && text[0] != '\0' && o != OUT_SKIPPED) {
			diag_buf_addc(b, '>');
			diag__esc_xml(b, text, 0);
			diag_buf_addf(b, "</%s>\n", elem[o]);
		} else
			diag_buf_adds(b, "/>\n");
	} else if (text != NULL && text[0] != '\0') {
		diag_buf_adds(b, "      <system-out>");
		diag__esc_xml(b, text, 0);
		diag_buf_adds(b, "</system-out>\n");
	}
	diag_buf_adds(b, "    </testcase>\n");
}

/* One <property name=... value=.../>. */
static void
property(struct diag_buf *b, const char *name, const char *value)
{
	diag_buf_adds(b, "      <property");
	attr(b, "name", name);
	attr(b, "value", value);
	diag_buf_adds(b, "/>\n");
}

/* A route the credential was probed on as <property name="route.site"
 * value="works: answered 200 ..."/>. */
static void
route_property(struct diag_buf *b, const struct diag_view_route *rt)
{
	char *name, *value;

	name = diag_xasprintf("route.%s", rt->route);
	value = diag_xasprintf("%s: %s", rt->outcome, rt->why);
	property(b, name, value);
	free(name);
	free(value);
}

/* Run facts as <properties>; secrets are described, never shown. */
static void
properties(struct junit *j, struct diag_buf *b)
{
	const struct diag_view_input *in;
	struct diag_buf d;
	char *name, num[16];
	size_t i;

	diag_buf_adds(b, "    <properties>\n");
	property(b, "verdict", j->v->verdict);
	snprintf(num, sizeof(num), "%d", j->r->exit_code);
	property(b, "exit_code", num);
	if (j->v->primary != NULL)
		property(b, "primary", j->v->primary);
	for (i = 0; i < j->v->n_inputs; i++) {
		in = &j->v->inputs[i];
		d = (struct diag_buf)DIAG_BUF_INIT;
		if (in->shown != NULL)
			diag_buf_adds(&d, in->shown);
		if (in->source != NULL)
			diag_buf_addf(&d, " (%s)", in->source);
		name = diag_xasprintf("input.%s", in->key);
		property(b, name, diag_buf_str(&d));
		free(name);
		diag_buf_release(&d);
	}
	for (i = 0; i < j->v->n_routes; i++)
		route_property(b, &j->v->routes[i]);
	if (j->v->recheck.command != NULL)
		property(b, "recheck", j->v->recheck.command);
	diag_buf_adds(b, "    </properties>\n");
}

/* One requirement the user stated as a <testcase>: proven passes,
 * disproven fails, unproven is an error (never a pass). */
static void
requirement_case(struct junit *j, struct diag_buf *cases,
    const struct diag_view_requirement *q)
{
	enum diag_status st = DIAG_PASS;
	char *name, *msg = NULL, *type = NULL;

	if (strcmp(q->outcome, "disproven") == 0)
		st = DIAG_FAIL;
	else if (strcmp(q->outcome, "unproven") == 0)
		st = DIAG_INCONCLUSIVE;
	name = diag_xasprintf("%s %s", q->kind, q->name);
	if (st != DIAG_PASS) {
		msg = diag_xasprintf("%s: %s", q->outcome, q->how);
		type = diag_xasprintf("requirement.%s", q->outcome);
	}
	testcase(j, cases, "atldiag.requirement", name, 0, st, msg, type,
	    q->how);
	free(name);
	free(msg);
	free(type);
}

static int
check_exists(const struct diag_report *r, const char *id)
{
	size_t i;

	for (i = 0; id != NULL && i < r->n_checks; i++)
		if (r->checks[i].id != NULL && strcmp(r->checks[i].id, id) == 0)
			return 1;
	return 0;
}

/* The <testcase> of check c: its findings' text, the first one's code. */
static void
check_case(struct junit *j, struct diag_buf *cases,
    const struct diag_check_result *c)
{
	const struct diag_report *r = j->r;
	const struct diag_finding *f, *first = NULL;
	const struct diag_view_finding *vf;
	struct diag_buf text = DIAG_BUF_INIT, msg = DIAG_BUF_INIT;
	char *cls;
	size_t k, l;

	for (k = 0; k < r->n_findings; k++) {
		f = r->findings[k];
		if (f == NULL || f->check_id == NULL || c->id == NULL ||
		    strcmp(f->check_id, c->id) != 0)
			continue;
		if ((vf = view_of(j, f)) == NULL)
			continue;
		if (first == NULL) {
			first = f;
			diag_buf_addf(&msg, "%s: %s", f->code, vf->title);
		} else
			diag_buf_addc(&text, '\n');
		finding_text(j, &text, vf);
	}
	if (first == NULL && c->status == DIAG_BLOCKED && c->blocked_by != NULL)
		diag_buf_addf(&msg, "blocked by %s", c->blocked_by);
	else if (first == NULL && c->message != NULL)
		diag_buf_adds(&msg, c->message);
	if (c->message != NULL && c->message[0] != '\0') {
		if (text.len > 0)
			diag_buf_addc(&text, '\n');
		addv(&text, "", c->message, "\n");
	}
	l = c->id != NULL ? strcspn(c->id, ".") : 0;
	cls =
	    diag_xasprintf("atldiag.%.*s", (int)l, c->id != NULL ? c->id : "");
	testcase(j, cases, cls, c->id != NULL ? c->id : "?", c->duration_ms,
	    c->status, msg.len > 0 ? diag_buf_str(&msg) : NULL,
	    first != NULL ? first->code : NULL, diag_buf_str(&text));
	free(cls);
	diag_buf_release(&text);
	diag_buf_release(&msg);
}

/*
 * One <testcase> per finding of no listed check (the classifier's, a
 * transcript's).
 */
static void
orphan_cases(struct junit *j, struct diag_buf *cases)
{
	const struct diag_report *r = j->r;
	const struct diag_finding *f;
	const struct diag_view_finding *vf;
	struct diag_buf text, msg;
	char layer[64], *cls;
	size_t k;

	for (k = 0; k < r->n_findings; k++) {
		f = r->findings[k];
		if (f == NULL || check_exists(r, f->check_id) ||
		    (vf = view_of(j, f)) == NULL)
			continue;
		text = (struct diag_buf)DIAG_BUF_INIT;
		msg = (struct diag_buf)DIAG_BUF_INIT;
		finding_text(j, &text, vf);
		diag_buf_addf(&msg, "%s: %s", f->code, vf->title);
		cls = diag_xasprintf("atldiag.%s",
		    diag__finding_layer(f, layer, sizeof(layer)));
		testcase(j, cases, cls, f->code, 0, f->status,
		    diag_buf_str(&msg), f->code, diag_buf_str(&text));
		free(cls);
		diag_buf_release(&text);
		diag_buf_release(&msg);
	}
}

/* The document: <testsuites> and its one <testsuite> around the cases. */
static void
suite_xml(const struct junit *j, struct diag_buf *text,
    const struct diag_buf *cases)
{
	const struct diag_report *r = j->r;
	char when[32], secs[32], *suite;

	diag__format_time(r->generated_at, when, sizeof(when));
	when[strcspn(when, "Z")] = '\0'; /* Ant's timestamp has no zone */
	snprintf(secs, sizeof(secs), "%.3f", j->ms / 1000.0);
	suite =
	    diag_xasprintf("atldiag %s", r->command != NULL ? r->command : "");
	diag_buf_adds(text, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	diag_buf_adds(text, "<testsuites");
	attr(text, "name", "atldiag");
	diag_buf_addf(text,
	    " tests=\"%u\" failures=\"%u\" errors=\"%u\" skipped=\"%u\"",
	    j->tests, j->failures, j->errors, j->skipped);
	attr(text, "time", secs);
	diag_buf_adds(text, ">\n  <testsuite");
	attr(text, "name", suite);
	diag_buf_addf(text,
	    " tests=\"%u\" failures=\"%u\" errors=\"%u\" skipped=\"%u\"",
	    j->tests, j->failures, j->errors, j->skipped);
	attr(text, "time", secs);
	attr(text, "timestamp", when);
	diag_buf_adds(text, ">\n");
	diag_buf_add(text, cases->buf, cases->len);
	diag_buf_adds(text, "  </testsuite>\n</testsuites>\n");
	free(suite);
}

char *
diag__render_junit(const struct diag_report *r,
    const struct diag_render_opts *opts)
{
	static const struct diag_render_opts defaults;
	struct junit j;
	struct diag_buf cases = DIAG_BUF_INIT, text = DIAG_BUF_INIT;
	char *err;
	size_t i;

	memset(&j, 0, sizeof(j));
	j.r = r;
	j.v = diag_report_view_new(r);
	j.opts = opts != NULL ? opts : &defaults;
	properties(&j, &cases);

	if (r->error != NULL) {
		err = diag_esc_visible_str(r->error, 0);
		testcase(&j, &cases, "atldiag", "atldiag", 0, DIAG_INCONCLUSIVE,
		    err, "error", err);
		free(err);
	} else {
		for (i = 0; i < r->n_checks; i++)
			check_case(&j, &cases, &r->checks[i]);
		orphan_cases(&j, &cases);
		for (i = 0; i < j.v->n_requirements; i++)
			requirement_case(&j, &cases, &j.v->requirements[i]);
	}
	suite_xml(&j, &text, &cases);
	diag_buf_release(&cases);
	diag_report_view_free((struct diag_report_view *)j.v);
	return diag_esc_line_starts(diag_buf_detach(&text));
}
