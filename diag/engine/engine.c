/* diag/engine/engine.c: run the plan's checks in order, concurrently where they are independent. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag/engine/check.h"
#include "diag/engine/engine.h"
#include "diag/core/hash.h"
#include "diag/net/http.h"
#include "diag/core/secret.h"
#include "diag/core/url.h"
#include "diag/core/util.h"

struct run_exchange {
	char *label;
	struct diag_exchange *ex;
};

enum run_state {
	RUN_NEW = 0, /* not started */
	RUN_PENDING, /* between steps */
	RUN_WAITING, /* requests in flight */
	RUN_DONE,
};

/* A check that needs more steps than this is looping (a bug). */
#define MAX_STEPS 64

struct engine;

struct diag_run {
	struct engine *eng;
	const struct diag_plan_entry *entry;
	enum run_state state;
	unsigned step;
	unsigned outstanding;
	struct diag_http_req **queued; /* queued in this step */
	size_t n_queued;
	struct run_exchange *exchanges;
	size_t n_exchanges;
	int status_set;
	enum diag_status status;
	char *message;
	char *blocked_by;
	long long started_ms;
	long duration_ms;
	char *waiting_on; /* "GET url": first request in flight */
	struct diag_finding **findings; /* borrowed from eng->findings */
	size_t n_findings;
};

struct engine {
	const struct diag_engine_opts *opts;
	struct diag_inputs inputs;
	struct json_object *facts;
	struct diag_run *runs;
	size_t n_runs;
	struct diag_finding **findings; /* owned until handed to the report */
	size_t n_findings;
	struct diag_http *http;
	long deadline_s; /* of a live run */
	unsigned seq;
	struct run_exchange *kept; /* diag_run_keep_exchange() */
	size_t n_kept;
	char *internal_error;
	int repaired; /* sent a cleaned token or email */
};

unsigned
diag_run_step(struct diag_run *r)
{
	return r->step;
}

const char *
diag_run_command(struct diag_run *r)
{
	return r->eng->opts->command;
}

const char *
diag_run_check_id(struct diag_run *r)
{
	return r->entry->id;
}

const struct diag_input *
diag_run_input(struct diag_run *r, enum diag_input_id id)
{
	return &r->eng->inputs.in[id];
}

const struct diag_inputs *
diag_run_inputs(struct diag_run *r)
{
	return &r->eng->inputs;
}

void
diag_run_set_input(struct diag_run *r, enum diag_input_id id, const char *value,
    size_t len, const char *source)
{
	diag_inputs_set(&r->eng->inputs, id, value, len, source);
}

int
diag_run_host_allowed(struct diag_run *r, const char *host)
{
	const struct diag_engine_opts *o = r->eng->opts;

	if (o->allow_hosts != NULL)
		return diag_url_host_allowed(host, o->allow_hosts,
		    o->n_allow_hosts);
	if (o->net != NULL)
		return diag_url_host_allowed(host, o->net->allow_hosts,
		    o->net->n_allow_hosts);
	return diag_url_host_allowed(host, NULL, 0);
}

const char *
diag_run_option(struct diag_run *r, const char *name)
{
	struct json_object *v;

	if (r->eng->opts->options == NULL ||
	    !json_object_object_get_ex(r->eng->opts->options, name, &v) ||
	    v == NULL)
		return NULL;
	return json_object_get_string(v);
}

void
diag_run_fact_set(struct diag_run *r, const char *key, struct json_object *val)
{
	json_object_object_add(r->eng->facts, key, val);
}

struct json_object *
diag_run_fact(struct diag_run *r, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(r->eng->facts, key, &v))
		return NULL;
	return v;
}

const char *
diag_run_fact_str(struct diag_run *r, const char *key)
{
	struct json_object *v = diag_run_fact(r, key);

	if (v == NULL || !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

int
diag_run_fact_true(struct diag_run *r, const char *key)
{
	struct json_object *v = diag_run_fact(r, key);

	return v != NULL && json_object_is_type(v, json_type_boolean) &&
	    json_object_get_boolean(v);
}

struct diag_finding *
diag_run_finding(struct diag_run *r, const char *code, enum diag_status st,
    enum diag_confidence conf, const char *fmt, ...)
{
	struct engine *e = r->eng;
	struct diag_finding *f;
	va_list ap;

	f = diag_xcalloc(1, sizeof(*f));
	f->code = diag_xstrdup(code);
	f->dx = diag_rules_diagnosis(e->opts->rules, code);
	if (f->dx == NULL && e->internal_error == NULL)
		e->internal_error =
		    diag_xasprintf("check '%s' raised diagnosis code '%s', "
				   "which rules/diagnoses.json does not define",
			r->entry->id, code);
	f->check_id = diag_xstrdup(r->entry->id);
	f->status = st;
	f->confidence = conf;
	if (fmt != NULL) {
		va_start(ap, fmt);
		f->detail = diag_xvasprintf(fmt, ap);
		va_end(ap);
	}
	f->seq = e->seq++;
	e->findings = diag_xrealloc(e->findings,
	    (e->n_findings + 1) * sizeof(*e->findings));
	e->findings[e->n_findings++] = f;
	r->findings = diag_xrealloc(r->findings,
	    (r->n_findings + 1) * sizeof(*r->findings));
	r->findings[r->n_findings++] = f;
	return f;
}

static void
strv_add(char ***v, size_t *n, char *s)
{
	*v = diag_xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[(*n)++] = s;
}

void
diag_finding_note(struct diag_finding *f, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	strv_add(&f->notes, &f->n_notes, diag_xvasprintf(fmt, ap));
	va_end(ap);
}

void
diag_finding_step(struct diag_finding *f, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	strv_add(&f->steps, &f->n_steps, diag_xvasprintf(fmt, ap));
	va_end(ap);
}

void
diag_finding_evidence(struct diag_finding *f, const struct diag_exchange *ex)
{
	size_t i;

	if (ex == NULL)
		return;
	for (i = 0; i < f->n_evidence; i++)
		if (f->evidence[i]->label != NULL && ex->label != NULL &&
		    strcmp(f->evidence[i]->label, ex->label) == 0 &&
		    strcmp(f->evidence[i]->url, ex->url) == 0)
			return;
	f->evidence = diag_xrealloc(f->evidence,
	    (f->n_evidence + 1) * sizeof(*f->evidence));
	f->evidence[f->n_evidence++] = diag_exchange_dup(ex);
}

int
diag_run_has_finding(struct diag_run *r, const char *code)
{
	size_t i;

	for (i = 0; i < r->eng->n_findings; i++)
		if (strcmp(r->eng->findings[i]->code, code) == 0)
			return 1;
	return 0;
}

void
diag_run_message(struct diag_run *r, const char *fmt, ...)
{
	va_list ap;

	free(r->message);
	va_start(ap, fmt);
	r->message = diag_xvasprintf(fmt, ap);
	va_end(ap);
}

void
diag_run_status(struct diag_run *r, enum diag_status st, const char *fmt, ...)
{
	va_list ap;

	r->status = st;
	r->status_set = 1;
	if (fmt != NULL) {
		free(r->message);
		va_start(ap, fmt);
		r->message = diag_xvasprintf(fmt, ap);
		va_end(ap);
	}
}

/* 1 when clean (a fact "token.clean" or "email.clean") differs from what
 * the user gave: a request built with it is not what the user sends. */
static int
repaired(const char *clean, const struct diag_input *in)
{
	return clean != NULL && in->value != NULL &&
	    (strlen(clean) != in->len ||
		memcmp(clean, in->value, in->len) != 0);
}

/* Builds the Authorization value for a request; NULL when none applies. */
static char *
authorization(struct diag_run *r, enum diag_auth auth, const char **kind,
    char **desc)
{
	const struct diag_input *em, *tok;
	const char *email_src;
	struct diag_buf b = DIAG_BUF_INIT;
	char *enc, *v = NULL;

	tok = &r->eng->inputs.in[DIAG_IN_TOKEN];
	em = &r->eng->inputs.in[DIAG_IN_EMAIL];
	*kind = "none";
	*desc = diag_xstrdup("no credentials");
	switch (auth) {
	case DIAG_AUTH_NONE:
		break;
	case DIAG_AUTH_BASIC: {
		const char *clean_tok = diag_run_fact_str(r, "token.clean");
		const char *clean_em = diag_run_fact_str(r, "email.clean");

		if (tok->value == NULL)
			break;
		if (repaired(clean_tok, tok) || repaired(clean_em, em))
			r->eng->repaired = 1;
		email_src = clean_em != NULL ?
		    clean_em :
		    (em->value != NULL ? em->value : "");
		diag_buf_adds(&b, email_src);
		diag_buf_addc(&b, ':');
		if (clean_tok != NULL)
			diag_buf_adds(&b, clean_tok);
		else
			diag_buf_add(&b, tok->value, tok->len);
		diag_secret_register(b.buf, b.len);
		enc = diag_base64_encode(b.buf, b.len, 0);
		v = diag_xasprintf("Basic %s", enc);
		free(enc);
		*kind = "basic";
		free(*desc);
		*desc = diag_xasprintf("Basic base64(%s:<token>)", email_src);
		break;
	}
	case DIAG_AUTH_BEARER: {
		const char *clean_tok = diag_run_fact_str(r, "token.clean");

		if (tok->value == NULL)
			break;
		if (repaired(clean_tok, tok))
			r->eng->repaired = 1;
		if (clean_tok != NULL)
			v = diag_xasprintf("Bearer %s", clean_tok);
		else
			v = diag_xasprintf("Bearer %.*s", (int)tok->len,
			    tok->value);
		*kind = "bearer";
		free(*desc);
		*desc = diag_xstrdup("Bearer <token>");
		break;
	}
	case DIAG_AUTH_ORG_KEY: {
		const struct diag_input *k =
		    &r->eng->inputs.in[DIAG_IN_ORG_KEY];
		size_t n = k->len;

		if (k->value == NULL)
			break;
		while (n > 0 &&
		    (k->value[n - 1] == '\n' || k->value[n - 1] == '\r' ||
			k->value[n - 1] == ' '))
			n--;
		v = diag_xasprintf("Bearer %.*s", (int)n, k->value);
		*kind = "bearer";
		free(*desc);
		*desc = diag_xstrdup("Bearer <org admin API key>");
		break;
	}
	case DIAG_AUTH_AS_GIVEN: {
		const struct diag_input *h =
		    &r->eng->inputs.in[DIAG_IN_AUTH_HEADER];
		const char *p;

		if (h->value == NULL)
			break;
		p = h->value;
		if (strncasecmp(p, "Authorization:", 14) == 0)
			p += 14;
		while (*p == ' ')
			p++;
		v = diag_xstrdup(p);
		*kind = "as-given";
		free(*desc);
		*desc = diag_xstrdup("the Authorization header as given");
		break;
	}
	}
	diag_buf_release(&b);
	if (v != NULL)
		diag_secret_register(v, strlen(v));
	return v;
}

void
diag_run_http(struct diag_run *r, const char *label, const char *method,
    const char *url, enum diag_auth auth, const char *body)
{
	struct diag_http_req *req;

	req = diag_xcalloc(1, sizeof(*req));
	req->label = diag_xstrdup(label);
	req->method = diag_xstrdup(method);
	req->url = diag_xstrdup(url);
	req->body = diag_xstrdup(body);
	req->authorization =
	    authorization(r, auth, &req->auth_kind, &req->auth_desc);
	req->owner = r;
	r->queued =
	    diag_xrealloc(r->queued, (r->n_queued + 1) * sizeof(*r->queued));
	r->queued[r->n_queued++] = req;
}

void
diag_run_http_write_probe(struct diag_run *r, const char *label,
    const char *url, enum diag_auth auth)
{
	diag_run_http(r, label, "POST", url, auth, "{}");
	r->queued[r->n_queued - 1]->write_probe = 1;
}

void
diag_run_http_token_request(struct diag_run *r, const char *label,
    const char *body)
{
	diag_run_http(r, label, "POST", DIAG_HTTP_TOKEN_URL, DIAG_AUTH_NONE,
	    body);
	r->queued[r->n_queued - 1]->token_request = 1;
}

const struct diag_exchange *
diag_run_exchange(struct diag_run *r, const char *label)
{
	size_t i;

	for (i = r->n_exchanges; i > 0; i--)
		if (strcmp(r->exchanges[i - 1].label, label) == 0)
			return r->exchanges[i - 1].ex;
	return NULL;
}

void
diag_run_keep_exchange(struct diag_run *r, const char *key,
    const struct diag_exchange *ex)
{
	struct engine *e = r->eng;
	size_t i;

	if (ex == NULL)
		return;
	for (i = 0; i < e->n_kept; i++)
		if (strcmp(e->kept[i].label, key) == 0)
			break;
	if (i == e->n_kept) {
		e->kept =
		    diag_xrealloc(e->kept, (e->n_kept + 1) * sizeof(*e->kept));
		e->kept[e->n_kept].label = diag_xstrdup(key);
		e->kept[e->n_kept++].ex = NULL;
	}
	diag_exchange_free(e->kept[i].ex);
	e->kept[i].ex = diag_exchange_dup(ex);
}

const struct diag_exchange *
diag_run_kept_exchange(struct diag_run *r, const char *key)
{
	size_t i;

	for (i = 0; i < r->eng->n_kept; i++)
		if (strcmp(r->eng->kept[i].label, key) == 0)
			return r->eng->kept[i].ex;
	return NULL;
}

const struct diag_captured *
diag_run_captured(struct diag_run *r)
{
	return r->eng->opts->captured;
}

size_t
diag_run_classify(struct diag_run *r, const struct diag_exchange *ex,
    struct diag_match *out, size_t max)
{
	return diag_rules_classify(r->eng->opts->rules, ex, out, max);
}

int
diag_run_refines(struct diag_run *r, const char *finer, const char *coarser)
{
	return diag_rules_refines(r->eng->opts->rules, finer, coarser);
}

static int
prereq_blocks(enum diag_status st)
{
	return st == DIAG_FAIL || st == DIAG_BLOCKED || st == DIAG_INCONCLUSIVE;
}

/* What a prerequisite that blocks did, for "not run: ID ...". */
static const char *
prereq_words(enum diag_status st)
{
	if (st == DIAG_BLOCKED)
		return "was blocked";
	return st == DIAG_FAIL ? "failed" : "was inconclusive";
}

static void
run_finish(struct diag_run *r)
{
	size_t i;

	r->state = RUN_DONE;
	r->duration_ms =
	    r->started_ms != 0 ? (long)(diag_now_ms() - r->started_ms) : 0;
	if (!r->status_set) {
		r->status = DIAG_PASS;
		for (i = 0; i < r->n_findings; i++)
			if (r->findings[i]->status > r->status)
				r->status = r->findings[i]->status;
	}
}

/* Files the finished exchange of req under its label; frees req. */
static void
run_add_exchange(struct diag_run *r, struct diag_http_req *req)
{
	const struct diag_engine_opts *o = r->eng->opts;

	if (o->on_exchange != NULL && req->ex != NULL)
		o->on_exchange(o->on_exchange_arg, r->entry->id, req->ex);
	r->exchanges = diag_xrealloc(r->exchanges,
	    (r->n_exchanges + 1) * sizeof(*r->exchanges));
	r->exchanges[r->n_exchanges].label = diag_xstrdup(req->label);
	r->exchanges[r->n_exchanges].ex = req->ex;
	r->n_exchanges++;
	req->ex = NULL;
	diag_http_req_free(req);
}

/* Replaces s (owned) by a copy of v. */
static void
set_str(char **s, const char *v)
{
	free(*s);
	*s = diag_xstrdup(v);
}

/* Answers req from the recorded answers (tests, see struct diag_replay). */
static void
replay_answer(const struct diag_engine_opts *o, struct diag_http_req *req)
{
	size_t i;

	for (i = 0; i < o->n_replay; i++)
		if (strcmp(o->replay[i].method, req->method) == 0 &&
		    strcmp(o->replay[i].url, req->url) == 0)
			break;
	if (i < o->n_replay) {
		req->ex = diag_exchange_dup(o->replay[i].ex);
		set_str(&req->ex->label, req->label);
		set_str(&req->ex->method, req->method);
		set_str(&req->ex->url, req->url);
	} else {
		req->ex = diag_exchange_new(req->label, req->method, req->url);
		req->ex->error =
		    diag_xasprintf("not sent: no recorded answer for %s %s",
			req->method, req->url);
	}
	set_str(&req->ex->auth,
	    req->auth_kind != NULL ? req->auth_kind : "none");
	set_str(&req->ex->auth_desc, req->auth_desc);
}

/* 1 when a bundle replay takes r's result from the record (see
 * diag_engine_opts.from_record). */
static int
run_from_record(struct diag_run *r)
{
	const struct diag_engine_opts *o = r->eng->opts;
	size_t i;

	for (i = 0; i < o->n_from_record; i++)
		if (strcmp(o->from_record[i], r->entry->id) == 0)
			return 1;
	return 0;
}

/* Raises the findings the live run recorded for r's check. */
static enum diag_step
run_recorded(struct diag_run *r)
{
	const struct diag_engine_opts *o = r->eng->opts;
	struct diag_finding *f;
	size_t i;

	for (i = 0; i < o->n_recorded; i++) {
		if (strcmp(o->recorded[i].check, r->entry->id) != 0)
			continue;
		f = diag_run_finding(r, o->recorded[i].code,
		    o->recorded[i].status, o->recorded[i].confidence, NULL);
		diag_finding_note(f,
		    "recorded by the live run: the evidence bundle holds only "
		    "the traits of a secret, not the secret itself, so it is "
		    "not judged again");
	}
	diag_run_message(r,
	    "as the live run recorded it (the bundle holds no secret to "
	    "judge)");
	return DIAG_STEP_DONE;
}

/* Calls the check once more; sends what it queued, or finishes it. */
static void
run_step(struct diag_run *r)
{
	const struct diag_engine_opts *o = r->eng->opts;
	enum diag_step st;
	size_t i;

	r->n_queued = 0;
	st = run_from_record(r) ? run_recorded(r) : r->entry->check->run(r);
	if (st == DIAG_STEP_WAIT && r->n_queued > 0 && o->replay != NULL &&
	    r->step < MAX_STEPS) {
		for (i = 0; i < r->n_queued; i++) {
			replay_answer(o, r->queued[i]);
			run_add_exchange(r, r->queued[i]);
		}
		r->n_queued = 0;
		r->step++;
		run_step(r);
		return;
	}
	if (st == DIAG_STEP_WAIT && r->n_queued > 0 && r->eng->http != NULL) {
		r->state = RUN_WAITING;
		r->outstanding = (unsigned)r->n_queued;
		free(r->waiting_on);
		r->waiting_on = diag_xasprintf("%s %s%s", r->queued[0]->method,
		    r->queued[0]->url, r->n_queued > 1 ? " and more" : "");
		for (i = 0; i < r->n_queued; i++)
			diag_http_submit(r->eng->http, r->queued[i]);
		r->n_queued = 0;
		return;
	}
	for (i = 0; i < r->n_queued; i++)
		diag_http_req_free(r->queued[i]);
	if (st == DIAG_STEP_WAIT && r->n_queued > 0) {
		/* A live check in an offline run: it cannot decide. */
		r->n_queued = 0;
		diag_run_status(r, DIAG_SKIPPED, "needs the network");
	} else if (st == DIAG_STEP_WAIT && r->step < MAX_STEPS) {
		/* Waiting on nothing: call it again at once. */
		r->step++;
		run_step(r);
		return;
	} else if (st == DIAG_STEP_WAIT && r->eng->internal_error == NULL) {
		r->eng->internal_error =
		    diag_xasprintf("check '%s' kept waiting without queueing a "
				   "request",
			r->entry->id);
	}
	run_finish(r);
}

static void
run_start(struct engine *e, struct diag_run *r)
{
	const struct diag_plan_entry *p = r->entry;
	struct diag_run *dep;
	size_t i, j;

	for (i = 0; i < p->n_after; i++) {
		for (j = 0; j < e->n_runs; j++)
			if (strcmp(e->runs[j].entry->id, p->after[i]) == 0)
				break;
		if (j == e->n_runs)
			continue; /* prerequisite not in this command */
		dep = &e->runs[j];
		if (prereq_blocks(dep->status)) {
			r->state = RUN_DONE;
			r->status = DIAG_BLOCKED;
			r->status_set = 1;
			r->blocked_by = diag_xstrdup(dep->entry->id);
			r->message = diag_xasprintf("not run: %s %s",
			    dep->entry->id, prereq_words(dep->status));
			return;
		}
	}
	r->started_ms = diag_now_ms();
	r->step = 0;
	run_step(r);
}

/* 1 when every prerequisite of r that is part of this run is done. */
static int
run_ready(struct engine *e, struct diag_run *r)
{
	size_t i, j;

	for (i = 0; i < r->entry->n_after; i++)
		for (j = 0; j < e->n_runs; j++)
			if (strcmp(e->runs[j].entry->id, r->entry->after[i]) ==
				0 &&
			    e->runs[j].state != RUN_DONE)
				return 0;
	return 1;
}

static void
on_done(struct engine *e, struct diag_http_req *req)
{
	struct diag_run *r = req->owner;

	run_add_exchange(r, req);
	if (--r->outstanding == 0) {
		r->step++;
		r->state = RUN_PENDING;
		run_step(r);
	}
	(void)e;
}

static void
engine_loop(struct engine *e)
{
	struct diag_http_req *req;
	size_t i;
	int progress;

	for (;;) {
		do {
			progress = 0;
			for (i = 0; i < e->n_runs; i++) {
				if (e->runs[i].state != RUN_NEW ||
				    !run_ready(e, &e->runs[i]))
					continue;
				e->runs[i].state = RUN_PENDING;
				run_start(e, &e->runs[i]);
				progress = 1;
			}
		} while (progress);
		if (e->http == NULL)
			break;
		req = diag_http_next_done(e->http);
		if (req == NULL)
			break;
		on_done(e, req);
	}
}

/* The deadline of a live run: --deadline, or 2 x timeout + 10 s. */
static long
deadline_of(const struct diag_net_opts *net)
{
	long t = net->timeout_s > 0 ? net->timeout_s : 15;

	return net->deadline_s > 0 ? net->deadline_s : 2 * t + 10;
}

/*
 * The run's deadline passed: every check still waiting or not started
 * ends inconclusive, saying so, and one network.timeout finding (raised
 * by the first of them) names them all.
 */
static void
deadline_passed(struct engine *e)
{
	struct diag_run *r, *first = NULL;
	struct diag_finding *f = NULL;
	struct diag_buf which = DIAG_BUF_INIT;
	size_t i, n = 0;

	for (i = 0; i < e->n_runs; i++) {
		r = &e->runs[i];
		if (r->state == RUN_DONE)
			continue;
		if (first == NULL)
			first = r;
		diag_buf_addf(&which, "%s%s", n++ > 0 ? ", " : "",
		    r->entry->id);
	}
	if (first != NULL) {
		f = diag_run_finding(first, "network.timeout",
		    DIAG_INCONCLUSIVE, DIAG_CONFIRMED,
		    "The run's deadline of %ld s passed before %zu check%s "
		    "finished: %s. They are inconclusive: nothing is known "
		    "about what they test.",
		    e->deadline_s, n, n == 1 ? "" : "s", which.buf);
		diag_finding_step(f,
		    "Re-run with a longer deadline (for example --deadline "
		    "%ld), or find out what is slow: the checks below name the "
		    "request each one was waiting for.",
		    e->deadline_s * 4);
	}
	for (i = 0; i < e->n_runs; i++) {
		r = &e->runs[i];
		if (r->state == RUN_DONE)
			continue;
		if (r->state == RUN_WAITING && r->waiting_on != NULL) {
			diag_finding_note(f, "%s was waiting for %s",
			    r->entry->id, r->waiting_on);
			diag_run_status(r, DIAG_INCONCLUSIVE,
			    "did not finish: the run's deadline (%ld s, "
			    "--deadline) passed while waiting for %s",
			    e->deadline_s, r->waiting_on);
		} else
			diag_run_status(r, DIAG_INCONCLUSIVE,
			    "not started: the run's deadline (%ld s, "
			    "--deadline) passed before its prerequisites "
			    "finished",
			    e->deadline_s);
		run_finish(r);
	}
	diag_buf_release(&which);
}

/* inputs object of the report: values and sources, never a secret. */
static struct json_object *
report_inputs(struct engine *e)
{
	struct json_object *o, *v, *t;
	const struct diag_input *in;
	char fp[16];
	size_t i;

	o = json_object_new_object();
	for (i = 0; i < DIAG_IN__COUNT; i++) {
		in = &e->inputs.in[i];
		if (in->source == NULL)
			continue;
		v = json_object_new_object();
		if (!in->secret && in->value != NULL)
			json_object_object_add(v, "value",
			    json_object_new_string_len(in->value,
				(int)in->len));
		if (in->secret && in->value != NULL) {
			json_object_object_add(v, "length",
			    json_object_new_int64((int64_t)in->len));
			diag_fingerprint(in->value, in->len, fp);
			json_object_object_add(v, "fingerprint",
			    json_object_new_string(fp));
		}
		json_object_object_add(v, "source",
		    json_object_new_string(in->source));
		json_object_object_add(o,
		    diag_input_name((enum diag_input_id)i), v);
	}
	/* Facts "inputs.<input>.<field>" complete the picture. */
	json_object_object_foreach(e->facts, key, val) {
		char *in_name, *dot;

		if (strncmp(key, "inputs.", 7) != 0)
			continue;
		in_name = diag_xstrdup(key + 7);
		dot = strchr(in_name, '.');
		if (dot != NULL) {
			*dot = '\0';
			if (!json_object_object_get_ex(o, in_name, &t)) {
				t = json_object_new_object();
				json_object_object_add(o, in_name, t);
			}
			json_object_object_add(t, dot + 1,
			    json_object_get(val));
		}
		free(in_name);
	}
	return o;
}

static void
engine_release(struct engine *e)
{
	size_t i, j;
	struct diag_run *r;

	for (i = 0; i < e->n_runs; i++) {
		r = &e->runs[i];
		for (j = 0; j < r->n_exchanges; j++) {
			free(r->exchanges[j].label);
			diag_exchange_free(r->exchanges[j].ex);
		}
		free(r->exchanges);
		for (j = 0; j < r->n_queued; j++)
			diag_http_req_free(r->queued[j]);
		free(r->queued);
		free(r->message);
		free(r->blocked_by);
		free(r->waiting_on);
		free(r->findings);
	}
	free(e->runs);
	for (i = 0; i < e->n_kept; i++) {
		free(e->kept[i].label);
		diag_exchange_free(e->kept[i].ex);
	}
	free(e->kept);
	for (i = 0; i < e->n_findings; i++)
		diag_finding_free(e->findings[i]);
	free(e->findings);
	json_object_put(e->facts);
	diag_http_free(e->http);
	diag_inputs_release(&e->inputs);
	free(e->internal_error);
}

/* 1 when finding a is stronger than b (status, then confidence). */
static int
merge_stronger(const struct diag_finding *a, const struct diag_finding *b)
{
	if (diag_status_rank(a->status) != diag_status_rank(b->status))
		return diag_status_rank(a->status) <
		    diag_status_rank(b->status);
	return a->confidence < b->confidence;
}

static void
merge_strv(char ***v, size_t *n, char **from, size_t n_from)
{
	size_t i, j;

	for (i = 0; i < n_from; i++) {
		for (j = 0; j < *n; j++)
			if (strcmp((*v)[j], from[i]) == 0)
				break;
		if (j == *n)
			strv_add(v, n, diag_xstrdup(from[i]));
	}
}

/*
 * Findings with the same code raised by several checks become one: the
 * strongest (fail > inconclusive > warn, then confirmed > likely >
 * possible) is kept; the others' details, notes, steps and evidence are
 * merged into it and they are freed. Keeps the order of first raising.
 */
static void
merge_findings(struct diag_finding **fs, size_t *n)
{
	struct diag_finding *keep, *drop;
	size_t i, j, k;
	char *note;

	for (i = 0; i < *n; i++)
		for (j = i + 1; j < *n;) {
			if (strcmp(fs[i]->code, fs[j]->code) != 0) {
				j++;
				continue;
			}
			keep = fs[i];
			drop = fs[j];
			if (merge_stronger(drop, keep)) {
				keep = fs[j];
				drop = fs[i];
				keep->seq = drop->seq;
				fs[i] = keep;
			}
			if (drop->detail != NULL &&
			    (keep->detail == NULL ||
				strcmp(drop->detail, keep->detail) != 0)) {
				note = diag_xasprintf("also seen by %s: %s",
				    drop->check_id, drop->detail);
				merge_strv(&keep->notes, &keep->n_notes, &note,
				    1);
				free(note);
			}
			merge_strv(&keep->notes, &keep->n_notes, drop->notes,
			    drop->n_notes);
			merge_strv(&keep->steps, &keep->n_steps, drop->steps,
			    drop->n_steps);
			for (k = 0; k < drop->n_evidence; k++)
				diag_finding_evidence(keep, drop->evidence[k]);
			if (drop->retry_at > keep->retry_at)
				keep->retry_at = drop->retry_at;
			diag_finding_free(drop);
			memmove(&fs[j], &fs[j + 1], (*n - j - 1) * sizeof(*fs));
			(*n)--;
		}
}

/* What finding f says: its detail, its diagnosis title, or "raised". */
static const char *
finding_words(const struct diag_finding *f)
{
	if (f->detail != NULL)
		return f->detail;
	return f->dx != NULL ? f->dx->title : "raised";
}

/* Moves coarse into fine: its evidence, a note, the findings it explained
 * and itself (fine->explains); fine takes the stronger status. */
static void
fold_into(struct diag_finding *fine, struct diag_finding *coarse)
{
	size_t k;

	if (diag_status_rank(coarse->status) < diag_status_rank(fine->status))
		fine->status = coarse->status;
	diag_finding_note(fine, "also (%s): %s", coarse->code,
	    finding_words(coarse));
	for (k = 0; k < coarse->n_evidence; k++)
		diag_finding_evidence(fine, coarse->evidence[k]);
	fine->explains = diag_xrealloc(fine->explains,
	    (fine->n_explains + coarse->n_explains + 1) *
		sizeof(*fine->explains));
	for (k = 0; k < coarse->n_explains; k++)
		fine->explains[fine->n_explains++] = coarse->explains[k];
	coarse->n_explains = 0;
	fine->explains[fine->n_explains++] = coarse;
}

/* 1 when f rests on an exchange atldiag sent itself (not a transcript). */
static int
live_evidence(const struct diag_finding *f)
{
	size_t i;

	for (i = 0; i < f->n_evidence; i++)
		if (!f->evidence[i]->from_transcript)
			return 1;
	return 0;
}

/* The best-ranked proven finding of fs (n of them) that refines fs[j]. */
static struct diag_finding *
best_cause(const struct diag_rules *rules, struct diag_finding **fs, size_t n,
    size_t j)
{
	struct diag_finding *best = NULL;
	size_t i;

	for (i = 0; i < n; i++) {
		if (i == j || !diag_finding_proven(fs[i]) ||
		    !diag_rules_refines(rules, fs[i]->code, fs[j]->code))
			continue;
		if (best == NULL || diag_finding_rank_cmp(fs[i], best) < 0)
			best = fs[i];
	}
	return best;
}

/*
 * Causes before symptoms: a finding that a proven cause of the same run
 * refines (rules/diagnoses.json 'refines') says nothing the cause does
 * not explain, so it is folded into the best-ranked such cause (see
 * fold_into) and leaves the list. When atldiag sent a cleaned token or
 * email (repaired), its own exchanges are not the user's: a finding drawn
 * from them stays, since a cause found in the raw input may not explain
 * it (the cleaned token can be refused for another reason).
 */
static void
fold_findings(const struct diag_rules *rules, int repaired,
    struct diag_finding **fs, size_t *n)
{
	struct diag_finding *best;
	size_t j;

	for (j = 0; j < *n;) {
		best = NULL;
		if (!(repaired && live_evidence(fs[j])))
			best = best_cause(rules, fs, *n, j);
		if (best == NULL) {
			j++;
			continue;
		}
		fold_into(best, fs[j]);
		memmove(&fs[j], &fs[j + 1], (*n - j - 1) * sizeof(*fs));
		(*n)--;
	}
}

/*
 * The plan entries this run takes: the command's, under --only, live ones only
 * with a network.
 */
static void
select_runs(struct engine *e, const struct diag_engine_opts *opts)
{
	const struct diag_plan_entry *plan;
	unsigned bit;
	size_t n, i, only_len;

	bit = diag_command_bit(opts->command);
	n = diag_rules_plan(opts->rules, &plan);
	e->runs = diag_xcalloc(n, sizeof(*e->runs));
	only_len = opts->only != NULL ? strlen(opts->only) : 0;
	for (i = 0; i < n; i++) {
		if ((plan[i].commands & bit) == 0)
			continue;
		if (only_len > 0 &&
		    strncmp(plan[i].id, opts->only, only_len) != 0)
			continue;
		if (opts->net == NULL && opts->replay == NULL &&
		    (plan[i].check->flags & DIAG_CHECK_LIVE) != 0)
			continue;
		e->runs[e->n_runs].eng = e;
		e->runs[e->n_runs].entry = &plan[i];
		e->n_runs++;
	}
}

/*
 * Each run's result moves to rep->checks; a required check left inconclusive
 * makes the verdict so.
 */
static void
hand_checks(struct engine *e, struct diag_report *rep)
{
	struct diag_check_result *cr;
	struct diag_run *r;
	size_t i, j;

	rep->checks = diag_xrealloc(rep->checks,
	    (rep->n_checks + e->n_runs) * sizeof(*rep->checks));
	for (i = 0; i < e->n_runs; i++) {
		r = &e->runs[i];
		if (r->state != RUN_DONE) {
			run_finish(r);
			diag_run_status(r, DIAG_INCONCLUSIVE, "did not finish");
		}
		cr = &rep->checks[rep->n_checks++];
		memset(cr, 0, sizeof(*cr));
		cr->id = diag_xstrdup(r->entry->id);
		cr->status = r->status;
		cr->message = r->message;
		r->message = NULL;
		cr->blocked_by = r->blocked_by;
		r->blocked_by = NULL;
		cr->duration_ms = r->duration_ms;
		cr->codes = diag_xcalloc(r->n_findings + 1, sizeof(char *));
		for (j = 0; j < r->n_findings; j++)
			cr->codes[cr->n_codes++] =
			    diag_xstrdup(r->findings[j]->code);
		if (r->entry->required && r->status == DIAG_INCONCLUSIVE)
			rep->verdict = DIAG_INCONCLUSIVE;
	}
}

/*
 * The findings (merged, symptoms folded into causes), inputs, known facts and
 * "extra.*" facts move to rep.
 */
static void
hand_findings(struct engine *e, struct diag_report *rep)
{
	const struct diag_engine_opts *opts = e->opts;
	size_t i;

	merge_findings(e->findings, &e->n_findings);
	fold_findings(opts->rules, e->repaired, e->findings, &e->n_findings);
	rep->findings = diag_xrealloc(rep->findings,
	    (rep->n_findings + e->n_findings) * sizeof(*rep->findings));
	for (i = 0; i < e->n_findings; i++)
		rep->findings[rep->n_findings++] = e->findings[i];
	e->n_findings = 0;
	if (rep->inputs == NULL)
		rep->inputs = report_inputs(e);
	diag_report_take_known(rep, e->facts, opts->options);
	/* Facts "extra.<name>" become members of the report. */
	json_object_object_foreach(e->facts, fkey, fval) {
		if (strncmp(fkey, "extra.", 6) != 0)
			continue;
		if (rep->extra == NULL)
			rep->extra = json_object_new_object();
		json_object_object_add(rep->extra, fkey + 6,
		    json_object_get(fval));
	}
}

int
diag_engine_run(const struct diag_engine_opts *opts, struct diag_report *rep)
{
	struct engine e;
	int rc = 0;

	memset(&e, 0, sizeof(e));
	e.opts = opts;
	diag_inputs_copy(&e.inputs, opts->inputs);
	e.facts = json_object_new_object();
	if (opts->seed_facts != NULL) {
		json_object_object_foreach(opts->seed_facts, sk, sv)
			json_object_object_add(e.facts, sk,
			    json_object_get(sv));
	}
	select_runs(&e, opts);
	if (opts->net != NULL) {
		e.http = diag_http_new(opts->net);
		e.deadline_s = deadline_of(opts->net);
		diag_http_set_deadline(e.http,
		    diag_now_ms() + (long long)e.deadline_s * 1000);
	}

	engine_loop(&e);
	if (e.http != NULL && diag_http_expired(e.http))
		deadline_passed(&e);

	hand_checks(&e, rep);
	hand_findings(&e, rep);
	if (e.http != NULL)
		rep->exchanges += diag_http_sent(e.http);
	if (e.internal_error == NULL && e.http != NULL &&
	    diag_http_gate_error(e.http) != NULL)
		e.internal_error = diag_xstrdup(diag_http_gate_error(e.http));
	if (e.internal_error != NULL) {
		free(rep->error);
		rep->error = e.internal_error;
		e.internal_error = NULL;
		rc = -1;
	}
	engine_release(&e);
	return rc;
}
