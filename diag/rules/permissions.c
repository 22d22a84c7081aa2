/* diag/rules/permissions.c: the permission catalogue (rules/permissions.json): lookups, names, suggestions. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "diag/rules/permissions.h"
#include "diag/rules/rules_embedded.h"
#include "diag/core/util.h"

struct perm_key {
	const char *key;
	const char *type;
};

struct diag_perms {
	struct json_object *doc;
	struct diag_perms_op *ops;
	size_t n_ops;
	struct perm_key *keys; /* sorted by key */
	size_t n_keys;
};

static struct json_object *
arr_of(struct json_object *o, const char *k)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, k, &v) ||
	    !json_object_is_type(v, json_type_array))
		return NULL;
	return v;
}

/* Borrowed strings of a JSON array of strings; -1 when one is not. */
static int
strings_of(struct json_object *a, const char ***out, size_t *n)
{
	size_t i;

	*n = json_object_array_length(a);
	*out = diag_xcalloc(*n + 1, sizeof(**out));
	for (i = 0; i < *n; i++) {
		if (!json_object_is_type(json_object_array_get_idx(a, i),
			json_type_string))
			return -1;
		(*out)[i] =
		    json_object_get_string(json_object_array_get_idx(a, i));
	}
	return 0;
}

static int
compile_op(struct json_object *o, struct diag_perms_op *op)
{
	struct json_object *alts, *notes, *v;
	size_t i;

	op->method = diag_json_str(o, "method");
	op->path = diag_json_str(o, "path");
	op->operation = diag_json_str(o, "operation");
	op->text = diag_json_str(o, "text");
	alts = arr_of(o, "alternatives");
	notes = arr_of(o, "notes");
	if (op->method == NULL || op->path == NULL || op->operation == NULL ||
	    op->text == NULL || alts == NULL || notes == NULL)
		return -1;
	op->exact = json_object_object_get_ex(o, "exact", &v) &&
	    json_object_get_boolean(v);
	op->issue_security =
	    json_object_object_get_ex(o, "issue_security", &v) &&
	    json_object_get_boolean(v);
	op->n_alts = json_object_array_length(alts);
	op->alts = diag_xcalloc(op->n_alts + 1, sizeof(*op->alts));
	for (i = 0; i < op->n_alts; i++) {
		v = json_object_array_get_idx(alts, i);
		if (!json_object_is_type(v, json_type_array) ||
		    strings_of(v, &op->alts[i].keys, &op->alts[i].n_keys) != 0)
			return -1;
	}
	return strings_of(notes, &op->notes, &op->n_notes);
}

static int
key_cmp(const void *a, const void *b)
{
	return strcmp(((const struct perm_key *)a)->key,
	    ((const struct perm_key *)b)->key);
}

static int
compile_keys(struct diag_perms *p, struct json_object *a)
{
	struct json_object *o;
	size_t i;

	p->n_keys = json_object_array_length(a);
	p->keys = diag_xcalloc(p->n_keys + 1, sizeof(*p->keys));
	for (i = 0; i < p->n_keys; i++) {
		o = json_object_array_get_idx(a, i);
		p->keys[i].key = diag_json_str(o, "key");
		p->keys[i].type = diag_json_str(o, "type");
		if (p->keys[i].key == NULL || p->keys[i].type == NULL)
			return -1;
	}
	qsort(p->keys, p->n_keys, sizeof(*p->keys), key_cmp);
	return 0;
}

struct diag_perms *
diag_perms_new(struct json_object *doc, char **err)
{
	struct diag_perms *p;
	struct json_object *ops, *keys, *op;
	size_t i;

	*err = NULL;
	ops = doc != NULL ? arr_of(doc, "operations") : NULL;
	keys = doc != NULL ? arr_of(doc, "permissions") : NULL;
	if (ops == NULL || keys == NULL) {
		*err = diag_xstrdup("rules/permissions.json: 'operations' and "
				    "'permissions' must be arrays");
		return NULL;
	}
	p = diag_xcalloc(1, sizeof(*p));
	p->doc = json_object_get(doc);
	if (compile_keys(p, keys) != 0) {
		*err = diag_xstrdup("rules/permissions.json: a permission "
				    "without 'key' or 'type'");
		diag_perms_free(p);
		return NULL;
	}
	p->n_ops = json_object_array_length(ops);
	p->ops = diag_xcalloc(p->n_ops + 1, sizeof(*p->ops));
	for (i = 0; i < p->n_ops; i++) {
		op = json_object_array_get_idx(ops, i);
		if (compile_op(op, &p->ops[i]) != 0) {
			*err = diag_xasprintf("rules/permissions.json: "
					      "operations[%zu] is malformed",
			    i);
			p->n_ops = i + 1;
			diag_perms_free(p);
			return NULL;
		}
	}
	return p;
}

void
diag_perms_free(struct diag_perms *p)
{
	size_t i, j;

	if (p == NULL)
		return;
	for (i = 0; i < p->n_ops; i++) {
		for (j = 0; j < p->ops[i].n_alts; j++)
			free(p->ops[i].alts[j].keys);
		free(p->ops[i].alts);
		free(p->ops[i].notes);
	}
	free(p->ops);
	free(p->keys);
	json_object_put(p->doc);
	free(p);
}

static pthread_once_t default_once = PTHREAD_ONCE_INIT;
static struct diag_perms *default_perms;

static void
default_free(void)
{
	diag_perms_free(default_perms);
	default_perms = NULL;
}

static void
default_init(void)
{
	struct json_object *doc = NULL;
	char *err = NULL;
	size_t i;

	for (i = 0; i < diag_embedded_rules_count; i++)
		if (strcmp(diag_embedded_rules[i].name, "permissions.json") ==
		    0)
			doc = json_tokener_parse(diag_embedded_rules[i].data);
	if (doc == NULL)
		return;
	default_perms = diag_perms_new(doc, &err);
	json_object_put(doc);
	free(err);
	if (default_perms != NULL)
		atexit(default_free);
}

const struct diag_perms *
diag_perms_default(void)
{
	(void)pthread_once(&default_once, default_init);
	return default_perms;
}

/* The path of a call: no scheme, host, gateway prefix, query; v2 as v3. */
static char *
normalise(const char *target)
{
	const char *p = target, *e;
	char *s;

	if ((e = strstr(p, "://")) != NULL) {
		p = strchr(e + 3, '/');
		if (p == NULL)
			p = "/";
	}
	if (strncmp(p, "/ex/", 4) == 0) {
		e = strchr(p + 4, '/');
		e = e != NULL ? strchr(e + 1, '/') : NULL;
		p = e != NULL ? e : "/";
	}
	s = diag_xstrndup(p, strcspn(p, "?#"));
	if (strncmp(s, "/rest/api/2/", 12) == 0)
		s[10] = '3';
	return s;
}

/* Literal segments of tpl when it matches path, else -1. */
static int
score(const char *tpl, const char *path)
{
	size_t lt, lp;
	int n = 0;

	while (*tpl == '/' && *path == '/') {
		tpl++;
		path++;
		lt = strcspn(tpl, "/");
		lp = strcspn(path, "/");
		if (memchr(tpl, '{', lt) != NULL) {
			if (lp == 0)
				return -1;
		} else if (lt != lp || strncmp(tpl, path, lt) != 0)
			return -1;
		else
			n++;
		tpl += lt;
		path += lp;
	}
	return *tpl == '\0' && *path == '\0' ? n : -1;
}

const struct diag_perms_op *
diag_perms_find(const struct diag_perms *p, const char *method,
    const char *target)
{
	const struct diag_perms_op *best = NULL;
	char *path;
	size_t i;
	int s, best_s = -1;

	if (p == NULL || method == NULL || target == NULL)
		return NULL;
	path = normalise(target);
	for (i = 0; i < p->n_ops; i++) {
		if (strcasecmp(p->ops[i].method, method) != 0)
			continue;
		s = score(p->ops[i].path, path);
		if (s > best_s) {
			best_s = s;
			best = &p->ops[i];
		}
	}
	free(path);
	return best;
}

char *
diag_perms_param(const struct diag_perms_op *op, const char *target,
    const char *prefix)
{
	const char *tpl, *path;
	char *norm, *v = NULL;
	size_t lt, lp, np = strlen(prefix);

	if (op == NULL || target == NULL)
		return NULL;
	norm = normalise(target);
	if (score(op->path, norm) < 0) {
		free(norm);
		return NULL;
	}
	for (tpl = op->path, path = norm;
	     *tpl == '/' && *path == '/' && v == NULL; tpl += lt, path += lp) {
		tpl++;
		path++;
		lt = strcspn(tpl, "/");
		lp = strcspn(path, "/");
		if (lt >= np && strncmp(tpl, prefix, np) == 0)
			v = diag_xstrndup(path, lp);
	}
	free(norm);
	return v;
}

const char *
diag_perms_type(const struct diag_perms *p, const char *key)
{
	struct perm_key k = { key, NULL };
	const struct perm_key *f;

	if (p == NULL || key == NULL)
		return NULL;
	f = bsearch(&k, p->keys, p->n_keys, sizeof(*p->keys), key_cmp);
	return f != NULL ? f->type : NULL;
}

/* " (did you mean A or B?)" for an unknown key, or "". */
static void
suggest(const struct diag_perms *p, const char *key, struct diag_buf *b)
{
	size_t i, d, best = 4, n = 0;

	for (i = 0; i < p->n_keys; i++)
		if ((d = diag_edit_distance(key, p->keys[i].key)) < best)
			best = d;
	if (best > 3)
		return;
	for (i = 0; i < p->n_keys && n < 3; i++) {
		if (diag_edit_distance(key, p->keys[i].key) != best)
			continue;
		diag_buf_addf(b, "%s%s", n == 0 ? " (did you mean " : " or ",
		    p->keys[i].key);
		n++;
	}
	diag_buf_adds(b, "?)");
}

int
diag_perms_check_names(const struct diag_perms *p, const char *list, char **err)
{
	struct diag_buf b = DIAG_BUF_INIT;
	const char *s, *e;
	char *key;

	*err = NULL;
	if (p == NULL || list == NULL)
		return 0;
	for (s = list; *s != '\0'; s = *e != '\0' ? e + 1 : e) {
		e = s + strcspn(s, ", ");
		if (e == s)
			continue;
		key = diag_xstrndup(s, (size_t)(e - s));
		if (diag_perms_type(p, key) == NULL) {
			diag_buf_addf(&b, "unknown permission '%s'", key);
			suggest(p, key, &b);
			free(key);
			*err = diag_buf_detach(&b);
			return -1;
		}
		free(key);
	}
	return 0;
}

static struct json_object *
strings_json(const char **v, size_t n)
{
	struct json_object *a = json_object_new_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_object_array_add(a, json_object_new_string(v[i]));
	return a;
}

struct json_object *
diag_perms_op_json(const struct diag_perms *p, const struct diag_perms_op *op)
{
	struct json_object *o, *alts, *types;
	const char *t;
	size_t i, j;

	o = json_object_new_object();
	json_object_object_add(o, "operation",
	    json_object_new_string(op->operation));
	json_object_object_add(o, "template", json_object_new_string(op->path));
	alts = json_object_new_array();
	types = json_object_new_object();
	for (i = 0; i < op->n_alts; i++) {
		json_object_array_add(alts,
		    strings_json(op->alts[i].keys, op->alts[i].n_keys));
		for (j = 0; j < op->alts[i].n_keys; j++)
			if ((t = diag_perms_type(p, op->alts[i].keys[j])) !=
			    NULL)
				json_object_object_add(types,
				    op->alts[i].keys[j],
				    json_object_new_string(t));
	}
	json_object_object_add(o, "alternatives", alts);
	json_object_object_add(o, "types", types);
	json_object_object_add(o, "notes",
	    strings_json(op->notes, op->n_notes));
	json_object_object_add(o, "issue_security",
	    json_object_new_boolean(op->issue_security));
	json_object_object_add(o, "exact", json_object_new_boolean(op->exact));
	json_object_object_add(o, "text", json_object_new_string(op->text));
	return o;
}

char *
diag_perms_alts_str(const struct diag_perms_op *op)
{
	struct diag_buf b = DIAG_BUF_INIT;
	size_t i, j;

	for (i = 0; i < op->n_alts; i++) {
		if (i > 0)
			diag_buf_adds(&b, " | ");
		for (j = 0; j < op->alts[i].n_keys; j++)
			diag_buf_addf(&b, "%s%s", j > 0 ? "+" : "",
			    op->alts[i].keys[j]);
	}
	return diag_buf_detach(&b);
}

const char *
diag_perms_key(const struct diag_perms *p, size_t i)
{
	return p != NULL && i < p->n_keys ? p->keys[i].key : NULL;
}
