#!/bin/sh
# bench/explain.sh: explain on a ~100 MB HAR with thousands of entries: time relative to jq reading it, peak memory relative to the file size.
# Usage: bench/explain.sh [SIZE_MB]   (ATLDIAG: the binary; default ./atldiag)
ATLDIAG=${ATLDIAG:-./atldiag}
mb=${1:-100}
PY=${PYTHON3:-python3}
for t in "$PY" jq /usr/bin/time; do
	command -v "$t" >/dev/null 2>&1 || { echo "bench/explain.sh: needs $t" >&2; exit 77; }
done
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
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
