#!/bin/sh
# fuzz/run.sh: run every fuzz target (transcript parsers, scrubber) for SECONDS each (default 30), seeded from fixtures/transcripts.
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
exit $rc
