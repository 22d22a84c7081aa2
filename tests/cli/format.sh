#!/bin/sh
# tests/cli/format.sh: every C file is laid out as .clang-format says
# (tools/format-check.sh, also `make format-check`). The checker is first
# proven on a tree with one badly laid out file. Skipped (77) without
# clang-format 14, the version the tree is laid out with.
. "$top_srcdir/tests/lib/common.sh"

tool="$top_srcdir/tools/format-check.sh"

mkdir -p "$T_DIR/tree/diag"
cp "$top_srcdir/.clang-format" "$T_DIR/tree/"
printf 'int\nf(void)\n{\n\treturn 0;\n}\n' > "$T_DIR/tree/diag/good.c"
printf 'int f(void) {\n  return 0;\n}\n' > "$T_DIR/tree/diag/bad.c"
got=0
sh "$tool" "$T_DIR/tree" >"$T_DIR/out" 2>"$T_DIR/err" || got=$?
if [ "$got" = 77 ]; then
	cat "$T_DIR/out"
	exit 77
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
