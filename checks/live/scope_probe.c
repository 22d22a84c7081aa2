/* checks/live/scope_probe.c: scope.probe: one cheap request per needed scope, judged by the gateway's scope check. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/live/live_util.h"
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
	if (strcmp(meth, "GET") != 0 && (strcmp(meth, "POST") != 0 ||
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

static enum diag_step
scope_run(struct diag_run *r)
{
	const char *plan = diag_run_option(r, "scope-probes");
	const char *base = diag_run_fact_str(r, "auth.route");
	const struct diag_exchange *ex;
	struct diag_finding *f;
	char *copy, *ent, *save = NULL, *sc, *meth, *path, *url, label[16];
	int i = 0, writes = diag_run_option(r, "probe-writes") != NULL;
	int n_ok = 0, n_skip = 0, n_missing = 0;
	struct diag_buf learnt = DIAG_BUF_INIT;

	if (plan == NULL || *plan == '\0') {
		diag_run_status(r, DIAG_SKIPPED, "no --need-scope given");
		return DIAG_STEP_DONE;
	}
	if (base == NULL) {
		diag_run_status(r, DIAG_SKIPPED, "no confirmed identity");
		return DIAG_STEP_DONE;
	}
	if (strcmp(base, "site") == 0) {
		diag_run_message(r, "the token works on the site URL: a classic "
		    "(unscoped) token, scopes do not apply");
		(void)diag_scopes_report_calls(r, all_held, NULL);
		return DIAG_STEP_DONE;
	}
	base = diag__live_route_base(r);
	copy = diag_xstrdup(plan);
	for (ent = strtok_r(copy, ";", &save); ent != NULL;
	    ent = strtok_r(NULL, ";", &save), i++) {
		sc = ent;
		meth = strchr(sc, '|');
		if (meth == NULL)
			continue;
		*meth++ = '\0';
		path = strchr(meth, '|');
		if (path == NULL)
			continue;
		*path++ = '\0';
		snprintf(label, sizeof(label), "s%d", i);
		if (diag_run_step(r) == 0) {
			if (*path == '\0' || (strcmp(meth, "GET") != 0 &&
			    !writes) || !from_catalogue(sc, meth, path))
				continue;
			url = diag_xasprintf("%s%s", base, path);
			if (strcmp(meth, "GET") == 0)
				diag_run_http(r, label, "GET", url,
				    diag__live_auth(r), NULL);
			else
				diag_run_http_write_probe(r, label, url,
				    diag__live_auth(r));
			free(url);
			continue;
		}
		ex = diag_run_exchange(r, label);
		if (ex == NULL) {
			n_skip++;
			continue;
		}
		if (diag__live_undecided(r, ex))
			continue;
		if (ex->status == 401 && (diag_exchange_header(ex,
		    "X-Failure-Category") != NULL && strstr(
		    diag_exchange_header(ex, "X-Failure-Category"),
		    "SCOPE_CHECK") != NULL)) {
			f = diag_run_finding(r, "scope.missing", DIAG_FAIL,
			    DIAG_CONFIRMED, "The token lacks scope %s: the "
			    "gateway refused %s %s (needs exactly %s) with "
			    "FAILURE_CLIENT_SCOPE_CHECK.", sc, meth, path, sc);
			diag_finding_step(f, "Scopes cannot be added to an "
			    "existing token: create a new scoped token that "
			    "includes %s (and the scopes it already has).", sc);
			diag_finding_evidence(f, ex);
			n_missing++;
			diag_buf_addf(&learnt, "%s=0;", sc);
		} else {
			n_ok++;
			diag_buf_addf(&learnt, "%s=1;", sc);
		}
	}
	free(copy);
	if (diag_run_step(r) > 0)
		(void)diag_scopes_report_calls(r, probed_has,
		    (void *)diag_buf_str(&learnt));
	diag_buf_release(&learnt);
	if (diag_run_step(r) == 0)
		return DIAG_STEP_WAIT;
	if (n_missing == 0)
		diag_run_message(r, "%d scope%s confirmed by probing%s", n_ok,
		    n_ok == 1 ? "" : "s", n_skip > 0 ? "; some not probed "
		    "(writes need --probe-writes, or no cheap probe exists)" :
		    "");
	return DIAG_STEP_DONE;
}

const struct diag_check diag_check_scope_probe = {
	.id = "scope.probe",
	.summary = "each needed scope, by a cheap request that needs exactly it",
	.flags = DIAG_CHECK_LIVE,
	.run = scope_run,
};
