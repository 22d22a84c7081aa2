#!/bin/sh
# tests/golden/run.sh: golden reports: atldiag on fixed inputs, in every format, compared with tests/golden/expected/.
#
# usage: tests/golden/run.sh [--accept] [CASE...]
#
# Each tests/golden/cases/NAME.case is a shell fragment setting:
#   args     the command line after "atldiag" (shell words)
#   env      optional VAR=value words for the environment (nothing else
#            is inherited: no HOME, no ~/.netrc, no ATLASSIAN_* of yours)
#   secrets  strings that must appear in no output, stdout or stderr
#   email    the email, to look for the Base64 of "email:secret" too
# It is sourced in a scratch directory that holds the fake tokens
# (tests/golden/make-tokens.py), so file names in reports are relative.
#
# Every case runs once per format (text, text -v, json, markdown, junit,
# github) with --color never and a fixed clock (ATLDIAG_NOW); durations
# and the version are normalised. Outputs go to
# $top_builddir/tests/golden/out/NAME.FORMAT.out and are compared with
# tests/golden/expected/NAME.FORMAT; exit codes with expected/NAME.exit.
# Besides: every JSON output must pass tests/lib/validate-report.py, every
# JUnit output xmllint against tests/golden/junit.xsd, every GitHub output
# line must be a workflow command or the summary, and no secret may leak.
#
# On a mismatch the diff is printed with the one-line command that
# accepts it. To accept every current output after an intended change:
#   tests/golden/run.sh --accept        (or: make golden-accept)
# and review the change with `git diff tests/golden/expected`.

set -u

accept=0
if [ "${1:-}" = "--accept" ]; then
	accept=1
	shift
fi

here=$(cd "$(dirname "$0")" && pwd)
top_srcdir=${top_srcdir:-$(cd "$here/../.." && pwd)}
top_builddir=${top_builddir:-$(pwd)}
ATLDIAG=${ATLDIAG:-$top_builddir/atldiag}
PYTHON3=${PYTHON3:-/usr/bin/python3}
golden=$top_srcdir/tests/golden
expected=$golden/expected
out=$top_builddir/tests/golden/out
now=1795867200		# 2026-11-28T12:00:00Z

if [ ! -x "$ATLDIAG" ]; then
	echo "golden: no atldiag binary at '$ATLDIAG' (build first, or set ATLDIAG)" >&2
	exit 1
fi
case "$ATLDIAG" in
/*) ;;
*) ATLDIAG=$(pwd)/$ATLDIAG ;;
esac

rm -rf "$out"
mkdir -p "$out/work" "$out/home" || exit 1
if ! "$PYTHON3" "$golden/make-tokens.py" "$out/work"; then
	echo "golden: cannot make the test tokens" >&2
	exit 1
fi
version=$("$ATLDIAG" --version 2>/dev/null | sed -n '1s/^[^0-9]*\([0-9][0-9.]*[0-9]\).*$/\1/p')
have_xmllint=0
command -v xmllint >/dev/null 2>&1 && have_xmllint=1

fail=0
cases=0
problem() {
	echo "FAIL: $*" >&2
	fail=1
}

# Durations and the version change from run to run and release to release.
normalise() {
	sed -e 's/"duration_ms": [0-9][0-9]*/"duration_ms": 0/g' \
	    -e 's/ time="[0-9][0-9.]*"/ time="0.000"/g' \
	    -e 's/ in [0-9][0-9]* ms$/ in 0 ms/' \
	    -e 's/, live, [0-9][0-9]* ms:$/, live, 0 ms:/' \
	    -e "s/\"version\": \"$version\"/\"version\": \"@VERSION@\"/" \
	    -e "s/atldiag $version /atldiag @VERSION@ /g"
}

# compare NAME EXPECTED-FILE OUTPUT-FILE
compare() {
	if [ "$accept" = 1 ]; then
		cp "$3" "$2" || problem "cannot write '$2'"
		return
	fi
	if [ ! -f "$2" ]; then
		problem "$1: no expected output; to accept it:"
		echo "  cp '$3' '$2'" >&2
		return
	fi
	if ! diff -u "$2" "$3" >"$3.diff"; then
		problem "$1: output differs from $(basename "$2"):"
		cat "$3.diff" >&2
		echo "  to accept: cp '$3' '$2'" >&2
	fi
	rm -f "$3.diff"
}

# leaks NAME FILE...: no secret (raw, Base64, Base64 of email:secret[\n]).
leaks() {
	what=$1
	shift
	for s in $secrets; do
		[ -n "$s" ] || continue
		for form in "$s" "$(printf '%s' "$s" | base64 -w0)" \
		    "$(printf '%s:%s' "$email" "$s" | base64 -w0)" \
		    "$(printf '%s:%s\n' "$email" "$s" | base64 -w0)" \
		    "$(printf '%s' "$s" | cut -c13-40)"; do
			[ ${#form} -ge 12 ] || continue
			if grep -F -q -e "$form" "$@"; then
				problem "$what: a secret leaked into $(grep -F -l -e "$form" "$@" | tr '\n' ' ')"
			fi
		done
	done
}

if [ $# -gt 0 ]; then
	list=$*
else
	list=$(cd "$golden/cases" && ls *.case | sed 's/\.case$//')
fi

for name in $list; do
	file=$golden/cases/$name.case
	if [ ! -f "$file" ]; then
		problem "no case '$file'"
		continue
	fi
	cases=$((cases + 1))
	args= env= secrets= email=
	cd "$out/work" || exit 1
	. "$file"
	codes=
	for fmt in text text-v json markdown junit github; do
		case $fmt in
		text-v) flags="--format text -v" ;;
		*) flags="--format $fmt" ;;
		esac
		o=$out/$name.$fmt.out
		eval "set -- $args"
		# shellcheck disable=SC2086
		env -i PATH="$PATH" HOME="$out/home" LANG=C.UTF-8 \
		    ATLDIAG_NOW=$now $env \
		    "$ATLDIAG" "$@" $flags --color never \
		    >"$o.raw" 2>"$out/$name.$fmt.err" </dev/null
		codes="$codes $?"
		normalise <"$o.raw" >"$o"
		compare "$name.$fmt" "$expected/$name.$fmt" "$o"
		case $fmt in
		json)
			if ! "$PYTHON3" "$top_srcdir/tests/lib/validate-report.py" \
			    --schema "$top_srcdir/docs/report.schema.json" "$o.raw"; then
				problem "$name.json: not a valid report (above)"
			fi
			;;
		junit)
			if [ "$have_xmllint" = 1 ] && [ -s "$o.raw" ] &&
			    ! xmllint --noout --schema "$golden/junit.xsd" \
			    "$o.raw" 2>"$o.xmllint"; then
				problem "$name.junit: not valid JUnit XML:"
				cat "$o.xmllint" >&2
			fi
			rm -f "$o.xmllint"
			;;
		github)
			if grep -v -E '^(::(error|warning|notice)( [^:]*)?::|atldiag )' \
			    "$o.raw" >"$o.bad"; then
				problem "$name.github: lines that are neither a workflow command nor the summary:"
				cat "$o.bad" >&2
			fi
			rm -f "$o.bad"
			;;
		esac
		leaks "$name.$fmt" "$o.raw" "$out/$name.$fmt.err"
	done
	# Every format must end the same way.
	first=${codes# }
	first=${first%% *}
	for c in $codes; do
		[ "$c" = "$first" ] || problem "$name: exit codes differ across formats:$codes"
	done
	echo "$first" >"$out/$name.exit"
	compare "$name.exit" "$expected/$name.exit" "$out/$name.exit"
done

# Expected files no case makes any more.
if [ $# -eq 0 ]; then
	for e in "$expected"/*; do
		[ -e "$e" ] || continue
		b=$(basename "$e")
		[ -f "$golden/cases/${b%%.*}.case" ] ||
		    problem "stale expected file '$e' (its case is gone): git rm it"
	done
fi

if [ "$fail" != 0 ]; then
	echo "golden: some reports differ. If the change is intended, accept every output with:" >&2
	echo "  top_builddir='$top_builddir' ATLDIAG='$ATLDIAG' $golden/run.sh --accept" >&2
	exit 1
fi
if [ "$accept" = 1 ]; then
	echo "golden: accepted $cases case(s) into $expected; review with: git diff -- '$expected'"
else
	echo "golden: $cases case(s) match"
fi
exit 0
