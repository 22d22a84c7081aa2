/* diag/cmd/commands.h: the command table and option catalogue; one file per command (diag/cmd/cmd_*.c). */
#ifndef DIAG_COMMANDS_H
#define DIAG_COMMANDS_H

#include "diag/cmd/cli.h"
#include "diag/report/report.h"
#include "diag/rules/rules.h"
#include "diag/core/util.h"
#include "diag/transcript/transcript.h"

/*
 * What a command gets, and what it gives back: either a report (rendered
 * by main in the chosen format) or ready text in out (for listings such
 * as `rules` and `scopes`, already in the chosen format). The command
 * returns an exit code of DESIGN §3; on a usage error it reports the
 * message with diag_errorf() and returns DIAG_EXIT_USAGE.
 */
struct diag_cmd {
	struct diag_opts *opts;
	const struct diag_rules *rules;
	/* gathered by main unless the command does it */
	struct diag_inputs inputs;
	struct diag_report *report; /* owned; set by the command */
	struct diag_buf out; /* or text */
	const struct diag_command *command; /* the table entry being run */
	int wrote_output; /* the command wrote stdout itself (batch) */
};

/*
 * The command table (diag/cmd/commands.c) is the one list of commands and
 * options: the parser, the usage texts, main and the plan loader all read
 * it. To add an option, add one row to the option catalogue there (a
 * command option is then kept in diag_opts.options by its long name) and
 * name it in the commands that take it; to add a command, add one entry
 * and its run function (diag/cmd/cmd_<name>.c).
 */

/* What getopt returns for an option: a letter for -h -q -v, else one of
 * these. DIAG_OPT_OPTIONS options need no code in the parser: they are
 * kept in diag_opts.options by name (a string, or true for a flag). */
enum diag_opt_id {
	DIAG_OPT_OPTIONS = 256,
	DIAG_OPT_SITE,
	DIAG_OPT_CLOUD_ID,
	DIAG_OPT_EMAIL,
	DIAG_OPT_TOKEN,
	DIAG_OPT_TOKEN_FILE,
	DIAG_OPT_TOKEN_STDIN,
	DIAG_OPT_AUTH_HEADER,
	DIAG_OPT_PRODUCT,
	DIAG_OPT_ORG_KEY_FILE,
	DIAG_OPT_NETRC_FILE,
	DIAG_OPT_URL,
	DIAG_OPT_FORMAT,
	DIAG_OPT_JSON,
	DIAG_OPT_OUTPUT,
	DIAG_OPT_COLOR,
	DIAG_OPT_STRICT,
	DIAG_OPT_CONNECT_TO,
	DIAG_OPT_CACERT,
	DIAG_OPT_TIMEOUT,
	DIAG_OPT_DEADLINE,
	DIAG_OPT_ALLOW_HOST,
	DIAG_OPT_MAX_PARALLEL,
	DIAG_OPT_RULES,
	DIAG_OPT_VERSION,
	DIAG_OPT_ENV_FILE,
};

#define DIAG_OPTF_COMMON 0x01 /* every command takes it */
#define DIAG_OPTF_INPUT 0x02 /* every DIAG_CMDF_INPUTS command takes it */
#define DIAG_OPTF_PATH 0x04 /* a file path: refused when token-shaped */
#define DIAG_OPTF_SENT \
	0x08 /* ends up in a URL or header: no control characters */
#define DIAG_OPTF_NUMBER 0x10 /* a whole number from min to max */
#define DIAG_OPTF_NONEMPTY 0x20 /* an empty value is a usage error */
#define DIAG_OPTF_DATE 0x40 /* YYYY-MM-DD, or RFC 3339 */

/* The most profiles batch checks at once (its --concurrency, --per-site). */
#define DIAG_MAX_CONCURRENCY 64

struct diag_option {
	const char *name; /* long name, without "--" */
	int id; /* a letter, or enum diag_opt_id */
	int has_arg; /* getopt: no_argument, required_argument */
	const char *arg; /* the value in usage texts: "KEY" */
	const char *help; /* one line for `atldiag help CMD` */
	unsigned flags; /* DIAG_OPTF_* */
	long min, max; /* DIAG_OPTF_NUMBER: the one place of its limits */
};

#define DIAG_CMDF_INPUTS 0x01 /* takes INPUTS; main gathers them first */
#define DIAG_CMDF_LOCAL_ARGS \
	0x02 /* its arguments are never sent (files, names) */

struct diag_command {
	const char *name;
	enum diag_exit (*run)(struct diag_cmd *);
	unsigned flags; /* DIAG_CMDF_* */
	const char *plan; /* plan command it runs (plan.json), or NULL */
	const char *const *options; /* its own options, NULL-terminated */
	const char *args; /* its arguments, for usage: "METHOD URL" */
	const char *summary; /* one line for the overview */
	const char *help; /* what it does, for `atldiag help CMD` */
};

/* The command with this name, or NULL. */
const struct diag_command *diag_command_find(const char *name);
/* The commands in overview order; returns their count. */
size_t diag_commands(const struct diag_command **out);
/* The option catalogue; returns its count. */
size_t diag_options(const struct diag_option **out);
/* The option with this long name, or NULL. */
const struct diag_option *diag_option_find(const char *name);
/* 1 when command takes the option (its own, an input, or a common one). */
int diag_command_takes(const struct diag_command *, const struct diag_option *);

enum diag_exit diag_cmd_lint(struct diag_cmd *);
enum diag_exit diag_cmd_rules(struct diag_cmd *);
enum diag_exit diag_cmd_live(struct diag_cmd *); /* check, request, can-i */
enum diag_exit diag_cmd_explain(struct diag_cmd *);
enum diag_exit diag_cmd_scopes(struct diag_cmd *);
enum diag_exit diag_cmd_batch(struct diag_cmd *);
enum diag_exit diag_cmd_help(struct diag_cmd *);
enum diag_exit diag_cmd_serve(struct diag_cmd *);

/*
 * Explains the capture in buf (len bytes, borrowed), in format fmt
 * (DIAG_TX_AUTO: detected), with c->opts (options, strict) and c->rules,
 * exactly as `atldiag explain` does once it has read the file; name
 * stands for the capture in messages. Its credentials are registered in
 * the calling thread's secret registry. Returns the exit code and sets
 * c->report (owned by c), or returns DIAG_EXIT_USAGE with c->report NULL
 * after reporting why the capture cannot be read with diag_errorf().
 */
int diag_explain_buffer(struct diag_cmd *c, const char *name, const char *buf,
    size_t len, enum diag_tx_format fmt);
/* `completion bash|zsh`: the shell's completion script, in out. */
enum diag_exit diag_cmd_completion(struct diag_cmd *);

/*
 * The options scope.probe and request.replay read, computed before the
 * engine runs `check` (diag/cmd/cmd_live.c, and batch per profile): from
 * options "need-scope" and "calls" (--calls FILE: the smallest scope set
 * its calls need) and the product input, "scope-probes" (a cheap read per
 * needed scope); from the URL and METHOD inputs, "request-scopes" (the
 * scope alternatives of that request). Adds them to options. Returns 0,
 * or -1 after reporting a bad --calls file with diag_errorf() (usage).
 */
int diag__live_prepare(const struct diag_rules *, const struct diag_inputs *,
    struct json_object *options);

#endif
