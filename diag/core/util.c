/* diag/core/util.c: allocation that never fails, growable buffers, messages. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "diag/core/secret.h"
#include "diag/core/util.h"

static int msg_quiet;
static _Thread_local char *msg_last_error; /* per thread: serve's requests */

static void
oom(void)
{
	static const char msg[] = "atldiag: out of memory\n";

	(void)!write(STDERR_FILENO, msg, sizeof(msg) - 1);
	abort();
}

void *
diag_xmalloc(size_t n)
{
	void *p;

	p = malloc(n == 0 ? 1 : n);
	if (p == NULL)
		oom();
	return p;
}

void *
diag_xcalloc(size_t n, size_t size)
{
	void *p;

	p = calloc(n == 0 ? 1 : n, size == 0 ? 1 : size);
	if (p == NULL)
		oom();
	return p;
}

void *
diag_xrealloc(void *old, size_t n)
{
	void *p;

	p = realloc(old, n == 0 ? 1 : n);
	if (p == NULL)
		oom();
	return p;
}

char *
diag_xstrdup(const char *s)
{
	if (s == NULL)
		return NULL;
	return diag_xstrndup(s, strlen(s));
}

char *
diag_xstrndup(const char *s, size_t n)
{
	char *p;

	p = diag_xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
diag_xvasprintf(const char *fmt, va_list ap)
{
	struct diag_buf b = DIAG_BUF_INIT;

	diag_buf_vaddf(&b, fmt, ap);
	return diag_buf_detach(&b);
}

char *
diag_xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = diag_xvasprintf(fmt, ap);
	va_end(ap);
	return s;
}

static void
buf_grow(struct diag_buf *b, size_t extra)
{
	size_t want;

	if (extra > SIZE_MAX - b->len - 1)
		oom();
	want = b->len + extra + 1;
	if (want <= b->cap)
		return;
	if (b->cap == 0)
		b->cap = 64;
	while (b->cap < want)
		b->cap = b->cap > SIZE_MAX / 2 ? want : b->cap * 2;
	b->buf = diag_xrealloc(b->buf, b->cap);
}

void
diag_buf_add(struct diag_buf *b, const void *data, size_t len)
{
	buf_grow(b, len);
	if (len > 0)
		memcpy(b->buf + b->len, data, len);
	b->len += len;
	b->buf[b->len] = '\0';
}

void
diag_buf_adds(struct diag_buf *b, const char *s)
{
	diag_buf_add(b, s, strlen(s));
}

void
diag_buf_addc(struct diag_buf *b, char c)
{
	diag_buf_add(b, &c, 1);
}

void
diag_buf_vaddf(struct diag_buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return;
	buf_grow(b, (size_t)n);
	vsnprintf(b->buf + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void
diag_buf_addf(struct diag_buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_buf_vaddf(b, fmt, ap);
	va_end(ap);
}

const char *
diag_buf_str(const struct diag_buf *b)
{
	return b->buf == NULL ? "" : b->buf;
}

char *
diag_buf_detach(struct diag_buf *b)
{
	char *s;

	s = b->buf == NULL ? diag_xstrdup("") : b->buf;
	b->buf = NULL;
	b->len = b->cap = 0;
	return s;
}

void
diag_buf_release(struct diag_buf *b)
{
	free(b->buf);
	b->buf = NULL;
	b->len = b->cap = 0;
}

static void (*msg_before)(void); /* erases a status line */

void
diag_msg_set_before(void (*fn)(void))
{
	msg_before = fn;
}

static void
msg_out(const char *prefix, const char *fmt, va_list ap, int keep)
{
	struct diag_buf b = DIAG_BUF_INIT;
	char *clean;
	size_t n;

	diag_buf_vaddf(&b, fmt, ap);
	if (keep) {
		free(msg_last_error);
		msg_last_error =
		    diag_secret_scrub(b.buf == NULL ? "" : b.buf, b.len, NULL);
	}
	diag_buf_addc(&b, '\n');
	clean = diag_secret_scrub(b.buf, b.len, &n);
	if (msg_before != NULL)
		msg_before();
	fputs(prefix, stderr);
	fwrite(clean, 1, n, stderr);
	fflush(stderr);
	free(clean);
	diag_buf_release(&b);
}

void
diag_errorf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	msg_out("atldiag: ", fmt, ap, 1);
	va_end(ap);
}

void
diag_warnf(const char *fmt, ...)
{
	va_list ap;

	if (msg_quiet)
		return;
	va_start(ap, fmt);
	msg_out("atldiag: warning: ", fmt, ap, 0);
	va_end(ap);
}

void
diag_notef(const char *fmt, ...)
{
	va_list ap;

	if (msg_quiet)
		return;
	va_start(ap, fmt);
	msg_out("atldiag: note: ", fmt, ap, 0);
	va_end(ap);
}

void
diag_msg_set_quiet(int q)
{
	msg_quiet = q;
}

const char *
diag_msg_last_error(void)
{
	return msg_last_error;
}

void
diag_msg_forget(void)
{
	free(msg_last_error);
	msg_last_error = NULL;
}

int
diag_read_fd(int fd, size_t max, char **out, size_t *len, const char **why)
{
	struct diag_buf b = DIAG_BUF_INIT;
	char chunk[65536];
	ssize_t n;

	*out = NULL;
	*len = 0;
	for (;;) {
		n = read(fd, chunk, sizeof(chunk));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			*why = strerror(errno);
			diag_buf_release(&b);
			return -1;
		}
		if (n == 0)
			break;
		if (b.len + (size_t)n > max) {
			*why = "file is too large";
			diag_buf_release(&b);
			return -1;
		}
		diag_buf_add(&b, chunk, (size_t)n);
	}
	*len = b.len;
	*out = diag_buf_detach(&b);
	return 0;
}

int
diag_write_all(int fd, const char *s, size_t n)
{
	ssize_t w;

	while (n > 0) {
		w = write(fd, s, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (w == 0)
				errno = EIO;
			return -1;
		}
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

int
diag_file_open(const char *path, size_t max, const char **why)
{
	struct stat st;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		*why = strerror(errno);
		return -1;
	}
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		*why = DIAG_FILE_IS_DIR;
		close(fd);
		return -1;
	}
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    (unsigned long long)st.st_size > max) {
		*why = "file is too large";
		close(fd);
		return -1;
	}
	return fd;
}

int
diag_read_file(const char *path, size_t max, char **out, size_t *len,
    const char **why)
{
	int fd, rc;

	*out = NULL;
	*len = 0;
	if ((fd = diag_file_open(path, max, why)) < 0)
		return -1;
	/* Blocking reads from here on (a FIFO or /dev/stdin is fine). */
	(void)fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	rc = diag_read_fd(fd, max, out, len, why);
	close(fd);
	return rc;
}

int
diag_str_has_prefix(const char *s, const char *p)
{
	return strncmp(s, p, strlen(p)) == 0;
}

int
diag_str_has_suffix(const char *s, const char *p)
{
	size_t ls = strlen(s), lp = strlen(p);

	return ls >= lp && strcmp(s + ls - lp, p) == 0;
}

int
diag_str_is_date(const char *s)
{
	int y, m, d, n = 0;

	if (sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n != 10 ||
	    y < 2000 || y > 2999 || m < 1 || m > 12 || d < 1 || d > 31)
		return 0;
	return s[10] == '\0' || s[10] == 'T' || s[10] == 't' || s[10] == ' ';
}

const char *
diag_list_sep(size_t i, size_t n)
{
	if (i == 0)
		return "";
	return i + 1 == n ? " or " : ", ";
}

const char *
diag_json_str(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (o == NULL || !json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

int
diag_json_has_str(struct json_object *a, const char *s)
{
	const char *v;
	size_t i;

	for (i = 0; a != NULL && i < json_object_array_length(a); i++) {
		v = json_object_get_string(json_object_array_get_idx(a, i));
		if (v != NULL && strcmp(v, s) == 0) /* null: NULL */
			return 1;
	}
	return 0;
}

int
diag_str_ieq(const char *a, const char *b)
{
	return strcasecmp(a, b) == 0;
}

char *
diag_str_lower(const char *s)
{
	char *p, *q;

	p = diag_xstrdup(s);
	for (q = p; *q != '\0'; q++)
		if (*q >= 'A' && *q <= 'Z')
			*q = (char)(*q - 'A' + 'a');
	return p;
}

char *
diag_str_printable(const char *s, size_t len, size_t max)
{
	struct diag_buf b = DIAG_BUF_INIT;
	size_t i;
	unsigned char c;

	for (i = 0; i < len; i++) {
		if (b.len >= max) {
			diag_buf_adds(&b, "...");
			break;
		}
		c = (unsigned char)s[i];
		if (c == '\n' || c == '\t' || (c >= 0x20 && c < 0x7f))
			diag_buf_addc(&b, (char)c);
		else
			diag_buf_addf(&b, "\\x%02X", c);
	}
	return diag_buf_detach(&b);
}

long long
diag_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

size_t
diag_edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, prev, cur, tmp;
	size_t row[64];

	if (la > 63 || lb > 63)
		return 64;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			cur = prev +
			    (tolower((unsigned char)a[i - 1]) !=
				tolower((unsigned char)b[j - 1]));
			if (row[j] + 1 < cur)
				cur = row[j] + 1;
			if (row[j - 1] + 1 < cur)
				cur = row[j - 1] + 1;
			tmp = row[j];
			row[j] = cur;
			prev = tmp;
		}
	}
	return row[lb];
}

int
diag_is_uuid(const char *s, size_t len)
{
	size_t i;
	char c;

	if (len != 36)
		return 0;
	for (i = 0; i < 36; i++) {
		c = s[i];
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (c != '-')
				return 0;
		} else if (!isxdigit((unsigned char)c))
			return 0;
	}
	return 1;
}
