#!/bin/sh
# tests/pipeline/scopes.sh: `atldiag scopes` answers real operations in text and
# JSON, plans a calls file, and exits 1 on an unknown operation, 2 on bad usage.
. "$top_srcdir/tests/pipeline/lib.sh"
D=$(mktemp -d "${TMPDIR:-/tmp}/pipeline-scopes.XXXXXX")
trap 'rm -rf "$D"' EXIT

rc=0; "$ATLDIAG" scopes GET /rest/api/3/myself >"$D/out" 2>"$D/err" || rc=$?
p_check "myself answers with exit 0" [ "$rc" = 0 ]
p_check "myself text names the classic scope" grep -q 'classic  *Current  *read:jira-user' "$D/out"
p_check "myself text names the granular set" grep -q 'granular  *Beta  *read:application-role:jira read:avatar:jira read:group:jira read:user:jira' "$D/out"
p_check "myself is not anonymous" grep -q 'anonymous:  no' "$D/out"

rc=0; "$ATLDIAG" scopes get 'https://api.atlassian.com/ex/jira/7c1e4b2a-9d3f-4e6a-b8c5-1f2e3d4c5b6a/rest/api/3/issue/ENG-1?fields=summary' --json >"$D/out" 2>"$D/err" || rc=$?
p_check "gateway URL with query answers with exit 0" [ "$rc" = 0 ]
p_check "JSON answer: schema, template, operation, alternatives" p_json "$D/out" \
    'd["schema"] == "atldiag.scopes-answer/1" and d["template"] == "/rest/api/3/issue/{issueIdOrKey}" and d["operation"] == "getIssue" and d["anonymous"] is True and [a["scopes"] for a in d["alternatives"] if a["state"] == "Current"] == [["read:jira-work"]] and any(a["kind"] == "granular" and "read:issue:jira" in a["scopes"] for a in d["alternatives"])'

rc=0; "$ATLDIAG" scopes POST /rest/api/3/issue >"$D/out" 2>"$D/err" || rc=$?
p_check "create issue text names the permissions it needs" grep -q 'BROWSE_PROJECTS (project) + CREATE_ISSUES (project)' "$D/out"
rc=0; "$ATLDIAG" scopes PUT /rest/api/3/issue/ENG-1 --json >"$D/out" 2>"$D/err" || rc=$?
p_check "JSON answer keeps its fields and adds permissions" p_json "$D/out" \
    'd["operation"] == "editIssue" and d["alternatives"] and d["permissions"]["alternatives"] == [["BROWSE_PROJECTS", "EDIT_ISSUES"]] and d["permissions"]["types"]["EDIT_ISSUES"] == "project" and any("issue-level security" in n for n in d["permissions"]["notes"])'
rc=0; "$ATLDIAG" scopes POST /rest/api/3/version >"$D/out" 2>"$D/err" || rc=$?
p_check "an 'or' reads as one line per alternative" sh -c "grep -q '^    ADMINISTER (global)\$' '$D/out' && grep -q '^    ADMINISTER_PROJECTS (project)\$' '$D/out'"

rc=0; "$ATLDIAG" scopes GET /rest/api/user/current --json >"$D/out" 2>"$D/err" || rc=$?
p_check "Confluence path without /wiki still answers" [ "$rc" = 0 ]
p_check "and says /wiki was missing" p_json "$D/out" \
    'd["wiki_added"] is True and d["template"] == "/wiki/rest/api/user/current" and any("/wiki" in n for n in d["notes"]) and d["alternatives"][0]["scopes"] == ["read:confluence-user"]'

rc=0; "$ATLDIAG" scopes GET /rest/api/3/isue/ENG-1 >"$D/out" 2>"$D/err" || rc=$?
p_check "unknown operation exits 1" [ "$rc" = 1 ]
p_check "a typo names the template it is a typo of" grep -q '/rest/api/3/issue/{issueIdOrKey}' "$D/out"
rc=0; "$ATLDIAG" scopes DELETE /rest/api/3/myself --json >"$D/out" 2>"$D/err" || rc=$?
p_check "wrong method exits 1 and names the documented one" sh -c "[ $rc = 1 ] && grep -q '\"methods\": \"GET\"' '$D/out'"

# The December 2025 catalogue: enhanced search, deprecation and replacements.
rc=0; "$ATLDIAG" scopes GET /rest/api/3/search/jql --json >"$D/out" 2>"$D/err" || rc=$?
p_check "search/jql is in the catalogue" p_json "$D/out" \
    'd["found"] is True and d["template"] == "/rest/api/3/search/jql" and d["deprecated"] is False and d["replacement"] is None and [a["scopes"] for a in d["alternatives"] if a["state"] == "Current"] == [["read:jira-work"]]'
rc=0; "$ATLDIAG" scopes GET /rest/api/3/search --json >"$D/out" 2>"$D/err" || rc=$?
p_check "classic search is deprecated, replaced by search/jql" p_json "$D/out" \
    'd["deprecated"] is True and d["replacement"] == "GET /rest/api/3/search/jql"'
rc=0; "$ATLDIAG" scopes POST /rest/api/3/search >"$D/out" 2>"$D/err" || rc=$?
p_check "text says deprecated and names the replacement" grep -q '^  deprecated: yes .*; use POST /rest/api/3/search/jql$' "$D/out"
rc=0; "$ATLDIAG" scopes GET /rest/api/3/workflow/transitions/7/properties >"$D/out" 2>"$D/err" || rc=$?
p_check "a deprecated operation without a replacement says so" grep -q '^  deprecated: yes .*Atlassian names no single replacement' "$D/out"
rc=0; "$ATLDIAG" scopes GET /rest/api/3/bulk/issues/fields >"$D/out" 2>"$D/err" || rc=$?
p_check "bulk APIs are in the catalogue" [ "$rc" = 0 ]
rc=0; "$ATLDIAG" scopes GET /rest/api/3/myself --json >"$D/out" 2>"$D/err" || rc=$?
p_check "a current operation is not deprecated" p_json "$D/out" 'd["deprecated"] is False'

# An operation the catalogue does not have: scopes unknown, no unrelated "nearest".
rc=0; "$ATLDIAG" scopes GET /rest/servicedeskapi/request --json >"$D/out" 2>"$D/err" || rc=$?
p_check "JSM operation exits 1 with no nearest template" sh -c "[ $rc = 1 ]"
p_check "JSM: scopes unknown, the API is named" p_json "$D/out" \
    'd["found"] is False and d["nearest"] == [] and d["api"] == "Jira Service Management" and any("scopes unknown for this operation" in n for n in d["notes"])'
rc=0; "$ATLDIAG" scopes GET /rest/servicedeskapi/request >"$D/out" 2>"$D/err" || rc=$?
p_check "JSM text says scopes unknown" grep -q 'scopes unknown for this operation' "$D/out"
p_check "JSM text names no other operation" sh -c "! grep -q 'Did you mean' '$D/out'"
rc=0; "$ATLDIAG" scopes GET /rest/api/3/nosuch/thing --json >"$D/out" 2>"$D/err" || rc=$?
p_check "an unknown Jira path gets no unrelated nearest" p_json "$D/out" 'd["found"] is False and d["nearest"] == []'

# explain: Jira scope findings link Jira's scope page, Confluence's Confluence's.
T="$top_srcdir/fixtures/transcripts"
rc=0; "$ATLDIAG" explain --json "$T/curl-scope-mismatch-jira.txt" >"$D/out" 2>"$D/err" || rc=$?
p_check "Jira scope finding links Jira's scope page only" p_json "$D/out" \
    '[f for f in d["findings"] if f["code"] == "scope.missing"][0]["docs"].count("https://developer.atlassian.com/cloud/jira/platform/scopes-for-oauth-2-3LO-and-forge-apps/") == 1 and not any("/cloud/confluence/" in u for f in d["findings"] for u in f["docs"])'
rc=0; "$ATLDIAG" explain --json "$T/curl-scope-mismatch.txt" >"$D/out" 2>"$D/err" || rc=$?
p_check "Confluence scope finding links Confluence's scope page only" p_json "$D/out" \
    'any("/cloud/confluence/scopes-for-oauth" in u for u in d["findings"][0]["docs"]) and not any("/cloud/jira/" in u for u in d["findings"][0]["docs"])'
# explain: a deprecated operation answered 410 names its replacement.
rc=0; "$ATLDIAG" explain --json "$T/raw-deprecated-expression-410.http" >"$D/out" 2>"$D/err" || rc=$?
p_check "410 on a deprecated operation: routing.endpoint_removed with the replacement" p_json "$D/out" \
    'd["primary"] == "routing.endpoint_removed" and "POST /rest/api/3/expression/evaluate" in d["findings"][0]["detail"] and d["findings"][0]["confidence"] == "likely"'

for args in "GET" "FETCH /rest/api/3/myself" "GET /a /b"; do
	rc=0; "$ATLDIAG" scopes $args >"$D/out" 2>"$D/err" || rc=$?
	p_check "bad usage '$args' exits 2 with a message" sh -c "[ $rc = 2 ] && [ -s '$D/err' ]"
done
rc=0; "$ATLDIAG" scopes GET --json >"$D/out" 2>"$D/err" || rc=$?
p_check "bad usage with --json is a JSON error document" sh -c "[ $rc = 2 ] && grep -q '\"verdict\": *\"error\"' '$D/out'"

cat >"$D/calls" <<'EOT'
# what the deploy job calls
GET  /rest/api/3/myself
GET  /rest/api/3/issue/ENG-1    # read the ticket
POST /rest/api/3/issue

POST /rest/api/3/issue/ENG-1/comment
EOT
rc=0; "$ATLDIAG" scopes --calls "$D/calls" --json >"$D/out" 2>"$D/err" || rc=$?
p_check "calls plan exits 0" [ "$rc" = 0 ]
p_check "calls plan: smallest classic set, lines kept" p_json "$D/out" \
    'd["classic"]["scopes"] == ["read:jira-user", "read:jira-work", "write:jira-work"] and d["exact"] is True and [c["line"] for c in d["calls"]] == [2, 3, 4, 6] and d["granular"]["possible"] is True and "write:comment:jira" in d["granular"]["scopes"]'
printf 'GET /rest/api/3/myself\nGET\n' >"$D/bad"
rc=0; "$ATLDIAG" scopes --calls "$D/bad" >"$D/out" 2>"$D/err" || rc=$?
p_check "bad calls line exits 2 naming the line" sh -c "[ $rc = 2 ] && grep -q 'line 2' '$D/err'"
p_done
