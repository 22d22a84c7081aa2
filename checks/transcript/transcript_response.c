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

static const char *
jstr(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

static void
add_headers(struct diag_exchange *ex, struct json_object *arr, int request)
{
	struct json_object *h;
	size_t i, n;

	if (arr == NULL || !json_object_is_type(arr, json_type_array))
		return;
	n = json_object_array_length(arr);
	for (i = 0; i < n; i++) {
		h = json_object_array_get_idx(arr, i);
		if (!json_object_is_type(h, json_type_array) ||
		    json_object_array_length(h) != 2)
			continue;
		if (request)
			diag_exchange_add_req_header(ex, json_object_get_string(
			    json_object_array_get_idx(h, 0)),
			    json_object_get_string(json_object_array_get_idx(h,
			    1)));
		else
			diag_exchange_add_header(ex, json_object_get_string(
			    json_object_array_get_idx(h, 0)),
			    json_object_get_string(json_object_array_get_idx(h,
			    1)));
	}
}

/*
 * The exchange the explain command handed over in the per-run option
 * "transcript-exchange" (a JSON document, see diag/cmd/cmd_explain.c); NULL
 * when there is none.
 */
static struct diag_exchange *
exchange_from_option(struct diag_run *r)
{
	const char *s = diag_run_option(r, "transcript-exchange");
	struct json_object *o, *v;
	struct diag_exchange *ex;
	const char *b;

	if (s == NULL)
		return NULL;
	o = json_tokener_parse(s);
	if (o == NULL || !json_object_is_type(o, json_type_object)) {
		json_object_put(o);
		return NULL;
	}
	ex = diag_exchange_new(jstr(o, "label"), jstr(o, "method"),
	    jstr(o, "url"));
	ex->from_transcript = 1;
	if (json_object_object_get_ex(o, "status", &v))
		ex->status = (long)json_object_get_int64(v);
	if (jstr(o, "http_version") != NULL)
		ex->http_version = diag_xstrdup(jstr(o, "http_version"));
	if (jstr(o, "auth") != NULL)
		ex->auth = diag_xstrdup(jstr(o, "auth"));
	if (jstr(o, "auth_desc") != NULL)
		ex->auth_desc = diag_xstrdup(jstr(o, "auth_desc"));
	if (json_object_object_get_ex(o, "req_headers", &v))
		add_headers(ex, v, 1);
	if (json_object_object_get_ex(o, "headers", &v))
		add_headers(ex, v, 0);
	b = jstr(o, "body");
	if (b != NULL) {
		ex->body_len = strlen(b);
		ex->body = diag_xstrdup(b);
	}
	if (json_object_object_get_ex(o, "body_truncated", &v))
		ex->body_truncated = json_object_get_boolean(v);
	json_object_put(o);
	return ex;
}

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
missing_evidence(struct diag_run *r, struct diag_finding *f,
    const struct diag_exchange *ex, int weak, const char *code)
{
	const char *hs = diag_run_option(r, "transcript-headers");

	if (weak) {
		diag_finding_note(f, "Read from a pasted message, not from the "
		    "HTTP exchange itself: the evidence is indirect.");
		diag_finding_step(f, "Rerun the failing call with `curl -v` "
		    "(or export a HAR) and run `atldiag explain` on the whole "
		    "output, or run `atldiag request %s %s` with the same "
		    "email and token.", ex->method, ex->url[0] != '\0' ?
		    ex->url : "URL");
	} else if (hs != NULL && strcmp(hs, "0") == 0)
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
	struct diag_exchange *ex;
	struct diag_match m[MAX_MATCHES];
	struct diag_finding *f;
	const char *entry = diag_run_option(r, "transcript-entry"), *hs;
	size_t n, i, j;
	int weak, hs_missing, sa, raised = 0;
	enum diag_status st;
	enum diag_confidence conf;

	ex = exchange_from_option(r);
	if (ex == NULL) {
		diag_run_status(r, DIAG_SKIPPED, "no transcript");
		return DIAG_STEP_DONE;
	}
	if (entry == NULL)
		entry = "?";
	weak = diag_run_option(r, "transcript-weak") != NULL;
	hs = diag_run_option(r, "transcript-headers");
	hs_missing = hs != NULL && strcmp(hs, "0") == 0;
	if (ex->status == 0) {
		diag_run_status(r, DIAG_SKIPPED, "entry #%s: the transcript "
		    "holds no response", entry);
		goto out;
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
		f = diag_run_finding(r, m[i].code, st, conf, "Entry #%s "
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
		missing_evidence(r, f, ex, weak, m[i].code);
	}
	if (raised == 0 && ex->status < 400 && diag_exchange_header(ex,
	    "X-Seraph-LoginReason") == NULL) {
		diag_run_status(r, DIAG_PASS, "entry #%s: %s answered %ld",
		    entry, ex->method, ex->status);
		goto out;
	}
	if (raised == 0) {
		f = diag_run_finding(r, "service.unexpected_response", DIAG_FAIL,
		    DIAG_POSSIBLE, "Entry #%s (%s %s) was answered %ld, which "
		    "no known response signature explains.", entry, ex->method,
		    ex->url[0] != '\0' ? ex->url : "<URL not shown>",
		    ex->status);
		diag_finding_evidence(f, ex);
		missing_evidence(r, f, ex, weak, "");
	}
	diag_run_message(r, "entry #%s: %s %ld, %zu signature%s matched",
	    entry, ex->method, ex->status, n, n == 1 ? "" : "s");
out:
	diag_exchange_free(ex);
	return DIAG_STEP_DONE;
}
