#!/bin/sh
# tests/cli/format.sh: every C file is laid out as .clang-format says and
# keeps the two rules on meaning (tools/format-check.sh, also `make
# format-check`). The checker is first proven on trees with one bad file.
# The layout part is skipped (77) without clang-format 14, the version the
# tree is laid out with.
. "$top_srcdir/tests/lib/common.sh"

tool="$top_srcdir/tools/format-check.sh"

# The rules on meaning are checked with or without clang-format.
mkdir -p "$T_DIR/rules/checks"
cp "$top_srcdir/.clang-format" "$T_DIR/rules/"
printf 'typedef struct x {\n\tint a;\n} x_t;\n' > "$T_DIR/rules/checks/t.h"
printf 'int\nf(int x)\n{\n\treturn sizeof x;\n}\n' > "$T_DIR/rules/checks/s.c"
t_run "a typedef'd struct and a bare sizeof fail the check" 1 \
    sh "$tool" "$T_DIR/rules"
t_grep "the typedef is named by file and line" "checks/t.h:1:typedef struct x {" "$T_DIR/out"
t_grep "with the rule" "no typedef of a struct or union" "$T_DIR/out"
t_grep "the bare sizeof too" "checks/s.c:4:" "$T_DIR/out"
t_grep "with the rule" "write sizeof(x), with parentheses" "$T_DIR/out"

mkdir -p "$T_DIR/tree/diag"
cp "$top_srcdir/.clang-format" "$T_DIR/tree/"
printf 'int\nf(void)\n{\n\treturn 0;\n}\n' > "$T_DIR/tree/diag/good.c"
printf 'int f(void) {\n  return 0;\n}\n' > "$T_DIR/tree/diag/bad.c"
got=0
sh "$tool" "$T_DIR/tree" >"$T_DIR/out" 2>"$T_DIR/err" || got=$?
if [ "$got" = 77 ]; then
	# No clang-format 14: the layout stays unchecked, the rules are not.
	cat "$T_DIR/out"
	t_run "the tree keeps the rules on meaning" 77 sh "$tool" "$top_srcdir"
	[ "$T_FAILS" = 0 ] && exit 77
	t_done
fi
[ "$got" = 1 ] && t_ok "a badly laid out file fails the check (exit 1)" ||
    t_fail "a badly laid out file fails the check" "exit $got, want 1"
t_grep "it names the file and the fix" "diag/bad.c differs (clang-format -i diag/bad.c)" "$T_DIR/out"
t_nogrep "a well laid out file passes" "good.c" "$T_DIR/out"
t_grep "and counts" "1 of 2 files differ" "$T_DIR/out"

t_run "every C file of the tree is laid out as .clang-format says" 0 \
    sh "$tool" "$top_srcdir"
if [ -s "$T_DIR/out" ] && ! grep -q ' 0 of ' "$T_DIR/out"; then
	t_fail "badly laid out" "run tools/format-check.sh -i (make format): $(cat "$T_DIR/out")"
fi
t_done
