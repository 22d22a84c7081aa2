/* diag/rules/rules.h: the plan, diagnosis catalogue, response signatures and scopes. */
#ifndef DIAG_RULES_H
#define DIAG_RULES_H

#include <stddef.h>

#include <json-c/json.h>

#include "diag/engine/check.h"
#include "diag/core/model.h"

/*
 * Rule files (data only, DESIGN §4), embedded in the binary at build time
 * or read from --rules DIR:
 *   plan.json       ordered checks, their prerequisites, their commands
 *   diagnoses.json  one entry per diagnosis code
 *   responses.json  response signatures (PCRE2) -> diagnosis codes
 *   scopes.json     per-operation scope alternatives
 * Formats are described in rules/README.md.
 */
struct diag_rules;

struct diag_plan_entry {
	const char *id; /* check id */
	const struct diag_check *check; /* resolved from the registry */
	const char **after; /* prerequisite check ids */
	size_t n_after;
	unsigned commands; /* diag_command_bit()s where it runs */
	int required; /* inconclusive here -> exit 3 */
};

/*
 * The bit of a plan command (a name in plan.json "commands"), 0 when no
 * command runs it. The plan commands are those of the command table,
 * the one list of commands (implemented there, diag/cmd/commands.c).
 */
unsigned diag_command_bit(const char *name);

/*
 * Loads the embedded copy, or every file of dir. Every reference is
 * validated (unknown check id, unknown diagnosis code, prerequisite that
 * is not earlier in the plan, 'refines' naming an unknown code or making
 * a cycle, bad regex, missing field): on failure
 * returns -1 and *err (owned, free(3)) names the file and the entry, e.g.
 * "rules/responses.json: signatures[4] (scope-check): bad regex in
 * 'body': missing closing parenthesis at offset 7". Regexes are compiled
 * once, with the PCRE2 JIT where available.
 */
int diag_rules_load(const char *dir, struct diag_rules **out, char **err);
void diag_rules_free(struct diag_rules *);

/* Catalogue entry for code, or NULL. Borrowed from the rules. */
const struct diag_diagnosis *diag_rules_diagnosis(const struct diag_rules *,
    const char *code);
/* 1 when the catalogue says finer refines coarser, directly or through
 * other codes ('refines' in diagnoses.json; never a code itself). */
int diag_rules_refines(const struct diag_rules *, const char *finer,
    const char *coarser);
size_t diag_rules_diagnoses(const struct diag_rules *,
    const struct diag_diagnosis **out);
/* The plan in order. */
size_t diag_rules_plan(const struct diag_rules *,
    const struct diag_plan_entry **out);
/* Matches an exchange against the response signatures; fills at most max
 * matches, ordered by the signatures' order in the file; returns the
 * number that matched. */
size_t diag_rules_classify(const struct diag_rules *,
    const struct diag_exchange *, struct diag_match *, size_t max);
/* The scope catalogue (scopes.json as parsed), borrowed. The built-in
 * copy is parsed on first use (thread-safe); NULL only if it is broken. */
struct json_object *diag_rules_scopes(const struct diag_rules *);

#endif
