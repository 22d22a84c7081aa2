#!/usr/bin/env python3
# tests/pipeline/ci-docs.py: extracts a job of docs/ci.md for ci-docs.sh.
#   ci-docs.py FILE JOB shell  the shell steps: the `run: |` block or the
#                              `script:` items after "# ci-docs: shell"
#   ci-docs.py FILE JOB junit  the JUnit path the job publishes
#   ci-docs.py FILE JOB yaml   the whole job
# JOB is the name in the "<!-- ci-docs: JOB -->" comment before the job's
# ```yaml block. Exits 1 with a message when the marks are missing.
import re
import sys


def die(msg):
    sys.stderr.write("ci-docs.py: %s\n" % msg)
    sys.exit(1)


def indent(line):
    return len(line) - len(line.lstrip(" "))


def block_after(lines, i):
    """The lines indented deeper than lines[i], up to the next that is not."""
    out = []
    for line in lines[i + 1:]:
        if line.strip() and indent(line) <= indent(lines[i]):
            break
        out.append(line)
    while out and not out[-1].strip():
        out.pop()
    return out


def dedent(lines):
    n = min(indent(l) for l in lines if l.strip())
    return [l[n:] for l in lines]


def scalar(first, rest):
    """One `- ` item: plain text, or a | (literal) or > (folded) block."""
    if first in ("|", "|-"):
        return "\n".join(dedent(rest))
    if first in (">", ">-"):
        return " ".join(l.strip() for l in rest if l.strip())
    return first


def script_items(body):
    items, i = [], 0
    while i < len(body):
        line = body[i]
        if not line.strip():
            i += 1
            continue
        if not line.lstrip().startswith("- "):
            die("script: expected a '- ' item, got %r" % line)
        rest = block_after(body, i)
        items.append(scalar(line.lstrip()[2:].strip(), rest))
        i += 1 + len(rest)
    return "\n".join(items)


def shell(job):
    lines = job.split("\n")
    marks = [i for i, l in enumerate(lines) if l.strip() == "# ci-docs: shell"]
    if len(marks) != 1 or marks[0] + 1 >= len(lines):
        die("need exactly one '# ci-docs: shell' comment before the steps")
    i = marks[0] + 1
    key = lines[i].strip()
    body = block_after(lines, i)
    if key == "run: |":
        return "\n".join(dedent(body))
    if key == "script:":
        return script_items(body)
    die("'# ci-docs: shell' must precede 'run: |' or 'script:', not %r" % key)


def junit(job):
    m = re.search(r"^\s*(?:report_paths|junit):\s*(\S+)\s*$", job, re.M)
    if not m:
        die("no report_paths: or junit: in the job")
    return m.group(1)


def main():
    path, name, what = sys.argv[1:4]
    doc = open(path, encoding="utf-8").read()
    m = re.search(r"<!-- ci-docs: %s -->\n```yaml\n(.*?)\n```" % re.escape(name),
                  doc, re.S)
    if not m:
        die("no '<!-- ci-docs: %s -->' before a ```yaml block" % name)
    job = m.group(1)
    out = {"shell": shell, "junit": junit, "yaml": lambda j: j}[what](job)
    sys.stdout.write(out + "\n")


main()
