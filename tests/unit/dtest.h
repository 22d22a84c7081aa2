/* tests/unit/dtest.h: helpers shared by the Check unit suites. */
#ifndef DTEST_H
#define DTEST_H

#include <stddef.h>

#include <check.h>

#include "diag/report/report.h"
#include "diag/rules/rules.h"

/* Every suite's constructor (tests/unit/suites.h lists them). */
#define DTEST_SUITE(name) Suite *name##_suite(void);
#include "tests/unit/suites.h"
#undef DTEST_SUITE

/* Inputs for one run; NULL fields are absent. token_len 0 means strlen. */
struct dtest_in {
	const char	*site;
	const char	*cloud_id;
	const char	*email;
	const char	*token;
	size_t		 token_len;
	const char	*auth_header;
	const char	*url;
	const char	*method;
	const char	*product;
	const char	*org_key;
};

/* The embedded rules, loaded once per process (never freed). */
const struct diag_rules	*dtest_rules(void);
/* Runs the offline checks of `command` ("lint") on in; you own the report
 * (diag_report_free). Sources are recorded as "test". */
struct diag_report	*dtest_run(const char *command, const struct dtest_in *in);
/* The finding with this code, or NULL. */
const struct diag_finding *dtest_finding(const struct diag_report *, const char *code);
/* The result of the check with this id, or NULL. */
const struct diag_check_result *dtest_check(const struct diag_report *, const char *id);
/* Every finding code joined with ',' (for failure messages); static buffer. */
const char		*dtest_codes(const struct diag_report *);

/* Asserts a finding with code exists (with a message listing what did). */
#define dtest_assert_finding(rep, code) \
	ck_assert_msg(dtest_finding((rep), (code)) != NULL, \
	    "expected finding %s, got [%s]", (code), dtest_codes(rep))
#define dtest_assert_no_finding(rep, code) \
	ck_assert_msg(dtest_finding((rep), (code)) == NULL, \
	    "unexpected finding %s in [%s]", (code), dtest_codes(rep))

#endif
