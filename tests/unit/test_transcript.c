/* tests/unit/test_transcript.c: transcript detection and the HAR, curl, raw and text readers. */
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "diag/secret.h"
#include "diag/transcript.h"

static struct diag_transcript tx;
static struct diag_tx_error err;

static int
parse(const char *s, enum diag_tx_format f)
{
	diag_transcript_release(&tx);
	return diag_transcript_parse(s, strlen(s), f, &tx, &err);
}

static void
teardown(void)
{
	diag_transcript_release(&tx);
	diag_secret_reset();
}

START_TEST(detect_tells_the_four_formats_apart)
{
	ck_assert_int_eq(diag_transcript_detect("{\"log\":{}}", 10), DIAG_TX_HAR);
	ck_assert_int_eq(diag_transcript_detect("*  Trying\n> GET / HTTP/2\n", 25),
	    DIAG_TX_CURL);
	ck_assert_int_eq(diag_transcript_detect("== Info: x\n=> Send header, 1 bytes\n",
	    35), DIAG_TX_CURL);
	ck_assert_int_eq(diag_transcript_detect("GET / HTTP/1.1\r\nHost: a\r\n", 25),
	    DIAG_TX_RAW);
	ck_assert_int_eq(diag_transcript_detect("HTTP/2 401\n", 11), DIAG_TX_RAW);
	ck_assert_int_eq(diag_transcript_detect("401 Client Error", 16),
	    DIAG_TX_TEXT);
}
END_TEST

START_TEST(raw_keeps_authorization_apart_and_redacted)
{
	const char *t = "GET /rest/api/3/myself HTTP/1.1\r\nHost: ACME.atlassian.net\r\n"
	    "Authorization: Basic amFuZUBleGFtcGxlLmNvbTpzM2NyZXQtdG9rZW4=\r\n\r\n"
	    "HTTP/1.1 401 Unauthorized\r\nContent-Type: text/plain\r\n\r\nnope";
	char *s;

	ck_assert_int_eq(parse(t, DIAG_TX_AUTO), 0);
	ck_assert_uint_eq(tx.n_items, 1);
	ck_assert_str_eq(tx.items[0].ex->url,
	    "https://acme.atlassian.net/rest/api/3/myself");
	ck_assert_int_eq(tx.items[0].ex->status, 401);
	ck_assert_str_eq(tx.items[0].ex->req_headers[1].value, "Basic [redacted]");
	ck_assert_str_eq(tx.items[0].authorization,
	    "Basic amFuZUBleGFtcGxlLmNvbTpzM2NyZXQtdG9rZW4=");
	ck_assert_str_eq(tx.items[0].ex->body, "nope");
	/* The decoded secret is registered before anything is printed. */
	s = diag_secret_scrub("token s3cret-token here", 23, NULL);
	ck_assert_ptr_null(strstr(s, "s3cret-token"));
	free(s);
}
END_TEST

START_TEST(raw_dechunks_and_names_the_bad_line)
{
	const char *t = "HTTP/1.1 429 Too Many Requests\nTransfer-Encoding: chunked\n\n"
	    "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n";

	ck_assert_int_eq(parse(t, DIAG_TX_RAW), 0);
	ck_assert_str_eq(tx.items[0].ex->body, "hello world");
	ck_assert_int_eq(parse("GET / HTTP/1.1\nHost: a\nnot a header\n",
	    DIAG_TX_RAW), -1);
	ck_assert_uint_eq(err.line, 3);
}
END_TEST

START_TEST(curl_verbose_builds_the_exchange)
{
	const char *t = "* Connected to acme.atlassian.net (1.2.3.4) port 443\n"
	    "* Server auth using Basic with user 'jane@example.com'\n"
	    "> GET /rest/api/3/myself HTTP/2\n> Host: acme.atlassian.net\n"
	    "> authorization: Bearer ATATT3xFfGF0abcdefghijkl\n>\n"
	    "< HTTP/2 403\n< content-type: application/json\n<\n"
	    "{\"error\": \"Failed to parse Connect Session Auth Token\"}\n";

	ck_assert_int_eq(parse(t, DIAG_TX_AUTO), 0);
	ck_assert_int_eq(tx.format, DIAG_TX_CURL);
	ck_assert_uint_eq(tx.n_items, 1);
	ck_assert_str_eq(tx.items[0].ex->auth, "bearer");
	ck_assert_str_eq(tx.items[0].ex->http_version, "HTTP/2");
	ck_assert_int_eq(tx.items[0].ex->status, 403);
	ck_assert_str_eq(tx.email, "jane@example.com");
	ck_assert_ptr_nonnull(strstr(tx.items[0].ex->body, "Connect Session"));
}
END_TEST

START_TEST(curl_trace_ascii_joins_wrapped_lines)
{
	const char *t = "== Info: Connected to api.atlassian.com (1.2.3.4) port 443\n"
	    "=> Send header, 60 bytes (0x3c)\n"
	    "0000: GET /ex/jira/abc/rest/api/3/myself HTTP/1.1\n"
	    "002f: Host: api.atlassian.com\n"
	    "0048: \n"
	    "<= Recv header, 17 bytes (0x11)\n0000: HTTP/1.1 404 Nope\n"
	    "<= Recv header, 2 bytes (0x2)\n0000: \n"
	    "<= Recv data, 3 bytes (0x3)\n0000: abc\n";

	ck_assert_int_eq(parse(t, DIAG_TX_AUTO), 0);
	ck_assert_uint_eq(tx.n_items, 1);
	ck_assert_str_eq(tx.items[0].ex->url,
	    "https://api.atlassian.com/ex/jira/abc/rest/api/3/myself");
	ck_assert_int_eq(tx.items[0].ex->status, 404);
	ck_assert_str_eq(tx.items[0].ex->body, "abc");
}
END_TEST

START_TEST(har_keeps_failures_only_and_counts_entries)
{
	const char *t = "{\"log\":{\"version\":\"1.2\",\"entries\":["
	    "{\"request\":{\"method\":\"GET\",\"url\":\"https://a.atlassian.net/x\","
	    "\"headers\":[]},\"response\":{\"status\":200,\"headers\":[]}},"
	    "{\"request\":{\"method\":\"GET\",\"url\":\"https://a.atlassian.net/y\","
	    "\"headers\":[{\"name\":\"Cookie\",\"value\":\"s=abcdefgh123\"}]},"
	    "\"response\":{\"status\":200,\"headers\":[{\"name\":"
	    "\"X-Seraph-LoginReason\",\"value\":\"AUTHENTICATED_FAILED\"}],"
	    "\"content\":{\"text\":\"e30=\",\"encoding\":\"base64\"}}}]}}";

	ck_assert_int_eq(parse(t, DIAG_TX_AUTO), 0);
	ck_assert_uint_eq(tx.n_entries, 2);
	ck_assert_uint_eq(tx.n_items, 1);
	ck_assert_str_eq(tx.items[0].ex->url, "https://a.atlassian.net/y");
	ck_assert_str_eq(tx.items[0].ex->req_headers[0].value, "s=[redacted]");
	ck_assert_str_eq(tx.items[0].ex->body, "{}");
	ck_assert_uint_eq(tx.items[0].index, 2);
}
END_TEST

START_TEST(har_errors_name_the_line)
{
	ck_assert_int_eq(parse("{\"log\":\n{\"entries\":\n[{\"request\": x}]}}",
	    DIAG_TX_HAR), -1);
	ck_assert_uint_eq(err.line, 3);
	ck_assert_int_eq(parse("{\"nolog\": 1}", DIAG_TX_HAR), -1);
	ck_assert_ptr_nonnull(strstr(err.why, "log"));
}
END_TEST

START_TEST(text_finds_url_status_and_ignores_doc_links)
{
	const char *t = "requests.exceptions.HTTPError: 401 Client Error: "
	    "Unauthorized for url: https://acme.atlassian.net/rest/api/3/myself\n"
	    "see https://developer.atlassian.com/cloud/jira/platform/basic-auth\n";

	ck_assert_int_eq(parse(t, DIAG_TX_AUTO), 0);
	ck_assert_int_eq(tx.format, DIAG_TX_TEXT);
	ck_assert(tx.weak);
	ck_assert_uint_eq(tx.n_items, 1);
	ck_assert_str_eq(tx.items[0].ex->url,
	    "https://acme.atlassian.net/rest/api/3/myself");
	ck_assert_int_eq(tx.items[0].ex->status, 401);
	ck_assert_int_eq(parse("nothing to see here\n", DIAG_TX_TEXT), -1);
}
END_TEST

START_TEST(url_credentials_become_a_basic_header)
{
	ck_assert_int_eq(parse("GET https://me%40x.com:pa55word-secret@a.atlassian.net/r HTTP/1.1\n\n"
	    "HTTP/1.1 401 No\n\n", DIAG_TX_RAW), 0);
	ck_assert_str_eq(tx.items[0].ex->url, "https://a.atlassian.net/r");
	ck_assert_str_eq(tx.items[0].ex->auth, "basic");
	ck_assert_ptr_nonnull(strstr(tx.items[0].ex->auth_desc, "me@x.com"));
	ck_assert_ptr_null(strstr(tx.items[0].ex->auth_desc, "pa55word"));
}
END_TEST

START_TEST(failure_rule_covers_anonymous_success)
{
	struct diag_exchange *ex = diag_exchange_new("t", "GET", "https://a/");

	ex->status = 200;
	ck_assert(!diag_transcript_is_failure(ex));
	diag_exchange_add_header(ex, "x-seraph-loginreason",
	    "AUTHENTICATED_FAILED");
	ck_assert(diag_transcript_is_failure(ex));
	ex->status = 302;
	ck_assert(!diag_transcript_is_failure(ex));
	ex->status = 404;
	ck_assert(diag_transcript_is_failure(ex));
	diag_exchange_free(ex);
}
END_TEST

Suite *transcript_suite(void);

Suite *
transcript_suite(void)
{
	Suite *s = suite_create("transcript");
	TCase *tc = tcase_create("parse");

	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, detect_tells_the_four_formats_apart);
	tcase_add_test(tc, raw_keeps_authorization_apart_and_redacted);
	tcase_add_test(tc, raw_dechunks_and_names_the_bad_line);
	tcase_add_test(tc, curl_verbose_builds_the_exchange);
	tcase_add_test(tc, curl_trace_ascii_joins_wrapped_lines);
	tcase_add_test(tc, har_keeps_failures_only_and_counts_entries);
	tcase_add_test(tc, har_errors_name_the_line);
	tcase_add_test(tc, text_finds_url_status_and_ignores_doc_links);
	tcase_add_test(tc, url_credentials_become_a_basic_header);
	tcase_add_test(tc, failure_rule_covers_anonymous_success);
	suite_add_tcase(s, tc);
	return s;
}
