/* diag/cmd/cmd_explain.c: `atldiag explain FILE|-`: explain a captured exchange offline, no network at all. */
#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag/cmd/commands.h"
#include "diag/cmd/explain_replay.h"
#include "diag/engine/check.h"
#include "diag/engine/engine.h"
#include "diag/core/hash.h"
#include "diag/transcript/transcript.h"
#include "diag/core/url.h"

/* Largest transcript read (a browser HAR can be big; DESIGN §10). */
#define EXPLAIN_MAX_INPUT ((size_t)1 << 30)

/* Failures with the same key are one finding "seen N times". */
struct group {
	char *key;
	unsigned count;
	unsigned first_entry;
	unsigned last_entry;
	size_t first_finding; /* index in the report */
	size_t n_findings;
};

struct explain {
	struct diag_cmd *c;
	struct diag_report *rep;
	struct group *groups;
	size_t n_groups;
	struct json_object *prekeys; /* raw key -> group index */
	unsigned explained;
};

/* The path with ids replaced: /rest/api/3/issue/{id}. */
static char *
path_template(const char *path)
{
	struct diag_buf b = DIAG_BUF_INIT;
	const char *p = path, *e;
	size_t n, i;
	int digit, id;

	while (*p != '\0') {
		if (*p == '/') {
			diag_buf_addc(&b, '/');
			p++;
			continue;
		}
		e = strchr(p, '/');
		n = e != NULL ? (size_t)(e - p) : strlen(p);
		digit = 0;
		for (i = 0; i < n; i++)
			if (isdigit((unsigned char)p[i]))
				digit++;
		/* Numbers, UUIDs, issue keys (ABC-123), long hex ids. */
		id = digit > 0 &&
		    (digit == (int)n || n >= 20 ||
			(memchr(p, '-', n) != NULL &&
			    isdigit((unsigned char)p[n - 1])));
		if (id)
			diag_buf_adds(&b, "{id}");
		else
			diag_buf_add(&b, p, n);
		p += n;
	}
	return diag_buf_detach(&b);
}

/* A copy of a transcript's exchange as transcript.response judges it:
 * labelled "transcript/<method>", marked as read from a transcript. */
static struct diag_exchange *
captured_exchange(const struct diag_exchange *ex)
{
	struct diag_exchange *c = diag_exchange_dup(ex);

	free(c->label);
	c->label = diag_xasprintf("transcript/%s", ex->method);
	c->from_transcript = 1;
	return c;
}

/*
 * 1 when the Authorization value the capture holds was already redacted
 * ("Basic [redacted]", as an evidence bundle or a careful customer
 * writes it): a credential was sent, but there is nothing to check in it.
 */
static int
redacted_credential(const struct diag_tx_item *it)
{
	const char *v = it->authorization, *sp;

	sp = memchr(v, ' ', it->authorization_len);
	v = sp != NULL ? sp + 1 : v;
	while (*v == ' ')
		v++;
	return strcmp(v, "[redacted]") == 0 ||
	    strncmp(v, "[redacted: ", 11) == 0;
}

/* The inputs an evidence bundle recorded for the run that made it (for
 * a batch bundle, the entry's profile), or NULL. */
static struct json_object *
bundle_run_inputs(const struct diag_transcript *tx,
    const struct diag_tx_item *it)
{
	struct json_object *b = tx->bundle, *runs, *r, *in, *line;
	size_t i;

	if (b == NULL)
		return NULL;
	if (json_object_object_get_ex(b, "inputs", &in))
		return json_object_is_type(in, json_type_object) ? in : NULL;
	if (!json_object_object_get_ex(b, "profiles", &runs) ||
	    !json_object_is_type(runs, json_type_array))
		return NULL;
	for (i = 0; i < json_object_array_length(runs); i++) {
		r = json_object_array_get_idx(runs, i);
		if (json_object_object_get_ex(r, "line", &line) &&
		    json_object_get_int64(line) == (int64_t)it->profile &&
		    json_object_object_get_ex(r, "inputs", &in) &&
		    json_object_is_type(in, json_type_object))
			return in;
	}
	return NULL;
}

/*
 * The inputs of the live run an evidence bundle records, as that run had
 * them: site, cloud ID, email and product (never a secret: a bundle holds
 * only a secret's traits), source "bundle:<where the run read it>". They
 * replace what the entry's URL suggests.
 */
static void
bundle_inputs(const struct diag_transcript *tx, const struct diag_tx_item *it,
    struct diag_inputs *in)
{
	static const enum diag_input_id ids[] = { DIAG_IN_SITE,
		DIAG_IN_CLOUD_ID, DIAG_IN_EMAIL, DIAG_IN_PRODUCT };
	struct json_object *all = bundle_run_inputs(tx, it), *one, *v, *s;
	const char *val;
	char *src;
	size_t i;

	for (i = 0; all != NULL && i < DIAG_NELEM(ids); i++) {
		if (!json_object_object_get_ex(all, diag_input_name(ids[i]),
			&one) ||
		    !json_object_object_get_ex(one, "value", &v) ||
		    !json_object_is_type(v, json_type_string))
			continue;
		val = json_object_get_string(v);
		src = diag_xasprintf("bundle:%s",
		    json_object_object_get_ex(one, "source", &s) &&
			    json_object_is_type(s, json_type_string) ?
			json_object_get_string(s) :
			"input");
		diag_inputs_set(in, ids[i], val, strlen(val), src);
		free(src);
	}
}

/* Inputs of one request: everything from the transcript, source "transcript:#N". */
static void
item_inputs(const struct diag_transcript *tx, const struct diag_tx_item *it,
    struct diag_inputs *in)
{
	struct diag_url u;
	const char *kind, *p;
	char *src, *site;
	size_t n;

	diag_inputs_init(in);
	src = diag_xasprintf("transcript:#%u", it->index);
	if (it->ex->url[0] != '\0') {
		diag_inputs_set(in, DIAG_IN_URL, it->ex->url,
		    strlen(it->ex->url), src);
		diag_inputs_set(in, DIAG_IN_METHOD, it->ex->method,
		    strlen(it->ex->method), src);
	}
	if (diag_url_parse(it->ex->url, &u) == 0) {
		kind = diag_url_host_kind(&u);
		if (strcmp(kind, "site") == 0 || strcmp(kind, "other") == 0) {
			site = diag_xasprintf("%s://%s", u.scheme, u.host);
			diag_inputs_set(in, DIAG_IN_SITE, site, strlen(site),
			    src);
			free(site);
		}
		if (strncmp(u.path, "/ex/", 4) == 0) {
			p = strchr(u.path + 4, '/');
			if (p != NULL && p[1] != '\0') {
				n = strcspn(p + 1, "/");
				diag_inputs_set(in, DIAG_IN_CLOUD_ID, p + 1, n,
				    src);
			}
		}
		if (strncmp(u.path, "/wiki", 5) == 0 ||
		    strncmp(u.path, "/ex/confluence/", 15) == 0)
			diag_inputs_set(in, DIAG_IN_PRODUCT, "confluence", 10,
			    src);
		else
			diag_inputs_set(in, DIAG_IN_PRODUCT, "jira", 4, src);
	}
	diag_url_release(&u);
	bundle_inputs(tx, it, in);
	if (it->authorization != NULL && !redacted_credential(it))
		diag_inputs_set(in, DIAG_IN_AUTH_HEADER, it->authorization,
		    it->authorization_len, src);
	if (tx->email != NULL)
		diag_inputs_set(in, DIAG_IN_EMAIL, tx->email, strlen(tx->email),
		    src);
	if (tx->token != NULL && it->authorization == NULL)
		diag_inputs_set(in, DIAG_IN_TOKEN, tx->token, tx->token_len,
		    src);
	free(src);
}

/* Key of an identical request and response (before running anything). */
static char *
raw_key(const struct diag_tx_item *it)
{
	struct diag_buf b = DIAG_BUF_INIT;
	const struct diag_exchange *ex = it->ex;
	char fp[16];
	size_t i;

	diag_buf_addf(&b, "%s %s %ld|", ex->method, ex->url, ex->status);
	if (it->authorization != NULL) {
		diag_fingerprint(it->authorization, it->authorization_len, fp);
		diag_buf_adds(&b, fp);
	}
	for (i = 0; i < ex->n_headers; i++)
		if (strcasecmp(ex->headers[i].name, "date") != 0 &&
		    strcasecmp(ex->headers[i].name, "atl-traceid") != 0 &&
		    strcasecmp(ex->headers[i].name, "x-trace-id") != 0 &&
		    strcasecmp(ex->headers[i].name, "x-arequestid") != 0 &&
		    strcasecmp(ex->headers[i].name, "atl-request-id") != 0)
			diag_buf_addf(&b, "|%s:%s", ex->headers[i].name,
			    ex->headers[i].value);
	if (ex->body != NULL) {
		diag_fingerprint(ex->body, ex->body_len, fp);
		diag_buf_addf(&b, "|%s", fp);
	}
	return diag_buf_detach(&b);
}

/* Key of a diagnosed failure: method, host, path template, status, codes. */
static char *
group_key(const struct diag_tx_item *it, const struct diag_report *r)
{
	struct diag_buf b = DIAG_BUF_INIT;
	struct diag_url u;
	char *tpl;
	size_t i;

	if (diag_url_parse(it->ex->url, &u) == 0) {
		tpl = path_template(u.path);
		diag_buf_addf(&b, "%s %s://%s%s %ld", it->ex->method, u.scheme,
		    u.host, tpl, it->ex->status);
		free(tpl);
	} else
		diag_buf_addf(&b, "%s %s %ld", it->ex->method, it->ex->url,
		    it->ex->status);
	diag_url_release(&u);
	for (i = 0; i < r->n_findings; i++)
		diag_buf_addf(&b, " %s", r->findings[i]->code);
	return diag_buf_detach(&b);
}

/* Merges the checks of one run into the report: one line per check id,
 * the worst status, every code. */
static void
merge_checks(struct diag_report *rep, struct diag_report *one)
{
	struct diag_check_result *a, *b;
	size_t i, j, k, l;

	for (i = 0; i < one->n_checks; i++) {
		b = &one->checks[i];
		for (j = 0; j < rep->n_checks; j++)
			if (strcmp(rep->checks[j].id, b->id) == 0)
				break;
		if (j == rep->n_checks) {
			rep->checks = diag_xrealloc(rep->checks,
			    (rep->n_checks + 1) * sizeof(*rep->checks));
			rep->checks[rep->n_checks++] = *b;
			memset(b, 0, sizeof(*b));
			continue;
		}
		a = &rep->checks[j];
		if (b->status > a->status) {
			a->status = b->status;
			free(a->message);
			a->message = b->message;
			b->message = NULL;
			free(a->blocked_by);
			a->blocked_by = b->blocked_by;
			b->blocked_by = NULL;
		}
		a->duration_ms += b->duration_ms;
		for (k = 0; k < b->n_codes; k++) {
			for (l = 0; l < a->n_codes; l++)
				if (strcmp(a->codes[l], b->codes[k]) == 0)
					break;
			if (l < a->n_codes)
				continue;
			a->codes = diag_xrealloc(a->codes,
			    (a->n_codes + 2) * sizeof(*a->codes));
			a->codes[a->n_codes++] = b->codes[k];
			a->codes[a->n_codes] = NULL;
			b->codes[k] = NULL;
		}
	}
}

/* Moves one's findings and checks into rep, and its inputs when rep has
 * none yet; one keeps the rest and is freed by the caller. */
static void
adopt(struct diag_report *rep, struct diag_report *one)
{
	size_t i;

	rep->findings = diag_xrealloc(rep->findings,
	    (rep->n_findings + one->n_findings) * sizeof(*rep->findings));
	for (i = 0; i < one->n_findings; i++)
		rep->findings[rep->n_findings++] = one->findings[i];
	one->n_findings = 0;
	merge_checks(rep, one);
	if (rep->inputs == NULL) {
		rep->inputs = one->inputs;
		one->inputs = NULL;
	}
}

static void
group_seen(struct explain *x, size_t g, unsigned entry)
{
	x->groups[g].count++;
	x->groups[g].last_entry = entry;
}

/* Whether entry it sent an Authorization header: sent, none or unknown. */
static const char *
auth_sent(const struct diag_tx_item *it)
{
	if (!it->headers_seen)
		return "unknown";
	return it->authorization != NULL ? "sent" : "none";
}

/* The capture's format and the entry that follows it (a redirect's
 * follow-up), for the checks to judge what the client did next. */
static void
next_entry(struct diag_captured *cap, const struct diag_transcript *tx,
    const struct diag_tx_item *it)
{
	const struct diag_tx_item *nx = it + 1;

	cap->format = diag_transcript_format_name(tx->format);
	if (nx >= tx->items + tx->n_items || nx->index != it->index + 1 ||
	    nx->ex->url[0] == '\0')
		return;
	cap->next_url = nx->ex->url;
	cap->next_auth = auth_sent(nx);
	cap->next_status = nx->ex->status;
}

/* Runs the offline plan on one failing request; merges or groups it. */
static int
explain_item(struct explain *x, const struct diag_transcript *tx,
    const struct diag_tx_item *it)
{
	struct diag_engine_opts eo;
	struct diag_inputs in;
	struct diag_report *one;
	struct diag_captured cap;
	struct diag_exchange *cex;
	struct json_object *gi;
	struct group *g;
	char *key, *rk;
	size_t i;
	int rc = 0;

	rk = raw_key(it);
	if (json_object_object_get_ex(x->prekeys, rk, &gi)) {
		group_seen(x, (size_t)json_object_get_int64(gi), it->index);
		free(rk);
		return 0;
	}
	item_inputs(tx, it, &in);
	cex = captured_exchange(it->ex);
	memset(&cap, 0, sizeof(cap));
	cap.ex = cex;
	cap.entry = it->index;
	cap.headers_seen = it->headers_seen;
	cap.weak = tx->weak;
	next_entry(&cap, tx, it);
	memset(&eo, 0, sizeof(eo));
	eo.captured = &cap;
	eo.command = "explain";
	eo.rules = x->c->rules;
	eo.inputs = &in;
	eo.options = x->c->opts->options;
	eo.net = NULL;
	eo.allow_hosts = x->c->opts->net.allow_hosts;
	eo.n_allow_hosts = x->c->opts->net.n_allow_hosts;
	one = diag_report_new("explain");
	if (diag_engine_run(&eo, one) != 0) {
		free(x->rep->error);
		x->rep->error = diag_xstrdup(one->error);
		rc = -1;
		goto out;
	}
	x->explained++;
	if (it->oversized > 0)
		for (i = 0; i < one->n_findings; i++)
			diag_finding_note(one->findings[i],
			    "entry #%u: its %s header is %zu bytes, far too "
			    "long to be a credential: it was neither decoded "
			    "nor checked",
			    it->index, it->oversized_name, it->oversized);
	key = group_key(it, one);
	for (i = 0; i < x->n_groups; i++)
		if (strcmp(x->groups[i].key, key) == 0)
			break;
	if (i < x->n_groups) {
		free(key);
		group_seen(x, i, it->index);
	} else {
		x->groups = diag_xrealloc(x->groups,
		    (x->n_groups + 1) * sizeof(*x->groups));
		g = &x->groups[x->n_groups++];
		memset(g, 0, sizeof(*g));
		g->key = key;
		g->count = 1;
		g->first_entry = g->last_entry = it->index;
		g->first_finding = x->rep->n_findings;
		g->n_findings = one->n_findings;
		adopt(x->rep, one);
		if (one->verdict == DIAG_INCONCLUSIVE)
			x->rep->verdict = DIAG_INCONCLUSIVE;
		i = x->n_groups - 1;
	}
	json_object_object_add(x->prekeys, rk,
	    json_object_new_int64((int64_t)i));
out:
	free(rk);
	diag_report_free(one);
	diag_exchange_free(cex);
	diag_inputs_release(&in);
	return rc;
}

/*
 * An evidence bundle: the offline input checks once more on the inputs
 * the live run had (its site, cloud ID, email, product, and the --url or
 * request it was given, never a secret), as that run did before it sent
 * anything; their findings join the report.
 */
static int
explain_bundle_inputs(struct explain *x, const struct diag_transcript *tx)
{
	static const enum diag_input_id ids[] = { DIAG_IN_URL, DIAG_IN_METHOD };
	struct diag_tx_item none;
	struct diag_engine_opts eo;
	struct diag_inputs in;
	struct diag_report *one;
	struct json_object *all, *o, *v;
	size_t i;
	int rc = 0;

	memset(&none, 0, sizeof(none));
	if ((all = bundle_run_inputs(tx, &none)) == NULL)
		return 0;
	diag_inputs_init(&in);
	bundle_inputs(tx, &none, &in);
	for (i = 0; i < DIAG_NELEM(ids); i++)
		if (json_object_object_get_ex(all, diag_input_name(ids[i]),
			&o) &&
		    json_object_object_get_ex(o, "value", &v) &&
		    json_object_is_type(v, json_type_string))
			diag_inputs_set(&in, ids[i], json_object_get_string(v),
			    strlen(json_object_get_string(v)), "bundle:input");
	memset(&eo, 0, sizeof(eo));
	eo.command = "explain";
	eo.rules = x->c->rules;
	eo.inputs = &in;
	eo.options = x->c->opts->options;
	eo.only = "input.";
	eo.allow_hosts = x->c->opts->net.allow_hosts;
	eo.n_allow_hosts = x->c->opts->net.n_allow_hosts;
	one = diag_report_new("explain");
	if (diag_engine_run(&eo, one) != 0) {
		free(x->rep->error);
		x->rep->error = diag_xstrdup(one->error);
		rc = -1;
	} else {
		adopt(x->rep, one);
	}
	diag_report_free(one);
	diag_inputs_release(&in);
	return rc;
}

/* Bytes of a capture looked at before deciding it is text. */
#define EXPLAIN_SNIFF 8192

/*
 * Where binary data starts in the first n bytes of a capture, or -1 when
 * they are text: a NUL, or more than one byte in ten a control character,
 * before the end of the first head (the first blank line; a raw exchange
 * may carry a compressed body after it).
 */
static long
sniff_binary(const char *b, size_t n)
{
	const char *blank;
	size_t i, end = n, bad = 0;
	long first = -1;
	unsigned char c;

	if ((blank = memmem(b, n, "\n\n", 2)) != NULL)
		end = (size_t)(blank - b);
	if ((blank = memmem(b, end, "\r\n\r\n", 4)) != NULL)
		end = (size_t)(blank - b);
	for (i = 0; i < end; i++) {
		c = (unsigned char)b[i];
		if (c == 0)
			return (long)i;
		if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' &&
			c != '\f' && c != '\v' && c != 0x1b) ||
		    c == 0x7f) {
			if (first < 0)
				first = (long)i;
			bad++;
		}
	}
	return bad * 10 > end ? first : -1;
}

/* Reports binary data at byte at of the capture name (b, len bytes). */
static void
refuse_binary(const char *name, long at, const char *b, size_t len)
{
	const char *hint = "";

	/* A UTF-16 byte order mark, either way round. */
	if (len >= 2 &&
	    (memcmp(b, "\xff\xfe", 2) == 0 || memcmp(b, "\xfe\xff", 2) == 0))
		hint = "; UTF-16? save it as UTF-8";
	diag_errorf("cannot read this: '%s' is not a text capture (binary data "
		    "at byte %ld%s)",
	    name, at, hint);
}

/* Reads fd up to max bytes, refusing binary data from its first bytes on. */
static int
read_capture(int fd, const char *name, char **buf, size_t *len)
{
	struct diag_buf b = DIAG_BUF_INIT;
	char chunk[65536];
	ssize_t n;
	long at;
	int sniffed = 0;

	for (;;) {
		n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			diag_errorf("cannot read this: '%s': %s", name,
			    strerror(errno));
			goto fail;
		}
		if (b.len + (size_t)n > EXPLAIN_MAX_INPUT) {
			diag_errorf("cannot read this: '%s': file is too large "
				    "(the limit is %zu MiB)",
			    name, EXPLAIN_MAX_INPUT >> 20);
			goto fail;
		}
		diag_buf_add(&b, chunk, (size_t)n);
		if (!sniffed && (b.len >= EXPLAIN_SNIFF || n == 0)) {
			sniffed = 1;
			at = sniff_binary(diag_buf_str(&b),
			    b.len < EXPLAIN_SNIFF ? b.len : EXPLAIN_SNIFF);
			if (at >= 0) {
				refuse_binary(name, at, b.buf, b.len);
				goto fail;
			}
		}
		if (n == 0)
			break;
	}
	*len = b.len;
	*buf = diag_buf_detach(&b);
	return 0;
fail:
	diag_buf_release(&b);
	return -1;
}

/* Reads the capture at path ("-" or NULL: stdin); the size limit of a
 * regular file is checked before reading anything. */
static int
read_input(const char *path, char **buf, size_t *len)
{
	struct stat st;
	const char *name = path != NULL ? path : "-";
	int fd, rc;

	*buf = NULL;
	*len = 0;
	if (path == NULL || strcmp(path, "-") == 0)
		fd = STDIN_FILENO;
	else if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) < 0) {
		diag_errorf("cannot read this: '%s': %s", name,
		    strerror(errno));
		return -1;
	}
	rc = -1;
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode))
		diag_errorf("cannot read this: '%s': is a directory", name);
	else if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    (unsigned long long)st.st_size > EXPLAIN_MAX_INPUT)
		diag_errorf("cannot read this: '%s': file is too large (%llu "
			    "bytes; the limit is %zu MiB)",
		    name, (unsigned long long)st.st_size,
		    EXPLAIN_MAX_INPUT >> 20);
	else {
		/* Blocking reads from here on (a FIFO is fine). */
		if (fd != STDIN_FILENO)
			(void)fcntl(fd, F_SETFL,
			    fcntl(fd, F_GETFL) & ~O_NONBLOCK);
		rc = read_capture(fd, name, buf, len);
	}
	if (fd != STDIN_FILENO)
		close(fd);
	return rc;
}

/* 1 for an evidence bundle's reachability probe (net.reach asks each
 * host for its root only to learn that it answers: its status says
 * nothing about the call). */
static int
probe_only(const struct diag_tx_item *it)
{
	return it->check != NULL && strcmp(it->check, "net.reach") == 0;
}

/* 1 for an exchange explain judges: a failure that is not a probe. */
static int
judged(const struct diag_tx_item *it)
{
	return !probe_only(it) && !it->context_only &&
	    diag_transcript_is_failure(it->ex);
}

/* Warns about credential headers too long to be credentials (the first
 * few); returns how many exchanges carry one. */
static size_t
warn_oversized(const struct diag_transcript *tx)
{
	size_t i, n = 0;

	for (i = 0; i < tx->n_items; i++) {
		if (tx->items[i].oversized == 0)
			continue;
		if (n++ < 3)
			diag_warnf("entry #%u: the %s value is %zu bytes, far "
				   "too long to be a credential: not decoded, "
				   "shown as [redacted]",
			    tx->items[i].index, tx->items[i].oversized_name,
			    tx->items[i].oversized);
	}
	if (n > 3)
		diag_warnf("%zu more entries carry a credential header too "
			   "long to be one",
		    n - 3);
	return n;
}

enum diag_exit
diag_cmd_explain(struct diag_cmd *c)
{
	struct json_object *fmt_opt;
	enum diag_tx_format fmt = DIAG_TX_AUTO;
	const char *path = NULL;
	char *buf = NULL;
	size_t len = 0;
	int code;

	if (c->opts->n_args > 1) {
		diag_errorf("explain takes one transcript file (or '-' for "
			    "stdin), got %zu arguments",
		    c->opts->n_args);
		return DIAG_EXIT_USAGE;
	}
	if (c->opts->n_args == 1)
		path = c->opts->args[0];
	if (c->opts->options != NULL &&
	    json_object_object_get_ex(c->opts->options, "input-format",
		&fmt_opt) &&
	    diag_transcript_format_parse(json_object_get_string(fmt_opt),
		&fmt) != 0) {
		diag_errorf("unknown --input-format '%s': use auto, har, curl, "
			    "raw or text",
		    json_object_get_string(fmt_opt));
		return DIAG_EXIT_USAGE;
	}
	if (path == NULL && isatty(STDIN_FILENO)) {
		diag_errorf("explain needs a transcript: give a file, or '-' "
			    "and paste it on stdin");
		return DIAG_EXIT_USAGE;
	}
	if (read_input(path, &buf, &len) != 0)
		return DIAG_EXIT_USAGE;
	code = diag_explain_buffer(c, path != NULL ? path : "-", buf, len, fmt);
	free(buf);
	return code;
}

/*
 * The warnings about what was read: a truncated input, oversized
 * credentials (returns how many), dropped exchanges.
 */
static size_t
warn_transcript(const struct diag_transcript *tx)
{
	size_t oversized;

	if (tx->truncated)
		diag_warnf("the input ends early (truncated?): explaining the "
			   "%zu entries read",
		    tx->n_entries);
	oversized = warn_oversized(tx);
	if (tx->n_dropped > 0)
		diag_warnf("only the first %d failing exchanges were kept; %zu "
			   "more were not explained",
		    DIAG_TX_MAX_ITEMS, tx->n_dropped);
	return oversized;
}

/*
 * Explains the failures; a transcript without any: every exchange (the
 * request side may still be wrong); a bundle's reachability probes are
 * never judged. -1 on an internal error.
 */
static int
explain_items(struct explain *x, struct diag_transcript *tx)
{
	size_t i, failures = 0;
	int rc;

	/* A bundle of one live run: that run, replayed from its answers. */
	if ((rc = diag__explain_replay(x->c, tx, x->rep)) != 0) {
		if (rc > 0)
			x->explained = (unsigned)tx->n_items;
		return rc < 0 ? -1 : 0;
	}
	if (explain_bundle_inputs(x, tx) != 0)
		return -1;
	for (i = 0; i < tx->n_items; i++)
		if (judged(&tx->items[i]))
			failures++;
	for (i = 0; i < tx->n_items; i++) {
		if (probe_only(&tx->items[i]) || tx->items[i].context_only ||
		    (failures > 0 && !judged(&tx->items[i])))
			continue;
		if (explain_item(x, tx, &tx->items[i]) != 0)
			return -1;
	}
	return 0;
}

/* A note on each finding of a repeated exchange: how often and where. */
static void
note_repeats(struct explain *x)
{
	const struct group *g;
	struct diag_finding *f;
	size_t i, j;

	for (i = 0; i < x->n_groups; i++) {
		g = &x->groups[i];
		if (g->count < 2)
			continue;
		for (j = 0; j < g->n_findings; j++) {
			f = x->rep->findings[g->first_finding + j];
			diag_finding_note(f,
			    "seen %u times (entries #%u to #%u)", g->count,
			    g->first_entry, g->last_entry);
		}
	}
}

/*
 * The report's "transcript" member: format, entries, explained, groups,
 * truncated, oversized credentials.
 */
static struct json_object *
transcript_info(const struct explain *x, const struct diag_transcript *tx,
    size_t oversized)
{
	struct json_object *info;

	info = json_object_new_object();
	json_object_object_add(info, "format",
	    json_object_new_string(diag_transcript_format_name(tx->format)));
	json_object_object_add(info, "entries",
	    json_object_new_int64((int64_t)tx->n_entries));
	json_object_object_add(info, "explained",
	    json_object_new_int64((int64_t)x->explained));
	json_object_object_add(info, "groups",
	    json_object_new_int64((int64_t)x->n_groups));
	json_object_object_add(info, "truncated",
	    json_object_new_boolean(tx->truncated));
	json_object_object_add(info, "oversized_credentials",
	    json_object_new_int64((int64_t)oversized));
	return info;
}

/* Reads buf into tx; 0, or -1 after saying why it cannot be read. */
static int
read_transcript(const char *name, const char *buf, size_t len,
    enum diag_tx_format fmt, struct diag_transcript *tx)
{
	struct diag_tx_error err;
	long at;

	at = sniff_binary(buf, len < EXPLAIN_SNIFF ? len : EXPLAIN_SNIFF);
	if (at >= 0) {
		refuse_binary(name, at, buf, len);
		return -1;
	}
	if (diag_transcript_parse(buf, len, fmt, tx, &err) != 0) {
		if (err.line > 0)
			diag_errorf("cannot read this: %s (line %u)", err.why,
			    err.line);
		else
			diag_errorf("cannot read this: %s", err.why);
		return -1;
	}
	return 0;
}

int
diag_explain_buffer(struct diag_cmd *c, const char *name, const char *buf,
    size_t len, enum diag_tx_format fmt)
{
	struct explain x;
	struct diag_transcript tx;
	size_t i, oversized;
	int code = DIAG_EXIT_USAGE;

	memset(&x, 0, sizeof(x));
	memset(&tx, 0, sizeof(tx));
	if (read_transcript(name, buf, len, fmt, &tx) != 0)
		goto out;
	/* Every credential is registered: nothing is rendered before this. */
	oversized = warn_transcript(&tx);
	x.c = c;
	x.rep = diag_report_new("explain");
	x.prekeys = json_object_new_object();
	if (explain_items(&x, &tx) != 0) {
		diag_errorf("internal error: %s", x.rep->error);
		x.rep->exit_code = DIAG_EXIT_INTERNAL;
		c->report = x.rep;
		x.rep = NULL;
		code = DIAG_EXIT_INTERNAL;
		goto out;
	}
	note_repeats(&x);
	x.rep->exchanges = (unsigned)tx.n_entries;
	if (x.rep->extra == NULL)
		x.rep->extra = json_object_new_object();
	json_object_object_add(x.rep->extra, "transcript",
	    transcript_info(&x, &tx, oversized));
	if (x.rep->inputs == NULL)
		x.rep->inputs = json_object_new_object();
	diag_report_finish(x.rep, c->opts->strict);
	code = x.rep->exit_code;
	c->report = x.rep;
	x.rep = NULL;
out:
	for (i = 0; i < x.n_groups; i++)
		free(x.groups[i].key);
	free(x.groups);
	json_object_put(x.prekeys);
	diag_report_free(x.rep);
	diag_transcript_release(&tx);
	return code;
}
