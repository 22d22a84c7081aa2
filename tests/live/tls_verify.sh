#!/bin/sh
# tests/live/tls_verify.sh: a certificate that does not verify is described by why (expired, unknown CA), from the verify result, not by a guess.
set -u
: "${top_srcdir:?}" "${top_builddir:=.}"
: "${ATLDIAG:=$top_builddir/atldiag}"
top_srcdir=$(cd "$top_srcdir" && pwd)
case $ATLDIAG in /*) ;; *) ATLDIAG=$(pwd)/$ATLDIAG ;; esac
command -v jq >/dev/null 2>&1 || exit 77
command -v openssl >/dev/null 2>&1 || exit 77
command -v python3 >/dev/null 2>&1 || exit 77
fails=0
fail() { echo "FAIL $*"; fails=$((fails + 1)); }
D=$(mktemp -d "${TMPDIR:-/tmp}/tlsverify.XXXXXX") || exit 1
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$D"' EXIT
cd "$D" || exit 1

# A test CA, and a server certificate it signed that expired in 2020.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -keyout ca.key -out ca.pem -days 2 -subj "/CN=tls_verify test CA" \
    -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null &&
openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -keyout server.key -out server.csr -subj "/CN=acme.atlassian.net" 2>/dev/null &&
mkdir db && : >db/index && echo 01 >db/serial &&
cat >ca.cnf <<'CNF' &&
[ca]
default_ca = d
[d]
database = db/index
serial = db/serial
new_certs_dir = db
default_md = sha256
policy = p
x509_extensions = ext
[p]
commonName = supplied
[ext]
basicConstraints = critical, CA:FALSE
subjectAltName = DNS:*.atlassian.net, DNS:api.atlassian.com
extendedKeyUsage = serverAuth
CNF
openssl ca -config ca.cnf -batch -cert ca.pem -keyfile ca.key -in server.csr \
    -out expired.pem -startdate 20200101000000Z -enddate 20200102000000Z \
    >/dev/null 2>&1 || { echo "FAIL could not make the expired certificate"; exit 1; }

python3 "$top_srcdir/tests/live/rawtls.py" expired.pem server.key hello >port 2>/dev/null &
pid=$!
i=0
while [ $i -lt 100 ] && ! grep -q '^port=' port; do sleep 0.1; i=$((i + 1)); done
p=$(sed -n 's/^port=//p' port)
[ -n "$p" ] || { echo "FAIL the TLS server did not start"; exit 1; }

# A well-formed (fake) token, so that only the transport can decide.
jq -j .client.token "$top_srcdir/fixtures/scenarios/healthy-human.json" >token
email=$(jq -r .client.email "$top_srcdir/fixtures/scenarios/healthy-human.json")

# tls NAME CACERT: atldiag request against the server; JSON in NAME.
tls() {
	"$ATLDIAG" request GET https://acme.atlassian.net/rest/api/3/myself \
	    --site acme.atlassian.net --email "$email" --token-file token --timeout 20 \
	    --connect-to "::127.0.0.1:$p" --cacert "$2" --json >"$1" 2>/dev/null
	rc=$?
}

# Trusted CA, expired certificate: "expired", not "wrong host name or unknown CA".
tls expired ca.pem
[ "$rc" = 3 ] || fail "expired: exit $rc (want 3)"
jq -e '.primary == "network.tls" and (.findings[0].detail | test("expired")) and
    (.findings[0].detail | test("host name|unknown CA") | not)' expired >/dev/null ||
	fail "expired: $(jq -c '[.primary, .findings[0].detail]' expired) (want network.tls saying expired)"
# Untrusted CA (the system store does not know the test CA).
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -keyout other.key -out other.pem -days 2 -subj "/CN=another CA" 2>/dev/null
tls untrusted other.pem
jq -e '.primary == "network.tls" and (.findings[0].detail | test("CA this machine does not trust")) and
    (.findings[0].detail | test("expired") | not)' untrusted >/dev/null ||
	fail "unknown CA: $(jq -c '[.primary, .findings[0].detail]' untrusted) (want network.tls naming the untrusted CA)"

[ "$fails" = 0 ] || exit 1
echo "ok: certificate failures say why (expired, untrusted CA)"
