/* checks/live/issue_access.c: issue.access: the issue exists and is visible, or why not (project, Browse, issue security). */
#include <stdlib.h>
#include <string.h>

#include "checks/live/live_util.h"
#include "checks/live/requirement.h"
#include "diag/core/util.h"

static int
have_browse(const struct diag_exchange *m)
{
	struct json_object *o, *p, *b, *v;
	int have = 0;

	if ((o = diag__live_json(m)) == NULL)
		return 0;
	if (json_object_object_get_ex(o, "permissions", &p) &&
	    json_object_object_get_ex(p, "BROWSE_PROJECTS", &b) &&
	    json_object_object_get_ex(b, "havePermission", &v))
		have = json_object_get_boolean(v);
	json_object_put(o);
	return have;
}

static enum diag_step
issue_run(struct diag_run *r)
{
	const char *key = diag_run_option(r, "issue");
	const char *base = diag__live_route_base(r);
	const struct diag_exchange *is, *m;
	struct diag_finding *f;
	char *k, *proj, *url;

	if (key == NULL || base == NULL) {
		diag__req_skip(r, "issue", key);
		return DIAG_STEP_DONE;
	}
	proj = diag_xstrndup(key, strcspn(key, "-"));
	k = diag__live_urlenc(key);
	if (diag_run_step(r) == 0) {
		url = diag_xasprintf("%s/rest/api/3/issue/%s?fields=summary",
		    base, k);
		diag_run_http(r, "issue", "GET", url, diag__live_auth(r), NULL);
		free(url);
		url = diag__live_mypermissions_url(base, "projectKey", proj,
		    "BROWSE_PROJECTS");
		diag_run_http(r, "browse", "GET", url, diag__live_auth(r),
		    NULL);
		free(url);
		free(k);
		free(proj);
		return DIAG_STEP_WAIT;
	}
	is = diag_run_exchange(r, "issue");
	m = diag_run_exchange(r, "browse");
	if (diag__live_undecided(r, is)) {
		diag__req(r, "issue", key, DIAG_REQ_UNPROVEN, DIAG_CONFIRMED,
		    "Run again when Atlassian answers.",
		    "no usable answer (network, 429 or 5xx)");
		goto out;
	}
	if (is->status == 200 && !diag__live_seraph_failed(is)) {
		diag_run_message(r, "issue %s visible", key);
		diag__req(r, "issue", key, DIAG_REQ_PROVEN, DIAG_CONFIRMED,
		    NULL, "GET issue answered 200");
		goto out;
	}
	if (is->status != 404) {
		diag__req(r, "issue", key, DIAG_REQ_UNPROVEN, DIAG_CONFIRMED,
		    NULL,
		    "GET issue answered %ld, which does not say whether the "
		    "account can see it",
		    is->status);
		if (diag__live_classified(r, is, DIAG_FAIL) == NULL)
			diag_run_status(r, DIAG_FAIL, "GET issue answered %ld",
			    is->status);
		goto out;
	}
	if (m->status == 404)
		f = diag_run_finding(r, "issue.not_visible", DIAG_FAIL,
		    DIAG_LIKELY,
		    "Issue %s is not visible because project %s itself is not: "
		    "it does not exist, or the account cannot browse it "
		    "(mypermissions answers 404 for the project).",
		    key, proj);
	else if (m->status == 200 && !have_browse(m))
		f = diag_run_finding(r, "issue.not_visible", DIAG_FAIL,
		    DIAG_CONFIRMED,
		    "The account lacks Browse Projects in %s, so issue %s is "
		    "hidden (mypermissions: havePermission false).",
		    proj, key);
	else
		f = diag_run_finding(r, "issue.not_visible", DIAG_FAIL,
		    DIAG_LIKELY,
		    "The account can browse project %s, yet issue %s answers "
		    "404: either it does not exist, or an issue security level "
		    "hides it from this account. Jira gives the same answer "
		    "for both; someone who can see the issue tells them apart "
		    "(its Security Level field).",
		    proj, key);
	diag__req(r, "issue", key, DIAG_REQ_DISPROVEN, f->confidence, NULL,
	    "GET issue answered 404: not visible to the account, or no such "
	    "issue");
	diag_finding_step(f,
	    "A project administrator of %s checks that %s exists, its Security "
	    "Level, and the account's project roles.",
	    proj, key);
	diag_finding_evidence(f, is);
	diag_finding_evidence(f, m);
out:
	free(k);
	free(proj);
	return DIAG_STEP_DONE;
}

const struct diag_check diag_check_issue_access = {
	.id = "issue.access",
	.summary = "the issue exists and is visible, or what hides it",
	.flags = DIAG_CHECK_LIVE,
	.run = issue_run,
};
