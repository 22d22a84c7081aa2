/* tests/unit/test_check_input_site.c: input.site: https, host kinds, pasted paths, normalisation. */
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "diag/report/report.h"
#include "tests/unit/dtest.h"

Suite *input_site_suite(void);

static struct diag_report *
lint_site(const char *site)
{
	struct dtest_in in;

	memset(&in, 0, sizeof(in));
	in.site = site;
	return dtest_run("lint", &in);
}

START_TEST(plain_site_passes)
{
	struct diag_report *rep = lint_site("https://acme.atlassian.net");

	ck_assert_int_eq(dtest_check(rep, "input.site")->status, DIAG_PASS);
	dtest_assert_message_starts(rep, "input.site", "acme.atlassian.net");
	diag_report_free(rep);
}
END_TEST

START_TEST(bare_name_and_uppercase_are_normalised_without_a_finding)
{
	struct diag_report *rep = lint_site("ACME");

	dtest_assert_message_starts(rep, "input.site", "acme.atlassian.net");
	ck_assert_int_eq(dtest_check(rep, "input.site")->status, DIAG_PASS);
	diag_report_free(rep);
	rep = lint_site("https://Acme.Atlassian.NET/");
	dtest_assert_message_starts(rep, "input.site", "acme.atlassian.net");
	ck_assert_int_eq(dtest_check(rep, "input.site")->status, DIAG_PASS);
	diag_report_free(rep);
}
END_TEST

START_TEST(http_is_not_https)
{
	struct diag_report *rep = lint_site("http://acme.atlassian.net");

	dtest_assert_finding(rep, "site.not_https");
	diag_report_free(rep);
	rep = lint_site("https://acme.atlassian.net");
	dtest_assert_no_finding(rep, "site.not_https");
	diag_report_free(rep);
}
END_TEST

START_TEST(custom_domain_is_a_likely_warning)
{
	struct diag_report *rep = lint_site("https://jira.acme.com");
	const struct diag_finding *f = dtest_finding(rep, "site.custom_domain");

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->status, DIAG_WARN);
	ck_assert_int_eq(f->confidence, DIAG_LIKELY);
	diag_report_free(rep);
	rep = lint_site("acme.jira.com");
	dtest_assert_no_finding(rep, "site.custom_domain");
	diag_report_free(rep);
}
END_TEST

START_TEST(atlassian_com_typo_suggests_the_net_host)
{
	struct diag_report *rep = lint_site("acme.atlassian.com");
	const struct diag_finding *f = dtest_finding(rep, "site.custom_domain");

	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(f->n_notes, 1);
	ck_assert(strstr(f->notes[0], "acme.atlassian.net") != NULL);
	diag_report_free(rep);
}
END_TEST

START_TEST(pasted_browser_path_is_reported_and_stripped)
{
	struct diag_report *rep = lint_site(
	    "https://acme.atlassian.net/jira/software/projects/X/boards/1");

	dtest_assert_finding(rep, "input.site_path");
	dtest_assert_message_starts(rep, "input.site", "acme.atlassian.net");
	diag_report_free(rep);
	rep = lint_site("https://acme.atlassian.net/wiki/spaces/ENG/overview");
	dtest_assert_finding(rep, "input.site_path");
	diag_report_free(rep);
}
END_TEST

START_TEST(wiki_suffix_is_accepted_and_stripped)
{
	struct diag_report *rep = lint_site("https://acme.atlassian.net/wiki/");

	dtest_assert_no_finding(rep, "input.site_path");
	dtest_assert_message_starts(rep, "input.site", "acme.atlassian.net");
	diag_report_free(rep);
}
END_TEST

START_TEST(gateway_and_service_hosts_are_not_sites)
{
	struct diag_report *rep = lint_site("https://api.atlassian.com");

	dtest_assert_finding(rep, "input.site_is_gateway");
	diag_report_free(rep);
	rep = lint_site("admin.atlassian.com");
	dtest_assert_finding(rep, "input.site_is_gateway");
	diag_report_free(rep);
	rep = lint_site("acme.atlassian.net");
	dtest_assert_no_finding(rep, "input.site_is_gateway");
	diag_report_free(rep);
}
END_TEST

START_TEST(whitespace_around_the_site_fails)
{
	struct diag_report *rep = lint_site("https://acme.atlassian.net\n");
	const struct diag_finding *f;

	dtest_assert_finding(rep, "input.site_whitespace");
	dtest_assert_message_starts(rep, "input.site", "acme.atlassian.net");
	/* A URL built from the value as given cannot work: a failure, whose
	 * fix names the repaired site. */
	f = dtest_finding(rep, "input.site_whitespace");
	ck_assert_int_eq(f->status, DIAG_FAIL);
	ck_assert_uint_ge(f->n_steps, 1);
	ck_assert_ptr_nonnull(
	    strstr(f->steps[f->n_steps - 1], "`https://acme.atlassian.net`"));
	diag_report_free(rep);
}
END_TEST

Suite *
input_site_suite(void)
{
	Suite *s = suite_create("input_site");
	TCase *tc = tcase_create("site");

	tcase_add_test(tc, plain_site_passes);
	tcase_add_test(tc,
	    bare_name_and_uppercase_are_normalised_without_a_finding);
	tcase_add_test(tc, http_is_not_https);
	tcase_add_test(tc, custom_domain_is_a_likely_warning);
	tcase_add_test(tc, atlassian_com_typo_suggests_the_net_host);
	tcase_add_test(tc, pasted_browser_path_is_reported_and_stripped);
	tcase_add_test(tc, wiki_suffix_is_accepted_and_stripped);
	tcase_add_test(tc, gateway_and_service_hosts_are_not_sites);
	tcase_add_test(tc, whitespace_around_the_site_fails);
	suite_add_tcase(s, tc);
	return s;
}
