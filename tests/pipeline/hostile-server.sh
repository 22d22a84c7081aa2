#!/bin/sh
# tests/pipeline/hostile-server.sh: a hostile HTTPS server (every answer
# carries ESC/OSC 52 sequences, "\n::error::" lines and invalid UTF-8 in
# headers and bodies; tenant_info answers a cloudId that is no UUID):
# `check -v` stays safe in every format, and the odd cloudId is
# service.unexpected_response, never used in a gateway URL.
. "$top_srcdir/tests/pipeline/lib.sh"
command -v openssl >/dev/null 2>&1 || { echo "SKIP: openssl not found"; exit 77; }

D=$(mktemp -d "${TMPDIR:-/tmp}/pipeline-hostile.XXXXXX")
PID=
trap '[ -n "$PID" ] && kill "$PID" 2>/dev/null; [ -n "${KEEP:-}" ] || rm -rf "$D"' EXIT
"$top_srcdir/fixtures/mockcloud/gen-certs.sh" "$D/certs" || exit 1
"$PYTHON3" - "$D" <<'PY' &
import http.server, json, os, ssl, sys
d = sys.argv[1]
evil = "\x1b]52;c;cHduZWQ=\x07 \x9b31m ::error::pwned"
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_GET(self):
        with open(os.path.join(d, "paths"), "a") as f:
            f.write(self.path + "\n")
        if self.path.startswith("/_edge/tenant_info"):
            body = json.dumps({"cloudId": "../../admin/" + evil}).encode()
            st = 200
        else:
            body = (json.dumps({"errorMessages": [evil]}) + "\n::error::pwned\n").encode() + b"\xff\xfe"
            st = 401
        self.send_response(st)
        # Header values cannot carry CR/LF; ESC, BEL and 8-bit bytes they can.
        hv = "1\x1b]52;c;cHduZWQ=\x07 ::error::pwned".encode("latin-1") + b"\xff"
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self._headers_buffer.append(b"ATL-TraceId: " + hv + b"\r\n")
        self._headers_buffer.append(b"WWW-Authenticate: Basic realm=\"" + hv + b"\"\r\n")
        self._headers_buffer.append(b"X-Seraph-LoginReason: AUTHENTICATED_FAILED" + hv + b"\r\n")
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *a):
        pass
srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(os.path.join(d, "certs/server.pem"), os.path.join(d, "certs/server.key"))
srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
with open(os.path.join(d, "port.tmp"), "w") as f:
    f.write(str(srv.server_address[1]))
os.rename(os.path.join(d, "port.tmp"), os.path.join(d, "port"))
srv.serve_forever()
PY
PID=$!
i=0
while [ ! -s "$D/port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
[ -s "$D/port" ] || { echo "FAIL the hostile server did not start"; exit 1; }
P=$(cat "$D/port")
TOKEN='ATATT3xFfGF0K3irG5tKKi-6u-wwaXQFeGwZ-IHR-hQ3CulkKtMSuteRQFfLZ6jihHThzZCg_UjnDt-4Wl_gIRf4zrZJs5JqaeuBhsfJ4W5GD6yGg3W7903gbvaxZPBjxIQQ7BgFDSkPS8oPispw4KLz56mdK-G6CIvLO6hHRrZHY0Q3tvJ6JxE=C63992E6'
printf '%s' "$TOKEN" >"$D/token"
for f in text markdown junit github json; do
	rc=0
	"$ATLDIAG" check -v --format "$f" --site acme.atlassian.net \
	    --email mia@acme.example --token-file "$D/token" \
	    --connect-to ":443:127.0.0.1:$P" --cacert "$D/certs/ca.pem" \
	    --timeout 10 >"$D/out.$f" 2>"$D/err" </dev/null || rc=$?
	p_check "check -v --format $f against a hostile server: exit 1 or 3 (got $rc)" \
	    sh -c "[ $rc = 1 ] || [ $rc = 3 ]"
	p_check "check -v --format $f: no raw control, no injected workflow command" \
	    "$PYTHON3" "$top_srcdir/tests/lib/hostile-output.py" "$D/out.$f" "$f"
done
p_check "a cloudId that is no UUID is service.unexpected_response" p_json \
    "$D/out.json" 'any(f["code"] == "service.unexpected_response" and "not a cloud ID" in f["detail"] for f in d["findings"])'
p_check "... and is never used in a request path" \
    sh -c "! grep -q 'admin' '$D/paths'"
p_done
