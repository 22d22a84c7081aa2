#!/usr/bin/env python3
# tests/lib/hostile-output.py FILE FORMAT: a report rendered from hostile server
# or transcript text is safe: valid UTF-8 (JSON: valid JSON), no raw control
# character (ESC, BEL, C1) but the layout's newlines, and no line a CI runner
# would take for a workflow command ("::..." after blanks), except, in the
# github format, the tool's own annotations.
import json, re, sys

data = open(sys.argv[1], "rb").read()
fmt = sys.argv[2]
bad = []
try:
    text = data.decode("utf-8")
except UnicodeDecodeError as e:
    print("not valid UTF-8: %s" % e)
    sys.exit(1)
if fmt == "json":
    try:
        json.loads(text)
    except ValueError as e:
        bad.append("not valid JSON: %s" % e)
for i, ch in enumerate(text):
    o = ord(ch)
    if (o < 0x20 and ch not in "\n\t") or o == 0x7f or 0x80 <= o < 0xa0 \
            or o in (0x2028, 0x2029):
        bad.append("raw control U+%04X at %d: %r" % (o, i, text[max(0, i - 30):i + 10]))
        break
for n, line in enumerate(text.split("\n"), 1):
    # .NET TrimStart() (the runner) strips Unicode white space, as lstrip().
    if not line.lstrip().startswith("::"):
        continue
    if fmt == "github" and re.match(r"::(error|warning|notice) title=[^:]*::", line) \
            and line == line.lstrip():
        continue
    bad.append("line %d starts a workflow command: %r" % (n, line[:80]))
if fmt == "github" and "::error::pwned" in "\n".join(
        l.lstrip()[:14] for l in text.split("\n")):
    bad.append("injected annotation")
for b in bad:
    print(b)
sys.exit(1 if bad else 0)
