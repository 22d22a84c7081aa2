/* checks/live/request_write.c: a write's preconditions (scope, permission, issue visibility), proven or not, without sending it. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "checks/live/live_util.h"
#include "checks/live/request_write.h"
#include "checks/live/requirement.h"
#include "diag/rules/permissions.h"
#include "diag/core/util.h"

#define BODY_MAX (1024 * 1024)

/* Where the write lands: the issue in its URL, else a project. */
struct target {
	char *issue; /* key or id, from the URL */
	char *project; /* key or id */
	const char *from; /* where the project came from */
	char *roles_of; /* project whose roles to read */
};

/* What one precondition came to: 1 proven, 0 disproven, -1 unproven. */
struct proof {
	int state;
	struct diag_buf how;
};

static int
all_digits(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (!isdigit((unsigned char)*s))
			return 0;
	return 1;
}

/* fields.project.key (or .id) of the --data-file body, if any. */
static void
from_body(struct diag_run *r, struct target *t)
{
	const char *file = diag_run_option(r, "data-file"), *why;
	struct json_object *o, *p, *v;
	char *data = NULL;
	size_t len;

	if (file == NULL ||
	    diag_read_file(file, BODY_MAX, &data, &len, &why) != 0)
		return;
	o = json_tokener_parse(data);
	free(data);
	if (o != NULL && json_object_is_type(o, json_type_object) &&
	    json_object_object_get_ex(o, "fields", &p) &&
	    json_object_is_type(p, json_type_object) &&
	    json_object_object_get_ex(p, "project", &p) &&
	    json_object_is_type(p, json_type_object)) {
		if (json_object_object_get_ex(p, "key", &v) &&
		    json_object_is_type(v, json_type_string)) {
			t->project = diag_xstrdup(json_object_get_string(v));
			t->from = "the body (fields.project.key)";
		} else if (json_object_object_get_ex(p, "id", &v) &&
		    (json_object_is_type(v, json_type_string) ||
			json_object_is_type(v, json_type_int))) {
			t->project = diag_xstrdup(json_object_get_string(v));
			t->from = "the body (fields.project.id)";
		}
	}
	json_object_put(o);
}

/* The issue or project the write lands on. */
static void
target_find(struct diag_run *r, const struct diag_perms_op *op, const char *url,
    struct target *t)
{
	const char *opt = diag_run_option(r, "project");

	memset(t, 0, sizeof(*t));
	t->issue = diag_perms_param(op, url, "{issue");
	if (t->issue != NULL &&
	    (*t->issue == '\0' || strchr(t->issue, '{') != NULL)) {
		free(t->issue);
		t->issue = NULL;
	}
	if (t->issue != NULL && !all_digits(t->issue) &&
	    strchr(t->issue, '-') != NULL)
		t->roles_of = diag_xstrndup(t->issue, strcspn(t->issue, "-"));
	if (t->issue == NULL &&
	    (t->project = diag_perms_param(op, url, "{project")) != NULL)
		t->from = "the URL";
	if (t->issue == NULL && t->project == NULL)
		from_body(r, t);
	if (t->issue == NULL && t->project == NULL && opt != NULL) {
		t->project = diag_xstrdup(opt);
		t->from = "--project";
	}
	if (t->project != NULL && t->roles_of == NULL)
		t->roles_of = diag_xstrdup(t->project);
}

static void
target_free(struct target *t)
{
	free(t->issue);
	free(t->project);
	free(t->roles_of);
}

/* 1 when k is an item of the comma-separated list. */
static int
listed(const char *list, const char *k)
{
	size_t n = strlen(k);
	const char *p;

	for (p = list; (p = strstr(p, k)) != NULL; p++)
		if ((p == list || p[-1] == ',') &&
		    (p[n] == ',' || p[n] == '\0'))
			return 1;
	return 0;
}

/* The keys op names, once each, comma-separated; BROWSE_PROJECTS when
 * none is named but the write lands on an issue or project (its answer
 * tells whether they are visible). */
static char *
keys_of(const struct diag_perms_op *op, const struct target *t)
{
	struct diag_buf b = DIAG_BUF_INIT;
	size_t i, j;

	for (i = 0; op != NULL && i < op->n_alts; i++)
		for (j = 0; j < op->alts[i].n_keys; j++)
			if (!listed(diag_buf_str(&b), op->alts[i].keys[j]))
				diag_buf_addf(&b, "%s%s", b.len > 0 ? "," : "",
				    op->alts[i].keys[j]);
	if (b.len == 0 && (t->issue != NULL || t->project != NULL))
		diag_buf_adds(&b, "BROWSE_PROJECTS");
	return diag_buf_detach(&b);
}

/* Queues mypermissions for the target and the project (its roles). */
static enum diag_step
queue(struct diag_run *r, const struct target *t, const char *keys)
{
	const char *base = diag__live_route_base(r), *param = NULL, *val;
	char *v, *url;

	if (base == NULL || *keys == '\0')
		return DIAG_STEP_DONE;
	val = t->issue != NULL ? t->issue : t->project;
	if (t->issue != NULL)
		param = all_digits(t->issue) ? "issueId" : "issueKey";
	else if (t->project != NULL)
		param = all_digits(t->project) ? "projectId" : "projectKey";
	v = diag__live_urlenc(val != NULL ? val : "");
	url = diag__live_mypermissions_url(base, param, v, keys);
	diag_run_http(r, "w_perm", "GET", url, diag__live_auth(r), NULL);
	free(url);
	free(v);
	if (t->roles_of != NULL) {
		v = diag__live_urlenc(t->roles_of);
		url = diag_xasprintf("%s/rest/api/3/project/%s", base, v);
		diag_run_http(r, "w_proj", "GET", url, diag__live_auth(r),
		    NULL);
		free(url);
		free(v);
	}
	return DIAG_STEP_WAIT;
}

/* Whether the token may write here as far as scopes go. */
static void
scope_proof(struct diag_run *r, const char *url, struct proof *p)
{
	const char *alts = diag_run_option(r, "request-scopes");
	const char *route = diag_run_fact_str(r, "auth.route");
	char *first;
	size_t i;

	p->state = -1;
	if (route == NULL) {
		diag_buf_adds(&p->how,
		    "scope: the token's identity was not confirmed");
		return;
	}
	if (strstr(url, "://api.atlassian.com/") == NULL &&
	    strcmp(route, "site") == 0) {
		p->state = 1;
		diag_buf_adds(&p->how,
		    "scope: none applies (the token works on the site URL, "
		    "where a classic token is not scope-checked)");
		return;
	}
	if (strstr(url, "://api.atlassian.com/") == NULL) {
		diag_buf_adds(&p->how,
		    "scope: the token does not work on the site URL this write "
		    "goes to");
		return;
	}
	if (alts == NULL || *alts == '\0') {
		diag_buf_adds(&p->how,
		    "scope: the scope catalogue names no scope for this "
		    "operation");
		return;
	}
	first = diag_xstrndup(alts, strcspn(alts, " |"));
	for (i = 0; first[i] != '\0'; i++)
		if (first[i] == '+')
			first[i] = ',';
	if (diag_run_fact_true(r, "token.scoped"))
		diag_buf_addf(&p->how,
		    "scope: the token is scoped and this write needs one of "
		    "%s, which no read can prove; prove it with 'atldiag check "
		    "--need-scope %s --probe-writes' (an invalid body the "
		    "gateway scope-checks; nothing is created)",
		    alts, first);
	else
		diag_buf_addf(&p->how,
		    "scope: a classic token through api.atlassian.com, where "
		    "how its writes are scope-checked is not documented; send "
		    "the write to the site URL (classic tokens are not "
		    "scope-checked there) or use a scoped token with %s",
		    first);
	free(first);
}

/* 1 held, 0 not held, -1 not answered. */
static int
have(struct json_object *perms, const char *key)
{
	struct json_object *pe, *v;

	if (perms == NULL || !json_object_object_get_ex(perms, key, &pe) ||
	    !json_object_object_get_ex(pe, "havePermission", &v))
		return -1;
	return json_object_get_boolean(v) ? 1 : 0;
}

/*
 * 1 when an alternative is held (*best: it), 0 when every alternative
 * lacks a key (*best: the one lacking fewest), -1 otherwise. Without an
 * issue or project, a project permission held "somewhere" proves
 * nothing about the target; one held nowhere is held nowhere.
 */
static int
perm_state(const struct diag_perms_op *op, struct json_object *perms,
    int context, size_t *best)
{
	const struct diag_perms *cat = diag_perms_default();
	const char *k, *type;
	size_t i, j, n_no, min = (size_t)-1;
	int h, unknown, any_unknown = 0;

	for (i = 0; i < op->n_alts; i++) {
		n_no = 0;
		unknown = 0;
		for (j = 0; j < op->alts[i].n_keys; j++) {
			k = op->alts[i].keys[j];
			type = diag_perms_type(cat, k);
			h = have(perms, k);
			if (h == 1 && !context &&
			    (type == NULL || strcmp(type, "global") != 0))
				h = -1;
			if (h == 0)
				n_no++;
			else if (h < 0)
				unknown = 1;
		}
		if (n_no == 0 && !unknown) {
			*best = i;
			return 1;
		}
		if (n_no == 0)
			any_unknown = 1;
		else if (n_no < min) {
			min = n_no;
			*best = i;
		}
	}
	return any_unknown ? -1 : 0;
}

/* The names of the project's roles, from GET project ("roles"). */
static char *
role_names(const struct diag_exchange *proj)
{
	struct json_object *o, *roles;
	struct diag_buf b = DIAG_BUF_INIT;

	if (proj == NULL || proj->status != 200 ||
	    (o = diag__live_json(proj)) == NULL)
		return NULL;
	if (json_object_object_get_ex(o, "roles", &roles) &&
	    json_object_is_type(roles, json_type_object)) {
		json_object_object_foreach(roles, name, v) {
			(void)v;
			diag_buf_addf(&b, "%s%s", b.len > 0 ? ", " : "", name);
		}
	}
	json_object_put(o);
	if (b.len == 0)
		return NULL;
	return diag_buf_detach(&b);
}

/* permission.missing (or admin_required) for one key not held. */
static void
missing(struct diag_run *r, const struct diag_perms_op *op,
    const struct target *t, const char *key, const struct diag_exchange *ex)
{
	const struct diag_perms *cat = diag_perms_default();
	const char *type = diag_perms_type(cat, key);
	const char *who = diag_run_fact_str(r, "email.clean");
	const char *in = "", *where = "";
	int global = type != NULL && strcmp(type, "global") == 0;
	int admin =
	    strcmp(key, "ADMINISTER") == 0 || strcmp(key, "SYSTEM_ADMIN") == 0;
	struct diag_finding *f;
	char *roles, *alts;

	if (!global && t->issue != NULL) {
		in = " in the project of issue ";
		where = t->issue;
	} else if (!global && t->project != NULL) {
		in = " in project ";
		where = t->project;
	}
	f = diag_run_finding(r,
	    admin ? "permission.admin_required" : "permission.missing",
	    DIAG_FAIL, op->exact ? DIAG_CONFIRMED : DIAG_LIKELY,
	    "The account does not hold %s%s%s%s, which %s %s (%s) needs: "
	    "mypermissions answers havePermission: false. The write was not "
	    "sent.",
	    key, global ? " (a global permission)" : "", in, where, op->method,
	    op->path, op->operation);
	if (global)
		diag_finding_step(f,
		    "A Jira administrator grants %s to a group of %s in Jira "
		    "settings > System > Global permissions.",
		    key, who != NULL ? who : "the account");
	else {
		roles = role_names(diag_run_exchange(r, "w_proj"));
		if (roles != NULL)
			diag_finding_note(f,
			    "project roles of %s: %s; the project's permission "
			    "scheme (Project settings > Permissions) says "
			    "which of them grant %s, and the account holds "
			    "none that does",
			    t->roles_of, roles, key);
		else
			diag_finding_note(f,
			    "which project roles grant %s is set by the "
			    "project's permission scheme (Project settings > "
			    "Permissions)",
			    key);
		diag_finding_step(f,
		    "A project administrator of %s opens Project settings > "
		    "Permissions, finds %s, and adds %s to a role or group it "
		    "is granted to.",
		    t->roles_of != NULL ? t->roles_of : "the project", key,
		    who != NULL ? who : "the account");
		free(roles);
	}
	if (op->n_alts > 1) {
		alts = diag_perms_alts_str(op);
		diag_finding_note(f, "any one of these sets is enough: %s",
		    alts);
		free(alts);
	}
	if (!op->exact)
		diag_finding_note(f,
		    "read from the operation's documentation: \"%s\"",
		    op->text);
	diag_finding_evidence(f, ex);
}

/* A 404 from mypermissions: the issue or project is not visible. */
static void
not_visible(struct diag_run *r, const struct target *t,
    const struct diag_exchange *ex)
{
	struct diag_finding *f;

	if (t->issue != NULL)
		f = diag_run_finding(r, "issue.not_visible", DIAG_FAIL,
		    DIAG_LIKELY,
		    "Issue %s does not exist or is not visible to this account "
		    "(mypermissions answers 404), so the write to it cannot "
		    "succeed. The write was not sent.",
		    t->issue);
	else
		f = diag_run_finding(r, "project.not_visible", DIAG_FAIL,
		    DIAG_LIKELY,
		    "Project %s (from %s) does not exist or is not visible to "
		    "this account (mypermissions answers 404). The write was "
		    "not sent.",
		    t->project, t->from);
	diag_finding_evidence(f, ex);
}

/* The permission precondition; returns 1 when a failure was raised. */
static int
perm_proof(struct diag_run *r, const struct diag_perms_op *op,
    const struct target *t, const char *keys, struct proof *p)
{
	const struct diag_exchange *ex = diag_run_exchange(r, "w_perm");
	struct json_object *o = NULL, *perms = NULL;
	size_t best = 0, j;
	int context = t->issue != NULL || t->project != NULL;

	p->state = -1;
	if (ex != NULL && diag__live_undecided(r, ex)) {
		diag_buf_adds(&p->how,
		    "permission: mypermissions did not answer");
		return 0;
	}
	if (ex != NULL && ex->status == 404 && context) {
		not_visible(r, t, ex);
		p->state = 0;
		return 1;
	}
	if (op == NULL) {
		diag_buf_adds(&p->how,
		    "permission: this operation is not in the permission "
		    "catalogue (Jira platform REST API operations); check what "
		    "it needs with 'atldiag can-i PERMISSION --project KEY'");
		return 0;
	}
	if (op->n_alts == 0 &&
	    (!context || (ex != NULL && ex->status == 200))) {
		p->state = 1;
		diag_buf_addf(&p->how, "permission: %s names none",
		    op->operation);
		return 0;
	}
	if (ex == NULL || ex->status != 200) {
		if (ex != NULL)
			diag_buf_addf(&p->how,
			    "permission: mypermissions answered %ld for %s",
			    ex->status, keys);
		else
			diag_buf_addf(&p->how,
			    "permission: %s needs %s, not checked (no "
			    "confirmed identity)",
			    op->operation, keys);
		return 0;
	}
	if ((o = diag__live_json(ex)) != NULL)
		(void)json_object_object_get_ex(o, "permissions", &perms);
	p->state = perm_state(op, perms, context, &best);
	if (p->state == 1) {
		diag_buf_adds(&p->how, "permission ");
		for (j = 0; j < op->alts[best].n_keys; j++)
			diag_buf_addf(&p->how, "%s%s", j > 0 ? "+" : "",
			    op->alts[best].keys[j]);
		if (context)
			diag_buf_addf(&p->how, " on %s %s (mypermissions)",
			    t->issue != NULL ? "issue" : "project",
			    t->issue != NULL ? t->issue : t->project);
		else
			diag_buf_adds(&p->how, " (mypermissions)");
	} else if (p->state == 0) {
		for (j = 0; j < op->alts[best].n_keys; j++)
			if (have(perms, op->alts[best].keys[j]) == 0)
				missing(r, op, t, op->alts[best].keys[j], ex);
	} else if (!context)
		diag_buf_addf(&p->how,
		    "permission: %s on the project the write lands on: the "
		    "project could not be determined from the URL, a "
		    "--data-file body (fields.project.key) or --project; give "
		    "--project KEY",
		    keys);
	else
		diag_buf_addf(&p->how,
		    "permission: mypermissions did not answer for every key of "
		    "%s",
		    keys);
	json_object_put(o);
	return p->state == 0;
}

/* request.write_not_sent: says so, with what was and was not proven. */
static void
conclude(struct diag_run *r, const char *method, const char *url, int failed,
    struct proof *sc, struct proof *pm)
{
	const char *alts = diag_run_option(r, "request-scopes");
	struct diag_finding *f;
	struct diag_buf no = DIAG_BUF_INIT, yes = DIAG_BUF_INIT;
	struct proof *ps[2] = { sc, pm };
	size_t i;

	for (i = 0; i < 2; i++)
		if (ps[i]->state == 1)
			diag_buf_addf(&yes, "%s%s", yes.len > 0 ? "; " : "",
			    diag_buf_str(&ps[i]->how));
		else if (ps[i]->state < 0)
			diag_buf_addf(&no, "%s%s", no.len > 0 ? "; " : "",
			    diag_buf_str(&ps[i]->how));
	if (failed)
		diag__req_request(r, DIAG_REQ_DISPROVEN, DIAG_CONFIRMED, NULL,
		    "not sent; a precondition is disproven");
	else if (no.len > 0)
		diag__req_request(r, DIAG_REQ_UNPROVEN, DIAG_CONFIRMED, NULL,
		    "not sent; unproven: %s", diag_buf_str(&no));
	else
		diag__req_request(r, DIAG_REQ_PROVEN, DIAG_LIKELY, NULL,
		    "not sent (atldiag never sends a write); its preconditions "
		    "are proven: %s",
		    diag_buf_str(&yes));
	if (failed)
		f = diag_run_finding(r, "request.write_not_sent", DIAG_WARN,
		    DIAG_CONFIRMED,
		    "%s %s was not sent (atldiag never sends a write): a "
		    "precondition it needs is disproven.",
		    method, url);
	else if (no.len > 0) {
		f = diag_run_finding(r, "request.write_not_sent",
		    DIAG_INCONCLUSIVE, DIAG_CONFIRMED,
		    "%s %s was not sent (atldiag never sends a write), and not "
		    "every precondition could be proven: %s.",
		    method, url, diag_buf_str(&no));
		diag_run_status(r, DIAG_INCONCLUSIVE,
		    "write not sent; unproven: %s", diag_buf_str(&no));
	} else
		f = diag_run_finding(r, "request.write_not_sent", DIAG_WARN,
		    DIAG_CONFIRMED,
		    "%s %s was not sent (atldiag never sends a write); "
		    "preconditions proven: %s.",
		    method, url, diag_buf_str(&yes));
	if (yes.len > 0 && (failed || no.len > 0))
		diag_finding_note(f, "proven: %s", diag_buf_str(&yes));
	if (alts != NULL && *alts != '\0')
		diag_finding_note(f,
		    "scopes this operation accepts (one alternative suffices): "
		    "%s",
		    alts);
	diag_buf_release(&no);
	diag_buf_release(&yes);
}

enum diag_step
diag__request_write(struct diag_run *r)
{
	const char *url = diag_run_input(r, DIAG_IN_URL)->value;
	const char *method = diag_run_input(r, DIAG_IN_METHOD)->value;
	const struct diag_perms_op *op;
	struct proof sc = { -1, DIAG_BUF_INIT }, pm = { -1, DIAG_BUF_INIT };
	struct target t;
	char *keys;
	int failed;

	op = diag_perms_find(diag_perms_default(), method, url);
	target_find(r, op, url, &t);
	keys = keys_of(op, &t);
	if (diag_run_step(r) == 0 && queue(r, &t, keys) == DIAG_STEP_WAIT) {
		free(keys);
		target_free(&t);
		return DIAG_STEP_WAIT;
	}
	scope_proof(r, url, &sc);
	failed = perm_proof(r, op, &t, keys, &pm);
	conclude(r, method, url, failed, &sc, &pm);
	diag_buf_release(&sc.how);
	diag_buf_release(&pm.how);
	free(keys);
	target_free(&t);
	return DIAG_STEP_DONE;
}
