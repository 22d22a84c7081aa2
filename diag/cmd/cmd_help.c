/* diag/cmd/cmd_help.c: `atldiag help [COMMAND]` and --help: usage texts generated from the command table. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "diag/cmd/commands.h"

#define USAGE_WIDTH 79
#define USAGE_COL 28 /* where an option's help starts */

/* Appends text word by word from column col, wrapping at USAGE_WIDTH to
 * column indent; ends the line. */
static void
wrap(struct diag_buf *b, const char *text, size_t col, size_t indent)
{
	size_t n;

	while (*text != '\0') {
		while (*text == ' ')
			text++;
		n = strcspn(text, " ");
		if (n == 0)
			break;
		if (col > indent && col + 1 + n > USAGE_WIDTH) {
			diag_buf_addf(b, "\n%*s", (int)indent, "");
			col = indent;
		} else if (col > indent) {
			diag_buf_addc(b, ' ');
			col++;
		}
		diag_buf_addf(b, "%.*s", (int)n, text);
		col += n;
		text += n;
	}
	diag_buf_addc(b, '\n');
}

/* One option: "  -q, --quiet" or "  --project KEY", then its help. */
static void
option_line(struct diag_buf *b, const struct diag_option *opt)
{
	size_t start = b->len, col;
	char *help;

	diag_buf_adds(b, "  ");
	if (opt->id > 0 && opt->id < 256)
		diag_buf_addf(b, "-%c, ", opt->id);
	diag_buf_addf(b, "--%s", opt->name);
	if (opt->has_arg != no_argument)
		diag_buf_addf(b, " %s", opt->arg);
	col = b->len - start;
	if (col + 1 >= USAGE_COL) {
		diag_buf_addf(b, "\n%*s", USAGE_COL, "");
		col = USAGE_COL;
	} else {
		diag_buf_addf(b, "%*s", (int)(USAGE_COL - col), "");
		col = USAGE_COL;
	}
	if (opt->flags & DIAG_OPTF_NUMBER)
		help = diag_xasprintf("%s; %ld to %ld", opt->help, opt->min,
		    opt->max);
	else
		help = diag_xstrdup(opt->help);
	wrap(b, help, col, USAGE_COL);
	free(help);
}

/* A heading, then every option of the catalogue that c takes and that
 * has flag (0: the command's own options). */
static void
option_block(struct diag_buf *b, const char *heading,
    const struct diag_command *c, unsigned flag)
{
	const struct diag_option *opts;
	size_t i, n, shown = 0;

	n = diag_options(&opts);
	for (i = 0; i < n; i++) {
		if ((flag == 0 &&
			(opts[i].flags &
			    (DIAG_OPTF_COMMON | DIAG_OPTF_INPUT)) != 0) ||
		    (flag != 0 && (opts[i].flags & flag) == 0))
			continue;
		if (c != NULL && !diag_command_takes(c, &opts[i]))
			continue;
		if (shown++ == 0)
			diag_buf_addf(b, "\n%s:\n", heading);
		option_line(b, &opts[i]);
	}
}

static const char exit_status[] =
    "\nExit status: 0 no check failed, 1 a check failed, 2 usage error,\n"
    "3 inconclusive (network, 429, 5xx), 4 internal error.\n";

static void
overview(struct diag_buf *b)
{
	const struct diag_command *cmds;
	size_t i, n, col;

	diag_buf_adds(b,
	    "usage: atldiag COMMAND [ARGUMENTS] [OPTIONS]\n"
	    "       atldiag help COMMAND    a command's usage, with every "
	    "option it takes\n\n"
	    "Tells why an Atlassian Cloud REST API call made with an API token "
	    "failed,\nand how to fix it.\n\nCommands:\n");
	n = diag_commands(&cmds);
	for (i = 0; i < n; i++) {
		col = b->len;
		diag_buf_addf(b, "  %-8s %s%s%s", cmds[i].name,
		    (cmds[i].flags & DIAG_CMDF_INPUTS) ? "[INPUTS]" : "",
		    (cmds[i].flags & DIAG_CMDF_INPUTS) && cmds[i].args != NULL ?
			" " :
			"",
		    cmds[i].args != NULL ? cmds[i].args : "");
		col = b->len - col;
		if (col + 1 >= USAGE_COL + 6)
			diag_buf_addf(b, "\n%*s", USAGE_COL + 6, "");
		else
			diag_buf_addf(b, "%*s", (int)(USAGE_COL + 6 - col), "");
		diag_buf_addf(b, "%s\n", cmds[i].summary);
	}
	option_block(b,
	    "Inputs (each also from the environment; the report says where "
	    "each came from)",
	    NULL, DIAG_OPTF_INPUT);
	option_block(b, "Output and network (every command)", NULL,
	    DIAG_OPTF_COMMON);
	diag_buf_adds(b, exit_status);
	diag_buf_adds(b, "See atldiag(1) for the full reference.\n");
}

static void
command_usage(struct diag_buf *b, const struct diag_command *c)
{
	char *heading;

	diag_buf_addf(b, "usage: atldiag %s%s%s%s [OPTIONS]\n\n", c->name,
	    (c->flags & DIAG_CMDF_INPUTS) ? " [INPUTS]" : "",
	    c->args != NULL ? " " : "", c->args != NULL ? c->args : "");
	wrap(b, c->help, 0, 0);
	heading = diag_xasprintf("Options of %s", c->name);
	option_block(b, heading, c, 0);
	free(heading);
	if (c->flags & DIAG_CMDF_INPUTS)
		option_block(b,
		    "Inputs (each also from the environment; the report says "
		    "where each came from)",
		    c, DIAG_OPTF_INPUT);
	option_block(b, "Output and network (every command)", c,
	    DIAG_OPTF_COMMON);
	if (c->plan != NULL)
		diag_buf_addf(b,
		    "\nRuns the checks rules/plan.json lists for '%s' (atldiag "
		    "rules).\n",
		    c->plan);
	diag_buf_adds(b, exit_status);
	diag_buf_adds(b, "See atldiag(1) for the full reference.\n");
}

int
diag_cli_usage(struct diag_buf *b, const char *command)
{
	const struct diag_command *c;

	if (command == NULL) {
		overview(b);
		return 0;
	}
	if ((c = diag_command_find(command)) == NULL)
		return -1;
	command_usage(b, c);
	return 0;
}

enum diag_exit
diag_cmd_help(struct diag_cmd *c)
{
	if (c->opts->n_args > 1) {
		diag_errorf("help takes one COMMAND, got %zu arguments",
		    c->opts->n_args);
		return DIAG_EXIT_USAGE;
	}
	if (diag_cli_usage(&c->out,
		c->opts->n_args == 1 ? c->opts->args[0] : NULL) != 0) {
		diag_errorf("help: unknown command '%s': 'atldiag help' lists "
			    "them",
		    c->opts->args[0]);
		return DIAG_EXIT_USAGE;
	}
	return DIAG_EXIT_OK;
}
