/* diag/serve/serve.h: the HTTP API and page of `atldiag serve`, without any socket. */
#ifndef DIAG_SERVE_H
#define DIAG_SERVE_H

#include <stddef.h>

#include "diag/report/report.h"
#include "diag/rules/rules.h"

/* Largest capture POST /api/explain accepts (above: 413). */
#define DIAG_SERVE_MAX_BODY ((size_t)64 << 20)
/* Hex digits of the access token (128 bits). */
#define DIAG_SERVE_TOKEN_HEX 32

/* What every request is judged against; read-only once serving. */
struct diag_serve {
	const struct diag_rules *rules; /* borrowed */
	char token[DIAG_SERVE_TOKEN_HEX + 1];
	const char *const *hosts; /* accepted Host values, NULL-ended;
						   NULL: any Host */
	size_t max_body;
};

/* One request, as the server read it; every field is borrowed. */
struct diag_serve_req {
	const char *method;
	const char *path; /* without the query string */
	const char *query_token; /* ?token=, or NULL */
	const char *query_format; /* ?format=, or NULL */
	const char *header_token; /* X-Atldiag-Token, or NULL */
	const char *host; /* Host, or NULL */
	const char *body;
	size_t body_len;
	int body_too_large; /* the body was over max_body (dropped) */
};

/* The answer; body owned (diag_serve_resp_release). */
struct diag_serve_resp {
	unsigned status;
	const char *content_type;
	const char *allow; /* Allow header (405), or NULL */
	char *body;
	size_t len;
};

/* Headers sent with every response, name and value, ending with NULLs. */
extern const char *const diag_serve_headers[][2];

/*
 * Answers one request (thread-safe: each call uses only its thread's
 * secret registry, emptied before and after, so no credential of one
 * request can be known to, or shown in, another). Every report leaves
 * scrubbed of the capture's secrets.
 */
void diag_serve_handle(const struct diag_serve *, const struct diag_serve_req *,
    struct diag_serve_resp *);
void diag_serve_resp_release(struct diag_serve_resp *);

/*
 * The capture body (len bytes) as an evidence bundle: its exchanges as
 * redacted HAR 1.2 entries (the --save-evidence writer; each entry's
 * _atldiag names check "capture", or the check that made it when the
 * capture is itself a bundle, and its entry number) and log._atldiag
 * summing up rep, the explain run of the same bytes (verdict, primary,
 * findings; no inputs: they came from the capture itself). Scrubbed of
 * every secret this thread's registry holds. Returns the JSON text
 * (owned; *out_len its length), or NULL when body cannot be read.
 */
char *diag_serve_har(const char *body, size_t len,
    const struct diag_report *rep, size_t *out_len);

/* Fills token with DIAG_SERVE_TOKEN_HEX random hex digits from the
 * kernel (getrandom). Returns 0, or -1 when no randomness is available. */
int diag_serve_token_new(char token[DIAG_SERVE_TOKEN_HEX + 1]);

/* 1 when a and b (NUL-terminated) are equal, in time independent of
 * where they differ. */
int diag_serve_token_equal(const char *a, const char *b);

#endif
