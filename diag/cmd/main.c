/* diag/cmd/main.c: parse the command line, run one command, print its report, exit. */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>

#include "diag/cmd/cli.h"
#include "diag/cmd/commands.h"
#include "diag/cmd/step_summary.h"
#include "diag/report/report_batch.h"
#include "diag/rules/scopes.h"
#include "diag/core/progress.h"
#include "diag/core/secret.h"
#include "diag/core/util.h"

#ifndef ATLDIAG_VERSION
#define ATLDIAG_VERSION "0.1.0"
#endif

static int
use_color(const struct diag_opts *o)
{
	const char *nc, *term;

	if (o->format != DIAG_FORMAT_TEXT || o->color == DIAG_COLOR_NEVER)
		return 0;
	if (o->color == DIAG_COLOR_ALWAYS)
		return 1;
	nc = getenv("NO_COLOR");
	if (nc != NULL && *nc != '\0')
		return 0;
	term = getenv("TERM");
	if (term != NULL && strcmp(term, "dumb") == 0)
		return 0;
	return o->output == NULL && isatty(STDOUT_FILENO);
}

/*
 * Opens the --output target. A regular file (new or existing) is written
 * as a new 0600 file in the same directory (*tmp, yours to free) and
 * renamed into place, so a report holding account details never inherits
 * a world-readable mode; anything else (/dev/null, a FIFO) is written in
 * place. Returns the descriptor, or -1 after an error.
 */
static int
open_output(const char *path, char **tmp)
{
	struct stat st;
	const char *slash;
	int fd;

	*tmp = NULL;
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
		fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	else {
		slash = strrchr(path, '/');
		if (slash == NULL)
			*tmp = diag_xstrdup(".atldiag-XXXXXX");
		else
			*tmp = diag_xasprintf("%.*s/.atldiag-XXXXXX",
			    (int)(slash - path), path);
		fd = mkostemp(*tmp, O_CLOEXEC);
		if (fd < 0) {
			free(*tmp);
			*tmp = NULL;
		}
	}
	if (fd < 0)
		diag_errorf("cannot write report to '%s': %s", path,
		    strerror(errno));
	return fd;
}

/* Closes the --output descriptor and moves the new file into place;
 * rc is the write result so far. Returns 0 or -1 (reported). */
static int
close_output(const char *path, int fd, char *tmp, int rc)
{
	if (close(fd) != 0 && rc == 0) {
		diag_errorf("cannot write report to '%s': %s", path,
		    strerror(errno));
		rc = -1;
	}
	if (tmp != NULL && rc == 0 && rename(tmp, path) != 0) {
		diag_errorf("cannot write report to '%s': %s", path,
		    strerror(errno));
		rc = -1;
	}
	if (tmp != NULL && rc != 0)
		(void)unlink(tmp);
	free(tmp);
	return rc;
}

/* Writes text (scrubbed of every registered secret) to stdout or --output. */
static int
emit(const struct diag_opts *o, const char *text, size_t len)
{
	char *clean, *tmp = NULL;
	size_t n;
	int fd = STDOUT_FILENO, rc = 0;

	diag_progress_clear();
	clean = diag_secret_scrub(text, len, &n);
	if (o->output != NULL && strcmp(o->output, "-") != 0) {
		fd = open_output(o->output, &tmp);
		if (fd < 0) {
			free(clean);
			return -1;
		}
	}
	if (diag_write_all(fd, clean, n) != 0) {
		diag_errorf("cannot write report%s%s%s: %s",
		    o->output != NULL ? " to '" : "",
		    o->output != NULL ? o->output : "",
		    o->output != NULL ? "'" : "", strerror(errno));
		rc = -1;
	}
	if (fd != STDOUT_FILENO)
		rc = close_output(o->output, fd, tmp, rc);
	free(clean);
	return rc;
}

/* A usage or internal error: a document in the machine formats (JSON,
 * JUnit, GitHub annotations: a pipeline still gets a parseable report),
 * else just the message already printed on stderr. */
static int
emit_error(struct diag_opts *o, const char *command, enum diag_exit code)
{
	struct diag_report *rep;
	char *s;
	const char *msg = diag_msg_last_error();

	if (o->format != DIAG_FORMAT_JSON && o->format != DIAG_FORMAT_JUNIT &&
	    o->format != DIAG_FORMAT_GITHUB)
		return code;
	rep = diag_report_error(command != NULL ? command : "", code,
	    msg != NULL ? msg : "error");
	s = diag_report_render(rep, o->format, NULL);
	(void)emit(o, s, strlen(s));
	free(s);
	if (o->format == DIAG_FORMAT_GITHUB) {
		s = diag_report_step_summary(rep, NULL);
		(void)diag_step_summary_append(s);
		free(s);
	}
	diag_report_free(rep);
	return code;
}

int
main(int argc, char **argv)
{
	struct diag_opts o;
	struct diag_cmd cmd;
	struct diag_rules *rules = NULL;
	struct diag_render_opts ro;
	const struct diag_command *c;
	char *err = NULL, *text;
	enum diag_exit code;

	memset(&cmd, 0, sizeof(cmd));
	diag_inputs_init(&cmd.inputs);
	if (diag_cli_parse(argc, argv, &o) != 0) {
		code = emit_error(&o, o.command, DIAG_EXIT_USAGE);
		goto out;
	}
	diag_msg_set_quiet(o.quiet);
	diag_progress_enable(diag_progress_wanted(o.quiet), 1);
	if (o.version) {
		printf("atldiag %s\n", ATLDIAG_VERSION);
		code = DIAG_EXIT_OK;
		goto out;
	}
	if (o.help) {
		(void)diag_cli_usage(&cmd.out, o.command);
		code = emit(&o, cmd.out.buf, cmd.out.len) == 0 ?
		    DIAG_EXIT_OK :
		    DIAG_EXIT_USAGE;
		goto out;
	}
	c = o.cmd;
	if (diag_rules_load(o.rules_dir, &rules, &err) != 0) {
		diag_errorf("%s", err);
		code = emit_error(&o, o.command,
		    o.rules_dir != NULL ? DIAG_EXIT_USAGE : DIAG_EXIT_INTERNAL);
		goto out;
	}
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		diag_errorf("cannot initialise libcurl");
		code = emit_error(&o, o.command, DIAG_EXIT_INTERNAL);
		goto out;
	}
	/* Checks read the scope catalogue through diag/rules/scopes.h: point it at
	 * a --rules copy (the built-in one is its default). */
	if (o.rules_dir != NULL)
		diag_scopes_set_default(diag_rules_scopes(rules));
	cmd.opts = &o;
	cmd.rules = rules;
	cmd.command = c;
	if ((c->flags & DIAG_CMDF_INPUTS) != 0 &&
	    diag_inputs_gather(&cmd.inputs, &o.in) != 0) {
		code = emit_error(&o, o.command, DIAG_EXIT_USAGE);
		goto out_curl;
	}
	code = c->run(&cmd);
	if (cmd.report == NULL && cmd.out.len == 0 && !cmd.wrote_output &&
	    code == DIAG_EXIT_USAGE) {
		code = emit_error(&o, o.command, code);
		goto out_curl;
	}
	if (cmd.report != NULL) {
		memset(&ro, 0, sizeof(ro));
		ro.color = use_color(&o);
		ro.verbose = o.verbose;
		ro.quiet = o.quiet;
		ro.strict = o.strict;
		text = diag_report_render(cmd.report, o.format, &ro);
		if (emit(&o, text, strlen(text)) != 0 && code == DIAG_EXIT_OK)
			code = DIAG_EXIT_USAGE;
		free(text);
		if (o.format == DIAG_FORMAT_GITHUB) {
			text = diag_report_step_summary(cmd.report, &ro);
			(void)diag_step_summary_append(text);
			free(text);
		}
	} else if (cmd.out.len > 0) {
		if (emit(&o, cmd.out.buf, cmd.out.len) != 0 &&
		    code == DIAG_EXIT_OK)
			code = DIAG_EXIT_USAGE;
	}
out_curl:
	curl_global_cleanup();
out:
	diag_progress_clear();
	diag_report_free(cmd.report);
	diag_buf_release(&cmd.out);
	diag_inputs_release(&cmd.inputs);
	diag_rules_free(rules);
	free(err);
	diag_opts_release(&o);
	diag_secret_reset();
	return code;
}
