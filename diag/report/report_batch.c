/* diag/report/report_batch.c: batch's profiles as JUnit, GitHub annotations or Markdown; a report's GitHub step summary. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag/core/escape.h"
#include "diag/core/secret.h"
#include "diag/core/util.h"
#include "diag/report/report_batch.h"
#include "diag/report/report_util.h"
#include "diag/report/view.h"

/* A scrubbed copy of s with its control characters made visible (LF
 * kept when keep_nl), or NULL. */
static char *
clean_copy(const char *s, int keep_nl)
{
	char *v, *c;

	if (s == NULL)
		return NULL;
	v = diag_esc_visible_str(s, keep_nl ? DIAG_ESC_KEEP_NL : 0);
	c = diag_secret_scrub(v, strlen(v), NULL);
	free(v);
	return c;
}

struct diag_batch_row *
diag_batch_row_new(const struct diag_report *r, unsigned line, const char *name,
    const char *site, const char *email, long ms)
{
	struct diag_batch_row *row;
	struct diag_report_view *v;
	const struct diag_view_finding *vf;
	size_t i;

	row = diag_xcalloc(1, sizeof(*row));
	row->line = line;
	row->name = clean_copy(name, 0);
	row->site = clean_copy(site, 0);
	row->email = clean_copy(email, 0);
	row->verdict = diag_xstrdup(diag__verdict_name(r));
	row->exit_code = r->exit_code;
	row->ms = ms;
	if (r->error != NULL) {
		row->detail = clean_copy(r->error, 1);
		return row;
	}
	if (r->n_findings == 0 || r->findings[0] == NULL)
		return row;
	v = diag_report_view_new(r);
	if (v->n_findings == 0) {
		diag_report_view_free(v);
		return row;
	}
	vf = &v->findings[0];
	row->code = clean_copy(vf->f->code, 0);
	row->title = clean_copy(vf->title, 0);
	row->detail = clean_copy(vf->f->detail, 1);
	row->steps = diag_xcalloc(vf->n_steps + 1, sizeof(*row->steps));
	for (i = 0; i < vf->n_steps; i++)
		row->steps[i] = clean_copy(vf->steps[i], 0);
	diag_report_view_free(v);
	return row;
}

void
diag_batch_row_free(struct diag_batch_row *row)
{
	size_t i;

	if (row == NULL)
		return;
	free(row->name);
	free(row->site);
	free(row->email);
	free(row->verdict);
	free(row->code);
	free(row->title);
	free(row->detail);
	for (i = 0; row->steps != NULL && row->steps[i] != NULL; i++)
		free(row->steps[i]);
	free(row->steps);
	free(row);
}

static int
row_passed(const struct diag_batch_row *row, int strict)
{
	return strcmp(row->verdict, "pass") == 0 ||
	    (!strict && strcmp(row->verdict, "warn") == 0);
}

/* "acme.atlassian.net ana@acme.example" (what is given of the two). */
static char *
row_label(const struct diag_batch_row *row)
{
	if (row->site == NULL && row->email == NULL)
		return diag_xasprintf("line %u", row->line);
	return diag_xasprintf("%s%s%s", row->site != NULL ? row->site : "",
	    row->site != NULL && row->email != NULL ? " " : "",
	    row->email != NULL ? row->email : "");
}

/* "code: title", or the row's error. */
static char *
row_message(const struct diag_batch_row *row)
{
	if (row->code != NULL)
		return diag_xasprintf("%s: %s", row->code,
		    row->title != NULL ? row->title : row->code);
	if (row->detail != NULL)
		return diag_xstrdup(row->detail);
	return diag_xstrdup(row->verdict);
}

/* What happened, then "Fix:" and the numbered steps. */
static void
row_account(struct diag_buf *b, const struct diag_batch_row *row)
{
	size_t i;

	if (row->detail != NULL && row->code != NULL)
		diag_buf_addf(b, "%s\n", row->detail);
	for (i = 0; row->steps != NULL && row->steps[i] != NULL; i++)
		diag_buf_addf(b, "%s%zu. %s\n", i == 0 ? "Fix:\n" : "", i + 1,
		    row->steps[i]);
	diag_buf_addf(b, "Batch file line %u%s%s; exit code %d.", row->line,
	    row->name != NULL ? ", profile " : "",
	    row->name != NULL ? row->name : "", row->exit_code);
}

static const char *const verdict_words[] = { "pass", "warn", "fail",
	"inconclusive", "error", "other" };

/* "50 profiles: 47 pass, 1 fail, 2 error" into b. */
static void
counts_line(struct diag_buf *b, const struct diag_batch_totals *t, size_t n)
{
	size_t i, k = 0;

	diag_buf_addf(b, "%zu profile%s", n, n == 1 ? "" : "s");
	for (i = 0; i < DIAG_NELEM(verdict_words); i++) {
		if (t->counts[i] == 0)
			continue;
		diag_buf_addf(b, "%s%zu %s", k++ == 0 ? ": " : ", ",
		    t->counts[i], verdict_words[i]);
	}
}

/* The batch's verdict word, from its exit code. */
static const char *
batch_verdict(const struct diag_batch_totals *t)
{
	switch (t->exit_code) {
	case 0:
		return t->counts[1] > 0 ? "WARN" : "PASS";
	case 1:
		return "FAIL";
	case 3:
		return "INCONCLUSIVE";
	default:
		return "ERROR";
	}
}

static void
xml_attr(struct diag_buf *b, const char *name, const char *v)
{
	diag_buf_addf(b, " %s=\"", name);
	diag__esc_xml(b, v, 1);
	diag_buf_addc(b, '"');
}

/* One <testcase>; counts its outcome into fails/errors. */
static void
junit_case(struct diag_buf *b, const struct diag_batch_row *row, int strict,
    unsigned *fails, unsigned *errors)
{
	struct diag_buf t = DIAG_BUF_INIT;
	char *label, *msg, *cls, secs[32];
	const char *el = NULL;

	label = row_label(row);
	cls = row->name != NULL ?
	    diag_xasprintf("atldiag.batch.%s", row->name) :
	    diag_xasprintf("atldiag.batch.line%u", row->line);
	snprintf(secs, sizeof(secs), "%.3f", row->ms / 1000.0);
	diag_buf_adds(b, "    <testcase");
	xml_attr(b, "name", label);
	xml_attr(b, "classname", cls);
	xml_attr(b, "time", secs);
	if (strcmp(row->verdict, "inconclusive") == 0 ||
	    strcmp(row->verdict, "error") == 0) {
		el = "error";
		(*errors)++;
	} else if (!row_passed(row, strict)) {
		el = "failure";
		(*fails)++;
	}
	row_account(&t, row);
	if (el != NULL) {
		msg = row_message(row);
		diag_buf_addf(b, ">\n      <%s", el);
		xml_attr(b, "message", msg);
		xml_attr(b, "type", row->code != NULL ? row->code : "usage");
		diag_buf_adds(b, ">");
		diag__esc_xml(b, diag_buf_str(&t), 0);
		diag_buf_addf(b, "</%s>\n    </testcase>\n", el);
		free(msg);
	} else if (row->code != NULL) { /* a warning */
		msg = row_message(row);
		diag_buf_adds(b, ">\n      <system-out>");
		diag__esc_xml(b, msg, 0);
		diag_buf_adds(b, "\n");
		diag__esc_xml(b, diag_buf_str(&t), 0);
		diag_buf_adds(b, "</system-out>\n    </testcase>\n");
		free(msg);
	} else
		diag_buf_adds(b, "/>\n");
	diag_buf_release(&t);
	free(cls);
	free(label);
}

static char *
render_junit(struct diag_batch_row *const *rows, size_t n,
    const struct diag_batch_totals *t)
{
	struct diag_buf b = DIAG_BUF_INIT, cases = DIAG_BUF_INIT;
	char when[32], secs[32], *suite;
	unsigned fails = 0, errors = 0;
	size_t i;

	for (i = 0; i < n; i++)
		junit_case(&cases, rows[i], t->strict, &fails, &errors);
	diag__format_time(t->started, when, sizeof(when));
	when[strcspn(when, "Z")] = '\0'; /* Ant's timestamp has no zone */
	snprintf(secs, sizeof(secs), "%.3f", t->ms / 1000.0);
	suite = diag_xasprintf("atldiag batch %s", t->file);
	diag_buf_adds(&b,
	    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<testsuites");
	xml_attr(&b, "name", "atldiag");
	diag_buf_addf(&b,
	    " tests=\"%zu\" failures=\"%u\" errors=\"%u\" skipped=\"0\"", n,
	    fails, errors);
	xml_attr(&b, "time", secs);
	diag_buf_adds(&b, ">\n  <testsuite");
	xml_attr(&b, "name", suite);
	diag_buf_addf(&b,
	    " tests=\"%zu\" failures=\"%u\" errors=\"%u\" skipped=\"0\"", n,
	    fails, errors);
	xml_attr(&b, "time", secs);
	xml_attr(&b, "timestamp", when);
	diag_buf_adds(&b, ">\n");
	diag_buf_add(&b, cases.buf, cases.len);
	diag_buf_adds(&b, "  </testsuite>\n</testsuites>\n");
	diag_buf_release(&cases);
	free(suite);
	return diag_esc_line_starts(diag_buf_detach(&b));
}

static char *
render_github(struct diag_batch_row *const *rows, size_t n,
    const struct diag_batch_totals *t)
{
	struct diag_buf b = DIAG_BUF_INIT, s = DIAG_BUF_INIT;
	const struct diag_batch_row *row;
	char *label, *msg;
	size_t i;

	for (i = 0; i < n; i++) {
		row = rows[i];
		if (strcmp(row->verdict, "pass") == 0)
			continue;
		label = row_label(row);
		msg = row_message(row);
		diag_buf_addf(&s, "line %u %s: %s", row->line, label, msg);
		diag_buf_addf(&b, "::%s title=",
		    strcmp(row->verdict, "fail") == 0 ||
			    strcmp(row->verdict, "error") == 0 ||
			    (t->strict && strcmp(row->verdict, "warn") == 0) ?
			"error" :
			"warning");
		diag__esc_gh_prop(&b, diag_buf_str(&s));
		diag_buf_adds(&b, "::");
		diag_buf_release(&s);
		row_account(&s, row);
		diag__esc_gh_data(&b, diag_buf_str(&s));
		diag_buf_addc(&b, '\n');
		diag_buf_release(&s);
		free(msg);
		free(label);
	}
	diag_buf_addf(&b, "atldiag batch: %s, ", batch_verdict(t));
	counts_line(&b, t, n);
	diag_buf_addf(&b, " (exit code %d)\n", t->exit_code);
	return diag_buf_detach(&b);
}

/* The Markdown table of profiles and the fix of each that did not pass. */
static char *
render_markdown(struct diag_batch_row *const *rows, size_t n,
    const struct diag_batch_totals *t)
{
	struct diag_buf b = DIAG_BUF_INIT;
	const struct diag_batch_row *row;
	char *msg;
	size_t i, k;

	diag_buf_addf(&b, "## atldiag batch: %s\n\n", batch_verdict(t));
	counts_line(&b, t, n);
	diag_buf_addf(&b, " · exit code %d · `", t->exit_code);
	diag__esc_md_text(&b, t->file);
	diag_buf_adds(&b,
	    "`\n\n| Line | Profile | Site | Email | Verdict | Primary finding "
	    "|\n|---:|---|---|---|---|---|\n");
	for (i = 0; i < n; i++) {
		row = rows[i];
		msg = row_message(row);
		diag_buf_addf(&b, "| %u | ", row->line);
		diag__esc_md_cell(&b, row->name != NULL ? row->name : "");
		diag_buf_adds(&b, " | ");
		diag__esc_md_cell(&b, row->site != NULL ? row->site : "");
		diag_buf_adds(&b, " | ");
		diag__esc_md_cell(&b, row->email != NULL ? row->email : "");
		diag_buf_addf(&b, " | %s | ", row->verdict);
		diag__esc_md_cell(&b,
		    strcmp(row->verdict, "pass") == 0 ? "" : msg);
		diag_buf_adds(&b, " |\n");
		free(msg);
	}
	for (i = 0; i < n; i++) {
		row = rows[i];
		if (strcmp(row->verdict, "pass") == 0 ||
		    (row->steps == NULL && row->code == NULL))
			continue;
		diag_buf_addf(&b, "\n### Line %u: ", row->line);
		msg = row_message(row);
		diag__esc_md_text(&b, msg);
		free(msg);
		diag_buf_adds(&b, "\n\n");
		if (row->detail != NULL) {
			diag__esc_md_text(&b, row->detail);
			diag_buf_adds(&b, "\n\n");
		}
		for (k = 0; row->steps != NULL && row->steps[k] != NULL; k++) {
			diag_buf_addf(&b, "%zu. ", k + 1);
			diag__esc_md_rich(&b, row->steps[k], 0);
			diag_buf_addc(&b, '\n');
		}
	}
	return diag_esc_line_starts(diag_buf_detach(&b));
}

char *
diag_batch_render(struct diag_batch_row *const *rows, size_t n,
    const struct diag_batch_totals *t, enum diag_format format)
{
	switch (format) {
	case DIAG_FORMAT_JUNIT:
		return render_junit(rows, n, t);
	case DIAG_FORMAT_GITHUB:
		return render_github(rows, n, t);
	case DIAG_FORMAT_MARKDOWN:
	default:
		return render_markdown(rows, n, t);
	}
}

/* s in capitals ("fail" -> "FAIL"). */
static void
upper(struct diag_buf *b, const char *s)
{
	for (; *s != '\0'; s++)
		diag_buf_addc(b, *s >= 'a' && *s <= 'z' ? (char)(*s - 32) : *s);
}

/* The findings table of a step summary. */
static void
summary_table(struct diag_buf *b, const struct diag_report_view *v)
{
	const struct diag_finding *f;
	size_t i;

	diag_buf_adds(b,
	    "| # | Status | Finding | Title | Who must act |\n"
	    "|---:|---|---|---|---|\n");
	for (i = 0; i < v->n_findings; i++) {
		f = v->findings[i].f;
		diag_buf_addf(b, "| %zu | ", i + 1);
		upper(b, diag_status_name(f->status));
		diag_buf_adds(b, " | ");
		diag__esc_md_code(b, f->code);
		diag_buf_adds(b, " | ");
		diag__esc_md_cell(b, v->findings[i].title);
		diag_buf_adds(b, " | ");
		diag__esc_md_cell(b, diag__owner_words(diag__finding_owner(f)));
		diag_buf_adds(b, " |\n");
	}
}

char *
diag_report_step_summary(const struct diag_report *r,
    const struct diag_render_opts *opts)
{
	struct diag_buf b = DIAG_BUF_INIT;
	struct diag_report_view *v;
	const struct diag_view_finding *vf;
	size_t i, k;

	(void)opts;
	diag_buf_adds(&b, "## atldiag ");
	diag__esc_md_text(&b, r->command != NULL ? r->command : "");
	diag_buf_adds(&b, ": ");
	upper(&b, diag__verdict_name(r));
	diag_buf_adds(&b, "\n\n");
	if (r->error != NULL) {
		diag__esc_md_text(&b, r->error);
		diag_buf_addf(&b, "\n\nExit code %d.\n\n", r->exit_code);
		return diag_esc_line_starts(diag_buf_detach(&b));
	}
	diag_buf_addf(&b,
	    "%zu finding%s · %zu checks · %u HTTP exchanges · exit code %d\n\n",
	    r->n_findings, r->n_findings == 1 ? "" : "s", r->n_checks,
	    r->exchanges, r->exit_code);
	v = diag_report_view_new(r);
	if (r->n_findings == 0) {
		diag_buf_adds(&b, "No problems found.\n");
		goto sections;
	}
	summary_table(&b, v);
	diag_buf_adds(&b, "\n### Fixes\n");
	for (i = 0; i < v->n_findings; i++) {
		vf = &v->findings[i];
		if (vf->n_steps > 0) {
			diag_buf_addf(&b, "\n**%zu.** ", i + 1);
			diag__esc_md_code(&b, vf->f->code);
			diag_buf_adds(&b, "\n\n");
		}
		for (k = 0; k < vf->n_steps; k++) {
			diag_buf_addf(&b, "%zu. ", k + 1);
			diag__esc_md_rich(&b, vf->steps[k], 0);
			diag_buf_addc(&b, '\n');
		}
	}
sections:
	diag__md_requirements(&b, v);
	diag__md_routes(&b, v);
	diag_report_view_free(v);
	diag_buf_addc(&b, '\n');
	return diag_esc_line_starts(diag_buf_detach(&b));
}
