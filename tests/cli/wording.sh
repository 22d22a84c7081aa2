#!/bin/sh
# tests/cli/wording.sh: real reports (lint, explain on every transcript fixture, and check against mockcloud when built) in every format never cite internal notes, and the re-check never repeats a value it flagged.
#
# Users do not have the project's notes: no "reference §", "reference Q1",
# "DESIGN §", "INFERRED", "VERIFIED", "research notes", "Spring-style".
set -u
: "${top_srcdir:?}" "${top_builddir:=.}"
ATLDIAG=${ATLDIAG:-$top_builddir/atldiag}
dir=$(mktemp -d "${TMPDIR:-/tmp}/atldiag-wording.XXXXXX") || exit 1
trap 'rm -rf "$dir"' EXIT INT TERM
fails=0
runs=0
internal='reference §|reference Q[0-9]|DESIGN §|DESIGN\.md|INFERRED|VERIFIED|research notes|Spring'

# check_out NAME: the output in $dir/out cites nothing internal.
check_out() {
	runs=$((runs + 1))
	if grep -En "$internal" "$dir/out" >"$dir/hits"; then
		echo "FAIL $1: internal wording:"
		sed 's/^/    /' "$dir/hits" | head -5
		fails=$((fails + 1))
	fi
}

# every_format NAME ARGS...: atldiag ARGS in each format, text also -v.
every_format() {
	name=$1
	shift
	for f in "text" "text -v" json "markdown" "markdown -v" junit github; do
		set -- "$@"
		# shellcheck disable=SC2086
		"$ATLDIAG" "$@" --color never --format $f >"$dir/out" 2>&1
		check_out "$name ($f)"
	done
}

good='ATATT3xFfGF0K3irG5tKKi-6u-wwaXQFeGwZ-IHR-hQ3CulkKtMSuteRQFfLZ6jihHThzZCg_UjnDt-4Wl_gIRf4zrZJs5JqaeuBhsfJ4W5GD6yGg3W7903gbvaxZPBjxIQQ7BgFDSkPS8oPispw4KLz56mdK-G6CIvLO6hHRrZHY0Q3tvJ6JxE=C63992E6'
printf '%s\n' "$good" >"$dir/token-nl"
printf '%s' "ATSTT3xFfGF0${good#ATATT3xFfGF0}" >"$dir/token-atstt"
org=6f3c1a52-9b7e-4d21-8c4a-2e5f0b9d7a13

every_format "lint broken" lint --site http://acme.atlassian.net \
    --email 5b10ac8d82e05b22cc7d4ef5 --token-file "$dir/token-nl" \
    --cloud-id "https://admin.atlassian.com/o/$org/overview"
every_format "lint upper-case cloud id" lint --site acme.atlassian.net \
    --email dev@acme.com --token-file "$dir/token-atstt" \
    --cloud-id 0E4B1A6C-3F2D-4B8E-9A7C-5D6E7F8A9B0C \
    --url "https://api.atlassian.com/ex/jira/0E4B1A6C-3F2D-4B8E-9A7C-5D6E7F8A9B0C/rest/api/3/search"
every_format "lint nothing" lint
every_format "scopes" scopes GET /rest/api/3/myself

# The re-check after lint never passes the org ID back as the cloud ID.
"$ATLDIAG" lint --site acme.atlassian.net --email dev@acme.com \
    --token-file "$dir/token-nl" --cloud-id "https://admin.atlassian.com/o/$org/overview" \
    --format markdown >"$dir/out" 2>&1
runs=$((runs + 1))
if sed -n '/^### Re-check/,$p' "$dir/out" | grep -q "$org"; then
	echo "FAIL lint re-check repeats the org ID it flagged"
	fails=$((fails + 1))
fi

for t in "$top_srcdir"/fixtures/transcripts/*; do
	case $t in *secrets.txt) continue ;; esac
	every_format "explain $(basename "$t")" explain "$t"
done

# Live reports, when the emulator is built and jq is there.
MOCKCLOUD=${MOCKCLOUD:-$top_builddir/fixtures/mockcloud/mockcloud}
if [ -x "$MOCKCLOUD" ] && command -v jq >/dev/null 2>&1; then
	. "$top_srcdir/tests/live/lib.sh"
	for sc in cloud-id-is-org-id permission-missing auth-credentials-rejected \
	    project-not-visible scope-missing; do
		scf=$top_srcdir/fixtures/scenarios/$sc.json
		[ -f "$scf" ] || continue
		mc_start "$scf" >/dev/null 2>&1 || { echo "FAIL $sc: mockcloud did not start"; fails=$((fails + 1)); continue; }
		IFS='
'
		set -- $(live_args)
		unset IFS
		for f in "text -v" "markdown -v" json; do
			# shellcheck disable=SC2086
			"$ATLDIAG" check "$@" $MC_CONNECT_TO --cacert "$MC_CACERT" \
			    --timeout 5 --color never --format $f >"$dir/out" 2>&1
			check_out "check $sc ($f)"
		done
		# The org ID the scenario gives as the cloud ID is flagged: the
		# re-check never names it again.
		cid=$(jq -r '.client.cloud_id // ""' "$scf")
		if [ "$sc" = cloud-id-is-org-id ] && [ -n "$cid" ] &&
		    jq -r '.recheck.command // ""' "$dir/out" | grep -q -- "$cid"; then
			echo "FAIL $sc: the re-check repeats the flagged cloud ID $cid"
			fails=$((fails + 1))
		fi
		mc_stop >/dev/null 2>&1
	done
	mc_cleanup >/dev/null 2>&1
fi
rm -rf "$dir"

echo "wording: $runs reports, $fails failing"
[ "$fails" -eq 0 ]
