/* diag/net/http.h: requests of many checks at once on one curl multi handle. */
#ifndef DIAG_HTTP_H
#define DIAG_HTTP_H

#include "diag/engine/engine.h"
#include "diag/core/model.h"

struct diag_http;

/*
 * One request. The caller fills method, url, body (may be NULL) and
 * authorization (the full header value, e.g. "Basic ...", or NULL: it is a
 * secret and is never stored in the exchange), auth_kind ("basic",
 * "bearer", "none", "as-given") and auth_desc (safe description), and
 * owner (handed back on completion). The transport fills ex; the request
 * owns ex until diag_http_take() hands it over.
 */
struct diag_http_req {
	char *label;
	char *method;
	char *url;
	char *body;
	char *authorization; /* secret; freed with the request */
	const char *auth_kind;
	char *auth_desc;
	void *owner;
	int write_probe; /* set only by the write-scope probe */
	int token_request; /* set only by the OAuth token request */
	struct diag_exchange *ex;
};

/*
 * The method gate: NULL when req may leave the program, else why not.
 * Allowed: GET, HEAD and OPTIONS without a body; and, when write_probe is
 * set, POST with the body "{}" to the Jira create-issue operation
 * (DIAG_HTTP_WRITE_PROBE_PATH on the site, or under /ex/jira/{cloudId}/
 * on the gateway) without query or fragment: the gateway checks the
 * scope before Jira rejects the empty body, so nothing is created.
 * And, when token_request is set (and write_probe is not), POST of a JSON
 * object body, without an Authorization header, to exactly
 * DIAG_HTTP_TOKEN_URL: the OAuth 2.0 client-credentials grant, which
 * creates nothing but a short-lived access token. Its body holds the
 * client secret: the transport sends it only to that URL (https, host
 * auth.atlassian.com), which no other request may carry credentials to.
 */
#define DIAG_HTTP_WRITE_PROBE_PATH "/rest/api/3/issue"
#define DIAG_HTTP_TOKEN_URL "https://auth.atlassian.com/oauth/token"
const char *diag_http_gate(const struct diag_http_req *req);

/* A transport for one run; never NULL (curl handles abort on OOM). */
struct diag_http *diag_http_new(const struct diag_net_opts *);
void diag_http_free(struct diag_http *);
/*
 * Queues req (the transport takes ownership of it and everything in it).
 * Credentials are refused (the exchange gets an error, nothing is sent)
 * when the URL is not https or its host is not allowed (DESIGN §8).
 */
void diag_http_submit(struct diag_http *, struct diag_http_req *req);
/*
 * Drives transfers until at least one request finished; returns it (you
 * own it: diag_http_req_free()), or NULL when nothing is queued or the
 * deadline has passed (what is still in flight then stays unfinished).
 */
struct diag_http_req *diag_http_next_done(struct diag_http *);
void diag_http_req_free(struct diag_http_req *);
/* Ends the run at deadline_ms (diag_now_ms() clock; 0: no deadline). */
void diag_http_set_deadline(struct diag_http *, long long deadline_ms);
/* 1 once the deadline has passed. */
int diag_http_expired(const struct diag_http *);
/* The first request the method gate refused ("internal error: ..."), or
 * NULL: a program bug, the run's exit code is then 4. */
const char *diag_http_gate_error(const struct diag_http *);
/* Requests actually sent over the network so far. */
unsigned diag_http_sent(const struct diag_http *);

/* Kind of a transport failure, from a CURLcode: "dns", "connect", "tls",
 * "proxy", "timeout", "transfer" (the answer broke off or could not be
 * decoded), or "other". */
const char *diag_http_error_class(int curl_code);

#endif
