"""python-exec: a raw_exec-like Nomad task driver written with the Yurt Python SDK.

Runs a command with arguments as a plain host process. Supervision is the SDK's
(yurt.supervise): each task runs under its own small native supervisor, in its own
session, so it outlives the plugin; driver_state is the supervision handle, all a fresh
plugin needs to recover the task and report its real exit code. This file is only the
driver's configuration and the mapping of Nomad's TaskConfig to a supervised task.

Task config:   config { command = "/bin/sleep"  args = ["10"] }
Plugin config: config { state_dir = "/var/lib/python-exec" }   (optional)
"""

from __future__ import annotations

import asyncio
import contextlib
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

MIB = 1024 * 1024


@dataclass
class DriverConfig:
    state_dir: str = ""


@dataclass
class TaskSpec:
    command: str
    args: list[str] = field(default_factory=list)


def _exit(result: supervise.ExitResult) -> ExitResult:
    return ExitResult(
        exit_code=result.exit_code, signal=result.signal, oom_killed=result.oom_killed
    )


def _working_dir(task: TaskConfig) -> str:
    """`<alloc_dir>/<task name>` (Nomad's task dir) when it exists, else the alloc dir."""
    if not task.alloc_dir:
        return ""
    task_dir = os.path.join(task.alloc_dir, task.name)
    return task_dir if os.path.isdir(task_dir) else task.alloc_dir


def _memory_limit_mb(task: TaskConfig) -> int:
    """The hard memory limit as Nomad's executor sets it (drivers/shared/executor,
    configureCgroupMemory): `memHard, memSoft := res.Memory.MemoryMaxMB, res.Memory.MemoryMB;
    if memHard <= 0 { memHard = res.Memory.MemoryMB }`."""
    return task.resources.memory_max_mb or task.resources.memory_mb


class PythonExec(yurt.DriverPlugin):
    name = "python-exec"
    version = "0.1.0"
    config_spec = hclspec.obj(state_dir=hclspec.default(hclspec.attr("state_dir", "string"), ""))
    config_type = DriverConfig
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

    def _state_root(self, task: TaskConfig) -> Path:
        """The plugin config's state_dir; else the task's private/ dir (Nomad's TaskPrivate:
        hidden from the task, removed with the allocation), as the Go and Rust examples do;
        else the temp dir."""
        configured = self.config.state_dir if isinstance(self.config, DriverConfig) else ""
        if configured:
            return Path(configured)
        private = Path(_working_dir(task), "private")
        if task.alloc_dir and private.is_dir():
            return private / "python-exec"
        return Path(tempfile.gettempdir(), "yurt-python-exec")

    def _task(self, task_id: str) -> supervise.Task:
        task = self.tasks.get(task_id)
        if task is None:
            raise TaskNotFoundError(task_id)
        return task

    async def fingerprint(self) -> AsyncIterator[Fingerprint]:
        while True:
            yield Fingerprint(
                health=HealthState.HEALTHY,
                description="healthy",
                attributes={
                    "driver.python-exec.version": self.version,
                    # What catches a task's processes (Nomad sends every task limits).
                    "driver.python-exec.isolation": supervise.isolation(),
                },
            )
            await asyncio.sleep(30)

    async def start_task(self, task: TaskConfig) -> TaskHandle:
        if task.id in self.tasks:
            raise PluginError(f"task with id {task.id!r} already started")
        config: TaskSpec | None = task.driver_config
        if config is None:
            raise PluginError("task.config: expected a config block with a command, got none")
        spec = supervise.TaskSpec(
            command=config.command,
            args=config.args,
            env={**task.env, **task.device_env},
            working_dir=_working_dir(task),
            user=task.user,
            stdout_path=task.stdout_path,
            stderr_path=task.stderr_path,
            task_id=task.id,
            limits=supervise.ResourceLimits(
                memory_limit_bytes=_memory_limit_mb(task) * MIB,
                cpu_shares=task.resources.cpu_shares,
            ),
        )
        state_dir = self._state_root(task) / task.id.replace("/", "_")
        try:
            started = await supervise.start(spec, state_dir)
        except supervise.SuperviseError as exc:
            raise PluginError(f"failed to start task {task.id!r}: {exc}") from None
        self.tasks[task.id] = started
        self.names[task.id] = task.name
        self.log.info("task started", extra={"task_id": task.id, "pid": started.pid})
        return TaskHandle(config=task, state=TaskState.RUNNING, driver_state=started.handle())

    async def recover_task(self, handle: TaskHandle) -> None:
        # Nomad sends only the handle: the id is handle.config.id, the driver config is empty.
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
        self.log.info("task recovered", extra={"task_id": task_id, "pid": task.pid})

    async def wait_task(self, task_id: str) -> ExitResult:
        return _exit(await self._task(task_id).wait())

    async def stop_task(self, task_id: str, timeout: float, signal: str) -> None:
        task = self._task(task_id)
        await task.stop(supervise.parse_signal(signal, signals.SIGINT), timeout)

    async def destroy_task(self, task_id: str, force: bool) -> None:
        task = self._task(task_id)
        if task.running() and not force:
            raise PluginError("cannot destroy running task")
        await task.destroy()
        # The temp-dir fallback root goes with its last task; private/ goes with the alloc.
        root = task.state_dir.parent
        if root == Path(tempfile.gettempdir(), "yurt-python-exec"):
            with contextlib.suppress(OSError):
                root.rmdir()
        del self.tasks[task_id]
        self.names.pop(task_id, None)

    async def inspect_task(self, task_id: str) -> TaskStatus:
        task = self._task(task_id)
        done = task.exit()
        return TaskStatus(
            id=task_id,
            name=self.names.get(task_id, ""),
            state=TaskState.RUNNING if done is None else TaskState.EXITED,
            started_at=task.started.started_at,
            completed_at=None if done is None else done.completed_at,
            exit_result=None if done is None else _exit(done),
            driver_attributes={"pid": str(task.pid), "cgroup": task.started.cgroup},
        )

    async def task_stats(self, task_id: str, interval: float) -> AsyncIterator[TaskStats]:
        task = self._task(task_id)
        sampler = task.sampler(supervise.Compute.for_agent(self.agent_config))
        while task.running():
            sample = sampler.sample()
            yield TaskStats(
                id=task_id, usage=sample.usage, timestamp=sample.timestamp, by_pid=sample.by_pid
            )
            await asyncio.sleep(interval)

    async def signal_task(self, task_id: str, signal: str) -> None:
        task = self._task(task_id)
        try:
            task.signal(supervise.parse_signal(signal, signals.SIGINT))
        except supervise.SuperviseError as exc:
            raise PluginError(f"task {task_id!r}: {exc}") from None

    async def exec_task(self, task_id: str, command: list[str], timeout: float) -> ExecResult:
        return await self._task(task_id).exec(command, timeout)

    async def exec_task_streaming(self, session: ExecSession) -> ExitResult:
        return await self._task(session.task_id).exec_streaming(session)


if __name__ == "__main__":
    yurt.serve(PythonExec())
