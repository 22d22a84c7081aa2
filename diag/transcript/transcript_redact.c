/* diag/transcript/transcript_redact.c: what counts as a credential in a capture (by name and by shape), and the redactor that hides it. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "diag/core/hash.h"
#include "diag/core/secret.h"
#include "diag/transcript/transcript.h"
#include "diag/core/util.h"

/*
 * THE list of credential names, in one place (documented in atldiag.1,
 * "Credentials in a transcript").
 *
 * Headers whose whole value is a credential, in a request or a response.
 * Authorization keeps its scheme ("Basic [redacted]"), Cookie and
 * Set-Cookie keep the cookie names ("JSESSIONID=[redacted]"), the others
 * show "[redacted]". X-Atlassian-Token is not here: its value is the
 * constant "no-check", which the XSRF diagnosis reads.
 */
static const char *const secret_headers[] = {
	"authorization",
	"proxy-authorization",
	"cookie",
	"set-cookie",
	"x-api-key",
	"api-key",
	"apikey",
	"private-token",
	"x-access-token",
	"x-auth-token",
	"x-csrf-token",
	"x-xsrf-token",
};

/*
 * Parameters whose value is a credential: in a query string or a form
 * ("name=value", also in a body or pasted text) and as a JSON key with a
 * string value; with them the session cookies of Atlassian sites, so that
 * "JSESSIONID=..." in prose is hidden too (in Cookie and Set-Cookie
 * headers every cookie value is hidden, whatever its name). The query_only ones are ordinary words elsewhere ("code"
 * is in every error body): they count only right after '?', '&' or ';'.
 */
static const struct {
	const char *name;
	int query_only;
} secret_params[] = {
	{ "access_token", 0 },
	{ "refresh_token", 0 },
	{ "id_token", 0 },
	{ "token", 0 },
	{ "jwt", 0 },
	{ "api_key", 0 },
	{ "apikey", 0 },
	{ "api-key", 0 },
	{ "password", 0 },
	{ "passwd", 0 },
	{ "os_password", 0 },
	{ "secret", 0 },
	{ "client_secret", 0 },
	{ "atl_token", 0 },
	{ "signature", 0 },
	{ "sessionid", 0 },
	/* Session cookies named in pasted text ("JSESSIONID=..."). */
	{ "jsessionid", 0 },
	{ "tenant.session.token", 0 },
	{ "cloud.session.token", 0 },
	{ "atlassian.xsrf.token", 0 },
	{ "code", 1 },
	{ "sig", 1 },
	{ "session", 1 },
	{ "auth", 1 },
};

/*
 * And by shape, wherever it appears: Atlassian tokens (ATATT, ATSTT,
 * ATCTT, ATBB followed by 16 or more token characters), a JWT
 * (eyJ<base64url>.<base64url>.<base64url>), "Basic <base64>", "Bearer
 * <token>", and the password of `curl -u user:password` / `--user`.
 */
static const char *const token_prefixes[] = { "ATATT", "ATSTT", "ATCTT",
	"ATBB" };

struct scan {
	const char *s;
	size_t len;
	struct diag_buf *out; /* NULL: register only */
	size_t copied; /* bytes of s already in out */
	size_t found;
};

int
diag__tx_sensitive_header(const char *name)
{
	size_t i;

	for (i = 0; i < DIAG_NELEM(secret_headers); i++)
		if (name != NULL && strcasecmp(name, secret_headers[i]) == 0)
			return 1;
	return 0;
}

void
diag__tx_redacted_value(struct diag_buf *b, size_t len)
{
	if (len > DIAG_TX_SECRET_MAX)
		diag_buf_addf(b, "[redacted: %zu bytes]", len);
	else
		diag_buf_adds(b, DIAG_REDACTED);
}

/* Registers v (n bytes) and, when it holds %XX escapes, what it decodes to. */
static void
register_value(const char *v, size_t n)
{
	struct diag_buf d = DIAG_BUF_INIT;
	unsigned x;
	size_t i;
	char hex[3];

	if (n > DIAG_TX_SECRET_MAX)
		return;
	diag__tx_secret(v, n);
	if (memchr(v, '%', n) == NULL)
		return;
	for (i = 0; i < n; i++) {
		if (v[i] == '%' && i + 2 < n &&
		    isxdigit((unsigned char)v[i + 1]) &&
		    isxdigit((unsigned char)v[i + 2])) {
			hex[0] = v[i + 1];
			hex[1] = v[i + 2];
			hex[2] = '\0';
			x = (unsigned)strtoul(hex, NULL, 16);
			diag_buf_addc(&d, (char)x);
			i += 2;
		} else
			diag_buf_addc(&d, v[i] == '+' ? ' ' : v[i]);
	}
	diag__tx_secret(diag_buf_str(&d), d.len);
	diag_buf_release(&d);
}

/* Registers a Basic credential (b64, n bytes) and what it decodes to. */
static void
register_basic(const char *b64, size_t n)
{
	unsigned char *dec = NULL;
	const char *colon;
	size_t dlen = 0;

	if (n > DIAG_TX_SECRET_MAX)
		return;
	diag__tx_secret(b64, n);
	if (diag_base64_decode(b64, n, &dec, &dlen) != 0)
		return;
	diag__tx_secret((const char *)dec, dlen);
	colon = memchr(dec, ':', dlen);
	if (colon != NULL)
		diag__tx_secret(colon + 1,
		    dlen - (size_t)(colon + 1 - (const char *)dec));
	free(dec);
}

void
diag__tx_cookie_secrets(const char *v, size_t n)
{
	size_t i = 0, s;

	if (n > DIAG_TX_SECRET_MAX)
		return;
	diag__tx_secret(v, n);
	while (i < n) {
		while (i < n && v[i] != '=')
			i++;
		s = ++i;
		while (i < n && v[i] != ';')
			i++;
		if (s < n)
			register_value(v + s, i - s);
	}
}

/*
 * 1 when s[from..to) lies within a redaction mark that starts at from
 * ("[redacted]" or "[redacted: N bytes]"; an unquoted value ends at its
 * ']' or ' '): a capture redacted once reads the same when redacted again.
 */
static int
already_hidden(const struct scan *sc, size_t from, size_t to)
{
	static const char mark[] = "[redacted", tail[] = " bytes]";
	const char *s = sc->s;
	size_t i = from + sizeof(mark) - 1;

	if (sc->len - from < sizeof(mark) ||
	    memcmp(s + from, mark, sizeof(mark) - 1) != 0)
		return 0;
	if (s[i] == ']')
		return to <= i + 1;
	if (sc->len - i < 3 || s[i] != ':' || s[i + 1] != ' ' ||
	    !isdigit((unsigned char)s[i + 2]))
		return 0;
	for (i += 2; i < sc->len && isdigit((unsigned char)s[i]); i++)
		;
	return sc->len - i >= sizeof(tail) - 1 &&
	    memcmp(s + i, tail, sizeof(tail) - 1) == 0 &&
	    to <= i + sizeof(tail) - 1;
}

/* Hides s[from..to): registers it and, when rendering, replaces it. */
static void
hide(struct scan *sc, size_t from, size_t to)
{
	if (to <= from || already_hidden(sc, from, to))
		return;
	if (sc->out != NULL) {
		diag_buf_add(sc->out, sc->s + sc->copied, from - sc->copied);
		diag__tx_redacted_value(sc->out, to - from);
		sc->copied = to;
	}
	register_value(sc->s + from, to - from);
	sc->found++;
}

static int
name_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '-' || c == '.';
}

/* 1 when position i starts a word (nothing name-like before it). */
static int
word_start(const struct scan *sc, size_t i)
{
	return i == 0 || !name_char(sc->s[i - 1]);
}

/* End of an unquoted parameter value starting at v. */
static size_t
param_value_end(const struct scan *sc, size_t v)
{
	while (v < sc->len && strchr("&;# \t\r\n\"'<>,)}]\\", sc->s[v]) == NULL)
		v++;
	return v;
}

/* End of a JSON string whose content starts at v (at its closing quote). */
static size_t
json_string_end(const struct scan *sc, size_t v)
{
	while (v < sc->len && sc->s[v] != '"') {
		if (sc->s[v] == '\\')
			v++;
		v++;
	}
	return v < sc->len ? v : sc->len;
}

/* name=value or "name": "value" for a parameter of the list; returns
 * the position after what was handled, or 0. */
static size_t
match_param(struct scan *sc, size_t i)
{
	const char *s = sc->s;
	char prev = i > 0 ? s[i - 1] : '\0', q;
	size_t k, n, j, v, e;

	if (!word_start(sc, i))
		return 0;
	for (k = 0; k < DIAG_NELEM(secret_params); k++) {
		if (tolower((unsigned char)s[i]) != secret_params[k].name[0])
			continue; /* cheap first test */
		n = strlen(secret_params[k].name);
		if (sc->len - i <= n ||
		    strncasecmp(s + i, secret_params[k].name, n) != 0)
			continue;
		j = i + n;
		if (s[j] == '=') {
			if (secret_params[k].query_only && prev != '?' &&
			    prev != '&' && prev != ';')
				return 0;
			v = j + 1;
			if (v < sc->len && (s[v] == '"' || s[v] == '\'')) {
				q = s[v++];
				e = v;
				while (e < sc->len && s[e] != q && s[e] != '\n')
					e++;
			} else
				e = param_value_end(sc, v);
			hide(sc, v, e);
			return e > j ? e : j + 1;
		}
		if (prev != '"' || s[j] != '"' || secret_params[k].query_only)
			continue;
		v = j + 1;
		while (v < sc->len && (s[v] == ' ' || s[v] == '\t'))
			v++;
		if (v >= sc->len || s[v] != ':')
			return 0;
		v++;
		while (v < sc->len &&
		    (s[v] == ' ' || s[v] == '\t' || s[v] == '\r' ||
			s[v] == '\n'))
			v++;
		if (v >= sc->len || s[v] != '"')
			return 0;
		e = json_string_end(sc, v + 1);
		hide(sc, v + 1, e);
		return e;
	}
	return 0;
}

/* "Name: value" (or 'Name': 'value', Name=value) for a header of the list. */
static size_t
match_header(struct scan *sc, size_t i)
{
	const char *s = sc->s;
	char q = '\0';
	size_t k, n, j, e, sp;

	if (!word_start(sc, i))
		return 0;
	for (k = 0; k < DIAG_NELEM(secret_headers); k++) {
		if (tolower((unsigned char)s[i]) != secret_headers[k][0])
			continue; /* cheap first test */
		n = strlen(secret_headers[k]);
		if (sc->len - i > n &&
		    strncasecmp(s + i, secret_headers[k], n) == 0)
			break;
	}
	if (k == DIAG_NELEM(secret_headers))
		return 0;
	j = i + n;
	if (j < sc->len && (s[j] == '"' || s[j] == '\''))
		j++;
	while (j < sc->len && s[j] == ' ')
		j++;
	if (j >= sc->len || (s[j] != ':' && s[j] != '='))
		return 0;
	j++;
	while (j < sc->len && (s[j] == ' ' || s[j] == '\t'))
		j++;
	if (j < sc->len && (s[j] == '"' || s[j] == '\''))
		q = s[j++];
	e = j;
	while (e < sc->len && s[e] != '\n' && s[e] != '\r' &&
	    (q != '\0' ? s[e] != q : (s[e] != '"' && s[e] != '\'')))
		e++;
	if (e == j)
		return 0;
	if (strcmp(secret_headers[k], "cookie") == 0 ||
	    strcmp(secret_headers[k], "set-cookie") == 0)
		diag__tx_cookie_secrets(s + j, e - j);
	/* Keep a short scheme word visible: "Authorization: Basic [redacted]". */
	sp = j;
	while (sp < e && sp - j < 24 && isalpha((unsigned char)s[sp]))
		sp++;
	if (sp > j && sp < e && s[sp] == ' ' && e - j <= DIAG_TX_SECRET_MAX) {
		register_value(s + j, e - j);
		while (sp < e && s[sp] == ' ')
			sp++;
		if (sp - j == 6 && strncasecmp(s + j, "basic ", 6) == 0)
			register_basic(s + sp, e - sp);
		j = sp;
	}
	hide(sc, j, e);
	return e;
}

static int
token_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '-' || c == '=';
}

static int
b64url_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '-';
}

/* An Atlassian token (ATATT...) or a JWT (eyJ...). */
static size_t
match_shape(struct scan *sc, size_t i)
{
	const char *s = sc->s;
	size_t k, n, e, parts;

	if (i > 0 && isalnum((unsigned char)s[i - 1]))
		return 0;
	for (k = 0; k < DIAG_NELEM(token_prefixes); k++) {
		n = strlen(token_prefixes[k]);
		if (sc->len - i <= n ||
		    memcmp(s + i, token_prefixes[k], n) != 0)
			continue;
		for (e = i; e < sc->len && token_char(s[e]); e++)
			;
		if (e - i < n + 16)
			return 0;
		hide(sc, i, e);
		return e;
	}
	if (sc->len - i < 3 || memcmp(s + i, "eyJ", 3) != 0)
		return 0;
	for (e = i, parts = 1; e < sc->len; e++) {
		if (s[e] == '.' && e + 1 < sc->len && b64url_char(s[e + 1]))
			parts++;
		else if (!b64url_char(s[e]))
			break;
	}
	if (parts < 3 || e - i < 20)
		return 0;
	hide(sc, i, e);
	return e;
}

/* "Basic <base64>" or "Bearer <token>" in text. */
static size_t
match_scheme(struct scan *sc, size_t i)
{
	const char *s = sc->s, *set;
	size_t v, e, digits = 0;
	int basic;

	if (!word_start(sc, i) || sc->len - i < 8)
		return 0;
	if (strncasecmp(s + i, "basic ", 6) == 0)
		basic = 1;
	else if (strncasecmp(s + i, "bearer ", 7) == 0)
		basic = 0;
	else
		return 0;
	v = i + (basic ? 6 : 7);
	while (v < sc->len && s[v] == ' ')
		v++;
	set = basic ? "+/=" : "+/=-._~";
	for (e = v; e < sc->len; e++) {
		if (!isalnum((unsigned char)s[e]) && strchr(set, s[e]) == NULL)
			break;
		if (!isalpha((unsigned char)s[e]))
			digits++;
	}
	/* Credentials mix digits or symbols in; words ("Basic authentication")
	 * do not. */
	if (e - v < 8 || (digits == 0 && e - v < 24))
		return 0;
	if (basic)
		register_basic(s + v, e - v);
	hide(sc, v, e);
	return e;
}

/* -u user:password, --user user:password, --user=user:password. */
static size_t
match_curl_user(struct scan *sc, size_t i)
{
	const char *s = sc->s;
	const char *colon;
	size_t v, e;

	if (s[i] != '-' || (i > 0 && s[i - 1] != ' ' && s[i - 1] != '\t'))
		return 0;
	if (sc->len - i > 3 && memcmp(s + i, "-u", 2) == 0 &&
	    (s[i + 2] == ' ' || s[i + 2] == '\'' || s[i + 2] == '"'))
		v = i + 2;
	else if (sc->len - i > 7 && memcmp(s + i, "--user", 6) == 0 &&
	    (s[i + 6] == ' ' || s[i + 6] == '='))
		v = i + 7;
	else
		return 0;
	while (v < sc->len && (s[v] == ' ' || s[v] == '\'' || s[v] == '"'))
		v++;
	e = v;
	while (e < sc->len && !isspace((unsigned char)s[e]) && s[e] != '\'' &&
	    s[e] != '"')
		e++;
	colon = memchr(s + v, ':', e - v);
	if (colon == NULL)
		return 0;
	if (e - v <= DIAG_TX_SECRET_MAX)
		diag__tx_secret(s + v, e - v);
	hide(sc, (size_t)(colon + 1 - s), e);
	return e;
}

size_t
diag__tx_redact(const char *s, size_t len, struct diag_buf *out)
{
	struct scan sc;
	size_t i = 0, e;
	unsigned char c;

	memset(&sc, 0, sizeof(sc));
	sc.s = s;
	sc.len = len;
	sc.out = out;
	while (i < len) {
		c = (unsigned char)s[i];
		e = 0;
		if (!name_char((char)c) && c != '-') {
			i++;
			continue;
		}
		if (!word_start(&sc, i)) {
			/* Nothing starts inside a word: skip the rest of it. */
			while (i < len && name_char(s[i]))
				i++;
			continue;
		}
		/* Cheap dispatch on the first byte: most bytes start nothing. */
		if (c == 'A' || c == 'e')
			e = match_shape(&sc, i);
		if (e == 0 && c == '-')
			e = match_curl_user(&sc, i);
		if (e == 0 && isalpha(c)) {
			e = match_header(&sc, i);
			if (e == 0)
				e = match_param(&sc, i);
			if (e == 0 && (c == 'b' || c == 'B'))
				e = match_scheme(&sc, i);
		}
		if (e > i)
			i = e;
		else /* a word that starts nothing: skip it whole */
			for (i++; i < len && name_char(s[i]); i++)
				;
	}
	if (out != NULL)
		diag_buf_add(out, s + sc.copied, len - sc.copied);
	return sc.found;
}

char *
diag__tx_redacted(const char *s, size_t len)
{
	struct diag_buf b = DIAG_BUF_INIT;

	diag__tx_redact(s, len, &b);
	return diag_buf_detach(&b);
}
