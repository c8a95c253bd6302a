"""Task supervision: run a driver's task so that it outlives the plugin, and drive it.

A task driver calls this layer instead of writing its own supervisor::

    from yurt import supervise

    task = await supervise.start(
        supervise.TaskSpec(command="/bin/sleep", args=["60"], env=env, task_id=cfg.id),
        state_dir,
    )
    handle.driver_state = task.handle()          # all a fresh plugin needs
    ...
    task = supervise.reattach(handle.driver_state)  # RecoverTask, in another process
    result = await task.wait()                   # ExitResult, recorded durably
    await task.stop("SIGINT", timeout=5)         # the signal, then SIGKILL of the group
    usage = task.stats()                         # Nomad's units (% of a core, MHz, bytes)
    await task.destroy()                         # kills every process, removes the state

Each task runs under its own small supervisor process, started in a new session. The Python
layer runs the native `yurt-supervise` program built from the Rust SDK (a Python interpreter
per task would cost several MiB each), found in `$YURT_SUPERVISE_PROGRAM`, else the copy
bundled in the package (`yurt/_bin/yurt-supervise`), else PATH.

The plugin and the supervisor share nothing but the files of the task's state directory,
defined once for the Go, Python and Rust SDKs in `proto/yurt/supervise/v1/supervise.proto`,
and signals: a task started by any SDK's layer can be driven by any other's.

What is caught where (`isolation()` tells which path is in force on this host;
`Started.cgroup` names the task's cgroup, empty when there is none):

- as root with a writable cgroup hierarchy (v1's memory controller, else a cgroup2 mount;
  `$YURT_SUPERVISE_CGROUP` = v1, v2 or none picks one), every task runs in its own cgroup:
  memory limit, CPU shares, an OOM kill reported in `ExitResult.oom_killed`, and every
  process in the cgroup killed at the end and on destroy (even one that left the process
  group after its supervisor was killed);
- always, the process-group and subreaper path:
- stop sends its signal to the task's main process, then SIGKILL to the task's process group;
- the supervisor is a child subreaper: every process descended from it, including ones that
  called setsid or double-forked, is killed when the main process exits and on destroy;
- a process that leaves the supervisor's subtree some other way (a new PID namespace, or a
  process started on the task's behalf by another daemon) is not caught.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._program import PROGRAM_ENV, SUPERVISE_ARG, find_program, isolation
    from ._state import (
        ErrorKind,
        ExitResult,
        ResourceLimits,
        Started,
        SuperviseError,
        TaskSpec,
    )
    from ._stats import Compute, Sampler, TaskUsage
    from ._task import Task, parse_signal, reattach, reattach_dir, start

# A driver needs this layer from its first StartTask or RecoverTask on, not to
# answer the host's first calls: importing it (its dataclasses, the state
# format's protobuf module, /proc readers) is a tenth of a Python plugin's
# start-up, so each name loads its submodule on first use (PEP 562).
_LAZY = {
    "PROGRAM_ENV": "_program",
    "SUPERVISE_ARG": "_program",
    "find_program": "_program",
    "isolation": "_program",
    "ErrorKind": "_state",
    "ExitResult": "_state",
    "ResourceLimits": "_state",
    "Started": "_state",
    "SuperviseError": "_state",
    "TaskSpec": "_state",
    "Compute": "_stats",
    "Sampler": "_stats",
    "TaskUsage": "_stats",
    "Task": "_task",
    "parse_signal": "_task",
    "reattach": "_task",
    "reattach_dir": "_task",
    "start": "_task",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'yurt.supervise' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "PROGRAM_ENV",
    "SUPERVISE_ARG",
    "Compute",
    "ErrorKind",
    "ExitResult",
    "ResourceLimits",
    "Sampler",
    "Started",
    "SuperviseError",
    "Task",
    "TaskSpec",
    "TaskUsage",
    "find_program",
    "isolation",
    "parse_signal",
    "reattach",
    "reattach_dir",
    "start",
]
