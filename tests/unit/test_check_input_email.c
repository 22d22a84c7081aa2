/* tests/unit/test_check_input_email.c: input.email: shape, accountIds and usernames, service accounts. */
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "diag/report/report.h"
#include "tests/unit/dtest.h"

Suite *input_email_suite(void);

static struct diag_report *
lint_email(const char *email)
{
	struct dtest_in in;

	memset(&in, 0, sizeof(in));
	in.site = "acme.atlassian.net";
	in.email = email;
	return dtest_run("lint", &in);
}

START_TEST(plain_and_uppercase_addresses_pass)
{
	struct diag_report *rep = lint_email("Me.Myself@Example.COM");

	ck_assert_int_eq(dtest_check(rep, "input.email")->status, DIAG_PASS);
	diag_report_free(rep);
}
END_TEST

START_TEST(service_account_domain_is_noted)
{
	struct diag_report *rep =
	    lint_email("bot-ab12cd34ef@serviceaccount.atlassian.com");
	const struct diag_check_result *c = dtest_check(rep, "input.email");

	ck_assert_int_eq(c->status, DIAG_PASS);
	ck_assert(strstr(c->message, "service account") != NULL);
	diag_report_free(rep);
}
END_TEST

START_TEST(account_ids_are_not_emails)
{
	struct diag_report *rep = lint_email("5b10ac8d82e05b22cc7d4ef5");

	dtest_assert_finding(rep, "email.is_account_id");
	diag_report_free(rep);
	rep = lint_email("557058:f58131cb-b67d-43c7-b30d-6b58d40bd077");
	dtest_assert_finding(rep, "email.is_account_id");
	diag_report_free(rep);
	rep = lint_email("me@example.com");
	dtest_assert_no_finding(rep, "email.is_account_id");
	diag_report_free(rep);
}
END_TEST

START_TEST(usernames_are_not_emails)
{
	struct diag_report *rep = lint_email("jsmith");

	dtest_assert_finding(rep, "email.is_username");
	diag_report_free(rep);
}
END_TEST

START_TEST(malformed_addresses_are_reported)
{
	static const char *const v[] = {
		"\"Jane Doe\" <jane@example.com>",
		"mailto:jane@example.com",
		"jane@example.com\n",
		"jane@example",
		"a@b.com,c@d.com",
		"ATATT3xFfGF0aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	};
	struct diag_report *rep;
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		rep = lint_email(v[i]);
		ck_assert_msg(dtest_finding(rep, "email.malformed") != NULL,
		    "case %zu: [%s]", i, dtest_codes(rep));
		diag_report_free(rep);
	}
}
END_TEST

/* A value that cannot work as sent fails, whatever atldiag repairs to go
 * on, and the fix names the repaired address. */
START_TEST(repaired_addresses_still_fail)
{
	static const char *const v[] = {
		"mailto:jane@example.com",
		"MAILTO:jane@example.com",
		" jane@example.com",
		"jane@example.com\n",
	};
	const struct diag_finding *f;
	struct diag_report *rep;
	size_t i, j;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		rep = lint_email(v[i]);
		f = dtest_finding(rep, "email.malformed");
		ck_assert_msg(f != NULL, "case %zu: [%s]", i, dtest_codes(rep));
		ck_assert_msg(f->status == DIAG_FAIL, "case %zu: status %d", i,
		    (int)f->status);
		ck_assert_msg(strstr(f->detail, "as given") != NULL,
		    "case %zu: %s", i, f->detail);
		for (j = 0; j < f->n_steps; j++)
			if (strstr(f->steps[j], "`jane@example.com`") != NULL)
				break;
		ck_assert_msg(j < f->n_steps,
		    "case %zu: no step names the repaired address", i);
		ck_assert_int_eq(dtest_check(rep, "input.email")->status,
		    DIAG_FAIL);
		diag_report_free(rep);
	}
}
END_TEST

Suite *
input_email_suite(void)
{
	Suite *s = suite_create("input_email");
	TCase *tc = tcase_create("email");

	tcase_add_test(tc, plain_and_uppercase_addresses_pass);
	tcase_add_test(tc, service_account_domain_is_noted);
	tcase_add_test(tc, account_ids_are_not_emails);
	tcase_add_test(tc, usernames_are_not_emails);
	tcase_add_test(tc, malformed_addresses_are_reported);
	tcase_add_test(tc, repaired_addresses_still_fail);
	suite_add_tcase(s, tc);
	return s;
}
