/* checks/live/request_write.h: request.replay's write branch (checks/live/request_write.c). */
#ifndef DIAG_CHECKS_REQUEST_WRITE_H
#define DIAG_CHECKS_REQUEST_WRITE_H

#include "diag/engine/check.h"

/*
 * request.replay for a write (any method but GET, HEAD, OPTIONS): never
 * sends it. Checks what it needs: the scope (from the route the token
 * works on), the permissions the permission catalogue names for the
 * operation (mypermissions for the issue in the URL, else the project in
 * the URL, the --data-file body's fields.project, or --project) and the
 * issue's visibility. A disproven precondition is a failure
 * (permission.missing, permission.admin_required, issue.not_visible,
 * project.not_visible); an unproven one makes the check inconclusive,
 * naming it and how to prove it; request.write_not_sent always says the
 * write was not sent and what was proven. Called at every step.
 */
enum diag_step diag__request_write(struct diag_run *);

#endif
