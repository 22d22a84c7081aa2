/* tests/unit/test_transcript.c: transcript detection and the HAR, curl, raw and text readers. */
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "tests/unit/dtest.h"

#include "diag/core/secret.h"
#include "diag/transcript/har_write.h"
#include "diag/transcript/transcript.h"
#include "diag/core/util.h"

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
	enum diag_tx_format fmt;

	fmt = diag_transcript_detect("{\"log\":{}}", 10);
	ck_assert_int_eq(fmt, DIAG_TX_HAR);
	fmt = diag_transcript_detect("*  Trying\n> GET / HTTP/2\n", 25);
	ck_assert_int_eq(fmt, DIAG_TX_CURL);
	fmt =
	    diag_transcript_detect("== Info: x\n=> Send header, 1 bytes\n", 35);
	ck_assert_int_eq(fmt, DIAG_TX_CURL);
	fmt = diag_transcript_detect("GET / HTTP/1.1\r\nHost: a\r\n", 25);
	ck_assert_int_eq(fmt, DIAG_TX_RAW);
	fmt = diag_transcript_detect("HTTP/2 401\n", 11);
	ck_assert_int_eq(fmt, DIAG_TX_RAW);
	fmt = diag_transcript_detect("401 Client Error", 16);
	ck_assert_int_eq(fmt, DIAG_TX_TEXT);
}
END_TEST

START_TEST(raw_keeps_authorization_apart_and_redacted)
{
	const char *t =
	    "GET /rest/api/3/myself HTTP/1.1\r\nHost: ACME.atlassian.net\r\n"
	    "Authorization: Basic "
	    "amFuZUBleGFtcGxlLmNvbTpzM2NyZXQtdG9rZW4=\r\n\r\n"
	    "HTTP/1.1 401 Unauthorized\r\nContent-Type: text/plain\r\n\r\nnope";
	char *s;

	ck_assert_int_eq(parse(t, DIAG_TX_AUTO), 0);
	ck_assert_uint_eq(tx.n_items, 1);
	ck_assert_str_eq(tx.items[0].ex->url,
	    "https://acme.atlassian.net/rest/api/3/myself");
	ck_assert_int_eq(tx.items[0].ex->status, 401);
	ck_assert_str_eq(tx.items[0].ex->req_headers[1].value,
	    "Basic [redacted]");
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
	const char *t =
	    "HTTP/1.1 429 Too Many Requests\nTransfer-Encoding: chunked\n\n"
	    "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n";
	const char *bad = "GET / HTTP/1.1\nHost: a\nnot a header\n";

	ck_assert_int_eq(parse(t, DIAG_TX_RAW), 0);
	ck_assert_str_eq(tx.items[0].ex->body, "hello world");
	ck_assert_int_eq(parse(bad, DIAG_TX_RAW), -1);
	ck_assert_uint_eq(err.line, 3);
}
END_TEST

START_TEST(curl_verbose_builds_the_exchange)
{
	const char *t =
	    "* Connected to acme.atlassian.net (1.2.3.4) port 443\n"
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
	const char *t =
	    "== Info: Connected to api.atlassian.com (1.2.3.4) port 443\n"
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
	const char *t =
	    "{\"log\":{\"version\":\"1.2\",\"entries\":["
	    "{\"request\":{\"method\":\"GET\",\"url\":\"https://"
	    "a.atlassian.net/x\","
	    "\"headers\":[]},\"response\":{\"status\":200,\"headers\":[]}},"
	    "{\"request\":{\"method\":\"GET\",\"url\":\"https://"
	    "a.atlassian.net/y\","
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
	const char *t = "{\"log\":\n{\"entries\":\n[{\"request\": x}]}}";

	ck_assert_int_eq(parse(t, DIAG_TX_HAR), -1);
	ck_assert_uint_eq(err.line, 3);
	ck_assert_int_eq(parse("{\"nolog\": 1}", DIAG_TX_HAR), -1);
	ck_assert_ptr_nonnull(strstr(err.why, "log"));
}
END_TEST

START_TEST(text_finds_url_status_and_ignores_doc_links)
{
	const char *t =
	    "requests.exceptions.HTTPError: 401 Client Error: Unauthorized for "
	    "url: https://acme.atlassian.net/rest/api/3/myself\n"
	    "see "
	    "https://developer.atlassian.com/cloud/jira/platform/basic-auth\n";

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
	ck_assert_int_eq(
	    parse("GET https://me%40x.com:pa55word-secret@a.atlassian.net/r "
		  "HTTP/1.1\n\n"
		  "HTTP/1.1 401 No\n\n",
		DIAG_TX_RAW),
	    0);
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

/* 1 when the scrubber removes needle from a text holding it. */
static int
scrubbed(const char *needle)
{
	char *in, *out;
	int ok;

	in = malloc(strlen(needle) + 5);
	strcpy(in, "<<");
	strcat(in, needle);
	strcat(in, ">>");
	out = diag_secret_scrub(in, strlen(in), NULL);
	ok = strstr(out, needle) == NULL;
	free(in);
	free(out);
	return ok;
}

/* The value of header name among n headers h, or NULL. */
static const char *
hdr(const struct diag_header *h, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(h[i].name, name) == 0)
			return h[i].value;
	return NULL;
}

START_TEST(query_secrets_are_hidden_in_url_referer_and_location)
{
	const char *t =
	    "GET /r?access_token=acc3ss-T0ken&jql=x&code=0authC0de HTTP/1.1\r\n"
	    "Host: a.atlassian.net\r\n"
	    "Referer: "
	    "https://a.atlassian.net/l?os_password=R3ferPass&x=1\r\n\r\n"
	    "HTTP/1.1 302 Found\r\nLocation: "
	    "/n?jwt=L0cJwtValue&sig=L0cSigValue\r\n\r\n";
	const struct diag_exchange *ex;

	ck_assert_int_eq(parse(t, DIAG_TX_RAW), 0);
	ex = tx.items[0].ex;
	ck_assert_str_eq(ex->url,
	    "https://a.atlassian.net/r?access_token="
	    "[redacted]&jql=x&code=[redacted]");
	ck_assert_str_eq(hdr(ex->req_headers, ex->n_req_headers, "Referer"),
	    "https://a.atlassian.net/l?os_password=[redacted]&x=1");
	ck_assert_str_eq(hdr(ex->headers, ex->n_headers, "Location"),
	    "/n?jwt=[redacted]&sig=[redacted]");
	ck_assert(scrubbed("acc3ss-T0ken"));
	ck_assert(scrubbed("0authC0de"));
	ck_assert(scrubbed("R3ferPass"));
	ck_assert(scrubbed("L0cJwtValue"));
	ck_assert(scrubbed("L0cSigValue"));
}
END_TEST

START_TEST(redacting_a_redacted_capture_changes_nothing)
{
	static const char *const done[] = {
		"https://a.atlassian.net/"
		"r?access_token=[redacted]&code=[redacted]",
		"/n?jwt=[redacted]",
		"{\"password\": \"[redacted]\", \"token\": \"[redacted: 5000 "
		"bytes]\"}",
		"os_password=[redacted: 5000 bytes]&x=1",
	};
	char *again;
	size_t i;

	/* A bundle written from a capture is read again: the marks stay
	 * marks ("[redacted]]" before), and no mark is taken for a secret. */
	for (i = 0; i < DIAG_NELEM(done); i++) {
		again = diag__tx_redacted(done[i], strlen(done[i]));
		ck_assert_str_eq(again, done[i]);
		free(again);
	}
	ck_assert(!scrubbed("[redacted"));
	/* What only looks like a mark is still a value. */
	again = diag__tx_redacted("?access_token=[redactedXq7Secret9&x=1", 37);
	ck_assert_str_eq(again, "?access_token=[redacted]&x=1");
	free(again);
}
END_TEST

START_TEST(credential_headers_and_cookies_show_names_only)
{
	const char *t =
	    "GET /r HTTP/1.1\r\nHost: a.atlassian.net\r\n"
	    "X-Api-Key: xApiK3y-value\r\nApi-Key: apiK3y-value\r\n"
	    "Private-Token: pr1vate-value\r\nX-Access-Token: acc3ss-value\r\n"
	    "X-CSRF-Token: csrfT0k-value\r\n"
	    "Proxy-Authorization: Basic cHJveHk6cHIweHlQYXNz\r\n"
	    "Cookie: tenant.session.token=t3nantSess; "
	    "JSESSIONID=js3ssionVal\r\n\r\n"
	    "HTTP/1.1 401 No\r\n"
	    "Set-Cookie: cloud.session.token=cl0udSess; Path=/; "
	    "HttpOnly\r\n\r\n";
	const char *secrets[] = { "xApiK3y-value", "apiK3y-value",
		"pr1vate-value", "acc3ss-value", "csrfT0k-value", "pr0xyPass",
		"t3nantSess", "js3ssionVal", "cl0udSess" };
	const struct diag_exchange *ex;
	size_t i;

	ck_assert_int_eq(parse(t, DIAG_TX_RAW), 0);
	ex = tx.items[0].ex;
	for (i = 0; i < ex->n_req_headers; i++)
		if (strcmp(ex->req_headers[i].name, "Host") != 0 &&
		    strcmp(ex->req_headers[i].name, "Cookie") != 0)
			ck_assert_str_eq(ex->req_headers[i].value,
			    "[redacted]");
	ck_assert_str_eq(hdr(ex->req_headers, ex->n_req_headers, "Cookie"),
	    "tenant.session.token=[redacted]; JSESSIONID=[redacted]");
	ck_assert_str_eq(hdr(ex->headers, ex->n_headers, "Set-Cookie"),
	    "cloud.session.token=[redacted]; Path=/; HttpOnly");
	for (i = 0; i < sizeof(secrets) / sizeof(secrets[0]); i++)
		ck_assert_msg(scrubbed(secrets[i]), "%s", secrets[i]);
}
END_TEST

START_TEST(har_cookie_arrays_and_query_string_are_registered)
{
	const char *t =
	    "{\"log\":{\"entries\":[{\"request\":{\"method\":\"GET\","
	    "\"url\":\"https://a.atlassian.net/r\",\"headers\":[],"
	    "\"cookies\":[{\"name\":\"x\",\"value\":\"arrayC00kie\"}],"
	    "\"queryString\":[{\"name\":\"token\",\"value\":\"qsT0kenValue\"}]}"
	    ","
	    "\"response\":{\"status\":401,\"headers\":[],"
	    "\"cookies\":[{\"name\":\"y\",\"value\":\"respC00kie\"}],"
	    "\"content\":{\"text\":\"echo arrayC00kie\"}}}]}}";

	ck_assert_int_eq(parse(t, DIAG_TX_HAR), 0);
	ck_assert(scrubbed("arrayC00kie"));
	ck_assert(scrubbed("respC00kie"));
	ck_assert(scrubbed("qsT0kenValue"));
}
END_TEST

START_TEST(bodies_hide_echoed_credentials_by_name_and_shape)
{
	const char *t =
	    "GET /r HTTP/1.1\r\nHost: a.atlassian.net\r\n\r\n"
	    "HTTP/1.1 401 No\r\nContent-Type: application/json\r\n\r\n"
	    "{\"password\":\"b0dyPass\",\"code\":\"FAILURE_X\",\"t\":"
	    "\"ATATT3xFfGF0b0dyT0kenValue123\",\"j\":\"eyJhbGciOiJub25lIn0."
	    "eyJzdWIiOiJ4In0.b0dySig\",\"h\":\"Basic amFuZTpiMGR5QmFzaWM=\"}";
	const char *b;

	ck_assert_int_eq(parse(t, DIAG_TX_RAW), 0);
	b = tx.items[0].ex->body;
	ck_assert_str_eq(b,
	    "{\"password\":\"[redacted]\",\"code\":\"FAILURE_X\","
	    "\"t\":\"[redacted]\",\"j\":\"[redacted]\",\"h\":\"Basic "
	    "[redacted]\"}");
	ck_assert(scrubbed("b0dyPass"));
	ck_assert(scrubbed("ATATT3xFfGF0b0dyT0kenValue123"));
	ck_assert(scrubbed("b0dyBasic")); /* what the Basic decodes to */
}
END_TEST

START_TEST(free_text_hides_curl_user_and_bearer)
{
	const char *t =
	    "$ curl -u jane@x.com:t3xtUserPass https://a.atlassian.net/r\n"
	    "tried --user=jane@x.com:t3xtUser2 and Bearer t3xtBearer99 then\n"
	    "401 Client Error: Unauthorized\n"
	    "Basic authentication with passwords is deprecated\n";
	const char *b;

	ck_assert_int_eq(parse(t, DIAG_TX_TEXT), 0);
	b = tx.items[0].ex->body;
	ck_assert_ptr_null(strstr(b, "t3xt"));
	ck_assert_ptr_nonnull(strstr(b, "-u jane@x.com:[redacted] "));
	ck_assert_ptr_nonnull(strstr(b, "Bearer [redacted] then"));
	/* Words after a scheme name are not credentials. */
	ck_assert_ptr_nonnull(strstr(b, "Basic authentication with"));
	ck_assert(scrubbed("t3xtUserPass"));
	ck_assert(scrubbed("t3xtUser2"));
	ck_assert(scrubbed("t3xtBearer99"));
}
END_TEST

START_TEST(oversized_credential_is_reported_not_registered)
{
	struct diag_buf b = DIAG_BUF_INIT;
	const struct diag_exchange *ex;
	const char *v;
	size_t before;
	int rc;

	diag_buf_adds(&b,
	    "GET /r HTTP/1.1\r\nHost: a.atlassian.net\r\n"
	    "Authorization: Basic ");
	while (b.len < 6000)
		diag_buf_adds(&b, "QUJD");
	diag_buf_adds(&b, "\r\nX-Api-Key: ");
	while (b.len < 12000)
		diag_buf_adds(&b, "WFla");
	diag_buf_adds(&b, "\r\n\r\nHTTP/1.1 401 No\r\n\r\n");
	before = diag_secret_count();
	diag_transcript_release(&tx);
	rc = diag_transcript_parse(b.buf, b.len, DIAG_TX_RAW, &tx, &err);
	ck_assert_int_eq(rc, 0);
	ex = tx.items[0].ex;
	ck_assert_uint_eq(diag_secret_count(), before);
	ck_assert_ptr_null(tx.items[0].authorization);
	ck_assert_uint_eq(tx.items[0].oversized, 5946);
	ck_assert_str_eq(tx.items[0].oversized_name, "Authorization");
	v = hdr(ex->req_headers, ex->n_req_headers, "Authorization");
	ck_assert_str_eq(v, "Basic [redacted: 5946 bytes]");
	v = hdr(ex->req_headers, ex->n_req_headers, "X-Api-Key");
	ck_assert_str_eq(v, "[redacted: 5988 bytes]");
	ck_assert_ptr_nonnull(strstr(ex->auth_desc, "far too long"));
	diag_buf_release(&b);
}
END_TEST

START_TEST(har_depth_is_named)
{
	struct diag_buf b = DIAG_BUF_INIT;
	int i, depth, rc;

	for (depth = 100; depth <= 600; depth += 500) {
		diag_buf_release(&b);
		diag_buf_adds(&b,
		    "{\"log\":{\"entries\":[{\"request\":{\"url\":"
		    "\"https://a.atlassian.net/"
		    "\"},\"response\":{\"status\":401,"
		    "\"x\":");
		for (i = 0; i < depth; i++)
			diag_buf_addc(&b, '[');
		for (i = 0; i < depth; i++)
			diag_buf_addc(&b, ']');
		diag_buf_adds(&b, "}}]}}");
		diag_transcript_release(&tx);
		rc =
		    diag_transcript_parse(b.buf, b.len, DIAG_TX_HAR, &tx, &err);
		if (depth == 100)
			ck_assert_int_eq(rc, 0);
		else {
			ck_assert_int_eq(rc, -1);
			ck_assert_ptr_nonnull(
			    strstr(err.why, "nested too deeply"));
		}
	}
	diag_buf_release(&b);
}
END_TEST

/* --save-evidence: an entry is redacted (credential headers keep their
 * scheme, cookies and token shapes go) and reads back as a bundle. */
START_TEST(har_writer_redacts_and_reads_back)
{
	struct diag_exchange *ex;
	struct json_object *entries, *doc, *tags;
	char *body;
	const char *text;

	ex = diag_exchange_new("auth.site/myself", "GET",
	    "https://acme.atlassian.net/rest/api/3/"
	    "myself?access_token=QQQQQQQQQQQQ");
	diag_exchange_add_req_header(ex, "Authorization",
	    "Basic base64(me@acme.example:<token>)");
	ex->status = 401;
	diag_exchange_add_header(ex, "Set-Cookie",
	    "cloud.session.token=SESSIONSECRET1; Path=/");
	diag_exchange_add_header(ex, "ATL-TraceId", "0af7c077ddcbc5e0");
	body = diag_xasprintf("{\"echo\":\"%s\"}", DTEST_VECTOR);
	ex->body = body;
	ex->body_len = strlen(body);
	ex->duration_ms = 42;
	tags = json_object_new_object();
	json_object_object_add(tags, "check",
	    json_object_new_string("auth.site"));
	entries = json_object_new_array();
	json_object_array_add(entries, diag_har_entry(ex, 1700000000, tags));
	doc = diag_har_document(entries, "a comment", json_object_new_object());
	text = json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PLAIN);
	ck_assert_ptr_nonnull(strstr(text, "\"Basic [redacted]\""));
	ck_assert_ptr_null(strstr(text, "SESSIONSECRET1"));
	ck_assert_ptr_null(strstr(text, "QQQQQQQQQQQQ"));
	ck_assert_ptr_null(strstr(text, "ATATT3x"));
	ck_assert_ptr_nonnull(
	    strstr(text, "\"trace_id\":\"0af7c077ddcbc5e0\""));
	ck_assert_ptr_nonnull(strstr(text, "\"wait\":42.000"));
	ck_assert_ptr_nonnull(strstr(text, "2023-11-14T22:13:20.000Z"));
	ck_assert_int_eq(parse(text, DIAG_TX_AUTO), 0);
	ck_assert_int_eq(tx.format, DIAG_TX_HAR);
	ck_assert_ptr_nonnull(tx.bundle);
	ck_assert_uint_eq(tx.n_items, 1);
	ck_assert_str_eq(tx.items[0].check, "auth.site");
	ck_assert_str_eq(tx.items[0].authorization, "Basic [redacted]");
	json_object_put(doc);
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
	tcase_add_test(tc,
	    query_secrets_are_hidden_in_url_referer_and_location);
	tcase_add_test(tc, credential_headers_and_cookies_show_names_only);
	tcase_add_test(tc, har_cookie_arrays_and_query_string_are_registered);
	tcase_add_test(tc, bodies_hide_echoed_credentials_by_name_and_shape);
	tcase_add_test(tc, free_text_hides_curl_user_and_bearer);
	tcase_add_test(tc, oversized_credential_is_reported_not_registered);
	tcase_add_test(tc, har_depth_is_named);
	tcase_add_test(tc, har_writer_redacts_and_reads_back);
	tcase_add_test(tc, redacting_a_redacted_capture_changes_nothing);
	suite_add_tcase(s, tc);
	return s;
}
