/* diag/core/envfile.c: read dotenv files (--env-file), refuse one that holds a token and others can read. */
#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag/core/envfile.h"
#include "diag/core/inputs.h"
#include "diag/core/secret.h"
#include "diag/core/util.h"

#define ENVFILE_MAX (1024 * 1024)

static const char *const secret_keys[] = { "ATLASSIAN_API_TOKEN",
	"JIRA_API_TOKEN", "CONFLUENCE_API_TOKEN", "ATLASSIAN_ORG_API_KEY",
	NULL };

/* Parts of a variable name that say its value is a secret. */
static const char *const secret_words[] = { "TOKEN", "SECRET", "PASSWORD",
	"PASSWD", "API_KEY", NULL };

/* 1 for the secret variables of the environment, and any name that says
 * it holds one (PROD_TOKEN, JIRA_PASSWORD, ...). */
static int
is_secret_key(const char *key)
{
	size_t i;

	for (i = 0; secret_keys[i] != NULL; i++)
		if (strcmp(key, secret_keys[i]) == 0)
			return 1;
	for (i = 0; secret_words[i] != NULL; i++)
		if (strstr(key, secret_words[i]) != NULL)
			return 1;
	return 0;
}

/* A double-quoted value from p (after the quote) into b; returns the
 * byte after the closing quote, or NULL when there is none. */
static const char *
dquoted(const char *p, const char *end, struct diag_buf *b)
{
	for (; p < end && *p != '"'; p++) {
		if (*p != '\\' || p + 1 >= end) {
			diag_buf_addc(b, *p);
			continue;
		}
		switch (*++p) {
		case 'n':
			diag_buf_addc(b, '\n');
			break;
		case 't':
			diag_buf_addc(b, '\t');
			break;
		case '"':
		case '\\':
		case '$':
		case '`':
			diag_buf_addc(b, *p);
			break;
		default:
			diag_buf_addc(b, '\\');
			diag_buf_addc(b, *p);
		}
	}
	return p < end ? p + 1 : NULL;
}

/*
 * The value at p (end: the end of the line) into b. Returns NULL, or why
 * the line is not KEY=value.
 */
static const char *
parse_value(const char *p, const char *end, struct diag_buf *b)
{
	const char *q;

	if (p < end && *p == '\'') {
		q = memchr(p + 1, '\'', (size_t)(end - p - 1));
		if (q == NULL)
			return "a single quote is not closed";
		diag_buf_add(b, p + 1, (size_t)(q - p - 1));
		p = q + 1;
	} else if (p < end && *p == '"') {
		if ((p = dquoted(p + 1, end, b)) == NULL)
			return "a double quote is not closed";
	} else {
		q = p;
		while (q < end &&
		    !(*q == '#' && (q == p || isspace((unsigned char)q[-1]))))
			q++;
		while (q > p && isspace((unsigned char)q[-1]))
			q--;
		diag_buf_add(b, p, (size_t)(q - p));
		return NULL;
	}
	while (p < end && isspace((unsigned char)*p))
		p++;
	if (p < end && *p != '#')
		return "text follows the closing quote";
	return NULL;
}

static void
add_var(struct diag_envfile *ef, const char *key, size_t klen,
    struct diag_buf *val, const char *path)
{
	ef->keys = diag_xrealloc(ef->keys, (ef->n + 1) * sizeof(char *));
	ef->values = diag_xrealloc(ef->values, (ef->n + 1) * sizeof(char *));
	ef->files = diag_xrealloc(ef->files, (ef->n + 1) * sizeof(char *));
	ef->keys[ef->n] = diag_xstrndup(key, klen);
	ef->values[ef->n] = diag_buf_detach(val);
	ef->files[ef->n] = diag_xstrdup(path);
	if (is_secret_key(ef->keys[ef->n]))
		diag_secret_register(ef->values[ef->n],
		    strlen(ef->values[ef->n]));
	else
		(void)diag_secret_register_shapes(ef->values[ef->n],
		    strlen(ef->values[ef->n]));
	ef->n++;
}

/* One line (without its newline); returns NULL or why it is not usable. */
static const char *
parse_line(struct diag_envfile *ef, const char *p, const char *end,
    const char *path)
{
	struct diag_buf val = DIAG_BUF_INIT;
	const char *key, *why;
	size_t klen;

	while (p < end && isspace((unsigned char)*p))
		p++;
	if (p == end || *p == '#')
		return NULL;
	if ((size_t)(end - p) > 7 && strncmp(p, "export", 6) == 0 &&
	    (p[6] == ' ' || p[6] == '\t'))
		for (p += 7; p < end && isspace((unsigned char)*p); p++)
			;
	key = p;
	while (p < end && (isalnum((unsigned char)*p) || *p == '_'))
		p++;
	klen = (size_t)(p - key);
	if (klen == 0 || isdigit((unsigned char)*key))
		return "not KEY=value";
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (p == end || *p != '=')
		return "not KEY=value";
	for (p++; p < end && (*p == ' ' || *p == '\t'); p++)
		;
	if ((why = parse_value(p, end, &val)) != NULL) {
		/* the secret may be in it: registered, never quoted */
		(void)diag_secret_register_shapes(p, (size_t)(end - p));
		diag_buf_release(&val);
		return why;
	}
	add_var(ef, key, klen, &val, path);
	return NULL;
}

/* The first variable from index from on that holds a secret (a secret
 * variable that is not empty, or a token-shaped value), or NULL. */
static const char *
holds_secret(const struct diag_envfile *ef, size_t from)
{
	size_t i;

	for (i = from; i < ef->n; i++)
		if ((is_secret_key(ef->keys[i]) && ef->values[i][0] != '\0') ||
		    diag_secret_shaped(ef->values[i], strlen(ef->values[i])))
			return ef->keys[i];
	return NULL;
}

/* Refuses a regular file holding a secret that group or others may
 * access (mode & 077), as ssh does for keys. 0 or -1 after the error. */
static int
check_mode(const struct diag_envfile *ef, size_t from, const char *path,
    const struct stat *st)
{
	const char *key;

	if (!S_ISREG(st->st_mode) || (st->st_mode & 077) == 0 ||
	    (key = holds_secret(ef, from)) == NULL)
		return 0;
	diag_errorf("env file '%s' holds %s and group or others may read it "
		    "(mode %04o): a token must be private to you. Fix: chmod "
		    "600 '%s'",
	    path, key, (unsigned)(st->st_mode & 07777), path);
	return -1;
}

int
diag_envfile_load(struct diag_envfile *ef, const char *path)
{
	struct stat st;
	const char *why = NULL, *p, *e, *end;
	char *data = NULL;
	size_t len, from = ef->n;
	unsigned line = 0;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0 || fstat(fd, &st) != 0) {
		diag_errorf("cannot read env file '%s': %s", path,
		    strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (S_ISDIR(st.st_mode) ||
	    diag_read_fd(fd, ENVFILE_MAX, &data, &len, &why) != 0) {
		diag_errorf("cannot read env file '%s': %s", path,
		    S_ISDIR(st.st_mode) ? "it is a directory" : why);
		close(fd);
		return -1;
	}
	close(fd);
	(void)diag_secret_register_shapes(data, len);
	for (p = data, end = data + len; p < end; p = e + 1) {
		line++;
		e = memchr(p, '\n', (size_t)(end - p));
		if (e == NULL)
			e = end;
		why =
		    parse_line(ef, p, e > p && e[-1] == '\r' ? e - 1 : e, path);
		if (why != NULL)
			break;
	}
	explicit_bzero(data, len);
	free(data);
	if (why != NULL) {
		diag_errorf("env file '%s', line %u: %s (a line is KEY=value, "
			    "export KEY=value, a comment or blank)",
		    path, line, why);
		return -1;
	}
	return check_mode(ef, from, path, &st);
}

const char *
diag_envfile_get(const struct diag_envfile *ef, const char *key,
    const char **file)
{
	size_t i;

	for (i = ef != NULL ? ef->n : 0; i > 0; i--)
		if (strcmp(ef->keys[i - 1], key) == 0) {
			if (file != NULL)
				*file = ef->files[i - 1];
			return ef->values[i - 1];
		}
	return NULL;
}

void
diag_envfile_release(struct diag_envfile *ef)
{
	size_t i;

	for (i = 0; i < ef->n; i++) {
		free(ef->keys[i]);
		explicit_bzero(ef->values[i], strlen(ef->values[i]));
		free(ef->values[i]);
		free(ef->files[i]);
	}
	free(ef->keys);
	free(ef->values);
	free(ef->files);
	memset(ef, 0, sizeof(*ef));
}
