"""DriverPlugin: the class a task driver subclasses.

Which methods are required, and what an unimplemented optional one answers,
is the optional-RPC table in proto/hashicorp/nomad/plugins/drivers/proto/driver.proto.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any, ClassVar

import grpc

from .. import config as _config
from .. import hclspec
from .._proto.hashicorp.nomad.plugins.drivers.proto import driver_pb2_grpc
from ..base import BasePlugin, PluginType
from .types import (
    Capabilities,
    ExecResult,
    ExecSession,
    ExitResult,
    Fingerprint,
    TaskConfig,
    TaskEvent,
    TaskHandle,
    TaskStats,
    TaskStatus,
)


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
        from ._server import _DriverServicer

        driver_pb2_grpc.add_DriverServicer_to_server(_DriverServicer(self), server)
