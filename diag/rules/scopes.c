/* diag/rules/scopes.c: match calls to catalogue operations and plan the smallest scope sets. */
#include <ctype.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/types.h>

#include "diag/engine/check.h"
#include "diag/rules/rules.h"
#include "diag/rules/rules_embedded.h"
#include "diag/rules/scopes.h"
#include "diag/core/util.h"

#define CALLS_MAX_BYTES (1024 * 1024)

/*
 * The documented classic scopes: Jira (reference §7, VERIFIED computed)
 * and Confluence (reference Q9, VERIFIED primary spec copy). Sorted.
 */
static const char *const classic_scopes[] = {
	"manage:confluence-configuration",
	"manage:jira-configuration",
	"manage:jira-project",
	"manage:jira-webhook",
	"read:confluence-content.all",
	"read:confluence-content.permission",
	"read:confluence-content.summary",
	"read:confluence-groups",
	"read:confluence-props",
	"read:confluence-space.summary",
	"read:confluence-user",
	"read:jira-user",
	"read:jira-work",
	"readonly:analytics.content:confluence",
	"readonly:content.attachment:confluence",
	"search:confluence",
	"write:confluence-content",
	"write:confluence-file",
	"write:confluence-groups",
	"write:confluence-props",
	"write:confluence-space",
	"write:jira-work",
};

/* A path template split into segments. */
struct tmpl {
	char **segs;
	size_t n;
	size_t n_literal; /* segments without a placeholder */
};

struct diag_scopes {
	struct json_object *doc;
	struct diag_scopes_op *ops;
	struct tmpl *t;
	size_t n_ops;
};

static int cmp_str(const void *, const void *);
static int is_classic(const char *);
static void split_path(const char *, char ***, size_t *);
static void free_segs(char **, size_t);
static int seg_match(const char *, const char *);

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int
is_classic(const char *s)
{
	return bsearch(&s, classic_scopes, DIAG_NELEM(classic_scopes),
		   sizeof(classic_scopes[0]), cmp_str) != NULL;
}

const char *
diag_scope_kind_name(enum diag_scope_kind k)
{
	return k == DIAG_SCOPE_CLASSIC ? "classic" : "granular";
}

/* Splits "/a/b/c" into {"a","b","c"}; empty segments are dropped. */
static void
split_path(const char *p, char ***segs, size_t *n)
{
	const char *s, *e;

	*segs = NULL;
	*n = 0;
	for (s = p; *s != '\0'; s = e) {
		while (*s == '/')
			s++;
		if (*s == '\0')
			break;
		e = strchr(s, '/');
		if (e == NULL)
			e = s + strlen(s);
		*segs = diag_xrealloc(*segs, (*n + 1) * sizeof(**segs));
		(*segs)[(*n)++] = diag_xstrndup(s, (size_t)(e - s));
	}
}

static void
free_segs(char **segs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(segs[i]);
	free(segs);
}

struct diag_scopes *
diag_scopes_new(struct json_object *doc, char **err)
{
	struct diag_scopes *s;
	struct diag_scopes_op *op;
	struct diag_scopes_alt *alt;
	struct json_object *ops, *o, *alts, *a, *sc, *v;
	size_t i, j, k, n;

	*err = NULL;
	if (doc == NULL ||
	    !json_object_object_get_ex(doc, "operations", &ops) ||
	    !json_object_is_type(ops, json_type_array)) {
		*err = diag_xstrdup("scopes.json: no 'operations' array");
		return NULL;
	}
	n = json_object_array_length(ops);
	s = diag_xcalloc(1, sizeof(*s));
	s->doc = json_object_get(doc);
	s->ops = diag_xcalloc(n + 1, sizeof(*s->ops));
	s->t = diag_xcalloc(n + 1, sizeof(*s->t));
	for (i = 0; i < n; i++) {
		o = json_object_array_get_idx(ops, i);
		op = &s->ops[s->n_ops];
		op->product = diag_json_str(o, "product");
		op->api = diag_json_str(o, "api");
		op->method = diag_json_str(o, "method");
		op->path = diag_json_str(o, "path");
		op->operation = diag_json_str(o, "operation");
		if (op->product == NULL || op->method == NULL ||
		    op->path == NULL || op->path[0] != '/') {
			*err = diag_xasprintf("scopes.json: operations[%zu]: "
					      "missing product, method or path",
			    i);
			goto fail;
		}
		if (op->api == NULL)
			op->api = "";
		if (op->operation == NULL)
			op->operation = "";
		op->anonymous = json_object_object_get_ex(o, "anonymous", &v) &&
		    json_object_get_boolean(v);
		op->deprecated =
		    json_object_object_get_ex(o, "deprecated", &v) &&
		    json_object_get_boolean(v);
		op->replacement = diag_json_str(o, "replacement");
		if (json_object_object_get_ex(o, "alternatives", &alts) &&
		    json_object_is_type(alts, json_type_array)) {
			op->n_alts = json_object_array_length(alts);
			op->alts =
			    diag_xcalloc(op->n_alts + 1, sizeof(*op->alts));
			for (j = 0; j < op->n_alts; j++) {
				a = json_object_array_get_idx(alts, j);
				alt = &op->alts[j];
				alt->state = diag_json_str(a, "state");
				if (alt->state == NULL)
					alt->state = "";
				if (!json_object_object_get_ex(a, "scopes",
					&sc) ||
				    !json_object_is_type(sc, json_type_array)) {
					*err = diag_xasprintf(
					    "scopes.json: operations[%zu] "
					    "(%s): alternative %zu has no "
					    "'scopes' array",
					    i, op->path, j);
					s->n_ops++;
					goto fail;
				}
				alt->n_scopes = json_object_array_length(sc);
				alt->scopes = diag_xcalloc(alt->n_scopes + 1,
				    sizeof(*alt->scopes));
				alt->kind = DIAG_SCOPE_CLASSIC;
				for (k = 0; k < alt->n_scopes; k++) {
					alt->scopes[k] = json_object_get_string(
					    json_object_array_get_idx(sc, k));
					if (alt->scopes[k] == NULL)
						alt->scopes[k] = "";
					if (!is_classic(alt->scopes[k]))
						alt->kind = DIAG_SCOPE_GRANULAR;
				}
				qsort(alt->scopes, alt->n_scopes,
				    sizeof(*alt->scopes), cmp_str);
			}
		}
		split_path(op->path, &s->t[s->n_ops].segs, &s->t[s->n_ops].n);
		for (j = 0; j < s->t[s->n_ops].n; j++)
			if (strchr(s->t[s->n_ops].segs[j], '{') == NULL)
				s->t[s->n_ops].n_literal++;
		s->n_ops++;
	}
	return s;
fail:
	diag_scopes_free(s);
	return NULL;
}

void
diag_scopes_free(struct diag_scopes *s)
{
	size_t i, j;

	if (s == NULL)
		return;
	for (i = 0; i < s->n_ops; i++) {
		for (j = 0; j < s->ops[i].n_alts; j++)
			free(s->ops[i].alts[j].scopes);
		free(s->ops[i].alts);
		free_segs(s->t[i].segs, s->t[i].n);
	}
	free(s->ops);
	free(s->t);
	json_object_put(s->doc);
	free(s);
}

/* The process-wide default catalogue. */
static pthread_once_t default_once = PTHREAD_ONCE_INIT;
static struct diag_scopes *default_scopes;
static struct json_object *default_doc;

static void
default_init(void)
{
	struct json_object *doc = default_doc;
	char *err = NULL;
	size_t i;

	if (doc == NULL) {
		for (i = 0; i < diag_embedded_rules_count; i++)
			if (strcmp(diag_embedded_rules[i].name,
				"scopes.json") == 0)
				doc = json_tokener_parse(
				    diag_embedded_rules[i].data);
		if (doc == NULL)
			return;
		default_scopes = diag_scopes_new(doc, &err);
		json_object_put(doc);
	} else
		default_scopes = diag_scopes_new(doc, &err);
	free(err);
}

const struct diag_scopes *
diag_scopes_default(void)
{
	(void)pthread_once(&default_once, default_init);
	return default_scopes;
}

void
diag_scopes_set_default(struct json_object *catalogue)
{
	if (default_scopes != NULL)
		return; /* already compiled; keep it */
	json_object_put(default_doc);
	default_doc = json_object_get(catalogue);
}

/*
 * Does one path segment match a template segment? A placeholder
 * "{name}" matches one or more characters; literal parts must be equal.
 */
static int
seg_match(const char *t, const char *s)
{
	const char *close;

	while (*t != '\0') {
		if (*t == '{') {
			close = strchr(t, '}');
			if (close == NULL)
				return strcmp(t, s) == 0;
			t = close + 1;
			if (*s == '\0')
				return 0;
			s++; /* at least one character */
			for (;; s++) {
				if (seg_match(t, s))
					return 1;
				if (*s == '\0')
					return 0;
			}
		}
		if (*t != *s)
			return 0;
		t++;
		s++;
	}
	return *s == '\0';
}

/* Does the path (split) match template i? */
static int
tmpl_match(const struct diag_scopes *s, size_t i, char **segs, size_t n)
{
	size_t j;

	if (s->t[i].n != n)
		return 0;
	for (j = 0; j < n; j++)
		if (!seg_match(s->t[i].segs[j], segs[j]))
			return 0;
	return 1;
}

/*
 * The best operation for method and path (NULL method: any), restricted
 * to product when given: the one with the most literal segments.
 */
static const struct diag_scopes_op *
find_op(const struct diag_scopes *s, const char *method, const char *product,
    const char *path)
{
	char **segs;
	size_t n, i, best = (size_t)-1;

	split_path(path, &segs, &n);
	for (i = 0; i < s->n_ops; i++) {
		if (method != NULL && strcasecmp(s->ops[i].method, method) != 0)
			continue;
		if (product != NULL && strcmp(s->ops[i].product, product) != 0)
			continue;
		if (!tmpl_match(s, i, segs, n))
			continue;
		if (best == (size_t)-1 ||
		    s->t[i].n_literal > s->t[best].n_literal)
			best = i;
	}
	free_segs(segs, n);
	return best == (size_t)-1 ? NULL : &s->ops[best];
}

/*
 * Normalises target into a path: drops scheme and host, the query and
 * fragment, the gateway prefix /ex/{product}/{cloudId} (its product is
 * returned), repeated and trailing slashes.
 */
static char *
normalise(const char *target, char **product)
{
	struct diag_buf b = DIAG_BUF_INIT;
	const char *p = target, *e;
	char **segs;
	size_t n, i, first = 0;

	*product = NULL;
	while (isspace((unsigned char)*p))
		p++;
	if (strncasecmp(p, "https://", 8) == 0 ||
	    strncasecmp(p, "http://", 7) == 0) {
		p = strstr(p, "//") + 2;
		p += strcspn(p, "/?#");
	} else if (*p != '/') {
		/* "acme.atlassian.net/rest/...": a host without scheme */
		e = p + strcspn(p, "/?#");
		if (memchr(p, '.', (size_t)(e - p)) != NULL)
			p = e;
	}
	e = p + strcspn(p, "?# \t\r\n");
	{
		char *tmp = diag_xstrndup(p, (size_t)(e - p));

		split_path(tmp, &segs, &n);
		free(tmp);
	}
	if (n >= 3 && strcmp(segs[0], "ex") == 0) {
		*product = diag_xstrdup(segs[1]);
		first = 3;
	}
	for (i = first; i < n; i++) {
		diag_buf_addc(&b, '/');
		diag_buf_adds(&b, segs[i]);
	}
	if (b.len == 0)
		diag_buf_addc(&b, '/');
	free_segs(segs, n);
	return diag_buf_detach(&b);
}

/* Levenshtein distance of two path segments, capped at 9. */
static size_t
edit_distance(const char *a, const char *b)
{
	size_t d = diag_edit_distance(a, b);

	return d > 9 ? 9 : d;
}

/*
 * Similarity of a path to template i, for "did you mean": 0 unless the
 * path reads as a typo of the template. Every segment must be equal, fill
 * a {parameter}, or be within a small edit distance, and the lengths may
 * differ by one segment at most; anything else is another operation, and
 * naming it would send the reader to an unrelated endpoint.
 */
static int
near_score(const struct diag_scopes *s, size_t i, char **segs, size_t n)
{
	size_t j, m, d, len, diff;
	int sc = 0;

	diff = s->t[i].n > n ? s->t[i].n - n : n - s->t[i].n;
	if (diff > 1)
		return 0;
	m = s->t[i].n < n ? s->t[i].n : n;
	for (j = 0; j < m; j++) {
		len = strlen(segs[j]);
		if (strcmp(s->t[i].segs[j], segs[j]) == 0)
			sc += 4;
		else if (seg_match(s->t[i].segs[j], segs[j]))
			sc += 3;
		else {
			d = edit_distance(s->t[i].segs[j], segs[j]);
			if (d > 1 + len / 4)
				return 0; /* another operation */
			sc += 2;
		}
	}
	return sc - 2 * (int)diff;
}

/* REST APIs of Atlassian products the catalogue has no document for. */
static const struct {
	const char *prefix;
	const char *name;
} uncatalogued[] = {
	{ "/rest/servicedeskapi/", "Jira Service Management" },
	{ "/rest/insight/", "Jira Service Management Assets" },
	{ "/rest/devinfo/", "Jira Software development information" },
	{ "/rest/builds/", "Jira Software builds" },
	{ "/rest/deployments/", "Jira Software deployments" },
	{ "/rest/tempo-", "Tempo (an app)" },
	{ "/wiki/rest/calendar-services/", "Team Calendars for Confluence" },
	{ "/admin/", "the Atlassian organization admin API" },
	{ "/jsm/", "Jira Service Management Operations" },
};

/* The name of the uncatalogued API path belongs to, or NULL. */
static const char *
uncatalogued_api(const char *path)
{
	size_t i;

	for (i = 0; i < DIAG_NELEM(uncatalogued); i++)
		if (diag_str_has_prefix(path, uncatalogued[i].prefix))
			return uncatalogued[i].name;
	return NULL;
}

static void
fill_near(const struct diag_scopes *s, struct diag_scopes_match *m,
    const char *path)
{
	char **segs;
	size_t n, i, k, ins;
	int score[3], sc;

	split_path(path, &segs, &n);
	m->n_near = 0;
	for (i = 0; i < s->n_ops; i++) {
		if (m->product != NULL &&
		    strcmp(s->ops[i].product, m->product) != 0)
			continue;
		sc = near_score(s, i, segs, n) * 2;
		if (sc <= 0)
			continue; /* not a typo of this template */
		sc += strcasecmp(s->ops[i].method, m->method) == 0;
		for (k = 0; k < m->n_near; k++)
			if (strcmp(m->near[k]->path, s->ops[i].path) == 0)
				break;
		if (k < m->n_near) {
			/* same template: keep the one with the right method */
			if (sc > score[k]) {
				m->near[k] = &s->ops[i];
				score[k] = sc;
			}
			continue;
		}
		for (ins = 0; ins < m->n_near; ins++)
			if (sc > score[ins])
				break;
		if (ins >= 3)
			continue;
		for (k = (m->n_near < 3 ? m->n_near : 2); k > ins; k--) {
			m->near[k] = m->near[k - 1];
			score[k] = score[k - 1];
		}
		m->near[ins] = &s->ops[i];
		score[ins] = sc;
		if (m->n_near < 3)
			m->n_near++;
	}
	free_segs(segs, n);
}

/* The methods a path exists with, "GET, POST", or "". */
static char *
methods_of(const struct diag_scopes *s, const char *product, const char *path)
{
	struct diag_buf b = DIAG_BUF_INIT;
	char **segs;
	size_t n, i;

	split_path(path, &segs, &n);
	for (i = 0; i < s->n_ops; i++) {
		if (product != NULL && strcmp(s->ops[i].product, product) != 0)
			continue;
		if (!tmpl_match(s, i, segs, n))
			continue;
		if (b.len > 0 && strstr(b.buf, s->ops[i].method) != NULL)
			continue;
		if (b.len > 0)
			diag_buf_adds(&b, ", ");
		diag_buf_adds(&b, s->ops[i].method);
	}
	free_segs(segs, n);
	return diag_buf_detach(&b);
}

int
diag_scopes_match(const struct diag_scopes *s, const char *method,
    const char *target, struct diag_scopes_match *m)
{
	char *alt = NULL, *up;
	const char *prod;
	size_t i;

	memset(m, 0, sizeof(*m));
	up = diag_xstrdup(method);
	for (i = 0; up[i] != '\0'; i++)
		up[i] = (char)toupper((unsigned char)up[i]);
	m->method = up;
	m->path = normalise(target, &m->product);
	prod = m->product;
	if (prod != NULL && strcmp(prod, "jira") != 0 &&
	    strcmp(prod, "confluence") != 0)
		prod = NULL; /* unknown product: match any */
	m->op = find_op(s, m->method, prod, m->path);
	if (m->op == NULL && !diag_str_has_prefix(m->path, "/wiki/") &&
	    (prod == NULL || strcmp(prod, "confluence") == 0)) {
		alt = diag_xasprintf("/wiki%s", m->path);
		m->op = find_op(s, m->method, "confluence", alt);
		if (m->op != NULL) {
			m->wiki_added = 1;
			free(m->path);
			m->path = alt;
			alt = NULL;
		}
		free(alt);
		alt = NULL;
	}
	if (m->op == NULL &&
	    (diag_str_has_prefix(m->path, "/rest/api/2/") ||
		diag_str_has_prefix(m->path, "/rest/api/latest/"))) {
		alt = diag_xasprintf("/rest/api/3/%s",
		    strchr(m->path + strlen("/rest/api/"), '/') + 1);
		m->op = find_op(s, m->method, "jira", alt);
		if (m->op != NULL)
			m->v2_mapped = 1;
		free(alt);
	}
	if (m->op != NULL) {
		m->methods = diag_xstrdup("");
		return 0;
	}
	m->methods = methods_of(s, prod, m->path);
	if (m->methods[0] == '\0' && !diag_str_has_prefix(m->path, "/wiki/")) {
		alt = diag_xasprintf("/wiki%s", m->path);
		free(m->methods);
		m->methods = methods_of(s, "confluence", alt);
		free(alt);
	}
	m->uncatalogued = uncatalogued_api(m->path);
	if (m->uncatalogued == NULL)
		fill_near(s, m, m->path);
	return -1;
}

void
diag_scopes_match_release(struct diag_scopes_match *m)
{
	if (m == NULL)
		return;
	free(m->method);
	free(m->path);
	free(m->product);
	free(m->methods);
	memset(m, 0, sizeof(*m));
}

/*
 * The set cover: choose one option (a set of scope indices) per
 * requirement, minimising the size of the union. Sets are bitsets over
 * the universe of scopes that appear.
 */
struct cover {
	const char **universe;
	size_t n_universe;
	size_t words;
	uint64_t **opts; /* per requirement, its options */
	size_t *n_opts;
	size_t n_req;
	uint64_t *best;
	size_t best_n;
	unsigned long budget; /* nodes left for the exact search */
};

static size_t
bits_count(const uint64_t *b, size_t w)
{
	size_t i, n = 0;

	for (i = 0; i < w; i++)
		n += (size_t)__builtin_popcountll(b[i]);
	return n;
}

static int
bits_subset(const uint64_t *a, const uint64_t *b, size_t w)
{
	size_t i;

	for (i = 0; i < w; i++)
		if ((a[i] & ~b[i]) != 0)
			return 0;
	return 1;
}

static size_t
universe_index(struct cover *c, const char *scope)
{
	size_t i;

	for (i = 0; i < c->n_universe; i++)
		if (strcmp(c->universe[i], scope) == 0)
			return i;
	c->universe = diag_xrealloc(c->universe,
	    (c->n_universe + 1) * sizeof(*c->universe));
	c->universe[c->n_universe] = scope;
	return c->n_universe++;
}

static void
cover_dfs(struct cover *c, size_t i, const uint64_t *cur)
{
	uint64_t *next;
	size_t k, cnt;

	if (c->budget == 0)
		return;
	c->budget--;
	cnt = bits_count(cur, c->words);
	if (cnt >= c->best_n)
		return;
	if (i == c->n_req) {
		memcpy(c->best, cur, c->words * sizeof(uint64_t));
		c->best_n = cnt;
		return;
	}
	for (k = 0; k < c->n_opts[i]; k++)
		if (bits_subset(c->opts[i] + k * c->words, cur, c->words)) {
			cover_dfs(c, i + 1, cur);
			return;
		}
	next = diag_xcalloc(c->words, sizeof(uint64_t));
	for (k = 0; k < c->n_opts[i]; k++) {
		size_t w;

		for (w = 0; w < c->words; w++)
			next[w] = cur[w] | c->opts[i][k * c->words + w];
		cover_dfs(c, i + 1, next);
	}
	free(next);
}

/* Greedy: per requirement, the option that adds the fewest scopes. */
static void
cover_greedy(struct cover *c)
{
	uint64_t *cur, *t;
	size_t i, k, w, add, best_add, best_k;

	cur = diag_xcalloc(c->words + 1, sizeof(uint64_t));
	t = diag_xcalloc(c->words + 1, sizeof(uint64_t));
	for (i = 0; i < c->n_req; i++) {
		best_add = (size_t)-1;
		best_k = 0;
		for (k = 0; k < c->n_opts[i]; k++) {
			for (w = 0; w < c->words; w++)
				t[w] = c->opts[i][k * c->words + w] & ~cur[w];
			add = bits_count(t, c->words);
			if (add < best_add) {
				best_add = add;
				best_k = k;
			}
		}
		for (w = 0; w < c->words; w++)
			cur[w] |= c->opts[i][best_k * c->words + w];
	}
	memcpy(c->best, cur, c->words * sizeof(uint64_t));
	c->best_n = bits_count(cur, c->words);
	free(cur);
	free(t);
}

static int
alt_fits(const struct diag_scopes_alt *a, int kind)
{
	return kind < 0 || (int)a->kind == kind;
}

/*
 * Computes one set: kind -1 for any mix. ops are the distinct operations
 * that need a scope (no empty alternative).
 */
static void
plan_set(const struct diag_scopes_op **ops, size_t n_ops, int kind,
    struct diag_scopes_set *out, int *exact)
{
	struct cover c;
	uint64_t *zero;
	size_t i, j, k, n;

	memset(&c, 0, sizeof(c));
	memset(out, 0, sizeof(*out));
	out->possible = 1;
	/* first pass: the universe */
	for (i = 0; i < n_ops; i++) {
		n = 0;
		for (j = 0; j < ops[i]->n_alts; j++) {
			if (!alt_fits(&ops[i]->alts[j], kind))
				continue;
			n++;
			for (k = 0; k < ops[i]->alts[j].n_scopes; k++)
				(void)universe_index(&c,
				    ops[i]->alts[j].scopes[k]);
		}
		if (n == 0)
			out->possible = 0;
	}
	if (!out->possible || n_ops == 0)
		goto done;
	c.words = (c.n_universe + 63) / 64;
	if (c.words == 0)
		c.words = 1;
	c.n_req = n_ops;
	c.opts = diag_xcalloc(n_ops, sizeof(*c.opts));
	c.n_opts = diag_xcalloc(n_ops, sizeof(*c.n_opts));
	for (i = 0; i < n_ops; i++) {
		c.opts[i] =
		    diag_xcalloc(ops[i]->n_alts * c.words, sizeof(uint64_t));
		for (j = 0; j < ops[i]->n_alts; j++) {
			if (!alt_fits(&ops[i]->alts[j], kind))
				continue;
			for (k = 0; k < ops[i]->alts[j].n_scopes; k++) {
				size_t u = universe_index(&c,
				    ops[i]->alts[j].scopes[k]);

				c.opts[i][c.n_opts[i] * c.words + u / 64] |=
				    (uint64_t)1 << (u % 64);
			}
			c.n_opts[i]++;
		}
	}
	c.best = diag_xcalloc(c.words, sizeof(uint64_t));
	cover_greedy(&c);
	if (n_ops <= DIAG_SCOPES_EXACT_MAX) {
		c.budget = 2000000;
		zero = diag_xcalloc(c.words, sizeof(uint64_t));
		cover_dfs(&c, 0, zero);
		free(zero);
		if (c.budget == 0)
			*exact = 0;
	} else
		*exact = 0;
	for (i = 0; i < c.n_universe; i++)
		if ((c.best[i / 64] >> (i % 64)) & 1) {
			out->scopes = diag_xrealloc(out->scopes,
			    (out->n + 1) * sizeof(*out->scopes));
			out->scopes[out->n++] = diag_xstrdup(c.universe[i]);
		}
	qsort(out->scopes, out->n, sizeof(*out->scopes), cmp_str);
	for (i = 0; i < n_ops; i++)
		free(c.opts[i]);
	free(c.opts);
	free(c.n_opts);
	free(c.best);
done:
	free(c.universe);
}

static void
set_copy(struct diag_scopes_set *dst, const struct diag_scopes_set *src)
{
	size_t i;

	dst->possible = src->possible;
	dst->n = src->n;
	dst->scopes = diag_xcalloc(src->n + 1, sizeof(*dst->scopes));
	for (i = 0; i < src->n; i++)
		dst->scopes[i] = diag_xstrdup(src->scopes[i]);
}

static void
set_release(struct diag_scopes_set *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->scopes[i]);
	free(s->scopes);
	memset(s, 0, sizeof(*s));
}

static void
plan_compute(struct diag_scopes_plan *p)
{
	const struct diag_scopes_op **ops = NULL, *op;
	struct diag_scopes_set any;
	size_t i, j, n = 0;
	int empty;

	p->exact = 1;
	for (i = 0; i < p->n_calls; i++) {
		op = p->calls[i].m.op;
		if (op == NULL) {
			p->n_unknown++;
			continue;
		}
		if (op->n_alts == 0) {
			p->n_undocumented++;
			continue;
		}
		empty = 0;
		for (j = 0; j < op->n_alts; j++)
			if (op->alts[j].n_scopes == 0)
				empty = 1;
		if (empty)
			continue; /* passes with no scope at all */
		for (j = 0; j < n; j++)
			if (ops[j] == op)
				break;
		if (j < n)
			continue;
		ops = diag_xrealloc(ops, (n + 1) * sizeof(*ops));
		ops[n++] = op;
	}
	plan_set(ops, n, DIAG_SCOPE_CLASSIC, &p->classic, &p->exact);
	plan_set(ops, n, DIAG_SCOPE_GRANULAR, &p->granular, &p->exact);
	if (p->classic.possible &&
	    (!p->granular.possible || p->classic.n <= p->granular.n))
		set_copy(&p->best, &p->classic);
	else if (p->granular.possible)
		set_copy(&p->best, &p->granular);
	else {
		plan_set(ops, n, -1, &any, &p->exact);
		p->best = any;
	}
	free(ops);
}

static int
known_method(const char *m, size_t n)
{
	static const char *const methods[] = { "GET", "POST", "PUT", "DELETE",
		"PATCH", "HEAD", "OPTIONS" };
	size_t i;

	for (i = 0; i < DIAG_NELEM(methods); i++)
		if (strlen(methods[i]) == n &&
		    strncasecmp(methods[i], m, n) == 0)
			return 1;
	return 0;
}

/* The error for line lineno, m to end, that is not 'METHOD PATH'. */
static char *
not_a_call(unsigned lineno, const char *m, const char *end)
{
	char *shown, *msg;

	shown = diag_str_printable(m, (size_t)(end - m), 60);
	msg = diag_xasprintf("line %u: expected 'METHOD PATH' "
			     "(e.g. 'GET /rest/api/3/myself'), got '%s'",
	    lineno, shown);
	free(shown);
	return msg;
}

int
diag_scopes_plan_text(const struct diag_scopes *s, const char *text, size_t len,
    struct diag_scopes_plan **out, char **err)
{
	struct diag_scopes_plan *p;
	const char *line, *end, *e, *m, *t;
	char *method = NULL, *target = NULL;
	size_t ml, tl;
	unsigned lineno = 0;

	*out = NULL;
	*err = NULL;
	p = diag_xcalloc(1, sizeof(*p));
	for (line = text; line < text + len; line = end + 1) {
		end = memchr(line, '\n', (size_t)(text + len - line));
		if (end == NULL)
			end = text + len;
		lineno++;
		e = end;
		while (e > line && isspace((unsigned char)e[-1]))
			e--;
		m = line;
		while (m < e && isspace((unsigned char)*m))
			m++;
		if (m == e || *m == '#')
			continue;
		if (memchr(m, '\0', (size_t)(e - m)) != NULL) {
			*err = diag_xasprintf("line %u: contains a NUL byte",
			    lineno);
			goto fail;
		}
		ml = 0;
		while (m + ml < e && !isspace((unsigned char)m[ml]))
			ml++;
		t = m + ml;
		while (t < e && isspace((unsigned char)*t))
			t++;
		tl = 0;
		while (t + tl < e && !isspace((unsigned char)t[tl]))
			tl++;
		/* An inline comment may follow after white space. */
		e = t + tl;
		while (e < end && isspace((unsigned char)*e) && *e != '\n')
			e++;
		if (!known_method(m, ml) || tl == 0 ||
		    (e < end && *e != '#' && *e != '\n') ||
		    (*t != '/' && strncasecmp(t, "http", 4) != 0)) {
			*err = not_a_call(lineno, m, end);
			goto fail;
		}
		method = diag_xstrndup(m, ml);
		target = diag_xstrndup(t, tl);
		p->calls = diag_xrealloc(p->calls,
		    (p->n_calls + 1) * sizeof(*p->calls));
		p->calls[p->n_calls].line = lineno;
		(void)diag_scopes_match(s, method, target,
		    &p->calls[p->n_calls].m);
		p->n_calls++;
		free(method);
		free(target);
		method = target = NULL;
		if (end == text + len)
			break;
	}
	if (p->n_calls == 0) {
		*err = diag_xstrdup(
		    "no calls in the file (one 'METHOD PATH' per line)");
		goto fail;
	}
	plan_compute(p);
	*out = p;
	return 0;
fail:
	diag_scopes_plan_free(p);
	return -1;
}

int
diag_scopes_plan_file(const struct diag_scopes *s, const char *path,
    struct diag_scopes_plan **out, char **err)
{
	char *text = NULL, *e2 = NULL;
	size_t len;
	const char *why;
	int rc = -1;

	*out = NULL;
	*err = NULL;
	if (diag_read_file(path, CALLS_MAX_BYTES, &text, &len, &why) != 0) {
		*err = diag_xasprintf("cannot read calls file '%s': %s", path,
		    why);
		goto out;
	}
	if (diag_scopes_plan_text(s, text, len, out, &e2) != 0) {
		*err = diag_xasprintf("calls file '%s': %s", path, e2);
		goto out;
	}
	rc = 0;
out:
	free(e2);
	free(text);
	return rc;
}

void
diag_scopes_plan_free(struct diag_scopes_plan *p)
{
	size_t i;

	if (p == NULL)
		return;
	for (i = 0; i < p->n_calls; i++)
		diag_scopes_match_release(&p->calls[i].m);
	free(p->calls);
	set_release(&p->classic);
	set_release(&p->granular);
	set_release(&p->best);
	free(p);
}

struct json_object *
diag_scopes_set_json(const struct diag_scopes_set *set)
{
	struct json_object *a;
	size_t i;

	a = json_object_new_array();
	for (i = 0; i < set->n; i++)
		json_object_array_add(a,
		    json_object_new_string(set->scopes[i]));
	return a;
}

/* The alternatives of an operation as JSON. */
struct json_object *
diag_scopes_alts_json(const struct diag_scopes_op *op)
{
	struct json_object *a, *o, *sc;
	size_t i, j;

	a = json_object_new_array();
	for (i = 0; i < op->n_alts; i++) {
		o = json_object_new_object();
		json_object_object_add(o, "state",
		    json_object_new_string(op->alts[i].state));
		json_object_object_add(o, "kind",
		    json_object_new_string(
			diag_scope_kind_name(op->alts[i].kind)));
		sc = json_object_new_array();
		for (j = 0; j < op->alts[i].n_scopes; j++)
			json_object_array_add(sc,
			    json_object_new_string(op->alts[i].scopes[j]));
		json_object_object_add(o, "scopes", sc);
		json_object_array_add(a, o);
	}
	return a;
}

struct json_object *
diag_scopes_plan_calls_json(const struct diag_scopes_plan *p)
{
	struct json_object *a, *o;
	const struct diag_scopes_call *c;
	size_t i;

	a = json_object_new_array();
	for (i = 0; i < p->n_calls; i++) {
		c = &p->calls[i];
		o = json_object_new_object();
		json_object_object_add(o, "line",
		    json_object_new_int((int)c->line));
		json_object_object_add(o, "method",
		    json_object_new_string(c->m.method));
		json_object_object_add(o, "path",
		    json_object_new_string(c->m.path));
		if (c->m.op == NULL) {
			json_object_object_add(o, "template", NULL);
			json_object_array_add(a, o);
			continue;
		}
		json_object_object_add(o, "template",
		    json_object_new_string(c->m.op->path));
		json_object_object_add(o, "operation",
		    json_object_new_string(c->m.op->operation));
		json_object_object_add(o, "product",
		    json_object_new_string(c->m.op->product));
		json_object_object_add(o, "anonymous",
		    json_object_new_boolean(c->m.op->anonymous));
		if (c->m.wiki_added)
			json_object_object_add(o, "wiki_added",
			    json_object_new_boolean(1));
		json_object_object_add(o, "alternatives",
		    diag_scopes_alts_json(c->m.op));
		json_object_array_add(a, o);
	}
	return a;
}

static const char *
obj_str(struct json_object *o, const char *k, const char *dflt)
{
	const char *s = diag_json_str(o, k);

	return s != NULL ? s : dflt;
}

/* How a call's verdict counts. */
enum call_count {
	CALL_WORKS = 0,
	CALL_FAILS,
	CALL_UNKNOWN,
};

/*
 * The alternative (scope set) of alts closest to working: fewest scopes
 * missing, then fewest unknown; -1 when one works outright. *missp and
 * *unkp get the best one's counts.
 */
static ssize_t
best_alternative(struct json_object *alts, diag_scopes_has_fn *has, void *arg,
    size_t *missp, size_t *unkp)
{
	struct json_object *alt, *sc;
	size_t j, k, miss, unk, best_miss, best_unk, best_j = 0;
	int h;

	best_miss = best_unk = (size_t)-1;
	for (j = 0; j < json_object_array_length(alts); j++) {
		alt = json_object_array_get_idx(alts, j);
		if (!json_object_object_get_ex(alt, "scopes", &sc))
			continue;
		miss = unk = 0;
		for (k = 0; k < json_object_array_length(sc); k++) {
			h = has(arg,
			    json_object_get_string(
				json_object_array_get_idx(sc, k)));
			if (h == 0)
				miss++;
			else if (h < 0)
				unk++;
		}
		if (miss == 0 && unk == 0)
			return -1;
		if (miss < best_miss || (miss == best_miss && unk < best_unk)) {
			best_miss = miss;
			best_unk = unk;
			best_j = j;
		}
	}
	*missp = best_miss;
	*unkp = best_unk;
	return (ssize_t)best_j;
}

/*
 * The verdict on one call c of the plan: its word in *verdict, the scopes
 * it still needs added to needs, the sentence in msg.
 */
static enum call_count
call_verdict(struct json_object *c, diag_scopes_has_fn *has, void *arg,
    const char **verdict, struct json_object *needs, struct diag_buf *msg)
{
	struct json_object *alts, *alt, *sc = NULL;
	const char *s;
	size_t k, best_miss, best_unk;
	ssize_t best_j;
	int h;

	if (diag_json_str(c, "template") == NULL) {
		*verdict = "not in catalogue";
		diag_buf_adds(msg, "not in the scope catalogue: cannot tell");
		return CALL_UNKNOWN;
	}
	if (!json_object_object_get_ex(c, "alternatives", &alts) ||
	    json_object_array_length(alts) == 0) {
		*verdict = "unknown";
		diag_buf_adds(msg, "scopes not documented");
		return CALL_UNKNOWN;
	}
	best_j = best_alternative(alts, has, arg, &best_miss, &best_unk);
	if (best_j < 0) {
		*verdict = "will work";
		diag_buf_adds(msg, "will work");
		return CALL_WORKS;
	}
	alt = json_object_array_get_idx(alts, (size_t)best_j);
	json_object_object_get_ex(alt, "scopes", &sc);
	*verdict = best_miss > 0 ? "fails" : "unknown";
	for (k = 0; k < json_object_array_length(sc); k++) {
		s = json_object_get_string(json_object_array_get_idx(sc, k));
		h = has(arg, s);
		if (h == 0 || (best_miss == 0 && h < 0))
			json_object_array_add(needs, json_object_new_string(s));
	}
	diag_buf_adds(msg, best_miss > 0 ? "needs " : "not probed: ");
	for (k = 0; k < json_object_array_length(needs); k++)
		diag_buf_addf(msg, "%s%s", k > 0 ? " " : "",
		    json_object_get_string(
			json_object_array_get_idx(needs, k)));
	return best_miss > 0 ? CALL_FAILS : CALL_UNKNOWN;
}

struct json_object *
diag_scopes_verdicts(struct json_object *list, diag_scopes_has_fn *has,
    void *arg, size_t *n_fail, size_t *n_unknown)
{
	struct json_object *out, *c, *o, *needs, *t;
	struct diag_buf msg = DIAG_BUF_INIT;
	const char *verdict;
	size_t i, nf = 0, nu = 0;

	out = json_object_new_array();
	for (i = 0; list != NULL && i < json_object_array_length(list); i++) {
		c = json_object_array_get_idx(list, i);
		o = json_object_new_object();
		if (json_object_object_get_ex(c, "line", &t))
			json_object_object_add(o, "line", json_object_get(t));
		json_object_object_add(o, "method",
		    json_object_new_string(obj_str(c, "method", "")));
		json_object_object_add(o, "path",
		    json_object_new_string(obj_str(c, "path", "")));
		needs = json_object_new_array();
		diag_buf_release(&msg);
		switch (call_verdict(c, has, arg, &verdict, needs, &msg)) {
		case CALL_FAILS:
			nf++;
			break;
		case CALL_UNKNOWN:
			nu++;
			break;
		case CALL_WORKS:
			break;
		}
		json_object_object_add(o, "verdict",
		    json_object_new_string(verdict));
		json_object_object_add(o, "needs", needs);
		json_object_object_add(o, "message",
		    json_object_new_string(diag_buf_str(&msg)));
		json_object_array_add(out, o);
	}
	diag_buf_release(&msg);
	if (n_fail != NULL)
		*n_fail = nf;
	if (n_unknown != NULL)
		*n_unknown = nu;
	return out;
}

/* 1 when alternative alt has scopes and each is in the JSON array set. */
static int
all_in_set(struct json_object *alt, struct json_object *set)
{
	struct json_object *sc;
	const char *s;
	size_t k;

	if (!json_object_object_get_ex(alt, "scopes", &sc))
		return 0;
	for (k = 0; k < json_object_array_length(sc); k++) {
		s = json_object_get_string(json_object_array_get_idx(sc, k));
		if (!diag_json_has_str(set, s))
			return 0;
	}
	return 1;
}

/*
 * A copy of the calls list where each call keeps only its planned
 * alternatives (every scope in the needed set) when it has one: those are
 * the ones the probes decide; the others were never probed.
 */
static struct json_object *
planned_only(struct json_object *list, struct json_object *needed)
{
	struct json_object *out, *c, *alts, *keep, *a;
	size_t i, j;

	out = json_object_new_array();
	for (i = 0; i < json_object_array_length(list); i++) {
		c = NULL;
		if (json_object_deep_copy(json_object_array_get_idx(list, i),
			&c, NULL) != 0)
			abort(); /* only on out of memory (H8) */
		if (needed != NULL &&
		    json_object_object_get_ex(c, "alternatives", &alts)) {
			keep = json_object_new_array();
			for (j = 0; j < json_object_array_length(alts); j++) {
				a = json_object_array_get_idx(alts, j);
				if (all_in_set(a, needed))
					json_object_array_add(keep,
					    json_object_get(a));
			}
			if (json_object_array_length(keep) > 0)
				json_object_object_add(c, "alternatives", keep);
			else
				json_object_put(keep);
		}
		json_object_array_add(out, c);
	}
	return out;
}

/*
 * The identity read the live checks made through the gateway is a call
 * seen to work: "GET <path>" for the product of the route, or NULL.
 */
static const char *
seen_working(struct diag_run *r)
{
	const char *route = diag_run_fact_str(r, "auth.route");
	const char *base = diag_run_fact_str(r, "auth.route_base");

	if (route == NULL || base == NULL || strcmp(route, "gateway") != 0)
		return NULL;
	if (strstr(base, "/ex/jira/") != NULL)
		return "/rest/api/3/myself";
	if (strstr(base, "/ex/confluence/") != NULL)
		return "/wiki/rest/api/user/current";
	return NULL;
}

size_t
diag_scopes_report_calls(struct diag_run *r, diag_scopes_has_fn *has, void *arg)
{
	struct json_object *list, *needed, *v, *c, *ln, *planned, *calls;
	struct diag_finding *f;
	struct diag_buf set = DIAG_BUF_INIT, failing = DIAG_BUF_INIT;
	const char *seen;
	size_t i, n_fail = 0, n_unknown = 0, shown = 0;

	list = diag_run_fact(r, "calls.list");
	if (list == NULL || !json_object_is_type(list, json_type_array))
		return 0;
	needed = diag_run_fact(r, "calls.needed_scopes");
	planned = planned_only(list, needed);
	v = diag_scopes_verdicts(planned, has, arg, &n_fail, &n_unknown);
	json_object_put(planned);
	seen = seen_working(r);
	for (i = 0; seen != NULL && i < json_object_array_length(v); i++) {
		c = json_object_array_get_idx(v, i);
		calls = json_object_array_get_idx(list, i);
		if (strcmp(obj_str(c, "verdict", ""), "unknown") != 0 ||
		    strcmp(obj_str(c, "method", ""), "GET") != 0 ||
		    strcmp(obj_str(calls, "template", ""), seen) != 0)
			continue;
		json_object_object_add(c, "verdict",
		    json_object_new_string("will work"));
		json_object_object_add(c, "needs", json_object_new_array());
		json_object_object_add(c, "message",
		    json_object_new_string(
			"will work (seen: the identity read passed)"));
		n_unknown--;
	}
	diag_run_fact_set(r, "extra.calls", v);
	if (n_fail == 0)
		return 0;
	for (i = 0; needed != NULL && i < json_object_array_length(needed); i++)
		diag_buf_addf(&set, "%s%s", i > 0 ? ", " : "",
		    json_object_get_string(
			json_object_array_get_idx(needed, i)));
	for (i = 0; i < json_object_array_length(v); i++) {
		c = json_object_array_get_idx(v, i);
		if (strcmp(obj_str(c, "verdict", ""), "fails") != 0)
			continue;
		if (shown++ == 3) {
			diag_buf_adds(&failing, "; ...");
			break;
		}
		diag_buf_addf(&failing, "%s%s %s (line %s) %s",
		    failing.len > 0 ? "; " : "", obj_str(c, "method", ""),
		    obj_str(c, "path", ""),
		    json_object_object_get_ex(c, "line", &ln) ?
			json_object_get_string(ln) :
			"?",
		    obj_str(c, "message", ""));
	}
	f = diag_run_finding(r, "scope.missing", DIAG_FAIL, DIAG_LIKELY,
	    "%zu of %zu listed calls will fail for lack of a scope: %s", n_fail,
	    json_object_array_length(v), diag_buf_str(&failing));
	if (set.len > 0)
		diag_finding_step(f,
		    "Give the token these scopes, the smallest set that makes "
		    "every listed call pass: %s (a token's scopes cannot be "
		    "edited: create a new token with them)",
		    diag_buf_str(&set));
	if (n_unknown > 0)
		diag_finding_note(f,
		    "%zu listed calls could not be decided (scope not probed "
		    "or not in the catalogue)",
		    n_unknown);
	diag_finding_note(f,
	    "a token passes a call with every scope of one of its documented "
	    "alternatives (how the gateway combines them is not documented)");
	diag_buf_release(&set);
	diag_buf_release(&failing);
	return n_fail;
}

int
diag_scopes_calls_option(const struct diag_rules *rules,
    struct json_object *options, char **needed)
{
	struct diag_scopes_plan *p = NULL;
	struct json_object *v;
	struct diag_buf b = DIAG_BUF_INIT;
	char *err = NULL;
	size_t i;

	*needed = NULL;
	if (options == NULL || !json_object_object_get_ex(options, "calls", &v))
		return 0;
	if (rules != NULL)
		diag_scopes_set_default(diag_rules_scopes(rules));
	if (diag_scopes_default() == NULL) {
		diag_errorf("the scope catalogue is not available");
		return -1;
	}
	if (diag_scopes_plan_file(diag_scopes_default(),
		json_object_get_string(v), &p, &err) != 0) {
		diag_errorf("%s", err);
		free(err);
		return -1;
	}
	for (i = 0; i < p->best.n; i++)
		diag_buf_addf(&b, "%s%s", i > 0 ? "," : "", p->best.scopes[i]);
	*needed = diag_buf_detach(&b);
	diag_scopes_plan_free(p);
	return 0;
}

/* Every scope name the catalogue knows, for each(): operations' scopes
 * first, then the documented classic scopes; a name may come twice. */
static void
each_name(const struct diag_scopes *s, void (*fn)(void *, const char *),
    void *arg)
{
	const struct diag_scopes_alt *a;
	size_t i, j, k;

	for (i = 0; i < s->n_ops; i++)
		for (j = 0; j < s->ops[i].n_alts; j++) {
			a = &s->ops[i].alts[j];
			for (k = 0; k < a->n_scopes; k++)
				fn(arg, a->scopes[k]);
		}
	for (i = 0; i < DIAG_NELEM(classic_scopes); i++)
		fn(arg, classic_scopes[i]);
}

void
diag_scopes_each_name(const struct diag_scopes *s,
    void (*fn)(void *, const char *), void *arg)
{
	if (s != NULL)
		each_name(s, fn, arg);
}

static void
known_fn(void *arg, const char *name)
{
	const char **want = arg;

	if (*want != NULL && strcmp(*want, name) == 0)
		*want = NULL;
}

int
diag_scopes_known(const struct diag_scopes *s, const char *name)
{
	const char *want = name;

	if (s == NULL || name == NULL || *name == '\0')
		return 0;
	each_name(s, known_fn, &want);
	return want == NULL;
}

/*
 * Edit distance of a and b (insert, delete, substitute, swap two
 * neighbours: each costs 1), or a value above cap once it exceeds cap.
 */
static size_t
name_distance(const char *a, const char *b, size_t cap)
{
	size_t la = strlen(a), lb = strlen(b), i, j, d, best;
	size_t *prev2, *prev, *cur, *t;

	if (la > 128 || lb > 128)
		return cap + 1;
	if ((la > lb ? la - lb : lb - la) > cap)
		return cap + 1;
	prev2 = diag_xcalloc(lb + 1, sizeof(*prev2));
	prev = diag_xcalloc(lb + 1, sizeof(*prev));
	cur = diag_xcalloc(lb + 1, sizeof(*cur));
	for (j = 0; j <= lb; j++)
		prev[j] = j;
	for (i = 1; i <= la; i++) {
		cur[0] = best = i;
		for (j = 1; j <= lb; j++) {
			d = prev[j - 1] + (a[i - 1] != b[j - 1]);
			if (prev[j] + 1 < d)
				d = prev[j] + 1;
			if (cur[j - 1] + 1 < d)
				d = cur[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && prev2[j - 2] + 1 < d)
				d = prev2[j - 2] + 1;
			cur[j] = d;
			if (d < best)
				best = d;
		}
		t = prev2;
		prev2 = prev;
		prev = cur;
		cur = t;
		if (best > cap)
			break;
	}
	d = i > la ? prev[lb] : cap + 1;
	free(prev2);
	free(prev);
	free(cur);
	return d;
}

struct nearest {
	const char *name;
	size_t cap;
	const char *best[3];
	size_t dist[3];
	size_t n;
};

static void
nearest_fn(void *arg, const char *cand)
{
	struct nearest *nr = arg;
	size_t d, i, at;

	for (i = 0; i < nr->n; i++)
		if (strcmp(nr->best[i], cand) == 0)
			return;
	d = name_distance(nr->name, cand, nr->cap);
	if (d > nr->cap)
		return;
	for (at = 0; at < nr->n; at++)
		if (d < nr->dist[at] ||
		    (d == nr->dist[at] && strcmp(cand, nr->best[at]) < 0))
			break;
	if (at >= DIAG_NELEM(nr->best))
		return;
	if (nr->n < DIAG_NELEM(nr->best))
		nr->n++;
	for (i = nr->n - 1; i > at; i--) {
		nr->best[i] = nr->best[i - 1];
		nr->dist[i] = nr->dist[i - 1];
	}
	nr->best[at] = cand;
	nr->dist[at] = d;
}

size_t
diag_scopes_nearest(const struct diag_scopes *s, const char *name,
    const char **out, size_t max)
{
	struct nearest nr;
	size_t i;

	memset(&nr, 0, sizeof(nr));
	if (s == NULL || name == NULL)
		return 0;
	nr.name = name;
	nr.cap = strlen(name) / 4 + 1;
	if (nr.cap > 4)
		nr.cap = 4;
	each_name(s, nearest_fn, &nr);
	for (i = 0; i < nr.n && i < max; i++)
		out[i] = nr.best[i];
	return i;
}

char *
diag_scopes_check_names(const struct diag_scopes *s, const char *list)
{
	struct diag_buf b = DIAG_BUF_INIT;
	const char *p, *e, *near[3];
	char *name, *shown;
	size_t n, i;

	if (s == NULL || list == NULL)
		return NULL;
	for (p = list; *p != '\0'; p = *e != '\0' ? e + 1 : e) {
		e = p + strcspn(p, ", ");
		if (e == p)
			continue;
		name = diag_xstrndup(p, (size_t)(e - p));
		if (diag_scopes_known(s, name)) {
			free(name);
			continue;
		}
		shown = diag_str_printable(name, strlen(name), 80);
		diag_buf_addf(&b, "unknown scope '%s'", shown);
		n = diag_scopes_nearest(s, name, near, DIAG_NELEM(near));
		for (i = 0; i < n; i++)
			diag_buf_addf(&b, "%s%s",
			    i == 0 ? " (did you mean " : diag_list_sep(i, n),
			    near[i]);
		if (n > 0)
			diag_buf_adds(&b, "?)");
		else
			diag_buf_adds(&b,
			    " (not in the scope catalogue; "
			    "'atldiag scopes METHOD PATH' lists the scopes an "
			    "operation accepts)");
		free(shown);
		free(name);
		return diag_buf_detach(&b);
	}
	return NULL;
}

/* The replacement "METHOD PATH" as the step to take. */
static void
removed_steps(struct diag_finding *f, const struct diag_scopes_op *op)
{
	if (op->replacement == NULL) {
		diag_finding_step(f,
		    "Atlassian names no single replacement for %s: look up %s "
		    "in the REST API reference for the operation that took its "
		    "place.",
		    op->operation, op->operation);
		return;
	}
	diag_finding_step(f,
	    "Call %s instead (see its scopes with `atldiag scopes %s`).",
	    op->replacement, op->replacement);
}

struct diag_finding *
diag_scopes_report_removed(struct diag_run *r, const struct diag_exchange *ex)
{
	const struct diag_scopes *s = diag_scopes_default();
	struct diag_scopes_match m;
	struct diag_finding *f = NULL;

	if (s == NULL || ex == NULL ||
	    (ex->status != 404 && ex->status != 410) || ex->method == NULL ||
	    ex->url == NULL ||
	    diag_run_has_finding(r, "routing.endpoint_removed"))
		return NULL;
	if (diag_scopes_match(s, ex->method, ex->url, &m) == 0 &&
	    m.op->deprecated) {
		/* a 404 on a path with parameters may be the object's */
		f = diag_run_finding(r, "routing.endpoint_removed", DIAG_FAIL,
		    ex->status == 410 || strchr(m.op->path, '{') == NULL ?
			DIAG_LIKELY :
			DIAG_POSSIBLE,
		    "%s %s answered %ld, and Atlassian's OpenAPI document "
		    "marks this operation (%s) deprecated%s%s: it has most "
		    "likely been retired.",
		    m.method, m.path, ex->status, m.op->operation,
		    m.op->replacement != NULL ? "; its replacement is " : "",
		    m.op->replacement != NULL ? m.op->replacement : "");
		removed_steps(f, m.op);
		diag_finding_evidence(f, ex);
	}
	diag_scopes_match_release(&m);
	return f;
}
