/* tests/unit/test_ranking.c: causes before symptoms: the ranking of findings, folding a residual into the cause that explains it, and user-facing catalogue text. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "diag/engine/check.h"
#include "diag/engine/engine.h"
#include "diag/core/model.h"
#include "diag/report/report.h"
#include "diag/core/util.h"
#include "tests/unit/dtest.h"

/* A token whose checksum tail matches (input.token: format plausible). */
#define GOOD_TOKEN \
	"ATATT3xFfGF0K3irG5tKKi-6u-wwaXQFeGwZ-IHR-hQ3CulkKtMSut" \
	"eRQFfLZ6jihHThzZCg_UjnDt-4Wl_gIRf4zrZJs5JqaeuBhsfJ4W5GD6yGg" \
	"3W7903gbvaxZPBjxIQQ7BgFDSkPS8oPispw4KLz56mdK-G6CIvLO6hHRrZH" \
	"Y0Q3tvJ6JxE=C63992E6"

static const struct diag_diagnosis *
dx(const char *code)
{
	const struct diag_diagnosis *d;

	d = diag_rules_diagnosis(dtest_rules(), code);
	ck_assert_msg(d != NULL, "no catalogue entry %s", code);
	return d;
}

static struct diag_finding *
mk(const struct diag_diagnosis *d, const char *code, enum diag_status st,
    enum diag_confidence conf, unsigned seq)
{
	struct diag_finding *f;

	f = diag_xcalloc(1, sizeof(*f));
	f->code = diag_xstrdup(d != NULL ? d->code : code);
	f->dx = d;
	f->check_id = diag_xstrdup("test");
	f->status = st;
	f->confidence = conf;
	f->seq = seq;
	return f;
}

/* 1 when a ranks strictly before b, checked both ways round. */
static int
before(const struct diag_finding *a, const struct diag_finding *b)
{
	int ab = diag_finding_rank_cmp(a, b), ba = diag_finding_rank_cmp(b, a);

	ck_assert_msg((ab < 0 && ba > 0) || (ab > 0 && ba < 0) ||
		(ab == 0 && ba == 0),
	    "comparison of %s and %s is not antisymmetric", a->code, b->code);
	return ab < 0;
}

START_TEST(catalogue_marks_the_residual_codes)
{
	ck_assert(dx("auth.credentials_rejected")->residual);
	ck_assert(dx("auth.anonymous_fallback")->residual);
	ck_assert(dx("service.unexpected_response")->residual);
	ck_assert(!dx("token.corrupted")->residual);
	ck_assert(!dx("auth.captcha_required")->residual);
}
END_TEST

/* The relation replaces auth_identity's specific[] and
 * transcript_response's root_causes[]: each of those refines the
 * generic refusal. */
START_TEST(catalogue_says_which_cause_refines_which_symptom)
{
	static const char *const finer[] = {
		"auth.captcha_required",
		"auth.api_tokens_blocked",
		"network.ip_not_allowed",
		"product.no_access",
		"account.deactivated",
		"auth.bearer_with_api_token",
		"auth.oauth_client_rejected",
		"site.wrong_product",
		"auth.header_trailing_newline",
		"auth.token_without_email",
		"auth.header_not_base64",
		"auth.password_not_token",
		"token.corrupted",
		"token.whitespace",
		"token.wrong_kind",
		"routing.scoped_token_on_site",
		"site.not_https",
		"email.malformed",
		"email.is_account_id",
		"email.is_username",
	};
	const struct diag_rules *r = dtest_rules();
	const char *rejected = "auth.credentials_rejected";
	const char *anonymous = "auth.anonymous_fallback";
	size_t i;

	for (i = 0; i < DIAG_NELEM(finer); i++) {
		ck_assert_msg(diag_rules_refines(r, finer[i], rejected), "%s",
		    finer[i]);
		ck_assert_msg(diag_rules_refines(r, finer[i], anonymous), "%s",
		    finer[i]);
		ck_assert_msg(!diag_rules_refines(r, rejected, finer[i]), "%s",
		    finer[i]);
	}
	ck_assert(
	    diag_rules_refines(r, "cloud_id.malformed", "cloud_id.unknown"));
	ck_assert(!diag_rules_refines(r, "auth.credentials_rejected",
	    "auth.credentials_rejected"));
	ck_assert(
	    !diag_rules_refines(r, "no.such", "auth.credentials_rejected"));
	ck_assert(!diag_rules_refines(r, "token.corrupted", "no.such"));
	ck_assert(!diag_rules_refines(r, "scope.missing",
	    "auth.credentials_rejected"));
}
END_TEST

/* The order is: status, proven cause before residual, confidence,
 * priority, creation order. */
START_TEST(rank_status_then_cause_then_confidence_then_priority)
{
	struct diag_finding *rej_conf, *rej_likely, *captcha, *corrupt,
	    *fall_conf, *scoped_poss, *warn_cause, *inconc, *nodx;

	rej_conf = mk(dx("auth.credentials_rejected"), NULL, DIAG_FAIL,
	    DIAG_CONFIRMED, 0);
	rej_likely = mk(dx("auth.credentials_rejected"), NULL, DIAG_FAIL,
	    DIAG_LIKELY, 1);
	captcha =
	    mk(dx("auth.captcha_required"), NULL, DIAG_FAIL, DIAG_LIKELY, 2);
	corrupt = mk(dx("token.corrupted"), NULL, DIAG_FAIL, DIAG_LIKELY, 3);
	fall_conf = mk(dx("auth.anonymous_fallback"), NULL, DIAG_FAIL,
	    DIAG_CONFIRMED, 4);
	scoped_poss = mk(dx("routing.scoped_token_on_site"), NULL, DIAG_FAIL,
	    DIAG_POSSIBLE, 5);
	warn_cause =
	    mk(dx("token.whitespace"), NULL, DIAG_WARN, DIAG_CONFIRMED, 6);
	inconc = mk(dx("service.rate_limited"), NULL, DIAG_INCONCLUSIVE,
	    DIAG_CONFIRMED, 7);
	nodx = mk(NULL, "x.unknown", DIAG_FAIL, DIAG_CONFIRMED, 8);

	/* The bugs: a confirmed residual outranked a likely cause. */
	ck_assert(before(captcha, rej_conf));
	ck_assert(before(corrupt, fall_conf));
	/* Status first: a failing residual before a warning cause. */
	ck_assert(before(rej_conf, warn_cause));
	ck_assert(before(inconc, warn_cause));
	ck_assert(before(rej_likely, inconc));
	/* A merely possible cause is no proven cause: confidence decides. */
	ck_assert(before(rej_conf, scoped_poss));
	ck_assert(before(rej_likely, scoped_poss));
	/* Two residuals: confidence, then priority. */
	ck_assert(before(fall_conf, rej_likely));
	ck_assert(before(rej_conf, rej_likely));
	/* Two proven causes of equal confidence: priority (token 19 < 45). */
	ck_assert(before(corrupt, captcha));
	/* No catalogue entry: not a proven cause. */
	ck_assert(before(corrupt, nodx));
	ck_assert(before(nodx, rej_likely));

	diag_finding_free(rej_conf);
	diag_finding_free(rej_likely);
	diag_finding_free(captcha);
	diag_finding_free(corrupt);
	diag_finding_free(fall_conf);
	diag_finding_free(scoped_poss);
	diag_finding_free(warn_cause);
	diag_finding_free(inconc);
	diag_finding_free(nodx);
}
END_TEST

/* Equal in every key but creation order: the first raised ranks first,
 * however qsort found them; extreme priorities do not overflow. */
START_TEST(rank_ties_keep_creation_order)
{
	struct diag_diagnosis lo, hi;
	struct diag_finding *a, *b;
	struct diag_report *rep;
	unsigned i;

	rep = diag_report_new("lint");
	for (i = 0; i < 6; i++) {
		rep->findings = diag_xrealloc(rep->findings,
		    (rep->n_findings + 1) * sizeof(*rep->findings));
		rep->findings[rep->n_findings++] = mk(dx("token.corrupted"),
		    NULL, DIAG_FAIL, DIAG_LIKELY, 5 - i);
	}
	diag_report_finish(rep, 0);
	for (i = 0; i < 6; i++)
		ck_assert_uint_eq(rep->findings[i]->seq, i);
	diag_report_free(rep);

	memset(&lo, 0, sizeof(lo));
	memset(&hi, 0, sizeof(hi));
	lo.code = (char *)"a.lo";
	hi.code = (char *)"a.hi";
	lo.priority = INT_MIN;
	hi.priority = INT_MAX;
	a = mk(&lo, NULL, DIAG_FAIL, DIAG_LIKELY, 1);
	b = mk(&hi, NULL, DIAG_FAIL, DIAG_LIKELY, 0);
	ck_assert(before(a, b));
	diag_finding_free(a);
	diag_finding_free(b);
}
END_TEST

/* Explains one exchange offline, as `atldiag explain` does for an entry. */
static struct diag_report *
explain(const char *email, const char *req_hdr, long status,
    const char *const *hdrs, const char *body)
{
	struct diag_exchange *ex;
	struct diag_captured cap;
	struct diag_engine_opts eo;
	struct diag_inputs in;
	struct diag_report *rep;
	size_t i;

	ex = diag_exchange_new("transcript/GET", "GET",
	    "https://acme.atlassian.net/rest/api/3/myself");
	ex->from_transcript = 1;
	ex->status = status;
	diag_exchange_add_req_header(ex, "Authorization", req_hdr);
	for (i = 0; hdrs[i] != NULL; i += 2)
		diag_exchange_add_header(ex, hdrs[i], hdrs[i + 1]);
	ex->body = diag_xstrdup(body);
	ex->body_len = strlen(body);
	memset(&cap, 0, sizeof(cap));
	cap.ex = ex;
	cap.entry = 1;
	cap.headers_seen = 1;
	diag_inputs_init(&in);
	diag_inputs_set(&in, DIAG_IN_SITE, "acme.atlassian.net", 18, "test");
	diag_inputs_set(&in, DIAG_IN_EMAIL, email, strlen(email), "test");
	diag_inputs_set(&in, DIAG_IN_TOKEN, GOOD_TOKEN, strlen(GOOD_TOKEN),
	    "test");
	memset(&eo, 0, sizeof(eo));
	eo.command = "explain";
	eo.rules = dtest_rules();
	eo.inputs = &in;
	eo.captured = &cap;
	rep = diag_report_new("explain");
	ck_assert_msg(diag_engine_run(&eo, rep) == 0, "%s", rep->error);
	diag_report_finish(rep, 0);
	diag_inputs_release(&in);
	diag_exchange_free(ex);
	return rep;
}

static int
has_note(const struct diag_finding *f, const char *prefix)
{
	size_t i;

	for (i = 0; i < f->n_notes; i++)
		if (strncmp(f->notes[i], prefix, strlen(prefix)) == 0)
			return 1;
	return 0;
}

/* A CAPTCHA lock answered 401 with X-Seraph-LoginReason
 * AUTHENTICATED_FAILED: the confirmed generic refusal used to lead. */
START_TEST(captcha_401_leads_and_the_refusal_is_folded_into_it)
{
	static const char *const hdrs[] = {
		"X-Seraph-LoginReason",
		"AUTHENTICATED_FAILED",
		"X-Authentication-Denied-Reason",
		"CAPTCHA_CHALLENGE; "
		"login-url=https://acme.atlassian.net/login.jsp",
		NULL,
	};
	struct diag_report *rep;
	const struct diag_finding *f;

	rep = explain("mia@example.com", "Basic <redacted>", 401, hdrs, "{}");
	ck_assert_msg(rep->n_findings > 0 &&
		strcmp(rep->findings[0]->code, "auth.captcha_required") == 0,
	    "primary: [%s]", dtest_codes(rep));
	dtest_assert_no_finding(rep, "auth.credentials_rejected");
	f = rep->findings[0];
	ck_assert_uint_eq(f->n_explains, 1);
	ck_assert_str_eq(f->explains[0]->code, "auth.credentials_rejected");
	ck_assert_int_eq(f->explains[0]->confidence, DIAG_CONFIRMED);
	ck_assert(has_note(f, "also (auth.credentials_rejected): "));
	ck_assert_uint_ge(f->n_evidence, 1);
	diag_report_free(rep);
}
END_TEST

/* A warning cause that explains a failing residual takes its status: the
 * report leads with the cause and still fails. */
START_TEST(folding_promotes_a_warning_cause_to_the_residual_status)
{
	static const char *const hdrs[] = { NULL };
	struct diag_report *rep;

	rep = explain("mailto:mia@example.com", "Basic <redacted>", 401, hdrs,
	    "Client must be authenticated to access this resource.");
	ck_assert_msg(rep->n_findings > 0 &&
		strcmp(rep->findings[0]->code, "email.malformed") == 0,
	    "primary: [%s]", dtest_codes(rep));
	ck_assert_int_eq(rep->findings[0]->status, DIAG_FAIL);
	ck_assert_uint_eq(rep->findings[0]->n_explains, 1);
	dtest_assert_no_finding(rep, "auth.credentials_rejected");
	ck_assert_int_eq(rep->exit_code, 1);
	diag_report_free(rep);
}
END_TEST

/* Nothing finer is proven: the residual stays, with its hypotheses. */
START_TEST(a_residual_alone_stays)
{
	static const char *const hdrs[] = { NULL };
	struct diag_report *rep;

	rep = explain("mia@example.com", "Basic <redacted>", 401, hdrs,
	    "Client must be authenticated to access this resource.");
	dtest_assert_finding(rep, "auth.credentials_rejected");
	diag_report_free(rep);
}
END_TEST

/* Words for maintainers only (the file's "provenance"), never shown. */
static const char *const internal_words[] = {
	"reference \xc2\xa7",
	"reference Q",
	"DESIGN \xc2\xa7",
	"DESIGN.md",
	"INFERRED",
	"VERIFIED",
	"research notes",
	"Spring-style",
	"reference page",
	"peers A",
};

/* Every catalogue entry, rendered in every format with -v, says nothing
 * of the notes it was written from. */
START_TEST(catalogue_text_has_no_internal_wording)
{
	static const enum diag_format fmts[] = { DIAG_FORMAT_TEXT,
		DIAG_FORMAT_JSON, DIAG_FORMAT_MARKDOWN, DIAG_FORMAT_JUNIT,
		DIAG_FORMAT_GITHUB };
	struct diag_render_opts ro = { 0, 1, 0, 0 };
	const struct diag_diagnosis *d;
	struct diag_report *rep;
	size_t n, i, j;
	char *out;

	n = diag_rules_diagnoses(dtest_rules(), &d);
	ck_assert_uint_gt(n, 40);
	rep = diag_report_new("check");
	for (i = 0; i < n; i++) {
		rep->findings = diag_xrealloc(rep->findings,
		    (rep->n_findings + 1) * sizeof(*rep->findings));
		rep->findings[rep->n_findings++] =
		    mk(&d[i], NULL, DIAG_FAIL, DIAG_LIKELY, (unsigned)i);
	}
	diag_report_finish(rep, 0);
	for (i = 0; i < DIAG_NELEM(fmts); i++) {
		out = diag_report_render(rep, fmts[i], &ro);
		for (j = 0; j < n; j++)
			ck_assert_msg(strstr(out, d[j].code) != NULL,
			    "format %zu does not render %s", i, d[j].code);
		for (j = 0; j < DIAG_NELEM(internal_words); j++)
			ck_assert_msg(strstr(out, internal_words[j]) == NULL,
			    "format %zu renders '%s': ...%.80s", i,
			    internal_words[j], strstr(out, internal_words[j]));
		free(out);
	}
	diag_report_free(rep);
}
END_TEST

Suite *
ranking_suite(void)
{
	Suite *s = suite_create("ranking");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, catalogue_marks_the_residual_codes);
	tcase_add_test(tc, catalogue_says_which_cause_refines_which_symptom);
	tcase_add_test(tc,
	    rank_status_then_cause_then_confidence_then_priority);
	tcase_add_test(tc, rank_ties_keep_creation_order);
	tcase_add_test(tc, captcha_401_leads_and_the_refusal_is_folded_into_it);
	tcase_add_test(tc,
	    folding_promotes_a_warning_cause_to_the_residual_status);
	tcase_add_test(tc, a_residual_alone_stays);
	tcase_add_test(tc, catalogue_text_has_no_internal_wording);
	suite_add_tcase(s, tc);
	return s;
}
