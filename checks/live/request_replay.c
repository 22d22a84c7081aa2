/* checks/live/request_replay.c: request.replay: replays the user's read and explains its answer; writes are never sent. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "checks/live/live_util.h"
#include "checks/live/request_write.h"
#include "checks/live/requirement.h"
#include "diag/rules/scopes.h"
#include "diag/core/util.h"

static int
is_read(const char *m)
{
	return strcmp(m, "GET") == 0 || strcmp(m, "HEAD") == 0 ||
	    strcmp(m, "OPTIONS") == 0;
}

/* 1 when url's scheme is http (any case, after leading blanks). */
static int
plain_http(const char *url)
{
	url += strspn(url, " \t");
	return strncasecmp(url, "http://", 7) == 0;
}

static enum diag_step
replay_run(struct diag_run *r)
{
	const struct diag_input *u = diag_run_input(r, DIAG_IN_URL);
	const struct diag_input *m = diag_run_input(r, DIAG_IN_METHOD);
	const struct diag_input *h = diag_run_input(r, DIAG_IN_AUTH_HEADER);
	const char *method = m->value != NULL ? m->value : "GET";
	const char *alts = diag_run_option(r, "request-scopes");
	const struct diag_exchange *ex;
	struct diag_finding *f;

	if (u->value == NULL) {
		diag_run_status(r, DIAG_SKIPPED, "no request given");
		return DIAG_STEP_DONE;
	}
	if (!is_read(method))
		return diag__request_write(r);
	if (plain_http(u->value)) {
		/* input.request raised site.not_https: the credentials are
		 * not sent over http, and the host is not the question. */
		if (!diag_run_has_finding(r, "site.not_https"))
			diag_run_finding(r, "site.not_https", DIAG_FAIL,
			    DIAG_CONFIRMED, "The request URL uses http://.");
		diag_run_status(r, DIAG_FAIL,
		    "not sent: credentials never go over plain http "
		    "(site.not_https)");
		return DIAG_STEP_DONE;
	}
	if (diag_run_step(r) == 0) {
		diag_run_http(r, "replay", method, u->value,
		    h->value != NULL ? DIAG_AUTH_AS_GIVEN : diag__live_auth(r),
		    NULL);
		return DIAG_STEP_WAIT;
	}
	ex = diag_run_exchange(r, "replay");
	if (ex == NULL || diag__live_undecided(r, ex)) {
		diag__req_request(r, DIAG_REQ_UNPROVEN, DIAG_CONFIRMED,
		    "Run again when Atlassian answers.",
		    "no usable answer (network, 429 or 5xx)");
		return DIAG_STEP_DONE;
	}
	if (ex->status == 0) {
		f = diag_run_finding(r, "request.untrusted_host", DIAG_FAIL,
		    DIAG_CONFIRMED, "The request was not sent: %s.",
		    ex->error != NULL ? ex->error : "refused");
		diag_finding_evidence(f, ex);
		diag__req_request(r, DIAG_REQ_UNPROVEN, DIAG_CONFIRMED, NULL,
		    "not sent: %s", ex->error != NULL ? ex->error : "refused");
		return DIAG_STEP_DONE;
	}
	if (ex->status >= 200 && ex->status < 300 &&
	    !diag__live_seraph_failed(ex)) {
		diag_run_message(r, "%s answered %ld", ex->url, ex->status);
		diag__req_request(r, DIAG_REQ_PROVEN, DIAG_CONFIRMED, NULL,
		    "replayed: answered %ld", ex->status);
		return DIAG_STEP_DONE;
	}
	diag__req_request(r, DIAG_REQ_DISPROVEN, DIAG_CONFIRMED, NULL,
	    "replayed: answered %ld%s", ex->status,
	    diag__live_seraph_failed(ex) ?
		" as anonymous (the credentials were refused)" :
		"");
	/* A refusal: the remediation block comes from a finding with the
	 * exchange as evidence; findings already raised by the identity
	 * checks keep their rank, this one adds the user's own exchange. */
	f = diag_scopes_report_removed(r, ex);
	if (f == NULL)
		f = diag__live_classified(r, ex, DIAG_FAIL);
	if (f == NULL) {
		f = diag_run_finding(r, "service.unexpected_response",
		    DIAG_FAIL, DIAG_POSSIBLE,
		    "%s %s answered %ld, which no known signature explains.",
		    method, ex->url, ex->status);
		diag_finding_evidence(f, ex);
	}
	if (alts != NULL && *alts != '\0')
		diag_finding_note(f,
		    "scopes this operation accepts (one alternative suffices): "
		    "%s",
		    alts);
	diag_run_status(r, DIAG_FAIL, "%s answered %ld", ex->url, ex->status);
	return DIAG_STEP_DONE;
}

const struct diag_check diag_check_request_replay = {
	.id = "request.replay",
	.summary =
	    "replays the user's read; explains a write without sending it",
	.flags = DIAG_CHECK_LIVE,
	.run = replay_run,
};
