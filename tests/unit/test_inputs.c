/* tests/unit/test_inputs.c: where inputs come from, and what is remarked. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag/core/inputs.h"
#include "diag/core/secret.h"
#include "diag/core/util.h"
#include "tests/unit/dtest.h"

static void
clear_env(void)
{
	static const char *const vars[] = { "ATLASSIAN_SITE", "JIRA_URL",
		"JIRA_SERVER", "CONFLUENCE_URL", "ATLASSIAN_CLOUD_ID",
		"JIRA_CLOUD_ID", "ATLASSIAN_EMAIL", "JIRA_EMAIL", "JIRA_USER",
		"CONFLUENCE_EMAIL", "ATLASSIAN_API_TOKEN", "JIRA_API_TOKEN",
		"CONFLUENCE_API_TOKEN", "ATLASSIAN_PRODUCT",
		"ATLASSIAN_ORG_API_KEY" };
	size_t i;

	for (i = 0; i < DIAG_NELEM(vars); i++)
		unsetenv(vars[i]);
	setenv("HOME", "/nonexistent-home", 1);
}

static char *
temp_file(const char *content, size_t len)
{
	char tmpl[] = "/tmp/dtest-inputs-XXXXXX";
	int fd = mkstemp(tmpl);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, content, len), (int)len);
	close(fd);
	return diag_xstrdup(tmpl);
}

START_TEST(flags_win_over_env_and_sources_are_named)
{
	struct diag_input_flags f = { .site = "acme.atlassian.net" };
	struct diag_inputs in;

	clear_env();
	setenv("JIRA_URL", "other.atlassian.net", 1);
	setenv("JIRA_EMAIL", "mia@example.com", 1);
	setenv("JIRA_API_TOKEN", "ATATT3xFfGF0example-token-value", 1);
	diag_inputs_init(&in);
	ck_assert_int_eq(diag_inputs_gather(&in, &f), 0);
	ck_assert_str_eq(in.in[DIAG_IN_SITE].value, "acme.atlassian.net");
	ck_assert_str_eq(in.in[DIAG_IN_SITE].source, "flag:--site");
	ck_assert_str_eq(in.in[DIAG_IN_EMAIL].source, "env:JIRA_EMAIL");
	ck_assert_str_eq(in.in[DIAG_IN_TOKEN].source, "env:JIRA_API_TOKEN");
	ck_assert(in.in[DIAG_IN_TOKEN].secret);
	diag_inputs_release(&in);
	clear_env();
}
END_TEST

START_TEST(first_env_var_wins_and_empty_ones_are_remarked)
{
	struct diag_input_flags f = { 0 };
	struct diag_inputs in;

	clear_env();
	setenv("ATLASSIAN_API_TOKEN", "", 1);
	setenv("JIRA_API_TOKEN", "ATATT3xFfGF0second", 1);
	setenv("CONFLUENCE_API_TOKEN", "ATATT3xFfGF0third", 1);
	diag_inputs_init(&in);
	ck_assert_int_eq(diag_inputs_gather(&in, &f), 0);
	ck_assert_str_eq(in.in[DIAG_IN_TOKEN].source, "env:JIRA_API_TOKEN");
	ck_assert_uint_eq(in.n_remarks, 1);
	ck_assert_str_eq(in.remarks[0].code, "input.token_missing");
	ck_assert_ptr_nonnull(
	    strstr(in.remarks[0].text, "ATLASSIAN_API_TOKEN is set but empty"));
	diag_inputs_release(&in);
	clear_env();
}
END_TEST

START_TEST(token_file_keeps_bytes_and_notes_crlf)
{
	struct diag_input_flags f = { 0 };
	struct diag_inputs in;
	char *path;

	clear_env();
	path = temp_file("ATATT3xFfGF0abcdef\r\n", 20);
	f.token_file = path;
	diag_inputs_init(&in);
	ck_assert_int_eq(diag_inputs_gather(&in, &f), 0);
	ck_assert_uint_eq(in.in[DIAG_IN_TOKEN].len, 20);
	ck_assert(strncmp(in.in[DIAG_IN_TOKEN].source, "file:", 5) == 0);
	ck_assert_uint_eq(in.n_remarks, 1);
	ck_assert_ptr_nonnull(strstr(in.remarks[0].text, "CR LF"));
	diag_inputs_release(&in);
	unlink(path);
	free(path);
}
END_TEST

START_TEST(huge_or_missing_token_file_is_a_usage_error)
{
	struct diag_input_flags f = { 0 };
	struct diag_inputs in;
	char *big, *path;

	clear_env();
	big = diag_xmalloc(200000);
	memset(big, 'A', 200000);
	path = temp_file(big, 200000);
	f.token_file = path;
	diag_inputs_init(&in);
	ck_assert_int_eq(diag_inputs_gather(&in, &f), -1);
	ck_assert_ptr_nonnull(strstr(diag_msg_last_error(), "larger than"));
	diag_inputs_release(&in);
	unlink(path);
	free(path);
	free(big);
	f.token_file = "/nonexistent/token";
	diag_inputs_init(&in);
	ck_assert_int_eq(diag_inputs_gather(&in, &f), -1);
	ck_assert_ptr_nonnull(strstr(diag_msg_last_error(),
	    "cannot read token file '/nonexistent/token'"));
	diag_inputs_release(&in);
}
END_TEST

START_TEST(two_token_sources_are_refused)
{
	struct diag_input_flags f = { .token = "x", .token_file = "/dev/null" };
	struct diag_inputs in;

	clear_env();
	diag_inputs_init(&in);
	ck_assert_int_eq(diag_inputs_gather(&in, &f), -1);
	diag_inputs_release(&in);
}
END_TEST

START_TEST(cmdline_token_is_flagged)
{
	struct diag_input_flags f = { .token = "ATATT3xFfGF0cmdline" };
	struct diag_inputs in;

	clear_env();
	diag_inputs_init(&in);
	ck_assert_int_eq(diag_inputs_gather(&in, &f), 0);
	ck_assert(in.token_on_cmdline);
	ck_assert_str_eq(in.in[DIAG_IN_TOKEN].source, "flag:--token");
	diag_inputs_release(&in);
}
END_TEST

START_TEST(netrc_supplies_login_and_token_for_the_site)
{
	static const char netrc[] =
	    "machine other.atlassian.net login x@y.z password "
	    "ATATT3xFfGF0other\n"
	    "machine acme.atlassian.net\n  login mia@example.com\n"
	    "  password ATATT3xFfGF0fromnetrc\n";
	struct diag_input_flags f = {
		.site = "https://Acme.atlassian.net/wiki",
	};
	struct diag_inputs in;
	char *path;

	clear_env();
	path = temp_file(netrc, sizeof(netrc) - 1);
	f.netrc_file = path;
	diag_inputs_init(&in);
	ck_assert_int_eq(diag_inputs_gather(&in, &f), 0);
	ck_assert_str_eq(in.in[DIAG_IN_TOKEN].value, "ATATT3xFfGF0fromnetrc");
	ck_assert_str_eq(in.in[DIAG_IN_EMAIL].value, "mia@example.com");
	ck_assert(strncmp(in.in[DIAG_IN_TOKEN].source, "netrc:", 6) == 0);
	diag_inputs_release(&in);
	unlink(path);
	free(path);
}
END_TEST

START_TEST(secret_shapes_are_found_and_registered)
{
	const char *tok = "ATATT3xFfGF0abcdefghijklmnop-_=0123";
	const char *jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl";
	char *word, *out;

	diag_secret_reset();
	ck_assert(diag_secret_shaped(tok, strlen(tok)));
	ck_assert(diag_secret_shaped(jwt, strlen(jwt)));
	ck_assert(!diag_secret_shaped("ATATT-short", 11));
	ck_assert(
	    !diag_secret_shaped("BROWSE_PROJECTS,ADMINISTER_PROJECTS", 35));
	ck_assert(
	    !diag_secret_shaped("eyJ.only.dots.but.too.many.of.them", 34));
	ck_assert(diag_secret_shaped_path(tok));
	ck_assert(diag_secret_shaped_path("k3y0nlyl3tt3rsAndDigits0123456789"));
	ck_assert(!diag_secret_shaped_path("/run/secrets/jira-api-token-file"));
	ck_assert(
	    !diag_secret_shaped_path("a-long-file-name-with-a-suffix.txt"));
	ck_assert(!diag_secret_shaped_path("token.txt"));
	/* Inside a longer word (--tokn=...): only the token is registered. */
	word = diag_xasprintf("--tokn=%s and %s.", tok, jwt);
	ck_assert_uint_eq(diag_secret_register_shapes(word, strlen(word)), 2);
	out = diag_secret_scrub(word, strlen(word), NULL);
	ck_assert_str_eq(out, "--tokn=[redacted] and [redacted].");
	free(out);
	free(word);
	diag_secret_reset();
}
END_TEST

START_TEST(control_characters_are_located)
{
	ck_assert_int_eq(diag_ctl_offset("acme.atlassian.net", 18), -1);
	ck_assert_int_eq(diag_ctl_offset("acme\r\nX: 1", 10), 4);
	ck_assert_int_eq(diag_ctl_offset("GET\177", 4), 3);
	ck_assert_int_eq(diag_ctl_offset("a\tb", 3), 1);
	ck_assert_int_eq(diag_ctl_offset("caf\xc3\xa9", 5), -1);
}
END_TEST

START_TEST(a_token_shaped_cloud_id_is_registered)
{
	struct diag_input_flags f = { .no_env = 1,
		.cloud_id = "ATATT3xFfGF0abcdefghijklmnop-_=0123" };
	struct diag_inputs in;
	char *out;

	diag_secret_reset();
	diag_inputs_init(&in);
	ck_assert_int_eq(diag_inputs_gather(&in, &f), 0);
	out = diag_secret_scrub(f.cloud_id, strlen(f.cloud_id), NULL);
	ck_assert_str_eq(out, DIAG_REDACTED);
	free(out);
	diag_inputs_release(&in);
	diag_secret_reset();
}
END_TEST

Suite *
inputs_suite(void)
{
	Suite *s = suite_create("inputs");
	TCase *tc = tcase_create("gather");

	tcase_add_test(tc, flags_win_over_env_and_sources_are_named);
	tcase_add_test(tc, first_env_var_wins_and_empty_ones_are_remarked);
	tcase_add_test(tc, token_file_keeps_bytes_and_notes_crlf);
	tcase_add_test(tc, huge_or_missing_token_file_is_a_usage_error);
	tcase_add_test(tc, two_token_sources_are_refused);
	tcase_add_test(tc, cmdline_token_is_flagged);
	tcase_add_test(tc, netrc_supplies_login_and_token_for_the_site);
	tcase_add_test(tc, secret_shapes_are_found_and_registered);
	tcase_add_test(tc, control_characters_are_located);
	tcase_add_test(tc, a_token_shaped_cloud_id_is_registered);
	suite_add_tcase(s, tc);
	return s;
}
