#!/usr/bin/env python3
"""check_markdown.py E2E_DIR

Checks every Markdown file the e2e cases expect (tests/e2e/**/expect/out/**/*.md) for what
Markdown escaping must guarantee, independently of perfgate's code:
  - in each GitHub table, every row has as many unescaped '|' as its header (a name with '|'
    or a newline cannot add or break a cell);
  - no unescaped '<' starts an HTML tag or comment anywhere outside code;
  - a job summary (summary.md) has at most 30 lines.
Exits 1 on any problem, printing file:line.
"""
import glob
import os
import re
import sys

UNESCAPED_PIPE = re.compile(r"(?<!\\)((?:\\\\)*)\|")
HTML_START = re.compile(r"(?<!\\)((?:\\\\)*)<[A-Za-z/!?]")


def pipes(line):
    return len(UNESCAPED_PIPE.findall(line))


def check(path):
    problems = []
    lines = open(path, encoding="utf-8").read().split("\n")
    header = None
    for number, line in enumerate(lines, 1):
        if line.startswith("|"):
            if header is None:
                header = pipes(line)
            elif pipes(line) != header:
                problems.append(f"{path}:{number}: {pipes(line)} cell separators, "
                                f"the table's header has {header}")
        else:
            header = None
        if HTML_START.search(line):
            problems.append(f"{path}:{number}: unescaped '<' opens HTML")
    if os.path.basename(path) == "summary.md" and len(lines) - 1 > 30:
        problems.append(f"{path}: {len(lines) - 1} lines, a job summary has at most 30")
    return problems


def main():
    files = sorted(glob.glob(os.path.join(sys.argv[1], "**", "expect", "out", "**", "*.md"),
                             recursive=True))
    if not files:
        print("FAIL no Markdown outputs found under", sys.argv[1])
        return 1
    problems = [p for f in files for p in check(f)]
    for p in problems:
        print("FAIL", p)
    print(f"{len(files)} Markdown files, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
