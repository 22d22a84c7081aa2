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

/* What one test case becomes. */
enum outcome {
	OUT_PASS = 0,
	OUT_FAILURE,
	OUT_ERROR,
	OUT_SKIPPED,
	OUT_NOTE,		/* a warning outside --strict: system-out */
};

struct junit {
	struct diag_buf			 b;
	const struct diag_report	*r;
	const struct diag_render_opts	*opts;
	unsigned			 tests, failures, errors, skipped;
	long				 ms;
};

static enum outcome	 outcome_of(const struct junit *, enum diag_status);
static void		 finding_text(struct junit *, struct diag_buf *,
			    const struct diag_finding *);
static void		 attr(struct diag_buf *, const char *, const char *);
static void		 testcase(struct junit *, struct diag_buf *,
			    const char *, const char *, long, enum diag_status,
			    const char *, const char *, const char *);
static void		 properties(struct junit *, struct diag_buf *);
static int		 check_exists(const struct diag_report *, const char *);

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
finding_text(struct junit *j, struct diag_buf *t, const struct diag_finding *f)
{
	const struct diag_exchange *ex;
	char **steps, *s, num[32];
	size_t i, n;

	s = diag__fill_placeholders(diag__finding_title(f), j->r->inputs);
	addv(t, f->code, NULL, ": ");
	addv(t, "", s, "");
	diag_buf_addf(t, " (%s, %s)\n", diag_status_name(f->status),
	    diag_confidence_name(f->confidence));
	free(s);
	if (f->detail != NULL && f->detail[0] != '\0')
		addv(t, "What happened: ", f->detail, "\n");
	s = diag__fill_placeholders(f->dx != NULL ? f->dx->explanation : NULL,
	    j->r->inputs);
	if (s != NULL && s[0] != '\0')
		addv(t, "Why: ", s, "\n");
	free(s);
	steps = diag__finding_remediation(f, j->r->inputs, &n);
	if (n > 0)
		diag_buf_adds(t, "Fix:\n");
	for (i = 0; i < n; i++) {
		snprintf(num, sizeof(num), "  %zu. ", i + 1);
		addv(t, num, steps[i], "\n");
	}
	diag__strv_free(steps);
	addv(t, "Who must act: ", diag__owner_words(diag__finding_owner(f)),
	    "\n");
	for (i = 0; i < f->n_notes; i++)
		addv(t, "Note: ", f->notes[i], "\n");
	for (i = 0; f->dx != NULL && i < f->dx->n_docs; i++)
		addv(t, "Docs: ", f->dx->docs[i], "\n");
	for (i = 0; i < f->n_evidence; i++) {
		ex = f->evidence[i];
		addv(t, "Evidence: ", ex->method != NULL ? ex->method : "?",
		    " ");
		addv(t, "", ex->url != NULL ? ex->url : "?", " -> ");
		if (ex->status != 0)
			diag_buf_addf(t, "%ld", ex->status);
		else
			addv(t, "no answer (", ex->error != NULL ? ex->error :
			    "unknown error", ")");
		if (ex->trace_id != NULL)
			addv(t, ", ATL-TraceId ", ex->trace_id, "");
		diag_buf_addc(t, '\n');
	}
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

/* Run facts as <properties>; secrets are described, never shown. */
static void
properties(struct junit *j, struct diag_buf *b)
{
	struct json_object *in = j->r->inputs, *v, *m;
	struct json_object_iterator it, end;
	struct diag_buf d;
	const char *key;
	char *name, num[16];

	diag_buf_adds(b, "    <properties>\n");
	diag_buf_adds(b, "      <property name=\"verdict\"");
	attr(b, "value", diag__verdict_name(j->r));
	diag_buf_adds(b, "/>\n");
	snprintf(num, sizeof(num), "%d", j->r->exit_code);
	diag_buf_adds(b, "      <property name=\"exit_code\"");
	attr(b, "value", num);
	diag_buf_adds(b, "/>\n");
	if (j->r->n_findings > 0 && j->r->findings[0] != NULL) {
		diag_buf_adds(b, "      <property name=\"primary\"");
		attr(b, "value", j->r->findings[0]->code);
		diag_buf_adds(b, "/>\n");
	}
	if (in == NULL || !json_object_is_type(in, json_type_object))
		goto out;
	it = json_object_iter_begin(in);
	end = json_object_iter_end(in);
	for (; !json_object_iter_equal(&it, &end); json_object_iter_next(&it)) {
		key = json_object_iter_peek_name(&it);
		v = json_object_iter_peek_value(&it);
		if (!json_object_is_type(v, json_type_object))
			continue;
		d = (struct diag_buf)DIAG_BUF_INIT;
		if (strcmp(key, "token") != 0 && strcmp(key, "org_key") != 0 &&
		    strcmp(key, "auth_header") != 0 &&
		    json_object_object_get_ex(v, "value", &m) && m != NULL)
			diag_buf_adds(&d, json_object_get_string(m));
		else {
			if (json_object_object_get_ex(v, "kind", &m) && m != NULL)
				diag_buf_addf(&d, "%s", json_object_get_string(m));
			if (json_object_object_get_ex(v, "length", &m) &&
			    m != NULL)
				diag_buf_addf(&d, "%s%s characters",
				    d.len > 0 ? ", " : "",
				    json_object_get_string(m));
			if (json_object_object_get_ex(v, "checksum", &m) &&
			    m != NULL)
				diag_buf_addf(&d, "%schecksum %s",
				    d.len > 0 ? ", " : "",
				    json_object_get_string(m));
			if (json_object_object_get_ex(v, "fingerprint", &m) &&
			    m != NULL)
				diag_buf_addf(&d, "%s%s", d.len > 0 ? ", " : "",
				    json_object_get_string(m));
		}
		if (json_object_object_get_ex(v, "source", &m) && m != NULL)
			diag_buf_addf(&d, " (%s)", json_object_get_string(m));
		name = diag_xasprintf("input.%s", key);
		diag_buf_adds(b, "      <property");
		attr(b, "name", name);
		attr(b, "value", diag_buf_str(&d));
		diag_buf_adds(b, "/>\n");
		free(name);
		diag_buf_release(&d);
	}
out:
	diag_buf_adds(b, "    </properties>\n");
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

char *
diag__render_junit(const struct diag_report *r,
    const struct diag_render_opts *opts)
{
	static const struct diag_render_opts defaults;
	const struct diag_check_result *c;
	const struct diag_finding *f, *first;
	struct junit j;
	struct diag_buf cases = DIAG_BUF_INIT, text, msg;
	char when[32], secs[32], layer[64], *suite, *cls, *title, *err;
	size_t i, k, l;

	memset(&j, 0, sizeof(j));
	j.r = r;
	j.opts = opts != NULL ? opts : &defaults;
	properties(&j, &cases);

	if (r->error != NULL) {
		err = diag_esc_visible_str(r->error, 0);
		testcase(&j, &cases, "atldiag", "atldiag", 0,
		    DIAG_INCONCLUSIVE, err, "error", err);
		free(err);
	}
	for (i = 0; r->error == NULL && i < r->n_checks; i++) {
		c = &r->checks[i];
		text = (struct diag_buf)DIAG_BUF_INIT;
		msg = (struct diag_buf)DIAG_BUF_INIT;
		first = NULL;
		for (k = 0; k < r->n_findings; k++) {
			f = r->findings[k];
			if (f == NULL || f->check_id == NULL || c->id == NULL ||
			    strcmp(f->check_id, c->id) != 0)
				continue;
			if (first == NULL)
				first = f;
			else
				diag_buf_addc(&text, '\n');
			finding_text(&j, &text, f);
		}
		if (first != NULL) {
			title = diag__fill_placeholders(
			    diag__finding_title(first), r->inputs);
			diag_buf_addf(&msg, "%s: %s", first->code, title);
			free(title);
		} else if (c->status == DIAG_BLOCKED && c->blocked_by != NULL)
			diag_buf_addf(&msg, "blocked by %s", c->blocked_by);
		else if (c->message != NULL)
			diag_buf_adds(&msg, c->message);
		if (c->message != NULL && c->message[0] != '\0') {
			if (text.len > 0)
				diag_buf_addc(&text, '\n');
			addv(&text, "", c->message, "\n");
		}
		l = c->id != NULL ? strcspn(c->id, ".") : 0;
		cls = diag_xasprintf("atldiag.%.*s", (int)l,
		    c->id != NULL ? c->id : "");
		testcase(&j, &cases, cls, c->id != NULL ? c->id : "?",
		    c->duration_ms, c->status, msg.len > 0 ?
		    diag_buf_str(&msg) : NULL, first != NULL ? first->code :
		    NULL, diag_buf_str(&text));
		free(cls);
		diag_buf_release(&text);
		diag_buf_release(&msg);
	}
	/* Findings of no listed check (the classifier's, a transcript's). */
	for (k = 0; r->error == NULL && k < r->n_findings; k++) {
		f = r->findings[k];
		if (f == NULL || check_exists(r, f->check_id))
			continue;
		text = (struct diag_buf)DIAG_BUF_INIT;
		msg = (struct diag_buf)DIAG_BUF_INIT;
		finding_text(&j, &text, f);
		title = diag__fill_placeholders(diag__finding_title(f),
		    r->inputs);
		diag_buf_addf(&msg, "%s: %s", f->code, title);
		free(title);
		cls = diag_xasprintf("atldiag.%s",
		    diag__finding_layer(f, layer, sizeof(layer)));
		testcase(&j, &cases, cls, f->code, 0, f->status,
		    diag_buf_str(&msg), f->code, diag_buf_str(&text));
		free(cls);
		diag_buf_release(&text);
		diag_buf_release(&msg);
	}

	text = (struct diag_buf)DIAG_BUF_INIT;
	diag__format_time(r->generated_at, when, sizeof(when));
	when[strcspn(when, "Z")] = '\0';	/* Ant's timestamp has no zone */
	snprintf(secs, sizeof(secs), "%.3f", j.ms / 1000.0);
	suite = diag_xasprintf("atldiag %s", r->command != NULL ?
	    r->command : "");
	diag_buf_adds(&text, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	diag_buf_adds(&text, "<testsuites");
	attr(&text, "name", "atldiag");
	diag_buf_addf(&text, " tests=\"%u\" failures=\"%u\" errors=\"%u\" "
	    "skipped=\"%u\"", j.tests, j.failures, j.errors, j.skipped);
	attr(&text, "time", secs);
	diag_buf_adds(&text, ">\n  <testsuite");
	attr(&text, "name", suite);
	diag_buf_addf(&text, " tests=\"%u\" failures=\"%u\" errors=\"%u\" "
	    "skipped=\"%u\"", j.tests, j.failures, j.errors, j.skipped);
	attr(&text, "time", secs);
	attr(&text, "timestamp", when);
	diag_buf_adds(&text, ">\n");
	diag_buf_add(&text, cases.buf, cases.len);
	diag_buf_adds(&text, "  </testsuite>\n</testsuites>\n");
	free(suite);
	diag_buf_release(&cases);
	return diag_esc_line_starts(diag_buf_detach(&text));
}
