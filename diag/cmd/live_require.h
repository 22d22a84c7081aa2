/* diag/cmd/live_require.h: closing the list of stated requirements after a live run. */
#ifndef DIAG_LIVE_REQUIRE_H
#define DIAG_LIVE_REQUIRE_H

#include <json-c/json.h>

#include "diag/report/report.h"
#include "diag/rules/rules.h"

/*
 * After diag_engine_run() and before diag_report_finish(), for check,
 * request, can-i and each batch row: completes the report member
 * "requirements" (entries recorded by the checks, see
 * checks/live/requirement.h) with one "call" entry per --calls line
 * (from member "calls") and one "unproven" entry for each requirement
 * stated in options ("need-scope", "need-permission", "project",
 * "issue", "space", "calls") or, for request, by the method and URL,
 * that no check recorded (blocked, skipped or not run). The verdict rule
 * (DESIGN §3): when a requirement is unproven and nothing failed, the
 * check that judged it is no longer "pass" and one requirement.unproven
 * finding (inconclusive) names each unproven requirement, why, and how to
 * prove it, so the run ends inconclusive (exit 3), never pass. rules
 * supplies the catalogue entry; options and inputs are borrowed.
 */
void diag__live_requirements(struct diag_report *, const struct diag_rules *,
    struct json_object *options, const char *method, const char *url);

#endif
