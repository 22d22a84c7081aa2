#!/bin/bash
# tests/cli/completion.sh: `atldiag completion bash|zsh`: the bash script,
# sourced, completes commands, options, values, scopes and permissions
# (COMPREPLY as bash would fill it); every word it offers is one atldiag
# accepts; the zsh script parses (zsh -n) when zsh is installed.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$top_srcdir/tests/lib/common.sh"

t_run "completion bash" 0 "$ATLDIAG" completion bash
cp "$T_DIR/out" "$T_DIR/atldiag.bash"
t_run "completion zsh" 0 "$ATLDIAG" completion zsh
cp "$T_DIR/out" "$T_DIR/_atldiag"
t_run "completion without a shell is a usage error" 2 "$ATLDIAG" completion
t_run "completion fish is a usage error" 2 "$ATLDIAG" completion fish
t_grep "the error names the shells" "bash or zsh" "$T_DIR/err"

# shellcheck disable=SC1091
. "$T_DIR/atldiag.bash"
if [ "$(complete -p atldiag 2>/dev/null)" = "complete -F _atldiag atldiag" ]; then
	t_ok "sourcing registers _atldiag for atldiag"
else
	t_fail "sourcing registers _atldiag for atldiag" "$(complete -p atldiag 2>&1)"
fi

# tab LINE: what bash would offer for LINE with the cursor at its end, one
# word a line, sorted, in $T_DIR/reply. COMP_WORDBREAKS is bash's default.
tab() {
	COMP_LINE=$1
	COMP_POINT=${#1}
	COMP_WORDBREAKS=$' \t\n"'"'"'><=;|&(:'
	COMPREPLY=()
	_atldiag
	printf '%s\n' "${COMPREPLY[@]}" | sed '/^$/d' | sort >"$T_DIR/reply"
}

# expect NAME LINE WANT...: the completions of LINE are exactly WANT.
expect() {
	local name=$1 line=$2 got want
	shift 2
	tab "$line"
	got=$(tr '\n' ' ' <"$T_DIR/reply")
	want=
	[ $# = 0 ] || want=$(printf '%s\n' "$@" | sort | tr '\n' ' ')
	if [ "$got" = "$want" ]; then
		t_ok "$name"
	else
		t_fail "$name" "'$line<TAB>' gives '$got', want '$want'"
	fi
}

expect "atldiag ch<TAB> is check" "atldiag ch" check
expect "atldiag c<TAB>: every command starting with c" "atldiag c" \
    can-i check completion
expect "check --ne<TAB>: --need-scope, --need-permission, --netrc-file" \
    "atldiag check --ne" --need-permission --need-scope --netrc-file
expect "--format <TAB>: the five formats" "atldiag check --format " \
    github json junit markdown text
expect "--format=j<TAB>: after '=', as bash replaces the word" \
    "atldiag lint --format=j" json junit
expect "--need-scope read:jira-w<TAB>: after ':', as bash replaces the word" \
    "atldiag check --need-scope read:jira-w" jira-work
expect "the last scope of a comma-separated list" \
    "atldiag check --need-scope read:jira-user,write:jira-w" jira-work
expect "--need-permission CREATE_ISS<TAB>" \
    "atldiag check --need-permission BROWSE_PROJECTS,CREATE_ISS" \
    BROWSE_PROJECTS,CREATE_ISSUES
expect "can-i's argument is a permission" "atldiag can-i ADMINISTER_PRO" \
    ADMINISTER_PROJECTS
expect "--product <TAB>" "atldiag lint --product " confluence jira
expect "a value option before the command is skipped" \
    "atldiag --site acme.atlassian.net ch" check
expect "a flag before the command is not" "atldiag -q ru" rules
expect "scopes METHOD" "atldiag scopes PA" PATCH
expect "completion's argument is a shell" "atldiag completion " bash zsh
expect "free text (--site) offers nothing" "atldiag check --site "
expect "request's URL offers nothing" "atldiag request GET "
expect "file values complete file names" \
    "atldiag explain $top_srcdir/fixtures/transcripts/curl-scoped-service-account-on-s" \
    "$top_srcdir/fixtures/transcripts/curl-scoped-service-account-on-site.txt"
expect "--token-file= completes a file after '='" \
    "atldiag lint --token-file=$top_srcdir/fixtures/examples/broken-setup.en" \
    "$top_srcdir/fixtures/examples/broken-setup.env"

# Every command the help text lists is offered, and nothing else.
"$ATLDIAG" --help | sed -n '/^Commands:/,/^$/s/^  \([a-z-][a-z-]*\) .*/\1/p' |
    sort >"$T_DIR/help-commands"
tab "atldiag "
if cmp -s "$T_DIR/help-commands" "$T_DIR/reply"; then
	t_ok "the commands offered are those of --help"
else
	t_fail "the commands offered are those of --help" \
	    "$(diff "$T_DIR/help-commands" "$T_DIR/reply" | tr '\n' ' ')"
fi

# Every option offered is one the parser takes (no "unknown option"); no
# request leaves: every connection goes to port 1.
tab "atldiag check -"
bad=
while read -r opt; do
	"$ATLDIAG" check --connect-to :443:127.0.0.1:1 --connect-to :80:127.0.0.1:1 \
	    --timeout 1 "$opt" >/dev/null 2>"$T_DIR/opt-err" </dev/null
	grep -q "unknown option" "$T_DIR/opt-err" && bad="$bad $opt"
done <"$T_DIR/reply"
if [ -z "$bad" ] && [ -s "$T_DIR/reply" ]; then
	t_ok "every option offered is known ($(wc -l <"$T_DIR/reply") words)"
else
	t_fail "every option offered is known" "unknown:$bad"
fi

# Every fixed value offered is accepted (exit 0 from rules).
for opt in --format --color; do
	tab "atldiag rules $opt "
	while read -r v; do
		t_run "rules $opt $v is accepted" 0 "$ATLDIAG" rules "$opt" "$v"
	done <"$T_DIR/reply"
done

# Every scope and every permission offered is one atldiag knows: the whole
# lists at once (no request leaves: every connection goes to port 1).
tab "atldiag check --need-scope "
scopes=$(paste -sd, "$T_DIR/reply")
tab "atldiag check --need-permission "
perms=$(paste -sd, "$T_DIR/reply")
if [ "$(printf '%s' "$scopes" | tr ',' '\n' | wc -l)" -gt 100 ]; then
	t_ok "the scope catalogue is offered"
else
	t_fail "the scope catalogue is offered" "$scopes"
fi
t_run "every scope offered is known" 1 "$ATLDIAG" check -q \
    --need-scope "$scopes" --connect-to :443:127.0.0.1:1 --timeout 2
t_run "every permission offered is known" 1 "$ATLDIAG" can-i -q "$perms" \
    --project PAY --connect-to :443:127.0.0.1:1 --timeout 2
t_run "an unknown scope still is not" 2 "$ATLDIAG" check -q \
    --need-scope "$scopes,read:jira-wrok" --connect-to :443:127.0.0.1:1 --timeout 2

if command -v zsh >/dev/null 2>&1; then
	if zsh -n "$T_DIR/_atldiag" 2>"$T_DIR/zsh-err"; then
		t_ok "zsh -n accepts the zsh script"
	else
		t_fail "zsh -n accepts the zsh script" "$(head -c 400 "$T_DIR/zsh-err")"
	fi
else
	echo "skip: zsh is not installed (zsh -n)"
fi
t_grep "the zsh script is a #compdef file" "#compdef atldiag" "$T_DIR/_atldiag"
t_grep "zsh completes scopes from the catalogue" "read:jira-work" "$T_DIR/_atldiag"
t_done
