#!/bin/sh
# tests/cli/function-length.sh: no function of product code (diag/, checks/)
# runs over 100 lines (house style: a function fits a screen). The counter
# is tools/long-functions.sh; it is first proven on functions of known length.
. "$top_srcdir/tests/lib/common.sh"

tool="$top_srcdir/tools/long-functions.sh"

# gen_fn FILE NAME BODY_LINES: a BSD-style function of BODY_LINES + 4 lines.
gen_fn() {
	{
		printf 'static int\n%s(int a)\n{\n' "$2"
		i=0
		while [ "$i" -lt "$3" ]; do
			printf '\ta += %d;\n' "$i"
			i=$((i + 1))
		done
		printf '}\n'
	} >> "$1"
}

mkdir -p "$T_DIR/src"
printf '/* a prototype is not a definition */\nstatic int\nproto(int);\n' > "$T_DIR/src/a.c"
gen_fn "$T_DIR/src/a.c" fits 96		# 99 lines from its name to "}"
gen_fn "$T_DIR/src/a.c" edge 97		# 100 lines: allowed
gen_fn "$T_DIR/src/a.c" over 98		# 101 lines: too long
t_run "the counter flags a 101-line function" 1 "$tool" "$T_DIR/src"
t_grep "it names the function, file and line" "101 $T_DIR/src/a.c:" "$T_DIR/out"
t_grep "by name" " over" "$T_DIR/out"
t_nogrep "a 100-line function fits" " edge" "$T_DIR/out"
t_run "a lower limit flags more" 1 "$tool" -n 99 "$T_DIR/src"
t_grep "the 100-line one, then" " edge" "$T_DIR/out"

t_run "no product function over 100 lines (tools/long-functions.sh)" 0 "$tool"
if [ -s "$T_DIR/out" ]; then
	t_fail "too long" "split these into static helpers: $(cat "$T_DIR/out")"
fi
t_done
