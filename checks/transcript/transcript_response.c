/* checks/transcript/transcript_response.c: classify the response of one request read from a transcript. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "checks/transcript/redirect.h"
#include "diag/engine/check.h"
#include "diag/rules/scopes.h"
#include "diag/core/util.h"

static enum diag_step transcript_response_run(struct diag_run *);

const struct diag_check diag_check_transcript_response = {
	.id = "transcript.response",
	.summary =
	    "response of a captured request matched against the signatures",
	.flags = DIAG_CHECK_OFFLINE,
	.run = transcript_response_run,
};

#define MAX_MATCHES 16

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
		diag_finding_note(f,
		    "Read from a pasted message, not from the HTTP exchange "
		    "itself: the evidence is indirect.");
		diag_finding_step(f,
		    "Rerun the failing call with `curl -v` (or export a HAR) "
		    "and run `atldiag explain` on the whole output, or run "
		    "`atldiag request %s %s` with the same email and token.",
		    ex->method, ex->url[0] != '\0' ? ex->url : "URL");
	} else if (!cap->headers_seen)
		diag_finding_step(f,
		    "The transcript does not show the request headers (which "
		    "credential was sent, and how): rerun with `curl -v` and "
		    "explain that output.");
	if (strcmp(code, "auth.credentials_rejected") == 0 ||
	    strcmp(code, "auth.anonymous_fallback") == 0)
		diag_finding_step(f,
		    "Run `atldiag check` with the same email and token: it "
		    "tells an expired, revoked or mistyped token from a wrong "
		    "email or a token that needs the gateway.");
}

static int
has_req_header(const struct diag_exchange *ex, const char *name)
{
	size_t i;

	for (i = 0; i < ex->n_req_headers; i++)
		if (strcasecmp(ex->req_headers[i].name, name) == 0)
			return 1;
	return 0;
}

/* 1 for a code that says something about credentials that were sent. */
static int
judges_credentials(const char *code)
{
	static const char *const codes[] = { "auth.credentials_rejected",
		"auth.api_tokens_blocked", "auth.password_not_token" };
	size_t i;

	for (i = 0; i < DIAG_NELEM(codes); i++)
		if (strcmp(code, codes[i]) == 0)
			return 1;
	return 0;
}

/* 1 when the request of ex carried an Authorization header. */
static int
sent_credentials(const struct diag_exchange *ex)
{
	return has_req_header(ex, "Authorization");
}

/* 1 when the next entry's URL is where loc points (a relative Location
 * matches by its path). */
static int
followed(const char *next, const char *loc)
{
	const char *p;
	size_t n;

	if (next == NULL || loc == NULL || *loc == '\0')
		return 0;
	if (strstr(loc, "://") == NULL) {
		p = strstr(next, "://");
		p = p != NULL ? strchr(p + 3, '/') : NULL;
		return p != NULL && strncmp(p, loc, strcspn(loc, "?#")) == 0;
	}
	n = strcspn(loc, "?#");
	return strncasecmp(next, loc, n) == 0;
}

/* What the client did with the credentials after the redirect, from the
 * entry that follows it in the transcript. */
/* How the sentence on a credential sent again after redirect k ends. */
static const char *
resent_end(enum diag__redirect k)
{
	if (k == DIAG__REDIR_OTHER_HOST)
		return ", to another host: the credential left for a host it "
		       "was not meant for; rotate it if that host is not "
		       "yours.";
	if (k == DIAG__REDIR_TO_HTTP)
		return " over plain http: rotate the credential.";
	return ".";
}

static void
client_did(struct diag_run *r, struct diag_buf *b,
    const struct diag_exchange *ex, const char *loc, enum diag__redirect k)
{
	const struct diag_captured *cap = diag_run_captured(r);
	const char *next = cap != NULL ? cap->next_url : NULL;
	const char *auth = cap != NULL ? cap->next_auth : NULL;
	const char *fmt = cap != NULL ? cap->format : NULL;
	long st = cap != NULL ? cap->next_status : 0;

	if (k == DIAG__REDIR_NO_LOCATION || !followed(next, loc)) {
		if (fmt != NULL && strcmp(fmt, "curl") == 0)
			diag_buf_adds(b,
			    " The client did not follow it (curl follows "
			    "redirects only with -L), so the call ended here "
			    "without an answer from the API.");
		else if (fmt != NULL && strcmp(fmt, "har") == 0)
			diag_buf_adds(b,
			    " A browser follows a redirect itself: the "
			    "capture's next entry, if it requests that "
			    "Location, is the follow-up (atldiag explains only "
			    "failing HAR entries), and an Authorization header "
			    "a script set is not sent on to another host.");
		else
			diag_buf_adds(b,
			    " The transcript shows no request to that "
			    "Location: the client stopped here, or the "
			    "followed request is not in the capture.");
		return;
	}
	diag_buf_addf(b, " The client followed it (entry #%u", cap->entry + 1);
	if (st != 0)
		diag_buf_addf(b, ", answered %ld", st);
	if (auth != NULL && strcmp(auth, "none") == 0)
		diag_buf_addf(b,
		    ") without the Authorization header%s, so that call went "
		    "out anonymous and its answer says nothing about the "
		    "credentials.",
		    sent_credentials(ex) ? " it had sent here" : "");
	else if (auth != NULL && strcmp(auth, "sent") == 0)
		diag_buf_addf(b, ") and sent the Authorization header again%s",
		    resent_end(k));
	else
		diag_buf_adds(b,
		    "); the transcript does not show whether it sent the "
		    "credentials again.");
	if (fmt != NULL && strcmp(fmt, "curl") == 0 &&
	    k == DIAG__REDIR_OTHER_HOST)
		diag_buf_adds(b,
		    " curl -L sends credentials on only to the host it was "
		    "given (since curl 7.58).");
}

/* Which credential a non-Cloud host got, and which one it needs. */
static void
not_cloud_credential(struct diag_run *r, struct diag_finding *f,
    const struct diag_exchange *ex)
{
	const char *k = diag_run_fact_str(r, "token.kind");

	if (k != NULL &&
	    (strcmp(k, "user_api_token") == 0 ||
		strcmp(k, "service_account_token") == 0 ||
		strcmp(k, "legacy_api_token") == 0))
		diag_finding_note(f,
		    "the request sent an Atlassian Cloud API token: a Data "
		    "Center server does not know it, whatever the email");
	else if (!sent_credentials(ex))
		diag_finding_note(f,
		    "the request sent no Authorization header");
}

/* A 3xx answer to a REST call: never a pass. Says what the redirect
 * means and what the client did with the credentials. */
static void
redirected(struct diag_run *r, const struct diag_exchange *ex, unsigned entry,
    int weak)
{
	const char *loc = diag_exchange_header(ex, "Location");
	struct diag_buf b = DIAG_BUF_INIT;
	struct diag_finding *f;
	enum diag__redirect k = diag__redirect_kind(ex->url, loc);
	char *shown =
	    loc != NULL ? diag_str_printable(loc, strlen(loc), 200) : NULL;

	diag_buf_addf(&b, "Entry #%u (%s %s) was answered %ld%s%s: %s.", entry,
	    ex->method, ex->url[0] != '\0' ? ex->url : "<URL not shown>",
	    ex->status, shown != NULL ? " to " : "", shown != NULL ? shown : "",
	    diag__redirect_meaning(k));
	if (k == DIAG__REDIR_TO_HTTPS && sent_credentials(ex))
		diag_buf_adds(&b,
		    " This first request already carried the credentials over "
		    "plain http.");
	client_did(r, &b, ex, loc, k);
	f = diag_run_finding(r, "site.redirect", DIAG_FAIL,
	    weak ? DIAG_POSSIBLE : DIAG_LIKELY, "%s", diag_buf_str(&b));
	diag_finding_evidence(f, ex);
	free(shown);
	diag_buf_release(&b);
}

/* Raises the finding of one matched response signature m, unless the
 * transcript cannot show it, an input check proved it already, or it
 * judges credentials that were never sent. */
static void
raise_signature(struct diag_run *r, const struct diag_captured *cap,
    const struct diag_match *m)
{
	const struct diag_exchange *ex = cap->ex;
	int weak = cap->weak, hs_missing = !cap->headers_seen, sa;
	enum diag_status st;
	enum diag_confidence conf;
	struct diag_finding *f;

	if (hs_missing && strcmp(m->code, "auth.credentials_not_sent") == 0)
		return; /* the headers are not in the transcript */
	if (diag_run_has_finding(r, m->code))
		return; /* an input check proved it already */
	if (!hs_missing && !sent_credentials(ex) &&
	    !has_req_header(ex, "Cookie") && judges_credentials(m->code))
		return; /* none were sent: none were refused */
	st = DIAG_FAIL;
	if (strncmp(m->code, "service.", 8) == 0)
		st = DIAG_INCONCLUSIVE;
	conf = m->confidence;
	sa = strcmp(m->code, "routing.scoped_token_on_site") == 0 &&
	    service_account(r);
	if (sa)
		conf = DIAG_CONFIRMED; /* its tokens are all scoped */
	if (weak)
		conf = weaker(conf);
	f = diag_run_finding(r, m->code, st, conf,
	    "Entry #%u (%s %s) was answered %ld: %s.", cap->entry, ex->method,
	    ex->url[0] != '\0' ? ex->url : "<URL not shown>", ex->status,
	    m->why);
	diag_finding_note(f, "response signature '%s'", m->signature);
	if (strcmp(m->code, "site.not_cloud") == 0)
		not_cloud_credential(r, f, ex);
	if (sa)
		diag_finding_note(f,
		    "the credential belongs to a service account, which can "
		    "only create scoped tokens: they work only through "
		    "api.atlassian.com/ex/{product}/{cloudId}");
	diag_finding_evidence(f, ex);
	missing_evidence(cap, f, ex, weak, m->code);
}

static enum diag_step
transcript_response_run(struct diag_run *r)
{
	const struct diag_captured *cap = diag_run_captured(r);
	const struct diag_exchange *ex;
	struct diag_match m[MAX_MATCHES];
	struct diag_finding *f;
	size_t n, i, j;
	int weak, raised = 0;
	unsigned entry;

	if (cap == NULL || cap->ex == NULL) {
		diag_run_status(r, DIAG_SKIPPED, "no transcript");
		return DIAG_STEP_DONE;
	}
	ex = cap->ex;
	entry = cap->entry;
	weak = cap->weak;
	if (ex->status == 0) {
		diag_run_status(r, DIAG_SKIPPED,
		    "entry #%u: the transcript holds no response", entry);
		return DIAG_STEP_DONE;
	}
	if ((f = diag_scopes_report_removed(r, ex)) != NULL) {
		diag_finding_note(f, "entry #%u of the transcript", entry);
		if (weak)
			f->confidence = weaker(f->confidence);
		missing_evidence(cap, f, ex, weak, "");
		raised++;
	}
	n = diag_run_classify(r, ex, m, MAX_MATCHES);
	for (i = 0; i < n; i++) {
		for (j = 0; j < i; j++)
			if (strcmp(m[j].code, m[i].code) == 0)
				break;
		if (j < i)
			continue;
		raised++;
		raise_signature(r, cap, &m[i]);
	}
	if (ex->status >= 300 && ex->status < 400 && ex->status != 304) {
		redirected(r, ex, entry, weak);
		raised++;
	}
	if (raised == 0 && ex->status < 400 &&
	    diag_exchange_header(ex, "X-Seraph-LoginReason") == NULL) {
		diag_run_status(r, DIAG_PASS, "entry #%u: %s answered %ld",
		    entry, ex->method, ex->status);
		return DIAG_STEP_DONE;
	}
	if (raised == 0) {
		f = diag_run_finding(r, "service.unexpected_response",
		    DIAG_FAIL, DIAG_POSSIBLE,
		    "Entry #%u (%s %s) was answered %ld, which no known "
		    "response signature explains.",
		    entry, ex->method,
		    ex->url[0] != '\0' ? ex->url : "<URL not shown>",
		    ex->status);
		diag_finding_evidence(f, ex);
		missing_evidence(cap, f, ex, weak, "");
	}
	diag_run_message(r, "entry #%u: %s %ld, %zu signature%s matched", entry,
	    ex->method, ex->status, n, n == 1 ? "" : "s");
	return DIAG_STEP_DONE;
}
