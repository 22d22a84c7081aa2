/* diag/core/hash.h: the small hash functions token checks and fingerprints need. */
#ifndef DIAG_HASH_H
#define DIAG_HASH_H

#include <stddef.h>
#include <stdint.h>

/* CRC-32, IEEE/zlib variant (reflected 0xEDB88320, init and final XOR
 * 0xFFFFFFFF): diag_crc32("123456789", 9) == 0xCBF43926. */
uint32_t diag_crc32(const void *, size_t);
/* MD5 digest into out[16]. */
void diag_md5(const void *, size_t, unsigned char out[16]);
/* SHA-256 digest into out[32]. */
void diag_sha256(const void *, size_t, unsigned char out[32]);
/* "sha256:" + first 8 hex digits of SHA-256(data): a fingerprint that
 * identifies a secret without revealing it. Writes into out (>= 16 bytes). */
void diag_fingerprint(const void *, size_t, char out[16]);

/* Base64 (RFC 4648). encode: new NUL-terminated string (free(3)).
 * decode: returns -1 when the input is not Base64 (wrong alphabet, bad
 * padding, wrong length); on success *out owns len bytes plus a NUL. */
char *diag_base64_encode(const void *, size_t, int urlsafe);
int diag_base64_decode(const char *, size_t, unsigned char **out, size_t *len);

#endif
