/* checks/transcript/transcript_response.c: classify the response of one request read from a transcript. */
#include <stdlib.h>
#include <string.h>

#include "diag/engine/check.h"
#include "diag/core/util.h"

static enum diag_step	transcript_response_run(struct diag_run *);

const struct diag_check diag_check_transcript_response = {
	.id = "transcript.response",
	.summary = "response of a captured request matched against the signatures",
	.flags = DIAG_CHECK_OFFLINE,
	.run = transcript_response_run,
};

#define MAX_MATCHES	16

/* 1 when the token or email sent is a service account's. */
static int
service_account(struct diag_run *r)
{
	const char *k = diag_run_fact_str(r, "token.kind");

	return (k != NULL && strcmp(k, "service_account_token") == 0) ||
	    diag_run_fact_true(r, "email.service_account");
}

static enum diag_confidence
weaker(enum diag_confidence c)
{
	return c == DIAG_CONFIRMED ? DIAG_LIKELY : DIAG_POSSIBLE;
}

/* What the transcript does not show, and how to get it. */
static void
missing_evidence(const struct diag_captured *cap, struct diag_finding *f,
    const struct diag_exchange *ex, int weak, const char *code)
{
	if (weak) {
		diag_finding_note(f, "Read from a pasted message, not from the "
		    "HTTP exchange itself: the evidence is indirect.");
		diag_finding_step(f, "Rerun the failing call with `curl -v` "
		    "(or export a HAR) and run `atldiag explain` on the whole "
		    "output, or run `atldiag request %s %s` with the same "
		    "email and token.", ex->method, ex->url[0] != '\0' ?
		    ex->url : "URL");
	} else if (!cap->headers_seen)
		diag_finding_step(f, "The transcript does not show the request "
		    "headers (which credential was sent, and how): rerun with "
		    "`curl -v` and explain that output.");
	if (strcmp(code, "auth.credentials_rejected") == 0 ||
	    strcmp(code, "auth.anonymous_fallback") == 0)
		diag_finding_step(f, "Run `atldiag check` with the same email "
		    "and token: it tells an expired, revoked or mistyped token "
		    "from a wrong email or a token that needs the gateway.");
}

static enum diag_step
transcript_response_run(struct diag_run *r)
{
	const struct diag_captured *cap = diag_run_captured(r);
	const struct diag_exchange *ex;
	struct diag_match m[MAX_MATCHES];
	struct diag_finding *f;
	size_t n, i, j;
	int weak, hs_missing, sa, raised = 0;
	enum diag_status st;
	enum diag_confidence conf;
	unsigned entry;

	if (cap == NULL || cap->ex == NULL) {
		diag_run_status(r, DIAG_SKIPPED, "no transcript");
		return DIAG_STEP_DONE;
	}
	ex = cap->ex;
	entry = cap->entry;
	weak = cap->weak;
	hs_missing = !cap->headers_seen;
	if (ex->status == 0) {
		diag_run_status(r, DIAG_SKIPPED, "entry #%u: the transcript "
		    "holds no response", entry);
		return DIAG_STEP_DONE;
	}
	n = diag_run_classify(r, ex, m, MAX_MATCHES);
	for (i = 0; i < n; i++) {
		for (j = 0; j < i; j++)
			if (strcmp(m[j].code, m[i].code) == 0)
				break;
		if (j < i)
			continue;
		raised++;
		if (hs_missing && strcmp(m[i].code,
		    "auth.credentials_not_sent") == 0)
			continue;	/* the headers are not in the transcript */
		if (diag_run_has_finding(r, m[i].code))
			continue;	/* an input check proved it already */
		st = strncmp(m[i].code, "service.", 8) == 0 ?
		    DIAG_INCONCLUSIVE : DIAG_FAIL;
		conf = m[i].confidence;
		sa = strcmp(m[i].code, "routing.scoped_token_on_site") == 0 &&
		    service_account(r);
		if (sa)
			conf = DIAG_CONFIRMED;	/* its tokens are all scoped */
		if (weak)
			conf = weaker(conf);
		f = diag_run_finding(r, m[i].code, st, conf, "Entry #%u "
		    "(%s %s) was answered %ld: %s.", entry, ex->method,
		    ex->url[0] != '\0' ? ex->url : "<URL not shown>",
		    ex->status, m[i].why);
		diag_finding_note(f, "response signature '%s'", m[i].signature);
		if (sa)
			diag_finding_note(f, "the credential belongs to a "
			    "service account, which can only create scoped "
			    "tokens: they work only through "
			    "api.atlassian.com/ex/{product}/{cloudId}");
		diag_finding_evidence(f, ex);
		missing_evidence(cap, f, ex, weak, m[i].code);
	}
	if (raised == 0 && ex->status < 400 && diag_exchange_header(ex,
	    "X-Seraph-LoginReason") == NULL) {
		diag_run_status(r, DIAG_PASS, "entry #%u: %s answered %ld",
		    entry, ex->method, ex->status);
		return DIAG_STEP_DONE;
	}
	if (raised == 0) {
		f = diag_run_finding(r, "service.unexpected_response", DIAG_FAIL,
		    DIAG_POSSIBLE, "Entry #%u (%s %s) was answered %ld, which "
		    "no known response signature explains.", entry, ex->method,
		    ex->url[0] != '\0' ? ex->url : "<URL not shown>",
		    ex->status);
		diag_finding_evidence(f, ex);
		missing_evidence(cap, f, ex, weak, "");
	}
	diag_run_message(r, "entry #%u: %s %ld, %zu signature%s matched",
	    entry, ex->method, ex->status, n, n == 1 ? "" : "s");
	return DIAG_STEP_DONE;
}
