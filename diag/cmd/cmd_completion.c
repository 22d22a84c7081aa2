/* diag/cmd/cmd_completion.c: `atldiag completion bash|zsh`: shell completion scripts generated from the command table and the catalogues. */
#include <stdlib.h>
#include <string.h>

#include "diag/cmd/commands.h"
#include "diag/rules/permissions.h"
#include "diag/rules/scopes.h"

#ifndef ATLDIAG_VERSION
#define ATLDIAG_VERSION "0.1.0"
#endif

/* What an option's value or a command's argument completes to. */
enum comp_kind {
	COMP_TEXT = 0, /* free text: nothing is offered */
	COMP_WORDS, /* one of a fixed list of words */
	COMP_FILE,
	COMP_DIR,
	COMP_SCOPES, /* scope names, a comma-separated list */
	COMP_PERMS, /* permission keys, a comma-separated list */
};

static const char *const kind_names[] = { "text", "words", "file", "dir",
	"scopes", "perms" };

struct comp_opt {
	const char *name; /* long name, without "--" */
	int letter; /* its short form, or 0 */
	int has_arg;
};

struct comp_cmd {
	const char *name; /* NULL: before any command */
	struct comp_opt *opts; /* owned */
	size_t n_opts;
};

/* The commands, and the options taken before a command. */
struct comp_table {
	struct comp_cmd *cmds; /* owned */
	size_t n;
	struct comp_cmd global;
};

/* Values with a fixed form; an option taking a value not named here is
 * free text. Each word is one the parser accepts (tests/cli/completion.sh
 * tries those of --format and --color). */
static const struct {
	const char *option;
	enum comp_kind kind;
	const char *words;
} option_values[] = {
	{ "format", COMP_WORDS, "text json markdown junit github" },
	{ "color", COMP_WORDS, "auto always never" },
	{ "product", COMP_WORDS, "jira confluence" },
	{ "input-format", COMP_WORDS, "auto har curl raw text csv jsonl json" },
	{ "need-scope", COMP_SCOPES, NULL },
	{ "need-permission", COMP_PERMS, NULL },
	{ "token-file", COMP_FILE, NULL },
	{ "org-key-file", COMP_FILE, NULL },
	{ "client-secret-file", COMP_FILE, NULL },
	{ "netrc-file", COMP_FILE, NULL },
	{ "env-file", COMP_FILE, NULL },
	{ "calls", COMP_FILE, NULL },
	{ "data-file", COMP_FILE, NULL },
	{ "cacert", COMP_FILE, NULL },
	{ "output", COMP_FILE, NULL },
	{ "rules", COMP_DIR, NULL },
};

#define METHODS "GET POST PUT PATCH DELETE HEAD OPTIONS"

/* The positional arguments of the commands that take some. */
static const struct {
	const char *command;
	enum comp_kind kind[2]; /* first and second argument */
	const char *words[2];
} command_args[] = {
	{ "batch", { COMP_FILE, COMP_TEXT }, { NULL, NULL } },
	{ "can-i", { COMP_PERMS, COMP_TEXT }, { NULL, NULL } },
	{ "completion", { COMP_WORDS, COMP_TEXT }, { "bash zsh", NULL } },
	{ "explain", { COMP_FILE, COMP_TEXT }, { NULL, NULL } },
	{ "request", { COMP_WORDS, COMP_TEXT }, { METHODS, NULL } },
	{ "scopes", { COMP_WORDS, COMP_TEXT }, { METHODS, NULL } },
};

/* Copies into c the options command takes (all of them when command is
 * NULL: any option may come before the command, which then checks it). */
static void
copy_options(struct comp_cmd *c, const struct diag_command *command)
{
	const struct diag_option *opts;
	size_t n, j;

	n = diag_options(&opts);
	c->opts = diag_xcalloc(n > 0 ? n : 1, sizeof(*c->opts));
	c->n_opts = 0;
	for (j = 0; j < n; j++) {
		if (command != NULL && !diag_command_takes(command, &opts[j]))
			continue;
		c->opts[c->n_opts].name = opts[j].name;
		c->opts[c->n_opts].has_arg = opts[j].has_arg != no_argument;
		if (opts[j].id > 0 && opts[j].id < 128)
			c->opts[c->n_opts].letter = opts[j].id;
		c->n_opts++;
	}
}

/*
 * The one place that reads the command table (diag/cmd/commands.c): every
 * command and the long options it takes, with their short forms, and
 * those that may come before a command. Release with free_table().
 */
static void
load_table(struct comp_table *t)
{
	const struct diag_command *cmds;
	size_t i;

	t->n = diag_commands(&cmds);
	t->cmds = diag_xcalloc(t->n, sizeof(*t->cmds));
	for (i = 0; i < t->n; i++) {
		t->cmds[i].name = cmds[i].name;
		copy_options(&t->cmds[i], &cmds[i]);
	}
	t->global.name = NULL;
	copy_options(&t->global, NULL);
}

static void
free_table(struct comp_table *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		free(t->cmds[i].opts);
	free(t->cmds);
	free(t->global.opts);
}

/* The kind (and words) of an option's value. */
static enum comp_kind
value_kind(const char *option, const char **words)
{
	size_t i;

	*words = NULL;
	for (i = 0; i < DIAG_NELEM(option_values); i++)
		if (strcmp(option_values[i].option, option) == 0) {
			*words = option_values[i].words;
			return option_values[i].kind;
		}
	return COMP_TEXT;
}

/* s in single quotes, for sh and zsh alike. */
static void
add_quoted(struct diag_buf *b, const char *s)
{
	diag_buf_addc(b, '\'');
	for (; *s != '\0'; s++) {
		if (*s == '\'')
			diag_buf_adds(b, "'\\''");
		else
			diag_buf_addc(b, *s);
	}
	diag_buf_addc(b, '\'');
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

struct names {
	const char **v;
	size_t n;
};

static void
add_name(void *arg, const char *name)
{
	struct names *ns = arg;

	ns->v = diag_xrealloc(ns->v, (ns->n + 1) * sizeof(*ns->v));
	ns->v[ns->n++] = name;
}

/* Every scope name of the catalogue, or every permission key, sorted and
 * unique, separated by spaces (owned). */
static char *
catalogue_words(enum comp_kind kind)
{
	struct names ns = { NULL, 0 };
	struct diag_buf b = DIAG_BUF_INIT;
	const struct diag_perms *p;
	const char *k;
	size_t i;

	if (kind == COMP_SCOPES)
		diag_scopes_each_name(diag_scopes_default(), add_name, &ns);
	else {
		p = diag_perms_default();
		for (i = 0; (k = diag_perms_key(p, i)) != NULL; i++)
			add_name(&ns, k);
	}
	if (ns.n > 0)
		qsort(ns.v, ns.n, sizeof(*ns.v), cmp_str);
	for (i = 0; i < ns.n; i++) {
		if (i > 0 && strcmp(ns.v[i], ns.v[i - 1]) == 0)
			continue;
		diag_buf_addf(&b, "%s%s", b.len > 0 ? " " : "", ns.v[i]);
	}
	free(ns.v);
	return diag_buf_detach(&b);
}

/* A command's options as one word list: "-q --quiet --site ..." (owned). */
static char *
option_words(const struct comp_cmd *c)
{
	struct diag_buf b = DIAG_BUF_INIT;
	size_t i;

	for (i = 0; i < c->n_opts; i++) {
		if (c->opts[i].letter != 0)
			diag_buf_addf(&b, "%s-%c", b.len > 0 ? " " : "",
			    c->opts[i].letter);
		diag_buf_addf(&b, "%s--%s", b.len > 0 ? " " : "",
		    c->opts[i].name);
	}
	return diag_buf_detach(&b);
}

/* The command names, space-separated (owned). */
static char *
command_words(const struct comp_table *t)
{
	struct diag_buf b = DIAG_BUF_INIT;
	size_t i;

	for (i = 0; i < t->n; i++)
		diag_buf_addf(&b, "%s%s", i > 0 ? " " : "", t->cmds[i].name);
	return diag_buf_detach(&b);
}

/* Appends name=<quoted owned value> and a newline; frees value. */
static void
add_assign(struct diag_buf *b, const char *name, char *value)
{
	diag_buf_addf(b, "%s=", name);
	add_quoted(b, value);
	diag_buf_addc(b, '\n');
	free(value);
}

/* The fixed part of the bash script: finding the word, its context and
 * the candidates, with the tables above it. */
static const char bash_body[] =
    "# _atldiag_offer PREFIX CUR: adds PREFIX before each completion of CUR "
    "as\n"
    "# a $kind (with $words) to COMPREPLY; scopes and permissions complete "
    "the\n"
    "# last item of a comma-separated list.\n"
    "_atldiag_offer()\n"
    "{\n"
    "\tlocal pre=$1 cur=$2 item\n"
    "\tlocal -a found=()\n"
    "\tcase $kind in\n"
    "\tscopes | perms)\n"
    "\t\tif [ \"$kind\" = scopes ]; then words=$_atldiag_scopes; else "
    "words=$_atldiag_perms; fi\n"
    "\t\tcase $cur in\n"
    "\t\t*,*) pre=$pre${cur%,*}, cur=${cur##*,} ;;\n"
    "\t\tesac\n"
    "\t\tmapfile -t found < <(compgen -W \"$words\" -- \"$cur\") ;;\n"
    "\twords) mapfile -t found < <(compgen -W \"$words\" -- \"$cur\") ;;\n"
    "\tfile)\n"
    "\t\tcompopt -o filenames 2>/dev/null\n"
    "\t\tmapfile -t found < <(compgen -f -- \"$cur\") ;;\n"
    "\tdir)\n"
    "\t\tcompopt -o filenames 2>/dev/null\n"
    "\t\tmapfile -t found < <(compgen -d -- \"$cur\") ;;\n"
    "\tesac\n"
    "\tfor item in \"${found[@]}\"; do\n"
    "\t\tCOMPREPLY+=(\"$pre$item\")\n"
    "\tdone\n"
    "}\n"
    "\n"
    "# _atldiag_trim WORD: bash replaces only what follows the last\n"
    "# COMP_WORDBREAKS character of WORD (= and : by default), so each\n"
    "# completion loses what precedes it.\n"
    "_atldiag_trim()\n"
    "{\n"
    "\tlocal word=$1 keep= c i item\n"
    "\tlocal -a kept=()\n"
    "\tfor ((i = ${#word} - 1; i >= 0; i--)); do\n"
    "\t\tc=${word:i:1}\n"
    "\t\tcase $COMP_WORDBREAKS in\n"
    "\t\t*\"$c\"*) keep=${word:0:i+1}; break ;;\n"
    "\t\tesac\n"
    "\tdone\n"
    "\t[ -n \"$keep\" ] || return 0\n"
    "\tfor item in \"${COMPREPLY[@]}\"; do\n"
    "\t\tkept+=(\"${item#\"$keep\"}\")\n"
    "\tdone\n"
    "\tCOMPREPLY=(\"${kept[@]}\")\n"
    "}\n"
    "\n"
    "# The line up to the cursor, split at blanks: the command, how many\n"
    "# arguments precede the word, and whether that word is an option's "
    "value.\n"
    "_atldiag()\n"
    "{\n"
    "\tlocal line=${COMP_LINE:0:COMP_POINT} cur= cmd= kind= words= w skip= n=0 "
    "i\n"
    "\tlocal -a argv=()\n"
    "\tread -r -a argv <<<\"$line\"\n"
    "\tcase $line in\n"
    "\t*[[:space:]]) ;;\n"
    "\t*) cur=${argv[${#argv[@]}-1]}; unset \"argv[${#argv[@]}-1]\" ;;\n"
    "\tesac\n"
    "\tfor ((i = 1; i < ${#argv[@]}; i++)); do\n"
    "\t\tw=${argv[i]}\n"
    "\t\tif [ -n \"$skip\" ]; then\n"
    "\t\t\tskip=\n"
    "\t\t\tcontinue\n"
    "\t\tfi\n"
    "\t\tcase $w in\n"
    "\t\t--*=*) ;;\n"
    "\t\t-?*) _atldiag_value \"$w\" && skip=1 ;;\n"
    "\t\t*) if [ -z \"$cmd\" ]; then cmd=$w; else n=$((n + 1)); fi ;;\n"
    "\t\tesac\n"
    "\tdone\n"
    "\tCOMPREPLY=()\n"
    "\tif [ -n \"$skip\" ]; then\n"
    "\t\t_atldiag_value \"${argv[${#argv[@]}-1]}\"\n"
    "\t\t_atldiag_offer '' \"$cur\"\n"
    "\telif [[ $cur == --*=* ]]; then\n"
    "\t\t_atldiag_value \"${cur%%=*}\" && _atldiag_offer \"${cur%%=*}=\" "
    "\"${cur#*=}\"\n"
    "\telif [[ $cur == -* ]]; then\n"
    "\t\t_atldiag_options \"$cmd\"\n"
    "\t\tkind=words\n"
    "\t\t_atldiag_offer '' \"$cur\"\n"
    "\telif [ -z \"$cmd\" ]; then\n"
    "\t\tkind=words words=$_atldiag_commands\n"
    "\t\t_atldiag_offer '' \"$cur\"\n"
    "\telse\n"
    "\t\t_atldiag_arg \"$cmd\" $((n + 1))\n"
    "\t\t_atldiag_offer '' \"$cur\"\n"
    "\tfi\n"
    "\t_atldiag_trim \"$cur\"\n"
    "}\n"
    "\n"
    "complete -F _atldiag atldiag\n";

/* One case arm: PATTERN) kind=K words='W' ;; */
static void
bash_arm(struct diag_buf *b, const char *pattern, enum comp_kind k,
    const char *words)
{
	diag_buf_addf(b, "\t%s) kind=%s words=", pattern, kind_names[k]);
	add_quoted(b, words != NULL ? words : "");
	diag_buf_adds(b, " ;;\n");
}

/* _atldiag_value: each option that takes a value, its kind and words. */
static void
bash_values(struct diag_buf *b, const struct comp_cmd *g)
{
	const char *words;
	char *pattern;
	size_t i;
	enum comp_kind k;

	diag_buf_adds(b,
	    "# _atldiag_value OPTION: sets kind and words for OPTION's value; "
	    "fails when\n# OPTION takes none.\n"
	    "_atldiag_value()\n{\n\tcase $1 in\n");
	for (i = 0; i < g->n_opts; i++) {
		if (!g->opts[i].has_arg)
			continue;
		k = value_kind(g->opts[i].name, &words);
		pattern = g->opts[i].letter != 0 ?
		    diag_xasprintf("--%s|-%c", g->opts[i].name,
			g->opts[i].letter) :
		    diag_xasprintf("--%s", g->opts[i].name);
		bash_arm(b, pattern, k, words);
		free(pattern);
	}
	diag_buf_adds(b, "\t*) return 1 ;;\n\tesac\n}\n\n");
}

/* _atldiag_options and _atldiag_arg: each command's options, and its
 * positional arguments. */
static void
bash_commands(struct diag_buf *b, const struct comp_table *t)
{
	char *w, *pattern;
	size_t i;
	int j;

	diag_buf_adds(b,
	    "# _atldiag_options COMMAND: sets words to the options COMMAND "
	    "takes.\n_atldiag_options()\n{\n\tcase $1 in\n");
	for (i = 0; i < t->n; i++) {
		w = option_words(&t->cmds[i]);
		bash_arm(b, t->cmds[i].name, COMP_WORDS, w);
		free(w);
	}
	w = option_words(&t->global);
	bash_arm(b, "*", COMP_WORDS, w);
	free(w);
	diag_buf_adds(b,
	    "\tesac\n}\n\n# _atldiag_arg COMMAND N: sets kind and words for "
	    "COMMAND's Nth argument.\n_atldiag_arg()\n{\n"
	    "\tcase $1:$2 in\n");
	for (i = 0; i < DIAG_NELEM(command_args); i++)
		for (j = 0; j < 2; j++) {
			if (command_args[i].kind[j] == COMP_TEXT)
				continue;
			pattern = diag_xasprintf("%s:%d",
			    command_args[i].command, j + 1);
			bash_arm(b, pattern, command_args[i].kind[j],
			    command_args[i].words[j]);
			free(pattern);
		}
	bash_arm(b, "*", COMP_TEXT, NULL);
	diag_buf_adds(b, "\tesac\n}\n\n");
}

static void
bash_script(struct diag_buf *b, const struct comp_table *t)
{
	diag_buf_addf(b,
	    "# bash completion for atldiag %s, generated by `atldiag "
	    "completion bash`\n# from its command table and catalogues: do not "
	    "edit.\n\n",
	    ATLDIAG_VERSION);
	add_assign(b, "_atldiag_commands", command_words(t));
	add_assign(b, "_atldiag_scopes", catalogue_words(COMP_SCOPES));
	add_assign(b, "_atldiag_perms", catalogue_words(COMP_PERMS));
	diag_buf_addc(b, '\n');
	bash_values(b, &t->global);
	bash_commands(b, t);
	diag_buf_adds(b, bash_body);
}

/* The _arguments action for a kind: "(a b)", "_files", ... (owned). */
static char *
zsh_action(enum comp_kind k, const char *words)
{
	switch (k) {
	case COMP_WORDS:
		return diag_xasprintf("(%s)", words != NULL ? words : "");
	case COMP_FILE:
		return diag_xstrdup("_files");
	case COMP_DIR:
		return diag_xstrdup("_files -/");
	case COMP_SCOPES:
		return diag_xstrdup("_sequence compadd - $scopes");
	case COMP_PERMS:
		return diag_xstrdup("_sequence compadd - $perms");
	case COMP_TEXT:
	default:
		return diag_xstrdup(" ");
	}
}

/* One _arguments spec per option of c, then its positional arguments,
 * each on a line of its own indented by ind. */
static void
zsh_specs(struct diag_buf *b, const struct comp_cmd *c, const char *ind)
{
	const char *words;
	char *action, *spec;
	enum comp_kind k;
	size_t i;
	int j;

	for (i = 0; i < c->n_opts; i++) {
		if (c->opts[i].letter != 0)
			diag_buf_addf(b, " \\\n%s'*-%c'", ind,
			    c->opts[i].letter);
		if (!c->opts[i].has_arg) {
			diag_buf_addf(b, " \\\n%s'*--%s'", ind,
			    c->opts[i].name);
			continue;
		}
		k = value_kind(c->opts[i].name, &words);
		action = zsh_action(k, words);
		spec = diag_xasprintf("*--%s=:%s:%s", c->opts[i].name,
		    c->opts[i].name, action);
		diag_buf_addf(b, " \\\n%s", ind);
		add_quoted(b, spec);
		free(spec);
		free(action);
	}
	for (i = 0; c->name != NULL && i < DIAG_NELEM(command_args); i++) {
		if (strcmp(command_args[i].command, c->name) != 0)
			continue;
		for (j = 0; j < 2; j++) {
			if (command_args[i].kind[j] == COMP_TEXT)
				continue;
			action = zsh_action(command_args[i].kind[j],
			    command_args[i].words[j]);
			spec = diag_xasprintf("%d:%s:%s", j + 1,
			    kind_names[command_args[i].kind[j]], action);
			diag_buf_addf(b, " \\\n%s", ind);
			add_quoted(b, spec);
			free(spec);
			free(action);
		}
	}
}

/* s='WORDS'; NAME=( ${=s} ): a word list, quoted, split by zsh. */
static void
zsh_array(struct diag_buf *b, const char *name, char *words)
{
	diag_buf_adds(b, "\ts=");
	add_quoted(b, words);
	diag_buf_addf(b, "; %s=( ${=s} )\n", name);
	free(words);
}

static void
zsh_script(struct diag_buf *b, const struct comp_table *t)
{
	size_t i;

	diag_buf_addf(b,
	    "#compdef atldiag\n# zsh completion for atldiag %s, generated by "
	    "`atldiag completion zsh`\n# from its command table and "
	    "catalogues: do not edit.\n\n_atldiag()\n{\n"
	    "\tlocal curcontext=$curcontext state state_descr line s ret=1\n"
	    "\tlocal -a commands scopes perms\n\ttypeset -A opt_args\n",
	    ATLDIAG_VERSION);
	zsh_array(b, "commands", command_words(t));
	zsh_array(b, "scopes", catalogue_words(COMP_SCOPES));
	zsh_array(b, "perms", catalogue_words(COMP_PERMS));
	diag_buf_adds(b, "\t_arguments -C -s");
	zsh_specs(b, &t->global, "\t    ");
	diag_buf_adds(b,
	    " \\\n\t    '1:command:->command' \\\n"
	    "\t    '*::argument:->argument' && ret=0\n"
	    "\tcase $state in\n\tcommand)\n"
	    "\t\t_describe -t commands 'atldiag command' commands && ret=0 ;;\n"
	    "\targument)\n"
	    "\t\tcurcontext=${curcontext%:*:*}:atldiag-$words[1]:\n"
	    "\t\tcase $words[1] in\n");
	for (i = 0; i < t->n; i++) {
		diag_buf_addf(b, "\t\t%s)\n\t\t\t_arguments -s",
		    t->cmds[i].name);
		zsh_specs(b, &t->cmds[i], "\t\t\t    ");
		diag_buf_adds(b, " && ret=0 ;;\n");
	}
	diag_buf_adds(b,
	    "\t\tesac ;;\n\tesac\n\treturn ret\n}\n\n"
	    "_atldiag \"$@\"\n");
}

enum diag_exit
diag_cmd_completion(struct diag_cmd *cmd)
{
	struct comp_table t;

	if (cmd->opts->n_args != 1 ||
	    (strcmp(cmd->opts->args[0], "bash") != 0 &&
		strcmp(cmd->opts->args[0], "zsh") != 0)) {
		diag_errorf("completion takes one argument, bash or zsh: "
			    "atldiag completion bash");
		return DIAG_EXIT_USAGE;
	}
	memset(&t, 0, sizeof(t));
	load_table(&t);
	if (strcmp(cmd->opts->args[0], "bash") == 0)
		bash_script(&cmd->out, &t);
	else
		zsh_script(&cmd->out, &t);
	free_table(&t);
	return DIAG_EXIT_OK;
}
