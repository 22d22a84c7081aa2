/* fuzz/fuzz_transcript.c: libFuzzer target for one transcript parser, chosen by FUZZ_FORMAT at build time. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diag/core/secret.h"
#include "diag/transcript/transcript.h"
#include "diag/core/util.h"

#ifndef FUZZ_FORMAT
#define FUZZ_FORMAT DIAG_TX_AUTO
#endif

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/*
 * What a report could print of one exchange (URL, headers, body, auth
 * description), scrubbed as every output is. Two invariants hold for any
 * input: the stored Authorization header shows "[redacted", never the
 * value; and the raw Authorization value a reader kept apart was
 * registered, so the scrubbed rendering never holds it.
 */
static void
check_item(const struct diag_tx_item *it)
{
	const struct diag_exchange *ex = it->ex;
	struct diag_buf b = DIAG_BUF_INIT;
	const char *a = it->authorization;
	size_t i, n = it->authorization_len;
	char *out;

	diag_buf_adds(&b, ex->url);
	for (i = 0; i < ex->n_req_headers; i++) {
		diag_buf_addf(&b, "\n%s: %s", ex->req_headers[i].name,
		    ex->req_headers[i].value);
		if (strcmp(ex->req_headers[i].name, "Authorization") == 0 &&
		    strstr(ex->req_headers[i].value, "[redacted") == NULL)
			abort();
	}
	for (i = 0; i < ex->n_headers; i++)
		diag_buf_addf(&b, "\n%s: %s", ex->headers[i].name,
		    ex->headers[i].value);
	if (ex->auth_desc != NULL)
		diag_buf_addf(&b, "\n%s", ex->auth_desc);
	if (ex->body != NULL)
		diag_buf_addf(&b, "\n%s", ex->body);
	out = diag_secret_scrub(diag_buf_str(&b), b.len, NULL);
	/* The value as registered: trimmed of blanks and line ends. */
	while (a != NULL && n > 0 && (*a == ' ' || *a == '\t')) {
		a++;
		n--;
	}
	while (a != NULL && n > 0 && strchr(" \t\r\n", a[n - 1]) != NULL)
		n--;
	if (a != NULL && n >= 6 && memmem(out, strlen(out), a, n) != NULL)
		abort();
	free(out);
	diag_buf_release(&b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diag_transcript tx;
	struct diag_tx_error err;
	size_t i;

	if (diag_transcript_parse((const char *)data, size, FUZZ_FORMAT, &tx,
		&err) == 0) {
		for (i = 0; i < tx.n_items; i++) {
			(void)diag_transcript_is_failure(tx.items[i].ex);
			check_item(&tx.items[i]);
		}
		diag_transcript_release(&tx);
	}
	diag_secret_reset();
	return 0;
}
