/* diag/transcript/transcript.h: captured HTTP exchanges (HAR, curl -v, raw HTTP, free text) read offline. */
#ifndef DIAG_TRANSCRIPT_H
#define DIAG_TRANSCRIPT_H

#include <stddef.h>

#include <json-c/json.h>

#include "diag/core/model.h"
#include "diag/core/util.h"

enum diag_tx_format {
	DIAG_TX_AUTO = 0,
	DIAG_TX_HAR, /* HAR 1.2 (browser or proxy export) */
	DIAG_TX_CURL, /* curl -v or curl --trace-ascii output */
	DIAG_TX_RAW, /* request head, blank line, response head, body */
	DIAG_TX_TEXT, /* a pasted log or client error message */
};

/* "har", "curl", "raw", "text" ("auto" for DIAG_TX_AUTO). */
const char *diag_transcript_format_name(enum diag_tx_format);
/* Parses one of the names above; returns 0, or -1 when unknown. */
int diag_transcript_format_parse(const char *, enum diag_tx_format *);

/*
 * One captured exchange. ex is safe to print: every credential a reader
 * finds by name or by shape (diag/transcript/transcript_redact.c) is replaced by
 * "[redacted]" in the URL, the header values and the body (Authorization
 * keeps its scheme, Cookie and Set-Cookie their cookie names), the URL
 * has no userinfo, the request body is not kept and the response body
 * is capped. The raw
 * Authorization value is kept apart in authorization (a secret: it is
 * registered with diag/core/secret.h when read, together with what it
 * decodes to). Credentials in the URL's userinfo become the Basic header
 * a client would have sent.
 */
struct diag_tx_item {
	struct diag_exchange *ex;
	char *authorization; /* secret, or NULL */
	size_t authorization_len;
	unsigned index; /* 1-based entry or exchange number */
	unsigned line; /* line where it starts (1-based) */
	int headers_seen; /* request headers are in the transcript */
	int response_seen; /* a response (status) is in it */
	/* bytes of a credential header too long to be one (0: none) */
	size_t oversized;
	char oversized_name[32]; /* that header's name */
	/*
	 * an atldiag bundle: the check that made it (_atldiag.check), or NULL
	 */
	char *check;
	unsigned profile; /* a batch bundle: the profile's line; 0 */
	/*
	 * an atldiag bundle's answer that is no failure: kept for a replay of
	 * the run, never judged alone
	 */
	int context_only;
};

/* What a transcript holds. Free with diag_transcript_release(). */
struct diag_transcript {
	enum diag_tx_format format;
	struct diag_tx_item *items; /* kept exchanges, in order */
	size_t n_items;
	size_t n_entries; /* exchanges read (kept or not) */
	size_t n_dropped; /* failing exchanges over the cap */
	char *email; /* an account email seen, or NULL */
	char *token; /* an API token seen in free text (secret), or NULL */
	size_t token_len;
	int weak; /* free text: evidence is indirect */
	int truncated; /* the input ends early; what was read is kept */
	/*
	 * an atldiag evidence bundle (HAR log._atldiag: inputs without secrets,
	 * verdict), or NULL; owned
	 */
	struct json_object *bundle;
};

/* Why a transcript could not be read: "cannot read this: <why> (line N)". */
struct diag_tx_error {
	char why[200];
	unsigned line; /* 0 when no line applies */
};

/* At most this many exchanges are kept (HAR entries beyond are counted). */
#define DIAG_TX_MAX_ITEMS 20000
/* A credential value longer than this is not a token: it is hidden as
 * "[redacted: N bytes]" but neither registered with diag/core/secret.h nor
 * decoded (the cost of one secret stays bounded). */
#define DIAG_TX_SECRET_MAX 4096
/* Response bodies are capped at this many bytes. */
#define DIAG_TX_BODY_MAX (64 * 1024)

/*
 * Guesses the format of buf (len bytes): HAR when it is a JSON object
 * with "log", curl when lines start with "> ", "< ", "* " or
 * "== Info:"/"=> Send", raw when it starts with a request or status
 * line, text otherwise. Never fails.
 */
enum diag_tx_format diag_transcript_detect(const char *buf, size_t len);

/*
 * Reads buf (len bytes, any bytes) in format fmt (DIAG_TX_AUTO: detect).
 * HAR keeps only failing entries (diag_transcript_is_failure); the other
 * formats keep every exchange. Every credential seen is registered with
 * diag/core/secret.h before this returns. Returns 0 with *out filled, or -1
 * with err filled (*out is then empty). Never crashes, whatever buf holds.
 */
int diag_transcript_parse(const char *buf, size_t len, enum diag_tx_format fmt,
    struct diag_transcript *out, struct diag_tx_error *err);
void diag_transcript_release(struct diag_transcript *);

/* 1 for an exchange worth explaining: 400, 401, 403, 404, 407, 410, 429,
 * 5xx, a redirect (3xx but 304) of a REST call (an API path, or an
 * Authorization header sent), or a 2xx answered as anonymous
 * (X-Seraph-LoginReason AUTHENTICATED_FAILED or AUTHENTICATION_DENIED). */
int diag_transcript_is_failure(const struct diag_exchange *);

/*
 * Parser internals shared by diag/transcript_*.c. Each parser appends
 * items with diag__tx_item_new() and fills them with the helpers below;
 * on unreadable input it fills err and returns -1.
 */
int diag__tx_parse_har(const char *, size_t, struct diag_transcript *,
    struct diag_tx_error *);
int diag__tx_parse_curl(const char *, size_t, struct diag_transcript *,
    struct diag_tx_error *);
int diag__tx_parse_raw(const char *, size_t, struct diag_transcript *,
    struct diag_tx_error *);
int diag__tx_parse_text(const char *, size_t, struct diag_transcript *,
    struct diag_tx_error *);

/* Sets err (printf-style why, line). Returns -1. */
int diag__tx_fail(struct diag_tx_error *, unsigned line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* A new item (owned by the transcript) for method and url (url may carry
 * userinfo: it is removed, registered as a secret and turned into the
 * Basic header a client sends). NULL when the cap is reached. */
struct diag_tx_item *diag__tx_item_new(struct diag_transcript *,
    const char *method, const char *url, unsigned line);
/* Replaces the item's URL, with userinfo handled as above. */
void diag__tx_item_set_url(struct diag_tx_item *, const char *url);
/* Drops the last item (e.g. a HAR entry that is not a failure). */
void diag__tx_item_drop(struct diag_transcript *);
/* Adds a request header; credentials are kept apart and redacted. */
void diag__tx_req_header(struct diag_tx_item *, const char *name,
    const char *value, size_t vlen);
/* Adds a response header (Set-Cookie redacted). */
void diag__tx_resp_header(struct diag_tx_item *, const char *name,
    const char *value, size_t vlen);
/* Sets the status line parts ("HTTP/2", 401). */
void diag__tx_status(struct diag_tx_item *, const char *version, long status);
/* The decimal number at p (digits only, never reading at or past end), or
 * -1 when there is none or it exceeds max. Buffers need not end in NUL. */
long diag__tx_number(const char *p, const char *end, long max);
/* Sets the response body: de-chunks it when the headers say chunked,
 * describes a compressed or binary body instead of keeping it, and caps
 * it at DIAG_TX_BODY_MAX. */
void diag__tx_body(struct diag_tx_item *, const char *body, size_t len);
/* Registers a secret seen in the transcript (value and encodings). */
void diag__tx_secret(const char *s, size_t len);
/*
 * Redaction (diag/transcript/transcript_redact.c holds the one list of credential
 * header and parameter names and the shapes a credential has). Scans s
 * (len bytes) for credentials by name and by shape, registers each value
 * with diag/core/secret.h (unless longer than DIAG_TX_SECRET_MAX) and, when
 * out is not NULL, appends s to out with each value replaced by
 * "[redacted]" ("[redacted: N bytes]" when too long). Returns how many
 * values were found.
 */
size_t diag__tx_redact(const char *s, size_t len, struct diag_buf *out);
/* A NUL-terminated redacted copy of s (free(3)). */
char *diag__tx_redacted(const char *s, size_t len);
/* 1 when a header of this name carries a credential as its value. */
int diag__tx_sensitive_header(const char *name);
/* Registers a Cookie / Set-Cookie value and each cookie's value. */
void diag__tx_cookie_secrets(const char *v, size_t n);
/* Appends "[redacted]", or "[redacted: N bytes]" when len is too long
 * for a credential. */
void diag__tx_redacted_value(struct diag_buf *, size_t len);
/* Splits "Name: value" (len bytes, no line end) into its parts; returns
 * 0, or -1 when it is not a header line. */
int diag__tx_split_header(const char *s, size_t len, char **name, char **value,
    size_t *vlen);

#endif
