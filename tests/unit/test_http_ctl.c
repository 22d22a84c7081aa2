/* tests/unit/test_http_ctl.c: the transport never sends a URL, method or header value holding a control character. */
#include <stdlib.h>
#include <string.h>

#include "diag/engine/engine.h"
#include "diag/net/http.h"
#include "diag/core/util.h"
#include "tests/unit/dtest.h"

/* Submits one request and returns the error its exchange got (owned). */
static char *
submit(const char *method, const char *url, const char *authorization,
    unsigned *sent)
{
	struct diag_net_opts net;
	struct diag_http *h;
	struct diag_http_req *req, *done;
	char *err;

	memset(&net, 0, sizeof(net));
	net.timeout_s = 1;
	h = diag_http_new(&net);
	req = diag_xcalloc(1, sizeof(*req));
	req->label = diag_xstrdup("test");
	req->method = diag_xstrdup(method);
	req->url = diag_xstrdup(url);
	req->authorization = diag_xstrdup(authorization);
	req->auth_kind = authorization != NULL ? "basic" : "none";
	diag_http_submit(h, req);
	done = diag_http_next_done(h);
	ck_assert_ptr_nonnull(done);
	err = diag_xstrdup(done->ex->error);
	*sent = diag_http_sent(h);
	diag_http_req_free(done);
	diag_http_free(h);
	return err;
}

START_TEST(control_characters_are_never_sent)
{
	static const char *const urls[] = {
		"https://acme.atlassian.net/rest/api/3/myself\r\nX-Injected: 1",
		"https://acme.atlassian.net/rest/api/3/myself\nDELETE /x",
		"https://acme.atlassian.net/rest\x7f",
	};
	unsigned sent;
	size_t i;
	char *err;

	for (i = 0; i < DIAG_NELEM(urls); i++) {
		err = submit("GET", urls[i], NULL, &sent);
		ck_assert_ptr_nonnull(err);
		ck_assert_ptr_nonnull(strstr(err, "control character"));
		ck_assert_uint_eq(sent, 0);
		free(err);
	}
	err = submit("GET", "https://acme.atlassian.net/rest/api/3/myself",
	    "Basic eDp5\r\n\r\nDELETE /rest/api/3/issue/X-1 HTTP/1.1", &sent);
	ck_assert_ptr_nonnull(strstr(err, "control character"));
	ck_assert_uint_eq(sent, 0);
	free(err);
	err = submit("GET\r\nX: 1", "https://acme.atlassian.net/", NULL, &sent);
	ck_assert_ptr_nonnull(strstr(err, "control character"));
	ck_assert_uint_eq(sent, 0);
	free(err);
}
END_TEST

Suite *
http_ctl_suite(void)
{
	Suite *s = suite_create("http_ctl");
	TCase *tc = tcase_create("refuse");

	tcase_add_test(tc, control_characters_are_never_sent);
	suite_add_tcase(s, tc);
	return s;
}
