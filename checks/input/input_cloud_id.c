/* checks/input/input_cloud_id.c: the cloud ID: UUID shape, pasted admin URLs and ARIs, org IDs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "checks/input/token_kind.h"
#include "diag/core/url.h"
#include "diag/engine/check.h"
#include "diag/core/util.h"

static enum diag_step cloud_id_run(struct diag_run *);

const struct diag_check diag_check_input_cloud_id = {
	.id = "input.cloud_id",
	.summary = "cloud ID: UUID shape, admin URL, ARI, org ID",
	.flags = DIAG_CHECK_OFFLINE,
	.run = cloud_id_run,
};

#define TENANT_WHERE \
	"the site's cloud ID from " \
	"https://<your-site>.atlassian.net/_edge/tenant_info (the " \
	"\"cloudId\" " \
	"field), or from the admin URL admin.atlassian.com/s/<cloud ID>/..."
#define TENANT_HINT "read " TENANT_WHERE
#define TENANT_STEP "Read " TENANT_WHERE "."
/* A repaired value: what the script does with the value as given. */
#define SENT_BROKEN \
	"A gateway URL built from the value as given gets " \
	"404; atldiag goes on with the repaired UUID."

static void
lower(char *s)
{
	for (; *s != '\0'; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
}

/* The UUID that follows marker ("/s/") in s, copied into out[37]. */
static int
uuid_after(const char *s, const char *marker, char out[37])
{
	const char *p = strstr(s, marker);

	if (p == NULL)
		return 0;
	p += strlen(marker);
	if (strlen(p) < 36 || !diag_is_uuid(p, 36) ||
	    (p[36] != '\0' && p[36] != '/' && p[36] != '?' && p[36] != '#' &&
		p[36] != ':'))
		return 0;
	memcpy(out, p, 36);
	out[36] = '\0';
	lower(out);
	return 1;
}

static int
all_hex(const char *s, size_t n, int dashes)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
			(s[i] >= 'a' && s[i] <= 'f') ||
			(s[i] >= 'A' && s[i] <= 'F') ||
			(dashes && s[i] == '-')))
			return 0;
	return 1;
}

static void
org_id(struct diag_run *r, const char *how)
{
	struct diag_finding *f;

	f = diag_run_finding(r, "cloud_id.is_org_id", DIAG_FAIL, DIAG_CONFIRMED,
	    "The cloud ID given is %s: that is the organization ID, which "
	    "names the organization, not a site. The gateway answers 404 for "
	    "it.",
	    how);
	diag_finding_step(f,
	    "Use the site's cloud ID instead: " TENANT_HINT ".");
}

/* A value that is a URL or a host name. Returns 1 when it settled the
 * cloud ID into out, 0 when a finding was raised instead. */
static int
from_url(struct diag_run *r, const char *v, char out[37], const char **how)
{
	struct diag_url u;
	struct diag_finding *f;
	int ok = 0;

	diag_url_split(v, strlen(v), &u);
	if (strcmp(u.host, "admin.atlassian.com") == 0) {
		if (uuid_after(u.path, "/s/", out)) {
			*how = "an admin URL "
			       "(admin.atlassian.com/s/<cloud ID>/...)";
			ok = 1;
		} else if (uuid_after(u.path, "/o/", out)) {
			diag_run_fact_set(r, "cloud_id.from_org_url",
			    json_object_new_boolean(1));
			org_id(r,
			    "an admin URL of the form "
			    "admin.atlassian.com/o/<id>/...");
		} else {
			f = diag_run_finding(r, "cloud_id.malformed", DIAG_FAIL,
			    DIAG_CONFIRMED,
			    "The cloud ID given is an admin URL without "
			    "/s/<cloud ID> in its path.");
			diag_finding_step(f,
			    "Open the site in admin.atlassian.com (Products, "
			    "then the site) and copy the UUID after /s/, "
			    "or " TENANT_HINT ".");
		}
	} else if (strcmp(u.host, "api.atlassian.com") == 0 &&
	    strncmp(u.path, "/ex/", 4) == 0 &&
	    strchr(u.path + 4, '/') != NULL &&
	    uuid_after(strchr(u.path + 4, '/'), "/", out)) {
		*how = "a gateway URL";
		ok = 1;
	} else if (diag_host_is_site(u.host)) {
		f = diag_run_finding(r, "cloud_id.malformed", DIAG_FAIL,
		    DIAG_CONFIRMED,
		    "The cloud ID given is the site %s, not its cloud ID (a "
		    "UUID).",
		    u.host);
		diag_finding_step(f,
		    "Read it from https://%s/_edge/tenant_info (the "
		    "\"cloudId\" field).",
		    u.host);
	} else {
		f = diag_run_finding(r, "cloud_id.malformed", DIAG_FAIL,
		    DIAG_CONFIRMED,
		    "The cloud ID given is a URL or host name, not a UUID.");
		diag_finding_step(f, TENANT_STEP);
	}
	diag_url_release(&u);
	return ok;
}

/* ari:cloud:<owner>:<cloud id>:<type>/<id>, or ...::site/<id>, or
 * ari:cloud:platform::org/<id>. */
static int
from_ari(struct diag_run *r, const char *v, char out[37], const char **how)
{
	const char *p;

	if (strstr(v, "::org/") != NULL && uuid_after(v, "::org/", out)) {
		org_id(r, "an organization ARI (ari:cloud:platform::org/<id>)");
		return 0;
	}
	if (uuid_after(v, "::site/", out)) {
		*how = "a site ARI (ari:cloud:<product>::site/<cloud ID>)";
		return 1;
	}
	p = strchr(v + 10, ':');
	if (p != NULL && strlen(p + 1) >= 36 && diag_is_uuid(p + 1, 36) &&
	    p[37] == ':') {
		memcpy(out, p + 1, 36);
		out[36] = '\0';
		lower(out);
		*how = "a resource ARI (ari:cloud:<product>:<cloud ID>:...)";
		return 1;
	}
	diag_run_finding(r, "cloud_id.malformed", DIAG_FAIL, DIAG_CONFIRMED,
	    "The cloud ID given is an ARI that names no site.");
	return 0;
}

/*
 * The UUID in v (n bytes; low: the same lowercased) into out, from an
 * ARI, a URL, a UUID or 32 hex digits: 1, with *how saying where it was
 * found and *fix the finding a repaired value gets; 0 with a finding
 * when there is none.
 */
static int
read_cloud_id(struct diag_run *r, const struct diag_input *in, const char *v,
    const char *low, size_t n, char out[37], const char **how,
    struct diag_finding **fix)
{
	struct diag_finding *f;
	const char *why;

	if (strncmp(low, "ari:cloud:", 10) == 0)
		return from_ari(r, low, out, how);
	if (strstr(v, "://") != NULL || strchr(v, '.') != NULL ||
	    strchr(v, '/') != NULL)
		return from_url(r, v, out, how);
	if (diag_is_uuid(v, n)) {
		memcpy(out, low, 37);
		if (strcmp(low, v) != 0)
			*fix = diag_run_finding(r, "cloud_id.malformed",
			    DIAG_FAIL, DIAG_LIKELY,
			    "The cloud ID from %s is in upper case: cloud IDs "
			    "are lowercase UUIDs, and the gateway is reported "
			    "to route only the lowercase form. " SENT_BROKEN,
			    in->source);
		return 1;
	}
	if (n == 32 && all_hex(v, n, 0)) {
		snprintf(out, 37, "%.8s-%.4s-%.4s-%.4s-%.12s", low, low + 8,
		    low + 12, low + 16, low + 20);
		*fix = diag_run_finding(r, "cloud_id.malformed", DIAG_FAIL,
		    DIAG_LIKELY,
		    "The cloud ID from %s has its 32 hex digits but not the "
		    "dashes of the 8-4-4-4-12 form: the gateway routes only "
		    "the dashed form. " SENT_BROKEN,
		    in->source);
		return 1;
	}
	if (all_hex(v, n, 1)) {
		why = "extra characters or a wrong grouping";
		if (n < 36)
			why = "truncated when copied";
		f = diag_run_finding(r, "cloud_id.malformed", DIAG_FAIL,
		    DIAG_CONFIRMED,
		    "The cloud ID from %s has %zu characters where a cloud ID "
		    "has 36 (8-4-4-4-12 hex digits): %s.",
		    in->source, n, why);
	} else
		f = diag_run_finding(r, "cloud_id.malformed", DIAG_FAIL,
		    DIAG_CONFIRMED,
		    "The cloud ID from %s (%zu characters) is not a UUID "
		    "(8-4-4-4-12 hex digits).",
		    in->source, n);
	diag_finding_step(f, TENANT_STEP);
	return 0;
}

/*
 * The cloud ID out was found (how: in what, or NULL for the bare UUID): its
 * fact, message and the fix of a repaired value.
 */
static void
cloud_id_found(struct diag_run *r, const struct diag_input *in, const char *out,
    const char *how, struct diag_finding *fix)
{
	if (how != NULL)
		fix = diag_run_finding(r, "cloud_id.malformed", DIAG_FAIL,
		    DIAG_CONFIRMED,
		    "The cloud ID from %s is %s, not the bare UUID: a gateway "
		    "URL built from it (api.atlassian.com/ex/<product>/<this "
		    "value>/...) does not name a site and gets 404. atldiag "
		    "goes on with the UUID in it.",
		    in->source, how);
	if (fix != NULL)
		diag_finding_step(fix,
		    "Send the bare cloud ID `%s` (for example "
		    "`https://api.atlassian.com/ex/jira/%s/rest/api/3/"
		    "myself`), and store it that way in the script's "
		    "configuration.",
		    out, out);
	diag_run_fact_set(r, "cloud_id.value", json_object_new_string(out));
	diag_run_message(r, "%s%s%s", out, how != NULL ? ", taken from " : "",
	    how != NULL ? how : "");
}

static enum diag_step
cloud_id_run(struct diag_run *r)
{
	const struct diag_input *in = diag_run_input(r, DIAG_IN_CLOUD_ID);
	struct diag__tok_clean c;
	struct diag_finding *f;
	char out[37], *v = NULL, *low = NULL, *list;
	struct diag_finding *fix = NULL;
	const char *how = NULL;
	size_t n;

	if (in->value == NULL || in->len == 0) {
		diag_run_status(r, DIAG_SKIPPED, "no cloud ID given");
		return DIAG_STEP_DONE;
	}
	diag__token_clean(in->value, in->len, &c);
	if (c.len == 0) {
		diag_run_status(r, DIAG_SKIPPED,
		    "the cloud ID is blank (input.sources reports it)");
		goto out;
	}
	if (c.n_issues > 0) {
		list = diag__token_issues_text(&c);
		fix = diag_run_finding(r, "cloud_id.malformed", DIAG_FAIL,
		    DIAG_CONFIRMED,
		    "The cloud ID from %s carries characters that are not part "
		    "of it: %s. " SENT_BROKEN,
		    in->source, list);
		free(list);
	}
	v = diag_xstrdup(c.clean);
	n = strlen(v);
	if (n == 38 && v[0] == '{' && v[37] == '}' && diag_is_uuid(v + 1, 36)) {
		fix = diag_run_finding(r, "cloud_id.malformed", DIAG_FAIL,
		    DIAG_CONFIRMED,
		    "The cloud ID from %s is wrapped in braces {...} (the "
		    "Windows GUID notation): the gateway path needs the bare "
		    "UUID. " SENT_BROKEN,
		    in->source);
		memmove(v, v + 1, 36);
		v[36] = '\0';
		n = 36;
	}
	low = diag_xstrdup(v);
	lower(low);
	if (diag__token_placeholder(v, n) || strstr(low, "cloudid") != NULL ||
	    strstr(low, "cloud_id") != NULL ||
	    strstr(low, "cloud-id") != NULL) {
		f = diag_run_finding(r, "cloud_id.malformed", DIAG_FAIL,
		    DIAG_CONFIRMED,
		    "The cloud ID from %s is a placeholder (%zu characters "
		    "such as {cloudId} or $CLOUD_ID) left in where the real "
		    "value belongs.",
		    in->source, n);
		diag_finding_step(f, TENANT_STEP);
		goto out;
	}
	if (read_cloud_id(r, in, v, low, n, out, &how, &fix))
		cloud_id_found(r, in, out, how, fix);
out:
	free(v);
	free(low);
	diag__token_clean_release(&c);
	return DIAG_STEP_DONE;
}
