/* diag/core/util.h: allocation that never fails, growable buffers, messages. */
#ifndef DIAG_UTIL_H
#define DIAG_UTIL_H

#include <stdarg.h>
#include <stddef.h>

#define DIAG_NELEM(a) (sizeof(a) / sizeof((a)[0]))

/*
 * Allocation: these print "atldiag: out of memory" and abort() on failure,
 * so callers never test for NULL (house style H8). Every returned pointer
 * is owned by the caller and freed with free(3).
 */
void *diag_xmalloc(size_t);
void *diag_xcalloc(size_t, size_t);
void *diag_xrealloc(void *, size_t);
char *diag_xstrdup(const char *); /* NULL in, NULL out */
char *diag_xstrndup(const char *, size_t);
char *diag_xasprintf(const char *, ...) __attribute__((format(printf, 1, 2)));
char *diag_xvasprintf(const char *, va_list);

/*
 * A growable byte buffer, always NUL-terminated after the last byte.
 * struct diag_buf b = DIAG_BUF_INIT is valid and empty with no call.
 * diag_buf_release() frees the contents and leaves an empty buffer;
 * diag_buf_detach() hands the bytes to the caller (free with free(3)).
 */
struct diag_buf {
	char *buf;
	size_t len;
	size_t cap;
};
#define DIAG_BUF_INIT \
	{ \
		NULL, 0, 0 \
	}

void diag_buf_add(struct diag_buf *, const void *, size_t);
void diag_buf_adds(struct diag_buf *, const char *);
void diag_buf_addc(struct diag_buf *, char);
void diag_buf_addf(struct diag_buf *, const char *, ...)
    __attribute__((format(printf, 2, 3)));
void diag_buf_vaddf(struct diag_buf *, const char *, va_list);
const char *diag_buf_str(const struct diag_buf *); /* "" when empty */
char *diag_buf_detach(struct diag_buf *); /* never NULL */
void diag_buf_release(struct diag_buf *);

/*
 * Messages to stderr, prefixed "atldiag: " / "atldiag: warning: " /
 * "atldiag: note: ". Text: lowercase first word, no final full stop, the
 * subject in single quotes. Every message passes through the secret
 * filter (diag/core/secret.h). Warnings and notes are silenced by
 * diag_msg_set_quiet(1); errors never are.
 */
void diag_errorf(const char *, ...) __attribute__((format(printf, 1, 2)));
void diag_warnf(const char *, ...) __attribute__((format(printf, 1, 2)));
void diag_notef(const char *, ...) __attribute__((format(printf, 1, 2)));
void diag_msg_set_quiet(int);
/* fn is called before any message is written to stderr (the status
 * line of diag/core/progress.h erases itself); NULL for none. */
void diag_msg_set_before(void (*fn)(void));
/* When set, diag_errorf() keeps the last message for the JSON error report. */
const char *diag_msg_last_error(void);
/* Forgets the kept message (it is kept per thread: a thread that ends
 * calls this, or the message leaks). */
void diag_msg_forget(void);

/* Opens path for reading (O_NONBLOCK, so a FIFO does not hang the
 * open): the descriptor, or -1 with *why naming the cause (static; a
 * directory is DIAG_FILE_IS_DIR, a regular file over max bytes "file is
 * too large"). */
#define DIAG_FILE_IS_DIR "is a directory"
int diag_file_open(const char *path, size_t max, const char **why);
/* Reads a whole file (at most max bytes; more is an error). On success
 * *out owns the bytes (NUL-terminated, free(3)) and *len is their count.
 * On failure returns -1 and *why names the cause (static string). */
int diag_read_file(const char *path, size_t max, char **out, size_t *len,
    const char **why);
int diag_read_fd(int fd, size_t max, char **out, size_t *len, const char **why);
/* Writes all n bytes of s to fd, again after EINTR and short writes.
 * Returns 0, or -1 with errno set. */
int diag_write_all(int fd, const char *s, size_t n);

/* String helpers. */
int diag_str_has_prefix(const char *, const char *);
int diag_str_has_suffix(const char *, const char *);
int diag_str_ieq(const char *, const char *); /* ASCII case-insensitive */
char *diag_str_lower(const char *); /* new ASCII-lowered copy */
/* Copy of s with printable ASCII kept and every other byte as \xNN, at
 * most max output bytes (then "..."); safe to print in any terminal. */
char *diag_str_printable(const char *, size_t len, size_t max);
/* 1 when s is a date YYYY-MM-DD, alone or followed by an RFC 3339 time
 * ('T', 't' or ' ' after the day). */
int diag_str_is_date(const char *s);
/* The words before item i of n in a list read as "a, b or c": "" before
 * the first, " or " before the last, ", " between. */
const char *diag_list_sep(size_t i, size_t n);

/* The string member key of JSON object o (borrowed from o), or NULL when
 * o is NULL or not an object, or key is absent or not a string. */
struct json_object;
const char *diag_json_str(struct json_object *o, const char *key);
/* 1 when the JSON array a (or NULL) holds the string s (a null member
 * holds none). */
int diag_json_has_str(struct json_object *a, const char *s);

/* Levenshtein distance, ASCII case-insensitive; 64 when either string
 * is longer than 63 bytes. For "did you mean" suggestions. */
size_t diag_edit_distance(const char *, const char *);

/* Milliseconds on a monotonic clock. */
long long diag_now_ms(void);

/* 1 when s (len bytes) is exactly a UUID: 8-4-4-4-12 hex digits, any case. */
int diag_is_uuid(const char *s, size_t len);

#endif
