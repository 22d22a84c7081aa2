/* checks/input/input_auth_header.c: the Authorization header a script sends: scheme, encoding, contents. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "checks/input/jwt.h"
#include "checks/input/token_kind.h"
#include "diag/core/url.h"
#include "diag/engine/check.h"
#include "diag/core/hash.h"
#include "diag/core/secret.h"
#include "diag/core/util.h"

static enum diag_step auth_header_run(struct diag_run *);

const struct diag_check diag_check_input_auth_header = {
	.id = "input.auth_header",
	.summary = "Authorization header: scheme, Base64, email:token shape",
	.flags = DIAG_CHECK_OFFLINE,
	.run = auth_header_run,
};

/* What was fed to, or differs from, the email and token inputs. */
struct feed {
	int email_differs;
	int token_differs;
	char fp_header[16];
	char fp_given[16];
	const char *email_source;
	const char *token_source;
};

static int
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int
is_at_token(enum diag__tok_kind k)
{
	return k == DIAG__TOK_USER_API || k == DIAG__TOK_SERVICE_ACCOUNT ||
	    k == DIAG__TOK_ADMIN_OR_ACCESS;
}

static enum diag__tok_kind
kind_of(const char *s, size_t len)
{
	struct diag__tok_clean c;
	enum diag__tok_kind k;

	diag__token_clean(s, len, &c);
	k = diag__token_kind(c.clean, c.len);
	diag__token_clean_release(&c);
	return k;
}

/* The URL's host kind ("site", "gateway", ...), or NULL without a URL. */
static const char *
url_kind(struct diag_run *r)
{
	const struct diag_input *u = diag_run_input(r, DIAG_IN_URL);
	struct diag_url p;
	const char *k;

	if (u->value == NULL || u->len == 0)
		return NULL;
	diag_url_split(u->value, u->len, &p);
	k = diag_host_kind(p.host, p.path);
	diag_url_release(&p);
	return k;
}

static void
feed_email(struct diag_run *r, const char *email, size_t len, struct feed *fd)
{
	const struct diag_input *in = diag_run_input(r, DIAG_IN_EMAIL);
	size_t a = 0, b = in->len, c = 0, d = len;

	if (in->value == NULL || in->len == 0) {
		diag_run_set_input(r, DIAG_IN_EMAIL, email, len, "auth-header");
		return;
	}
	while (a < b && is_blank(in->value[a]))
		a++;
	while (b > a && is_blank(in->value[b - 1]))
		b--;
	while (c < d && is_blank(email[c]))
		c++;
	while (d > c && is_blank(email[d - 1]))
		d--;
	if (b - a != d - c ||
	    strncasecmp(in->value + a, email + c, b - a) != 0) {
		fd->email_differs = 1;
		fd->email_source = in->source;
	}
}

static void
feed_token(struct diag_run *r, const char *tok, size_t len, struct feed *fd)
{
	const struct diag_input *in = diag_run_input(r, DIAG_IN_TOKEN);
	struct diag__tok_clean a, b;

	diag_secret_register(tok, len);
	if (in->value == NULL || in->len == 0) {
		diag_run_set_input(r, DIAG_IN_TOKEN, tok, len, "auth-header");
		return;
	}
	diag__token_clean(in->value, in->len, &a);
	diag__token_clean(tok, len, &b);
	if (a.len != b.len || memcmp(a.clean, b.clean, a.len) != 0) {
		fd->token_differs = 1;
		fd->token_source = in->source;
		diag_fingerprint(b.clean, b.len, fd->fp_header);
		diag_fingerprint(a.clean, a.len, fd->fp_given);
	}
	diag__token_clean_release(&a);
	diag__token_clean_release(&b);
}

static void
report_mismatch(struct diag_run *r, const struct feed *fd)
{
	struct diag_finding *f;

	if (fd->token_differs) {
		f = diag_run_finding(r, "auth.header_mismatch", DIAG_WARN,
		    DIAG_CONFIRMED,
		    "The token in the header (%s) is not the token from %s "
		    "(%s): the script sends another credential than the one "
		    "being checked.",
		    fd->fp_header, fd->token_source, fd->fp_given);
		if (fd->email_differs)
			diag_finding_note(f,
			    "the email in the header also differs from the one "
			    "from %s",
			    fd->email_source);
	} else if (fd->email_differs)
		diag_run_finding(r, "auth.header_mismatch", DIAG_WARN,
		    DIAG_CONFIRMED,
		    "The email in the header is not the email from %s: the "
		    "script authenticates as another account than the one "
		    "being checked.",
		    fd->email_source);
}

/* A decoded "user:password" pair. */
static void
basic_pair(struct diag_run *r, const char *d, size_t dlen, struct feed *fd)
{
	const char *colon = memchr(d, ':', dlen);
	const char *user, *pass;
	char *email;
	size_t ulen, plen;
	struct diag_finding *f;

	if (colon == NULL) {
		if (is_at_token(kind_of(d, dlen))) {
			f = diag_run_finding(r, "auth.token_without_email",
			    DIAG_FAIL, DIAG_CONFIRMED,
			    "The Basic value decodes to the token alone: the "
			    "`email:` part is missing.");
			diag_finding_step(f,
			    "Encode the pair: `printf '%%s' \"$EMAIL:$TOKEN\" "
			    "| base64 -w0`.");
			feed_token(r, d, dlen, fd);
		} else
			diag_run_finding(r, "auth.token_without_email",
			    DIAG_FAIL, DIAG_CONFIRMED,
			    "The Basic value decodes to %zu bytes with no ':' "
			    "separating an email from a token.",
			    dlen);
		return;
	}
	user = d;
	ulen = (size_t)(colon - d);
	pass = colon + 1;
	plen = dlen - ulen - 1;
	diag_secret_register(pass, plen);
	if (plen >= 2 && pass[plen - 2] == '\r' && pass[plen - 1] == '\n') {
		f = diag_run_finding(r, "auth.header_trailing_newline",
		    DIAG_FAIL, DIAG_CONFIRMED,
		    "The encoded email:token ends with CR LF (U+000D U+000A): "
		    "the pair was encoded with a Windows line ending, so the "
		    "token sent ends with two extra characters.");
		diag_finding_step(f,
		    "Encode without the line ending: `printf '%%s' "
		    "\"$EMAIL:$TOKEN\" | base64 -w0`.");
		plen -= 2;
	} else if (plen >= 1 && pass[plen - 1] == '\n') {
		f = diag_run_finding(r, "auth.header_trailing_newline",
		    DIAG_FAIL, DIAG_CONFIRMED,
		    "The encoded email:token ends with a line feed (U+000A): "
		    "typical of `echo \"$EMAIL:$TOKEN\" | base64` (echo adds a "
		    "newline), so the token sent ends with an extra "
		    "character.");
		diag_finding_step(f,
		    "Use `echo -n` or `printf '%%s'`: `printf '%%s' "
		    "\"$EMAIL:$TOKEN\" | base64 -w0`.");
		plen -= 1;
	}
	email = diag_xstrndup(user, ulen);
	diag_secret_register_pair(email, pass, plen);
	free(email);
	if (ulen == 0) {
		diag_run_finding(r, "auth.token_without_email", DIAG_FAIL,
		    DIAG_CONFIRMED,
		    "The decoded value is ':token': the email before the ':' "
		    "is empty.");
	} else if (plen == 0 && is_at_token(kind_of(user, ulen))) {
		diag_run_finding(r, "auth.token_without_email", DIAG_FAIL,
		    DIAG_CONFIRMED,
		    "The decoded value is 'token:' (the token in the email "
		    "position, an empty password): the email is missing.");
		feed_token(r, user, ulen, fd);
		return;
	} else if (plen == 0) {
		diag_run_finding(r, "input.token_missing", DIAG_FAIL,
		    DIAG_CONFIRMED,
		    "The header carries an email but the token after the ':' "
		    "is empty (a variable that was empty when the header was "
		    "built).");
	}
	if (ulen > 0)
		feed_email(r, user, ulen, fd);
	if (plen > 0)
		feed_token(r, pass, plen, fd);
}

static void
basic(struct diag_run *r, const char *val, size_t vlen, struct feed *fd)
{
	struct diag_buf b = DIAG_BUF_INIT;
	unsigned char *d = NULL, *d2 = NULL;
	size_t dlen, d2len, i, lines = 1;
	struct diag_finding *f;
	int wrapped = 0;

	if (vlen == 0) {
		diag_run_finding(r, "auth.header_not_base64", DIAG_FAIL,
		    DIAG_CONFIRMED, "Nothing follows the word 'Basic'.");
		return;
	}
	for (i = 0; i < vlen; i++) {
		if (val[i] == '\n')
			lines++;
		if (is_blank(val[i]))
			wrapped = 1;
		else
			diag_buf_addc(&b, val[i]);
	}
	if (is_at_token(kind_of(b.buf, b.len))) {
		f = diag_run_finding(r, "auth.token_without_email", DIAG_FAIL,
		    DIAG_CONFIRMED,
		    "The header is 'Basic <token>': the token is sent raw, "
		    "without the email and without Base64.");
		diag_finding_step(f,
		    "Send `Basic` + Base64 of `email:token`: `printf '%%s' "
		    "\"$EMAIL:$TOKEN\" | base64 -w0`.");
		feed_token(r, b.buf, b.len, fd);
		goto out;
	}
	if (diag_base64_decode(b.buf, b.len, &d, &dlen) != 0) {
		if (memchr(b.buf, ':', b.len) != NULL &&
		    memchr(b.buf, '@', b.len) != NULL) {
			f = diag_run_finding(r, "auth.header_not_base64",
			    DIAG_FAIL, DIAG_CONFIRMED,
			    "The Basic value is the plain email:token, not "
			    "encoded: it must be the Base64 of email:token.");
			diag_finding_step(f,
			    "`printf '%%s' \"$EMAIL:$TOKEN\" | base64 -w0`, or "
			    "let the HTTP client build it (`curl -u "
			    "\"$EMAIL:$TOKEN\"`).");
			basic_pair(r, b.buf, b.len, fd);
		} else
			diag_run_finding(r, "auth.header_not_base64", DIAG_FAIL,
			    DIAG_CONFIRMED,
			    "The Basic value (%zu characters) is not Base64: "
			    "it has characters outside the Base64 alphabet, "
			    "misplaced '=' padding, or an impossible length.",
			    b.len);
		goto out;
	}
	if (wrapped) {
		f = diag_run_finding(r, "auth.header_not_base64", DIAG_FAIL,
		    DIAG_CONFIRMED,
		    "The Base64 value is broken by whitespace (%zu line%s): "
		    "GNU `base64` wraps its output at 76 columns, and an "
		    "email:token pair is longer than that.",
		    lines, lines == 1 ? "" : "s");
		diag_finding_step(f,
		    "Use `base64 -w0` (GNU) or pipe through `tr -d '\\n'`.");
	}
	if (memchr(b.buf, '-', b.len) != NULL ||
	    memchr(b.buf, '_', b.len) != NULL)
		diag_run_finding(r, "auth.header_not_base64", DIAG_FAIL,
		    DIAG_LIKELY,
		    "The Basic value uses the URL-safe Base64 alphabet ('-' "
		    "and '_'); HTTP Basic uses the standard one ('+' and "
		    "'/').");
	if (memchr(d, ':', dlen) == NULL &&
	    diag_base64_decode((char *)d, dlen, &d2, &d2len) == 0 &&
	    memchr(d2, ':', d2len) != NULL) {
		diag_secret_register((char *)d, dlen);
		diag_run_finding(r, "auth.header_not_base64", DIAG_FAIL,
		    DIAG_CONFIRMED,
		    "The Basic value is encoded twice: it decodes to Base64 "
		    "again, which decodes to email:token.");
		basic_pair(r, (char *)d2, d2len, fd);
		goto out;
	}
	basic_pair(r, (char *)d, dlen, fd);
out:
	free(d);
	free(d2);
	diag_buf_release(&b);
}

/* An OAuth 2.0 access token (JWT) as Bearer: its claims, and the host
 * it went to (only the gateway accepts it). */
static void
oauth_bearer(struct diag_run *r, const struct diag__tok_clean *c,
    const char *uk)
{
	if (diag__jwt_report(r, c->clean, c->len, "the Bearer header",
		"inputs.auth_header") != 0) {
		diag_run_message(r,
		    "Bearer with a JWT-shaped value whose header does not "
		    "decode; not an API token");
		return;
	}
	diag_run_fact_set(r, "inputs.auth_header.token_kind",
	    json_object_new_string(diag__token_kind_name(DIAG__TOK_OAUTH)));
	if (uk != NULL && strcmp(uk, "site") == 0) {
		diag_run_finding(r, "routing.oauth_token_on_site", DIAG_FAIL,
		    DIAG_CONFIRMED,
		    "The header sends an OAuth 2.0 access token (JWT) as "
		    "'Bearer' to the site host; sites do not accept OAuth "
		    "access tokens, only the gateway "
		    "api.atlassian.com/ex/{product}/{cloudId} does.");
		return;
	}
	diag_run_message(r, "Bearer with an OAuth 2.0 access token (JWT)");
}

static void
bearer(struct diag_run *r, const char *val, size_t vlen, struct feed *fd)
{
	struct diag__tok_clean c;
	unsigned char *d = NULL;
	size_t dlen;
	enum diag__tok_kind k;
	const char *uk = url_kind(r);
	struct diag_finding *f;

	diag__token_clean(val, vlen, &c);
	if (c.len == 0) {
		diag_run_finding(r, "input.token_missing", DIAG_FAIL,
		    DIAG_CONFIRMED,
		    "Nothing follows the word 'Bearer' (the token variable was "
		    "empty when the header was built).");
		goto out;
	}
	if (diag_base64_decode(c.clean, c.len, &d, &dlen) == 0 &&
	    memchr(d, ':', dlen) != NULL && memchr(d, '@', dlen) != NULL) {
		f = diag_run_finding(r, "auth.bearer_with_api_token", DIAG_FAIL,
		    DIAG_CONFIRMED,
		    "The header is 'Bearer' followed by the Base64 of "
		    "email:token: that value belongs to the Basic scheme.");
		diag_finding_step(f,
		    "Send `Authorization: Basic <the same value>`.");
		basic_pair(r, (char *)d, dlen, fd);
		goto out;
	}
	k = diag__token_kind(c.clean, c.len);
	switch (k) {
	case DIAG__TOK_USER_API:
		f = diag_run_finding(r, "auth.bearer_with_api_token", DIAG_FAIL,
		    DIAG_CONFIRMED,
		    "The header sends an ATATT user API token as 'Bearer'. "
		    "User API tokens, scoped or not, only work as Basic "
		    "email:token; only service-account tokens may use Bearer, "
		    "and only on api.atlassian.com.");
		diag_finding_step(f,
		    "Send `Authorization: Basic $(printf '%%s' "
		    "\"$EMAIL:$TOKEN\" | base64 -w0)`, or `curl -u "
		    "\"$EMAIL:$TOKEN\"`.");
		break;
	case DIAG__TOK_SERVICE_ACCOUNT:
		if (uk != NULL && strcmp(uk, "site") == 0)
			diag_run_finding(r, "auth.bearer_with_api_token",
			    DIAG_FAIL, DIAG_CONFIRMED,
			    "The header sends an ATSTT service-account token "
			    "as 'Bearer' to a site host: sites refuse any "
			    "opaque Bearer token (Jira answers 403 'Failed to "
			    "parse Connect Session Auth Token'). Bearer works "
			    "only through "
			    "api.atlassian.com/ex/{product}/{cloudId}.");
		else
			diag_run_message(r,
			    "Bearer with a service-account token: accepted on "
			    "api.atlassian.com/ex/... (observed), refused on "
			    "site hosts");
		break;
	case DIAG__TOK_ADMIN_OR_ACCESS:
		if (uk != NULL && strcmp(uk, "admin") == 0) {
			diag_run_message(r,
			    "Bearer with an ATCTT key to the admin API");
			goto out;
		}
		break;
	case DIAG__TOK_OAUTH:
		oauth_bearer(r, &c, uk);
		goto out;
	default:
		break;
	}
	feed_token(r, c.clean, c.len, fd);
out:
	free(d);
	diag__token_clean_release(&c);
}

/* Registers what a Basic value decodes to (the admin path does not run
 * basic(), which does it otherwise). */
static void
register_basic(const char *val, size_t vlen)
{
	struct diag_buf b = DIAG_BUF_INIT;
	unsigned char *d = NULL;
	const char *colon;
	char *user;
	size_t dlen, i;

	for (i = 0; i < vlen; i++)
		if (!is_blank(val[i]))
			diag_buf_addc(&b, val[i]);
	diag_secret_register(b.buf != NULL ? b.buf : "", b.len);
	if (b.len > 0 && diag_base64_decode(b.buf, b.len, &d, &dlen) == 0) {
		diag_secret_register((char *)d, dlen);
		colon = memchr(d, ':', dlen);
		if (colon != NULL) {
			user = diag_xstrndup((char *)d,
			    (size_t)(colon - (char *)d));
			diag_secret_register_pair(user, colon + 1,
			    dlen - (size_t)(colon + 1 - (char *)d));
			free(user);
		}
	}
	free(d);
	diag_buf_release(&b);
}

/* What an admin API header holds that is not an org API key, or NULL. */
static const char *
not_an_org_key(enum diag__tok_kind k)
{
	switch (k) {
	case DIAG__TOK_USER_API:
		return "an ATATT user API token";
	case DIAG__TOK_SERVICE_ACCOUNT:
		return "an ATSTT service-account API token";
	case DIAG__TOK_OAUTH:
		return "an OAuth 2.0 access token (JWT)";
	case DIAG__TOK_APP_PASSWORD:
		return "a Bitbucket app password";
	case DIAG__TOK_LEGACY:
		return "a legacy user API token";
	default:
		return NULL;
	}
}

/*
 * The header of a call to the org admin APIs (api.atlassian.com/admin/...,
 * /users/{id}/manage/...), which take only "Bearer <org API key>": judged
 * for that context, never against Basic email:token.
 */
static const char *
admin_header(struct diag_run *r, const char *p, size_t wlen, const char *sp,
    const char *end)
{
	struct diag_finding *f;
	const char *what;
	size_t vlen = (size_t)(end - sp);
	enum diag__tok_kind k;

	if (wlen == 6 && strncasecmp(p, "bearer", 6) == 0) {
		k = kind_of(sp, vlen);
		what = not_an_org_key(k);
		if (what == NULL) {
			diag_run_message(r,
			    "Bearer with %s to the org admin API",
			    k == DIAG__TOK_ADMIN_OR_ACCESS ?
				"an ATCTT org API key" :
				"a key");
			return "bearer";
		}
		diag_run_finding(r, "admin_api.wrong_credential", DIAG_FAIL,
		    DIAG_CONFIRMED,
		    "The header sends %s as Bearer to the org admin API: it "
		    "takes only an organization API key.",
		    what);
		return "bearer";
	}
	if (wlen == 5 && strncasecmp(p, "basic", 5) == 0) {
		register_basic(sp, vlen);
		diag_run_finding(r, "admin_api.wrong_credential", DIAG_FAIL,
		    DIAG_CONFIRMED,
		    "The header is Basic (%s): the org admin APIs take no "
		    "Basic credentials, only `Authorization: Bearer <org API "
		    "key>` (the key alone, no email, no Base64); an email and "
		    "API token do not work there in any form.",
		    kind_of(sp, vlen) == DIAG__TOK_ADMIN_OR_ACCESS ?
			"with the org API key" :
			"email:token or similar");
		return "basic";
	}
	k = kind_of(p, (size_t)(end - p));
	if (k == DIAG__TOK_ADMIN_OR_ACCESS) {
		f = diag_run_finding(r, "admin_api.wrong_credential", DIAG_FAIL,
		    DIAG_CONFIRMED,
		    "The header value is the org API key alone, without the "
		    "Bearer scheme before it.");
		diag_finding_step(f,
		    "Keep the key and put the scheme before it: "
		    "`Authorization: Bearer $ATLASSIAN_ORG_API_KEY`.");
		return "none";
	}
	what = not_an_org_key(k);
	diag_run_finding(r, "admin_api.wrong_credential", DIAG_FAIL,
	    DIAG_CONFIRMED,
	    "The header value has no Bearer scheme%s%s: the org admin APIs "
	    "take only `Authorization: Bearer <org API key>`.",
	    what != NULL ? " and holds " : "", what != NULL ? what : "");
	return sp == end ? "none" : "other";
}

/* A printable, short, alphabetic word, safe to name in a detail. */
static int
plain_word(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > 16)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') ||
			(s[i] >= 'a' && s[i] <= 'z') || s[i] == '-'))
			return 0;
	return 1;
}

static enum diag_step
auth_header_run(struct diag_run *r)
{
	const struct diag_input *in = diag_run_input(r, DIAG_IN_AUTH_HEADER);
	struct feed fd;
	const char *p, *end, *sp;
	unsigned char *d = NULL;
	size_t dlen, wlen;
	const char *scheme = "none", *uk;

	memset(&fd, 0, sizeof(fd));
	if (in->value == NULL || in->len == 0) {
		diag_run_status(r, DIAG_SKIPPED, "no --auth-header given");
		return DIAG_STEP_DONE;
	}
	p = in->value;
	end = p + in->len;
	while (p < end && (is_blank(*p) || *p == '\'' || *p == '"'))
		p++;
	while (
	    end > p && (is_blank(end[-1]) || end[-1] == '\'' || end[-1] == '"'))
		end--;
	if (end - p >= 14 && strncasecmp(p, "authorization:", 14) == 0) {
		p += 14;
		while (p < end && is_blank(*p))
			p++;
	}
	for (sp = p; sp < end && !is_blank(*sp); sp++)
		continue;
	wlen = (size_t)(sp - p);
	while (sp < end && is_blank(*sp))
		sp++;
	uk = url_kind(r);
	if (uk != NULL && strcmp(uk, "admin") == 0)
		scheme = admin_header(r, p, wlen, sp, end);
	else if (wlen == 5 && strncasecmp(p, "basic", 5) == 0) {
		scheme = "basic";
		basic(r, sp, (size_t)(end - sp), &fd);
	} else if (wlen == 6 && strncasecmp(p, "bearer", 6) == 0) {
		scheme = "bearer";
		bearer(r, sp, (size_t)(end - sp), &fd);
	} else if (is_at_token(kind_of(p, (size_t)(end - p)))) {
		diag_run_finding(r, "auth.token_without_email", DIAG_FAIL,
		    DIAG_CONFIRMED,
		    "The header value is the token alone: no scheme, no "
		    "email.");
		feed_token(r, p, (size_t)(end - p), &fd);
	} else if (sp == end && diag_base64_decode(p, wlen, &d, &dlen) == 0 &&
	    memchr(d, ':', dlen) != NULL) {
		diag_run_finding(r, "auth.header_bad_scheme", DIAG_FAIL,
		    DIAG_CONFIRMED,
		    "The header value has no scheme: the word 'Basic ' is "
		    "missing before the Base64 of email:token.");
		basic_pair(r, (char *)d, dlen, &fd);
	} else if (sp == end) {
		diag_run_finding(r, "auth.header_bad_scheme", DIAG_FAIL,
		    DIAG_CONFIRMED,
		    "The header value has no scheme ('Basic' followed by the "
		    "Base64 of email:token).");
	} else {
		scheme = "other";
		if (plain_word(p, wlen))
			diag_run_finding(r, "auth.header_bad_scheme", DIAG_FAIL,
			    DIAG_CONFIRMED,
			    "The header uses the scheme '%.*s'; API tokens are "
			    "sent as 'Basic' + Base64 of email:token.",
			    (int)wlen, p);
		else
			diag_run_finding(r, "auth.header_bad_scheme", DIAG_FAIL,
			    DIAG_CONFIRMED,
			    "The header does not start with a scheme ('Basic' "
			    "followed by the Base64 of email:token).");
	}
	free(d);
	report_mismatch(r, &fd);
	diag_run_fact_set(r, "inputs.auth_header.scheme",
	    json_object_new_string(scheme));
	if (!diag_run_has_finding(r, "auth.header_not_base64") &&
	    strcmp(scheme, "basic") == 0)
		diag_run_message(r, "Basic header, Base64 of email:token");
	return DIAG_STEP_DONE;
}
