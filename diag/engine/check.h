/* diag/engine/check.h: everything a check may use; a check includes only this. */
#ifndef DIAG_CHECK_H
#define DIAG_CHECK_H

#include <stdarg.h>
#include <stddef.h>

#include <json-c/json.h>

#include "diag/core/inputs.h"
#include "diag/core/model.h"

/*
 * A check is a sensor: it reads inputs and facts, makes at most a few HTTP
 * exchanges, and records facts and findings. It never prints.
 *
 * run() is called by the engine with step 0. An offline check does its
 * work and returns DIAG_STEP_DONE. A live check queues requests with
 * diag_run_http() and returns DIAG_STEP_WAIT; when every request it queued
 * has finished, the engine calls run() again with the step number one
 * higher, and the check reads the answers with diag_run_exchange(). Many
 * checks wait at once on one curl multi handle: this is how independent
 * checks run concurrently without threads.
 */
enum diag_step {
	DIAG_STEP_DONE = 0,
	DIAG_STEP_WAIT,
};

#define DIAG_CHECK_OFFLINE 0x1 /* no network; runs in lint and explain */
#define DIAG_CHECK_LIVE 0x2 /* talks to Atlassian */

struct diag_run;

struct diag_check {
	const char *id; /* stable, "layer.name"; rules/ refers to it */
	const char *summary; /* one line for `atldiag rules` */
	unsigned flags;
	enum diag_step (*run)(struct diag_run *);
};

/* The step number: 0 on the first call, then 1, 2, ... */
unsigned diag_run_step(struct diag_run *);
/* The command being run: "lint", "check", "request", "explain", ... */
const char *diag_run_command(struct diag_run *);
/* Id of the check being run. */
const char *diag_run_check_id(struct diag_run *);

/* Inputs (borrowed; value NULL when absent). */
const struct diag_input *diag_run_input(struct diag_run *, enum diag_input_id);
/* The whole input set, for remarks made while gathering. */
const struct diag_inputs *diag_run_inputs(struct diag_run *);
/* Replaces an input for the checks that follow (e.g. input.auth_header
 * feeds the email and token it decoded). Copies value and source. */
void diag_run_set_input(struct diag_run *, enum diag_input_id,
    const char *value, size_t len, const char *source);

/* 1 when credentials may go to host (DESIGN §8): api.atlassian.com,
 * *.atlassian.net, *.jira.com, or a host named with --allow-host. Offline
 * checks get the same answer as the transport. */
int diag_run_host_allowed(struct diag_run *, const char *host);

/* Options the user gave, by long name without "--" ("project",
 * "need-scope", "probe-writes", ...); NULL when not given. Borrowed. */
const char *diag_run_option(struct diag_run *, const char *name);

/*
 * Facts shared by the checks of one run, keyed "check.fact"
 * ("token.kind", "site.cloud_id", "auth.gateway.account_id"). set
 * consumes val (a json-c reference); get returns a borrowed pointer or
 * NULL. Facts under "inputs." are copied into the report's inputs object
 * (e.g. "inputs.token.kind" -> inputs.token.kind).
 */
void diag_run_fact_set(struct diag_run *, const char *key,
    struct json_object *val);
struct json_object *diag_run_fact(struct diag_run *, const char *key);
const char *diag_run_fact_str(struct diag_run *, const char *key);
/* 1 if the fact is a boolean true, 0 otherwise. */
int diag_run_fact_true(struct diag_run *, const char *key);

/*
 * Findings. code must exist in the diagnosis catalogue (the engine aborts
 * the run with an internal error otherwise: a test catches it). detail is
 * a sentence about this case; it must never contain a secret. Returns the
 * finding (owned by the run) so notes, steps and evidence can be added.
 * status is DIAG_FAIL, DIAG_WARN or DIAG_INCONCLUSIVE.
 */
struct diag_finding *diag_run_finding(struct diag_run *, const char *code,
    enum diag_status, enum diag_confidence, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
void diag_finding_note(struct diag_finding *, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void diag_finding_step(struct diag_finding *, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Adds a copy of the exchange as evidence. */
void diag_finding_evidence(struct diag_finding *, const struct diag_exchange *);
/* 1 when a finding with this code was already raised in this run. */
int diag_run_has_finding(struct diag_run *, const char *code);

/*
 * The check's own status and one-line message. Without a call the status
 * is the worst status among its findings, or pass. Use DIAG_SKIPPED when
 * the check does not apply ("no cloud ID given"), DIAG_INCONCLUSIVE when
 * the network kept it from deciding.
 */
void diag_run_status(struct diag_run *, enum diag_status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void diag_run_message(struct diag_run *, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * HTTP, live checks only. How to authenticate a request: */
enum diag_auth {
	DIAG_AUTH_NONE = 0,
	DIAG_AUTH_BASIC, /* Basic base64(email:token), cleaned inputs */
	DIAG_AUTH_BEARER, /* Bearer token (service-account tokens) */
	DIAG_AUTH_ORG_KEY, /* Bearer org admin API key */
	DIAG_AUTH_AS_GIVEN, /* the user's --auth-header, byte for byte */
};

/*
 * Queues a request; it is sent when the check returns DIAG_STEP_WAIT.
 * label names it within the check ("myself"); body may be NULL. The URL
 * must be https and its host allowed (DESIGN §8) when auth is not NONE;
 * otherwise the request is not sent and its exchange carries the error.
 * Redirects are never followed with credentials to another host.
 */
void diag_run_http(struct diag_run *, const char *label, const char *method,
    const char *url, enum diag_auth, const char *body);
/*
 * Only method GET, HEAD or OPTIONS without a body leaves the program
 * (diag/net/http.c refuses anything else as an internal error), except the
 * opt-in write-scope probe queued with this: POST "{}" to url, whose
 * path must be the catalogue's create-issue operation (see
 * diag_http_gate()). Only scope.probe calls it, with --probe-writes.
 */
void diag_run_http_write_probe(struct diag_run *, const char *label,
    const char *url, enum diag_auth);
/*
 * The second exception to the method gate: the OAuth 2.0
 * client-credentials grant, POST body (a JSON object holding the client
 * secret; copied, the caller has registered the secret with the
 * scrubber) to DIAG_HTTP_TOKEN_URL, without an Authorization header.
 * Only the check that fetches a token for --client-id calls it.
 */
void diag_run_http_token_request(struct diag_run *, const char *label,
    const char *body);
/* The finished exchange queued under label (this check, any step), or
 * NULL. Borrowed; lives as long as the run. */
const struct diag_exchange *diag_run_exchange(struct diag_run *,
    const char *label);

/*
 * Exchanges shared by the checks of one run, typed (no JSON round trip,
 * no cut body): keep stores a copy of ex under key ("auth.gateway.exchange")
 * for the checks that follow, replacing any earlier one; kept returns it,
 * borrowed (it lives as long as the run), or NULL.
 */
void diag_run_keep_exchange(struct diag_run *, const char *key,
    const struct diag_exchange *);
const struct diag_exchange *diag_run_kept_exchange(struct diag_run *,
    const char *key);

/* The captured request `explain` judges: one entry of a transcript. */
struct diag_captured {
	const struct diag_exchange *ex; /* from_transcript set; borrowed */
	unsigned entry; /* its number in the transcript, from 1 */
	int headers_seen; /* the capture shows the request headers */
	int weak; /* read from a pasted message, not a capture */
	const char *format; /* "har", "curl", "raw", "text" */
	/* The entry right after it in the capture, when there is one (the
	 * follow-up of a redirect): its URL (NULL: none), whether it carried
	 * an Authorization header ("sent", "none", "unknown") and its status. */
	const char *next_url;
	const char *next_auth;
	long next_status;
};
/* The captured request of this run (borrowed), or NULL outside explain. */
const struct diag_captured *diag_run_captured(struct diag_run *);

/* Signatures of rules/responses.json that match an exchange. */
struct diag_match {
	const char *signature; /* id of the signature */
	const char *code; /* diagnosis code it indicates */
	enum diag_confidence confidence;
	const char *why; /* what matched, in words */
};
/* Fills up to max matches, best first; returns how many matched. */
size_t diag_run_classify(struct diag_run *, const struct diag_exchange *,
    struct diag_match *, size_t max);
/* 1 when the catalogue says code finer refines code coarser (directly or
 * through other codes: rules/diagnoses.json 'refines'). */
int diag_run_refines(struct diag_run *, const char *finer, const char *coarser);

#endif
