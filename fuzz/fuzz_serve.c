/* fuzz/fuzz_serve.c: libFuzzer target for `atldiag serve`'s request handler: the body is the capture, the first byte picks format, token and path. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diag/core/secret.h"
#include "diag/core/util.h"
#include "diag/rules/rules.h"
#include "diag/serve/serve.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static struct diag_serve srv;

/* The built-in rules, loaded once. */
static void
setup(void)
{
	struct diag_rules *rules;
	char *err = NULL;

	if (srv.rules != NULL)
		return;
	if (diag_rules_load(NULL, &rules, &err) != 0)
		abort();
	srv.rules = rules;
	memcpy(srv.token, "0123456789abcdef0123456789abcdef",
	    DIAG_SERVE_TOKEN_HEX + 1);
	srv.max_body = 1 << 20;
}

/*
 * Invariants: every answer has a status, a type and a body; a request
 * without the right token is refused whatever it holds; a capture is
 * either explained (200), refused as unreadable (422) or too large (413),
 * never anything else; nothing of the body's credentials is known after
 * the request (the registry is empty again).
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const formats[] = { NULL, "json", "markdown", "text",
		"junit", "har" };
	struct diag_serve_req req;
	struct diag_serve_resp resp;
	unsigned sel;

	setup();
	if (size < 1)
		return 0;
	sel = data[0];
	memset(&req, 0, sizeof(req));
	req.method = (sel & 0x80) ? "GET" : "POST";
	req.path = (sel & 0x40) ? "/" : "/api/explain";
	req.query_format = formats[(sel & 7) % 6];
	req.header_token =
	    (sel & 0x20) ? "0123456789abcdef0123456789abcdeX" : srv.token;
	req.body = (const char *)data + 1;
	req.body_len = size - 1;
	diag_serve_handle(&srv, &req, &resp);
	if (resp.status == 0 || resp.content_type == NULL || resp.body == NULL)
		abort();
	if ((sel & 0x20) && resp.status != 403)
		abort();
	if (!(sel & 0x20) && !(sel & 0x80) && !(sel & 0x40) &&
	    (sel & 7) % 6 != 4 && resp.status != 200 && resp.status != 422)
		abort();
	if (diag_secret_count() != 0)
		abort();
	diag_serve_resp_release(&resp);
	return 0;
}
