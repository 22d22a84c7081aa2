#!/usr/bin/python3
"""tests/rules/schema.py: rules/*.json against rules/schema/*.schema.json, and
the allowed-key tables of diag/rules/rules.c against the schemas.

usage: schema.py TOP_SRCDIR

Checks that (1) every rules file is valid under its schema; (2) each
`static const char *const <name>_keys[]` table of diag/rules/rules.c
lists exactly the "properties" at the same place in the schema (the C
loader refuses unknown keys with these tables, so the two must agree);
(3) a misspelt key ("prority") is refused by the schema. Exit 0 when all
hold, 1 otherwise, 77 (skip) without python3-jsonschema.
"""

import json
import os
import re
import sys

try:
    import jsonschema
except ImportError:  # pragma: no cover
    sys.stderr.write("schema.py: python3 module 'jsonschema' is missing\n")
    sys.exit(77)

FILES = ["plan", "diagnoses", "responses", "scopes", "permissions"]

# C table name -> (schema file, path of the object inside the document:
# a list of property names, each followed by "items" when it is a list).
TABLES = {
    "plan_keys": ("plan", []),
    "plan_check_keys": ("plan", ["checks"]),
    "diagnoses_keys": ("diagnoses", []),
    "diagnoses_entry_keys": ("diagnoses", ["diagnoses"]),
    "responses_keys": ("responses", []),
    "responses_signature_keys": ("responses", ["signatures"]),
    "scopes_keys": ("scopes", []),
    "scopes_operation_keys": ("scopes", ["operations"]),
}


def properties(schema, path):
    node = schema
    for name in path:
        node = node["properties"][name]["items"]
    if node.get("additionalProperties") is not False:
        raise ValueError("/".join(path) or "top level" +
                         ": additionalProperties must be false")
    return set(node["properties"])


def c_tables(src):
    out = {}
    for m in re.finditer(r"static const char \*const (\w+_keys)\[\] = "
                         r"\{([^}]*)\};", src):
        out[m.group(1)] = set(re.findall(r'"([^"]+)"', m.group(2)))
    return out


def main():
    top = sys.argv[1]
    fails = 0

    def fail(msg):
        nonlocal fails
        fails += 1
        print("FAIL " + msg)

    schemas = {}
    for f in FILES:
        with open(os.path.join(top, "rules", "schema", f + ".schema.json")) as fh:
            schemas[f] = json.load(fh)
        with open(os.path.join(top, "rules", f + ".json")) as fh:
            doc = json.load(fh)
        v = jsonschema.Draft202012Validator(schemas[f])
        errs = sorted(v.iter_errors(doc), key=lambda e: list(e.absolute_path))
        for e in errs[:10]:
            fail("rules/%s.json: %s: %s" % (f, "/".join(map(str, e.absolute_path)), e.message))
        if not errs:
            print("ok   rules/%s.json is valid" % f)

    with open(os.path.join(top, "diag", "rules", "rules.c")) as fh:
        tables = c_tables(fh.read())
    for name in sorted(set(tables) | set(TABLES)):
        if name not in TABLES:
            fail("diag/rules/rules.c: table %s is not mapped in tests/rules/schema.py" % name)
            continue
        if name not in tables:
            fail("diag/rules/rules.c: table %s is missing" % name)
            continue
        f, path = TABLES[name]
        want = properties(schemas[f], path)
        if tables[name] != want:
            fail("%s differs from rules/schema/%s.schema.json: only in C %s, only in the schema %s"
                 % (name, f, sorted(tables[name] - want), sorted(want - tables[name])))
        else:
            print("ok   %s agrees with rules/schema/%s.schema.json" % (name, f))

    with open(os.path.join(top, "rules", "diagnoses.json")) as fh:
        doc = json.load(fh)
    doc["diagnoses"][0]["prority"] = doc["diagnoses"][0].pop("priority", 1)
    if jsonschema.Draft202012Validator(schemas["diagnoses"]).is_valid(doc):
        fail("a misspelt 'prority' passes the diagnoses schema")
    else:
        print("ok   a misspelt key is refused by the schema")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
