/* tests/unit/test_secret.c: every registered form of a secret is scrubbed, nothing else is. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "diag/hash.h"
#include "diag/secret.h"
#include "diag/util.h"

Suite	*secret_suite(void);

#define TOKEN	"ATATT3xFfGF0tok/en+with=odd&chars"
#define EMAIL	"me@example.com"

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
	out = diag_secret_scrub("a " TOKEN " b " TOKEN, strlen("a " TOKEN
	    " b " TOKEN), &n);
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
	ck_assert(scrubbed("?t=ATATT3xFfGF0tok%2Fen%2Bwith%3Dodd%26chars",
	    "tok%2F"));
	ck_assert(scrubbed("?t=ATATT3xFfGF0tok%2fen%2bwith%3dodd%26chars",
	    "tok%2f"));
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
		ck_assert_msg(scrubbed(b, b + 4), "base64 url=%d survived", url);
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
		EMAIL ":" TOKEN, EMAIL ":" TOKEN "\n", EMAIL ":" TOKEN "\r\n",
	};
	char *b, *hdr, *out;
	size_t i;

	diag_secret_register_pair(EMAIL, TOKEN, strlen(TOKEN));
	for (i = 0; i < 3; i++) {
		b = diag_base64_encode(plain[i], strlen(plain[i]), 0);
		hdr = diag_xasprintf("Authorization: Basic %s\r\n", b);
		out = diag_secret_scrub(hdr, strlen(hdr), NULL);
		ck_assert_msg(strcmp(out, "Authorization: Basic " DIAG_REDACTED
		    "\r\n") == 0, "form %zu gave '%s'", i, out);
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

Suite *
secret_suite(void)
{
	Suite *s = suite_create("secret");
	TCase *tc = tcase_create("scrub");

	tcase_add_checked_fixture(tc, setup, setup);
	tcase_add_test(tc, scrub_replaces_the_raw_secret_and_keeps_the_rest);
	tcase_add_test(tc, scrub_returns_an_identical_copy_when_nothing_matches);
	tcase_add_test(tc, short_secrets_are_not_registered);
	tcase_add_test(tc, scrub_replaces_the_json_escaped_form);
	tcase_add_test(tc, scrub_replaces_the_percent_encoded_form);
	tcase_add_test(tc, scrub_replaces_the_secret_without_its_trailing_newline);
	tcase_add_test(tc, scrub_replaces_base64_forms);
	tcase_add_test(tc, scrub_replaces_a_secret_inside_a_longer_base64_run);
	tcase_add_test(tc, pair_registers_basic_auth_encodings);
	tcase_add_test(tc, pair_with_a_token_that_ends_in_a_newline_covers_the_clean_pair);
	tcase_add_test(tc, reset_forgets_every_pattern);
	tcase_add_test(tc, registering_twice_adds_no_pattern);
	suite_add_tcase(s, tc);
	return s;
}
