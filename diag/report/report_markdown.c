/* diag/report/report_markdown.c: the report as a paste-ready ticket comment (Markdown). */

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#include "diag/core/model.h"
#include "diag/report/report.h"
#include "diag/core/escape.h"
#include "diag/report/report_util.h"
#include "diag/core/util.h"

struct md {
	struct diag_buf			 b;
	const struct diag_report	*r;
};

/* Inputs whose value is a secret: never shown, only described. */
static const char *const secret_inputs[] = {
	"token", "org_key", "auth_header", "password",
};

static int	 is_secret_input(const char *);
static const char *member_str(struct json_object *, const char *);
static void	 visible_value(struct diag_buf *, const char *);
static void	 fence(struct diag_buf *, const char *, const char *);
static void	 header(struct md *);
static void	 inputs(struct md *);
static void	 exchange(struct md *, const struct diag_exchange *, size_t);
static void	 finding(struct md *, const struct diag_finding *, size_t);
static void	 checks(struct md *);
static void	 requirements(struct md *);
static void	 shell_arg(struct diag_buf *, const char *);
static int	 has_auth_header(struct json_object *);
static void	 command_line(struct md *, const char *, struct diag_buf *,
		    struct diag_buf *);
static void	 command_block(struct md *, const char *);
static void	 recheck(struct md *);

static int
is_secret_input(const char *key)
{
	size_t i;

	for (i = 0; i < DIAG_NELEM(secret_inputs); i++)
		if (strcmp(key, secret_inputs[i]) == 0)
			return 1;
	return 0;
}

static const char *
member_str(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (o == NULL || !json_object_is_type(o, json_type_object) ||
	    !json_object_object_get_ex(o, key, &v) || v == NULL ||
	    json_object_is_type(v, json_type_object) ||
	    json_object_is_type(v, json_type_array))
		return NULL;
	return json_object_get_string(v);
}

/*
 * An input value as a code span; when it has leading or trailing blanks,
 * control characters, a no-break space or a zero-width character (the
 * very things input checks look for), it is shown quoted with those
 * characters spelled out, so the reader can see them.
 */
static void
visible_value(struct diag_buf *b, const char *v)
{
	struct diag_buf q = DIAG_BUF_INIT;
	const unsigned char *u = (const unsigned char *)v;
	size_t i, len = strlen(v);
	int odd = 0;

	if (len > 0 && (v[0] == ' ' || v[len - 1] == ' '))
		odd = 1;
	for (i = 0; i < len && !odd; i++)
		if (u[i] < 0x20 || u[i] == 0x7f ||
		    (u[i] == 0xc2 && u[i + 1] == 0xa0) ||
		    (u[i] == 0xe2 && u[i + 1] == 0x80 &&
		    (u[i + 2] >= 0x8b && u[i + 2] <= 0x8d)) ||
		    (u[i] == 0xef && u[i + 1] == 0xbb && u[i + 2] == 0xbf))
			odd = 1;
	if (!odd) {
		diag__esc_md_code(b, v);
		return;
	}
	diag_buf_addc(&q, '"');
	for (i = 0; i < len; i++) {
		if (u[i] == '\n')
			diag_buf_adds(&q, "\\n");
		else if (u[i] == '\r')
			diag_buf_adds(&q, "\\r");
		else if (u[i] == '\t')
			diag_buf_adds(&q, "\\t");
		else if (u[i] < 0x20 || u[i] == 0x7f)
			diag_buf_addf(&q, "\\x%02X", u[i]);
		else if (u[i] == 0xc2 && u[i + 1] == 0xa0) {
			diag_buf_adds(&q, "\\u00A0");
			i++;
		} else if (u[i] == 0xe2 && u[i + 1] == 0x80 &&
		    u[i + 2] >= 0x8b && u[i + 2] <= 0x8d) {
			diag_buf_addf(&q, "\\u20%02X", u[i + 2] - 0x80);
			i += 2;
		} else if (u[i] == 0xef && u[i + 1] == 0xbb &&
		    u[i + 2] == 0xbf) {
			diag_buf_adds(&q, "\\uFEFF");
			i += 2;
		} else
			diag_buf_addc(&q, (char)u[i]);
	}
	diag_buf_addc(&q, '"');
	diag__esc_md_code(b, diag_buf_str(&q));
	diag_buf_release(&q);
}

/* A fenced code block whose fence no line of text can close. */
static void
fence(struct diag_buf *b, const char *info, const char *text)
{
	size_t run = 0, longest = 0, i, n;
	const char *p;

	for (p = text; *p != '\0'; p++) {
		if (*p == '`') {
			if (++run > longest)
				longest = run;
		} else
			run = 0;
	}
	n = longest < 3 ? 3 : longest + 1;
	for (i = 0; i < n; i++)
		diag_buf_addc(b, '`');
	diag_buf_adds(b, info);
	diag_buf_addc(b, '\n');
	diag_buf_adds(b, text);
	if (text[0] != '\0' && text[strlen(text) - 1] != '\n')
		diag_buf_addc(b, '\n');
	for (i = 0; i < n; i++)
		diag_buf_addc(b, '`');
	diag_buf_addc(b, '\n');
}

static void
header(struct md *m)
{
	const struct diag_report *r = m->r;
	const char *verdict = diag__verdict_name(r);
	char when[32], *up, *p, *title;

	up = diag_xstrdup(verdict);
	for (p = up; *p != '\0'; p++)
		*p = (char)(*p - ('a' <= *p && *p <= 'z' ? 'a' - 'A' : 0));
	diag_buf_adds(&m->b, "## atldiag ");
	diag__esc_md_text(&m->b, r->command != NULL ? r->command : "");
	diag_buf_addf(&m->b, ": %s", up);
	free(up);
	if (r->n_findings > 0 && r->findings[0] != NULL) {
		diag_buf_adds(&m->b, " \xe2\x80\x94 ");
		diag__esc_md_code(&m->b, r->findings[0]->code);
	}
	diag_buf_adds(&m->b, "\n\n");
	if (r->error != NULL) {
		diag_buf_adds(&m->b, "**Error:** ");
		diag__esc_md_text(&m->b, r->error);
		diag_buf_adds(&m->b, "\n\n");
	} else if (r->n_findings > 0 && r->findings[0] != NULL) {
		title = diag__fill_placeholders(
		    diag__finding_title(r->findings[0]), r->inputs);
		diag_buf_adds(&m->b, "**");
		diag__esc_md_rich(&m->b, title, 0);
		diag_buf_adds(&m->b, "**\n\n");
		free(title);
	} else if (strcmp(verdict, "pass") == 0)
		diag_buf_adds(&m->b, "**No problems found.**\n\n");
	diag__format_time(r->generated_at, when, sizeof(when));
	diag_buf_addf(&m->b, "%zu finding%s \xc2\xb7 %zu check%s \xc2\xb7 "
	    "%u HTTP exchange%s \xc2\xb7 exit code %d \xc2\xb7 atldiag %s "
	    "\xc2\xb7 %s\n", r->n_findings, r->n_findings == 1 ? "" : "s",
	    r->n_checks, r->n_checks == 1 ? "" : "s",
	    r->exchanges, r->exchanges == 1 ? "" : "s", r->exit_code,
	    ATLDIAG_VERSION, when);
}

static void
inputs(struct md *m)
{
	static const char *const order[] = {
		"kind", "length", "checksum", "fingerprint",
	};
	struct json_object *in = m->r->inputs, *v;
	struct json_object_iterator it, end;
	struct diag_buf d;
	const char *key, *s;
	size_t i;
	int first;

	if (in == NULL || !json_object_is_type(in, json_type_object) ||
	    json_object_object_length(in) == 0)
		return;
	diag_buf_adds(&m->b, "\n### Inputs\n\n| Input | Value | Source |\n"
	    "|---|---|---|\n");
	it = json_object_iter_begin(in);
	end = json_object_iter_end(in);
	for (; !json_object_iter_equal(&it, &end); json_object_iter_next(&it)) {
		key = json_object_iter_peek_name(&it);
		v = json_object_iter_peek_value(&it);
		diag_buf_adds(&m->b, "| ");
		diag__esc_md_cell(&m->b, key);
		diag_buf_adds(&m->b, " | ");
		s = member_str(v, "value");
		if (!is_secret_input(key) && s != NULL)
			visible_value(&m->b, s);
		else if (json_object_is_type(v, json_type_object)) {
			/* Describe a secret by its traits, never its value. */
			d = (struct diag_buf)DIAG_BUF_INIT;
			first = 1;
			for (i = 0; i < DIAG_NELEM(order); i++) {
				s = member_str(v, order[i]);
				if (s == NULL)
					continue;
				if (!first)
					diag_buf_adds(&d, ", ");
				first = 0;
				if (i == 1)
					diag_buf_addf(&d, "%s characters", s);
				else if (i == 2)
					diag_buf_addf(&d, "checksum %s", s);
				else
					diag_buf_adds(&d, s);
			}
			if (first)
				diag_buf_adds(&d, is_secret_input(key) &&
				    member_str(v, "source") != NULL ?
				    "(given; not shown)" : "(not given)");
			diag__esc_md_cell(&m->b, diag_buf_str(&d));
			diag_buf_release(&d);
		} else
			diag_buf_adds(&m->b, "(not given)");
		diag_buf_adds(&m->b, " | ");
		s = member_str(v, "source");
		if (s != NULL)
			diag__esc_md_code(&m->b, s);
		else
			diag_buf_adds(&m->b, "\xe2\x80\x94");
		diag_buf_adds(&m->b, " |\n");
	}
}

/* "a<sep>c\n" with a and c's control characters made visible. */
static void
line(struct diag_buf *t, const char *a, const char *sep, const char *c)
{
	diag_esc_visible(t, a, strlen(a), 0);
	diag_buf_adds(t, sep);
	diag_esc_visible(t, c, strlen(c), 0);
	diag_buf_addc(t, '\n');
}

static void
exchange(struct md *m, const struct diag_exchange *ex, size_t no)
{
	struct diag_buf t = DIAG_BUF_INIT;
	const char *name;
	char *body;
	size_t i;
	int cut, auth_shown = 0;

	diag_buf_addf(&m->b, "\nExchange %zu", no);
	if (ex->label != NULL) {
		diag_buf_adds(&m->b, " (");
		diag__esc_md_code(&m->b, ex->label);
		diag_buf_adds(&m->b, ")");
	}
	if (ex->from_transcript)
		diag_buf_adds(&m->b, ", from the transcript:\n\n");
	else
		diag_buf_addf(&m->b, ", live, %ld ms:\n\n", ex->duration_ms);

	line(&t, ex->method != NULL ? ex->method : "?", " ",
	    ex->url != NULL ? ex->url : "?");
	for (i = 0; i < ex->n_req_headers; i++) {
		name = ex->req_headers[i].name;
		if (name == NULL)
			continue;
		if (diag__header_is_credential(name)) {
			if (strcasecmp(name, "Authorization") == 0 &&
			    ex->auth_desc != NULL) {
				line(&t, name, ": ", ex->auth_desc);
				auth_shown = 1;
			} else
				line(&t, name, ": ", "[redacted]");
		} else
			line(&t, name, ": ", ex->req_headers[i].value != NULL ?
			    ex->req_headers[i].value : "");
	}
	if (!auth_shown && ex->auth_desc != NULL)
		line(&t, "Authorization", ": ", ex->auth_desc);
	diag_buf_addc(&t, '\n');
	if (ex->status == 0) {
		diag_buf_adds(&t, "(no answer");
		if (ex->error != NULL) {
			diag_buf_adds(&t, ": ");
			diag_esc_visible(&t, ex->error, strlen(ex->error), 0);
		}
		diag_buf_adds(&t, ")\n");
	} else {
		diag_esc_visible(&t, ex->http_version != NULL ?
		    ex->http_version : "HTTP", strlen(ex->http_version != NULL ?
		    ex->http_version : "HTTP"), 0);
		diag_buf_addf(&t, " %ld\n", ex->status);
		for (i = 0; i < ex->n_headers; i++) {
			name = ex->headers[i].name;
			if (name == NULL || diag__header_is_hidden(name))
				continue;
			line(&t, name, ": ", ex->headers[i].value != NULL ?
			    ex->headers[i].value : "");
		}
		if (ex->body != NULL && ex->body_len > 0) {
			body = diag__excerpt(ex->body, ex->body_len,
			    DIAG_BODY_EXCERPT, &cut);
			diag_buf_addf(&t, "\n%s%s\n", body,
			    cut || ex->body_truncated ? "\n[... cut]" : "");
			free(body);
		}
	}
	fence(&m->b, "http", diag_buf_str(&t));
	diag_buf_release(&t);
	if (ex->trace_id != NULL) {
		diag_buf_adds(&m->b, "\nATL-TraceId ");
		diag__esc_md_code(&m->b, ex->trace_id);
		diag_buf_adds(&m->b, ": quote this ATL-TraceId to Atlassian "
		    "support.\n");
	}
}

static void
finding(struct md *m, const struct diag_finding *f, size_t no)
{
	struct diag_buf *b = &m->b;
	char **steps, *s, *up, *p;
	size_t i, n;

	up = diag_xstrdup(diag_status_name(f->status));
	for (p = up; *p != '\0'; p++)
		*p = (char)(*p - ('a' <= *p && *p <= 'z' ? 'a' - 'A' : 0));
	diag_buf_addf(b, "\n#### %zu. %s ", no, up);
	free(up);
	diag__esc_md_code(b, f->code);
	diag_buf_adds(b, ": ");
	s = diag__fill_placeholders(diag__finding_title(f), m->r->inputs);
	diag__esc_md_rich(b, s, 0);
	free(s);
	diag_buf_adds(b, "\n");
	if (f->detail != NULL && f->detail[0] != '\0') {
		diag_buf_adds(b, "\n**What happened:** ");
		diag__esc_md_rich(b, f->detail, 0);
		diag_buf_addc(b, '\n');
	}
	s = diag__fill_placeholders(f->dx != NULL ? f->dx->explanation : NULL,
	    m->r->inputs);
	if (s != NULL && s[0] != '\0') {
		diag_buf_adds(b, "\n**Why:** ");
		diag__esc_md_rich(b, s, 0);
		diag_buf_addc(b, '\n');
	}
	free(s);
	steps = diag__finding_remediation(f, m->r->inputs, &n);
	if (n > 0)
		diag_buf_adds(b, "\n**Fix:**\n\n");
	for (i = 0; i < n; i++) {
		diag_buf_addf(b, "%zu. ", i + 1);
		diag__esc_md_rich(b, steps[i], 0);
		diag_buf_addc(b, '\n');
	}
	diag__strv_free(steps);
	diag_buf_adds(b, "\n**Who must act:** ");
	diag_buf_adds(b, diag__owner_words(diag__finding_owner(f)));
	diag_buf_addf(b, " \xc2\xb7 **Confidence:** %s",
	    diag_confidence_name(f->confidence));
	if (f->check_id != NULL) {
		diag_buf_adds(b, " \xc2\xb7 **Raised by:** ");
		diag__esc_md_code(b, f->check_id);
	}
	diag_buf_addc(b, '\n');
	if (f->n_notes > 0)
		diag_buf_adds(b, "\n**Notes:**\n\n");
	for (i = 0; i < f->n_notes; i++) {
		diag_buf_adds(b, "- ");
		diag__esc_md_rich(b, f->notes[i], 0);
		diag_buf_addc(b, '\n');
	}
	if (f->dx != NULL && f->dx->n_docs > 0) {
		diag_buf_adds(b, "\n**Docs:**");
		for (i = 0; i < f->dx->n_docs; i++) {
			/* Autolinks: <...> keeps '_' and '*' in URLs literal. */
			diag_buf_adds(b, i == 0 ? " <" : ", <");
			diag_buf_adds(b, f->dx->docs[i]);
			diag_buf_addc(b, '>');
		}
		diag_buf_addc(b, '\n');
	}
	if (f->n_evidence > 0)
		diag_buf_adds(b, "\n**Evidence:**\n");
	for (i = 0; i < f->n_evidence; i++)
		exchange(m, f->evidence[i], i + 1);
}

static void
checks(struct md *m)
{
	const struct diag_check_result *c;
	size_t i, k;

	if (m->r->n_checks == 0)
		return;
	diag_buf_adds(&m->b, "\n### Checks\n\n| Check | Status | Result |\n"
	    "|---|---|---|\n");
	for (i = 0; i < m->r->n_checks; i++) {
		c = &m->r->checks[i];
		diag_buf_adds(&m->b, "| ");
		diag__esc_md_code(&m->b, c->id != NULL ? c->id : "?");
		diag_buf_addf(&m->b, " | %s%s%s | ",
		    c->status == DIAG_FAIL ? "**" : "",
		    diag_status_name(c->status),
		    c->status == DIAG_FAIL ? "**" : "");
		if (c->message != NULL && c->message[0] != '\0')
			diag__esc_md_rich(&m->b, c->message, 1);
		else
			for (k = 0; k < c->n_codes; k++) {
				diag_buf_adds(&m->b, k == 0 ? "raised " : ", ");
				diag__esc_md_code(&m->b, c->codes[k]);
			}
		if (c->status == DIAG_BLOCKED && c->blocked_by != NULL) {
			diag_buf_adds(&m->b, c->message != NULL ? "; " : "");
			diag_buf_adds(&m->b, "blocked by ");
			diag__esc_md_code(&m->b, c->blocked_by);
		}
		diag_buf_adds(&m->b, " |\n");
	}
}

/* One list item per requirement the user stated (member "requirements"). */
static void
requirements(struct md *m)
{
	struct json_object *list, *e, *v;
	const char *k[4];
	static const char *const keys[4] = { "outcome", "kind", "name", "how" };
	size_t i, j;

	if (m->r->extra == NULL || !json_object_object_get_ex(m->r->extra,
	    "requirements", &list) || !json_object_is_type(list,
	    json_type_array) || json_object_array_length(list) == 0)
		return;
	diag_buf_adds(&m->b, "\n### Requirements\n\n");
	for (i = 0; i < json_object_array_length(list); i++) {
		e = json_object_array_get_idx(list, i);
		for (j = 0; j < 4; j++)
			k[j] = json_object_object_get_ex(e, keys[j], &v) &&
			    json_object_is_type(v, json_type_string) ?
			    json_object_get_string(v) : "";
		diag_buf_addf(&m->b, "- **%s** %s ", strcmp(k[0], "proven")
		    == 0 ? "proven" : strcmp(k[0], "disproven") == 0 ?
		    "disproven" : "unproven", strcmp(k[1], "scope") == 0 ?
		    "scope" : strcmp(k[1], "permission") == 0 ? "permission" :
		    strcmp(k[1], "project") == 0 ? "project" : strcmp(k[1],
		    "issue") == 0 ? "issue" : strcmp(k[1], "space") == 0 ?
		    "space" : strcmp(k[1], "call") == 0 ? "call" : "request");
		diag__esc_md_code(&m->b, k[2]);
		diag_buf_adds(&m->b, ": ");
		diag__esc_md_rich(&m->b, k[3], 1);
		diag_buf_addc(&m->b, '\n');
	}
}

/*
 * A shell word: bare when safe, else single-quoted; with a control
 * character or invalid UTF-8 in it, ANSI-C quoted ($'...\x1B...'), so
 * the command block carries no raw control byte and still means s.
 */
static void
shell_arg(struct diag_buf *b, const char *s)
{
	const char *p;
	char *vis = diag_esc_visible_str(s, 0);
	size_t i, n;
	uint32_t cp;

	if (strlen(vis) != strlen(s) || strcmp(vis, s) != 0) {
		diag_buf_adds(b, "$'");
		for (i = 0; s[i] != '\0'; i += n) {
			n = diag_utf8_decode((const unsigned char *)s + i,
			    strnlen(s + i, 4), &cp);
			if (s[i] == '\\' || s[i] == '\'')
				diag_buf_addf(b, "\\%c", s[i]);
			else if (n == 0 || cp < 0x20 || cp == 0x7f ||
			    (cp >= 0x80 && cp < 0xa0) || cp == 0x2028 ||
			    cp == 0x2029) {
				if (n == 0)
					n = 1;
				diag_esc_visible(b, s + i, n, 0);
			} else
				diag_buf_add(b, s + i, n);
		}
		diag_buf_addc(b, '\'');
		free(vis);
		return;
	}
	free(vis);

	if (s[0] != '\0' && s[strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789@%+=:,./_-")] == '\0') {
		diag_buf_adds(b, s);
		return;
	}
	diag_buf_addc(b, '\'');
	for (p = s; *p != '\0'; p++) {
		if (*p == '\'')
			diag_buf_adds(b, "'\\''");
		else
			diag_buf_addc(b, *p);
	}
	diag_buf_addc(b, '\'');
}

static int
has_auth_header(struct json_object *in)
{
	struct json_object *v;

	return in != NULL && json_object_object_get_ex(in, "auth_header", &v) &&
	    member_str(v, "source") != NULL;
}

/*
 * The command line of command with this run's inputs, each from the same
 * place: a value from the environment is read from there again (its name
 * goes to env), a secret is never on the line (its file, or
 * <token-file>). Values are the corrected ones where the report knows
 * them (https://acme.atlassian.net/ -> acme.atlassian.net), else a
 * <placeholder> to fill in.
 */
static void
command_line(struct md *m, const char *command, struct diag_buf *cmd,
    struct diag_buf *env)
{
	static const struct {
		const char	*key;
		const char	*flag;
		const char	*ph;
	} plain[] = {
		{ "site", "--site", "{site}" },
		{ "cloud_id", "--cloud-id", "{cloud_id}" },
		{ "email", "--email", "{email}" },
		{ "product", "--product", "{product}" },
	};
	struct json_object *in = m->r->inputs, *v;
	const char *src, *val, *url = NULL, *method = NULL;
	char *fixed;
	size_t i;

	diag_buf_release(env);
	if (in != NULL && !json_object_is_type(in, json_type_object))
		in = NULL;
	if (in != NULL && json_object_object_get_ex(in, "url", &v))
		url = member_str(v, "value");
	if (in != NULL && json_object_object_get_ex(in, "method", &v))
		method = member_str(v, "value");
	diag_buf_addf(cmd, "atldiag %s", command);
	for (i = 0; i < DIAG_NELEM(plain); i++) {
		v = NULL;
		if (in != NULL)
			json_object_object_get_ex(in, plain[i].key, &v);
		val = member_str(v, "value");
		src = member_str(v, "source");
		if (val == NULL) {
			/* Site and email are needed: ask for them. */
			if (i == 0 || (i == 2 && !has_auth_header(in))) {
				fixed = diag__fill_placeholders(plain[i].ph,
				    NULL);
				diag_buf_addf(cmd, " %s %s", plain[i].flag,
				    fixed);
				free(fixed);
			}
			continue;
		}
		if (src != NULL && diag_str_has_prefix(src, "env:")) {
			diag_buf_addf(env, "%s%s", env->len > 0 ? ", " : "",
			    src + 4);
			continue;
		}
		if (src != NULL && (strcmp(src, "default") == 0 ||
		    strcmp(src, "auth-header") == 0))
			continue;
		fixed = diag__fill_placeholders(plain[i].ph, in);
		diag_buf_addf(cmd, " %s ", plain[i].flag);
		if (fixed[0] == '<')
			diag_buf_adds(cmd, fixed);
		else
			shell_arg(cmd, fixed);
		free(fixed);
	}
	if (has_auth_header(in))
		diag_buf_adds(cmd, " --auth-header \"<the Authorization "
		    "header your script sends>\"");
	src = NULL;
	if (in != NULL && json_object_object_get_ex(in, "token", &v))
		src = member_str(v, "source");
	if (src == NULL && !has_auth_header(in))
		diag_buf_adds(cmd, " --token-file <token-file>");
	else if (src != NULL) {
		if (diag_str_has_prefix(src, "env:"))
			diag_buf_addf(env, "%s%s", env->len > 0 ? ", " : "",
			    src + 4);
		else if (diag_str_has_prefix(src, "file:")) {
			diag_buf_adds(cmd, " --token-file ");
			shell_arg(cmd, src + 5);
		} else if (strcmp(src, "stdin") == 0)
			diag_buf_adds(cmd, " --token-stdin < <token-file>");
		else if (!diag_str_has_prefix(src, "netrc") &&
		    strcmp(src, "auth-header") != 0)
			diag_buf_adds(cmd, " --token-file <token-file>");
	}
	src = NULL;
	if (in != NULL && json_object_object_get_ex(in, "org_key", &v))
		src = member_str(v, "source");
	if (src != NULL) {
		if (diag_str_has_prefix(src, "env:"))
			diag_buf_addf(env, "%s%s", env->len > 0 ? ", " : "",
			    src + 4);
		else if (diag_str_has_prefix(src, "file:")) {
			diag_buf_adds(cmd, " --org-key-file ");
			shell_arg(cmd, src + 5);
		} else
			diag_buf_adds(cmd, " --org-key-file <org-key-file>");
	}
	if (strcmp(command, "lint") == 0 && url != NULL) {
		diag_buf_adds(cmd, " --url ");
		shell_arg(cmd, url);
	} else if (strcmp(command, "request") == 0) {
		diag_buf_addc(cmd, ' ');
		shell_arg(cmd, method != NULL ? method : "GET");
		diag_buf_addc(cmd, ' ');
		if (url != NULL)
			shell_arg(cmd, url);
		else
			diag_buf_adds(cmd, "<url>");
	} else if (strcmp(command, "can-i") == 0)
		diag_buf_adds(cmd, " <PERMISSION> --project <KEY>");
}

/* One command in a sh block, and where its environment comes from. */
static void
command_block(struct md *m, const char *command)
{
	struct diag_buf cmd = DIAG_BUF_INIT, env = DIAG_BUF_INIT;

	command_line(m, command, &cmd, &env);
	fence(&m->b, "sh", diag_buf_str(&cmd));
	if (env.len > 0)
		diag_buf_addf(&m->b, "\nIt reads %s from the environment, as "
		    "this run did.\n", diag_buf_str(&env));
	diag_buf_release(&cmd);
	diag_buf_release(&env);
}

/*
 * "Re-check after the fix": the command to run again once the fixes are
 * in. After lint, also the live check (lint only looks at the inputs'
 * form); a passing lint gets only that.
 */
static void
recheck(struct md *m)
{
	const char *command = m->r->command;
	int pass = strcmp(diag__verdict_name(m->r), "pass") == 0;

	if (command == NULL || m->r->error != NULL)
		return;
	if (strcmp(command, "lint") == 0 && pass) {
		diag_buf_adds(&m->b, "\n### Next: check it live\n\n`lint` only "
		    "looks at the form of the inputs. This makes the calls "
		    "(reads only):\n\n");
		command_block(m, "check");
		return;
	}
	if (pass)
		return;
	if (strcmp(command, "lint") != 0 && strcmp(command, "check") != 0 &&
	    strcmp(command, "request") != 0 && strcmp(command, "can-i") != 0 &&
	    strcmp(command, "explain") != 0)
		return;
	diag_buf_adds(&m->b, "\n### Re-check after the fix\n\n");
	if (strcmp(command, "explain") == 0) {
		diag_buf_adds(&m->b, "Replay the call live (reads only; "
		    "atldiag never replays a write), filling in any "
		    "`<placeholder>`:\n\n");
		command_block(m, "request");
		return;
	}
	diag_buf_adds(&m->b, "Once the fixes above are in, run (filling in "
	    "any `<placeholder>`):\n\n");
	command_block(m, command);
	if (strcmp(command, "lint") == 0) {
		diag_buf_adds(&m->b, "\nThen check it live (reads only):\n\n");
		command_block(m, "check");
	}
}

char *
diag__render_markdown(const struct diag_report *r,
    const struct diag_render_opts *opts)
{
	struct md m;
	size_t i;

	(void)opts;
	m.b = (struct diag_buf)DIAG_BUF_INIT;
	m.r = r;
	header(&m);
	if (r->error != NULL)
		return diag_esc_line_starts(diag_buf_detach(&m.b));
	inputs(&m);
	if (r->n_findings > 0)
		diag_buf_adds(&m.b, "\n### Findings\n");
	for (i = 0; i < r->n_findings; i++)
		if (r->findings[i] != NULL)
			finding(&m, r->findings[i], i + 1);
	requirements(&m);
	checks(&m);
	recheck(&m);
	return diag_esc_line_starts(diag_buf_detach(&m.b));
}
