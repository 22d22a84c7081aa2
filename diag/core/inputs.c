/* diag/core/inputs.c: gather inputs from flags, environment, files and ~/.netrc. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "diag/core/envfile.h"
#include "diag/core/inputs.h"
#include "diag/core/secret.h"
#include "diag/core/util.h"

/* An API token is under 300 characters; anything this large is a mistake. */
#define SECRET_FILE_MAX (64 * 1024)
#define NETRC_MAX (1024 * 1024)

static const char *const input_names[DIAG_IN__COUNT] = {
	[DIAG_IN_SITE] = "site",
	[DIAG_IN_CLOUD_ID] = "cloud_id",
	[DIAG_IN_EMAIL] = "email",
	[DIAG_IN_TOKEN] = "token",
	[DIAG_IN_AUTH_HEADER] = "auth_header",
	[DIAG_IN_PRODUCT] = "product",
	[DIAG_IN_ORG_KEY] = "org_key",
	[DIAG_IN_URL] = "url",
	[DIAG_IN_METHOD] = "method",
};

/* Environment variables per input, first found wins (DESIGN §2). */
static const char *const env_site[] = { "ATLASSIAN_SITE", "JIRA_URL",
	"JIRA_SERVER", "CONFLUENCE_URL", NULL };
static const char *const env_cloud_id[] = { "ATLASSIAN_CLOUD_ID",
	"JIRA_CLOUD_ID", NULL };
static const char *const env_email[] = { "ATLASSIAN_EMAIL", "JIRA_EMAIL",
	"JIRA_USER", "CONFLUENCE_EMAIL", NULL };
static const char *const env_token[] = { "ATLASSIAN_API_TOKEN",
	"JIRA_API_TOKEN", "CONFLUENCE_API_TOKEN", NULL };
static const char *const env_product[] = { "ATLASSIAN_PRODUCT", NULL };
static const char *const env_org_key[] = { "ATLASSIAN_ORG_API_KEY", NULL };

static int gather(struct diag_inputs *, const struct diag_input_flags *,
    const struct diag_envfile *);

static const char *const missing_codes[DIAG_IN__COUNT] = {
	[DIAG_IN_SITE] = "input.site_missing",
	[DIAG_IN_CLOUD_ID] = "input.cloud_id_missing",
	[DIAG_IN_EMAIL] = "input.email_missing",
	[DIAG_IN_TOKEN] = "input.token_missing",
};

const char *
diag_input_name(enum diag_input_id id)
{
	if ((size_t)id >= DIAG_IN__COUNT)
		return "unknown";
	return input_names[id];
}

void
diag_inputs_init(struct diag_inputs *in)
{
	memset(in, 0, sizeof(*in));
}

void
diag_inputs_release(struct diag_inputs *in)
{
	size_t i;

	for (i = 0; i < DIAG_IN__COUNT; i++) {
		free(in->in[i].value);
		free(in->in[i].source);
	}
	for (i = 0; i < in->n_remarks; i++) {
		free(in->remarks[i].code);
		free(in->remarks[i].text);
	}
	free(in->remarks);
	diag_inputs_init(in);
}

static int
is_secret_input(enum diag_input_id id)
{
	return id == DIAG_IN_TOKEN || id == DIAG_IN_ORG_KEY ||
	    id == DIAG_IN_AUTH_HEADER;
}

void
diag_inputs_set(struct diag_inputs *in, enum diag_input_id id,
    const char *value, size_t len, const char *source)
{
	struct diag_input *v = &in->in[id];

	free(v->value);
	free(v->source);
	v->value = value != NULL ? diag_xstrndup(value, len) : NULL;
	v->len = value != NULL ? len : 0;
	v->source = diag_xstrdup(source != NULL ? source : "unknown");
	v->secret = is_secret_input(id);
	if (v->secret && value != NULL)
		diag_secret_register(value, len);
	else if (value != NULL)
		(void)diag_secret_register_shapes(value, len);
}

void
diag_inputs_remark(struct diag_inputs *in, enum diag_input_id id,
    const char *code, const char *fmt, ...)
{
	struct diag_input_remark *r;
	va_list ap;

	in->remarks = diag_xrealloc(in->remarks,
	    (in->n_remarks + 1) * sizeof(*in->remarks));
	r = &in->remarks[in->n_remarks++];
	r->input = id;
	r->code = diag_xstrdup(code != NULL ? code : "");
	va_start(ap, fmt);
	r->text = diag_xvasprintf(fmt, ap);
	va_end(ap);
}

void
diag_inputs_copy(struct diag_inputs *dst, const struct diag_inputs *src)
{
	size_t i;

	diag_inputs_init(dst);
	for (i = 0; i < DIAG_IN__COUNT; i++) {
		if (src->in[i].source == NULL)
			continue;
		dst->in[i].value = src->in[i].value != NULL ?
		    diag_xstrndup(src->in[i].value, src->in[i].len) :
		    NULL;
		dst->in[i].len = src->in[i].len;
		dst->in[i].source = diag_xstrdup(src->in[i].source);
		dst->in[i].secret = src->in[i].secret;
	}
	for (i = 0; i < src->n_remarks; i++)
		diag_inputs_remark(dst, src->remarks[i].input,
		    src->remarks[i].code, "%s", src->remarks[i].text);
	dst->token_on_cmdline = src->token_on_cmdline;
}

/*
 * Takes the first environment variable of names that is set. One that is
 * set but empty is remembered as a remark (the classic "secret not
 * exported to this CI step") and the search goes on.
 */
static int
from_env(struct diag_inputs *in, const struct diag_envfile *ef,
    enum diag_input_id id, const char *const *names)
{
	const char *v, *file;
	char *src;
	size_t i;

	/* The --env-file files first: given on purpose, they say more than
	 * whatever the shell happens to export. */
	for (i = 0; ef != NULL && names[i] != NULL; i++) {
		v = diag_envfile_get(ef, names[i], &file);
		if (v == NULL)
			continue;
		if (*v == '\0') {
			diag_inputs_remark(in, id, missing_codes[id],
			    "%s is empty in env file %s", names[i], file);
			continue;
		}
		src = diag_xasprintf("env-file:%s:%s", file, names[i]);
		diag_inputs_set(in, id, v, strlen(v), src);
		free(src);
		return 1;
	}
	for (i = 0; names[i] != NULL; i++) {
		v = getenv(names[i]);
		if (v == NULL)
			continue;
		if (*v == '\0') {
			diag_inputs_remark(in, id, missing_codes[id],
			    "environment variable %s is set but empty",
			    names[i]);
			continue;
		}
		src = diag_xasprintf("env:%s", names[i]);
		diag_inputs_set(in, id, v, strlen(v), src);
		free(src);
		return 1;
	}
	return 0;
}

static int
from_flag(struct diag_inputs *in, enum diag_input_id id, const char *value,
    const char *flag)
{
	char *src;

	if (value == NULL)
		return 0;
	src = diag_xasprintf("flag:%s", flag);
	diag_inputs_set(in, id, value, strlen(value), src);
	free(src);
	return 1;
}

static int
from_secret_file(struct diag_inputs *in, enum diag_input_id id,
    const char *path, const char *what)
{
	const char *why = NULL;
	char *data, *src;
	size_t len;

	if (diag_read_file(path, SECRET_FILE_MAX, &data, &len, &why) != 0) {
		if (strcmp(why, "file is too large") == 0)
			diag_errorf("cannot use %s file '%s': larger than %d "
				    "KiB; an API token is under 300 characters",
			    what, path, SECRET_FILE_MAX / 1024);
		else
			diag_errorf("cannot read %s file '%s': %s", what, path,
			    why);
		return -1;
	}
	src = diag_xasprintf("file:%s", path);
	diag_inputs_set(in, id, data, len, src);
	if (len >= 2 && data[len - 2] == '\r' && data[len - 1] == '\n')
		diag_inputs_remark(in, id, "",
		    "%s file '%s' ends with CR LF (saved with Windows line "
		    "endings)",
		    what, path);
	free(src);
	free(data);
	return 0;
}

static int
from_stdin(struct diag_inputs *in)
{
	const char *why = NULL;
	char *data;
	size_t len;

	if (diag_read_fd(STDIN_FILENO, SECRET_FILE_MAX, &data, &len, &why) !=
	    0) {
		diag_errorf("cannot read the token from standard input: %s",
		    why);
		return -1;
	}
	diag_inputs_set(in, DIAG_IN_TOKEN, data, len, "stdin");
	free(data);
	return 0;
}

/* Host part of a site value ("https://Acme.atlassian.net/wiki" -> "acme.atlassian.net"). */
static char *
site_host(const char *site)
{
	const char *p, *e;
	char *h, *l;

	p = strstr(site, "://");
	p = p != NULL ? p + 3 : site;
	while (*p == ' ' || *p == '\t')
		p++;
	e = p;
	while (*e != '\0' && *e != '/' && *e != ':' && *e != '?' &&
	    !isspace((unsigned char)*e))
		e++;
	if (e == p)
		return NULL;
	h = diag_xstrndup(p, (size_t)(e - p));
	if (strchr(h, '.') == NULL) {
		l = diag_xasprintf("%s.atlassian.net", h);
		free(h);
		h = l;
	}
	l = diag_str_lower(h);
	free(h);
	return l;
}

/* Next netrc token (words separated by white space; quotes allowed). */
static char *
netrc_word(const char **pp)
{
	const char *p = *pp, *s;
	char *w;

	while (*p != '\0' && isspace((unsigned char)*p))
		p++;
	if (*p == '\0') {
		*pp = p;
		return NULL;
	}
	if (*p == '"') {
		s = ++p;
		while (*p != '\0' && *p != '"')
			p++;
		w = diag_xstrndup(s, (size_t)(p - s));
		if (*p == '"')
			p++;
	} else {
		s = p;
		while (*p != '\0' && !isspace((unsigned char)*p))
			p++;
		w = diag_xstrndup(s, (size_t)(p - s));
	}
	*pp = p;
	return w;
}

/*
 * Looks up host in a netrc file; on a match sets email (login) when absent
 * and the token (password). Quietly does nothing when there is no file.
 */
static void
from_netrc(struct diag_inputs *in, const char *path, const char *host,
    int explicit_file)
{
	const char *why = NULL, *p;
	char *data = NULL, *w, *login = NULL, *password = NULL, *src;
	size_t len;
	int in_machine = 0, matched = 0;

	if (diag_read_file(path, NETRC_MAX, &data, &len, &why) != 0) {
		if (explicit_file)
			diag_warnf("cannot read netrc file '%s': %s", path,
			    why);
		return;
	}
	p = data;
	while (!matched && (w = netrc_word(&p)) != NULL) {
		if (strcmp(w, "machine") == 0) {
			free(w);
			w = netrc_word(&p);
			if (in_machine && password != NULL)
				matched = 1;
			in_machine =
			    w != NULL && host != NULL && diag_str_ieq(w, host);
			if (!matched) {
				free(login);
				free(password);
				login = password = NULL;
			}
		} else if (strcmp(w, "default") == 0) {
			if (in_machine && password != NULL)
				matched = 1;
			in_machine = 0;
		} else if (in_machine && strcmp(w, "login") == 0) {
			free(login);
			login = netrc_word(&p);
		} else if (in_machine && strcmp(w, "password") == 0) {
			free(password);
			password = netrc_word(&p);
		}
		free(w);
	}
	if (in_machine && password != NULL)
		matched = 1;
	if (matched && password != NULL) {
		src = diag_xasprintf("netrc:%s", path);
		diag_inputs_set(in, DIAG_IN_TOKEN, password, strlen(password),
		    src);
		if (in->in[DIAG_IN_EMAIL].value == NULL && login != NULL)
			diag_inputs_set(in, DIAG_IN_EMAIL, login, strlen(login),
			    src);
		free(src);
	}
	free(login);
	free(password);
	free(data);
}

static const char *const products[] = { "jira", "confluence", NULL };

const char *
diag_product_known(const char *name)
{
	size_t i, len;

	if (name == NULL)
		return NULL;
	while (*name == ' ' || *name == '\t')
		name++;
	len = strlen(name);
	while (len > 0 &&
	    (name[len - 1] == ' ' || name[len - 1] == '\t' ||
		name[len - 1] == '\n' || name[len - 1] == '\r'))
		len--;
	for (i = 0; products[i] != NULL; i++)
		if (strlen(products[i]) == len &&
		    strncasecmp(products[i], name, len) == 0)
			return products[i];
	return NULL;
}

char *
diag_product_check(const char *name)
{
	const char *best = NULL;
	size_t i, d, best_d = (size_t)-1;
	char *shown, *msg, *hint = NULL;

	if (name == NULL || diag_product_known(name) != NULL)
		return NULL;
	for (i = 0; products[i] != NULL; i++) {
		d = diag_edit_distance(products[i], name);
		if (d < best_d) {
			best_d = d;
			best = products[i];
		}
	}
	shown = diag_str_printable(name, strlen(name), 40);
	if (best_d <= 2)
		hint = diag_xasprintf("; did you mean %s?", best);
	msg = diag_xasprintf("unknown product '%s' (known: jira, confluence%s)",
	    shown, hint != NULL ? hint : "");
	free(hint);
	free(shown);
	return msg;
}

/* An unknown product is a usage error; a known one is made canonical. */
static int
product_valid(struct diag_inputs *in)
{
	struct diag_input *p = &in->in[DIAG_IN_PRODUCT];
	const char *known;
	char *err, *src;

	if (p->value == NULL)
		return 0;
	if ((err = diag_product_check(p->value)) != NULL) {
		diag_errorf("%s: %s",
		    p->source != NULL && strncmp(p->source, "env:", 4) == 0 ?
			p->source + 4 :
			"--product",
		    err);
		free(err);
		return -1;
	}
	known = diag_product_known(p->value);
	if (strcmp(known, p->value) != 0) {
		src = diag_xstrdup(p->source);
		diag_inputs_set(in, DIAG_IN_PRODUCT, known, strlen(known), src);
		free(src);
	}
	return 0;
}

/* Loads the --env-file files into ef; 0, or -1 after the error. */
static int
load_env_files(struct diag_envfile *ef, const struct diag_input_flags *f)
{
	size_t i;

	for (i = 0; i < f->n_env_files; i++)
		if (diag_envfile_load(ef, f->env_files[i]) != 0)
			return -1;
	return 0;
}

int
diag_inputs_gather(struct diag_inputs *in, const struct diag_input_flags *f)
{
	struct diag_envfile envf;
	int rc;

	memset(&envf, 0, sizeof(envf));
	rc = load_env_files(&envf, f);
	if (rc == 0)
		rc = gather(in, f, f->no_env ? NULL : &envf);
	diag_envfile_release(&envf);
	return rc;
}

static int
gather(struct diag_inputs *in, const struct diag_input_flags *f,
    const struct diag_envfile *ef)
{
	const char *home;
	char *netrc = NULL, *host;
	int have;

	if (!from_flag(in, DIAG_IN_SITE, f->site, "--site") && !f->no_env)
		from_env(in, ef, DIAG_IN_SITE, env_site);
	if (!from_flag(in, DIAG_IN_CLOUD_ID, f->cloud_id, "--cloud-id") &&
	    !f->no_env)
		from_env(in, ef, DIAG_IN_CLOUD_ID, env_cloud_id);
	if (!from_flag(in, DIAG_IN_EMAIL, f->email, "--email") && !f->no_env)
		from_env(in, ef, DIAG_IN_EMAIL, env_email);
	if (!from_flag(in, DIAG_IN_PRODUCT, f->product, "--product") &&
	    !f->no_env)
		from_env(in, ef, DIAG_IN_PRODUCT, env_product);
	if (product_valid(in) != 0)
		return -1;
	from_flag(in, DIAG_IN_AUTH_HEADER, f->auth_header, "--auth-header");
	from_flag(in, DIAG_IN_URL, f->url, "--url");
	from_flag(in, DIAG_IN_METHOD, f->method, "method");

	/* The token: exactly one of --token-file, --token-stdin, --token. */
	have = (f->token_file != NULL) + (f->token_stdin != 0) +
	    (f->token != NULL);
	if (have > 1) {
		diag_errorf("give the token one way only: --token-file, "
			    "--token-stdin or --token");
		return -1;
	}
	if (f->token_file != NULL) {
		if (from_secret_file(in, DIAG_IN_TOKEN, f->token_file,
			"token") != 0)
			return -1;
	} else if (f->token_stdin) {
		if (from_stdin(in) != 0)
			return -1;
	} else if (f->token != NULL) {
		from_flag(in, DIAG_IN_TOKEN, f->token, "--token");
		in->token_on_cmdline = 1;
	} else if (!f->no_env && !f->no_ambient_token &&
	    !from_env(in, ef, DIAG_IN_TOKEN, env_token)) {
		host = in->in[DIAG_IN_SITE].value != NULL ?
		    site_host(in->in[DIAG_IN_SITE].value) :
		    NULL;
		if (f->netrc_file != NULL)
			netrc = diag_xstrdup(f->netrc_file);
		else if ((home = getenv("HOME")) != NULL && *home != '\0')
			netrc = diag_xasprintf("%s/.netrc", home);
		if (netrc != NULL && host != NULL)
			from_netrc(in, netrc, host, f->netrc_file != NULL);
		if (netrc != NULL && in->in[DIAG_IN_TOKEN].value == NULL &&
		    host != NULL && strcmp(host, "api.atlassian.com") != 0)
			from_netrc(in, netrc, "api.atlassian.com", 0);
		free(netrc);
		free(host);
	}

	if (f->org_key_file != NULL) {
		if (from_secret_file(in, DIAG_IN_ORG_KEY, f->org_key_file,
			"org key") != 0)
			return -1;
	} else if (!f->no_env)
		from_env(in, ef, DIAG_IN_ORG_KEY, env_org_key);

	if (in->in[DIAG_IN_EMAIL].value != NULL &&
	    in->in[DIAG_IN_TOKEN].value != NULL)
		diag_secret_register_pair(in->in[DIAG_IN_EMAIL].value,
		    in->in[DIAG_IN_TOKEN].value, in->in[DIAG_IN_TOKEN].len);
	return 0;
}

static int
tok_char(int c, int dot)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '=' ||
	    (dot && c == '.');
}

/*
 * Length of the secret-shaped run starting at s (at most len bytes), or 0:
 * a token prefix and 20+ token characters, or a JWT.
 */
static size_t
shape_run(const char *s, size_t len)
{
	static const char *const prefixes[] = { "ATATT", "ATSTT", "ATCTT",
		"ATBB", NULL };
	size_t i, n, dots = 0;
	int jwt;

	jwt = len >= 3 && memcmp(s, "eyJ", 3) == 0;
	for (i = 0; !jwt && prefixes[i] != NULL; i++)
		if (len >= strlen(prefixes[i]) &&
		    memcmp(s, prefixes[i], strlen(prefixes[i])) == 0)
			break;
	if (!jwt && prefixes[i] == NULL)
		return 0;
	for (n = 0; n < len && tok_char((unsigned char)s[n], jwt); n++)
		dots += s[n] == '.';
	while (jwt && n > 0 && s[n - 1] == '.') {
		n--;
		dots--;
	}
	if (n < 20 || (jwt && dots != 2))
		return 0;
	return n;
}

int
diag_secret_shaped(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (shape_run(s + i, len - i) > 0)
			return 1;
	return 0;
}

int
diag_secret_shaped_path(const char *path)
{
	size_t i, len = strlen(path);

	if (diag_secret_shaped(path, len))
		return 1;
	if (len < 32)
		return 0;
	for (i = 0; i < len; i++)
		if (!tok_char((unsigned char)path[i], 0))
			return 0;
	return access(path, F_OK) != 0;
}

size_t
diag_secret_register_shapes(const char *s, size_t len)
{
	size_t i, n, found = 0;

	for (i = 0; i < len; i++) {
		n = shape_run(s + i, len - i);
		if (n == 0)
			continue;
		diag_secret_register(s + i, n);
		found++;
		i += n - 1;
	}
	return found;
}

long
diag_ctl_offset(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] == 0x7f)
			return (long)i;
	return -1;
}
