/* checks/live/auth_routes.h: where the credential works: the outcome of each route's identity probe ("routes" in the report). */
#ifndef DIAG_CHECKS_LIVE_AUTH_ROUTES_H
#define DIAG_CHECKS_LIVE_AUTH_ROUTES_H

#include "diag/engine/check.h"

/*
 * The report's "routes" member (fact "extra.routes") holds two entries,
 * site first, then gateway: {"route", "url", "outcome", "status", "why"}.
 * outcome is "works" (200 with an identity), "refused" (any other
 * deciding answer), "inconclusive" (no answer, 429, 5xx) or "not_probed"
 * (why says what was missing). Both entries exist, "not_probed", from
 * the first call on.
 */

/* Records route's ("site" or "gateway") outcome from the identity probe
 * the calling check made (exchange "identity", fact "auth.<route>.exchange"). */
void diag__route_record(struct diag_run *, const char *route);
/* Replaces route's why with a sentence that interprets its answer. */
void diag__route_why(struct diag_run *, const char *route, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The outcome recorded for route ("not_probed" when none); borrowed. */
const char *diag__route_outcome(struct diag_run *, const char *route);

/* 1 when ex is a gateway refusal with X-Failure-Category: category. */
int diag__gateway_category(const struct diag_exchange *, const char *category);
#endif
