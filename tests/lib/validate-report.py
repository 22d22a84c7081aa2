#!/usr/bin/python3
"""tests/lib/validate-report.py: checks atldiag JSON reports against docs/report.schema.json.

usage: validate-report.py [--schema FILE] [--jsonl] FILE|- ...

Each FILE holds one report (--format json) or, with --jsonl or when the
file is not a single JSON document, one report per line (batch). Beyond
the schema it checks what JSON Schema cannot say: primary is the code of
findings[0], every code a check lists is a finding of that check (or one
folded into a finer cause: a finding's "explains"), and no
Authorization value, Basic credential or token-shaped string appears.

Exit 0 when every report is valid, 1 when one is not (each problem is
printed with the file, line and JSON path), 2 on a usage error.
"""

import argparse
import json
import os
import re
import sys

try:
    import jsonschema
except ImportError:  # pragma: no cover
    sys.stderr.write("validate-report: python3 module 'jsonschema' is missing\n")
    sys.exit(2)

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_SCHEMA = os.path.join(HERE, "..", "..", "docs", "report.schema.json")

# Strings that must never be in a report: an API token (ATATT/ATSTT/ATCTT
# followed by its long tail) or a Basic credential.
LEAKS = [
    (re.compile(r"AT[ASC]TT[A-Za-z0-9_\-=]{20,}"), "an API token"),
    (re.compile(r"(?i)\bbasic\s+[A-Za-z0-9+/]{16,}={0,2}"), "a Basic credential"),
    (re.compile(r"(?i)\bbearer\s+[A-Za-z0-9._\-]{20,}"), "a Bearer credential"),
]


def path_of(error):
    return "$" + "".join(
        "[%d]" % p if isinstance(p, int) else ".%s" % p for p in error.absolute_path)


def semantic_problems(doc):
    """What the schema cannot express."""
    problems = []
    if not isinstance(doc, dict):
        return problems
    findings = doc.get("findings") or []
    primary = doc.get("primary")
    if findings and isinstance(findings[0], dict):
        if primary != findings[0].get("code"):
            problems.append("$.primary: %r is not findings[0].code %r"
                            % (primary, findings[0].get("code")))
    by_check = {}
    for f in findings:
        if isinstance(f, dict):
            by_check.setdefault(f.get("check"), set()).add(f.get("code"))
            # A coarser finding folded into a finer cause still counts.
            for x in f.get("explains") or []:
                if isinstance(x, dict):
                    by_check.setdefault(x.get("check"), set()).add(x.get("code"))
    for i, c in enumerate(doc.get("checks") or []):
        if not isinstance(c, dict):
            continue
        for code in c.get("findings") or []:
            if code not in by_check.get(c.get("id"), set()):
                problems.append("$.checks[%d].findings: %r has no finding raised by %r"
                                % (i, code, c.get("id")))
    text = json.dumps(doc)
    for rx, what in LEAKS:
        m = rx.search(text)
        if m:
            problems.append("the report contains %s (%s...)" % (what, m.group(0)[:12]))
    return problems


def documents(name, text, jsonl):
    """(line, doc or None, parse error) for each report in text."""
    if not jsonl:
        try:
            yield 1, json.loads(text), None
            return
        except ValueError:
            if "\n" not in text.strip():
                raise
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            yield n, json.loads(line), None
        except ValueError as e:
            yield n, None, str(e)


def main():
    ap = argparse.ArgumentParser(description="Validate atldiag JSON reports.")
    ap.add_argument("--schema", default=os.environ.get("REPORT_SCHEMA", DEFAULT_SCHEMA))
    ap.add_argument("--jsonl", action="store_true", help="one report per line")
    ap.add_argument("files", nargs="+")
    args = ap.parse_args()

    try:
        with open(args.schema, encoding="utf-8") as fp:
            schema = json.load(fp)
        cls = jsonschema.validators.validator_for(schema)
        cls.check_schema(schema)
        validator = cls(schema)
    except (OSError, ValueError, jsonschema.exceptions.SchemaError) as e:
        sys.stderr.write("validate-report: bad schema '%s': %s\n" % (args.schema, e))
        return 2

    bad = 0
    count = 0
    for name in args.files:
        try:
            if name == "-":
                text = sys.stdin.read()
            else:
                with open(name, encoding="utf-8") as fp:
                    text = fp.read()
        except (OSError, UnicodeDecodeError) as e:
            sys.stderr.write("validate-report: cannot read '%s': %s\n" % (name, e))
            return 2
        if not text.strip():
            sys.stderr.write("%s: empty: no report\n" % name)
            bad += 1
            continue
        try:
            docs = list(documents(name, text, args.jsonl))
        except ValueError as e:
            sys.stderr.write("%s: not JSON: %s\n" % (name, e))
            bad += 1
            continue
        for line, doc, err in docs:
            count += 1
            where = "%s:%d" % (name, line)
            if err is not None:
                sys.stderr.write("%s: not JSON: %s\n" % (where, err))
                bad += 1
                continue
            errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
            problems = ["%s: %s" % (path_of(e), e.message) for e in errors]
            problems += semantic_problems(doc)
            for p in problems:
                sys.stderr.write("%s: %s\n" % (where, p))
            if problems:
                bad += 1
    if bad:
        sys.stderr.write("validate-report: %d of %d report(s) invalid\n" % (bad, count))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
