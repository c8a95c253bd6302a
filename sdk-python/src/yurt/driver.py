"""Task drivers: the DriverPlugin base class and its public types.

A driver subclasses DriverPlugin, declares its task config schema and type,
and implements the async task lifecycle. Everything Nomad needs to find a
task again after the plugin restarts must go into `TaskHandle.driver_state`:
RecoverTask receives the handle with an empty driver config.

    class MyDriver(yurt.DriverPlugin):
        name = "mydriver"
        task_config_spec = hclspec.obj(command=hclspec.attr("command", "string", True))
        task_config_type = MyTaskConfig

        async def start_task(self, task: TaskConfig) -> TaskHandle: ...
"""

from __future__ import annotations

import asyncio
import datetime as dt
import enum
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

import grpc
from google.protobuf import timestamp_pb2

from . import config as _config
from . import hclspec
from ._proto.hashicorp.nomad.plugins.drivers.proto import driver_pb2, driver_pb2_grpc
from ._proto.hashicorp.nomad.plugins.shared.structs import attribute_pb2
from ._rpc import report, stream, unary
from .base import BasePlugin, PluginType
from .errors import ConfigError, TaskNotFoundError

__all__ = [
    "Capabilities",
    "CpuUsage",
    "DriverPlugin",
    "ExecResult",
    "ExecSession",
    "ExitResult",
    "FSIsolation",
    "Fingerprint",
    "HealthState",
    "MemoryUsage",
    "MountConfigs",
    "NetworkIsolationMode",
    "Resources",
    "TaskConfig",
    "TaskEvent",
    "TaskHandle",
    "TaskNotFoundError",
    "TaskResourceUsage",
    "TaskState",
    "TaskStats",
    "TaskStatus",
    "TerminalSize",
]


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
                driver_pb2.ExecTaskStreamingResponse(
                    stdout=driver_pb2.ExecTaskStreamingIOOperation(data=data)
                )
            )

    async def write_stderr(self, data: bytes) -> None:
        """Send output to the user's stderr (empty data is not sent); a tty merges it."""
        if data:
            await self._send(
                driver_pb2.ExecTaskStreamingResponse(
                    stderr=driver_pb2.ExecTaskStreamingIOOperation(data=data)
                )
            )

    async def _send(self, response: driver_pb2.ExecTaskStreamingResponse) -> None:
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


class DriverPlugin(BasePlugin):
    """Base class for task drivers. Unimplemented optional RPCs answer Unimplemented."""

    plugin_type: ClassVar[PluginType] = PluginType.DRIVER
    capabilities: ClassVar[Capabilities] = Capabilities()
    #: Schema of a task's `config {}` block.
    task_config_spec: ClassVar[hclspec.Spec | None] = None
    #: Dataclass a task's config decodes into; None: a plain dict.
    task_config_type: ClassVar[type[Any] | None] = None
    #: Seconds between repeated fingerprints from the default fingerprint().
    fingerprint_interval: ClassVar[float] = 30.0

    def __init__(self) -> None:
        super().__init__()
        self._event_queues: set[asyncio.Queue[TaskEvent]] = set()

    # --- lifecycle hooks -----------------------------------------------------

    async def fingerprint(self) -> AsyncIterator[Fingerprint]:
        """Yield at once, then on change; the default reports healthy periodically."""
        while True:
            yield Fingerprint()
            await asyncio.sleep(self.fingerprint_interval)

    async def start_task(self, task: TaskConfig) -> TaskHandle:
        """Start `task` and return its handle. Required.

        `task.id` keys every later call and is unique: starting an id that is
        already known is an error. Put in `TaskHandle.driver_state` everything
        needed to find the task again: Nomad persists the handle and, after a
        client restart, gives RecoverTask only that (not the task's config).
        Write the task's output to `task.stdout_path`/`task.stderr_path` (FIFOs
        Nomad's log collector reads). On failure, clean up whatever was
        created and raise; RecoverableError lets the job's restart policy retry.
        """
        raise NotImplementedError

    async def recover_task(self, handle: TaskHandle) -> None:
        """Re-attach to a task this driver started earlier, from `handle` alone. Required.

        Nomad calls it after a client or plugin restart with the persisted
        handle; `handle.config`'s driver config is empty, so rely on
        `handle.driver_state`. A task that is already known succeeds without
        side effects. Afterwards the task is waitable, inspectable and
        stoppable; if it exited meanwhile, recovery succeeds and WaitTask
        reports the real exit. Raise when the task cannot be found: Nomad then
        destroys it (force) and does not run it until the servers decide.
        """
        raise NotImplementedError

    async def wait_task(self, task_id: str) -> ExitResult:
        """Block until the task exits and return its ExitResult. Required.

        Nomad calls it any number of times, concurrently, and after the exit
        (then it returns at once), until DestroyTask. Never invent an exit:
        raise when the result is unknown. Unknown ids raise TaskNotFoundError.
        """
        raise NotImplementedError

    async def stop_task(self, task_id: str, timeout: float, signal: str) -> None:
        """Send `signal`, wait up to `timeout` seconds, then kill; return once exited. Required.

        An empty `signal` means the driver's default (usually SIGTERM or
        SIGINT); Nomad passes the task's kill_signal and kill_timeout. Stopping
        does not forget the task: WaitTask and InspectTask keep working.
        Stopping an exited task succeeds. Unknown ids raise TaskNotFoundError.
        """
        raise NotImplementedError

    async def destroy_task(self, task_id: str, force: bool) -> None:
        """Forget the task and free everything it holds. Required.

        Raise for a running task unless `force`, which kills it first. After
        it, every call for `task_id` raises TaskNotFoundError (Nomad matches
        that error's exact text, and ignores it from DestroyTask).
        """
        raise NotImplementedError

    async def inspect_task(self, task_id: str) -> TaskStatus:
        """The task's TaskStatus: state, start and completion times, exit result. Required.

        Unknown ids raise TaskNotFoundError.
        """
        raise NotImplementedError

    async def task_stats(self, task_id: str, interval: float) -> AsyncIterator[TaskStats]:
        """Yield the task's resource usage every `interval` seconds until it exits.

        Nomad calls it only when the client sets `telemetry {
        publish_allocation_metrics = true }`, with `collection_interval` as
        the interval (default 1 s), and shows the samples in
        `nomad alloc status -stats`. CPU is a percentage of ONE core plus
        `total_ticks` in MHz; memory in bytes; list the fields you fill in
        `measured`. A failed call is retried with a back-off (up to 5 s) for
        the task's life; a non-recoverable RecoverableError stops that. Not
        overriding it answers Unimplemented.
        """
        raise NotImplementedError
        yield  # pragma: no cover - makes this an async generator

    async def signal_task(self, task_id: str, signal: str) -> None:
        """Deliver `signal`, by name ("SIGHUP"), to the task.

        Required when `capabilities.send_signals` is true (`nomad alloc
        signal`, template change_mode = "signal"); otherwise it answers
        Unimplemented. Unknown ids raise TaskNotFoundError.
        """
        raise NotImplementedError

    async def exec_task(self, task_id: str, command: list[str], timeout: float) -> ExecResult:
        """Run `command` in the task's environment; return its output and exit result.

        Required when `capabilities.exec` is true: Nomad uses it for script
        health checks, killing the command after `timeout` seconds. The
        command runs with the task's env, working directory and user. A
        command that exits non-zero is a result, not an error.
        """
        raise NotImplementedError

    async def exec_task_streaming(self, session: ExecSession) -> ExitResult:
        """Run session.command interactively in the task; required when exec is advertised."""
        raise NotImplementedError

    def emit_event(self, event: TaskEvent) -> None:
        """Send a task event to every open TaskEvents stream."""
        for queue in list(self._event_queues):
            queue.put_nowait(event)

    # --- plumbing ------------------------------------------------------------

    def _decode_task_config(self, data: bytes) -> Any:
        if not data:
            return None
        if self.task_config_type is None:
            return _config.unpack(data, "task.config")
        return _config.decode(data, self.task_config_type, "task.config")

    def _yurt_register(self, server: grpc.aio.Server) -> None:
        super()._yurt_register(server)
        driver_pb2_grpc.add_DriverServicer_to_server(_DriverServicer(self), server)


# --- converters (private) ------------------------------------------------------


def _attribute(value: AttributeValue) -> attribute_pb2.Attribute:
    if isinstance(value, bool):
        return attribute_pb2.Attribute(bool_val=value)
    if isinstance(value, int):
        return attribute_pb2.Attribute(int_val=value)
    if isinstance(value, float):
        return attribute_pb2.Attribute(float_val=value)
    if isinstance(value, str):
        return attribute_pb2.Attribute(string_val=value)
    raise TypeError(f"attribute: expected bool, int, float or str, got {type(value).__name__}")


def _ts(when: dt.datetime | None) -> timestamp_pb2.Timestamp | None:
    if when is None:
        return None
    ts = timestamp_pb2.Timestamp()
    ts.FromDatetime(when if when.tzinfo else when.replace(tzinfo=dt.UTC))
    return ts


#: Go's zero time.Time, 0001-01-01T00:00:00Z, as seconds since the Unix epoch.
GO_ZERO_TIME_SECONDS = -62135596800


def _ts_always(when: dt.datetime | None) -> timestamp_pb2.Timestamp:
    """A timestamp that is always set: None becomes Go's zero time.

    Nomad's own plugin server sends TaskStatus times this way and its Go
    client fails on a missing one (hashicorp/nomad v2.0.5
    plugins/drivers/utils.go taskStatusToProto / taskStatusFromProto).
    """
    if when is None:
        return timestamp_pb2.Timestamp(seconds=GO_ZERO_TIME_SECONDS, nanos=0)
    ts = _ts(when)
    assert ts is not None
    return ts


def _from_ts_opt(msg: Any, name: str) -> dt.datetime | None:
    """The datetime in field `name` of `msg`; None when unset or Go's zero time."""
    if not msg.HasField(name):
        return None
    ts = getattr(msg, name)
    if ts.seconds == GO_ZERO_TIME_SECONDS and ts.nanos == 0:
        return None
    return _from_ts(ts)


def _from_ts(ts: timestamp_pb2.Timestamp) -> dt.datetime:
    return ts.ToDatetime(tzinfo=dt.UTC)


def _task_config_from_proto(msg: driver_pb2.TaskConfig, driver_config: Any) -> TaskConfig:
    alloc = msg.resources.allocated_resources
    return TaskConfig(
        id=msg.id,
        name=msg.name,
        driver_config=driver_config,
        env=dict(msg.env),
        device_env=dict(msg.device_env),
        resources=Resources(
            cpu_shares=alloc.cpu.cpu_shares,
            memory_mb=alloc.memory.memory_mb,
            memory_max_mb=alloc.memory.memory_max_mb,
        ),
        user=msg.user,
        alloc_dir=msg.alloc_dir,
        stdout_path=msg.stdout_path,
        stderr_path=msg.stderr_path,
        task_group_name=msg.task_group_name,
        job_name=msg.job_name,
        job_id=msg.job_id,
        alloc_id=msg.alloc_id,
        namespace=msg.namespace,
        node_name=msg.node_name,
        node_id=msg.node_id,
        parent_job_id=msg.parent_job_id,
        _wire=msg.SerializeToString(),
    )


def _task_config_to_proto(cfg: TaskConfig) -> driver_pb2.TaskConfig:
    msg = driver_pb2.TaskConfig.FromString(cfg._wire) if cfg._wire else driver_pb2.TaskConfig()
    msg.id = cfg.id
    msg.name = cfg.name
    msg.user = cfg.user
    msg.alloc_dir = cfg.alloc_dir
    msg.stdout_path = cfg.stdout_path
    msg.stderr_path = cfg.stderr_path
    msg.alloc_id = cfg.alloc_id
    msg.job_name = cfg.job_name
    msg.task_group_name = cfg.task_group_name
    msg.env.clear()
    msg.env.update(cfg.env)
    return msg


def _handle_to_proto(handle: TaskHandle) -> driver_pb2.TaskHandle:
    return driver_pb2.TaskHandle(
        version=handle.version,
        config=_task_config_to_proto(handle.config),
        state=int(handle.state),  # type: ignore[arg-type]
        driver_state=handle.driver_state,
    )


def _exit(result: ExitResult) -> driver_pb2.ExitResult:
    return driver_pb2.ExitResult(
        exit_code=result.exit_code, signal=result.signal, oom_killed=result.oom_killed
    )


def _usage(u: TaskResourceUsage) -> driver_pb2.TaskResourceUsage:
    cpu = driver_pb2.CPUUsage()
    for name, enum_name in (
        ("system_mode", "SYSTEM_MODE"),
        ("user_mode", "USER_MODE"),
        ("total_ticks", "TOTAL_TICKS"),
        ("percent", "PERCENT"),
    ):
        value = getattr(u.cpu, name)
        if value is not None:
            setattr(cpu, name, float(value))
            cpu.measured_fields.append(driver_pb2.CPUUsage.Fields.Value(enum_name))  # type: ignore[arg-type]
    mem = driver_pb2.MemoryUsage()
    for name, enum_name in (
        ("rss", "RSS"),
        ("cache", "CACHE"),
        ("swap", "SWAP"),
        ("usage", "USAGE"),
        ("max_usage", "MAX_USAGE"),
    ):
        value = getattr(u.memory, name)
        if value is not None:
            setattr(mem, name, int(value))
            mem.measured_fields.append(driver_pb2.MemoryUsage.Fields.Value(enum_name))  # type: ignore[arg-type]
    return driver_pb2.TaskResourceUsage(cpu=cpu, memory=mem)


def _seconds(duration: Any) -> float:
    return float(duration.seconds) + float(duration.nanos) / 1e9


class _DriverServicer(driver_pb2_grpc.DriverServicer):  # type: ignore[misc]
    def __init__(self, plugin: DriverPlugin) -> None:
        self._p = plugin

    @unary("TaskConfigSchema")
    async def TaskConfigSchema(self, request: Any, context: Any) -> Any:
        spec = self._p.task_config_spec
        if spec is None:
            return driver_pb2.TaskConfigSchemaResponse()
        return driver_pb2.TaskConfigSchemaResponse(spec=hclspec._to_proto(spec))

    @unary("Capabilities")
    async def Capabilities(self, request: Any, context: Any) -> Any:
        c = self._p.capabilities
        return driver_pb2.CapabilitiesResponse(
            capabilities=driver_pb2.DriverCapabilities(
                send_signals=c.send_signals,
                exec=c.exec,
                fs_isolation=int(c.fs_isolation),  # type: ignore[arg-type]
                network_isolation_modes=[int(m) for m in c.network_isolation_modes],  # type: ignore[misc]
                must_create_network=c.must_create_network,
                mount_configs=int(c.mount_configs),  # type: ignore[arg-type]
                disable_log_collection=c.disable_log_collection,
                dynamic_workload_users=c.dynamic_workload_users,
            )
        )

    @stream("Fingerprint")
    async def Fingerprint(self, request: Any, context: Any) -> AsyncIterator[Any]:
        async for fp in self._p.fingerprint():
            yield driver_pb2.FingerprintResponse(
                attributes={k: _attribute(v) for k, v in fp.attributes.items()},
                health=int(fp.health),  # type: ignore[arg-type]
                health_description=fp.description,
            )

    @unary("StartTask")
    async def StartTask(self, request: Any, context: Any) -> Any:
        task = _task_config_from_proto(
            request.task, self._p._decode_task_config(request.task.msgpack_driver_config)
        )
        handle = await self._p.start_task(task)
        return driver_pb2.StartTaskResponse(handle=_handle_to_proto(handle))

    @unary("RecoverTask")
    async def RecoverTask(self, request: Any, context: Any) -> Any:
        cfg_msg = request.handle.config
        task = _task_config_from_proto(
            cfg_msg, self._p._decode_task_config(cfg_msg.msgpack_driver_config)
        )
        # Nomad sends only the handle: task_id is empty and the id is
        # handle.config.id (hashicorp/nomad v2.0.5 plugins/drivers/client.go
        # RecoverTask); task_id is only a fallback.
        if not task.id:
            task.id = request.task_id
        if not task.id:
            raise ConfigError("handle.config.id", "the task id", '"" (and task_id is empty too)')
        handle = TaskHandle(
            config=task,
            state=TaskState(request.handle.state)
            if request.handle.state in (0, 1, 2)
            else TaskState.UNKNOWN,
            driver_state=request.handle.driver_state,
            version=request.handle.version,
        )
        await self._p.recover_task(handle)
        return driver_pb2.RecoverTaskResponse()

    @unary("WaitTask")
    async def WaitTask(self, request: Any, context: Any) -> Any:
        try:
            result = await self._p.wait_task(request.task_id)
        except (TaskNotFoundError, asyncio.CancelledError):
            raise
        except Exception as e:  # the result is unknown, whatever the cause
            # Nomad's own drivers answer an unknown result (a lost supervisor)
            # with the error and exit code -1, never 0 (hashicorp/nomad v2.0.5
            # drivers/rawexec/driver.go handleWait: "if process state is nil,
            # we've probably been killed, so return a reasonable exit state").
            return driver_pb2.WaitTaskResponse(
                err=str(e) or type(e).__name__, result=driver_pb2.ExitResult(exit_code=-1)
            )
        return driver_pb2.WaitTaskResponse(result=_exit(result))

    @unary("StopTask")
    async def StopTask(self, request: Any, context: Any) -> Any:
        await self._p.stop_task(request.task_id, _seconds(request.timeout), request.signal)
        return driver_pb2.StopTaskResponse()

    @unary("DestroyTask")
    async def DestroyTask(self, request: Any, context: Any) -> Any:
        await self._p.destroy_task(request.task_id, request.force)
        return driver_pb2.DestroyTaskResponse()

    @unary("InspectTask")
    async def InspectTask(self, request: Any, context: Any) -> Any:
        st = await self._p.inspect_task(request.task_id)
        status = driver_pb2.TaskStatus(
            id=st.id,
            name=st.name,
            state=int(st.state),  # type: ignore[arg-type]
            started_at=_ts_always(st.started_at),
            completed_at=_ts_always(st.completed_at),
            # Always set, empty while running, as Nomad's server sends it: its
            # Go client dereferences it (hashicorp/nomad v2.0.5
            # plugins/drivers/utils.go exitResultToProto/exitResultFromProto,
            # taskStatusFromProto), so a missing one panics the agent.
            result=_exit(st.exit_result) if st.exit_result else driver_pb2.ExitResult(),
        )
        return driver_pb2.InspectTaskResponse(
            task=status, driver=driver_pb2.TaskDriverStatus(attributes=st.driver_attributes)
        )

    @stream("TaskStats")
    async def TaskStats(self, request: Any, context: Any) -> AsyncIterator[Any]:
        interval = _seconds(request.collection_interval) or 1.0
        async for s in self._p.task_stats(request.task_id, interval):
            yield driver_pb2.TaskStatsResponse(
                stats=driver_pb2.TaskStats(
                    id=s.id,
                    timestamp=_ts(s.timestamp),
                    agg_resource_usage=_usage(s.usage),
                    resource_usage_by_pid={k: _usage(v) for k, v in s.by_pid.items()},
                )
            )

    @stream("TaskEvents")
    async def TaskEvents(self, request: Any, context: Any) -> AsyncIterator[Any]:
        queue: asyncio.Queue[TaskEvent] = asyncio.Queue()
        self._p._event_queues.add(queue)
        try:
            while True:
                ev = await queue.get()
                yield driver_pb2.DriverTaskEvent(
                    task_id=ev.task_id,
                    alloc_id=ev.alloc_id,
                    task_name=ev.task_name,
                    timestamp=_ts(ev.timestamp),
                    message=ev.message,
                    annotations=ev.annotations,
                )
        finally:
            self._p._event_queues.discard(queue)

    @unary("SignalTask")
    async def SignalTask(self, request: Any, context: Any) -> Any:
        await self._p.signal_task(request.task_id, request.signal)
        return driver_pb2.SignalTaskResponse()

    @unary("ExecTask")
    async def ExecTask(self, request: Any, context: Any) -> Any:
        r = await self._p.exec_task(
            request.task_id, list(request.command), _seconds(request.timeout)
        )
        return driver_pb2.ExecTaskResponse(
            stdout=r.stdout, stderr=r.stderr, result=_exit(r.exit_result)
        )

    async def ExecTaskStreaming(self, request_iterator: Any, context: Any) -> None:
        try:
            first = await context.read()
            if first is grpc.aio.EOF or not first.HasField("setup"):
                raise ConfigError("setup", "a setup message first", "a stream without one")
            setup = first.setup
            if not setup.command:
                raise ConfigError("setup.command", "a command to run", "an empty list")
            session = ExecSession(setup.task_id, list(setup.command), setup.tty, context)
            session._feed(first)

            async def pump() -> None:
                while (req := await context.read()) is not grpc.aio.EOF:
                    session._feed(req)
                session._stdin.put_nowait(b"")

            reader = asyncio.create_task(pump())
            try:
                result = await self._p.exec_task_streaming(session)
            finally:
                reader.cancel()
            done = driver_pb2.ExecTaskStreamingIOOperation(close=True)
            await session._send(driver_pb2.ExecTaskStreamingResponse(stdout=done))
            if not session.tty:
                await session._send(driver_pb2.ExecTaskStreamingResponse(stderr=done))
            await session._send(
                driver_pb2.ExecTaskStreamingResponse(exited=True, result=_exit(result))
            )
        except grpc.aio.AbortError:
            raise
        except Exception as exc:
            code, message, trailers = report(exc, "ExecTaskStreaming")
            await context.abort(code, message, trailers)

    @unary("Init")
    async def Init(self, request: Any, context: Any) -> Any:
        return driver_pb2.InitResponse()

    @unary("Shutdown")
    async def Shutdown(self, request: Any, context: Any) -> Any:
        await self._p._yurt_on_shutdown()
        return driver_pb2.ShutdownResponse()
