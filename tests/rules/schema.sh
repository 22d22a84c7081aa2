#!/bin/sh
# tests/rules/schema.sh: no string in the rules cites the project's internal
# notes, the rules files follow their JSON Schemas, the C loader's key
# tables agree with them, and a --rules copy with an unknown or misspelt key
# is refused (exit 2) naming file, entry and key.
. "$top_srcdir/tests/lib/common.sh"

# The rules ship, are embedded and are copied by users, who do not have our
# notes: a maintainer field (provenance, basis, about) names the public
# source and says how sure in plain words, never "reference §3",
# "reference Q6", "peers A12", "DESIGN §8", "VERIFIED (primary)",
# "INFERRED" or "OPEN" (tests/rules/notes.py).
notes="$top_srcdir/tests/rules/notes.py"
t_run "no rules string cites internal notes" 0 "$PYTHON3" "$notes" "$top_srcdir/rules"
cat "$T_DIR/out"
# cite FILE KEY TEXT: a copy of the rules whose first "KEY": value in FILE
# starts with TEXT, in $T_DIR/n.
cite() {
	rm -rf "$T_DIR/n"
	cp -R "$top_srcdir/rules" "$T_DIR/n"
	sed "1,/\"$2\": \"/s/\"$2\": \"/\"$2\": \"$3/" "$top_srcdir/rules/$1" > "$T_DIR/n/$1"
}
cite diagnoses.json provenance 'reference §3; '
t_run "a provenance citing a section of the notes is caught" 1 "$PYTHON3" "$notes" "$T_DIR/n"
t_grep "names file, entry, key and word" \
    "n/diagnoses.json: diagnoses[0] ('input.site_missing'): provenance cites internal notes: 'reference §'" \
    "$T_DIR/out"
cite responses.json basis 'peers A12, VERIFIED (observed); '
t_run "a basis citing a certainty code is caught" 1 "$PYTHON3" "$notes" "$T_DIR/n"
t_grep "names the signature and the code" \
    "n/responses.json: signatures[0] ('rate-limited-reason'): basis cites internal notes: 'VERIFIED'" \
    "$T_DIR/out"
t_grep "and the notes' label" \
    "n/responses.json: signatures[0] ('rate-limited-reason'): basis cites internal notes: 'peers'" \
    "$T_DIR/out"

"$PYTHON3" -c 'import jsonschema' 2>/dev/null || {
	echo "skip: no python3-jsonschema"
	[ "$T_FAILS" = 0 ] || exit 1
	exit 77
}
if "$PYTHON3" "$top_srcdir/tests/rules/schema.py" "$top_srcdir"; then
	t_ok "rules files and key tables follow rules/schema"
else
	t_fail "rules files and key tables follow rules/schema" "see above"
fi

# misspell FILE FROM TO: a copy of the rules with the first "FROM": in FILE
# renamed "TO":, in $T_DIR/r.
misspell() {
	rm -rf "$T_DIR/r"
	cp -R "$top_srcdir/rules" "$T_DIR/r"
	sed "1,/\"$2\":/s/\"$2\":/\"$3\":/" "$top_srcdir/rules/$1" > "$T_DIR/r/$1"
}

t_run "the rules as shipped load" 0 "$ATLDIAG" rules --rules "$top_srcdir/rules"
misspell diagnoses.json priority prority
t_run "a misspelt priority is refused" 2 "$ATLDIAG" lint --rules "$T_DIR/r" \
    --site acme.atlassian.net
t_grep "names file, entry and key" \
    "r/diagnoses.json: diagnoses[0] ('input.site_missing'): unknown key 'prority' (did you mean 'priority'?)" \
    "$T_DIR/err"
misspell plan.json required requird
t_run "a misspelt plan key is refused" 2 "$ATLDIAG" lint --rules "$T_DIR/r"
t_grep "plan names the entry" \
    "r/plan.json: checks[0] ('input.sources'): unknown key 'requird' (did you mean 'required'?)" \
    "$T_DIR/err"
misspell responses.json why whyy
t_run "a misspelt signature key is refused" 2 "$ATLDIAG" lint --rules "$T_DIR/r"
t_grep "responses names the signature" \
    "r/responses.json: signatures[0] ('rate-limited-reason'): unknown key 'whyy' (did you mean 'why'?)" \
    "$T_DIR/err"
misspell scopes.json about abuot
t_run "an unknown top-level key is refused" 2 "$ATLDIAG" lint --rules "$T_DIR/r"
t_grep "scopes names the place" \
    "r/scopes.json: top level: unknown key 'abuot' (did you mean 'about'?)" "$T_DIR/err"
t_done
