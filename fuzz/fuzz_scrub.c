/* fuzz/fuzz_scrub.c: libFuzzer target for the scrubber: registers secrets from the input, scrubs the rest, checks the window rule. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diag/core/secret.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Does out hold "[redacted]" overlapping out[at..at+w)? (A replacement
 * next to other text can spell a window of a secret made to contain it.) */
static int
near_redacted(const char *out, size_t outlen, size_t at, size_t w)
{
	size_t r = strlen(DIAG_REDACTED), q;

	for (q = at > r ? at - r + 1 : 0; q < at + w && q + r <= outlen; q++)
		if (memcmp(out + q, DIAG_REDACTED, r) == 0)
			return 1;
	return 0;
}

/* Is some DIAG_SECRET_WINDOW-byte window of s[from..n) inside out? */
static int
window_survives(const char *s, size_t from, size_t n, const char *out,
    size_t outlen)
{
	const char *hit;
	size_t i, at;

	for (i = from; i + DIAG_SECRET_WINDOW <= n; i++)
		for (at = 0; at < outlen; at = (size_t)(hit - out) + 1) {
			hit = memmem(out + at, outlen - at, s + i,
			    DIAG_SECRET_WINDOW);
			if (hit == NULL)
				break;
			if (!near_redacted(out, outlen, (size_t)(hit - out),
				DIAG_SECRET_WINDOW))
				return 1;
		}
	return 0;
}

/* Where the secret part of s starts: after a "user@host:" prefix, or 0.
 * (Windows wholly inside such a prefix are public by contract; the
 * fuzzer checks those ending past the ':'.) */
static size_t
secret_from(const char *s, size_t n)
{
	const char *colon = memchr(s, ':', n);

	if (colon == NULL || memchr(s, '@', (size_t)(colon - s)) == NULL)
		return 0;
	return (size_t)(colon - s) + 1 > DIAG_SECRET_WINDOW - 1 ?
	    (size_t)(colon - s) + 2 - DIAG_SECRET_WINDOW :
	    0;
}

/*
 * Input: up to three secrets, each one length byte then that many bytes,
 * then the text to scrub. Every window of a registered secret must be
 * gone from the scrubbed text.
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *sec[3];
	size_t lens[3], n = 0, i, outlen;
	char *out;

	while (n < 3 && size > 0 && (size_t)(uint8_t)p[0] + 1 <= size &&
	    p[0] != 0) {
		lens[n] = (uint8_t)p[0];
		sec[n] = p + 1;
		(void)diag_secret_register(sec[n], lens[n]);
		size -= lens[n] + 1;
		p += lens[n] + 1;
		n++;
	}
	out = diag_secret_scrub(p, size, &outlen);
	for (i = 0; i < n; i++)
		if (window_survives(sec[i], secret_from(sec[i], lens[i]),
			lens[i], out, outlen))
			abort();
	free(out);
	diag_secret_reset();
	return 0;
}
