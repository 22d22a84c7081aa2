/* tests/unit/test_scopes.c: scope catalogue matching and the smallest-scope-set planner. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag/net/http.h"
#include "diag/rules/scopes.h"
#include "diag/core/util.h"
#include "tests/unit/dtest.h"

static const struct diag_scopes *
cat(void)
{
	static struct diag_scopes *s;
	char *err = NULL;

	if (s == NULL) {
		s = diag_scopes_new(diag_rules_scopes(dtest_rules()), &err);
		ck_assert_msg(s != NULL, "catalogue: %s", err);
	}
	return s;
}

/* Real operations of the catalogue, as a pipeline would write them. */
static const struct {
	const char *method;
	const char *target;
	const char *tmpl;
	const char *operation;
	const char *classic; /* scopes of the classic alternative, or NULL */
	const char *granular; /* one scope of the granular one, or NULL */
	int wiki_added;
} table[] = {
	{ "GET", "/rest/api/3/myself", "/rest/api/3/myself", "getCurrentUser",
	    "read:jira-user", "read:user:jira", 0 },
	{ "get",
	    "https://acme.atlassian.net/rest/api/3/issue/ABC-1?fields=summary",
	    "/rest/api/3/issue/{issueIdOrKey}", "getIssue", "read:jira-work",
	    "read:issue:jira", 0 },
	{ "POST", "/rest/api/3/issue", "/rest/api/3/issue", "createIssue",
	    "write:jira-work", "write:issue:jira", 0 },
	{ "DELETE", "/rest/api/3/issue/10001",
	    "/rest/api/3/issue/{issueIdOrKey}", "deleteIssue",
	    "write:jira-work", "delete:issue:jira", 0 },
	{ "GET", "/rest/api/3/issue/createmeta", "/rest/api/3/issue/createmeta",
	    "getCreateIssueMeta", "read:jira-work", "read:issue-meta:jira", 0 },
	{ "GET", "/rest/api/3/project/search", "/rest/api/3/project/search",
	    "searchProjects", "read:jira-work", "read:project:jira", 0 },
	{ "GET",
	    "https://api.atlassian.com/ex/jira/"
	    "0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b/rest/api/3/project/KEY/role",
	    "/rest/api/3/project/{projectIdOrKey}/role", "getProjectRoles",
	    "read:jira-work", "read:project-role:jira", 0 },
	{ "GET", "/rest/agile/1.0/board/42", "/rest/agile/1.0/board/{boardId}",
	    "getBoard", NULL, "read:board-scope:jira-software", 0 },
	{ "GET", "/rest/agile/1.0/board/42/issue",
	    "/rest/agile/1.0/board/{boardId}/issue", "getIssuesForBoard", NULL,
	    "read:issue-details:jira", 0 },
	{ "GET", "/wiki/api/v2/spaces", "/wiki/api/v2/spaces", "getSpaces",
	    NULL, "read:space:confluence", 0 },
	{ "GET", "/api/v2/spaces", "/wiki/api/v2/spaces", "getSpaces", NULL,
	    "read:space:confluence", 1 },
	{ "GET", "/wiki/rest/api/user/current", "/wiki/rest/api/user/current",
	    "getCurrentUser", "read:confluence-user", NULL, 0 },
	{ "GET",
	    "https://api.atlassian.com/ex/confluence/"
	    "0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b/rest/api/user/current",
	    "/wiki/rest/api/user/current", "getCurrentUser",
	    "read:confluence-user", NULL, 1 },
	{ "PUT", "acme.atlassian.net/wiki/api/v2/pages/123/",
	    "/wiki/api/v2/pages/{id}", "updatePage", NULL,
	    "write:page:confluence", 0 },
};

/* The alternative of this kind, or NULL. */
static const struct diag_scopes_alt *
alt_of(const struct diag_scopes_op *op, enum diag_scope_kind k)
{
	size_t i;

	for (i = 0; i < op->n_alts; i++)
		if (op->alts[i].kind == k)
			return &op->alts[i];
	return NULL;
}

static int
alt_has(const struct diag_scopes_alt *a, const char *scope)
{
	size_t i;

	for (i = 0; a != NULL && i < a->n_scopes; i++)
		if (strcmp(a->scopes[i], scope) == 0)
			return 1;
	return 0;
}

START_TEST(real_operations_match_their_templates_and_scopes)
{
	struct diag_scopes_match m;
	const struct diag_scopes_alt *c, *g;
	int rc;

	rc = diag_scopes_match(cat(), table[_i].method, table[_i].target, &m);
	ck_assert_msg(rc == 0, "%s %s: no match", table[_i].method,
	    table[_i].target);
	ck_assert_str_eq(m.op->path, table[_i].tmpl);
	ck_assert_str_eq(m.op->operation, table[_i].operation);
	ck_assert_int_eq(m.wiki_added, table[_i].wiki_added);
	c = alt_of(m.op, DIAG_SCOPE_CLASSIC);
	g = alt_of(m.op, DIAG_SCOPE_GRANULAR);
	if (table[_i].classic == NULL)
		ck_assert_msg(c == NULL, "%s: unexpected classic set",
		    table[_i].target);
	else {
		ck_assert_ptr_nonnull(c);
		ck_assert_uint_eq(c->n_scopes, 1);
		ck_assert_str_eq(c->scopes[0], table[_i].classic);
	}
	if (table[_i].granular == NULL)
		ck_assert_ptr_null(g);
	else
		ck_assert_msg(alt_has(g, table[_i].granular),
		    "%s: granular set lacks %s", table[_i].target,
		    table[_i].granular);
	diag_scopes_match_release(&m);
}
END_TEST

START_TEST(myself_granular_set_is_the_documented_four)
{
	struct diag_scopes_match m;
	const struct diag_scopes_alt *g;
	int rc;

	rc = diag_scopes_match(cat(), "GET", "/rest/api/3/myself", &m);
	ck_assert_int_eq(rc, 0);
	ck_assert_int_eq(m.op->anonymous, 0);
	g = alt_of(m.op, DIAG_SCOPE_GRANULAR);
	ck_assert_ptr_nonnull(g);
	ck_assert_str_eq(g->state, "Beta");
	ck_assert_uint_eq(g->n_scopes, 4);
	ck_assert_str_eq(g->scopes[0], "read:application-role:jira");
	ck_assert_str_eq(g->scopes[1], "read:avatar:jira");
	ck_assert_str_eq(g->scopes[2], "read:group:jira");
	ck_assert_str_eq(g->scopes[3], "read:user:jira");
	diag_scopes_match_release(&m);
}
END_TEST

START_TEST(gateway_prefix_names_the_product)
{
	struct diag_scopes_match m;
	int rc;

	rc = diag_scopes_match(cat(), "GET",
	    "/ex/jira/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b/rest/api/3/myself",
	    &m);
	ck_assert_int_eq(rc, 0);
	ck_assert_str_eq(m.product, "jira");
	ck_assert_str_eq(m.path, "/rest/api/3/myself");
	diag_scopes_match_release(&m);
}
END_TEST

START_TEST(v2_path_is_matched_with_its_v3_twin)
{
	struct diag_scopes_match m;
	int rc;

	rc = diag_scopes_match(cat(), "GET", "/rest/api/2/issue/ABC-1", &m);
	ck_assert_int_eq(rc, 0);
	ck_assert_int_eq(m.v2_mapped, 1);
	ck_assert_str_eq(m.op->operation, "getIssue");
	diag_scopes_match_release(&m);
}
END_TEST

START_TEST(unknown_path_offers_the_nearest_template)
{
	struct diag_scopes_match m;
	size_t i;
	int rc, seen = 0;

	rc = diag_scopes_match(cat(), "GET", "/rest/api/3/isue/ABC-1", &m);
	ck_assert_int_eq(rc, -1);
	ck_assert_ptr_null(m.op);
	ck_assert_uint_gt(m.n_near, 0);
	for (i = 0; i < m.n_near; i++)
		if (strcmp(m.near[i]->path,
			"/rest/api/3/issue/{issueIdOrKey}") == 0)
			seen = 1;
	ck_assert_msg(seen, "nearest templates lack the issue template");
	diag_scopes_match_release(&m);
}
END_TEST

/* A path that is no typo of any template gets no "nearest" at all. */
START_TEST(unrelated_path_names_no_nearest_template)
{
	static const char *const paths[] = {
		"/rest/servicedeskapi/request",
		"/rest/api/3/nosuch/thing",
		"/rest/api/3/applicationrol/x/y/z",
	};
	struct diag_scopes_match m;
	size_t i;
	int rc;

	for (i = 0; i < DIAG_NELEM(paths); i++) {
		ck_assert_int_eq(diag_scopes_match(cat(), "GET", paths[i], &m),
		    -1);
		ck_assert_msg(m.n_near == 0, "%s: near %s", paths[i],
		    m.near[0]->path);
		diag_scopes_match_release(&m);
	}
	rc =
	    diag_scopes_match(cat(), "GET", "/rest/servicedeskapi/request", &m);
	ck_assert_int_eq(rc, -1);
	ck_assert_str_eq(m.uncatalogued, "Jira Service Management");
	diag_scopes_match_release(&m);
	rc = diag_scopes_match(cat(), "GET", "/rest/api/3/nosuch/thing", &m);
	ck_assert_int_eq(rc, -1);
	ck_assert_ptr_null(m.uncatalogued);
	diag_scopes_match_release(&m);
}
END_TEST

/* The December 2025 catalogue: search/jql, the deprecated flag and the
 * replacement table. */
START_TEST(deprecated_operations_carry_their_replacement)
{
	struct diag_scopes_match m;
	int rc;

	ck_assert_int_eq(
	    diag_scopes_match(cat(), "GET",
		"https://acme.atlassian.net/rest/api/3/search/jql?jql=x", &m),
	    0);
	ck_assert_str_eq(m.op->path, "/rest/api/3/search/jql");
	ck_assert_int_eq(m.op->deprecated, 0);
	ck_assert_ptr_null(m.op->replacement);
	diag_scopes_match_release(&m);
	rc = diag_scopes_match(cat(), "GET", "/rest/api/2/search", &m);
	ck_assert_int_eq(rc, 0);
	ck_assert_int_eq(m.op->deprecated, 1);
	ck_assert_str_eq(m.op->replacement, "GET /rest/api/3/search/jql");
	diag_scopes_match_release(&m);
	rc = diag_scopes_match(cat(), "DELETE",
	    "/rest/api/3/workflow/transitions/3/properties", &m);
	ck_assert_int_eq(rc, 0);
	ck_assert_int_eq(m.op->deprecated, 1);
	ck_assert_ptr_null(m.op->replacement);
	diag_scopes_match_release(&m);
}
END_TEST

START_TEST(wrong_method_names_the_documented_ones)
{
	struct diag_scopes_match m;
	int rc;

	rc = diag_scopes_match(cat(), "POST", "/rest/api/3/myself", &m);
	ck_assert_int_eq(rc, -1);
	ck_assert_str_eq(m.methods, "GET");
	diag_scopes_match_release(&m);
}
END_TEST

static int
set_has(const struct diag_scopes_set *s, const char *scope)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (strcmp(s->scopes[i], scope) == 0)
			return 1;
	return 0;
}

START_TEST(planner_finds_the_smallest_classic_and_granular_sets)
{
	static const char text[] = "# pipeline calls\n"
				   "\n"
				   "GET /rest/api/3/myself\n"
				   "GET /rest/api/3/issue/ABC-1   # read it\n"
				   "GET /rest/api/3/search?jql=project=ABC\n"
				   "POST /rest/api/3/issue\n"
				   "GET /rest/api/3/issue/ABC-2\n";
	struct diag_scopes_plan *p;
	char *err = NULL;
	int rc;

	rc = diag_scopes_plan_text(cat(), text, strlen(text), &p, &err);
	ck_assert_msg(rc == 0, "%s", err);
	ck_assert_uint_eq(p->n_calls, 5);
	ck_assert_uint_eq(p->calls[0].line, 3);
	ck_assert_uint_eq(p->calls[3].line, 6);
	ck_assert_uint_eq(p->n_unknown, 0);
	ck_assert_int_eq(p->exact, 1);
	ck_assert_int_eq(p->classic.possible, 1);
	ck_assert_uint_eq(p->classic.n, 3);
	ck_assert_str_eq(p->classic.scopes[0], "read:jira-user");
	ck_assert_str_eq(p->classic.scopes[1], "read:jira-work");
	ck_assert_str_eq(p->classic.scopes[2], "write:jira-work");
	ck_assert_int_eq(p->granular.possible, 1);
	ck_assert(set_has(&p->granular, "read:user:jira"));
	ck_assert(set_has(&p->granular, "write:issue:jira"));
	ck_assert(set_has(&p->granular, "read:issue-details:jira"));
	ck_assert(!set_has(&p->granular, "read:jira-work"));
	/* the best of the two is the classic one: 3 scopes */
	ck_assert_uint_eq(p->best.n, 3);
	diag_scopes_plan_free(p);
}
END_TEST

START_TEST(planner_says_when_no_classic_set_exists)
{
	static const char text[] = "GET /rest/api/3/myself\n"
				   "GET /wiki/api/v2/spaces\n";
	struct diag_scopes_plan *p;
	char *err = NULL;
	int rc;

	rc = diag_scopes_plan_text(cat(), text, strlen(text), &p, &err);
	ck_assert_int_eq(rc, 0);
	ck_assert_int_eq(p->classic.possible, 0);
	ck_assert_int_eq(p->granular.possible, 1);
	ck_assert(set_has(&p->granular, "read:space:confluence"));
	ck_assert(set_has(&p->best, "read:space:confluence"));
	diag_scopes_plan_free(p);
}
END_TEST

/* A made-up catalogue where choosing the first cheap option is wrong. */
static struct diag_scopes *
toy(size_t extra_ops)
{
	struct json_object *doc;
	struct diag_buf b = DIAG_BUF_INIT;
	struct diag_scopes *s;
	char *err = NULL;
	size_t i;

	diag_buf_adds(&b,
	    "{\"operations\":["
	    "{\"product\":\"jira\",\"method\":\"GET\",\"path\":\"/a\","
	    "\"alternatives\":[{\"state\":\"Beta\",\"scopes\":[\"x:j\"]},"
	    "{\"state\":\"Beta\",\"scopes\":[\"p:j\"]}]},"
	    "{\"product\":\"jira\",\"method\":\"GET\",\"path\":\"/b\","
	    "\"alternatives\":[{\"state\":\"Beta\",\"scopes\":[\"y:j\"]},"
	    "{\"state\":\"Beta\",\"scopes\":[\"p:j\"]}]}");
	for (i = 0; i < extra_ops; i++)
		diag_buf_addf(&b,
		    ",{\"product\":\"jira\",\"method\":\"GET\","
		    "\"path\":\"/c%zu\",\"alternatives\":[{\"state\":\"Beta\","
		    "\"scopes\":[\"q%zu:j\"]}]}",
		    i, i % 3);
	diag_buf_adds(&b, "]}");
	doc = json_tokener_parse(b.buf);
	ck_assert_ptr_nonnull(doc);
	s = diag_scopes_new(doc, &err);
	ck_assert_msg(s != NULL, "%s", err);
	json_object_put(doc);
	diag_buf_release(&b);
	return s;
}

START_TEST(exact_search_beats_the_first_cheap_choice)
{
	static const char text[] = "GET /a\nGET /b\n";
	struct diag_scopes *s = toy(0);
	struct diag_scopes_plan *p;
	char *err = NULL;

	ck_assert_int_eq(diag_scopes_plan_text(s, text, strlen(text), &p, &err),
	    0);
	ck_assert_int_eq(p->exact, 1);
	ck_assert_uint_eq(p->granular.n, 1);
	ck_assert_str_eq(p->granular.scopes[0], "p:j");
	diag_scopes_plan_free(p);
	diag_scopes_free(s);
}
END_TEST

START_TEST(many_operations_fall_back_to_greedy_and_say_so)
{
	struct diag_scopes *s = toy(25);
	struct diag_scopes_plan *p;
	struct diag_buf b = DIAG_BUF_INIT;
	char *err = NULL;
	size_t i;

	diag_buf_adds(&b, "GET /a\nGET /b\n");
	for (i = 0; i < 25; i++)
		diag_buf_addf(&b, "GET /c%zu\n", i);
	ck_assert_int_eq(diag_scopes_plan_text(s, b.buf, b.len, &p, &err), 0);
	ck_assert_int_eq(p->exact, 0);
	/* every call covered: q0..q2 plus one or two of x, y, p */
	ck_assert(set_has(&p->granular, "q0:j"));
	ck_assert(set_has(&p->granular, "q2:j"));
	ck_assert(set_has(&p->granular, "p:j") ||
	    (set_has(&p->granular, "x:j") && set_has(&p->granular, "y:j")));
	diag_scopes_plan_free(p);
	diag_scopes_free(s);
	diag_buf_release(&b);
}
END_TEST

START_TEST(bad_calls_line_is_named)
{
	static const char text[] = "GET /rest/api/3/myself\nGETT /x\n";
	static const char text2[] = "GET /rest/api/3/myself extra\n";
	static const char empty[] = "# nothing\n\n";
	struct diag_scopes_plan *p;
	char *err = NULL;
	int rc;

	rc = diag_scopes_plan_text(cat(), text, strlen(text), &p, &err);
	ck_assert_int_eq(rc, -1);
	ck_assert_ptr_null(p);
	ck_assert_msg(strstr(err, "line 2") != NULL, "%s", err);
	ck_assert_msg(strstr(err, "GETT /x") != NULL, "%s", err);
	free(err);
	rc = diag_scopes_plan_text(cat(), text2, strlen(text2), &p, &err);
	ck_assert_int_eq(rc, -1);
	ck_assert_msg(strstr(err, "line 1") != NULL, "%s", err);
	free(err);
	rc = diag_scopes_plan_text(cat(), empty, strlen(empty), &p, &err);
	ck_assert_int_eq(rc, -1);
	free(err);
}
END_TEST

/* The string value of member key of the JSON object o, or NULL. */
static const char *
member_str(struct json_object *o, const char *key)
{
	return json_object_get_string(json_object_object_get(o, key));
}

static int
held_classic_reads(void *arg, const char *scope)
{
	if (strcmp(scope, "read:jira-work") == 0 ||
	    strcmp(scope, "read:jira-user") == 0)
		return 1;
	if (strcmp(scope, "write:jira-work") == 0)
		return 0;
	return arg != NULL ? -1 : 0; /* arg: the rest was not probed */
}

START_TEST(verdicts_name_the_missing_scope)
{
	static const char text[] = "GET /rest/api/3/myself\n"
				   "POST /rest/api/3/issue\n"
				   "GET /rest/api/3/nothing-here\n";
	struct diag_scopes_plan *p;
	struct json_object *list, *v, *c;
	char *err = NULL;
	size_t nf, nu;
	int rc, unprobed = 1;

	rc = diag_scopes_plan_text(cat(), text, strlen(text), &p, &err);
	ck_assert_int_eq(rc, 0);
	ck_assert_uint_eq(p->n_unknown, 1);
	list = diag_scopes_plan_calls_json(p);
	v = diag_scopes_verdicts(list, held_classic_reads, NULL, &nf, &nu);
	ck_assert_uint_eq(json_object_array_length(v), 3);
	ck_assert_uint_eq(nf, 1);
	ck_assert_uint_eq(nu, 1);
	c = json_object_array_get_idx(v, 0);
	ck_assert_str_eq(member_str(c, "verdict"), "will work");
	c = json_object_array_get_idx(v, 1);
	ck_assert_str_eq(member_str(c, "verdict"), "fails");
	ck_assert_str_eq(member_str(c, "message"), "needs write:jira-work");
	ck_assert_int_eq(json_object_get_int(json_object_object_get(c, "line")),
	    2);
	c = json_object_array_get_idx(v, 2);
	ck_assert_str_eq(member_str(c, "verdict"), "not in catalogue");
	json_object_put(v);
	/* the granular alternative was not probed: cannot tell */
	v = diag_scopes_verdicts(list, held_classic_reads, &unprobed, &nf, &nu);
	ck_assert_uint_eq(nf, 0);
	ck_assert_uint_eq(nu, 2);
	c = json_object_array_get_idx(v, 1);
	ck_assert_str_eq(member_str(c, "verdict"), "unknown");
	json_object_put(v);
	json_object_put(list);
	diag_scopes_plan_free(p);
}
END_TEST

START_TEST(default_catalogue_is_the_embedded_one)
{
	struct diag_scopes_match m;
	int rc;

	ck_assert_ptr_nonnull(diag_scopes_default());
	rc = diag_scopes_match(diag_scopes_default(), "GET",
	    "/rest/api/3/myself", &m);
	ck_assert_int_eq(rc, 0);
	diag_scopes_match_release(&m);
}
END_TEST

/* Scope names are catalogue names; a typo gets the nearest ones. */
START_TEST(scope_names_are_checked_against_the_catalogue)
{
	const char *typo =
	    "unknown scope 'read:jira-wrok' (did you mean read:jira-work";
	const char *near[3];
	char *m;

	ck_assert(diag_scopes_known(cat(), "read:jira-work"));
	ck_assert(diag_scopes_known(cat(), "read:issue:jira"));
	ck_assert(!diag_scopes_known(cat(), "read:jira-wrok"));
	ck_assert(!diag_scopes_known(cat(), ""));
	ck_assert_uint_ge(diag_scopes_nearest(cat(), "read:jira-wrok", near, 3),
	    1);
	ck_assert_str_eq(near[0], "read:jira-work");
	ck_assert_ptr_null(diag_scopes_check_names(cat(),
	    "read:jira-work, write:jira-work,read:issue:jira"));
	ck_assert_ptr_null(diag_scopes_check_names(cat(), NULL));
	m = diag_scopes_check_names(cat(), "read:jira-user,read:jira-wrok");
	ck_assert_ptr_nonnull(m);
	ck_assert_msg(strstr(m, typo) != NULL, "%s", m);
	free(m);
	/* A name smuggling a method and a path is no scope. */
	m = diag_scopes_check_names(cat(), "x|DELETE|/rest/api/3/project/PAY#");
	ck_assert_ptr_nonnull(m);
	ck_assert_msg(strstr(m, "unknown scope 'x|DELETE|") != NULL, "%s", m);
	free(m);
	m = diag_scopes_check_names(cat(), "read:jira-work;\x1b]52;c;");
	ck_assert_ptr_nonnull(m);
	ck_assert_msg(strchr(m, '\033') == NULL, "%s", m);
	free(m);
}
END_TEST

static const char *
gate(const char *method, const char *url, const char *body, int probe)
{
	struct diag_http_req req;

	memset(&req, 0, sizeof(req));
	req.method = (char *)method;
	req.url = (char *)url;
	req.body = (char *)body;
	req.write_probe = probe;
	return diag_http_gate(&req);
}

/* Only reads and the documented write probe may leave the program. */
START_TEST(method_gate_lets_only_reads_and_the_write_probe_out)
{
	const char *site = "https://acme.atlassian.net/rest/api/3/issue";
	const char *gw =
	    "https://api.atlassian.com/ex/jira/"
	    "7c1e4b2a-9d3f-4e6a-b8c5-1f2e3d4c5b6a/rest/api/3/issue";

	ck_assert_ptr_null(gate("GET", site, NULL, 0));
	ck_assert_ptr_null(gate("HEAD", site, NULL, 0));
	ck_assert_ptr_null(gate("OPTIONS", site, NULL, 0));
	ck_assert_ptr_null(gate("POST", site, "{}", 1));
	ck_assert_ptr_null(gate("POST", gw, "{}", 1));
	/* Writes without the probe's flag, whatever they look like. */
	ck_assert_ptr_nonnull(gate("DELETE",
	    "https://acme.atlassian.net/rest/api/3/project/PAY", NULL, 0));
	ck_assert_ptr_nonnull(gate("POST", site, "{}", 0));
	ck_assert_ptr_nonnull(gate("PUT", site, NULL, 0));
	ck_assert_ptr_nonnull(gate("GET", site, "{}", 0));
	ck_assert_ptr_nonnull(gate("get", site, NULL, 0));
	ck_assert_ptr_nonnull(gate(NULL, site, NULL, 0));
	/* The flag allows exactly the probe's shape. */
	ck_assert_ptr_nonnull(gate("DELETE", site, "{}", 1));
	ck_assert_ptr_nonnull(gate("POST", site, "{\"fields\":{}}", 1));
	ck_assert_ptr_nonnull(gate("POST", site, NULL, 1));
	ck_assert_ptr_nonnull(gate("POST",
	    "https://acme.atlassian.net/rest/api/3/project", "{}", 1));
	ck_assert_ptr_nonnull(gate("POST",
	    "https://acme.atlassian.net/rest/api/3/issue/bulk", "{}", 1));
	ck_assert_ptr_nonnull(gate("POST",
	    "https://acme.atlassian.net"
	    "/rest/api/3/project/PAY#/rest/api/3/issue",
	    "{}", 1));
	ck_assert_ptr_nonnull(gate("POST",
	    "https://acme.atlassian.net"
	    "/rest/api/3/issue?x=1",
	    "{}", 1));
	ck_assert_ptr_nonnull(gate("POST",
	    "https://api.atlassian.com/ex/"
	    "jira/PAY/rest/api/3/issue",
	    "{}", 1));
	ck_assert_ptr_nonnull(gate("POST",
	    "https://api.atlassian.com/ex/"
	    "confluence/7c1e4b2a-9d3f-4e6a-b8c5-1f2e3d4c5b6a/rest/api/3/issue",
	    "{}", 1));
}
END_TEST

static const char *
token_gate(const char *method, const char *url, const char *body,
    const char *authz, int probe)
{
	struct diag_http_req req;

	memset(&req, 0, sizeof(req));
	req.method = (char *)method;
	req.url = (char *)url;
	req.body = (char *)body;
	req.authorization = (char *)authz;
	req.token_request = 1;
	req.write_probe = probe;
	return diag_http_gate(&req);
}

/* The token request's flag lets out only POST {...} to the token URL. */
START_TEST(method_gate_lets_the_token_request_out_and_nothing_else)
{
	const char *tok = "https://auth.atlassian.com/oauth/token";
	const char *body = "{\"grant_type\":\"client_credentials\"}";

	ck_assert_ptr_null(token_gate("POST", tok, body, NULL, 0));
	/* Without the flag, the same request is a write like any other. */
	ck_assert_ptr_nonnull(gate("POST", tok, body, 0));
	ck_assert_ptr_nonnull(gate("POST", tok, "{}", 1));
	/* The flag allows exactly that shape. */
	ck_assert_ptr_nonnull(token_gate("GET", tok, NULL, NULL, 0));
	ck_assert_ptr_nonnull(token_gate("PUT", tok, body, NULL, 0));
	ck_assert_ptr_nonnull(token_gate("POST", tok, NULL, NULL, 0));
	ck_assert_ptr_nonnull(token_gate("POST", tok, "grant_type=x", NULL, 0));
	ck_assert_ptr_nonnull(token_gate("POST", tok, body, "Bearer x", 0));
	ck_assert_ptr_nonnull(token_gate("POST", tok, body, NULL, 1));
	ck_assert_ptr_nonnull(token_gate("POST",
	    "http://auth.atlassian.com/oauth/token", body, NULL, 0));
	ck_assert_ptr_nonnull(token_gate("POST",
	    "https://auth.atlassian.com/oauth/token?x=1", body, NULL, 0));
	ck_assert_ptr_nonnull(token_gate("POST",
	    "https://auth.atlassian.com/oauth/token#x", body, NULL, 0));
	ck_assert_ptr_nonnull(token_gate("POST",
	    "https://auth.atlassian.com:8443/oauth/token", body, NULL, 0));
	ck_assert_ptr_nonnull(token_gate("POST",
	    "https://auth.atlassian.com.evil.example/oauth/token", body, NULL,
	    0));
	ck_assert_ptr_nonnull(token_gate("POST",
	    "https://acme.atlassian.net/oauth/token", body, NULL, 0));
	ck_assert_ptr_nonnull(token_gate("POST",
	    "https://auth.atlassian.com/oauth/token/x", body, NULL, 0));
	ck_assert_ptr_nonnull(token_gate("POST",
	    "https://api.atlassian.com/ex/jira/"
	    "7c1e4b2a-9d3f-4e6a-b8c5-1f2e3d4c5b6a/rest/api/3/issue",
	    "{}", NULL, 0));
}
END_TEST

Suite *
scopes_suite(void)
{
	Suite *s = suite_create("scopes");
	TCase *tc = tcase_create("match");
	TCase *tp = tcase_create("plan");

	tcase_add_loop_test(tc,
	    real_operations_match_their_templates_and_scopes, 0,
	    (int)DIAG_NELEM(table));
	tcase_add_test(tc, myself_granular_set_is_the_documented_four);
	tcase_add_test(tc, gateway_prefix_names_the_product);
	tcase_add_test(tc, v2_path_is_matched_with_its_v3_twin);
	tcase_add_test(tc, unknown_path_offers_the_nearest_template);
	tcase_add_test(tc, wrong_method_names_the_documented_ones);
	tcase_add_test(tc, unrelated_path_names_no_nearest_template);
	tcase_add_test(tc, deprecated_operations_carry_their_replacement);
	tcase_add_test(tc, default_catalogue_is_the_embedded_one);
	tcase_add_test(tc, scope_names_are_checked_against_the_catalogue);
	tcase_add_test(tc, method_gate_lets_only_reads_and_the_write_probe_out);
	tcase_add_test(tc,
	    method_gate_lets_the_token_request_out_and_nothing_else);
	suite_add_tcase(s, tc);
	tcase_add_test(tp,
	    planner_finds_the_smallest_classic_and_granular_sets);
	tcase_add_test(tp, planner_says_when_no_classic_set_exists);
	tcase_add_test(tp, exact_search_beats_the_first_cheap_choice);
	tcase_add_test(tp, many_operations_fall_back_to_greedy_and_say_so);
	tcase_add_test(tp, bad_calls_line_is_named);
	tcase_add_test(tp, verdicts_name_the_missing_scope);
	suite_add_tcase(s, tp);
	return s;
}
