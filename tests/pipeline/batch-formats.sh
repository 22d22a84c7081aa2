#!/bin/sh
# tests/pipeline/batch-formats.sh: batch in every format against mockcloud:
# JUnit (one testcase per profile named by site and email, valid against
# tests/golden/junit.xsd), GitHub annotations plus the job summary appended
# to $GITHUB_STEP_SUMMARY, a Markdown table; bad rows reported in their
# place with the worst exit code; the columns issue, space, product,
# need_permission; a row's need_scope / need_permission add to the
# batch-wide --need-scope / --need-permission.
. "$top_srcdir/tests/pipeline/lib.sh"
. "$top_srcdir/tests/lib/mockcloud.sh"

D=$(mktemp -d "${TMPDIR:-/tmp}/pipeline-batchfmt.XXXXXX")
trap 'mc_cleanup; rm -rf "$D"' EXIT
mc_start healthy-human || exit 1
jq -j '.client.token' "$MC_SCENARIO" >"$D/token"
TOKEN=$(cat "$D/token")
S=$(mc_client site); E=$(mc_client email); C=$(mc_client cloud_id)

{
	echo "name,site,email,token_file,cloud_id,product,project,issue,space,expires"
	echo "good,$S,$E,$D/token,$C,,ENG,ENG-1,,"
	echo "nofile,$S,$E,$D/no-such-file,$C,,,,,"
	echo "other,$S,raj.patel@acme.example,$D/token,$C,,,,,"
	echo "baddate,$S,$E,$D/token,$C,,,,,next week"
	echo "noissue,$S,$E,$D/token,$C,,,ENG-999,,"
	echo "wiki,$S,$E,$D/token,$C,confluence,,,ENG,"
	echo "nospace,$S,$E,$D/token,$C,confluence,,,NOPE,"
} >"$D/p.csv"

# JSON lines (the default): every row in its place.
rc=0; "$ATLDIAG" batch "$D/p.csv" $MC_CONNECT_TO --cacert "$MC_CACERT" >"$D/out" 2>"$D/err" || rc=$?
p_check "bad rows: every row reported, the others still run" p_json "$D/out" \
    'sorted((x["profile"]["name"], x["verdict"], x.get("primary")) for x in docs) == sorted([("good", "pass", None), ("nofile", "error", None), ("other", "fail", "auth.credentials_rejected"), ("baddate", "error", None), ("noissue", "fail", "issue.not_visible"), ("wiki", "pass", None), ("nospace", "fail", "space.not_visible")])'
p_check "bad rows: the exit code is the worst of all rows (2)" [ "$rc" = 2 ]
p_check "an unusable cell names its line and column" p_json "$D/out" \
    'any(x["verdict"] == "error" and "line 5, column expires" in x["error"] for x in docs)'
p_check "no extra error document after the rows" p_json "$D/out" 'len(docs) == 7'

# A batch of 50 with one missing token file: 49 pass, exit 2.
head -n 2 "$D/p.csv" >"$D/fifty.csv"
i=1; while [ $i -lt 50 ]; do sed -n 2p "$D/p.csv" | sed "s/^good/p$i/" >>"$D/fifty.csv"; i=$((i + 1)); done
sed -i '2s|token,|gone,|' "$D/fifty.csv"
rc=0; "$ATLDIAG" batch "$D/fifty.csv" $MC_CONNECT_TO --cacert "$MC_CACERT" >"$D/out" 2>"$D/err" || rc=$?
p_check "50 rows, the first one's token file missing: 49 pass, 1 error, exit 2" \
    sh -c "[ $rc = 2 ] && [ \"\$(jq -r .verdict '$D/out' | sort | uniq -c | tr -s ' ' | tr '\n' ';')\" = ' 1 error; 49 pass;' ]"

# JUnit.
rc=0; "$ATLDIAG" batch "$D/p.csv" --format junit $MC_CONNECT_TO --cacert "$MC_CACERT" >"$D/j.xml" 2>"$D/err" || rc=$?
p_check "junit: exit 2 (the worst row)" [ "$rc" = 2 ]
p_check "junit: valid against junit.xsd" \
    xmllint --noout --schema "$top_srcdir/tests/golden/junit.xsd" "$D/j.xml"
p_check "junit: one testcase per profile, in file order, named by site and email" \
    sh -c "[ \"\$(xmllint --xpath '//testcase/@name' '$D/j.xml' | tr -d '\n')\" = \"\$(for e in $E $E raj.patel@acme.example $E $E $E $E; do printf ' name=\"%s %s\"' $S \$e; done)\" ]"
p_check "junit: the primary finding is the failure message" \
    sh -c "xmllint --xpath 'string(//testcase[@classname=\"atldiag.batch.other\"]/failure/@message)' '$D/j.xml' | grep -q '^auth.credentials_rejected: '"
p_check "junit: a bad row is an error naming the file" \
    sh -c "xmllint --xpath 'string(//testcase[@classname=\"atldiag.batch.nofile\"]/error/@message)' '$D/j.xml' | grep -q 'no-such-file'"
p_check "junit: counts (7 tests, 3 failures, 2 errors)" \
    sh -c "xmllint --xpath 'concat(/testsuites/@tests, \" \", /testsuites/@failures, \" \", /testsuites/@errors)' '$D/j.xml' | grep -qx '7 3 2'"

# GitHub: annotations on stdout, the summary appended to the step summary.
printf '# earlier step\n' >"$D/summary.md"
rc=0; GITHUB_STEP_SUMMARY="$D/summary.md" "$ATLDIAG" batch "$D/p.csv" \
    --format github $MC_CONNECT_TO --cacert "$MC_CACERT" >"$D/gh" 2>"$D/err" || rc=$?
p_check "github: one annotation per profile that did not pass" \
    sh -c "[ \$(grep -c '^::' '$D/gh') = 5 ] && grep -q '^::error title=line 4 $S raj.patel@acme.example%3A auth.credentials_rejected' '$D/gh'"
p_check "github: a plain summary line last" sh -c "tail -n 1 '$D/gh' | grep -q '^atldiag batch: ERROR, 7 profiles: 2 pass, 3 fail, 2 error (exit code 2)$'"
p_check "github: the step summary is appended after what was there" \
    sh -c "head -n 1 '$D/summary.md' | grep -qx '# earlier step' && grep -q '^## atldiag batch: ERROR' '$D/summary.md' && [ \$(grep -c '^| [0-9]' '$D/summary.md') = 7 ]"
p_check "github: the step summary is not on stdout" sh -c "! grep -q '^| ' '$D/gh'"
rm -f "$D/new-summary.md"
GITHUB_STEP_SUMMARY="$D/new-summary.md" "$ATLDIAG" batch "$D/p.csv" --format github $MC_CONNECT_TO --cacert "$MC_CACERT" >/dev/null 2>&1
p_check "github: a missing step summary file is created (mode 0600)" \
    sh -c "[ \"\$(stat -c %a '$D/new-summary.md')\" = 600 ] && grep -q '^## atldiag batch' '$D/new-summary.md'"
p_check "github: the token is in neither" sh -c "! grep -qF '$TOKEN' '$D/gh' '$D/summary.md'"

# Markdown.
"$ATLDIAG" batch "$D/p.csv" --format markdown $MC_CONNECT_TO --cacert "$MC_CACERT" >"$D/md" 2>"$D/err" || :
p_check "markdown: a table of the 7 profiles" sh -c "[ \$(grep -c '^| [0-9]' '$D/md') = 7 ] && grep -q '^| 4 | other | $S | raj.patel@acme.example | fail | auth.credentials_rejected: ' '$D/md'"
p_check "markdown: the fix of a failed profile follows" sh -c "grep -q '^### Line 4: ' '$D/md' && grep -q '^1\\. ' '$D/md'"

# A row's need_permission adds to --need-permission (never replaces it).
mc_start permission-missing || exit 1
jq -j '.client.token' "$MC_SCENARIO" >"$D/ptoken"
printf 'site,email,token_file,cloud_id,project,need_permission\n%s,%s,%s,%s,ENG,BROWSE_PROJECTS\n' \
    "$(mc_client site)" "$(mc_client email)" "$D/ptoken" "$(mc_client cloud_id)" >"$D/perm.csv"
rc=0; "$ATLDIAG" batch "$D/perm.csv" $MC_CONNECT_TO --cacert "$MC_CACERT" >"$D/out" 2>"$D/err" || rc=$?
p_check "need_permission column alone: the held permission passes" p_json "$D/out" 'docs[0]["verdict"] == "pass"'
rc=0; "$ATLDIAG" batch "$D/perm.csv" --need-permission EDIT_ISSUES $MC_CONNECT_TO --cacert "$MC_CACERT" >"$D/out" 2>"$D/err" || rc=$?
p_check "need_permission column adds to --need-permission: EDIT_ISSUES still missing (exit 1)" \
    sh -c "[ $rc = 1 ] && jq -e '.primary == \"permission.missing\"' '$D/out' >/dev/null"
sed 's/BROWSE_PROJECTS$/EDIT_ISSUE/' "$D/perm.csv" >"$D/perm2.csv"
rc=0; "$ATLDIAG" batch "$D/perm2.csv" $MC_CONNECT_TO --cacert "$MC_CACERT" >"$D/out" 2>"$D/err" || rc=$?
p_check "an unknown permission in the column is that row's error" p_json "$D/out" \
    'docs[0]["verdict"] == "error" and "column need_permission" in docs[0]["error"] and "EDIT_ISSUES" in docs[0]["error"]'

# A row's need_scope adds to --need-scope.
mc_start scope-missing || exit 1
jq -j '.client.token' "$MC_SCENARIO" >"$D/stoken"
printf 'site,email,token_file,cloud_id,need_scope\n%s,%s,%s,%s,read:jira-user\n' \
    "$(mc_client site)" "$(mc_client email)" "$D/stoken" "$(mc_client cloud_id)" >"$D/scope.csv"
rc=0; "$ATLDIAG" batch "$D/scope.csv" --need-scope read:jira-work $MC_CONNECT_TO --cacert "$MC_CACERT" >"$D/out" 2>"$D/err" || rc=$?
p_check "need_scope column adds to --need-scope: read:jira-work still missing (exit 1)" \
    sh -c "[ $rc = 1 ] && jq -e '.primary == \"scope.missing\" and (.findings[0] | tostring | test(\"read:jira-work\"))' '$D/out' >/dev/null"

# token_env names a variable of an --env-file (ahead of the environment);
# a file holding it that others can read stops the batch (exit 2).
mc_start healthy-human || exit 1
printf 'PROD_TOKEN=%s\n' "$TOKEN" >"$D/secrets.env"
chmod 600 "$D/secrets.env"
printf 'site,email,token_env,cloud_id\n%s,%s,PROD_TOKEN,%s\n' "$S" "$E" "$C" >"$D/env.csv"
rc=0; PROD_TOKEN=wrong "$ATLDIAG" batch "$D/env.csv" --env-file "$D/secrets.env" \
    $MC_CONNECT_TO --cacert "$MC_CACERT" >"$D/out" 2>"$D/err" || rc=$?
p_check "token_env from --env-file: pass, source env-file:FILE:KEY" p_json "$D/out" \
    'docs[0]["verdict"] == "pass" and docs[0]["inputs"]["token"]["source"] == "env-file:%s/secrets.env:PROD_TOKEN" % "'"$D"'"'
printf 'PROD_TOKEN=%s\n' "$TOKEN" >"$D/open.env"
chmod 640 "$D/open.env"
rc=0; "$ATLDIAG" batch "$D/env.csv" --env-file "$D/open.env" \
    $MC_CONNECT_TO --cacert "$MC_CACERT" >"$D/out" 2>"$D/err" || rc=$?
p_check "a readable env file holding a token stops the batch before any row (exit 2)" \
    sh -c "[ $rc = 2 ] && [ ! -s '$D/out' ] && grep -q 'chmod 600' '$D/err' && ! grep -qF '$TOKEN' '$D/err'"
p_done
