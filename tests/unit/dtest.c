/* tests/unit/dtest.c: helpers shared by the Check unit suites. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag/engine/engine.h"
#include "diag/core/util.h"
#include "tests/unit/dtest.h"

const struct diag_rules *
dtest_rules(void)
{
	static struct diag_rules *rules;
	char *err = NULL;

	if (rules == NULL && diag_rules_load(NULL, &rules, &err) != 0) {
		fprintf(stderr, "dtest: cannot load built-in rules: %s\n", err);
		abort();
	}
	return rules;
}

static void
set(struct diag_inputs *in, enum diag_input_id id, const char *v, size_t len)
{
	if (v != NULL)
		diag_inputs_set(in, id, v, len != 0 ? len : strlen(v), "test");
}

/* The inputs of t, sources "test". */
static void
inputs_of(const struct dtest_in *t, struct diag_inputs *in)
{
	diag_inputs_init(in);
	set(in, DIAG_IN_SITE, t->site, 0);
	set(in, DIAG_IN_CLOUD_ID, t->cloud_id, 0);
	set(in, DIAG_IN_EMAIL, t->email, 0);
	set(in, DIAG_IN_TOKEN, t->token, t->token_len);
	set(in, DIAG_IN_AUTH_HEADER, t->auth_header, 0);
	set(in, DIAG_IN_URL, t->url, 0);
	set(in, DIAG_IN_METHOD, t->method, 0);
	set(in, DIAG_IN_PRODUCT, t->product, 0);
	set(in, DIAG_IN_ORG_KEY, t->org_key, 0);
}

/* Runs the engine with eo (inputs, command and rules filled here). */
static struct diag_report *
run(struct diag_engine_opts *eo, const char *command, const struct dtest_in *t)
{
	struct diag_inputs in;
	struct diag_report *rep;

	inputs_of(t, &in);
	eo->command = command;
	eo->rules = dtest_rules();
	eo->inputs = &in;
	rep = diag_report_new(command);
	ck_assert_msg(diag_engine_run(eo, rep) == 0, "engine: %s",
	    rep->error != NULL ? rep->error : "?");
	diag_report_finish(rep, 0);
	diag_inputs_release(&in);
	return rep;
}

struct diag_report *
dtest_run(const char *command, const struct dtest_in *t)
{
	struct diag_engine_opts eo;

	memset(&eo, 0, sizeof(eo));
	return run(&eo, command, t);
}

/* The recorded exchange of one answer (owned). */
static struct diag_exchange *
answer_exchange(const struct dtest_answer *a)
{
	struct diag_exchange *ex;
	size_t i;

	ex = diag_exchange_new("recorded", a->method, a->url);
	ex->status = a->status;
	ex->http_version = diag_xstrdup("HTTP/1.1");
	for (i = 0; a->headers != NULL && a->headers[i] != NULL; i += 2)
		diag_exchange_add_header(ex, a->headers[i], a->headers[i + 1]);
	if (a->body != NULL) {
		ex->body = diag_xstrdup(a->body);
		ex->body_len = strlen(a->body);
	}
	return ex;
}

struct diag_report *
dtest_live(const char *command, const struct dtest_in *t,
    const char *const *options, const struct dtest_answer *answers)
{
	struct diag_engine_opts eo;
	struct diag_replay *rp;
	struct diag_report *rep;
	struct json_object *opts;
	size_t i, n;

	for (n = 0; answers[n].url != NULL; n++)
		;
	rp = diag_xcalloc(n + 1, sizeof(*rp));
	for (i = 0; i < n; i++) {
		rp[i].method = answers[i].method;
		rp[i].url = answers[i].url;
		rp[i].ex = answer_exchange(&answers[i]);
	}
	opts = json_object_new_object();
	for (i = 0; options != NULL && options[i] != NULL; i += 2)
		json_object_object_add(opts, options[i],
		    json_object_new_string(options[i + 1]));
	memset(&eo, 0, sizeof(eo));
	eo.options = opts;
	eo.replay = rp;
	eo.n_replay = n;
	rep = run(&eo, command, t);
	for (i = 0; i < n; i++)
		diag_exchange_free((struct diag_exchange *)rp[i].ex);
	free(rp);
	json_object_put(opts);
	return rep;
}

const char *
dtest_input(const struct diag_report *rep, const char *input, const char *key)
{
	struct json_object *t, *v;

	if (rep->inputs == NULL ||
	    !json_object_object_get_ex(rep->inputs, input, &t) ||
	    !json_object_object_get_ex(t, key, &v))
		return "";
	return json_object_get_string(v);
}

void
dtest_assert_message_starts(const struct diag_report *rep, const char *id,
    const char *prefix)
{
	const struct diag_check_result *c = dtest_check(rep, id);

	ck_assert_msg(c != NULL, "no check %s", id);
	ck_assert_msg(c->message != NULL &&
		strncmp(c->message, prefix, strlen(prefix)) == 0,
	    "%s: message '%s', expected '%s...'", id,
	    c->message != NULL ? c->message : "", prefix);
}

const struct diag_finding *
dtest_finding(const struct diag_report *rep, const char *code)
{
	size_t i;

	for (i = 0; i < rep->n_findings; i++)
		if (strcmp(rep->findings[i]->code, code) == 0)
			return rep->findings[i];
	return NULL;
}

const struct diag_check_result *
dtest_check(const struct diag_report *rep, const char *id)
{
	size_t i;

	for (i = 0; i < rep->n_checks; i++)
		if (strcmp(rep->checks[i].id, id) == 0)
			return &rep->checks[i];
	return NULL;
}

const char *
dtest_codes(const struct diag_report *rep)
{
	static char buf[4096];
	size_t i, off = 0;

	buf[0] = '\0';
	for (i = 0; i < rep->n_findings && off < sizeof(buf) - 1; i++)
		off += (size_t)snprintf(buf + off, sizeof(buf) - off, "%s%s",
		    i > 0 ? "," : "", rep->findings[i]->code);
	return buf;
}
