/* tests/unit/test_report.c: the report renderers: contract fields, escaping, placeholders, no credentials. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include <json-c/json.h>

#include "diag/core/escape.h"
#include "diag/core/model.h"
#include "diag/report/report.h"
#include "diag/report/report_util.h"
#include "diag/report/view.h"
#include "diag/core/util.h"
#include "tests/unit/dtest.h"

/* The raw credential a careless model could leak; it must never show. */
#define RAW_AUTH "Basic ZGV2QGFjbWUuY29tOkFUQVRUM3hGZkdGMHNlY3JldHRva2Vu"
#define RAW_COOKIE "tenant.session.token=eyJraWQiOiJzZWNyZXQtY29va2llIn0"

static struct diag_diagnosis *
dx_new(const char *code, const char *title, const char *owner,
    const char *explanation, const char *step1, const char *step2)
{
	struct diag_diagnosis *dx;
	size_t l;

	dx = diag_xcalloc(1, sizeof(*dx));
	dx->code = diag_xstrdup(code);
	dx->title = diag_xstrdup(title);
	l = strcspn(code, ".");
	dx->layer = diag_xstrndup(code, l);
	dx->owner = diag_xstrdup(owner);
	dx->explanation = diag_xstrdup(explanation);
	dx->remediation = diag_xcalloc(2, sizeof(char *));
	dx->remediation[dx->n_remediation++] = diag_xstrdup(step1);
	if (step2 != NULL)
		dx->remediation[dx->n_remediation++] = diag_xstrdup(step2);
	dx->docs = diag_xcalloc(1, sizeof(char *));
	dx->docs[dx->n_docs++] =
	    diag_xstrdup("https://support.atlassian.com/atlassian-account/docs/"
			 "manage-api-tokens-for-your-atlassian-account/");
	return dx;
}

static void
dx_free(struct diag_diagnosis *dx)
{
	size_t i;

	if (dx == NULL)
		return;
	free(dx->code);
	free(dx->title);
	free(dx->layer);
	free(dx->owner);
	free(dx->explanation);
	for (i = 0; i < dx->n_remediation; i++)
		free(dx->remediation[i]);
	free(dx->remediation);
	for (i = 0; i < dx->n_docs; i++)
		free(dx->docs[i]);
	free(dx->docs);
	free(dx);
}

static void
strv_push(char ***v, size_t *n, const char *s)
{
	*v = diag_xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[(*n)++] = diag_xstrdup(s);
}

static struct diag_finding *
add_finding(struct diag_report *r, const struct diag_diagnosis *dx,
    const char *check, enum diag_status st, const char *detail)
{
	struct diag_finding *f;

	f = diag_xcalloc(1, sizeof(*f));
	f->code = diag_xstrdup(dx->code);
	f->dx = dx;
	f->check_id = diag_xstrdup(check);
	f->status = st;
	f->confidence = DIAG_CONFIRMED;
	f->detail = diag_xstrdup(detail);
	f->seq = (unsigned)r->n_findings;
	r->findings = diag_xrealloc(r->findings,
	    (r->n_findings + 1) * sizeof(*r->findings));
	r->findings[r->n_findings++] = f;
	return f;
}

static struct diag_check_result *
add_check(struct diag_report *r, const char *id, enum diag_status st,
    const char *message, const char *blocked_by, const char *code)
{
	struct diag_check_result *c;

	r->checks =
	    diag_xrealloc(r->checks, (r->n_checks + 1) * sizeof(*r->checks));
	c = &r->checks[r->n_checks++];
	memset(c, 0, sizeof(*c));
	c->id = diag_xstrdup(id);
	c->status = st;
	c->message = diag_xstrdup(message);
	c->blocked_by = diag_xstrdup(blocked_by);
	c->duration_ms = 3;
	if (code != NULL)
		strv_push(&c->codes, &c->n_codes, code);
	return c;
}

/* A 401 from the site, as a scoped token sent to the site gets it. */
static struct diag_exchange *
site_401(void)
{
	struct diag_exchange *ex;
	char body[700];

	ex = diag_exchange_new("auth.site/myself", "GET",
	    "https://acme.atlassian.net/rest/api/3/myself");
	ex->auth = diag_xstrdup("basic");
	ex->auth_desc = diag_xstrdup("Basic <email:token, redacted>");
	diag_exchange_add_req_header(ex, "Authorization", RAW_AUTH);
	diag_exchange_add_req_header(ex, "Cookie", RAW_COOKIE);
	diag_exchange_add_req_header(ex, "User-Agent", "atldiag/0.1.0");
	ex->status = 401;
	ex->http_version = diag_xstrdup("HTTP/1.1");
	diag_exchange_add_header(ex, "Content-Type", "text/plain");
	diag_exchange_add_header(ex, "X-Seraph-LoginReason",
	    "AUTHENTICATED_FAILED");
	diag_exchange_add_header(ex, "Set-Cookie", RAW_COOKIE);
	diag_exchange_add_header(ex, "WWW-Authenticate",
	    "OAuth realm=\"https%3A%2F%2Facme.atlassian.net\"");
	diag_exchange_add_header(ex, "ATL-TraceId", "4f1c2b3a9d8e7f60");
	memset(body, 'x', sizeof(body) - 1);
	memcpy(body, "Client must be authenticated\r\n\x01", 31);
	body[sizeof(body) - 1] = '\0';
	ex->body = diag_xstrdup(body);
	ex->body_len = strlen(body);
	ex->duration_ms = 41;
	return ex;
}

struct fixture {
	struct diag_diagnosis *scoped, *whitespace, *rate;
	struct diag_report *r;
};

/*
 * A failing report: a scoped token sent to the site (fail, with
 * evidence), hidden characters in the token (warn), a blocked check and
 * an inconclusive one.
 */
static void
fixture_init(struct fixture *fx, const char *inputs_json)
{
	struct diag_finding *f;

	fx->scoped = dx_new("routing.scoped_token_on_site",
	    "A scoped token was sent to {site}", "caller",
	    "Scoped and service-account tokens work only through the gateway, "
	    "api.atlassian.com/ex/{product}/{cloud_id}; the site refuses them "
	    "as if they were wrong.",
	    "Send the call to "
	    "https://api.atlassian.com/ex/{product}/{cloud_id}/rest/api/3/"
	    "myself.",
	    "Keep the email {email} and the token; only the URL changes.");
	fx->whitespace = dx_new("token.whitespace",
	    "The API token carries hidden characters", "caller",
	    "Atlassian compares the token byte for byte.",
	    "Write the token without a newline: printf %s \"$TOKEN\" > file.",
	    NULL);
	fx->rate =
	    dx_new("service.rate_limited", "Atlassian rate-limited the calls",
		"atlassian", "A 429 says nothing about the token.",
		"Wait for Retry-After seconds and run again.", NULL);
	fx->r = diag_report_new("check");
	fx->r->inputs = json_tokener_parse(inputs_json != NULL ?
		inputs_json :
		"{\"site\":{\"value\":\"https://acme.atlassian.net/jira\","
		"\"source\":\"env:ATLASSIAN_SITE\"},"
		"\"cloud_id\":{\"value\":\"0e4b1a6c-3f2d-4b8e-9a7c-"
		"5d6e7f8a9b0c\","
		"\"source\":\"flag:--cloud-id\"},"
		"\"email\":{\"value\":\"dev@acme.com\",\"source\":\"flag:--"
		"email\"},"
		"\"token\":{\"kind\":\"service_account_token\",\"length\":192,"
		"\"checksum\":\"ok\",\"fingerprint\":\"sha256:1f2e3d4c\","
		"\"source\":\"file:/run/secrets/jira\"},"
		"\"product\":{\"value\":\"jira\",\"source\":\"default\"}}");
	ck_assert_ptr_nonnull(fx->r->inputs);

	f = add_finding(fx->r, fx->scoped, "auth.site", DIAG_FAIL,
	    "The service-account token was sent to https://acme.atlassian.net, "
	    "which answered 401.");
	strv_push(&f->notes, &f->n_notes,
	    "The same token passed through the gateway.");
	strv_push(&f->steps, &f->n_steps,
	    "Change JIRA_URL in the pipeline settings to the gateway URL.");
	f->evidence = diag_xcalloc(1, sizeof(*f->evidence));
	f->evidence[f->n_evidence++] = site_401();
	add_finding(fx->r, fx->whitespace, "input.token", DIAG_WARN,
	    "The token file ends in a newline (\\n).");
	add_check(fx->r, "input.token", DIAG_WARN,
	    "ATSTT service-account token, 192 characters, checksum ok", NULL,
	    "token.whitespace");
	add_check(fx->r, "auth.site", DIAG_FAIL, "401 from the site", NULL,
	    "routing.scoped_token_on_site");
	add_check(fx->r, "project.access", DIAG_BLOCKED, NULL, "auth.site",
	    NULL);
	add_check(fx->r, "net.reach", DIAG_PASS, "every host answered", NULL,
	    NULL);
	fx->r->exchanges = 7;
	diag_report_finish(fx->r, 0);
}

static void
fixture_release(struct fixture *fx)
{
	diag_report_free(fx->r);
	dx_free(fx->scoped);
	dx_free(fx->whitespace);
	dx_free(fx->rate);
}

static char *
render(const struct diag_report *r, enum diag_format fmt, int verbose,
    int strict, int color)
{
	struct diag_render_opts o;

	memset(&o, 0, sizeof(o));
	o.verbose = verbose;
	o.strict = strict;
	o.color = color;
	return diag_report_render(r, fmt, &o);
}

/* Writes s to a new temporary file; returns its path (free(3)). */
static char *
tmpfile_with(const char *s, const char *suffix)
{
	char *path;
	FILE *fp;
	int fd;

	path = diag_xasprintf("/tmp/dtest-report-XXXXXX%s", suffix);
	fd = mkstemps(path, (int)strlen(suffix));
	ck_assert_int_ge(fd, 0);
	fp = fdopen(fd, "w");
	ck_assert_ptr_nonnull(fp);
	ck_assert_int_eq(fputs(s, fp) >= 0, 1);
	ck_assert_int_eq(fclose(fp), 0);
	return path;
}

/* The source tree: $top_srcdir, else from this file's path. */
static char *
srcdir(void)
{
	const char *e = getenv("top_srcdir");
	const char *f = __FILE__;
	const char *p;

	if (e != NULL && *e != '\0')
		return diag_xstrdup(e);
	p = strstr(f, "tests/unit/test_report.c");
	if (p == NULL || p == f)
		return diag_xstrdup(".");
	return diag_xstrndup(f, (size_t)(p - f - 1));
}

/* Runs the schema validator on a JSON text; returns its exit status.
 * quiet: its complaints (expected ones) are not shown. */
static int
validate_json(const char *json, int quiet)
{
	const char *py = getenv("PYTHON3");
	struct diag_buf cmd = DIAG_BUF_INIT;
	char *path, *top;
	int rc;

	if (py == NULL || *py == '\0')
		py = "/usr/bin/python3";
	path = tmpfile_with(json, ".json");
	top = srcdir();
	diag_buf_addf(&cmd, "'%s' '%s/tests/lib/validate-report.py'", py, top);
	diag_buf_addf(&cmd, " --schema '%s/docs/report.schema.json'", top);
	diag_buf_addf(&cmd, " '%s'%s", path, quiet ? " 2>/dev/null" : "");
	rc = system(diag_buf_str(&cmd));
	unlink(path);
	free(path);
	free(top);
	diag_buf_release(&cmd);
	return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

/* Runs xmllint on an XML text (against tests/golden/junit.xsd when
 * schema is set); returns its exit status. */
static int
xmllint(const char *xml, int schema)
{
	struct diag_buf cmd = DIAG_BUF_INIT;
	char *path, *top;
	int rc;

	path = tmpfile_with(xml, ".xml");
	top = srcdir();
	/* Quiet on success; xmllint's complaints go to stderr. */
	if (schema)
		diag_buf_addf(&cmd,
		    "o=$(xmllint --noout --schema "
		    "'%s/tests/golden/junit.xsd' '%s' 2>&1); "
		    "rc=$?; [ $rc = 0 ] || echo \"$o\" >&2; exit $rc",
		    top, path);
	else
		diag_buf_addf(&cmd, "xmllint --noout '%s'", path);
	rc = system(diag_buf_str(&cmd));
	unlink(path);
	free(path);
	free(top);
	diag_buf_release(&cmd);
	return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

static struct json_object *
jget(struct json_object *o, const char *path)
{
	char *copy, *part, *save = NULL;
	struct json_object *cur = o;

	copy = diag_xstrdup(path);
	for (part = strtok_r(copy, ".", &save); part != NULL && cur != NULL;
	     part = strtok_r(NULL, ".", &save)) {
		if (part[0] >= '0' && part[0] <= '9')
			cur =
			    json_object_array_get_idx(cur, (size_t)atoi(part));
		else if (!json_object_object_get_ex(cur, part, &cur))
			cur = NULL;
	}
	free(copy);
	return cur;
}

static const char *
jstr(struct json_object *o, const char *path)
{
	struct json_object *v = jget(o, path);

	return v != NULL ? json_object_get_string(v) : NULL;
}

START_TEST(json_has_every_contract_field)
{
	struct fixture fx;
	struct json_object *doc, *v;
	const char *s;

	fixture_init(&fx, NULL);
	doc = diag_report_json(fx.r);
	ck_assert_str_eq(jstr(doc, "schema"), "atldiag.report/1");
	ck_assert_str_eq(jstr(doc, "tool.name"), "atldiag");
	ck_assert_ptr_nonnull(jstr(doc, "tool.version"));
	ck_assert_str_eq(jstr(doc, "command"), "check");
	ck_assert_str_eq(jstr(doc, "verdict"), "fail");
	ck_assert_int_eq(json_object_get_int(jget(doc, "exit_code")), 1);
	ck_assert_str_eq(jstr(doc, "primary"), "routing.scoped_token_on_site");
	ck_assert_int_eq(json_object_get_int(jget(doc, "exchanges")), 7);
	ck_assert_str_eq(jstr(doc, "inputs.token.fingerprint"),
	    "sha256:1f2e3d4c");
	ck_assert_str_eq(jstr(doc, "findings.0.owner"), "caller");
	ck_assert_str_eq(jstr(doc, "findings.0.layer"), "routing");
	ck_assert_str_eq(jstr(doc, "findings.0.confidence"), "confirmed");
	ck_assert_str_eq(jstr(doc, "findings.0.check"), "auth.site");
	ck_assert_str_eq(jstr(doc, "findings.0.title"),
	    "A scoped token was sent to acme.atlassian.net");
	ck_assert_str_eq(jstr(doc, "findings.0.notes.0"),
	    "The same token passed through the gateway.");
	ck_assert_str_eq(jstr(doc, "findings.0.evidence.0.request.auth"),
	    "basic");
	v = jget(doc, "findings.0.evidence.0.response.status");
	ck_assert_int_eq(json_object_get_int(v), 401);
	ck_assert_str_eq(jstr(doc, "findings.0.evidence.0.trace_id"),
	    "4f1c2b3a9d8e7f60");
	s = jstr(doc,
	    "findings.0.evidence.0.response.headers.x-seraph-loginreason");
	ck_assert_str_eq(s, "AUTHENTICATED_FAILED");
	ck_assert_ptr_null(
	    jget(doc, "findings.0.evidence.0.response.headers.set-cookie"));
	ck_assert_str_eq(jstr(doc, "findings.0.evidence.0.source"), "live");
	ck_assert_str_eq(jstr(doc, "checks.2.blocked_by"), "auth.site");
	ck_assert(!json_object_object_get_ex(jget(doc, "checks.0"),
	    "blocked_by", &v));
	ck_assert_str_eq(jstr(doc, "checks.1.findings.0"),
	    "routing.scoped_token_on_site");
	ck_assert(!json_object_object_get_ex(doc, "error", &v));
	json_object_put(doc);
	fixture_release(&fx);
}
END_TEST

START_TEST(json_body_excerpt_is_capped_and_printable)
{
	struct fixture fx;
	struct json_object *doc;
	const char *body;

	fixture_init(&fx, NULL);
	doc = diag_report_json(fx.r);
	body = jstr(doc, "findings.0.evidence.0.response.body_excerpt");
	ck_assert_ptr_nonnull(body);
	ck_assert(
	    strncmp(body, "Client must be authenticated\n\\x01", 33) == 0);
	ck_assert_uint_le(strlen(body), DIAG_BODY_EXCERPT + 3);
	ck_assert(json_object_get_boolean(
	    jget(doc, "findings.0.evidence.0.response.body_truncated")));
	json_object_put(doc);
	fixture_release(&fx);
}
END_TEST

START_TEST(json_validates_against_the_schema)
{
	struct fixture fx;
	char *s;

	fixture_init(&fx, NULL);
	s = render(fx.r, DIAG_FORMAT_JSON, 0, 0, 0);
	ck_assert_int_eq(validate_json(s, 0), 0);
	free(s);
	fixture_release(&fx);
}
END_TEST

START_TEST(schema_rejects_a_report_that_breaks_the_contract)
{
	struct fixture fx;
	struct json_object *doc;
	char *bad;

	/* The validator must be able to fail: an owner outside the enum. */
	fixture_init(&fx, NULL);
	free(fx.scoped->owner);
	fx.scoped->owner = diag_xstrdup("someone");
	doc = diag_report_json(fx.r);
	bad = diag_xstrdup(json_object_to_json_string(doc));
	ck_assert_int_eq(validate_json(bad, 1), 1);
	free(bad);
	json_object_put(doc);
	fixture_release(&fx);
}
END_TEST

START_TEST(json_error_report_says_error_and_validates)
{
	struct diag_report *r;
	struct json_object *doc;
	char *s;

	r = diag_report_error("check", 2, "unknown option '--colour'");
	diag_report_finish(r, 0);
	doc = diag_report_json(r);
	ck_assert_str_eq(jstr(doc, "verdict"), "error");
	ck_assert_str_eq(jstr(doc, "error"), "unknown option '--colour'");
	ck_assert_int_eq(json_object_get_int(jget(doc, "exit_code")), 2);
	ck_assert_ptr_null(jget(doc, "primary"));
	json_object_put(doc);
	s = render(r, DIAG_FORMAT_JSON, 0, 0, 0);
	ck_assert_int_eq(validate_json(s, 0), 0);
	free(s);
	diag_report_free(r);
}
END_TEST

START_TEST(json_extra_members_never_replace_contract_members)
{
	static const char extra[] =
	    "{\"answer\":\"no\",\"verdict\":\"pass\",\"none\":null}";
	struct fixture fx;
	struct json_object *doc;

	fixture_init(&fx, NULL);
	fx.r->extra = json_tokener_parse(extra);
	doc = diag_report_json(fx.r);
	ck_assert_str_eq(jstr(doc, "answer"), "no");
	ck_assert_str_eq(jstr(doc, "verdict"), "fail");
	ck_assert(json_object_object_get_ex(doc, "none", NULL));
	json_object_put(doc);
	fixture_release(&fx);
}
END_TEST

START_TEST(remediation_puts_case_steps_first_and_fills_placeholders)
{
	struct fixture fx;
	struct diag_report_view *v;

	fixture_init(&fx, NULL);
	v = diag_report_view_new(fx.r);
	ck_assert_uint_eq(v->findings[0].n_steps, 3);
	ck_assert_str_eq(v->findings[0].steps[0],
	    "Change JIRA_URL in the pipeline settings to the gateway URL.");
	ck_assert_str_eq(v->findings[0].steps[1],
	    "Send the call to https://"
	    "api.atlassian.com/ex/jira/0e4b1a6c-3f2d-4b8e-9a7c-5d6e7f8a9b0c/"
	    "rest/api/3/myself.");
	ck_assert_str_eq(v->findings[0].steps[2],
	    "Keep the email dev@acme.com and the token; only the URL changes.");
	ck_assert_ptr_null(v->findings[0].steps[3]);
	ck_assert_str_eq(v->verdict, "fail");
	ck_assert_str_eq(v->verdict_upper, "FAIL");
	ck_assert_uint_eq(v->findings_by[DIAG_VIEW_FAIL], 1);
	ck_assert_uint_eq(v->findings_by[DIAG_VIEW_WARN], 1);
	ck_assert_str_eq(v->checks_line,
	    "checks: 1 pass, 1 warn, 1 fail, 1 blocked");
	diag_report_view_free(v);
	fixture_release(&fx);
}
END_TEST

/* A report with these inputs (JSON) and known values, and one finding of
 * each code given (a catalogue entry without steps). */
static struct diag_report *
report_with(const char *inputs, const char *known, const char *const *codes)
{
	static struct diag_diagnosis dx[8];
	struct diag_report *r;
	struct diag_finding *f;
	size_t i;

	r = diag_report_new("check");
	r->inputs = json_tokener_parse(inputs);
	ck_assert_ptr_nonnull(r->inputs);
	if (known != NULL) {
		r->known = json_tokener_parse(known);
		ck_assert_ptr_nonnull(r->known);
	}
	for (i = 0; codes != NULL && codes[i] != NULL && i < 8; i++) {
		dx[i].code = (char *)codes[i];
		dx[i].title = (char *)codes[i];
		f = diag_xcalloc(1, sizeof(*f));
		f->code = diag_xstrdup(codes[i]);
		f->dx = &dx[i];
		f->status = DIAG_FAIL;
		f->confidence = DIAG_CONFIRMED;
		r->findings = diag_xrealloc(r->findings,
		    (r->n_findings + 1) * sizeof(*r->findings));
		r->findings[r->n_findings++] = f;
	}
	diag_report_finish(r, 0);
	return r;
}

#define ORG_ID "6f3c1a52-9b7e-4d21-8c4a-2e5f0b9d7a13"
#define FOUND_ID "0e4b1a6c-3f2d-4b8e-9a7c-5d6e7f8a9b0c"

START_TEST(placeholders_become_visible_blanks_when_unknown_or_unusable)
{
	static const char in[] =
	    "{\"site\":{\"value\":\"http://acme.atlassian.net/wiki/spaces\","
	    "\"source\":\"flag:--site\"},"
	    "\"cloud_id\":{\"value\":\"https://admin.atlassian.com/o/6f3c\","
	    "\"source\":\"flag:--cloud-id\"},"
	    "\"email\":{\"value\":\"5b10ac8d82e05b22cc7d4ef5\","
	    "\"source\":\"flag:--email\"}}";
	struct diag_report *r;
	char *s;

	r = report_with(in, NULL, NULL);
	s = diag_view_fill(r,
	    "{site} {cloud_id} {email} {product} {cloudId} {site {project} "
	    "{admin}",
	    0);
	ck_assert_str_eq(s,
	    "acme.atlassian.net <cloud-id> <email> <product> {cloudId} {site "
	    "<KEY> admin.atlassian.com");
	free(s);
	/* Blanks written by check code are filled only when literal. */
	s = diag_view_fill(r, "https://<your-site>.atlassian.net/ <email>", 1);
	ck_assert_str_eq(s, "https://acme.atlassian.net/ <email>");
	free(s);
	s = diag_view_fill(r, "https://<your-site>/", 0);
	ck_assert_str_eq(s, "https://<your-site>/");
	free(s);
	ck_assert_ptr_null(diag_view_fill(r, NULL, 0));
	diag_report_free(r);
}
END_TEST

START_TEST(known_values_fill_project_permission_and_admin_screen)
{
	static const char *const codes[] = { "cloud_id.is_org_id", NULL };
	struct diag_report *r;
	char *s;

	r = report_with(
	    "{\"site\":{\"value\":\"acme.atlassian.net\","
	    "\"source\":\"flag:--site\"},\"cloud_id\":{\"value\":\"" ORG_ID
	    "\",\"source\":\"flag:--cloud-id\"},\"email\":{\"value\":"
	    "\"dev@acme.com\",\"source\":\"flag:--email\"}}",
	    "{\"project\":\"OPS\",\"permission\":\"CREATE_ISSUES\"}", codes);
	s = diag_view_fill(r,
	    "{project} {permission} {org_id} {admin} {account} {cloud_id}", 0);
	/* The org ID given as the cloud ID names the admin screen, and is
	 * never offered back as the cloud ID. */
	ck_assert_str_eq(s,
	    "OPS CREATE_ISSUES " ORG_ID " https://admin.atlassian.com/o/" ORG_ID
	    "/overview dev@acme.com <cloud-id>");
	free(s);
	diag_report_free(r);
}
END_TEST

/* The re-check command never passes back a value a finding condemned:
 * the org ID given as --cloud-id becomes the cloud ID the site's
 * tenant_info gave, or a blank. */
START_TEST(recheck_never_repeats_the_flagged_value)
{
	static const char *const codes[] = { "cloud_id.is_org_id",
		"email.is_account_id", NULL };
	static const char in[] =
	    "{\"site\":{\"value\":\"acme.atlassian.net\","
	    "\"source\":\"flag:--site\"},\"cloud_id\":{\"value\":\"" ORG_ID
	    "\",\"source\":\"env:ATLASSIAN_CLOUD_ID\"},\"email\":{\"value\":"
	    "\"5b10ac8d82e05b22cc7d4ef5\",\"source\":\"flag:--email\"},"
	    "\"token\":{\"length\":192,\"source\":\"file:tok\"}}";
	struct diag_report_view *v;
	struct diag_report *r;

	r = report_with(in, "{\"cloud_id_found\":\"" FOUND_ID "\"}", codes);
	v = diag_report_view_new(r);
	ck_assert_ptr_nonnull(v->recheck.command);
	ck_assert_ptr_null(strstr(v->recheck.command, ORG_ID));
	ck_assert_ptr_null(strstr(v->recheck.command, "5b10ac8d82e05b22"));
	ck_assert_str_eq(v->recheck.command,
	    "atldiag check --site acme.atlassian.net --cloud-id " FOUND_ID
	    " --email <email> --token-file tok");
	/* Read from the environment no more: the variable holds the bad
	 * value. */
	ck_assert_ptr_null(v->recheck.env);
	diag_report_view_free(v);
	diag_report_free(r);

	r = report_with(in, "{\"cloud_id_found\":\"" ORG_ID "\"}", codes);
	v = diag_report_view_new(r);
	ck_assert_ptr_null(strstr(v->recheck.command, ORG_ID));
	ck_assert_ptr_nonnull(
	    strstr(v->recheck.command, "--cloud-id <cloud-id>"));
	diag_report_view_free(v);
	diag_report_free(r);
}
END_TEST

/* A step asking for an org key is dropped when one was given; a step
 * that says what an earlier one said is given once. */
START_TEST(steps_never_repeat_nor_ask_for_what_was_given)
{
	static const char inputs[] =
	    "{\"org_key\":{\"length\":40,\"source\":\"file:org.key\"}}";
	struct diag_diagnosis *dx;
	struct diag_report_view *v;
	struct diag_report *r;
	struct diag_finding *f;
	size_t i, j;

	dx = dx_new("input.site_missing", "No site", "caller", "Why.",
	    "Give the site with `--site`, or export one of `ATLASSIAN_SITE`, "
	    "`JIRA_URL`, `JIRA_SERVER` or `CONFLUENCE_URL`.",
	    "For an authoritative answer rerun with an org admin API key: "
	    "`atldiag check --org-key-file <file>`.");
	r = diag_report_new("check");
	r->inputs = json_tokener_parse(inputs);
	f = add_finding(r, dx, "input.sources", DIAG_FAIL, "No site.");
	/* As input.sources words it. */
	strv_push(&f->steps, &f->n_steps,
	    "Give it with --site or ATLASSIAN_SITE (e.g. acme.atlassian.net).");
	strv_push(&f->steps, &f->n_steps,
	    "Give it with --site or ATLASSIAN_SITE (e.g. acme.atlassian.net).");
	diag_report_finish(r, 0);
	v = diag_report_view_new(r);
	ck_assert_uint_eq(v->findings[0].n_steps, 1);
	ck_assert_ptr_nonnull(strstr(v->findings[0].steps[0], "JIRA_SERVER"));
	for (i = 0; i < v->findings[0].n_steps; i++) {
		ck_assert_ptr_null(
		    strstr(v->findings[0].steps[i], "--org-key-file"));
		for (j = 0; j < i; j++)
			ck_assert_str_ne(v->findings[0].steps[i],
			    v->findings[0].steps[j]);
	}
	ck_assert_ptr_nonnull(
	    strstr(v->recheck.command, "--org-key-file org.key"));
	diag_report_view_free(v);
	diag_report_free(r);
	dx_free(dx);
}
END_TEST

/* Every secret input (the four kinds) is described, never shown, in every
 * format, even if its value slipped into the inputs. */
START_TEST(secret_inputs_are_never_shown_in_any_format)
{
	static const enum diag_format fmts[] = {
		DIAG_FORMAT_TEXT,
		DIAG_FORMAT_JSON,
		DIAG_FORMAT_MARKDOWN,
		DIAG_FORMAT_JUNIT,
		DIAG_FORMAT_GITHUB,
	};
	static const char *const secrets[] = {
		"ATATT3xFfGF0tokensekrit",
		"hunter2passwordsekrit",
		"Basic ZGV2OnNla3JpdGhlYWRlcg",
		"orgkeysekritvalue1234",
	};
	struct diag_report_view *v;
	struct json_object *in;
	struct diag_report *r;
	size_t i, k;
	char *s;

	r = report_with(
	    "{\"token\":{\"value\":\"ATATT3xFfGF0tokensekrit\","
	    "\"source\":\"flag:--token\"},\"password\":{\"value\":"
	    "\"hunter2passwordsekrit\",\"source\":\"env:PW\"},"
	    "\"auth_header\":{\"value\":\"Basic ZGV2OnNla3JpdGhlYWRlcg\","
	    "\"source\":\"flag:--auth-header\"},\"org_key\":{\"value\":"
	    "\"orgkeysekritvalue1234\",\"source\":\"flag:--org-key\"}}",
	    NULL, NULL);
	v = diag_report_view_new(r);
	ck_assert_uint_eq(v->n_inputs, 4);
	for (i = 0; i < v->n_inputs; i++) {
		ck_assert(v->inputs[i].secret);
		ck_assert_str_eq(v->inputs[i].shown, "(given; not shown)");
	}
	diag_report_view_free(v);
	/* The JSON report keeps the inputs object as the engine made it (a
	 * secret never has a value there); the other formats use the view. */
	in = r->inputs;
	for (i = 0; i < DIAG_NELEM(fmts); i++) {
		if (fmts[i] == DIAG_FORMAT_JSON)
			continue;
		s = render(r, fmts[i], 1, 0, 0);
		for (k = 0; k < DIAG_NELEM(secrets); k++)
			ck_assert_msg(strstr(s, secrets[k]) == NULL,
			    "format %zu shows %s", i, secrets[k]);
		free(s);
	}
	(void)in;
	diag_report_free(r);
}
END_TEST

START_TEST(text_starts_with_the_summary_and_quiet_prints_only_it)
{
	static const char summary[] =
	    "FAIL  routing.scoped_token_on_site \xe2\x80\x94 A scoped token "
	    "was sent to acme.atlassian.net (2 findings, 4 checks, 7 "
	    "exchanges)\n";
	struct fixture fx;
	struct diag_render_opts o;
	char *s;

	fixture_init(&fx, NULL);
	s = render(fx.r, DIAG_FORMAT_TEXT, 0, 0, 0);
	ck_assert_msg(strncmp(s, summary, strlen(summary)) == 0,
	    "summary: %.120s", s);
	ck_assert_ptr_nonnull(strstr(s, "you (whoever runs the script)"));
	ck_assert_ptr_nonnull(strstr(s, "1. Change JIRA_URL"));
	/* The checks as one line of counts; the table only with -v. */
	ck_assert_ptr_nonnull(strstr(s,
	    "\nchecks: 1 pass, 1 warn, 1 fail, 1 blocked (-v lists them)\n"));
	ck_assert_ptr_null(strstr(s, "blocked by auth.site"));
	ck_assert_ptr_null(strstr(s, "\033["));
	ck_assert_ptr_null(strstr(s, "X-Seraph-LoginReason"));
	free(s);
	memset(&o, 0, sizeof(o));
	o.quiet = 1;
	s = diag_report_render(fx.r, DIAG_FORMAT_TEXT, &o);
	ck_assert_ptr_nonnull(strchr(s, '\n'));
	ck_assert_str_eq(strchr(s, '\n'), "\n");
	free(s);
	fixture_release(&fx);
}
END_TEST

START_TEST(text_colour_only_when_asked_and_evidence_only_verbose)
{
	struct fixture fx;
	char *s;

	fixture_init(&fx, NULL);
	s = render(fx.r, DIAG_FORMAT_TEXT, 1, 0, 1);
	ck_assert_ptr_nonnull(strstr(s, "\033[1;31mFAIL\033[0m"));
	ck_assert_ptr_nonnull(
	    strstr(s, "X-Seraph-LoginReason: AUTHENTICATED_FAILED"));
	ck_assert_ptr_nonnull(strstr(s, "ATL-TraceId: 4f1c2b3a9d8e7f60"));
	ck_assert_ptr_nonnull(strstr(s, "-> HTTP/1.1 401"));
	ck_assert_ptr_null(strstr(s, "Content-Type"));
	free(s);
	fixture_release(&fx);
}
END_TEST

START_TEST(text_wraps_prose_at_78_columns)
{
	struct fixture fx;
	char *s, *line, *p, *save = NULL;

	fixture_init(&fx, NULL);
	s = render(fx.r, DIAG_FORMAT_TEXT, 0, 0, 0);
	/* Every line but the summary fits, unless it holds one word that
	 * alone is too long (a URL), after the indent or a field label. */
	line = strtok_r(s, "\n", &save);
	for (line = strtok_r(NULL, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save)) {
		if (diag__utf8_width(line, strlen(line)) <= 78)
			continue;
		/* A command to paste is never cut. */
		if (strncmp(line, "    atldiag ", 12) == 0)
			continue;
		p = line + strspn(line, " ");
		if (strncmp(p, "Docs ", 5) == 0 || strncmp(p, "Why ", 4) == 0 ||
		    (p[0] >= '1' && p[0] <= '9' && p[1] == '.'))
			p += strcspn(p, " ");
		p += strspn(p, " ");
		ck_assert_msg(strchr(p, ' ') == NULL, "too wide: '%s'", line);
	}
	free(s);
	fixture_release(&fx);
}
END_TEST

START_TEST(text_passing_report_says_so)
{
	const char *want =
	    "PASS  no problems found (0 findings, 1 check, 0 exchanges)\n\n"
	    "checks: 1 pass (-v lists them)\n";
	struct diag_report *r;
	char *s;

	r = diag_report_new("lint");
	add_check(r, "input.site", DIAG_PASS, "acme.atlassian.net", NULL, NULL);
	diag_report_finish(r, 0);
	s = render(r, DIAG_FORMAT_TEXT, 0, 0, 0);
	ck_assert(strncmp(s, want, 77) == 0);
	free(s);
	/* The checks table only with -v. */
	s = render(r, DIAG_FORMAT_TEXT, 1, 0, 0);
	ck_assert_ptr_nonnull(
	    strstr(s, "\nChecks\n  pass  input.site  acme.atlassian.net\n"));
	free(s);
	diag_report_free(r);
}
END_TEST

START_TEST(text_prints_a_step_shared_by_findings_once)
{
	struct diag_diagnosis *a, *b;
	struct diag_report *r;
	char *s, *first;

	a = dx_new("site.not_https", "http used", "caller", "Why a.",
	    "Use https.", "Re-check with atldiag check.");
	b = dx_new("email.is_username", "username", "caller", "Why b.",
	    "Use the email.", "Re-check with atldiag check.");
	r = diag_report_new("lint");
	add_finding(r, a, "input.site", DIAG_FAIL, "a");
	add_finding(r, b, "input.email", DIAG_FAIL, "b");
	diag_report_finish(r, 0);
	s = render(r, DIAG_FORMAT_TEXT, 0, 0, 0);
	first = strstr(s, "Re-check with atldiag check.");
	ck_assert_ptr_nonnull(first);
	ck_assert_ptr_null(strstr(first + 1, "Re-check with atldiag check."));
	ck_assert_ptr_nonnull(
	    strstr(s, "Then the same as step 2 of finding 1."));
	ck_assert_ptr_nonnull(strstr(s, "Use the email."));
	free(s);
	diag_report_free(r);
	dx_free(a);
	dx_free(b);
}
END_TEST

START_TEST(junit_is_well_formed_valid_and_escapes_everything)
{
	struct fixture fx;
	char *s;

	fixture_init(&fx, NULL);
	free(fx.r->findings[0]->detail);
	fx.r->findings[0]->detail = diag_xstrdup(
	    "a <b> & \"c\" 'd' \x01\x1b[31m\x7f bad utf-8 \xff\xfe ]]> end");
	s = render(fx.r, DIAG_FORMAT_JUNIT, 0, 0, 0);
	ck_assert_ptr_nonnull(strstr(s,
	    ">routing.scoped_token_on_site: A scoped token was sent to "
	    "acme.atlassian.net (fail, confirmed)\n"
	    "What happened: a &lt;b&gt; &amp; \"c\" 'd' \\x01\\x1B[31m\\x7F "
	    "bad utf-8 \\xFF\\xFE ]]&gt; end\n"));
	free(s);
	free(fx.scoped->title);
	fx.scoped->title = diag_xstrdup("<\"quoted\" & 'single'>\n\x02");
	s = render(fx.r, DIAG_FORMAT_JUNIT, 0, 0, 0);
	ck_assert_ptr_nonnull(strstr(s,
	    "<failure message=\"routing.scoped_"
	    "token_on_site: &lt;&quot;quoted&quot; &amp; &apos;single&apos;"
	    "&gt;\\n\\x02\" type="));
	ck_assert_ptr_null(strchr(s, '\x01'));
	ck_assert_ptr_null(strchr(s, '\x1b'));
	ck_assert_ptr_nonnull(strstr(s, "<testsuites"));
	ck_assert_ptr_nonnull(strstr(s, "<testsuite name=\"atldiag check\""));
	ck_assert_ptr_nonnull(strstr(s,
	    "<testcase classname=\"atldiag.auth\" name=\"auth.site\""));
	ck_assert_ptr_nonnull(
	    strstr(s, "<skipped message=\"blocked by auth.site\"/>"));
	ck_assert_int_eq(xmllint(s, 0), 0);
	ck_assert_int_eq(xmllint(s, 1), 0);
	free(s);
	fixture_release(&fx);
}
END_TEST

START_TEST(junit_warning_fails_only_under_strict)
{
	struct fixture fx;
	char *s, *tc, *p;

	fixture_init(&fx, NULL);
	s = render(fx.r, DIAG_FORMAT_JUNIT, 0, 0, 0);
	tc = strstr(s,
	    "<testcase classname=\"atldiag.input\" name=\"input.token\"");
	ck_assert_ptr_nonnull(tc);
	ck_assert(strncmp(strstr(tc + 1, "<"), "<system-out>", 12) == 0);
	ck_assert_ptr_nonnull(strstr(s, "failures=\"1\""));
	free(s);
	s = render(fx.r, DIAG_FORMAT_JUNIT, 0, 1, 0);
	tc = strstr(s,
	    "<testcase classname=\"atldiag.input\" name=\"input.token\"");
	p = strstr(tc + 1, "<");
	ck_assert(strncmp(p, "<failure message=\"token.whitespace:", 35) == 0);
	ck_assert_ptr_nonnull(strstr(s, "failures=\"2\""));
	free(s);
	fixture_release(&fx);
}
END_TEST

START_TEST(junit_inconclusive_is_an_error)
{
	struct fixture fx;
	char *s;

	fixture_init(&fx, NULL);
	add_finding(fx.r, fx.rate, "net.reach", DIAG_INCONCLUSIVE,
	    "429 with Retry-After: 30");
	fx.r->checks[3].status = DIAG_INCONCLUSIVE;
	s = render(fx.r, DIAG_FORMAT_JUNIT, 0, 0, 0);
	ck_assert_ptr_nonnull(strstr(s,
	    "<error message=\"service."
	    "rate_limited: Atlassian rate-limited the calls\""));
	ck_assert_ptr_nonnull(strstr(s, "errors=\"1\""));
	ck_assert_int_eq(xmllint(s, 1), 0);
	free(s);
	fixture_release(&fx);
}
END_TEST

START_TEST(github_escapes_data_and_properties)
{
	const char *first =
	    "::error title=routing.scoped_token_on_site%3A Sent to "
	    "acme.atlassian.net%2C 100%25 wrong::line one%0D%0Aline "
	    "two: 50%25, ok%0A::error::injected%0A";
	const char *recheck =
	    "::notice title=atldiag%3A re-check after the fix::atldiag check ";
	struct fixture fx;
	char *s, *line, *save = NULL;
	int n = 0;

	fixture_init(&fx, NULL);
	free(fx.scoped->title);
	fx.scoped->title = diag_xstrdup("Sent to {site}, 100% wrong");
	free(fx.r->findings[0]->detail);
	fx.r->findings[0]->detail =
	    diag_xstrdup("line one\r\nline two: 50%, ok\n::error::injected");
	s = render(fx.r, DIAG_FORMAT_GITHUB, 0, 0, 0);
	ck_assert(strncmp(s, first, 128) == 0);
	ck_assert_ptr_nonnull(strstr(s,
	    "\n::warning title=token.whitespace"
	    "%3A The API token carries hidden characters::"));
	/* One line per finding, the re-check, then the plain summary. */
	for (line = strtok_r(s, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save), n++) {
		if (n == 2)
			ck_assert(strncmp(line, recheck, 64) == 0);
		if (n == 3)
			ck_assert(
			    strncmp(line, "atldiag check: FAIL", 19) == 0);
	}
	ck_assert_int_eq(n, 4);
	free(s);
	s = render(fx.r, DIAG_FORMAT_GITHUB, 0, 1, 0);
	ck_assert_ptr_nonnull(strstr(s, "\n::error title=token.whitespace"));
	free(s);
	fixture_release(&fx);
}
END_TEST

START_TEST(markdown_escapes_table_cells_and_code_spans)
{
	struct fixture fx;
	struct diag_buf b = DIAG_BUF_INIT;
	char *s, *row, *end;
	size_t pipes = 0;

	fixture_init(&fx, NULL);
	free(fx.r->checks[0].message);
	fx.r->checks[0].message = diag_xstrdup("kind | length | `a|b` `x");
	s = render(fx.r, DIAG_FORMAT_MARKDOWN, 1, 0, 0);
	row = strstr(s, "| `input.token` |");
	ck_assert_ptr_nonnull(row);
	end = strchr(row, '\n');
	for (; row < end; row++)
		if (*row == '|' && row[-1] != '\\')
			pipes++;
	ck_assert_uint_eq(pipes, 4);
	ck_assert_ptr_nonnull(strstr(s, "kind \\| length \\| `a\\|b` \\`x |"));
	free(s);
	diag__esc_md_code(&b, "a`b");
	ck_assert_str_eq(diag_buf_str(&b), "``a`b``");
	diag_buf_release(&b);
	diag__esc_md_code(&b, "`x`");
	ck_assert_str_eq(diag_buf_str(&b), "`` `x` ``");
	diag_buf_release(&b);
	fixture_release(&fx);
}
END_TEST

START_TEST(markdown_has_inputs_trace_ids_and_a_recheck_command)
{
	struct fixture fx;
	char *s;
	int rc;

	fixture_init(&fx, NULL);
	s = render(fx.r, DIAG_FORMAT_MARKDOWN, 0, 0, 0);
	rc = strncmp(s,
	    "## atldiag check: FAIL \xe2\x80\x94 "
	    "`routing.scoped_token_on_site`\n",
	    56);
	ck_assert(rc == 0);
	ck_assert_ptr_nonnull(strstr(s,
	    "| token | service_account_token, 192 characters, checksum ok, "
	    "sha256:1f2e3d4c | `file:/run/secrets/jira` |"));
	ck_assert_ptr_nonnull(strstr(s,
	    "ATL-TraceId `4f1c2b3a9d8e7f60`: quote this ATL-TraceId to "
	    "Atlassian support."));
	ck_assert_ptr_nonnull(strstr(s, "### Re-check after the fix"));
	ck_assert_ptr_nonnull(strstr(s,
	    "atldiag check --cloud-id 0e4b1a6c-3f2d-4b8e-9a7c-5d6e7f8a9b0c "
	    "--email dev@acme.com --token-file /run/secrets/jira\n"));
	ck_assert_ptr_nonnull(
	    strstr(s, "It reads ATLASSIAN_SITE from the environment"));
	free(s);
	fixture_release(&fx);
}
END_TEST

START_TEST(markdown_never_shows_a_secret_input_value)
{
	struct fixture fx;
	char *s;

	/* Even if a secret's value slipped into the inputs, it stays out. */
	fixture_init(&fx,
	    "{\"token\":{\"value\":\"ATATT3xFfGF0sekrit\","
	    "\"source\":\"flag:--token\"}}");
	s = render(fx.r, DIAG_FORMAT_MARKDOWN, 0, 0, 0);
	ck_assert_ptr_null(strstr(s, "ATATT3xFfGF0sekrit"));
	ck_assert_ptr_nonnull(strstr(s, "(given; not shown)"));
	ck_assert_ptr_nonnull(strstr(s, "--token-file <token-file>"));
	free(s);
	s = render(fx.r, DIAG_FORMAT_JUNIT, 0, 0, 0);
	ck_assert_ptr_null(strstr(s, "ATATT3xFfGF0sekrit"));
	free(s);
	fixture_release(&fx);
}
END_TEST

START_TEST(no_format_prints_credential_header_values)
{
	static const enum diag_format fmts[] = {
		DIAG_FORMAT_TEXT,
		DIAG_FORMAT_JSON,
		DIAG_FORMAT_MARKDOWN,
		DIAG_FORMAT_JUNIT,
		DIAG_FORMAT_GITHUB,
	};
	struct fixture fx;
	size_t i;
	char *s;

	fixture_init(&fx, NULL);
	for (i = 0; i < DIAG_NELEM(fmts); i++) {
		s = render(fx.r, fmts[i], 1, 0, 0);
		ck_assert_msg(strstr(s, "ZGV2QGFjbWUuY29t") == NULL,
		    "format %zu printed the Authorization value", i);
		ck_assert_msg(strstr(s, "eyJraWQiOiJzZWNyZXQtY29va2llIn0") ==
			NULL,
		    "format %zu printed a cookie", i);
		free(s);
	}
	s = render(fx.r, DIAG_FORMAT_MARKDOWN, 0, 0, 0);
	ck_assert_ptr_nonnull(
	    strstr(s, "Authorization: Basic <email:token, redacted>"));
	ck_assert_ptr_nonnull(strstr(s, "Cookie: [redacted]"));
	free(s);
	fixture_release(&fx);
}
END_TEST

START_TEST(xml_escaping_keeps_text_controls_and_encodes_them_in_attributes)
{
	struct diag_buf b = DIAG_BUF_INIT;

	diag__esc_xml(&b, "a\tb\nc\r\xc3\xa9\xc2\x85", 0);
	ck_assert_str_eq(diag_buf_str(&b), "a\tb\nc\r\xc3\xa9\xef\xbf\xbd");
	diag_buf_release(&b);
	diag__esc_xml(&b, "a\tb\nc", 1);
	ck_assert_str_eq(diag_buf_str(&b), "a&#9;b&#10;c");
	diag_buf_release(&b);
}
END_TEST

START_TEST(github_escaping_follows_the_runner_rules)
{
	struct diag_buf b = DIAG_BUF_INIT;

	diag__esc_gh_data(&b, "100%\r\n: ,");
	ck_assert_str_eq(diag_buf_str(&b), "100%25%0D%0A: ,");
	diag_buf_release(&b);
	diag__esc_gh_prop(&b, "100%\r\n: ,");
	ck_assert_str_eq(diag_buf_str(&b), "100%25%0D%0A%3A %2C");
	diag_buf_release(&b);
}
END_TEST

START_TEST(excerpt_folds_crlf_and_cuts_on_a_character_boundary)
{
	char *s;
	int cut;

	s = diag__excerpt("a\r\nb\x02", 5, 100, &cut);
	ck_assert_str_eq(s, "a\nb\\x02");
	ck_assert_int_eq(cut, 0);
	free(s);
	s = diag__excerpt("ab\xc3\xa9", 4, 3, &cut);
	ck_assert_str_eq(s, "ab");
	ck_assert_int_eq(cut, 1);
	free(s);
}
END_TEST

Suite *report_suite(void);

/* The one escaper: controls and invalid UTF-8 visible, the rest kept. */
START_TEST(visible_escaping_shows_every_control_character)
{
	static const char in[] =
	    "a\x1b]52;c;eA==\x07\n::error::x\r\t\x7f\xc2\x9b"
	    "\xe2\x80\xa8\xff\\ \xc3\xa9";
	struct diag_buf b = DIAG_BUF_INIT;
	char *s;

	s = diag_esc_visible_str(in, 0);
	ck_assert_str_eq(s,
	    "a\\x1B]52;c;eA==\\x07\\n::error::x\\r\\t"
	    "\\x7F\\xC2\\x9B\\xE2\\x80\\xA8\\xFF\\ \xc3\xa9");
	free(s);
	s = diag_esc_visible_str("l1\r\nl2\tx\x1b",
	    DIAG_ESC_KEEP_NL | DIAG_ESC_KEEP_TAB);
	ck_assert_str_eq(s, "l1\nl2\tx\\x1B");
	free(s);
	s = diag_esc_visible_str("a\r\nb", DIAG_ESC_KEEP_NL | DIAG_ESC_KEEP_CR);
	ck_assert_str_eq(s, "a\r\nb");
	free(s);
	s = diag_esc_visible_str(NULL, 0);
	ck_assert_str_eq(s, "");
	free(s);
	diag_esc_json_text(&b, "\"a\xff\x7f\xc2\x85\xe2\x80\xa9\xc3\xa9\"", 12);
	ck_assert_str_eq(diag_buf_str(&b),
	    "\"a\xef\xbf\xbd\\u007f\\u0085\\u2029\xc3\xa9\"");
	diag_buf_release(&b);
}
END_TEST

/* No line may start (after blanks, Unicode ones too) with "::". */
START_TEST(line_starts_never_give_a_workflow_command)
{
	static const char in[] =
	    "::error::a\n  ::add-mask::b\n\xc2\xa0\t::c\nx ::d\n:e\n";
	char *s;

	s = diag_esc_line_starts(diag_xstrdup(in));
	ck_assert_str_eq(s,
	    "\\x3A:error::a\n  \\x3A:add-mask::b\n"
	    "\xc2\xa0\t\\x3A:c\nx ::d\n:e\n");
	free(s);
	s = diag_esc_line_starts(diag_xstrdup(""));
	ck_assert_str_eq(s, "");
	free(s);
}
END_TEST

/* Every human format: a hostile exchange shows no raw control. */
START_TEST(every_format_escapes_server_text)
{
	static const enum diag_format fmts[] = { DIAG_FORMAT_TEXT,
		DIAG_FORMAT_MARKDOWN, DIAG_FORMAT_JUNIT, DIAG_FORMAT_GITHUB,
		DIAG_FORMAT_JSON };
	struct fixture fx;
	const char *hostile = "x\x1b]52;c;eA==\x07\n::error::pwned \xff";
	const char *p, *line;
	char *s;
	size_t i;

	fixture_init(&fx, NULL);
	free(fx.r->findings[0]->detail);
	fx.r->findings[0]->detail = diag_xstrdup(hostile);
	for (i = 0; i < DIAG_NELEM(fmts); i++) {
		s = render(fx.r, fmts[i], 1, 0, 0);
		ck_assert_msg(strchr(s, '\x1b') == NULL, "format %zu", i);
		ck_assert_msg(strchr(s, '\x07') == NULL, "format %zu", i);
		ck_assert_msg(strchr(s, '\xff') == NULL, "format %zu", i);
		for (line = s; line != NULL && *line != '\0';
		     line = (p = strchr(line, '\n')) != NULL ? p + 1 : NULL) {
			line += strspn(line, " \t");
			ck_assert_msg(strncmp(line, "::", 2) != 0 ||
				(fmts[i] == DIAG_FORMAT_GITHUB &&
				    strncmp(line, "::error::pwned", 14) != 0),
			    "format %zu: %.40s", i, line);
		}
		free(s);
	}
	fixture_release(&fx);
}
END_TEST

Suite *
report_suite(void)
{
	Suite *s = suite_create("report");
	TCase *tc;

	tc = tcase_create("json");
	tcase_add_test(tc, json_has_every_contract_field);
	tcase_add_test(tc, json_body_excerpt_is_capped_and_printable);
	tcase_add_test(tc, json_validates_against_the_schema);
	tcase_add_test(tc, schema_rejects_a_report_that_breaks_the_contract);
	tcase_add_test(tc, json_error_report_says_error_and_validates);
	tcase_add_test(tc, json_extra_members_never_replace_contract_members);
	suite_add_tcase(s, tc);

	tc = tcase_create("remediation");
	tcase_add_test(tc,
	    remediation_puts_case_steps_first_and_fills_placeholders);
	tcase_add_test(tc,
	    placeholders_become_visible_blanks_when_unknown_or_unusable);
	suite_add_tcase(s, tc);

	tc = tcase_create("text");
	tcase_add_test(tc,
	    text_starts_with_the_summary_and_quiet_prints_only_it);
	tcase_add_test(tc,
	    text_colour_only_when_asked_and_evidence_only_verbose);
	tcase_add_test(tc, text_wraps_prose_at_78_columns);
	tcase_add_test(tc, text_passing_report_says_so);
	tcase_add_test(tc, text_prints_a_step_shared_by_findings_once);
	tcase_add_test(tc,
	    known_values_fill_project_permission_and_admin_screen);
	tcase_add_test(tc, recheck_never_repeats_the_flagged_value);
	tcase_add_test(tc, steps_never_repeat_nor_ask_for_what_was_given);
	tcase_add_test(tc, secret_inputs_are_never_shown_in_any_format);
	suite_add_tcase(s, tc);

	tc = tcase_create("junit");
	tcase_add_test(tc, junit_is_well_formed_valid_and_escapes_everything);
	tcase_add_test(tc, junit_warning_fails_only_under_strict);
	tcase_add_test(tc, junit_inconclusive_is_an_error);
	suite_add_tcase(s, tc);

	tc = tcase_create("github");
	tcase_add_test(tc, github_escapes_data_and_properties);
	suite_add_tcase(s, tc);

	tc = tcase_create("markdown");
	tcase_add_test(tc, markdown_escapes_table_cells_and_code_spans);
	tcase_add_test(tc, markdown_has_inputs_trace_ids_and_a_recheck_command);
	tcase_add_test(tc, markdown_never_shows_a_secret_input_value);
	suite_add_tcase(s, tc);

	tc = tcase_create("safety");
	tcase_add_test(tc, no_format_prints_credential_header_values);
	suite_add_tcase(s, tc);

	tc = tcase_create("escaping");
	tcase_add_test(tc,
	    xml_escaping_keeps_text_controls_and_encodes_them_in_attributes);
	tcase_add_test(tc, github_escaping_follows_the_runner_rules);
	tcase_add_test(tc, excerpt_folds_crlf_and_cuts_on_a_character_boundary);
	tcase_add_test(tc, visible_escaping_shows_every_control_character);
	tcase_add_test(tc, line_starts_never_give_a_workflow_command);
	tcase_add_test(tc, every_format_escapes_server_text);
	suite_add_tcase(s, tc);
	return s;
}
