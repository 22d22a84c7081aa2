/* diag/core/escape.c: make untrusted text (server answers, transcripts, inputs) safe to print in any output format. */
#include <stdlib.h>
#include <string.h>

#include "diag/core/escape.h"

size_t
diag_utf8_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
	size_t n, i;
	uint32_t c, min;

	if (len == 0)
		return 0;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((s[0] & 0xe0) == 0xc0) {
		n = 2;
		c = s[0] & 0x1f;
		min = 0x80;
	} else if ((s[0] & 0xf0) == 0xe0) {
		n = 3;
		c = s[0] & 0x0f;
		min = 0x800;
	} else if ((s[0] & 0xf8) == 0xf0) {
		n = 4;
		c = s[0] & 0x07;
		min = 0x10000;
	} else
		return 0;
	if (n > len)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

/* 1 when code point cp must not reach a terminal as it is. */
static int
is_control(uint32_t cp)
{
	return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0) ||
	    cp == 0x2028 || cp == 0x2029;
}

void
diag_esc_visible(struct diag_buf *b, const char *s, size_t len, unsigned flags)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, n, k;
	uint32_t cp;

	while (s != NULL && i < len) {
		if (u[i] == '\r' && i + 1 < len && u[i + 1] == '\n' &&
		    (flags & DIAG_ESC_KEEP_NL) && !(flags & DIAG_ESC_KEEP_CR)) {
			i++;
			continue;
		}
		n = diag_utf8_decode(u + i, len - i, &cp);
		if (n == 1 && cp == '\n' && (flags & DIAG_ESC_KEEP_NL))
			diag_buf_addc(b, '\n');
		else if (n == 1 && cp == '\t' && (flags & DIAG_ESC_KEEP_TAB))
			diag_buf_addc(b, '\t');
		else if (n == 1 && cp == '\r' && (flags & DIAG_ESC_KEEP_CR))
			diag_buf_addc(b, '\r');
		else if (n == 1 && cp == '\n')
			diag_buf_adds(b, "\\n");
		else if (n == 1 && cp == '\r')
			diag_buf_adds(b, "\\r");
		else if (n == 1 && cp == '\t')
			diag_buf_adds(b, "\\t");
		else if (n == 0 || is_control(cp)) {
			for (k = 0; k < (n == 0 ? 1 : n); k++)
				diag_buf_addf(b, "\\x%02X", u[i + k]);
		} else
			diag_buf_add(b, u + i, n);
		i += n == 0 ? 1 : n;
	}
}

char *
diag_esc_visible_str(const char *s, unsigned flags)
{
	struct diag_buf b = DIAG_BUF_INIT;

	if (s != NULL)
		diag_esc_visible(&b, s, strlen(s), flags);
	return diag_buf_detach(&b);
}

void
diag_esc_json_text(struct diag_buf *b, const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, n;
	uint32_t cp;

	while (s != NULL && i < len) {
		n = diag_utf8_decode(u + i, len - i, &cp);
		if (n == 0) {
			diag_buf_adds(b, "\xef\xbf\xbd"); /* U+FFFD */
			i++;
			continue;
		}
		if (cp == 0x7f || (cp >= 0x80 && cp < 0xa0) || cp == 0x2028 ||
		    cp == 0x2029)
			diag_buf_addf(b, "\\u%04x", (unsigned)cp);
		else
			diag_buf_add(b, u + i, n);
		i += n;
	}
}

/* 1 when cp is white space to .NET's String.TrimStart() (the runner). */
static int
is_space(uint32_t cp)
{
	return cp == ' ' || (cp >= 0x09 && cp <= 0x0d) || cp == 0x85 ||
	    cp == 0xa0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200a) ||
	    cp == 0x2028 || cp == 0x2029 || cp == 0x202f || cp == 0x205f ||
	    cp == 0x3000;
}

/* The first byte of the line at p that is not white space. */
static const char *
skip_space(const char *p)
{
	const unsigned char *u = (const unsigned char *)p;
	size_t n;
	uint32_t cp;

	while (*u != '\0' && *u != '\n' &&
	    (n = diag_utf8_decode(u, strnlen((const char *)u, 4), &cp)) > 0 &&
	    is_space(cp))
		u += n;
	return (const char *)u;
}

char *
diag_esc_line_starts(char *s)
{
	struct diag_buf b = DIAG_BUF_INIT;
	const char *p, *q;

	for (p = s; p != NULL && *p != '\0'; p = q) {
		q = skip_space(p);
		if (q[0] == ':' && q[1] == ':') {
			diag_buf_add(&b, p, (size_t)(q - p));
			diag_buf_adds(&b, "\\x3A");
			p = q + 1;
		}
		q = strchr(p, '\n');
		q = q != NULL ? q + 1 : p + strlen(p);
		diag_buf_add(&b, p, (size_t)(q - p));
	}
	free(s);
	return diag_buf_detach(&b);
}
