#!/bin/sh
# tests/live/evidence.sh: `check --save-evidence` against mockcloud for every scenario: a valid HAR 1.2 bundle (mode 0600) that `atldiag explain` replays offline to the live run's primary diagnosis, except the scenarios listed in tests/live/evidence-exceptions.txt; never overwritten without --force; one bundle for a batch.
set -u
: "${top_srcdir:?}" "${top_builddir:=.}"
. "$top_srcdir/tests/live/lib.sh"
command -v jq >/dev/null 2>&1 || exit 77
[ -x "${MOCKCLOUD:-$top_builddir/fixtures/mockcloud/mockcloud}" ] || exit 77
PYTHON3=${PYTHON3:-python3}
command -v "$PYTHON3" >/dev/null 2>&1 || exit 77
VALIDATE="$PYTHON3 $top_srcdir/tests/lib/validate-har.py"
EXC=$top_srcdir/tests/live/evidence-exceptions.txt
fails=0
only=${LIVE_ONLY:-}
fail() { echo "FAIL $1"; fails=$((fails + 1)); }

for sc in "$top_srcdir"/fixtures/scenarios/*.json; do
	name=$(basename "$sc" .json)
	case $name in $only*) ;; *) continue ;; esac
	case $(jq -r '.client.request.method // "GET"' "$sc") in
	GET|HEAD) ;;
	*) echo "skip $name: a write, which atldiag never sends"; continue ;;
	esac
	mc_start "$sc" >/dev/null 2>&1 || { fail "$name: mockcloud did not start"; continue; }
	IFS='
'
	set -- $(live_args)
	hdr=$(live_auth_header)
	[ -n "$hdr" ] && set -- "$@" --auth-header "$hdr"
	unset IFS
	har=$MC_DIR/evidence.har
	rm -f "$har"
	"$ATLDIAG" check "$@" $MC_CONNECT_TO --cacert "$MC_CACERT" --timeout 5 \
	    --json --save-evidence "$har" >"$MC_DIR/live.json" 2>"$MC_DIR/err"
	if [ ! -f "$har" ]; then
		fail "$name: no bundle written: $(head -c 300 "$MC_DIR/err")"
		mc_stop >/dev/null 2>&1
		continue
	fi
	mode=$(stat -c %a "$har")
	[ "$mode" = 600 ] || fail "$name: the bundle has mode $mode, not 600"
	$VALIDATE "$har" >"$MC_DIR/valid" || fail "$name: not a valid HAR 1.2 bundle: $(head -n 3 "$MC_DIR/valid")"
	rc=0
	"$ATLDIAG" explain "$har" --json >"$MC_DIR/explain.json" 2>"$MC_DIR/eerr" || rc=$?
	case $rc in 0|1|3) ;; *) fail "$name: explain exit $rc: $(head -c 300 "$MC_DIR/eerr")" ;; esac
	live=$(jq -r '.primary // "none"' "$MC_DIR/live.json")
	offline=$(jq -r '.primary // "none"' "$MC_DIR/explain.json")
	recorded=$(jq -r '.log._atldiag.primary // "none"' "$har")
	[ "$recorded" = "$live" ] || fail "$name: the bundle records primary $recorded, the run said $live"
	# The bundle's run is replayed offline: every finding says so; a
	# finding about the token itself comes from the record (the bundle
	# holds only the token's traits).
	if [ "$offline" != none ] && ! jq -e '[.findings[].notes[]? |
	    select(startswith("replayed offline"))] | length > 0' \
	    "$MC_DIR/explain.json" >/dev/null; then
		fail "$name: explain of the bundle does not say it replayed the run"
	fi
	if [ "$name" = token-wrong-kind ] && ! jq -e '.findings[] |
	    select(.code == "token.wrong_kind" and .check == "input.token") |
	    .notes[] | select(startswith("recorded by the live run"))' \
	    "$MC_DIR/explain.json" >/dev/null; then
		fail "$name: token.wrong_kind is not taken from the record"
	fi
	exc=0
	grep -q "^$name	" "$EXC" && exc=1
	if [ "$live" = "$offline" ] && [ "$exc" = 1 ]; then
		fail "$name: explain now reaches $live: remove it from $(basename "$EXC")"
	elif [ "$live" = "$offline" ]; then
		echo "ok   $name: $live, live and explained"
	elif [ "$exc" = 1 ]; then
		echo "EXC  $name: live $live, explain $offline ($(grep "^$name	" "$EXC" | cut -f2))"
	else
		fail "$name: live primary $live, explain of the bundle $offline"
	fi
	mc_stop >/dev/null 2>&1
done

# The validator is not blind: a bundle without log.version fails it.
if [ -f "${har:-}" ]; then
	jq 'del(.log.version) | .log.entries[0].request.extra = 1' "$har" >"$MC_DIR/broken.har"
	if $VALIDATE "$MC_DIR/broken.har" >/dev/null; then
		fail "validate-har.py accepts a HAR without log.version"
	else
		echo "ok   validate-har.py refuses a broken HAR"
	fi
fi

# Never overwritten without --force (exit 2 naming the file); --force
# replaces it, still 0600.
if [ -z "$only" ] || case demo in $only*) true ;; *) false ;; esac; then
	mc_start demo >/dev/null 2>&1 || fail "demo: mockcloud did not start"
	IFS='
'
	set -- $(live_args)
	unset IFS
	net="$MC_CONNECT_TO --cacert $MC_CACERT --timeout 5"
	har=$MC_DIR/case.har
	echo keep >"$har"
	rc=0
	"$ATLDIAG" check "$@" $net --save-evidence "$har" >/dev/null 2>"$MC_DIR/err" || rc=$?
	if [ "$rc" = 2 ] && grep -q "case.har' exists" "$MC_DIR/err" && [ "$(cat "$har")" = keep ]; then
		echo "ok   an existing bundle is kept: exit 2 naming it"
	else
		fail "existing bundle: exit $rc, $(cat "$MC_DIR/err"), file $(head -c 20 "$har")"
	fi
	n=$(mc_count)
	[ "$n" = 0 ] || fail "existing bundle: $n requests sent before the usage error"
	chmod 644 "$har"
	rc=0
	"$ATLDIAG" check "$@" $net --save-evidence "$har" --force >/dev/null 2>"$MC_DIR/err" || rc=$?
	if [ "$rc" = 1 ] && [ "$(stat -c %a "$har")" = 600 ] && $VALIDATE "$har" >/dev/null; then
		echo "ok   --force replaces the bundle (mode 600)"
	else
		fail "--force: exit $rc, mode $(stat -c %a "$har"): $(head -c 200 "$MC_DIR/err")"
	fi
	rc=0
	"$ATLDIAG" check "$@" $net --force >/dev/null 2>&1 || rc=$?
	[ "$rc" = 2 ] && echo "ok   --force alone is a usage error" || fail "--force alone: exit $rc"
	# can-i and request write bundles too.
	set -- --site "$(mc_client site)" --email "$(mc_client email)" \
	    --token-file "$MC_DIR/token" --cloud-id "$(mc_client cloud_id)"
	rm -f "$har"
	rc=0
	"$ATLDIAG" can-i "$@" $net --save-evidence "$har" CREATE_ISSUES --project PAY >/dev/null 2>&1 || rc=$?
	[ -f "$har" ] && $VALIDATE "$har" >/dev/null && [ "$(jq -r '.log._atldiag.command' "$har")" = can-i ] &&
	    echo "ok   can-i writes a bundle (exit $rc)" || fail "can-i: no valid bundle (exit $rc)"
	rm -f "$har"
	"$ATLDIAG" request "$@" $net --save-evidence "$har" GET "https://$(mc_client site)/rest/api/3/project/PAY" >/dev/null 2>&1
	[ -f "$har" ] && $VALIDATE "$har" >/dev/null && [ "$(jq -r '.log._atldiag.command' "$har")" = request ] &&
	    echo "ok   request writes a bundle" || fail "request: no valid bundle"
	# batch: one bundle, every entry tagged with its profile's line.
	printf '%s\n' "name,site,email,token_file,cloud_id,project" \
	    "one,$(mc_client site),$(mc_client email),$MC_DIR/token,$(mc_client cloud_id),PAY" \
	    "two,$(mc_client site),nobody@acme.example,$MC_DIR/token,$(mc_client cloud_id)," >"$MC_DIR/p.csv"
	rm -f "$har"
	"$ATLDIAG" batch "$MC_DIR/p.csv" $net --save-evidence "$har" >/dev/null 2>"$MC_DIR/err"
	if [ -f "$har" ] && $VALIDATE "$har" --batch >"$MC_DIR/valid" &&
	    [ "$(jq '[.log.entries[]._atldiag.profile.line] | unique' -c "$har")" = '[2,3]' ] &&
	    [ "$(jq '.log._atldiag.profiles | map(.name) | sort' -c "$har")" = '["one","two"]' ]; then
		echo "ok   batch: one bundle, entries tagged by profile"
	else
		fail "batch bundle: $(head -n 3 "$MC_DIR/valid" 2>/dev/null) $(head -c 200 "$MC_DIR/err")"
	fi
	rc=0
	"$ATLDIAG" explain "$har" --json >"$MC_DIR/explain.json" 2>/dev/null || rc=$?
	case $rc in 0|1|3) echo "ok   explain reads a batch bundle (exit $rc)" ;; *) fail "explain of a batch bundle: exit $rc" ;; esac
	mc_stop >/dev/null 2>&1
fi
mc_cleanup >/dev/null 2>&1
[ "$fails" = 0 ]
