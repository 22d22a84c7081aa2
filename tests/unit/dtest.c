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

struct diag_report *
dtest_run(const char *command, const struct dtest_in *t)
{
	struct diag_engine_opts eo;
	struct diag_inputs in;
	struct diag_report *rep;

	diag_inputs_init(&in);
	set(&in, DIAG_IN_SITE, t->site, 0);
	set(&in, DIAG_IN_CLOUD_ID, t->cloud_id, 0);
	set(&in, DIAG_IN_EMAIL, t->email, 0);
	set(&in, DIAG_IN_TOKEN, t->token, t->token_len);
	set(&in, DIAG_IN_AUTH_HEADER, t->auth_header, 0);
	set(&in, DIAG_IN_URL, t->url, 0);
	set(&in, DIAG_IN_METHOD, t->method, 0);
	set(&in, DIAG_IN_PRODUCT, t->product, 0);
	set(&in, DIAG_IN_ORG_KEY, t->org_key, 0);
	memset(&eo, 0, sizeof(eo));
	eo.command = command;
	eo.rules = dtest_rules();
	eo.inputs = &in;
	rep = diag_report_new(command);
	ck_assert_msg(diag_engine_run(&eo, rep) == 0, "engine: %s",
	    rep->error != NULL ? rep->error : "?");
	diag_report_finish(rep, 0);
	diag_inputs_release(&in);
	return rep;
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
