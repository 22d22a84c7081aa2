# tests/mockcloud/common.sh: assertions shared by the emulator's own tests (curl only).
# Source after setting nothing; it sources tests/lib/mockcloud.sh.
#   req CURL-ARGS...          one request; sets STATUS, headers in $H, body in $B
#   expect_status N
#   expect_header NAME ERE    the header is present and its value matches
#   no_header NAME
#   expect_body ERE           grep -E on the body
#   expect_body_eq TEXT       the body is exactly TEXT
#   expect_json JQ            jq -e on the body is true
#   check NAME CMD...         a named boolean check
#   finish                    exit 0, or 1 when anything failed

: "${top_srcdir:?top_srcdir is not set}"
: "${top_builddir:=$top_srcdir}"
: "${MOCKCLOUD:=$top_builddir/fixtures/mockcloud/mockcloud}"
export top_srcdir top_builddir MOCKCLOUD
for tool in curl jq openssl; do
	command -v "$tool" >/dev/null 2>&1 || { echo "SKIP: $tool not found"; exit 77; }
done
[ -x "$MOCKCLOUD" ] || { echo "SKIP: $MOCKCLOUD not built"; exit 77; }
. "$top_srcdir/tests/lib/mockcloud.sh"

FAILS=0
CHECKS=0
WHAT=
SITE=https://acme.atlassian.net
GW=https://api.atlassian.com

fail() {
	FAILS=$((FAILS + 1))
	echo "FAIL [$WHAT]: $*" >&2
}

req() {
	WHAT="$*"
	H=$MC_DIR/h
	B=$MC_DIR/b
	: >"$H"
	: >"$B"
	STATUS=$(mc_curl -D "$H" -o "$B" -w '%{http_code}' "$@" 2>"$MC_DIR/curl.err")
	CHECKS=$((CHECKS + 1))
}

expect_status() {
	[ "$STATUS" = "$1" ] || fail "status $STATUS, want $1; body: $(head -c 300 "$B")"
}

header_value() {
	tr -d '\r' <"$H" | grep -i "^$1:" | head -n 1 | sed 's/^[^:]*: *//'
}

expect_header() {
	v=$(header_value "$1")
	if ! tr -d '\r' <"$H" | grep -qi "^$1:"; then
		fail "no header $1"
	elif ! printf '%s\n' "$v" | grep -Eq -- "$2"; then
		fail "header $1 is '$v', want /$2/"
	fi
}

no_header() {
	if tr -d '\r' <"$H" | grep -qi "^$1:"; then
		fail "unexpected header $(tr -d '\r' <"$H" | grep -i "^$1:")"
	fi
}

expect_body() {
	grep -Eq -- "$1" "$B" || fail "body does not match /$1/: $(head -c 300 "$B")"
}

expect_body_eq() {
	got=$(cat "$B"; echo x)
	got=${got%x}
	[ "$got" = "$1" ] || fail "body is '$got', want '$1'"
}

expect_json() {
	jq -e "$1" "$B" >/dev/null 2>&1 || fail "jq '$1' is not true on: $(head -c 300 "$B")"
}

check() {
	WHAT=$1
	shift
	CHECKS=$((CHECKS + 1))
	"$@" || fail "check failed: $*"
}

finish() {
	if [ "$FAILS" -gt 0 ]; then
		echo "$FAILS of $CHECKS checks failed" >&2
		exit 1
	fi
	echo "ok: $CHECKS checks"
	exit 0
}

# Credentials from a scenario's client block and its world.
secret_of() {
	jq -r --arg id "$1" '.tokens[] | select(.id == $id) | .secret' "$MC_SCENARIO"
}
