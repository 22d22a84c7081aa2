#!/bin/sh
# tests/rules/schema.sh: the rules files follow their JSON Schemas, the C
# loader's key tables agree with them, and a --rules copy with an unknown
# or misspelt key is refused (exit 2) naming file, entry and key.
. "$top_srcdir/tests/lib/common.sh"

"$PYTHON3" -c 'import jsonschema' 2>/dev/null || { echo "skip: no python3-jsonschema"; exit 77; }
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
