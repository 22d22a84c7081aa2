/* checks/registry.c: the one table of every check, sorted by id. */
/*
 * Adding a check (also in checks/README.md):
 *   1. write checks/<layer>_<name>.c exporting one
 *      `const struct diag_check diag_check_<layer>_<name>`;
 *   2. add its extern line and its table entry below, keeping the table
 *      sorted by id (a unit test fails otherwise);
 *   3. add the file to checks/module.am;
 *   4. add the check to rules/plan.json (where it runs, what it needs),
 *      and any new diagnosis code to rules/diagnoses.json;
 *   5. add a Check suite tests/unit/test_check_<layer>_<name>.c.
 */
#include <stdlib.h>
#include <string.h>

#include "checks/registry.h"
#include "diag/core/util.h"

extern const struct diag_check diag_check_input_auth_header;
extern const struct diag_check diag_check_input_cloud_id;
extern const struct diag_check diag_check_input_email;
extern const struct diag_check diag_check_input_request;
extern const struct diag_check diag_check_input_site;
extern const struct diag_check diag_check_input_sources;
extern const struct diag_check diag_check_input_token;
extern const struct diag_check diag_check_transcript_response;
/* live checks: */
extern const struct diag_check diag_check_auth_admin;
extern const struct diag_check diag_check_auth_gateway;
extern const struct diag_check diag_check_auth_identity;
extern const struct diag_check diag_check_auth_oauth;
extern const struct diag_check diag_check_auth_oauth_client;
extern const struct diag_check diag_check_auth_site;
extern const struct diag_check diag_check_calls_plan;
extern const struct diag_check diag_check_gateway_cloud;
extern const struct diag_check diag_check_issue_access;
extern const struct diag_check diag_check_net_reach;
extern const struct diag_check diag_check_product_access;
extern const struct diag_check diag_check_project_access;
extern const struct diag_check diag_check_request_replay;
extern const struct diag_check diag_check_scope_probe;
extern const struct diag_check diag_check_site_tenant;
extern const struct diag_check diag_check_space_access;
extern const struct diag_check diag_check_token_expiry;

/* This array MUST be sorted by id: diag_check_find() uses bsearch(). */
static const struct diag_check *const registry[] = {
	&diag_check_auth_admin,
	&diag_check_auth_gateway,
	&diag_check_auth_identity,
	&diag_check_auth_oauth,
	&diag_check_auth_oauth_client,
	&diag_check_auth_site,
	&diag_check_calls_plan,
	&diag_check_gateway_cloud,
	&diag_check_input_auth_header,
	&diag_check_input_cloud_id,
	&diag_check_input_email,
	&diag_check_input_request,
	&diag_check_input_site,
	&diag_check_input_sources,
	&diag_check_input_token,
	&diag_check_issue_access,
	&diag_check_net_reach,
	&diag_check_product_access,
	&diag_check_project_access,
	&diag_check_request_replay,
	&diag_check_scope_probe,
	&diag_check_site_tenant,
	&diag_check_space_access,
	&diag_check_token_expiry,
	&diag_check_transcript_response,
};

static int
cmp_id(const void *key, const void *elem)
{
	return strcmp(key, (*(const struct diag_check *const *)elem)->id);
}

const struct diag_check *
diag_check_find(const char *id)
{
	const struct diag_check *const *p;

	p = bsearch(id, registry, DIAG_NELEM(registry), sizeof(registry[0]),
	    cmp_id);
	return p != NULL ? *p : NULL;
}

size_t
diag_check_all(const struct diag_check *const **out)
{
	*out = registry;
	return DIAG_NELEM(registry);
}
