#!/bin/sh
# tests/serve/valgrind.sh: `atldiag serve` under valgrind: requests of every kind, some at once, then SIGTERM: no invalid access, no definite leak, exit 0.
# PCRE2's JIT reads past the subject in 16-byte blocks from code of no
# object file: those reports alone are suppressed (as in tests/live/valgrind.sh).
: "${top_srcdir:?}" "${ATLDIAG:?}"
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/serve/lib.sh"
command -v valgrind >/dev/null 2>&1 || { echo "skip: no valgrind"; exit 77; }
command -v curl >/dev/null 2>&1 || { echo "skip: no curl"; exit 77; }
dir="$top_srcdir/fixtures/transcripts"
cat >"$T_DIR/jit.supp" <<'SUPP'
{
   pcre2-jit-simd-overread
   Memcheck:Addr16
   obj:???
}
{
   pcre2-jit-undefined-tail
   Memcheck:Cond
   obj:???
}
SUPP
real=$ATLDIAG
cat >"$T_DIR/vg" <<WRAP
#!/bin/sh
exec valgrind -q --suppressions="$T_DIR/jit.supp" --leak-check=full \
    --errors-for-leak-kinds=definite --error-exitcode=9 --num-callers=30 \
    --log-file="$T_DIR/vg.log" "$real" "\$@"
WRAP
chmod +x "$T_DIR/vg"
ATLDIAG=$T_DIR/vg
s_start
for f in raw-captcha-401-seraph-failed.http har-secrets-everywhere.har trace-captcha.txt; do
	code=$(s_post "$T_DIR/o" <"$dir/$f")
	[ "$code" = 200 ] && t_ok "POST $f" || t_fail "POST $f" "HTTP $code"
done
code=$(s_post "$T_DIR/o" format=markdown <"$dir/raw-xsrf.http")
[ "$code" = 200 ] && t_ok "markdown" || t_fail "markdown" "HTTP $code"
for f in raw-secrets-everywhere.http har-secrets-everywhere.har; do
	code=$(s_post "$T_DIR/o" format=har <"$dir/$f")
	[ "$code" = 200 ] && t_ok "har $f" || t_fail "har $f" "HTTP $code"
done
code=$(printf 'junk' | s_post "$T_DIR/o")
[ "$code" = 422 ] && t_ok "unreadable" || t_fail "unreadable" "HTTP $code"
code=$(curl -s -o /dev/null -w '%{http_code}' "$S_BASE/")
[ "$code" = 403 ] && t_ok "no token" || t_fail "no token" "HTTP $code"
code=$(curl -s -o /dev/null -w '%{http_code}' "$S_URL")
[ "$code" = 200 ] && t_ok "page" || t_fail "page" "HTTP $code"
pids=
for f in raw-xsrf.http curl-scope-mismatch.txt raw-ip-allowlist.http text-requests-401.txt; do
	(s_post "$T_DIR/c.$f" <"$dir/$f" >"$T_DIR/code.$f") &
	pids="$pids $!"
done
for p in $pids; do wait "$p" || true; done
for f in raw-xsrf.http curl-scope-mismatch.txt raw-ip-allowlist.http text-requests-401.txt; do
	[ "$(cat "$T_DIR/code.$f")" = 200 ] && t_ok "concurrent $f" || t_fail "concurrent $f" "HTTP $(cat "$T_DIR/code.$f")"
done
s_stop
if [ "$S_RC" = 0 ] && ! [ -s "$T_DIR/vg.log" ]; then
	t_ok "valgrind clean, exit 0"
else
	t_fail "valgrind" "exit $S_RC: $(head -c 3000 "$T_DIR/vg.log")"
fi
t_done
