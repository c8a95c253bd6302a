#!/usr/bin/env python3
"""Every code block of the SDK READMEs is real code: part of a project `yurt new` generates.

scripts/scaffold-check.sh generates the six projects (and builds them, runs their tests and
yurt-conformance on them), then calls this with its scratch directory. Each fenced block in
a README whose language is go, python, rust (rust,no_run, rust,ignore, ...) or toml must
appear, line for line (trailing spaces ignored), in one file of those projects. Shell and
other blocks are commands or layouts, not code. Each README must also show `yurt new` as
its quickstart.

usage: check_readme_snippets.py SCRATCH_DIR
"""

from __future__ import annotations

import contextlib
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
READMES = ["README.md", "go/README.md", "sdk-python/README.md", "sdk-rust/README.md"]
CODE = {"go", "python", "rust", "toml"}
SKIP_DIRS = {"venv", ".venv", "pex", "plugins", "target", "__pycache__", ".pytest_cache"}
BLOCK = re.compile(r"^```([^\n]*)\n(.*?)^```[ \t]*$", re.DOTALL | re.MULTILINE)


def normalize(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.strip("\n").splitlines())


def project_files(scratch: Path) -> dict[Path, str]:
    out: dict[Path, str] = {}
    stack = [scratch]
    while stack:
        d = stack.pop()
        for p in d.iterdir():
            if p.is_dir() and not p.is_symlink():
                if p.name not in SKIP_DIRS:
                    stack.append(p)
            elif p.is_file() and p.name != "Cargo.lock" and p.stat().st_size < 200_000:
                with contextlib.suppress(UnicodeDecodeError):
                    out[p] = normalize(p.read_text())
    return out


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    files = project_files(Path(sys.argv[1]))
    if not files:
        print(f"check_readme_snippets: no project files under {sys.argv[1]}", file=sys.stderr)
        return 2
    bad, checked = [], 0
    for readme in READMES:
        text = (ROOT / readme).read_text()
        if not re.search(r"^yurt new (driver|device) ", text, re.MULTILINE):
            bad.append(f"{readme}: no quickstart: expected a `yurt new driver|device NAME` line")
        for m in BLOCK.finditer(text):
            lang = m.group(1).strip().split(",")[0]
            if lang not in CODE:
                continue
            checked += 1
            block = normalize(m.group(2))
            if not any(block in content for content in files.values()):
                line = text[: m.start()].count("\n") + 1
                first = block.splitlines()[0] if block else ""
                bad.append(
                    f"{readme}:{line}: a {lang} block that no generated project contains "
                    f"(first line: {first!r}); copy it from the project `yurt new` writes"
                )
    for b in bad:
        print(b, file=sys.stderr)
    print(f"README code blocks: {checked} checked, {len(bad)} problems")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
