/* checks/live/scope_probe.c: scope.probe: one cheap request per needed scope, judged by the gateway's scope check. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/live/live_util.h"
#include "checks/live/requirement.h"
#include "diag/net/http.h"
#include "diag/rules/scopes.h"
#include "diag/core/util.h"

/*
 * The probes come from diag/cmd/cmd_live.c (option "scope-probes", built from
 * rules/scopes.json): "scope|METHOD|path" entries separated by ';', one
 * per needed scope; path is empty when no cheap probe exists. A write
 * (method other than GET) is only sent with --probe-writes, with an empty
 * JSON object as body: the gateway checks the scope before the product
 * rejects the body, so nothing is created. Every probe is checked against
 * the catalogue before it is queued (from_catalogue()), and diag/net/http.c
 * refuses any other write.
 */
/*
 * 1 when the probe "scope|meth|path" is catalogue data: a known scope, and
 * a catalogue operation with exactly that method and literal path (a GET,
 * or the create-issue write probe). The plan is built from the catalogue;
 * this keeps user text from ever becoming a request.
 */
static int
from_catalogue(const char *sc, const char *meth, const char *path)
{
	const struct diag_scopes *cat = diag_scopes_default();
	struct diag_scopes_match m;
	int ok;

	if (!diag_scopes_known(cat, sc) || path[strcspn(path, "{}?#")] != '\0')
		return 0;
	if (strcmp(meth, "GET") != 0 &&
	    (strcmp(meth, "POST") != 0 ||
		strcmp(path, DIAG_HTTP_WRITE_PROBE_PATH) != 0))
		return 0;
	if (diag_scopes_match(cat, meth, path, &m) != 0) {
		diag_scopes_match_release(&m);
		return 0;
	}
	ok = strcmp(m.op->method, meth) == 0 && strcmp(m.op->path, path) == 0 &&
	    !m.wiki_added && !m.v2_mapped;
	diag_scopes_match_release(&m);
	return ok;
}

/* What probing learnt: "scope=1;" held, "scope=0;" missing. */
static int
probed_has(void *arg, const char *scope)
{
	const char *p = arg, *hit;
	size_t n = strlen(scope);

	for (hit = strstr(p, scope); hit != NULL; hit = strstr(hit + 1, scope))
		if ((hit == p || hit[-1] == ';') && hit[n] == '=')
			return hit[n + 1] == '1';
	return -1;
}

static int
all_held(void *arg, const char *scope)
{
	(void)arg;
	(void)scope;
	return 1;
}

#define NEXT_WRITES \
	"Run again with --probe-writes: atldiag then sends " \
	"POST {} (an empty JSON object) to " DIAG_HTTP_WRITE_PROBE_PATH \
	" through the gateway; the gateway checks the scope before Jira " \
	"reads the body, and Jira refuses the empty body (400), so nothing " \
	"is created."
#define NEXT_SCREEN \
	"Check the scopes the token was created with (they " \
	"are chosen at creation: id.atlassian.com/manage-profile/security/" \
	"api-tokens; for a service account, admin.atlassian.com › " \
	"Directory › Service accounts), or create a token that includes it."

/* Counts of what became of the needed scopes. */
struct tally {
	int proven, disproven, unproven;
	struct diag_buf learnt; /* "scope=1;scope=0;" */
	struct diag_buf open; /* unproven scope names */
};

static void
unproven(struct diag_run *r, struct tally *t, const char *sc, const char *next,
    const char *why)
{
	diag__req(r, "scope", sc, DIAG_REQ_UNPROVEN, DIAG_CONFIRMED, next, "%s",
	    why);
	diag_buf_addf(&t->open, "%s%s", t->open.len > 0 ? ", " : "", sc);
	t->unproven++;
}

/* A needed scope that was not probed: why, and how to prove it. */
static void
not_probed(struct diag_run *r, struct tally *t, const char *sc,
    const char *meth, const char *path, int writes)
{
	if (*path != '\0' && strcmp(meth, "GET") != 0 && !writes)
		unproven(r, t, sc, NEXT_WRITES,
		    "a write scope: no read proves it, and the write probe was "
		    "not asked for");
	else if (*path == '\0')
		unproven(r, t, sc, NEXT_SCREEN,
		    "no request proves this scope without changing anything "
		    "(no operation of the product needs it alone)");
	else
		unproven(r, t, sc, NEXT_SCREEN, "its probe was not sent");
}

/* The gateway refused the probe for lack of the scope. */
static void
refused(struct diag_run *r, struct tally *t, const char *sc, const char *meth,
    const char *path, const struct diag_exchange *ex)
{
	struct diag_finding *f;
	/* Only write:jira-work is a whole alternative of create-issue; a
	 * granular write scope is one of several it needs together. */
	enum diag_confidence conf =
	    strcmp(meth, "GET") == 0 || strcmp(sc, "write:jira-work") == 0 ?
	    DIAG_CONFIRMED :
	    DIAG_LIKELY;

	f = diag_run_finding(r, "scope.missing", DIAG_FAIL, conf,
	    "The token lacks scope %s: the gateway refused %s %s (%s) with "
	    "FAILURE_CLIENT_SCOPE_CHECK.",
	    sc, meth, path,
	    strcmp(meth, "GET") == 0 ?
		"a read that needs exactly this scope" :
		"the write probe, an empty body that creates nothing");
	if (conf == DIAG_LIKELY)
		diag_finding_note(f,
		    "%s %s accepts write:jira-work, or %s together with the "
		    "other granular scopes it lists ('atldiag scopes %s %s'); "
		    "the refusal says the token holds neither set",
		    meth, path, sc, meth, path);
	diag_finding_step(f,
	    "Scopes cannot be added to an existing token: create a new scoped "
	    "token that includes %s (and the scopes it already has).",
	    sc);
	diag_finding_evidence(f, ex);
	diag__req(r, "scope", sc, DIAG_REQ_DISPROVEN, conf, NULL,
	    "%s %s answered %ld with FAILURE_CLIENT_SCOPE_CHECK", meth, path,
	    ex->status);
	diag_buf_addf(&t->learnt, "%s=0;", sc);
	t->disproven++;
}

/* One probe's answer: proven, disproven or unproven. */
static void
judge(struct diag_run *r, struct tally *t, const char *sc, const char *meth,
    const char *path, const struct diag_exchange *ex)
{
	const char *cat = diag_exchange_header(ex, "X-Failure-Category");
	int get = strcmp(meth, "GET") == 0;

	if (ex->status == 401 && cat != NULL &&
	    strstr(cat, "SCOPE_CHECK") != NULL) {
		refused(r, t, sc, meth, path, ex);
		return;
	}
	if (get && ex->status >= 200 && ex->status < 300) {
		diag__req(r, "scope", sc, DIAG_REQ_PROVEN, DIAG_CONFIRMED, NULL,
		    "GET %s answered %ld: it needs exactly this scope", path,
		    ex->status);
	} else if (ex->status == 400 || ex->status == 403 ||
	    ex->status == 404 || (ex->status >= 200 && ex->status < 300)) {
		/* Jira itself answered: the gateway's scope check let the
		 * request through. That the scope check comes first is
		 * observed, not documented: likely. */
		diag__req(r, "scope", sc, DIAG_REQ_PROVEN, DIAG_LIKELY, NULL,
		    "%s %s passed the gateway's scope check (Jira answered "
		    "%ld%s)",
		    meth, path, ex->status,
		    get ? "" :
			  " to the empty body; nothing was created. The token "
			  "holds this scope, or every granular scope the "
			  "operation accepts instead");
	} else {
		unproven(r, t, sc, NEXT_SCREEN,
		    "its probe answered without saying whether the scope check "
		    "passed");
		return;
	}
	diag_buf_addf(&t->learnt, "%s=1;", sc);
	t->proven++;
}

/* 1 when the site URL accepted the token with an identity: only a
 * classic (unscoped) API token works there. */
static int
site_accepts(struct diag_run *r)
{
	struct diag_exchange *st;
	char *id;
	int ok;

	st = diag__live_fact_exchange(r, "auth.site.exchange");
	if (st == NULL)
		return 0;
	id = diag__live_account_id(st);
	ok = st->status == 200 && id != NULL && !diag__live_seraph_failed(st);
	free(id);
	diag_exchange_free(st);
	return ok;
}

/* A classic token: scopes do not restrict it. */
static enum diag_step
classic(struct diag_run *r, const char *plan, int on_site)
{
	char *copy = diag_xstrdup(plan), *ent, *save = NULL;
	const char *unsure = "";

	if (!on_site)
		unsure = " (how the gateway checks a classic token is not "
			 "documented: send its calls to the site URL)";
	for (ent = strtok_r(copy, ";", &save); ent != NULL;
	     ent = strtok_r(NULL, ";", &save)) {
		ent[strcspn(ent, "|")] = '\0';
		diag__req(r, "scope", ent, DIAG_REQ_PROVEN,
		    on_site ? DIAG_CONFIRMED : DIAG_LIKELY, NULL,
		    "not applicable: the site URL accepts this token, so it is "
		    "a classic (unscoped) API token, which scopes do not "
		    "restrict; the account's permissions apply%s",
		    unsure);
	}
	free(copy);
	diag_run_message(r,
	    "the token works on the site URL: a classic (unscoped) token, "
	    "scopes do not apply");
	(void)diag_scopes_report_calls(r, all_held, NULL);
	return DIAG_STEP_DONE;
}

/* Step 0: queues one probe; later steps: judges its answer. */
static void
probe(struct diag_run *r, struct tally *t, const char *base, char *ent, int i,
    int writes)
{
	const struct diag_exchange *ex;
	char *sc = ent, *meth, *path, *url, label[16];

	if ((meth = strchr(sc, '|')) == NULL)
		return;
	*meth++ = '\0';
	if ((path = strchr(meth, '|')) == NULL)
		return;
	*path++ = '\0';
	snprintf(label, sizeof(label), "s%d", i);
	if (diag_run_step(r) == 0) {
		if (*path == '\0' || (strcmp(meth, "GET") != 0 && !writes) ||
		    !from_catalogue(sc, meth, path))
			return;
		url = diag_xasprintf("%s%s", base, path);
		if (strcmp(meth, "GET") == 0)
			diag_run_http(r, label, "GET", url, diag__live_auth(r),
			    NULL);
		else
			diag_run_http_write_probe(r, label, url,
			    diag__live_auth(r));
		free(url);
		return;
	}
	ex = diag_run_exchange(r, label);
	if (ex == NULL)
		not_probed(r, t, sc, meth, path, writes);
	else if (diag__live_undecided(r, ex) || ex->status == 0)
		unproven(r, t, sc, "Run again when Atlassian answers.",
		    "its probe got no usable answer (network, 429 or 5xx)");
	else
		judge(r, t, sc, meth, path, ex);
}

static enum diag_step
scope_run(struct diag_run *r)
{
	const char *plan = diag_run_option(r, "scope-probes");
	const char *base = diag_run_fact_str(r, "auth.route");
	char *copy, *ent, *save = NULL;
	int i = 0, writes = diag_run_option(r, "probe-writes") != NULL;
	struct tally t;

	if (plan == NULL || *plan == '\0') {
		diag_run_status(r, DIAG_SKIPPED, "no --need-scope given");
		return DIAG_STEP_DONE;
	}
	if (diag_run_fact_str(r, "auth.oauth.scopes_from") != NULL) {
		diag_run_status(r, DIAG_SKIPPED,
		    "the scopes of the OAuth 2.0 access token were read from "
		    "accessible-resources (auth.oauth)");
		return DIAG_STEP_DONE;
	}
	if (base == NULL) {
		diag_run_status(r, DIAG_SKIPPED, "no confirmed identity");
		return DIAG_STEP_DONE;
	}
	if (strcmp(base, "site") == 0 || site_accepts(r))
		return classic(r, plan, strcmp(base, "site") == 0);
	base = diag__live_route_base(r);
	memset(&t, 0, sizeof(t));
	copy = diag_xstrdup(plan);
	for (ent = strtok_r(copy, ";", &save); ent != NULL;
	     ent = strtok_r(NULL, ";", &save), i++)
		probe(r, &t, base, ent, i, writes);
	free(copy);
	if (diag_run_step(r) == 0) {
		diag_buf_release(&t.learnt);
		diag_buf_release(&t.open);
		return DIAG_STEP_WAIT;
	}
	(void)diag_scopes_report_calls(r, probed_has,
	    (void *)diag_buf_str(&t.learnt));
	if (t.unproven > 0 && t.disproven == 0)
		diag_run_status(r, DIAG_INCONCLUSIVE,
		    "%d scope%s proven; unproven: %s", t.proven,
		    t.proven == 1 ? "" : "s", diag_buf_str(&t.open));
	else if (t.disproven == 0)
		diag_run_message(r, "%d scope%s proven by probing", t.proven,
		    t.proven == 1 ? "" : "s");
	diag_buf_release(&t.learnt);
	diag_buf_release(&t.open);
	return DIAG_STEP_DONE;
}

const struct diag_check diag_check_scope_probe = {
	.id = "scope.probe",
	.summary =
	    "each needed scope, by a cheap request that needs exactly it",
	.flags = DIAG_CHECK_LIVE,
	.run = scope_run,
};
