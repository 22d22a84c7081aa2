/* diag/secret.h: the last line of defence that keeps secrets out of output. */
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
 * escaping. Secrets shorter than 6 bytes are not registered (they would
 * scrub ordinary words); the inputs layer refuses to treat such values as
 * tokens anyway.
 *
 * The registry is per thread (each batch worker keeps its own, so memory
 * does not grow with the input) and copies what it is given.
 */
void	 diag_secret_register(const char *secret, size_t len);
/* Registers "email:token" and "email:token\n" (and their encodings). */
void	 diag_secret_register_pair(const char *email, const char *token,
	    size_t token_len);
/* Returns a new scrubbed copy of s (free(3)); *outlen gets its length
 * when outlen is not NULL. Never NULL. */
char	*diag_secret_scrub(const char *s, size_t len, size_t *outlen);
/* Forgets every registered secret (tests; batch between profiles). */
void	 diag_secret_reset(void);
/* Number of registered patterns (tests). */
size_t	 diag_secret_count(void);

#define DIAG_REDACTED "[redacted]"

#endif
