/* diag/report/evidence.c: the "_atldiag" member of an evidence bundle, from the shared report view. */
#include <stdlib.h>
#include <string.h>

#include "diag/core/util.h"
#include "diag/report/evidence.h"
#include "diag/report/view.h"

/* Options that say what a run was asked to prove; none holds a secret. */
static const char *const asked[] = {
	"project",
	"issue",
	"space",
	"need-scope",
	"need-permission",
	"probe-writes",
	"expires",
	"warn-expiry-days",
	"client-id",
};

/* Traits of a secret input the report keeps (never its value). */
static const char *const traits[] = {
	"kind",
	"length",
	"checksum",
	"fingerprint",
};

static struct json_object *
evidence_inputs(const struct diag_report *r, const struct diag_report_view *v)
{
	struct json_object *o = json_object_new_object(), *i, *src, *t;
	const struct diag_view_input *vi;
	size_t k, j;

	for (k = 0; k < v->n_inputs; k++) {
		vi = &v->inputs[k];
		i = json_object_new_object();
		if (vi->shown != NULL)
			json_object_object_add(i,
			    vi->secret ? "traits" : "value",
			    json_object_new_string(vi->shown));
		if (vi->source != NULL)
			json_object_object_add(i, "source",
			    json_object_new_string(vi->source));
		src = NULL;
		if (vi->secret && r->inputs != NULL)
			(void)json_object_object_get_ex(r->inputs, vi->key,
			    &src);
		for (j = 0; src != NULL && j < DIAG_NELEM(traits); j++)
			if (json_object_object_get_ex(src, traits[j], &t))
				json_object_object_add(i, traits[j],
				    json_object_get(t));
		json_object_object_add(o, vi->key, i);
	}
	return o;
}

static struct json_object *
evidence_options(struct json_object *options)
{
	struct json_object *o = json_object_new_object(), *v;
	size_t k;

	for (k = 0; options != NULL && k < DIAG_NELEM(asked); k++)
		if (json_object_object_get_ex(options, asked[k], &v))
			json_object_object_add(o, asked[k], json_object_get(v));
	return o;
}

static struct json_object *
evidence_findings(const struct diag_report *r)
{
	struct json_object *a = json_object_new_array(), *f;
	size_t k;

	for (k = 0; k < r->n_findings; k++) {
		f = json_object_new_object();
		json_object_object_add(f, "code",
		    json_object_new_string(r->findings[k]->code));
		json_object_object_add(f, "status",
		    json_object_new_string(
			diag_status_name(r->findings[k]->status)));
		json_object_object_add(f, "confidence",
		    json_object_new_string(
			diag_confidence_name(r->findings[k]->confidence)));
		if (r->findings[k]->check_id != NULL)
			json_object_object_add(f, "check",
			    json_object_new_string(r->findings[k]->check_id));
		json_object_array_add(a, f);
	}
	return a;
}

struct json_object *
diag_report_evidence(const struct diag_report *r, struct json_object *options)
{
	struct diag_report_view *v = diag_report_view_new(r);
	struct json_object *o = json_object_new_object();
	char when[32];
	struct tm tm;

	json_object_object_add(o, "schema",
	    json_object_new_string(DIAG_EVIDENCE_SCHEMA));
	json_object_object_add(o, "command",
	    json_object_new_string(r->command != NULL ? r->command : ""));
	if (gmtime_r(&r->generated_at, &tm) != NULL &&
	    strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm) > 0)
		json_object_object_add(o, "generated_at",
		    json_object_new_string(when));
	json_object_object_add(o, "verdict",
	    json_object_new_string(v->verdict));
	json_object_object_add(o, "primary",
	    v->primary != NULL ? json_object_new_string(v->primary) : NULL);
	json_object_object_add(o, "exit_code",
	    json_object_new_int(r->exit_code));
	json_object_object_add(o, "inputs", evidence_inputs(r, v));
	json_object_object_add(o, "options", evidence_options(options));
	json_object_object_add(o, "findings", evidence_findings(r));
	diag_report_view_free(v);
	return o;
}
