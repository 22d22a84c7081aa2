/* checks/input/token_kind.h: token hygiene, kind and checksum, shared by the input checks. */
#ifndef DIAG_CHECKS_TOKEN_KIND_H
#define DIAG_CHECKS_TOKEN_KIND_H

#include <stddef.h>

/* What a credential looks like, from its shape alone (reference §1.1). */
enum diag__tok_kind {
	DIAG__TOK_UNKNOWN = 0,
	DIAG__TOK_USER_API, /* ATATT */
	DIAG__TOK_SERVICE_ACCOUNT, /* ATSTT */
	DIAG__TOK_ADMIN_OR_ACCESS, /* ATCTT */
	DIAG__TOK_APP_PASSWORD, /* ATBB */
	DIAG__TOK_LEGACY, /* 24 x [A-Za-z0-9] */
	DIAG__TOK_OAUTH, /* JWT eyJ... */
	DIAG__TOK_DC_PAT, /* 44 x Base64, Data Center PAT */
	DIAG__TOK_PASSWORD_LIKE,
};

/* Report name ("user_api_token", ...) and a short phrase ("ATATT user
 * API token"). Static strings. */
const char *diag__token_kind_name(enum diag__tok_kind);
const char *diag__token_kind_desc(enum diag__tok_kind);

/* The kind of a cleaned token (no surrounding whitespace or quotes). */
enum diag__tok_kind diag__token_kind(const char *, size_t);

/* 1 when a 44-character value decodes to "<digits>:..." as Data Center
 * personal access tokens do; 0 otherwise. */
int diag__token_dc_pat_shape(const char *, size_t);

/*
 * One character that should not be in a token: its code point, where it
 * is (1-based character position in the raw value, of total), and whether
 * it was at the start, inside, or at the end.
 */
enum diag__tok_where {
	DIAG__AT_START = 0,
	DIAG__INSIDE,
	DIAG__AT_END,
};

struct diag__tok_issue {
	unsigned cp;
	size_t pos;
	enum diag__tok_where where;
};

#define DIAG__TOK_MAX_ISSUES 32

/*
 * The result of cleaning a raw token: clean (owned, NUL-terminated) holds
 * the token without the characters listed in issues; scheme is "Bearer"
 * or "Basic" when such a prefix was pasted in front of the token (and
 * removed), else "". nchars counts the characters of the raw value.
 */
struct diag__tok_clean {
	char *clean;
	size_t len;
	size_t nchars;
	struct diag__tok_issue issues[DIAG__TOK_MAX_ISSUES];
	size_t n_issues;
	size_t n_more; /* issues beyond the array */
	char scheme[8];
};

/* Cleans raw (len bytes, may hold NUL). Release with
 * diag__token_clean_release(). */
void diag__token_clean(const char *raw, size_t len, struct diag__tok_clean *);
void diag__token_clean_release(struct diag__tok_clean *);

/* "U+000A LINE FEED": the Unicode name of a character found by
 * diag__token_clean (static string, "" for others). */
const char *diag__char_name(unsigned cp);
/* A sentence listing the issues: where and what, never a token
 * character ("U+000A LINE FEED at position 193 of 193"). Owned by the
 * caller (free(3)); "" when there are none. */
char *diag__token_issues_text(const struct diag__tok_clean *);

/* Checksum status (reference §1.3). */
enum diag__tok_sum {
	DIAG__SUM_NA = 0, /* no checksum for this kind */
	DIAG__SUM_OK,
	DIAG__SUM_MISMATCH,
	DIAG__SUM_NOT_CHECKABLE, /* ATSTT/ATCTT: algorithm INFERRED */
};

const char *diag__token_sum_name(enum diag__tok_sum);

/*
 * Checks the tail of a cleaned token of kind k. why (size why_len) gets a
 * sentence on a mismatch or shape problem ("" when none); it names
 * lengths and positions, never token characters beyond the 5-character
 * prefix. *inferred is set for ATSTT/ATCTT: 1 when the value has the
 * ATATT shape and its CRC tail matches, 0 when the shape matches but the
 * CRC does not, -1 when the shape differs; else -1.
 */
enum diag__tok_sum diag__token_checksum(const char *, size_t,
    enum diag__tok_kind k, int *inferred, char *why, size_t why_len);

/* 1 when the value is a placeholder or an unexpanded variable ("$TOKEN",
 * "${JIRA_API_TOKEN}", "<api-token>", "***", "your-api-token"). */
int diag__token_placeholder(const char *, size_t);

#endif
