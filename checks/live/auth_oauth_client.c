/* checks/live/auth_oauth_client.c: auth.oauth_client: with --client-id, fetch an OAuth 2.0 access token (client credentials) and make it the run's token. */
#include <stdlib.h>
#include <string.h>

#include "checks/live/live_util.h"
#include "diag/core/inputs.h"
#include "diag/core/secret.h"
#include "diag/core/util.h"

static const char *
jstr(struct json_object *o, const char *k)
{
	struct json_object *v;

	if (o == NULL || !json_object_object_get_ex(o, k, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

#define CLIENT_SECRET_MAX 4096

/*
 * --client-id: queues the client-credentials grant with the secret read
 * from --client-secret-file (registered with the scrubber at once).
 * Returns 0, or -1 (the check's status says why) when it cannot.
 */
static int
ask_token(struct diag_run *r, const char *id)
{
	const char *path = diag_run_option(r, "client-secret-file");
	const char *why = NULL;
	struct json_object *o;
	char *sec;
	size_t len;

	if (path == NULL) {
		diag_run_status(r, DIAG_INCONCLUSIVE,
		    "--client-id needs --client-secret-file: no token was "
		    "fetched");
		return -1;
	}
	if (diag_read_file(path, CLIENT_SECRET_MAX, &sec, &len, &why) != 0) {
		diag_run_status(r, DIAG_INCONCLUSIVE,
		    "cannot read the client secret file: %s", why);
		return -1;
	}
	while (len > 0 &&
	    (sec[len - 1] == '\n' || sec[len - 1] == '\r' ||
		sec[len - 1] == ' '))
		sec[--len] = '\0';
	diag_secret_register(sec, len);
	o = json_object_new_object();
	json_object_object_add(o, "grant_type",
	    json_object_new_string("client_credentials"));
	json_object_object_add(o, "client_id", json_object_new_string(id));
	json_object_object_add(o, "client_secret",
	    json_object_new_string_len(sec, (int)len));
	json_object_object_add(o, "audience",
	    json_object_new_string("api.atlassian.com"));
	diag_run_http_token_request(r, "token",
	    json_object_to_json_string_ext(o,
		JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	explicit_bzero(sec, len);
	free(sec);
	json_object_put(o); /* json-c's copies are freed unscrubbed */
	return 0;
}

/* 1 when a refused grant names the client: its ID or secret is wrong. */
static int
client_refused(const struct diag_exchange *ex)
{
	struct json_object *o = diag__live_json(ex);
	const char *e = jstr(o, "error");
	int yes;

	yes = (ex->status == 400 || ex->status == 401) && e != NULL &&
	    (strcmp(e, "access_denied") == 0 ||
		strcmp(e, "invalid_client") == 0 ||
		strcmp(e, "unauthorized_client") == 0);
	json_object_put(o);
	return yes;
}

/*
 * The answer to the grant: the access token becomes the run's token
 * (registered as a secret first), as if given with --token. Returns 1
 * when there is one to check.
 */
static int
took_token(struct diag_run *r, const struct diag_exchange *ex)
{
	struct json_object *o;
	struct diag_finding *f;
	const char *t;
	int ok = 0;

	if (diag__live_undecided(r, ex) || ex->status == 0)
		return 0;
	if (client_refused(ex)) {
		f = diag_run_finding(r, "auth.oauth_client_rejected", DIAG_FAIL,
		    DIAG_CONFIRMED,
		    "auth.atlassian.com refused the OAuth 2.0 client "
		    "credentials (%ld): the client ID or secret is wrong, or "
		    "the secret was rotated or revoked.",
		    ex->status);
		diag_finding_evidence(f, ex);
		return 0;
	}
	o = diag__live_json(ex);
	t = jstr(o, "access_token");
	if (ex->status == 200 && t != NULL && *t != '\0' &&
	    diag_ctl_offset(t, strlen(t)) >= 0) {
		/* Sent on, CR LF would inject headers: never used. */
		diag_secret_register(t, strlen(t));
		diag_run_status(r, DIAG_INCONCLUSIVE,
		    "the token endpoint answered an access token holding "
		    "control characters; it was not used");
	} else if (ex->status == 200 && t != NULL && *t != '\0') {
		diag_secret_register(t, strlen(t));
		diag_run_set_input(r, DIAG_IN_TOKEN, t, strlen(t),
		    "oauth:client-credentials");
		diag_run_fact_set(r, "token.kind",
		    json_object_new_string("oauth_access_token"));
		ok = 1;
	} else
		diag_run_status(r, DIAG_INCONCLUSIVE,
		    "the token endpoint answered %ld without an access token",
		    ex->status);
	json_object_put(o);
	return ok;
}

static enum diag_step
client_run(struct diag_run *r)
{
	const char *cid = diag_run_option(r, "client-id");
	const struct diag_exchange *tx = diag_run_exchange(r, "token");

	if (cid == NULL) {
		diag_run_status(r, DIAG_SKIPPED, "no --client-id");
		return DIAG_STEP_DONE;
	}
	if (tx == NULL)
		return ask_token(r, cid) == 0 ? DIAG_STEP_WAIT : DIAG_STEP_DONE;
	if (took_token(r, tx))
		diag_run_message(r,
		    "auth.atlassian.com issued an access token (client "
		    "credentials); it is checked as the token");
	return DIAG_STEP_DONE;
}

const struct diag_check diag_check_auth_oauth_client = {
	.id = "auth.oauth_client",
	.summary = "with --client-id: an OAuth 2.0 access token from the "
		   "client-credentials grant",
	.flags = DIAG_CHECK_LIVE,
	.run = client_run,
};
