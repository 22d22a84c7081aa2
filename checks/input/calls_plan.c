/* checks/input/calls_plan.c: calls.plan: the scopes the calls of a pipeline (--calls FILE) need. */
#include <stdlib.h>
#include <string.h>

#include "diag/engine/check.h"
#include "diag/rules/scopes.h"
#include "diag/core/util.h"

static enum diag_step calls_plan_run(struct diag_run *);

/* "a b c", or what to say when the set is impossible or empty. */
static char *
set_words(const struct diag_scopes_set *s)
{
	struct diag_buf b = DIAG_BUF_INIT;
	size_t i;

	if (!s->possible)
		return diag_xstrdup("none possible");
	if (s->n == 0)
		return diag_xstrdup("no scope needed");
	for (i = 0; i < s->n; i++)
		diag_buf_addf(&b, "%s%s", i > 0 ? " " : "", s->scopes[i]);
	return diag_buf_detach(&b);
}

static enum diag_step
calls_plan_run(struct diag_run *r)
{
	const char *file = diag_run_option(r, "calls");
	const struct diag_scopes *cat;
	struct diag_scopes_plan *p = NULL;
	struct diag_buf unknown = DIAG_BUF_INIT;
	char *err = NULL, *classic = NULL, *granular = NULL;
	size_t i;

	if (file == NULL) {
		diag_run_status(r, DIAG_SKIPPED, "no --calls file given");
		return DIAG_STEP_DONE;
	}
	cat = diag_scopes_default(); /* loaded only when needed */
	if (cat == NULL) {
		diag_run_status(r, DIAG_INCONCLUSIVE,
		    "the scope catalogue is not available");
		return DIAG_STEP_DONE;
	}
	if (diag_scopes_plan_file(cat, file, &p, &err) != 0) {
		/* The command refuses such a file before running (exit 2). */
		diag_run_status(r, DIAG_INCONCLUSIVE, "%s", err);
		goto out;
	}
	diag_run_fact_set(r, "calls.list", diag_scopes_plan_calls_json(p));
	diag_run_fact_set(r, "calls.needed_scopes",
	    diag_scopes_set_json(&p->best));
	classic = set_words(&p->classic);
	granular = set_words(&p->granular);
	for (i = 0; i < p->n_calls; i++)
		if (p->calls[i].m.op == NULL)
			diag_buf_addf(&unknown, "%s%s %s (line %u)",
			    unknown.len > 0 ? ", " : "", p->calls[i].m.method,
			    p->calls[i].m.path, p->calls[i].line);
	if (p->n_unknown > 0)
		diag_run_status(r, DIAG_WARN,
		    "%zu calls; smallest classic set: %s; granular: %s; not in "
		    "the scope catalogue: %s",
		    p->n_calls, classic, granular, diag_buf_str(&unknown));
	else
		diag_run_message(r,
		    "%zu calls; smallest classic set: %s; granular: %s%s",
		    p->n_calls, classic, granular,
		    p->exact ? "" : " (greedy: many operations)");
out:
	free(classic);
	free(granular);
	free(err);
	diag_buf_release(&unknown);
	diag_scopes_plan_free(p);
	return DIAG_STEP_DONE;
}

const struct diag_check diag_check_calls_plan = {
	.id = "calls.plan",
	.summary = "the scopes the calls of --calls FILE need (smallest sets)",
	.flags = DIAG_CHECK_OFFLINE,
	.run = calls_plan_run,
};
