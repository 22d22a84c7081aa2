/* tests/unit/test_rules.c: rule loading, validation errors, registry, contract codes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "checks/registry.h"
#include "diag/rules/rules_embedded.h"
#include "diag/core/util.h"
#include "tests/unit/dtest.h"

/* Every diagnosis code of DESIGN §6 (contract: never renamed). */
static const char *const contract_codes[] = {
	"input.site_missing",
	"input.email_missing",
	"input.token_missing",
	"input.cloud_id_missing",
	"site.not_https",
	"site.custom_domain",
	"site.not_found",
	"cloud_id.malformed",
	"cloud_id.is_org_id",
	"cloud_id.mismatch",
	"cloud_id.unknown",
	"email.malformed",
	"email.is_username",
	"email.is_account_id",
	"email.wrong_account",
	"token.whitespace",
	"token.corrupted",
	"token.wrong_kind",
	"auth.password_not_token",
	"auth.bearer_with_api_token",
	"auth.token_without_email",
	"auth.header_not_base64",
	"auth.header_trailing_newline",
	"auth.credentials_rejected",
	"auth.anonymous_fallback",
	"auth.token_expired",
	"auth.token_revoked",
	"auth.revocation_pending",
	"auth.captcha_required",
	"auth.api_tokens_blocked",
	"account.deactivated",
	"routing.scoped_token_on_site",
	"routing.missing_gateway_prefix",
	"routing.confluence_missing_wiki",
	"routing.endpoint_removed",
	"scope.missing",
	"product.no_access",
	"permission.missing",
	"permission.admin_required",
	"project.not_visible",
	"issue.not_visible",
	"space.not_visible",
	"request.xsrf_rejected",
	"network.ip_not_allowed",
	"network.dns",
	"network.connect",
	"network.tls",
	"network.proxy",
	"network.timeout",
	"service.rate_limited",
	"service.unavailable",
	"admin_api.wrong_credential",
};

START_TEST(builtin_rules_load)
{
	ck_assert_ptr_nonnull(dtest_rules());
}
END_TEST

START_TEST(builtin_scope_catalogue_parses_on_first_use)
{
	struct json_object *cat, *ops;

	cat = diag_rules_scopes(dtest_rules());
	ck_assert_ptr_nonnull(cat);
	ck_assert(json_object_object_get_ex(cat, "operations", &ops));
	ck_assert_uint_gt(json_object_array_length(ops), 900);
	ck_assert_ptr_eq(diag_rules_scopes(dtest_rules()), cat);
}
END_TEST

START_TEST(every_contract_code_is_in_the_catalogue)
{
	const struct diag_diagnosis *d;
	size_t i;

	for (i = 0; i < DIAG_NELEM(contract_codes); i++) {
		d = diag_rules_diagnosis(dtest_rules(), contract_codes[i]);
		ck_assert_msg(d != NULL, "catalogue lacks '%s'",
		    contract_codes[i]);
	}
}
END_TEST

START_TEST(registry_is_sorted_unique_and_planned)
{
	const struct diag_check *const *all;
	const struct diag_plan_entry *plan;
	size_t n, np, i, j;

	n = diag_check_all(&all);
	ck_assert_uint_gt(n, 0);
	for (i = 1; i < n; i++)
		ck_assert_msg(strcmp(all[i - 1]->id, all[i]->id) < 0,
		    "registry not sorted/unique at '%s'", all[i]->id);
	np = diag_rules_plan(dtest_rules(), &plan);
	for (i = 0; i < n; i++) {
		ck_assert_ptr_eq(diag_check_find(all[i]->id), all[i]);
		for (j = 0; j < np; j++)
			if (plan[j].check == all[i])
				break;
		ck_assert_msg(j < np, "check '%s' is in no plan entry",
		    all[i]->id);
		ck_assert_msg(all[i]->run != NULL && all[i]->summary != NULL,
		    "check '%s' lacks run or summary", all[i]->id);
	}
	ck_assert_ptr_null(diag_check_find("no.such_check"));
}
END_TEST

/* Writes the built-in rules into a temp dir, replacing one file. */
static char *
rules_dir_with(const char *name, const char *content)
{
	char tmpl[] = "/tmp/dtest-rules-XXXXXX";
	char *dir, *path;
	FILE *f;
	size_t i;

	dir = diag_xstrdup(mkdtemp(tmpl));
	for (i = 0; i < diag_embedded_rules_count; i++) {
		path =
		    diag_xasprintf("%s/%s", dir, diag_embedded_rules[i].name);
		f = fopen(path, "w");
		ck_assert_ptr_nonnull(f);
		if (strcmp(diag_embedded_rules[i].name, name) == 0)
			fputs(content, f);
		else
			fwrite(diag_embedded_rules[i].data, 1,
			    diag_embedded_rules[i].len, f);
		fclose(f);
		free(path);
	}
	return dir;
}

static void
rm_rules_dir(char *dir)
{
	char *cmd = diag_xasprintf("rm -rf '%s'", dir);

	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
	free(dir);
}

static void
assert_load_error(const char *file, const char *content, const char *want)
{
	struct diag_rules *r = NULL;
	char *dir, *err = NULL;

	dir = rules_dir_with(file, content);
	ck_assert_int_eq(diag_rules_load(dir, &r, &err), -1);
	ck_assert_ptr_null(r);
	ck_assert_ptr_nonnull(err);
	ck_assert_msg(strstr(err, file) != NULL, "error '%s' lacks file", err);
	ck_assert_msg(strstr(err, want) != NULL, "error '%s' lacks '%s'", err,
	    want);
	free(err);
	rm_rules_dir(dir);
}

START_TEST(copied_rules_dir_loads)
{
	struct diag_rules *r = NULL;
	char *dir, *err = NULL;

	dir = rules_dir_with("none", "");
	ck_assert_msg(diag_rules_load(dir, &r, &err) == 0, "%s", err);
	diag_rules_free(r);
	rm_rules_dir(dir);
}
END_TEST

START_TEST(bad_rules_name_file_and_entry)
{
	assert_load_error("plan.json",
	    "{\"schema\":\"atldiag.plan/1\","
	    "\"checks\":[{\"id\":\"no.such\",\"commands\":[\"lint\"]}]}",
	    "checks[0] ('no.such')");
	assert_load_error("plan.json",
	    "{\"schema\":\"atldiag.plan/1\","
	    "\"checks\":[{\"id\":\"input.token\",\"commands\":[\"lint\"],"
	    "\"after\":[\"input.site\"]}]}",
	    "prerequisite 'input.site'");
	assert_load_error("plan.json",
	    "{\"schema\":\"atldiag.plan/1\","
	    "\"checks\":[{\"id\":\"input.token\",\"commands\":[\"fly\"]}]}",
	    "unknown command 'fly'");
	assert_load_error("responses.json",
	    "{\"schema\":"
	    "\"atldiag.responses/1\",\"signatures\":[{\"id\":\"x\",\"code\":"
	    "\"scope.missing\",\"confidence\":\"likely\",\"body\":\"(oops\"}]}",
	    "signatures[0] ('x'): bad regex in 'body'");
	assert_load_error("responses.json",
	    "{\"schema\":"
	    "\"atldiag.responses/1\",\"signatures\":[{\"id\":\"x\",\"code\":"
	    "\"no.code\",\"confidence\":\"likely\"}]}",
	    "unknown diagnosis code 'no.code'");
	assert_load_error("diagnoses.json",
	    "{\"schema\":"
	    "\"atldiag.diagnoses/1\",\"diagnoses\":[{\"code\":\"a.b\"}]}",
	    "diagnoses[0] ('a.b'): missing string 'title'");
	assert_load_error("scopes.json", "{\"schema\":", "not valid JSON");
	assert_load_error("scopes.json", "[]", "top level must be an object");
	assert_load_error("plan.json", "\x01\x02garbage", "not valid JSON");
}
END_TEST

/* Two entries, a.one and b.two, with the given extra members. */
static char *
two_dx(const char *one, const char *two)
{
	return diag_xasprintf(
	    "{\"schema\":\"atldiag.diagnoses/1\","
	    "\"diagnoses\":[{\"code\":\"a.one\",\"title\":\"t\","
	    "\"layer\":\"a\",\"owner\":\"caller\",\"explanation\":\"e\","
	    "\"remediation\":[\"r\"]%s},{\"code\":\"b.two\",\"title\":"
	    "\"t\",\"layer\":\"b\",\"owner\":\"caller\",\"explanation\":"
	    "\"e\",\"remediation\":[\"r\"]%s}]}",
	    one, two);
}

static void
assert_dx_error(const char *one, const char *two, const char *want)
{
	char *doc = two_dx(one, two);

	assert_load_error("diagnoses.json", doc, want);
	free(doc);
}

/* 'refines' is validated at load: a --rules copy with a bad reference is
 * refused naming the file and the entry. */
START_TEST(bad_refines_names_file_and_entry)
{
	assert_dx_error("", ",\"refines\":[\"c.three\"]",
	    "diagnoses[1] ('b.two'): refines unknown code 'c.three'");
	assert_dx_error(",\"refines\":[\"a.one\"]", "",
	    "diagnoses[0] ('a.one'): refines itself: 'a.one'");
	assert_dx_error(",\"refines\":[\"b.two\"]", ",\"refines\":[\"a.one\"]",
	    "'refines' makes a cycle");
	assert_dx_error(",\"refines\":\"b.two\"", "",
	    "diagnoses[0] ('a.one'): 'refines' must be an array");
	assert_dx_error(",\"refines\":[3]", "",
	    "diagnoses[0] ('a.one'): 'refines' must be an array");
	assert_dx_error(",\"residual\":\"yes\"", "",
	    "diagnoses[0] ('a.one'): 'residual' must be true or false");
}
END_TEST

/* A longer cycle (a -> b -> c -> a) is found too, and a chain without
 * one loads and is transitive. */
START_TEST(refines_cycles_are_refused_and_chains_are_transitive)
{
	static const char cyc[] =
	    "{\"schema\":\"atldiag.diagnoses/1\","
	    "\"diagnoses\":["
	    "{\"code\":\"c.three\",\"title\":\"t\",\"layer\":\"c\","
	    "\"owner\":\"caller\",\"explanation\":\"e\",\"remediation\":"
	    "[\"r\"],\"refines\":[\"a.one\"]},"
	    "{\"code\":\"a.one\",\"title\":\"t\",\"layer\":\"a\","
	    "\"owner\":\"caller\",\"explanation\":\"e\",\"remediation\":"
	    "[\"r\"],\"refines\":[\"b.two\"]},"
	    "{\"code\":\"b.two\",\"title\":\"t\",\"layer\":\"b\","
	    "\"owner\":\"caller\",\"explanation\":\"e\",\"remediation\":"
	    "[\"r\"],\"refines\":[%s]}]}";
	struct diag_rules *r = NULL;
	char *doc, *dir, *err = NULL;
	FILE *f;

	doc = diag_xasprintf(cyc, "\"c.three\"");
	assert_load_error("diagnoses.json", doc, "'refines' makes a cycle");
	free(doc);
	/* Without the back edge: c.three refines b.two through a.one. The
	 * other files name codes this catalogue lacks, so load the
	 * catalogue through a copy whose responses list nothing. */
	doc = diag_xasprintf(cyc, "");
	dir = rules_dir_with("diagnoses.json", doc);
	free(doc);
	doc = diag_xasprintf("%s/responses.json", dir);
	f = fopen(doc, "w");
	ck_assert_ptr_nonnull(f);
	fputs("{\"schema\":\"atldiag.responses/1\",\"signatures\":[]}", f);
	fclose(f);
	free(doc);
	ck_assert_msg(diag_rules_load(dir, &r, &err) == 0, "%s", err);
	ck_assert(diag_rules_refines(r, "c.three", "b.two"));
	ck_assert(diag_rules_refines(r, "a.one", "b.two"));
	ck_assert(!diag_rules_refines(r, "b.two", "c.three"));
	ck_assert(!diag_rules_refines(r, "a.one", "c.three"));
	diag_rules_free(r);
	rm_rules_dir(dir);
}
END_TEST

START_TEST(missing_rules_dir_is_a_clear_error)
{
	struct diag_rules *r = NULL;
	char *err = NULL;

	ck_assert_int_eq(diag_rules_load("/nonexistent-dir", &r, &err), -1);
	ck_assert_msg(strstr(err, "cannot read rules file") != NULL, "%s", err);
	free(err);
}
END_TEST

START_TEST(classifier_matches_gateway_scope_failure)
{
	static const char body[] =
	    "{\"code\":401,\"message\":\"Unauthorized; scope does not match\"}";
	struct diag_exchange *ex;
	struct diag_match m[8];
	size_t n, i;
	int found = 0;

	ex = diag_exchange_new("t", "GET",
	    "https://api.atlassian.com/ex/jira/"
	    "11111111-2222-3333-4444-555555555555/rest/api/3/myself");
	ex->status = 401;
	diag_exchange_add_header(ex, "x-failure-category",
	    "FAILURE_CLIENT_SCOPE_CHECK");
	ex->body = diag_xstrdup(body);
	ex->body_len = strlen(ex->body);
	n = diag_rules_classify(dtest_rules(), ex, m, 8);
	for (i = 0; i < n; i++)
		if (strcmp(m[i].code, "scope.missing") == 0)
			found = 1;
	ck_assert_msg(found, "scope.missing not among %zu matches", n);
	diag_exchange_free(ex);
}
END_TEST

Suite *
rules_suite(void)
{
	Suite *s = suite_create("rules");
	TCase *tc = tcase_create("load");

	tcase_add_test(tc, builtin_rules_load);
	tcase_add_test(tc, builtin_scope_catalogue_parses_on_first_use);
	tcase_add_test(tc, every_contract_code_is_in_the_catalogue);
	tcase_add_test(tc, registry_is_sorted_unique_and_planned);
	tcase_add_test(tc, copied_rules_dir_loads);
	tcase_add_test(tc, bad_rules_name_file_and_entry);
	tcase_add_test(tc, bad_refines_names_file_and_entry);
	tcase_add_test(tc,
	    refines_cycles_are_refused_and_chains_are_transitive);
	tcase_add_test(tc, missing_rules_dir_is_a_clear_error);
	tcase_add_test(tc, classifier_matches_gateway_scope_failure);
	suite_add_tcase(s, tc);
	return s;
}
