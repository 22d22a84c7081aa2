/* diag/core/progress.h: one status line on a terminal's stderr, rewritten in place while a run waits. */
#ifndef DIAG_PROGRESS_H
#define DIAG_PROGRESS_H

/*
 * 1 when a status line may be shown: stderr is a terminal, quiet is 0,
 * and the environment does not ask for plain output (NO_COLOR set and
 * not empty, or TERM=dumb or unset).
 */
int diag_progress_wanted(int quiet);

/*
 * Turns the status line on or off (off by default: nothing is ever
 * written then). probes: whether diag_progress_probe() shows anything
 * (batch turns it off and draws its own bar).
 */
void diag_progress_enable(int on, int probes);
int diag_progress_enabled(void);

/*
 * Replaces the status line with text: "\r", the text (control
 * characters made visible, secrets scrubbed, cut to the terminal's
 * width), then "\033[K" (erase to the end of the line). Thread-safe.
 */
void diag_progress_show(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
/* "probing HOST (what)…" for a request about to leave (url: its URL). */
void diag_progress_probe(const char *url, const char *what);
/* Erases the status line ("\r\033[K") when one is shown; before any
 * other output to stderr or the report. Thread-safe. */
void diag_progress_clear(void);

#endif
