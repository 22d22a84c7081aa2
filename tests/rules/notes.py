#!/usr/bin/env python3
"""tests/rules/notes.py DIR: no string in DIR/*.json cites the project's
internal notes.

The rules ship in the release, are embedded in the binary and are copied by
users (--rules DIR), who do not have the notes they were written from. A
maintainer field (provenance, basis, about) names the public source itself
(an Atlassian page, an issue key, a GitHub issue, an RFC) and says how sure
we are in plain words; it never cites a section of the notes ("reference
§3", "reference Q6", "peers A12", "DESIGN §8") nor their certainty codes
("VERIFIED (primary)", "INFERRED", "OPEN").

Prints one line per hit, naming file, entry, key and word:
  rules/diagnoses.json: diagnoses[0] ('input.site_missing'): provenance cites internal notes: 'reference §'
and exits 1 when there is any.
"""
import glob
import json
import os
import re
import sys

# Most specific first: a span already matched is not reported again by a
# shorter word ("reference §3" is 'reference §', not also '§').
WORDS = [
    r"reference §", r"reference Q\d*", r"reference section",
    r"reference page", r"DESIGN §", r"DESIGN\.md", r"DESIGN", r"\bpeers\b",
    r"research notes", r"\b[Oo]pen question\b", r"§",
    r"\bVERIFIED\b", r"\bINFERRED\b", r"\bOPEN\b",
]
PATTERNS = [re.compile(w) for w in WORDS]
# The member that names an entry, in the loader's error messages.
NAMES = ("id", "code", "operation", "key")


def hits(s):
    """The distinct internal words in s, most specific first."""
    spans, found = [], []
    for pat in PATTERNS:
        for m in pat.finditer(s):
            if any(m.start() < e and b < m.end() for b, e in spans):
                continue
            spans.append((m.start(), m.end()))
            if m.group(0) not in found:
                found.append(m.group(0))
    return found


def strings(node, where, key):
    """Yield (entry, key, string) for every string value under node."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield from strings(v, where, k if key is None else f"{key}.{k}")
    elif isinstance(node, list):
        for v in node:
            yield from strings(v, where, key)
    elif isinstance(node, str):
        yield where, key, node


def entries(doc):
    """Yield (entry label, key prefix, value) over a rules file: each
    element of a top-level array is an entry, the rest is 'top level'."""
    for k, v in doc.items():
        if isinstance(v, list) and all(isinstance(e, dict) for e in v):
            for i, e in enumerate(v):
                name = next((e[n] for n in NAMES
                             if isinstance(e.get(n), str)), None)
                label = f"{k}[{i}]" + (f" ('{name}')" if name else "")
                yield label, None, e
        else:
            yield "top level", k, v


def main(argv):
    if len(argv) != 2:
        print("usage: notes.py RULES_DIR", file=sys.stderr)
        return 2
    rules = argv[1].rstrip("/")
    files = sorted(glob.glob(os.path.join(rules, "*.json")))
    if not files:
        print(f"notes.py: no *.json in {rules}", file=sys.stderr)
        return 2
    bad = 0
    for path in files:
        shown = os.path.join(os.path.basename(rules), os.path.basename(path))
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        for label, prefix, value in entries(doc):
            for where, key, s in strings(value, label, prefix):
                for word in hits(s):
                    print(f"{shown}: {where}: {key} cites internal notes:"
                          f" '{word}'")
                    bad += 1
    if bad:
        print(f"{bad} string(s) cite internal notes: name the public source"
              " and say how sure in plain words (rules/README.md)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
