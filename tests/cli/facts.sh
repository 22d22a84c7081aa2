#!/bin/sh
# tests/cli/facts.sh: every fact a check writes by name is read somewhere:
# by a check, the engine or the report (facts "inputs.*" and "extra.*" are
# read by prefix: they become report members). A fact nobody reads is dead
# weight a newcomer would have to understand. Keys built at run time are
# not seen here.
. "$top_srcdir/tests/lib/common.sh"

cd "$top_srcdir" || exit 99
src=$(find diag checks -name '*.c' | LC_ALL=C sort)
# shellcheck disable=SC2086
written=$(grep -ohE '(diag_run_fact_set|diag__live_fact_exchange_set)\(r, "[^"]+"' $src |
    sed 's/.*"\(.*\)"/\1/' | LC_ALL=C sort -u)
[ -n "$written" ] && t_ok "facts written by name are found" ||
    t_fail "facts written by name are found" "no diag_run_fact_set(r, \"...\") in diag/ or checks/"

unread=
for k in $written; do
	case $k in inputs.* | extra.*) continue ;; esac
	# shellcheck disable=SC2086
	if ! grep -hF "\"$k\"" $src |
	    grep -qvE '(diag_run_fact_set|diag__live_fact_exchange_set)\(r, "'; then
		unread="$unread $k"
	fi
done
if [ -z "$unread" ]; then
	t_ok "every fact written by name is read"
else
	t_fail "every fact written by name is read" \
	    "written, never read:$unread (remove the write, or read it)"
fi
t_done
