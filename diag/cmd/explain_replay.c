/* diag/cmd/explain_replay.c: explain of an evidence bundle replays the live run offline from its recorded answers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag/cmd/explain_replay.h"
#include "diag/engine/engine.h"
#include "diag/core/util.h"

/* Longest placeholder made for a secret input. */
#define REPLAY_MAX_SECRET 4096

/*
 * The checks that judge the value of a secret the run had (a bundle holds
 * only its traits): the input checks of the token, header and org key, and
 * the client-credentials grant. A replay takes their result from the
 * record; one whose secret the run did not have runs as it did live.
 */
static size_t
secret_checks(const struct diag_inputs *in, struct json_object *opts,
    const char **out)
{
	size_t n = 0;

	if (in->in[DIAG_IN_TOKEN].value != NULL ||
	    in->in[DIAG_IN_AUTH_HEADER].value != NULL ||
	    in->in[DIAG_IN_ORG_KEY].value != NULL)
		out[n++] = "input.sources";
	if (in->in[DIAG_IN_TOKEN].value != NULL)
		out[n++] = "input.token";
	if (in->in[DIAG_IN_AUTH_HEADER].value != NULL)
		out[n++] = "input.auth_header";
	/* The client-credentials grant needs the client secret, which no
	 * bundle holds: its verdict comes from the record. */
	if (json_object_object_get_ex(opts, "client-id", NULL))
		out[n++] = "auth.oauth_client";
	return n;
}

/* The scheme of the first Authorization header the bundle's entries
 * carry ("Basic", "Bearer"), or "Basic". */
static char *
recorded_scheme(const struct diag_transcript *tx)
{
	size_t i, n;

	for (i = 0; i < tx->n_items; i++) {
		if (tx->items[i].authorization == NULL)
			continue;
		n = strcspn(tx->items[i].authorization, " ");
		if (n > 0 && n < 32)
			return diag_xstrndup(tx->items[i].authorization, n);
	}
	return diag_xstrdup("Basic");
}

/* A stand-in of n bytes for a secret the bundle records by its traits
 * only (prefix, then 'x'): the replay answers never look at it. */
static void
set_placeholder(struct diag_inputs *in, enum diag_input_id id,
    const char *prefix, int64_t n, const char *src)
{
	char *v;
	size_t len, plen = strlen(prefix);

	if (n <= 0 || n > REPLAY_MAX_SECRET)
		n = 32;
	len = (size_t)n > plen ? (size_t)n : plen + 1;
	v = diag_xmalloc(len + 1);
	memcpy(v, prefix, plen);
	memset(v + plen, 'x', len - plen);
	v[len] = '\0';
	diag_inputs_set(in, id, v, len, src);
	free(v);
}

/* The inputs of the recorded run, a secret by a placeholder. */
static void
replay_inputs(const struct diag_transcript *tx, struct json_object *all,
    struct diag_inputs *in)
{
	struct json_object *one, *v, *s, *l;
	enum diag_input_id id;
	char *src, *scheme;
	int64_t len;

	diag_inputs_init(in);
	for (id = 0; id < DIAG_IN__COUNT; id++) {
		if (!json_object_object_get_ex(all, diag_input_name(id),
			&one) ||
		    !json_object_is_type(one, json_type_object))
			continue;
		src = diag_xasprintf("bundle:%s",
		    json_object_object_get_ex(one, "source", &s) &&
			    json_object_is_type(s, json_type_string) ?
			json_object_get_string(s) :
			"input");
		len = json_object_object_get_ex(one, "length", &l) ?
		    json_object_get_int64(l) :
		    0;
		if (json_object_object_get_ex(one, "value", &v) &&
		    json_object_is_type(v, json_type_string))
			diag_inputs_set(in, id, json_object_get_string(v),
			    strlen(json_object_get_string(v)), src);
		else if (id == DIAG_IN_AUTH_HEADER) {
			scheme = recorded_scheme(tx);
			set_placeholder(in, id, scheme, len, src);
			free(scheme);
		} else if (id == DIAG_IN_TOKEN || id == DIAG_IN_ORG_KEY)
			set_placeholder(in, id, "", len, src);
		free(src);
	}
}

/* Facts the skipped input.token would have set, from the token's traits. */
static struct json_object *
replay_facts(struct json_object *all)
{
	static const char *const traits[] = { "kind", "length", "checksum",
		"fingerprint" };
	struct json_object *f = json_object_new_object(), *tok, *v;
	char key[64];
	size_t i;

	if (!json_object_object_get_ex(all, "token", &tok))
		return f;
	for (i = 0; i < DIAG_NELEM(traits); i++) {
		if (!json_object_object_get_ex(tok, traits[i], &v))
			continue;
		snprintf(key, sizeof(key), "inputs.token.%s", traits[i]);
		json_object_object_add(f, key, json_object_get(v));
	}
	if (json_object_object_get_ex(tok, "kind", &v))
		json_object_object_add(f, "token.kind", json_object_get(v));
	return f;
}

/* The findings the live run recorded (code, status, confidence, check). */
static struct diag_recorded *
replay_recorded(struct json_object *bundle, size_t *n)
{
	struct json_object *arr, *o, *c, *k, *st, *cf;
	struct diag_recorded *r;
	size_t i, len;

	*n = 0;
	if (!json_object_object_get_ex(bundle, "findings", &arr) ||
	    !json_object_is_type(arr, json_type_array))
		return NULL;
	len = json_object_array_length(arr);
	r = diag_xcalloc(len + 1, sizeof(*r));
	for (i = 0; i < len; i++) {
		o = json_object_array_get_idx(arr, i);
		if (!json_object_object_get_ex(o, "code", &k) ||
		    !json_object_object_get_ex(o, "check", &c) ||
		    !json_object_object_get_ex(o, "status", &st) ||
		    !json_object_object_get_ex(o, "confidence", &cf) ||
		    diag_status_parse(json_object_get_string(st),
			&r[*n].status) != 0 ||
		    diag_confidence_parse(json_object_get_string(cf),
			&r[*n].confidence) != 0)
			continue;
		r[*n].check = json_object_get_string(c);
		r[*n].code = json_object_get_string(k);
		(*n)++;
	}
	return r;
}

/* Every recorded answer of the bundle, by method and URL. */
static struct diag_replay *
replay_table(const struct diag_transcript *tx)
{
	struct diag_replay *t = diag_xcalloc(tx->n_items + 1, sizeof(*t));
	size_t i;

	for (i = 0; i < tx->n_items; i++) {
		t[i].method = tx->items[i].ex->method;
		t[i].url = tx->items[i].ex->url;
		t[i].ex = tx->items[i].ex;
	}
	return t;
}

/* The options of the recorded run, then explain's own. */
static struct json_object *
replay_options(struct json_object *bundle, struct json_object *mine)
{
	struct json_object *o = json_object_new_object(), *rec;

	if (json_object_object_get_ex(bundle, "options", &rec) &&
	    json_object_is_type(rec, json_type_object)) {
		json_object_object_foreach(rec, k, v)
			json_object_object_add(o, k, json_object_get(v));
	}
	/* --calls names a file of the run's machine, not in the bundle. */
	json_object_object_del(o, "calls");
	if (mine != NULL) {
		json_object_object_foreach(mine, k2, v2)
			json_object_object_add(o, k2, json_object_get(v2));
	}
	return o;
}

/* The live command a bundle recorded, when a replay can run it, or NULL. */
static const char *
replay_command(struct json_object *bundle)
{
	struct json_object *c, *in;
	const char *s;

	if (!json_object_object_get_ex(bundle, "inputs", &in) ||
	    !json_object_is_type(in, json_type_object) ||
	    !json_object_object_get_ex(bundle, "command", &c))
		return NULL;
	s = json_object_get_string(c);
	if (strcmp(s, "check") == 0 || strcmp(s, "request") == 0 ||
	    strcmp(s, "can-i") == 0)
		return s;
	return NULL;
}

int
diag__explain_replay(struct diag_cmd *c, const struct diag_transcript *tx,
    struct diag_report *rep)
{
	struct diag_engine_opts eo;
	struct diag_inputs in;
	struct json_object *all;
	struct diag_recorded *rec;
	struct diag_replay *table;
	const char *cmd, *from_record[4];
	size_t i;
	int rc;

	if (tx->bundle == NULL || (cmd = replay_command(tx->bundle)) == NULL)
		return 0;
	json_object_object_get_ex(tx->bundle, "inputs", &all);
	replay_inputs(tx, all, &in);
	memset(&eo, 0, sizeof(eo));
	eo.command = cmd;
	eo.rules = c->rules;
	eo.inputs = &in;
	eo.options = replay_options(tx->bundle, c->opts->options);
	/* The options the live command derived (scope probes); a bad
	 * --need-scope never made a bundle. */
	(void)diag__live_prepare(c->rules, &in, eo.options);
	eo.replay = table = replay_table(tx);
	eo.n_replay = tx->n_items;
	eo.from_record = from_record;
	eo.n_from_record = secret_checks(&in, eo.options, from_record);
	eo.recorded = rec = replay_recorded(tx->bundle, &eo.n_recorded);
	eo.seed_facts = replay_facts(all);
	eo.allow_hosts = c->opts->net.allow_hosts;
	eo.n_allow_hosts = c->opts->net.n_allow_hosts;
	rc = diag_engine_run(&eo, rep) != 0 ? -1 : 1;
	for (i = 0; rc == 1 && i < rep->n_findings; i++)
		diag_finding_note(rep->findings[i],
		    "replayed offline: the `%s` run of this evidence bundle, "
		    "its checks answered from the answers it recorded",
		    cmd);
	json_object_put(eo.seed_facts);
	json_object_put(eo.options);
	free(table);
	free(rec);
	diag_inputs_release(&in);
	return rc;
}
