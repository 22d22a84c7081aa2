#!/bin/sh
# tests/cli/commands.sh: the command table seen from outside: `help CMD` is
# `CMD --help` and lists every option CMD takes; every listed option is
# accepted, every other one is a usage error naming option and command (in
# text and as a JSON error document); a number's limits are one and the same
# in the help and in the error.
. "$top_srcdir/tests/lib/common.sh"

# opts FILE: "--name" or "--name ARG" for each option line of a usage text.
opts() {
	sed -nE 's/^  (-[a-z], )?(--[a-z-]+)( [^ ]+)?( .*)?$/\2\3/p' "$1"
}

t_run "help" 0 "$ATLDIAG" help
cp "$T_DIR/out" "$T_DIR/overview"
t_run "--help" 0 "$ATLDIAG" --help
if cmp -s "$T_DIR/out" "$T_DIR/overview"; then t_ok "help = --help"; else
	t_fail "help = --help" "outputs differ"; fi
cmds=$(sed -n '/^Commands:/,/^$/p' "$T_DIR/overview" | awk 'NR > 1 && /^  [a-z]/ { print $1 }')
n=$(echo "$cmds" | wc -w)
if [ "$n" -ge 9 ]; then t_ok "overview lists $n commands"; else
	t_fail "overview commands" "only: $cmds"; fi

: >"$T_DIR/all"
for c in $cmds; do
	t_run "help $c" 0 "$ATLDIAG" help "$c"
	cp "$T_DIR/out" "$T_DIR/help.$c"
	t_run "$c --help" 0 "$ATLDIAG" "$c" --help
	if cmp -s "$T_DIR/out" "$T_DIR/help.$c"; then t_ok "help $c = $c --help"; else
		t_fail "help $c = $c --help" "$(diff "$T_DIR/help.$c" "$T_DIR/out" | head -5)"; fi
	t_grep "$c usage names it" "usage: atldiag $c" "$T_DIR/help.$c"
	opts "$T_DIR/help.$c" | awk '{ print $1 }' | sort -u >"$T_DIR/takes.$c"
	opts "$T_DIR/help.$c" >>"$T_DIR/all"
done
sort -u "$T_DIR/all" >"$T_DIR/all.u"

# What the design promises each command takes (a sample, not the table).
want() {
	c=$1; shift
	for o in "$@"; do
		if grep -qx -- "$o" "$T_DIR/takes.$c"; then t_ok "$c takes $o"; else
			t_fail "$c takes $o" "not in 'atldiag help $c'"; fi
	done
}
want check --site --token-file --project --issue --space --need-scope \
    --need-permission --calls --probe-writes --expires --url --json --timeout
want request --data-file --project --email --format
want lint --url --auth-header --strict --output
want can-i --project --issue --site
want explain --input-format --json
want batch --concurrency --per-site --allow-inline-secrets --need-scope
want scopes --calls --json
want rules --json --rules

# Every option a command lists is accepted by it; every other one is a
# usage error that names the option and the command. Run in $T_DIR: a
# value of 1 given to --output writes a file named 1.
cd "$T_DIR" || exit 1
while read -r o arg; do
	v=${arg:+1}
	for c in $cmds; do
		rc=0
		"$ATLDIAG" "$c" "$o" ${v:+"$v"} --help >/dev/null 2>"$T_DIR/e" </dev/null || rc=$?
		if grep -qx -- "$o" "$T_DIR/takes.$c"; then
			if grep -q "does not apply" "$T_DIR/e"; then
				t_fail "$c $o" "listed in its help but refused"; fi
		elif [ "$rc" != 2 ] || ! grep -qF "option '$o' does not apply to '$c'" "$T_DIR/e"; then
			t_fail "$c $o" "not in its help, exit $rc: $(head -c 200 "$T_DIR/e")"
		else
			T_COUNT=$((T_COUNT + 1))
		fi
	done
done <"$T_DIR/all.u"
cd - >/dev/null || exit 1
t_ok "options outside a command's help are refused by it"

# The issue's example, before and after the command, text and JSON.
t_run "lint --concurrency 4" 2 "$ATLDIAG" lint --concurrency 4
t_grep "names option and command" "option '--concurrency' does not apply to 'lint'" "$T_DIR/err"
t_grep "points at the command's help" "atldiag help lint" "$T_DIR/err"
t_run "--concurrency 4 lint (option first)" 2 "$ATLDIAG" --concurrency 4 lint
t_grep "option first: named" "option '--concurrency' does not apply to 'lint'" "$T_DIR/err"
t_run "lint --concurrency 4 --json" 2 "$ATLDIAG" lint --concurrency 4 --json
cp "$T_DIR/out" "$T_DIR/na.json"
t_json "JSON: verdict error" "$T_DIR/na.json" .verdict error
t_json "JSON: exit code 2" "$T_DIR/na.json" .exit_code 2
t_json "JSON: error names both" "$T_DIR/na.json" \
    '.error | test("--concurrency.*lint")' true
t_json_valid "JSON: error validates" "$T_DIR/na.json"
t_run "request --url (its URL is an argument)" 2 "$ATLDIAG" request \
    --url https://acme.atlassian.net/x GET https://acme.atlassian.net/y
t_run "can-i --space" 2 "$ATLDIAG" can-i BROWSE_PROJECTS --project ENG --space S

# Limits: the help's range is the one the parser enforces.
grep -F -- "--concurrency N" "$T_DIR/help.batch" >"$T_DIR/lim"
t_grep "batch help: concurrency 1 to 64" "1 to 64" "$T_DIR/lim"
t_run "batch --concurrency 65" 2 "$ATLDIAG" batch --concurrency 65 x.csv
t_grep "concurrency limit in the error" "from 1 to 64, not '65'" "$T_DIR/err"
t_run "batch --concurrency 64 accepted" 0 "$ATLDIAG" batch --concurrency 64 --help
t_run "batch --per-site 0" 2 "$ATLDIAG" batch --per-site 0 x.csv
t_grep "per-site limit in the error" "from 1 to 64, not '0'" "$T_DIR/err"
t_run "check --timeout 601" 2 "$ATLDIAG" check --timeout 601
t_grep "timeout limit in the error" "from 1 to 600" "$T_DIR/err"
t_grep "timeout limit in the help" "1 to 600" "$T_DIR/help.check"

# help's own usage errors.
t_run "help frobnicate" 2 "$ATLDIAG" help frobnicate
t_grep "help names the unknown command" "unknown command 'frobnicate'" "$T_DIR/err"
t_run "frobnicate --help" 2 "$ATLDIAG" frobnicate --help
t_run "help check lint" 2 "$ATLDIAG" help check lint
t_done
