/* diag/core/secret.h: the last line of defence that keeps secrets out of output. */
#ifndef DIAG_SECRET_H
#define DIAG_SECRET_H

#include <stddef.h>

/*
 * Every secret the tool learns (token, password, org key, the value of an
 * Authorization header, email:token pairs) is registered here as soon as it
 * is read. diag_secret_scrub() then replaces, in any text about to leave
 * the process, each registered secret and its encoded forms with
 * "[redacted]": the raw bytes, standard and URL-safe Base64 (at any byte
 * alignment inside a longer Base64 run), percent-encoding, and JSON
 * escaping.
 *
 * The window rule: for a form of 16 bytes or more, every run of at least
 * DIAG_SECRET_WINDOW consecutive characters of it is replaced, not only the
 * whole form, so a token cut by an excerpt (prefix, suffix or middle) is
 * still masked; at most 15 characters of a cut token can remain. Forms of
 * 6 to 15 bytes are replaced only where they occur whole. Secrets shorter
 * than 6 bytes are not registered (they would scrub ordinary words); the
 * inputs layer refuses to treat such values as tokens anyway.
 *
 * A secret shaped "user@host:rest" (as "email:token" pairs and decoded
 * Basic credentials are) keeps its "user@host:" part public: a run lying
 * wholly inside it is replaced only when it touches a masked run (so the
 * whole pair goes, but the email alone stays readable).
 *
 * Registration and look-up cost O(length of the secret), independent of
 * how many secrets are known; scrubbing is one pass over the text. The
 * registry is per thread (each batch worker keeps its own, so memory does
 * not grow with the input) and copies nothing it is given: it keeps
 * hashes, a bounded number per secret.
 */

/* Runs of this many characters of a registered form are masked. */
#define DIAG_SECRET_WINDOW 16
/*
 * The longest secret registered whole. A token is under 300 bytes; a value
 * longer than this is not a credential but an input to report: only its
 * first and last DIAG_SECRET_MAX / 2 bytes are registered (memory stays
 * bounded) and the register functions return -1, so the caller must never
 * print the value itself and should tell the user it was refused.
 */
#define DIAG_SECRET_MAX 4096

/*
 * Registers secret (len bytes, copied as hashes). Returns 0, or -1 when len
 * exceeds DIAG_SECRET_MAX (see above). Shorter than 6 bytes: ignored, 0.
 * Also registers the value without its leading and trailing whitespace.
 */
int diag_secret_register(const char *secret, size_t len);
/* Registers "email:token", "email:token\n" and "email:token\r\n" (and
 * their encodings) with "email:" public, and the token itself. Returns -1
 * as diag_secret_register() does, 0 otherwise. */
int diag_secret_register_pair(const char *email, const char *token,
    size_t token_len);
/*
 * Returns a new scrubbed copy of s (free(3)); *outlen gets its length
 * when outlen is not NULL. Never NULL. Besides registered secrets it masks
 * values shaped like credentials even when never registered: Atlassian
 * tokens (ATATT, ATSTT, ATCTT, ATBB followed by 16 or more token
 * characters), JWTs (eyJ...eyJ...sig) and Base64 runs that decode to text
 * containing such a token (Basic credentials).
 */
char *diag_secret_scrub(const char *s, size_t len, size_t *outlen);
/* Forgets every registered secret (tests; batch between profiles). */
void diag_secret_reset(void);
/* Number of distinct secrets registered since the last reset (tests;
 * transcript readers use a decrease to notice a reset). */
size_t diag_secret_count(void);

#define DIAG_REDACTED "[redacted]"

#endif
