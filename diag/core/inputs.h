/* diag/core/inputs.h: the values a diagnosis starts from, and where each came from. */
#ifndef DIAG_INPUTS_H
#define DIAG_INPUTS_H

#include <stddef.h>

enum diag_input_id {
	DIAG_IN_SITE = 0,
	DIAG_IN_CLOUD_ID,
	DIAG_IN_EMAIL,
	DIAG_IN_TOKEN,
	DIAG_IN_AUTH_HEADER, /* the Authorization header a script sends */
	DIAG_IN_PRODUCT, /* "jira" or "confluence" */
	DIAG_IN_ORG_KEY, /* org admin API key */
	DIAG_IN_URL, /* the failing request's URL (request, lint --url, explain) */
	DIAG_IN_METHOD, /* its method */
	DIAG_IN__COUNT
};

/* "site", "cloud_id", ... : the key used in reports. */
const char *diag_input_name(enum diag_input_id);

/*
 * One input. value holds the bytes exactly as given (a token may carry a
 * newline or a NBSP: that is what input checks look for); len is their
 * count (values may hold NUL bytes when read from files). source says
 * where it came from: "flag:--site", "env:JIRA_API_TOKEN",
 * "file:/run/secrets/jira", "stdin", "netrc:/root/.netrc",
 * "auth-header" (decoded from --auth-header), "transcript:#3", "default".
 * secret is set for token, org key and auth header: their value is also
 * registered with diag/core/secret.h and never printed.
 */
struct diag_input {
	char *value; /* NULL when absent */
	size_t len;
	char *source;
	int secret;
};

/* An environment variable that was set but empty (an unexported or
 * unset-in-CI secret shows up like this), or another gathering remark. */
struct diag_input_remark {
	enum diag_input_id input;
	char *code; /* diagnosis code, e.g. "input.token_missing" or "" */
	char *text; /* sentence, never containing a secret */
};

struct diag_inputs {
	struct diag_input in[DIAG_IN__COUNT];
	struct diag_input_remark *remarks;
	size_t n_remarks;
	int token_on_cmdline; /* --token used: visible in ps */
};

/* Raw option values as parsed by the CLI (borrowed strings, may be NULL). */
struct diag_input_flags {
	const char *site;
	const char *cloud_id;
	const char *email;
	const char *token;
	const char *token_file;
	int token_stdin;
	const char *auth_header;
	const char *product;
	const char *org_key_file;
	const char *url;
	const char *method;
	const char *netrc_file; /* --netrc-file; default ~/.netrc */
	int no_env; /* ignore the environment (batch, tests) */
	/* --client-id fetches the token: none from the environment, an
	 * --env-file or ~/.netrc */
	int no_ambient_token;
	/* --env-file, in order; read like the environment */
	const char **env_files;
	size_t n_env_files;
};

void diag_inputs_init(struct diag_inputs *);
void diag_inputs_release(struct diag_inputs *);

/*
 * Gathers every input from flags, then the --env-file files (a later
 * file's value wins; source "env-file:FILE:KEY"), then the environment
 * variables of DESIGN §2 (first found wins), then ~/.netrc for the token
 * (matching the site host). The files are read with the same variable
 * names, ahead of the environment. Secrets are registered with diag/core/secret.h. Returns 0, or -1
 * with a usage-level error already reported through diag_errorf() (an
 * unreadable token file, a file over 1 MiB, stdin used twice). Missing
 * inputs are not errors: the input.sources check reports them.
 */
int diag_inputs_gather(struct diag_inputs *, const struct diag_input_flags *);

/* Sets one input, replacing any previous value (copies value and source). */
/*
 * --product: the products atldiag knows are "jira" and "confluence"
 * (case and surrounding white space ignored). diag_product_known()
 * returns the canonical name (static) or NULL; diag_product_check()
 * returns NULL for a known product, else an owned message naming the
 * known ones and the nearest ("unknown product 'jirra' (known: jira,
 * confluence; did you mean jira?)"). diag_inputs_gather() refuses an
 * unknown product as a usage error.
 */
const char *diag_product_known(const char *name);
char *diag_product_check(const char *name);

void diag_inputs_set(struct diag_inputs *, enum diag_input_id,
    const char *value, size_t len, const char *source);
void diag_inputs_remark(struct diag_inputs *, enum diag_input_id,
    const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Deep copy (for one engine run per transcript request). */
void diag_inputs_copy(struct diag_inputs *dst, const struct diag_inputs *src);

/*
 * Secret shapes, for values that are not meant to be secrets (a path, a
 * site, an unknown option) but may hold one pasted in the wrong place.
 * diag_secret_shaped(): 1 when s holds a run of at least 20 token
 * characters starting ATATT, ATSTT, ATCTT or ATBB, or a JWT (eyJ...,
 * two dots). diag_secret_shaped_path(): also a value of 32 or more token
 * characters with no '/' or '.' that names no existing file.
 * diag_secret_register_shapes(): registers (diag/core/secret.h) every such run
 * found in s and returns how many; call it before any message quotes s.
 */
int diag_secret_shaped(const char *s, size_t len);
int diag_secret_shaped_path(const char *path);
size_t diag_secret_register_shapes(const char *s, size_t len);

/* Offset of the first control character (bytes below 0x20, and 0x7f) in
 * s, or -1: such a byte in a header value or URL would let it inject
 * headers or a second request. */
long diag_ctl_offset(const char *s, size_t len);

#endif
