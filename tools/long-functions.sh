#!/bin/sh
# tools/long-functions.sh: list C functions longer than a limit (default 100 lines).
#
# Usage: tools/long-functions.sh [-n LIMIT] [FILE|DIR...]
#   (default: diag and checks, relative to the source tree)
#
# House style (BSD): the function's name starts a line at column 0, its
# opening "{" and closing "}" stand alone at column 0. A function's length
# is counted from the line holding its name to its closing "}", both
# included. Prints "LINES FILE:LINE NAME" for each function over the
# limit, longest first; exits 1 if there is any, 0 otherwise.

limit=100
if [ "$1" = "-n" ]; then
	limit=$2
	shift 2
fi
case $limit in
''|*[!0-9]*) echo "usage: $0 [-n LIMIT] [FILE|DIR...]" >&2; exit 2 ;;
esac

if [ $# -eq 0 ]; then
	cd "$(dirname "$0")/.." || exit 2
	set -- diag checks
fi

files=$(find "$@" -type f -name '*.c' | LC_ALL=C sort)
[ -n "$files" ] || { echo "$0: no C files in $*" >&2; exit 2; }

# shellcheck disable=SC2086
awk -v limit="$limit" '
FNR == 1 { name = ""; start = 0; inbody = 0 }
# A candidate: an identifier at column 0 directly followed by "(".
!inbody && /^[A-Za-z_][A-Za-z0-9_]*\(/ {
	name = $0; sub(/\(.*/, "", name); start = FNR; next
}
!inbody && /^\{/ && name != "" { inbody = 1; next }
!inbody && /;[ \t]*$/ { name = "" }	# a prototype, not a definition
inbody && /^\}/ {
	n = FNR - start + 1
	if (n > limit)
		printf "%d %s:%d %s\n", n, FILENAME, start, name
	inbody = 0; name = ""
}
' $files | sort -rn | awk '{ print } END { exit NR > 0 }'
