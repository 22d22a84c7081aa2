/* diag/cmd/evidence.h: --save-evidence: every exchange of a run (or a batch) kept and written as one redacted HAR 1.2 bundle. */
#ifndef DIAG_CMD_EVIDENCE_H
#define DIAG_CMD_EVIDENCE_H

#include <json-c/json.h>

#include "diag/cmd/cli.h"
#include "diag/engine/engine.h"
#include "diag/report/report.h"

/*
 * A bundle being gathered; safe to feed from several threads (batch
 * workers). Each run gets a struct diag_evidence_run that listens to its
 * engine; when the run ends, diag_evidence_run_end() redacts and scrubs
 * its entries in the thread that still knows the run's secrets
 * (diag/core/secret.h registries are per thread) and adds them.
 */
struct diag_evidence;
struct diag_evidence_run;

/*
 * The bundle asked for by --save-evidence, or NULL when it was not
 * given. When the file exists and --force was not given, or --force was
 * given without --save-evidence, reports a usage error naming the file
 * with diag_errorf() and sets *usage (the command then exits 2 before it
 * sends anything).
 */
struct diag_evidence *diag_evidence_new(const struct diag_opts *, int *usage);
void diag_evidence_free(struct diag_evidence *);

/*
 * A run's collector, listening to eo (sets its on_exchange). line and
 * name tag a batch profile's entries (0 and NULL for a single run).
 * NULL when ev is NULL.
 */
struct diag_evidence_run *diag_evidence_run_new(struct diag_evidence *ev,
    struct diag_engine_opts *eo, unsigned line, const char *name);
/* Ends a run: its entries and what it found (rep, run with options) join
 * the bundle, scrubbed of this thread's secrets; frees run. */
void diag_evidence_run_end(struct diag_evidence_run *run,
    const struct diag_report *rep, struct json_object *options);

/*
 * Writes the bundle (mode 0600, in the directory of the path; without
 * --force never over an existing file, with it replacing it atomically).
 * command and exit_code describe the whole run (batch: its worst exit).
 * Returns 0, or -1 after reporting why with diag_errorf().
 */
int diag_evidence_write(struct diag_evidence *, const char *command,
    enum diag_exit exit_code);

#endif
