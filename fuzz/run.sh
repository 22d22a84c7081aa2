#!/bin/sh
# fuzz/run.sh: run every fuzz target for SECONDS each (default 30): the transcript
# parsers, the scrubber and serve's request handler seeded from
# fixtures/transcripts, the command-line parser from a few command lines
# (one word per line).
# Usage (from the build directory): make fuzz && sh $top_srcdir/fuzz/run.sh [SECONDS]
secs=${1:-30}
src=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
rc=0
for t in har curl raw text scrub; do
	bin=./fuzz/fuzz_$t
	[ -x "$bin" ] || { echo "fuzz/run.sh: '$bin' not built: run 'make fuzz'" >&2; exit 2; }
	mkdir -p "$tmp/$t"
	cp "$src"/fixtures/transcripts/* "$tmp/$t/"
	# Inputs that once crashed a parser run first, every time.
	cp "$src"/fuzz/regressions/* "$tmp/$t/" 2>/dev/null || true
	rm -f "$tmp/$t/secrets.txt"
	if [ "$t" = scrub ]; then
		# one length-prefixed secret, then text that embeds it
		tok=ATATT3xFfGF0benchbenchbenchbench=0123ABCD
		printf '\051%s{"a":"%s","b":"%.20s"}' "$tok" "$tok" "$tok" >"$tmp/$t/seed-token"
		printf '\031me@example.com:s3cret-pw1 -u me@example.com:s3cret-pw1' >"$tmp/$t/seed-pair"
	fi
	echo "fuzzing $t for ${secs}s"
	"$bin" -max_total_time="$secs" -max_len=65536 -rss_limit_mb=1024 \
	    -timeout=10 -print_final_stats=1 "$tmp/$t" >"$tmp/$t.log" 2>&1 || {
		echo "fuzz/run.sh: $t found a problem:" >&2
		tail -40 "$tmp/$t.log" >&2
		rc=1
	}
	grep -E "^stat::number_of_executed_units" "$tmp/$t.log"
done
# The command-line parser: argv words separated by newlines (or NULs).
bin=./fuzz/fuzz_cli
[ -x "$bin" ] || { echo "fuzz/run.sh: '$bin' not built: run 'make fuzz'" >&2; exit 2; }
mkdir -p "$tmp/cli"
printf 'check\n--site\nacme\n--email\nme@example.com\n--token-file\n/dev/null\n--project\nDEMO\n--json\n' >"$tmp/cli/1"
printf 'request\nGET\nhttps://acme.atlassian.net/rest/api/3/myself\n--auth-header=Basic eDp5\n--format=junit\n-qv\n' >"$tmp/cli/2"
printf 'lint\n--token=ATATT3xFfGF0abcdefghijklmnopqrstuvwxyz\n--url\nhttps://a.atlassian.net/x\n--\nx\n' >"$tmp/cli/3"
printf 'batch\n--concurrency\n4\n--per-site=2\n--expires\n2026-01-02\n--cacert\n/nonexistent\n--color=never\n' >"$tmp/cli/4"
printf 'can-i\nBROWSE_PROJECTS\n--issue\nDEMO-1\n--connect-to\n::127.0.0.1:9\n--timeout\n5\n--output\n-\n' >"$tmp/cli/5"
echo "fuzzing cli for ${secs}s"
"$bin" -max_total_time="$secs" -max_len=4096 -rss_limit_mb=1024 \
    -timeout=10 -close_fd_mask=2 -print_final_stats=1 "$tmp/cli" >"$tmp/cli.log" 2>&1 || {
	echo "fuzz/run.sh: cli found a problem:" >&2
	tail -40 "$tmp/cli.log" >&2
	rc=1
}
grep -E "^stat::number_of_executed_units" "$tmp/cli.log"
# serve's request handler: a selector byte (0: POST /api/explain, JSON,
# the right token), then the capture.
bin=./fuzz/fuzz_serve
[ -x "$bin" ] || { echo "fuzz/run.sh: '$bin' not built: run 'make fuzz'" >&2; exit 2; }
mkdir -p "$tmp/serve"
for f in "$src"/fixtures/transcripts/*; do
	case $f in */secrets.txt) continue ;; esac
	{ printf '\000'; cat "$f"; } >"$tmp/serve/$(basename "$f")"
	{ printf '\002'; cat "$f"; } >"$tmp/serve/md-$(basename "$f")"
done
echo "fuzzing serve for ${secs}s"
"$bin" -max_total_time="$secs" -max_len=65536 -rss_limit_mb=2048 \
    -timeout=20 -close_fd_mask=2 -print_final_stats=1 "$tmp/serve" >"$tmp/serve.log" 2>&1 || {
	echo "fuzz/run.sh: serve found a problem:" >&2
	tail -40 "$tmp/serve.log" >&2
	rc=1
}
grep -E "^stat::number_of_executed_units" "$tmp/serve.log"
exit $rc
