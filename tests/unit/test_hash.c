/* tests/unit/test_hash.c: CRC-32, MD5, SHA-256, fingerprints and Base64 against known vectors. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "diag/core/hash.h"

Suite *hash_suite(void);

static void
hex(const unsigned char *d, size_t n, char *out)
{
	size_t i;

	for (i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", d[i]);
}

START_TEST(crc32_matches_the_check_value_of_the_ieee_variant)
{
	ck_assert_uint_eq(diag_crc32("123456789", 9), 0xCBF43926U);
	ck_assert_uint_eq(diag_crc32("", 0), 0);
}
END_TEST

START_TEST(crc32_matches_the_tail_of_the_published_token_vector)
{
	/* reference §1.3: CRC-32 of the first 184 characters, %08X. */
	const char *tok =
	    "ATATT3xFfGF0K3irG5tKKi-6u-wwaXQFeGwZ-IHR-hQ3CulkKtMSu"
	    "teRQFfLZ6jihHThzZCg_UjnDt-4Wl_gIRf4zrZJs5JqaeuBhsfJ4W5GD6yGg3W790"
	    "3gbvaxZPBjxIQQ7BgFDSkPS8oPispw4KLz56mdK-G6CIvLO6hHRrZHY0Q3tvJ6JxE"
	    "=C63992E6";
	char tail[9];

	ck_assert_uint_eq(strlen(tok), 192);
	snprintf(tail, sizeof(tail), "%08X", diag_crc32(tok, 184));
	ck_assert_str_eq(tail, tok + 184);
}
END_TEST

START_TEST(md5_matches_rfc1321_vectors)
{
	static const struct {
		const char *in, *out;
	} v[] = {
		{ "", "d41d8cd98f00b204e9800998ecf8427e" },
		{ "a", "0cc175b9c0f1b6a831c399e269772661" },
		{ "abc", "900150983cd24fb0d6963f7d28e17f72" },
		{ "message digest", "f96b697d7cb7938d525a2f31aaf161d0" },
		{ "12345678901234567890123456789012345678901234567890123456789"
		  "012345678901234567890",
		    "57edf4a22be3c955ac49da2e2107b67a" },
	};
	unsigned char d[16];
	char h[33];
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		diag_md5(v[i].in, strlen(v[i].in), d);
		hex(d, 16, h);
		ck_assert_str_eq(h, v[i].out);
	}
}
END_TEST

START_TEST(md5_handles_lengths_around_the_padding_boundary)
{
	/* 55, 56 and 64 bytes: one or two final blocks. */
	static const char *const want[] = {
		"ef1772b6dff9a122358552954ad0df65", /* 55 x 'a' */
		"3b0c8ac703f828b04c6c197006d17218", /* 56 x 'a' */
		"014842d480b571495a4a0363793f7367", /* 64 x 'a' */
	};
	static const size_t lens[] = { 55, 56, 64 };
	char buf[64], h[33];
	unsigned char d[16];
	size_t i;

	memset(buf, 'a', sizeof(buf));
	for (i = 0; i < 3; i++) {
		diag_md5(buf, lens[i], d);
		hex(d, 16, h);
		ck_assert_str_eq(h, want[i]);
	}
}
END_TEST

START_TEST(sha256_matches_fips_vectors)
{
	unsigned char d[32];
	char h[65], *big;

	diag_sha256("abc", 3, d);
	hex(d, 32, h);
	ck_assert_str_eq(h,
	    "ba7816bf8f01cfea414140de5dae2223"
	    "b00361a396177a9cb410ff61f20015ad");
	diag_sha256("", 0, d);
	hex(d, 32, h);
	ck_assert_str_eq(h,
	    "e3b0c44298fc1c149afbf4c8996fb924"
	    "27ae41e4649b934ca495991b7852b855");
	diag_sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
	    56, d);
	hex(d, 32, h);
	ck_assert_str_eq(h,
	    "248d6a61d20638b8e5c026930c3e6039"
	    "a33ce45964ff2167f6ecedd419db06c1");
	big = malloc(1000);
	memset(big, 'a', 1000);
	diag_sha256(big, 1000, d);
	free(big);
	hex(d, 32, h);
	ck_assert_str_eq(h,
	    "41edece42d63e8d9bf515a9ba6932e1c"
	    "20cbc9f5a5d134645adb5db1b9737ea3");
}
END_TEST

START_TEST(fingerprint_is_the_first_eight_hex_digits_of_sha256)
{
	char fp[16];

	diag_fingerprint("abc", 3, fp);
	ck_assert_str_eq(fp, "sha256:ba7816bf");
}
END_TEST

START_TEST(base64_encodes_rfc4648_vectors)
{
	static const char *const in[] = { "", "f", "fo", "foo", "foob", "fooba",
		"foobar" };
	static const char *const out[] = { "", "Zg==", "Zm8=", "Zm9v",
		"Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy" };
	char *e;
	size_t i;

	for (i = 0; i < 7; i++) {
		e = diag_base64_encode(in[i], strlen(in[i]), 0);
		ck_assert_str_eq(e, out[i]);
		free(e);
	}
}
END_TEST

START_TEST(base64_urlsafe_uses_dash_and_underscore_without_padding)
{
	char *e;

	e = diag_base64_encode("\xfb\xff\xbf", 3, 0);
	ck_assert_str_eq(e, "+/+/");
	free(e);
	e = diag_base64_encode("\xfb\xff\xbf", 3, 1);
	ck_assert_str_eq(e, "-_-_");
	free(e);
	e = diag_base64_encode("f", 1, 1);
	ck_assert_str_eq(e, "Zg");
	free(e);
}
END_TEST

START_TEST(base64_decode_round_trips_every_length)
{
	unsigned char src[40], *dec;
	size_t n, len;
	char *e;
	int url, rc;

	for (n = 0; n < sizeof(src); n++)
		src[n] = (unsigned char)(n * 37 + 11);
	for (url = 0; url < 2; url++)
		for (n = 0; n <= sizeof(src); n++) {
			e = diag_base64_encode(src, n, url);
			rc = diag_base64_decode(e, strlen(e), &dec, &len);
			ck_assert_int_eq(rc, 0);
			ck_assert_uint_eq(len, n);
			ck_assert(memcmp(dec, src, n) == 0);
			ck_assert_int_eq(dec[len], 0);
			free(dec);
			free(e);
		}
}
END_TEST

START_TEST(base64_decode_refuses_what_is_not_base64)
{
	static const char *const bad[] = {
		"Zm9v\n", /* whitespace */
		"Zm 9v",
		"Z", /* impossible length */
		"Zm9vY",
		"Zg=", /* short padding */
		"Z===",
		"Zm=v", /* padding inside */
		"Zh==", /* leftover bits */
		"+/-_", /* mixed alphabets */
		"bWU6dG9r*W4=",
		"me@example.com:token",
	};
	unsigned char *dec = (unsigned char *)"x";
	size_t i, len = 9;
	int rc;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		rc = diag_base64_decode(bad[i], strlen(bad[i]), &dec, &len);
		ck_assert_msg(rc == -1, "accepted '%s'", bad[i]);
		ck_assert_ptr_null(dec);
		ck_assert_uint_eq(len, 0);
	}
}
END_TEST

START_TEST(base64_decode_accepts_unpadded_input)
{
	unsigned char *dec;
	size_t len;

	ck_assert_int_eq(diag_base64_decode("Zm9vYg", 6, &dec, &len), 0);
	ck_assert_uint_eq(len, 4);
	ck_assert(memcmp(dec, "foob", 4) == 0);
	free(dec);
}
END_TEST

Suite *
hash_suite(void)
{
	Suite *s = suite_create("hash");
	TCase *tc = tcase_create("vectors");

	tcase_add_test(tc, crc32_matches_the_check_value_of_the_ieee_variant);
	tcase_add_test(tc,
	    crc32_matches_the_tail_of_the_published_token_vector);
	tcase_add_test(tc, md5_matches_rfc1321_vectors);
	tcase_add_test(tc, md5_handles_lengths_around_the_padding_boundary);
	tcase_add_test(tc, sha256_matches_fips_vectors);
	tcase_add_test(tc, fingerprint_is_the_first_eight_hex_digits_of_sha256);
	tcase_add_test(tc, base64_encodes_rfc4648_vectors);
	tcase_add_test(tc,
	    base64_urlsafe_uses_dash_and_underscore_without_padding);
	tcase_add_test(tc, base64_decode_round_trips_every_length);
	tcase_add_test(tc, base64_decode_refuses_what_is_not_base64);
	tcase_add_test(tc, base64_decode_accepts_unpadded_input);
	suite_add_tcase(s, tc);
	return s;
}
