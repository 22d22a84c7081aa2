#!/bin/sh
# mockcloud: every scenario loads; bad scenario files fail with an error naming the file and field.
. "$top_srcdir/tests/mockcloud/common.sh"

SCOPES=$top_srcdir/rules/scopes.json
T=$(mktemp -d "${TMPDIR:-/tmp}/mcscen.XXXXXX")
trap 'rm -rf "$T"' EXIT

for f in "$top_srcdir"/fixtures/scenarios/*.json; do
	WHAT=$f
	CHECKS=$((CHECKS + 1))
	"$MOCKCLOUD" --check --scenario "$f" --scopes "$SCOPES" 2>"$T/err" ||
	    fail "does not load: $(cat "$T/err")"
	jq -e '(.name | type == "string") and (.expect | type == "array") and (.client | type == "object") and (.description | length > 0)' "$f" >/dev/null ||
	    fail "needs name, description, expect and client"
done

# Every token in the scenarios is well formed (what atldiag's offline check sees).
CHECKS=$((CHECKS + 1))
jq -r '.tokens[].secret' "$top_srcdir"/fixtures/scenarios/*.json | sort -u |
python3 -c '
import sys, zlib, hashlib
bad = 0
for t in sys.stdin.read().split():
    if len(t) == 192 and t[:5] in ("ATATT", "ATSTT", "ATCTT"):
        ok = t[183] == "=" and "%08X" % zlib.crc32(t[:184].encode()) == t[184:]
    elif len(t) == 24:
        ok = hashlib.md5(t[:20].encode()).hexdigest()[:4] == t[20:]
    elif t.startswith("eyJ"):
        ok = True
    else:
        ok = False
    if not ok:
        print("malformed token:", t[:12] + "...")
        bad += 1
sys.exit(1 if bad else 0)' || fail "a scenario token is malformed"

# Regenerating the scenarios gives the committed files.
WHAT="gen-scenarios.py is in sync"
CHECKS=$((CHECKS + 1))
mkdir "$T/gen"
python3 "$top_srcdir/fixtures/mockcloud/gen-scenarios.py" "$T/gen" &&
    diff -r "$T/gen" "$top_srcdir/fixtures/scenarios" >"$T/diff" ||
    fail "fixtures/scenarios differ from gen-scenarios.py output: $(head -20 "$T/diff")"

# bad NAME JQ-EDIT FIELD-IN-MESSAGE
bad() {
	WHAT="bad scenario: $1"
	CHECKS=$((CHECKS + 1))
	jq "$2" "$top_srcdir/fixtures/scenarios/healthy-human.json" >"$T/$1.json" || { fail "jq"; return; }
	"$MOCKCLOUD" --check --scenario "$T/$1.json" --scopes "$SCOPES" 2>"$T/err"
	rc=$?
	[ $rc = 2 ] || fail "exit $rc, want 2"
	grep -qF "$T/$1.json" "$T/err" || fail "error does not name the file: $(cat "$T/err")"
	grep -qF "$3" "$T/err" || fail "error does not name '$3': $(cat "$T/err")"
}
bad no-sites 'del(.sites)' "field 'sites'"
bad cloud-id '.sites[0].cloud_id = "7C1E4B2A-9D3F-4E6A-B8C5-1F2E3D4C5B6A"' "field 'sites[0].cloud_id'"
bad unknown-field '.accounts[1].emial = "x"' "field 'accounts[1].emial': unknown field"
bad owner '.tokens[0].owner = "nobody"' "field 'tokens[0].owner'"
bad time '.tokens[0].expires = "next tuesday"' "field 'tokens[0].expires'"
bad kind '.tokens[2].kind = "magic"' "field 'tokens[2].kind'"
bad type '.accounts[0].active = "yes"' "field 'accounts[0].active': expected true or false"
bad role '.projects[0].permissions.EDIT_ISSUES.roles = ["Nobody"]' "field 'projects[0].permissions.EDIT_ISSUES.roles[0]'"
bad issue '.issues[0].project = "NOPE"' "field 'issues[0].project'"
bad rate '.faults = [{"error_rate": 2}]' "field 'faults[0].error_rate'"
bad status '.faults = [{"error_rate": 1, "error_status": 404}]' "field 'faults[0].error_status'"
bad cidr '.organizations[0].ip_allowlist = ["300.1.2.3/8"]' "field 'organizations[0].ip_allowlist[0]'"
bad dup '.tokens[1].secret = .tokens[0].secret' "field 'tokens[1]': duplicate"
bad param '.params = {"gateway_non_ex": "maybe"}' "field 'params.gateway_non_ex'"
bad product '.accounts[0].products = ["bitbucket"]' "field 'accounts[0].products'"
bad scopes-classic '.tokens[0].scopes = ["read:jira-work"]' "field 'tokens[0].scopes'"

WHAT="not JSON"
CHECKS=$((CHECKS + 1))
printf '{"name": ' >"$T/trunc.json"
"$MOCKCLOUD" --check --scenario "$T/trunc.json" --scopes "$SCOPES" 2>"$T/err"
[ $? = 2 ] && grep -qF "$T/trunc.json" "$T/err" || fail "$(cat "$T/err")"
WHAT="missing file"
CHECKS=$((CHECKS + 1))
"$MOCKCLOUD" --check --scenario "$T/nope.json" --scopes "$SCOPES" 2>"$T/err"
[ $? = 2 ] && grep -qF "$T/nope.json" "$T/err" || fail "$(cat "$T/err")"
WHAT="bad scopes file"
CHECKS=$((CHECKS + 1))
echo '{"operations": 3}' >"$T/scopes.json"
"$MOCKCLOUD" --check --scenario "$top_srcdir/fixtures/scenarios/healthy-human.json" --scopes "$T/scopes.json" 2>"$T/err"
[ $? = 2 ] && grep -qF "field 'operations'" "$T/err" || fail "$(cat "$T/err")"
WHAT="usage"
CHECKS=$((CHECKS + 1))
"$MOCKCLOUD" --bogus 2>/dev/null
[ $? = 2 ] || fail "bad flag does not exit 2"
finish
