#!/bin/sh
# tests/cli/codes.sh: every diagnosis code a check or the classifier can raise
# is in the catalogue (an unknown code would stop a run with an internal
# error), and docs/diagnoses.md lists every catalogue code.
. "$top_srcdir/tests/lib/common.sh"

jq -r '.diagnoses[].code' "$top_srcdir/rules/diagnoses.json" | sort > "$T_DIR/catalogue"
# Codes passed as string literals to diag_run_finding() in the checks.
cat "$top_srcdir"/checks/*.c "$top_srcdir"/checks/*/*.c | tr '\n\t' '  ' |
    grep -oE 'diag_run_finding\( *[a-z_]+, *"[a-z_]+\.[a-z_]+"' |
    sed -E 's/.*"([a-z_.]+)"/\1/' | sort -u > "$T_DIR/raised"
n=$(wc -l < "$T_DIR/raised")
if [ "$n" -gt 5 ]; then t_ok "found $n codes raised by checks"; else t_fail "extract" "only $n codes found"; fi
missing=$(comm -23 "$T_DIR/raised" "$T_DIR/catalogue" | tr '\n' ' ')
if [ -z "$missing" ]; then t_ok "every raised code is catalogued"; else t_fail "catalogue" "missing: $missing"; fi
missing=$(jq -r '.signatures[].code' "$top_srcdir/rules/responses.json" | sort -u | comm -23 - "$T_DIR/catalogue" | tr '\n' ' ')
if [ -z "$missing" ]; then t_ok "every signature code is catalogued"; else t_fail "signatures" "missing: $missing"; fi
missing=""
while read -r code; do
	grep -qF "\`$code\`" "$top_srcdir/docs/diagnoses.md" || missing="$missing $code"
done < "$T_DIR/catalogue"
if [ -z "$missing" ]; then t_ok "docs/diagnoses.md lists every code"; else
	t_fail "docs/diagnoses.md" "regenerate it (see its first line); missing:$missing"; fi
t_done
