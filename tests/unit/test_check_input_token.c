/* tests/unit/test_check_input_token.c: input.token: hygiene, kind and checksum on real and derived vectors. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <json-c/json.h>

#include "diag/core/hash.h"
#include "diag/report/report.h"
#include "diag/core/util.h"
#include "tests/unit/dtest.h"

Suite *input_token_suite(void);

static struct diag_report *
lint_token(const char *tok, size_t len)
{
	struct dtest_in in;

	memset(&in, 0, sizeof(in));
	in.site = "acme.atlassian.net";
	in.email = "me@example.com";
	in.token = tok;
	in.token_len = len;
	return dtest_run("lint", &in);
}

/* No detail, note or message of the report holds this part of a secret. */
static void
assert_no_leak(const struct diag_report *rep, const char *part)
{
	size_t i, j;

	for (i = 0; i < rep->n_findings; i++) {
		ck_assert_msg(strstr(rep->findings[i]->detail, part) == NULL,
		    "detail of %s leaks the token", rep->findings[i]->code);
		for (j = 0; j < rep->findings[i]->n_notes; j++)
			ck_assert(
			    strstr(rep->findings[i]->notes[j], part) == NULL);
		for (j = 0; j < rep->findings[i]->n_steps; j++)
			ck_assert(
			    strstr(rep->findings[i]->steps[j], part) == NULL);
	}
	for (i = 0; i < rep->n_checks; i++)
		ck_assert(rep->checks[i].message == NULL ||
		    strstr(rep->checks[i].message, part) == NULL);
}

static void
assert_no_token_problem(const struct diag_report *rep)
{
	dtest_assert_no_finding(rep, "token.whitespace");
	dtest_assert_no_finding(rep, "token.corrupted");
	dtest_assert_no_finding(rep, "token.wrong_kind");
	dtest_assert_no_finding(rep, "auth.password_not_token");
}

START_TEST(published_vector_is_a_user_token_with_a_good_checksum)
{
	struct diag_report *rep = lint_token(DTEST_VECTOR, 0);
	const struct diag_check_result *c;

	assert_no_token_problem(rep);
	ck_assert_str_eq(dtest_input(rep, "token", "kind"), "user_api_token");
	ck_assert_str_eq(dtest_input(rep, "token", "checksum"), "ok");
	ck_assert_str_eq(dtest_input(rep, "token", "length"), "192");
	c = dtest_check(rep, "input.token");
	ck_assert_int_eq(c->status, DIAG_PASS);
	ck_assert(strstr(c->message, "format plausible") != NULL);
	assert_no_leak(rep, "K3irG5tKKi");
	diag_report_free(rep);
}
END_TEST

START_TEST(fingerprint_is_the_sha256_of_the_cleaned_token)
{
	struct diag_report *rep;
	char fp[16], *tok;

	tok = diag_xasprintf("%s\n", DTEST_VECTOR);
	rep = lint_token(tok, 0);
	diag_fingerprint(DTEST_VECTOR, strlen(DTEST_VECTOR), fp);
	ck_assert_str_eq(dtest_input(rep, "token", "fingerprint"), fp);
	diag_report_free(rep);
	free(tok);
}
END_TEST

START_TEST(changed_checksum_tail_is_corrupted)
{
	char tok[] = DTEST_VECTOR;
	struct diag_report *rep;

	tok[191] = '5'; /* ...=C63992E5, gitleaks' false positive */
	rep = lint_token(tok, 0);
	dtest_assert_finding(rep, "token.corrupted");
	ck_assert_int_eq(dtest_finding(rep, "token.corrupted")->status,
	    DIAG_FAIL);
	ck_assert_str_eq(dtest_input(rep, "token", "checksum"), "mismatch");
	assert_no_leak(rep, "C63992E5");
	diag_report_free(rep);
}
END_TEST

START_TEST(changed_body_character_is_corrupted)
{
	char tok[] = DTEST_VECTOR;
	struct diag_report *rep;
	const struct diag_finding *f;

	tok[40] = tok[40] == 'a' ? 'b' : 'a';
	rep = lint_token(tok, 0);
	dtest_assert_finding(rep, "token.corrupted");
	f = dtest_finding(rep, "token.corrupted");
	ck_assert(strstr(f->detail, "CRC-32") != NULL);
	diag_report_free(rep);
}
END_TEST

START_TEST(lowercase_checksum_tail_is_accepted)
{
	char tok[] = DTEST_VECTOR;
	struct diag_report *rep;

	tok[184] = 'c';
	tok[190] = 'e';
	rep = lint_token(tok, 0);
	dtest_assert_no_finding(rep, "token.corrupted");
	diag_report_free(rep);
}
END_TEST

START_TEST(truncated_token_is_corrupted_and_says_how_much_is_missing)
{
	struct diag_report *rep = lint_token(DTEST_VECTOR, 150);
	const struct diag_finding *f;

	f = dtest_finding(rep, "token.corrupted");
	ck_assert_msg(f != NULL, "got [%s]", dtest_codes(rep));
	ck_assert(strstr(f->detail, "42 are missing") != NULL);
	ck_assert(strstr(f->detail, "shell expansion") != NULL);
	diag_report_free(rep);
}
END_TEST

START_TEST(trailing_newline_is_whitespace_with_a_good_checksum)
{
	struct diag_report *rep;
	const struct diag_finding *f;
	char *tok = diag_xasprintf("%s\n", DTEST_VECTOR);

	rep = lint_token(tok, 0);
	f = dtest_finding(rep, "token.whitespace");
	ck_assert_msg(f != NULL, "got [%s]", dtest_codes(rep));
	ck_assert(strstr(f->detail, "U+000A LINE FEED") != NULL);
	ck_assert(strstr(f->detail, "position 193 of 193") != NULL);
	ck_assert(strstr(f->detail, "echo") != NULL);
	dtest_assert_no_finding(rep, "token.corrupted");
	ck_assert_str_eq(dtest_input(rep, "token", "checksum"), "ok");
	ck_assert_str_eq(dtest_input(rep, "token", "length"), "193");
	diag_report_free(rep);
	free(tok);
}
END_TEST

START_TEST(invisible_characters_and_quotes_are_whitespace)
{
	static const char *const wrap[][2] = {
		{ "\xc2\xa0", "" }, /* NBSP in front */
		{ "", "\xe2\x80\x8b" }, /* zero-width space */
		{ "\xef\xbb\xbf", "" }, /* byte order mark */
		{ "\"", "\"" }, /* quoted */
		{ "'", "'\r\n" }, { "Bearer ", "" }, /* scheme pasted in */
	};
	struct diag_report *rep;
	char *tok;
	size_t i;

	for (i = 0; i < sizeof(wrap) / sizeof(wrap[0]); i++) {
		tok = diag_xasprintf("%s%s%s", wrap[i][0], DTEST_VECTOR,
		    wrap[i][1]);
		rep = lint_token(tok, 0);
		ck_assert_msg(dtest_finding(rep, "token.whitespace") != NULL,
		    "case %zu: got [%s]", i, dtest_codes(rep));
		dtest_assert_no_finding(rep, "token.corrupted");
		ck_assert_str_eq(dtest_input(rep, "token", "kind"),
		    "user_api_token");
		diag_report_free(rep);
		free(tok);
	}
}
END_TEST

START_TEST(line_break_inside_the_token_is_whitespace)
{
	struct diag_report *rep;
	const struct diag_finding *f;
	char *tok;

	tok = diag_xasprintf("%.*s\n%s", 76, DTEST_VECTOR, DTEST_VECTOR + 76);
	rep = lint_token(tok, 0);
	dtest_assert_finding(rep, "token.whitespace");
	f = dtest_finding(rep, "token.whitespace");
	ck_assert(strstr(f->detail, "inside (position 77 of 193)") != NULL);
	dtest_assert_no_finding(rep, "token.corrupted");
	diag_report_free(rep);
	free(tok);
}
END_TEST

/* A legacy token built with the (unofficial) MD5 rule of reference §1.3. */
static void
make_legacy(char out[25])
{
	unsigned char d[16];

	memcpy(out, "Qk7pZr2mXw9tLb4nHs6y", 20);
	diag_md5(out, 20, d);
	snprintf(out + 20, 5, "%02x%02x", d[0], d[1]);
}

START_TEST(legacy_token_with_good_md5_tail_is_legacy_and_expiring)
{
	struct diag_report *rep;
	char tok[25];

	make_legacy(tok);
	rep = lint_token(tok, 0);
	ck_assert_str_eq(dtest_input(rep, "token", "kind"), "legacy_api_token");
	ck_assert_str_eq(dtest_input(rep, "token", "checksum"), "ok");
	dtest_assert_no_finding(rep, "token.corrupted");
	dtest_assert_finding(rep, "token.legacy_expiring");
	diag_report_free(rep);
}
END_TEST

START_TEST(legacy_token_with_bad_md5_tail_is_corrupted)
{
	struct diag_report *rep;
	const struct diag_finding *f;
	char tok[25];

	make_legacy(tok);
	tok[23] = tok[23] == '0' ? '1' : '0';
	rep = lint_token(tok, 0);
	dtest_assert_finding(rep, "token.corrupted");
	f = dtest_finding(rep, "token.corrupted");
	ck_assert(strstr(f->detail, "unofficial") != NULL);
	ck_assert_str_eq(dtest_input(rep, "token", "checksum"), "mismatch");
	diag_report_free(rep);
}
END_TEST

START_TEST(service_account_token_checksum_is_never_a_failure)
{
	char tok[] = DTEST_VECTOR;
	struct diag_report *rep;
	char tail[9];

	memcpy(tok, "ATSTT", 5);
	snprintf(tail, sizeof(tail), "%08X", diag_crc32(tok, 184));
	memcpy(tok + 184, tail, 8);
	rep = lint_token(tok, 0);
	ck_assert_str_eq(dtest_input(rep, "token", "kind"),
	    "service_account_token");
	ck_assert_str_eq(dtest_input(rep, "token", "checksum"),
	    "not_checkable");
	dtest_assert_no_finding(rep, "token.corrupted");
	diag_report_free(rep);

	tok[184] = tok[184] == 'A' ? 'B' : 'A';
	rep = lint_token(tok, 0);
	ck_assert_str_eq(dtest_input(rep, "token", "checksum"),
	    "not_checkable");
	dtest_assert_finding(rep, "token.corrupted");
	ck_assert_int_eq(dtest_finding(rep, "token.corrupted")->status,
	    DIAG_WARN);
	ck_assert_int_eq(dtest_finding(rep, "token.corrupted")->confidence,
	    DIAG_POSSIBLE);
	diag_report_free(rep);
}
END_TEST

START_TEST(other_credentials_are_the_wrong_kind)
{
	static const struct {
		const char *tok, *kind;
	} v[] = {
		{ "ATCTT3xFfGN0abcdefghijklmnopqrstuvwxyz0123456789",
		    "admin_key_or_access_token" },
		{ "ATBBxQ9w8e7r6t5y4u3i2o1pAaSsDdFf", "app_password" },
		{ "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLXBhcnQ",
		    "oauth_access_token" },
		{ "NjQ2MjQ4NzgzNTYwOrKAfqJPK8TXI0b4Jh1PDp0d7Kst", "dc_pat" },
	};
	struct diag_report *rep;
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		rep = lint_token(v[i].tok, 0);
		ck_assert_msg(dtest_finding(rep, "token.wrong_kind") != NULL,
		    "%s: got [%s]", v[i].kind, dtest_codes(rep));
		ck_assert_str_eq(dtest_input(rep, "token", "kind"), v[i].kind);
		diag_report_free(rep);
	}
}
END_TEST

START_TEST(a_password_is_not_a_token)
{
	struct diag_report *rep;

	rep = lint_token("Summer2024!", 0);
	dtest_assert_finding(rep, "auth.password_not_token");
	ck_assert_str_eq(dtest_input(rep, "token", "kind"), "password_like");
	dtest_assert_no_finding(rep, "token.wrong_kind");
	diag_report_free(rep);
	rep = lint_token(DTEST_VECTOR, 0);
	dtest_assert_no_finding(rep, "auth.password_not_token");
	diag_report_free(rep);
}
END_TEST

START_TEST(an_unexpanded_variable_is_a_missing_token)
{
	struct diag_report *rep;

	rep = lint_token("${JIRA_API_TOKEN}", 0);
	dtest_assert_finding(rep, "input.token_missing");
	dtest_assert_no_finding(rep, "auth.password_not_token");
	diag_report_free(rep);
}
END_TEST

Suite *
input_token_suite(void)
{
	Suite *s = suite_create("input_token");
	TCase *tc = tcase_create("token");

	tcase_add_test(tc,
	    published_vector_is_a_user_token_with_a_good_checksum);
	tcase_add_test(tc, fingerprint_is_the_sha256_of_the_cleaned_token);
	tcase_add_test(tc, changed_checksum_tail_is_corrupted);
	tcase_add_test(tc, changed_body_character_is_corrupted);
	tcase_add_test(tc, lowercase_checksum_tail_is_accepted);
	tcase_add_test(tc,
	    truncated_token_is_corrupted_and_says_how_much_is_missing);
	tcase_add_test(tc, trailing_newline_is_whitespace_with_a_good_checksum);
	tcase_add_test(tc, invisible_characters_and_quotes_are_whitespace);
	tcase_add_test(tc, line_break_inside_the_token_is_whitespace);
	tcase_add_test(tc,
	    legacy_token_with_good_md5_tail_is_legacy_and_expiring);
	tcase_add_test(tc, legacy_token_with_bad_md5_tail_is_corrupted);
	tcase_add_test(tc, service_account_token_checksum_is_never_a_failure);
	tcase_add_test(tc, other_credentials_are_the_wrong_kind);
	tcase_add_test(tc, a_password_is_not_a_token);
	tcase_add_test(tc, an_unexpanded_variable_is_a_missing_token);
	suite_add_tcase(s, tc);
	return s;
}
