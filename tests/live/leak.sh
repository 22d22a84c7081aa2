#!/bin/sh
# tests/live/leak.sh: against mockcloud, no secret of the scenario (token, password, email:token, their Base64 with and without newline, the Authorization value) reaches stdout, stderr, --output, the --save-evidence bundle or the emulator's request log, for check, request, can-i and batch in every format with -v; the bundle holds no 16-character window of one either.
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/live/lib.sh"
command -v jq >/dev/null 2>&1 || exit 77
command -v base64 >/dev/null 2>&1 || exit 77
[ -x "${MOCKCLOUD:-$top_builddir/fixtures/mockcloud/mockcloud}" ] || exit 77
mc__trap_set=1
trap 'mc_cleanup; t_cleanup' EXIT
trap 'mc_cleanup; t_cleanup; exit 1' INT TERM

b64() { printf '%s' "$1" | base64 -w0; }

# forbidden: every form of every secret of the scenario, one per line, in
# $T_DIR/forbidden; windows of the long forms catch a partial copy.
forbidden() {
	email=$(mc_client email)
	{
		mc_secrets
		jq -r '.client.token // empty, .client.org_key // empty' \
		    "$MC_SCENARIO"
	} | sort -u | while IFS= read -r s; do
		[ -n "$s" ] || continue
		pair_nl=$(printf '%s:%s\n' "$email" "$s" | base64 -w0)
		printf '%s\n' "$s" "$email:$s" "$(b64 "$email:$s")" "$pair_nl" \
		    "$(b64 "$s")" "$(printf '%s\n' "$s" | base64 -w0)" \
		    "Basic $(b64 "$email:$s")" "Basic $pair_nl" "Bearer $s" \
		    "$(jq -rn --arg s "$s" '$s | @uri')"
		# Any copy of 40 characters or more of a long form holds one
		# of its 24-character windows (every 16 characters).
		for f in "$s" "$(b64 "$email:$s")" "$pair_nl" "$(b64 "$s")" \
		    "$(printf '%s\n' "$s" | base64 -w0)"; do
			printf '%s\n' "$f" | awk 'length($0) >= 40 {
				for (i = 1; i + 23 <= length($0); i += 16)
					print substr($0, i, 24) }'
		done
	done | awk 'length($0) >= 8' | sort -u >"$T_DIR/forbidden"
	# The bundle: not even 16 characters in a row of a token or of the
	# Base64 of email:token (the scrubber's window rule).
	{
		mc_secrets
		jq -r '.client.token // empty, .client.org_key // empty' \
		    "$MC_SCENARIO"
	} | sort -u | while IFS= read -r s; do
		[ -n "$s" ] || continue
		for f in "$s" "$(b64 "$email:$s")" "$(b64 "$s")"; do
			printf '%s\n' "$f" | awk 'length($0) >= 16 {
				for (i = 1; i + 15 <= length($0); i++)
					print substr($0, i, 16) }'
		done
	done | sort -u >"$T_DIR/windows"
}

# scan_bundle NAME: the --save-evidence file exists and holds no secret,
# not even a 16-character window of one.
scan_bundle() {
	if [ ! -f "$T_DIR/evidence.har" ]; then
		t_fail "$1: bundle" "no --save-evidence file was written"
		return
	fi
	scan "$1: bundle" "$T_DIR/evidence.har"
	if grep -qF -f "$T_DIR/windows" -- "$T_DIR/evidence.har"; then
		t_fail "$1: bundle" "a 16-character window of a secret: $(grep -oF -f "$T_DIR/windows" -- "$T_DIR/evidence.har" | head -n 1 | cut -c1-6)..."
	else
		t_ok "$1: bundle holds no 16-character window of a secret"
	fi
}

# scan NAME FILE...: none of the forbidden forms in any of the files.
scan() {
	name=$1
	shift
	bad=
	for f in "$@"; do
		[ -f "$f" ] || continue
		if grep -qF -f "$T_DIR/forbidden" -- "$f"; then
			form=$(grep -oF -f "$T_DIR/forbidden" -- "$f" | head -n 1 |
			    cut -c1-10)
			bad="$bad $(basename "$f"):'$form...'"
		fi
	done
	if [ -z "$bad" ]; then t_ok "$name: no secret"; else
		t_fail "$name" "secret leaked in$bad"; fi
}

# run NAME WANT-EXITS CMD-ARGS...: atldiag with stdout, stderr and the
# --output file scanned; the exit code must be one of WANT-EXITS ("0 1").
run() {
	name=$1 want=$2
	shift 2
	rm -f "$T_DIR/report" "$T_DIR/evidence.har"
	rc=0
	# shellcheck disable=SC2086
	"$ATLDIAG" "$@" >"$T_DIR/stdout" 2>"$T_DIR/stderr" </dev/null || rc=$?
	case " $want " in
	*" $rc "*) ;;
	*) t_fail "$name" "exit $rc, want one of $want: $(head -c 300 "$T_DIR/stderr")" ;;
	esac
	scan "$name" "$T_DIR/stdout" "$T_DIR/stderr" "$T_DIR/report"
	case " $* " in *" --save-evidence "*) scan_bundle "$name" ;; esac
}

for sc in healthy-human auth-credentials-rejected; do
	mc_start "$sc" >/dev/null || { t_fail "$sc" "mockcloud did not start"; continue; }
	forbidden
	IFS='
'
	set -- $(live_args)
	unset IFS
	email=$(mc_client email)
	token=$(mc_client token)
	hdr="Basic $(printf '%s:%s\n' "$email" "$token" | base64 -w0)"
	# Nor is the window scan: a 16-character cut of the token is caught.
	printf 'x%sx\n' "$(mc_client token | cut -c20-35)" >"$T_DIR/cut"
	if grep -qF -f "$T_DIR/windows" "$T_DIR/cut"; then
		t_ok "$sc: the window scan sees 16 characters of the token"
	else
		t_fail "$sc: window scan" "misses 16 characters of the token"
	fi
	# The scanner is not blind: the token file holds a forbidden form.
	if grep -qF -f "$T_DIR/forbidden" "$MC_DIR/token"; then
		t_ok "$sc: the scanner sees the token in the token file"
	else
		t_fail "$sc: scanner" "cannot see the token in the token file"
	fi
	for fmt in text json markdown junit github; do
		o="--format $fmt -v --output $T_DIR/report $MC_CONNECT_TO --cacert $MC_CACERT --timeout 10 --save-evidence $T_DIR/evidence.har"
		# shellcheck disable=SC2086
		run "$sc check $fmt" "0 1" check "$@" $o
		# shellcheck disable=SC2086
		run "$sc check --auth-header $fmt" "0 1" check \
		    --site "$(mc_client site)" --cloud-id "$(mc_client cloud_id)" \
		    --auth-header "$hdr" --project ENG $o
		# shellcheck disable=SC2086
		run "$sc request $fmt" "0 1" request --site "$(mc_client site)" \
		    --email "$email" --token-file "$MC_DIR/token" $o \
		    GET "https://$(mc_client site)/rest/api/3/project/ENG"
		# shellcheck disable=SC2086
		run "$sc can-i $fmt" "0 1" can-i --site "$(mc_client site)" \
		    --email "$email" --token-file "$MC_DIR/token" \
		    --cloud-id "$(mc_client cloud_id)" $o \
		    BROWSE_PROJECTS,ADMINISTER_PROJECTS --project ENG
	done
	# batch writes JSON lines to stdout (no --output, no other format).
	{
		echo "name,site,email,token_file,cloud_id,project,need_scope"
		echo "a,$(mc_client site),$email,$MC_DIR/token,$(mc_client cloud_id),ENG,read:jira-work"
		echo "b,$(mc_client site),$email,$MC_DIR/token,$(mc_client cloud_id),,"
	} >"$T_DIR/profiles.csv"
	for fmt in json text; do
		# shellcheck disable=SC2086
		run "$sc batch $fmt" "0 1" batch "$T_DIR/profiles.csv" \
		    --format "$fmt" -v $MC_CONNECT_TO --cacert "$MC_CACERT" \
		    --save-evidence "$T_DIR/evidence.har"
	done
	n=$(mc_count '.auth == "basic"')
	if [ "$n" -gt 0 ]; then
		t_ok "$sc: the credential was sent ($n Basic requests)"
	else
		t_fail "$sc" "no Basic request reached mockcloud: the test proves nothing"
	fi
	scan "$sc: mockcloud's request log" "$MC_LOG"
	mc_stop
done
t_done
