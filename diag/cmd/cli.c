/* diag/cmd/cli.c: parsing argv into struct diag_opts by the command table, and the usage texts it generates. */
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag/cmd/cli.h"
#include "diag/cmd/commands.h"
#include "diag/core/secret.h"
#include "diag/core/util.h"

void
diag_opts_release(struct diag_opts *o)
{
	free(o->args);
	if (o->token_copy != NULL)
		explicit_bzero(o->token_copy, strlen(o->token_copy));
	if (o->auth_header_copy != NULL)
		explicit_bzero(o->auth_header_copy,
		    strlen(o->auth_header_copy));
	free(o->token_copy);
	free(o->auth_header_copy);
	free(o->net.connect_to);
	free(o->net.allow_hosts);
	free(o->in.env_files);
	json_object_put(o->options);
	memset(o, 0, sizeof(*o));
}

static int
parse_long(const char *opt, const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || v < min || v > max) {
		diag_errorf("option '--%s' needs a whole number from %ld to "
			    "%ld, not '%s'",
		    opt, min, max, s);
		return -1;
	}
	*out = v;
	return 0;
}

static void
push(const char ***v, size_t *n, const char *s)
{
	*v = diag_xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[(*n)++] = s;
}

/* The catalogue entry whose name is the len bytes at name, or NULL. */
static const struct diag_option *
option_named(const char *name, size_t len)
{
	const struct diag_option *opts;
	size_t i, n;

	n = diag_options(&opts);
	for (i = 0; i < n; i++)
		if (strlen(opts[i].name) == len &&
		    strncmp(opts[i].name, name, len) == 0)
			return &opts[i];
	return NULL;
}

/* 1 when the len bytes at name are a path option's full name. */
static int
is_path_option(const char *name, size_t len)
{
	const struct diag_option *opt = option_named(name, len);

	return opt != NULL && (opt->flags & DIAG_OPTF_PATH) != 0;
}

/*
 * A path option given something that looks like a token (`--token-file
 * "$TOKEN"`): registered as a secret and refused without quoting it.
 * Returns 0, or -1 after the usage error.
 */
static int
check_path_value(const char *opt, const char *v)
{
	if (!diag_secret_shaped_path(v))
		return 0;
	diag_secret_register(v, strlen(v));
	if (strcmp(opt, "token-file") == 0)
		diag_errorf("the value given to --token-file looks like a "
			    "token, not a file path; pass the path of a file "
			    "holding the token, or use --token-stdin");
	else if (strcmp(opt, "org-key-file") == 0)
		diag_errorf("the value given to --org-key-file looks like a "
			    "key, not a file path; pass the path of a file "
			    "holding the key, or set ATLASSIAN_ORG_API_KEY");
	else if (strcmp(opt, "client-secret-file") == 0)
		diag_errorf("the value given to --client-secret-file looks "
			    "like a secret, not a file path; pass the path of "
			    "a file holding the client secret");
	else
		diag_errorf("the value given to --%s looks like a token, not a "
			    "file path; pass the path of a file",
		    opt);
	return -1;
}

/*
 * Refuses control characters (CR, LF, ...) in a value that becomes part
 * of a URL or a header: sent as-is they would inject headers or a second
 * request. The value is not quoted. Returns 0, or -1 after the error.
 */
static int
check_ctl_value(const char *opt, const char *v)
{
	long at;

	at = diag_ctl_offset(v, strlen(v));
	if (at < 0)
		return 0;
	diag_errorf("option '--%s' holds a control character (byte 0x%02X at "
		    "position %ld); it would become part of an HTTP header or "
		    "URL: remove it",
	    opt, (unsigned)(unsigned char)v[at], at + 1);
	return -1;
}

/* Finds --json / --format json before real parsing, so that even a usage
 * error is reported in the format asked for. */
static void
prescan_format(int argc, char **argv, struct diag_opts *o)
{
	const char *eq;
	int i;

	/* Before any message can quote a word: every token-shaped run in
	 * argv, and every path value that looks like a token, is secret. */
	for (i = 1; i < argc; i++) {
		(void)diag_secret_register_shapes(argv[i], strlen(argv[i]));
		eq = strchr(argv[i], '=');
		if (strncmp(argv[i], "--", 2) == 0 && eq != NULL &&
		    is_path_option(argv[i] + 2, (size_t)(eq - argv[i] - 2)) &&
		    diag_secret_shaped_path(eq + 1))
			diag_secret_register(eq + 1, strlen(eq + 1));
		if (strncmp(argv[i], "--", 2) == 0 && eq == NULL &&
		    i + 1 < argc &&
		    is_path_option(argv[i] + 2, strlen(argv[i] + 2)) &&
		    diag_secret_shaped_path(argv[i + 1]))
			diag_secret_register(argv[i + 1], strlen(argv[i + 1]));
	}
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strcmp(argv[i], "--json") == 0)
			o->format = DIAG_FORMAT_JSON;
		else if (strcmp(argv[i], "--format") == 0 && i + 1 < argc)
			(void)diag_format_parse(argv[i + 1], &o->format);
		else if (strncmp(argv[i], "--format=", 9) == 0)
			(void)diag_format_parse(argv[i] + 9, &o->format);
	}
}

/*
 * Values of options that have a fixed form are checked here, by the
 * catalogue's flags and limits, so a typo is a usage error (exit 2)
 * instead of a check that cannot decide.
 */
static int
check_option_value(const struct diag_option *opt, const char *v)
{
	static const char *const input_formats[] = { "auto", "har", "curl",
		"raw", "text", "csv", "jsonl", "json", NULL };
	long n;
	size_t i;

	if ((opt->flags & DIAG_OPTF_DATE) && !diag_str_is_date(v)) {
		diag_errorf("option '--%s' needs a date, YYYY-MM-DD (or RFC "
			    "3339), not '%s'",
		    opt->name, v);
		return -1;
	}
	if (opt->flags & DIAG_OPTF_NUMBER)
		return parse_long(opt->name, v, opt->min, opt->max, &n);
	if (strcmp(opt->name, "input-format") == 0) {
		for (i = 0; input_formats[i] != NULL; i++)
			if (strcmp(v, input_formats[i]) == 0)
				return 0;
		diag_errorf("unknown input format '%s': use har, curl, raw, "
			    "text or auto (explain), csv or jsonl (batch)",
		    v);
		return -1;
	}
	if (*v == '\0' && (opt->flags & DIAG_OPTF_NONEMPTY)) {
		diag_errorf("option '--%s' needs a value, got an empty string",
		    opt->name);
		return -1;
	}
	return 0;
}

/*
 * Keeps a copy of a secret option value and wipes it from argv, so that
 * it does not stay readable in /proc/PID/cmdline (ps) for the whole run.
 * getopt only moves argv pointers, never reads the bytes again.
 */
static const char *
take_secret_arg(char **copy, char *arg)
{
	if (*copy != NULL) {
		explicit_bzero(*copy, strlen(*copy));
		free(*copy);
	}
	*copy = diag_xstrdup(arg);
	diag_secret_register(arg, strlen(arg));
	explicit_bzero(arg, strlen(arg));
	return *copy;
}

/* Checks that apply to any option's value; 0 or -1 after the error. */
static int
check_value(const struct diag_option *opt, const char *v)
{
	if (opt->flags & DIAG_OPTF_PATH)
		return check_path_value(opt->name, v);
	if (opt->flags & DIAG_OPTF_SENT)
		return check_ctl_value(opt->name, v);
	return 0;
}

static int
parse_format(const char *v, struct diag_opts *o)
{
	if (diag_format_parse(v, &o->format) == 0)
		return 0;
	if (diag_secret_shaped(v, strlen(v)))
		diag_errorf("the value given to --format looks like a token; "
			    "use text, json, markdown, junit or github");
	else
		diag_errorf("unknown format '%s': use text, json, markdown, "
			    "junit or github",
		    v);
	return -1;
}

static int
parse_color(const char *v, struct diag_opts *o)
{
	if (strcmp(v, "auto") == 0)
		o->color = DIAG_COLOR_AUTO;
	else if (strcmp(v, "always") == 0)
		o->color = DIAG_COLOR_ALWAYS;
	else if (strcmp(v, "never") == 0)
		o->color = DIAG_COLOR_NEVER;
	else {
		diag_errorf(
		    "unknown colour mode '%s': use auto, always or never", v);
		return -1;
	}
	return 0;
}

/* An option getopt did not know: named without any '=value' it had. */
static void
unknown_option(char **argv)
{
	const char *w = argv[optind - 1];

	if (optopt != 0 && optopt < 256)
		diag_errorf("unknown option '-%c': see 'atldiag --help'",
		    optopt);
	else
		diag_errorf("unknown option '%.*s': see 'atldiag --help'",
		    (int)strcspn(w, "="), w);
}

/* An option the command does not take: a usage error naming both. */
static int
not_taken(const struct diag_command *c, const struct diag_option *opt)
{
	diag_errorf("option '--%s' does not apply to '%s': see 'atldiag help "
		    "%s' for the options it takes",
	    opt->name, c->name, c->name);
	return -1;
}

/* Options kept as plain strings in struct diag_opts. */
static int
handle_string(struct diag_opts *o, int c)
{
	switch (c) {
	case DIAG_OPT_SITE:
		o->in.site = optarg;
		break;
	case DIAG_OPT_CLOUD_ID:
		o->in.cloud_id = optarg;
		break;
	case DIAG_OPT_EMAIL:
		o->in.email = optarg;
		break;
	case DIAG_OPT_TOKEN_FILE:
		o->in.token_file = optarg;
		break;
	case DIAG_OPT_PRODUCT:
		o->in.product = optarg;
		break;
	case DIAG_OPT_ORG_KEY_FILE:
		o->in.org_key_file = optarg;
		break;
	case DIAG_OPT_NETRC_FILE:
		o->in.netrc_file = optarg;
		break;
	case DIAG_OPT_URL:
		o->in.url = optarg;
		break;
	case DIAG_OPT_OUTPUT:
		o->output = optarg;
		break;
	case DIAG_OPT_CACERT:
		o->net.cacert = optarg;
		break;
	case DIAG_OPT_RULES:
		o->rules_dir = optarg;
		break;
	case DIAG_OPT_CONNECT_TO:
		push(&o->net.connect_to, &o->net.n_connect_to, optarg);
		break;
	case DIAG_OPT_ALLOW_HOST:
		push(&o->net.allow_hosts, &o->net.n_allow_hosts, optarg);
		break;
	case DIAG_OPT_ENV_FILE:
		push(&o->in.env_files, &o->in.n_env_files, optarg);
		break;
	default:
		return 0;
	}
	return 1;
}

/* Options that set a switch or a number in struct diag_opts (a number
 * was checked against its limits already). */
static int
handle_field(struct diag_opts *o, int c)
{
	switch (c) {
	case 'h':
		o->help = 1;
		break;
	case 'q':
		o->quiet = 1;
		break;
	case 'v':
		o->verbose++;
		break;
	case DIAG_OPT_VERSION:
		o->version = 1;
		break;
	case DIAG_OPT_TOKEN:
		o->in.token = take_secret_arg(&o->token_copy, optarg);
		break;
	case DIAG_OPT_TOKEN_STDIN:
		o->in.token_stdin = 1;
		break;
	case DIAG_OPT_AUTH_HEADER:
		o->in.auth_header =
		    take_secret_arg(&o->auth_header_copy, optarg);
		break;
	case DIAG_OPT_FORMAT:
		return parse_format(optarg, o);
	case DIAG_OPT_JSON:
		o->format = DIAG_FORMAT_JSON;
		break;
	case DIAG_OPT_COLOR:
		return parse_color(optarg, o);
	case DIAG_OPT_STRICT:
		o->strict = 1;
		break;
	case DIAG_OPT_TIMEOUT:
		o->net.timeout_s = strtol(optarg, NULL, 10);
		break;
	case DIAG_OPT_DEADLINE:
		o->net.deadline_s = strtol(optarg, NULL, 10);
		break;
	case DIAG_OPT_MAX_PARALLEL:
		o->net.max_parallel = (int)strtol(optarg, NULL, 10);
		break;
	}
	return 0;
}

/* The catalogue entry getopt_long matched (idx into the catalogue, or a
 * short option's letter), or NULL. */
static const struct diag_option *
matched_option(int c, int idx)
{
	const struct diag_option *opts;
	size_t i, n;

	n = diag_options(&opts);
	if (idx >= 0 && (size_t)idx < n)
		return &opts[idx];
	for (i = 0; i < n; i++)
		if (c > 0 && c < 256 && opts[i].id == c)
			return &opts[i];
	return NULL;
}

/*
 * One option from getopt_long; 0, or -1 after a usage error. An option
 * met after the command is checked against it at once; one before it is
 * marked in seen[] and checked when the command is known.
 */
static int
handle_opt(struct diag_opts *o, int c, int idx, char **argv,
    unsigned char *seen)
{
	const struct diag_option *opt, *all;

	if (c == ':') {
		diag_errorf("option '%s' needs a value", argv[optind - 1]);
		return -1;
	}
	if ((opt = matched_option(c, idx)) == NULL) {
		unknown_option(argv);
		return -1;
	}
	if (o->cmd != NULL && !diag_command_takes(o->cmd, opt))
		return not_taken(o->cmd, opt);
	(void)diag_options(&all);
	seen[opt - all] = 1;
	if (optarg != NULL && opt->id != DIAG_OPT_TOKEN &&
	    (check_value(opt, optarg) != 0 ||
		check_option_value(opt, optarg) != 0))
		return -1;
	if (opt->id == DIAG_OPT_OPTIONS) {
		json_object_object_add(o->options, opt->name,
		    opt->has_arg == no_argument ?
			json_object_new_boolean(1) :
			json_object_new_string(optarg));
		return 0;
	}
	if (handle_string(o, opt->id))
		return 0;
	return handle_field(o, opt->id);
}

/*
 * A positional argument: the command, then its arguments. One shaped like
 * a token is refused unquoted (`--token-stdin "$TOKEN"`: that option
 * takes no value); control characters are refused where the argument
 * may become part of a request (all but the arguments of commands with
 * DIAG_CMDF_LOCAL_ARGS: explain's and batch's FILE, help's COMMAND).
 */
static int
add_positional(struct diag_opts *o, char *arg)
{
	long at;

	if (diag_secret_shaped(arg, strlen(arg))) {
		if (o->command == NULL)
			diag_errorf("the command looks like a token and is not "
				    "shown: see 'atldiag --help'");
		else
			diag_errorf("argument %zu looks like a token and is "
				    "not shown; give the token with "
				    "--token-file FILE or --token-stdin (which "
				    "reads standard input and takes no value)",
			    o->n_args + 1);
		return -1;
	}
	if (o->command == NULL) {
		o->command = arg;
		o->cmd = diag_command_find(arg);
		return 0;
	}
	at = diag_ctl_offset(arg, strlen(arg));
	if (at >= 0 &&
	    (o->cmd == NULL || (o->cmd->flags & DIAG_CMDF_LOCAL_ARGS) == 0)) {
		diag_errorf("argument %zu holds a control character (byte "
			    "0x%02X at position %ld); it would become part of "
			    "an HTTP request: remove it",
		    o->n_args + 1, (unsigned)(unsigned char)arg[at], at + 1);
		return -1;
	}
	o->args = diag_xrealloc(o->args, (o->n_args + 1) * sizeof(*o->args));
	o->args[o->n_args++] = arg;
	return 0;
}

/* A file a flag names must be readable (--cacert, --client-secret-file):
 * a usage error up front rather than an inconclusive run later. what
 * says what the file should hold. */
static int
check_readable(const char *flag, const char *path, const char *what)
{
	const char *why = NULL;
	int fd;

	if (path == NULL)
		return 0;
	fd = diag_file_open(path, SIZE_MAX, &why);
	if (fd >= 0) {
		close(fd);
		return 0;
	}
	if (strcmp(why, DIAG_FILE_IS_DIR) == 0)
		diag_errorf("the %s value '%s' is a directory: give %s", flag,
		    path, what);
	else
		diag_errorf("cannot read the file given to %s '%s': %s", flag,
		    path, why);
	return -1;
}

/* --client-id fetches the token the run uses: a credential given on the
 * command line as well would be silently set aside. 0, or -1 after the
 * usage error. One from the environment, an --env-file or ~/.netrc is
 * not read (o->in.no_ambient_token). */
static int
check_one_credential(struct diag_opts *o)
{
	const char *flag = NULL;

	if (diag_json_str(o->options, "client-id") == NULL)
		return 0;
	o->in.no_ambient_token = 1;
	if (o->in.token != NULL)
		flag = "--token";
	else if (o->in.token_file != NULL)
		flag = "--token-file";
	else if (o->in.token_stdin)
		flag = "--token-stdin";
	else if (o->in.auth_header != NULL)
		flag = "--auth-header";
	if (flag == NULL)
		return 0;
	diag_errorf("--client-id fetches its own token, so %s would not be "
		    "used: give one of the two",
	    flag);
	return -1;
}

/* getopt_long's table, built from the option catalogue (same order, so
 * getopt's index is the catalogue's). Free it with free(3). */
static struct option *
getopt_table(void)
{
	const struct diag_option *opts;
	struct option *lo;
	size_t i, n;

	n = diag_options(&opts);
	lo = diag_xcalloc(n + 1, sizeof(*lo));
	for (i = 0; i < n; i++) {
		lo[i].name = opts[i].name;
		lo[i].has_arg = opts[i].has_arg;
		lo[i].val = opts[i].id;
	}
	return lo;
}

/* The command is known: it must be in the table, and take every option
 * given before it. 0, or -1 after the usage error. */
static int
check_command(const struct diag_opts *o, const unsigned char *seen)
{
	const struct diag_command *all;
	const struct diag_option *opts;
	struct diag_buf b = DIAG_BUF_INIT;
	size_t i, n;

	if (o->cmd == NULL) {
		n = diag_commands(&all);
		for (i = 0; i < n; i++)
			diag_buf_addf(&b, "%s%s", diag_list_sep(i, n),
			    all[i].name);
		diag_errorf("unknown command '%s': use %s", o->command,
		    diag_buf_str(&b));
		diag_buf_release(&b);
		return -1;
	}
	n = diag_options(&opts);
	for (i = 0; i < n; i++)
		if (seen[i] && !diag_command_takes(o->cmd, &opts[i]))
			return not_taken(o->cmd, &opts[i]);
	return 0;
}

/* The getopt loop over argv; 0, or -1 after a usage error. */
static int
parse_words(int argc, char **argv, struct diag_opts *o, unsigned char *seen)
{
	struct option *lo = getopt_table();
	int c, idx, i, rc = 0;

	opterr = 0;
	optind = 0; /* glibc: a full re-initialisation */
	while (rc == 0) {
		/* "--" ends the options: every word after it is an
		 * argument (getopt would send the caller back to earlier
		 * ones, again and again). */
		i = optind == 0 ? 1 : optind;
		if (i < argc && strcmp(argv[i], "--") == 0) {
			for (i++; i < argc && rc == 0; i++)
				rc = add_positional(o, argv[i]);
			break;
		}
		idx = -1;
		c = getopt_long(argc, argv, "+:hqv", lo, &idx);
		if (c == -1) {
			/* The command, then its positional arguments;
			 * options may follow them. */
			if (optind >= argc)
				break;
			rc = add_positional(o, argv[optind++]);
			continue;
		}
		rc = handle_opt(o, c, idx, argv, seen);
	}
	free(lo);
	return rc;
}

int
diag_cli_parse(int argc, char **argv, struct diag_opts *o)
{
	const struct diag_option *opts;
	unsigned char *seen;
	int rc;

	memset(o, 0, sizeof(*o));
	o->options = json_object_new_object();
	o->net.timeout_s = 15;
	prescan_format(argc, argv, o);
	seen = diag_xcalloc(diag_options(&opts), 1);
	rc = parse_words(argc, argv, o, seen);
	if (rc == 0 && o->command == NULL && !o->help && !o->version) {
		diag_errorf("no command given: see 'atldiag --help'");
		rc = -1;
	}
	if (rc == 0 && o->command != NULL && !o->version)
		rc = check_command(o, seen);
	free(seen);
	if (rc != 0 || o->help || o->version)
		return rc;
	if (check_one_credential(o) != 0)
		return -1;
	if (check_readable("--cacert", o->net.cacert,
		"a PEM file of CA certificates") != 0)
		return -1;
	return check_readable("--client-secret-file",
	    diag_json_str(o->options, "client-secret-file"),
	    "the file that holds the OAuth client secret");
}

/*
 * Numbers of command options (batch's --concurrency, ...): the value,
 * already checked against the catalogue's limits, or dflt when absent.
 */
long
diag_opts_number(const struct diag_opts *o, const char *name, long dflt)
{
	struct json_object *v;

	if (o->options == NULL ||
	    !json_object_object_get_ex(o->options, name, &v))
		return dflt;
	return strtol(json_object_get_string(v), NULL, 10);
}
