"""Finding the native `yurt-supervise` program the Python layer runs for each task.

A Python interpreter per task would cost several MiB of memory each (the goal is at most 2 MiB
per supervised task), so the Python SDK runs the small supervisor built from the Rust SDK
(`cargo build -p yurt-supervise`), as `<program> yurt-supervise <state dir>`.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from ._state import ErrorKind, SuperviseError

#: argv[1] that makes the program a supervisor (the same convention as Go and Rust plugins).
SUPERVISE_ARG = "yurt-supervise"
#: The environment variable naming the program; it wins over every other place.
PROGRAM_ENV = "YURT_SUPERVISE_PROGRAM"
#: The copy bundled in the package (placed by `make -C sdk-python supervisor`).
BUNDLED = Path(__file__).resolve().parent.parent / "_bin" / "yurt-supervise"


def _executable(path: Path) -> bool:
    return path.is_file() and os.access(path, os.X_OK)


def find_program() -> Path:
    """The supervisor program: $YURT_SUPERVISE_PROGRAM, then the bundled copy, then PATH."""
    configured = os.environ.get(PROGRAM_ENV, "")
    if configured:
        path = Path(configured)
        if not _executable(path):
            raise SuperviseError(
                ErrorKind.FAILED,
                f"${PROGRAM_ENV}: expected the path of an executable yurt-supervise program, "
                f"got {configured!r}",
            )
        return path.absolute()
    if _executable(BUNDLED):
        return BUNDLED
    found = shutil.which("yurt-supervise")
    if found:
        return Path(found).absolute()
    raise SuperviseError(
        ErrorKind.FAILED,
        "the yurt-supervise program was not found: looked in "
        f"${PROGRAM_ENV} (unset), the package's bundled copy {BUNDLED} (absent; "
        "`make -C sdk-python supervisor` builds and places it), and PATH",
    )


def isolation() -> str:
    """What the supervisor puts a task with resource limits in, on this host.

    "cgroup-v1" when the plugin runs as root and cgroup v1's memory controller is mounted
    (the task gets its own cgroup: memory limit, CPU shares, OOM kills reported, every
    process in it killed at the end; `Started.cgroup` names it); else
    "process-group+subreaper". Tasks without limits always get the latter. The same rule as
    the supervisor's (yurt_supervise::isolation in the Rust SDK).
    """
    if os.geteuid() == 0 and os.path.exists("/sys/fs/cgroup/memory/cgroup.procs"):
        return "cgroup-v1"
    return "process-group+subreaper"
