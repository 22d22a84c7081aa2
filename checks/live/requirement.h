/* checks/live/requirement.h: how a check records the outcome of a requirement the user stated. */
#ifndef DIAG_CHECKS_REQUIREMENT_H
#define DIAG_CHECKS_REQUIREMENT_H

#include "diag/engine/check.h"

/* What became of a stated requirement (DESIGN §3, verdict rule). */
enum diag_req {
	DIAG_REQ_PROVEN = 0,
	DIAG_REQ_DISPROVEN, /* the check also raises the failing finding */
	DIAG_REQ_UNPROVEN, /* never a pass: the run ends inconclusive */
};

/*
 * Records one requirement the user stated (kind "scope", "permission",
 * "project", "issue", "space", "call" or "request"; name as the user
 * gave it) as an entry of the report member "requirements":
 * {kind, name, outcome, confidence, how, next_step, check}. how says what
 * proved, disproved or kept it unproven, in a sentence without secrets;
 * next_step (may be NULL) how to prove it, or what to do. A later entry
 * for the same kind and name replaces an earlier one. The command closes
 * the list after the run (diag/cmd/live_require.c): an unproven
 * requirement with nothing failing makes the run inconclusive under
 * requirement.unproven.
 */
void diag__req(struct diag_run *, const char *kind, const char *name,
    enum diag_req, enum diag_confidence, const char *next_step,
    const char *how_fmt, ...) __attribute__((format(printf, 7, 8)));

/* The same for the request of `atldiag request` (kind "request", name
 * "METHOD URL"). */
void diag__req_request(struct diag_run *, enum diag_req, enum diag_confidence,
    const char *next_step, const char *how_fmt, ...)
    __attribute__((format(printf, 5, 6)));

/*
 * A check of one named object (kind "issue" or "space", from --KIND)
 * that cannot run: skipped, saying why ("no --issue given", or no
 * confirmed identity), and the object, when one was named, recorded as
 * unproven until the credential works.
 */
void diag__req_skip(struct diag_run *, const char *kind, const char *key);

/* "proven", "disproven", "unproven". */
const char *diag__req_name(enum diag_req);

#endif
