/* tests/unit/test_util.c: buffers, file reading limits, printable copies, URLs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "diag/core/url.h"
#include "diag/core/util.h"
#include "tests/unit/dtest.h"

START_TEST(buf_grows_and_stays_terminated)
{
	struct diag_buf b = DIAG_BUF_INIT;
	char *s;
	int i;

	ck_assert_str_eq(diag_buf_str(&b), "");
	for (i = 0; i < 1000; i++)
		diag_buf_addf(&b, "%d,", i);
	ck_assert_uint_eq(b.buf[b.len], '\0');
	ck_assert(strncmp(b.buf, "0,1,2,", 6) == 0);
	s = diag_buf_detach(&b);
	ck_assert_ptr_null(b.buf);
	free(s);
	s = diag_buf_detach(&b);
	ck_assert_str_eq(s, "");
	free(s);
}
END_TEST

START_TEST(read_file_refuses_files_over_the_limit)
{
	char path[] = "/tmp/dtest-util-XXXXXX";
	const char *why = NULL;
	char *data = NULL, big[4096];
	size_t len;
	int fd, rc;

	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	memset(big, 'A', sizeof(big));
	ck_assert_int_eq(write(fd, big, sizeof(big)), (int)sizeof(big));
	close(fd);
	ck_assert_int_eq(diag_read_file(path, 100, &data, &len, &why), -1);
	ck_assert_str_eq(why, "file is too large");
	ck_assert_int_eq(diag_read_file(path, 8192, &data, &len, &why), 0);
	ck_assert_uint_eq(len, sizeof(big));
	free(data);
	unlink(path);
	rc = diag_read_file("/nonexistent/x", 10, &data, &len, &why);
	ck_assert_int_eq(rc, -1);
	ck_assert_int_eq(diag_read_file("/tmp", 10, &data, &len, &why), -1);
	ck_assert_str_eq(why, "is a directory");
}
END_TEST

START_TEST(printable_escapes_control_bytes)
{
	static const char in[] = { 'a', '\x01', '\xff', 'b' };
	char *s = diag_str_printable(in, sizeof(in), 100);

	ck_assert_str_eq(s, "a\\x01\\xFFb");
	free(s);
	s = diag_str_printable("abcdef", 6, 3);
	ck_assert_str_eq(s, "abc...");
	free(s);
}
END_TEST

START_TEST(url_parse_splits_and_classifies_hosts)
{
	struct diag_url u;
	int rc;

	rc = diag_url_parse(
	    "https://API.atlassian.com/ex/jira/abc/rest/api/3/myself?x=1", &u);
	ck_assert_int_eq(rc, 0);
	ck_assert_str_eq(u.host, "api.atlassian.com");
	ck_assert_str_eq(u.path, "/ex/jira/abc/rest/api/3/myself");
	ck_assert_str_eq(u.query, "x=1");
	ck_assert_str_eq(diag_url_host_kind(&u), "gateway");
	diag_url_release(&u);
	ck_assert_int_eq(
	    diag_url_parse("http://user:pw@acme.atlassian.net:8443", &u), 0);
	ck_assert_str_eq(u.userinfo, "user:pw");
	ck_assert_int_eq(u.port, 8443);
	ck_assert_str_eq(u.path, "/");
	ck_assert_str_eq(diag_url_host_kind(&u), "site");
	diag_url_release(&u);
	ck_assert_int_eq(
	    diag_url_parse("https://api.atlassian.com/admin/v1/orgs", &u), 0);
	ck_assert_str_eq(diag_url_host_kind(&u), "admin");
	diag_url_release(&u);
	ck_assert_int_eq(diag_url_parse("acme.atlassian.net/rest", &u), -1);
	ck_assert_int_eq(diag_url_parse("https://", &u), -1);
	ck_assert_int_eq(diag_url_parse("https://h:99999/", &u), -1);
}
END_TEST

/* The lenient splitter the input checks use: broken values are split,
 * not refused; the strict parser keeps its refusals. */
START_TEST(url_split_is_lenient_and_shares_host_kinds)
{
	static const char v[] = "ACME.atlassian.net.:8443/x?q=1#frag";
	struct diag_url u;

	diag_url_split(v, strlen(v), &u);
	ck_assert_ptr_null(u.scheme);
	ck_assert_str_eq(u.host, "acme.atlassian.net");
	ck_assert_str_eq(u.port_text, "8443");
	ck_assert_int_eq(u.port, 8443);
	ck_assert_str_eq(u.path, "/x");
	ck_assert_str_eq(u.query, "q=1");
	ck_assert_str_eq(u.fragment, "frag");
	ck_assert_str_eq(diag_url_host_kind(&u), "site");
	diag_url_release(&u);
	diag_url_split("https://x@api.atlassian.com:abc", 31, &u);
	ck_assert_str_eq(u.scheme, "https");
	ck_assert_str_eq(u.userinfo, "x");
	ck_assert_str_eq(u.port_text, "abc");
	ck_assert_int_eq(u.port, -1);
	ck_assert_str_eq(u.path, "");
	ck_assert_str_eq(diag_host_kind(u.host, "/ex/jira/1"), "gateway");
	diag_url_release(&u);
	diag_url_split("[::1", 4, &u);
	ck_assert_str_eq(u.host, "[:"); /* as before: the last colon */
	diag_url_release(&u);
	ck_assert_int_eq(diag_url_parse("https://[::1", &u), -1);
	ck_assert_int_eq(diag_url_parse("https://[::1]:8443/p", &u), 0);
	ck_assert_str_eq(u.host, "[::1]");
	ck_assert_int_eq(u.port, 8443);
	diag_url_release(&u);
	ck_assert_int_eq(diag_url_parse("https://acme.atlassian.net.", &u), 0);
	ck_assert_str_eq(u.host, "acme.atlassian.net.");
	diag_url_release(&u);
	ck_assert(diag_is_uuid("35273B54-3f06-40d2-880f-dd28cf8daafa", 36));
	ck_assert(!diag_is_uuid("35273b54-3f06-40d2-880f-dd28cf8daaf", 35));
}
END_TEST

START_TEST(dates_and_json_strings)
{
	struct json_object *o;

	ck_assert(diag_str_is_date("2026-05-12"));
	ck_assert(diag_str_is_date("2026-05-12T10:00:00Z"));
	ck_assert(!diag_str_is_date("2026-13-01"));
	ck_assert(!diag_str_is_date("2026-5-12"));
	ck_assert(!diag_str_is_date("1999-05-12"));
	ck_assert(!diag_str_is_date("2026-05-12x"));
	o = json_tokener_parse("{\"a\": \"x\", \"n\": 1}");
	ck_assert_ptr_nonnull(o);
	ck_assert_str_eq(diag_json_str(o, "a"), "x");
	ck_assert_ptr_null(diag_json_str(o, "n")); /* not a string */
	ck_assert_ptr_null(diag_json_str(o, "b")); /* absent */
	ck_assert_ptr_null(diag_json_str(NULL, "a"));
	json_object_put(o);
}
END_TEST

/* Membership of a string in a JSON array: a null or non-string member
 * never matches and never crashes; lists read "a, b or c". */
START_TEST(json_arrays_and_lists)
{
	struct json_object *a = json_tokener_parse("[null, 5, \"x\"]");

	ck_assert_ptr_nonnull(a);
	ck_assert_int_eq(diag_json_has_str(a, "x"), 1);
	ck_assert_int_eq(diag_json_has_str(a, "y"), 0);
	ck_assert_int_eq(diag_json_has_str(NULL, "x"), 0);
	json_object_put(a);
	ck_assert_str_eq(diag_list_sep(0, 3), "");
	ck_assert_str_eq(diag_list_sep(1, 3), ", ");
	ck_assert_str_eq(diag_list_sep(2, 3), " or ");
}
END_TEST

START_TEST(allowed_hosts_are_atlassian_only)
{
	const char *extra[] = { "jira.example.com" };

	ck_assert(diag_url_host_allowed("api.atlassian.com", NULL, 0));
	ck_assert(diag_url_host_allowed("acme.atlassian.net", NULL, 0));
	ck_assert(diag_url_host_allowed("old.jira.com", NULL, 0));
	ck_assert(!diag_url_host_allowed("atlassian.net.evil.com", NULL, 0));
	ck_assert(!diag_url_host_allowed("evilatlassian.net", NULL, 0));
	ck_assert(!diag_url_host_allowed("jira.example.com", NULL, 0));
	ck_assert(diag_url_host_allowed("JIRA.example.com", extra, 1));
}
END_TEST

Suite *
util_suite(void)
{
	Suite *s = suite_create("util");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, buf_grows_and_stays_terminated);
	tcase_add_test(tc, read_file_refuses_files_over_the_limit);
	tcase_add_test(tc, printable_escapes_control_bytes);
	tcase_add_test(tc, url_parse_splits_and_classifies_hosts);
	tcase_add_test(tc, url_split_is_lenient_and_shares_host_kinds);
	tcase_add_test(tc, allowed_hosts_are_atlassian_only);
	tcase_add_test(tc, json_arrays_and_lists);
	tcase_add_test(tc, dates_and_json_strings);
	suite_add_tcase(s, tc);
	return s;
}
