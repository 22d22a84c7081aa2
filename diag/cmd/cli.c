/* diag/cmd/cli.c: one option table, the usage text, and parsing into struct diag_opts. */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag/cmd/cli.h"
#include "diag/core/secret.h"
#include "diag/core/util.h"

static const char *const commands[] = { "batch", "can-i", "check",
	"completion", "explain", "lint", "request", "rules", "scopes", NULL };

enum {
	OPT_SITE = 256, OPT_CLOUD_ID, OPT_EMAIL, OPT_TOKEN, OPT_TOKEN_FILE,
	OPT_TOKEN_STDIN, OPT_AUTH_HEADER, OPT_PRODUCT, OPT_ORG_KEY_FILE,
	OPT_NETRC_FILE, OPT_FORMAT, OPT_JSON, OPT_OUTPUT, OPT_COLOR,
	OPT_STRICT, OPT_CONNECT_TO, OPT_CACERT, OPT_TIMEOUT, OPT_ALLOW_HOST,
	OPT_RULES, OPT_MAX_PARALLEL, OPT_URL, OPT_VERSION, OPT_DEADLINE,
	/* command options, stored by name in o->options */
	OPT_CMD_STRING, OPT_CMD_FLAG,
};

/* Same order as the --help text. */
static const struct option longopts[] = {
	{ "site", required_argument, NULL, OPT_SITE },
	{ "cloud-id", required_argument, NULL, OPT_CLOUD_ID },
	{ "email", required_argument, NULL, OPT_EMAIL },
	{ "token-file", required_argument, NULL, OPT_TOKEN_FILE },
	{ "token-stdin", no_argument, NULL, OPT_TOKEN_STDIN },
	{ "token", required_argument, NULL, OPT_TOKEN },
	{ "auth-header", required_argument, NULL, OPT_AUTH_HEADER },
	{ "product", required_argument, NULL, OPT_PRODUCT },
	{ "org-key-file", required_argument, NULL, OPT_ORG_KEY_FILE },
	{ "netrc-file", required_argument, NULL, OPT_NETRC_FILE },
	{ "url", required_argument, NULL, OPT_URL },
	{ "project", required_argument, NULL, OPT_CMD_STRING },
	{ "issue", required_argument, NULL, OPT_CMD_STRING },
	{ "space", required_argument, NULL, OPT_CMD_STRING },
	{ "need-scope", required_argument, NULL, OPT_CMD_STRING },
	{ "need-permission", required_argument, NULL, OPT_CMD_STRING },
	{ "calls", required_argument, NULL, OPT_CMD_STRING },
	{ "data-file", required_argument, NULL, OPT_CMD_STRING },
	{ "input-format", required_argument, NULL, OPT_CMD_STRING },
	{ "expires", required_argument, NULL, OPT_CMD_STRING },
	{ "warn-expiry-days", required_argument, NULL, OPT_CMD_STRING },
	{ "concurrency", required_argument, NULL, OPT_CMD_STRING },
	{ "per-site", required_argument, NULL, OPT_CMD_STRING },
	{ "probe-writes", no_argument, NULL, OPT_CMD_FLAG },
	{ "allow-inline-secrets", no_argument, NULL, OPT_CMD_FLAG },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "output", required_argument, NULL, OPT_OUTPUT },
	{ "color", required_argument, NULL, OPT_COLOR },
	{ "quiet", no_argument, NULL, 'q' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "strict", no_argument, NULL, OPT_STRICT },
	{ "connect-to", required_argument, NULL, OPT_CONNECT_TO },
	{ "cacert", required_argument, NULL, OPT_CACERT },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "deadline", required_argument, NULL, OPT_DEADLINE },
	{ "allow-host", required_argument, NULL, OPT_ALLOW_HOST },
	{ "max-parallel", required_argument, NULL, OPT_MAX_PARALLEL },
	{ "rules", required_argument, NULL, OPT_RULES },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 },
};

void
diag_cli_tables(const char *const **cmds, const struct option **opts)
{
	*cmds = commands;
	*opts = longopts;
}

void
diag_cli_usage(const char *command)
{
	(void)command;
	fputs(
"usage: atldiag COMMAND [OPTIONS]\n"
"\n"
"Tells why an Atlassian Cloud REST API call made with an API token failed,\n"
"and how to fix it.\n"
"\n"
"Commands:\n"
"  check    [INPUTS] [--project KEY] [--issue KEY] [--space KEY]\n"
"           [--need-scope S,...] [--need-permission P,...] [--calls FILE]\n"
"                                  live pre-flight of a credential\n"
"  request  [INPUTS] METHOD URL [--data-file F]\n"
"                                  replay one failing call, explain it\n"
"  explain  [FILE|-]               offline: explain a captured exchange\n"
"  lint     [INPUTS] [--url URL]   offline input checks only, no network\n"
"  can-i    [INPUTS] PERMISSION[,...] (--project KEY | --issue KEY)\n"
"                                  yes/no, exit 0/1\n"
"  scopes   METHOD PATH            scopes an operation needs\n"
"  batch    FILE                   many credentials, one JSON line each\n"
"  rules                           list checks and diagnosis codes\n"
"  completion bash|zsh             print a shell completion script\n"
"\n"
"Inputs (each also from the environment; the report says where each came from):\n"
"  --site NAME|URL        ATLASSIAN_SITE, JIRA_URL, JIRA_SERVER, CONFLUENCE_URL\n"
"  --cloud-id ID          ATLASSIAN_CLOUD_ID, JIRA_CLOUD_ID (an admin URL works too)\n"
"  --email EMAIL          ATLASSIAN_EMAIL, JIRA_EMAIL, JIRA_USER, CONFLUENCE_EMAIL\n"
"  --token-file F         the API token, read from a file\n"
"  --token-stdin          the API token, read from standard input\n"
"  --token T              visible to other users in ps: prefer the above\n"
"                         ATLASSIAN_API_TOKEN, JIRA_API_TOKEN, CONFLUENCE_API_TOKEN,\n"
"                         then ~/.netrc (--netrc-file F)\n"
"  --auth-header 'Basic ...'  the Authorization header a script sends\n"
"  --product jira|confluence  ATLASSIAN_PRODUCT (default jira)\n"
"  --org-key-file F       org admin API key (ATLASSIAN_ORG_API_KEY)\n"
"\n"
"Output and network:\n"
"  --format text|json|markdown|junit|github   (--json = --format json)\n"
"  --output FILE  --color auto|always|never (honours NO_COLOR)  -q  -v  --strict\n"
"  --connect-to HOST:PORT:HOST2:PORT2 (repeatable)  --cacert FILE\n"
"  --timeout SECONDS  --deadline SECONDS (whole run; default 2 x timeout + 10)\n"
"  --allow-host HOST  --max-parallel N  --rules DIR\n"
"\n"
"Exit status: 0 no check failed, 1 a check failed, 2 usage error,\n"
"3 inconclusive (network, 429, 5xx), 4 internal error.\n"
"See atldiag(1).\n", stdout);
}

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
		    "%ld, not '%s'", opt, min, max, s);
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

/* Options whose value is a file path. */
static const char *const path_options[] = { "token-file", "org-key-file",
	"netrc-file", "calls", "data-file", "cacert", "output", "rules", NULL };

/* 1 when the len bytes at name are a path option's full name. */
static int
is_path_option(const char *name, size_t len)
{
	size_t i;

	for (i = 0; path_options[i] != NULL; i++)
		if (strlen(path_options[i]) == len &&
		    strncmp(path_options[i], name, len) == 0)
			return 1;
	return 0;
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
		    "token, not a file path; pass the path of a file holding "
		    "the token, or use --token-stdin");
	else if (strcmp(opt, "org-key-file") == 0)
		diag_errorf("the value given to --org-key-file looks like a "
		    "key, not a file path; pass the path of a file holding "
		    "the key, or set ATLASSIAN_ORG_API_KEY");
	else
		diag_errorf("the value given to --%s looks like a token, not a "
		    "file path; pass the path of a file", opt);
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
	    "position %ld); it would become part of an HTTP header or URL: "
	    "remove it", opt, (unsigned)(unsigned char)v[at], at + 1);
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

/* YYYY-MM-DD, optionally followed by an RFC 3339 time. */
static int
valid_date(const char *s)
{
	int y, m, d, n = 0;

	if (sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n != 10 ||
	    y < 2000 || y > 2999 || m < 1 || m > 12 || d < 1 || d > 31)
		return 0;
	return s[10] == '\0' || s[10] == 'T' || s[10] == 't' || s[10] == ' ';
}

/*
 * Values of command options that have a fixed form are checked here, so a
 * typo is a usage error (exit 2) instead of a check that cannot decide.
 */
static int
check_option_value(const char *name, const char *v)
{
	static const char *const input_formats[] = { "auto", "har", "curl",
		"raw", "text", "csv", "jsonl", "json", NULL };
	long n;
	size_t i;

	if (strcmp(name, "expires") == 0 && !valid_date(v)) {
		diag_errorf("option '--expires' needs a date, YYYY-MM-DD (or RFC "
		    "3339), not '%s'", v);
		return -1;
	}
	if (strcmp(name, "warn-expiry-days") == 0)
		return parse_long(name, v, 0, 365, &n);
	if (strcmp(name, "concurrency") == 0)
		return parse_long(name, v, 1, 256, &n);
	if (strcmp(name, "per-site") == 0)
		return parse_long(name, v, 1, 64, &n);
	if (strcmp(name, "input-format") == 0) {
		for (i = 0; input_formats[i] != NULL; i++)
			if (strcmp(v, input_formats[i]) == 0)
				return 0;
		diag_errorf("unknown input format '%s': use har, curl, raw, "
		    "text or auto (explain), csv or jsonl (batch)", v);
		return -1;
	}
	if (*v == '\0' && (strcmp(name, "project") == 0 ||
	    strcmp(name, "issue") == 0 || strcmp(name, "space") == 0 ||
	    strcmp(name, "calls") == 0 || strcmp(name, "data-file") == 0)) {
		diag_errorf("option '--%s' needs a value, got an empty string",
		    name);
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

/* The value options that end up in a URL or a header. */
static int
is_sent_option(const char *name)
{
	static const char *const sent[] = { "site", "cloud-id", "email",
		"auth-header", "product", "url", "connect-to", "allow-host",
		"project", "issue", "space", "need-scope", "need-permission",
		NULL };
	size_t i;

	for (i = 0; sent[i] != NULL; i++)
		if (strcmp(name, sent[i]) == 0)
			return 1;
	return 0;
}

/* Checks that apply to any option's value; 0 or -1 after the error. */
static int
check_value(const char *name, const char *v)
{
	if (is_path_option(name, strlen(name)))
		return check_path_value(name, v);
	if (is_sent_option(name))
		return check_ctl_value(name, v);
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
		    "junit or github", v);
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
		diag_errorf("unknown colour mode '%s': use auto, always or "
		    "never", v);
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

/* Options stored as plain strings in struct diag_opts. */
static int
handle_string(struct diag_opts *o, int c)
{
	switch (c) {
	case OPT_SITE:
		o->in.site = optarg;
		break;
	case OPT_CLOUD_ID:
		o->in.cloud_id = optarg;
		break;
	case OPT_EMAIL:
		o->in.email = optarg;
		break;
	case OPT_TOKEN_FILE:
		o->in.token_file = optarg;
		break;
	case OPT_PRODUCT:
		o->in.product = optarg;
		break;
	case OPT_ORG_KEY_FILE:
		o->in.org_key_file = optarg;
		break;
	case OPT_NETRC_FILE:
		o->in.netrc_file = optarg;
		break;
	case OPT_URL:
		o->in.url = optarg;
		break;
	case OPT_OUTPUT:
		o->output = optarg;
		break;
	case OPT_CACERT:
		o->net.cacert = optarg;
		break;
	case OPT_RULES:
		o->rules_dir = optarg;
		break;
	case OPT_CONNECT_TO:
		push(&o->net.connect_to, &o->net.n_connect_to, optarg);
		break;
	case OPT_ALLOW_HOST:
		push(&o->net.allow_hosts, &o->net.n_allow_hosts, optarg);
		break;
	default:
		return 0;
	}
	return 1;
}

/* One option from getopt_long; 0, or -1 after a usage error. */
static int
handle_opt(struct diag_opts *o, int c, int idx, char **argv)
{
	const char *name;
	long v;

	if (idx >= 0 && optarg != NULL && c != OPT_TOKEN &&
	    check_value(longopts[idx].name, optarg) != 0)
		return -1;
	if (handle_string(o, c))
		return 0;
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
	case OPT_VERSION:
		o->version = 1;
		break;
	case OPT_TOKEN:
		o->in.token = take_secret_arg(&o->token_copy, optarg);
		break;
	case OPT_TOKEN_STDIN:
		o->in.token_stdin = 1;
		break;
	case OPT_AUTH_HEADER:
		o->in.auth_header = take_secret_arg(&o->auth_header_copy,
		    optarg);
		break;
	case OPT_FORMAT:
		return parse_format(optarg, o);
	case OPT_JSON:
		o->format = DIAG_FORMAT_JSON;
		break;
	case OPT_COLOR:
		return parse_color(optarg, o);
	case OPT_STRICT:
		o->strict = 1;
		break;
	case OPT_TIMEOUT:
		if (parse_long("timeout", optarg, 1, 600, &v) != 0)
			return -1;
		o->net.timeout_s = v;
		break;
	case OPT_DEADLINE:
		if (parse_long("deadline", optarg, 1, 86400, &v) != 0)
			return -1;
		o->net.deadline_s = v;
		break;
	case OPT_MAX_PARALLEL:
		if (parse_long("max-parallel", optarg, 1, 256, &v) != 0)
			return -1;
		o->net.max_parallel = (int)v;
		break;
	case OPT_CMD_STRING:
		name = longopts[idx].name;
		if (check_option_value(name, optarg) != 0)
			return -1;
		json_object_object_add(o->options, name,
		    json_object_new_string(optarg));
		break;
	case OPT_CMD_FLAG:
		json_object_object_add(o->options, longopts[idx].name,
		    json_object_new_boolean(1));
		break;
	case ':':
		diag_errorf("option '%s' needs a value", argv[optind - 1]);
		return -1;
	case '?':
	default:
		unknown_option(argv);
		return -1;
	}
	return 0;
}

/*
 * A positional argument: the command, then its arguments. One shaped like
 * a token is refused unquoted (`--token-stdin "$TOKEN"`: that option
 * takes no value); control characters are refused where the argument
 * may become part of a request (all but explain's and batch's FILE).
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
			    "not shown; give the token with --token-file FILE "
			    "or --token-stdin (which reads standard input and "
			    "takes no value)", o->n_args + 1);
		return -1;
	}
	if (o->command == NULL) {
		o->command = arg;
		return 0;
	}
	at = diag_ctl_offset(arg, strlen(arg));
	if (at >= 0 && strcmp(o->command, "explain") != 0 &&
	    strcmp(o->command, "batch") != 0) {
		diag_errorf("argument %zu holds a control character (byte "
		    "0x%02X at position %ld); it would become part of an "
		    "HTTP request: remove it", o->n_args + 1,
		    (unsigned)(unsigned char)arg[at], at + 1);
		return -1;
	}
	o->args = diag_xrealloc(o->args, (o->n_args + 1) * sizeof(*o->args));
	o->args[o->n_args++] = arg;
	return 0;
}

/* --cacert names a file that must be readable: a usage error up front
 * rather than a TLS failure (inconclusive) later. */
static int
check_cacert(const char *path)
{
	struct stat st;
	int fd;

	if (path == NULL)
		return 0;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		diag_errorf("cannot read the CA certificate file given to "
		    "--cacert '%s': %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		close(fd);
		diag_errorf("the --cacert value '%s' is a directory: give a "
		    "PEM file of CA certificates", path);
		return -1;
	}
	close(fd);
	return 0;
}

int
diag_cli_parse(int argc, char **argv, struct diag_opts *o)
{
	int c, idx, i;

	memset(o, 0, sizeof(*o));
	o->options = json_object_new_object();
	o->net.timeout_s = 15;
	prescan_format(argc, argv, o);
	opterr = 0;
	optind = 0;	/* glibc: a full re-initialisation */
	for (;;) {
		/* "--" ends the options: every word after it is an
		 * argument (getopt would send the caller back to earlier
		 * ones, again and again). */
		i = optind == 0 ? 1 : optind;
		if (i < argc && strcmp(argv[i], "--") == 0) {
			for (i++; i < argc; i++)
				if (add_positional(o, argv[i]) != 0)
					return -1;
			break;
		}
		idx = -1;
		c = getopt_long(argc, argv, "+:hqv", longopts, &idx);
		if (c == -1) {
			/* The command, then its positional arguments;
			 * options may follow them. */
			if (optind >= argc)
				break;
			if (add_positional(o, argv[optind++]) != 0)
				return -1;
			continue;
		}
		if (handle_opt(o, c, idx, argv) != 0)
			return -1;
	}
	if (o->help || o->version)
		return 0;
	if (o->command == NULL) {
		diag_errorf("no command given: see 'atldiag --help'");
		return -1;
	}
	for (i = 0; commands[i] != NULL; i++)
		if (strcmp(o->command, commands[i]) == 0)
			break;
	if (commands[i] == NULL) {
		diag_errorf("unknown command '%s': use check, request, explain, "
		    "lint, can-i, scopes, batch, rules or completion", o->command);
		return -1;
	}
	return check_cacert(o->net.cacert);
}
