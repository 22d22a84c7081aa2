/* diag/serve/page_embedded.h: serve's page (diag/serve/page/) compiled into the binary. */
#ifndef DIAG_PAGE_EMBEDDED_H
#define DIAG_PAGE_EMBEDDED_H

#include "diag/rules/rules_embedded.h"

/* index.html, app.js, app.css (tools/embed -s page). */
extern const struct diag_embedded diag_embedded_page[];
extern const size_t diag_embedded_page_count;

#endif
