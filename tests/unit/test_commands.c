/* tests/unit/test_commands.c: the command table, the option catalogue and rules/plan.json agree. */
#include <string.h>

#include "diag/cmd/commands.h"
#include "tests/unit/dtest.h"

/* Every plan command of the table is named by plan.json, and every name
 * plan.json uses is one the table runs (load refuses others). */
START_TEST(table_and_plan_agree)
{
	const struct diag_plan_entry *plan;
	const struct diag_command *cmds;
	unsigned used = 0, run = 0, bit;
	size_t i, n, n_plan;

	n_plan = diag_rules_plan(dtest_rules(), &plan);
	ck_assert_uint_gt(n_plan, 0);
	for (i = 0; i < n_plan; i++) {
		ck_assert_msg(plan[i].commands != 0, "%s runs nowhere",
		    plan[i].id);
		used |= plan[i].commands;
	}
	n = diag_commands(&cmds);
	for (i = 0; i < n; i++) {
		if (cmds[i].plan == NULL)
			continue;
		bit = diag_command_bit(cmds[i].plan);
		ck_assert_msg(bit != 0, "%s: plan '%s' has no bit",
		    cmds[i].name, cmds[i].plan);
		ck_assert_msg((used & bit) != 0,
		    "%s runs plan '%s', which plan.json never names",
		    cmds[i].name, cmds[i].plan);
		run |= bit;
	}
	ck_assert_msg((used & ~run) == 0,
	    "plan.json names a plan command no command runs (bits 0x%x)",
	    used & ~run);
	ck_assert_uint_eq(diag_command_bit("batch"), 0);
	ck_assert_uint_eq(diag_command_bit("fly"), 0);
}
END_TEST

/* Each command's own options are in the catalogue, listed once, and not
 * common or input ones (those come with the command's flags). */
START_TEST(command_options_are_in_catalogue)
{
	const unsigned implied = DIAG_OPTF_COMMON | DIAG_OPTF_INPUT;
	const struct diag_command *cmds;
	const struct diag_option *opt;
	const char *const *p, *const *q;
	size_t i, n;

	n = diag_commands(&cmds);
	for (i = 0; i < n; i++) {
		ck_assert_ptr_nonnull(cmds[i].run);
		ck_assert_ptr_nonnull(cmds[i].summary);
		ck_assert_ptr_nonnull(cmds[i].help);
		ck_assert_ptr_eq(diag_command_find(cmds[i].name), &cmds[i]);
		for (p = cmds[i].options; *p != NULL; p++) {
			opt = diag_option_find(*p);
			ck_assert_msg(opt != NULL, "%s: unknown option '%s'",
			    cmds[i].name, *p);
			ck_assert_msg((opt->flags & implied) == 0,
			    "%s lists '%s', which comes with its flags",
			    cmds[i].name, *p);
			for (q = cmds[i].options; q != p; q++)
				ck_assert_str_ne(*q, *p);
		}
	}
}
END_TEST

/* Every option is taken by some command, has help, and a number has
 * limits; batch's concurrency fits its thread array. */
START_TEST(every_option_is_taken)
{
	const struct diag_command *cmds;
	const struct diag_option *opts, *c;
	size_t i, j, n, n_cmds;

	n = diag_options(&opts);
	n_cmds = diag_commands(&cmds);
	for (i = 0; i < n; i++) {
		ck_assert_ptr_nonnull(opts[i].help);
		if (opts[i].flags & DIAG_OPTF_NUMBER)
			ck_assert_int_lt(opts[i].min, opts[i].max);
		for (j = 0; j < n_cmds; j++)
			if (diag_command_takes(&cmds[j], &opts[i]))
				break;
		ck_assert_msg(j < n_cmds, "no command takes --%s",
		    opts[i].name);
	}
	c = diag_option_find("concurrency");
	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(c->max, DIAG_MAX_CONCURRENCY);
	ck_assert(!diag_command_takes(diag_command_find("lint"), c));
	ck_assert(diag_command_takes(diag_command_find("batch"), c));
}
END_TEST

Suite *
commands_suite(void)
{
	Suite *s = suite_create("commands");
	TCase *tc = tcase_create("table");

	tcase_add_test(tc, table_and_plan_agree);
	tcase_add_test(tc, command_options_are_in_catalogue);
	tcase_add_test(tc, every_option_is_taken);
	suite_add_tcase(s, tc);
	return s;
}
