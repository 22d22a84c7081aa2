#!/bin/sh
# tests/live/allow_host.sh: a site whose host credentials may not go to is reported as such (not sent, with the --allow-host fix), never weighed as a site that refused the token (status 0).
set -u
: "${top_srcdir:?}" "${top_builddir:=.}"
. "$top_srcdir/tests/live/lib.sh"
live_init

MC_DIR=$(mktemp -d "${TMPDIR:-/tmp}/allowhost.XXXXXX") || exit 1
# A custom domain and no cloud ID: the calls go to the site, whose host is
# not one credentials may go to; the gateway works (cloud ID from tenant_info).
jq 'del(.client.cloud_id)' "$top_srcdir/fixtures/scenarios/site-custom-domain.json" \
    >"$MC_DIR/custom.json"
mc_start "$MC_DIR/custom.json" >/dev/null 2>&1 || { echo "FAIL mockcloud did not start"; exit 1; }
host=$(mc_client site)
live_atldiag check --timeout 20 --json >"$MC_DIR/out" 2>"$MC_DIR/err"
rc=$?
[ "$rc" = 0 ] || fail "exit $rc (want 0: the gateway works; the site was not tested)"
jq -e '[.findings[].code] | index("routing.scoped_token_on_site") == null' "$MC_DIR/out" >/dev/null ||
	fail "a site never contacted was diagnosed as refusing a scoped token"
# input.site calls it a custom domain; that finding gains the fact and the fix.
jq -e --arg h "$host" '.findings | map(select((.code == "request.untrusted_host" or
    .code == "site.custom_domain") and ((.detail + (.notes | join(" "))) | test("did not send the credentials to " + $h))
    and (.remediation | map(contains("--allow-host " + $h)) | any)))
    | length == 1' "$MC_DIR/out" >/dev/null ||
	fail "no finding saying the credentials were not sent to $host, with the --allow-host fix"
[ "$(mc_count ".host == \"$host\" and .auth != \"none\"")" = 0 ] ||
	fail "credentials were sent to $host"
jq -e '.checks[] | select(.id == "auth.site") | .status == "skipped" and (.message | test("--allow-host"))' \
    "$MC_DIR/out" >/dev/null || fail "auth.site does not say the host is not allowed"

[ "$fails" = 0 ] || exit 1
echo "ok: a host not allowed is reported with the --allow-host fix, not as a refusal"
