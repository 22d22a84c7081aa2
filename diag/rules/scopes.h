/* diag/rules/scopes.h: the scope planner: which OAuth scopes Atlassian REST calls need. */
#ifndef DIAG_SCOPES_H
#define DIAG_SCOPES_H

#include <stddef.h>

#include <json-c/json.h>

struct diag_run;

/*
 * The catalogue (rules/scopes.json) compiled for matching. Each operation
 * lists alternative scope sets; a token passes with every scope of one
 * alternative (INFERRED rule, reference §5). An alternative's kind is
 * classic when every scope in it is one of the documented classic scopes
 * (reference §7, Q9: read:jira-work, read:confluence-user, ...), granular
 * otherwise; its state ("Current", "Beta") is kept as the catalogue says.
 */
struct diag_scopes;

enum diag_scope_kind {
	DIAG_SCOPE_CLASSIC = 0,
	DIAG_SCOPE_GRANULAR,
};
const char *diag_scope_kind_name(enum diag_scope_kind); /* "classic" */

struct diag_scopes_alt {
	const char *state; /* "Current", "Beta" */
	enum diag_scope_kind kind;
	const char **scopes; /* sorted; n_scopes 0: no scope needed */
	size_t n_scopes;
};

/* One operation of the catalogue; every string is borrowed from it. */
struct diag_scopes_op {
	const char *product; /* "jira", "confluence" */
	const char *api;
	const char *method;
	const char *path; /* template: /rest/api/3/issue/{issueIdOrKey} */
	const char *operation; /* operationId */
	int anonymous;
	int deprecated; /* the OpenAPI "deprecated" flag */
	const char *replacement; /* "GET /rest/api/3/search/jql", or NULL */
	struct diag_scopes_alt *alts; /* n_alts 0: scopes not documented */
	size_t n_alts;
};

/*
 * Compiles a parsed scopes.json (borrowed; the result keeps a reference).
 * Returns NULL with *err (owned, free(3)) naming the bad entry.
 */
struct diag_scopes *diag_scopes_new(struct json_object *catalogue, char **err);
void diag_scopes_free(struct diag_scopes *);
/* The operation's alternatives as JSON ([{"state","kind","scopes"}]);
 * you own the reference. */
struct json_object *diag_scopes_alts_json(const struct diag_scopes_op *);
/*
 * The process-wide catalogue used by checks (which cannot reach the
 * rules): the one given to diag_scopes_set_default(), else the embedded
 * scopes.json, compiled on first use (thread-safe). NULL only when the
 * embedded copy is broken (a build bug). set_default must be called
 * before any thread uses the default; it keeps a reference to catalogue.
 */
const struct diag_scopes *diag_scopes_default(void);
void diag_scopes_set_default(struct json_object *catalogue);

/*
 * Scope names. known: 1 when name is a scope of some catalogue operation
 * or a documented classic scope. nearest: up to max known names closest
 * to name by edit distance (typos: read:jira-wrok -> read:jira-work),
 * closest first, into out (borrowed from the catalogue); returns how
 * many. check_names: NULL when every name of list (separated by ',' or
 * ' ') is known, else an owned message about the first unknown one,
 * printable whatever list holds: "unknown scope 'read:jira-wrok' (did
 * you mean read:jira-work?)".
 */
int diag_scopes_known(const struct diag_scopes *, const char *name);
size_t diag_scopes_nearest(const struct diag_scopes *, const char *name,
    const char **out, size_t max);
char *diag_scopes_check_names(const struct diag_scopes *, const char *list);
/* Calls fn(arg, name) for every scope name the catalogue knows (as
 * diag_scopes_known() does), unsorted; a name may come more than once. */
void diag_scopes_each_name(const struct diag_scopes *,
    void (*fn)(void *, const char *), void *arg);

/*
 * Matches one call against the catalogue. target is a path or URL: with
 * or without scheme and host (site or api.atlassian.com), with or without
 * the gateway prefix /ex/{product}/{cloudId}, with a query string. The
 * most specific template wins (most literal segments). A Confluence path
 * given without /wiki is matched with it, and wiki_added says so; a Jira
 * /rest/api/2/ path is matched against its /rest/api/3/ twin (v2_mapped).
 * Fills m (release with diag_scopes_match_release) and returns 0 when an
 * operation matched, -1 otherwise: then m->near holds the nearest
 * templates (for the message) and m->methods the methods the path
 * exists with, if any ("POST, PUT"; empty when none). A template is
 * "near" only when it reads as a typo of the path: same API root, every
 * segment equal, filling a {parameter}, or within a small edit distance,
 * at most one segment more or less. A path of an API the catalogue does
 * not cover (/rest/servicedeskapi/...) has no near template, and
 * m->uncatalogued names that API ("Jira Service Management"; NULL when
 * the API is one the catalogue covers, or not known).
 */
struct diag_scopes_match {
	const struct diag_scopes_op *op; /* NULL: no match */
	char *method; /* upper-cased */
	char *path; /* normalised: no host, query or prefix */
	char *product; /* from /ex/{product}/, or NULL */
	int wiki_added;
	int v2_mapped;
	const struct diag_scopes_op *near[3];
	size_t n_near;
	char *methods; /* owned, "" when none */
	const char *uncatalogued; /* static */
};
int diag_scopes_match(const struct diag_scopes *, const char *method,
    const char *target, struct diag_scopes_match *m);
void diag_scopes_match_release(struct diag_scopes_match *);

/*
 * For request.replay and transcript.response: when ex answered 404 or
 * 410 and its method and URL are an operation the default catalogue marks
 * deprecated, raises routing.endpoint_removed (fail, likely; the check
 * that already raised it is left alone) naming the replacement when the
 * catalogue knows one, with ex as evidence. Returns the finding, or NULL.
 */
struct diag_exchange;
struct diag_finding *diag_scopes_report_removed(struct diag_run *,
    const struct diag_exchange *ex);

/*
 * A list of calls and the smallest scope sets that make every one of them
 * pass: one alternative chosen per call, minimising the union. classic
 * uses classic alternatives only, granular granular ones only, best any
 * mix; a set is impossible when some call has no alternative of its kind.
 * The search is exact up to DIAG_SCOPES_EXACT_MAX distinct operations,
 * greedy above (exact is then 0 and the set may not be the smallest).
 */
#define DIAG_SCOPES_EXACT_MAX 20

struct diag_scopes_call {
	unsigned line; /* in the calls file; 0 when not from a file */
	struct diag_scopes_match m;
};

struct diag_scopes_set {
	int possible;
	char **scopes; /* sorted, owned */
	size_t n;
};

struct diag_scopes_plan {
	struct diag_scopes_call *calls;
	size_t n_calls;
	size_t n_unknown; /* calls matching no operation */
	size_t n_undocumented; /* operations without scope data */
	struct diag_scopes_set classic;
	struct diag_scopes_set granular;
	struct diag_scopes_set best; /* the smallest of all */
	int exact;
};

/*
 * Parses a calls file's text: one "METHOD PATH" per line, '#' comments,
 * blank lines. Every call is matched (unknown ones are kept, counted in
 * n_unknown) and the sets are computed. Returns 0 and *out (free with
 * diag_scopes_plan_free), or -1 with *err (owned) naming the bad line:
 * "line 3: expected 'METHOD PATH', got 'GETT /x'".
 */
int diag_scopes_plan_text(const struct diag_scopes *, const char *text,
    size_t len, struct diag_scopes_plan **out, char **err);
/* The same, reading the file at path (at most 1 MiB). */
int diag_scopes_plan_file(const struct diag_scopes *, const char *path,
    struct diag_scopes_plan **out, char **err);
void diag_scopes_plan_free(struct diag_scopes_plan *);

/* A scope set as a JSON array of strings (new reference). */
struct json_object *diag_scopes_set_json(const struct diag_scopes_set *);
/*
 * The calls as JSON (new reference): [{"line", "method", "path",
 * "template", "operation", "product", "anonymous", "alternatives":
 * [{"state", "kind", "scopes": [...]}]}, ...]; unknown calls have
 * "template": null and no alternatives. This is the "calls.list" fact.
 */
struct json_object *diag_scopes_plan_calls_json(
    const struct diag_scopes_plan *);

/*
 * Per-call verdicts for a token, from a "calls.list" array (borrowed).
 * has(arg, scope) says whether the token holds the scope: 1 held, 0
 * missing, -1 unknown (not probed). Returns a new array, one object per
 * call: {"line", "method", "path", "verdict": "will work" | "fails" |
 * "unknown" | "not in catalogue", "needs": [scopes of the closest
 * alternative that are not held], "message": "will work" or "needs
 * write:jira-work"}. *n_fail and *n_unknown (may be NULL) count them.
 */
typedef int diag_scopes_has_fn(void *arg, const char *scope);
struct json_object *diag_scopes_verdicts(struct json_object *calls_list,
    diag_scopes_has_fn *has, void *arg, size_t *n_fail, size_t *n_unknown);

/*
 * For the live scope.probe check, after it has learnt which scopes the
 * token holds: reads the facts set by calls.plan ("calls.list",
 * "calls.needed_scopes"), computes the per-call verdicts with has/arg,
 * stores them as fact "calls.verdicts" (and "extra.calls"), and when a
 * call fails raises one scope.missing finding (status fail, confirmed
 * when every scope in question was probed, else likely) naming the calls
 * that fail and the smallest scope set that makes every listed call
 * pass. Does nothing and returns 0 when --calls was not given; returns
 * the number of failing calls otherwise.
 */
size_t diag_scopes_report_calls(struct diag_run *, diag_scopes_has_fn *has,
    void *arg);

/*
 * For diag/cmd/cmd_live.c (check) and batch, before the engine runs: when
 * options has "calls" (--calls FILE), makes rules' catalogue the default
 * (diag_scopes_set_default), plans the file and sets *needed (owned,
 * free(3)) to the smallest scope set that makes every call pass, comma-
 * separated ("" when no scope is needed), to be merged into the scopes
 * scope.probe probes. Returns 0 (*needed NULL when --calls was not
 * given), or -1 after reporting the bad line or unreadable file with
 * diag_errorf(): the command then exits 2 (usage).
 */
struct diag_rules;
int diag_scopes_calls_option(const struct diag_rules *,
    struct json_object *options, char **needed);

#endif
