#!/bin/sh
# tools/format-check.sh: check (or apply) the tree's C layout with clang-format.
#
# Usage: tools/format-check.sh [-i] [SRCDIR]
#   SRCDIR defaults to the tree this script lives in.
#   -i  rewrite the files in place instead of checking them.
#
# Every hand-written .c and .h under diag, checks, tools, fixtures, tests,
# fuzz and bench is run through clang-format with SRCDIR/.clang-format.
# Checking prints "FILE differs" for each file clang-format would change,
# then one "N of M files differ" line; exits 1 if any differs, 0 if none.
# The tree is laid out with clang-format 14 (Debian 12): another major
# version may lay some lines out differently, so it is refused with exit
# 77 (automake's SKIP), as is a machine without clang-format. A generated
# file (diag/*/*_embedded.c, in an in-tree build) is not checked.
# Two rules on meaning are checked first, even without clang-format: no
# typedef of a struct or union, and sizeof with parentheses; a file that
# breaks one is named with its line, and the exit is 1.

apply=0
if [ "$1" = "-i" ]; then
	apply=1
	shift
fi
top=${1:-$(dirname "$0")/..}
cd "$top" || exit 2
[ -f .clang-format ] || { echo "format-check: no .clang-format in $top" >&2; exit 2; }

files=$(find diag checks tools fixtures tests fuzz bench -type f \
    \( -name '*.c' -o -name '*.h' \) ! -name '*_embedded.c' 2>/dev/null |
    LC_ALL=C sort)
[ -n "$files" ] || { echo "format-check: no C files under $top" >&2; exit 2; }

# Two rules on meaning that no layout tool checks (curl's checksrc has
# them too): no typedef'd structs or unions, and sizeof always takes
# parentheses. Checked with or without clang-format; a breach fails.
rules=0
# shellcheck disable=SC2086
if grep -nE '\btypedef[[:space:]]+(struct|union)\b' $files; then
	echo "format-check: write 'struct NAME' where it is used: no typedef of a struct or union"
	rules=1
fi
# shellcheck disable=SC2086
if grep -nE '\bsizeof([[:space:]]+[^([:space:]]|$)' $files; then
	echo "format-check: write sizeof(x), with parentheses"
	rules=1
fi

cf=
for c in clang-format-14 clang-format; do
	if command -v "$c" >/dev/null 2>&1; then
		cf=$c
		break
	fi
done
if [ -z "$cf" ]; then
	echo "format-check: clang-format is not installed (apt-get install clang-format): layout not checked"
	[ "$rules" = 0 ] && exit 77
	exit 1
fi
version=$("$cf" --version | sed -n 's/.*version \([0-9][0-9]*\)\..*/\1/p')
if [ "$version" != 14 ]; then
	echo "format-check: $cf is version ${version:-unknown}; the tree is laid out with 14: layout not checked"
	[ "$rules" = 0 ] && exit 77
	exit 1
fi

if [ "$apply" = 1 ]; then
	# shellcheck disable=SC2086
	exec "$cf" -i $files
fi
n=0
t=0
for f in $files; do
	t=$((t + 1))
	if ! "$cf" --dry-run -Werror "$f" >/dev/null 2>&1; then
		n=$((n + 1))
		echo "$f differs (clang-format -i $f)"
	fi
done
echo "format-check: $n of $t files differ from .clang-format"
[ "$n" = 0 ] && [ "$rules" = 0 ]
