/* diag/cmd/step_summary.h: GitHub Actions' job summary ($GITHUB_STEP_SUMMARY). */
#ifndef DIAG_STEP_SUMMARY_H
#define DIAG_STEP_SUMMARY_H

/*
 * When GITHUB_STEP_SUMMARY names a file, appends md to it (scrubbed of
 * every registered secret; the file is created, mode 0600, when
 * missing). A file that cannot be written is a warning on stderr, never
 * a change of the exit code. Returns 1 when written, 0 when the
 * variable is unset or empty, -1 after the warning.
 */
int diag_step_summary_append(const char *md);

#endif
