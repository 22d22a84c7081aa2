/* tests/unit/test_requirements.c: the verdict rule: every stated requirement ends proven, disproven or unproven, and unproven is never a pass; --product names. */
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "diag/cmd/live_require.h"
#include "diag/core/inputs.h"
#include "diag/core/model.h"
#include "diag/report/report.h"
#include "diag/core/util.h"
#include "tests/unit/dtest.h"

/* A report with one check result (id, status) and requirement entries
 * "kind|name|outcome" as the checks record them. */
static struct diag_report *
mkrep(const char *check, enum diag_status st, const char *const *reqs)
{
	struct diag_report *rep = diag_report_new("check");
	struct json_object *list = json_object_new_array(), *e;
	char *k, *n, *o;

	rep->checks = diag_xcalloc(1, sizeof(*rep->checks));
	rep->checks[0].id = diag_xstrdup(check);
	rep->checks[0].status = st;
	if (st == DIAG_BLOCKED)
		rep->checks[0].blocked_by = diag_xstrdup("auth.identity");
	rep->n_checks = 1;
	for (; reqs != NULL && *reqs != NULL; reqs++) {
		k = diag_xstrdup(*reqs);
		n = strchr(k, '|');
		*n++ = '\0';
		o = strchr(n, '|');
		*o++ = '\0';
		e = json_object_new_object();
		json_object_object_add(e, "kind", json_object_new_string(k));
		json_object_object_add(e, "name", json_object_new_string(n));
		json_object_object_add(e, "outcome", json_object_new_string(o));
		json_object_object_add(e, "how",
		    json_object_new_string("test"));
		json_object_object_add(e, "next_step",
		    json_object_new_string("prove it"));
		json_object_object_add(e, "check",
		    json_object_new_string(check));
		json_object_array_add(list, e);
		free(k);
	}
	rep->extra = json_object_new_object();
	json_object_object_add(rep->extra, "requirements", list);
	return rep;
}

static void
add_finding(struct diag_report *rep, const char *code, const char *check,
    enum diag_status st)
{
	struct diag_finding *f = diag_xcalloc(1, sizeof(*f));

	f->code = diag_xstrdup(code);
	f->dx = diag_rules_diagnosis(dtest_rules(), code);
	f->check_id = diag_xstrdup(check);
	f->status = st;
	rep->findings = diag_xrealloc(rep->findings,
	    (rep->n_findings + 1) * sizeof(*rep->findings));
	rep->findings[rep->n_findings++] = f;
}

static const char *
outcome_of(const struct diag_report *rep, const char *kind, const char *name)
{
	struct json_object *list, *e, *v;
	size_t i;

	if (!json_object_object_get_ex(rep->extra, "requirements", &list))
		return "absent";
	for (i = 0; i < json_object_array_length(list); i++) {
		e = json_object_array_get_idx(list, i);
		json_object_object_get_ex(e, "kind", &v);
		if (strcmp(json_object_get_string(v), kind) != 0)
			continue;
		json_object_object_get_ex(e, "name", &v);
		if (strcmp(json_object_get_string(v), name) != 0)
			continue;
		json_object_object_get_ex(e, "outcome", &v);
		return json_object_get_string(v);
	}
	return "absent";
}

static struct json_object *
opts(const char *k, const char *v)
{
	struct json_object *o = json_object_new_object();

	if (k != NULL)
		json_object_object_add(o, k, json_object_new_string(v));
	return o;
}

START_TEST(unproven_is_inconclusive_never_pass)
{
	static const char *const reqs[] = { "scope|write:jira-work|unproven",
		NULL };
	struct diag_report *rep = mkrep("scope.probe", DIAG_PASS, reqs);
	struct json_object *o = opts("need-scope", "write:jira-work");

	diag__live_requirements(rep, dtest_rules(), o, NULL, NULL);
	diag_report_finish(rep, 0);
	ck_assert_int_eq(rep->exit_code, 3);
	ck_assert_str_eq(rep->findings[0]->code, "requirement.unproven");
	ck_assert_ptr_nonnull(
	    strstr(rep->findings[0]->detail, "write:jira-work"));
	ck_assert_int_eq(rep->findings[0]->n_steps, 1);
	ck_assert_ptr_nonnull(strstr(rep->findings[0]->steps[0], "prove it"));
	ck_assert_int_eq(rep->checks[0].status, DIAG_INCONCLUSIVE);
	json_object_put(o);
	diag_report_free(rep);
}
END_TEST

START_TEST(disproven_fails_and_adds_nothing)
{
	static const char *const reqs[] = { "scope|write:jira-work|disproven",
		"scope|read:jira-user|unproven", NULL };
	struct diag_report *rep = mkrep("scope.probe", DIAG_FAIL, reqs);
	struct json_object *o = opts(NULL, NULL);

	add_finding(rep, "scope.missing", "scope.probe", DIAG_FAIL);
	diag__live_requirements(rep, dtest_rules(), o, NULL, NULL);
	diag_report_finish(rep, 0);
	ck_assert_int_eq(rep->exit_code, 1);
	ck_assert_int_eq(rep->n_findings, 1);
	ck_assert_str_eq(rep->findings[0]->code, "scope.missing");
	json_object_put(o);
	diag_report_free(rep);
}
END_TEST

START_TEST(all_proven_passes)
{
	static const char *const reqs[] = { "project|ENG|proven",
		"permission|CREATE_ISSUES|proven", NULL };
	struct diag_report *rep = mkrep("project.access", DIAG_PASS, reqs);
	struct json_object *o = opts("project", "ENG");

	json_object_object_add(o, "need-permission",
	    json_object_new_string("CREATE_ISSUES"));
	diag__live_requirements(rep, dtest_rules(), o, NULL, NULL);
	diag_report_finish(rep, 0);
	ck_assert_int_eq(rep->exit_code, 0);
	ck_assert_int_eq(rep->n_findings, 0);
	json_object_put(o);
	diag_report_free(rep);
}
END_TEST

START_TEST(stated_but_not_judged_is_unproven)
{
	struct diag_report *rep = mkrep("scope.probe", DIAG_SKIPPED, NULL);
	struct json_object *o =
	    opts("need-scope", "read:jira-work,write:jira-work");
	const char *got;

	json_object_object_add(o, "space", json_object_new_string("DOCS"));
	diag__live_requirements(rep, dtest_rules(), o, "GET",
	    "https://acme.atlassian.net/rest/api/3/myself");
	diag_report_finish(rep, 0);
	ck_assert_str_eq(outcome_of(rep, "scope", "read:jira-work"),
	    "unproven");
	ck_assert_str_eq(outcome_of(rep, "scope", "write:jira-work"),
	    "unproven");
	ck_assert_str_eq(outcome_of(rep, "space", "DOCS"), "unproven");
	got = outcome_of(rep, "request",
	    "GET https://acme.atlassian.net/rest/api/3/myself");
	ck_assert_str_eq(got, "unproven");
	ck_assert_int_eq(rep->exit_code, 3);
	json_object_put(o);
	diag_report_free(rep);
}
END_TEST

START_TEST(blocked_names_the_blocker)
{
	struct diag_report *rep = mkrep("project.access", DIAG_BLOCKED, NULL);
	struct json_object *o = opts("project", "ENG"), *list, *e, *v;

	diag__live_requirements(rep, dtest_rules(), o, NULL, NULL);
	ck_assert(json_object_object_get_ex(rep->extra, "requirements", &list));
	e = json_object_array_get_idx(list, 0);
	ck_assert(json_object_object_get_ex(e, "how", &v));
	ck_assert_ptr_nonnull(
	    strstr(json_object_get_string(v), "blocked by auth.identity"));
	json_object_put(o);
	diag_report_free(rep);
}
END_TEST

START_TEST(blocked_by_a_network_failure_is_not_repeated)
{
	struct diag_report *rep = mkrep("project.access", DIAG_BLOCKED, NULL);
	struct json_object *o = opts("project", "ENG");

	add_finding(rep, "network.timeout", "auth.gateway", DIAG_INCONCLUSIVE);
	diag__live_requirements(rep, dtest_rules(), o, NULL, NULL);
	diag_report_finish(rep, 0);
	ck_assert_str_eq(outcome_of(rep, "project", "ENG"), "unproven");
	ck_assert_int_eq(rep->n_findings, 1);
	ck_assert_str_eq(rep->findings[0]->code, "network.timeout");
	ck_assert_int_eq(rep->exit_code, 3);
	json_object_put(o);
	diag_report_free(rep);
	/* Blocked, and nothing else says so: still never a pass. */
	rep = mkrep("project.access", DIAG_BLOCKED, NULL);
	o = opts("project", "ENG");
	diag__live_requirements(rep, dtest_rules(), o, NULL, NULL);
	diag_report_finish(rep, 0);
	ck_assert_int_eq(rep->exit_code, 3);
	ck_assert_str_eq(rep->findings[0]->code, "requirement.unproven");
	json_object_put(o);
	diag_report_free(rep);
}
END_TEST

START_TEST(explained_by_its_check_is_not_repeated)
{
	static const char *const reqs[] = {
		"request|POST https://x/rest/api/3/issue|unproven", NULL
	};
	struct diag_report *rep =
	    mkrep("request.replay", DIAG_INCONCLUSIVE, reqs);
	struct json_object *o = opts(NULL, NULL);

	add_finding(rep, "request.write_not_sent", "request.replay",
	    DIAG_INCONCLUSIVE);
	diag__live_requirements(rep, dtest_rules(), o, NULL, NULL);
	diag_report_finish(rep, 0);
	ck_assert_int_eq(rep->exit_code, 3);
	ck_assert_int_eq(rep->n_findings, 1);
	json_object_put(o);
	diag_report_free(rep);
}
END_TEST

START_TEST(calls_become_requirements)
{
	struct diag_report *rep = mkrep("scope.probe", DIAG_PASS, NULL);
	struct json_object *o = opts("calls", "calls.txt"), *calls, *c;
	const char *got;

	calls = json_object_new_array();
	c = json_object_new_object();
	json_object_object_add(c, "line", json_object_new_int(2));
	json_object_object_add(c, "method", json_object_new_string("POST"));
	json_object_object_add(c, "path",
	    json_object_new_string("/rest/api/3/issue"));
	json_object_object_add(c, "verdict", json_object_new_string("unknown"));
	json_object_object_add(c, "message",
	    json_object_new_string("not probed: write:jira-work"));
	json_object_array_add(calls, c);
	json_object_object_add(rep->extra, "calls", calls);
	diag__live_requirements(rep, dtest_rules(), o, NULL, NULL);
	diag_report_finish(rep, 0);
	got = outcome_of(rep, "call", "POST /rest/api/3/issue (line 2)");
	ck_assert_str_eq(got, "unproven");
	ck_assert_int_eq(rep->exit_code, 3);
	json_object_put(o);
	diag_report_free(rep);
}
END_TEST

START_TEST(product_names)
{
	char *m;

	ck_assert_str_eq(diag_product_known("jira"), "jira");
	ck_assert_str_eq(diag_product_known(" Confluence\n"), "confluence");
	ck_assert_ptr_null(diag_product_known("jirra"));
	ck_assert_ptr_null(diag_product_known("jira-software"));
	ck_assert_ptr_null(diag_product_check("JIRA"));
	m = diag_product_check("jirra");
	ck_assert_ptr_nonnull(m);
	ck_assert_ptr_nonnull(strstr(m, "known: jira, confluence"));
	ck_assert_ptr_nonnull(strstr(m, "did you mean jira?"));
	free(m);
	m = diag_product_check("bitbucket");
	ck_assert_ptr_nonnull(m);
	ck_assert_ptr_null(strstr(m, "did you mean"));
	free(m);
}
END_TEST

Suite *
requirements_suite(void)
{
	Suite *s = suite_create("requirements");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, unproven_is_inconclusive_never_pass);
	tcase_add_test(tc, disproven_fails_and_adds_nothing);
	tcase_add_test(tc, all_proven_passes);
	tcase_add_test(tc, stated_but_not_judged_is_unproven);
	tcase_add_test(tc, blocked_names_the_blocker);
	tcase_add_test(tc, explained_by_its_check_is_not_repeated);
	tcase_add_test(tc, blocked_by_a_network_failure_is_not_repeated);
	tcase_add_test(tc, calls_become_requirements);
	tcase_add_test(tc, product_names);
	suite_add_tcase(s, tc);
	return s;
}
