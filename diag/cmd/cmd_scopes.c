/* diag/cmd/cmd_scopes.c: `atldiag scopes`: the scope sets an operation (or a calls file) needs. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "diag/cmd/commands.h"
#include "diag/rules/permissions.h"
#include "diag/rules/scopes.h"

static void add_json(struct diag_buf *, struct json_object *);
static void text_set(struct diag_buf *, const char *,
    const struct diag_scopes_set *);
static int answer_one(struct diag_cmd *, const struct diag_scopes *);
static int answer_plan(struct diag_cmd *, const struct diag_scopes *,
    const char *);

static void
add_json(struct diag_buf *b, struct json_object *doc)
{
	diag_buf_adds(b,
	    json_object_to_json_string_ext(doc,
		JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
		    JSON_C_TO_STRING_NOSLASHESCAPE));
	diag_buf_addc(b, '\n');
}

static struct json_object *
near_json(const struct diag_scopes_match *m)
{
	struct json_object *a, *o;
	size_t i;

	a = json_object_new_array();
	for (i = 0; i < m->n_near; i++) {
		o = json_object_new_object();
		json_object_object_add(o, "method",
		    json_object_new_string(m->near[i]->method));
		json_object_object_add(o, "template",
		    json_object_new_string(m->near[i]->path));
		json_object_object_add(o, "operation",
		    json_object_new_string(m->near[i]->operation));
		json_object_array_add(a, o);
	}
	return a;
}

static void
add_notes(struct json_object *notes, const struct diag_scopes_match *m)
{
	if (m->wiki_added)
		json_object_array_add(notes,
		    json_object_new_string(
			"Confluence paths start with /wiki: the path was given "
			"without it (a call without /wiki fails), matched with "
			"it"));
	if (m->v2_mapped)
		json_object_array_add(notes,
		    json_object_new_string(
			"the catalogue has REST API v3 only: scopes of the v3 "
			"twin of this v2 path (assumed to be the same)"));
	if (m->product != NULL && strcmp(m->product, "jira") != 0 &&
	    strcmp(m->product, "confluence") != 0)
		json_object_array_add(notes,
		    json_object_new_string("unknown product in /ex/{product}/: "
					   "use jira or confluence"));
}

/*
 * The Jira permissions the operation needs (member "permissions": null
 * when the catalogue does not list it, e.g. Confluence), and as text.
 */
static void
add_permissions(struct json_object *doc, struct diag_buf *b, int json,
    const struct diag_scopes_op *op)
{
	const struct diag_perms *p = diag_perms_default();
	const struct diag_perms_op *po = NULL;
	size_t i, j;

	if (strcmp(op->product, "jira") == 0)
		po = diag_perms_find(p, op->method, op->path);
	json_object_object_add(doc, "permissions",
	    po != NULL ? diag_perms_op_json(p, po) : NULL);
	if (json)
		return;
	if (po == NULL) {
		diag_buf_adds(b,
		    "  permissions: not in the permission catalogue (Jira "
		    "platform operations only)\n");
		return;
	}
	if (po->n_alts == 0)
		diag_buf_adds(b, "  permissions: no Jira permission named\n");
	else
		diag_buf_addf(b, "  permissions (%s):\n",
		    po->n_alts > 1 ? "every key of one line" : "all of");
	for (i = 0; i < po->n_alts; i++) {
		diag_buf_adds(b, "    ");
		for (j = 0; j < po->alts[i].n_keys; j++)
			diag_buf_addf(b, "%s%s (%s)", j > 0 ? " + " : "",
			    po->alts[i].keys[j],
			    diag_perms_type(p, po->alts[i].keys[j]));
		diag_buf_adds(b, "\n");
	}
	for (i = 0; i < po->n_notes; i++)
		diag_buf_addf(b, "    condition: %s\n", po->notes[i]);
	if (!po->exact)
		diag_buf_addf(b, "    (a best reading of: \"%s\")\n", po->text);
}

/* A JSON string of s, or JSON null when s is NULL. */
static struct json_object *
str_or_null(const char *s)
{
	return s != NULL ? json_object_new_string(s) : NULL;
}

/*
 * The answer for an operation the catalogue does not have: its scopes are
 * unknown. Nearest templates only when the path reads as a typo of one.
 */
static void
not_found(struct diag_buf *b, struct json_object *doc,
    struct json_object *notes, const struct diag_scopes_match *m, int json)
{
	size_t i;

	json_object_object_add(doc, "methods",
	    json_object_new_string(m->methods));
	json_object_object_add(doc, "nearest", near_json(m));
	json_object_object_add(doc, "api", str_or_null(m->uncatalogued));
	json_object_array_add(notes,
	    json_object_new_string(m->uncatalogued != NULL ?
		    "scopes unknown for this operation: the scope catalogue "
		    "has no document for this API yet" :
		    "scopes unknown for this operation: it is not in the scope "
		    "catalogue"));
	json_object_object_add(doc, "notes", notes);
	if (json) {
		add_json(b, doc);
		return;
	}
	diag_buf_addf(b,
	    "%s %s: scopes unknown for this operation (not in the scope "
	    "catalogue",
	    m->method, m->path);
	if (m->uncatalogued != NULL)
		diag_buf_addf(b, "; it has no document for %s yet",
		    m->uncatalogued);
	diag_buf_adds(b, ")");
	if (m->methods[0] != '\0')
		diag_buf_addf(b, " (this path is documented for %s only)",
		    m->methods);
	diag_buf_adds(b, "\n");
	if (m->n_near > 0)
		diag_buf_adds(b, "Did you mean:\n");
	for (i = 0; i < m->n_near; i++)
		diag_buf_addf(b, "  %-6s %s  (%s)\n", m->near[i]->method,
		    m->near[i]->path, m->near[i]->operation);
}

static int
answer_one(struct diag_cmd *c, const struct diag_scopes *s)
{
	struct diag_scopes_match m;
	const struct diag_scopes_op *op;
	struct json_object *doc, *notes;
	struct diag_buf *b = &c->out, perms = DIAG_BUF_INIT;
	size_t i, j;
	int json = c->opts->format == DIAG_FORMAT_JSON, rc, found;

	found =
	    diag_scopes_match(s, c->opts->args[0], c->opts->args[1], &m) == 0;
	op = m.op;
	notes = json_object_new_array();
	add_notes(notes, &m);
	doc = json_object_new_object();
	json_object_object_add(doc, "schema",
	    json_object_new_string("atldiag.scopes-answer/1"));
	json_object_object_add(doc, "method", json_object_new_string(m.method));
	json_object_object_add(doc, "path", json_object_new_string(m.path));
	json_object_object_add(doc, "found", json_object_new_boolean(found));
	if (!found) {
		not_found(b, doc, notes, &m, json);
		rc = DIAG_EXIT_FAIL;
		goto out;
	}
	json_object_object_add(doc, "template",
	    json_object_new_string(op->path));
	json_object_object_add(doc, "operation",
	    json_object_new_string(op->operation));
	json_object_object_add(doc, "product",
	    json_object_new_string(op->product));
	json_object_object_add(doc, "api", json_object_new_string(op->api));
	json_object_object_add(doc, "anonymous",
	    json_object_new_boolean(op->anonymous));
	json_object_object_add(doc, "wiki_added",
	    json_object_new_boolean(m.wiki_added));
	json_object_object_add(doc, "alternatives", diag_scopes_alts_json(op));
	json_object_object_add(doc, "deprecated",
	    json_object_new_boolean(op->deprecated));
	json_object_object_add(doc, "replacement",
	    str_or_null(op->replacement));
	if (op->n_alts == 0)
		json_object_array_add(notes,
		    json_object_new_string("the OpenAPI document gives no "
					   "OAuth scopes for this operation"));
	json_object_array_add(notes,
	    json_object_new_string(
		"a token passes with every scope of one alternative (how the "
		"gateway combines them is not documented)"));
	json_object_object_add(doc, "notes", notes);
	add_permissions(doc, &perms, json, op);
	if (json) {
		add_json(b, doc);
		rc = DIAG_EXIT_OK;
		goto out;
	}
	diag_buf_addf(b, "%s %s\n", m.method, m.path);
	diag_buf_addf(b, "  operation:  %s (%s, %s)\n", op->operation,
	    op->product, op->api);
	diag_buf_addf(b, "  template:   %s %s\n", op->method, op->path);
	diag_buf_addf(b, "  anonymous:  %s\n",
	    op->anonymous ? "yes (may answer without credentials)" : "no");
	if (op->deprecated)
		diag_buf_addf(b,
		    "  deprecated: yes (Atlassian may retire it: a retired "
		    "operation answers 404 or 410)%s%s\n",
		    op->replacement != NULL ?
			"; use " :
			"; Atlassian names no single replacement",
		    op->replacement != NULL ? op->replacement : "");
	if (op->n_alts == 0)
		diag_buf_adds(b, "  scopes:     not documented\n");
	else
		diag_buf_adds(b, "  scopes (any one line is enough):\n");
	for (i = 0; i < op->n_alts; i++) {
		diag_buf_addf(b, "    %-8s %-8s ",
		    diag_scope_kind_name(op->alts[i].kind), op->alts[i].state);
		if (op->alts[i].n_scopes == 0)
			diag_buf_adds(b, "(no scope needed)");
		for (j = 0; j < op->alts[i].n_scopes; j++)
			diag_buf_addf(b, "%s%s", j > 0 ? " " : "",
			    op->alts[i].scopes[j]);
		diag_buf_adds(b, "\n");
	}
	diag_buf_adds(b, diag_buf_str(&perms));
	for (i = 0; i < json_object_array_length(notes); i++)
		diag_buf_addf(b, "  note: %s\n",
		    json_object_get_string(
			json_object_array_get_idx(notes, i)));
	rc = DIAG_EXIT_OK;
out:
	diag_buf_release(&perms);
	json_object_put(doc);
	diag_scopes_match_release(&m);
	return rc;
}

static void
text_set(struct diag_buf *b, const char *what, const struct diag_scopes_set *s)
{
	size_t i;

	diag_buf_addf(b, "  %-9s ", what);
	if (!s->possible)
		diag_buf_adds(b,
		    "(impossible: a call has no such alternative)");
	else if (s->n == 0)
		diag_buf_adds(b, "(no scope needed)");
	for (i = 0; s->possible && i < s->n; i++)
		diag_buf_addf(b, "%s%s", i > 0 ? " " : "", s->scopes[i]);
	diag_buf_adds(b, "\n");
}

static struct json_object *
set_obj(const struct diag_scopes_set *s)
{
	struct json_object *o;

	o = json_object_new_object();
	json_object_object_add(o, "possible",
	    json_object_new_boolean(s->possible));
	json_object_object_add(o, "scopes", diag_scopes_set_json(s));
	return o;
}

/* `atldiag scopes --calls FILE`: the plan for a whole calls file. */
static int
answer_plan(struct diag_cmd *c, const struct diag_scopes *s, const char *file)
{
	struct diag_scopes_plan *p = NULL;
	struct json_object *doc;
	const struct diag_scopes_call *call;
	char *err = NULL;
	size_t i;

	if (diag_scopes_plan_file(s, file, &p, &err) != 0) {
		diag_errorf("%s", err);
		free(err);
		return DIAG_EXIT_USAGE;
	}
	if (c->opts->format == DIAG_FORMAT_JSON) {
		doc = json_object_new_object();
		json_object_object_add(doc, "schema",
		    json_object_new_string("atldiag.scopes-plan/1"));
		json_object_object_add(doc, "calls",
		    diag_scopes_plan_calls_json(p));
		json_object_object_add(doc, "classic", set_obj(&p->classic));
		json_object_object_add(doc, "granular", set_obj(&p->granular));
		json_object_object_add(doc, "smallest",
		    diag_scopes_set_json(&p->best));
		json_object_object_add(doc, "exact",
		    json_object_new_boolean(p->exact));
		json_object_object_add(doc, "unknown",
		    json_object_new_int((int)p->n_unknown));
		add_json(&c->out, doc);
		json_object_put(doc);
	} else {
		diag_buf_addf(&c->out, "%zu calls from '%s':\n", p->n_calls,
		    file);
		for (i = 0; i < p->n_calls; i++) {
			call = &p->calls[i];
			diag_buf_addf(&c->out, "  line %-4u %-6s %s  -> %s\n",
			    call->line, call->m.method, call->m.path,
			    call->m.op != NULL ? call->m.op->operation :
						 "not in the scope catalogue");
		}
		diag_buf_adds(&c->out,
		    "Smallest scope sets that make every call pass:\n");
		text_set(&c->out, "classic", &p->classic);
		text_set(&c->out, "granular", &p->granular);
		if (!p->exact)
			diag_buf_addf(&c->out,
			    "  note: more than %d distinct operations: the "
			    "sets were found greedily and may not be the "
			    "smallest\n",
			    DIAG_SCOPES_EXACT_MAX);
		if (p->n_unknown > 0)
			diag_buf_addf(&c->out,
			    "  note: %zu calls are not in the scope catalogue "
			    "and are not covered\n",
			    p->n_unknown);
	}
	i = p->n_unknown;
	diag_scopes_plan_free(p);
	return i > 0 ? DIAG_EXIT_FAIL : DIAG_EXIT_OK;
}

static int
is_method(const char *m)
{
	static const char *const methods[] = { "GET", "POST", "PUT", "DELETE",
		"PATCH", "HEAD", "OPTIONS" };
	size_t i;

	for (i = 0; i < DIAG_NELEM(methods); i++)
		if (strcasecmp(methods[i], m) == 0)
			return 1;
	return 0;
}

enum diag_exit
diag_cmd_scopes(struct diag_cmd *c)
{
	struct diag_scopes *s = NULL;
	struct json_object *v;
	const char *calls = NULL;
	char *err = NULL;
	int rc;

	if (json_object_object_get_ex(c->opts->options, "calls", &v))
		calls = json_object_get_string(v);
	if (calls == NULL && c->opts->n_args != 2) {
		diag_errorf("scopes needs METHOD and PATH (e.g. 'atldiag "
			    "scopes GET /rest/api/3/myself'), or --calls FILE");
		return DIAG_EXIT_USAGE;
	}
	if (calls != NULL && c->opts->n_args != 0) {
		diag_errorf("scopes takes either METHOD PATH or --calls FILE, "
			    "not both");
		return DIAG_EXIT_USAGE;
	}
	if (calls == NULL && !is_method(c->opts->args[0])) {
		diag_errorf("'%s' is not an HTTP method: use GET, POST, PUT, "
			    "DELETE or PATCH",
		    c->opts->args[0]);
		return DIAG_EXIT_USAGE;
	}
	s = diag_scopes_new(diag_rules_scopes(c->rules), &err);
	if (s == NULL) {
		diag_errorf("%s", err);
		free(err);
		return DIAG_EXIT_INTERNAL;
	}
	if (calls != NULL)
		rc = answer_plan(c, s, calls);
	else
		rc = answer_one(c, s);
	diag_scopes_free(s);
	return rc;
}
