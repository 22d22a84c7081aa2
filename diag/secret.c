/* diag/secret.c: the registry of secrets and the scrubber that redacts them. */
#include <stdlib.h>
#include <string.h>

#include "diag/hash.h"
#include "diag/secret.h"
#include "diag/util.h"

#define SECRET_MIN	6	/* shorter secrets and patterns are ignored */

/*
 * Every pattern to redact: a registered secret or one of its encoded
 * forms. Kept sorted longest first so that a longer form (the Base64 of
 * "email:token") is replaced before a shorter one it contains.
 */
struct pattern {
	char	*s;
	size_t	 len;
};

/*
 * Per thread: `batch` runs one profile per worker thread, and each
 * worker's secrets, scrubbing and reset stay its own (thread-safe without
 * a lock, and memory bounded by the number of workers, not of profiles).
 * A single-threaded run sees one registry, as before.
 */
static _Thread_local struct pattern	*patterns;
static _Thread_local size_t		 n_patterns;

static int
pattern_cmp(const void *a, const void *b)
{
	const struct pattern *x = a, *y = b;

	if (x->len != y->len)
		return x->len > y->len ? -1 : 1;
	return memcmp(x->s, y->s, x->len);
}

/* Adds one pattern unless it is too short or already known. */
static void
add_pattern(const char *s, size_t len)
{
	size_t i;

	if (len < SECRET_MIN)
		return;
	for (i = 0; i < n_patterns; i++)
		if (patterns[i].len == len && memcmp(patterns[i].s, s, len) == 0)
			return;
	patterns = diag_xrealloc(patterns, (n_patterns + 1) * sizeof(*patterns));
	patterns[n_patterns].s = diag_xstrndup(s, len);
	patterns[n_patterns].len = len;
	n_patterns++;
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

/* One form and the ways it may be written in a report or a URL. */
static void
add_form(const char *s, size_t len)
{
	char *e;
	size_t n;
	int k;

	add_pattern(s, len);
	for (k = 0; k < 2; k++) {
		e = json_escape(s, len, k, &n);
		add_pattern(e, n);
		free(e);
		e = percent_encode(s, len, k, &n);
		add_pattern(e, n);
		free(e);
	}
}

/*
 * The Base64 characters that depend only on the secret when it starts
 * k bytes into a longer encoded run: character i holds bits 6i..6i+5,
 * so it is the secret's alone when those bits fall inside
 * [8k, 8(k+len)).
 */
static void
add_base64_aligned(const char *s, size_t len, int k, int urlsafe)
{
	unsigned char *tmp;
	char *enc;
	size_t from, to;

	tmp = diag_xcalloc(len + 3, 1);
	memcpy(tmp + k, s, len);
	enc = diag_base64_encode(tmp, len + (size_t)k, urlsafe);
	from = ((size_t)k * 8 + 5) / 6;
	to = ((size_t)k + len) * 8 / 6;
	if (to > from)
		add_form(enc + from, to - from);
	free(enc);
	free(tmp);
}

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	    c == '\v' || c == '\f';
}

static void
register_one(const char *secret, size_t len)
{
	char *enc;
	int k, url;

	if (len < SECRET_MIN)
		return;
	add_form(secret, len);
	for (url = 0; url < 2; url++) {
		enc = diag_base64_encode(secret, len, url);
		add_form(enc, strlen(enc));
		free(enc);
		for (k = 0; k < 3; k++)
			add_base64_aligned(secret, len, k, url);
	}
}

/*
 * Registers the secret as given and, when it carries them, without its
 * leading and trailing ASCII whitespace (a token read from a file with a
 * final newline is sent, and may be printed, either way).
 */
void
diag_secret_register(const char *secret, size_t len)
{
	size_t a = 0, b = len;

	if (secret == NULL || len < SECRET_MIN)
		return;
	register_one(secret, len);
	while (a < b && is_space(secret[a]))
		a++;
	while (b > a && is_space(secret[b - 1]))
		b--;
	if (a > 0 || b < len)
		register_one(secret + a, b - a);
	qsort(patterns, n_patterns, sizeof(*patterns), pattern_cmp);
}

void
diag_secret_register_pair(const char *email, const char *token,
    size_t token_len)
{
	static const char *const ends[] = { "", "\n", "\r\n" };
	struct diag_buf b = DIAG_BUF_INIT;
	size_t i, a = 0, e = token_len;

	if (email == NULL || token == NULL)
		return;
	diag_secret_register(token, token_len);
	while (a < e && is_space(token[a]))
		a++;
	while (e > a && is_space(token[e - 1]))
		e--;
	token += a;
	token_len = e - a;
	for (i = 0; i < DIAG_NELEM(ends); i++) {
		diag_buf_release(&b);
		diag_buf_adds(&b, email);
		diag_buf_addc(&b, ':');
		diag_buf_add(&b, token, token_len);
		diag_buf_adds(&b, ends[i]);
		diag_secret_register(b.buf, b.len);
	}
	diag_buf_release(&b);
}

char *
diag_secret_scrub(const char *s, size_t len, size_t *outlen)
{
	struct diag_buf out = DIAG_BUF_INIT;
	char *cur;
	const char *p, *hit, *end;
	size_t i, curlen, rlen = strlen(DIAG_REDACTED);

	cur = diag_xstrndup(s != NULL ? s : "", s != NULL ? len : 0);
	curlen = s != NULL ? len : 0;
	for (i = 0; i < n_patterns; i++) {
		if (patterns[i].len > curlen)
			continue;
		hit = memmem(cur, curlen, patterns[i].s, patterns[i].len);
		if (hit == NULL)
			continue;
		p = cur;
		end = cur + curlen;
		while (hit != NULL) {
			diag_buf_add(&out, p, (size_t)(hit - p));
			diag_buf_add(&out, DIAG_REDACTED, rlen);
			p = hit + patterns[i].len;
			hit = memmem(p, (size_t)(end - p), patterns[i].s,
			    patterns[i].len);
		}
		diag_buf_add(&out, p, (size_t)(end - p));
		free(cur);
		curlen = out.len;
		cur = diag_buf_detach(&out);
	}
	if (outlen != NULL)
		*outlen = curlen;
	return cur;
}

void
diag_secret_reset(void)
{
	size_t i;

	for (i = 0; i < n_patterns; i++)
		free(patterns[i].s);
	free(patterns);
	patterns = NULL;
	n_patterns = 0;
}

size_t
diag_secret_count(void)
{
	return n_patterns;
}
