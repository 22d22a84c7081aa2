#!/usr/bin/env python3
"""Regenerate rules/permissions.json (the permission catalogue) from a copy of
jira-permissions.json (the "Permissions required" paragraph of each Jira
platform operation in Atlassian's OpenAPI document, with the keys it names).

Usage: tools/gen-permissions.py [SOURCE.json] > rules/permissions.json

Each paragraph is read for its structure: "A and B project permissions" is
all of, "A or B", "either of:", "one of:" are any of; sentences that start
with a condition ("If issue-level security is configured, ...", "For custom
avatars, ...") and the keys they name are kept as notes, not as required.
An operation whose paragraph did not read cleanly is marked "exact": false.
"""
import json
import os
import re
import sys

# Names in the paragraphs that are not the key spelt out.
ALIASES = {
    "ADMINISTER": ["administer jira"],
    "USER_PICKER": ["browse users and groups"],
    "BULK_CHANGE": ["make bulk changes", "bulk change"],
    "CREATE_SHARED_OBJECTS": ["share dashboards and filters"],
    "VIEW_DEV_TOOLS": ["view development tools"],
    "BROWSE_PROJECTS": ["browse projects", "browse project"],
}
# Keys Jira's mypermissions knows that no paragraph names (built-in
# permissions), with their type; kept so that they are not usage errors.
EXTRA = {
    "ASSIGNABLE_USER": "project", "BROWSE_USERS": "global",
    "BULK_CHANGE": "global", "CLOSE_ISSUES": "project",
    "CREATE_PROJECT": "global", "DELETE_OWN_COMMENTS": "project",
    "DELETE_OWN_WORKLOGS": "project", "EDIT_OWN_WORKLOGS": "project",
    "MANAGE_GROUP_FILTER_SUBSCRIPTIONS": "global",
    "MODIFY_REPORTER": "project", "MOVE_ISSUES": "project",
    "RESOLVE_ISSUES": "project", "SCHEDULE_ISSUES": "project",
    "SYSTEM_ADMIN": "global", "VIEW_DEV_TOOLS": "project",
}
CONDITION = re.compile(r"^(if|for|to|only|when|however|this|jira permissions are"
                       r" not|the user must|not returned)\b", re.I)
ANY_OF = re.compile(r"\b(either of|one of|at least one of)\b", re.I)


def phrases(key):
    if key in ("ADMINISTER", "USER_PICKER", "CREATE_SHARED_OBJECTS"):
        return ALIASES[key]
    return ALIASES.get(key, []) + [key.lower().replace("_", " ")]


def sentences(body):
    return [s.strip() for s in re.split(r"(?<=[.:])\s+", body) if s.strip()]


def groups_in(sentence, keys):
    """Keys named in one sentence, in order, grouped: groups are any of,
    the keys of a group all of. Returns (groups, names found)."""
    low = sentence.lower()
    hits = []
    for k in keys:
        for p in sorted(phrases(k), key=len, reverse=True):
            for m in re.finditer(r"\b" + re.escape(p) + r"\b", low):
                hits.append((m.start(), m.end(), k))
    hits.sort(key=lambda h: (h[0], -h[1]))
    kept, end = [], -1
    for h in hits:
        if h[0] >= end:
            kept.append(h)
            end = h[1]
    groups = []
    for i, (s, e, k) in enumerate(kept):
        gap = low[kept[i - 1][1]:s] if i > 0 else ""
        if i == 0 or re.search(r"\bor\b", gap):
            groups.append([])
        if k not in groups[-1]:
            groups[-1].append(k)
    return groups, {k for _, _, k in kept}


def product(a, b):
    return [sorted(set(x) | set(y)) for x in a for y in b]


def minimal(alts):
    """Sorted alternatives without duplicates or supersets of another."""
    sets = sorted({tuple(sorted(a)) for a in alts}, key=lambda a: (len(a), a))
    out = []
    for a in sets:
        if not any(set(b) <= set(a) for b in out):
            out.append(a)
    return [list(a) for a in out]


def read(op, known):
    keys = op["project_permissions"] + op["global_permissions"]
    body = op["text"].split("required:", 1)[-1].strip()
    notes, seen, exact, req = [], set(), True, []
    anyof = bool(ANY_OF.search(body))
    for s in sentences(body):
        g, found = groups_in(s, known)
        seen |= found
        if CONDITION.match(s) or not g:
            if not re.fullmatch(r"(none|permission to access jira)\.?", s,
                                re.I) and not ANY_OF.fullmatch(s.rstrip(":")):
                notes.append(s)
            continue
        req.append((s, g))
    # Several requirement sentences side by side: all of them, except
    # that "Administer Jira" on its own or a sentence saying what it is
    # for ("..., to get users for any project") is an alternative. Such a
    # reading is a guess: not exact.
    purpose = len(req) > 1 and all(re.search(r",? to (get|access|create|update|delete|set)\b",
                            s, re.I) for s, _ in req)
    need = None
    for s, g in req:
        if anyof or purpose or g == [["ADMINISTER"]]:
            need = (need or []) + g
        else:
            need = g if need is None else product(need, g)
    if len(req) > 1 and not anyof:
        exact = False
        if any(g == [["ADMINISTER"]] for _, g in req) and not purpose:
            rest = [g for _, g in req if g != [["ADMINISTER"]]]
            need = [["ADMINISTER"]]
            acc = None
            for g in rest:
                acc = g if acc is None else product(acc, g)
            need += acc or []
    if set(keys) - seen:
        exact = False
    need = minimal(need or [])
    if need is not None and len(need) > 16:
        need, exact = need[:16], False
    return need or [], notes, exact


def main(argv):
    src = argv[1] if len(argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)),
        "../../shared/data/jira-permissions.json")
    try:
        with open(src) as f:
            data = json.load(f)
    except (OSError, ValueError) as e:
        sys.exit("gen-permissions: cannot read '%s': %s" % (src, e))
    types = dict(EXTRA)
    ops = []
    for op in data["operations"]:
        for k in op["project_permissions"]:
            types[k] = "project"
        for k in op["global_permissions"]:
            types[k] = "global"
    for op in data["operations"]:
        need, notes, exact = read(op, sorted(types))
        ops.append({"method": op["method"], "path": op["path"],
                    "operation": op["operationId"],
                    "alternatives": need, "notes": notes,
                    "issue_security": op["issue_security"], "exact": exact,
                    "text": op["text"].split("required:", 1)[-1].strip()})
    out = {
        "schema": "atldiag.permissions/1",
        "about": "Permission catalogue: for each Jira platform operation, "
                 "alternative permission sets (the account needs every key "
                 "of one alternative; [] = no Jira permission named), "
                 "conditions as notes, and the paragraph itself. "
                 "\"exact\": false when the paragraph did not read cleanly. "
                 "Generated by tools/gen-permissions.py; do not edit by hand.",
        "source": data.get("source", ""),
        "permissions": [{"key": k, "type": types[k]} for k in sorted(types)],
        "operations": ops,
    }
    json.dump(out, sys.stdout, indent=1, sort_keys=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv)
