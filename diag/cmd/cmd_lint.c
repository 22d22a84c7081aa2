/* diag/cmd/cmd_lint.c: `atldiag lint`: the offline input checks, no network at all. */
#include <string.h>

#include "diag/cmd/commands.h"
#include "diag/engine/engine.h"

enum diag_exit
diag_cmd_lint(struct diag_cmd *c)
{
	struct diag_engine_opts eo;

	if (c->opts->n_args > 0) {
		diag_errorf("lint takes no arguments, got '%s': give the "
			    "request URL with --url",
		    c->opts->args[0]);
		return DIAG_EXIT_USAGE;
	}
	memset(&eo, 0, sizeof(eo));
	eo.command = "lint";
	eo.rules = c->rules;
	eo.inputs = &c->inputs;
	eo.options = c->opts->options;
	eo.net = NULL;
	eo.allow_hosts = c->opts->net.allow_hosts;
	eo.n_allow_hosts = c->opts->net.n_allow_hosts;
	c->report = diag_report_new("lint");
	if (diag_engine_run(&eo, c->report) != 0) {
		diag_errorf("internal error: %s", c->report->error);
		c->report->exit_code = DIAG_EXIT_INTERNAL;
	}
	diag_report_finish(c->report, c->opts->strict);
	return c->report->exit_code;
}
