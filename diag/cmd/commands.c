/* diag/cmd/commands.c: the one table of commands and options (names, run functions, options, usage, plan commands). */
#include <getopt.h>
#include <string.h>

#include "diag/cmd/commands.h"

#define RUN(f) f

#define STR required_argument
#define FLAG no_argument

/*
 * Every option, in the order of the usage texts: COMMON ones every
 * command takes, INPUT ones every command with DIAG_CMDF_INPUTS takes,
 * the rest only the commands that name them. A number's limits are here
 * and nowhere else.
 */
static const struct diag_option options[] = {
	/* inputs */
	{ .name = "site",
	    .id = DIAG_OPT_SITE,
	    .has_arg = STR,
	    .arg = "NAME|URL",
	    .flags = DIAG_OPTF_INPUT | DIAG_OPTF_SENT,
	    .help = "the site; else ATLASSIAN_SITE, JIRA_URL, JIRA_SERVER, "
		    "CONFLUENCE_URL" },
	{ .name = "cloud-id",
	    .id = DIAG_OPT_CLOUD_ID,
	    .has_arg = STR,
	    .arg = "ID",
	    .flags = DIAG_OPTF_INPUT | DIAG_OPTF_SENT,
	    .help = "the cloud ID (an admin URL works too); else "
		    "ATLASSIAN_CLOUD_ID, JIRA_CLOUD_ID" },
	{ .name = "email",
	    .id = DIAG_OPT_EMAIL,
	    .has_arg = STR,
	    .arg = "EMAIL",
	    .flags = DIAG_OPTF_INPUT | DIAG_OPTF_SENT,
	    .help = "the account's email; else ATLASSIAN_EMAIL, JIRA_EMAIL, "
		    "JIRA_USER, CONFLUENCE_EMAIL" },
	{ .name = "token-file",
	    .id = DIAG_OPT_TOKEN_FILE,
	    .has_arg = STR,
	    .arg = "F",
	    .flags = DIAG_OPTF_INPUT | DIAG_OPTF_PATH,
	    .help = "the API token, read from a file" },
	{ .name = "token-stdin",
	    .id = DIAG_OPT_TOKEN_STDIN,
	    .has_arg = FLAG,
	    .flags = DIAG_OPTF_INPUT,
	    .help = "the API token, read from standard input" },
	{ .name = "token",
	    .id = DIAG_OPT_TOKEN,
	    .has_arg = STR,
	    .arg = "T",
	    .flags = DIAG_OPTF_INPUT,
	    .help = "visible to other users in ps: prefer the two above; else "
		    "ATLASSIAN_API_TOKEN, JIRA_API_TOKEN, "
		    "CONFLUENCE_API_TOKEN, then ~/.netrc" },
	{ .name = "auth-header",
	    .id = DIAG_OPT_AUTH_HEADER,
	    .has_arg = STR,
	    .arg = "'Basic ...'",
	    .flags = DIAG_OPTF_INPUT | DIAG_OPTF_SENT,
	    .help = "the Authorization header a script sends" },
	{ .name = "product",
	    .id = DIAG_OPT_PRODUCT,
	    .has_arg = STR,
	    .arg = "jira|confluence",
	    .flags = DIAG_OPTF_INPUT | DIAG_OPTF_SENT,
	    .help = "the product (default jira); else ATLASSIAN_PRODUCT" },
	{ .name = "org-key-file",
	    .id = DIAG_OPT_ORG_KEY_FILE,
	    .has_arg = STR,
	    .arg = "F",
	    .flags = DIAG_OPTF_INPUT | DIAG_OPTF_PATH,
	    .help = "org admin API key, read from a file; else "
		    "ATLASSIAN_ORG_API_KEY" },
	{ .name = "netrc-file",
	    .id = DIAG_OPT_NETRC_FILE,
	    .has_arg = STR,
	    .arg = "F",
	    .flags = DIAG_OPTF_INPUT | DIAG_OPTF_PATH,
	    .help = "netrc entries from F instead of ~/.netrc" },
	{ .name = "env-file",
	    .id = DIAG_OPT_ENV_FILE,
	    .has_arg = STR,
	    .arg = "F",
	    .flags = DIAG_OPTF_PATH,
	    .help = "KEY=value lines read like the environment (repeatable; a "
		    "later file wins; ahead of the environment)" },
	/* command options */
	{ .name = "url",
	    .id = DIAG_OPT_URL,
	    .has_arg = STR,
	    .arg = "URL",
	    .flags = DIAG_OPTF_SENT,
	    .help = "the failing request's URL, checked offline" },
	{ .name = "project",
	    .id = DIAG_OPT_OPTIONS,
	    .has_arg = STR,
	    .arg = "KEY",
	    .flags = DIAG_OPTF_SENT | DIAG_OPTF_NONEMPTY,
	    .help = "the Jira project: visibility and permissions" },
	{ .name = "issue",
	    .id = DIAG_OPT_OPTIONS,
	    .has_arg = STR,
	    .arg = "KEY",
	    .flags = DIAG_OPTF_SENT | DIAG_OPTF_NONEMPTY,
	    .help = "the Jira issue: visible, hidden or missing" },
	{ .name = "space",
	    .id = DIAG_OPT_OPTIONS,
	    .has_arg = STR,
	    .arg = "KEY",
	    .flags = DIAG_OPTF_SENT | DIAG_OPTF_NONEMPTY,
	    .help = "the Confluence space: visible" },
	{ .name = "need-scope",
	    .id = DIAG_OPT_OPTIONS,
	    .has_arg = STR,
	    .arg = "S[,S...]",
	    .flags = DIAG_OPTF_SENT,
	    .help = "scopes the token must hold, each probed" },
	{ .name = "need-permission",
	    .id = DIAG_OPT_OPTIONS,
	    .has_arg = STR,
	    .arg = "P[,P...]",
	    .flags = DIAG_OPTF_SENT,
	    .help = "Jira permissions needed on the project or issue" },
	{ .name = "calls",
	    .id = DIAG_OPT_OPTIONS,
	    .has_arg = STR,
	    .arg = "FILE",
	    .flags = DIAG_OPTF_PATH | DIAG_OPTF_NONEMPTY,
	    .help = "the calls a pipeline makes, one METHOD PATH a line" },
	{ .name = "client-id",
	    .id = DIAG_OPT_OPTIONS,
	    .has_arg = STR,
	    .arg = "ID",
	    .flags = DIAG_OPTF_SENT | DIAG_OPTF_NONEMPTY,
	    .help = "OAuth 2.0 client ID of a service account: atldiag fetches "
		    "an access token (client credentials) and checks it" },
	{ .name = "client-secret-file",
	    .id = DIAG_OPT_OPTIONS,
	    .has_arg = STR,
	    .arg = "F",
	    .flags = DIAG_OPTF_PATH | DIAG_OPTF_NONEMPTY,
	    .help =
		"that client's secret, read from a file (with --client-id)" },
	{ .name = "probe-writes",
	    .id = DIAG_OPT_OPTIONS,
	    .has_arg = FLAG,
	    .help = "also probe write scopes (nothing is created)" },
	{ .name = "data-file",
	    .id = DIAG_OPT_OPTIONS,
	    .has_arg = STR,
	    .arg = "F",
	    .flags = DIAG_OPTF_PATH | DIAG_OPTF_NONEMPTY,
	    .help = "the request's body; never sent for a write" },
	{ .name = "expires",
	    .id = DIAG_OPT_OPTIONS,
	    .has_arg = STR,
	    .arg = "DATE",
	    .flags = DIAG_OPTF_DATE,
	    .help = "the token's expiry date, YYYY-MM-DD" },
	{ .name = "warn-expiry-days",
	    .id = DIAG_OPT_OPTIONS,
	    .has_arg = STR,
	    .arg = "N",
	    .flags = DIAG_OPTF_NUMBER,
	    .min = 0,
	    .max = 365,
	    .help = "warn when the token expires within N days" },
	{ .name = "input-format",
	    .id = DIAG_OPT_OPTIONS,
	    .has_arg = STR,
	    .arg = "FORMAT",
	    .help = "the file's format instead of detecting it" },
	{ .name = "concurrency",
	    .id = DIAG_OPT_OPTIONS,
	    .has_arg = STR,
	    .arg = "N",
	    .flags = DIAG_OPTF_NUMBER,
	    .min = 1,
	    .max = DIAG_MAX_CONCURRENCY,
	    .help = "profiles checked at once (default 4)" },
	{ .name = "per-site",
	    .id = DIAG_OPT_OPTIONS,
	    .has_arg = STR,
	    .arg = "N",
	    .flags = DIAG_OPTF_NUMBER,
	    .min = 1,
	    .max = DIAG_MAX_CONCURRENCY,
	    .help = "profiles of one site checked at once (default 2)" },
	{ .name = "save-evidence",
	    .id = DIAG_OPT_OPTIONS,
	    .has_arg = STR,
	    .arg = "FILE",
	    .flags = DIAG_OPTF_PATH | DIAG_OPTF_NONEMPTY,
	    .help = "every exchange as a redacted HAR 1.2 file (mode 0600) to "
		    "attach to a support case; `explain FILE` reads it back" },
	{ .name = "force",
	    .id = DIAG_OPT_OPTIONS,
	    .has_arg = FLAG,
	    .help = "with --save-evidence: replace FILE if it exists" },
	{ .name = "allow-inline-secrets",
	    .id = DIAG_OPT_OPTIONS,
	    .has_arg = FLAG,
	    .help = "accept tokens written in the file itself" },
	{ .name = "listen",
	    .id = DIAG_OPT_OPTIONS,
	    .has_arg = STR,
	    .arg = "ADDR:PORT",
	    .flags = DIAG_OPTF_NONEMPTY,
	    .help = "where serve listens (default 127.0.0.1 on a free port)" },
	{ .name = "allow-remote",
	    .id = DIAG_OPT_OPTIONS,
	    .has_arg = FLAG,
	    .help = "let serve listen on an address that is not loopback" },
	/* output and network: every command */
	{ .name = "format",
	    .id = DIAG_OPT_FORMAT,
	    .has_arg = STR,
	    .arg = "text|json|markdown|junit|github",
	    .flags = DIAG_OPTF_COMMON,
	    .help = "the report's format (default text)" },
	{ .name = "json",
	    .id = DIAG_OPT_JSON,
	    .has_arg = FLAG,
	    .flags = DIAG_OPTF_COMMON,
	    .help = "--format json" },
	{ .name = "output",
	    .id = DIAG_OPT_OUTPUT,
	    .has_arg = STR,
	    .arg = "FILE",
	    .flags = DIAG_OPTF_COMMON | DIAG_OPTF_PATH,
	    .help = "write the report to FILE (mode 0600)" },
	{ .name = "color",
	    .id = DIAG_OPT_COLOR,
	    .has_arg = STR,
	    .arg = "auto|always|never",
	    .flags = DIAG_OPTF_COMMON,
	    .help = "colour in text output (honours NO_COLOR)" },
	{ .name = "quiet",
	    .id = 'q',
	    .has_arg = FLAG,
	    .flags = DIAG_OPTF_COMMON,
	    .help = "no progress, no notes" },
	{ .name = "verbose",
	    .id = 'v',
	    .has_arg = FLAG,
	    .flags = DIAG_OPTF_COMMON,
	    .help = "evidence in text output" },
	{ .name = "strict",
	    .id = DIAG_OPT_STRICT,
	    .has_arg = FLAG,
	    .flags = DIAG_OPTF_COMMON,
	    .help = "warnings fail the run" },
	{ .name = "connect-to",
	    .id = DIAG_OPT_CONNECT_TO,
	    .has_arg = STR,
	    .arg = "HOST:PORT:HOST2:PORT2",
	    .flags = DIAG_OPTF_COMMON | DIAG_OPTF_SENT,
	    .help = "connect elsewhere, as curl does (repeatable)" },
	{ .name = "cacert",
	    .id = DIAG_OPT_CACERT,
	    .has_arg = STR,
	    .arg = "FILE",
	    .flags = DIAG_OPTF_COMMON | DIAG_OPTF_PATH,
	    .help = "CA certificates to trust (PEM)" },
	{ .name = "timeout",
	    .id = DIAG_OPT_TIMEOUT,
	    .has_arg = STR,
	    .arg = "SECONDS",
	    .flags = DIAG_OPTF_COMMON | DIAG_OPTF_NUMBER,
	    .min = 1,
	    .max = 600,
	    .help = "per request (default 15)" },
	{ .name = "deadline",
	    .id = DIAG_OPT_DEADLINE,
	    .has_arg = STR,
	    .arg = "SECONDS",
	    .flags = DIAG_OPTF_COMMON | DIAG_OPTF_NUMBER,
	    .min = 1,
	    .max = 86400,
	    .help = "whole run (default 2 x timeout + 10)" },
	{ .name = "allow-host",
	    .id = DIAG_OPT_ALLOW_HOST,
	    .has_arg = STR,
	    .arg = "HOST",
	    .flags = DIAG_OPTF_COMMON | DIAG_OPTF_SENT,
	    .help = "a further host requests may go to (repeatable)" },
	{ .name = "max-parallel",
	    .id = DIAG_OPT_MAX_PARALLEL,
	    .has_arg = STR,
	    .arg = "N",
	    .flags = DIAG_OPTF_COMMON | DIAG_OPTF_NUMBER,
	    .min = 1,
	    .max = 256,
	    .help = "requests in flight at once" },
	{ .name = "rules",
	    .id = DIAG_OPT_RULES,
	    .has_arg = STR,
	    .arg = "DIR",
	    .flags = DIAG_OPTF_COMMON | DIAG_OPTF_PATH,
	    .help = "rule files from DIR instead of the built-in ones" },
	{ .name = "help",
	    .id = 'h',
	    .has_arg = FLAG,
	    .flags = DIAG_OPTF_COMMON,
	    .help = "this help" },
	{ .name = "version",
	    .id = DIAG_OPT_VERSION,
	    .has_arg = FLAG,
	    .flags = DIAG_OPTF_COMMON,
	    .help = "the version" },
};

/* What check runs per credential; batch takes the same. */
#define CHECK_OPTIONS \
	"project", "issue", "space", "need-scope", "need-permission", "calls", \
	    "probe-writes", "expires", "warn-expiry-days"

static const struct diag_command commands[] = {
	{ .name = "check",
	    .run = RUN(diag_cmd_live),
	    .flags = DIAG_CMDF_INPUTS,
	    .plan = "check",
	    .options = (const char *const[]){ CHECK_OPTIONS, "url", "env-file",
		"client-id", "client-secret-file", "save-evidence", "force",
		NULL },
	    .summary = "live pre-flight of a credential",
	    .help = "Checks the site, the cloud ID, the identity through the "
		    "site and the gateway, product access and, when asked, "
		    "scopes, project, issue and space visibility and project "
		    "permissions. The exit status says go (0) or no-go (1)." },
	{ .name = "request",
	    .run = RUN(diag_cmd_live),
	    .flags = DIAG_CMDF_INPUTS,
	    .plan = "request",
	    .options = (const char *const[]){ "data-file", "project", "issue",
		"space", "need-scope", "need-permission", "calls",
		"probe-writes", "client-id", "client-secret-file", "env-file",
		"save-evidence", "force", NULL },
	    .args = "METHOD URL",
	    .summary = "replay one failing call, explain it",
	    .help = "Replays one failing read and explains the answer. A write "
		    "(POST, PUT, PATCH, DELETE) is never sent: its "
		    "preconditions are checked instead." },
	{ .name = "explain",
	    .run = RUN(diag_cmd_explain),
	    .flags = DIAG_CMDF_LOCAL_ARGS,
	    .plan = "explain",
	    .options = (const char *const[]){ "input-format", NULL },
	    .args = "[FILE|-]",
	    .summary = "offline: explain a captured exchange",
	    .help = "Explains a captured exchange (curl -v or --trace-ascii "
		    "output, a HAR file, raw HTTP) read from FILE or standard "
		    "input. Credentials in it are redacted, never printed. "
		    "FORMAT: har, curl, raw, text or auto." },
	{ .name = "lint",
	    .run = RUN(diag_cmd_lint),
	    .flags = DIAG_CMDF_INPUTS,
	    .plan = "lint",
	    .options = (const char *const[]){ "url", "env-file", NULL },
	    .summary = "offline input checks only, no network",
	    .help = "Checks the inputs offline: where each came from, the "
		    "site, the cloud ID, the email, the token and an "
		    "Authorization header." },
	{ .name = "can-i",
	    .run = RUN(diag_cmd_live),
	    .flags = DIAG_CMDF_INPUTS,
	    .plan = "can-i",
	    .options = (const char *const[]){ "project", "issue", "url",
		"client-id", "client-secret-file", "env-file", "save-evidence",
		"force", NULL },
	    .args = "PERMISSION[,...]",
	    .summary = "yes/no, exit 0/1 (needs --project or --issue)",
	    .help =
		"Answers yes (exit 0) or no (exit 1): does the account hold "
		"every listed Jira permission on the project or issue?" },
	{ .name = "scopes",
	    .run = RUN(diag_cmd_scopes),
	    .flags = DIAG_CMDF_LOCAL_ARGS,
	    .options = (const char *const[]){ "calls", NULL },
	    .args = "METHOD PATH",
	    .summary = "scopes an operation needs",
	    .help =
		"Lists the scope sets that allow the operation and the Jira "
		"permissions it needs, from the built-in catalogues; with "
		"--calls, the smallest scope set for every call of FILE." },
	{ .name = "batch",
	    .run = RUN(diag_cmd_batch),
	    .flags = DIAG_CMDF_LOCAL_ARGS,
	    .plan = "check",
	    .options = (const char *const[]){ "input-format", "concurrency",
		"per-site", "allow-inline-secrets", "env-file", CHECK_OPTIONS,
		"save-evidence", "force", NULL },
	    .args = "FILE",
	    .summary = "many credentials, one report each",
	    .help =
		"Runs check for every credential of FILE (CSV or JSON Lines, "
		"'-' for standard input) and writes one JSON report per line, "
		"or one JUnit, GitHub or Markdown document for all. --env-file "
		"files are read for a row's token_env. FORMAT: csv or jsonl." },
	{ .name = "serve",
	    .run = RUN(diag_cmd_serve),
	    .flags = DIAG_CMDF_LOCAL_ARGS,
	    .options = (const char *const[]){ "listen", "allow-remote", NULL },
	    .summary = "explain captures in a local browser page",
	    .help = "Serves a page and an API (POST /api/explain) that explain "
		    "captures in the browser, from this process alone; the "
		    "first line of standard output is the page's URL with its "
		    "one-time token. Nothing is stored or sent anywhere; it "
		    "runs until SIGINT or SIGTERM." },
	{ .name = "completion",
	    .run = RUN(diag_cmd_completion),
	    .flags = DIAG_CMDF_LOCAL_ARGS,
	    .options = (const char *const[]){ NULL },
	    .args = "bash|zsh",
	    .summary = "print a shell completion script",
	    .help = "Prints the bash or zsh completion script for atldiag, "
		    "made from this command table and the scope and permission "
		    "catalogues. `make install` and the Debian package install "
		    "both." },
	{ .name = "rules",
	    .run = RUN(diag_cmd_rules),
	    .options = (const char *const[]){ NULL },
	    .summary = "list checks and diagnosis codes",
	    .help = "Lists the checks of the plan, the commands that run each, "
		    "and every diagnosis code." },
	{ .name = "help",
	    .run = RUN(diag_cmd_help),
	    .flags = DIAG_CMDF_LOCAL_ARGS,
	    .options = (const char *const[]){ NULL },
	    .args = "[COMMAND]",
	    .summary = "a command's own usage (= COMMAND --help)",
	    .help = "Prints the usage of COMMAND with every option it takes, "
		    "or this overview." },
};

const struct diag_command *
diag_command_find(const char *name)
{
	size_t i;

	for (i = 0; i < DIAG_NELEM(commands); i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

size_t
diag_commands(const struct diag_command **out)
{
	*out = commands;
	return DIAG_NELEM(commands);
}

size_t
diag_options(const struct diag_option **out)
{
	*out = options;
	return DIAG_NELEM(options);
}

const struct diag_option *
diag_option_find(const char *name)
{
	size_t i;

	for (i = 0; i < DIAG_NELEM(options); i++)
		if (strcmp(options[i].name, name) == 0)
			return &options[i];
	return NULL;
}

int
diag_command_takes(const struct diag_command *c, const struct diag_option *o)
{
	const char *const *p;

	if (o->flags & DIAG_OPTF_COMMON)
		return 1;
	if (o->flags & DIAG_OPTF_INPUT)
		return (c->flags & DIAG_CMDF_INPUTS) != 0;
	for (p = c->options; p != NULL && *p != NULL; p++)
		if (strcmp(*p, o->name) == 0)
			return 1;
	return 0;
}

/*
 * The plan commands are the table's: each distinct .plan, in table
 * order, gets one bit (rules/plan.json names them; diag/rules/rules.h).
 */
unsigned
diag_command_bit(const char *name)
{
	size_t i, j, n = 0;

	for (i = 0; i < DIAG_NELEM(commands); i++) {
		if (commands[i].plan == NULL)
			continue;
		for (j = 0; j < i; j++)
			if (commands[j].plan != NULL &&
			    strcmp(commands[j].plan, commands[i].plan) == 0)
				break;
		if (j < i)
			continue; /* counted at its first entry */
		if (strcmp(commands[i].plan, name) == 0)
			return 1u << n;
		n++;
	}
	return 0;
}
