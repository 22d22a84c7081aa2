/* diag/core/escape.h: make untrusted text (server answers, transcripts, inputs) safe to print in any output format. */
#ifndef DIAG_ESCAPE_H
#define DIAG_ESCAPE_H

#include <stddef.h>
#include <stdint.h>

#include "diag/core/util.h"

/*
 * The length of the valid UTF-8 sequence at s (at most len bytes) with
 * its code point in *cp, or 0 when it is not one (overlong forms,
 * surrogates and values above U+10FFFF are invalid).
 */
size_t diag_utf8_decode(const unsigned char *s, size_t len, uint32_t *cp);

/*
 * Appends s (len bytes) to b with every control character made visible,
 * so that no text from a server or a file can move the cursor, change
 * colours, write the clipboard (OSC 52) or start a new output line (a
 * GitHub workflow command): LF, CR and TAB as \n, \r, \t; other C0
 * bytes and DEL as \xNN; the C1 controls U+0080-U+009F, U+2028/U+2029
 * and invalid UTF-8 as \xNN per byte. Everything else (valid UTF-8,
 * backslashes) is copied. flags: DIAG_ESC_KEEP_NL keeps LF (and folds
 * CR LF to LF), DIAG_ESC_KEEP_TAB keeps TAB, DIAG_ESC_KEEP_CR keeps CR
 * (and folds nothing): for a caller that encodes them itself (GitHub's
 * %0A). The result is valid UTF-8.
 */
#define DIAG_ESC_KEEP_NL 0x1
#define DIAG_ESC_KEEP_TAB 0x2
#define DIAG_ESC_KEEP_CR 0x4
void diag_esc_visible(struct diag_buf *b, const char *s, size_t len,
    unsigned flags);
/* The same for a C string into a new string (free(3)); NULL gives "". */
char *diag_esc_visible_str(const char *s, unsigned flags);

/*
 * Appends JSON text s (len bytes, as json-c wrote it) with every invalid
 * UTF-8 sequence replaced by U+FFFD, and DEL, the C1 controls and
 * U+2028/U+2029 (which json-c copies raw) written as \u escapes; those
 * can only occur inside strings, so the document means the same and is
 * valid JSON whatever the inputs held.
 */
void diag_esc_json_text(struct diag_buf *b, const char *s, size_t len);

/*
 * A rendered report (text, Markdown, JUnit) with every line that starts,
 * after blanks, with "::" changed to start with "\x3A:" instead: a CI
 * runner would take such a line for a workflow command. Returns a new
 * string (free(3)); s is freed.
 */
char *diag_esc_line_starts(char *s);

#endif
