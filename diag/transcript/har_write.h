/* diag/transcript/har_write.h: exchanges written as a redacted HAR 1.2 document (--save-evidence). */
#ifndef DIAG_HAR_WRITE_H
#define DIAG_HAR_WRITE_H

#include <time.h>

#include <json-c/json.h>

#include "diag/core/model.h"

/*
 * One HAR 1.2 entry for ex, redacted by the capture redactor
 * (diag/transcript/transcript_redact.c: the one list of credential header
 * and parameter names and credential shapes): the URL, every header value
 * and the bodies; a credential header keeps only its scheme ("Basic
 * [redacted]"), others show "[redacted]". Timings are libcurl's when ex
 * carries them (ex->timings.known), else the total duration as "wait"
 * and the others -1; a start time not known is taken from fallback.
 * custom, when not NULL, becomes the entry's "_atldiag" member (the
 * entry takes the reference). Returns a new object (yours to put).
 */
struct json_object *diag_har_entry(const struct diag_exchange *ex,
    time_t fallback, struct json_object *custom);

/*
 * A HAR 1.2 document {"log": {...}} holding entries (an array of
 * diag_har_entry() objects; taken), creator atldiag, comment (may be
 * NULL) and, when not NULL, atldiag as log._atldiag (taken).
 */
struct json_object *diag_har_document(struct json_object *entries,
    const char *comment, struct json_object *atldiag);

#endif
