/* diag/report/view_recheck.c: the one re-check command of a report, filled from the run's inputs. */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "diag/core/escape.h"
#include "diag/core/model.h"
#include "diag/core/util.h"
#include "diag/report/report.h"
#include "diag/report/report_util.h"
#include "diag/report/view.h"

void diag__view_recheck(struct diag_report_view *);

/* A shell word with a control character or invalid UTF-8 in it, ANSI-C
 * quoted ($'...\x1B...'), so the line carries no raw control byte. */
static void
shell_arg_ansi(struct diag_buf *b, const char *s)
{
	size_t i, n;
	uint32_t cp;

	diag_buf_adds(b, "$'");
	for (i = 0; s[i] != '\0'; i += n) {
		n = diag_utf8_decode((const unsigned char *)s + i,
		    strnlen(s + i, 4), &cp);
		if (s[i] == '\\' || s[i] == '\'')
			diag_buf_addf(b, "\\%c", s[i]);
		else if (n == 0 || cp < 0x20 || cp == 0x7f ||
		    (cp >= 0x80 && cp < 0xa0) || cp == 0x2028 || cp == 0x2029) {
			if (n == 0)
				n = 1;
			diag_esc_visible(b, s + i, n, 0);
		} else
			diag_buf_add(b, s + i, n);
	}
	diag_buf_addc(b, '\'');
}

void
diag_view_shell_arg(struct diag_buf *b, const char *s)
{
	char *vis = diag_esc_visible_str(s, 0);
	const char *p;
	int odd = strcmp(vis, s) != 0;

	free(vis);
	if (odd) {
		shell_arg_ansi(b, s);
		return;
	}
	if (s[0] != '\0' &&
	    s[strspn(s,
		"ABCDEFGHIJKLMNOPQRSTUVWXYZ"
		"abcdefghijklmnopqrstuvwxyz0123456789@%+=:,./_-")] == '\0') {
		diag_buf_adds(b, s);
		return;
	}
	diag_buf_addc(b, '\'');
	for (p = s; *p != '\0'; p++) {
		if (*p == '\'')
			diag_buf_adds(b, "'\\''");
		else
			diag_buf_addc(b, *p);
	}
	diag_buf_addc(b, '\'');
}

static const char *
member(const struct json_object *o, const char *key, const char *m)
{
	struct json_object *in;

	if (o == NULL || !json_object_is_type(o, json_type_object) ||
	    !json_object_object_get_ex(o, key, &in) || in == NULL)
		return NULL;
	if (m != NULL &&
	    (!json_object_is_type(in, json_type_object) ||
		!json_object_object_get_ex(in, m, &in) || in == NULL))
		return NULL;
	if (json_object_is_type(in, json_type_object) ||
	    json_object_is_type(in, json_type_array))
		return NULL;
	return json_object_get_string(in);
}

/* 1 if a finding of r is about this input ("site." or "input.site_"). */
static int
touched(const struct diag_report *r, const char *key)
{
	char *a = diag_xasprintf("%s.", key);
	char *b = diag_xasprintf("input.%s_", key);
	const char *code;
	size_t i;
	int hit = 0;

	for (i = 0; i < r->n_findings && !hit; i++) {
		code = r->findings[i] != NULL ? r->findings[i]->code : NULL;
		hit = code != NULL &&
		    (diag_str_has_prefix(code, a) ||
			diag_str_has_prefix(code, b));
	}
	free(a);
	free(b);
	return hit;
}

/* " --flag value": the value filled from what the run knows. */
static void
flag_filled(const struct diag_report *r, struct diag_buf *cmd, const char *flag,
    const char *placeholder)
{
	char *v = diag_view_fill(r, placeholder, 0);

	diag_buf_addf(cmd, " %s ", flag);
	if (v[0] == '<' || strncmp(v, "admin.", 6) == 0)
		diag_buf_adds(cmd, v);
	else
		diag_view_shell_arg(cmd, v);
	free(v);
}

static void
env_add(struct diag_buf *env, const char *src)
{
	diag_buf_addf(env, "%s%s", env->len > 0 ? ", " : "", src + 4);
}

/* --site, --cloud-id, --email, --product: each from where this run read
 * it; an input a finding is about is written out, corrected. */
static void
plain_inputs(const struct diag_report *r, struct diag_buf *cmd,
    struct diag_buf *env, int header)
{
	static const struct {
		const char *key;
		const char *flag;
		const char *ph;
	} plain[] = {
		{ "site", "--site", "{site}" },
		{ "cloud_id", "--cloud-id", "{cloud_id}" },
		{ "email", "--email", "{email}" },
		{ "product", "--product", "{product}" },
	};
	const char *val, *src;
	size_t i;
	int need;

	for (i = 0; i < DIAG_NELEM(plain); i++) {
		val = member(r->inputs, plain[i].key, "value");
		src = member(r->inputs, plain[i].key, "source");
		need = i == 0 || (i == 2 && !header);
		if (touched(r, plain[i].key) || (val == NULL && need) ||
		    (src != NULL && strcmp(src, "default") != 0 &&
			strcmp(src, "auth-header") != 0 &&
			!diag_str_has_prefix(src, "env:") && val != NULL)) {
			flag_filled(r, cmd, plain[i].flag, plain[i].ph);
			continue;
		}
		if (val != NULL && src != NULL &&
		    diag_str_has_prefix(src, "env:"))
			env_add(env, src);
	}
}

/* The token and the org key: from the same file or variable, never on
 * the line; a missing token is asked for as a file. */
static void
secret_inputs(const struct diag_report *r, struct diag_buf *cmd,
    struct diag_buf *env, int header)
{
	const char *src;

	if (header)
		diag_buf_adds(cmd,
		    " --auth-header \"<the Authorization header your script "
		    "sends>\"");
	src = member(r->inputs, "token", "source");
	if (src == NULL && !header)
		diag_buf_adds(cmd, " --token-file <token-file>");
	else if (src != NULL) {
		if (diag_str_has_prefix(src, "env:"))
			env_add(env, src);
		else if (diag_str_has_prefix(src, "file:")) {
			diag_buf_adds(cmd, " --token-file ");
			diag_view_shell_arg(cmd, src + 5);
		} else if (strcmp(src, "stdin") == 0)
			diag_buf_adds(cmd, " --token-stdin < <token-file>");
		else if (!diag_str_has_prefix(src, "netrc") &&
		    strcmp(src, "auth-header") != 0)
			diag_buf_adds(cmd, " --token-file <token-file>");
	}
	src = member(r->inputs, "org_key", "source");
	if (src == NULL)
		return;
	if (diag_str_has_prefix(src, "env:"))
		env_add(env, src);
	else if (diag_str_has_prefix(src, "file:")) {
		diag_buf_adds(cmd, " --org-key-file ");
		diag_view_shell_arg(cmd, src + 5);
	} else
		diag_buf_adds(cmd, " --org-key-file <org-key-file>");
}

/* What the run was asked to prove: --project, --need-scope, ... again. */
static void
requirements(const struct diag_report *r, struct diag_buf *cmd,
    const char *command)
{
	static const struct {
		const char *key;
		const char *flag;
		const char *ph;
	} opt[] = {
		{ "project", "--project", "{project}" },
		{ "issue", "--issue", "{issue}" },
		{ "space", "--space", "{space}" },
		{ "permission", "--need-permission", "{permission}" },
		{ "scope", "--need-scope", "{scope}" },
	};
	size_t i;

	if (strcmp(command, "can-i") == 0) {
		flag_filled(r, cmd, "--project", "{project}");
		return;
	}
	if (strcmp(command, "check") != 0 && strcmp(command, "request") != 0)
		return;
	for (i = 0; i < DIAG_NELEM(opt); i++)
		if (member(r->known, opt[i].key, NULL) != NULL)
			flag_filled(r, cmd, opt[i].flag, opt[i].ph);
}

/* The command line of command with this run's inputs; env gets the
 * names of the variables it reads, as this run did. */
static char *
command_line(const struct diag_report *r, const char *command,
    struct diag_buf *env)
{
	struct diag_buf cmd = DIAG_BUF_INIT;
	const char *url = member(r->inputs, "url", "value");
	const char *method = member(r->inputs, "method", "value");
	int header = member(r->inputs, "auth_header", "source") != NULL;
	char *perm;

	diag_buf_release(env);
	if (url != NULL && touched(r, "url"))
		url = NULL;
	diag_buf_addf(&cmd, "atldiag %s", command);
	if (strcmp(command, "can-i") == 0) {
		perm = diag_view_fill(r, "{permission}", 0);
		diag_buf_addc(&cmd, ' ');
		diag_buf_adds(&cmd, perm);
		free(perm);
	}
	plain_inputs(r, &cmd, env, header);
	secret_inputs(r, &cmd, env, header);
	requirements(r, &cmd, command);
	if (strcmp(command, "lint") == 0 && url != NULL) {
		diag_buf_adds(&cmd, " --url ");
		diag_view_shell_arg(&cmd, url);
	} else if (strcmp(command, "request") == 0) {
		diag_buf_addc(&cmd, ' ');
		diag_view_shell_arg(&cmd, method != NULL ? method : "GET");
		diag_buf_addc(&cmd, ' ');
		if (url != NULL)
			diag_view_shell_arg(&cmd, url);
		else
			diag_buf_adds(&cmd, "<the corrected URL>");
	}
	return diag_buf_detach(&cmd);
}

static void
set_command(struct diag_report_view *v, const char *command, int then)
{
	struct diag_buf env = DIAG_BUF_INIT;
	char *line = command_line(v->r, command, &env);

	if (then) {
		v->recheck.then = line;
		v->recheck.then_env =
		    env.len > 0 ? diag_buf_detach(&env) : NULL;
	} else {
		v->recheck.command = line;
		v->recheck.env = env.len > 0 ? diag_buf_detach(&env) : NULL;
	}
	diag_buf_release(&env);
}

/*
 * The re-check after the fix: the same command once more (explain: the
 * call replayed with request); after lint also the live check, since
 * lint only looks at the form of the inputs. A passing lint gets only
 * the live check; another passing run gets none.
 */
void
diag__view_recheck(struct diag_report_view *v)
{
	const char *command = v->r->command;
	int pass = strcmp(v->verdict, "pass") == 0;

	if (command == NULL || v->r->error != NULL)
		return;
	if (strcmp(command, "lint") == 0 && pass) {
		v->recheck.intro =
		    diag_xstrdup("`lint` only looks at the form of the inputs. "
				 "This makes the calls (reads only)");
		set_command(v, "check", 0);
		return;
	}
	if (pass ||
	    (strcmp(command, "lint") != 0 && strcmp(command, "check") != 0 &&
		strcmp(command, "request") != 0 &&
		strcmp(command, "can-i") != 0 &&
		strcmp(command, "explain") != 0))
		return;
	if (strcmp(command, "explain") == 0) {
		v->recheck.intro =
		    diag_xstrdup("Replay the call live (reads only; atldiag "
				 "never replays a write)");
		set_command(v, "request", 0);
	} else {
		v->recheck.intro =
		    diag_xstrdup("Once the fixes above are in, run");
		set_command(v, command, 0);
	}
	if (strcmp(command, "lint") == 0) {
		v->recheck.then_intro =
		    diag_xstrdup("Then check it live (reads only)");
		set_command(v, "check", 1);
	}
}
