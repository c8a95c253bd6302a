#!/usr/bin/env python3
"""Run a command and fail if it leaves any process, socket or file behind.

Usage: scripts/no-leftovers.py COMMAND [ARG ...]

`make test` runs through this. It makes itself a child subreaper
(prctl PR_SET_CHILD_SUBREAPER), so every process the command starts stays its
descendant even after double-forking or setsid: a task, a supervisor or a log
collector that outlives the test run is re-parented here and found. The
command also gets a private TMPDIR, which should be empty again at the end: no
plugin socket, no state directory, no temp file left. What is left there is
listed and fails the run (YURT_STRICT_TMPDIR=0 lists it as a warning only,
to find the producers one at a time).

After the command exits (whatever its status), processes get a grace period to
finish exiting; whatever is still alive is listed with its command line,
killed, and the run fails. Exit status: the command's own if it failed,
otherwise 0 if nothing was left, 3 if something was.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

PR_SET_CHILD_SUBREAPER = 36
# How long leftover processes get to finish exiting; its self-test
# (scripts/test_no_leftovers.py) shortens it.
GRACE_SECONDS = float(os.environ.get("NO_LEFTOVERS_GRACE_S", "15"))


def descendants(root: int) -> dict[int, str]:
    """Live descendants of root: pid -> command line."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                stat = f.read().decode(errors="replace")
        except OSError:
            continue
        # Field 4 (ppid) follows the ")" that closes the command name.
        fields = stat[stat.rfind(")") + 2 :].split()
        if fields[0] == "Z":
            continue
        children.setdefault(int(fields[1]), []).append(int(entry))
    found: dict[int, str] = {}
    todo = list(children.get(root, []))
    while todo:
        pid = todo.pop()
        found[pid] = cmdline(pid)
        todo.extend(children.get(pid, []))
    return found


def cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        return "?"


def reap() -> None:
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        print("no-leftovers: prctl(PR_SET_CHILD_SUBREAPER) failed", file=sys.stderr)
        return 2
    # Short: unix socket paths below it must stay under 108 bytes.
    tmp = tempfile.mkdtemp(prefix="yt.")
    # Like /tmp: tests that run programs as another user need to reach it.
    os.chmod(tmp, 0o1777)
    env = dict(os.environ, TMPDIR=tmp)
    # Ctrl-C reaches the whole foreground group; let the command handle it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    child = subprocess.Popen(argv, env=env)
    # As a subreaper this process inherits every orphan: reap them as they
    # exit, or they stay zombies that look alive to kill(pid, 0) and stall
    # whatever waits for them to go (an agent waiting for a plugin's exit).
    while True:
        pid, wait_status = os.waitpid(-1, 0)
        if pid == child.pid:
            status = os.waitstatus_to_exitcode(wait_status)
            break

    me = os.getpid()
    deadline = time.monotonic() + GRACE_SECONDS
    left = descendants(me)
    while left and time.monotonic() < deadline:
        reap()
        time.sleep(0.2)
        left = descendants(me)
    problems = []
    if left:
        problems.append(f"{len(left)} process(es) still running after the command exited:")
        problems += [f"  pid {pid}: {cmd}" for pid, cmd in sorted(left.items())]
        for pid in left:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        time.sleep(0.2)
        reap()
    leftover_files = sorted(os.listdir(tmp))
    if leftover_files:
        lines = [f"{len(leftover_files)} entr(y/ies) left in the run's TMPDIR {tmp}:"]
        lines += [f"  {name}" for name in leftover_files[:50]]
        if os.environ.get("YURT_STRICT_TMPDIR") == "0":
            print("no-leftovers: warning: " + "\n".join(lines), file=sys.stderr)
        else:
            problems += lines
    shutil.rmtree(tmp, ignore_errors=True)
    if problems:
        print("no-leftovers: " + "\n".join(problems), file=sys.stderr)
        if status == 0:
            return 3
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
