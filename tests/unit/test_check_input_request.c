/* tests/unit/test_check_input_request.c: input.request: host kinds, gateway prefix, /wiki, removed endpoints, routing. */
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "diag/report/report.h"
#include "diag/core/util.h"
#include "tests/unit/dtest.h"

Suite *input_request_suite(void);

#define CID "35273b54-3f06-40d2-880f-dd28cf8daafa"
#define GW "https://api.atlassian.com/ex/jira/" CID
#define GWC "https://api.atlassian.com/ex/confluence/" CID
#define SITE "https://acme.atlassian.net"

static struct diag_report *
lint_url(const char *method, const char *url, const char *email,
    const char *token)
{
	struct dtest_in in;

	memset(&in, 0, sizeof(in));
	in.url = url;
	in.method = method;
	in.email = email != NULL ? email : "me@example.com";
	in.token = token != NULL ? token : DTEST_VECTOR;
	return dtest_run("lint", &in);
}

START_TEST(good_gateway_and_site_urls_pass)
{
	struct diag_report *rep;
	const struct diag_check_result *c;

	rep = lint_url("GET", GW "/rest/api/3/myself", NULL, NULL);
	c = dtest_check(rep, "input.request");
	ck_assert_int_eq(c->status, DIAG_PASS);
	ck_assert(strstr(c->message, "gateway") != NULL);
	diag_report_free(rep);
	rep = lint_url("GET", SITE "/wiki/api/v2/pages", NULL, NULL);
	ck_assert_int_eq(dtest_check(rep, "input.request")->status, DIAG_PASS);
	diag_report_free(rep);
}
END_TEST

START_TEST(http_is_not_https)
{
	struct diag_report *rep = lint_url("GET",
	    "http://acme.atlassian.net/rest/api/3/myself", NULL, NULL);

	dtest_assert_finding(rep, "site.not_https");
	diag_report_free(rep);
}
END_TEST

START_TEST(non_atlassian_host_is_untrusted)
{
	struct diag_report *rep = lint_url("GET",
	    "https://jira.example.org/rest/api/3/myself", NULL, NULL);

	dtest_assert_finding(rep, "request.untrusted_host");
	diag_report_free(rep);
	rep = lint_url("GET", SITE "/rest/api/3/myself", NULL, NULL);
	dtest_assert_no_finding(rep, "request.untrusted_host");
	diag_report_free(rep);
}
END_TEST

START_TEST(gateway_without_ex_prefix_is_reported)
{
	struct diag_report *rep = lint_url("GET",
	    "https://api.atlassian.com/rest/api/3/myself", NULL, NULL);

	dtest_assert_finding(rep, "routing.missing_gateway_prefix");
	diag_report_free(rep);
	rep = lint_url("GET", "https://api.atlassian.com/ex/jira/", NULL, NULL);
	dtest_assert_finding(rep, "routing.missing_gateway_prefix");
	diag_report_free(rep);
}
END_TEST

START_TEST(gateway_cloud_id_must_be_a_uuid)
{
	struct diag_report *rep = lint_url("GET",
	    "https://api.atlassian.com/ex/jira/{cloudId}/rest/api/3/myself",
	    NULL, NULL);

	dtest_assert_finding(rep, "cloud_id.malformed");
	diag_report_free(rep);
	rep = lint_url("GET",
	    "https://api.atlassian.com/ex/jira/acme/rest/api/3/myself", NULL,
	    NULL);
	dtest_assert_finding(rep, "cloud_id.malformed");
	diag_report_free(rep);
}
END_TEST

START_TEST(confluence_path_without_wiki_is_reported)
{
	struct diag_report *rep;
	const struct diag_finding *f;

	rep = lint_url("GET", SITE "/rest/api/content/123", NULL, NULL);
	dtest_assert_finding(rep, "routing.confluence_missing_wiki");
	f = dtest_finding(rep, "routing.confluence_missing_wiki");
	ck_assert_int_eq(f->status, DIAG_FAIL);
	diag_report_free(rep);
	rep = lint_url("GET", GWC "/api/v2/pages", NULL, NULL);
	dtest_assert_finding(rep, "routing.confluence_missing_wiki");
	diag_report_free(rep);
	rep = lint_url("GET", SITE "/rest/api/3/issue/ABC-1", NULL, NULL);
	dtest_assert_no_finding(rep, "routing.confluence_missing_wiki");
	diag_report_free(rep);
}
END_TEST

START_TEST(retired_search_is_reported_and_search_jql_is_not)
{
	struct diag_report *rep;
	const struct diag_finding *f;

	rep = lint_url("GET", SITE "/rest/api/3/search?jql=project=X", NULL,
	    NULL);
	dtest_assert_finding(rep, "routing.endpoint_removed");
	f = dtest_finding(rep, "routing.endpoint_removed");
	ck_assert_int_eq(f->confidence, DIAG_LIKELY);
	diag_report_free(rep);
	rep = lint_url("GET", SITE "/rest/api/3/search/jql?jql=project=X", NULL,
	    NULL);
	dtest_assert_no_finding(rep, "routing.endpoint_removed");
	diag_report_free(rep);
}
END_TEST

START_TEST(service_account_on_a_site_is_scoped_token_on_site)
{
	char *sa = diag_xasprintf("ATSTT%s", DTEST_VECTOR + 5);
	struct diag_report *rep;
	const struct diag_finding *f;

	rep = lint_url("GET", SITE "/rest/api/3/myself", NULL, sa);
	dtest_assert_finding(rep, "routing.scoped_token_on_site");
	f = dtest_finding(rep, "routing.scoped_token_on_site");
	ck_assert_int_eq(f->confidence, DIAG_LIKELY);
	diag_report_free(rep);
	rep = lint_url("GET", SITE "/rest/api/3/myself",
	    "bot-ab12cd34ef@serviceaccount.atlassian.com", NULL);
	dtest_assert_finding(rep, "routing.scoped_token_on_site");
	f = dtest_finding(rep, "routing.scoped_token_on_site");
	ck_assert_int_eq(f->confidence, DIAG_POSSIBLE);
	diag_report_free(rep);
	rep = lint_url("GET", GW "/rest/api/3/myself", NULL, sa);
	dtest_assert_no_finding(rep, "routing.scoped_token_on_site");
	diag_report_free(rep);
	free(sa);
}
END_TEST

START_TEST(product_in_the_prefix_must_match_the_path)
{
	struct diag_report *rep;

	rep = lint_url("GET", GW "/wiki/api/v2/pages", NULL, NULL);
	dtest_assert_finding(rep, "request.product_mismatch");
	diag_report_free(rep);
	rep = lint_url("GET", GWC "/wiki/api/v2/pages", NULL, NULL);
	dtest_assert_no_finding(rep, "request.product_mismatch");
	diag_report_free(rep);
}
END_TEST

START_TEST(write_method_on_a_read_only_endpoint_is_noted)
{
	struct diag_report *rep;

	rep = lint_url("POST", SITE "/rest/api/3/myself", NULL, NULL);
	dtest_assert_finding(rep, "request.method_not_allowed");
	diag_report_free(rep);
	rep = lint_url("GET", SITE "/rest/api/3/myself", NULL, NULL);
	dtest_assert_no_finding(rep, "request.method_not_allowed");
	diag_report_free(rep);
}
END_TEST

Suite *
input_request_suite(void)
{
	Suite *s = suite_create("input_request");
	TCase *tc = tcase_create("request");

	tcase_add_test(tc, good_gateway_and_site_urls_pass);
	tcase_add_test(tc, http_is_not_https);
	tcase_add_test(tc, non_atlassian_host_is_untrusted);
	tcase_add_test(tc, gateway_without_ex_prefix_is_reported);
	tcase_add_test(tc, gateway_cloud_id_must_be_a_uuid);
	tcase_add_test(tc, confluence_path_without_wiki_is_reported);
	tcase_add_test(tc, retired_search_is_reported_and_search_jql_is_not);
	tcase_add_test(tc, service_account_on_a_site_is_scoped_token_on_site);
	tcase_add_test(tc, product_in_the_prefix_must_match_the_path);
	tcase_add_test(tc, write_method_on_a_read_only_endpoint_is_noted);
	suite_add_tcase(s, tc);
	return s;
}
