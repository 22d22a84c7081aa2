/* checks/input/jwt.c: an OAuth 2.0 access token (JWT): its claims, offline, never its signature. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "checks/input/jwt.h"
#include "diag/core/hash.h"
#include "diag/core/secret.h"
#include "diag/core/util.h"
#include "diag/engine/check.h"

#define JWT_PART_MAX 8192 /* a longer header or payload is not decoded */

/* Decodes one base64url part (no padding needed) into a JSON object, or
 * NULL. */
static struct json_object *
part_json(const char *s, size_t len)
{
	struct json_object *o = NULL;
	struct json_tokener *tk;
	unsigned char *d = NULL;
	char *b;
	size_t i, n;

	if (len == 0 || len > JWT_PART_MAX || len % 4 == 1)
		return NULL;
	b = diag_xcalloc(len + 4, 1);
	for (i = 0; i < len; i++)
		b[i] = s[i] == '-' ? '+' : s[i] == '_' ? '/' : s[i];
	while (i % 4 != 0)
		b[i++] = '=';
	if (diag_base64_decode(b, i, &d, &n) == 0) {
		tk = json_tokener_new();
		o = json_tokener_parse_ex(tk, (const char *)d, (int)n);
		if (o != NULL &&
		    (json_tokener_get_error(tk) != json_tokener_success ||
			tk->char_offset != (int)n ||
			!json_object_is_type(o, json_type_object))) {
			json_object_put(o);
			o = NULL;
		}
		json_tokener_free(tk);
	}
	free(d);
	free(b);
	return o;
}

/* A claim that is a string, as an owned copy, or NULL. */
static char *
claim_str(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return diag_xstrdup(json_object_get_string(v));
}

/* "aud": a string, or a list of strings joined with ", ". */
static char *
claim_aud(struct json_object *o)
{
	struct json_object *v, *e;
	struct diag_buf b = DIAG_BUF_INIT;
	size_t i;

	if (!json_object_object_get_ex(o, "aud", &v))
		return NULL;
	if (json_object_is_type(v, json_type_string))
		return diag_xstrdup(json_object_get_string(v));
	if (!json_object_is_type(v, json_type_array))
		return NULL;
	for (i = 0; i < json_object_array_length(v); i++) {
		e = json_object_array_get_idx(v, i);
		if (!json_object_is_type(e, json_type_string))
			continue;
		if (b.len > 0)
			diag_buf_adds(&b, ", ");
		diag_buf_adds(&b, json_object_get_string(e));
	}
	return b.len > 0 ? diag_buf_detach(&b) : (diag_buf_release(&b), NULL);
}

int
diag__jwt_decode(const char *s, size_t len, struct diag__jwt *j)
{
	struct json_object *h = NULL, *p = NULL, *v;
	const char *d1, *d2;
	int rc = -1;

	memset(j, 0, sizeof(*j));
	d1 = memchr(s, '.', len);
	if (d1 == NULL)
		return -1;
	d2 = memchr(d1 + 1, '.', len - (size_t)(d1 + 1 - s));
	if (d2 == NULL || memchr(d2 + 1, '.', len - (size_t)(d2 + 1 - s)))
		return -1;
	h = part_json(s, (size_t)(d1 - s));
	p = part_json(d1 + 1, (size_t)(d2 - d1 - 1));
	if (h == NULL || p == NULL || (j->alg = claim_str(h, "alg")) == NULL)
		goto out;
	j->iss = claim_str(p, "iss");
	j->aud = claim_aud(p);
	j->scope = claim_str(p, "scope");
	if (j->scope == NULL)
		j->scope = claim_str(p, "scp");
	if (json_object_object_get_ex(p, "exp", &v) &&
	    (json_object_is_type(v, json_type_int) ||
		json_object_is_type(v, json_type_double))) {
		j->exp = json_object_get_int64(v);
		j->has_exp = 1;
	}
	rc = 0;
out:
	json_object_put(h);
	json_object_put(p);
	if (rc != 0)
		diag__jwt_release(j);
	return rc;
}

void
diag__jwt_release(struct diag__jwt *j)
{
	free(j->alg);
	free(j->iss);
	free(j->aud);
	free(j->scope);
	memset(j, 0, sizeof(*j));
}

time_t
diag__jwt_now(void)
{
	const char *s = getenv("ATLDIAG_NOW");
	struct tm tm;
	char *end;
	long long v;

	if (s == NULL || *s == '\0')
		return time(NULL);
	v = strtoll(s, &end, 10);
	if (*end == '\0' && v >= 0)
		return (time_t)v;
	memset(&tm, 0, sizeof(tm));
	end = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
	if (end != NULL && (*end == 'Z' || *end == '\0'))
		return timegm(&tm);
	return time(NULL);
}

/* "2 h 5 min", "40 min", "3 days": a duration for people. */
static void
span(long long secs, char *buf, size_t len)
{
	if (secs >= 2 * 86400)
		snprintf(buf, len, "%lld days", secs / 86400);
	else if (secs >= 3600)
		snprintf(buf, len, "%lld h %lld min", secs / 3600,
		    secs % 3600 / 60);
	else if (secs >= 60)
		snprintf(buf, len, "%lld min", secs / 60);
	else
		snprintf(buf, len, "%lld s", secs);
}

/* Sets <prefix>.<key> to a string (prefix "inputs.token", ...). */
static void
fact(struct diag_run *r, const char *prefix, const char *key, const char *v)
{
	char name[96];

	if (v == NULL)
		return;
	snprintf(name, sizeof(name), "%s.%s", prefix, key);
	diag_run_fact_set(r, name, json_object_new_string(v));
}

static void
facts(struct diag_run *r, const char *prefix, const struct diag__jwt *j)
{
	char when[32];
	time_t t;
	struct tm tm;

	fact(r, prefix, "oauth_alg", j->alg);
	fact(r, prefix, "oauth_iss", j->iss);
	fact(r, prefix, "oauth_aud", j->aud);
	fact(r, prefix, "oauth_scope", j->scope);
	if (!j->has_exp)
		return;
	t = (time_t)j->exp;
	if (gmtime_r(&t, &tm) != NULL &&
	    strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm) > 0)
		fact(r, prefix, "oauth_expires_at", when);
}

int
diag__jwt_report(struct diag_run *r, const char *s, size_t len,
    const char *source, const char *prefix)
{
	struct diag__jwt j;
	struct diag_finding *f;
	const char *d2;
	long long now;
	char ago[32];

	diag_secret_register(s, len);
	d2 = memrchr(s, '.', len);
	if (d2 != NULL && (size_t)(s + len - d2 - 1) > 0)
		diag_secret_register(d2 + 1, (size_t)(s + len - d2 - 1));
	if (diag__jwt_decode(s, len, &j) != 0)
		return -1;
	facts(r, prefix, &j);
	now = (long long)diag__jwt_now();
	if (j.has_exp && j.exp <= now) {
		span(now - j.exp, ago, sizeof(ago));
		f = diag_run_finding(r, "auth.oauth_token_expired", DIAG_FAIL,
		    DIAG_CONFIRMED,
		    "The OAuth 2.0 access token from %s expired %s ago (its "
		    "exp claim); Atlassian refuses it with 401.",
		    source != NULL ? source : "the input", ago);
		if (j.iss != NULL)
			diag_finding_note(f, "issuer (iss): %s", j.iss);
		fact(r, prefix, "oauth_expired", "yes");
	} else if (j.has_exp) {
		span(j.exp - now, ago, sizeof(ago));
		fact(r, prefix, "oauth_expires_in", ago);
	}
	diag__jwt_release(&j);
	return 0;
}
