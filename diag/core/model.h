/* diag/core/model.h: the data a diagnosis is made of: states, exchanges, findings. */
#ifndef DIAG_MODEL_H
#define DIAG_MODEL_H

#include <stddef.h>
#include <time.h>

/* Exit codes (contract, DESIGN §3): every exit status the program gives
 * is one of these. */
enum diag_exit {
	DIAG_EXIT_OK = 0, /* no check failed; can-i: yes */
	DIAG_EXIT_FAIL = 1, /* a check failed; can-i: no */
	DIAG_EXIT_USAGE = 2, /* bad flag, unreadable input */
	DIAG_EXIT_INCONCLUSIVE = 3, /* a requirement could not be decided */
	DIAG_EXIT_INTERNAL = 4, /* a bug */
};

/* States of a check and of a finding (contract, DESIGN §7). */
enum diag_status {
	DIAG_PASS = 0,
	DIAG_SKIPPED,
	DIAG_WARN,
	DIAG_INCONCLUSIVE,
	DIAG_BLOCKED,
	DIAG_FAIL,
};
const char *diag_status_name(enum diag_status); /* "pass", ... */
int diag_status_parse(const char *, enum diag_status *);
/* How strongly a finding's status counts: fail 0, inconclusive 1, warn 2,
 * anything else 3 (lower ranks first). */
int diag_status_rank(enum diag_status);

enum diag_confidence {
	DIAG_CONFIRMED = 0,
	DIAG_LIKELY,
	DIAG_POSSIBLE,
};
const char *diag_confidence_name(enum diag_confidence);
int diag_confidence_parse(const char *, enum diag_confidence *);

/* One header line; both strings owned by the struct that holds the array. */
struct diag_header {
	char *name;
	char *value;
};

/*
 * When an exchange was sent and how long its phases took, as libcurl
 * measured them (the HAR 1.2 "timings"), in milliseconds. known is 0 for
 * an exchange read from a transcript or answered from a replay: only
 * duration_ms (if anything) is known then.
 */
struct diag_timings {
	int known;
	long long started_epoch_ms; /* wall clock when sent; 0: unknown */
	double dns, connect, ssl; /* -1: not used (a reused connection) */
	double send, wait, receive;
};

/*
 * One HTTP exchange, live or read from a transcript. Everything here is
 * safe to print: request headers that carry credentials are stored as a
 * description ("Basic <email:token, redacted>"), never as their value.
 * All strings are owned by the exchange; free with diag_exchange_free().
 */
struct diag_exchange {
	char *label; /* what it was for: "auth.gateway/myself" */
	char *method;
	char *url; /* no userinfo, no credentials */
	char *auth; /* "basic", "bearer", "none", "other" */
	char *auth_desc; /* human description, redacted */
	struct diag_header *req_headers; /* Authorization value redacted */
	size_t n_req_headers;
	long status; /* 0: no answer (see error) */
	char *http_version; /* "HTTP/1.1", "HTTP/2" */
	struct diag_header *headers; /* response headers, in order */
	size_t n_headers;
	char *body; /* capped, NUL-terminated */
	size_t body_len;
	int body_truncated;
	char *trace_id; /* ATL-TraceId or x-trace-id */
	int curl_code; /* 0 or a CURLcode */
	char *error; /* transport error in words */
	long duration_ms;
	int from_transcript;
	/*
	 * the request body sent (the write probe's "{}"), or NULL; never a
	 * secret
	 */
	char *req_body;
	struct diag_timings timings;
};

struct diag_exchange *diag_exchange_new(const char *label, const char *method,
    const char *url);
void diag_exchange_free(struct diag_exchange *);
struct diag_exchange *diag_exchange_dup(const struct diag_exchange *);
void diag_exchange_add_header(struct diag_exchange *, const char *name,
    const char *value);
void diag_exchange_add_req_header(struct diag_exchange *, const char *name,
    const char *value);
/* First response header with this name (case-insensitive), or NULL. */
const char *diag_exchange_header(const struct diag_exchange *,
    const char *name);

/* One entry of the diagnosis catalogue (rules/diagnoses.json). */
struct diag_diagnosis {
	char *code; /* "routing.scoped_token_on_site" */
	char *title;
	char *layer; /* "routing", "auth", ... */
	/* caller, org_admin, site_admin, project_admin, atlassian */
	char *owner;
	char *explanation;
	char **remediation; /* ordered steps */
	size_t n_remediation;
	char **docs;
	size_t n_docs;
	int priority; /* lower ranks first among equals */
	int residual; /* catch-all: true whenever a finer cause is */
	char **refines; /* codes it is finer than, as written */
	size_t n_refines;
};

/*
 * A finding: one diagnosis code raised by one check (or the classifier),
 * with what is specific to this case. The catalogue entry is borrowed from
 * the loaded rules. Free with diag_finding_free().
 */
struct diag_finding {
	char *code;
	const struct diag_diagnosis *dx; /* borrowed */
	char *check_id; /* who raised it */
	enum diag_status status; /* fail, warn, inconclusive */
	enum diag_confidence confidence;
	char *detail; /* one or two sentences: this case */
	char **notes; /* facts that support it */
	size_t n_notes;
	char **steps; /* case-specific fix steps, before the catalogue's */
	size_t n_steps;
	struct diag_exchange **evidence; /* owned copies */
	size_t n_evidence;
	unsigned seq; /* order of creation */
	time_t retry_at; /* 429: when to retry; 0 unknown */
	/* owned: coarser findings folded into it */
	struct diag_finding **explains;
	size_t n_explains;
};

/* Frees f, its strings, its evidence and the findings it explains. */
void diag_finding_free(struct diag_finding *);
/* 1 when f is a proven cause: its catalogue entry is not residual and its
 * confidence is confirmed or likely. */
int diag_finding_proven(const struct diag_finding *);
/* The ranking of findings (DESIGN §4), as a qsort(3)-style comparison:
 * status (fail, inconclusive, warn), then a proven cause before a
 * residual or an unproven one, then confidence, then the catalogue
 * priority (lower first; 50 without an entry), then creation order. */
int diag_finding_rank_cmp(const struct diag_finding *,
    const struct diag_finding *);

/* The result of one check in a run. */
struct diag_check_result {
	char *id;
	enum diag_status status;
	char *message; /* one line: what it saw */
	char *blocked_by; /* check id, when status is blocked */
	long duration_ms;
	char **codes; /* codes of the findings it raised */
	size_t n_codes;
};

#endif
