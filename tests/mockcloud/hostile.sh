#!/bin/sh
# mockcloud: malformed and hostile requests on loopback (bounded count and time) never crash it.
. "$top_srcdir/tests/mockcloud/common.sh"
PY=${PYTHON3:-python3}
command -v "$PY" >/dev/null 2>&1 || { echo "SKIP: python3 not found"; exit 77; }

mc_start healthy-human || exit 1
TOKEN=$(mc_client token)
EMAIL=$(mc_client email)

CHECKS=$((CHECKS + 1))
WHAT="fuzz"
timeout 600 "$PY" - "$MC_HTTPS_PORT" "$MC_HTTP_PORT" "$MC_CACERT" "$EMAIL" "$TOKEN" <<'PYEOF' || fail "fuzzer reported a problem"
import base64, os, random, socket, ssl, sys, time

https_port, http_port, cacert, email, token = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
rnd = random.Random(20261128)
ctx = ssl.create_default_context(cafile=cacert)

def conn(tls, wait=3):
    s = socket.create_connection(("127.0.0.1", https_port if tls else http_port), timeout=wait)
    if tls:
        s = ctx.wrap_socket(s, server_hostname="acme.atlassian.net")
    return s

# send: one connection; the answer (b"" after `wait` s of silence). Only
# the answers that are checked wait long: a busy machine must not fail them.
def send(data, tls=True, read=True, wait=0.3):
    try:
        s = conn(tls, max(wait, 3))
    except (OSError, ssl.SSLError):
        return b"connect-failed"
    try:
        s.sendall(data)
        s.settimeout(wait)
        if not read:
            return b""
        out = b""
        while len(out) < 65536:
            b = s.recv(65536)
            if not b:
                break
            out += b
        return out
    except (OSError, ssl.SSLError, socket.timeout):
        return b""
    finally:
        try:
            s.close()
        except OSError:
            pass

def basic(v):
    return b"Authorization: Basic " + base64.b64encode(v) + b"\r\n"

auths = [b"", basic(b""), basic(b":"), basic(b"\x00\x00:\x00"), basic(email.encode() + b":" + token.encode() + b"\n"),
         basic(b"a" * 5000 + b":" + b"b" * 5000), b"Authorization: Basic ====\r\n", b"Authorization: Basic\r\n",
         b"Authorization: Bearer\r\n", b"Authorization: Bearer " + b"x" * 20000 + b"\r\n", b"Authorization: Digest foo\r\n",
         b"Authorization: " + bytes(rnd.randrange(1, 256) for _ in range(64)).replace(b"\r", b"").replace(b"\n", b"") + b"\r\n",
         basic(email.encode() + b":" + token.encode()) * 3]
paths = [b"/", b"/rest/api/3/myself", b"/rest/api/3/project/%00", b"/rest/api/3/project/ENG/role/99999999999999999999",
         b"/rest/api/3/issue/" + b"A" * 4000, b"/rest/api/3/mypermissions?permissions=" + b",".join([b"X"] * 2000),
         b"/rest/api/3/mypermissions?permissions=%zz&projectKey=%", b"/rest/api/3/user/groups?accountId=%E2%80",
         b"/wiki/api/v2/spaces?keys=" + b"," * 3000, b"/ex/jira/" + b"/" * 100, b"/ex/", b"/ex/jira",
         b"/ex/confluence/7c1e4b2a-9d3f-4e6a-b8c5-1f2e3d4c5b6a", b"/admin/v1/orgs/" + b"%" * 100,
         b"/users/%2F..%2F/manage/api-tokens", b"/../../etc/passwd", b"/rest/api/3/search/jql?jql=project%3D" + b"x" * 200,
         b"/gateway/api/graphql", b"*", b"http://evil.example/", b"/rest/api/3/permissions/check"]
hosts = [b"acme.atlassian.net", b"api.atlassian.com", b"admin.atlassian.com", b"ACME.ATLASSIAN.NET.", b"[::1]:443",
         b"x" * 300 + b".atlassian.net", b"", b"acme.atlassian.net:99999", b"\x00", b"nope.atlassian.net"]
methods = [b"GET", b"POST", b"PUT", b"DELETE", b"HEAD", b"OPTIONS", b"PATCH", b"BREW", b"G\x00T", b"get", b"X" * 300]
bodies = [b"", b"{", b"{\"jql\":", b"{\"accountId\":5}", b"{\"projectPermissions\":[{\"permissions\":[1,null,{}],\"projects\":[\"x\",-1,1e99],\"issues\":{}}]}",
          b"[" * 5000, b"\x00" * 100, b"{\"query\":\"me tenantContexts\"}", b"{\"globalPermissions\":null}"]
cases = 0
fixed = [
    b"\r\n\r\n", b"GET\r\n\r\n", b"GET / HTTP/1.1\r\n\r\n", b"GET / HTTP/9.9\r\nHost: acme.atlassian.net\r\n\r\n",
    b"GET / HTTP/1.1\r\nHost: acme.atlassian.net\r\n" + b"X-Big: " + b"a" * 200000 + b"\r\n\r\n",
    b"GET /" + b"a" * 200000 + b" HTTP/1.1\r\nHost: acme.atlassian.net\r\n\r\n",
    b"POST /rest/api/3/search/jql HTTP/1.1\r\nHost: acme.atlassian.net\r\nContent-Length: 99999999\r\n\r\n" + b"{" * 10000,
    b"POST /rest/api/3/search/jql HTTP/1.1\r\nHost: acme.atlassian.net\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nxx\r\n0\r\n\r\n",
    b"POST /rest/api/3/search/jql HTTP/1.1\r\nHost: acme.atlassian.net\r\nContent-Length: -5\r\n\r\n",
    b"POST /rest/api/3/search/jql HTTP/1.1\r\nHost: acme.atlassian.net\r\nContent-Length: 5\r\nContent-Length: 7\r\n\r\nabcdefg",
    b"GET / HTTP/1.1\r\nHost: acme.atlassian.net\r\n" + b"H: v\r\n" * 5000 + b"\r\n",
    b"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
    b"GET / HTTP/1.1\nHost: acme.atlassian.net\n\n",
    b"\x16\x03\x01\x00\x05hello",
]
for data in fixed:
    send(data, tls=True); send(data, tls=False); cases += 2
# A body just over the 1 MiB cap.
big = b"{\"jql\":\"" + b"a" * (1024 * 1024 + 10) + b"\"}"
r = send(b"POST /rest/api/3/search/jql HTTP/1.1\r\nHost: acme.atlassian.net\r\nConnection: close\r\nContent-Length: %d\r\n\r\n" % len(big) + big, wait=60)
if b" 413 " not in r.split(b"\r\n", 1)[0]:
    print("over-cap body: want 413, got", r[:60]); sys.exit(1)
cases += 1
reqs = []
for _ in range(700):
    m, p, h, a, b = rnd.choice(methods), rnd.choice(paths), rnd.choice(hosts), rnd.choice(auths), rnd.choice(bodies)
    if rnd.random() < 0.2:
        p = bytes(rnd.randrange(33, 127) for _ in range(rnd.randrange(1, 80)))
    req = m + b" " + p + b" HTTP/1.1\r\nHost: " + h + b"\r\n" + a + b"User-Agent: Mozilla/5.0\r\nConnection: close\r\n"
    req += b"Content-Length: %d\r\n\r\n" % len(b) + b
    if rnd.random() < 0.1:
        req = req[: rnd.randrange(1, len(req))]
    if rnd.random() < 0.05:
        req = bytes(x ^ (1 << rnd.randrange(8)) if rnd.random() < 0.02 else x for x in req)
    reqs.append((req, rnd.random() < 0.8))
from concurrent.futures import ThreadPoolExecutor
with ThreadPoolExecutor(max_workers=16) as pool:
    for _ in pool.map(lambda rt: send(rt[0], tls=rt[1]), reqs):
        cases += 1
# Slow and abandoned clients, and a burst of parallel connections.
socks = []
for i in range(50):
    try:
        s = conn(False)
        s.sendall(b"GET / HTTP/1.1\r\nHo")
        socks.append(s)
    except OSError:
        pass
for s in socks:
    s.close()
cases += 50
# Keep-alive: several requests on one TLS connection, one bad in the middle.
s = conn(True)
s.sendall((b"GET /_edge/tenant_info HTTP/1.1\r\nHost: acme.atlassian.net\r\n\r\n") * 3 +
          b"GET /rest/api/3/myself HTTP/1.1\r\nHost: acme.atlassian.net\r\nAuthorization: Basic !!!\r\n\r\n")
time.sleep(0.3)
s.close()
# Still alive and correct?
r = send(b"GET /_edge/tenant_info HTTP/1.1\r\nHost: acme.atlassian.net\r\nConnection: close\r\n\r\n", wait=60)
if b"200 OK" not in r or b"cloudId" not in r:
    print("server no longer answers correctly after", cases, "cases:", r[:100]); sys.exit(1)
print("fuzz: %d cases, server healthy" % cases)
PYEOF

check "mockcloud still running" kill -0 "$MC_PID"
req "$SITE/rest/api/3/myself" -u "$EMAIL:$TOKEN"
expect_status 200
pid=$MC_PID
kill -TERM "$pid"
wait "$pid"
rc=$?
MC_PID=
check "clean exit after fuzzing (status $rc)" test "$rc" = 0
check "no crash report on stderr" sh -c "! grep -qiE 'sanitizer|segmentation|abort' '$MC_DIR/stderr'"
finish
