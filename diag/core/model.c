/* diag/core/model.c: names of states, and the life cycle of exchanges and findings. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "diag/core/model.h"
#include "diag/core/util.h"

static const char *const status_names[] = {
	[DIAG_PASS] = "pass",
	[DIAG_SKIPPED] = "skipped",
	[DIAG_WARN] = "warn",
	[DIAG_INCONCLUSIVE] = "inconclusive",
	[DIAG_BLOCKED] = "blocked",
	[DIAG_FAIL] = "fail",
};

static const char *const confidence_names[] = {
	[DIAG_CONFIRMED] = "confirmed",
	[DIAG_LIKELY] = "likely",
	[DIAG_POSSIBLE] = "possible",
};

const char *
diag_status_name(enum diag_status s)
{
	if ((size_t)s >= DIAG_NELEM(status_names))
		return "unknown";
	return status_names[s];
}

int
diag_status_parse(const char *s, enum diag_status *out)
{
	size_t i;

	for (i = 0; i < DIAG_NELEM(status_names); i++) {
		if (strcmp(s, status_names[i]) == 0) {
			*out = (enum diag_status)i;
			return 0;
		}
	}
	return -1;
}

int
diag_status_rank(enum diag_status s)
{
	switch (s) {
	case DIAG_FAIL:
		return 0;
	case DIAG_INCONCLUSIVE:
		return 1;
	case DIAG_WARN:
		return 2;
	default:
		return 3;
	}
}

const char *
diag_confidence_name(enum diag_confidence c)
{
	if ((size_t)c >= DIAG_NELEM(confidence_names))
		return "unknown";
	return confidence_names[c];
}

int
diag_confidence_parse(const char *s, enum diag_confidence *out)
{
	size_t i;

	for (i = 0; i < DIAG_NELEM(confidence_names); i++) {
		if (strcmp(s, confidence_names[i]) == 0) {
			*out = (enum diag_confidence)i;
			return 0;
		}
	}
	return -1;
}

struct diag_exchange *
diag_exchange_new(const char *label, const char *method, const char *url)
{
	struct diag_exchange *ex;

	ex = diag_xcalloc(1, sizeof(*ex));
	ex->label = diag_xstrdup(label != NULL ? label : "");
	ex->method = diag_xstrdup(method != NULL ? method : "GET");
	ex->url = diag_xstrdup(url != NULL ? url : "");
	return ex;
}

static void
headers_free(struct diag_header *h, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(h[i].name);
		free(h[i].value);
	}
	free(h);
}

static struct diag_header *
headers_dup(const struct diag_header *h, size_t n)
{
	struct diag_header *c;
	size_t i;

	if (n == 0)
		return NULL;
	c = diag_xcalloc(n, sizeof(*c));
	for (i = 0; i < n; i++) {
		c[i].name = diag_xstrdup(h[i].name);
		c[i].value = diag_xstrdup(h[i].value);
	}
	return c;
}

void
diag_exchange_free(struct diag_exchange *ex)
{
	if (ex == NULL)
		return;
	free(ex->label);
	free(ex->method);
	free(ex->url);
	free(ex->auth);
	free(ex->auth_desc);
	headers_free(ex->req_headers, ex->n_req_headers);
	free(ex->http_version);
	headers_free(ex->headers, ex->n_headers);
	free(ex->body);
	free(ex->trace_id);
	free(ex->error);
	free(ex->req_body);
	free(ex);
}

struct diag_exchange *
diag_exchange_dup(const struct diag_exchange *ex)
{
	struct diag_exchange *c;

	c = diag_xcalloc(1, sizeof(*c));
	*c = *ex;
	c->label = diag_xstrdup(ex->label);
	c->method = diag_xstrdup(ex->method);
	c->url = diag_xstrdup(ex->url);
	c->auth = diag_xstrdup(ex->auth);
	c->auth_desc = diag_xstrdup(ex->auth_desc);
	c->req_headers = headers_dup(ex->req_headers, ex->n_req_headers);
	c->http_version = diag_xstrdup(ex->http_version);
	c->headers = headers_dup(ex->headers, ex->n_headers);
	c->body =
	    ex->body != NULL ? diag_xstrndup(ex->body, ex->body_len) : NULL;
	c->trace_id = diag_xstrdup(ex->trace_id);
	c->error = diag_xstrdup(ex->error);
	c->req_body = diag_xstrdup(ex->req_body);
	return c;
}

static void
headers_add(struct diag_header **h, size_t *n, const char *name,
    const char *value)
{
	*h = diag_xrealloc(*h, (*n + 1) * sizeof(**h));
	(*h)[*n].name = diag_xstrdup(name);
	(*h)[*n].value = diag_xstrdup(value != NULL ? value : "");
	(*n)++;
}

void
diag_exchange_add_header(struct diag_exchange *ex, const char *name,
    const char *value)
{
	headers_add(&ex->headers, &ex->n_headers, name, value);
	if (ex->trace_id == NULL &&
	    (strcasecmp(name, "ATL-TraceId") == 0 ||
		strcasecmp(name, "x-trace-id") == 0))
		ex->trace_id = diag_xstrdup(value);
}

void
diag_exchange_add_req_header(struct diag_exchange *ex, const char *name,
    const char *value)
{
	headers_add(&ex->req_headers, &ex->n_req_headers, name, value);
}

const char *
diag_exchange_header(const struct diag_exchange *ex, const char *name)
{
	size_t i;

	for (i = 0; i < ex->n_headers; i++)
		if (strcasecmp(ex->headers[i].name, name) == 0)
			return ex->headers[i].value;
	return NULL;
}

static void
strv_free(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void
diag_finding_free(struct diag_finding *f)
{
	size_t i;

	if (f == NULL)
		return;
	free(f->code);
	free(f->check_id);
	free(f->detail);
	strv_free(f->notes, f->n_notes);
	strv_free(f->steps, f->n_steps);
	for (i = 0; i < f->n_evidence; i++)
		diag_exchange_free(f->evidence[i]);
	free(f->evidence);
	for (i = 0; i < f->n_explains; i++)
		diag_finding_free(f->explains[i]);
	free(f->explains);
	free(f);
}

int
diag_finding_proven(const struct diag_finding *f)
{
	return f->dx != NULL && !f->dx->residual &&
	    f->confidence != DIAG_POSSIBLE;
}

int
diag_finding_rank_cmp(const struct diag_finding *a,
    const struct diag_finding *b)
{
	int pa, pb;

	if (diag_status_rank(a->status) != diag_status_rank(b->status))
		return diag_status_rank(a->status) -
		    diag_status_rank(b->status);
	pa = !diag_finding_proven(a);
	pb = !diag_finding_proven(b);
	if (pa != pb)
		return pa - pb;
	if (a->confidence != b->confidence)
		return (int)a->confidence - (int)b->confidence;
	pa = a->dx != NULL ? a->dx->priority : 50;
	pb = b->dx != NULL ? b->dx->priority : 50;
	if (pa != pb)
		return pa < pb ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}
