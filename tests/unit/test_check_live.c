/* tests/unit/test_check_live.c: live checks fed recorded answers, no network (auth.identity, site.tenant, project.access). */
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <curl/curl.h>

#include "checks/live/live_util.h"
#include "diag/core/util.h"
#include "diag/report/report.h"
#include "tests/unit/dtest.h"

Suite *check_live_suite(void);

#define SITE "https://acme.atlassian.net"
#define CID "7c1e4b2a-9d3f-4e6a-b8c5-1f2e3d4c5b6a"
#define OTHER "e5f6a7b8-c9d0-4e1f-a2b3-c4d5e6f7a8b9"
#define GW "https://api.atlassian.com/ex/jira/" CID
#define MYSELF "/rest/api/3/myself?expand=applicationRoles"
#define PERMS \
	"/rest/api/3/mypermissions?projectKey=ENG" \
	"&permissions=BROWSE_PROJECTS"

#define ME_OK \
	"{\"accountId\":\"712020:abc\",\"accountType\":\"atlassian\"," \
	"\"active\":true,\"applicationRoles\":{\"size\":1}}"
#define GW_401 \
	"{\"code\":401,\"message\":\"Client must be authenticated to " \
	"access this resource.\"}"

/* Recorded answers every run below starts with. */
#define TENANT(id) \
	{ \
		"GET", SITE "/_edge/tenant_info", 200, NULL, \
		    "{\"cloudId\":\"" id "\"}" \
	}
#define GW_ROOT \
	{ \
		"GET", "https://api.atlassian.com/", 200, NULL, NULL \
	}
#define GW_ME(st, h, b) \
	{ \
		"GET", GW MYSELF, (st), (h), (b) \
	}
#define SITE_ME(st, h, b) \
	{ \
		"GET", SITE MYSELF, (st), (h), (b) \
	}
#define END \
	{ \
		NULL, NULL, 0, NULL, NULL \
	}

static const char *const seraph_failed[] = {
	"X-Seraph-LoginReason",
	"AUTHENTICATED_FAILED",
	NULL,
};
static const char *const captcha[] = {
	"X-Seraph-LoginReason",
	"AUTHENTICATION_DENIED",
	"X-Authentication-Denied-Reason",
	"CAPTCHA_CHALLENGE; login-url=https://acme.atlassian.net/login.jsp",
	NULL,
};

/* `atldiag check --project ENG` for Mia with a classic token. */
static struct diag_report *
check(const struct dtest_answer *a)
{
	static const char *const opts[] = { "project", "ENG", NULL };
	struct dtest_in in = { .site = "acme.atlassian.net",
		.cloud_id = CID,
		.email = "mia@acme.example",
		.token = DTEST_VECTOR };

	return dtest_live("check", &in, opts, a);
}

static void
assert_status(const struct diag_report *rep, const char *id,
    enum diag_status st)
{
	const struct diag_check_result *c = dtest_check(rep, id);

	ck_assert_msg(c != NULL, "no check %s", id);
	ck_assert_msg(c->status == st, "%s: status %s (%s), expected %s", id,
	    diag_status_name(c->status), c->message != NULL ? c->message : "",
	    diag_status_name(st));
}

START_TEST(identity_200_with_an_account_id_passes)
{
	static const struct dtest_answer a[] = {
		TENANT(CID),
		GW_ROOT,
		GW_ME(200, NULL, ME_OK),
		SITE_ME(200, NULL, ME_OK),
		END,
	};
	struct diag_report *rep = check(a);

	assert_status(rep, "auth.identity", DIAG_PASS);
	dtest_assert_message_starts(rep, "auth.identity",
	    "authenticated as 712020:abc");
	ck_assert_msg(rep->n_findings == 0, "got [%s]", dtest_codes(rep));
	diag_report_free(rep);
}
END_TEST

START_TEST(identity_401_authenticated_failed_is_rejected)
{
	static const struct dtest_answer a[] = {
		TENANT(CID),
		GW_ROOT,
		GW_ME(401, NULL, GW_401),
		SITE_ME(401, seraph_failed, ""),
		END,
	};
	struct diag_report *rep = check(a);

	assert_status(rep, "auth.identity", DIAG_FAIL);
	dtest_assert_finding(rep, "auth.credentials_rejected");
	/* Nothing the identity gates runs on a refused credential. */
	assert_status(rep, "project.access", DIAG_BLOCKED);
	diag_report_free(rep);
}
END_TEST

START_TEST(identity_403_captcha_is_the_cause)
{
	static const struct dtest_answer a[] = {
		TENANT(CID),
		GW_ROOT,
		GW_ME(401, NULL, GW_401),
		SITE_ME(403, captcha, ""),
		END,
	};
	struct diag_report *rep = check(a);

	assert_status(rep, "auth.identity", DIAG_FAIL);
	ck_assert_msg(rep->n_findings > 0 &&
		strcmp(rep->findings[0]->code, "auth.captcha_required") == 0,
	    "primary: [%s]", dtest_codes(rep));
	dtest_assert_no_finding(rep, "auth.credentials_rejected");
	diag_report_free(rep);
}
END_TEST

START_TEST(identity_through_the_gateway_only)
{
	static const struct dtest_answer a[] = {
		TENANT(CID),
		GW_ROOT,
		GW_ME(200, NULL, ME_OK),
		SITE_ME(401, seraph_failed, ""),
		END,
	};
	struct diag_report *rep = check(a);
	const struct diag_check_result *c;
	const struct diag_finding *f;

	/* No URL named: the site's refusal is a warning about the route. */
	assert_status(rep, "auth.identity", DIAG_WARN);
	f = dtest_finding(rep, "routing.scoped_token_on_site");
	ck_assert_int_eq(f->status, DIAG_WARN);
	c = dtest_check(rep, "auth.identity");
	ck_assert_msg(strstr(c->message, "through the gateway") != NULL &&
		strstr(c->message, "the other route refuses") != NULL,
	    "message '%s'", c->message);
	dtest_assert_no_finding(rep, "auth.credentials_rejected");
	diag_report_free(rep);
}
END_TEST

/* The identity answer is kept whole for auth.identity: an accountId past
 * the first 8 KiB of the body is still read (it used to be cut). */
START_TEST(identity_answer_is_kept_whole)
{
	struct dtest_answer a[] = {
		TENANT(CID),
		GW_ROOT,
		GW_ME(200, NULL, NULL),
		SITE_ME(200, NULL, NULL),
		END,
	};
	struct diag_report *rep;
	char *pad, *body;

	pad = diag_xcalloc(1, 9001);
	memset(pad, 'x', 9000);
	body = diag_xasprintf("{\"displayName\":\"%s\",\"accountId\":"
			      "\"712020:abc\",\"accountType\":\"atlassian\"}",
	    pad);
	a[2].body = body;
	a[3].body = body;
	rep = check(a);
	assert_status(rep, "auth.identity", DIAG_PASS);
	diag_report_free(rep);
	free(body);
	free(pad);
}
END_TEST

START_TEST(tenant_matching_cloud_id_passes)
{
	static const struct dtest_answer a[] = {
		TENANT(CID),
		GW_ROOT,
		GW_ME(200, NULL, ME_OK),
		SITE_ME(200, NULL, ME_OK),
		END,
	};
	struct diag_report *rep = check(a);

	assert_status(rep, "site.tenant", DIAG_PASS);
	dtest_assert_no_finding(rep, "cloud_id.mismatch");
	diag_report_free(rep);
}
END_TEST

START_TEST(tenant_other_cloud_id_is_a_mismatch)
{
	static const struct dtest_answer a[] = {
		TENANT(OTHER),
		GW_ROOT,
		GW_ME(200, NULL, ME_OK),
		SITE_ME(200, NULL, ME_OK),
		END,
	};
	struct diag_report *rep = check(a);
	const struct diag_finding *f;

	dtest_assert_finding(rep, "cloud_id.mismatch");
	f = dtest_finding(rep, "cloud_id.mismatch");
	ck_assert_str_eq(f->check_id, "site.tenant");
	ck_assert_msg(strstr(f->detail, OTHER) != NULL, "detail '%s'",
	    f->detail);
	ck_assert_uint_ge(f->n_evidence, 1);
	diag_report_free(rep);
}
END_TEST

START_TEST(project_404_is_not_visible)
{
	static const struct dtest_answer a[] = {
		TENANT(CID),
		GW_ROOT,
		GW_ME(200, NULL, ME_OK),
		SITE_ME(200, NULL, ME_OK),
		{ "GET", GW "/rest/api/3/project/ENG", 404, NULL,
		    "{\"errorMessages\":[\"No project could be found with key "
		    "'ENG'.\"],\"errors\":{}}" },
		{ "GET", GW PERMS, 200, NULL,
		    "{\"permissions\":{"
		    "\"BROWSE_PROJECTS\":{\"havePermission\":false}}}" },
		END,
	};
	struct diag_report *rep = check(a);

	assert_status(rep, "project.access", DIAG_FAIL);
	dtest_assert_finding(rep, "project.not_visible");
	dtest_assert_no_finding(rep, "permission.missing");
	diag_report_free(rep);
}
END_TEST

START_TEST(project_visible_without_the_permission)
{
	static const struct dtest_answer a[] = {
		TENANT(CID),
		GW_ROOT,
		GW_ME(200, NULL, ME_OK),
		SITE_ME(200, NULL, ME_OK),
		{ "GET", GW "/rest/api/3/project/ENG", 200, NULL,
		    "{\"key\":\"ENG\",\"roles\":{\"Developers\":\"x\"}}" },
		{ "GET", GW PERMS, 200, NULL,
		    "{\"permissions\":{"
		    "\"BROWSE_PROJECTS\":{\"key\":\"BROWSE_PROJECTS\",\"name\":"
		    "\"Browse Projects\",\"type\":\"PROJECT\","
		    "\"havePermission\":false}}}" },
		END,
	};
	struct diag_report *rep = check(a);
	const struct diag_finding *f;

	assert_status(rep, "project.access", DIAG_FAIL);
	dtest_assert_finding(rep, "permission.missing");
	f = dtest_finding(rep, "permission.missing");
	ck_assert_msg(strstr(f->detail, "BROWSE_PROJECTS") != NULL,
	    "detail '%s'", f->detail);
	dtest_assert_no_finding(rep, "project.not_visible");
	diag_report_free(rep);
}
END_TEST

START_TEST(project_visible_with_the_permission_passes)
{
	static const struct dtest_answer a[] = {
		TENANT(CID),
		GW_ROOT,
		GW_ME(200, NULL, ME_OK),
		SITE_ME(200, NULL, ME_OK),
		{ "GET", GW "/rest/api/3/project/ENG", 200, NULL,
		    "{\"key\":\"ENG\"}" },
		{ "GET", GW PERMS, 200, NULL,
		    "{\"permissions\":{"
		    "\"BROWSE_PROJECTS\":{\"havePermission\":true}}}" },
		END,
	};
	struct diag_report *rep = check(a);

	assert_status(rep, "project.access", DIAG_PASS);
	dtest_assert_message_starts(rep, "project.access",
	    "project ENG visible");
	diag_report_free(rep);
}
END_TEST

/* mypermissions answers what no signature explains: the finding names the
 * project and the permissions asked for, and they stay unproven. */
START_TEST(project_permissions_unexplained_names_what_was_asked)
{
	static const struct dtest_answer a[] = {
		TENANT(CID),
		GW_ROOT,
		GW_ME(200, NULL, ME_OK),
		SITE_ME(200, NULL, ME_OK),
		{ "GET", GW "/rest/api/3/project/ENG", 200, NULL,
		    "{\"key\":\"ENG\"}" },
		{ "GET", GW PERMS, 418, NULL, "I'm a teapot" },
		END,
	};
	static const char want[] = "mypermissions for project ENG and the "
				   "permissions BROWSE_PROJECTS answered 418";
	struct diag_report *rep = check(a);
	const struct diag_finding *f;

	f = dtest_finding(rep, "service.unexpected_response");
	ck_assert_msg(f != NULL, "findings: %s", dtest_codes(rep));
	ck_assert_msg(strncmp(f->detail, want, strlen(want)) == 0, "%s",
	    f->detail);
	assert_status(rep, "project.access", DIAG_FAIL);
	dtest_assert_message_starts(rep, "project.access",
	    "mypermissions answered 418 for BROWSE_PROJECTS");
	diag_report_free(rep);
}
END_TEST

/* Codes built at run time (network.<class>) exist in the catalogue, for
 * every curl error with and without a status before it. */
START_TEST(runtime_network_codes_are_in_the_catalogue)
{
	static const long statuses[] = { 0, 200, 401 };
	const struct diag_diagnosis *d;
	const char *code;
	size_t j;
	int c;

	for (c = 0; c < (int)CURL_LAST; c++)
		for (j = 0; j < DIAG_NELEM(statuses); j++) {
			code = diag__live_network_code(c, statuses[j]);
			d = diag_rules_diagnosis(dtest_rules(), code);
			ck_assert_msg(d != NULL,
			    "curl error %d, status %ld: '%s' is not in "
			    "rules/diagnoses.json",
			    c, statuses[j], code);
		}
	ck_assert_str_eq(diag__live_network_code(CURLE_OPERATION_TIMEDOUT, 0),
	    "network.timeout");
	ck_assert_str_eq(diag__live_network_code(CURLE_RECV_ERROR, 200),
	    "network.transfer");
	ck_assert_str_eq(diag__live_network_code(CURLE_UNSUPPORTED_PROTOCOL, 0),
	    "network.connect");
}
END_TEST

Suite *
check_live_suite(void)
{
	Suite *s = suite_create("check_live");
	TCase *tc;

	tc = tcase_create("auth_identity");
	tcase_add_test(tc, identity_200_with_an_account_id_passes);
	tcase_add_test(tc, identity_401_authenticated_failed_is_rejected);
	tcase_add_test(tc, identity_403_captcha_is_the_cause);
	tcase_add_test(tc, identity_through_the_gateway_only);
	tcase_add_test(tc, identity_answer_is_kept_whole);
	suite_add_tcase(s, tc);
	tc = tcase_create("site_tenant");
	tcase_add_test(tc, tenant_matching_cloud_id_passes);
	tcase_add_test(tc, tenant_other_cloud_id_is_a_mismatch);
	suite_add_tcase(s, tc);
	tc = tcase_create("project_access");
	tcase_add_test(tc, project_404_is_not_visible);
	tcase_add_test(tc, project_visible_without_the_permission);
	tcase_add_test(tc, project_visible_with_the_permission_passes);
	tcase_add_test(tc,
	    project_permissions_unexplained_names_what_was_asked);
	suite_add_tcase(s, tc);
	tc = tcase_create("codes");
	tcase_add_test(tc, runtime_network_codes_are_in_the_catalogue);
	suite_add_tcase(s, tc);
	return s;
}
