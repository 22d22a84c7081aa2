/* tests/unit/test_check_input_cloud_id.c: input.cloud_id: UUID shape, admin URLs, ARIs, org IDs. */
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "diag/report/report.h"
#include "tests/unit/dtest.h"

Suite *input_cloud_id_suite(void);

#define CID "35273b54-3f06-40d2-880f-dd28cf8daafa"

static struct diag_report *
lint_cid(const char *cid)
{
	struct dtest_in in;

	memset(&in, 0, sizeof(in));
	in.site = "acme.atlassian.net";
	in.cloud_id = cid;
	return dtest_run("lint", &in);
}

START_TEST(uuid_passes)
{
	struct diag_report *rep = lint_cid(CID);

	dtest_assert_no_finding(rep, "cloud_id.malformed");
	dtest_assert_no_finding(rep, "cloud_id.is_org_id");
	dtest_assert_message_starts(rep, "input.cloud_id", CID);
	diag_report_free(rep);
}
END_TEST

/* A finding's fix steps name the repaired UUID. */
static void
assert_fix_names(const struct diag_finding *f, const char *v)
{
	size_t i;

	for (i = 0; i < f->n_steps; i++)
		if (strstr(f->steps[i], v) != NULL)
			return;
	ck_abort_msg("no fix step names %s", v);
}

/* A value the gateway cannot route as sent fails, even when atldiag can
 * repair it to go on; the fix names the repaired value. */
static void
assert_repaired_failure(const char *given)
{
	struct diag_report *rep = lint_cid(given);
	const struct diag_finding *f = dtest_finding(rep, "cloud_id.malformed");

	ck_assert_msg(f != NULL, "'%s': [%s]", given, dtest_codes(rep));
	ck_assert_msg(f->status == DIAG_FAIL, "'%s' is not a failure", given);
	ck_assert_msg(strstr(f->detail, "as given") != NULL ||
		strstr(f->detail, "built from it") != NULL,
	    "'%s': the detail does not say the value as sent fails: %s", given,
	    f->detail);
	assert_fix_names(f, CID);
	dtest_assert_message_starts(rep, "input.cloud_id", CID);
	diag_report_free(rep);
}

START_TEST(braces_whitespace_and_case_fail_but_are_repaired)
{
	static const char *const v[] = {
		"{" CID "}",
		" " CID "\n",
		"35273B54-3F06-40D2-880F-DD28CF8DAAFA",
		"35273b543f0640d2880fdd28cf8daafa",
	};
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		assert_repaired_failure(v[i]);
}
END_TEST

START_TEST(placeholders_and_truncation_are_malformed)
{
	static const char *const v[] = {
		"{cloudId}",
		"<cloudId>",
		"$CLOUD_ID",
		CID + 1,
		"https://acme.atlassian.net",
		"not a cloud id",
	};
	struct diag_report *rep;
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		rep = lint_cid(v[i]);
		ck_assert_msg(dtest_finding(rep, "cloud_id.malformed") !=
			    NULL &&
			dtest_finding(rep, "cloud_id.malformed")->status ==
			    DIAG_FAIL,
		    "case '%s': [%s]", v[i], dtest_codes(rep));
		diag_report_free(rep);
	}
}
END_TEST

START_TEST(urls_fail_but_give_the_cloud_id)
{
	struct diag_report *rep =
	    lint_cid("https://admin.atlassian.com/s/" CID "/users");

	dtest_assert_no_finding(rep, "cloud_id.is_org_id");
	diag_report_free(rep);
	assert_repaired_failure("https://admin.atlassian.com/s/" CID "/users");
	assert_repaired_failure(
	    "https://api.atlassian.com/ex/jira/" CID "/rest/api/3/myself");
}
END_TEST

START_TEST(admin_org_url_is_the_org_id)
{
	struct diag_report *rep =
	    lint_cid("https://admin.atlassian.com/o/" CID "/overview");
	const struct diag_finding *f = dtest_finding(rep, "cloud_id.is_org_id");

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->status, DIAG_FAIL);
	ck_assert_int_eq(f->confidence, DIAG_CONFIRMED);
	diag_report_free(rep);
}
END_TEST

START_TEST(aris_fail_but_are_read)
{
	struct diag_report *rep;

	assert_repaired_failure("ari:cloud:jira::site/" CID);
	assert_repaired_failure("ari:cloud:jira:" CID ":issue/10001");
	rep = lint_cid("ari:cloud:platform::org/" CID);
	dtest_assert_finding(rep, "cloud_id.is_org_id");
	diag_report_free(rep);
}
END_TEST

Suite *
input_cloud_id_suite(void)
{
	Suite *s = suite_create("input_cloud_id");
	TCase *tc = tcase_create("cloud_id");

	tcase_add_test(tc, uuid_passes);
	tcase_add_test(tc, braces_whitespace_and_case_fail_but_are_repaired);
	tcase_add_test(tc, placeholders_and_truncation_are_malformed);
	tcase_add_test(tc, urls_fail_but_give_the_cloud_id);
	tcase_add_test(tc, admin_org_url_is_the_org_id);
	tcase_add_test(tc, aris_fail_but_are_read);
	suite_add_tcase(s, tc);
	return s;
}
