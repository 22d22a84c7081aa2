#!/bin/sh
# bench/lint.sh: time of 1,000 `atldiag lint` runs relative to 1,000 runs of
# /bin/true (the cost of starting a process), and of rule loading alone.
# Usage: bench/lint.sh [path/to/atldiag] [runs]
set -eu
bin=${1:-./atldiag}
runs=${2:-1000}
[ -x "$bin" ] || { echo "bench/lint.sh: no binary at '$bin' (build first)" >&2; exit 2; }
tok='ATATT3xFfGF0K3irG5tKKi-6u-wwaXQFeGwZ-IHR-hQ3CulkKtMSuteRQFfLZ6jihHThzZCg_UjnDt-4Wl_gIRf4zrZJs5JqaeuBhsfJ4W5GD6yGg3W7903gbvaxZPBjxIQQ7BgFDSkPS8oPispw4KLz56mdK-G6CIvLO6hHRrZHY0Q3tvJ6JxE=C63992E6'
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '%s\n' "$tok" > "$tmp/token"

now_ns() { date +%s%N; }
loop() {
	i=0
	t0=$(now_ns)
	while [ $i -lt "$runs" ]; do
		"$@" >/dev/null 2>&1 || true
		i=$((i + 1))
	done
	echo $(( ($(now_ns) - t0) / 1000 ))
}
t_true=$(loop /bin/true)
t_version=$(loop "$bin" --version)
t_rules=$(loop "$bin" rules)
t_lint=$(loop "$bin" lint --site http://acme.atlassian.net --email mia@example.com \
    --token-file "$tmp/token" --url https://acme.atlassian.net/rest/api/3/myself --json)
echo "runs:                    $runs"
echo "/bin/true:               $((t_true / runs)) us per run"
echo "atldiag --version:       $((t_version / runs)) us per run (start-up: loading libcurl & co)"
echo "atldiag rules:           $((t_rules / runs)) us per run (rule loading + listing)"
echo "atldiag lint --json:     $((t_lint / runs)) us per run"
awk -v l="$t_lint" -v t="$t_true" -v r="$t_rules" -v v="$t_version" 'BEGIN {
	printf "ratio lint / true:       %.2f\n", l / t
	printf "ratio lint / --version:  %.2f (the binary'"'"'s own start-up floor)\n", l / v
	printf "rule loading share:      %.0f%% of a lint run\n", 100 * (r - v) / (l > 0 ? l : 1)
}'
