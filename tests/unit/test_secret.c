/* tests/unit/test_secret.c: every registered form of a secret is scrubbed, nothing else is. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "diag/core/hash.h"
#include "diag/report/report_util.h"
#include "diag/core/secret.h"
#include "diag/core/util.h"

Suite *secret_suite(void);

#define TOKEN "ATATT3xFfGF0tok/en+with=odd&chars"
#define EMAIL "me@example.com"

/* Scrubs s; returns 1 when no trace of needle survives. */
static int
scrubbed(const char *s, const char *needle)
{
	char *out;
	int ok;

	out = diag_secret_scrub(s, strlen(s), NULL);
	ok = strstr(out, needle) == NULL && strstr(out, DIAG_REDACTED) != NULL;
	free(out);
	return ok;
}

static void
setup(void)
{
	diag_secret_reset();
}

START_TEST(scrub_replaces_the_raw_secret_and_keeps_the_rest)
{
	char *out;
	size_t n;

	diag_secret_register(TOKEN, strlen(TOKEN));
	out = diag_secret_scrub("a " TOKEN " b " TOKEN,
	    strlen("a " TOKEN " b " TOKEN), &n);
	ck_assert_str_eq(out, "a " DIAG_REDACTED " b " DIAG_REDACTED);
	ck_assert_uint_eq(n, strlen(out));
	free(out);
}
END_TEST

START_TEST(scrub_returns_an_identical_copy_when_nothing_matches)
{
	char *out;

	diag_secret_register(TOKEN, strlen(TOKEN));
	out = diag_secret_scrub("nothing secret here", 19, NULL);
	ck_assert_str_eq(out, "nothing secret here");
	free(out);
	out = diag_secret_scrub(NULL, 0, NULL);
	ck_assert_str_eq(out, "");
	free(out);
}
END_TEST

START_TEST(short_secrets_are_not_registered)
{
	char *out;

	diag_secret_register("abcde", 5);
	ck_assert_uint_eq(diag_secret_count(), 0);
	out = diag_secret_scrub("abcde", 5, NULL);
	ck_assert_str_eq(out, "abcde");
	free(out);
	diag_secret_register("abcdef", 6);
	ck_assert_uint_gt(diag_secret_count(), 0);
}
END_TEST

START_TEST(scrub_replaces_the_json_escaped_form)
{
	diag_secret_register(TOKEN "\n", strlen(TOKEN) + 1);
	ck_assert(scrubbed("{\"t\":\"ATATT3xFfGF0tok\\/en+with=odd&chars\\n\"}",
	    "tok\\/en"));
	ck_assert(scrubbed("{\"t\":\"ATATT3xFfGF0tok/en+with=odd&chars\\n\"}",
	    "tok/en"));
}
END_TEST

START_TEST(scrub_replaces_the_percent_encoded_form)
{
	diag_secret_register(TOKEN, strlen(TOKEN));
	ck_assert(
	    scrubbed("?t=ATATT3xFfGF0tok%2Fen%2Bwith%3Dodd%26chars", "tok%2F"));
	ck_assert(
	    scrubbed("?t=ATATT3xFfGF0tok%2fen%2bwith%3dodd%26chars", "tok%2f"));
}
END_TEST

START_TEST(scrub_replaces_the_secret_without_its_trailing_newline)
{
	diag_secret_register(TOKEN "\r\n", strlen(TOKEN) + 2);
	ck_assert(scrubbed("token=" TOKEN ";", "tok/en"));
}
END_TEST

START_TEST(scrub_replaces_base64_forms)
{
	char *b;
	int url;

	diag_secret_register(TOKEN, strlen(TOKEN));
	for (url = 0; url < 2; url++) {
		b = diag_base64_encode(TOKEN, strlen(TOKEN), url);
		ck_assert_msg(scrubbed(b, b + 4), "base64 url=%d survived",
		    url);
		free(b);
	}
}
END_TEST

/*
 * A secret inside a longer encoded run, at each of the three byte
 * alignments: every character that depends only on the secret is gone.
 */
START_TEST(scrub_replaces_a_secret_inside_a_longer_base64_run)
{
	static const char *const lead[] = { "", "x", "xy", "xyz", "wxyz" };
	char plain[128], *b, *out, *mid;
	size_t i, from, to;
	int url;

	diag_secret_register(TOKEN, strlen(TOKEN));
	for (url = 0; url < 2; url++)
		for (i = 0; i < 5; i++) {
			snprintf(plain, sizeof(plain), "%s%s-tail", lead[i],
			    TOKEN);
			b = diag_base64_encode(plain, strlen(plain), url);
			/* the characters fully inside the secret's bits */
			from = (strlen(lead[i]) * 8 + 5) / 6;
			to = (strlen(lead[i]) + strlen(TOKEN)) * 8 / 6;
			mid = diag_xstrndup(b + from, to - from);
			out = diag_secret_scrub(b, strlen(b), NULL);
			ck_assert_msg(strstr(out, mid) == NULL &&
				strstr(out, DIAG_REDACTED) != NULL,
			    "lead %zu url %d: '%s'", strlen(lead[i]), url, out);
			free(out);
			free(mid);
			free(b);
		}
}
END_TEST

START_TEST(pair_registers_basic_auth_encodings)
{
	static const char *const plain[] = {
		EMAIL ":" TOKEN,
		EMAIL ":" TOKEN "\n",
		EMAIL ":" TOKEN "\r\n",
	};
	const char *want = "Authorization: Basic " DIAG_REDACTED "\r\n";
	char *b, *hdr, *out;
	size_t i;

	diag_secret_register_pair(EMAIL, TOKEN, strlen(TOKEN));
	for (i = 0; i < 3; i++) {
		b = diag_base64_encode(plain[i], strlen(plain[i]), 0);
		hdr = diag_xasprintf("Authorization: Basic %s\r\n", b);
		out = diag_secret_scrub(hdr, strlen(hdr), NULL);
		ck_assert_msg(strcmp(out, want) == 0, "form %zu gave '%s'", i,
		    out);
		free(out);
		free(hdr);
		free(b);
	}
	ck_assert(scrubbed("curl -u " EMAIL ":" TOKEN, TOKEN));
}
END_TEST

START_TEST(pair_with_a_token_that_ends_in_a_newline_covers_the_clean_pair)
{
	char *b;

	diag_secret_register_pair(EMAIL, TOKEN "\n", strlen(TOKEN) + 1);
	b = diag_base64_encode(EMAIL ":" TOKEN, strlen(EMAIL ":" TOKEN), 0);
	ck_assert(scrubbed(b, b + 8));
	free(b);
}
END_TEST

START_TEST(reset_forgets_every_pattern)
{
	char *out;

	diag_secret_register(TOKEN, strlen(TOKEN));
	diag_secret_reset();
	ck_assert_uint_eq(diag_secret_count(), 0);
	out = diag_secret_scrub(TOKEN, strlen(TOKEN), NULL);
	ck_assert_str_eq(out, TOKEN);
	free(out);
}
END_TEST

START_TEST(registering_twice_adds_no_pattern)
{
	size_t n;

	diag_secret_register(TOKEN, strlen(TOKEN));
	n = diag_secret_count();
	diag_secret_register(TOKEN, strlen(TOKEN));
	ck_assert_uint_eq(diag_secret_count(), n);
}
END_TEST

/* A 192-character ATATT-shaped token (the CRC tail is not checked here). */
#define LONGTOK \
	"ATATT3xFfGF0" \
	"Zm9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4cXV1eHF1dXhxdXV4cXV1eHF1dXhxdXV4" \
	"cXV1eHF1dXhxdXV4cXV1eHF1dXhxdXV4cXV1eHF1dXhxdXV4cXV1eHF1dXhxdXV4" \
	"cXV1eHF1dXhxdXV4cXV1eHF1dXhxdXV4cXV1eHF1dXh=0123ABCD"

/* Scrubs s with nothing registered; returns 1 when it came back as is. */
static int
kept(const char *s)
{
	char *out;
	int ok;

	out = diag_secret_scrub(s, strlen(s), NULL);
	ok = strcmp(out, s) == 0;
	free(out);
	return ok;
}

/*
 * An excerpt cut inside a registered token: any run of 16 or more of its
 * characters goes, at the start, the end or the middle of the token.
 */
START_TEST(window_rule_masks_a_token_cut_anywhere)
{
	static const struct {
		size_t from, to;
	} cut[] = {
		{ 0, 182 },
		{ 10, 192 },
		{ 50, 66 },
		{ 100, 150 },
		{ 176, 192 },
	};
	char buf[512], frag[256], *out;
	size_t i;

	ck_assert_uint_eq(strlen(LONGTOK), 192);
	diag_secret_register(LONGTOK, strlen(LONGTOK));
	for (i = 0; i < DIAG_NELEM(cut); i++) {
		memcpy(frag, LONGTOK + cut[i].from, cut[i].to - cut[i].from);
		frag[cut[i].to - cut[i].from] = '\0';
		snprintf(buf, sizeof(buf), "body: {\"x\":\"%s", frag);
		out = diag_secret_scrub(buf, strlen(buf), NULL);
		ck_assert_msg(strcmp(out, "body: {\"x\":\"" DIAG_REDACTED) == 0,
		    "cut %zu..%zu gave '%s'", cut[i].from, cut[i].to, out);
		free(out);
	}
	/* 15 characters cannot be told from ordinary text: they stay. */
	memcpy(frag, LONGTOK + 40, 15);
	frag[15] = '\0';
	ck_assert(kept(frag));
}
END_TEST

START_TEST(short_secrets_are_masked_only_whole)
{
	char *out;

	diag_secret_register("hunter2pw", 9);
	out = diag_secret_scrub("x hunter2pw y hunter2 z", 23, NULL);
	ck_assert_str_eq(out, "x " DIAG_REDACTED " y hunter2 z");
	free(out);
}
END_TEST

/* The email of a pair is not secret alone; the whole pair is. */
START_TEST(pair_keeps_a_lone_email_and_masks_the_pair)
{
	char *out;

	diag_secret_register_pair("jane.doe@example.com", LONGTOK,
	    strlen(LONGTOK));
	ck_assert(kept("user jane.doe@example.com (jane.doe@example.com:)"));
	out = diag_secret_scrub("-u jane.doe@example.com:" LONGTOK " x",
	    strlen("-u jane.doe@example.com:" LONGTOK " x"), NULL);
	ck_assert_str_eq(out, "-u " DIAG_REDACTED " x");
	free(out);
	/* the same through plain registration of "email:token" */
	diag_secret_reset();
	diag_secret_register("jane.doe@example.com:" LONGTOK,
	    strlen("jane.doe@example.com:" LONGTOK));
	ck_assert(kept("as jane.doe@example.com."));
	ck_assert(scrubbed("jane.doe@example.com:" LONGTOK, LONGTOK + 20));
}
END_TEST

/* A value far longer than a token is refused whole but bounded. */
START_TEST(an_oversized_secret_is_refused_and_costs_a_bounded_amount)
{
	static const char alnum[] = "abcdefghijklmnopqrstuvwxyz0123456789";
	char *big, *out;
	size_t i, n = 20 * DIAG_SECRET_MAX;

	big = diag_xmalloc(n);
	for (i = 0; i < n; i++)
		big[i] = alnum[(i * 7 + i / 36) % 36];
	ck_assert_int_eq(diag_secret_register(big, n), -1);
	ck_assert_int_le(diag_secret_count(), 2);
	/* its head and its tail are masked */
	out = diag_secret_scrub(big, 64, NULL);
	ck_assert_str_eq(out, DIAG_REDACTED);
	free(out);
	out = diag_secret_scrub(big + n - 64, 64, NULL);
	ck_assert_str_eq(out, DIAG_REDACTED);
	free(out);
	ck_assert_int_eq(diag_secret_register(big, DIAG_SECRET_MAX), 0);
	ck_assert_int_eq(diag_secret_register_pair("a@b.co", big, n), -1);
	free(big);
}
END_TEST

/* Credential shapes are masked even when nothing was registered. */
START_TEST(shapes_are_masked_without_registration)
{
	static const char *const shaped[] = {
		LONGTOK,
		"ATSTT3xAbCdEfGhIjKlMnOpQrStUvWxYz0123456789",
		"ATCTT3xAbCdEfGhIjKlMnOpQrStUvWxYz0123456789",
		"ATBBxYzAbCdEfGhIjKlMnOpQrStUv12",
		"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0."
		"dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
		"eyJhbGciOiJub25lIn0.eyJzdWIiOiIxMjM0NTY3ODkwIn0.",
	};
	const char *basic = "Authorization: Basic " DIAG_REDACTED;
	char *b, *in, *out;
	size_t i;

	for (i = 0; i < DIAG_NELEM(shaped); i++) {
		in = diag_xasprintf("got '%s' here", shaped[i]);
		out = diag_secret_scrub(in, strlen(in), NULL);
		ck_assert_msg(strcmp(out, "got '" DIAG_REDACTED "' here") == 0,
		    "%zu: '%s'", i, out);
		free(out);
		free(in);
	}
	/* Basic credentials: Base64 of "user:ATATT...", at any alignment */
	for (i = 0; i < 3; i++) {
		in = diag_xasprintf("%.*sjane@example.com:%s", (int)i, "xy",
		    LONGTOK);
		b = diag_base64_encode(in, strlen(in), 0);
		free(in);
		in = diag_xasprintf("Authorization: Basic %s", b);
		out = diag_secret_scrub(in, strlen(in), NULL);
		ck_assert_msg(strcmp(out, basic) == 0, "lead %zu: '%s'", i,
		    out);
		free(out);
		free(in);
		free(b);
	}
}
END_TEST

/* ... and what only resembles them is left alone. */
START_TEST(shapes_leave_ordinary_identifiers_alone)
{
	static const char *const plain[] = {
		"The ATATT user API token was rejected; create an ATATT token.",
		"ATATT3x is how user API tokens start; ATBB app passwords",
		"id 123e4567-e89b-12d3-a456-426614174000",
		"accountId 5b10ac8d82e05b22cc7d4ef5 and "
		"712020:0c1a3f2e-1f5b-4c4e-9a3e-3b9a1c2d4e5f",
		"fingerprint "
		"sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b"
		"822cd15d6c15b0f00a08",
		"sha256:n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=",
		"traceparent "
		"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
		"x-arequestid 4bf92f3577b34da6a3ce929d0e0e4736",
		"/rest/api/3/issue/ABC-123/"
		"transitions?expand=transitions.fields",
		"eyJ is how a JWT starts; eyJhbGciOiJIUzI1NiJ9 alone is a "
		"header",
		"QVRBVFQ= is short",
		"legacy token abcdefghijklmnopqrstuvwx is ambiguous",
		"Client must be authenticated to access this resource.",
	};
	size_t i;

	for (i = 0; i < DIAG_NELEM(plain); i++)
		ck_assert_msg(kept(plain[i]), "masked: '%s'", plain[i]);
}
END_TEST

/*
 * A body excerpt is cut after the body is scrubbed: a cut 10 characters
 * into a token would leave a piece too short for the window rule.
 */
START_TEST(excerpts_are_cut_after_scrubbing)
{
	char body[512], *e;
	int cut;

	memset(body, 'x', 230);
	snprintf(body + 230, sizeof(body) - 230, "%s\"}", LONGTOK);
	diag_secret_register(LONGTOK, strlen(LONGTOK));
	e = diag__excerpt(body, strlen(body), 240, &cut);
	ck_assert_ptr_null(strstr(e, "ATATT3x"));
	ck_assert_ptr_nonnull(strstr(e, DIAG_REDACTED));
	free(e);
}
END_TEST

/* Property test helpers: forms computed here, independently of secret.c. */
static char *
t_json(const char *s, size_t n, int slash)
{
	struct diag_buf b = DIAG_BUF_INIT;
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] == '"' || s[i] == '\\' || (slash && s[i] == '/'))
			diag_buf_addc(&b, '\\');
		diag_buf_addc(&b, s[i]);
	}
	return diag_buf_detach(&b);
}

static char *
t_pct(const char *s, size_t n, int lower)
{
	struct diag_buf b = DIAG_BUF_INIT;
	size_t i;

	for (i = 0; i < n; i++)
		if (strchr("-._~", s[i]) != NULL ||
		    (s[i] >= '0' && s[i] <= '9') ||
		    ((s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'z'))
			diag_buf_addc(&b, s[i]);
		else
			diag_buf_addf(&b, lower ? "%%%02x" : "%%%02X",
			    (unsigned char)s[i]);
	return diag_buf_detach(&b);
}

/* Base64 of lead bytes + s + tail bytes; *from and *to: the characters that
 * depend on s alone. */
static char *
t_b64(const char *s, size_t n, size_t lead, int url, size_t *from, size_t *to)
{
	char *tmp, *enc;

	tmp = diag_xcalloc(n + 8, 1);
	memset(tmp, 'q', lead);
	memcpy(tmp + lead, s, n);
	memcpy(tmp + lead + n, "zz", 2);
	enc = diag_base64_encode(tmp, n + lead + 2, url);
	*from = (lead * 8 + 5) / 6;
	*to = (lead + n) * 8 / 6;
	free(tmp);
	return enc;
}

struct windows {
	char (*w)[16];
	size_t n;
};

static void
add_form_windows(struct windows *ws, const char *f, size_t n)
{
	size_t i;

	for (i = 0; i + 16 <= n; i++) {
		ws->w = diag_xrealloc(ws->w, (ws->n + 1) * sizeof(*ws->w));
		memcpy(ws->w[ws->n++], f + i, 16);
	}
}

static int
win_cmp(const void *a, const void *b)
{
	return memcmp(a, b, 16);
}

/* Every 16-character window of every form of s (raw, JSON, percent,
 * Base64 at three alignments in both alphabets), sorted. */
static void
all_windows(const char *s, size_t n, struct windows *ws)
{
	char *f;
	size_t k, from, to;
	int v;

	add_form_windows(ws, s, n);
	for (v = 0; v < 2; v++) {
		f = t_json(s, n, v);
		add_form_windows(ws, f, strlen(f));
		free(f);
		f = t_pct(s, n, v);
		add_form_windows(ws, f, strlen(f));
		free(f);
		for (k = 0; k < 3; k++) {
			f = t_b64(s, n, k, v, &from, &to);
			add_form_windows(ws, f + from, to - from);
			free(f);
		}
	}
	qsort(ws->w, ws->n, sizeof(*ws->w), win_cmp);
}

static size_t
rnd(unsigned *state, size_t n)
{
	*state = *state * 1103515245u + 12345u;
	return (size_t)((*state >> 8) % n);
}

/* A random encoding of s, truncated or sliced at random, as a new string. */
static char *
random_embedding(unsigned *st, const char *s, size_t n)
{
	char *f, *piece;
	size_t len, from, to, a, b;

	switch (rnd(st, 6)) {
	case 0:
		f = diag_xstrndup(s, n);
		break;
	case 1:
		f = t_json(s, n, (int)rnd(st, 2));
		break;
	case 2:
		f = t_pct(s, n, (int)rnd(st, 2));
		break;
	default:
		f = t_b64(s, n, rnd(st, 3), (int)rnd(st, 2), &from, &to);
	}
	len = strlen(f);
	a = rnd(st, 3) == 0 ? rnd(st, len) : 0; /* cut the start */
	b = rnd(st, 3) == 0 ? a + rnd(st, len - a + 1) : len; /* the end */
	piece = diag_xstrndup(f + a, b - a);
	free(f);
	return piece;
}

static void
random_text(unsigned *st, struct diag_buf *b, size_t n)
{
	static const char pool[] =
	    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJK"
	    "LMNOPQRSTUVWXYZ0123456789 \n\"{}:,=&%+/\\-_.";

	while (n-- > 0)
		diag_buf_addc(b, pool[rnd(st, sizeof(pool) - 1)]);
}

/*
 * The property: whatever the surrounding text, the encoding and the cut,
 * no 16-character window of any form of a registered secret survives.
 */
START_TEST(no_window_of_a_registered_secret_survives)
{
	static const char chars[] =
	    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789-_=+/&\"\\ %:.~";
	struct diag_buf text = DIAG_BUF_INIT;
	struct windows ws = { NULL, 0 };
	char secret[320], *emb, *out;
	const void *hit;
	unsigned st = 20261128;
	size_t iter, n, i, k, outlen;

	for (iter = 0; iter < 1500; iter++) {
		diag_secret_reset();
		n = 16 + rnd(&st, 280);
		for (i = 0; i < n; i++)
			secret[i] = chars[rnd(&st, sizeof(chars) - 1)];
		diag_secret_register(secret, n);
		diag_buf_release(&text);
		random_text(&st, &text, rnd(&st, 200));
		for (k = 1 + rnd(&st, 3); k > 0; k--) {
			emb = random_embedding(&st, secret, n);
			diag_buf_adds(&text, emb);
			free(emb);
			random_text(&st, &text, rnd(&st, 40));
		}
		free(ws.w);
		ws.w = NULL;
		ws.n = 0;
		all_windows(secret, n, &ws);
		out = diag_secret_scrub(text.buf, text.len, &outlen);
		for (i = 0; i + 16 <= outlen; i++) {
			hit = bsearch(out + i, ws.w, ws.n, sizeof(*ws.w),
			    win_cmp);
			ck_assert_msg(hit == NULL,
			    "case %zu: window '%.16s' survived in '%s'", iter,
			    out + i, out);
		}
		free(out);
	}
	free(ws.w);
	diag_buf_release(&text);
}
END_TEST

/*
 * 10,000 distinct credentials (one per entry of a big HAR): registering
 * them and scrubbing is linear, so this finishes; each is still masked.
 */
START_TEST(ten_thousand_distinct_credentials)
{
	struct diag_buf text = DIAG_BUF_INIT;
	char tok[64], *out;
	unsigned st = 7;
	size_t i, j, n;

	for (i = 0; i < 10000; i++) {
		n = (size_t)snprintf(tok, sizeof(tok), "pw-%05zu-", i);
		for (j = 0; j < 24; j++)
			tok[n++] = "abcdefghijklmnopqrstuvwxyz"[rnd(&st, 26)];
		tok[n] = '\0';
		ck_assert_int_eq(diag_secret_register(tok, n), 0);
		if (i % 1000 == 999) {
			diag_buf_addf(&text, "entry %zu: %s\n", i, tok);
			diag_buf_addf(&text, "cut: %s\n", tok + 4);
		}
	}
	ck_assert_uint_eq(diag_secret_count(), 10000);
	out = diag_secret_scrub(text.buf, text.len, NULL);
	ck_assert_ptr_null(strstr(out, "pw-0"));
	ck_assert_ptr_null(strstr(out, "-0"));
	ck_assert_ptr_nonnull(strstr(out, "entry 9999: " DIAG_REDACTED));
	free(out);
	diag_buf_release(&text);
}
END_TEST

Suite *
secret_suite(void)
{
	Suite *s = suite_create("secret");
	TCase *tc = tcase_create("scrub");

	tcase_add_checked_fixture(tc, setup, setup);
	tcase_add_test(tc, scrub_replaces_the_raw_secret_and_keeps_the_rest);
	tcase_add_test(tc,
	    scrub_returns_an_identical_copy_when_nothing_matches);
	tcase_add_test(tc, short_secrets_are_not_registered);
	tcase_add_test(tc, scrub_replaces_the_json_escaped_form);
	tcase_add_test(tc, scrub_replaces_the_percent_encoded_form);
	tcase_add_test(tc,
	    scrub_replaces_the_secret_without_its_trailing_newline);
	tcase_add_test(tc, scrub_replaces_base64_forms);
	tcase_add_test(tc, scrub_replaces_a_secret_inside_a_longer_base64_run);
	tcase_add_test(tc, pair_registers_basic_auth_encodings);
	tcase_add_test(tc,
	    pair_with_a_token_that_ends_in_a_newline_covers_the_clean_pair);
	tcase_add_test(tc, reset_forgets_every_pattern);
	tcase_add_test(tc, registering_twice_adds_no_pattern);
	tcase_add_test(tc, window_rule_masks_a_token_cut_anywhere);
	tcase_add_test(tc, short_secrets_are_masked_only_whole);
	tcase_add_test(tc, pair_keeps_a_lone_email_and_masks_the_pair);
	tcase_add_test(tc,
	    an_oversized_secret_is_refused_and_costs_a_bounded_amount);
	tcase_add_test(tc, shapes_are_masked_without_registration);
	tcase_add_test(tc, shapes_leave_ordinary_identifiers_alone);
	tcase_add_test(tc, no_window_of_a_registered_secret_survives);
	tcase_add_test(tc, excerpts_are_cut_after_scrubbing);
	tcase_add_test(tc, ten_thousand_distinct_credentials);
	suite_add_tcase(s, tc);
	return s;
}
