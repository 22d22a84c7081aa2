/* tests/unit/test_http_slist.c: a header list libcurl cannot grow stops the request (never sent without its Authorization), without a leak. */
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "diag/engine/engine.h"
#include "diag/net/http.h"
#include "diag/core/util.h"
#include "tests/unit/dtest.h"

/* The unit runner is linked with -Wl,--wrap=curl_slist_append: the
 * transport's calls come here; fail_at > 0 makes that call fail. */
struct curl_slist *__real_curl_slist_append(struct curl_slist *, const char *);
struct curl_slist *__wrap_curl_slist_append(struct curl_slist *, const char *);

static int fail_at, calls;

struct curl_slist *
__wrap_curl_slist_append(struct curl_slist *list, const char *s)
{
	if (fail_at > 0 && ++calls == fail_at)
		return NULL;
	return __real_curl_slist_append(list, s);
}

/*
 * One GET with an Authorization header, its connection pointed at a
 * closed local port (nothing leaves the machine), the nth header append
 * failing. Returns the exchange's curl code; *sent: requests sent.
 */
static int
submit_failing(int nth, unsigned *sent)
{
	static const char *connect_to[] = {
		"acme.atlassian.net:443:127.0.0.1:1"
	};
	struct diag_net_opts net;
	struct diag_http *h;
	struct diag_http_req *req, *done;
	int code;

	memset(&net, 0, sizeof(net));
	net.timeout_s = 2;
	net.connect_to = connect_to;
	net.n_connect_to = 1;
	h = diag_http_new(&net);
	calls = 0;
	fail_at = nth;
	req = diag_xcalloc(1, sizeof(*req));
	req->label = diag_xstrdup("test");
	req->method = diag_xstrdup("GET");
	req->url = diag_xstrdup("https://acme.atlassian.net/rest/api/3/myself");
	req->authorization = diag_xstrdup("Basic eDp5");
	req->auth_kind = "basic";
	diag_http_submit(h, req);
	done = diag_http_next_done(h);
	fail_at = 0;
	ck_assert_ptr_nonnull(done);
	code = done->ex->curl_code;
	*sent = diag_http_sent(h);
	diag_http_req_free(done);
	diag_http_free(h);
	return code;
}

START_TEST(failed_header_append_is_not_sent)
{
	unsigned sent;
	int nth;

	/* 1: Accept, 2: Authorization. */
	for (nth = 1; nth <= 2; nth++) {
		ck_assert_int_eq(submit_failing(nth, &sent),
		    CURLE_OUT_OF_MEMORY);
		ck_assert_uint_eq(sent, 0);
	}
}
END_TEST

Suite *
http_slist_suite(void)
{
	Suite *s = suite_create("http_slist");
	TCase *tc = tcase_create("oom");

	tcase_add_test(tc, failed_header_append_is_not_sent);
	suite_add_tcase(s, tc);
	return s;
}
