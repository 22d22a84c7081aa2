#!/bin/sh
# tests/pipeline/expiry.sh: the expiry radar (token.expiry) in `check` against
# mockcloud with a healthy credential: --expires warns
# inside --warn-expiry-days (auth.expiry_soon), fails once past
# (auth.token_expired), passes otherwise, and says so in every format (the
# batch key "expires" is tested in batch.sh).
. "$top_srcdir/tests/pipeline/lib.sh"
. "$top_srcdir/tests/lib/mockcloud.sh"
D=$(mktemp -d "${TMPDIR:-/tmp}/pipeline-expiry.XXXXXX")
trap 'mc_cleanup; rm -rf "$D"' EXIT
mc_start healthy-human || exit 1
jq -j '.client.token' "$MC_SCENARIO" >"$D/token"
day() { date -u -d "$1" +%F; }
# A healthy credential: only the expiry decides the verdict.
run_check() {
	rc=0
	"$ATLDIAG" check --site "$(mc_client site)" --email "$(mc_client email)" \
	    --cloud-id "$(mc_client cloud_id)" --token-file "$D/token" \
	    $MC_CONNECT_TO --cacert "$MC_CACERT" "$@" >"$D/out" 2>"$D/err" || rc=$?
}

run_check --expires "$(day '+7 days')" --json
p_check "7 days left: warning, exit 0" [ "$rc" = 0 ]
p_check "7 days left: auth.expiry_soon names the date and the days" p_json "$D/out" \
    'd["verdict"] == "warn" and d["primary"] == "auth.expiry_soon" and "in 7 days" in d["findings"][0]["detail"] and d["inputs"]["token"]["expires_at"] == "'"$(day '+7 days')"'"'
run_check --expires "$(day '+7 days')" --strict -q
p_check "7 days left with --strict: exit 1" [ "$rc" = 1 ]
run_check --expires "$(day '+7 days')" --warn-expiry-days 5 --json
p_check "7 days left, 5-day window: pass" p_json "$D/out" \
    'd["verdict"] == "pass" and any(c["id"] == "token.expiry" and c["status"] == "pass" for c in d["checks"])'
run_check --expires "$(day '+14 days')" --json
p_check "14 days left, default window: pass" p_json "$D/out" 'd["verdict"] == "pass"'
run_check --expires "$(day '+13 days')" --json
p_check "13 days left, default window: warning" p_json "$D/out" 'd["primary"] == "auth.expiry_soon"'
run_check --expires "$(day '-3 days')" --json
p_check "expired 3 days ago: exit 1" [ "$rc" = 1 ]
p_check "expired: auth.token_expired says when" p_json "$D/out" \
    'd["primary"] == "auth.token_expired" and "3 days ago" in d["findings"][0]["detail"]'
run_check --expires "$(date -u -d '-1 hour' +%FT%H:%M:%SZ)" --json
p_check "RFC 3339 an hour ago: expired" p_json "$D/out" 'd["primary"] == "auth.token_expired"'
run_check --json
p_check "no expiry known: pass" [ "$rc" = 0 ]
p_check "no expiry known: token.expiry skipped" p_json "$D/out" \
    'any(c["id"] == "token.expiry" and c["status"] == "skipped" for c in d["checks"])'
run_check --expires 2026-02-30 --json
p_check "an impossible date is not taken as an expiry" p_json "$D/out" \
    'not any(f["code"].startswith("auth.") for f in d["findings"]) and any(c["id"] == "token.expiry" and "2026-02-30" in c.get("message", "") for c in d["checks"])'
for fmt in text markdown junit github; do
	run_check --expires "$(day '+3 days')" --format $fmt
	p_check "the warning shows in $fmt" grep -q 'expires soon\|auth.expiry_soon' "$D/out"
done
p_done
