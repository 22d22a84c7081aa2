/* diag/report/report_github.c: the report as GitHub Actions workflow commands (annotations). */

#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "diag/core/model.h"
#include "diag/report/report.h"
#include "diag/report/report_util.h"
#include "diag/core/util.h"

static const char *level(enum diag_status, int);
static void	annotation(struct diag_buf *, const struct diag_report *,
		    const struct diag_finding *, int);

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
annotation(struct diag_buf *b, const struct diag_report *r,
    const struct diag_finding *f, int strict)
{
	struct diag_buf t = DIAG_BUF_INIT;
	char **steps, *s;
	size_t i, n;

	s = diag__fill_placeholders(diag__finding_title(f), r->inputs);
	diag_buf_addf(&t, "%s: %s", f->code, s);
	free(s);
	diag_buf_addf(b, "::%s title=", level(f->status, strict));
	diag__esc_gh_prop(b, diag_buf_str(&t));
	diag_buf_adds(b, "::");
	diag_buf_release(&t);

	if (f->detail != NULL && f->detail[0] != '\0')
		diag_buf_addf(&t, "%s\n", f->detail);
	s = diag__fill_placeholders(f->dx != NULL ? f->dx->explanation : NULL,
	    r->inputs);
	if (s != NULL && s[0] != '\0')
		diag_buf_addf(&t, "Why: %s\n", s);
	free(s);
	steps = diag__finding_remediation(f, r->inputs, &n);
	if (n > 0)
		diag_buf_adds(&t, "Fix:\n");
	for (i = 0; i < n; i++)
		diag_buf_addf(&t, "%zu. %s\n", i + 1, steps[i]);
	diag__strv_free(steps);
	diag_buf_addf(&t, "Who must act: %s. Confidence: %s.",
	    diag__owner_words(diag__finding_owner(f)),
	    diag_confidence_name(f->confidence));
	for (i = 0; i < f->n_evidence; i++)
		if (f->evidence[i]->trace_id != NULL)
			diag_buf_addf(&t, "\nATL-TraceId %s (%s %s -> %ld)",
			    f->evidence[i]->trace_id,
			    f->evidence[i]->method != NULL ?
			    f->evidence[i]->method : "?",
			    f->evidence[i]->url != NULL ?
			    f->evidence[i]->url : "?", f->evidence[i]->status);
	for (i = 0; f->dx != NULL && i < f->dx->n_docs; i++)
		diag_buf_addf(&t, "\nDocs: %s", f->dx->docs[i]);
	diag__esc_gh_data(b, diag_buf_str(&t));
	diag_buf_addc(b, '\n');
	diag_buf_release(&t);
}

char *
diag__render_github(const struct diag_report *r,
    const struct diag_render_opts *opts)
{
	struct diag_buf b = DIAG_BUF_INIT;
	const char *verdict = diag__verdict_name(r);
	unsigned nfail = 0, nwarn = 0, ninc = 0;
	int strict = opts != NULL && opts->strict;
	char *up, *p;
	size_t i;

	if (r->error != NULL) {
		diag_buf_adds(&b, "::error title=atldiag error::");
		diag__esc_gh_data(&b, r->error);
		diag_buf_addc(&b, '\n');
	}
	for (i = 0; r->error == NULL && i < r->n_findings; i++) {
		if (r->findings[i] == NULL)
			continue;
		annotation(&b, r, r->findings[i], strict);
		if (r->findings[i]->status == DIAG_WARN)
			nwarn++;
		else if (r->findings[i]->status == DIAG_INCONCLUSIVE)
			ninc++;
		else
			nfail++;
	}

	/* The plain summary line (never starting with "::"). */
	up = diag_xstrdup(verdict);
	for (p = up; *p != '\0'; p++)
		*p = (char)(*p - ('a' <= *p && *p <= 'z' ? 'a' - 'A' : 0));
	diag_buf_adds(&b, "atldiag ");
	diag__esc_gh_data(&b, r->command != NULL ? r->command : "");
	diag_buf_addf(&b, ": %s", up);
	free(up);
	if (r->error != NULL)
		diag_buf_addf(&b, " (exit code %d)\n", r->exit_code);
	else if (r->n_findings == 0)
		diag_buf_addf(&b, ", no problems found (%zu checks, "
		    "%u exchanges, exit code %d)\n", r->n_checks, r->exchanges,
		    r->exit_code);
	else
		diag_buf_addf(&b, ", primary %s (%u failed, %u warning%s, "
		    "%u inconclusive; %zu checks, %u exchanges, exit code %d)\n",
		    r->findings[0]->code, nfail, nwarn, nwarn == 1 ? "" : "s",
		    ninc, r->n_checks, r->exchanges, r->exit_code);
	return diag_buf_detach(&b);
}
