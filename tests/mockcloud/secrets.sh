#!/bin/sh
# mockcloud: no secret, password or Authorization value reaches the request log or mockcloud's output, in any form.
. "$top_srcdir/tests/mockcloud/common.sh"

for scen in healthy-human auth-password-not-token healthy-service-account auth-token-revoked; do
	mc_start "$scen" || exit 1
	CLOUD=$(mc_client cloud_id)
	mc_secrets >"$MC_DIR/secrets"
	emails=$(jq -r '.accounts[].email' "$MC_SCENARIO")
	# Use every secret every way a client might: Basic with each email,
	# token alone, Bearer, on the site, gateway, admin API and over http.
	while read -r s; do
		for e in $emails; do
			mc_curl -o /dev/null -u "$e:$s" "$SITE/rest/api/3/myself"
			mc_curl -o /dev/null -u "$e:$s" "$GW/ex/jira/$CLOUD/rest/api/3/myself"
			mc_curl -o /dev/null -u "$e:$s" "http://acme.atlassian.net/rest/api/3/myself"
		done
		mc_curl -o /dev/null -H "Authorization: Basic $(printf '%s' "$s" | base64 -w0)" "$SITE/rest/api/3/myself"
		mc_curl -o /dev/null -H "Authorization: Bearer $s" "$SITE/rest/api/3/myself"
		mc_curl -o /dev/null -H "Authorization: Bearer $s" "$GW/ex/jira/$CLOUD/rest/api/3/myself"
		mc_curl -o /dev/null -H "Authorization: Bearer $s" "$GW/admin/v1/orgs"
		mc_curl -o /dev/null -H "Authorization: Bearer $s" "$GW/oauth/token/accessible-resources"
	done <"$MC_DIR/secrets"
	mc_stop
	WHAT="$scen: requests were logged"
	CHECKS=$((CHECKS + 1))
	[ "$(mc_count)" -gt 10 ] || fail "only $(mc_count) log lines"
	out="$MC_LOG $MC_DIR/stdout $MC_DIR/stderr"
	while read -r s; do
		WHAT="$scen: secret ${s%"${s#????????}"}..."
		CHECKS=$((CHECKS + 1))
		# shellcheck disable=SC2086
		grep -qF -- "$s" $out && fail "raw secret in output"
		b=$(printf '%s' "$s" | base64 -w0)
		# shellcheck disable=SC2086
		grep -qF -- "$b" $out && fail "Base64 secret in output"
		for e in $emails; do
			b=$(printf '%s:%s' "$e" "$s" | base64 -w0)
			# shellcheck disable=SC2086
			grep -qF -- "$b" $out && fail "Base64 email:secret in output"
		done
		u=$(printf '%s' "$s" | jq -sRr @uri)
		# shellcheck disable=SC2086
		grep -qF -- "$u" $out && fail "URL-encoded secret in output"
	done <"$MC_DIR/secrets"
	WHAT="$scen: no Authorization value"
	CHECKS=$((CHECKS + 1))
	grep -qiE 'basic [A-Za-z0-9+/=]{8,}|bearer [A-Za-z0-9]' "$MC_LOG" && fail "an Authorization value is in the log"
done
finish
