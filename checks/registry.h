/* checks/registry.h: find a check by id in the one sorted registry table. */
#ifndef DIAG_CHECKS_REGISTRY_H
#define DIAG_CHECKS_REGISTRY_H

#include <stddef.h>

#include "diag/engine/check.h"

/* The check with this id, or NULL (bsearch over the sorted table). */
const struct diag_check *diag_check_find(const char *id);
/* All checks, sorted by id; returns their count. */
size_t diag_check_all(const struct diag_check *const **out);

#endif
