/* diag/report/report_util.h: helpers shared by the report renderers (diag/report_*.c). */
#ifndef DIAG_REPORT_UTIL_H
#define DIAG_REPORT_UTIL_H

#include <stddef.h>
#include <time.h>

#include <json-c/json.h>

#include "diag/core/model.h"
#include "diag/core/util.h"

#ifndef ATLDIAG_VERSION
#define ATLDIAG_VERSION "0.1.0"
#endif

/* Bytes of a response body shown as its excerpt. */
#define DIAG_BODY_EXCERPT 512

/* Frees a NULL-terminated array of owned strings (NULL: nothing). */
void diag__strv_free(char **);

/* Catalogue fields of a finding, falling back on the code when the entry
 * is missing (never NULL). */
const char *diag__finding_title(const struct diag_finding *);
const char *diag__finding_layer(const struct diag_finding *, char *buf,
    size_t bufsz);
const char *diag__finding_owner(const struct diag_finding *);

/* Who must act, in words: "caller" -> "you (whoever runs the script)". */
const char *diag__owner_words(const char *owner);

/* The verdict as a word: "pass", ..., or "error" when r->error is set. */
struct diag_report;
const char *diag__verdict_name(const struct diag_report *);

/* 1 if a response header is worth showing in a short view
 * (X-Seraph-LoginReason, WWW-Authenticate, ATL-TraceId, ...). */
int diag__header_is_telling(const char *name);
/* 1 if a request header carries credentials (Authorization, Cookie, ...):
 * its value is never shown, only the exchange's auth_desc. */
int diag__header_is_credential(const char *name);
/* 1 if a response header is never shown (Set-Cookie). */
int diag__header_is_hidden(const char *name);

/*
 * A printable excerpt of at most max bytes of s (len bytes): valid UTF-8
 * and \n, \t kept, CR LF folded to LF, other control bytes and invalid
 * UTF-8 shown as \xNN. *cut is set when the excerpt is shorter than s.
 * Owned result (free(3)).
 */
char *diag__excerpt(const char *s, size_t len, size_t max, int *cut);

/* The character count of a UTF-8 string (for column layout). */
size_t diag__utf8_width(const char *s, size_t len);

/* UTC time as "2026-11-28T12:00:00Z" into buf (>= 21 bytes). */
void diag__format_time(time_t, char *buf, size_t bufsz);

/*
 * Escapers; each appends to b and accepts NULL as "".
 * xml: & < > as entities, and " ' too when attr (an attribute value);
 *   TAB/LF/CR kept in text and as &#9;/&#10;/&#13; when attr; other C0
 *   controls, DEL, the C1 range, U+FFFE/U+FFFF and invalid UTF-8 become
 *   U+FFFD, so the result is well-formed XML 1.0.
 * gh_data: GitHub workflow command data (% \r \n as %25 %0D %0A).
 * gh_prop: the same plus ':' -> %3A and ',' -> %2C (property values).
 * md_text: Markdown inline text (\ ` * _ [ ] < > | # & escaped where
 *   they could take effect; newlines kept as hard line breaks).
 * md_cell: Markdown table cell (md_text plus newlines as spaces).
 * md_rich: like md_text (md_cell when cell), but closed `code spans`
 *   in the text (the catalogue writes commands that way) are kept as
 *   code; unclosed backticks are escaped.
 * md_code: an inline code span whose fence is longer than any backtick
 *   run inside; newlines become spaces.
 */
void diag__esc_xml(struct diag_buf *, const char *, int attr);
void diag__esc_gh_data(struct diag_buf *, const char *);
void diag__esc_gh_prop(struct diag_buf *, const char *);
void diag__esc_md_text(struct diag_buf *, const char *);
void diag__esc_md_cell(struct diag_buf *, const char *);
void diag__esc_md_rich(struct diag_buf *, const char *, int cell);
void diag__esc_md_code(struct diag_buf *, const char *);
struct diag_report_view;
/* Markdown sections shared by the Markdown report and the GitHub step
 * summary: one list item per requirement the user stated ("###
 * Requirements"), and per route the credential was probed on ("###
 * Routes"). Nothing when the view has none. */
void diag__md_requirements(struct diag_buf *, const struct diag_report_view *);
void diag__md_routes(struct diag_buf *, const struct diag_report_view *);

#endif
