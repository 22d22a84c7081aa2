#!/usr/bin/env python3
"""tests/lib/validate-har.py: check a file against the HAR 1.2 structure
(log.version, creator, entries[].startedDateTime/time/request/response/
cache/timings, every member of the right type, custom members only with a
leading '_') and the atldiag evidence member log._atldiag.

usage: validate-har.py FILE [--batch]   exit 0 valid, 1 invalid (reasons on
stdout), 2 unreadable."""
import json
import re
import sys

ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")
NUM = (int, float)
errors = []


def err(where, why):
    errors.append("%s: %s" % (where, why))


def members(where, obj, spec):
    """spec: name -> (types, required). Unknown members need a '_'."""
    if not isinstance(obj, dict):
        err(where, "not an object")
        return
    for name, (types, required) in spec.items():
        if name not in obj:
            if required:
                err(where, "missing '%s'" % name)
            continue
        v = obj[name]
        if isinstance(v, bool) or not isinstance(v, types):
            err(where, "'%s' has the wrong type (%s)" % (name,
                type(v).__name__))
    for name in obj:
        if name not in spec and not name.startswith("_"):
            err(where, "'%s' is not a HAR 1.2 member (custom ones start "
                "with '_')" % name)


def pairs(where, arr):
    for i, p in enumerate(arr if isinstance(arr, list) else []):
        members("%s[%d]" % (where, i), p, {"name": (str, True),
                "value": (str, True), "comment": (str, False)})


def cookies(where, arr):
    for i, c in enumerate(arr if isinstance(arr, list) else []):
        if not isinstance(c, dict) or not isinstance(c.get("name"), str):
            err("%s[%d]" % (where, i), "a cookie needs name and value")


def request(where, q):
    members(where, q, {"method": (str, True), "url": (str, True),
            "httpVersion": (str, True), "cookies": (list, True),
            "headers": (list, True), "queryString": (list, True),
            "postData": (dict, False), "headersSize": (int, True),
            "bodySize": (int, True), "comment": (str, False)})
    if not isinstance(q, dict):
        return
    cookies(where + ".cookies", q.get("cookies"))
    pairs(where + ".headers", q.get("headers"))
    pairs(where + ".queryString", q.get("queryString"))
    if "postData" in q:
        members(where + ".postData", q["postData"], {
                "mimeType": (str, True), "params": (list, False),
                "text": (str, False), "comment": (str, False)})


def response(where, r):
    members(where, r, {"status": (int, True), "statusText": (str, True),
            "httpVersion": (str, True), "cookies": (list, True),
            "headers": (list, True), "content": (dict, True),
            "redirectURL": (str, True), "headersSize": (int, True),
            "bodySize": (int, True), "comment": (str, False)})
    if not isinstance(r, dict):
        return
    cookies(where + ".cookies", r.get("cookies"))
    pairs(where + ".headers", r.get("headers"))
    members(where + ".content", r.get("content"), {"size": (int, True),
            "compression": (int, False), "mimeType": (str, True),
            "text": (str, False), "encoding": (str, False),
            "comment": (str, False)})


def timings(where, t):
    members(where, t, {"blocked": (NUM, False), "dns": (NUM, False),
            "connect": (NUM, False), "send": (NUM, True),
            "wait": (NUM, True), "receive": (NUM, True),
            "ssl": (NUM, False), "comment": (str, False)})
    if not isinstance(t, dict):
        return
    for k in ("send", "wait", "receive"):
        if isinstance(t.get(k), NUM) and t[k] < 0:
            err(where, "'%s' must not be negative" % k)
    for k in ("blocked", "dns", "connect", "ssl"):
        if isinstance(t.get(k), NUM) and t[k] < 0 and t[k] != -1:
            err(where, "'%s' is negative but not -1" % k)


def entry(where, e, batch):
    members(where, e, {"pageref": (str, False),
            "startedDateTime": (str, True), "time": (NUM, True),
            "request": (dict, True), "response": (dict, True),
            "cache": (dict, True), "timings": (dict, True),
            "serverIPAddress": (str, False), "connection": (str, False),
            "comment": (str, False)})
    if not isinstance(e, dict):
        return
    if isinstance(e.get("startedDateTime"), str) and \
            not ISO.match(e["startedDateTime"]):
        err(where, "startedDateTime is not ISO 8601")
    if isinstance(e.get("time"), NUM) and e["time"] < 0:
        err(where, "time is negative")
    request(where + ".request", e.get("request"))
    response(where + ".response", e.get("response"))
    timings(where + ".timings", e.get("timings"))
    tag = e.get("_atldiag")
    if not isinstance(tag, dict) or not isinstance(tag.get("check"), str):
        err(where, "_atldiag.check (the check that made it) is missing")
    elif batch and not isinstance(tag.get("profile"), dict):
        err(where, "a batch bundle's entry needs _atldiag.profile")
    # The trace ID is kept where the answer carried one.
    hdrs = (e.get("response") or {}).get("headers") or []
    tid = [h.get("value") for h in hdrs if isinstance(h, dict) and
           str(h.get("name", "")).lower() == "atl-traceid"]
    if tid and isinstance(tag, dict) and tag.get("trace_id") != tid[0]:
        err(where, "_atldiag.trace_id is not the ATL-TraceId header")


def bundle(where, b, batch):
    if not isinstance(b, dict):
        err(where, "missing (atldiag's inputs and verdict)")
        return
    if b.get("schema") != "atldiag.evidence/1":
        err(where, "schema is not atldiag.evidence/1")
    runs = b.get("profiles") if batch else [b]
    if not isinstance(runs, list) or not runs:
        err(where, "no run recorded")
        return
    for i, r in enumerate(runs):
        w = "%s.profiles[%d]" % (where, i) if batch else where
        for k in ("verdict", "inputs", "findings"):
            if k not in r:
                err(w, "missing '%s'" % k)
        if "primary" not in r:
            err(w, "missing 'primary'")
        for k, v in (r.get("inputs") or {}).items():
            if k in ("token", "org_key", "auth_header", "password") and \
                    "value" in v:
                err(w, "the secret input '%s' has a value" % k)


def main():
    batch = "--batch" in sys.argv[2:]
    try:
        with open(sys.argv[1], encoding="utf-8") as f:
            doc = json.load(f)
    except (OSError, ValueError) as e:
        print("cannot read %s: %s" % (sys.argv[1], e))
        return 2
    members("root", doc, {"log": (dict, True)})
    log = doc.get("log") if isinstance(doc, dict) else None
    members("log", log, {"version": (str, True), "creator": (dict, True),
            "browser": (dict, False), "pages": (list, False),
            "entries": (list, True), "comment": (str, False)})
    if isinstance(log, dict):
        if log.get("version") != "1.2":
            err("log", "version is not 1.2")
        members("log.creator", log.get("creator"), {"name": (str, True),
                "version": (str, True), "comment": (str, False)})
        for i, e in enumerate(log.get("entries") or []):
            entry("log.entries[%d]" % i, e, batch)
        bundle("log._atldiag", log.get("_atldiag"), batch)
    for e in errors[:20]:
        print(e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
