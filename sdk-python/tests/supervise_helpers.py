"""Shared helpers for the yurt.supervise tests (real processes, the native supervisor)."""

from __future__ import annotations

import os
import time
from pathlib import Path

from yurt import supervise
from yurt.supervise._state import is_alive, proc_stat

ENV = {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}


def spec(script: str, **kw: object) -> supervise.TaskSpec:
    """A `sh -c script` task with a plain PATH."""
    kw.setdefault("env", dict(ENV))
    return supervise.TaskSpec(command="sh", args=["-c", script], **kw)  # type: ignore[arg-type]


def wait_for(path: Path, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists() or not path.read_text().strip():
        assert time.monotonic() < deadline, f"{path} never appeared"
        time.sleep(0.01)


def gone(pid: int, timeout: float = 5.0) -> bool:
    """Whether `pid` is gone (or a zombie) within `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while is_alive(pid, 0):
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.01)
    return True


def ppid(pid: int) -> int:
    st = proc_stat(pid)
    assert st is not None, f"pid {pid} is gone"
    return st.ppid
