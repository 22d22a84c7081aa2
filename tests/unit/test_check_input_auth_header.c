/* tests/unit/test_check_input_auth_header.c: input.auth_header: scheme, encoding, and what it feeds the later checks. */
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <json-c/json.h>

#include "diag/core/hash.h"
#include "diag/report/report.h"
#include "diag/core/util.h"
#include "tests/unit/dtest.h"

/* OAuth 2.0 access tokens (JWT, RS256 header): exp 1700000000 (2023-11-14)
 * and exp 1900000000 (2030-03-17), iss auth.atlassian.com, with a fake
 * signature part. */
#define JWT_EXPIRED \
	"eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6ImsxIn0.eyJpc3Mi" \
	"OiJodHRwczovL2F1dGguYXRsYXNzaWFuLmNvbSIsImF1ZCI6ImFwaS5hdGxh" \
	"c3NpYW4uY29tIiwiZXhwIjoxNzAwMDAwMDAwLCJzY29wZSI6InJlYWQ6amly" \
	"YS13b3JrIHJlYWQ6amlyYS11c2VyIiwic3ViIjoieCJ9.SIGNATUREpartQQ" \
	"QQxyzzyABCDEFGHIJKLmnop_-0123"
#define JWT_VALID \
	"eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6ImsxIn0.eyJpc3Mi" \
	"OiJodHRwczovL2F1dGguYXRsYXNzaWFuLmNvbSIsImF1ZCI6WyJhcGkuYXRs" \
	"YXNzaWFuLmNvbSJdLCJleHAiOjE5MDAwMDAwMDAsInNjb3BlIjoicmVhZDpq" \
	"aXJhLXdvcmsifQ.SIGNATUREpartQQQQxyzzyABCDEFGHIJKLmnop_-0123"
#define JWT_SIG "SIGNATUREpartQQQQxyzzyABCDEFGHIJKLmnop_-0123"
#define GW_URL \
	"https://api.atlassian.com/ex/jira/" \
	"11111111-2222-3333-4444-555555555555/rest/api/3/myself"

static struct diag_report *
lint_bearer(const char *jwt, const char *url)
{
	struct dtest_in in;

	memset(&in, 0, sizeof(in));
	in.site = "acme.atlassian.net";
	in.auth_header = jwt;
	in.url = url;
	return dtest_run("lint", &in);
}

/* Neither the signature nor the token is in any rendering. */
static void
assert_no_jwt(const struct diag_report *rep)
{
	struct diag_render_opts o;
	char *s;

	memset(&o, 0, sizeof(o));
	s = diag_report_render(rep, DIAG_FORMAT_JSON, &o);
	ck_assert(strstr(s, JWT_SIG) == NULL);
	ck_assert(strstr(s, "eyJ") == NULL);
	free(s);
	s = diag_report_render(rep, DIAG_FORMAT_TEXT, &o);
	ck_assert(strstr(s, JWT_SIG) == NULL);
	free(s);
}

START_TEST(jwt_as_bearer_to_the_site_is_routing_and_expiry)
{
	struct diag_report *rep;

	setenv("ATLDIAG_NOW", "2026-11-28T12:00:00Z", 1);
	rep = lint_bearer("Bearer " JWT_EXPIRED,
	    "https://acme.atlassian.net/rest/api/3/myself");
	dtest_assert_finding(rep, "routing.oauth_token_on_site");
	dtest_assert_finding(rep, "auth.oauth_token_expired");
	ck_assert_int_eq(rep->verdict, DIAG_FAIL);
	ck_assert_str_eq(dtest_input(rep, "auth_header", "oauth_iss"),
	    "https://auth.atlassian.com");
	ck_assert_str_eq(dtest_input(rep, "auth_header", "oauth_scope"),
	    "read:jira-work read:jira-user");
	assert_no_jwt(rep);
	diag_report_free(rep);
	unsetenv("ATLDIAG_NOW");
}
END_TEST

START_TEST(valid_jwt_to_the_gateway_passes_with_its_claims)
{
	struct diag_report *rep;

	setenv("ATLDIAG_NOW", "2026-11-28T12:00:00Z", 1);
	rep = lint_bearer("Bearer " JWT_VALID, GW_URL);
	dtest_assert_no_finding(rep, "routing.oauth_token_on_site");
	dtest_assert_no_finding(rep, "auth.oauth_token_expired");
	ck_assert_str_eq(dtest_input(rep, "auth_header", "oauth_expires_at"),
	    "2030-03-17T17:46:40Z");
	ck_assert_str_eq(dtest_input(rep, "auth_header", "oauth_aud"),
	    "api.atlassian.com");
	assert_no_jwt(rep);
	diag_report_free(rep);
	unsetenv("ATLDIAG_NOW");
}
END_TEST

START_TEST(jwt_expiry_follows_atldiag_now)
{
	struct diag_report *rep;

	setenv("ATLDIAG_NOW", "1900000001", 1);
	rep = lint_bearer("Bearer " JWT_VALID, GW_URL);
	dtest_assert_finding(rep, "auth.oauth_token_expired");
	diag_report_free(rep);
	setenv("ATLDIAG_NOW", "1899999000", 1);
	rep = lint_bearer("Bearer " JWT_VALID, GW_URL);
	dtest_assert_no_finding(rep, "auth.oauth_token_expired");
	ck_assert_str_eq(dtest_input(rep, "auth_header", "oauth_expires_in"),
	    "16 min");
	diag_report_free(rep);
	unsetenv("ATLDIAG_NOW");
}
END_TEST

START_TEST(jwt_shape_without_alg_is_not_decoded)
{
	struct diag_report *rep;

	/* header {"typ":"JWT"}: no "alg", so no claims are read */
	rep = lint_bearer("Bearer eyJ0eXAiOiJKV1QifQ.eyJleHAiOjF9." JWT_SIG,
	    GW_URL);
	dtest_assert_no_finding(rep, "auth.oauth_token_expired");
	ck_assert_str_eq(dtest_input(rep, "auth_header", "oauth_alg"), "");
	assert_no_jwt(rep);
	diag_report_free(rep);
}
END_TEST

Suite *input_auth_header_suite(void);

#define EMAIL "me@example.com"
#define GATEWAY \
	"https://api.atlassian.com/ex/jira/" \
	"35273b54-3f06-40d2-880f-dd28cf8daafa/rest/api/3/myself"
#define SITE_URL "https://acme.atlassian.net/rest/api/3/myself"

/* "Basic " + Base64 of plain (owned). */
static char *
basic_of(const char *plain)
{
	char *b = diag_base64_encode(plain, strlen(plain), 0);
	char *h = diag_xasprintf("Basic %s", b);

	free(b);
	return h;
}

static struct diag_report *
lint_header(const char *hdr, const char *url, const char *email,
    const char *token)
{
	struct dtest_in in;

	memset(&in, 0, sizeof(in));
	in.site = "acme.atlassian.net";
	in.auth_header = hdr;
	in.url = url;
	in.email = email;
	in.token = token;
	return dtest_run("lint", &in);
}

START_TEST(good_basic_header_feeds_email_and_token)
{
	char *h = basic_of(EMAIL ":" DTEST_VECTOR);
	struct diag_report *rep = lint_header(h, NULL, NULL, NULL);

	ck_assert_msg(rep->n_findings == 0, "got [%s]", dtest_codes(rep));
	ck_assert_str_eq(dtest_input(rep, "email", "source"), "auth-header");
	ck_assert_str_eq(dtest_input(rep, "token", "source"), "auth-header");
	ck_assert_int_eq(dtest_check(rep, "input.token")->status, DIAG_PASS);
	diag_report_free(rep);
	free(h);
}
END_TEST

START_TEST(echo_newline_in_the_pair_is_trailing_newline)
{
	char *h = basic_of(EMAIL ":" DTEST_VECTOR "\n");
	struct diag_report *rep = lint_header(h, NULL, NULL, NULL);

	dtest_assert_finding(rep, "auth.header_trailing_newline");
	/* the newline is reported once, not again as token.whitespace */
	dtest_assert_no_finding(rep, "token.whitespace");
	dtest_assert_no_finding(rep, "token.corrupted");
	diag_report_free(rep);
	free(h);

	h = basic_of(EMAIL ":" DTEST_VECTOR "\r\n");
	rep = lint_header(h, NULL, NULL, NULL);
	dtest_assert_finding(rep, "auth.header_trailing_newline");
	ck_assert(
	    strstr(dtest_finding(rep, "auth.header_trailing_newline")->detail,
		"CR LF") != NULL);
	diag_report_free(rep);
	free(h);
}
END_TEST

START_TEST(bearer_with_a_user_token_is_refused)
{
	struct diag_report *rep;

	rep = lint_header("Bearer " DTEST_VECTOR, GATEWAY, NULL, NULL);
	dtest_assert_finding(rep, "auth.bearer_with_api_token");
	diag_report_free(rep);
}
END_TEST

START_TEST(bearer_with_a_service_account_token_depends_on_the_host)
{
	char *h = diag_xasprintf("Bearer ATSTT%s", DTEST_VECTOR + 5);
	struct diag_report *rep;

	rep = lint_header(h, GATEWAY, NULL, NULL);
	dtest_assert_no_finding(rep, "auth.bearer_with_api_token");
	diag_report_free(rep);
	rep = lint_header(h, SITE_URL, NULL, NULL);
	dtest_assert_finding(rep, "auth.bearer_with_api_token");
	diag_report_free(rep);
	free(h);
}
END_TEST

START_TEST(basic_value_that_is_not_base64_is_reported)
{
	struct diag_report *rep;
	const struct diag_finding *f;

	rep = lint_header("Basic not*base64!", NULL, NULL, NULL);
	dtest_assert_finding(rep, "auth.header_not_base64");
	diag_report_free(rep);
	/* the plain pair, not encoded at all */
	rep = lint_header("Basic " EMAIL ":" DTEST_VECTOR, NULL, NULL, NULL);
	dtest_assert_finding(rep, "auth.header_not_base64");
	f = dtest_finding(rep, "auth.header_not_base64");
	ck_assert(strstr(f->detail, "not encoded") != NULL);
	ck_assert_str_eq(dtest_input(rep, "email", "source"), "auth-header");
	diag_report_free(rep);
}
END_TEST

START_TEST(double_encoding_is_reported_and_still_decoded)
{
	char *once, *h;
	struct diag_report *rep;
	const struct diag_finding *f;

	once = diag_base64_encode(EMAIL ":" DTEST_VECTOR,
	    strlen(EMAIL ":" DTEST_VECTOR), 0);
	h = basic_of(once);
	rep = lint_header(h, NULL, NULL, NULL);
	dtest_assert_finding(rep, "auth.header_not_base64");
	f = dtest_finding(rep, "auth.header_not_base64");
	ck_assert(strstr(f->detail, "encoded twice") != NULL);
	ck_assert_str_eq(dtest_input(rep, "token", "source"), "auth-header");
	dtest_assert_no_finding(rep, "token.corrupted");
	diag_report_free(rep);
	free(h);
	free(once);
}
END_TEST

START_TEST(wrapped_base64_is_reported)
{
	char *b, *h;
	struct diag_report *rep;
	const struct diag_finding *f;

	b = diag_base64_encode(EMAIL ":" DTEST_VECTOR,
	    strlen(EMAIL ":" DTEST_VECTOR), 0);
	h = diag_xasprintf("Basic %.76s\n%s", b, b + 76);
	rep = lint_header(h, NULL, NULL, NULL);
	dtest_assert_finding(rep, "auth.header_not_base64");
	f = dtest_finding(rep, "auth.header_not_base64");
	ck_assert(strstr(f->detail, "76 columns") != NULL);
	dtest_assert_no_finding(rep, "token.corrupted");
	diag_report_free(rep);
	free(h);
	free(b);
}
END_TEST

START_TEST(token_without_email_is_reported)
{
	char *h;
	struct diag_report *rep;

	rep = lint_header("Basic " DTEST_VECTOR, NULL, NULL, NULL);
	dtest_assert_finding(rep, "auth.token_without_email");
	diag_report_free(rep);
	h = basic_of(DTEST_VECTOR);
	rep = lint_header(h, NULL, NULL, NULL);
	dtest_assert_finding(rep, "auth.token_without_email");
	diag_report_free(rep);
	free(h);
	h = basic_of(DTEST_VECTOR ":");
	rep = lint_header(h, NULL, NULL, NULL);
	dtest_assert_finding(rep, "auth.token_without_email");
	diag_report_free(rep);
	free(h);
	h = basic_of(EMAIL ":" DTEST_VECTOR);
	rep = lint_header(h, NULL, NULL, NULL);
	dtest_assert_no_finding(rep, "auth.token_without_email");
	diag_report_free(rep);
	free(h);
}
END_TEST

START_TEST(header_name_pasted_in_is_accepted)
{
	char *b = basic_of(EMAIL ":" DTEST_VECTOR);
	char *h = diag_xasprintf("Authorization: %s", b);
	struct diag_report *rep = lint_header(h, NULL, NULL, NULL);

	ck_assert_msg(rep->n_findings == 0, "got [%s]", dtest_codes(rep));
	diag_report_free(rep);
	free(h);
	free(b);
}
END_TEST

START_TEST(header_that_differs_from_the_given_token_is_a_mismatch)
{
	char other[] = DTEST_VECTOR;
	char *h = basic_of(EMAIL ":" DTEST_VECTOR);
	struct diag_report *rep;

	other[30] = other[30] == 'x' ? 'y' : 'x';
	rep = lint_header(h, NULL, EMAIL, other);
	dtest_assert_finding(rep, "auth.header_mismatch");
	diag_report_free(rep);
	rep = lint_header(h, NULL, "ME@example.com", DTEST_VECTOR);
	dtest_assert_no_finding(rep, "auth.header_mismatch");
	diag_report_free(rep);
	rep = lint_header(h, NULL, "someone@example.com", DTEST_VECTOR);
	dtest_assert_finding(rep, "auth.header_mismatch");
	diag_report_free(rep);
	free(h);
}
END_TEST

START_TEST(missing_or_unknown_scheme_is_reported)
{
	char *b = diag_base64_encode(EMAIL ":" DTEST_VECTOR,
	    strlen(EMAIL ":" DTEST_VECTOR), 0);
	struct diag_report *rep;

	rep = lint_header(b, NULL, NULL, NULL);
	dtest_assert_finding(rep, "auth.header_bad_scheme");
	diag_report_free(rep);
	rep = lint_header("Token abcdefghijkl", NULL, NULL, NULL);
	dtest_assert_finding(rep, "auth.header_bad_scheme");
	diag_report_free(rep);
	free(b);
}
END_TEST

START_TEST(no_finding_shows_the_decoded_secret)
{
	char *h = basic_of(EMAIL ":" DTEST_VECTOR "\n");
	struct diag_report *rep = lint_header(h, NULL, NULL, NULL);
	size_t i;

	for (i = 0; i < rep->n_findings; i++) {
		ck_assert(strstr(rep->findings[i]->detail, "K3irG5") == NULL);
		ck_assert(strstr(rep->findings[i]->detail, EMAIL) == NULL);
	}
	diag_report_free(rep);
	free(h);
}
END_TEST

#define ORG_KEY \
	"ATCTT3xFfGN0nFIGLj5M7YYpHCOTHUtuJvbipRdkJAWZ4moUxm_yI5B_KGnp" \
	"lJJpdu0ol29vX6N_631mG8YE5_is_" \
	"I4cZ2cSV8HTMyf8GmXmeyNdaKTGoeszaDGHxFAQLV" \
	"euzU_XFXO_eF28RlHnqzgsBH_5qWgnGV21q4ClswscCTf07I8PjUh=4ECEC818"
#define ADMIN_URL "https://api.atlassian.com/admin/v1/orgs"
#define MANAGE_URL \
	"https://api.atlassian.com/users/712020:0e3d1a8c-5b7f-" \
	"4c2e-9d41-8a6f2b3c4d5e/manage/lifecycle/disable"

/* On the org admin APIs a header is judged against Bearer <org API key>:
 * never advice to send email:token. */
START_TEST(admin_api_wants_bearer_org_key)
{
	char *basic = basic_of(EMAIL ":" DTEST_VECTOR);
	const char *const bad[][2] = {
		{ basic, ADMIN_URL },
		{ ORG_KEY, MANAGE_URL },
		{ "Bearer " DTEST_VECTOR, ADMIN_URL },
		{ DTEST_VECTOR, MANAGE_URL },
	};
	struct diag_report *rep;
	const struct diag_finding *f;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		rep = lint_header(bad[i][0], bad[i][1], NULL, NULL);
		dtest_assert_finding(rep, "admin_api.wrong_credential");
		f = dtest_finding(rep, "admin_api.wrong_credential");
		ck_assert_int_eq(f->status, DIAG_FAIL);
		dtest_assert_no_finding(rep, "auth.token_without_email");
		dtest_assert_no_finding(rep, "auth.header_bad_scheme");
		dtest_assert_no_finding(rep, "auth.bearer_with_api_token");
		diag_report_free(rep);
	}
	rep = lint_header("Bearer " ORG_KEY, MANAGE_URL, NULL, NULL);
	ck_assert_int_eq(dtest_check(rep, "input.auth_header")->status,
	    DIAG_PASS);
	diag_report_free(rep);
	/* The same bare key to a site is the site's problem, as before. */
	rep = lint_header(DTEST_VECTOR, SITE_URL, NULL, NULL);
	dtest_assert_finding(rep, "auth.token_without_email");
	dtest_assert_no_finding(rep, "admin_api.wrong_credential");
	diag_report_free(rep);
	free(basic);
}
END_TEST

Suite *
input_auth_header_suite(void)
{
	Suite *s = suite_create("input_auth_header");
	TCase *tc = tcase_create("auth_header");

	tcase_add_test(tc, good_basic_header_feeds_email_and_token);
	tcase_add_test(tc, echo_newline_in_the_pair_is_trailing_newline);
	tcase_add_test(tc, bearer_with_a_user_token_is_refused);
	tcase_add_test(tc,
	    bearer_with_a_service_account_token_depends_on_the_host);
	tcase_add_test(tc, basic_value_that_is_not_base64_is_reported);
	tcase_add_test(tc, double_encoding_is_reported_and_still_decoded);
	tcase_add_test(tc, wrapped_base64_is_reported);
	tcase_add_test(tc, token_without_email_is_reported);
	tcase_add_test(tc, header_name_pasted_in_is_accepted);
	tcase_add_test(tc,
	    header_that_differs_from_the_given_token_is_a_mismatch);
	tcase_add_test(tc, missing_or_unknown_scheme_is_reported);
	tcase_add_test(tc, no_finding_shows_the_decoded_secret);
	tcase_add_test(tc, admin_api_wants_bearer_org_key);
	tcase_add_test(tc, jwt_as_bearer_to_the_site_is_routing_and_expiry);
	tcase_add_test(tc, valid_jwt_to_the_gateway_passes_with_its_claims);
	tcase_add_test(tc, jwt_expiry_follows_atldiag_now);
	tcase_add_test(tc, jwt_shape_without_alg_is_not_decoded);
	suite_add_tcase(s, tc);
	return s;
}
