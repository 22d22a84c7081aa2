/* checks/input/input_token.c: the token's hygiene, kind and checksum tail, offline. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "checks/input/jwt.h"
#include "checks/input/token_kind.h"
#include "diag/engine/check.h"
#include "diag/core/hash.h"
#include "diag/core/secret.h"
#include "diag/core/util.h"

/* 2026-05-13T00:00:00Z: every token created before 15 Dec 2024 has
 * expired by then (reference §3, VERIFIED primary). */
#define LEGACY_GONE ((time_t)1778630400)

static enum diag_step token_run(struct diag_run *);

const struct diag_check diag_check_input_token = {
	.id = "input.token",
	.summary = "token hygiene, kind and checksum tail",
	.flags = DIAG_CHECK_OFFLINE,
	.run = token_run,
};

/* Which hint fits the characters found (most specific first). */
static const char *
hygiene_hint(const struct diag__tok_clean *c, const char *source)
{
	size_t i;
	int lf = 0, cr = 0, nbsp = 0, zw = 0, quote = 0, inner = 0;
	int file = source != NULL && strncmp(source, "file:", 5) == 0;

	for (i = 0; i < c->n_issues; i++) {
		switch (c->issues[i].cp) {
		case '\n':
			lf++;
			break;
		case '\r':
			cr++;
			break;
		case 0xA0:
		case 0x202F:
		case 0x2007:
			nbsp++;
			break;
		case '"':
		case '\'':
		case '`':
		case 0x2018:
		case 0x2019:
		case 0x201C:
		case 0x201D:
			quote++;
			break;
		case ' ':
		case '\t':
			break;
		default:
			zw++;
		}
		if (c->issues[i].where == DIAG__INSIDE)
			inner++;
	}
	if (cr > 0 && file)
		return "the token file has Windows (CRLF) line endings";
	if (cr > 0)
		return "a Windows (CRLF) line ending, typical of a file saved "
		       "on Windows or a value pasted from a Windows editor";
	if (lf > 0 && inner > 0)
		return "a line break inside the token, typical of a value "
		       "wrapped when copied from a terminal, e-mail or "
		       "document";
	if (lf > 0)
		return "typical of `echo` (without -n) or a file saved with a "
		       "final newline";
	if (nbsp > 0 || zw > 0)
		return "invisible characters typical of copying from a web "
		       "page, chat message, PDF or word processor";
	if (quote > 0)
		return "the quotes became part of the value (quoted twice, or "
		       "a .env/YAML/JSON file whose quotes are read literally)";
	return "extra blanks selected when copying";
}

static void
hygiene(struct diag_run *r, const struct diag__tok_clean *c,
    const struct diag_input *in, const char *desc, const char *sum)
{
	struct diag_finding *f;
	char *list;

	if (c->n_issues == 0 && c->scheme[0] == '\0')
		return;
	list = diag__token_issues_text(c);
	if (c->n_issues > 0) {
		f = diag_run_finding(r, "token.whitespace", DIAG_FAIL,
		    DIAG_CONFIRMED,
		    "The token from %s carries %zu character%s that %s not "
		    "part of it: %s; %s.",
		    in->source, c->n_issues + c->n_more,
		    c->n_issues + c->n_more == 1 ? "" : "s",
		    c->n_issues + c->n_more == 1 ? "is" : "are", list,
		    hygiene_hint(c, in->source));
	} else {
		f = diag_run_finding(r, "token.whitespace", DIAG_FAIL,
		    DIAG_CONFIRMED,
		    "The token from %s starts with the word '%s ': the "
		    "authentication scheme was pasted into the token value.",
		    in->source, c->scheme);
	}
	if (c->n_issues > 0 && c->scheme[0] != '\0')
		diag_finding_note(f,
		    "it also starts with the word '%s ': the scheme belongs in "
		    "the header, not in the token value",
		    c->scheme);
	diag_finding_note(f, "without them: %s, %zu characters, checksum %s",
	    desc, c->len, sum);
	if (in->source != NULL && strncmp(in->source, "file:", 5) == 0)
		diag_finding_step(f,
		    "Rewrite the token file without them, e.g. `printf '%%s' "
		    "\"$TOKEN\" > FILE` or `tr -d '\\r\\n' < FILE`; scripts "
		    "that read it should strip whitespace.");
	else if (in->source != NULL && strncmp(in->source, "env:", 4) == 0)
		diag_finding_step(f,
		    "Set %s again without the extra characters (`export "
		    "%s=\"$(printf '%%s' ...)\"`, or paste it into the CI "
		    "secret with no trailing newline).",
		    in->source + 4, in->source + 4);
	free(list);
}

/*
 * A legacy 24-character token: a failed checksum, and its expiry (past or
 * coming).
 */
static void
legacy_findings(struct diag_run *r, enum diag__tok_sum sum, const char *why)
{
	struct diag_finding *f;

	if (sum == DIAG__SUM_MISMATCH)
		diag_run_finding(r, "token.corrupted", DIAG_FAIL, DIAG_LIKELY,
		    "The value has the 24-character shape of a legacy API "
		    "token, but %s; a character was probably changed or it is "
		    "not a token.",
		    why);
	if (time(NULL) >= LEGACY_GONE)
		f = diag_run_finding(r, "token.legacy_expiring", DIAG_FAIL,
		    sum == DIAG__SUM_OK ? DIAG_LIKELY : DIAG_POSSIBLE,
		    "The token has the 24-character shape of tokens created "
		    "before 18 January 2023; Atlassian set all tokens created "
		    "before 15 December 2024 to expire by 12 May 2026, so it "
		    "has expired.");
	else
		f = diag_run_finding(r, "token.legacy_expiring", DIAG_WARN,
		    sum == DIAG__SUM_OK ? DIAG_LIKELY : DIAG_POSSIBLE,
		    "The token has the 24-character shape of tokens created "
		    "before 18 January 2023; Atlassian set all tokens created "
		    "before 15 December 2024 to expire between 14 March and 12 "
		    "May 2026.");
	diag_finding_step(f,
	    "Create a new API token at "
	    "https://id.atlassian.com/manage-profile/security/api-tokens and "
	    "replace this one.");
}

/*
 * A value shaped like a password (short, spaces or punctuation), not a token.
 */
static void
password_finding(struct diag_run *r, const struct diag__tok_clean *c,
    const char *source)
{
	struct diag_finding *f;
	const char *why;
	size_t i;
	int space = 0;

	for (i = 0; i < c->len; i++)
		if (c->clean[i] == ' ')
			space = 1;
	if (c->len < 20)
		why = "API tokens are 192 characters (24 for legacy ones), "
		      "this is far shorter";
	else if (space)
		why = "it contains spaces, which no API token has";
	else
		why = "it contains punctuation that no API token has";
	f = diag_run_finding(r, "auth.password_not_token", DIAG_FAIL,
	    DIAG_LIKELY,
	    "The value from %s (%zu characters) looks like a password, not an "
	    "API token: %s.",
	    source, c->len, why);
	diag_finding_step(f,
	    "Create an API token at "
	    "https://id.atlassian.com/manage-profile/security/api-tokens and "
	    "use it in place of the account password.");
}

/* 1 when an email is given: the token then goes as Basic email:token. */
static int
with_email(struct diag_run *r)
{
	const struct diag_input *em = diag_run_input(r, DIAG_IN_EMAIL);

	return em->value != NULL && em->len > 0;
}

static void
kind_findings(struct diag_run *r, const struct diag__tok_clean *c,
    enum diag__tok_kind k, enum diag__tok_sum sum, int inferred,
    const char *why, const char *source)
{
	struct diag_finding *f;

	switch (k) {
	case DIAG__TOK_USER_API:
		if (sum == DIAG__SUM_MISMATCH)
			diag_run_finding(r, "token.corrupted", DIAG_FAIL,
			    DIAG_LIKELY,
			    "The ATATT user API token (%zu characters after "
			    "cleaning) fails its format check: %s.",
			    c->len, why);
		break;
	case DIAG__TOK_SERVICE_ACCOUNT:
		if (inferred == 0) {
			f = diag_run_finding(r, "token.corrupted", DIAG_WARN,
			    DIAG_POSSIBLE,
			    "The ATSTT service-account token has the "
			    "192-character shape of ATATT tokens, but its last "
			    "8 characters are not the CRC-32 of the first 184; "
			    "it may be mangled.");
			diag_finding_note(f,
			    "whether ATSTT tokens carry the same checksum as "
			    "ATATT tokens is not documented: treat this as a "
			    "hint, not a proof");
		}
		break;
	case DIAG__TOK_ADMIN_OR_ACCESS:
		diag_run_finding(r, "token.wrong_kind", DIAG_FAIL, DIAG_LIKELY,
		    "The token starts with ATCTT: a Bitbucket access token or, "
		    "by the same prefix, an organization admin API key. "
		    "Neither authenticates Jira or Confluence REST calls as "
		    "Basic email:token; an org admin key belongs in "
		    "--org-key-file.");
		break;
	case DIAG__TOK_APP_PASSWORD:
		diag_run_finding(r, "token.wrong_kind", DIAG_FAIL,
		    DIAG_CONFIRMED,
		    "The token starts with ATBB: a Bitbucket app password "
		    "(Atlassian's documented prefix), which Jira and "
		    "Confluence Cloud do not accept.");
		break;
	case DIAG__TOK_LEGACY:
		legacy_findings(r, sum, why);
		break;
	case DIAG__TOK_OAUTH:
		/* Without an email it is sent as Bearer, as it should be. */
		if (!with_email(r))
			break;
		diag_run_finding(r, "token.wrong_kind", DIAG_FAIL,
		    DIAG_CONFIRMED,
		    "The token is a JWT (three dot-separated Base64 parts "
		    "starting with eyJ): an OAuth 2.0 access token or a "
		    "Connect JWT, not an API token. OAuth access tokens are "
		    "sent as `Authorization: Bearer` to "
		    "api.atlassian.com/ex/...; they expire within an hour and "
		    "cannot be used with an email as Basic credentials.");
		break;
	case DIAG__TOK_DC_PAT:
		if (diag__token_dc_pat_shape(c->clean, c->len))
			diag_run_finding(r, "token.wrong_kind", DIAG_FAIL,
			    DIAG_LIKELY,
			    "The token is 44 Base64 characters that decode to "
			    "'<digits>:...': the shape of a Jira/Confluence "
			    "Data Center personal access token, which "
			    "Atlassian Cloud does not accept.");
		else
			diag_run_finding(r, "token.wrong_kind", DIAG_WARN,
			    DIAG_POSSIBLE,
			    "The token is 44 Base64 characters without an "
			    "Atlassian Cloud prefix: possibly a Data Center "
			    "personal access token.");
		break;
	case DIAG__TOK_PASSWORD_LIKE:
		password_finding(r, c, source);
		break;
	default:
		diag_run_finding(r, "token.wrong_kind", DIAG_WARN,
		    DIAG_POSSIBLE,
		    "The token (%zu characters) has no known Atlassian prefix "
		    "(ATATT user token, ATSTT service-account token) and not "
		    "the legacy 24-character shape.",
		    c->len);
	}
}

static enum diag_step
token_run(struct diag_run *r)
{
	const struct diag_input *in = diag_run_input(r, DIAG_IN_TOKEN);
	struct diag__tok_clean c;
	enum diag__tok_kind k;
	enum diag__tok_sum sum;
	char why[320], fp[16];
	int inferred;

	if (in->value == NULL || in->len == 0) {
		diag_run_status(r, DIAG_SKIPPED, "no token given");
		return DIAG_STEP_DONE;
	}
	diag__token_clean(in->value, in->len, &c);
	if (c.len == 0) {
		diag_run_status(r, DIAG_SKIPPED,
		    "the token is blank (input.sources reports it)");
		goto out;
	}
	diag_secret_register(c.clean, c.len);
	diag_run_fact_set(r, "inputs.token.length",
	    json_object_new_int64((int64_t)in->len));
	diag_fingerprint(c.clean, c.len, fp);
	diag_run_fact_set(r, "inputs.token.fingerprint",
	    json_object_new_string(fp));
	if (diag__token_placeholder(c.clean, c.len)) {
		diag_run_fact_set(r, "inputs.token.kind",
		    json_object_new_string("unknown"));
		diag_run_fact_set(r, "token.kind",
		    json_object_new_string("unknown"));
		diag_run_fact_set(r, "inputs.token.checksum",
		    json_object_new_string("n/a"));
		diag_run_finding(r, "input.token_missing", DIAG_FAIL,
		    DIAG_CONFIRMED,
		    "The token from %s is a placeholder or the literal name of "
		    "a variable that was never expanded (%zu characters), not "
		    "a token.",
		    in->source, c.len);
		diag_run_message(r, "a placeholder, not a token");
		goto out;
	}
	k = diag__token_kind(c.clean, c.len);
	sum = diag__token_checksum(c.clean, c.len, k, &inferred, why,
	    sizeof(why));
	diag_run_fact_set(r, "inputs.token.kind",
	    json_object_new_string(diag__token_kind_name(k)));
	diag_run_fact_set(r, "token.kind",
	    json_object_new_string(diag__token_kind_name(k)));
	diag_run_fact_set(r, "inputs.token.checksum",
	    json_object_new_string(diag__token_sum_name(sum)));
	hygiene(r, &c, in, diag__token_kind_desc(k), diag__token_sum_name(sum));
	kind_findings(r, &c, k, sum, inferred, why, in->source);
	if (k == DIAG__TOK_OAUTH)
		(void)diag__jwt_report(r, c.clean, c.len, in->source,
		    "inputs.token");
	switch (sum) {
	case DIAG__SUM_OK:
		diag_run_message(r,
		    "%s, %zu characters, checksum ok (format plausible)",
		    diag__token_kind_desc(k), c.len);
		break;
	case DIAG__SUM_MISMATCH:
		diag_run_message(r, "%s, %zu characters, checksum mismatch",
		    diag__token_kind_desc(k), c.len);
		break;
	case DIAG__SUM_NOT_CHECKABLE:
		diag_run_message(r,
		    "%s, %zu characters, checksum not checkable (format "
		    "plausible)",
		    diag__token_kind_desc(k), c.len);
		break;
	default:
		diag_run_message(r, "%s, %zu characters",
		    diag__token_kind_desc(k), c.len);
	}
out:
	diag__token_clean_release(&c);
	return DIAG_STEP_DONE;
}
