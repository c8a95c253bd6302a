"""__NAME__: a Nomad task driver written with the Yurt Python SDK.

It runs a task's `command` with `args` as a host process (like Nomad's raw_exec).
Each task runs under the SDK's supervision layer (yurt.supervise): a small native
supervisor per task, in its own session, that outlives this plugin, forwards the
task's output to Nomad's log FIFOs and records its real exit status. driver_state
is the layer's handle: all a fresh plugin process needs to recover the task.

Plugin config: config { state_dir = "/var/lib/__NAME__" }   (optional)
Task config:   config { command = "/bin/sleep"  args = ["10"] }
"""

from __future__ import annotations

import asyncio
import os
import signal as signals
import tempfile
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import yurt
from yurt import hclspec, supervise
from yurt.driver import (
    Capabilities,
    ExecResult,
    ExecSession,
    ExitResult,
    Fingerprint,
    HealthState,
    TaskConfig,
    TaskHandle,
    TaskState,
    TaskStats,
    TaskStatus,
)
from yurt.errors import PluginError, TaskNotFoundError


@dataclass
class PluginConfig:
    """The plugin's `config {}` block in the Nomad client's `plugin "__NAME__"` stanza."""

    state_dir: str = ""


@dataclass
class TaskSpec:
    """A task's `config {}` block in a job."""

    command: str
    args: list[str] = field(default_factory=list)


def _exit(result: supervise.ExitResult) -> ExitResult:
    return ExitResult(
        exit_code=result.exit_code, signal=result.signal, oom_killed=result.oom_killed
    )


def _task_dir(task: TaskConfig) -> str:
    """Nomad's task directory, `<alloc_dir>/<task name>`, when it exists; else the alloc dir."""
    if not task.alloc_dir:
        return ""
    task_dir = os.path.join(task.alloc_dir, task.name)
    return task_dir if os.path.isdir(task_dir) else task.alloc_dir


class __TYPE__(yurt.DriverPlugin):
    """The __NAME__ task driver: jobs use it with `driver = "__NAME__"`."""

    name = "__NAME__"
    version = "0.1.0"
    config_spec = hclspec.obj(state_dir=hclspec.default(hclspec.attr("state_dir", "string"), ""))
    config_type = PluginConfig
    task_config_spec = hclspec.obj(
        command=hclspec.attr("command", "string", required=True),
        args=hclspec.default(hclspec.attr("args", "list(string)"), []),
    )
    task_config_type = TaskSpec
    capabilities = Capabilities(send_signals=True, exec=True)

    def __init__(self) -> None:
        super().__init__()
        self.tasks: dict[str, supervise.Task] = {}
        self.names: dict[str, str] = {}

    def _task(self, task_id: str) -> supervise.Task:
        task = self.tasks.get(task_id)
        if task is None:
            raise TaskNotFoundError(task_id)
        return task

    def _state_dir(self, task: TaskConfig) -> Path:
        """Where the supervisor keeps the task's state: the plugin config's state_dir, else
        the task's private/ dir (hidden from the task, removed with the allocation), else
        the temp dir."""
        configured = self.config.state_dir if isinstance(self.config, PluginConfig) else ""
        private = Path(_task_dir(task), "private")
        if configured:
            root = Path(configured)
        elif task.alloc_dir and private.is_dir():
            root = private / self.name
        else:
            root = Path(tempfile.gettempdir(), f"yurt-{self.name}")
        return root / task.id.replace("/", "_")

    async def fingerprint(self) -> AsyncIterator[Fingerprint]:
        """Nomad reads the driver's health from this stream for as long as it is open: send
        the state at once, then whenever it changes. Ending it marks the driver lost."""
        while True:
            yield Fingerprint(
                health=HealthState.HEALTHY,
                description="healthy",
                attributes={f"driver.{self.name}.version": self.version},
            )
            await asyncio.sleep(30)

    async def start_task(self, task: TaskConfig) -> TaskHandle:
        """Start the task and return its handle. Nomad persists the handle's driver_state and
        gives nothing else back after a restart, so it must be enough to find the task again."""
        if task.id in self.tasks:
            raise PluginError(f"task with id {task.id!r} already started")
        config: TaskSpec | None = task.driver_config
        if config is None:
            raise PluginError("task.config: expected a config block with a command, got none")
        spec = supervise.TaskSpec(
            command=config.command,
            args=config.args,
            env={**task.env, **task.device_env},
            working_dir=_task_dir(task),
            user=task.user,
            stdout_path=task.stdout_path,
            stderr_path=task.stderr_path,
            task_id=task.id,
            limits=supervise.ResourceLimits(
                memory_limit_bytes=(task.resources.memory_max_mb or task.resources.memory_mb)
                * 1024
                * 1024,
                cpu_shares=task.resources.cpu_shares,
            ),
        )
        try:
            started = await supervise.start(spec, self._state_dir(task))
        except supervise.SuperviseError as exc:
            raise PluginError(f"failed to start task {task.id!r}: {exc}") from None
        self.tasks[task.id] = started
        self.names[task.id] = task.name
        return TaskHandle(config=task, state=TaskState.RUNNING, driver_state=started.handle())

    async def recover_task(self, handle: TaskHandle) -> None:
        """Runs in a fresh plugin process after a restart. Nomad sends only the handle (the id
        is handle.config.id): rebuild the task from driver_state, return quietly for a task
        this process already has, and raise when it cannot be recovered (Nomad then destroys
        the task and starts it again)."""
        task_id = handle.config.id
        if task_id in self.tasks:
            return
        if not handle.driver_state:
            raise PluginError("driver_state: expected the supervision handle, got empty bytes")
        try:
            task = supervise.reattach(handle.driver_state)
        except supervise.SuperviseError as exc:
            raise PluginError(f"driver_state: {exc}") from None
        self.tasks[task_id] = task
        self.names[task_id] = handle.config.name

    async def wait_task(self, task_id: str) -> ExitResult:
        """Block until the task exits. Nomad may call it many times, concurrently and after the
        exit: each call gets the same result."""
        return _exit(await self._task(task_id).wait())

    async def stop_task(self, task_id: str, timeout: float, signal: str) -> None:
        """Send `signal` (SIGINT when Nomad names none, as its executor does), wait up to
        `timeout` seconds, then kill the task and everything it started."""
        await self._task(task_id).stop(supervise.parse_signal(signal, signals.SIGINT), timeout)

    async def destroy_task(self, task_id: str, force: bool) -> None:
        """Clean up after the task. A running task is an error unless `force`, which kills it
        first. Nothing of the task may be left afterwards."""
        task = self._task(task_id)
        if task.running() and not force:
            raise PluginError("cannot destroy running task")
        await task.destroy()
        del self.tasks[task_id]
        self.names.pop(task_id, None)

    async def inspect_task(self, task_id: str) -> TaskStatus:
        """The task's state: RUNNING, or EXITED with its exit result and completion time."""
        task = self._task(task_id)
        done = task.exit()
        return TaskStatus(
            id=task_id,
            name=self.names.get(task_id, ""),
            state=TaskState.RUNNING if done is None else TaskState.EXITED,
            started_at=task.started.started_at,
            completed_at=None if done is None else done.completed_at,
            exit_result=None if done is None else _exit(done),
            driver_attributes={"pid": str(task.pid)},
        )

    async def task_stats(self, task_id: str, interval: float) -> AsyncIterator[TaskStats]:
        """Resource usage every `interval` seconds in Nomad's units (CPU in % of one core and
        MHz, memory in bytes), until the task exits or Nomad stops reading."""
        task = self._task(task_id)
        sampler = task.sampler(supervise.Compute.for_agent(self.agent_config))
        while task.running():
            sample = sampler.sample()
            yield TaskStats(
                id=task_id, usage=sample.usage, timestamp=sample.timestamp, by_pid=sample.by_pid
            )
            await asyncio.sleep(interval)

    async def signal_task(self, task_id: str, signal: str) -> None:
        """Deliver a signal to the task (`nomad alloc signal`)."""
        try:
            self._task(task_id).signal(supervise.parse_signal(signal, signals.SIGINT))
        except supervise.SuperviseError as exc:
            raise PluginError(f"task {task_id!r}: {exc}") from None

    async def exec_task(self, task_id: str, command: list[str], timeout: float) -> ExecResult:
        """Run a command in the task's environment; stderr is merged into stdout, as Nomad's
        executor does."""
        return await self._task(task_id).exec(command, timeout)

    async def exec_task_streaming(self, session: ExecSession) -> ExitResult:
        """`nomad alloc exec`: an interactive command, with a terminal when one is asked for."""
        return await self._task(session.task_id).exec_streaming(session)


def main() -> None:
    """The plugin's entry point: serve the driver over go-plugin until Nomad stops it."""
    yurt.serve(__TYPE__())


if __name__ == "__main__":
    main()
