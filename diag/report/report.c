/* diag/report/report.c: a report's life cycle, ranking of findings, verdict and exit code. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "diag/report/report.h"
#include "diag/core/util.h"

static const char *const format_names[] = {
	[DIAG_FORMAT_TEXT] = "text",
	[DIAG_FORMAT_JSON] = "json",
	[DIAG_FORMAT_MARKDOWN] = "markdown",
	[DIAG_FORMAT_JUNIT] = "junit",
	[DIAG_FORMAT_GITHUB] = "github",
};

int
diag_format_parse(const char *s, enum diag_format *out)
{
	size_t i;

	for (i = 0; i < DIAG_NELEM(format_names); i++) {
		if (strcmp(s, format_names[i]) == 0) {
			*out = (enum diag_format)i;
			return 0;
		}
	}
	if (strcmp(s, "md") == 0) {
		*out = DIAG_FORMAT_MARKDOWN;
		return 0;
	}
	return -1;
}

/*
 * ATLDIAG_NOW (seconds since the epoch, or UTC RFC 3339 like
 * 2026-11-28T12:00:00Z) fixes the report time, so golden
 * reports do not change from run to run.
 */
static time_t
report_now(void)
{
	const char *s = getenv("ATLDIAG_NOW");
	char *end;
	long long v;

	struct tm tm;

	if (s != NULL && *s != '\0') {
		v = strtoll(s, &end, 10);
		if (*end == '\0' && v >= 0)
			return (time_t)v;
		memset(&tm, 0, sizeof(tm));
		end = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
		if (end != NULL && (*end == 'Z' || *end == '\0'))
			return timegm(&tm);
	}
	return time(NULL);
}

struct diag_report *
diag_report_new(const char *command)
{
	struct diag_report *rep;

	rep = diag_xcalloc(1, sizeof(*rep));
	rep->command = diag_xstrdup(command != NULL ? command : "");
	rep->generated_at = report_now();
	rep->verdict = DIAG_PASS;
	return rep;
}

struct diag_report *
diag_report_error(const char *command, enum diag_exit exit_code,
    const char *message)
{
	struct diag_report *rep;

	rep = diag_report_new(command);
	rep->error = diag_xstrdup(message != NULL ? message : "error");
	rep->exit_code = exit_code;
	rep->verdict = DIAG_FAIL;
	return rep;
}

void
diag_report_free(struct diag_report *rep)
{
	size_t i, j;

	if (rep == NULL)
		return;
	free(rep->command);
	json_object_put(rep->inputs);
	for (i = 0; i < rep->n_checks; i++) {
		free(rep->checks[i].id);
		free(rep->checks[i].message);
		free(rep->checks[i].blocked_by);
		for (j = 0; j < rep->checks[i].n_codes; j++)
			free(rep->checks[i].codes[j]);
		free(rep->checks[i].codes);
	}
	free(rep->checks);
	for (i = 0; i < rep->n_findings; i++)
		diag_finding_free(rep->findings[i]);
	free(rep->findings);
	free(rep->error);
	json_object_put(rep->extra);
	json_object_put(rep->known);
	free(rep);
}

void
diag_report_take_known(struct diag_report *rep, struct json_object *facts,
    struct json_object *options)
{
	static const struct {
		int fact; /* from facts, else options */
		const char *from;
		const char *key;
	} keep[] = {
		{ 0, "project", "project" },
		{ 0, "issue", "issue" },
		{ 0, "space", "space" },
		{ 0, "need-permission", "permission" },
		{ 0, "need-scope", "scope" },
		{ 1, "site.tenant.cloud_id", "cloud_id_found" },
		{ 1, "cloud_id.value", "cloud_id_given" },
	};
	struct json_object *src, *v;
	size_t i;

	for (i = 0; i < DIAG_NELEM(keep); i++) {
		src = keep[i].fact ? facts : options;
		if (src == NULL ||
		    !json_object_is_type(src, json_type_object) ||
		    !json_object_object_get_ex(src, keep[i].from, &v) ||
		    !json_object_is_type(v, json_type_string))
			continue;
		if (rep->known == NULL)
			rep->known = json_object_new_object();
		if (!json_object_object_get_ex(rep->known, keep[i].key, NULL))
			json_object_object_add(rep->known, keep[i].key,
			    json_object_new_string(json_object_get_string(v)));
	}
	/* One organization seen by the admin API names the admin screen. */
	if (facts != NULL &&
	    json_object_object_get_ex(facts, "admin.org_ids", &v) &&
	    json_object_is_type(v, json_type_array) &&
	    json_object_array_length(v) == 1 &&
	    json_object_is_type(json_object_array_get_idx(v, 0),
		json_type_string)) {
		if (rep->known == NULL)
			rep->known = json_object_new_object();
		if (!json_object_object_get_ex(rep->known, "org_id", NULL))
			json_object_object_add(rep->known, "org_id",
			    json_object_new_string(json_object_get_string(
				json_object_array_get_idx(v, 0))));
	}
}

static int
cmp_finding(const void *a, const void *b)
{
	return diag_finding_rank_cmp(*(const struct diag_finding *const *)a,
	    *(const struct diag_finding *const *)b);
}

void
diag_report_finish(struct diag_report *rep, int strict)
{
	size_t i;
	int fail = 0, warn = 0, inconclusive = 0;

	if (rep->n_findings > 1)
		qsort(rep->findings, rep->n_findings, sizeof(*rep->findings),
		    cmp_finding);
	if (rep->error != NULL) {
		rep->verdict = DIAG_FAIL;
		if (rep->exit_code == DIAG_EXIT_OK)
			rep->exit_code = DIAG_EXIT_INTERNAL;
		return;
	}
	inconclusive = rep->verdict == DIAG_INCONCLUSIVE;
	for (i = 0; i < rep->n_findings; i++) {
		if (rep->findings[i]->status == DIAG_FAIL)
			fail = 1;
		else if (rep->findings[i]->status == DIAG_WARN)
			warn = 1;
		else if (rep->findings[i]->status == DIAG_INCONCLUSIVE)
			inconclusive = 1;
	}
	for (i = 0; i < rep->n_checks; i++) {
		if (rep->checks[i].status == DIAG_FAIL)
			fail = 1;
		else if (rep->checks[i].status == DIAG_WARN)
			warn = 1;
	}
	if (fail || (strict && warn)) {
		rep->verdict = fail ? DIAG_FAIL : DIAG_WARN;
		rep->exit_code = DIAG_EXIT_FAIL;
	} else if (inconclusive) {
		rep->verdict = DIAG_INCONCLUSIVE;
		rep->exit_code = DIAG_EXIT_INCONCLUSIVE;
	} else {
		rep->verdict = warn ? DIAG_WARN : DIAG_PASS;
		rep->exit_code = DIAG_EXIT_OK;
	}
}

char *
diag_report_render(const struct diag_report *rep, enum diag_format fmt,
    const struct diag_render_opts *opts)
{
	struct json_object *doc;
	char *s;

	switch (fmt) {
	case DIAG_FORMAT_JSON:
		doc = diag_report_json(rep);
		s = diag_report_json_text(doc,
		    JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED);
		json_object_put(doc);
		return s;
	case DIAG_FORMAT_MARKDOWN:
		return diag__render_markdown(rep, opts);
	case DIAG_FORMAT_JUNIT:
		return diag__render_junit(rep, opts);
	case DIAG_FORMAT_GITHUB:
		return diag__render_github(rep, opts);
	case DIAG_FORMAT_TEXT:
	default:
		return diag__render_text(rep, opts);
	}
}
