"""The public types of yurt.supervise and the state directory's files.

The files are the ones `proto/yurt/supervise/v1/supervise.proto` defines (spec.pb, started.pb,
exit.pb, supervisor.log), shared with the Go and Rust layers. Writes are atomic (temporary
file, fsync, rename, fsync of the directory); reads name the file at fault.
"""

from __future__ import annotations

import datetime as dt
import enum
import os
from dataclasses import field
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from google.protobuf.message import DecodeError, Message

from .._proto.yurt.supervise.v1 import supervise_pb2 as pb
from ..errors import PluginError

if TYPE_CHECKING:
    from dataclasses import dataclass
else:
    from .._dcache import dataclass

SPEC = "spec.pb"
STARTED = "started.pb"
EXIT = "exit.pb"
SUPERVISOR_LOG = "supervisor.log"
#: The one format version this layer reads and writes.
FORMAT_VERSION = 1

M = TypeVar("M", bound=Message)


class ErrorKind(enum.Enum):
    """What went wrong, for callers that branch on it."""

    #: The spec or handle is wrong (the message names the field), or the task could not start.
    INVALID = "invalid"
    #: A state file is missing, corrupted or of another version.
    STATE = "state"
    #: The supervisor is gone without recording the task's exit status.
    SUPERVISOR_GONE = "supervisor_gone"
    #: The task is no longer running (signal to an exited task).
    NOT_RUNNING = "not_running"
    #: Anything else: a system call failed, a bounded wait ran out.
    FAILED = "failed"


class SuperviseError(PluginError):
    """An error of the supervision layer; `kind` says which (a PluginError on the wire)."""

    def __init__(self, kind: ErrorKind, message: str) -> None:
        super().__init__(message)
        self.kind = kind


@dataclass(frozen=True)
class ResourceLimits:
    """Limits applied through a cgroup where one can be made; zero means none."""

    memory_limit_bytes: int = 0
    cpu_shares: int = 0


@dataclass(frozen=True)
class TaskSpec:
    """What the supervisor runs (spec.pb).

    `command` is an absolute path or a name looked up in `env`'s PATH. `env` is the task's
    whole environment: nothing of the plugin's is added. An empty `working_dir` means "/";
    an empty `user` the plugin's own user. Empty `stdout_path`/`stderr_path` discard output.
    """

    command: str
    args: tuple[str, ...] | list[str] = ()
    env: dict[str, str] = field(default_factory=dict)
    working_dir: str = ""
    user: str = ""
    stdout_path: str = ""
    stderr_path: str = ""
    #: Nomad's task ID, for logs and the handle.
    task_id: str = ""
    limits: ResourceLimits = field(default_factory=ResourceLimits)


@dataclass(frozen=True)
class Started:
    """The running task (started.pb): its supervisor and main process."""

    supervisor_pid: int
    pid: int
    #: Field 22 of /proc/<pid>/stat at start: a process with this pid and another start
    #: time is not the task.
    pid_start_time: int
    supervisor_start_time: int
    started_at: dt.datetime
    #: The task's cgroup directory; "" when the process-group and subreaper path is in force.
    cgroup: str = ""


@dataclass(frozen=True)
class ExitResult:
    """How the task ended (exit.pb). `exit_code` is 128+N for a death by signal N."""

    exit_code: int = 0
    signal: int = 0
    oom_killed: bool = False
    completed_at: dt.datetime | None = None
    #: Why the task never ran (naming the spec field at fault); "" when it ran.
    start_error: str = ""


def _time(nanos: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(nanos / 1e9, tz=dt.UTC)


def _nanos(when: dt.datetime) -> int:
    return int(when.timestamp() * 1e9)


def spec_to_pb(spec: TaskSpec) -> pb.TaskSpec:
    """The spec as spec.pb holds it; an error naming the field when it cannot be one."""
    if not isinstance(spec.command, str) or not spec.command:
        raise SuperviseError(
            ErrorKind.INVALID, f"command: expected a program to run, got {spec.command!r}"
        )
    env = []
    for key, value in spec.env.items():
        if not key or "=" in key or "\0" in key or "\0" in value:
            raise SuperviseError(
                ErrorKind.INVALID,
                f"env[{key!r}]: expected a name without '=' or NUL and a value without NUL",
            )
        env.append(f"{key}={value}")
    for name in ("command", "working_dir", "user", "stdout_path", "stderr_path"):
        if "\0" in getattr(spec, name):
            raise SuperviseError(ErrorKind.INVALID, f"{name}: contains a NUL byte")
    for i, arg in enumerate(spec.args):
        if "\0" in arg:
            raise SuperviseError(ErrorKind.INVALID, f"args[{i}]: contains a NUL byte")
    return pb.TaskSpec(
        format_version=FORMAT_VERSION,
        task_id=spec.task_id,
        command=spec.command,
        args=list(spec.args),
        env=env,
        working_dir=spec.working_dir,
        user=spec.user,
        stdout_path=spec.stdout_path,
        stderr_path=spec.stderr_path,
        limits=pb.ResourceLimits(
            memory_limit_bytes=spec.limits.memory_limit_bytes, cpu_shares=spec.limits.cpu_shares
        ),
    )


def spec_from_pb(msg: pb.TaskSpec) -> TaskSpec:
    env: dict[str, str] = {}
    for kv in msg.env:
        key, _, value = kv.partition("=")
        env[key] = value
    return TaskSpec(
        command=msg.command,
        args=tuple(msg.args),
        env=env,
        working_dir=msg.working_dir,
        user=msg.user,
        stdout_path=msg.stdout_path,
        stderr_path=msg.stderr_path,
        task_id=msg.task_id,
        limits=ResourceLimits(msg.limits.memory_limit_bytes, msg.limits.cpu_shares),
    )


def started_from_pb(msg: pb.Started) -> Started:
    return Started(
        supervisor_pid=msg.supervisor_pid,
        pid=msg.pid,
        pid_start_time=msg.pid_start_time,
        supervisor_start_time=msg.supervisor_start_time,
        started_at=_time(msg.started_at_unix_nano),
        cgroup=msg.cgroup,
    )


def started_to_pb(s: Started) -> pb.Started:
    return pb.Started(
        supervisor_pid=s.supervisor_pid,
        pid=s.pid,
        pid_start_time=s.pid_start_time,
        supervisor_start_time=s.supervisor_start_time,
        started_at_unix_nano=_nanos(s.started_at),
        cgroup=s.cgroup,
    )


def exit_from_pb(msg: pb.ExitResult) -> ExitResult:
    return ExitResult(
        exit_code=msg.exit_code,
        signal=msg.signal,
        oom_killed=msg.oom_killed,
        completed_at=_time(msg.completed_at_unix_nano) if msg.completed_at_unix_nano else None,
        start_error=msg.start_error,
    )


def write_message(directory: Path, name: str, msg: Message, *, durable: bool = True) -> None:
    """Write `msg` to directory/name atomically: a reader sees no file or all of it.

    durable (exit.pb) also fsyncs the file before the rename and the directory after it.
    spec.pb is written with durable=False: supervise.proto explains why its durability across
    a host crash is worth nothing on the start path; the supervisor makes it durable once the
    task has ended, before exit.pb.
    """
    tmp = directory / f".{name}.tmp.{os.getpid()}"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o600)
        try:
            os.write(fd, msg.SerializeToString())
            if durable:
                os.fsync(fd)
        finally:
            os.close(fd)
        os.rename(tmp, directory / name)
        if not durable:
            return
        dfd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def read_message(directory: Path, name: str, cls: type[M]) -> M | None:
    """directory/name decoded as `cls`; None when the file does not exist."""
    path = os.path.join(directory, name)  # not pathlib: InspectTask reads this on every call
    try:
        with open(path, "rb", buffering=0) as f:
            data = f.readall()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise SuperviseError(ErrorKind.STATE, f"reading {path}: {exc.strerror}") from None
    msg = cls()
    try:
        msg.ParseFromString(data)
    except DecodeError as exc:
        raise SuperviseError(
            ErrorKind.STATE,
            f"{path}: not a valid {cls.DESCRIPTOR.full_name} message ({len(data)} bytes): "
            f"{exc}; the state file is corrupted",
        ) from None
    return msg


# --- what /proc says about a process -------------------------------------------------------


@dataclass(frozen=True)
class ProcStat:
    """The fields of /proc/<pid>/stat this layer uses (utime/stime in clock ticks)."""

    state: str
    ppid: int
    pgrp: int
    utime: int
    stime: int
    start_time: int


def proc_stat(pid: int) -> ProcStat | None:
    """/proc/<pid>/stat, or None when the process is gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            raw = fh.read()
    # Reading the stat of a process reaped after the open fails with ESRCH.
    except (FileNotFoundError, ProcessLookupError):
        return None
    # The command name (field 2) may hold spaces and parentheses: split after the last ')'.
    fields = raw[raw.rfind(b")") + 2 :].split()
    try:
        return ProcStat(
            state=fields[0].decode(),
            ppid=int(fields[1]),
            pgrp=int(fields[2]),
            utime=int(fields[11]),
            stime=int(fields[12]),
            start_time=int(fields[19]),
        )
    except (IndexError, ValueError):
        return None


def is_alive(pid: int, start_time: int) -> bool:
    """Whether `pid` is a live (non-zombie) process that started at `start_time` (0: any)."""
    if pid <= 0:
        return False
    st = proc_stat(pid)
    if st is None or st.state in ("Z", "X"):
        return False
    return start_time == 0 or st.start_time == start_time
