"""The public types of the driver API: what DriverPlugin methods take and return."""

from __future__ import annotations

import asyncio
import datetime as dt
import enum
from collections.abc import Callable
from dataclasses import field
from typing import TYPE_CHECKING, Any

from .. import config as _config
from .._proto.hashicorp.nomad.plugins.drivers.proto import exec_pb2

if TYPE_CHECKING:
    from dataclasses import dataclass
else:
    from .._dcache import dataclass


class TaskState(enum.IntEnum):
    """A task's state in InspectTask's TaskStatus (Nomad's drivers.TaskState)."""

    UNKNOWN = 0
    RUNNING = 1
    EXITED = 2


class HealthState(enum.IntEnum):
    """A driver's health in a Fingerprint; Nomad schedules tasks only on HEALTHY drivers."""

    UNDETECTED = 0
    UNHEALTHY = 1
    HEALTHY = 2


class FSIsolation(enum.IntEnum):
    """How the driver isolates a task's filesystem (Capabilities.fs_isolation).

    Nomad builds the task directory to match: NONE shares the host filesystem,
    CHROOT gets a chroot built from the client's chroot_env, IMAGE means the
    driver brings its own root (containers), UNVEIL is unveil(2)-style access.
    """

    NONE = 0
    CHROOT = 1
    IMAGE = 2
    UNVEIL = 3


class NetworkIsolationMode(enum.IntEnum):
    """A network mode the driver supports (Capabilities.network_isolation_modes)."""

    HOST = 0
    GROUP = 1
    TASK = 2
    NONE = 3


class MountConfigs(enum.IntEnum):
    """Whether the driver supports the job's host volume mounts (Capabilities.mount_configs)."""

    ANY_MOUNTS = 0
    NO_MOUNTS = 1


AttributeValue = bool | int | float | str


@dataclass(frozen=True)
class Capabilities:
    """What the driver supports, as Nomad reads it from the Capabilities RPC."""

    send_signals: bool = False
    exec: bool = False
    fs_isolation: FSIsolation = FSIsolation.NONE
    network_isolation_modes: tuple[NetworkIsolationMode, ...] = (NetworkIsolationMode.HOST,)
    must_create_network: bool = False
    mount_configs: MountConfigs = MountConfigs.ANY_MOUNTS
    disable_log_collection: bool = False
    dynamic_workload_users: bool = False


@dataclass(frozen=True)
class Fingerprint:
    """The driver's health and node attributes, sent on the Fingerprint stream."""

    health: HealthState = HealthState.HEALTHY
    description: str = "healthy"
    attributes: dict[str, AttributeValue] = field(default_factory=dict)


@dataclass(frozen=True)
class Resources:
    """The task's allocated resources (the parts most drivers need)."""

    cpu_shares: int = 0
    memory_mb: int = 0
    memory_max_mb: int = 0


@dataclass
class TaskConfig:
    """One task as Nomad describes it to StartTask (and, emptied, RecoverTask)."""

    id: str
    name: str = ""
    #: The task's `config {}` decoded into `task_config_type`; None in RecoverTask.
    driver_config: Any = None
    env: dict[str, str] = field(default_factory=dict)
    device_env: dict[str, str] = field(default_factory=dict)
    resources: Resources = field(default_factory=Resources)
    user: str = ""
    alloc_dir: str = ""
    stdout_path: str = ""
    stderr_path: str = ""
    task_group_name: str = ""
    job_name: str = ""
    job_id: str = ""
    alloc_id: str = ""
    namespace: str = ""
    node_name: str = ""
    node_id: str = ""
    parent_job_id: str = ""
    # The wire bytes of the original message, echoed back in TaskHandle.config
    # so fields this type does not model survive the round trip.
    _wire: bytes = field(default=b"", repr=False, compare=False)


@dataclass
class TaskHandle:
    """What Nomad persists for a task; driver_state must be enough to recover it."""

    config: TaskConfig
    state: TaskState = TaskState.RUNNING
    driver_state: bytes = b""
    version: int = 1

    def set_state(self, value: Any) -> None:
        """Store a dataclass or plain data as msgpack in driver_state."""
        self.driver_state = _config.encode(value)

    def get_state(self, cls: type[Any]) -> Any:
        """Decode driver_state into `cls`; errors name `driver_state.<field>`."""
        return _config.decode(self.driver_state, cls, "driver_state")


@dataclass(frozen=True)
class ExitResult:
    """How a task ended: exit code, terminating signal (0 if none) and whether it was OOM-killed."""

    exit_code: int = 0
    signal: int = 0
    oom_killed: bool = False


@dataclass(frozen=True)
class TaskStatus:
    """A task as InspectTask reports it: identity, state, times and exit result."""

    id: str
    name: str
    state: TaskState
    started_at: dt.datetime | None = None
    completed_at: dt.datetime | None = None
    exit_result: ExitResult | None = None
    driver_attributes: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class CpuUsage:
    """CPU use of a task or one of its processes; None marks a figure not measured."""

    system_mode: float | None = None
    user_mode: float | None = None
    total_ticks: float | None = None
    percent: float | None = None


@dataclass(frozen=True)
class MemoryUsage:
    """Memory use in bytes of a task or one of its processes; None marks a figure not measured."""

    rss: int | None = None
    cache: int | None = None
    swap: int | None = None
    usage: int | None = None
    max_usage: int | None = None


@dataclass(frozen=True)
class TaskResourceUsage:
    """CPU and memory use of a task, or of one of its processes."""

    cpu: CpuUsage = field(default_factory=CpuUsage)
    memory: MemoryUsage = field(default_factory=MemoryUsage)


@dataclass(frozen=True)
class TaskStats:
    """One TaskStats sample: the whole task and, optionally, each of its processes by pid."""

    id: str
    usage: TaskResourceUsage
    timestamp: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    by_pid: dict[str, TaskResourceUsage] = field(default_factory=dict)


@dataclass(frozen=True)
class TaskEvent:
    """A task event for Nomad's task events stream (shown by `nomad alloc status`)."""

    task_id: str
    alloc_id: str
    task_name: str
    message: str
    annotations: dict[str, str] = field(default_factory=dict)
    timestamp: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))


@dataclass(frozen=True)
class TerminalSize:
    """A terminal size in characters, for exec sessions with a TTY."""

    height: int
    width: int


class ExecSession:
    """One interactive ExecTaskStreaming call, as the driver sees it.

    Read stdin with read_stdin() (b"" at EOF), write output with
    write_stdout()/write_stderr(). For tty sessions, `size` holds the last
    terminal size and `on_resize` (if set) is called on every change.
    """

    def __init__(self, task_id: str, command: list[str], tty: bool, context: Any) -> None:
        self.task_id = task_id
        self.command = command
        self.tty = tty
        self.size: TerminalSize | None = None
        self.on_resize: Callable[[TerminalSize], None] | None = None
        self._stdin: asyncio.Queue[bytes] = asyncio.Queue()
        self._context = context
        self._stdin_done = False
        # grpc allows one outstanding send per call; stdout and stderr pumps
        # write concurrently (GRPC_CALL_ERROR_TOO_MANY_OPERATIONS otherwise).
        self._write_lock = asyncio.Lock()

    async def read_stdin(self) -> bytes:
        """The next chunk of the user's input; b"" once stdin is closed (and after)."""
        if self._stdin_done:
            return b""
        data = await self._stdin.get()
        if not data:
            self._stdin_done = True
        return data

    async def write_stdout(self, data: bytes) -> None:
        """Send output to the user's stdout (empty data is not sent)."""
        if data:
            await self._send(
                exec_pb2.ExecTaskStreamingResponse(
                    stdout=exec_pb2.ExecTaskStreamingIOOperation(data=data)
                )
            )

    async def write_stderr(self, data: bytes) -> None:
        """Send output to the user's stderr (empty data is not sent); a tty merges it."""
        if data:
            await self._send(
                exec_pb2.ExecTaskStreamingResponse(
                    stderr=exec_pb2.ExecTaskStreamingIOOperation(data=data)
                )
            )

    async def _send(self, response: exec_pb2.ExecTaskStreamingResponse) -> None:
        async with self._write_lock:
            await self._context.write(response)

    def _feed(self, request: Any) -> None:
        if request.HasField("tty_size"):
            self.size = TerminalSize(request.tty_size.height, request.tty_size.width)
            if self.on_resize is not None:
                self.on_resize(self.size)
        if request.HasField("stdin"):
            if request.stdin.data:
                self._stdin.put_nowait(bytes(request.stdin.data))
            if request.stdin.close:
                self._stdin.put_nowait(b"")


@dataclass(frozen=True)
class ExecResult:
    """The outcome of a non-interactive ExecTask: the command's output and its exit result."""

    stdout: bytes = b""
    stderr: bytes = b""
    exit_result: ExitResult = field(default_factory=ExitResult)
