# tests/live/lib.sh: run atldiag against mockcloud with a scenario's client inputs (sourced).
. "$top_srcdir/tests/lib/mockcloud.sh"

: "${ATLDIAG:=${top_builddir:-.}/atldiag}"

# live_args: atldiag input arguments from the scenario's "client" block
# (one per line, for "set --"). The token goes through a file, never argv.
live_args() {
	jq -r --arg tf "$MC_DIR/token" --arg kf "$MC_DIR/orgkey" \
	  --arg cf "$MC_DIR/clientsecret" '
	  .client as $c |
	  (if $c.site then ["--site", $c.site] else [] end) +
	  (if $c.cloud_id then ["--cloud-id", $c.cloud_id] else [] end) +
	  (if $c.email then ["--email", $c.email] else [] end) +
	  (if $c.product then ["--product", $c.product] else [] end) +
	  (if $c.token then ["--token-file", $tf] else [] end) +
	  (if $c.org_key then ["--org-key-file", $kf] else [] end) +
	  (if $c.client_id then ["--client-id", $c.client_id,
	    "--client-secret-file", $cf] else [] end) +
	  (if $c.project then ["--project", $c.project] else [] end) +
	  (if $c.issue then ["--issue", $c.issue] else [] end) +
	  (if $c.space then ["--space", $c.space] else [] end) +
	  (if $c.need_scope then ["--need-scope", ($c.need_scope | join(","))] else [] end) +
	  (if $c.need_permission then ["--need-permission", ($c.need_permission | join(","))] else [] end) +
	  (if $c.request then ["--url", $c.request.url] else [] end)
	  | .[]' "$MC_SCENARIO"
	jq -j '.client.token // empty' "$MC_SCENARIO" >"$MC_DIR/token"
	jq -j '.client.org_key // empty' "$MC_SCENARIO" >"$MC_DIR/orgkey"
	jq -j '.client.client_secret // empty' "$MC_SCENARIO" >"$MC_DIR/clientsecret"
}

# live_args_for COMMAND: live_args without the options COMMAND does not take
# (one of those is a usage error); `atldiag help COMMAND` lists those it does.
live_args_for() {
	"$ATLDIAG" help "$1" >"$MC_DIR/help.$1" || return 1
	live_args | while IFS= read -r opt && IFS= read -r val; do
		if grep -q -- "^  $opt " "$MC_DIR/help.$1"; then
			printf '%s\n%s\n' "$opt" "$val"
		fi
	done
}

# live_auth_header: the Authorization header the scenario's client sends
# when it is not Basic email:token ("bearer", "token-only"), or nothing.
live_auth_header() {
	jq -r '.client as $c |
	  if $c.auth == "bearer" then "Bearer " + $c.token
	  elif $c.auth == "token-only" then "Basic " + ($c.token | @base64)
	  else empty end' "$MC_SCENARIO"
}

# live_init: what a live test starts with: skipped (exit 77) without jq or
# the mockcloud emulator; fails=0 for fail() to count into (end the test
# with [ "$fails" = 0 ]).
live_init() {
	command -v jq >/dev/null 2>&1 || exit 77
	[ -x "${MOCKCLOUD:-$top_builddir/fixtures/mockcloud/mockcloud}" ] || exit 77
	fails=0
}

# fail WHY: prints FAIL WHY and counts it; the test goes on.
fail() { echo "FAIL $*"; fails=$((fails + 1)); }

# live_atldiag ARGS...: atldiag with ARGS (the command first), then the
# scenario's client inputs (live_args), then --connect-to (LIVE_CONNECT,
# default MC_CONNECT_TO) and --cacert; returns its exit status. Redirect
# its output as any command's.
live_atldiag() {
	nl=$(printf '\n_'); IFS=${nl%_}
	# shellcheck disable=SC2046
	set -- "$@" $(live_args)
	unset IFS
	# shellcheck disable=SC2086
	"$ATLDIAG" "$@" ${LIVE_CONNECT:-$MC_CONNECT_TO} --cacert "$MC_CACERT"
}
