/* tests/unit/test_permissions.c: the permission catalogue: lookups, the reading of and/or, names and suggestions. */
#include <stdlib.h>
#include <string.h>

#include "diag/rules/permissions.h"
#include "diag/core/util.h"
#include "tests/unit/dtest.h"

static char *
alts_of(const char *method, const char *target)
{
	const struct diag_perms_op *op;

	op = diag_perms_find(diag_perms_default(), method, target);
	ck_assert_msg(op != NULL, "%s %s not found", method, target);
	return diag_perms_alts_str(op);
}

START_TEST(builtin_catalogue_loads)
{
	ck_assert_ptr_nonnull(diag_perms_default());
	ck_assert_str_eq(diag_perms_type(diag_perms_default(), "CREATE_ISSUES"),
	    "project");
	ck_assert_str_eq(diag_perms_type(diag_perms_default(), "ADMINISTER"),
	    "global");
	ck_assert_ptr_null(
	    diag_perms_type(diag_perms_default(), "CREATE_ISSUE"));
}
END_TEST

/* "Browse projects and Create issues" = all of; "A or B" = any of. */
START_TEST(and_is_all_of_or_is_any_of)
{
	char *s;

	s = alts_of("POST", "/rest/api/3/issue");
	ck_assert_str_eq(s, "BROWSE_PROJECTS+CREATE_ISSUES");
	free(s);
	s = alts_of("POST", "/rest/api/3/version");
	ck_assert_str_eq(s, "ADMINISTER | ADMINISTER_PROJECTS");
	free(s);
}
END_TEST

/* Conditions are notes, not requirements. */
START_TEST(conditions_are_notes)
{
	const struct diag_perms_op *op;

	op = diag_perms_find(diag_perms_default(), "PUT",
	    "/rest/api/3/issue/ENG-1");
	ck_assert_ptr_nonnull(op);
	ck_assert_uint_eq(op->n_alts, 1);
	ck_assert_uint_eq(op->alts[0].n_keys, 2);
	ck_assert_uint_ge(op->n_notes, 1);
	ck_assert_ptr_nonnull(strstr(op->notes[0], "issue-level security"));
	ck_assert_int_eq(op->issue_security, 1);
}
END_TEST

/* Host, gateway prefix, query and v2 are normalised away; the issue key
 * is read from the URL. */
START_TEST(urls_are_matched_and_read)
{
	const struct diag_perms_op *op;
	const char *u =
	    "https://api.atlassian.com/ex/jira/7c1e4b2a-9d3f-4e6a-"
	    "b8c5-1f2e3d4c5b6a/rest/api/2/issue/PAY-7/comment?expand=x";
	char *v;

	op = diag_perms_find(diag_perms_default(), "post", u);
	ck_assert_ptr_nonnull(op);
	ck_assert_str_eq(op->operation, "addComment");
	v = diag_perms_param(op, u, "{issue");
	ck_assert_str_eq(v, "PAY-7");
	free(v);
	ck_assert_ptr_null(diag_perms_param(op, u, "{project"));
	ck_assert_ptr_null(diag_perms_find(diag_perms_default(), "GET",
	    "/wiki/rest/api/space"));
}
END_TEST

START_TEST(unknown_names_suggest_the_nearest)
{
	char *err = NULL;
	int rc;

	rc = diag_perms_check_names(diag_perms_default(),
	    "BROWSE_PROJECTS, CREATE_ISSUES", &err);
	ck_assert_int_eq(rc, 0);
	ck_assert_ptr_null(err);
	rc = diag_perms_check_names(diag_perms_default(),
	    "BROWSE_PROJECTS,CREATE_ISSUE", &err);
	ck_assert_int_eq(rc, -1);
	ck_assert_str_eq(err,
	    "unknown permission 'CREATE_ISSUE' (did you mean CREATE_ISSUES?)");
	free(err);
	rc = diag_perms_check_names(diag_perms_default(),
	    "NOTHING_LIKE_IT_AT_ALL", &err);
	ck_assert_int_eq(rc, -1);
	ck_assert_str_eq(err, "unknown permission 'NOTHING_LIKE_IT_AT_ALL'");
	free(err);
	ck_assert_uint_eq(diag_edit_distance("CREATE_ISSUE", "create_issues"),
	    1);
	ck_assert_uint_eq(diag_edit_distance("", "abc"), 3);
}
END_TEST

START_TEST(op_json_has_alternatives_and_types)
{
	const struct diag_perms_op *op;
	struct json_object *o, *v, *t;

	op = diag_perms_find(diag_perms_default(), "POST", "/rest/api/3/issue");
	o = diag_perms_op_json(diag_perms_default(), op);
	ck_assert(json_object_object_get_ex(o, "alternatives", &v));
	ck_assert_uint_eq(json_object_array_length(v), 1);
	ck_assert(json_object_object_get_ex(o, "types", &v));
	t = json_object_object_get(v, "CREATE_ISSUES");
	ck_assert_str_eq(json_object_get_string(t), "project");
	json_object_put(o);
}
END_TEST

Suite *
permissions_suite(void)
{
	Suite *s = suite_create("permissions");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, builtin_catalogue_loads);
	tcase_add_test(tc, and_is_all_of_or_is_any_of);
	tcase_add_test(tc, conditions_are_notes);
	tcase_add_test(tc, urls_are_matched_and_read);
	tcase_add_test(tc, unknown_names_suggest_the_nearest);
	tcase_add_test(tc, op_json_has_alternatives_and_types);
	suite_add_tcase(s, tc);
	return s;
}
