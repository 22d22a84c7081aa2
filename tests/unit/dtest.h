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
	const char *site;
	const char *cloud_id;
	const char *email;
	const char *token;
	size_t token_len;
	const char *auth_header;
	const char *url;
	const char *method;
	const char *product;
	const char *org_key;
};

/* The published test vector of an Atlassian API token (gitleaks): a
 * well-formed classic token with a valid checksum. */
#define DTEST_VECTOR \
	"ATATT3xFfGF0K3irG5tKKi-6u-wwaXQFeGwZ-IHR-hQ3CulkKtMSuteRQFfLZ6" \
	"jihHThzZCg_UjnDt-4Wl_" \
	"gIRf4zrZJs5JqaeuBhsfJ4W5GD6yGg3W7903gbvaxZPBjxIQ" \
	"Q7BgFDSkPS8oPispw4KLz56mdK-G6CIvLO6hHRrZHY0Q3tvJ6JxE=C63992E6"

/*
 * A recorded answer for dtest_live(): the request (method and whole URL)
 * and what it was answered: status, response headers as name, value
 * pairs ending with NULL (headers may be NULL), body (may be NULL).
 */
struct dtest_answer {
	const char *method;
	const char *url;
	long status;
	const char *const *headers;
	const char *body;
};

/* The embedded rules, loaded once per process (never freed). */
const struct diag_rules *dtest_rules(void);
/* Runs the offline checks of `command` ("lint") on in; you own the report
 * (diag_report_free). Sources are recorded as "test". */
struct diag_report *dtest_run(const char *command, const struct dtest_in *in);
/*
 * Runs every check of `command` ("check"), live ones included, without a
 * network: a request is answered from answers (ending with an entry whose
 * url is NULL), any other one is "not sent". options are name, value
 * pairs ending with NULL ("project", "ENG"), or NULL. You own the report.
 */
struct diag_report *dtest_live(const char *command, const struct dtest_in *in,
    const char *const *options, const struct dtest_answer *answers);
/* inputs.<input>.<key> of the report as a string, or "" when absent. */
const char *dtest_input(const struct diag_report *, const char *input,
    const char *key);
/* Asserts the message of check id starts with prefix. */
void dtest_assert_message_starts(const struct diag_report *, const char *id,
    const char *prefix);
/* The finding with this code, or NULL. */
const struct diag_finding *dtest_finding(const struct diag_report *,
    const char *code);
/* The result of the check with this id, or NULL. */
const struct diag_check_result *dtest_check(const struct diag_report *,
    const char *id);
/* Every finding code joined with ',' (for failure messages); static buffer. */
const char *dtest_codes(const struct diag_report *);

/* Asserts a finding with code exists (with a message listing what did). */
#define dtest_assert_finding(rep, code) \
	ck_assert_msg(dtest_finding((rep), (code)) != NULL, \
	    "expected finding %s, got [%s]", (code), dtest_codes(rep))
#define dtest_assert_no_finding(rep, code) \
	ck_assert_msg(dtest_finding((rep), (code)) == NULL, \
	    "unexpected finding %s in [%s]", (code), dtest_codes(rep))

#endif
