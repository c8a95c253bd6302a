#!/usr/bin/env python3
"""Check ARCHITECTURE.md: every path named in its concept table exists.

A path is any back-quoted cell entry in the "path" column of the table under
"## Concepts and paths", and any back-quoted word in the "notes" column that
looks like a repository path (contains a slash or ends in .md). Exit status 1
names each missing path and the row that names it.
Every top-level directory holding tracked files must be named by some row too,
so a new concept cannot land without a line here.
"""

import pathlib
import subprocess
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
TICKED = re.compile(r"`([^`]+)`")


def rows(text: str):
    """Yield (line number, cells) for each data row of the concepts table."""
    in_section = False
    for number, line in enumerate(text.splitlines(), 1):
        if line.startswith("## "):
            in_section = line.strip() == "## Concepts and paths"
            continue
        if not in_section or not line.startswith("|"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if cells[0] in ("concept", "") or set(cells[0]) <= {"-"}:
            continue
        yield number, cells


def looks_like_path(word: str) -> bool:
    return (
        " " not in word
        and not word.startswith(("-", "yurt ", "make"))
        and ("/" in word or word.endswith(".md"))
    )


def main() -> int:
    doc = ROOT / "ARCHITECTURE.md"
    text = doc.read_text()
    problems = []
    count = 0
    for number, cells in rows(text):
        if len(cells) < 3:
            problems.append(f"ARCHITECTURE.md:{number}: expected 3 cells, got {len(cells)}")
            continue
        paths = TICKED.findall(cells[1])
        if not paths:
            problems.append(f"ARCHITECTURE.md:{number}: row {cells[0]!r} names no path")
        paths += [w for w in TICKED.findall(cells[2]) if looks_like_path(w)]
        for path in paths:
            count += 1
            if not (ROOT / path).exists():
                problems.append(f"ARCHITECTURE.md:{number}: {cells[0]!r}: path {path!r} does not exist")
    named = {p.split("/")[0] for _, cells in rows(text) for p in TICKED.findall(cells[1])}
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    top = {f.split("/")[0] for f in tracked if "/" in f and not f.startswith(".")}
    for d in sorted(top - named):
        problems.append(f"ARCHITECTURE.md: top-level directory {d!r} is in no row of the table")
    if count == 0:
        problems.append("ARCHITECTURE.md: no '## Concepts and paths' table found")
    for p in problems:
        print(p, file=sys.stderr)
    if not problems:
        print(f"ARCHITECTURE.md: {count} paths, all exist")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
