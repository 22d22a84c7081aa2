/* checks/live/project_access.c: project.access: project visible; mypermissions for the needed permissions; who can grant them. */
#include <stdlib.h>
#include <string.h>

#include "checks/live/live_util.h"
#include "checks/live/requirement.h"
#include "diag/core/util.h"

/* A global permission (mypermissions "type": "GLOBAL") is granted in
 * Jira's global permissions, not by a project role; Administer Jira and
 * System administrator are admin rights (permission.admin_required). */
static void
missing_global(struct diag_run *r, const char *perm, const char *name,
    const struct diag_exchange *ex)
{
	struct diag_finding *f;
	const char *who = diag_run_fact_str(r, "email.clean");
	int admin = strcmp(perm, "ADMINISTER") == 0 ||
	    strcmp(perm, "SYSTEM_ADMIN") == 0;

	f = diag_run_finding(r,
	    admin ? "permission.admin_required" : "permission.missing",
	    DIAG_FAIL, DIAG_CONFIRMED,
	    "The account does not hold the global permission %s (%s): "
	    "mypermissions answers havePermission: false, type GLOBAL.%s",
	    perm, name != NULL ? name : perm,
	    admin ? " It is a Jira administrator right, which no project role "
		    "grants." :
		    "");
	diag_finding_step(f,
	    "A Jira administrator grants %s to a group of %s in Jira settings "
	    "> System > Global permissions%s.",
	    perm, who != NULL ? who : "the account",
	    admin ? " (or an org admin makes the account a Jira administrator "
		    "in admin.atlassian.com), or the call is made with an "
		    "administrator's credential" :
		    "");
	diag_finding_evidence(f, ex);
}

static void
missing(struct diag_run *r, const char *key, const char *perm, const char *name,
    const struct diag_exchange *ex, const struct diag_exchange *roles)
{
	struct diag_finding *f;
	struct json_object *o = NULL, *v;
	struct diag_buf b = DIAG_BUF_INIT;
	const char *who = diag_run_fact_str(r, "email.clean");

	f = diag_run_finding(r, "permission.missing", DIAG_FAIL, DIAG_CONFIRMED,
	    "The account can see project %s but does not hold %s (%s) there: "
	    "mypermissions answers havePermission: false.",
	    key, perm, name != NULL ? name : perm);
	if (roles != NULL && roles->status == 200 &&
	    (o = diag__live_json(roles)) != NULL) {
		json_object_object_foreach(o, role, rv) {
			(void)rv;
			diag_buf_addf(&b, "%s%s", b.len > 0 ? ", " : "", role);
		}
		json_object_put(o);
		o = NULL;
		diag_finding_note(f,
		    "project roles of %s: %s; the project's permission scheme "
		    "says which of them grant %s",
		    key, diag_buf_str(&b), perm);
	} else if ((o = diag__live_json(diag_run_exchange(r, "project"))) !=
		NULL &&
	    json_object_object_get_ex(o, "roles", &v) &&
	    json_object_is_type(v, json_type_object) &&
	    json_object_object_length(v) > 0) {
		/* GET project lists the role names to anyone who can browse. */
		json_object_object_foreach(v, role, rv) {
			(void)rv;
			diag_buf_addf(&b, "%s%s", b.len > 0 ? ", " : "", role);
		}
		diag_finding_note(f,
		    "project roles of %s: %s; the project's permission scheme "
		    "(Project settings > Permissions, readable only by its "
		    "administrators) says which of them grant %s",
		    key, diag_buf_str(&b), perm);
	} else
		diag_finding_note(f,
		    "which project roles grant %s is set by the permission "
		    "scheme of %s (Project settings > Permissions), readable "
		    "only by its administrators",
		    perm, key);
	json_object_put(o);
	diag_finding_step(f,
	    "A project administrator of %s (or a Jira administrator) opens "
	    "Project settings > Permissions, finds %s, and adds %s%s to a role "
	    "or group that it is granted to.",
	    key, perm, who != NULL ? who : "the account",
	    who != NULL ? " (the account of this token)" : "");
	diag_finding_evidence(f, ex);
	diag_buf_release(&b);
}

/* can-i: each needed permission's answer, as report member
 * "permissions" ({"EDIT_ISSUES": true, ...}), for the per-permission
 * lines. */
static void
answers(struct diag_run *r, struct json_object *perms)
{
	const char *need = diag_run_option(r, "need-permission");
	struct json_object *want, *out, *pe, *v;
	const char *k;
	size_t i;

	if (strcmp(diag_run_command(r), "can-i") != 0 || need == NULL)
		return;
	want = diag__live_split(need);
	out = json_object_new_object();
	for (i = 0; i < json_object_array_length(want); i++) {
		k = json_object_get_string(json_object_array_get_idx(want, i));
		if (json_object_object_get_ex(perms, k, &pe) &&
		    json_object_object_get_ex(pe, "havePermission", &v))
			json_object_object_add(out, k,
			    json_object_new_boolean(
				json_object_get_boolean(v)));
	}
	json_object_put(want);
	diag_run_fact_set(r, "extra.permissions", out);
}

/* Counts the permissions not held; reports each when report is set. */
static int
weigh(struct diag_run *r, const char *key, const struct diag_exchange *m,
    const struct diag_exchange *roles, int report)
{
	struct json_object *o, *perms, *e, *v;
	const char *name;
	int n = 0;

	if ((o = diag__live_json(m)) == NULL)
		return 0;
	if (json_object_object_get_ex(o, "permissions", &perms)) {
		if (report)
			answers(r, perms);
		json_object_object_foreach(perms, pk, pe) {
			if (!json_object_object_get_ex(pe, "havePermission",
				&v) ||
			    json_object_get_boolean(v))
				continue;
			n++;
			if (!report)
				continue;
			e = NULL;
			json_object_object_get_ex(pe, "name", &e);
			name = e != NULL ? json_object_get_string(e) : NULL;
			if (json_object_object_get_ex(pe, "type", &v) &&
			    strcmp(json_object_get_string(v), "GLOBAL") == 0)
				missing_global(r, pk, name, m);
			else
				missing(r, key, pk, name, m, roles);
		}
	}
	json_object_put(o);
	return n;
}

/*
 * Records each --need-permission: from mypermissions' answer m when
 * given (held, not held, or not answered), else all as outcome with the
 * reason how.
 */
static void
record_perms(struct diag_run *r, const char *key, const struct diag_exchange *m,
    enum diag_req outcome, const char *next, const char *how)
{
	const char *need = diag_run_option(r, "need-permission");
	struct json_object *want, *o = NULL, *perms = NULL, *pe, *v;
	enum diag_confidence conf = DIAG_CONFIRMED;
	const char *k;
	size_t i;
	int held;

	if (need == NULL || *need == '\0')
		return;
	if (outcome == DIAG_REQ_DISPROVEN)
		conf = DIAG_LIKELY;
	want = diag__live_split(need);
	if (m != NULL && (o = diag__live_json(m)) != NULL)
		(void)json_object_object_get_ex(o, "permissions", &perms);
	for (i = 0; i < json_object_array_length(want); i++) {
		k = json_object_get_string(json_object_array_get_idx(want, i));
		if (perms == NULL)
			diag__req(r, "permission", k, outcome, conf, next, "%s",
			    how);
		else if (!json_object_object_get_ex(perms, k, &pe) ||
		    !json_object_object_get_ex(pe, "havePermission", &v))
			diag__req(r, "permission", k, DIAG_REQ_UNPROVEN,
			    DIAG_CONFIRMED,
			    "Ask a project administrator of the project to "
			    "look it up in Project settings › Permissions.",
			    "mypermissions did not answer for %s in project %s",
			    k, key);
		else {
			held = json_object_get_boolean(v);
			diag__req(r, "permission", k,
			    held ? DIAG_REQ_PROVEN : DIAG_REQ_DISPROVEN,
			    DIAG_CONFIRMED, NULL,
			    "mypermissions answers havePermission: %s in "
			    "project %s",
			    held ? "true" : "false", key);
		}
	}
	json_object_put(o);
	json_object_put(want);
}

/* The project and its permissions, neither proven nor disproven. */
static void
record_unproven(struct diag_run *r, const char *key, const char *next,
    const char *how)
{
	if (key != NULL)
		diag__req(r, "project", key, DIAG_REQ_UNPROVEN, DIAG_CONFIRMED,
		    next, "%s", how);
	record_perms(r, key, NULL, DIAG_REQ_UNPROVEN, next, how);
}

/*
 * Skips the check (no --project, no identity, not Jira), the requirements
 * unproven with what to do.
 */
static void
project_skip(struct diag_run *r, const char *key, const char *base)
{
	const char *why, *next, *how;

	if (key == NULL) {
		why = "no --project given";
		next = "Give the project with --project KEY.";
		how = "a project permission is held in a project, and no "
		      "--project was given";
	} else if (base == NULL) {
		why = "no confirmed identity";
		next = "Fix the credential first (see the findings above).";
		how = "the credential's identity was not confirmed";
	} else {
		why = "not Jira";
		next = "Projects and their permissions are Jira's: run with "
		       "--product jira.";
		how = "--product is not jira";
	}
	diag_run_status(r, DIAG_SKIPPED, "%s", why);
	record_unproven(r, key, next, how);
}

/* The permission keys mypermissions is asked for: Browse Projects and the
 * needed ones (need may be NULL). Owned by the caller. */
static char *
asked_permissions(const char *need)
{
	if (need == NULL || *need == '\0')
		return diag_xstrdup("BROWSE_PROJECTS");
	return diag_xasprintf("BROWSE_PROJECTS,%s", need);
}

/*
 * Queues GET project/<k> and mypermissions for Browse Projects and the needed
 * permissions.
 */
static void
project_queue(struct diag_run *r, const char *base, const char *k,
    const char *need)
{
	char *url, *keys = asked_permissions(need);

	url = diag_xasprintf("%s/rest/api/3/project/%s", base, k);
	diag_run_http(r, "project", "GET", url, diag__live_auth(r), NULL);
	free(url);
	url = diag__live_mypermissions_url(base, "projectKey", k, keys);
	diag_run_http(r, "mypermissions", "GET", url, diag__live_auth(r), NULL);
	free(url);
	free(keys);
}

/* GET project answered 404 or 403 (p): not visible, or no such project. */
static void
project_not_visible(struct diag_run *r, const char *key,
    const struct diag_exchange *p, const struct diag_exchange *m)
{
	struct diag_finding *f;

	f = diag_run_finding(r, "project.not_visible", DIAG_FAIL, DIAG_LIKELY,
	    "GET project %s answered %ld: the project does not exist on this "
	    "site, or the account lacks Browse Projects in it (Jira answers "
	    "the same for both).",
	    key, p->status);
	diag_finding_step(f,
	    "Check the key %s in the project list of the site; if it exists, a "
	    "project administrator grants Browse Projects to %s.",
	    key,
	    diag_run_fact_str(r, "email.clean") != NULL ?
		diag_run_fact_str(r, "email.clean") :
		"the account");
	diag_finding_evidence(f, p);
	diag_finding_evidence(f, m);
	diag__req(r, "project", key, DIAG_REQ_DISPROVEN, DIAG_LIKELY, NULL,
	    "GET project answered %ld: not visible to the account, or no such "
	    "project",
	    p->status);
	record_perms(r, key, NULL, DIAG_REQ_DISPROVEN, NULL,
	    "the project is not visible to the account");
}

/* mypermissions (m), asked for project key and the needed permissions
 * (need, may be NULL), answered other than 200: they stay unproven. */
static void
perms_unanswered(struct diag_run *r, const char *key, const char *need,
    const struct diag_exchange *m)
{
	struct diag_finding *f;
	char *keys;

	record_perms(r, key, NULL, DIAG_REQ_UNPROVEN, NULL,
	    "mypermissions gave no answer for the project");
	f = diag__live_classified(r, m, DIAG_FAIL);
	if (f != NULL)
		return;
	keys = asked_permissions(need);
	diag_run_status(r, DIAG_FAIL, "mypermissions answered %ld for %s",
	    m->status, keys);
	f = diag_run_finding(r, "service.unexpected_response", DIAG_FAIL,
	    DIAG_POSSIBLE,
	    "mypermissions for project %s and the permissions %s answered "
	    "%ld, which no known response signature explains.",
	    key, keys, m->status);
	diag_finding_evidence(f, m);
	free(keys);
}

static enum diag_step
project_run(struct diag_run *r)
{
	const char *key = diag_run_option(r, "project");
	const char *need = diag_run_option(r, "need-permission");
	const char *base = diag__live_route_base(r);
	const struct diag_exchange *p, *m;
	struct diag_finding *f;
	char *k, *url;
	int n_missing = 0;

	if (key == NULL || base == NULL ||
	    strcmp(diag__live_product(r), "jira") != 0) {
		project_skip(r, key, base);
		return DIAG_STEP_DONE;
	}
	k = diag__live_urlenc(key);
	if (diag_run_step(r) == 0) {
		project_queue(r, base, k, need);
		free(k);
		return DIAG_STEP_WAIT;
	}
	if (diag_run_step(r) == 2)
		goto weigh;
	p = diag_run_exchange(r, "project");
	m = diag_run_exchange(r, "mypermissions");
	if (diag__live_undecided(r, p) || diag__live_undecided(r, m)) {
		record_unproven(r, key, "Run again when Atlassian answers.",
		    "no usable answer (network, 429 or 5xx)");
		goto out;
	}
	if (p->status == 404 || p->status == 403) {
		project_not_visible(r, key, p, m);
		goto out;
	}
	if (p->status != 200) {
		record_unproven(r, key, NULL,
		    p->status == 401 ?
			"the project read was refused before Jira looked at "
			"the project (see the findings above)" :
			"the project read got an answer that does not say");
		f = diag__live_classified(r, p, DIAG_FAIL);
		if (f == NULL)
			diag_run_status(r, DIAG_FAIL,
			    "GET project answered %ld", p->status);
		goto out;
	}
	diag__req(r, "project", key, DIAG_REQ_PROVEN, DIAG_CONFIRMED, NULL,
	    "GET project answered 200");
	if (m->status != 200) {
		perms_unanswered(r, key, need, m);
		goto out;
	}
	/* Some permission missing: read the project's roles first. */
	if (weigh(r, key, m, NULL, 0) > 0) {
		url = diag_xasprintf("%s/rest/api/3/project/%s/role", base, k);
		diag_run_http(r, "roles", "GET", url, diag__live_auth(r), NULL);
		free(url);
		free(k);
		return DIAG_STEP_WAIT;
	}
weigh:
	n_missing = weigh(r, key, diag_run_exchange(r, "mypermissions"),
	    diag_run_exchange(r, "roles"), 1);
	record_perms(r, key, diag_run_exchange(r, "mypermissions"),
	    DIAG_REQ_UNPROVEN, NULL, "mypermissions gave no answer");
	if (n_missing == 0)
		diag_run_message(r, "project %s visible%s%s", key,
		    need != NULL ? "; holds " : "", need != NULL ? need : "");
out:
	free(k);
	return DIAG_STEP_DONE;
}

const struct diag_check diag_check_project_access = {
	.id = "project.access",
	.summary =
	    "the project is visible; mypermissions for the needed permissions",
	.flags = DIAG_CHECK_LIVE,
	.run = project_run,
};
