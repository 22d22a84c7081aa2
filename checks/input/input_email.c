/* checks/input/input_email.c: the account email: shape, accountId or username given instead, service accounts. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "checks/input/token_kind.h"
#include "diag/engine/check.h"
#include "diag/core/secret.h"
#include "diag/core/util.h"

static enum diag_step email_run(struct diag_run *);

const struct diag_check diag_check_input_email = {
	.id = "input.email",
	.summary = "account email: shape, accountId or username instead",
	.flags = DIAG_CHECK_OFFLINE,
	.run = email_run,
};

#define SA_DOMAIN "serviceaccount.atlassian.com"

static int
is_hexs(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
			(s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

/* 24 lowercase hex, or <digits>:<36 chars of [0-9a-z-]> (reference §5). */
static int
is_account_id(const char *s, size_t n)
{
	const char *c = memchr(s, ':', n);
	size_t i, d;

	if (n == 24 && is_hexs(s, n))
		return 1;
	if (c == NULL)
		return 0;
	d = (size_t)(c - s);
	if (d == 0 || n - d - 1 != 36)
		return 0;
	for (i = 0; i < d; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	for (i = d + 1; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
			(s[i] >= 'a' && s[i] <= 'z') || s[i] == '-'))
			return 0;
	return 1;
}

static int
is_username(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
			(s[i] >= 'a' && s[i] <= 'z') ||
			(s[i] >= 'A' && s[i] <= 'Z') || s[i] == '.' ||
			s[i] == '_' || s[i] == '-'))
			return 0;
	return n > 0;
}

/* Why s is not one plain address, or NULL when it is. */
static const char *
shape_problem(const char *s, size_t n)
{
	const char *at = memchr(s, '@', n), *dot;
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] == ',' || s[i] == ';')
			return "it holds a list separator (',' or ';'): give "
			       "one address";
		if (s[i] == ' ' || (unsigned char)s[i] < 0x20)
			return "it contains a space or a control character";
		if (s[i] == '"' || s[i] == '<' || s[i] == '>')
			return "it contains quotes or angle brackets";
	}
	if (at == NULL)
		return "it has no '@'";
	if (memchr(at + 1, '@', n - (size_t)(at - s) - 1) != NULL)
		return "it has more than one '@'";
	if (at == s)
		return "nothing comes before the '@'";
	dot = memchr(at + 1, '.', n - (size_t)(at - s) - 1);
	if (dot == NULL || dot == at + 1 || s[n - 1] == '.')
		return "the part after the '@' is not a domain name";
	return NULL;
}

/* The fix for a value atldiag repaired: the script must send the repaired
 * value (an email is not a secret; shown escaped and cut short). */
static void
repaired_step(struct diag_finding *f, const char *v, size_t n)
{
	char *shown = diag_str_printable(v, n, 120);

	diag_finding_step(f,
	    "Send the address alone, exactly `%s`, wherever the script builds "
	    "its credentials (and in its configuration).",
	    shown);
	free(shown);
}

/*
 * The email cleaned into c: the address of a "Name" <address> (the
 * returned copy, owned; NULL otherwise) or the value itself, with a
 * finding for what was removed.
 */
static char *
email_clean(struct diag_run *r, const struct diag_input *in,
    struct diag__tok_clean *c)
{
	struct diag_finding *f;
	const char *lt, *gt;
	char *inner = NULL, *list;

	/* "Name" <addr> or Name <addr>: keep the address. */
	lt = memchr(in->value, '<', in->len);
	gt = NULL;
	if (lt != NULL)
		gt = memchr(lt, '>', in->len - (size_t)(lt - in->value));
	if (lt != NULL && gt != NULL && memchr(lt, '@', (size_t)(gt - lt))) {
		inner = diag_xstrndup(lt + 1, (size_t)(gt - lt - 1));
		f = diag_run_finding(r, "email.malformed", DIAG_FAIL,
		    DIAG_CONFIRMED,
		    "The email from %s is a display name with the address in "
		    "angle brackets (\"Name\" <address>); Basic authentication "
		    "needs the bare address.",
		    in->source);
		diag_finding_step(f, "Give only the address: %s.", inner);
		diag__token_clean(inner, strlen(inner), c);
	} else
		diag__token_clean(in->value, in->len, c);
	if (c->len > 0 && c->n_issues > 0 && inner == NULL) {
		list = diag__token_issues_text(c);
		f = diag_run_finding(r, "email.malformed", DIAG_FAIL,
		    DIAG_LIKELY,
		    "The email from %s carries characters that are not part of "
		    "the address: %s. Sent as given, they go inside the Basic "
		    "credentials and the account is not found; atldiag goes on "
		    "with the address without them.",
		    in->source, list);
		repaired_step(f, c->clean, c->len);
		free(list);
	}
	return inner;
}

/*
 * 1 (with a failing finding) when v (n bytes) is not an email at all:
 * an account ID, a token, a username, or a malformed address.
 */
static int
not_an_email(struct diag_run *r, const struct diag_input *in, const char *v,
    size_t n)
{
	struct diag_finding *f;
	enum diag__tok_kind k;
	const char *why;

	if (is_account_id(v, n)) {
		f = diag_run_finding(r, "email.is_account_id", DIAG_FAIL,
		    DIAG_CONFIRMED,
		    "The email from %s is an Atlassian account ID (%.*s), not "
		    "an email address; Basic authentication takes the "
		    "account's email.",
		    in->source, (int)n, v);
		diag_finding_step(f,
		    "Use the email address of that account (shown in its "
		    "Atlassian profile).");
		return 1;
	}
	k = diag__token_kind(v, n);
	if (k == DIAG__TOK_USER_API || k == DIAG__TOK_SERVICE_ACCOUNT ||
	    k == DIAG__TOK_ADMIN_OR_ACCESS ||
	    (n >= 40 && memchr(v, '@', n) == NULL)) {
		diag_secret_register(v, n);
		f = diag_run_finding(r, "email.malformed", DIAG_FAIL,
		    DIAG_LIKELY,
		    "The email from %s looks like a token (%zu characters, no "
		    "'@'): email and token were probably swapped.",
		    in->source, n);
		diag_finding_step(f,
		    "Give the account's email with --email and the token with "
		    "--token-file.");
		return 1;
	}
	if (memchr(v, '@', n) == NULL && is_username(v, n)) {
		f = diag_run_finding(r, "email.is_username", DIAG_FAIL,
		    DIAG_CONFIRMED,
		    "The email from %s is a username (%.*s), not an email "
		    "address: Atlassian Cloud authenticates API tokens with "
		    "the account's email; usernames are a Jira/"
		    "Confluence Data Center notion.",
		    in->source, (int)n, v);
		diag_finding_step(f,
		    "Use the email address of the account that created the "
		    "token.");
		return 1;
	}
	if ((why = shape_problem(v, n)) != NULL) {
		diag_run_finding(r, "email.malformed", DIAG_FAIL,
		    DIAG_CONFIRMED,
		    "The email from %s is not an email address: %s.",
		    in->source, why);
		return 1;
	}
	return 0;
}

/*
 * The facts and message of a good address v (n bytes): its domain, lowercased,
 * and whether it is a service account's.
 */
static void
email_domain(struct diag_run *r, const char *v, size_t n)
{
	const char *at = memchr(v, '@', n);
	char *dom;
	size_t i;

	dom = diag_xstrndup(at + 1, n - (size_t)(at - v) - 1);
	for (i = 0; dom[i] != '\0'; i++)
		if (dom[i] >= 'A' && dom[i] <= 'Z')
			dom[i] = (char)(dom[i] - 'A' + 'a');
	diag_run_fact_set(r, "email.service_account",
	    json_object_new_boolean(strcmp(dom, SA_DOMAIN) == 0));
	if (strcmp(dom, SA_DOMAIN) == 0)
		diag_run_message(r,
		    "a service account's email (@" SA_DOMAIN
		    "): its tokens are scoped and go through "
		    "api.atlassian.com/ex/...");
	else
		diag_run_message(r, "an email address at %s", dom);
	free(dom);
}

static enum diag_step
email_run(struct diag_run *r)
{
	const struct diag_input *in = diag_run_input(r, DIAG_IN_EMAIL);
	struct diag__tok_clean c;
	struct diag_finding *f;
	const char *v;
	char *inner;
	size_t n;

	memset(&c, 0, sizeof(c));
	if (in->value == NULL || in->len == 0) {
		diag_run_status(r, DIAG_SKIPPED, "no email given");
		return DIAG_STEP_DONE;
	}
	inner = email_clean(r, in, &c);
	if (c.len == 0) {
		diag_run_status(r, DIAG_SKIPPED,
		    "the email is blank (input.sources reports it)");
		goto out;
	}
	v = c.clean;
	n = c.len;
	if (n > 7 && strncasecmp(v, "mailto:", 7) == 0) {
		f = diag_run_finding(r, "email.malformed", DIAG_FAIL,
		    DIAG_CONFIRMED,
		    "The email from %s starts with 'mailto:' (copied from a "
		    "link). Sent as given, 'mailto:' is part of the user name "
		    "in the Basic credentials and no account has it; atldiag "
		    "goes on with the address that follows it.",
		    in->source);
		repaired_step(f, v + 7, n - 7);
		v += 7;
		n -= 7;
	}
	if (!not_an_email(r, in, v, n))
		email_domain(r, v, n);
out:
	free(inner);
	diag__token_clean_release(&c);
	return DIAG_STEP_DONE;
}
