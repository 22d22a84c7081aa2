/* diag/report/report_github.c: the report as GitHub Actions workflow commands (annotations). */

#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "diag/core/model.h"
#include "diag/report/report.h"
#include "diag/report/report_util.h"
#include "diag/core/util.h"
#include "diag/report/view.h"

static const char *level(enum diag_status, int);
static void annotation(struct diag_buf *, const struct diag_view_finding *,
    int);

/* The workflow command for a finding's status. */
static const char *
level(enum diag_status st, int strict)
{
	switch (st) {
	case DIAG_FAIL:
	case DIAG_BLOCKED:
		return "error";
	case DIAG_WARN:
		return strict ? "error" : "warning";
	case DIAG_INCONCLUSIVE:
	default:
		/* Exit code 3 stops a pipeline: never a mere notice. */
		return "warning";
	}
}

/*
 * "::error title=<code>: <title>::<detail>\nFix:\n1. ..." with the
 * message lines joined by %0A, so one finding is one line of output and
 * no text from the run can start a workflow command of its own.
 */
static void
annotation(struct diag_buf *b, const struct diag_view_finding *vf, int strict)
{
	const struct diag_finding *f = vf->f;
	const struct diag_exchange *ex;
	struct diag_buf t = DIAG_BUF_INIT;
	size_t i;

	diag_buf_addf(&t, "%s: %s", f->code, vf->title);
	diag_buf_addf(b, "::%s title=", level(f->status, strict));
	diag__esc_gh_prop(b, diag_buf_str(&t));
	diag_buf_adds(b, "::");
	diag_buf_release(&t);

	if (f->detail != NULL && f->detail[0] != '\0')
		diag_buf_addf(&t, "%s\n", f->detail);
	if (vf->explanation[0] != '\0')
		diag_buf_addf(&t, "Why: %s\n", vf->explanation);
	if (vf->n_steps > 0)
		diag_buf_adds(&t, "Fix:\n");
	for (i = 0; i < vf->n_steps; i++)
		diag_buf_addf(&t, "%zu. %s\n", i + 1, vf->steps[i]);
	diag_buf_addf(&t, "Who must act: %s. Confidence: %s.",
	    diag__owner_words(diag__finding_owner(f)),
	    diag_confidence_name(f->confidence));
	for (i = 0; i < f->n_evidence; i++) {
		ex = f->evidence[i];
		if (ex->trace_id != NULL)
			diag_buf_addf(&t, "\nATL-TraceId %s (%s %s -> %ld)",
			    ex->trace_id, ex->method != NULL ? ex->method : "?",
			    ex->url != NULL ? ex->url : "?", ex->status);
	}
	for (i = 0; i < vf->n_docs; i++)
		diag_buf_addf(&t, "\nDocs: %s", vf->docs[i]);
	diag__esc_gh_data(b, diag_buf_str(&t));
	diag_buf_addc(b, '\n');
	diag_buf_release(&t);
}

char *
diag__render_github(const struct diag_report *r,
    const struct diag_render_opts *opts)
{
	struct diag_report_view *v = diag_report_view_new(r);
	struct diag_buf b = DIAG_BUF_INIT;
	int strict = opts != NULL && opts->strict;
	size_t i;

	if (r->error != NULL) {
		diag_buf_adds(&b, "::error title=atldiag error::");
		diag__esc_gh_data(&b, r->error);
		diag_buf_addc(&b, '\n');
	}
	for (i = 0; r->error == NULL && i < v->n_findings; i++)
		annotation(&b, &v->findings[i], strict);
	if (v->recheck.command != NULL && strcmp(v->verdict, "pass") != 0) {
		diag_buf_adds(&b, "::notice title=");
		diag__esc_gh_prop(&b, "atldiag: re-check after the fix");
		diag_buf_adds(&b, "::");
		diag__esc_gh_data(&b, v->recheck.command);
		diag_buf_addc(&b, '\n');
	}

	/* The plain summary line (never starting with "::"). */
	diag_buf_adds(&b, "atldiag ");
	diag__esc_gh_data(&b, r->command != NULL ? r->command : "");
	diag_buf_addf(&b, ": %s", v->verdict_upper);
	if (r->error != NULL)
		diag_buf_addf(&b, " (exit code %d)\n", r->exit_code);
	else if (v->n_findings == 0)
		diag_buf_addf(&b,
		    ", no problems found (%zu checks, %u exchanges, exit code "
		    "%d)\n",
		    r->n_checks, r->exchanges, r->exit_code);
	else
		diag_buf_addf(&b,
		    ", primary %s (%zu failed, %zu warning%s, %zu "
		    "inconclusive; %zu checks, %u exchanges, exit code %d)\n",
		    v->primary,
		    v->findings_by[DIAG_VIEW_FAIL] +
			v->findings_by[DIAG_VIEW_SKIPPED] +
			v->findings_by[DIAG_VIEW_PASS] +
			v->findings_by[DIAG_VIEW_BLOCKED],
		    v->findings_by[DIAG_VIEW_WARN],
		    v->findings_by[DIAG_VIEW_WARN] == 1 ? "" : "s",
		    v->findings_by[DIAG_VIEW_INCONCLUSIVE], r->n_checks,
		    r->exchanges, r->exit_code);
	diag_report_view_free(v);
	return diag_buf_detach(&b);
}
