#!/bin/sh
# tests/pipeline/ci-docs.sh: the GitHub Actions and GitLab CI jobs of
# docs/ci.md, their shell steps run as each CI system runs them, against
# mockcloud: a good token passes (exit 0), a revoked one fails the job
# (exit 1), a 5xx fails it too (exit 3); each time the JUnit report the job
# publishes is written and well-formed, and the token reaches atldiag on
# stdin or in a file, never in its arguments or any output.
. "$top_srcdir/tests/pipeline/lib.sh"
. "$top_srcdir/tests/lib/mockcloud.sh"

[ -x "${MOCKCLOUD:-$top_builddir/fixtures/mockcloud/mockcloud}" ] ||
    { echo "skip: mockcloud is not built (libmicrohttpd)"; exit 77; }
command -v jq >/dev/null 2>&1 || { echo "skip: jq is not installed"; exit 77; }

D=$(mktemp -d "${TMPDIR:-/tmp}/pipeline-ci-docs.XXXXXX")
trap 'mc_cleanup; rm -rf "$D"' EXIT
DOC=$top_srcdir/docs/ci.md
X="$PYTHON3 $top_srcdir/tests/pipeline/ci-docs.py"

# `atldiag` on PATH, as the jobs expect.
mkdir -p "$D/bin"
ln -s "$ATLDIAG" "$D/bin/atldiag"

for job in github gitlab; do
	if $X "$DOC" "$job" shell >"$D/$job.sh" 2>"$D/err" &&
	    $X "$DOC" "$job" junit >"$D/$job.junit" 2>>"$D/err" &&
	    $X "$DOC" "$job" yaml >"$D/$job.yaml" 2>>"$D/err"; then
		p_ok "$job: the job and its shell steps are found in docs/ci.md"
	else
		p_fail "$job: the job and its shell steps are found in docs/ci.md" "$(cat "$D/err")"
	fi
	p_check "$job: the steps run atldiag check" grep -q 'atldiag check' "$D/$job.sh"
	p_check "$job: the token goes by stdin or file, never as --token" \
	    sh -c "grep -qE -- '--token-(stdin|file)' '$D/$job.sh' && ! grep -qE -- '--token([ =]|\$)' '$D/$job.sh'"
	p_check "$job: the steps write the JUnit file the job publishes" \
	    grep -qF -- "--output $(cat "$D/$job.junit")" "$D/$job.sh"
done
p_check "github: the report is published even when the check fails" \
    grep -qE 'if: \$\{\{ *(!cancelled\(\)|always\(\)) *\}\}' "$D/github.yaml"
p_check "gitlab: the report is uploaded even when the check fails" \
    grep -qE '^ *when: always' "$D/gitlab.yaml"

# run JOB: the job's shell steps in a fresh directory, as its CI system
# runs them: GitHub's `bash --noprofile --norc -eo pipefail`, GitLab's
# errexit shell (sh -e here, so the steps stay POSIX). The token comes from
# the "secret store": an environment variable (GitHub), or a File variable
# (GitLab: the variable holds the path of a file holding the token).
run() {
	job=$1
	rm -rf "$D/work" && mkdir "$D/work"
	jq -j '.client.token' "$MC_SCENARIO" >"$D/secret"
	rc=0
	(
		cd "$D/work" || exit 99
		unset ATLASSIAN_API_TOKEN JIRA_API_TOKEN CONFLUENCE_API_TOKEN
		PATH=$D/bin:$PATH
		ATLASSIAN_SITE=$(mc_client site)
		ATLASSIAN_EMAIL=$(mc_client email)
		ATLDIAG_EXTRA_ARGS="$MC_CONNECT_TO --cacert $MC_CACERT --timeout 10"
		export PATH ATLASSIAN_SITE ATLASSIAN_EMAIL ATLDIAG_EXTRA_ARGS
		case $job in
		github)
			JIRA_TOKEN=$(cat "$D/secret") bash --noprofile --norc \
			    -eo pipefail "$D/github.sh"
			;;
		gitlab)
			JIRA_TOKEN_FILE=$D/secret sh -e "$D/gitlab.sh"
			;;
		esac
	) >"$D/out" 2>"$D/err" || rc=$?
	junit=$D/work/$(cat "$D/$job.junit")
}

# failures JUNIT: the failures attribute of the report's <testsuites>.
failures() {
	"$PYTHON3" -c 'import sys, xml.etree.ElementTree as E
print(E.parse(sys.argv[1]).getroot().get("failures"))' "$1" 2>/dev/null
}

junit_ok() { [ -s "$1" ] && [ -n "$(failures "$1")" ]; }

for scenario in healthy-human:0 auth-token-revoked:1 service-unavailable:3; do
	scen=${scenario%:*} want=${scenario#*:}
	mc_start "$scen" || exit 1
	for job in github gitlab; do
		run "$job"
		p_check "$job on $scen: the job exits $want" [ "$rc" = "$want" ]
		if [ "$rc" != "$want" ]; then
			sed 's/^/    /' "$D/err" | head -n 20
		fi
		p_check "$job on $scen: the JUnit report is written and parses" \
		    junit_ok "$junit"
		case $want in
		0) p_check "$job on $scen: no failed test case" [ "$(failures "$junit")" = 0 ] ;;
		1) p_check "$job on $scen: a failed test case" [ "$(failures "$junit")" -ge 1 ] ;;
		esac
		p_check "$job on $scen: the token appears in no output" \
		    sh -c "! grep -qrF \"\$(cat '$D/secret')\" '$D/out' '$D/err' '$D/work'"
	done
done
p_done
