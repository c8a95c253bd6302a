#!/usr/bin/env python3
"""Self-test of scripts/no-leftovers.py: it passes a clean command and fails
one that leaves a process or a file behind (`make test` runs it).

Run: python3 scripts/test_no_leftovers.py
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import unittest
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent / "no-leftovers.py"


def run(shell: str, **env: str) -> subprocess.CompletedProcess[str]:
    e = dict(os.environ, NO_LEFTOVERS_GRACE_S="1", **env)
    e.pop("YURT_STRICT_TMPDIR", None)
    e.update(env)
    return subprocess.run(
        [sys.executable, str(SCRIPT), "sh", "-c", shell],
        env=e,
        capture_output=True,
        text=True,
        timeout=60,
    )


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


class NoLeftovers(unittest.TestCase):
    def test_clean_command_passes(self) -> None:
        r = run('touch "$TMPDIR/x" && rm "$TMPDIR/x"')
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stderr, "")

    def test_leftover_process_fails_and_is_killed(self) -> None:
        # Double-forked into its own session: only the subreaper still sees it.
        marker = f"sleep 300.{os.getpid()}"  # this test's own
        r = run(f"setsid {marker} </dev/null >/dev/null 2>&1 &")
        self.assertEqual(r.returncode, 3, r.stderr)
        self.assertIn("1 process(es) still running after the command exited:", r.stderr)
        m = re.search(rf"pid (\d+): {re.escape(marker)}\n", r.stderr)
        self.assertIsNotNone(m, r.stderr)
        pid = int(m.group(1))  # type: ignore[union-attr]
        deadline = time.monotonic() + 5
        while alive(pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        if alive(pid):
            os.kill(pid, signal.SIGKILL)
            self.fail(f"no-leftovers left pid {pid} running")

    def test_leftover_file_fails(self) -> None:
        r = run('mkdir "$TMPDIR/yurt-plugin-1" && touch "$TMPDIR/plugin123"')
        self.assertEqual(r.returncode, 3, r.stderr)
        self.assertRegex(
            r.stderr, r"2 entr\(y/ies\) left in the run's TMPDIR \S+:\n  plugin123\n  yurt-plugin-1"
        )

    def test_failing_command_keeps_its_status(self) -> None:
        r = run('touch "$TMPDIR/stray"; exit 5')
        self.assertEqual(r.returncode, 5, r.stderr)
        self.assertIn("stray", r.stderr)

    def test_tmpdir_warning_only_on_request(self) -> None:
        r = run('touch "$TMPDIR/stray"', YURT_STRICT_TMPDIR="0")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("no-leftovers: warning: 1 entr(y/ies) left", r.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
