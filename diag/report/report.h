/* diag/report/report.h: a finished diagnosis, and its renderers. */
#ifndef DIAG_REPORT_H
#define DIAG_REPORT_H

#include <stddef.h>
#include <time.h>

#include <json-c/json.h>

#include "diag/core/model.h"

/*
 * Everything one run found. findings are ranked: findings[0] is the
 * primary diagnosis (DESIGN §6). The report owns every member; free with
 * diag_report_free().
 */
struct diag_report {
	char *command;
	time_t generated_at;
	/* {"site":{"value","source"},...}, never a secret */
	struct json_object *inputs;
	struct diag_check_result *checks;
	size_t n_checks;
	struct diag_finding **findings;
	size_t n_findings;
	unsigned exchanges; /* HTTP exchanges made or read */
	enum diag_status verdict; /* pass, warn, fail, inconclusive */
	char *error; /* set for a usage/internal error report */
	enum diag_exit exit_code;
	/* command-specific members merged into JSON (can-i answer, scopes,
	 * ...) */
	struct json_object *extra;
	/* values fix steps may name (diag_report_take_known); never a secret */
	struct json_object *known;
};

enum diag_format {
	DIAG_FORMAT_TEXT = 0,
	DIAG_FORMAT_JSON,
	DIAG_FORMAT_MARKDOWN,
	DIAG_FORMAT_JUNIT,
	DIAG_FORMAT_GITHUB,
};
int diag_format_parse(const char *, enum diag_format *);

struct diag_render_opts {
	int color; /* ANSI colour (text only) */
	int verbose; /* -v: evidence in text */
	int quiet; /* -q: summary line only */
	int strict; /* --strict: warnings fail */
};

struct diag_report *diag_report_new(const char *command);
void diag_report_free(struct diag_report *);
/* Ranks findings (diag_finding_rank_cmp: status, proven cause before
 * residual, confidence, catalogue priority, creation order), then sets
 * verdict and exit_code from findings and check states. */
void diag_report_finish(struct diag_report *, int strict);
/*
 * Keeps in rep->known the values a fix step may name: what the run was
 * asked to prove (options project, issue, space, need-permission,
 * need-scope) and what it found (the cloud ID from the site's
 * tenant_info, the cloud ID given, the organization ID). Reads only those
 * keys of facts and options (either may be NULL); never a secret. Keeps
 * the first value of each when called again.
 */
void diag_report_take_known(struct diag_report *, struct json_object *facts,
    struct json_object *options);
/* A report that only says "error" (usage error 2, internal error 4). */
struct diag_report *diag_report_error(const char *command,
    enum diag_exit exit_code, const char *message);

/* The JSON document (contract "atldiag.report/1"); you own the reference. */
struct json_object *diag_report_json(const struct diag_report *);
/* doc as JSON text (json-c flags; '/' is never escaped) and a newline,
 * with invalid UTF-8 replaced by U+FFFD: always valid JSON. Owned. */
char *diag_report_json_text(struct json_object *doc, int flags);
/* Renders in a format; returns an owned string (free(3)). Secrets are
 * scrubbed by the caller on the way out (diag/core/secret.h). */
char *diag_report_render(const struct diag_report *, enum diag_format,
    const struct diag_render_opts *);

/* Renderers, one per file (diag/report_*.c). */
char *diag__render_text(const struct diag_report *,
    const struct diag_render_opts *);
char *diag__render_markdown(const struct diag_report *,
    const struct diag_render_opts *);
char *diag__render_junit(const struct diag_report *,
    const struct diag_render_opts *);
char *diag__render_github(const struct diag_report *,
    const struct diag_render_opts *);

#endif
