#!/usr/bin/env python3
# tests/live/rawtls.py: a tiny loopback TLS server that misbehaves on purpose (endless headers), or just serves a certificate.
# Usage: rawtls.py CERT KEY MODE   (MODE: endless-headers | hello)
# Prints "port=N" once listening; serves until killed. Bounded: it stops
# sending after 64 MiB per connection and handles connections one at a time.
import socket
import ssl
import sys

CAP = 64 * 1024 * 1024


def serve(conn, mode):
    conn.settimeout(30)
    data = b""
    while b"\r\n\r\n" not in data and len(data) < 65536:
        chunk = conn.recv(4096)
        if not chunk:
            return
        data += chunk
    if mode == "hello":
        body = b'{"hello":"world"}'
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                     b"Content-Length: %d\r\nConnection: close\r\n\r\n%s"
                     % (len(body), body))
        return
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n")
    sent, i = 0, 0
    while sent < CAP:
        line = b"X-Filler-%d: %s\r\n" % (i, b"a" * 200)
        conn.sendall(line)
        sent += len(line)
        i += 1


def main():
    cert, key, mode = sys.argv[1:4]
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    ctx.set_alpn_protocols(["http/1.1"])
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    srv.listen(16)
    print("port=%d" % srv.getsockname()[1], flush=True)
    while True:
        raw, _ = srv.accept()
        try:
            with ctx.wrap_socket(raw, server_side=True) as conn:
                serve(conn, mode)
        except (OSError, ssl.SSLError):
            pass
        finally:
            raw.close()


if __name__ == "__main__":
    main()
