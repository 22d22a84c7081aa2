/* diag/cmd/commands.h: the command table; one file per command (diag/cmd_*.c). */
#ifndef DIAG_COMMANDS_H
#define DIAG_COMMANDS_H

#include "diag/cmd/cli.h"
#include "diag/report/report.h"
#include "diag/rules/rules.h"
#include "diag/core/util.h"

/*
 * What a command gets, and what it gives back: either a report (rendered
 * by main in the chosen format) or ready text in out (for listings such
 * as `rules` and `scopes`, already in the chosen format). The command
 * returns an exit code of DESIGN §3; on a usage error it reports the
 * message with diag_errorf() and returns DIAG_EXIT_USAGE.
 */
struct diag_cmd {
	struct diag_opts		*opts;
	const struct diag_rules		*rules;
	struct diag_inputs		 inputs;	/* gathered by main unless the command does it */
	struct diag_report		*report;	/* owned; set by the command */
	struct diag_buf			 out;		/* or text */
};

struct diag_command {
	const char	*name;
	int		 gather_inputs;		/* main gathers inputs first */
	int		(*run)(struct diag_cmd *);
};

/* The command with this name, or NULL. */
const struct diag_command *diag_command_find(const char *name);

int	diag_cmd_lint(struct diag_cmd *);
int	diag_cmd_rules(struct diag_cmd *);
int	diag_cmd_live(struct diag_cmd *);	/* check, request, can-i */
int	diag_cmd_explain(struct diag_cmd *);
int	diag_cmd_scopes(struct diag_cmd *);
int	diag_cmd_batch(struct diag_cmd *);
/* `completion bash|zsh`: the shell's completion script, in out. */
int	diag_cmd_completion(struct diag_cmd *);

/*
 * The options scope.probe and request.replay read, computed before the
 * engine runs `check` (diag/cmd/cmd_live.c, and batch per profile): from
 * options "need-scope" and "calls" (--calls FILE: the smallest scope set
 * its calls need) and the product input, "scope-probes" (a cheap read per
 * needed scope); from the URL and METHOD inputs, "request-scopes" (the
 * scope alternatives of that request). Adds them to options. Returns 0,
 * or -1 after reporting a bad --calls file with diag_errorf() (usage).
 */
int	diag__live_prepare(const struct diag_rules *,
	    const struct diag_inputs *, struct json_object *options);

#endif
