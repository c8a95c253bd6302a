"""hello: a small Nomad task driver written with the Yurt Python SDK.

Plugin config: config { kill_signal = "SIGTERM" }   (optional)
Task config:   config { command = "echo"  args = ["hi"] }
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import os
import signal as signals
import subprocess
from dataclasses import dataclass, field
from typing import IO

import yurt
from yurt import hclspec
from yurt.driver import ExitResult, TaskConfig, TaskHandle, TaskState, TaskStatus
from yurt.errors import PluginError, TaskNotFoundError


@dataclass
class HelloConfig:  # plugin "hello" { config { ... } }
    kill_signal: str = "SIGTERM"


@dataclass
class TaskSpec:  # a task's config { ... }
    command: str
    args: list[str] = field(default_factory=list)


@dataclass
class State:  # driver_state: with the task's id, all RecoverTask is given
    pid: int
    start_ticks: int  # the process's start time, so a reused pid is not mistaken for it
    started_at: str


@dataclass
class Task:
    name: str
    state: State
    done: asyncio.Event = field(default_factory=asyncio.Event)
    result: ExitResult | None = None
    error: str = ""
    completed_at: dt.datetime | None = None
    watcher: asyncio.Task[None] | None = None

    def finish(self, result: ExitResult | None, error: str = "") -> None:
        self.result, self.error = result, error
        self.completed_at = dt.datetime.now(dt.UTC)
        self.done.set()


def start_ticks(pid: int) -> int | None:
    """The start time of live process `pid` (/proc/<pid>/stat field 22), or None."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return None
    return None if fields[0] == "Z" else int(fields[19])


def open_log(path: str) -> IO[bytes]:
    return open(path or os.devnull, "ab")  # Nomad's log FIFO; its reader is already open


class Hello(yurt.DriverPlugin):
    name = "hello"
    version = "0.1.0"
    config_spec = hclspec.obj(
        kill_signal=hclspec.default(hclspec.attr("kill_signal", "string"), "SIGTERM"),
    )
    config_type = HelloConfig
    task_config_spec = hclspec.obj(
        command=hclspec.attr("command", "string", required=True),
        args=hclspec.default(hclspec.attr("args", "list(string)"), []),
    )
    task_config_type = TaskSpec

    def __init__(self) -> None:
        super().__init__()
        self.tasks: dict[str, Task] = {}

    def _task(self, task_id: str) -> Task:
        if task_id not in self.tasks:
            raise TaskNotFoundError(task_id)  # Nomad matches this error's exact text
        return self.tasks[task_id]

    async def start_task(self, task: TaskConfig) -> TaskHandle:
        if task.id in self.tasks:
            raise PluginError(f"task {task.id!r} is already started")
        spec: TaskSpec = task.driver_config
        with open_log(task.stdout_path) as out, open_log(task.stderr_path) as err:
            try:
                proc = await asyncio.create_subprocess_exec(
                    spec.command,
                    *spec.args,
                    env={**task.env, **task.device_env} or None,
                    cwd=os.path.join(task.alloc_dir, task.name) if task.alloc_dir else None,
                    stdin=subprocess.DEVNULL,
                    stdout=out,
                    stderr=err,
                    start_new_session=True,  # its own process group; it outlives the plugin
                )
            except OSError as exc:
                raise PluginError(f"cannot run {spec.command!r}: {exc}") from None
        state = State(proc.pid, start_ticks(proc.pid) or 0, dt.datetime.now(dt.UTC).isoformat())
        self.tasks[task.id] = running = Task(task.name, state)
        running.watcher = asyncio.create_task(self._reap(running, proc))
        handle = TaskHandle(config=task, state=TaskState.RUNNING)
        handle.set_state(state)  # Nomad persists it and hands it back to recover_task
        return handle

    async def _reap(self, task: Task, proc: asyncio.subprocess.Process) -> None:
        code = await proc.wait()  # a negative code: killed by that signal
        task.finish(ExitResult(exit_code=code) if code >= 0 else ExitResult(128 - code, -code))

    async def _watch(self, task: Task) -> None:
        # Not our child, so there is no exit to await: poll /proc until it is gone.
        while start_ticks(task.state.pid) == task.state.start_ticks:  # noqa: ASYNC110
            await asyncio.sleep(0.5)
        task.finish(None, f"process {task.state.pid} was not our child; its exit code is unknown")

    async def recover_task(self, handle: TaskHandle) -> None:
        if handle.config.id in self.tasks:
            return  # still ours: recovery is idempotent
        state: State | None = handle.get_state(State)
        if state is None or start_ticks(state.pid) != state.start_ticks:
            raise PluginError(f"task {handle.config.id!r}: its process is gone, cannot recover")
        task = self.tasks[handle.config.id] = Task(handle.config.name, state)
        task.watcher = asyncio.create_task(self._watch(task))

    async def wait_task(self, task_id: str) -> ExitResult:
        task = self._task(task_id)
        await task.done.wait()  # any number of waiters, before or after the exit
        if task.result is None:
            raise PluginError(task.error)
        return task.result

    def _kill(self, task: Task, name: str) -> None:
        try:
            sig = signals.Signals["SIG" + name.upper().removeprefix("SIG")]
        except KeyError:
            raise PluginError(f"signal: expected a name like SIGTERM, got {name!r}") from None
        with contextlib.suppress(ProcessLookupError):
            os.killpg(task.state.pid, sig)

    async def stop_task(self, task_id: str, timeout: float, signal: str) -> None:
        task = self._task(task_id)
        if task.done.is_set():
            return
        config: HelloConfig = self.config or HelloConfig()
        self._kill(task, signal or config.kill_signal)
        try:
            await asyncio.wait_for(task.done.wait(), timeout)
        except TimeoutError:
            self._kill(task, "SIGKILL")
            await task.done.wait()

    async def destroy_task(self, task_id: str, force: bool) -> None:
        task = self._task(task_id)
        if not task.done.is_set():
            if not force:
                raise PluginError("cannot destroy running task")
            self._kill(task, "SIGKILL")
            await task.done.wait()
        del self.tasks[task_id]

    async def inspect_task(self, task_id: str) -> TaskStatus:
        task = self._task(task_id)
        return TaskStatus(
            id=task_id,
            name=task.name,
            state=TaskState.EXITED if task.done.is_set() else TaskState.RUNNING,
            started_at=dt.datetime.fromisoformat(task.state.started_at),
            completed_at=task.completed_at,
            exit_result=task.result,
            driver_attributes={"pid": str(task.state.pid)},
        )


if __name__ == "__main__":
    yurt.serve(Hello())
