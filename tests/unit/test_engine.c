/* tests/unit/test_engine.c: plan order, blocked prerequisites, facts, ranking. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag/engine/engine.h"
#include "diag/rules/rules_embedded.h"
#include "diag/core/util.h"
#include "tests/unit/dtest.h"

START_TEST(lint_runs_every_offline_check_in_plan_order)
{
	struct dtest_in in = { .site = "acme.atlassian.net" };
	const struct diag_plan_entry *plan;
	struct diag_report *rep;
	size_t n, i, k = 0;

	rep = dtest_run("lint", &in);
	n = diag_rules_plan(dtest_rules(), &plan);
	for (i = 0; i < n; i++) {
		if ((plan[i].commands & diag_command_bit("lint")) == 0)
			continue;
		ck_assert_uint_lt(k, rep->n_checks);
		ck_assert_str_eq(rep->checks[k].id, plan[i].id);
		k++;
	}
	ck_assert_uint_eq(k, rep->n_checks);
	diag_report_free(rep);
}
END_TEST

/* A plan where input.token needs input.sources: with nothing given,
 * `check` fails input.sources, so input.token must be blocked. */
START_TEST(failed_prerequisite_blocks_instead_of_failing_again)
{
	static const char plan[] =
	    "{\"schema\":\"atldiag.plan/1\",\"checks\":["
	    "{\"id\":\"input.sources\",\"commands\":[\"check\"]},"
	    "{\"id\":\"input.token\",\"commands\":[\"check\"],"
	    "\"after\":[\"input.sources\"]}]}";
	char tmpl[] = "/tmp/dtest-engine-XXXXXX", *dir, *path, *err = NULL;
	struct diag_engine_opts eo;
	struct diag_rules *rules = NULL;
	struct diag_inputs in;
	struct diag_report *rep;
	FILE *f;
	size_t i;

	dir = mkdtemp(tmpl);
	for (i = 0; i < diag_embedded_rules_count; i++) {
		path =
		    diag_xasprintf("%s/%s", dir, diag_embedded_rules[i].name);
		f = fopen(path, "w");
		if (strcmp(diag_embedded_rules[i].name, "plan.json") == 0)
			fputs(plan, f);
		else
			fwrite(diag_embedded_rules[i].data, 1,
			    diag_embedded_rules[i].len, f);
		fclose(f);
		free(path);
	}
	ck_assert_msg(diag_rules_load(dir, &rules, &err) == 0, "%s", err);
	diag_inputs_init(&in);
	memset(&eo, 0, sizeof(eo));
	eo.command = "check";
	eo.rules = rules;
	eo.inputs = &in;
	rep = diag_report_new("check");
	ck_assert_int_eq(diag_engine_run(&eo, rep), 0);
	diag_report_finish(rep, 0);
	ck_assert_uint_eq(rep->n_checks, 2);
	ck_assert_int_eq(rep->checks[0].status, DIAG_FAIL);
	ck_assert_int_eq(rep->checks[1].status, DIAG_BLOCKED);
	ck_assert_str_eq(rep->checks[1].blocked_by, "input.sources");
	ck_assert_int_eq(rep->exit_code, 1);
	diag_report_free(rep);
	diag_rules_free(rules);
	path = diag_xasprintf("rm -rf '%s'", dir);
	ck_assert_int_eq(system(path), 0);
	free(path);
}
END_TEST

START_TEST(healthy_inputs_pass_with_exit_zero)
{
	struct dtest_in in = {
		.site = "acme.atlassian.net",
		.email = "mia@example.com",
		.token =
		    "ATATT3xFfGF0K3irG5tKKi-6u-wwaXQFeGwZ-IHR-hQ3CulkKtMSut"
		    "eRQFfLZ6jihHThzZCg_UjnDt-4Wl_"
		    "gIRf4zrZJs5JqaeuBhsfJ4W5GD6yGg"
		    "3W7903gbvaxZPBjxIQQ7BgFDSkPS8oPispw4KLz56mdK-"
		    "G6CIvLO6hHRrZH"
		    "Y0Q3tvJ6JxE=C63992E6",
	};
	struct diag_report *rep;

	rep = dtest_run("lint", &in);
	ck_assert_msg(rep->verdict == DIAG_PASS || rep->verdict == DIAG_WARN,
	    "verdict %s: [%s]", diag_status_name(rep->verdict),
	    dtest_codes(rep));
	ck_assert_int_eq(rep->exit_code, 0);
	diag_report_free(rep);
}
END_TEST

START_TEST(failures_rank_before_warnings)
{
	struct dtest_in in = {
		.site = "http://jira.example.com",
		.email = "mia@example.com",
		.token =
		    "ATATT3xFfGF0K3irG5tKKi-6u-wwaXQFeGwZ-IHR-hQ3CulkKtMSut"
		    "eRQFfLZ6jihHThzZCg_UjnDt-4Wl_"
		    "gIRf4zrZJs5JqaeuBhsfJ4W5GD6yGg"
		    "3W7903gbvaxZPBjxIQQ7BgFDSkPS8oPispw4KLz56mdK-"
		    "G6CIvLO6hHRrZH"
		    "Y0Q3tvJ6JxE=C63992E5",
	};
	struct diag_report *rep;
	enum diag_status prev, cur;
	size_t i;

	rep = dtest_run("lint", &in);
	ck_assert_uint_gt(rep->n_findings, 1);
	for (i = 1; i < rep->n_findings; i++) {
		prev = rep->findings[i - 1]->status;
		cur = rep->findings[i]->status;
		ck_assert_msg(!(prev == DIAG_WARN && cur == DIAG_FAIL),
		    "warn ranked before fail: [%s]", dtest_codes(rep));
	}
	ck_assert_int_eq(rep->findings[0]->status, DIAG_FAIL);
	ck_assert_int_eq(rep->exit_code, 1);
	diag_report_free(rep);
}
END_TEST

/* input.site and input.request both raise site.not_https for an http://
 * site and request URL: the report shows it once, with the other
 * check's detail kept as a note. */
START_TEST(same_code_from_two_checks_is_reported_once)
{
	struct dtest_in in = {
		.site = "http://acme.atlassian.net",
		.email = "mia@example.com",
		.url = "http://acme.atlassian.net/rest/api/3/myself",
		.token =
		    "ATATT3xFfGF0K3irG5tKKi-6u-wwaXQFeGwZ-IHR-hQ3CulkKtMSut"
		    "eRQFfLZ6jihHThzZCg_UjnDt-4Wl_"
		    "gIRf4zrZJs5JqaeuBhsfJ4W5GD6yGg"
		    "3W7903gbvaxZPBjxIQQ7BgFDSkPS8oPispw4KLz56mdK-"
		    "G6CIvLO6hHRrZH"
		    "Y0Q3tvJ6JxE=C63992E6",
	};
	const struct diag_finding *f;
	const struct diag_check_result *cs, *cr;
	struct diag_report *rep;
	size_t i, n = 0, also = 0;

	rep = dtest_run("lint", &in);
	for (i = 0; i < rep->n_findings; i++)
		if (strcmp(rep->findings[i]->code, "site.not_https") == 0)
			n++;
	ck_assert_msg(n == 1, "site.not_https %zu times: [%s]", n,
	    dtest_codes(rep));
	f = dtest_finding(rep, "site.not_https");
	ck_assert_int_eq(f->status, DIAG_FAIL);
	ck_assert_int_eq(f->confidence, DIAG_CONFIRMED);
	for (i = 0; i < f->n_notes; i++)
		if (strstr(f->notes[i], "also seen by input.") != NULL)
			also++;
	ck_assert_uint_eq(also, 1);
	/* Both checks still name the code they raised. */
	cs = dtest_check(rep, "input.site");
	cr = dtest_check(rep, "input.request");
	ck_assert_uint_eq(cs->n_codes, 1);
	ck_assert_uint_eq(cr->n_codes, 1);
	ck_assert_str_eq(cs->codes[0], "site.not_https");
	ck_assert_str_eq(cr->codes[0], "site.not_https");
	diag_report_free(rep);
}
END_TEST

Suite *
engine_suite(void)
{
	Suite *s = suite_create("engine");
	TCase *tc = tcase_create("plan");

	tcase_add_test(tc, lint_runs_every_offline_check_in_plan_order);
	tcase_add_test(tc, failed_prerequisite_blocks_instead_of_failing_again);
	tcase_add_test(tc, healthy_inputs_pass_with_exit_zero);
	tcase_add_test(tc, failures_rank_before_warnings);
	tcase_add_test(tc, same_code_from_two_checks_is_reported_once);
	suite_add_tcase(s, tc);
	return s;
}
