/* diag/rules/rules_embedded.h: the rule files compiled into the binary. */
#ifndef DIAG_RULES_EMBEDDED_H
#define DIAG_RULES_EMBEDDED_H

#include <stddef.h>

struct diag_embedded {
	const char *name; /* "plan.json" */
	const char *data; /* NUL-terminated */
	size_t len;
};

extern const struct diag_embedded diag_embedded_rules[];
extern const size_t diag_embedded_rules_count;

#endif
