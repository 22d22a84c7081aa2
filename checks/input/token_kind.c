/* checks/input/token_kind.c: token hygiene, kind and checksum, shared by the input checks. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "checks/input/token_kind.h"
#include "diag/core/hash.h"
#include "diag/core/util.h"

#define ATATT_LEN 192 /* reference §1.2 */
#define ATATT_EQ 183 /* index of the '=' before the CRC tail */
#define LEGACY_LEN 24
#define DC_PAT_LEN 44

static const struct {
	enum diag__tok_kind kind;
	const char *name;
	const char *desc;
} kinds[] = {
	{ DIAG__TOK_UNKNOWN, "unknown", "value of unknown kind" },
	{ DIAG__TOK_USER_API, "user_api_token", "ATATT user API token" },
	{ DIAG__TOK_SERVICE_ACCOUNT, "service_account_token",
	    "ATSTT service-account API token" },
	{ DIAG__TOK_ADMIN_OR_ACCESS, "admin_key_or_access_token",
	    "ATCTT organization admin API key or Bitbucket access token" },
	{ DIAG__TOK_APP_PASSWORD, "app_password",
	    "ATBB Bitbucket app password" },
	{ DIAG__TOK_LEGACY, "legacy_api_token",
	    "legacy 24-character API token" },
	{ DIAG__TOK_OAUTH, "oauth_access_token",
	    "OAuth 2.0 access token (JWT)" },
	{ DIAG__TOK_DC_PAT, "dc_pat",
	    "Jira/Confluence Data Center personal access token" },
	{ DIAG__TOK_PASSWORD_LIKE, "password_like",
	    "value that looks like a password" },
};

const char *
diag__token_kind_name(enum diag__tok_kind k)
{
	return kinds[k].name;
}

const char *
diag__token_kind_desc(enum diag__tok_kind k)
{
	return kinds[k].desc;
}

static int
is_alnum(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9');
}

static int
is_hex(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') ||
	    (c >= 'a' && c <= 'f');
}

static int
all_of(const char *s, size_t len, const char *extra)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!is_alnum((unsigned char)s[i]) &&
		    (s[i] == '\0' || strchr(extra, s[i]) == NULL))
			return 0;
	return 1;
}

int
diag__token_dc_pat_shape(const char *s, size_t len)
{
	unsigned char *dec = NULL;
	size_t n, i;
	int ok = 0;

	if (len != DC_PAT_LEN || !all_of(s, len, "+/"))
		return 0;
	if (diag_base64_decode(s, len, &dec, &n) != 0)
		return 0;
	for (i = 0; i < n && dec[i] >= '0' && dec[i] <= '9'; i++)
		continue;
	ok = i >= 6 && i < n && dec[i] == ':';
	free(dec);
	return ok;
}

static int
is_jwt(const char *s, size_t len)
{
	size_t i, dots = 0;

	if (len < 20 || strncmp(s, "eyJ", 3) != 0)
		return 0;
	for (i = 0; i < len; i++) {
		if (s[i] == '.')
			dots++;
		else if (!is_alnum((unsigned char)s[i]) && s[i] != '-' &&
		    s[i] != '_' && s[i] != '=')
			return 0;
	}
	return dots == 2;
}

enum diag__tok_kind
diag__token_kind(const char *s, size_t len)
{
	size_t i;
	int punct = 0;

	if (len >= 5 && strncmp(s, "ATATT", 5) == 0)
		return DIAG__TOK_USER_API;
	if (len >= 5 && strncmp(s, "ATSTT", 5) == 0)
		return DIAG__TOK_SERVICE_ACCOUNT;
	if (len >= 5 && strncmp(s, "ATCTT", 5) == 0)
		return DIAG__TOK_ADMIN_OR_ACCESS;
	if (len >= 8 && strncmp(s, "ATBB", 4) == 0)
		return DIAG__TOK_APP_PASSWORD;
	if (is_jwt(s, len))
		return DIAG__TOK_OAUTH;
	if (len == LEGACY_LEN && all_of(s, len, ""))
		return DIAG__TOK_LEGACY;
	if (len == DC_PAT_LEN && all_of(s, len, "+/"))
		return DIAG__TOK_DC_PAT;
	if (len < 20)
		return DIAG__TOK_PASSWORD_LIKE;
	for (i = 0; i < len; i++) {
		if (s[i] == ' ')
			return DIAG__TOK_PASSWORD_LIKE;
		if (!is_alnum((unsigned char)s[i]) &&
		    strchr("-_=+/.", s[i]) == NULL)
			punct = 1;
	}
	if (punct && len <= 40)
		return DIAG__TOK_PASSWORD_LIKE;
	return DIAG__TOK_UNKNOWN;
}

/* Decodes one UTF-8 sequence at s (n bytes left); invalid bytes decode
 * as themselves (0x80..0xFF) with length 1. */
static unsigned
utf8_next(const unsigned char *s, size_t n, size_t *used)
{
	unsigned cp;
	size_t need, i;

	*used = 1;
	if (s[0] < 0x80)
		return s[0];
	if ((s[0] & 0xE0) == 0xC0) {
		need = 1;
		cp = s[0] & 0x1F;
	} else if ((s[0] & 0xF0) == 0xE0) {
		need = 2;
		cp = s[0] & 0x0F;
	} else if ((s[0] & 0xF8) == 0xF0) {
		need = 3;
		cp = s[0] & 0x07;
	} else
		return s[0];
	if (need >= n)
		return s[0];
	for (i = 1; i <= need; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return s[0];
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	*used = need + 1;
	return cp;
}

static const struct {
	unsigned cp;
	const char *name;
} char_names[] = {
	{ 0x0000, "U+0000 NULL" },
	{ 0x0009, "U+0009 CHARACTER TABULATION" },
	{ 0x000A, "U+000A LINE FEED" },
	{ 0x000B, "U+000B LINE TABULATION" },
	{ 0x000C, "U+000C FORM FEED" },
	{ 0x000D, "U+000D CARRIAGE RETURN" },
	{ 0x0020, "U+0020 SPACE" },
	{ 0x0022, "U+0022 QUOTATION MARK" },
	{ 0x0027, "U+0027 APOSTROPHE" },
	{ 0x0060, "U+0060 GRAVE ACCENT" },
	{ 0x00A0, "U+00A0 NO-BREAK SPACE" },
	{ 0x00AD, "U+00AD SOFT HYPHEN" },
	{ 0x2007, "U+2007 FIGURE SPACE" },
	{ 0x200B, "U+200B ZERO WIDTH SPACE" },
	{ 0x200C, "U+200C ZERO WIDTH NON-JOINER" },
	{ 0x200D, "U+200D ZERO WIDTH JOINER" },
	{ 0x2018, "U+2018 LEFT SINGLE QUOTATION MARK" },
	{ 0x2019, "U+2019 RIGHT SINGLE QUOTATION MARK" },
	{ 0x201C, "U+201C LEFT DOUBLE QUOTATION MARK" },
	{ 0x201D, "U+201D RIGHT DOUBLE QUOTATION MARK" },
	{ 0x202F, "U+202F NARROW NO-BREAK SPACE" },
	{ 0x2060, "U+2060 WORD JOINER" },
	{ 0xFEFF, "U+FEFF ZERO WIDTH NO-BREAK SPACE (byte order mark)" },
};

const char *
diag__char_name(unsigned cp)
{
	size_t i;

	for (i = 0; i < DIAG_NELEM(char_names); i++)
		if (char_names[i].cp == cp)
			return char_names[i].name;
	return "";
}

static int
is_space_cp(unsigned cp)
{
	return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' ||
	    cp == '\v' || cp == '\f' || cp == 0 || cp == 0xA0 || cp == 0x2007 ||
	    cp == 0x202F;
}

static int
is_invisible_cp(unsigned cp)
{
	return cp == 0x200B || cp == 0x200C || cp == 0x200D || cp == 0x2060 ||
	    cp == 0xFEFF || cp == 0xAD;
}

static int
is_quote_cp(unsigned cp)
{
	return cp == '"' || cp == '\'' || cp == '`' || cp == 0x2018 ||
	    cp == 0x2019 || cp == 0x201C || cp == 0x201D;
}

static int
is_junk_edge(unsigned cp)
{
	return is_space_cp(cp) || is_invisible_cp(cp) || is_quote_cp(cp);
}

/* A decoded character of the raw value. */
struct ch {
	unsigned cp;
	size_t off;
	size_t n;
	int drop;
	enum diag__tok_where where;
};

static void
add_issue(struct diag__tok_clean *c, const struct ch *ch, size_t pos)
{
	if (c->n_issues == DIAG__TOK_MAX_ISSUES) {
		c->n_more++;
		return;
	}
	c->issues[c->n_issues].cp = ch->cp;
	c->issues[c->n_issues].pos = pos;
	c->issues[c->n_issues].where = ch->where;
	c->n_issues++;
}

/* 1 when the characters a..b (exclusive) start with word (lowercase),
 * in any case, followed by a space. */
static int
starts_scheme(const unsigned char *raw, const struct ch *v, size_t a, size_t b,
    const char *word)
{
	size_t i, n = strlen(word);

	if (b - a < n + 2)
		return 0;
	for (i = 0; i < n; i++)
		if (v[a + i].cp >= 0x80 ||
		    (raw[v[a + i].off] | 0x20) != (unsigned char)word[i])
			return 0;
	return v[a + n].cp == ' ';
}

void
diag__token_clean(const char *raw, size_t len, struct diag__tok_clean *c)
{
	const unsigned char *r = (const unsigned char *)raw;
	struct ch *v;
	struct diag_buf b = DIAG_BUF_INIT;
	size_t i, n = 0, a, e, used;
	int progress, tokenish;

	memset(c, 0, sizeof(*c));
	v = diag_xcalloc(len + 1, sizeof(*v));
	for (i = 0; i < len; i += used) {
		v[n].cp = utf8_next(r + i, len - i, &used);
		v[n].off = i;
		v[n].n = used;
		n++;
	}
	c->nchars = n;
	a = 0;
	e = n;
	do {
		progress = 0;
		while (a < e && is_junk_edge(v[a].cp)) {
			v[a].drop = 1;
			v[a].where = DIAG__AT_START;
			a++;
			progress = 1;
		}
		while (e > a && is_junk_edge(v[e - 1].cp)) {
			v[e - 1].drop = 1;
			v[e - 1].where = DIAG__AT_END;
			e--;
			progress = 1;
		}
		if (c->scheme[0] != '\0')
			continue;
		if (starts_scheme(r, v, a, e, "bearer"))
			snprintf(c->scheme, sizeof(c->scheme), "Bearer");
		else if (starts_scheme(r, v, a, e, "basic"))
			snprintf(c->scheme, sizeof(c->scheme), "Basic");
		else
			continue;
		for (i = strlen(c->scheme); i > 0; i--)
			v[a++].drop = 2;
		progress = 1;
	} while (progress);
	/* Inside: invisible characters and line breaks always go; plain
	 * spaces only from something shaped like a token. */
	tokenish = e - a >= 5 && r[v[a].off] == 'A' && r[v[a + 1].off] == 'T';
	for (i = a; i < e; i++) {
		if (is_invisible_cp(v[i].cp) ||
		    (is_space_cp(v[i].cp) && (v[i].cp != ' ' || tokenish))) {
			v[i].drop = 1;
			v[i].where = DIAG__INSIDE;
		}
	}
	for (i = 0; i < n; i++) {
		if (v[i].drop == 1)
			add_issue(c, &v[i], i + 1);
		else if (v[i].drop == 0)
			diag_buf_add(&b, raw + v[i].off, v[i].n);
	}
	c->len = b.len;
	c->clean = diag_buf_detach(&b);
	free(v);
}

void
diag__token_clean_release(struct diag__tok_clean *c)
{
	free(c->clean);
	c->clean = NULL;
	c->len = 0;
}

char *
diag__token_issues_text(const struct diag__tok_clean *c)
{
	static const char *const where[] = { "at the start", "inside",
		"at the end" };
	struct diag_buf b = DIAG_BUF_INIT;
	const char *name;
	size_t i;

	for (i = 0; i < c->n_issues && i < 6; i++) {
		name = diag__char_name(c->issues[i].cp);
		if (i > 0)
			diag_buf_adds(&b, "; ");
		if (*name != '\0')
			diag_buf_adds(&b, name);
		else
			diag_buf_addf(&b, "U+%04X", c->issues[i].cp);
		diag_buf_addf(&b, " %s (position %zu of %zu)",
		    where[c->issues[i].where], c->issues[i].pos, c->nchars);
	}
	if (c->n_issues + c->n_more > i)
		diag_buf_addf(&b, "; and %zu more",
		    c->n_issues + c->n_more - i);
	return diag_buf_detach(&b);
}

const char *
diag__token_sum_name(enum diag__tok_sum s)
{
	switch (s) {
	case DIAG__SUM_OK:
		return "ok";
	case DIAG__SUM_MISMATCH:
		return "mismatch";
	case DIAG__SUM_NOT_CHECKABLE:
		return "not_checkable";
	default:
		return "n/a";
	}
}

/*
 * The ATATT shape of reference §1.3: 192 characters, '=' at index 183,
 * 8 hex digits after it, [A-Za-z0-9_-] before it. Returns 1 when it holds;
 * else 0 and why says what differs.
 */
static int
crc_shape(const char *s, size_t len, char *why, size_t why_len)
{
	size_t i;

	if (len < ATATT_LEN) {
		snprintf(why, why_len,
		    "it has %zu characters where %d are expected: %zu are "
		    "missing (truncated when copied, cut by a line wrap, or "
		    "lost to shell expansion of a `$` inside double quotes)",
		    len, ATATT_LEN, ATATT_LEN - len);
		return 0;
	}
	if (len > ATATT_LEN) {
		snprintf(why, why_len,
		    "it has %zu characters where %d are expected: %zu too many "
		    "(two values pasted together, or extra text copied with "
		    "it)",
		    len, ATATT_LEN, len - ATATT_LEN);
		return 0;
	}
	if (s[ATATT_EQ] != '=') {
		snprintf(why, why_len,
		    "character %d should be the '=' that separates the "
		    "8-character checksum tail, and is not (characters "
		    "inserted or deleted in copy-paste)",
		    ATATT_EQ + 1);
		return 0;
	}
	for (i = ATATT_EQ + 1; i < ATATT_LEN; i++)
		if (!is_hex((unsigned char)s[i])) {
			snprintf(why, why_len,
			    "the checksum tail (the last 8 characters) is not "
			    "hexadecimal at position %zu",
			    i + 1);
			return 0;
		}
	for (i = 0; i < ATATT_EQ; i++)
		if (!is_alnum((unsigned char)s[i]) && s[i] != '_' &&
		    s[i] != '-') {
			snprintf(why, why_len,
			    "position %zu holds a character that never occurs "
			    "in these tokens (outside A-Z a-z 0-9 _ -)",
			    i + 1);
			return 0;
		}
	return 1;
}

/* 1 when the CRC-32 tail matches (hex compared in any case). */
static int
crc_matches(const char *s)
{
	char want[9];

	snprintf(want, sizeof(want), "%08X", diag_crc32(s, ATATT_EQ + 1));
	return strncasecmp(want, s + ATATT_EQ + 1, 8) == 0;
}

enum diag__tok_sum
diag__token_checksum(const char *s, size_t len, enum diag__tok_kind k,
    int *inferred, char *why, size_t why_len)
{
	unsigned char d[16];
	char want[5];

	*inferred = -1;
	why[0] = '\0';
	switch (k) {
	case DIAG__TOK_USER_API:
		if (!crc_shape(s, len, why, why_len))
			return DIAG__SUM_MISMATCH;
		if (!crc_matches(s)) {
			snprintf(why, why_len,
			    "the CRC-32 of the first %d characters does not "
			    "match the last 8: a character was changed "
			    "(mangled in copy-paste, shell `$` expansion, or "
			    "mistyped)",
			    ATATT_EQ + 1);
			return DIAG__SUM_MISMATCH;
		}
		return DIAG__SUM_OK;
	case DIAG__TOK_SERVICE_ACCOUNT:
	case DIAG__TOK_ADMIN_OR_ACCESS:
		if (crc_shape(s, len, why, why_len))
			*inferred = crc_matches(s);
		why[0] = '\0';
		return DIAG__SUM_NOT_CHECKABLE;
	case DIAG__TOK_LEGACY:
		diag_md5(s, 20, d);
		snprintf(want, sizeof(want), "%02x%02x", d[0], d[1]);
		if (memcmp(want, s + 20, 4) != 0) {
			snprintf(why, why_len,
			    "its last 4 characters are not the MD5 check "
			    "digits of the first 20 (an unofficial, "
			    "reverse-engineered rule)");
			return DIAG__SUM_MISMATCH;
		}
		return DIAG__SUM_OK;
	default:
		return DIAG__SUM_NA;
	}
}

/* 1 when the lowercased value is a stock placeholder word. */
static int
placeholder_word(const char *low)
{
	static const char *const exact[] = { "token", "api_token", "api-token",
		"null", "undefined", "none" };
	size_t i;

	if (strstr(low, "your") != NULL &&
	    (strstr(low, "token") != NULL || strstr(low, "key") != NULL ||
		strstr(low, "pass") != NULL))
		return 1;
	if (strstr(low, "changeme") != NULL || strstr(low, "redacted") != NULL)
		return 1;
	for (i = 0; i < DIAG_NELEM(exact); i++)
		if (strcmp(low, exact[i]) == 0)
			return 1;
	return 0;
}

int
diag__token_placeholder(const char *s, size_t len)
{
	char *low;
	size_t i;
	int same = 1, hit = 0;

	if (len == 0)
		return 0;
	if (s[0] == '$' && len >= 2 &&
	    (s[1] == '{' || s[1] == '(' || s[1] == '_' ||
		(s[1] >= 'A' && s[1] <= 'Z') || (s[1] >= 'a' && s[1] <= 'z')))
		return 1;
	if (len >= 2 &&
	    ((s[0] == '<' && s[len - 1] == '>') ||
		(s[0] == '{' && s[len - 1] == '}') ||
		(s[0] == '%' && s[len - 1] == '%')))
		return 1;
	for (i = 1; i < len; i++)
		if (s[i] != s[0])
			same = 0;
	if (same && len >= 3 && strchr("*xX.#-", s[0]) != NULL)
		return 1;
	low = diag_xstrndup(s, len);
	for (i = 0; low[i] != '\0'; i++)
		if (low[i] >= 'A' && low[i] <= 'Z')
			low[i] = (char)(low[i] - 'A' + 'a');
	if (len < 64 && placeholder_word(low))
		hit = 1;
	free(low);
	return hit;
}
