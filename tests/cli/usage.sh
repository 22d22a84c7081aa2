#!/bin/sh
# tests/cli/usage.sh: bad flags, unreadable files and absurd inputs get a clear
# error and exit 2 (JSON with --json); --help, --version and rules work.
. "$top_srcdir/tests/lib/common.sh"

t_run "--version" 0 "$ATLDIAG" --version
t_grep "version names the tool" "atldiag " "$T_DIR/out"
t_run "--help" 0 "$ATLDIAG" --help
t_grep "help lists commands" "explain" "$T_DIR/out"
t_run "no command" 2 "$ATLDIAG"
t_grep "no command says so" "no command given" "$T_DIR/err"
t_run "unknown command" 2 "$ATLDIAG" frobnicate
t_grep "unknown command named" "unknown command 'frobnicate'" "$T_DIR/err"
t_run "unknown flag" 2 "$ATLDIAG" lint --frob
t_grep "unknown flag named" "'--frob'" "$T_DIR/err"
t_run "missing flag value" 2 "$ATLDIAG" lint --site
t_run "bad format" 2 "$ATLDIAG" lint --format yaml
t_grep "bad format named" "unknown format 'yaml'" "$T_DIR/err"
t_run "bad timeout" 2 "$ATLDIAG" check --timeout 0
t_run "bad --expires" 2 "$ATLDIAG" check --expires 2026-13-40
t_grep "bad --expires named" "option '--expires' needs a date" "$T_DIR/err"
t_run "bad --warn-expiry-days" 2 "$ATLDIAG" check --warn-expiry-days -3
t_run "bad --input-format" 2 "$ATLDIAG" explain --input-format pdf -
t_run "empty --project" 2 "$ATLDIAG" check --project ''
t_run "two token sources" 2 "$ATLDIAG" lint --token x --token-file /dev/null

# With --json a usage error is still one valid JSON document.
t_run "usage error as JSON" 2 "$ATLDIAG" lint --json --frob
cp "$T_DIR/out" "$T_DIR/usage.json"
t_json "JSON error verdict" "$T_DIR/usage.json" .verdict error
t_json "JSON error exit code" "$T_DIR/usage.json" .exit_code 2
t_json_valid "JSON error validates" "$T_DIR/usage.json"

# Pipelines reading JUnit or annotations still get a document.
t_run "usage error as JUnit" 2 "$ATLDIAG" lint --format junit --frob
if xmllint --noout "$T_DIR/out" 2>/dev/null && grep -q '<error message="unknown option' "$T_DIR/out"; then
	t_ok "JUnit error document is well-formed"; else t_fail "JUnit error" "$(head -c 300 "$T_DIR/out")"; fi
t_run "usage error as GitHub annotation" 2 "$ATLDIAG" lint --format github --frob
t_grep "GitHub error annotation" "::error title=atldiag error::unknown option" "$T_DIR/out"
ATLDIAG_NOW=2026-01-02T03:04:05Z "$ATLDIAG" lint --json > "$T_DIR/now.json" 2>/dev/null
t_json "ATLDIAG_NOW in RFC 3339" "$T_DIR/now.json" .generated_at 2026-01-02T03:04:05Z

# Files: unreadable, a directory, too large, binary junk.
t_run "missing token file" 2 "$ATLDIAG" lint --token-file /nonexistent/tok
t_grep "missing token file named" "cannot read token file '/nonexistent/tok'" "$T_DIR/err"
t_run "token file is a directory" 2 "$ATLDIAG" lint --token-file /tmp
head -c 10485760 /dev/zero | tr '\0' 'A' > "$T_DIR/huge"
t_run "10 MB token file" 2 "$ATLDIAG" lint --token-file "$T_DIR/huge"
t_grep "10 MB token explained" "an API token is under 300 characters" "$T_DIR/err"
head -c 4096 /dev/urandom > "$T_DIR/junk"
t_run "binary junk token is diagnosed, not a crash" 1 "$ATLDIAG" lint \
    --site acme.atlassian.net --email a@b.example --token-file "$T_DIR/junk"
printf '' > "$T_DIR/empty"
t_run "empty token file" 0 "$ATLDIAG" lint --site acme.atlassian.net \
    --email a@b.example --token-file "$T_DIR/empty"
t_run "empty strings everywhere" 0 "$ATLDIAG" lint --site '' --email '' \
    --cloud-id '' --auth-header ''
t_run "output to an unwritable place" 2 "$ATLDIAG" lint --output /nonexistent/dir/report
# "--" ends the options; it once sent the parser back to earlier words
# forever (timeout only guards the suite against that hang).
t_run "'--' then two files" 2 timeout 60 "$ATLDIAG" explain x -- y
t_grep "'--': both words are arguments" "got 2 arguments" "$T_DIR/err"
t_run "'--' before the command" 0 timeout 60 "$ATLDIAG" -- rules
t_run "'--' then an option-like argument" 2 timeout 60 "$ATLDIAG" check -- --json
t_grep "'--': an option after it is an argument" "got '--json'" "$T_DIR/err"

# Rules: a bad --rules directory is a usage error naming the file.
mkdir -p "$T_DIR/rules"
for f in plan diagnoses responses scopes; do
	cp "$top_srcdir/rules/$f.json" "$T_DIR/rules/"
done
printf '{"schema":"atldiag.plan/1","checks":[{"id":"nope","commands":["lint"]}]}' \
    > "$T_DIR/rules/plan.json"
t_run "bad rules dir" 2 "$ATLDIAG" lint --rules "$T_DIR/rules"
t_grep "bad rules named" "plan.json: checks[0] ('nope')" "$T_DIR/err"
cp "$top_srcdir/rules/plan.json" "$T_DIR/rules/"
sed '0,/"refines": \[/s//"refines": ["auth.nope",/' \
    "$top_srcdir/rules/diagnoses.json" >"$T_DIR/rules/diagnoses.json"
t_run "rules dir with a bad refines" 2 "$ATLDIAG" lint --rules "$T_DIR/rules"
t_grep "bad refines named" "diagnoses.json: diagnoses[1] ('input.email_missing'): refines unknown code 'auth.nope'" "$T_DIR/err"
t_run "missing rules dir" 2 "$ATLDIAG" rules --rules /nonexistent
t_run "rules lists checks" 0 "$ATLDIAG" rules
t_grep "rules lists input.token" "input.token" "$T_DIR/out"
t_grep "rules lists contract codes" "routing.scoped_token_on_site" "$T_DIR/out"
t_run "rules as JSON" 0 "$ATLDIAG" rules --json
t_json "rules JSON schema" "$T_DIR/out" .schema atldiag.rules/1
t_run "unknown permission (can-i)" 2 "$ATLDIAG" can-i CREATE_ISSUE --project ENG --site acme
t_grep "nearest permission named" "did you mean CREATE_ISSUES?" "$T_DIR/err"
t_run "unknown --need-permission" 2 "$ATLDIAG" check --need-permission BROWSE_PROJECTS,EDIT_ISUES --project ENG --site acme
t_grep "nearest --need-permission named" "unknown permission 'EDIT_ISUES' (did you mean EDIT_ISSUES?)" "$T_DIR/err"
t_done
