/* checks/live/requirement.c: records what became of each requirement the user stated (report member "requirements"). */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "checks/live/requirement.h"
#include "diag/core/util.h"

const char *
diag__req_name(enum diag_req o)
{
	switch (o) {
	case DIAG_REQ_PROVEN:
		return "proven";
	case DIAG_REQ_DISPROVEN:
		return "disproven";
	case DIAG_REQ_UNPROVEN:
	default:
		return "unproven";
	}
}

static const char *
member(struct json_object *o, const char *k)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, k, &v) ||
	    !json_object_is_type(v, json_type_string))
		return "";
	return json_object_get_string(v);
}

static void record(struct diag_run *, const char *, const char *, enum diag_req,
    enum diag_confidence, const char *, char *);

void
diag__req(struct diag_run *r, const char *kind, const char *name,
    enum diag_req outcome, enum diag_confidence conf, const char *next_step,
    const char *how_fmt, ...)
{
	va_list ap;
	char *how;

	va_start(ap, how_fmt);
	how = diag_xvasprintf(how_fmt, ap);
	va_end(ap);
	record(r, kind, name, outcome, conf, next_step, how);
}

void
diag__req_request(struct diag_run *r, enum diag_req outcome,
    enum diag_confidence conf, const char *next_step, const char *how_fmt, ...)
{
	const char *m = diag_run_input(r, DIAG_IN_METHOD)->value;
	const char *u = diag_run_input(r, DIAG_IN_URL)->value;
	va_list ap;
	char *how, *name;

	va_start(ap, how_fmt);
	how = diag_xvasprintf(how_fmt, ap);
	va_end(ap);
	name =
	    diag_xasprintf("%s %s", m != NULL ? m : "GET", u != NULL ? u : "");
	record(r, "request", name, outcome, conf, next_step, how);
	free(name);
}

/* Adds (or replaces) the entry; consumes how. */
static void
record(struct diag_run *r, const char *kind, const char *name,
    enum diag_req outcome, enum diag_confidence conf, const char *next_step,
    char *how)
{
	struct json_object *list, *e, *old;
	size_t i;

	e = json_object_new_object();
	json_object_object_add(e, "kind", json_object_new_string(kind));
	json_object_object_add(e, "name", json_object_new_string(name));
	json_object_object_add(e, "outcome",
	    json_object_new_string(diag__req_name(outcome)));
	json_object_object_add(e, "confidence",
	    json_object_new_string(diag_confidence_name(conf)));
	json_object_object_add(e, "how", json_object_new_string(how));
	json_object_object_add(e, "next_step",
	    next_step != NULL ? json_object_new_string(next_step) : NULL);
	json_object_object_add(e, "check",
	    json_object_new_string(diag_run_check_id(r)));
	free(how);
	list = diag_run_fact(r, "extra.requirements");
	if (list == NULL || !json_object_is_type(list, json_type_array)) {
		list = json_object_new_array();
		diag_run_fact_set(r, "extra.requirements", list);
	}
	for (i = 0; i < json_object_array_length(list); i++) {
		old = json_object_array_get_idx(list, i);
		if (strcmp(member(old, "kind"), kind) == 0 &&
		    strcmp(member(old, "name"), name) == 0) {
			json_object_array_put_idx(list, i, e);
			return;
		}
	}
	json_object_array_add(list, e);
}

void
diag__req_skip(struct diag_run *r, const char *kind, const char *key)
{
	if (key == NULL) {
		diag_run_status(r, DIAG_SKIPPED, "no --%s given", kind);
		return;
	}
	diag_run_status(r, DIAG_SKIPPED, "no confirmed identity");
	diag__req(r, kind, key, DIAG_REQ_UNPROVEN, DIAG_CONFIRMED,
	    "Fix the credential first (see the findings above).",
	    "the credential's identity was not confirmed");
}
