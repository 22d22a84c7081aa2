/* tests/unit/test_check_input_sources.c: input.sources: missing inputs by command, cloud ID needs. */
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "diag/report/report.h"
#include "tests/unit/dtest.h"

Suite *input_sources_suite(void);

START_TEST(complete_inputs_raise_nothing)
{
	struct dtest_in in = { .site = "acme.atlassian.net",
		.email = "me@example.com",
		.token = DTEST_VECTOR };
	struct diag_report *rep = dtest_run("lint", &in);

	ck_assert_msg(rep->n_findings == 0, "got [%s]", dtest_codes(rep));
	diag_report_free(rep);
}
END_TEST

START_TEST(missing_inputs_warn_in_lint)
{
	struct dtest_in in = { .site = "acme.atlassian.net" };
	struct diag_report *rep = dtest_run("lint", &in);

	dtest_assert_finding(rep, "input.token_missing");
	dtest_assert_finding(rep, "input.email_missing");
	dtest_assert_no_finding(rep, "input.site_missing");
	dtest_assert_no_finding(rep, "input.cloud_id_missing");
	ck_assert_int_eq(dtest_finding(rep, "input.token_missing")->status,
	    DIAG_WARN);
	diag_report_free(rep);
}
END_TEST

/* A cloud ID is complete input for the gateway: the live checks find
 * the site from it, so no site is demanded. */
START_TEST(cloud_id_without_site_is_complete)
{
	struct dtest_in in = {
		.cloud_id = "7c1e4b2a-9d3f-4e6a-b8c5-1f2e3d4c5b6a",
		.email = "me@example.com",
		.token = DTEST_VECTOR,
	};
	struct diag_report *rep = dtest_run("check", &in);

	dtest_assert_no_finding(rep, "input.site_missing");
	diag_report_free(rep);
	in.cloud_id = NULL;
	rep = dtest_run("check", &in);
	dtest_assert_finding(rep, "input.site_missing");
	diag_report_free(rep);
}
END_TEST

START_TEST(empty_value_is_missing)
{
	struct dtest_in in = { .site = "acme.atlassian.net",
		.email = "  ",
		.token = DTEST_VECTOR };
	struct diag_report *rep = dtest_run("lint", &in);
	const struct diag_finding *f;

	dtest_assert_finding(rep, "input.email_missing");
	f = dtest_finding(rep, "input.email_missing");
	ck_assert(strstr(f->detail, "empty") != NULL);
	diag_report_free(rep);
}
END_TEST

START_TEST(service_account_token_without_cloud_id_or_site_needs_one)
{
	char tok[] = DTEST_VECTOR;
	struct dtest_in in = { .email = "me@example.com", .token = tok };
	struct diag_report *rep;

	memcpy(tok, "ATSTT", 5);
	rep = dtest_run("lint", &in);
	dtest_assert_finding(rep, "input.cloud_id_missing");
	diag_report_free(rep);
	in.cloud_id = "35273b54-3f06-40d2-880f-dd28cf8daafa";
	rep = dtest_run("lint", &in);
	dtest_assert_no_finding(rep, "input.cloud_id_missing");
	diag_report_free(rep);
}
END_TEST

START_TEST(gateway_url_carries_its_cloud_id_and_replaces_the_site)
{
	struct dtest_in in = { .email = "me@example.com",
		.token = DTEST_VECTOR,
		.url =
		    "https://api.atlassian.com/ex/jira/"
		    "35273b54-3f06-40d2-880f-dd28cf8daafa/rest/api/3/myself" };
	struct diag_report *rep = dtest_run("lint", &in);

	dtest_assert_no_finding(rep, "input.cloud_id_missing");
	dtest_assert_no_finding(rep, "input.site_missing");
	diag_report_free(rep);
}
END_TEST

START_TEST(auth_header_stands_in_for_email_and_token)
{
	struct dtest_in in = { .site = "acme.atlassian.net",
		.auth_header = "Basic bWVAZXhhbXBsZS5jb206c2VjcmV0dG9rZW4=" };
	struct diag_report *rep = dtest_run("lint", &in);

	dtest_assert_no_finding(rep, "input.email_missing");
	diag_report_free(rep);
}
END_TEST

Suite *
input_sources_suite(void)
{
	Suite *s = suite_create("input_sources");
	TCase *tc = tcase_create("sources");

	tcase_add_test(tc, complete_inputs_raise_nothing);
	tcase_add_test(tc, missing_inputs_warn_in_lint);
	tcase_add_test(tc, empty_value_is_missing);
	tcase_add_test(tc, cloud_id_without_site_is_complete);
	tcase_add_test(tc,
	    service_account_token_without_cloud_id_or_site_needs_one);
	tcase_add_test(tc,
	    gateway_url_carries_its_cloud_id_and_replaces_the_site);
	tcase_add_test(tc, auth_header_stands_in_for_email_and_token);
	suite_add_tcase(s, tc);
	return s;
}
