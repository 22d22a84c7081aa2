/* diag/rules/rules.c: load, validate and use the rule files (plan, catalogue, signatures, scopes). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <pthread.h>

#include "checks/registry.h"
#include "diag/rules/pcre.h"
#include "diag/rules/rules.h"
#include "diag/rules/rules_embedded.h"
#include "diag/core/url.h"
#include "diag/core/util.h"

#define RULE_FILE_MAX (16 * 1024 * 1024)
#define BODY_MATCH_MAX (64 * 1024)

struct sig_header {
	char *name;
	pcre2_code *re; /* NULL: must be absent */
};

struct signature {
	char *id;
	char *code;
	char *why;
	enum diag_confidence confidence;
	long *status;
	size_t n_status;
	char *host;
	pcre2_code *method;
	pcre2_code *path;
	pcre2_code *body;
	struct sig_header *headers;
	size_t n_headers;
	struct sig_header *req_headers;
	size_t n_req_headers;
};

/* The codes one diagnosis refines, as indexes into diag_rules.dx. */
struct dx_edges {
	size_t *to;
	size_t n;
};

struct diag_rules {
	struct diag_plan_entry *plan;
	size_t n_plan;
	struct diag_diagnosis *dx; /* sorted by code */
	size_t n_dx;
	struct dx_edges *refines; /* parallel to dx */
	struct signature *sigs;
	size_t n_sigs;
	struct json_object *scopes; /* parsed on first use */
	const char *scopes_data; /* embedded copy, until parsed */
	size_t scopes_len;
	pthread_mutex_t scopes_lock; /* also guards jit_done */
	int jit_done;
	struct json_object *plan_doc; /* owns the plan's strings */
};

static const char *const owners[] = { "caller", "org_admin", "site_admin",
	"project_admin", "atlassian", NULL };
static const char *const host_kinds[] = { "gateway", "gateway_other", "site",
	"admin", "auth", "other", "any", NULL };

/*
 * The keys each object of a rules file may hold; any other key is refused
 * at load, naming file, entry and key (a misspelt "prority" must not
 * silently fall back to the default). Keep each list equal to the
 * "properties" at the same place in rules/schema/<file>.schema.json:
 * tests/rules/schema.sh fails when they differ.
 */
static const char *const plan_keys[] = { "schema", "about", "checks", NULL };
static const char *const plan_check_keys[] = { "id", "commands", "after",
	"required", NULL };
static const char *const diagnoses_keys[] = { "schema", "about", "diagnoses",
	NULL };
static const char *const diagnoses_entry_keys[] = { "code", "title", "layer",
	"owner", "priority", "explanation", "remediation", "docs", "refines",
	"residual", "provenance", "basis", NULL };
static const char *const responses_keys[] = { "schema", "about", "signatures",
	NULL };
static const char *const responses_signature_keys[] = { "id", "code",
	"confidence", "status", "host", "method", "path", "headers",
	"request_headers", "body", "why", "basis", NULL };
static const char *const scopes_keys[] = { "schema", "about", "sources",
	"operations", NULL };
static const char *const scopes_operation_keys[] = { "product", "api", "method",
	"path", "operation", "anonymous", "deprecated", "replacement",
	"alternatives", NULL };

static int
in_list(const char *s, const char *const *list)
{
	for (; *list != NULL; list++)
		if (strcmp(s, *list) == 0)
			return 1;
	return 0;
}

/* Error context: "rules/plan.json: checks[3] ('auth.site'): " */
struct ctx {
	const char *file;
	char **err;
};

static int
fail(struct ctx *c, const char *fmt, ...)
{
	struct diag_buf b = DIAG_BUF_INIT;
	va_list ap;

	if (*c->err == NULL) {
		diag_buf_addf(&b, "%s: ", c->file);
		va_start(ap, fmt);
		diag_buf_vaddf(&b, fmt, ap);
		va_end(ap);
		*c->err = diag_buf_detach(&b);
	}
	return -1;
}

/* Edit distance of a and b (insertions, deletions, substitutions and
 * swaps of neighbours), capped: 3 means "3 or more". */
static size_t
edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, d[3][64], c, best;

	if (la >= 63 || lb >= 63 || (la > lb ? la - lb : lb - la) > 2)
		return 3;
	for (j = 0; j <= lb; j++)
		d[0][j] = j;
	for (i = 1; i <= la; i++) {
		d[i % 3][0] = i;
		for (j = 1; j <= lb; j++) {
			c = a[i - 1] == b[j - 1] ? 0 : 1;
			best = d[(i - 1) % 3][j - 1] + c;
			if (d[(i - 1) % 3][j] + 1 < best)
				best = d[(i - 1) % 3][j] + 1;
			if (d[i % 3][j - 1] + 1 < best)
				best = d[i % 3][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] &&
			    d[(i - 2) % 3][j - 2] + 1 < best)
				best = d[(i - 2) % 3][j - 2] + 1;
			d[i % 3][j] = best;
		}
	}
	return d[la % 3][lb] < 3 ? d[la % 3][lb] : 3;
}

/*
 * Refuses a key of o that keys does not list: "<where>: unknown key
 * 'prority' (did you mean 'priority'?)"; where NULL means the top level.
 * Returns 0 when every key is known.
 */
static int
known_keys(struct ctx *c, struct json_object *o, const char *const *keys,
    const char *where)
{
	const char *near;
	size_t i, d, best;

	json_object_object_foreach(o, k, v) {
		(void)v;
		if (in_list(k, keys))
			continue;
		near = NULL;
		best = 3;
		for (i = 0; keys[i] != NULL; i++)
			if ((d = edit_distance(k, keys[i])) < best) {
				best = d;
				near = keys[i];
			}
		return fail(c, "%s: unknown key '%s'%s%s%s",
		    where != NULL ? where : "top level", k,
		    near != NULL ? " (did you mean '" : "",
		    near != NULL ? near : "", near != NULL ? "'?)" : "");
	}
	return 0;
}

/* known_keys() of entry i of a list, named "list[i] ('id')". */
static int
known_entry_keys(struct ctx *c, struct json_object *o, const char *const *keys,
    const char *list, size_t i, const char *id)
{
	char *where;
	int rc;

	if (id != NULL)
		where = diag_xasprintf("%s[%zu] ('%s')", list, i, id);
	else
		where = diag_xasprintf("%s[%zu]", list, i);
	rc = known_keys(c, o, keys, where);
	free(where);
	return rc;
}

static struct json_object *
get_array(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_array))
		return NULL;
	return v;
}

/* Copies an array of strings; -1 when it is not one. */
static int
str_array(struct json_object *a, char ***out, size_t *n)
{
	size_t i, len;
	struct json_object *e;

	*out = NULL;
	*n = 0;
	if (a == NULL)
		return 0;
	len = json_object_array_length(a);
	*out = diag_xcalloc(len + 1, sizeof(char *));
	for (i = 0; i < len; i++) {
		e = json_object_array_get_idx(a, i);
		if (!json_object_is_type(e, json_type_string))
			return -1;
		(*out)[i] = diag_xstrdup(json_object_get_string(e));
		(*n)++;
	}
	return 0;
}

static struct json_object *
parse_doc(struct ctx *c, const char *data, size_t len, const char *schema,
    const char *const *keys)
{
	struct json_tokener *tok;
	struct json_object *doc;
	enum json_tokener_error jerr;
	const char *s;

	tok = json_tokener_new_ex(64);
	doc = json_tokener_parse_ex(tok, data, (int)len);
	jerr = json_tokener_get_error(tok);
	if (doc == NULL || jerr != json_tokener_success) {
		fail(c, "not valid JSON: %s (near byte %zu)",
		    jerr == json_tokener_continue ?
			"unexpected end of file" :
			json_tokener_error_desc(jerr),
		    (size_t)tok->char_offset);
		json_object_put(doc);
		json_tokener_free(tok);
		return NULL;
	}
	json_tokener_free(tok);
	if (!json_object_is_type(doc, json_type_object)) {
		fail(c, "the top level must be an object");
		json_object_put(doc);
		return NULL;
	}
	s = diag_json_str(doc, "schema");
	if (s == NULL || strcmp(s, schema) != 0) {
		fail(c, "'schema' must be \"%s\"", schema);
		json_object_put(doc);
		return NULL;
	}
	if (known_keys(c, doc, keys, NULL) != 0) {
		json_object_put(doc);
		return NULL;
	}
	return doc;
}

static int
cmp_dx(const void *a, const void *b)
{
	return strcmp(((const struct diag_diagnosis *)a)->code,
	    ((const struct diag_diagnosis *)b)->code);
}

/* Position of code in the file's "diagnoses" array, for messages. */
static size_t
entry_index(struct json_object *list, const char *code)
{
	size_t i, n = json_object_array_length(list);
	const char *s;

	for (i = 0; i < n; i++) {
		s = diag_json_str(json_object_array_get_idx(list, i), "code");
		if (s != NULL && strcmp(s, code) == 0)
			return i;
	}
	return 0;
}

/*
 * Resolves every 'refines' list to indexes into r->dx: each target must
 * be another defined code. Returns -1 (and fails c) otherwise.
 */
static int
resolve_refines(struct diag_rules *r, struct ctx *c, struct json_object *list)
{
	const struct diag_diagnosis *t;
	struct diag_diagnosis *d;
	size_t i, j;

	r->refines = diag_xcalloc(r->n_dx + 1, sizeof(*r->refines));
	for (i = 0; i < r->n_dx; i++) {
		d = &r->dx[i];
		r->refines[i].to =
		    diag_xcalloc(d->n_refines + 1, sizeof(size_t));
		for (j = 0; j < d->n_refines; j++) {
			t = diag_rules_diagnosis(r, d->refines[j]);
			if (t == NULL || t == d)
				return fail(c,
				    "diagnoses[%zu] ('%s'): refines %s '%s'",
				    entry_index(list, d->code), d->code,
				    t == NULL ? "unknown code" : "itself:",
				    d->refines[j]);
			r->refines[i].to[r->refines[i].n++] =
			    (size_t)(t - r->dx);
		}
	}
	return 0;
}

/*
 * 'refines' must not loop (a finer than b finer than a): an iterative
 * depth-first walk (no recursion, whatever the file holds) that fails c
 * naming an entry on the cycle.
 */
static int
link_refines(struct diag_rules *r, struct ctx *c, struct json_object *list)
{
	unsigned char *color; /* 0 new, 1 on the path, 2 done */
	size_t *stack, *next, top, i, u, v;
	int rc = 0;

	if (resolve_refines(r, c, list) != 0)
		return -1;
	color = diag_xcalloc(r->n_dx + 1, 1);
	stack = diag_xcalloc(r->n_dx + 1, sizeof(*stack));
	next = diag_xcalloc(r->n_dx + 1, sizeof(*next));
	for (i = 0; i < r->n_dx && rc == 0; i++) {
		if (color[i] != 0)
			continue;
		top = 0;
		stack[top++] = i;
		color[i] = 1;
		while (top > 0 && rc == 0) {
			u = stack[top - 1];
			if (next[u] == r->refines[u].n) {
				color[u] = 2;
				top--;
				continue;
			}
			v = r->refines[u].to[next[u]++];
			if (color[v] == 1)
				rc = fail(c,
				    "diagnoses[%zu] ('%s'): 'refines' makes a "
				    "cycle: '%s' refines '%s', which refines "
				    "it back (directly or through other codes)",
				    entry_index(list, r->dx[u].code),
				    r->dx[u].code, r->dx[u].code,
				    r->dx[v].code);
			else if (color[v] == 0) {
				color[v] = 1;
				stack[top++] = v;
			}
		}
	}
	free(color);
	free(stack);
	free(next);
	return rc;
}

/*
 * The optional keys of diagnoses[i]: priority (default 50), residual, refines.
 */
static int
dx_options(struct ctx *c, struct json_object *e, size_t i,
    struct diag_diagnosis *d)
{
	struct json_object *v;

	d->priority = 50;
	if (json_object_object_get_ex(e, "priority", &v)) {
		if (!json_object_is_type(v, json_type_int))
			return fail(c,
			    "diagnoses[%zu] ('%s'): 'priority' must be an "
			    "integer",
			    i, d->code);
		d->priority = json_object_get_int(v);
	}
	v = NULL;
	if (json_object_object_get_ex(e, "residual", &v) &&
	    !json_object_is_type(v, json_type_boolean))
		return fail(c,
		    "diagnoses[%zu] ('%s'): 'residual' must be true or false",
		    i, d->code);
	d->residual = v != NULL && json_object_get_boolean(v);
	v = NULL;
	if (json_object_object_get_ex(e, "refines", &v) &&
	    (!json_object_is_type(v, json_type_array) ||
		str_array(v, &d->refines, &d->n_refines) != 0))
		return fail(c,
		    "diagnoses[%zu] ('%s'): 'refines' must be an array of "
		    "diagnosis codes",
		    i, d->code);
	return 0;
}

/* diagnoses[i] (e) appended to r->dx, or -1 with c saying why. */
static int
load_diagnosis(struct diag_rules *r, struct ctx *c, struct json_object *e,
    size_t i)
{
	struct diag_diagnosis *d;
	const char *code, *s;

	code = json_object_is_type(e, json_type_object) ?
	    diag_json_str(e, "code") :
	    NULL;
	if (code == NULL)
		return fail(c, "diagnoses[%zu]: missing string 'code'", i);
	if (known_entry_keys(c, e, diagnoses_entry_keys, "diagnoses", i,
		code) != 0)
		return -1;
	d = &r->dx[r->n_dx++];
	d->code = diag_xstrdup(code);
#define REQ(field) \
	do { \
		s = diag_json_str(e, #field); \
		if (s == NULL || *s == '\0') \
			return fail(c, \
			    "diagnoses[%zu] ('%s'): missing string '%s'", i, \
			    code, #field); \
		d->field = diag_xstrdup(s); \
	} while (0)
	REQ(title);
	REQ(layer);
	REQ(owner);
	REQ(explanation);
#undef REQ
	if (!in_list(d->owner, owners))
		return fail(c, "diagnoses[%zu] ('%s'): unknown owner '%s'", i,
		    code, d->owner);
	if (str_array(get_array(e, "remediation"), &d->remediation,
		&d->n_remediation) != 0 ||
	    d->n_remediation == 0)
		return fail(c,
		    "diagnoses[%zu] ('%s'): 'remediation' must be a non-empty "
		    "array of strings",
		    i, code);
	if (str_array(get_array(e, "docs"), &d->docs, &d->n_docs) != 0)
		return fail(c,
		    "diagnoses[%zu] ('%s'): 'docs' must be an array of strings",
		    i, code);
	return dx_options(c, e, i, d);
}

static int
load_diagnoses(struct diag_rules *r, struct ctx *c, const char *data,
    size_t len)
{
	struct json_object *doc, *list;
	size_t i, n;
	int rc = -1;

	doc = parse_doc(c, data, len, "atldiag.diagnoses/1", diagnoses_keys);
	if (doc == NULL)
		return -1;
	list = get_array(doc, "diagnoses");
	if (list == NULL) {
		fail(c, "'diagnoses' must be an array");
		goto out;
	}
	n = json_object_array_length(list);
	r->dx = diag_xcalloc(n, sizeof(*r->dx));
	for (i = 0; i < n; i++)
		if (load_diagnosis(r, c, json_object_array_get_idx(list, i),
			i) != 0)
			goto out;
	qsort(r->dx, r->n_dx, sizeof(*r->dx), cmp_dx);
	for (i = 1; i < r->n_dx; i++) {
		if (strcmp(r->dx[i - 1].code, r->dx[i].code) == 0) {
			fail(c, "diagnosis code '%s' is defined twice",
			    r->dx[i].code);
			goto out;
		}
	}
	if (link_refines(r, c, list) != 0)
		goto out;
	rc = 0;
out:
	json_object_put(doc);
	return rc;
}

static int
load_plan(struct diag_rules *r, struct ctx *c, const char *data, size_t len)
{
	struct json_object *list, *e, *a, *v;
	struct diag_plan_entry *p;
	const char *id, *s;
	size_t i, j, k, n;
	unsigned bit;

	r->plan_doc = parse_doc(c, data, len, "atldiag.plan/1", plan_keys);
	if (r->plan_doc == NULL)
		return -1;
	list = get_array(r->plan_doc, "checks");
	if (list == NULL)
		return fail(c, "'checks' must be an array");
	n = json_object_array_length(list);
	r->plan = diag_xcalloc(n, sizeof(*r->plan));
	for (i = 0; i < n; i++) {
		e = json_object_array_get_idx(list, i);
		id = json_object_is_type(e, json_type_object) ?
		    diag_json_str(e, "id") :
		    NULL;
		if (id == NULL)
			return fail(c, "checks[%zu]: missing string 'id'", i);
		if (known_entry_keys(c, e, plan_check_keys, "checks", i, id) !=
		    0)
			return -1;
		p = &r->plan[r->n_plan++];
		p->id = id;
		p->check = diag_check_find(id);
		if (p->check == NULL)
			return fail(c,
			    "checks[%zu] ('%s'): no check with this id is "
			    "registered in checks/registry.c",
			    i, id);
		for (k = 0; k + 1 < r->n_plan; k++)
			if (strcmp(r->plan[k].id, id) == 0)
				return fail(c,
				    "checks[%zu] ('%s'): listed twice", i, id);
		a = get_array(e, "commands");
		if (a == NULL || json_object_array_length(a) == 0)
			return fail(c,
			    "checks[%zu] ('%s'): 'commands' must be a "
			    "non-empty array",
			    i, id);
		for (j = 0; j < json_object_array_length(a); j++) {
			v = json_object_array_get_idx(a, j);
			s = json_object_get_string(v);
			bit = json_object_is_type(v, json_type_string) ?
			    diag_command_bit(s) :
			    0;
			if (bit == 0)
				return fail(c,
				    "checks[%zu] ('%s'): unknown command '%s'",
				    i, id, s);
			p->commands |= bit;
		}
		a = get_array(e, "after");
		if (a != NULL) {
			p->n_after = json_object_array_length(a);
			p->after =
			    diag_xcalloc(p->n_after + 1, sizeof(*p->after));
			for (j = 0; j < p->n_after; j++) {
				v = json_object_array_get_idx(a, j);
				s = json_object_is_type(v, json_type_string) ?
				    json_object_get_string(v) :
				    "";
				for (k = 0; k + 1 < r->n_plan; k++)
					if (strcmp(r->plan[k].id, s) == 0)
						break;
				if (k + 1 >= r->n_plan)
					return fail(c,
					    "checks[%zu] ('%s'): prerequisite "
					    "'%s' is not earlier in the plan",
					    i, id, s);
				p->after[j] = s;
			}
		}
		p->required = 1;
		if (json_object_object_get_ex(e, "required", &v)) {
			if (!json_object_is_type(v, json_type_boolean))
				return fail(c,
				    "checks[%zu] ('%s'): 'required' must be "
				    "true or false",
				    i, id);
			p->required = json_object_get_boolean(v);
		}
	}
	return 0;
}

static pcre2_code *
compile_re(struct ctx *c, const char *where, const char *field,
    const char *pattern)
{
	pcre2_code *re;
	PCRE2_UCHAR msg[256];
	PCRE2_SIZE off;
	int code;

	re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
	    PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &code, &off, NULL);
	if (re == NULL) {
		pcre2_get_error_message(code, msg, sizeof(msg));
		fail(c, "%s: bad regex in '%s': %s at offset %zu", where, field,
		    (const char *)msg, (size_t)off);
		return NULL;
	}
	return re; /* JIT-compiled on first classification (jit_all) */
}

static int
load_headers(struct ctx *c, const char *where, const char *field,
    struct json_object *o, struct sig_header **out, size_t *n)
{
	struct json_object_iterator it, end;
	struct json_object *v;
	const char *pat;

	*out = NULL;
	*n = 0;
	if (o == NULL)
		return 0;
	if (!json_object_is_type(o, json_type_object))
		return fail(c, "%s: '%s' must be an object", where, field);
	*out = diag_xcalloc((size_t)json_object_object_length(o) + 1,
	    sizeof(**out));
	it = json_object_iter_begin(o);
	end = json_object_iter_end(o);
	for (; !json_object_iter_equal(&it, &end); json_object_iter_next(&it)) {
		v = json_object_iter_peek_value(&it);
		if (!json_object_is_type(v, json_type_string))
			return fail(c, "%s: '%s' values must be strings", where,
			    field);
		pat = json_object_get_string(v);
		(*out)[*n].name = diag_xstrdup(json_object_iter_peek_name(&it));
		if (strcmp(pat, "!") != 0) {
			(*out)[*n].re = compile_re(c, where, field, pat);
			if ((*out)[*n].re == NULL) {
				(*n)++;
				return -1;
			}
		}
		(*n)++;
	}
	return 0;
}

static int
load_responses(struct diag_rules *r, struct ctx *c, const char *data,
    size_t len)
{
	struct json_object *doc, *list, *e, *v;
	struct signature *s;
	const char *id, *str;
	char *where = NULL;
	size_t i, j, n;
	int rc = -1;

	doc = parse_doc(c, data, len, "atldiag.responses/1", responses_keys);
	if (doc == NULL)
		return -1;
	list = get_array(doc, "signatures");
	if (list == NULL) {
		fail(c, "'signatures' must be an array");
		goto out;
	}
	n = json_object_array_length(list);
	r->sigs = diag_xcalloc(n, sizeof(*r->sigs));
	for (i = 0; i < n; i++) {
		e = json_object_array_get_idx(list, i);
		id = json_object_is_type(e, json_type_object) ?
		    diag_json_str(e, "id") :
		    NULL;
		if (id == NULL) {
			fail(c, "signatures[%zu]: missing string 'id'", i);
			goto out;
		}
		free(where);
		where = diag_xasprintf("signatures[%zu] ('%s')", i, id);
		if (known_keys(c, e, responses_signature_keys, where) != 0)
			goto out;
		s = &r->sigs[r->n_sigs++];
		s->id = diag_xstrdup(id);
		str = diag_json_str(e, "code");
		if (str == NULL || diag_rules_diagnosis(r, str) == NULL) {
			fail(c, "%s: unknown diagnosis code '%s'", where,
			    str != NULL ? str : "(missing)");
			goto out;
		}
		s->code = diag_xstrdup(str);
		str = diag_json_str(e, "confidence");
		if (str == NULL ||
		    diag_confidence_parse(str, &s->confidence) != 0) {
			fail(c,
			    "%s: 'confidence' must be confirmed, likely or "
			    "possible",
			    where);
			goto out;
		}
		str = diag_json_str(e, "why");
		s->why = diag_xstrdup(str != NULL ? str : s->id);
		str = diag_json_str(e, "host");
		if (str != NULL) {
			if (!in_list(str, host_kinds)) {
				fail(c, "%s: unknown host kind '%s'", where,
				    str);
				goto out;
			}
			s->host = diag_xstrdup(str);
		}
		if ((v = get_array(e, "status")) != NULL) {
			s->n_status = json_object_array_length(v);
			s->status = diag_xcalloc(s->n_status, sizeof(long));
			for (j = 0; j < s->n_status; j++)
				s->status[j] = json_object_get_int(
				    json_object_array_get_idx(v, j));
		}
#define RE(field) \
	do { \
		str = diag_json_str(e, #field); \
		if (str != NULL && \
		    (s->field = compile_re(c, where, #field, str)) == NULL) \
			goto out; \
	} while (0)
		RE(method);
		RE(path);
		RE(body);
#undef RE
		if (load_headers(c, where, "headers",
			json_object_object_get_ex(e, "headers", &v) ? v : NULL,
			&s->headers, &s->n_headers) != 0)
			goto out;
		if (load_headers(c, where, "request_headers",
			json_object_object_get_ex(e, "request_headers", &v) ?
			    v :
			    NULL,
			&s->req_headers, &s->n_req_headers) != 0)
			goto out;
	}
	rc = 0;
out:
	free(where);
	json_object_put(doc);
	return rc;
}

static int
load_scopes(struct diag_rules *r, struct ctx *c, const char *data, size_t len)
{
	struct json_object *ops, *e;
	size_t i, n;

	r->scopes = parse_doc(c, data, len, "atldiag.scopes/1", scopes_keys);
	if (r->scopes == NULL)
		return -1;
	if ((ops = get_array(r->scopes, "operations")) == NULL)
		return fail(c, "'operations' must be an array");
	n = json_object_array_length(ops);
	for (i = 0; i < n; i++) {
		e = json_object_array_get_idx(ops, i);
		if (!json_object_is_type(e, json_type_object))
			return fail(c, "operations[%zu]: must be an object", i);
		if (known_entry_keys(c, e, scopes_operation_keys, "operations",
			i, diag_json_str(e, "operation")) != 0)
			return -1;
	}
	return 0;
}

static const char *const rule_files[] = { "diagnoses.json", "plan.json",
	"responses.json", "scopes.json" };

static int
load_one(struct diag_rules *r, const char *name, const char *label,
    const char *data, size_t len, char **err)
{
	struct ctx c = { label, err };

	if (strcmp(name, "diagnoses.json") == 0)
		return load_diagnoses(r, &c, data, len);
	if (strcmp(name, "plan.json") == 0)
		return load_plan(r, &c, data, len);
	if (strcmp(name, "responses.json") == 0)
		return load_responses(r, &c, data, len);
	return load_scopes(r, &c, data, len);
}

/*
 * The built-in scope catalogue is large (about 400 KB) and only `scopes`,
 * --need-scope, --calls and request need it: keep the bytes and parse them
 * on first use, so lint and rule loading stay cheap. A unit test proves the
 * built-in copy parses. A --rules DIR copy is parsed (and validated) at
 * load like every other file.
 */
static void
defer_scopes(struct diag_rules *r, const char *data, size_t len)
{
	r->scopes_data = data;
	r->scopes_len = len;
}

int
diag_rules_load(const char *dir, struct diag_rules **out, char **err)
{
	struct diag_rules *r;
	const char *why = NULL;
	char *path = NULL, *data = NULL, *label = NULL;
	size_t i, j, len;
	int rc = -1;

	*out = NULL;
	*err = NULL;
	r = diag_xcalloc(1, sizeof(*r));
	pthread_mutex_init(&r->scopes_lock, NULL);
	for (i = 0; i < DIAG_NELEM(rule_files); i++) {
		free(label);
		if (dir == NULL) {
			for (j = 0; j < diag_embedded_rules_count; j++)
				if (strcmp(diag_embedded_rules[j].name,
					rule_files[i]) == 0)
					break;
			label = diag_xasprintf("rules/%s (built in)",
			    rule_files[i]);
			if (j == diag_embedded_rules_count) {
				*err = diag_xasprintf("%s: missing", label);
				goto out;
			}
			if (strcmp(rule_files[i], "scopes.json") == 0) {
				defer_scopes(r, diag_embedded_rules[j].data,
				    diag_embedded_rules[j].len);
				continue;
			}
			if (load_one(r, rule_files[i], label,
				diag_embedded_rules[j].data,
				diag_embedded_rules[j].len, err) != 0)
				goto out;
			continue;
		}
		free(path);
		path = diag_xasprintf("%s/%s", dir, rule_files[i]);
		label = diag_xstrdup(path);
		if (diag_read_file(path, RULE_FILE_MAX, &data, &len, &why) !=
		    0) {
			*err = diag_xasprintf("cannot read rules file '%s': %s",
			    path, why);
			goto out;
		}
		if (load_one(r, rule_files[i], label, data, len, err) != 0)
			goto out;
		free(data);
		data = NULL;
	}
	*out = r;
	r = NULL;
	rc = 0;
out:
	free(label);
	free(path);
	free(data);
	diag_rules_free(r);
	return rc;
}

static void
free_headers(struct sig_header *h, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(h[i].name);
		pcre2_code_free(h[i].re);
	}
	free(h);
}

void
diag_rules_free(struct diag_rules *r)
{
	size_t i, j;
	struct signature *s;

	if (r == NULL)
		return;
	for (i = 0; i < r->n_plan; i++)
		free(r->plan[i].after);
	free(r->plan);
	for (i = 0; i < r->n_dx; i++) {
		free(r->dx[i].code);
		free(r->dx[i].title);
		free(r->dx[i].layer);
		free(r->dx[i].owner);
		free(r->dx[i].explanation);
		for (j = 0; j < r->dx[i].n_remediation; j++)
			free(r->dx[i].remediation[j]);
		free(r->dx[i].remediation);
		for (j = 0; j < r->dx[i].n_docs; j++)
			free(r->dx[i].docs[j]);
		free(r->dx[i].docs);
		for (j = 0; j < r->dx[i].n_refines; j++)
			free(r->dx[i].refines[j]);
		free(r->dx[i].refines);
		if (r->refines != NULL)
			free(r->refines[i].to);
	}
	free(r->dx);
	free(r->refines);
	for (i = 0; i < r->n_sigs; i++) {
		s = &r->sigs[i];
		free(s->id);
		free(s->code);
		free(s->why);
		free(s->status);
		free(s->host);
		pcre2_code_free(s->method);
		pcre2_code_free(s->path);
		pcre2_code_free(s->body);
		free_headers(s->headers, s->n_headers);
		free_headers(s->req_headers, s->n_req_headers);
	}
	free(r->sigs);
	json_object_put(r->scopes);
	pthread_mutex_destroy(&r->scopes_lock);
	json_object_put(r->plan_doc);
	free(r);
}

const struct diag_diagnosis *
diag_rules_diagnosis(const struct diag_rules *r, const char *code)
{
	struct diag_diagnosis key;

	if (r == NULL || code == NULL || r->n_dx == 0)
		return NULL;
	memset(&key, 0, sizeof(key));
	key.code = (char *)(uintptr_t)code;
	return bsearch(&key, r->dx, r->n_dx, sizeof(*r->dx), cmp_dx);
}

int
diag_rules_refines(const struct diag_rules *r, const char *finer,
    const char *coarser)
{
	const struct diag_diagnosis *f, *t;
	unsigned char *seen;
	size_t *stack, top = 0, u, k;
	int found = 0;

	f = diag_rules_diagnosis(r, finer);
	t = diag_rules_diagnosis(r, coarser);
	if (f == NULL || t == NULL || f == t || r->refines == NULL)
		return 0;
	seen = diag_xcalloc(r->n_dx, 1);
	stack = diag_xcalloc(r->n_dx, sizeof(*stack));
	stack[top++] = (size_t)(f - r->dx);
	seen[stack[0]] = 1;
	while (top > 0 && !found) {
		u = stack[--top];
		for (k = 0; k < r->refines[u].n && !found; k++) {
			if (&r->dx[r->refines[u].to[k]] == t)
				found = 1;
			else if (!seen[r->refines[u].to[k]]) {
				seen[r->refines[u].to[k]] = 1;
				stack[top++] = r->refines[u].to[k];
			}
		}
	}
	free(seen);
	free(stack);
	return found;
}

size_t
diag_rules_diagnoses(const struct diag_rules *r,
    const struct diag_diagnosis **out)
{
	*out = r->dx;
	return r->n_dx;
}

size_t
diag_rules_plan(const struct diag_rules *r, const struct diag_plan_entry **out)
{
	*out = r->plan;
	return r->n_plan;
}

struct json_object *
diag_rules_scopes(const struct diag_rules *r)
{
	struct diag_rules *w = (struct diag_rules *)(uintptr_t)r;
	char *err = NULL;
	struct ctx c = { "rules/scopes.json (built in)", &err };

	if (r == NULL)
		return NULL;
	pthread_mutex_lock(&w->scopes_lock);
	if (w->scopes == NULL && w->scopes_data != NULL) {
		if (load_scopes(w, &c, w->scopes_data, w->scopes_len) != 0) {
			json_object_put(w->scopes);
			w->scopes = NULL;
		}
		w->scopes_data = NULL;
		free(err);
	}
	pthread_mutex_unlock(&w->scopes_lock);
	return w->scopes;
}

static int
re_match(const pcre2_code *re, const char *s, size_t len)
{
	pcre2_match_data *md;
	int rc;

	md = pcre2_match_data_create_from_pattern(re, NULL);
	if (md == NULL)
		return 0;
	rc = pcre2_match(re, (PCRE2_SPTR)s, len, 0, 0, md, NULL);
	pcre2_match_data_free(md);
	return rc >= 0;
}

static const char *
header_in(const struct diag_header *h, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcasecmp(h[i].name, name) == 0)
			return h[i].value;
	return NULL;
}

static int
headers_match(const struct sig_header *want, size_t n_want,
    const struct diag_header *have, size_t n_have)
{
	const char *v;
	size_t i;

	for (i = 0; i < n_want; i++) {
		v = header_in(have, n_have, want[i].name);
		if (want[i].re == NULL) {
			if (v != NULL)
				return 0;
			continue;
		}
		if (v == NULL || !re_match(want[i].re, v, strlen(v)))
			return 0;
	}
	return 1;
}

static int
sig_matches(const struct signature *s, const struct diag_exchange *ex,
    const char *host_kind, const char *path)
{
	size_t i, blen;

	if (s->n_status > 0) {
		for (i = 0; i < s->n_status; i++)
			if (s->status[i] == ex->status)
				break;
		if (i == s->n_status)
			return 0;
	}
	if (s->host != NULL && strcmp(s->host, "any") != 0 &&
	    strcmp(s->host, host_kind) != 0)
		return 0;
	if (s->method != NULL &&
	    (ex->method == NULL ||
		!re_match(s->method, ex->method, strlen(ex->method))))
		return 0;
	if (s->path != NULL && !re_match(s->path, path, strlen(path)))
		return 0;
	if (!headers_match(s->headers, s->n_headers, ex->headers,
		ex->n_headers))
		return 0;
	if (!headers_match(s->req_headers, s->n_req_headers, ex->req_headers,
		ex->n_req_headers))
		return 0;
	if (s->body != NULL) {
		blen = ex->body != NULL ? ex->body_len : 0;
		if (blen > BODY_MATCH_MAX)
			blen = BODY_MATCH_MAX;
		if (!re_match(s->body, ex->body != NULL ? ex->body : "", blen))
			return 0;
	}
	return 1;
}

static void
jit_headers(struct sig_header *h, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (h[i].re != NULL)
			(void)pcre2_jit_compile(h[i].re, PCRE2_JIT_COMPLETE);
}

/*
 * JIT-compiles every signature pattern, once, the first time anything is
 * classified: a run that classifies nothing (lint) never pays for it, and
 * explain on a large HAR gets the fast matcher. Without JIT support the
 * interpreter is used.
 */
static void
jit_all(const struct diag_rules *r)
{
	struct diag_rules *w = (struct diag_rules *)(uintptr_t)r;
	struct signature *s;
	size_t i;

	pthread_mutex_lock(&w->scopes_lock);
	for (i = 0; !w->jit_done && i < w->n_sigs; i++) {
		s = &w->sigs[i];
		if (s->method != NULL)
			(void)pcre2_jit_compile(s->method, PCRE2_JIT_COMPLETE);
		if (s->path != NULL)
			(void)pcre2_jit_compile(s->path, PCRE2_JIT_COMPLETE);
		if (s->body != NULL)
			(void)pcre2_jit_compile(s->body, PCRE2_JIT_COMPLETE);
		jit_headers(s->headers, s->n_headers);
		jit_headers(s->req_headers, s->n_req_headers);
	}
	w->jit_done = 1;
	pthread_mutex_unlock(&w->scopes_lock);
}

size_t
diag_rules_classify(const struct diag_rules *r, const struct diag_exchange *ex,
    struct diag_match *out, size_t max)
{
	struct diag_url u;
	const char *kind = "other", *path = "";
	size_t i, n = 0;

	if (ex->status == 0)
		return 0;
	jit_all(r);
	if (ex->url != NULL && diag_url_parse(ex->url, &u) == 0) {
		kind = diag_url_host_kind(&u);
		path = u.path;
	} else
		memset(&u, 0, sizeof(u));
	for (i = 0; i < r->n_sigs && n < max; i++) {
		if (!sig_matches(&r->sigs[i], ex, kind, path))
			continue;
		out[n].signature = r->sigs[i].id;
		out[n].code = r->sigs[i].code;
		out[n].confidence = r->sigs[i].confidence;
		out[n].why = r->sigs[i].why;
		n++;
	}
	diag_url_release(&u);
	return n;
}
