/* diag/report/view.h: what every report format shows, computed once from a struct diag_report. */
#ifndef DIAG_REPORT_VIEW_H
#define DIAG_REPORT_VIEW_H

#include <stddef.h>

#include <json-c/json.h>

#include "diag/core/model.h"
#include "diag/report/report.h"

/*
 * One input as a report shows it. A secret input (token, password,
 * Authorization header, org key) is described by its traits ("user API
 * token, 193 characters, checksum ok, sha256:51dd3473"), never by its
 * value: shown is never a secret.
 */
struct diag_view_input {
	const char *key; /* "site", "token", ... */
	char *shown; /* value or traits; NULL: nothing to show */
	const char *source; /* "env:ATLASSIAN_SITE", ...; NULL */
	int secret;
};

/*
 * One finding with its text resolved: placeholders filled with the values
 * the run knows, the case's steps and the catalogue's merged without
 * repeats (no re-check step: the view has one for the whole report).
 * step_seen[i] is 0 for a step this finding is the first to give, else
 * (finding number * 1000 + step number) of where it was given first.
 */
struct diag_view_finding {
	const struct diag_finding *f;
	const char *status; /* "fail", "warn", ... */
	char *title;
	char *explanation; /* "" when the catalogue has none */
	char **steps; /* NULL-terminated */
	size_t n_steps;
	size_t *step_seen;
	/* The catalogue's documentation links (borrowed), less a page about
	 * the other product when one about this run's product is also
	 * listed (Jira's scope page for a Jira run, not Confluence's). */
	const char **docs;
	size_t n_docs;
};

/*
 * The command to run once the fixes are in, built from one template and
 * this run's inputs: each input read from where this run read it, a
 * secret never on the line, and a value a finding condemned replaced by
 * its corrected form or a <placeholder>, never repeated.
 */
struct diag_view_recheck {
	/* "Once the fixes above are in, run" (the writer adds its ':') */
	char *intro;
	char *command; /* "atldiag check --site ... --token-file t" */
	char *env; /* "ATLASSIAN_SITE, ATLASSIAN_EMAIL" or NULL */
	char *then_intro; /* after lint: the live check; else NULL */
	char *then;
	char *then_env;
};

/* A requirement the user stated (report member "requirements"); strings
 * borrowed from the report, outcome and kind always one of their words. */
struct diag_view_requirement {
	const char *outcome; /* "proven", "disproven", "unproven" */
	const char *kind; /* "scope", "permission", ..., "request" */
	const char *name;
	const char *how;
};

enum {
	DIAG_VIEW_PASS = 0,
	DIAG_VIEW_WARN,
	DIAG_VIEW_FAIL,
	DIAG_VIEW_INCONCLUSIVE,
	DIAG_VIEW_SKIPPED,
	DIAG_VIEW_BLOCKED,
	DIAG_VIEW__N
};

/* Where the credential was probed (report member "routes"): strings
 * borrowed from the report, outcome always one of its words. */
struct diag_view_route {
	const char *route; /* "site", "gateway" */
	const char *url; /* the identity probe's URL; NULL: not probed */
	/* "works", "refused", "inconclusive", "not_probed" */
	const char *outcome;
	const char *why;
};

struct diag_report_view {
	const struct diag_report *r;
	const char *verdict; /* "pass", ..., "error" */
	char verdict_upper[16];
	const char *primary; /* code of findings[0], or NULL */
	size_t findings_by[DIAG_VIEW__N];
	size_t checks_by[DIAG_VIEW__N];
	struct diag_view_input *inputs;
	size_t n_inputs;
	struct diag_view_finding *findings;
	size_t n_findings;
	struct diag_view_recheck recheck; /* command NULL: none */
	char *checks_line; /* "checks: 7 pass, 1 fail, ..." */
	struct diag_view_requirement *requirements;
	size_t n_requirements;
	struct diag_view_route *routes;
	size_t n_routes;
};

/* Builds the view of r (which must outlive it); free with
 * diag_report_view_free(). Never NULL. */
struct diag_report_view *diag_report_view_new(const struct diag_report *r);
void diag_report_view_free(struct diag_report_view *);

/* 1 if an input of this name holds a secret (its value is never shown). */
int diag_view_input_is_secret(const char *key);

/*
 * Copy of text (free(3)) with the placeholders filled from what r knows:
 * {site} {cloud_id} {email} {product} {project} {issue} {space}
 * {permission} {scope} {org_id} {admin} {account}. A value a finding
 * condemned (the org ID given as the cloud ID, an account ID given as the
 * email) is never filled in: the corrected value when the run found one
 * (the cloud ID from the site's tenant_info), else a visible <blank>.
 * With literal set, the blanks check code writes into its steps
 * (<your-site>, <cloud ID>, <email>) are filled the same way. NULL in,
 * NULL out.
 */
char *diag_view_fill(const struct diag_report *r, const char *text,
    int literal);

/* A shell word: bare when safe, else quoted so the shell reads s. */
void diag_view_shell_arg(struct diag_buf *, const char *s);

#endif
