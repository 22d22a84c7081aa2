/* diag/cmd/live_require.c: every requirement the user stated ends proven, disproven or unproven; unproven is never a pass. */
#include <stdlib.h>
#include <string.h>

#include "diag/cmd/live_require.h"
#include "diag/engine/check.h"
#include "diag/core/util.h"

/* diag_json_str(), or "" when absent. */
static const char *
text(struct json_object *o, const char *k)
{
	const char *s = diag_json_str(o, k);

	return s != NULL ? s : "";
}

static struct json_object *
entry(const char *kind, const char *name, const char *outcome, const char *conf,
    const char *how, const char *next, const char *check)
{
	struct json_object *e = json_object_new_object();

	json_object_object_add(e, "kind", json_object_new_string(kind));
	json_object_object_add(e, "name", json_object_new_string(name));
	json_object_object_add(e, "outcome", json_object_new_string(outcome));
	json_object_object_add(e, "confidence", json_object_new_string(conf));
	json_object_object_add(e, "how", json_object_new_string(how));
	json_object_object_add(e, "next_step",
	    next != NULL ? json_object_new_string(next) : NULL);
	json_object_object_add(e, "check", json_object_new_string(check));
	return e;
}

static int
recorded(struct json_object *list, const char *kind, const char *name)
{
	struct json_object *e;
	size_t i;

	for (i = 0; i < json_object_array_length(list); i++) {
		e = json_object_array_get_idx(list, i);
		if (strcmp(text(e, "kind"), kind) == 0 &&
		    (name == NULL || strcmp(text(e, "name"), name) == 0))
			return 1;
	}
	return 0;
}

static const struct diag_check_result *
check_of(const struct diag_report *rep, const char *id)
{
	size_t i;

	for (i = 0; i < rep->n_checks; i++)
		if (rep->checks[i].id != NULL &&
		    strcmp(rep->checks[i].id, id) == 0)
			return &rep->checks[i];
	return NULL;
}

/* A stated requirement no check recorded: why it was not judged. */
static void
not_judged(const struct diag_report *rep, struct json_object *list,
    const char *kind, const char *name, const char *check)
{
	const struct diag_check_result *c = check_of(rep, check);
	char *how;

	if (recorded(list, kind, name))
		return;
	if (c == NULL)
		how = diag_xasprintf(
		    "not checked: %s does not run for this command", check);
	else if (c->status == DIAG_BLOCKED)
		how = diag_xasprintf("not checked: %s was blocked by %s", check,
		    c->blocked_by != NULL ? c->blocked_by : "an earlier check");
	else
		how = diag_xasprintf("not checked: %s %s%s%s", check,
		    diag_status_name(c->status), c->message != NULL ? ": " : "",
		    c->message != NULL ? c->message : "");
	json_object_array_add(list,
	    entry(kind, name, "unproven", "confirmed", how,
		c != NULL && c->status == DIAG_BLOCKED ?
		    "Fix what blocked it first (see the findings above)." :
		    NULL,
		check));
	free(how);
}

/* Each item of a comma- or space-separated option. */
static void
stated_list(const struct diag_report *rep, struct json_object *list,
    struct json_object *options, const char *opt, const char *kind,
    const char *check)
{
	const char *v = diag_json_str(options, opt), *p, *e;
	char *name;

	if (v == NULL)
		return;
	for (p = v; *p != '\0'; p = *e != '\0' ? e + 1 : e) {
		e = p + strcspn(p, ", ");
		if (e == p)
			continue;
		name = diag_xstrndup(p, (size_t)(e - p));
		not_judged(rep, list, kind, name, check);
		free(name);
	}
}

/* The next step for a call the probes left unproven. */
static const char call_next_step[] =
    "Prove the scopes it needs: see the scope requirements above "
    "('atldiag scopes METHOD PATH' lists them).";

/* A --calls verdict as an outcome: proven, disproven or unproven. */
static const char *
call_outcome(const char *verdict)
{
	if (verdict != NULL && strcmp(verdict, "will work") == 0)
		return "proven";
	if (verdict != NULL && strcmp(verdict, "fails") == 0)
		return "disproven";
	return "unproven";
}

/* One "call" entry per --calls line, from member "calls" (scope.probe). */
static void
calls(struct json_object *extra, struct json_object *list)
{
	struct json_object *cs, *c, *ln;
	const char *outcome, *line;
	char *name;
	size_t i;
	int unproven;

	if (!json_object_object_get_ex(extra, "calls", &cs) ||
	    !json_object_is_type(cs, json_type_array))
		return;
	for (i = 0; i < json_object_array_length(cs); i++) {
		c = json_object_array_get_idx(cs, i);
		outcome = call_outcome(diag_json_str(c, "verdict"));
		unproven = strcmp(outcome, "unproven") == 0;
		line = "?";
		if (json_object_object_get_ex(c, "line", &ln))
			line = json_object_get_string(ln);
		name = diag_xasprintf("%s %s (line %s)", text(c, "method"),
		    text(c, "path"), line);
		/* A call's verdict rests on the rule that one whole scope
		 * alternative suffices: observed, not documented. */
		json_object_array_add(list,
		    entry("call", name, outcome,
			unproven ? "confirmed" : "likely", text(c, "message"),
			unproven ? call_next_step : NULL, "scope.probe"));
		free(name);
	}
}

/*
 * 1 when the run already says why check left a requirement unproven: the
 * check raised an inconclusive finding, or it was blocked and the run is
 * inconclusive anyway (a network failure upstream).
 */
static int
explained(const struct diag_report *rep, const char *check)
{
	const struct diag_check_result *c = check_of(rep, check);
	size_t i;

	for (i = 0; i < rep->n_findings; i++) {
		if (rep->findings[i]->status != DIAG_INCONCLUSIVE)
			continue;
		if (strcmp(rep->findings[i]->check_id, check) == 0 ||
		    (c != NULL && c->status == DIAG_BLOCKED))
			return 1;
	}
	return c != NULL && c->status == DIAG_BLOCKED &&
	    rep->verdict == DIAG_INCONCLUSIVE;
}

static int
failed(const struct diag_report *rep)
{
	size_t i;

	for (i = 0; i < rep->n_findings; i++)
		if (rep->findings[i]->status == DIAG_FAIL)
			return 1;
	for (i = 0; i < rep->n_checks; i++)
		if (rep->checks[i].status == DIAG_FAIL)
			return 1;
	return 0;
}

/* A check that left a requirement unproven does not read "pass". */
static void
mark_check(struct diag_report *rep, const char *id)
{
	struct diag_check_result *c;
	size_t i;

	for (i = 0; i < rep->n_checks; i++) {
		c = &rep->checks[i];
		if (c->id == NULL || strcmp(c->id, id) != 0 ||
		    c->status != DIAG_PASS)
			continue;
		c->status = DIAG_INCONCLUSIVE;
		c->codes = diag_xrealloc(c->codes,
		    (c->n_codes + 1) * sizeof(*c->codes));
		c->codes[c->n_codes++] = diag_xstrdup("requirement.unproven");
	}
}

/* The requirement.unproven finding for the unproven entries. */
static void
raise_unproven(struct diag_report *rep, const struct diag_rules *rules,
    struct json_object *list)
{
	struct diag_finding *f = NULL;
	struct json_object *e;
	struct diag_buf d = DIAG_BUF_INIT, steps = DIAG_BUF_INIT;
	const char *next, *chk;
	size_t i, n = 0;
	unsigned seq = 0;

	for (i = 0; i < rep->n_findings; i++)
		if (rep->findings[i]->seq >= seq)
			seq = rep->findings[i]->seq + 1;
	for (i = 0; i < json_object_array_length(list); i++) {
		e = json_object_array_get_idx(list, i);
		chk = text(e, "check");
		if (strcmp(text(e, "outcome"), "unproven") != 0 ||
		    explained(rep, chk))
			continue;
		if (f == NULL) {
			f = diag_xcalloc(1, sizeof(*f));
			f->code = diag_xstrdup("requirement.unproven");
			f->dx = diag_rules_diagnosis(rules, f->code);
			f->check_id = diag_xstrdup(chk);
			f->status = DIAG_INCONCLUSIVE;
			f->confidence = DIAG_CONFIRMED;
			f->seq = seq;
		}
		mark_check(rep, chk);
		diag_buf_addf(&d, "%s%s %s (%s)", n++ > 0 ? "; " : "",
		    text(e, "kind"), text(e, "name"), text(e, "how"));
		next = diag_json_str(e, "next_step");
		if (next != NULL &&
		    strstr(diag_buf_str(&steps), next) == NULL) {
			diag_finding_step(f, "For %s %s: %s", text(e, "kind"),
			    text(e, "name"), next);
			diag_buf_addf(&steps, "%s\n", next);
		}
	}
	if (f != NULL) {
		f->detail = diag_xasprintf("%zu stated requirement%s could not "
					   "be proven either way, so this is "
					   "not a pass: %s.",
		    n, n == 1 ? "" : "s", diag_buf_str(&d));
		rep->findings = diag_xrealloc(rep->findings,
		    (rep->n_findings + 1) * sizeof(*rep->findings));
		rep->findings[rep->n_findings++] = f;
	}
	diag_buf_release(&d);
	diag_buf_release(&steps);
}

void
diag__live_requirements(struct diag_report *rep, const struct diag_rules *rules,
    struct json_object *options, const char *method, const char *url)
{
	struct json_object *list;
	char *req;

	if (rep == NULL || rep->error != NULL)
		return;
	if (rep->extra == NULL)
		rep->extra = json_object_new_object();
	if (!json_object_object_get_ex(rep->extra, "requirements", &list) ||
	    !json_object_is_type(list, json_type_array)) {
		list = json_object_new_array();
		json_object_object_add(rep->extra, "requirements", list);
	}
	calls(rep->extra, list);
	stated_list(rep, list, options, "need-scope", "scope", "scope.probe");
	stated_list(rep, list, options, "need-permission", "permission",
	    "project.access");
	if (diag_json_str(options, "project") != NULL)
		not_judged(rep, list, "project",
		    diag_json_str(options, "project"), "project.access");
	if (diag_json_str(options, "issue") != NULL)
		not_judged(rep, list, "issue", diag_json_str(options, "issue"),
		    "issue.access");
	if (diag_json_str(options, "space") != NULL)
		not_judged(rep, list, "space", diag_json_str(options, "space"),
		    "space.access");
	if (diag_json_str(options, "calls") != NULL &&
	    !recorded(list, "call", NULL))
		not_judged(rep, list, "call", diag_json_str(options, "calls"),
		    "scope.probe");
	if (url != NULL) {
		req = diag_xasprintf("%s %s", method != NULL ? method : "GET",
		    url);
		not_judged(rep, list, "request", req, "request.replay");
		free(req);
	}
	if (json_object_array_length(list) == 0) {
		json_object_object_del(rep->extra, "requirements");
		return;
	}
	if (!failed(rep))
		raise_unproven(rep, rules, list);
}
