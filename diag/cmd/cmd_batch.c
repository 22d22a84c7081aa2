/* diag/cmd/cmd_batch.c: `atldiag batch FILE`: a check per credential profile, one JSON report per line. */
#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "diag/cmd/commands.h"
#include "diag/cmd/evidence.h"
#include "diag/cmd/live_require.h"
#include "diag/cmd/step_summary.h"
#include "diag/report/report_batch.h"
#include "diag/engine/engine.h"
#include "diag/engine/check.h"
#include "diag/core/envfile.h"
#include "diag/core/hash.h"
#include "diag/core/progress.h"
#include "diag/report/report_util.h"
#include "diag/rules/permissions.h"
#include "diag/rules/scopes.h"
#include "diag/core/secret.h"

#define BATCH_RECORD_MAX (64 * 1024) /* one CSV record or JSONL line */
#define BATCH_SECRET_MAX (64 * 1024) /* a token or org key file */
#define BATCH_SITE_STARTS 50 /* profile starts per second per site */
#define BATCH_BACKOFF_MS 2000 /* pause of a site after a 429 */
#define BATCH_MAX_CONCURRENCY DIAG_MAX_CONCURRENCY /* commands.c */

/* One profile: a line of the input. Strings owned; NULL when absent. */
struct profile {
	unsigned line;
	char *name;
	char *site;
	char *email;
	char *cloud_id;
	char *product;
	char *project;
	char *issue;
	char *space;
	char *need_permission;
	char *token_file;
	char *token_env;
	char *token; /* inline, only with --allow-inline-secrets */
	char *org_key_file;
	char *client_id; /* a service account's OAuth client, with: */
	char *client_secret_file;
	char *expires;
	char *need_scope;
	char *error; /* this line cannot be run: why */
	char *site_key; /* lowercased host, for per-site bounds */
	time_t tripped; /* not run: the site's breaker is open until */
	struct profile *next;
};

/* The columns (CSV header names, JSONL keys). */
static const struct column {
	const char *name;
	size_t off;
} columns[] = {
	{ "client_id", offsetof(struct profile, client_id) },
	{ "client_secret_file", offsetof(struct profile, client_secret_file) },
	{ "cloud_id", offsetof(struct profile, cloud_id) },
	{ "email", offsetof(struct profile, email) },
	{ "expires", offsetof(struct profile, expires) },
	{ "issue", offsetof(struct profile, issue) },
	{ "name", offsetof(struct profile, name) },
	{ "need_permission", offsetof(struct profile, need_permission) },
	{ "need_scope", offsetof(struct profile, need_scope) },
	{ "org_key_file", offsetof(struct profile, org_key_file) },
	{ "product", offsetof(struct profile, product) },
	{ "project", offsetof(struct profile, project) },
	{ "site", offsetof(struct profile, site) },
	{ "space", offsetof(struct profile, space) },
	{ "token", offsetof(struct profile, token) },
	{ "token_env", offsetof(struct profile, token_env) },
	{ "token_file", offsetof(struct profile, token_file) },
};

/* A site with profiles in flight or a recent start (for the rate bound). */
struct site {
	char *key;
	int active;
	long long next_ms; /* no new start before */
	time_t open_until; /* breaker: not contacted before (0: closed) */
};

struct batch {
	/* set before the workers start, read-only afterwards */
	struct diag_cmd *c;
	const char *file;
	int concurrency;
	int per_site;
	int inline_ok;
	int progress;
	enum diag_format format; /* JSON lines, or one document at the end */
	struct json_object *base_options;
	struct diag_envfile envf; /* --env-file: token_env looks here first */
	struct diag_net_opts net;

	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct profile *head, *tail; /* pending, at most cap */
	size_t n_pending;
	size_t cap;
	int eof;
	struct site *sites;
	size_t n_sites;
	/* results */
	size_t n_read;
	size_t n_done;
	size_t counts[6]; /* pass warn fail inconclusive error other */
	enum diag_exit worst;
	int write_error;
	long long started_ms;
	time_t started_s;
	long long progress_ms;
	struct diag_batch_row **rows; /* for a document format */
	size_t n_rows;
	pthread_mutex_t out_lock;
	struct diag_evidence *evidence; /* --save-evidence, or NULL */
};

static const char *const verdicts[] = { "pass", "warn", "fail", "inconclusive",
	"error", "other" };

static void
profile_free(struct profile *p)
{
	size_t i;

	if (p == NULL)
		return;
	for (i = 0; i < DIAG_NELEM(columns); i++)
		free(*(char **)((char *)p + columns[i].off));
	free(p->error);
	free(p->site_key);
	free(p);
}

/* "acme.atlassian.net" from a site name or URL, lowercased. */
static char *
site_key(const char *site)
{
	const char *s = site, *e;
	char *k;
	size_t i;

	if (s == NULL)
		return diag_xstrdup("");
	while (isspace((unsigned char)*s))
		s++;
	if (strncasecmp(s, "https://", 8) == 0)
		s += 8;
	else if (strncasecmp(s, "http://", 7) == 0)
		s += 7;
	e = s + strcspn(s, "/?# \t\r\n");
	k = diag_xstrndup(s, (size_t)(e - s));
	for (i = 0; k[i] != '\0'; i++)
		k[i] = (char)tolower((unsigned char)k[i]);
	if (k[0] != '\0' && strchr(k, '.') == NULL) {
		char *full = diag_xasprintf("%s.atlassian.net", k);

		free(k);
		k = full;
	}
	return k;
}

/*
 * Reads one CSV record (RFC 4180: quoted fields with "" escapes and
 * embedded newlines). Returns the number of fields (>= 1), 0 at end of
 * input, -1 when the record is too long or a quote is unterminated (the
 * rest of the record is skipped). *lineno advances over the lines read.
 */
static int
csv_record(FILE *fp, char ***fields, unsigned *lineno)
{
	struct diag_buf f = DIAG_BUF_INIT;
	char **v = NULL;
	size_t n = 0, total = 0;
	int ch, quoted = 0, in_field = 0, any = 0, bad = 0;

	*fields = NULL;
	for (;;) {
		ch = getc(fp);
		if (ch == EOF) {
			if (quoted)
				bad = 1;
			break;
		}
		any = 1;
		if (++total > BATCH_RECORD_MAX)
			bad = 1;
		if (quoted) {
			if (ch == '"') {
				ch = getc(fp);
				if (ch == '"') {
					diag_buf_addc(&f, '"');
					continue;
				}
				quoted = 0;
				if (ch == EOF)
					break;
				ungetc(ch, fp);
				continue;
			}
			if (ch == '\n')
				(*lineno)++;
			if (!bad)
				diag_buf_addc(&f, (char)ch);
			continue;
		}
		if (ch == '"' && !in_field) {
			quoted = 1;
			in_field = 1;
			continue;
		}
		if (ch == ',') {
			v = diag_xrealloc(v, (n + 2) * sizeof(*v));
			v[n++] = diag_buf_detach(&f);
			in_field = 0;
			continue;
		}
		if (ch == '\n') {
			(*lineno)++;
			break;
		}
		if (ch == '\r')
			continue;
		in_field = 1;
		if (!bad)
			diag_buf_addc(&f, (char)ch);
	}
	if (!any) {
		diag_buf_release(&f);
		return 0;
	}
	v = diag_xrealloc(v, (n + 2) * sizeof(*v));
	v[n++] = diag_buf_detach(&f);
	v[n] = NULL;
	*fields = v;
	return bad ? -1 : (int)n;
}

static void
free_fields(char **v)
{
	size_t i;

	for (i = 0; v != NULL && v[i] != NULL; i++)
		free(v[i]);
	free(v);
}

/* Reads one line (at most BATCH_RECORD_MAX; longer: *too_long set and
 * the rest skipped). Returns NULL at end of input. */
static char *
read_line(FILE *fp, int *too_long)
{
	struct diag_buf b = DIAG_BUF_INIT;
	int ch, any = 0;

	*too_long = 0;
	while ((ch = getc(fp)) != EOF) {
		any = 1;
		if (ch == '\n')
			break;
		if (b.len >= BATCH_RECORD_MAX) {
			*too_long = 1;
			continue;
		}
		diag_buf_addc(&b, (char)ch);
	}
	if (!any)
		return NULL;
	return diag_buf_detach(&b);
}

/* The reader: one of these per format. */
struct reader {
	FILE *fp;
	int jsonl;
	unsigned lineno;
	int *colmap; /* CSV: field index -> columns[] index */
	size_t n_cols;
};

static int
column_index(const char *name)
{
	size_t i;

	for (i = 0; i < DIAG_NELEM(columns); i++)
		if (strcmp(columns[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* The columns' names, comma-separated (owned). */
static char *
column_names(void)
{
	struct diag_buf b = DIAG_BUF_INIT;
	size_t i;

	for (i = 0; i < DIAG_NELEM(columns); i++)
		diag_buf_addf(&b, "%s%s", i > 0 ? ", " : "", columns[i].name);
	return diag_buf_detach(&b);
}

/* Reads the CSV header; returns 0 or -1 after diag_errorf (exit 2). */
static int
csv_header(struct batch *b, struct reader *rd)
{
	char **v = NULL, *name, *known;
	int n, i, k, have_token = 0;

	do {
		free_fields(v);
		n = csv_record(rd->fp, &v, &rd->lineno);
	} while (n == 1 && v[0][0] == '\0');
	if (n <= 0) {
		diag_errorf("batch file '%s': %s", b->file,
		    n == 0 ? "empty: no header line" :
			     "unreadable header line");
		free_fields(v);
		return -1;
	}
	rd->colmap = diag_xcalloc((size_t)n, sizeof(int));
	rd->n_cols = (size_t)n;
	for (i = 0; i < n; i++) {
		name = v[i];
		while (isspace((unsigned char)*name))
			name++;
		name[strcspn(name, " \t")] = '\0';
		k = column_index(name);
		if (k < 0) {
			known = column_names();
			diag_errorf("batch file '%s': unknown column '%s' "
				    "(known: %s)",
			    b->file, name, known);
			free(known);
			free_fields(v);
			return -1;
		}
		if (strcmp(name, "token") == 0 && !b->inline_ok) {
			diag_errorf("batch file '%s': column 'token' holds "
				    "secrets in the file: give token_file or "
				    "token_env instead, or pass "
				    "--allow-inline-secrets",
			    b->file);
			free_fields(v);
			return -1;
		}
		if (strncmp(name, "token", 5) == 0 ||
		    strcmp(name, "client_id") == 0)
			have_token = 1;
		rd->colmap[i] = k;
	}
	free_fields(v);
	if (!have_token) {
		diag_errorf("batch file '%s': no token column: add token_file "
			    "or token_env (or client_id and "
			    "client_secret_file)",
		    b->file);
		return -1;
	}
	return 0;
}

static void
set_field(struct profile *p, int col, const char *value)
{
	char **f = (char **)((char *)p + columns[col].off);
	const char *s = value, *e;

	if (strcmp(columns[col].name, "token") == 0)
		s = value; /* as given: input.token judges whitespace */
	else
		while (isspace((unsigned char)*s))
			s++;
	e = s + strlen(s);
	if (strcmp(columns[col].name, "token") != 0)
		while (e > s && isspace((unsigned char)e[-1]))
			e--;
	free(*f);
	*f = e > s ? diag_xstrndup(s, (size_t)(e - s)) : NULL;
}

static struct profile *
csv_next(struct batch *b, struct reader *rd)
{
	struct profile *p;
	char **v;
	unsigned first;
	int n, i;

	(void)b;
	for (;;) {
		first = rd->lineno + 1;
		n = csv_record(rd->fp, &v, &rd->lineno);
		if (n == 0)
			return NULL;
		if (n == 1 && v[0][0] == '\0') {
			free_fields(v);
			continue;
		}
		break;
	}
	p = diag_xcalloc(1, sizeof(*p));
	p->line = first;
	if (n < 0)
		p->error = diag_xasprintf(
		    "line %u: record too long or unterminated quote", first);
	else if ((size_t)n != rd->n_cols)
		p->error =
		    diag_xasprintf("line %u: %d fields, the header has %zu",
			first, n, rd->n_cols);
	else
		for (i = 0; i < n; i++)
			set_field(p, rd->colmap[i], v[i]);
	free_fields(v);
	return p;
}

static struct profile *
jsonl_next(struct batch *b, struct reader *rd)
{
	struct profile *p;
	struct json_object *o;
	char *line, *s;
	int too_long, k;

	for (;;) {
		line = read_line(rd->fp, &too_long);
		if (line == NULL)
			return NULL;
		rd->lineno++;
		for (s = line; isspace((unsigned char)*s); s++)
			;
		if (*s != '\0' && *s != '#')
			break;
		free(line);
	}
	p = diag_xcalloc(1, sizeof(*p));
	p->line = rd->lineno;
	o = too_long ? NULL : json_tokener_parse(line);
	free(line);
	if (too_long) {
		p->error = diag_xasprintf("line %u: longer than %d bytes",
		    p->line, BATCH_RECORD_MAX);
		return p;
	}
	if (o == NULL || !json_object_is_type(o, json_type_object)) {
		p->error =
		    diag_xasprintf("line %u: not a JSON object", p->line);
		json_object_put(o);
		return p;
	}
	json_object_object_foreach(o, key, val) {
		k = column_index(key);
		if (k < 0) {
			p->error = diag_xasprintf("line %u: unknown key '%s'",
			    p->line, key);
			break;
		}
		if (strcmp(key, "token") == 0 && !b->inline_ok) {
			p->error = diag_xasprintf("line %u: key 'token' holds "
						  "a secret in the file: use "
						  "token_file or token_env, or "
						  "pass --allow-inline-secrets",
			    p->line);
			break;
		}
		if (val == NULL)
			continue;
		if (!json_object_is_type(val, json_type_string)) {
			p->error =
			    diag_xasprintf("line %u: '%s' must be a string",
				p->line, key);
			break;
		}
		set_field(p, k, json_object_get_string(val));
	}
	json_object_put(o);
	return p;
}

/* Finds or adds a site entry (lock held). */
static struct site *
site_get(struct batch *b, const char *key)
{
	size_t i;

	for (i = 0; i < b->n_sites; i++)
		if (strcmp(b->sites[i].key, key) == 0)
			return &b->sites[i];
	b->sites =
	    diag_xrealloc(b->sites, (b->n_sites + 1) * sizeof(*b->sites));
	memset(&b->sites[b->n_sites], 0, sizeof(b->sites[0]));
	b->sites[b->n_sites].key = diag_xstrdup(key);
	return &b->sites[b->n_sites++];
}

/* Forgets idle sites whose rate window has passed (lock held). */
static void
sites_prune(struct batch *b, long long now)
{
	size_t i = 0;

	while (i < b->n_sites) {
		if (b->sites[i].active == 0 && b->sites[i].next_ms <= now &&
		    b->sites[i].open_until <= time(NULL)) {
			free(b->sites[i].key);
			b->sites[i] = b->sites[--b->n_sites];
			continue;
		}
		i++;
	}
}

/*
 * Takes the first pending profile whose site has room (lock held).
 * Returns NULL and *wait_ms (how long until one may) when none can go.
 */
static struct profile *
take_eligible(struct batch *b, long long *wait_ms)
{
	struct profile *p, *prev = NULL;
	struct site *s;
	long long now = diag_now_ms(), w = 50;

	for (p = b->head; p != NULL; prev = p, p = p->next) {
		if (p->error != NULL)
			break; /* no network: goes at once */
		s = site_get(b, p->site_key);
		if (s->open_until > time(NULL)) {
			p->tripped = s->open_until; /* goes at once, unsent */
			break;
		}
		if (s->active < b->per_site && s->next_ms <= now) {
			s->active++;
			s->next_ms = now + 1000 / BATCH_SITE_STARTS;
			break;
		}
		if (s->active < b->per_site && s->next_ms - now < w)
			w = s->next_ms - now;
	}
	if (p == NULL) {
		*wait_ms = w > 0 ? w : 1;
		return NULL;
	}
	if (prev == NULL)
		b->head = p->next;
	else
		prev->next = p->next;
	if (b->tail == p)
		b->tail = prev;
	p->next = NULL;
	b->n_pending--;
	return p;
}

/*
 * Sets input id of in from a profile's secret file. Returns NULL, or an
 * error report naming the line and the file (you own it).
 */
static struct diag_report *
secret_from_file(struct diag_inputs *in, enum diag_input_id id,
    const struct profile *p, const char *path, const char *what)
{
	struct diag_report *rep;
	const char *why = NULL;
	char *data = NULL, *msg;
	size_t len;

	if (diag_secret_shaped_path(path)) {
		/* A token pasted in the file column: never quoted. */
		diag_secret_register(path, strlen(path));
		msg = diag_xasprintf("line %u: the %s file cell looks like a "
				     "token, not a file path; give the path of "
				     "a file holding it, or name an "
				     "environment variable in token_env",
		    p->line, what);
		rep = diag_report_error("check", DIAG_EXIT_USAGE, msg);
		free(msg);
		return rep;
	}
	if (diag_read_file(path, BATCH_SECRET_MAX, &data, &len, &why) != 0) {
		msg = diag_xasprintf("line %u: cannot read %s file '%s': %s",
		    p->line, what, path, why);
		rep = diag_report_error("check", DIAG_EXIT_USAGE, msg);
		free(msg);
		return rep;
	}
	msg = diag_xasprintf("file:%s", path);
	diag_inputs_set(in, id, data, len, msg);
	free(msg);
	free(data);
	return NULL;
}

/*
 * The report of a profile not run because its site's breaker is open: an
 * inconclusive service.rate_limited with the time to retry.
 */
static struct diag_report *
tripped_report(struct batch *b, struct profile *p)
{
	struct diag_report *rep;
	struct diag_finding *f;
	char when[32];

	rep = diag_report_new("check");
	f = diag_xcalloc(1, sizeof(*f));
	f->code = diag_xstrdup("service.rate_limited");
	f->dx = diag_rules_diagnosis(b->c->rules, f->code);
	f->check_id = diag_xstrdup("batch");
	f->status = DIAG_INCONCLUSIVE;
	f->confidence = DIAG_CONFIRMED;
	f->retry_at = p->tripped;
	diag__format_time(p->tripped, when, sizeof(when));
	f->detail =
	    diag_xasprintf("Not checked: %s answered an earlier profile of "
			   "this batch with 429 and a Retry-After beyond the "
			   "run's deadline (%ld s), so atldiag stopped "
			   "contacting it. Retry after %s.",
		p->site_key, b->net.deadline_s, when);
	diag_finding_step(f,
	    "Run these profiles again after %s (for example with the rows of "
	    "the batch file whose verdict is inconclusive).",
	    when);
	rep->findings = diag_xcalloc(1, sizeof(*rep->findings));
	rep->findings[rep->n_findings++] = f;
	diag_report_finish(rep, b->c->opts->strict);
	return rep;
}

/*
 * What is wrong with p's OAuth client cells (client_id and
 * client_secret_file go together, instead of a token, and the secret
 * file must be readable): the message (owned), or NULL.
 */
static char *
client_error(const struct profile *p)
{
	const char *tok, *why = NULL;
	int fd;

	if (p->client_id == NULL && p->client_secret_file == NULL)
		return NULL;
	if (p->client_id == NULL)
		return diag_xasprintf("line %u: client_secret_file goes with "
				      "client_id",
		    p->line);
	if (p->client_secret_file == NULL)
		return diag_xasprintf("line %u: client_id needs "
				      "client_secret_file, the path of a file "
				      "holding the client secret",
		    p->line);
	tok = NULL;
	if (p->token_file != NULL)
		tok = "token_file";
	else if (p->token_env != NULL)
		tok = "token_env";
	else if (p->token != NULL)
		tok = "token";
	if (tok != NULL)
		return diag_xasprintf("line %u: client_id fetches its own "
				      "token, so %s would not be used: give "
				      "one of the two",
		    p->line, tok);
	if (diag_secret_shaped_path(p->client_secret_file)) {
		diag_secret_register(p->client_secret_file,
		    strlen(p->client_secret_file));
		return diag_xasprintf("line %u: the client_secret_file cell "
				      "looks like a secret, not a file path; "
				      "give the path of a file holding it",
		    p->line);
	}
	/* Readable: the check reads it, once. */
	if ((fd = diag_file_open(p->client_secret_file, BATCH_SECRET_MAX,
		 &why)) < 0)
		return diag_xasprintf("line %u: cannot read client secret file "
				      "'%s': %s",
		    p->line, p->client_secret_file, why);
	close(fd);
	return NULL;
}

/*
 * A cell of p that check would refuse as a usage error (an unknown scope
 * or permission, a date that is not one, a control character where it
 * would reach a request): the message naming line and column (owned), or
 * NULL when every cell can be used.
 */
static char *
cell_error(const struct profile *p)
{
	static const char *const sent[] = { "site", "email", "cloud_id",
		"product", "project", "issue", "space", "need_scope",
		"need_permission", "client_id" };
	const char *v;
	char *err = NULL, *msg;
	size_t i;

	for (i = 0; i < DIAG_NELEM(sent); i++) {
		v = *(char **)((const char *)p +
		    columns[column_index(sent[i])].off);
		if (v != NULL && diag_ctl_offset(v, strlen(v)) >= 0)
			return diag_xasprintf("line %u, column %s: holds a "
					      "control character; it would "
					      "become part of an HTTP request",
			    p->line, sent[i]);
	}
	if (p->need_scope != NULL &&
	    (err = diag_scopes_check_names(diag_scopes_default(),
		 p->need_scope)) != NULL) {
		msg = diag_xasprintf("line %u, column need_scope: %s", p->line,
		    err);
		free(err);
		return msg;
	}
	if (p->need_permission != NULL &&
	    diag_perms_check_names(diag_perms_default(), p->need_permission,
		&err) != 0) {
		msg = diag_xasprintf("line %u, column need_permission: %s",
		    p->line, err);
		free(err);
		return msg;
	}
	if ((msg = client_error(p)) != NULL)
		return msg;
	if (p->expires != NULL && !diag_str_is_date(p->expires))
		return diag_xasprintf("line %u, column expires: needs a date, "
				      "YYYY-MM-DD (or RFC 3339), not '%s'",
		    p->line, p->expires);
	return NULL;
}

/* Sets option key of opts to the row's value, or, for a list option the
 * batch was also given (--need-scope, --need-permission), to both. */
static void
add_option(struct json_object *opts, const char *key, const char *v, int list)
{
	struct json_object *cur;
	char *both;

	if (v == NULL)
		return;
	if (list && json_object_object_get_ex(opts, key, &cur)) {
		both = diag_xasprintf("%s,%s", json_object_get_string(cur), v);
		json_object_object_add(opts, key, json_object_new_string(both));
		free(both);
		return;
	}
	json_object_object_add(opts, key, json_object_new_string(v));
}

/* The options of check for profile p: the batch's, then the row's
 * columns (owned). */
static struct json_object *
profile_check_options(struct batch *b, const struct profile *p)
{
	struct json_object *opts = NULL;

	if (json_object_deep_copy(b->base_options, &opts, NULL) != 0)
		abort(); /* only on out of memory (H8) */
	add_option(opts, "project", p->project, 0);
	add_option(opts, "issue", p->issue, 0);
	add_option(opts, "space", p->space, 0);
	add_option(opts, "expires", p->expires, 0);
	add_option(opts, "need-scope", p->need_scope, 1);
	add_option(opts, "need-permission", p->need_permission, 1);
	add_option(opts, "client-id", p->client_id, 0);
	add_option(opts, "client-secret-file", p->client_secret_file, 0);
	return opts;
}

/*
 * The report refusing profile p before it runs (a bad row, a tripped breaker),
 * or NULL.
 */
static struct diag_report *
profile_refusal(struct batch *b, struct profile *p)
{
	struct diag_report *rep;
	char *src, *msg;

	if (p->error != NULL)
		return diag_report_error("check", DIAG_EXIT_USAGE, p->error);
	if (p->tripped != 0)
		return tripped_report(b, p);
	if ((msg = cell_error(p)) != NULL) {
		rep = diag_report_error("check", DIAG_EXIT_USAGE, msg);
		free(msg);
		return rep;
	}
	if ((src = diag_product_check(p->product)) != NULL) {
		msg =
		    diag_xasprintf("line %u, column product: %s", p->line, src);
		rep = diag_report_error("check", DIAG_EXIT_USAGE, msg);
		free(msg);
		free(src);
		return rep;
	}
	return NULL;
}

/*
 * The token named by the row's token_env cell (--env-file first, then the
 * environment).
 */
static void
token_from_env(struct batch *b, const struct profile *p, struct diag_inputs *in)
{
	const char *env, *file = NULL;
	char *msg;

	env = diag_envfile_get(&b->envf, p->token_env, &file);
	if (env == NULL || *env == '\0') {
		env = getenv(p->token_env);
		file = NULL;
	}
	if (env != NULL && *env != '\0') {
		msg = file != NULL ?
		    diag_xasprintf("env-file:%s:%s", file, p->token_env) :
		    diag_xasprintf("env:%s", p->token_env);
		diag_inputs_set(in, DIAG_IN_TOKEN, env, strlen(env), msg);
		free(msg);
	} else if (diag_secret_shaped(p->token_env, strlen(p->token_env))) {
		/* The token itself instead of a variable's name. */
		diag_secret_register(p->token_env, strlen(p->token_env));
		diag_inputs_remark(in, DIAG_IN_TOKEN, "input.token_missing",
		    "the token_env cell on line %u of the batch file looks "
		    "like a token, not the name of an environment variable",
		    p->line);
	} else
		diag_inputs_remark(in, DIAG_IN_TOKEN, "input.token_missing",
		    "environment variable '%s' named on line %u of the batch "
		    "file is %s",
		    p->token_env, p->line, env == NULL ? "not set" : "empty");
}

/*
 * The inputs of profile p (its cells, with src as their source); a
 * report when a secret file cannot be read, else NULL.
 */
static struct diag_report *
profile_inputs(struct batch *b, struct profile *p, struct diag_inputs *in,
    const char *src)
{
	struct diag_report *rep;

	if (p->site != NULL)
		diag_inputs_set(in, DIAG_IN_SITE, p->site, strlen(p->site),
		    src);
	if (p->email != NULL)
		diag_inputs_set(in, DIAG_IN_EMAIL, p->email, strlen(p->email),
		    src);
	if (p->cloud_id != NULL)
		diag_inputs_set(in, DIAG_IN_CLOUD_ID, p->cloud_id,
		    strlen(p->cloud_id), src);
	diag_inputs_set(in, DIAG_IN_PRODUCT,
	    p->product != NULL ? p->product : "jira",
	    strlen(p->product != NULL ? p->product : "jira"),
	    p->product != NULL ? src : "default");
	if (p->token_file != NULL) {
		rep = secret_from_file(in, DIAG_IN_TOKEN, p, p->token_file,
		    "token");
		if (rep != NULL)
			return rep;
	} else if (p->token_env != NULL)
		token_from_env(b, p, in);
	else if (p->token != NULL)
		diag_inputs_set(in, DIAG_IN_TOKEN, p->token, strlen(p->token),
		    src);
	if (p->org_key_file != NULL) {
		rep = secret_from_file(in, DIAG_IN_ORG_KEY, p, p->org_key_file,
		    "org key");
		if (rep != NULL)
			return rep;
	}
	if (in->in[DIAG_IN_EMAIL].value != NULL &&
	    in->in[DIAG_IN_TOKEN].value != NULL)
		diag_secret_register_pair(in->in[DIAG_IN_EMAIL].value,
		    in->in[DIAG_IN_TOKEN].value, in->in[DIAG_IN_TOKEN].len);
	return NULL;
}

/* The report of one profile (runs the check; never NULL). */
static struct diag_report *
run_profile(struct batch *b, struct profile *p)
{
	struct diag_inputs in;
	struct diag_engine_opts eo;
	struct diag_evidence_run *run;
	struct diag_report *rep;
	struct json_object *opts;
	char *src, *msg;

	if ((rep = profile_refusal(b, p)) != NULL)
		return rep;
	diag_inputs_init(&in);
	src = diag_xasprintf("batch:line %u", p->line);
	if ((rep = profile_inputs(b, p, &in, src)) != NULL)
		goto out;
	opts = profile_check_options(b, p);
	/* scope-probes from need_scope and --calls, as check does. The
	 * --calls file was read once before any profile ran; failing now
	 * means it changed since. */
	if (diag__live_prepare(b->c->rules, &in, opts) != 0) {
		msg = diag_xasprintf(
		    "line %u: the --calls file could not be planned", p->line);
		rep = diag_report_error("check", DIAG_EXIT_USAGE, msg);
		free(msg);
		json_object_put(opts);
		goto out;
	}
	memset(&eo, 0, sizeof(eo));
	eo.command = b->c->command->plan; /* "check", per credential */
	eo.rules = b->c->rules;
	eo.inputs = &in;
	eo.options = opts;
	eo.net = &b->net;
	run = diag_evidence_run_new(b->evidence, &eo, p->line,
	    p->name != NULL ? p->name : p->site);
	rep = diag_report_new("check");
	if (diag_engine_run(&eo, rep) != 0)
		rep->exit_code = DIAG_EXIT_INTERNAL;
	diag__live_requirements(rep, b->c->rules, opts, NULL, NULL);
	diag_report_finish(rep, b->c->opts->strict);
	if (rep->error != NULL)
		rep->exit_code = DIAG_EXIT_INTERNAL;
	/* Scrubbed here, while this thread knows the profile's secrets. */
	diag_evidence_run_end(run, rep, opts);
	json_object_put(opts);
out:
	free(src);
	diag_inputs_release(&in);
	return rep;
}

/* DESIGN §3 codes ranked: 4 internal > 2 usage > 1 fail > 3 inconclusive > 0. */
static int
exit_rank(enum diag_exit code)
{
	switch (code) {
	case DIAG_EXIT_OK:
		return 0;
	case DIAG_EXIT_INCONCLUSIVE:
		return 1;
	case DIAG_EXIT_FAIL:
		return 2;
	case DIAG_EXIT_USAGE:
		return 3;
	default:
		return 4;
	}
}

static int
has_code(const struct diag_report *rep, const char *code)
{
	size_t i;

	for (i = 0; i < rep->n_findings; i++)
		if (strcmp(rep->findings[i]->code, code) == 0)
			return 1;
	return 0;
}

/* The latest retry_at of the report's 429 findings, or 0. */
static time_t
rate_limited_until(const struct diag_report *rep)
{
	time_t t = 0;
	size_t i;

	for (i = 0; i < rep->n_findings; i++)
		if (strcmp(rep->findings[i]->code, "service.rate_limited") ==
			0 &&
		    rep->findings[i]->retry_at > t)
			t = rep->findings[i]->retry_at;
	return t;
}

/*
 * After a profile of site s (lock held): a 429 pauses the site; one whose
 * Retry-After lies beyond the run's deadline opens its breaker: the site
 * is not contacted again before then, its remaining profiles are
 * reported inconclusive with that time (tripped_report()).
 */
static void
site_after(struct batch *b, struct site *s, const struct diag_report *rep)
{
	time_t until = rate_limited_until(rep);

	if (has_code(rep, "service.rate_limited") &&
	    s->next_ms < diag_now_ms() + BATCH_BACKOFF_MS)
		s->next_ms = diag_now_ms() + BATCH_BACKOFF_MS;
	if (until > time(NULL) + b->net.deadline_s && until > s->open_until)
		s->open_until = until;
}

/*
 * The progress bar on a terminal's stderr (lock held): done/total (the
 * total is known once the whole file is read: "40+" before), rate, ETA,
 * and how many profiles failed or could not be run so far.
 */
static void
progress_line(struct batch *b)
{
	char bar[31], total[32], eta[32];
	long long el = diag_now_ms() - b->started_ms;
	double rate = el > 0 ? (double)b->n_done * 1000.0 / (double)el : 0.0;
	size_t width = sizeof(bar) - 1, fill, bad;

	fill = b->n_read > 0 ? width * b->n_done / b->n_read : 0;
	memset(bar, '#', fill);
	memset(bar + fill, '.', width - fill);
	bar[width] = '\0';
	snprintf(total, sizeof(total), "%zu%s", b->n_read, b->eof ? "" : "+");
	if (b->eof && rate > 0.0)
		snprintf(eta, sizeof(eta), "ETA %.0fs",
		    (double)(b->n_read - b->n_done) / rate);
	else
		snprintf(eta, sizeof(eta), "ETA ?");
	bad = b->counts[2] + b->counts[4];
	diag_progress_show("[%s] %zu/%s  %.1f/s  %s  %zu failed", bar,
	    b->n_done, total, rate, eta, bad);
}

/* Index of a verdict word in verdicts[] ("other" for an unknown one). */
static size_t
verdict_index(const char *verdict)
{
	size_t i;

	for (i = 0; i < DIAG_NELEM(verdicts) - 1; i++)
		if (strcmp(verdicts[i], verdict) == 0)
			break;
	return i;
}

/* After a profile's report was written or kept (takes the lock). */
static void
count_profile(struct batch *b, const struct diag_report *rep, size_t vi,
    int bad)
{
	pthread_mutex_lock(&b->lock);
	b->counts[vi]++;
	b->n_done++;
	if (bad)
		b->write_error = 1;
	if (exit_rank(rep->exit_code) > exit_rank(b->worst))
		b->worst = rep->exit_code;
	if (b->progress && diag_now_ms() - b->progress_ms >= 100) {
		b->progress_ms = diag_now_ms();
		progress_line(b);
	}
	pthread_mutex_unlock(&b->lock);
}

/* Keeps what a document format needs of a profile's report (scrubbed
 * here, in the thread that knows the profile's secrets). */
static void
keep_profile(struct batch *b, struct profile *p, struct diag_report *rep,
    long ms)
{
	struct diag_batch_row *row;

	row = diag_batch_row_new(rep, p->line, p->name, p->site, p->email, ms);
	pthread_mutex_lock(&b->out_lock);
	b->rows = diag_xrealloc(b->rows, (b->n_rows + 1) * sizeof(*b->rows));
	b->rows[b->n_rows++] = row;
	pthread_mutex_unlock(&b->out_lock);
	count_profile(b, rep, verdict_index(row->verdict), 0);
}

/* A profile's name in a JSON line: its name, else its site, else "". */
static const char *
profile_name(const struct profile *p)
{
	if (p->name != NULL)
		return p->name;
	return p->site != NULL ? p->site : "";
}

static void
emit_profile(struct batch *b, struct profile *p, struct diag_report *rep,
    long ms)
{
	struct json_object *doc, *prof, *v;
	const char *verdict = "other";
	char *clean, *text;
	size_t n, i;
	int bad;

	if (b->format != DIAG_FORMAT_JSON) {
		keep_profile(b, p, rep, ms);
		return;
	}
	if (rep->extra == NULL)
		rep->extra = json_object_new_object();
	prof = json_object_new_object();
	json_object_object_add(prof, "line", json_object_new_int((int)p->line));
	json_object_object_add(prof, "name",
	    json_object_new_string(profile_name(p)));
	if (p->site != NULL)
		json_object_object_add(prof, "site",
		    json_object_new_string(p->site));
	if (p->email != NULL)
		json_object_object_add(prof, "email",
		    json_object_new_string(p->email));
	json_object_object_add(rep->extra, "profile", prof);
	doc = diag_report_json(rep);
	text = diag_report_json_text(doc, JSON_C_TO_STRING_PLAIN);
	clean = diag_secret_scrub(text, strlen(text) - 1, &n);
	free(text);
	if (json_object_object_get_ex(doc, "verdict", &v))
		verdict = json_object_get_string(v);
	i = verdict_index(verdict);
	pthread_mutex_lock(&b->out_lock);
	bad = diag_write_all(STDOUT_FILENO, clean, n) != 0 ||
	    diag_write_all(STDOUT_FILENO, "\n", 1) != 0;
	pthread_mutex_unlock(&b->out_lock);
	free(clean);
	json_object_put(doc);
	count_profile(b, rep, i, bad);
}

static void *
worker(void *arg)
{
	struct batch *b = arg;
	struct profile *p;
	struct diag_report *rep;
	struct site *s;
	struct timespec ts;
	long long wait_ms, t0;

	for (;;) {
		pthread_mutex_lock(&b->lock);
		for (;;) {
			p = take_eligible(b, &wait_ms);
			if (p != NULL || (b->eof && b->head == NULL))
				break;
			if (b->head == NULL) {
				pthread_cond_wait(&b->cond, &b->lock);
				continue;
			}
			clock_gettime(CLOCK_REALTIME, &ts);
			ts.tv_nsec += (long)(wait_ms % 1000) * 1000000L;
			ts.tv_sec +=
			    (time_t)(wait_ms / 1000) + ts.tv_nsec / 1000000000L;
			ts.tv_nsec %= 1000000000L;
			pthread_cond_timedwait(&b->cond, &b->lock, &ts);
		}
		pthread_cond_broadcast(&b->cond); /* the reader may go on */
		pthread_mutex_unlock(&b->lock);
		if (p == NULL)
			break;
		t0 = diag_now_ms();
		rep = run_profile(b, p);
		emit_profile(b, p, rep, (long)(diag_now_ms() - t0));
		pthread_mutex_lock(&b->lock);
		if (p->error == NULL && p->tripped == 0) {
			s = site_get(b, p->site_key);
			s->active--;
			site_after(b, s, rep);
		}
		sites_prune(b, diag_now_ms());
		pthread_cond_broadcast(&b->cond);
		pthread_mutex_unlock(&b->lock);
		diag_report_free(rep);
		profile_free(p);
		diag_secret_reset(); /* this thread's secrets only */
	}
	return NULL;
}

/* Picks the format: --input-format, the file name, or the first byte. */
static int
pick_format(struct diag_cmd *c, struct reader *rd, const char *file)
{
	struct json_object *v;
	const char *f = NULL;
	int ch;

	if (json_object_object_get_ex(c->opts->options, "input-format", &v))
		f = json_object_get_string(v);
	if (f != NULL) {
		if (strcmp(f, "csv") == 0)
			rd->jsonl = 0;
		else if (strcmp(f, "jsonl") == 0 || strcmp(f, "json") == 0)
			rd->jsonl = 1;
		else {
			diag_errorf(
			    "unknown input format '%s': use csv or jsonl", f);
			return -1;
		}
		return 0;
	}
	if (diag_str_has_suffix(file, ".jsonl") ||
	    diag_str_has_suffix(file, ".ndjson")) {
		rd->jsonl = 1;
		return 0;
	}
	if (diag_str_has_suffix(file, ".csv"))
		return 0;
	while ((ch = getc(rd->fp)) != EOF && isspace((unsigned char)ch))
		if (ch == '\n')
			rd->lineno++;
	if (ch != EOF)
		ungetc(ch, rd->fp);
	rd->jsonl = ch == '{';
	return 0;
}

static int
row_cmp(const void *a, const void *b)
{
	const struct diag_batch_row *x = *(struct diag_batch_row *const *)a;
	const struct diag_batch_row *y = *(struct diag_batch_row *const *)b;

	return x->line < y->line ? -1 : x->line > y->line;
}

/*
 * Writes the batch as one document (--format junit, github, markdown),
 * profiles in file order; with github, also the Markdown table to
 * $GITHUB_STEP_SUMMARY. Returns 0, or -1 when stdout cannot be written.
 */
static int
write_document(struct batch *b)
{
	struct diag_batch_totals t;
	char *text, *clean;
	size_t n;
	int rc;

	qsort(b->rows, b->n_rows, sizeof(*b->rows), row_cmp);
	memset(&t, 0, sizeof(t));
	t.file = b->file;
	memcpy(t.counts, b->counts, sizeof(t.counts));
	t.exit_code = b->worst;
	t.ms = diag_now_ms() - b->started_ms;
	t.started = b->started_s;
	t.strict = b->c->opts->strict;
	text = diag_batch_render(b->rows, b->n_rows, &t, b->format);
	clean = diag_secret_scrub(text, strlen(text), &n);
	rc = diag_write_all(STDOUT_FILENO, clean, n);
	free(clean);
	free(text);
	if (b->format == DIAG_FORMAT_GITHUB) {
		text = diag_batch_render(b->rows, b->n_rows, &t,
		    DIAG_FORMAT_MARKDOWN);
		(void)diag_step_summary_append(text);
		free(text);
	}
	return rc;
}

/* Options given to batch that are not passed on to each check. */
static struct json_object *
profile_options(struct json_object *all)
{
	static const char *const own[] = { "concurrency", "per-site",
		"allow-inline-secrets", "input-format" };
	struct json_object *o;
	size_t i;

	o = json_object_new_object();
	json_object_object_foreach(all, key, val) {
		for (i = 0; i < DIAG_NELEM(own); i++)
			if (strcmp(key, own[i]) == 0)
				break;
		if (i == DIAG_NELEM(own))
			json_object_object_add(o, key, json_object_get(val));
	}
	return o;
}

/*
 * Usage errors found before the file is opened: arguments, --output, a
 * bad --need-scope or --need-permission name, a --calls file that cannot
 * be planned. Returns 0, or DIAG_EXIT_USAGE after saying why.
 */
static int
batch_refusal(struct diag_cmd *c)
{
	struct json_object *ns;
	char *needed = NULL;

	if (c->opts->n_args != 1) {
		diag_errorf("batch needs one FILE of profiles (CSV or JSONL, "
			    "'-' for standard input)");
		return DIAG_EXIT_USAGE;
	}
	if (c->opts->output != NULL) {
		diag_errorf("batch writes to standard output: redirect it "
			    "instead of --output");
		return DIAG_EXIT_USAGE;
	}
	if (json_object_object_get_ex(c->opts->options, "need-scope", &ns)) {
		diag_scopes_set_default(diag_rules_scopes(c->rules));
		needed = diag_scopes_check_names(diag_scopes_default(),
		    json_object_get_string(ns));
		if (needed != NULL) {
			diag_errorf("--need-scope: %s", needed);
			free(needed);
			return DIAG_EXIT_USAGE;
		}
	}
	if (json_object_object_get_ex(c->opts->options, "need-permission",
		&ns) &&
	    diag_perms_check_names(diag_perms_default(),
		json_object_get_string(ns), &needed) != 0) {
		diag_errorf("--need-permission: %s", needed);
		free(needed);
		return DIAG_EXIT_USAGE;
	}
	if (diag_scopes_calls_option(c->rules, c->opts->options, &needed) != 0)
		return DIAG_EXIT_USAGE;
	free(needed);
	return 0;
}

/* The batch's settings from the command line (before the workers start). */
static void
batch_settings(struct batch *b, struct diag_cmd *c)
{
	/* Within 1..BATCH_MAX_CONCURRENCY: the option catalogue's limits. */
	b->concurrency = (int)diag_opts_number(c->opts, "concurrency", 4);
	b->per_site = (int)diag_opts_number(c->opts, "per-site", 2);
	b->c = c;
	b->file = c->opts->args[0];
	/* JSON lines unless a document format was asked for. */
	b->format = c->opts->format;
	if (b->format == DIAG_FORMAT_TEXT)
		b->format = DIAG_FORMAT_JSON;
	b->inline_ok = json_object_object_get_ex(c->opts->options,
	    "allow-inline-secrets", NULL);
	b->progress = diag_progress_wanted(c->opts->quiet);
	diag_progress_enable(b->progress, 0); /* the bar, not each probe */
	b->net = c->opts->net;
	if (b->net.max_parallel == 0)
		b->net.max_parallel = 4;
	if (b->net.deadline_s == 0) /* as the engine's default */
		b->net.deadline_s =
		    2 * (b->net.timeout_s > 0 ? b->net.timeout_s : 15) + 10;
}

/*
 * Reads every profile and queues it for the workers (at most cap pending),
 * then says EOF.
 */
static void
feed_profiles(struct batch *b, struct reader *rd)
{
	struct profile *p;

	for (;;) {
		p = rd->jsonl ? jsonl_next(b, rd) : csv_next(b, rd);
		if (p == NULL)
			break;
		p->site_key = site_key(p->site);
		pthread_mutex_lock(&b->lock);
		while (b->n_pending >= b->cap)
			pthread_cond_wait(&b->cond, &b->lock);
		if (b->tail != NULL)
			b->tail->next = p;
		else
			b->head = p;
		b->tail = p;
		b->n_pending++;
		b->n_read++;
		pthread_cond_broadcast(&b->cond);
		pthread_mutex_unlock(&b->lock);
	}
	pthread_mutex_lock(&b->lock);
	b->eof = 1;
	pthread_cond_broadcast(&b->cond);
	pthread_mutex_unlock(&b->lock);
}

/*
 * The summary on standard error: profiles, rate and the count of each verdict.
 */
static void
print_summary(const struct batch *b)
{
	long long el = diag_now_ms() - b->started_ms;
	size_t i;

	fprintf(stderr,
	    "atldiag batch: %zu profiles in %.1f s (%.1f/s, concurrency %d, %d "
	    "per site)\n",
	    b->n_done, (double)el / 1000.0,
	    el > 0 ? (double)b->n_done * 1000.0 / (double)el : 0.0,
	    b->concurrency, b->per_site);
	fprintf(stderr, "  %-13s %s\n", "verdict", "profiles");
	for (i = 0; i < DIAG_NELEM(verdicts); i++)
		if (b->counts[i] > 0 || i < 5)
			fprintf(stderr, "  %-13s %zu\n", verdicts[i],
			    b->counts[i]);
}

/* Frees what the batch and its reader hold and closes the file. */
static void
batch_release(struct batch *b, struct reader *rd)
{
	struct profile *p;
	size_t i;

	while (b->head != NULL) {
		p = b->head;
		b->head = p->next;
		profile_free(p);
	}
	for (i = 0; i < b->n_sites; i++)
		free(b->sites[i].key);
	free(b->sites);
	for (i = 0; i < b->n_rows; i++)
		diag_batch_row_free(b->rows[i]);
	free(b->rows);
	free(rd->colmap);
	diag_envfile_release(&b->envf);
	diag_evidence_free(b->evidence);
	json_object_put(b->base_options);
	if (rd->fp != NULL && rd->fp != stdin)
		fclose(rd->fp);
}

enum diag_exit
diag_cmd_batch(struct diag_cmd *c)
{
	struct batch b;
	struct reader rd;
	pthread_t th[BATCH_MAX_CONCURRENCY];
	size_t i, started = 0;
	int rc = DIAG_EXIT_USAGE, usage;

	memset(&b, 0, sizeof(b));
	memset(&rd, 0, sizeof(rd));
	if (batch_refusal(c) != 0)
		return DIAG_EXIT_USAGE;
	batch_settings(&b, c);
	for (i = 0; i < c->opts->in.n_env_files; i++)
		if (diag_envfile_load(&b.envf, c->opts->in.env_files[i]) != 0)
			goto out;
	rd.fp = strcmp(b.file, "-") == 0 ? stdin : fopen(b.file, "r");
	if (rd.fp == NULL) {
		diag_errorf("cannot read batch file '%s': %s", b.file,
		    strerror(errno));
		return DIAG_EXIT_USAGE;
	}
	if (pick_format(c, &rd, b.file) != 0)
		goto out;
	if (!rd.jsonl && csv_header(&b, &rd) != 0)
		goto out;
	/* One bundle for the whole batch, each entry tagged with its
	 * profile (its _atldiag.profile: line and name). */
	b.evidence = diag_evidence_new(c->opts, &usage);
	if (usage)
		goto out;
	/* Shared state the workers must find ready. */
	(void)diag_crc32("", 0);
	(void)diag_scopes_default();
	(void)diag_perms_default();
	b.base_options = profile_options(c->opts->options);
	b.cap = (size_t)b.concurrency * 4;
	b.worst = DIAG_EXIT_OK;
	b.started_ms = diag_now_ms();
	b.started_s = time(NULL);
	pthread_mutex_init(&b.lock, NULL);
	pthread_mutex_init(&b.out_lock, NULL);
	pthread_cond_init(&b.cond, NULL);
	for (i = 0; i < (size_t)b.concurrency; i++) {
		if (pthread_create(&th[i], NULL, worker, &b) != 0)
			break;
		started++;
	}
	if (started == 0) {
		diag_errorf("cannot start worker threads");
		rc = DIAG_EXIT_INTERNAL;
		goto out_sync;
	}
	feed_profiles(&b, &rd);
	for (i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	if (ferror(rd.fp)) {
		diag_errorf("error reading batch file '%s'", b.file);
		if (exit_rank(DIAG_EXIT_USAGE) > exit_rank(b.worst))
			b.worst = DIAG_EXIT_USAGE;
	}
	diag_progress_clear();
	if (!c->opts->quiet)
		print_summary(&b);
	if (b.n_done == 0 && b.worst == DIAG_EXIT_OK) {
		diag_errorf("batch file '%s' holds no profiles", b.file);
		b.worst = DIAG_EXIT_USAGE;
	}
	if (b.format != DIAG_FORMAT_JSON && write_document(&b) != 0)
		b.write_error = 1;
	if (b.n_done > 0 &&
	    diag_evidence_write(b.evidence, "batch", b.worst) != 0)
		b.write_error = 1;
	c->wrote_output = b.n_done > 0 || b.format != DIAG_FORMAT_JSON;
	rc = b.write_error ? DIAG_EXIT_USAGE : b.worst;
out_sync:
	pthread_cond_destroy(&b.cond);
	pthread_mutex_destroy(&b.out_lock);
	pthread_mutex_destroy(&b.lock);
out:
	batch_release(&b, &rd);
	return rc;
}
