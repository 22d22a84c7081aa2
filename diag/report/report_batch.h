/* diag/report/report_batch.h: batch's results as one document (JUnit, GitHub annotations, Markdown), and the step summary of a report. */
#ifndef DIAG_REPORT_BATCH_H
#define DIAG_REPORT_BATCH_H

#include <stddef.h>
#include <time.h>

#include "diag/report/report.h"

/*
 * What one profile of a batch came to: enough to write it in any format
 * once every profile has run. Every string is owned, already free of
 * secrets (the caller scrubs them in the thread that knew the secrets),
 * and NULL when absent. Free with diag_batch_row_free().
 */
struct diag_batch_row {
	unsigned line; /* of the batch file */
	char *name; /* the name column */
	char *site;
	char *email;
	char *verdict; /* "pass", "warn", "fail", "inconclusive", "error" */
	enum diag_exit exit_code;
	char *code; /* the primary finding's code */
	char *title; /* its title, placeholders filled */
	char *detail; /* what happened, or the row's error */
	char **steps; /* its fix steps, NULL-terminated */
	long ms; /* time the profile took */
};

/* The whole batch. */
struct diag_batch_totals {
	const char *file; /* the batch file as named */
	size_t counts[6]; /* pass warn fail inconclusive error other */
	enum diag_exit exit_code;
	long long ms;
	time_t started;
	int strict; /* --strict: warnings fail */
};

/* Builds a row from a finished report of one profile (scrubbing every
 * string with diag_secret_scrub(): call it in the profile's thread). */
struct diag_batch_row *diag_batch_row_new(const struct diag_report *,
    unsigned line, const char *name, const char *site, const char *email,
    long ms);
void diag_batch_row_free(struct diag_batch_row *);

/*
 * The batch in format (junit, github or markdown), rows in the order
 * given (the caller sorts them by line). JUnit: one <testcase> per
 * profile named "SITE EMAIL", the primary finding as the failure (or
 * error) message. GitHub: one annotation per profile that did not pass,
 * then a plain summary line. Markdown: a verdict line and a table of
 * profiles, then the fix of each profile that did not pass. Owned.
 */
char *diag_batch_render(struct diag_batch_row *const *rows, size_t n,
    const struct diag_batch_totals *, enum diag_format);

/*
 * The Markdown summary of one report for GitHub's job summary
 * ($GITHUB_STEP_SUMMARY): verdict, a table of findings, and the fix
 * steps of each. Owned; secrets are scrubbed by the caller.
 */
char *diag_report_step_summary(const struct diag_report *,
    const struct diag_render_opts *);

#endif
