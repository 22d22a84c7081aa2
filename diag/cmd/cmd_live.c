/* diag/cmd/cmd_live.c: `atldiag check`, `request` and `can-i`: the live diagnosis over one curl multi handle. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <ctype.h>

#include "diag/cmd/commands.h"
#include "diag/cmd/evidence.h"
#include "diag/cmd/live_require.h"
#include "diag/engine/engine.h"
#include "diag/rules/permissions.h"
#include "diag/net/http.h"
#include "diag/rules/scopes.h"
#include "diag/core/url.h"

/* 1 when every alternative of op holds scope and one holds only it. */
static int
probes_exactly(struct json_object *op, const char *scope)
{
	struct json_object *alts, *a, *sc;
	size_t i;
	int only = 0;

	if (!json_object_object_get_ex(op, "alternatives", &alts) ||
	    json_object_array_length(alts) == 0)
		return 0;
	for (i = 0; i < json_object_array_length(alts); i++) {
		a = json_object_array_get_idx(alts, i);
		if (!json_object_object_get_ex(a, "scopes", &sc))
			return 0;
		if (!diag_json_has_str(sc, scope))
			return 0;
		if (json_object_array_length(sc) == 1)
			only = 1;
	}
	return only;
}

static const char *
jstr(struct json_object *o, const char *k)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, k, &v))
		return NULL;
	return json_object_get_string(v);
}

/*
 * "scope|METHOD|path;..." for scope.probe: for each needed scope the
 * shortest parameterless GET whose every scope alternative holds it and
 * one holds only it. Writes: only the known-safe create-issue probe (an
 * empty body Jira rejects after the gateway's scope check), and only for
 * --product jira (the method gate allows it under /ex/jira/ alone).
 */
static char *
scope_probes(const struct diag_rules *rules, const char *product,
    const char *need)
{
	struct json_object *cat, *ops, *op;
	struct diag_buf b = DIAG_BUF_INIT;
	const char *best, *p, *e;
	char *scope;
	size_t i;

	if (need == NULL || *need == '\0')
		return NULL;
	cat = diag_rules_scopes(rules); /* parsed on first use */
	if (cat == NULL || !json_object_object_get_ex(cat, "operations", &ops))
		return NULL;
	for (p = need; *p != '\0'; p = *e != '\0' ? e + 1 : e) {
		e = p + strcspn(p, ", ");
		if (e == p)
			continue;
		scope = diag_xstrndup(p, (size_t)(e - p));
		best = NULL;
		for (i = 0; i < json_object_array_length(ops); i++) {
			op = json_object_array_get_idx(ops, i);
			if (strcmp(jstr(op, "product"), product) != 0 ||
			    strcmp(jstr(op, "method"), "GET") != 0 ||
			    strchr(jstr(op, "path"), '{') != NULL ||
			    !probes_exactly(op, scope))
				continue;
			if (best == NULL ||
			    strlen(jstr(op, "path")) < strlen(best))
				best = jstr(op, "path");
		}
		if (best != NULL)
			diag_buf_addf(&b, "%s|GET|%s;", scope, best);
		else if (strcmp(product, "jira") == 0 &&
		    (strcmp(scope, "write:jira-work") == 0 ||
			strcmp(scope, "write:issue:jira") == 0))
			diag_buf_addf(&b,
			    "%s|POST|" DIAG_HTTP_WRITE_PROBE_PATH ";", scope);
		else
			diag_buf_addf(&b, "%s|GET|;", scope);
		free(scope);
	}
	return diag_buf_detach(&b);
}

/* 1 when a catalogue path template matches a concrete path. */
static int
path_match(const char *tpl, const char *path)
{
	while (*tpl != '\0' && *path != '\0') {
		if (*tpl == '{') {
			while (*tpl != '\0' && *tpl != '}')
				tpl++;
			if (*tpl == '}')
				tpl++;
			while (*path != '\0' && *path != '/')
				path++;
			continue;
		}
		if (*tpl++ != *path++)
			return 0;
	}
	return *tpl == '\0' && (*path == '\0' || *path == '?');
}

/* The scope alternatives of the user's request, "a+b | c", or NULL. */
static char *
request_scopes(const struct diag_rules *rules, const char *method,
    const char *url)
{
	struct json_object *cat = diag_rules_scopes(rules), *ops, *op, *alts,
			   *sc;
	struct diag_url u;
	struct diag_buf b = DIAG_BUF_INIT;
	const char *path;
	size_t i, j, k;

	if (cat == NULL ||
	    !json_object_object_get_ex(cat, "operations", &ops) ||
	    diag_url_parse(url, &u) != 0)
		return NULL;
	path = u.path;
	if (strncmp(path, "/ex/", 4) == 0) {
		path = strchr(path + 4, '/');
		path = path != NULL ? strchr(path + 1, '/') : NULL;
		if (path == NULL)
			path = "/";
	}
	for (i = 0; i < json_object_array_length(ops) && b.len == 0; i++) {
		op = json_object_array_get_idx(ops, i);
		if (strcasecmp(jstr(op, "method"), method) != 0 ||
		    !path_match(jstr(op, "path"), path) ||
		    !json_object_object_get_ex(op, "alternatives", &alts))
			continue;
		for (j = 0; j < json_object_array_length(alts); j++) {
			if (!json_object_object_get_ex(
				json_object_array_get_idx(alts, j), "scopes",
				&sc) ||
			    json_object_array_length(sc) == 0)
				continue;
			if (b.len > 0)
				diag_buf_adds(&b, " | ");
			for (k = 0; k < json_object_array_length(sc); k++)
				diag_buf_addf(&b, "%s%s", k > 0 ? "+" : "",
				    json_object_get_string(
					json_object_array_get_idx(sc, k)));
		}
	}
	diag_url_release(&u);
	if (b.len == 0) {
		diag_buf_release(&b);
		return NULL;
	}
	return diag_buf_detach(&b);
}

static int
usage_args(struct diag_cmd *c)
{
	struct diag_opts *o = c->opts;
	struct diag_buf b = DIAG_BUF_INIT;
	size_t i;
	char *m;

	if (strcmp(o->command, "request") == 0) {
		if (o->n_args != 2) {
			diag_errorf(
			    "request needs METHOD URL, e.g. 'atldiag request "
			    "GET https://acme.atlassian.net/rest/api/3/"
			    "myself'");
			return -1;
		}
		m = diag_xstrdup(o->args[0]);
		for (i = 0; m[i] != '\0'; i++)
			m[i] = (char)toupper((unsigned char)m[i]);
		diag_inputs_set(&c->inputs, DIAG_IN_METHOD, m, strlen(m),
		    "argument");
		diag_inputs_set(&c->inputs, DIAG_IN_URL, o->args[1],
		    strlen(o->args[1]), "argument");
		free(m);
		return 0;
	}
	if (strcmp(o->command, "can-i") == 0) {
		if (o->n_args == 0) {
			diag_errorf(
			    "can-i needs one or more permissions, e.g. "
			    "'atldiag can-i CREATE_ISSUES --project KEY'");
			return -1;
		}
		if (!json_object_object_get_ex(o->options, "project", NULL) &&
		    !json_object_object_get_ex(o->options, "issue", NULL)) {
			diag_errorf("can-i needs --project KEY or --issue KEY");
			return -1;
		}
		for (i = 0; i < o->n_args; i++)
			diag_buf_addf(&b, "%s%s", i > 0 ? "," : "", o->args[i]);
		json_object_object_add(o->options, "need-permission",
		    json_object_new_string(diag_buf_str(&b)));
		diag_buf_release(&b);
		if (!json_object_object_get_ex(o->options, "project", NULL)) {
			const char *k = json_object_get_string(
			    json_object_object_get(o->options, "issue"));

			m = diag_xstrndup(k, strcspn(k, "-"));
			json_object_object_add(o->options, "project",
			    json_object_new_string(m));
			free(m);
		}
		return 0;
	}
	if (o->n_args > 0) {
		diag_errorf("check takes no arguments, got '%s'", o->args[0]);
		return -1;
	}
	return 0;
}

/* "yes" or "no" as project.access read permission perm, else "unknown". */
static const char *
perm_answer(struct json_object *perms, const char *perm)
{
	struct json_object *v;

	if (!json_object_object_get_ex(perms, perm, &v))
		return "unknown";
	return json_object_get_boolean(v) ? "yes" : "no";
}

/*
 * can-i with several permissions: one "PERMISSION yes|no" line each, as
 * project.access read them from mypermissions (report member
 * "permissions"); the overall answer follows on the last line.
 */
static void
can_i_lines(struct diag_cmd *c)
{
	struct json_object *perms;
	size_t i;

	if (c->opts->n_args == 0 || c->report->extra == NULL ||
	    !json_object_object_get_ex(c->report->extra, "permissions", &perms))
		return;
	if (c->opts->n_args == 1 && strchr(c->opts->args[0], ',') == NULL)
		return;
	for (i = 0; i < c->opts->n_args; i++) {
		const char *p = c->opts->args[i], *e;
		char *perm;

		for (; *p != '\0'; p = *e != '\0' ? e + 1 : e) {
			e = p + strcspn(p, ",");
			if (e == p)
				continue;
			perm = diag_xstrndup(p, (size_t)(e - p));
			diag_buf_addf(&c->out, "%s %s\n", perm,
			    perm_answer(perms, perm));
			free(perm);
		}
	}
}

int
diag__live_prepare(const struct diag_rules *rules, const struct diag_inputs *in,
    struct json_object *options)
{
	const struct diag_input *u = &in->in[DIAG_IN_URL];
	const char *product, *need, *method;
	char *s, *calls_need = NULL, *merged = NULL;

	product = "jira";
	if (in->in[DIAG_IN_PRODUCT].value != NULL &&
	    strstr(in->in[DIAG_IN_PRODUCT].value, "confluence") != NULL)
		product = "confluence";
	need = json_object_get_string(
	    json_object_object_get(options, "need-scope"));
	/* Only catalogue names reach the probe plan (never a method or a
	 * path smuggled in a name). */
	if (need != NULL &&
	    (s = diag_scopes_check_names(diag_scopes_default(), need)) !=
		NULL) {
		diag_errorf("--need-scope: %s", s);
		free(s);
		return -1;
	}
	if (diag_scopes_calls_option(rules, options, &calls_need) != 0)
		return -1;
	if (calls_need != NULL && *calls_need != '\0') {
		merged = diag_xasprintf("%s%s%s", need != NULL ? need : "",
		    need != NULL ? "," : "", calls_need);
		need = merged;
	}
	if ((s = scope_probes(rules, product, need)) != NULL) {
		json_object_object_add(options, "scope-probes",
		    json_object_new_string(s));
		free(s);
	}
	free(merged);
	free(calls_need);
	method = in->in[DIAG_IN_METHOD].value;
	if (method == NULL)
		method = "GET";
	if (u->value != NULL &&
	    (s = request_scopes(rules, method, u->value)) != NULL) {
		json_object_object_add(options, "request-scopes",
		    json_object_new_string(s));
		free(s);
	}
	return 0;
}

/*
 * --need-permission (and can-i's PERMISSION arguments): a key the
 * permission catalogue does not know is a usage error naming the nearest
 * known keys; Jira would refuse it with a 400 that proves nothing.
 */
static int
usage_permissions(struct diag_cmd *c)
{
	struct json_object *v;
	char *err = NULL;

	if (!json_object_object_get_ex(c->opts->options, "need-permission",
		&v) ||
	    diag_perms_check_names(diag_perms_default(),
		json_object_get_string(v), &err) == 0)
		return 0;
	diag_errorf("%s; 'atldiag scopes METHOD PATH' shows the permissions an "
		    "operation needs",
	    err);
	free(err);
	return -1;
}

/* can-i's answer in a word: yes, no or unknown. */
static const char *
can_i_word(int can)
{
	if (can == 1)
		return "yes";
	return can == 0 ? "no" : "unknown";
}

/* can-i's answer as an exit code: yes 0, no 1, unknown 3. */
static enum diag_exit
can_i_exit(int can)
{
	if (can == 1)
		return DIAG_EXIT_OK;
	return can == 0 ? DIAG_EXIT_FAIL : DIAG_EXIT_INCONCLUSIVE;
}

/*
 * can-i: the answer (report member "answer") and its exit code: yes when
 * the run passed and project.access did, unknown when inconclusive.
 */
static enum diag_exit
can_i_answer(struct diag_cmd *c, int *can)
{
	size_t i;

	*can = c->report->exit_code == DIAG_EXIT_OK;
	for (i = 0; i < c->report->n_checks; i++)
		if (strcmp(c->report->checks[i].id, "project.access") == 0 &&
		    c->report->checks[i].status != DIAG_PASS)
			*can = 0;
	if (c->report->exit_code == DIAG_EXIT_INCONCLUSIVE)
		*can = -1;
	if (c->report->extra == NULL)
		c->report->extra = json_object_new_object();
	json_object_object_add(c->report->extra, "answer",
	    json_object_new_string(can_i_word(*can)));
	c->report->exit_code = can_i_exit(*can);
	return c->report->exit_code;
}

/* Runs the engine for the command into c->report (evidence listening). */
static void
live_run(struct diag_cmd *c, struct diag_evidence *ev)
{
	struct diag_engine_opts eo;
	struct diag_evidence_run *run;

	memset(&eo, 0, sizeof(eo));
	eo.command = c->opts->command;
	eo.rules = c->rules;
	eo.inputs = &c->inputs;
	eo.options = c->opts->options;
	eo.net = &c->opts->net;
	run = diag_evidence_run_new(ev, &eo, 0, NULL);
	c->report = diag_report_new(c->opts->command);
	if (diag_engine_run(&eo, c->report) != 0) {
		diag_errorf("internal error: %s", c->report->error);
		c->report->exit_code = DIAG_EXIT_INTERNAL;
	}
	diag__live_requirements(c->report, c->rules, c->opts->options,
	    c->inputs.in[DIAG_IN_METHOD].value,
	    strcmp(c->opts->command, "request") == 0 ?
		c->inputs.in[DIAG_IN_URL].value :
		NULL);
	diag_report_finish(c->report, c->opts->strict);
	diag_evidence_run_end(run, c->report, c->opts->options);
}

enum diag_exit
diag_cmd_live(struct diag_cmd *c)
{
	struct diag_evidence *ev;
	enum diag_exit code;
	int can = -1, usage, can_i;

	if (usage_args(c) != 0 || usage_permissions(c) != 0)
		return DIAG_EXIT_USAGE;
	if (c->opts->in.url != NULL && c->inputs.in[DIAG_IN_URL].value == NULL)
		diag_inputs_set(&c->inputs, DIAG_IN_URL, c->opts->in.url,
		    strlen(c->opts->in.url), "flag:--url");
	/* Scope names are checked against the catalogue of --rules (parsed
	 * only when needed: it is large). */
	if (json_object_object_get_ex(c->opts->options, "need-scope", NULL))
		diag_scopes_set_default(diag_rules_scopes(c->rules));
	if (diag__live_prepare(c->rules, &c->inputs, c->opts->options) != 0)
		return DIAG_EXIT_USAGE;
	ev = diag_evidence_new(c->opts, &usage);
	if (usage)
		return DIAG_EXIT_USAGE;
	can_i = strcmp(c->opts->command, "can-i") == 0;
	live_run(c, ev);
	code = c->report->exit_code;
	if (can_i && code != DIAG_EXIT_INTERNAL)
		code = can_i_answer(c, &can);
	if (diag_evidence_write(ev, c->opts->command, code) != 0)
		code = DIAG_EXIT_USAGE;
	diag_evidence_free(ev);
	if (can_i && code != DIAG_EXIT_INTERNAL &&
	    c->opts->format == DIAG_FORMAT_TEXT) {
		if (!c->opts->quiet)
			can_i_lines(c);
		if (can == 1 || can == 0)
			diag_buf_addf(&c->out, "%s\n", can_i_word(can));
		else
			diag_buf_adds(&c->out, "unknown (inconclusive)\n");
		diag_report_free(c->report);
		c->report = NULL;
	}
	return code;
}
