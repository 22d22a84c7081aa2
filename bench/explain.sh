#!/bin/sh
# bench/explain.sh: explain on a ~100 MB HAR with thousands of entries: time relative to jq reading it, peak memory relative to the file size.
#        bench/explain.sh credentials [N]: HARs of N/10 and N entries (default 10000), each with its own
#        Authorization: time and memory ratios (linear in distinct credentials: both near 10).
# Usage: bench/explain.sh [SIZE_MB]   (ATLDIAG: the binary; default ./atldiag)
ATLDIAG=${ATLDIAG:-./atldiag}
PY=${PYTHON3:-python3}
for t in "$PY" jq /usr/bin/time; do
	command -v "$t" >/dev/null 2>&1 || { echo "bench/explain.sh: needs $t" >&2; exit 77; }
done
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

# A HAR of $2 entries, each a failed call with its own Basic credential.
credentials_har() {	# path entries
	"$PY" - "$1" "$2" <<'PYEOF'
import base64, json, random, sys
path, n = sys.argv[1], int(sys.argv[2])
random.seed(2)
abc = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
def entry(i):
    tok = "ATATT3x" + "".join(random.choice(abc) for _ in range(176)) + "=%08X" % i
    auth = "Basic " + base64.b64encode(("user%d@example.com:%s" % (i, tok)).encode()).decode()
    body = "Client must be authenticated to access this resource."
    return {"startedDateTime": "2026-11-28T12:00:00Z", "time": 10,
            "request": {"method": "GET", "url": "https://acme.atlassian.net/rest/api/3/issue/ABC-%d" % i,
                        "httpVersion": "HTTP/2", "headers": [{"name": "authorization", "value": auth}],
                        "queryString": [], "cookies": [], "headersSize": -1, "bodySize": 0},
            "response": {"status": 401, "statusText": "", "httpVersion": "HTTP/2",
                         "headers": [{"name": "content-type", "value": "text/plain"}], "cookies": [],
                         "content": {"size": len(body), "mimeType": "text/plain", "text": body},
                         "redirectURL": "", "headersSize": -1, "bodySize": len(body)},
            "cache": {}, "timings": {"send": 0, "wait": 9, "receive": 1}}
with open(path, "w") as f:
    json.dump({"log": {"version": "1.2", "creator": {"name": "bench", "version": "1"}, "pages": [],
                       "entries": [entry(i) for i in range(n)]}}, f)
PYEOF
}

if [ "${1:-}" = credentials ]; then
	n=${2:-10000}
	small=$((n / 10))
	credentials_har "$tmp/small.har" "$small"
	credentials_har "$tmp/big.har" "$n"
	/usr/bin/time -f '%e %M' -o "$tmp/ts" "$ATLDIAG" explain --json "$tmp/small.har" >"$tmp/small.out" 2>/dev/null
	/usr/bin/time -f '%e %M' -o "$tmp/tb" "$ATLDIAG" explain --json "$tmp/big.har" >"$tmp/big.out" 2>/dev/null
	grep -q '"primary"' "$tmp/big.out" || { echo "bench/explain.sh: explain gave no report" >&2; exit 1; }
	if grep -q 'ATATT3x' "$tmp/big.out"; then echo "bench/explain.sh: a token leaked" >&2; exit 1; fi
	read -r st sm <<EOF2
$(tail -n 1 "$tmp/ts")
EOF2
	read -r bt bm <<EOF2
$(tail -n 1 "$tmp/tb")
EOF2
	awk -v n="$n" -v s="$small" -v st="$st" -v sm="$sm" -v bt="$bt" -v bm="$bm" 'BEGIN {
		printf "distinct credentials: %d vs %d (x%.0f)\n", n, s, n / s
		printf "time:   %.2fs vs %.2fs: ratio %.1f (linear: %.0f)\n", bt, st, (st > 0 ? bt / st : 0), n / s
		printf "memory: %.1f MB vs %.1f MB: ratio %.1f\n", bm / 1024, sm / 1024, (sm > 0 ? bm / sm : 0)
	}'
	exit 0
fi

mb=${1:-100}
har=$tmp/big.har
"$PY" - "$har" "$mb" <<'PYEOF'
import base64, json, random, sys
path, mb = sys.argv[1], int(sys.argv[2])
random.seed(1)
auth = "Basic " + base64.b64encode(b"jane.doe@example.com:ATATT3xFfGF0benchbenchbenchbench=0123ABCD").decode()
filler = "".join(random.choice("abcdefghijklmnopqrstuvwxyz ") for _ in range(20000))
def entry(i):
    fail = i % 10 == 0
    status = [401, 404, 403][i // 10 % 3] if fail else 200
    rh = [{"name": "x-seraph-loginreason", "value": "AUTHENTICATED_FAILED"}] if status == 404 else []
    body = '{"errorMessages":["Issue does not exist or you do not have permission to see it."],"errors":{}}' if status == 404 \
        else ("Client must be authenticated to access this resource." if status == 401 else \
        ('{"message":"Current user not permitted to use Confluence","statusCode":403}' if status == 403 else
         json.dumps({"id": i, "description": filler[: 5000 + (i * 7919) % 15000]})))
    path = "/wiki/rest/api/user/current" if status == 403 else "/rest/api/3/issue/ABC-%d" % i
    return {"startedDateTime": "2026-11-28T12:00:00Z", "time": 10,
            "request": {"method": "GET", "url": "https://acme.atlassian.net" + path, "httpVersion": "HTTP/2",
                        "headers": [{"name": "authorization", "value": auth}, {"name": "accept", "value": "application/json"}],
                        "queryString": [], "cookies": [], "headersSize": -1, "bodySize": 0},
            "response": {"status": status, "statusText": "", "httpVersion": "HTTP/2",
                         "headers": [{"name": "content-type", "value": "application/json"}] + rh, "cookies": [],
                         "content": {"size": len(body), "mimeType": "application/json", "text": body},
                         "redirectURL": "", "headersSize": -1, "bodySize": len(body)},
            "cache": {}, "timings": {"send": 0, "wait": 9, "receive": 1}}
with open(path, "w") as f:
    f.write('{"log": {"version": "1.2", "creator": {"name": "bench", "version": "1"}, "pages": [], "entries": [\n')
    i, size = 0, 0
    while size < mb * 1024 * 1024:
        s = (",\n" if i else "") + json.dumps(entry(i))
        f.write(s); size += len(s); i += 1
    f.write("\n]}}\n")
PYEOF
size=$(wc -c <"$har")

# best of 3 wall times (seconds), peak RSS (KiB) of the last run
measure() {	# out-prefix command...
	p=$1; shift
	best=
	for i in 1 2 3; do
		/usr/bin/time -f '%e %M' -o "$tmp/t" "$@" >"$tmp/$p.out" 2>/dev/null
		tail -n 1 "$tmp/t" >"$tmp/t1"
		read -r e m <"$tmp/t1"
		if [ -z "$best" ] || awk "BEGIN{exit !($e < $best)}"; then best=$e; fi
	done
	echo "$best $m"
}
set -- $(measure jq jq '.log.entries | length' "$har"); jq_t=$1; jq_m=$2
set -- $(measure ex "$ATLDIAG" explain --json "$har"); ex_t=$1; ex_m=$2
entries=$(cat "$tmp/jq.out")
grep -q '"primary"' "$tmp/ex.out" || { echo "bench/explain.sh: explain gave no report" >&2; exit 1; }
awk -v s="$size" -v n="$entries" -v jt="$jq_t" -v jm="$jq_m" -v et="$ex_t" -v em="$ex_m" 'BEGIN {
	printf "HAR: %.1f MB, %d entries\n", s / 1048576, n
	printf "time:   explain %.2fs, jq %.2fs: explain/jq = %.2f\n", et, jt, (jt > 0 ? et / jt : 0)
	printf "memory: explain peak %.1f MB = %.2f x file size (jq: %.2f x)\n", em / 1024, em * 1024 / s, jm * 1024 / s
}'
