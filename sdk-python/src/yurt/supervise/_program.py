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


CGROUP_ENV = "YURT_SUPERVISE_CGROUP"


def cgroup2_mount() -> str | None:
    """Where the cgroup v2 hierarchy is mounted: /sys/fs/cgroup on a unified host, else the
    first cgroup2 mount (a hybrid host's /sys/fs/cgroup/unified)."""
    if os.path.exists("/sys/fs/cgroup/cgroup.controllers"):
        return "/sys/fs/cgroup"
    try:
        with open("/proc/self/mountinfo") as fh:
            for line in fh:
                pre, sep, post = line.partition(" - ")
                if sep and post.startswith("cgroup2 "):
                    return pre.split(" ")[4]
    except OSError:
        pass
    return None


def isolation() -> str:
    """What the supervisor puts a task in, on this host (the supervisor's own rule,
    yurt_supervise::isolation in the Rust SDK).

    As root with a writable hierarchy every task gets its own cgroup (memory limit, CPU
    shares, OOM kills reported, every process in it killed at the end and on destroy;
    `Started.cgroup` names it): "cgroup-v1" when cgroup v1's memory controller is mounted,
    else "cgroup-v2" when a cgroup2 hierarchy is; else "process-group+subreaper".
    $YURT_SUPERVISE_CGROUP ("v1", "v2", "none"), passed on to the supervisor, picks one.
    """
    if os.geteuid() != 0:
        return "process-group+subreaper"
    want = os.environ.get(CGROUP_ENV, "")
    v1 = "/sys/fs/cgroup/memory"
    v1_ok = os.path.exists(v1 + "/cgroup.procs") and os.access(v1, os.W_OK)
    if want not in ("v2", "none") and v1_ok:
        return "cgroup-v1"
    mount = cgroup2_mount()
    if want in ("", "v2") and mount and os.access(mount, os.W_OK):
        return "cgroup-v2"
    return "process-group+subreaper"
