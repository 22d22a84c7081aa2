/* checks/input/jwt.h: an OAuth 2.0 access token (JWT): its claims, offline, never its signature. */
#ifndef DIAG_CHECKS_JWT_H
#define DIAG_CHECKS_JWT_H

#include <stddef.h>
#include <time.h>

struct diag_run;

/*
 * The claims of a JWT that a report may show. Strings are owned by the
 * struct (release with diag__jwt_release()); NULL when the claim is
 * absent. has_exp is 1 when "exp" is a number.
 */
struct diag__jwt {
	char *alg;
	char *iss;
	char *aud; /* a list is joined with ", " */
	char *scope; /* "scope" or "scp", space-separated */
	long long exp;
	int has_exp;
};

/*
 * Decodes s (len bytes: three base64url parts separated by dots, whose
 * header is a JSON object with "alg"). Returns 0 and fills j, or -1 when
 * it is not such a JWT (j is then empty). The signature is not decoded
 * nor checked.
 */
int diag__jwt_decode(const char *s, size_t len, struct diag__jwt *j);
void diag__jwt_release(struct diag__jwt *);

/* The time checks compare against: ATLDIAG_NOW (seconds since the epoch
 * or UTC "YYYY-MM-DDTHH:MM:SSZ") when set, else the clock. */
time_t diag__jwt_now(void);

/*
 * Registers the token (and its signature part) as secrets, decodes it
 * and reports its claims as facts <prefix>.oauth_* (prefix names the
 * input: "inputs.token"); raises
 * auth.oauth_token_expired when exp is past. Returns the decode result
 * (0 or -1). Text names claims, never token characters.
 */
int diag__jwt_report(struct diag_run *, const char *s, size_t len,
    const char *source, const char *prefix);

#endif
