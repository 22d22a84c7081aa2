/* checks/input/input_sources.c: which inputs are missing or empty, and where each came from. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "checks/input/token_kind.h"
#include "diag/core/url.h"
#include "diag/engine/check.h"
#include "diag/core/util.h"

static enum diag_step sources_run(struct diag_run *);

const struct diag_check diag_check_input_sources = {
	.id = "input.sources",
	.summary = "missing or empty inputs, and where each came from",
	.flags = DIAG_CHECK_OFFLINE,
	.run = sources_run,
};

static const struct {
	enum diag_input_id id;
	const char *code;
	const char *what;
	const char *how;
} wanted[] = {
	{ DIAG_IN_SITE, "input.site_missing", "site",
	    "--site or ATLASSIAN_SITE (e.g. acme.atlassian.net)" },
	{ DIAG_IN_EMAIL, "input.email_missing", "account email",
	    "--email or ATLASSIAN_EMAIL" },
	{ DIAG_IN_TOKEN, "input.token_missing", "API token",
	    "--token-file, --token-stdin or ATLASSIAN_API_TOKEN" },
	{ DIAG_IN_CLOUD_ID, "input.cloud_id_missing", "cloud ID",
	    "--cloud-id or ATLASSIAN_CLOUD_ID" },
};

/* 1 when the input holds something other than blanks. */
static int
present(const struct diag_input *in)
{
	size_t i;

	if (in->value == NULL)
		return 0;
	for (i = 0; i < in->len; i++)
		if (in->value[i] != ' ' && in->value[i] != '\t' &&
		    in->value[i] != '\r' && in->value[i] != '\n')
			return 1;
	return 0;
}

/* The remark text for this input and code, or NULL. */
static const char *
remark_for(const struct diag_inputs *ins, enum diag_input_id id,
    const char *code)
{
	size_t i;

	for (i = 0; i < ins->n_remarks; i++)
		if (ins->remarks[i].input == id &&
		    strcmp(ins->remarks[i].code, code) == 0)
			return ins->remarks[i].text;
	return NULL;
}

/* 1 when the URL's path names a cloud ID (/ex/<product>/<id>...). */
static int
url_has_cloud_id(const struct diag_url *u)
{
	const char *p;

	if (strncmp(u->path, "/ex/", 4) != 0)
		return 0;
	p = strchr(u->path + 4, '/');
	return p != NULL && p[1] != '\0' && p[1] != '/';
}

/*
 * Which inputs this run needs (need_in, by input id), and whether the
 * token or email is a service account's (*sa).
 */
static void
needed_inputs(struct diag_run *r, int need_in[DIAG_IN__COUNT], int *sa)
{
	const struct diag_input *tok, *email, *url;
	struct diag_url u;
	const char *uk = NULL;
	int have_url = 0;

	memset(&u, 0, sizeof(u));
	tok = diag_run_input(r, DIAG_IN_TOKEN);
	email = diag_run_input(r, DIAG_IN_EMAIL);
	url = diag_run_input(r, DIAG_IN_URL);
	if (present(url)) {
		diag_url_split(url->value, url->len, &u);
		uk = diag_host_kind(u.host, u.path);
		have_url = 1;
	}
	/* A cloud ID alone is complete input for the gateway: the live
	 * checks find the site from it (serverInfo's baseUrl). */
	need_in[DIAG_IN_SITE] = (!have_url || strcmp(uk, "other") == 0) &&
	    !present(diag_run_input(r, DIAG_IN_CLOUD_ID));
	/* With --client-id, auth.oauth fetches the token itself. */
	need_in[DIAG_IN_TOKEN] =
	    !present(diag_run_input(r, DIAG_IN_AUTH_HEADER)) &&
	    diag_run_option(r, "client-id") == NULL;
	need_in[DIAG_IN_EMAIL] = need_in[DIAG_IN_TOKEN];
	if (present(tok) &&
	    diag__token_kind(tok->value, tok->len) == DIAG__TOK_SERVICE_ACCOUNT)
		*sa = 1;
	if (present(email) && email->len > 29 &&
	    strncasecmp(email->value + email->len - 29,
		"@serviceaccount.atlassian.com", 29) == 0)
		*sa = 1;
	if (have_url &&
	    (strcmp(uk, "gateway") == 0 || strcmp(uk, "gateway_other") == 0))
		need_in[DIAG_IN_CLOUD_ID] = !url_has_cloud_id(&u);
	else if (*sa && !(have_url && strcmp(uk, "site") == 0))
		need_in[DIAG_IN_CLOUD_ID] = 1;
	diag_url_release(&u);
}

/* Why a missing wanted[i] is needed: said for a cloud ID only. */
static const char *
absent_why(size_t i, int sa)
{
	if (wanted[i].id != DIAG_IN_CLOUD_ID)
		return "";
	if (sa)
		return "; a service-account token is used through "
		       "api.atlassian.com/ex/{product}/{cloudId}";
	return "; the gateway URL needs one";
}

/*
 * The finding for wanted[i], absent: needed (need_in), remarked on
 * (text), or a cloud ID that site.tenant looks up (a lint warning).
 */
static void
absent_input(struct diag_run *r, size_t i, const int need_in[DIAG_IN__COUNT],
    int sa, int lint)
{
	const struct diag_input *in = diag_run_input(r, wanted[i].id);
	enum diag_status need = lint ? DIAG_WARN : DIAG_FAIL;
	struct diag_finding *f;
	const char *text;

	text = remark_for(diag_run_inputs(r), wanted[i].id, wanted[i].code);
	if (!need_in[wanted[i].id] && text == NULL)
		return;
	if (wanted[i].id == DIAG_IN_CLOUD_ID &&
	    present(diag_run_input(r, DIAG_IN_SITE)) && text == NULL) {
		if (!lint)
			return; /* site.tenant looks it up */
		f = diag_run_finding(r, wanted[i].code, DIAG_WARN,
		    DIAG_POSSIBLE,
		    "No cloud ID was given; %s needs one for "
		    "api.atlassian.com/ex/{product}/{cloudId}.",
		    sa ? "a service-account token" : "the gateway URL");
		diag_finding_step(f,
		    "Read it from https://<your-site>/_edge/tenant_info (the "
		    "\"cloudId\" field); live checks do this for you.");
		return;
	}
	if (in->value != NULL && text == NULL)
		f = diag_run_finding(r, wanted[i].code,
		    need_in[wanted[i].id] ? need : DIAG_WARN, DIAG_CONFIRMED,
		    "The %s from %s is empty.", wanted[i].what, in->source);
	else if (text != NULL)
		f = diag_run_finding(r, wanted[i].code,
		    need_in[wanted[i].id] ? need : DIAG_WARN, DIAG_CONFIRMED,
		    "No %s: %s (typically a variable that is not exported, or "
		    "a CI secret this step cannot read).",
		    wanted[i].what, text);
	else
		f = diag_run_finding(r, wanted[i].code, need, DIAG_CONFIRMED,
		    "No %s was given%s.", wanted[i].what, absent_why(i, sa));
	diag_finding_step(f, "Give it with %s.", wanted[i].how);
}

/*
 * Remarks with a code about inputs that were found elsewhere, or about
 * something else, become findings; the others notes of the message.
 */
static void
remark_findings(struct diag_run *r, struct diag_buf *msg)
{
	const struct diag_inputs *ins = diag_run_inputs(r);
	size_t j;

	for (j = 0; j < ins->n_remarks; j++) {
		if (ins->remarks[j].code[0] != '\0' &&
		    strstr(ins->remarks[j].code, "_missing") == NULL &&
		    !diag_run_has_finding(r, ins->remarks[j].code))
			diag_run_finding(r, ins->remarks[j].code, DIAG_WARN,
			    DIAG_POSSIBLE, "%s.", ins->remarks[j].text);
		else if (present(diag_run_input(r, ins->remarks[j].input)))
			diag_buf_addf(msg, "; %s", ins->remarks[j].text);
	}
}

static enum diag_step
sources_run(struct diag_run *r)
{
	const struct diag_inputs *ins = diag_run_inputs(r);
	const char *cmd = diag_run_command(r);
	const struct diag_input *in;
	struct diag_buf msg = DIAG_BUF_INIT;
	struct diag_finding *f;
	int need_in[DIAG_IN__COUNT] = { 0 }, sa = 0;
	size_t i;

	if (strcmp(cmd, "explain") == 0) {
		diag_run_status(r, DIAG_SKIPPED,
		    "inputs come from the transcript");
		return DIAG_STEP_DONE;
	}
	needed_inputs(r, need_in, &sa);
	for (i = 0; i < DIAG_NELEM(wanted); i++) {
		in = diag_run_input(r, wanted[i].id);
		if (present(in)) {
			diag_buf_addf(&msg, "%s%s from %s", msg.len ? "; " : "",
			    diag_input_name(wanted[i].id), in->source);
			continue;
		}
		diag_buf_addf(&msg, "%s%s absent", msg.len ? "; " : "",
		    diag_input_name(wanted[i].id));
		absent_input(r, i, need_in, sa, strcmp(cmd, "lint") == 0);
	}
	remark_findings(r, &msg);
	if (ins->token_on_cmdline) {
		f = diag_run_finding(r, "input.token_on_cmdline", DIAG_WARN,
		    DIAG_CONFIRMED,
		    "The token was given with --token: it is visible to every "
		    "user of this machine in the process list, and may be kept "
		    "in the shell history.");
		diag_finding_step(f,
		    "Use --token-file FILE, --token-stdin or "
		    "ATLASSIAN_API_TOKEN instead; consider rotating the token "
		    "if the machine is shared.");
	}
	diag_run_message(r, "%s", diag_buf_str(&msg));
	diag_buf_release(&msg);
	return DIAG_STEP_DONE;
}
