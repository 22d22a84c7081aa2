/* checks/live/live_util.h: helpers shared by the live checks (hosts, facts, answers). */
#ifndef DIAG_CHECKS_LIVE_UTIL_H
#define DIAG_CHECKS_LIVE_UTIL_H

#include "diag/engine/check.h"

#define LIVE_GATEWAY "https://api.atlassian.com"

/* "jira" or "confluence" (the --product input; jira by default). */
const char *diag__live_product(struct diag_run *);
/* The site host ("acme.atlassian.net"), owned, or NULL when unknown. */
char *diag__live_site_host(struct diag_run *);
/* The cloud ID as given (cleaned, lowercase), owned, or NULL. */
char *diag__live_cloud_id_given(struct diag_run *);
/* The cloud ID live probes use: the given one, else the site's own one
 * from tenant_info (fact "site.tenant.cloud_id"); owned, or NULL. */
char *diag__live_cloud_id(struct diag_run *);
/* "https://api.atlassian.com/ex/<product>/<cloud id>", owned, or NULL. */
char *diag__live_gateway_base(struct diag_run *);
/* "https://<site host>", owned, or NULL. */
char *diag__live_site_base(struct diag_run *);
/* Path of the identity read of a product (myself / user/current). */
const char *diag__live_identity_path(const char *product);
/* The base URL later probes go through: the route on which the identity
 * was confirmed (fact "auth.route_base"); borrowed, or NULL. */
const char *diag__live_route_base(struct diag_run *);
/* How to send the token: Basic email:token, or Bearer for a
 * service-account token or an OAuth 2.0 access token given without an
 * email. */
enum diag_auth diag__live_auth(struct diag_run *);
/* 1 when a token (cleaned or raw) is available. */
int diag__live_have_token(struct diag_run *);

/* Keeps a copy of an exchange under key (diag_run_keep_exchange()) so
 * that later checks can cite it; the getter returns a copy (owned,
 * diag_exchange_free) or NULL. Whole, typed: nothing is cut. */
void diag__live_fact_exchange_set(struct diag_run *, const char *key,
    const struct diag_exchange *);
struct diag_exchange *diag__live_fact_exchange(struct diag_run *,
    const char *key);

/*
 * An answer that cannot decide anything: no answer or a transfer that
 * failed after the status line (transport error: network.* in words,
 * the curl error in the finding and evidence), 429 (service.rate_limited) or 5xx
 * (service.unavailable). Raises the finding once per run (inconclusive),
 * with evidence, sets the check inconclusive and returns 1; returns 0 for
 * a deciding answer.
 */
/* When a 429's Retry-After (seconds or an HTTP date) says to retry; 0 if
 * it has none. */
time_t diag__live_retry_at(const struct diag_exchange *);
/* The network.* diagnosis code of a failed transfer: curl error
 * curl_code, status 0 or the status that arrived before it broke. Always
 * one of a fixed list (a unit test checks each is in the catalogue). */
const char *diag__live_network_code(int curl_code, long status);
/* 1 when ex was sent but the transfer failed (with or without a status). */
int diag__live_transport_failed(const struct diag_exchange *);
int diag__live_undecided(struct diag_run *, const struct diag_exchange *);
/* The JSON body of an exchange (owned reference) or NULL. */
struct json_object *diag__live_json(const struct diag_exchange *);
/* accountId of an identity answer (body, else X-AAccountId), owned or NULL. */
char *diag__live_account_id(const struct diag_exchange *);
/* 1 when ex is an identity read that answered: 200, not anonymous
 * (X-Seraph-LoginReason), with an accountId. */
int diag__live_identity_ok(const struct diag_exchange *);
/* 1 when the answer says the credentials were refused and the caller was
 * treated as anonymous (X-Seraph-LoginReason: AUTHENTICATED_FAILED). */
int diag__live_seraph_failed(const struct diag_exchange *);
/* Percent-encodes s for a query value or a path segment (owned). */
char *diag__live_urlenc(const char *);
/* base/rest/api/3/mypermissions?param=value&permissions=keys (owned);
 * without param=value when param is NULL. The values go in as given. */
char *diag__live_mypermissions_url(const char *base, const char *param,
    const char *value, const char *keys);
/* The comma- or space-separated items of a list as a json array
 * (owned); NULL for a NULL list. */
struct json_object *diag__live_split(const char *);
/* Adds the classifier's best match for an exchange as a finding (status
 * st); returns the finding or NULL when nothing matched. */
struct diag_finding *diag__live_classified(struct diag_run *,
    const struct diag_exchange *, enum diag_status);

/* auth.gateway and auth.site: one identity read through one route
 * ("gateway" or "site"); keeps the answer as fact "auth.<route>.exchange". */
enum diag_step diag__live_identity_probe(struct diag_run *, const char *route);
#endif
