/* diag/core/secret.c: the registry of secrets and the scrubber that redacts them. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diag/core/hash.h"
#include "diag/core/secret.h"
#include "diag/core/util.h"

#define SECRET_MIN 6 /* shorter secrets and forms are ignored */
#define WIN DIAG_SECRET_WINDOW
#define HASH_BASE 0x9e3779b97f4a7c15ULL /* odd: rolling hash base */

/* An open-addressing set of 64-bit hashes (0 marks an empty slot). */
struct set {
	uint64_t *k;
	size_t n;
	size_t cap; /* a power of two, or 0 */
};

/*
 * Per thread: `batch` runs one profile per worker thread, and each
 * worker's secrets, scrubbing and reset stay its own (thread-safe without
 * a lock, and memory bounded by the number of workers, not of profiles).
 * The registry keeps hashes, not secrets: every WIN-byte window of every
 * long form (strong, or weak when it lies inside a public "user@host:"
 * part), whole short forms (keyed with their length), and one key per
 * registered secret to skip repeats.
 */
struct registry {
	struct set strong;
	struct set weak;
	struct set shorts;
	struct set whole;
	unsigned short_lens; /* bit n: a short form of n bytes */
};
static _Thread_local struct registry reg;

/* The finaliser of splitmix64: spreads a hash over every bit. */
static uint64_t
mix(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static int
set_has(const struct set *s, uint64_t key)
{
	size_t i;

	if (s->n == 0)
		return 0;
	key = key != 0 ? key : 1;
	for (i = mix(key) & (s->cap - 1); s->k[i] != 0;
	     i = (i + 1) & (s->cap - 1))
		if (s->k[i] == key)
			return 1;
	return 0;
}

static void set_add(struct set *, uint64_t);

/* Doubles the table (kept at most 5/8 full) and re-inserts every key. */
static void
set_grow(struct set *s)
{
	struct set old = *s;
	size_t i;

	s->cap = old.cap != 0 ? old.cap * 2 : 64;
	s->k = diag_xcalloc(s->cap, sizeof(*s->k));
	s->n = 0;
	for (i = 0; i < old.cap; i++)
		if (old.k[i] != 0)
			set_add(s, old.k[i]);
	free(old.k);
}

/* Adds key unless present: amortised O(1). */
static void
set_add(struct set *s, uint64_t key)
{
	size_t i;

	key = key != 0 ? key : 1;
	if ((s->n + 1) * 8 > s->cap * 5)
		set_grow(s);
	for (i = mix(key) & (s->cap - 1); s->k[i] != 0;
	     i = (i + 1) & (s->cap - 1))
		if (s->k[i] == key)
			return;
	s->k[i] = key;
	s->n++;
}

static void
set_free(struct set *s)
{
	free(s->k);
	memset(s, 0, sizeof(*s));
}

/* The polynomial hash of n bytes: sum of (byte + 1) * BASE^(n-1-i). */
static uint64_t
hash_bytes(const char *s, size_t n)
{
	uint64_t h = 0;
	size_t i;

	for (i = 0; i < n; i++)
		h = h * HASH_BASE + (unsigned char)s[i] + 1;
	return h;
}

static uint64_t
power(size_t n)
{
	uint64_t p = 1;

	while (n-- > 0)
		p *= HASH_BASE;
	return p;
}

/* Slides an n-byte window hash h one byte: drops out, takes in. */
static uint64_t
roll(uint64_t h, uint64_t top, char out, char in)
{
	return (h - top * ((uint64_t)(unsigned char)out + 1)) * HASH_BASE +
	    (unsigned char)in + 1;
}

static uint64_t
short_key(uint64_t h, size_t n)
{
	return mix(h ^ ((uint64_t)n << 56));
}

/*
 * Indexes one form (n bytes, the first pubc of them public): every
 * WIN-byte window when the form is that long, else the whole form.
 */
static void
add_windows(const char *f, size_t n, size_t pubc)
{
	uint64_t h, top;
	size_t t;

	if (n < WIN) {
		if (n >= SECRET_MIN) {
			set_add(&reg.shorts, short_key(hash_bytes(f, n), n));
			reg.short_lens |= 1u << n;
		}
		return;
	}
	top = power(WIN - 1);
	h = hash_bytes(f, WIN);
	for (t = 0;; t++) {
		set_add(t + WIN <= pubc ? &reg.weak : &reg.strong, h);
		if (t + WIN >= n)
			break;
		h = roll(h, top, f[t], f[t + WIN]);
	}
}

/*
 * The JSON string form of s (without quotes). slash: also escape '/' as
 * json-c does by default. upper: \u00XX with upper-case hex.
 */
static char *
json_escape(const char *s, size_t len, int slash, size_t *outlen)
{
	struct diag_buf b = DIAG_BUF_INIT;
	unsigned char c;
	size_t i;

	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		switch (c) {
		case '"':
			diag_buf_adds(&b, "\\\"");
			break;
		case '\\':
			diag_buf_adds(&b, "\\\\");
			break;
		case '\n':
			diag_buf_adds(&b, "\\n");
			break;
		case '\r':
			diag_buf_adds(&b, "\\r");
			break;
		case '\t':
			diag_buf_adds(&b, "\\t");
			break;
		case '\b':
			diag_buf_adds(&b, "\\b");
			break;
		case '\f':
			diag_buf_adds(&b, "\\f");
			break;
		case '/':
			diag_buf_adds(&b, slash ? "\\/" : "/");
			break;
		default:
			if (c < 0x20)
				diag_buf_addf(&b, "\\u%04x", c);
			else
				diag_buf_addc(&b, (char)c);
		}
	}
	*outlen = b.len;
	return diag_buf_detach(&b);
}

/* Percent-encoding of every byte outside RFC 3986 "unreserved". */
static char *
percent_encode(const char *s, size_t len, int lower, size_t *outlen)
{
	struct diag_buf b = DIAG_BUF_INIT;
	unsigned char c;
	size_t i;

	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' ||
		    c == '_' || c == '~')
			diag_buf_addc(&b, (char)c);
		else
			diag_buf_addf(&b, lower ? "%%%02x" : "%%%02X", c);
	}
	*outlen = b.len;
	return diag_buf_detach(&b);
}

/* Indexes a form unless it equals one of the n already indexed (seen). */
static void
add_unseen(char *f, size_t n, size_t pubc, char **seen, size_t *seen_n,
    size_t *nseen)
{
	size_t i;

	for (i = 0; i < *nseen; i++)
		if (seen_n[i] == n && memcmp(seen[i], f, n) == 0) {
			free(f);
			return;
		}
	add_windows(f, n, pubc);
	seen[*nseen] = f;
	seen_n[(*nseen)++] = n;
}

/*
 * One form (the first pubc bytes public) and the ways it may be written in
 * a report or a URL: as is, JSON-escaped, percent-encoded. Variants equal
 * to one already indexed (a form with nothing to escape) are skipped.
 */
static void
add_form(const char *s, size_t len, size_t pubc)
{
	char *seen[5], *e, *p;
	size_t seen_n[5], nseen = 0, n, pn, i;
	int k;

	add_unseen(diag_xstrndup(s, len), len, pubc, seen, seen_n, &nseen);
	for (k = 0; k < 2; k++) {
		e = json_escape(s, len, k, &n);
		p = json_escape(s, pubc, k, &pn);
		free(p);
		add_unseen(e, n, pn, seen, seen_n, &nseen);
		e = percent_encode(s, len, k, &n);
		p = percent_encode(s, pubc, k, &pn);
		free(p);
		add_unseen(e, n, pn, seen, seen_n, &nseen);
	}
	for (i = 0; i < nseen; i++)
		free(seen[i]);
}

/*
 * The Base64 characters that depend only on the secret when it starts
 * k bytes into a longer encoded run: character i holds bits 6i..6i+5,
 * so it is the secret's alone when those bits fall inside
 * [8k, 8(k+len)); those inside [8k, 8(k+pub)) are public (*pubc of
 * them). At k = 0 the whole encoding, padding included, which holds
 * the aligned characters as its prefix.
 */
static char *
base64_form(const char *s, size_t len, size_t pub, int k, int urlsafe,
    size_t *pubc)
{
	unsigned char *tmp;
	char *enc, *f;
	size_t from, to, pubto;

	if (k == 0) {
		*pubc = pub * 8 / 6;
		return diag_base64_encode(s, len, urlsafe);
	}
	tmp = diag_xcalloc(len + 3, 1);
	memcpy(tmp + k, s, len);
	enc = diag_base64_encode(tmp, len + (size_t)k, urlsafe);
	from = ((size_t)k * 8 + 5) / 6;
	to = ((size_t)k + len) * 8 / 6;
	pubto = ((size_t)k + pub) * 8 / 6;
	*pubc = pubto > from ? pubto - from : 0;
	f = diag_xstrndup(enc + from, to > from ? to - from : 0);
	free(enc);
	free(tmp);
	return f;
}

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	    c == '\f';
}

/* One secret (len <= DIAG_SECRET_MAX, first pub bytes public), once. */
static void
register_one(const char *secret, size_t len, size_t pub)
{
	char *std, *url;
	uint64_t key;
	size_t pubc;
	int k;

	if (len < SECRET_MIN)
		return;
	if (pub >= len)
		pub = 0; /* nothing after "user@host:": mask it all */
	key = mix(hash_bytes(secret, len) ^ mix(((uint64_t)len << 32) | pub));
	if (set_has(&reg.whole, key))
		return;
	set_add(&reg.whole, key);
	add_form(secret, len, pub);
	for (k = 0; k < 3; k++) {
		std = base64_form(secret, len, pub, k, 0, &pubc);
		url = base64_form(secret, len, pub, k, 1, &pubc);
		add_form(std, strlen(std), pubc);
		if (strcmp(std, url) != 0)
			add_form(url, strlen(url), pubc);
		free(url);
		free(std);
	}
}

/*
 * The public part of a secret shaped "user@host:rest": the bytes up to
 * and including the ':' when the user part looks like an email address.
 */
static size_t
public_part(const char *s, size_t len)
{
	const char *colon, *at;
	size_t i, n;

	colon = memchr(s, ':', len);
	if (colon == NULL || colon == s || (size_t)(colon - s) + 1 >= len)
		return 0;
	n = (size_t)(colon - s);
	at = memchr(s, '@', n);
	if (at == NULL || at == s ||
	    memchr(at, '.', n - (size_t)(at - s)) == NULL)
		return 0;
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] <= ' ' || (unsigned char)s[i] >= 0x7f)
			return 0;
	return n + 1;
}

/* Registers one value, or its head and tail when it is too long. */
static int
register_bounded(const char *s, size_t len, size_t pub)
{
	size_t half = DIAG_SECRET_MAX / 2;

	if (len <= DIAG_SECRET_MAX) {
		register_one(s, len, pub);
		return 0;
	}
	register_one(s, half, pub < half ? pub : 0);
	register_one(s + len - half, half, 0);
	return -1;
}

/*
 * Registers the secret as given and, when it carries them, without its
 * leading and trailing ASCII whitespace (a token read from a file with a
 * final newline is sent, and may be printed, either way).
 */
static int
register_trimmed(const char *secret, size_t len, size_t pub)
{
	size_t a = 0, b = len;
	int rc;

	if (secret == NULL || len < SECRET_MIN)
		return 0;
	rc = register_bounded(secret, len, pub);
	while (a < b && is_space(secret[a]))
		a++;
	while (b > a && is_space(secret[b - 1]))
		b--;
	if (a > 0 || b < len)
		register_bounded(secret + a, b - a, pub > a ? pub - a : 0);
	return rc;
}

int
diag_secret_register(const char *secret, size_t len)
{
	if (secret == NULL || len < SECRET_MIN)
		return 0;
	return register_trimmed(secret, len, public_part(secret, len));
}

int
diag_secret_register_pair(const char *email, const char *token,
    size_t token_len)
{
	static const char *const ends[] = { "", "\n", "\r\n" };
	struct diag_buf b = DIAG_BUF_INIT;
	size_t i, a = 0, e = token_len, pub;
	int rc;

	if (email == NULL || token == NULL)
		return 0;
	rc = diag_secret_register(token, token_len);
	while (a < e && is_space(token[a]))
		a++;
	while (e > a && is_space(token[e - 1]))
		e--;
	token += a;
	token_len = e - a;
	pub = strlen(email) + 1;
	for (i = 0; i < DIAG_NELEM(ends); i++) {
		diag_buf_release(&b);
		diag_buf_adds(&b, email);
		diag_buf_addc(&b, ':');
		diag_buf_add(&b, token, token_len);
		diag_buf_adds(&b, ends[i]);
		if (register_trimmed(b.buf, b.len, pub) != 0)
			rc = -1;
	}
	diag_buf_release(&b);
	return rc;
}

/* Raises m[a..b) to at least v (1: weak, 2: strong). */
static void
mark(unsigned char *m, size_t a, size_t b, unsigned char v)
{
	for (; a < b; a++)
		if (m[a] < v)
			m[a] = v;
}

/* Marks every WIN-byte window of s that is a window of a registered form. */
static void
scan_windows(const char *s, size_t len, unsigned char *m)
{
	uint64_t h, top;
	size_t t;

	if (len < WIN || (reg.strong.n == 0 && reg.weak.n == 0))
		return;
	top = power(WIN - 1);
	h = hash_bytes(s, WIN);
	for (t = 0;; t++) {
		if (set_has(&reg.strong, h))
			mark(m, t, t + WIN, 2);
		else if (set_has(&reg.weak, h))
			mark(m, t, t + WIN, 1);
		if (t + WIN >= len)
			break;
		h = roll(h, top, s[t], s[t + WIN]);
	}
}

/* Marks every whole occurrence of a registered short form of n bytes. */
static void
scan_short(const char *s, size_t len, size_t n, unsigned char *m)
{
	uint64_t h, top;
	size_t t;

	if (len < n)
		return;
	top = power(n - 1);
	h = hash_bytes(s, n);
	for (t = 0;; t++) {
		if (set_has(&reg.shorts, short_key(h, n)))
			mark(m, t, t + n, 2);
		if (t + n >= len)
			break;
		h = roll(h, top, s[t], s[t + n]);
	}
}

static int
is_alnum(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9');
}

/* A character of an Atlassian token, or of its percent-encoding. */
static int
is_tokch(unsigned char c)
{
	return is_alnum(c) || c == '_' || c == '-' || c == '=' || c == '%';
}

/* Characters from s[i] of a Base64url run (a JWT segment). */
static size_t
urlrun(const char *s, size_t len, size_t i)
{
	size_t j;

	j = i;
	while (j < len &&
	    (is_alnum((unsigned char)s[j]) || s[j] == '-' || s[j] == '_'))
		j++;
	return j - i;
}

/*
 * Length of the Atlassian token at s (ATATT, ATSTT, ATCTT or ATBB and
 * then at least 16 token characters), or 0.
 */
static size_t
atlassian_token(const char *s, size_t len)
{
	static const char *const pre[] = { "ATATT", "ATSTT", "ATCTT", "ATBB" };
	size_t i, j, pl;

	for (i = 0; i < DIAG_NELEM(pre); i++) {
		pl = strlen(pre[i]);
		if (len < pl || memcmp(s, pre[i], pl) != 0)
			continue;
		for (j = pl; j < len && is_tokch((unsigned char)s[j]); j++)
			continue;
		return j - pl >= 16 ? j : 0;
	}
	return 0;
}

/* Length of the JWT at s (eyJ...{10,}.eyJ...{10,}.signature), or 0. */
static size_t
jwt(const char *s, size_t len)
{
	size_t a, b;

	if (len < 3 || memcmp(s, "eyJ", 3) != 0)
		return 0;
	a = urlrun(s, len, 0);
	if (a < 10 || a + 4 > len || s[a] != '.' ||
	    memcmp(s + a + 1, "eyJ", 3) != 0)
		return 0;
	b = urlrun(s, len, a + 1);
	if (b < 10 || a + 1 + b >= len || s[a + 1 + b] != '.')
		return 0;
	return a + b + 2 + urlrun(s, len, a + b + 2);
}

/* The value of a Base64 character in either alphabet, or -1. */
static int
b64val(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+' || c == '-')
		return 62;
	if (c == '/' || c == '_')
		return 63;
	return -1;
}

/* Does the Base64 run s (n characters) decode, at some of its four
 * alignments, to text holding an Atlassian token? */
static int
b64_holds_token(const char *s, size_t n)
{
	unsigned char *d;
	size_t off, i, j, dn;
	uint32_t v;
	int found = 0;

	d = diag_xmalloc(n / 4 * 3 + 3);
	for (off = 0; off < 4 && !found; off++) {
		dn = 0;
		for (i = off; i + 4 <= n; i += 4) {
			v = (uint32_t)b64val((unsigned char)s[i]) << 18 |
			    (uint32_t)b64val((unsigned char)s[i + 1]) << 12 |
			    (uint32_t)b64val((unsigned char)s[i + 2]) << 6 |
			    (uint32_t)b64val((unsigned char)s[i + 3]);
			d[dn++] = (unsigned char)(v >> 16);
			d[dn++] = (unsigned char)(v >> 8);
			d[dn++] = (unsigned char)v;
		}
		for (j = 0; j + 4 <= dn && !found; j++)
			found = d[j] == 'A' && d[j + 1] == 'T' &&
			    atlassian_token((char *)d + j, dn - j) >= 16;
	}
	free(d);
	return found;
}

/* Marks the Base64 runs (28 characters or more) that carry a token. */
static void
shape_base64(const char *s, size_t len, unsigned char *m)
{
	size_t i = 0, j, k;

	while (i < len) {
		if (b64val((unsigned char)s[i]) < 0) {
			i++;
			continue;
		}
		for (j = i; j < len && b64val((unsigned char)s[j]) >= 0; j++)
			continue;
		for (k = j; k < len && k - j < 2 && s[k] == '='; k++)
			continue;
		if (j - i >= 28 && b64_holds_token(s + i, j - i))
			mark(m, i, k, 2);
		i = k;
	}
}

/* Marks values shaped like credentials, registered or not. */
static void
scan_shapes(const char *s, size_t len, unsigned char *m)
{
	size_t i, n;

	for (i = 0; i + 3 <= len; i++) {
		n = 0;
		if (s[i] == 'A' && s[i + 1] == 'T')
			n = atlassian_token(s + i, len - i);
		else if (s[i] == 'e' && s[i + 1] == 'y' && s[i + 2] == 'J')
			n = jwt(s + i, len - i);
		if (n > 0) {
			mark(m, i, i + n, 2);
			i += n - 1;
		}
	}
	shape_base64(s, len, m);
}

/* The text with every run holding a strong mark replaced. */
static char *
replace_marked(const char *s, size_t len, const unsigned char *m,
    size_t *outlen)
{
	struct diag_buf out = DIAG_BUF_INIT;
	size_t i = 0, j;
	int strong;

	while (i < len) {
		for (j = i; j < len && m[j] == 0; j++)
			continue;
		diag_buf_add(&out, s + i, j - i);
		for (i = j, strong = 0; j < len && m[j] != 0; j++)
			strong |= m[j] == 2;
		if (strong)
			diag_buf_adds(&out, DIAG_REDACTED);
		else
			diag_buf_add(&out, s + i, j - i);
		i = j;
	}
	*outlen = out.len;
	if (out.buf == NULL)
		return diag_xstrdup("");
	return diag_buf_detach(&out);
}

char *
diag_secret_scrub(const char *s, size_t len, size_t *outlen)
{
	unsigned char *m;
	char *out;
	size_t n, i;

	if (s == NULL)
		len = 0;
	m = diag_xcalloc(len + 1, 1);
	if (len > 0) {
		scan_windows(s, len, m);
		for (i = SECRET_MIN; i < WIN; i++)
			if (reg.short_lens & (1u << i))
				scan_short(s, len, i, m);
		scan_shapes(s, len, m);
	}
	if (memchr(m, 2, len) == NULL) {
		out = diag_xstrndup(len > 0 ? s : "", len);
		n = len;
	} else
		out = replace_marked(s, len, m, &n);
	free(m);
	if (outlen != NULL)
		*outlen = n;
	return out;
}

void
diag_secret_reset(void)
{
	set_free(&reg.strong);
	set_free(&reg.weak);
	set_free(&reg.shorts);
	set_free(&reg.whole);
	reg.short_lens = 0;
}

size_t
diag_secret_count(void)
{
	return reg.whole.n;
}
