#!/usr/bin/python3
"""tests/golden/make-tokens.py: writes the fake API tokens the golden cases read.

usage: make-tokens.py DIR

They are made at test time, never committed: a CRC-valid token in the
repository would trip secret scanners. Deterministic (SHA-256 counter), so
every run and every machine gets the same bytes.
"""
import hashlib
import os
import sys
import zlib

ALPHA = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"


def chars(seed, n):
    out = []
    i = 0
    while len(out) < n:
        for b in hashlib.sha256(("%s:%d" % (seed, i)).encode()).digest():
            out.append(ALPHA[b % len(ALPHA)])
        i += 1
    return "".join(out[:n])


def token(seed):
    """A 192-character ATATT token with a correct CRC-32 tail."""
    body = "ATATT3xFfGF0" + chars(seed, 171) + "="
    return body + "%08X" % zlib.crc32(body.encode())


def main():
    d = sys.argv[1]
    crlf, ok = token("golden-crlf"), token("golden-ok")
    files = {
        "token-crlf.txt": crlf + "\r\n",          # saved by a Windows editor
        "token-ok.txt": ok,                       # a clean token file
        "token-cut.txt": ok[:90] + ok[97:] + "\n",  # "$abcdef" eaten by the shell
    }
    for name, data in files.items():
        with open(os.path.join(d, name), "w", newline="") as fp:
            fp.write(data)


if __name__ == "__main__":
    main()
