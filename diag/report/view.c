/* diag/report/view.c: the report view: verdict, counts, inputs with secrets masked, filled fix steps without repeats, one re-check command. */

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#include "diag/core/escape.h"
#include "diag/core/model.h"
#include "diag/core/util.h"
#include "diag/report/report.h"
#include "diag/report/report_util.h"
#include "diag/report/view.h"

/* Inputs whose value is a secret: described by traits, never shown. */
static const char *const secret_inputs[] = {
	"token",
	"org_key",
	"auth_header",
	"password",
};

/* A finding that says the value of an input itself is wrong (not merely
 * its form): the re-check never passes that value back. */
static const struct {
	const char *code;
	const char *input;
} condemns[] = {
	{ "site.not_found", "site" },
	{ "site.custom_domain", "site" },
	{ "input.site_is_gateway", "site" },
	{ "cloud_id.malformed", "cloud_id" },
	{ "cloud_id.is_org_id", "cloud_id" },
	{ "cloud_id.mismatch", "cloud_id" },
	{ "cloud_id.unknown", "cloud_id" },
	{ "email.malformed", "email" },
	{ "email.is_username", "email" },
	{ "email.is_account_id", "email" },
	{ "email.wrong_account", "email" },
	{ "routing.missing_gateway_prefix", "url" },
	{ "routing.confluence_missing_wiki", "url" },
	{ "routing.endpoint_removed", "url" },
	{ "routing.unknown_endpoint", "url" },
	{ "request.product_mismatch", "url" },
	{ "request.untrusted_host", "url" },
};

/* The placeholders of fix steps, and what they become when unknown. */
enum ph {
	PH_SITE,
	PH_CLOUD_ID,
	PH_EMAIL,
	PH_PRODUCT,
	PH_PROJECT,
	PH_ISSUE,
	PH_SPACE,
	PH_PERMISSION,
	PH_SCOPE,
	PH_ORG_ID,
	PH_ADMIN,
	PH_ACCOUNT,
	PH__N
};
static const struct {
	const char *name;
	const char *unknown;
} ph[PH__N] = {
	[PH_SITE] = { "{site}", "<your-site>" },
	[PH_CLOUD_ID] = { "{cloud_id}", "<cloud-id>" },
	[PH_EMAIL] = { "{email}", "<email>" },
	[PH_PRODUCT] = { "{product}", "<product>" },
	[PH_PROJECT] = { "{project}", "<KEY>" },
	[PH_ISSUE] = { "{issue}", "<KEY-123>" },
	[PH_SPACE] = { "{space}", "<SPACE>" },
	[PH_PERMISSION] = { "{permission}", "<PERMISSION>" },
	[PH_SCOPE] = { "{scope}", "<scope>" },
	[PH_ORG_ID] = { "{org_id}", "<org-id>" },
	[PH_ADMIN] = { "{admin}", "admin.atlassian.com" },
	[PH_ACCOUNT] = { "{account}", "<account>" },
};

/* Blanks that check code writes into its own steps, filled as well. */
static const struct {
	const char *text;
	enum ph is;
} literal_ph[] = {
	{ "<your-site>.atlassian.net", PH_SITE },
	{ "<your-site>", PH_SITE },
	{ "<cloud ID>", PH_CLOUD_ID },
	{ "<cloud id>", PH_CLOUD_ID },
	{ "<email>", PH_EMAIL },
};

int
diag_view_input_is_secret(const char *key)
{
	size_t i;

	for (i = 0; key != NULL && i < DIAG_NELEM(secret_inputs); i++)
		if (strcmp(key, secret_inputs[i]) == 0)
			return 1;
	return 0;
}

/* o[key][member] (member NULL: o[key]) as a string, or NULL. */
static const char *
obj_str(const struct json_object *o, const char *key, const char *member)
{
	struct json_object *in, *v;

	if (o == NULL || !json_object_is_type(o, json_type_object) ||
	    !json_object_object_get_ex(o, key, &in))
		return NULL;
	v = in;
	if (member != NULL &&
	    (!json_object_is_type(in, json_type_object) ||
		!json_object_object_get_ex(in, member, &v)))
		return NULL;
	if (v == NULL || json_object_is_type(v, json_type_object) ||
	    json_object_is_type(v, json_type_array))
		return NULL;
	return json_object_get_string(v);
}

/* The bare host of a site value ("https://acme.atlassian.net/wiki" ->
 * "acme.atlassian.net"), or NULL when nothing host-like is left. */
static char *
site_host(const char *v)
{
	const char *p, *end;
	size_t i, len;

	while (*v == ' ' || *v == '\t')
		v++;
	if (strncasecmp(v, "https://", 8) == 0)
		v += 8;
	else if (strncasecmp(v, "http://", 7) == 0)
		v += 7;
	end = v + strcspn(v, "/?# \t\r\n");
	p = memchr(v, '@', (size_t)(end - v));
	if (p != NULL)
		v = p + 1;
	len = (size_t)(end - v);
	if (len == 0)
		return NULL;
	for (i = 0; i < len; i++)
		if (!isalnum((unsigned char)v[i]) && v[i] != '.' &&
		    v[i] != '-' && v[i] != ':')
			return NULL;
	return diag_xstrndup(v, len);
}

/* 1 when v is a whole UUID (NULL is not). */
static int
is_uuid(const char *v)
{
	return v != NULL && diag_is_uuid(v, strlen(v));
}

static int
is_email(const char *v)
{
	const char *at;
	size_t i;

	if (v == NULL || (at = strchr(v, '@')) == NULL || at == v ||
	    at[1] == '\0' || strncasecmp(v, "mailto:", 7) == 0)
		return 0;
	for (i = 0; v[i] != '\0'; i++)
		if ((unsigned char)v[i] <= ' ' || v[i] == '{' || v[i] == '}' ||
		    v[i] == '<' || v[i] == '>')
			return 0;
	return 1;
}

/* A value safe to put into a step: printable, no blanks, no braces. */
static int
is_word(const char *v)
{
	size_t i;

	if (v == NULL || v[0] == '\0' || strlen(v) > 200)
		return 0;
	for (i = 0; v[i] != '\0'; i++)
		if ((unsigned char)v[i] <= ' ' || v[i] == '{' || v[i] == '}' ||
		    v[i] == '<' || v[i] == '>' || v[i] == '`' || v[i] == 0x7f)
			return 0;
	return 1;
}

static int
has_finding(const struct diag_report *r, const char *code)
{
	size_t i;

	for (i = 0; i < r->n_findings; i++)
		if (r->findings[i] != NULL && r->findings[i]->code != NULL &&
		    strcmp(r->findings[i]->code, code) == 0)
			return 1;
	return 0;
}

/* 1 if a finding of r says the value of this input is wrong. */
static int
condemned(const struct diag_report *r, const char *input)
{
	size_t i;

	for (i = 0; i < DIAG_NELEM(condemns); i++)
		if (strcmp(condemns[i].input, input) == 0 &&
		    has_finding(r, condemns[i].code))
			return 1;
	return 0;
}

/* The input as given, in its cleaned-up form when the checks made one. */
static const char *
given(const struct diag_report *r, const char *key)
{
	const char *v = obj_str(r->inputs, key, "normalized");

	return v != NULL ? v : obj_str(r->inputs, key, "value");
}

/* The cloud ID to name: the given one unless condemned, else the one
 * the site's tenant_info gave (when it is not the same value). */
static char *
known_cloud_id(const struct diag_report *r)
{
	const char *g = given(r, "cloud_id");
	const char *found = obj_str(r->known, "cloud_id_found", NULL);

	if (!is_uuid(g))
		g = obj_str(r->inputs, "cloud_id", "value");
	if (!is_uuid(g))
		g = obj_str(r->known, "cloud_id_given", NULL);
	if (!is_uuid(found))
		found = NULL;
	if (condemned(r, "cloud_id")) {
		if (found != NULL && (g == NULL || strcasecmp(found, g) != 0))
			return diag_xstrdup(found);
		return NULL;
	}
	if (is_uuid(g))
		return diag_xstrdup(g);
	return found != NULL ? diag_xstrdup(found) : NULL;
}

/* The organization's ID when the run learnt it. */
static const char *
known_org_id(const struct diag_report *r)
{
	const char *v = obj_str(r->known, "org_id", NULL);

	if (is_uuid(v))
		return v;
	if (!has_finding(r, "cloud_id.is_org_id"))
		return NULL;
	v = obj_str(r->known, "cloud_id_given", NULL);
	if (!is_uuid(v))
		v = given(r, "cloud_id");
	if (is_uuid(v))
		return v;
	return NULL;
}

/* The organization's ID when the run learnt it (owned; NULL). */
static char *
org_id_of(const struct diag_report *r)
{
	const char *v = known_org_id(r), *p;

	if (v != NULL)
		return diag_xstrdup(v);
	/* An admin URL given as the cloud ID: admin.atlassian.com/o/<id>. */
	v = obj_str(r->inputs, "cloud_id", "value");
	if (v == NULL || !has_finding(r, "cloud_id.is_org_id") ||
	    (p = strstr(v, "/o/")) == NULL || strlen(p + 3) < 36)
		return NULL;
	p += 3;
	if (p[36] != '\0' && p[36] != '/' && p[36] != '?' && p[36] != '#')
		return NULL;
	v = diag_xstrndup(p, 36);
	if (is_uuid(v))
		return (char *)v;
	free((char *)v);
	return NULL;
}

/* Every placeholder's value for r (owned strings; NULL: unknown). */
static void
known_values(const struct diag_report *r, char *val[PH__N])
{
	static const struct {
		enum ph ph;
		const char *key;
	} opt[] = {
		{ PH_PROJECT, "project" },
		{ PH_ISSUE, "issue" },
		{ PH_SPACE, "space" },
		{ PH_PERMISSION, "permission" },
		{ PH_SCOPE, "scope" },
	};
	const char *v;
	size_t i;

	memset(val, 0, PH__N * sizeof(*val));
	v = given(r, "site");
	if (v != NULL && !condemned(r, "site"))
		val[PH_SITE] = site_host(v);
	val[PH_CLOUD_ID] = known_cloud_id(r);
	v = given(r, "email");
	if (!is_email(v))
		v = obj_str(r->inputs, "email", "value");
	if (is_email(v) && !condemned(r, "email")) {
		val[PH_EMAIL] = diag_xstrdup(v);
		val[PH_ACCOUNT] = diag_xstrdup(v);
	}
	v = given(r, "product");
	if (v != NULL &&
	    (strcmp(v, "jira") == 0 || strcmp(v, "confluence") == 0))
		val[PH_PRODUCT] = diag_xstrdup(v);
	for (i = 0; i < DIAG_NELEM(opt); i++) {
		v = obj_str(r->known, opt[i].key, NULL);
		if (is_word(v))
			val[opt[i].ph] = diag_xstrdup(v);
	}
	val[PH_ORG_ID] = org_id_of(r);
	if (val[PH_ORG_ID] != NULL)
		val[PH_ADMIN] =
		    diag_xasprintf("https://admin.atlassian.com/o/%s/overview",
			val[PH_ORG_ID]);
}

char *
diag_view_fill(const struct diag_report *r, const char *text, int literal)
{
	struct diag_buf b = DIAG_BUF_INIT;
	char *val[PH__N];
	const char *p;
	size_t i, l;
	enum ph k;

	if (text == NULL)
		return NULL;
	known_values(r, val);
	for (p = text; *p != '\0';) {
		for (k = 0; *p == '{' && k < PH__N; k++)
			if (strncmp(p, ph[k].name, strlen(ph[k].name)) == 0)
				break;
		if (*p == '{' && k < PH__N) {
			diag_buf_adds(&b,
			    val[k] != NULL ? val[k] : ph[k].unknown);
			p += strlen(ph[k].name);
			continue;
		}
		for (i = 0; literal && *p == '<' && i < DIAG_NELEM(literal_ph);
		     i++) {
			l = strlen(literal_ph[i].text);
			if (strncmp(p, literal_ph[i].text, l) == 0 &&
			    val[literal_ph[i].is] != NULL)
				break;
		}
		if (literal && *p == '<' && i < DIAG_NELEM(literal_ph)) {
			diag_buf_adds(&b, val[literal_ph[i].is]);
			p += strlen(literal_ph[i].text);
			continue;
		}
		diag_buf_addc(&b, *p++);
	}
	for (k = 0; k < PH__N; k++)
		free(val[k]);
	return diag_buf_detach(&b);
}

/*
 * The words of a step, lowercased, for comparing steps: letters, digits
 * and "-_.:/$" runs. Returns the count; words is a NULL-terminated array
 * to diag__strv_free().
 */
static size_t
step_words(const char *s, char ***words)
{
	size_t n = 0, l;
	char **v = NULL;

	while (*s != '\0') {
		l = 0;
		while (isalnum((unsigned char)s[l]) ||
		    (s[l] != '\0' && strchr("-_.:/$@", s[l]) != NULL) ||
		    ((unsigned char)s[l] & 0x80))
			l++;
		if (l == 0) {
			s++;
			continue;
		}
		v = diag_xrealloc(v, (n + 2) * sizeof(*v));
		v[n] = diag_xstrndup(s, l);
		for (char *q = v[n]; *q != '\0'; q++)
			*q = (char)tolower((unsigned char)*q);
		/* "--site." and "--site" are one word. */
		while (strlen(v[n]) > 1 &&
		    strchr(".:", v[n][strlen(v[n]) - 1]) != NULL)
			v[n][strlen(v[n]) - 1] = '\0';
		n++;
		s += l;
	}
	if (v == NULL)
		v = diag_xcalloc(1, sizeof(*v));
	v[n] = NULL;
	*words = v;
	return n;
}

/* 1 if word w (of step_words(), lowercased) is a handle in text t: a
 * flag ("--site") or a variable name ("ATLASSIAN_SITE") as written. */
static int
is_handle(const char *w, const char *t)
{
	const char *p;
	size_t l = strlen(w), i;
	int up;

	if (strncmp(w, "--", 2) == 0 && l > 2)
		return 1;
	if (strchr(w, '_') == NULL || w[0] == '$')
		return 0;
	for (p = t; (p = strcasestr(p, w)) != NULL; p += l) {
		for (i = 0, up = 1; i < l && up; i++)
			up = !islower((unsigned char)p[i]);
		if (up)
			return 1;
	}
	return 0;
}

/*
 * 1 if steps a and b say the same: the same words; or the shorter one
 * (at least four words) has nearly all its words in the longer one; or
 * both start with the same verb and every flag and variable name of the
 * shorter one is in the longer ("Give it with --site or ATLASSIAN_SITE."
 * and "Give the site with `--site`, or export one of `ATLASSIAN_SITE`").
 */
static int
same_step(const char *a, const char *b)
{
	char **wa, **wb, **s, **t;
	const char *st;
	size_t na, nb, ns, nt, i, j, in = 0, handles = 0, held = 0;
	int same;

	na = step_words(a, &wa);
	nb = step_words(b, &wb);
	s = na <= nb ? wa : wb;
	st = na <= nb ? a : b;
	ns = na <= nb ? na : nb;
	t = na <= nb ? wb : wa;
	nt = na <= nb ? nb : na;
	for (i = 0; i < ns; i++) {
		for (j = 0; j < nt; j++)
			if (strcmp(s[i], t[j]) == 0)
				break;
		in += j < nt;
		if (is_handle(s[i], st)) {
			handles++;
			held += j < nt;
		}
	}
	if (ns == 0)
		same = nt == 0;
	else
		same = (ns == nt && in == ns) ||
		    (ns >= 4 && in * 10 >= ns * 8) ||
		    (handles > 0 && held == handles && strcmp(s[0], t[0]) == 0);
	diag__strv_free(wa);
	diag__strv_free(wb);
	return same;
}

/* "Re-check: `atldiag ...`": the catalogue's old closing step, which the
 * view's one re-check command replaces. */
static int
is_recheck_step(const char *s)
{
	return strncasecmp(s, "Re-check", 8) == 0 &&
	    strstr(s, "`atldiag ") != NULL;
}

/* Adds step s to vf unless it repeats one already there; of two that say
 * the same, the longer (fuller) one is kept, in the earlier place. */
static void
add_step(struct diag_view_finding *vf, char *s)
{
	size_t i;

	for (i = 0; i < vf->n_steps; i++) {
		if (!same_step(vf->steps[i], s))
			continue;
		if (strlen(s) > strlen(vf->steps[i])) {
			free(vf->steps[i]);
			vf->steps[i] = s;
		} else
			free(s);
		return;
	}
	vf->steps =
	    diag_xrealloc(vf->steps, (vf->n_steps + 2) * sizeof(*vf->steps));
	vf->steps[vf->n_steps++] = s;
	vf->steps[vf->n_steps] = NULL;
}

/* The product an Atlassian developer page is about, or NULL. */
static const char *
doc_product(const char *url)
{
	if (url == NULL)
		return NULL;
	if (strstr(url, "developer.atlassian.com/cloud/jira/") != NULL)
		return "jira";
	if (strstr(url, "developer.atlassian.com/cloud/confluence/") != NULL)
		return "confluence";
	return NULL;
}

/* The finding's documentation links for this run's product. */
static void
view_docs(struct diag_report_view *v, struct diag_view_finding *vf,
    const struct diag_diagnosis *dx)
{
	const char *prod = given(v->r, "product"), *p;
	size_t i, j, n = dx != NULL ? dx->n_docs : 0;
	int ours = 0;

	vf->docs = diag_xcalloc(n + 1, sizeof(*vf->docs));
	for (i = 0; prod != NULL && i < n; i++)
		if ((p = doc_product(dx->docs[i])) != NULL &&
		    strcmp(p, prod) == 0)
			ours = 1;
	for (i = j = 0; i < n; i++) {
		if (dx->docs[i] == NULL)
			continue;
		p = doc_product(dx->docs[i]);
		if (ours && p != NULL && strcmp(p, prod) != 0)
			continue; /* the other product's page */
		vf->docs[j++] = dx->docs[i];
	}
	vf->n_docs = j;
}

static void
view_finding(struct diag_report_view *v, size_t no,
    const struct diag_finding *f)
{
	struct diag_view_finding *vf = &v->findings[no];
	const struct diag_diagnosis *dx = f->dx;
	/* A step asking for the org key is moot when one was given. */
	int org_key = obj_str(v->r->inputs, "org_key", "source") != NULL;
	size_t i, j, k;

	vf->f = f;
	vf->status = diag_status_name(f->status);
	vf->title = diag_view_fill(v->r, diag__finding_title(f), 0);
	vf->explanation = diag_view_fill(v->r,
	    dx != NULL && dx->explanation != NULL ? dx->explanation : "", 0);
	vf->steps = diag_xcalloc(1, sizeof(*vf->steps));
	for (i = 0; i < f->n_steps; i++)
		if (f->steps[i] != NULL && f->steps[i][0] != '\0')
			add_step(vf, diag_view_fill(v->r, f->steps[i], 1));
	for (i = 0; dx != NULL && i < dx->n_remediation; i++)
		if (dx->remediation[i] != NULL &&
		    dx->remediation[i][0] != '\0' &&
		    !is_recheck_step(dx->remediation[i]) &&
		    !(org_key &&
			strstr(dx->remediation[i], "--org-key-file") != NULL))
			add_step(vf,
			    diag_view_fill(v->r, dx->remediation[i], 1));
	view_docs(v, vf, dx);
	/* Where an earlier finding gave the same step first. */
	vf->step_seen = diag_xcalloc(vf->n_steps + 1, sizeof(size_t));
	for (i = 0; i < vf->n_steps; i++)
		for (j = 0; j < no && vf->step_seen[i] == 0; j++)
			for (k = 0; k < v->findings[j].n_steps; k++)
				if (v->findings[j].step_seen[k] == 0 &&
				    strcmp(v->findings[j].steps[k],
					vf->steps[i]) == 0) {
					vf->step_seen[i] =
					    (j + 1) * 1000 + k + 1;
					break;
				}
}

/* A secret input's traits: "user_api_token, 193 characters, checksum
 * ok, sha256:51dd3473". */
static char *
secret_traits(struct json_object *in)
{
	static const char *const order[] = {
		"kind",
		"length",
		"checksum",
		"fingerprint",
	};
	struct diag_buf d = DIAG_BUF_INIT;
	const char *s;
	size_t i;

	for (i = 0; i < DIAG_NELEM(order); i++) {
		if ((s = obj_str(in, order[i], NULL)) == NULL)
			continue;
		if (d.len > 0)
			diag_buf_adds(&d, ", ");
		if (i == 1)
			diag_buf_addf(&d, "%s characters", s);
		else if (i == 2)
			diag_buf_addf(&d, "checksum %s", s);
		else
			diag_buf_adds(&d, s);
	}
	if (d.len == 0)
		diag_buf_adds(&d, "(given; not shown)");
	return diag_buf_detach(&d);
}

static void
view_inputs(struct diag_report_view *v)
{
	struct json_object *in = v->r->inputs;
	struct diag_view_input *vi;
	const char *s;

	if (in == NULL || !json_object_is_type(in, json_type_object))
		return;
	v->inputs = diag_xcalloc((size_t)json_object_object_length(in) + 1,
	    sizeof(*v->inputs));
	json_object_object_foreach(in, key, val) {
		if (val == NULL || !json_object_is_type(val, json_type_object))
			continue;
		vi = &v->inputs[v->n_inputs++];
		vi->key = key;
		vi->secret = diag_view_input_is_secret(key);
		vi->source = obj_str(val, "source", NULL);
		s = obj_str(val, "value", NULL);
		if (vi->secret)
			vi->shown = secret_traits(val);
		else if (s != NULL)
			vi->shown = diag_xstrdup(s);
	}
}

static size_t
view_class(enum diag_status st)
{
	switch (st) {
	case DIAG_PASS:
		return DIAG_VIEW_PASS;
	case DIAG_WARN:
		return DIAG_VIEW_WARN;
	case DIAG_FAIL:
		return DIAG_VIEW_FAIL;
	case DIAG_INCONCLUSIVE:
		return DIAG_VIEW_INCONCLUSIVE;
	case DIAG_BLOCKED:
		return DIAG_VIEW_BLOCKED;
	case DIAG_SKIPPED:
	default:
		return DIAG_VIEW_SKIPPED;
	}
}

/* "checks: 7 pass, 1 fail, 13 skipped" (no zero counts). */
static char *
checks_line(const struct diag_report_view *v)
{
	static const char *const words[DIAG_VIEW__N] = {
		[DIAG_VIEW_PASS] = "pass",
		[DIAG_VIEW_WARN] = "warn",
		[DIAG_VIEW_FAIL] = "fail",
		[DIAG_VIEW_INCONCLUSIVE] = "inconclusive",
		[DIAG_VIEW_SKIPPED] = "skipped",
		[DIAG_VIEW_BLOCKED] = "blocked",
	};
	struct diag_buf b = DIAG_BUF_INIT;
	size_t i;

	diag_buf_adds(&b, "checks:");
	for (i = 0; i < DIAG_VIEW__N; i++)
		if (v->checks_by[i] > 0)
			diag_buf_addf(&b, "%s %zu %s", b.len > 7 ? "," : "",
			    v->checks_by[i], words[i]);
	return diag_buf_detach(&b);
}

/* One of words (NULL-terminated) equal to s, else the last word. */
static const char *
known_word(const char *s, const char *const *words)
{
	size_t i;

	for (i = 0; words[i + 1] != NULL; i++)
		if (s != NULL && strcmp(s, words[i]) == 0)
			break;
	return words[i];
}

/* The report's member name when it is a non-empty array (its length in
 * *n), else NULL. */
static struct json_object *
extra_list(const struct diag_report *r, const char *name, size_t *n)
{
	struct json_object *list;

	if (r->extra == NULL ||
	    !json_object_object_get_ex(r->extra, name, &list) ||
	    !json_object_is_type(list, json_type_array) ||
	    (*n = json_object_array_length(list)) == 0)
		return NULL;
	return list;
}

/* The requirements of the report's "requirements" member. */
static void
view_requirements(struct diag_report_view *v)
{
	static const char *const outcomes[] = { "proven", "disproven",
		"unproven", NULL };
	static const char *const kinds[] = { "scope", "permission", "project",
		"issue", "space", "call", "request", NULL };
	struct diag_view_requirement *q;
	struct json_object *list, *e;
	size_t i, n;
	const char *s;

	if ((list = extra_list(v->r, "requirements", &n)) == NULL)
		return;
	v->requirements = diag_xcalloc(n, sizeof(*v->requirements));
	for (i = 0; i < n; i++) {
		e = json_object_array_get_idx(list, i);
		q = &v->requirements[v->n_requirements++];
		q->outcome = known_word(diag_json_str(e, "outcome"), outcomes);
		q->kind = known_word(diag_json_str(e, "kind"), kinds);
		q->name = (s = diag_json_str(e, "name")) != NULL ? s : "";
		q->how = (s = diag_json_str(e, "how")) != NULL ? s : "";
	}
}

/* The routes of the report's "routes" member. */
static void
view_routes(struct diag_report_view *v)
{
	static const char *const outcomes[] = { "works", "refused",
		"inconclusive", "not_probed", NULL };
	struct diag_view_route *rt;
	struct json_object *list, *e;
	size_t i, n;
	const char *s;

	if ((list = extra_list(v->r, "routes", &n)) == NULL)
		return;
	v->routes = diag_xcalloc(n, sizeof(*v->routes));
	for (i = 0; i < n; i++) {
		e = json_object_array_get_idx(list, i);
		rt = &v->routes[v->n_routes++];
		rt->route = (s = diag_json_str(e, "route")) != NULL ? s : "?";
		rt->url = diag_json_str(e, "url");
		rt->outcome = known_word(diag_json_str(e, "outcome"), outcomes);
		rt->why = (s = diag_json_str(e, "why")) != NULL ? s : "";
	}
}

void diag__view_recheck(struct diag_report_view *); /* view_recheck.c */

struct diag_report_view *
diag_report_view_new(const struct diag_report *r)
{
	struct diag_report_view *v;
	const char *p;
	size_t i;

	v = diag_xcalloc(1, sizeof(*v));
	v->r = r;
	v->verdict = diag__verdict_name(r);
	for (p = v->verdict, i = 0;
	     *p != '\0' && i + 1 < sizeof(v->verdict_upper); p++)
		v->verdict_upper[i++] = (char)toupper((unsigned char)*p);
	if (r->n_findings > 0 && r->findings[0] != NULL)
		v->primary = r->findings[0]->code;
	for (i = 0; i < r->n_checks; i++)
		v->checks_by[view_class(r->checks[i].status)]++;
	v->checks_line = checks_line(v);
	view_inputs(v);
	v->findings = diag_xcalloc(r->n_findings + 1, sizeof(*v->findings));
	for (i = 0; i < r->n_findings; i++) {
		if (r->findings[i] == NULL)
			continue;
		v->findings_by[view_class(r->findings[i]->status)]++;
		view_finding(v, v->n_findings, r->findings[i]);
		v->n_findings++;
	}
	view_requirements(v);
	view_routes(v);
	diag__view_recheck(v);
	return v;
}

void
diag_report_view_free(struct diag_report_view *v)
{
	size_t i;

	if (v == NULL)
		return;
	for (i = 0; i < v->n_inputs; i++)
		free(v->inputs[i].shown);
	free(v->inputs);
	for (i = 0; i < v->n_findings; i++) {
		free(v->findings[i].title);
		free(v->findings[i].explanation);
		diag__strv_free(v->findings[i].steps);
		free(v->findings[i].step_seen);
		free(v->findings[i].docs);
	}
	free(v->findings);
	free(v->recheck.intro);
	free(v->recheck.command);
	free(v->recheck.env);
	free(v->recheck.then_intro);
	free(v->recheck.then);
	free(v->recheck.then_env);
	free(v->checks_line);
	free(v->requirements);
	free(v->routes);
	free(v);
}
