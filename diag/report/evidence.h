/* diag/report/evidence.h: what an evidence bundle (--save-evidence) records of a run: inputs without secrets, verdict, primary. */
#ifndef DIAG_REPORT_EVIDENCE_H
#define DIAG_REPORT_EVIDENCE_H

#include <json-c/json.h>

#include "diag/report/report.h"

/* The version of the "_atldiag" member of an evidence bundle. */
#define DIAG_EVIDENCE_SCHEMA "atldiag.evidence/1"

/*
 * The "_atldiag" member of an evidence bundle for the finished report r
 * (run with options, which may be NULL): schema, command, generated_at,
 * verdict, primary, exit_code, the findings' codes, the inputs as the
 * report view shows them (a secret input by its traits: kind, length,
 * checksum, fingerprint, never its value) and the options that say what
 * was asked (project, issue, space, need-scope, need-permission, ...).
 * Never a secret. Returns a new object (yours to put).
 */
struct json_object *diag_report_evidence(const struct diag_report *r,
    struct json_object *options);

#endif
