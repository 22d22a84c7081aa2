/* diag/cmd/cli.h: the parsed command line. */
#ifndef DIAG_CLI_H
#define DIAG_CLI_H

#include <getopt.h>
#include <stddef.h>

#include <json-c/json.h>

#include "diag/engine/engine.h"
#include "diag/core/inputs.h"
#include "diag/report/report.h"
#include "diag/core/util.h"

enum diag_color {
	DIAG_COLOR_AUTO = 0,
	DIAG_COLOR_ALWAYS,
	DIAG_COLOR_NEVER,
};

/* Everything the command line said. Strings point into argv (borrowed)
 * except the arrays and the secret copies, which are owned
 * (diag_opts_release). --token and --auth-header values are copied and
 * wiped from argv, so that they do not stay visible in ps. */
struct diag_opts {
	const char *command;
	const struct diag_command *cmd; /* its entry in the command table */
	char **args; /* positional arguments after the command */
	size_t n_args;
	struct diag_input_flags in;
	enum diag_format format;
	const char *output;
	enum diag_color color;
	int quiet;
	int verbose;
	int strict;
	const char *rules_dir;
	struct diag_net_opts net;
	struct json_object *options; /* command options by long name; owned */
	int help;
	int version;
	char *token_copy; /* owned; in.token */
	char *auth_header_copy; /* owned; in.auth_header */
};

void diag_opts_release(struct diag_opts *);
/*
 * Parses argv. Returns 0, or -1 after reporting a usage error with
 * diag_errorf() (o->format is still set as far as it was understood, so
 * the error can be given as JSON).
 */
int diag_cli_parse(int argc, char **argv, struct diag_opts *o);
/*
 * Appends the usage text of command to b: its arguments and every option
 * it takes, generated from the command table (diag/cmd/commands.c); the
 * overview for NULL. Returns 0, or -1 for an unknown command.
 */
int diag_cli_usage(struct diag_buf *b, const char *command);
/* The whole number a command option holds (checked against its limits
 * while parsing), or dflt when it was not given. */
long diag_opts_number(const struct diag_opts *, const char *name, long dflt);

#endif
