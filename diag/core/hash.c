/* diag/core/hash.c: CRC-32, MD5, SHA-256, fingerprints and Base64, written out. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag/core/hash.h"
#include "diag/core/util.h"

/*
 * CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), bytewise with a
 * table built on first use.
 */
static uint32_t crc_table[256];
static int crc_ready;

static void
crc_init(void)
{
	uint32_t c;
	int i, k;

	for (i = 0; i < 256; i++) {
		c = (uint32_t)i;
		for (k = 0; k < 8; k++)
			c = (c & 1) ? 0xEDB88320U ^ (c >> 1) : c >> 1;
		crc_table[i] = c;
	}
	crc_ready = 1;
}

uint32_t
diag_crc32(const void *data, size_t len)
{
	const unsigned char *p = data;
	uint32_t c = 0xFFFFFFFFU;
	size_t i;

	if (!crc_ready)
		crc_init();
	for (i = 0; i < len; i++)
		c = crc_table[(c ^ p[i]) & 0xFF] ^ (c >> 8);
	return c ^ 0xFFFFFFFFU;
}

/* MD5 (RFC 1321). */
struct md5_ctx {
	uint32_t h[4];
	uint64_t len;
	unsigned char buf[64];
	size_t used;
};

static const uint32_t md5_k[64] = { 0xd76aa478, 0xe8c7b756, 0x242070db,
	0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501, 0x698098d8,
	0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e,
	0x49b40821, 0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d,
	0x02441453, 0xd8a1e681, 0xe7d3fbc8, 0x21e1cde6, 0xc33707d6, 0xf4d50d87,
	0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a, 0xfffa3942,
	0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60,
	0xbebfbc70, 0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039,
	0xe6db99e5, 0x1fa27cf8, 0xc4ac5665, 0xf4292244, 0x432aff97, 0xab9423a7,
	0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1, 0x6fa87e4f,
	0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb,
	0xeb86d391 };

static const unsigned md5_r[64] = { 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
	7, 12, 17, 22, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20,
	4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 6, 10, 15,
	21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21 };

static uint32_t
rotl32(uint32_t x, unsigned n)
{
	return (x << n) | (x >> (32 - n));
}

static void
md5_block(struct md5_ctx *c, const unsigned char *p)
{
	uint32_t w[16], a, b, cc, d, f, t;
	unsigned i, g;

	for (i = 0; i < 16; i++)
		w[i] = (uint32_t)p[i * 4] | (uint32_t)p[i * 4 + 1] << 8 |
		    (uint32_t)p[i * 4 + 2] << 16 | (uint32_t)p[i * 4 + 3] << 24;
	a = c->h[0];
	b = c->h[1];
	cc = c->h[2];
	d = c->h[3];
	for (i = 0; i < 64; i++) {
		if (i < 16) {
			f = (b & cc) | (~b & d);
			g = i;
		} else if (i < 32) {
			f = (d & b) | (~d & cc);
			g = (5 * i + 1) % 16;
		} else if (i < 48) {
			f = b ^ cc ^ d;
			g = (3 * i + 5) % 16;
		} else {
			f = cc ^ (b | ~d);
			g = (7 * i) % 16;
		}
		t = d;
		d = cc;
		cc = b;
		b = b + rotl32(a + f + md5_k[i] + w[g], md5_r[i]);
		a = t;
	}
	c->h[0] += a;
	c->h[1] += b;
	c->h[2] += cc;
	c->h[3] += d;
}

void
diag_md5(const void *data, size_t len, unsigned char out[16])
{
	struct md5_ctx c;
	const unsigned char *p = data;
	unsigned char tail[128];
	size_t n, i;
	uint64_t bits = (uint64_t)len * 8;

	c.h[0] = 0x67452301;
	c.h[1] = 0xefcdab89;
	c.h[2] = 0x98badcfe;
	c.h[3] = 0x10325476;
	for (i = 0; i + 64 <= len; i += 64)
		md5_block(&c, p + i);
	n = len - i;
	memset(tail, 0, sizeof(tail));
	if (n > 0)
		memcpy(tail, p + i, n);
	tail[n] = 0x80;
	n = n < 56 ? 64 : 128;
	for (i = 0; i < 8; i++)
		tail[n - 8 + i] = (unsigned char)(bits >> (8 * i));
	md5_block(&c, tail);
	if (n == 128)
		md5_block(&c, tail + 64);
	for (i = 0; i < 4; i++) {
		out[i * 4] = (unsigned char)c.h[i];
		out[i * 4 + 1] = (unsigned char)(c.h[i] >> 8);
		out[i * 4 + 2] = (unsigned char)(c.h[i] >> 16);
		out[i * 4 + 3] = (unsigned char)(c.h[i] >> 24);
	}
}

/* SHA-256 (FIPS 180-4). */
static const uint32_t sha_k[64] = { 0x428a2f98, 0x71374491, 0xb5c0fbcf,
	0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
	0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7,
	0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
	0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
	0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85,
	0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e,
	0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
	0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c,
	0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee,
	0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
	0xc67178f2 };

static uint32_t
rotr32(uint32_t x, unsigned n)
{
	return (x >> n) | (x << (32 - n));
}

static void
sha256_block(uint32_t h[8], const unsigned char *p)
{
	uint32_t w[64], a, b, c, d, e, f, g, hh, t1, t2, s0, s1;
	unsigned i;

	for (i = 0; i < 16; i++)
		w[i] = (uint32_t)p[i * 4] << 24 | (uint32_t)p[i * 4 + 1] << 16 |
		    (uint32_t)p[i * 4 + 2] << 8 | (uint32_t)p[i * 4 + 3];
	for (i = 16; i < 64; i++) {
		s0 = rotr32(w[i - 15], 7) ^ rotr32(w[i - 15], 18) ^
		    (w[i - 15] >> 3);
		s1 = rotr32(w[i - 2], 17) ^ rotr32(w[i - 2], 19) ^
		    (w[i - 2] >> 10);
		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	a = h[0];
	b = h[1];
	c = h[2];
	d = h[3];
	e = h[4];
	f = h[5];
	g = h[6];
	hh = h[7];
	for (i = 0; i < 64; i++) {
		s1 = rotr32(e, 6) ^ rotr32(e, 11) ^ rotr32(e, 25);
		t1 = hh + s1 + ((e & f) ^ (~e & g)) + sha_k[i] + w[i];
		s0 = rotr32(a, 2) ^ rotr32(a, 13) ^ rotr32(a, 22);
		t2 = s0 + ((a & b) ^ (a & c) ^ (b & c));
		hh = g;
		g = f;
		f = e;
		e = d + t1;
		d = c;
		c = b;
		b = a;
		a = t1 + t2;
	}
	h[0] += a;
	h[1] += b;
	h[2] += c;
	h[3] += d;
	h[4] += e;
	h[5] += f;
	h[6] += g;
	h[7] += hh;
}

void
diag_sha256(const void *data, size_t len, unsigned char out[32])
{
	uint32_t h[8] = {
		0x6a09e667,
		0xbb67ae85,
		0x3c6ef372,
		0xa54ff53a,
		0x510e527f,
		0x9b05688c,
		0x1f83d9ab,
		0x5be0cd19,
	};
	const unsigned char *p = data;
	unsigned char tail[128];
	uint64_t bits = (uint64_t)len * 8;
	size_t i, n;

	for (i = 0; i + 64 <= len; i += 64)
		sha256_block(h, p + i);
	n = len - i;
	memset(tail, 0, sizeof(tail));
	if (n > 0)
		memcpy(tail, p + i, n);
	tail[n] = 0x80;
	n = n < 56 ? 64 : 128;
	for (i = 0; i < 8; i++)
		tail[n - 1 - i] = (unsigned char)(bits >> (8 * i));
	sha256_block(h, tail);
	if (n == 128)
		sha256_block(h, tail + 64);
	for (i = 0; i < 8; i++) {
		out[i * 4] = (unsigned char)(h[i] >> 24);
		out[i * 4 + 1] = (unsigned char)(h[i] >> 16);
		out[i * 4 + 2] = (unsigned char)(h[i] >> 8);
		out[i * 4 + 3] = (unsigned char)h[i];
	}
}

void
diag_fingerprint(const void *data, size_t len, char out[16])
{
	unsigned char d[32];

	diag_sha256(data, len, d);
	snprintf(out, 16, "sha256:%02x%02x%02x%02x", d[0], d[1], d[2], d[3]);
}

/* Base64, RFC 4648 sections 4 (standard) and 5 (URL and file name safe). */
static const char b64_std[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char b64_url[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

char *
diag_base64_encode(const void *data, size_t len, int urlsafe)
{
	const unsigned char *p = data;
	const char *a = urlsafe ? b64_url : b64_std;
	char *out, *o;
	uint32_t v;
	size_t i;

	out = diag_xmalloc((len + 2) / 3 * 4 + 1);
	o = out;
	for (i = 0; i + 3 <= len; i += 3) {
		v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];
		*o++ = a[v >> 18];
		*o++ = a[(v >> 12) & 63];
		*o++ = a[(v >> 6) & 63];
		*o++ = a[v & 63];
	}
	if (len - i == 1) {
		v = (uint32_t)p[i] << 16;
		*o++ = a[v >> 18];
		*o++ = a[(v >> 12) & 63];
		if (!urlsafe) {
			*o++ = '=';
			*o++ = '=';
		}
	} else if (len - i == 2) {
		v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8;
		*o++ = a[v >> 18];
		*o++ = a[(v >> 12) & 63];
		*o++ = a[(v >> 6) & 63];
		if (!urlsafe)
			*o++ = '=';
	}
	*o = '\0';
	return out;
}

/* Value of one Base64 character in alphabet set (1 std, 2 url), or -1. */
static int
b64_val(unsigned char c, int *set)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+' || c == '/') {
		if (*set == 2)
			return -1;
		*set = 1;
		return c == '+' ? 62 : 63;
	}
	if (c == '-' || c == '_') {
		if (*set == 1)
			return -1;
		*set = 2;
		return c == '-' ? 62 : 63;
	}
	return -1;
}

/*
 * Strict: one alphabet throughout (standard or URL-safe, never mixed), no
 * whitespace, '=' only as final padding; padding may be left out (the
 * URL-safe habit) but an impossible length (4n+1) is refused, and so are
 * non-zero bits left over in the last character (non-canonical input).
 */
int
diag_base64_decode(const char *s, size_t len, unsigned char **out,
    size_t *outlen)
{
	unsigned char *buf = NULL;
	size_t i, n, pad = 0, o = 0;
	uint32_t acc = 0;
	int set = 0, v, bits = 0;

	*out = NULL;
	*outlen = 0;
	while (pad < len && pad < 2 && s[len - 1 - pad] == '=')
		pad++;
	n = len - pad;
	if (pad > 0 && len % 4 != 0)
		return -1;
	if (n % 4 == 1)
		return -1;
	if (pad > 0 && (n + pad) % 4 != 0)
		return -1;
	buf = diag_xmalloc(n / 4 * 3 + 3 + 1);
	for (i = 0; i < n; i++) {
		v = b64_val((unsigned char)s[i], &set);
		if (v < 0)
			goto fail;
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			buf[o++] = (unsigned char)(acc >> bits);
			acc &= (1U << bits) - 1;
		}
	}
	if (acc != 0)
		goto fail;
	if (pad > 0 && ((n % 4 == 2 && pad != 2) || (n % 4 == 3 && pad != 1)))
		goto fail;
	buf[o] = '\0';
	*out = buf;
	*outlen = o;
	return 0;
fail:
	free(buf);
	return -1;
}
