"""pyexec: a raw_exec-like Nomad task driver written with the Yurt Python SDK.

Runs a command with arguments as a plain host process. Each task gets a small
supervisor process (supervisor.py) in its own session that owns the task and
records its exit status, so tasks survive the plugin's death and a fresh
plugin recovers them from driver_state alone, reporting real exit codes.

Task config:   config { command = "/bin/sleep"  args = ["10"] }
Plugin config: config { state_dir = "/var/lib/pyexec" }   (optional)
"""

# Local /proc and state-file access is quick and synchronous on purpose, and the
# supervisor is a detached process no event loop should own or reap-watch.
# ruff: noqa: ASYNC220, ASYNC240

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import fcntl
import json
import os
import pty
import pwd
import shutil
import signal as signals
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yurt
from yurt import hclspec
from yurt.driver import (
    Capabilities,
    CpuUsage,
    ExecResult,
    ExecSession,
    ExitResult,
    Fingerprint,
    HealthState,
    MemoryUsage,
    TaskConfig,
    TaskHandle,
    TaskResourceUsage,
    TaskState,
    TaskStats,
    TaskStatus,
    TerminalSize,
)
from yurt.errors import PluginError, TaskNotFoundError

SUPERVISOR = Path(__file__).resolve().parent / "supervisor.py"
CLK_TCK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")
POLL_S = 0.05


@dataclass
class DriverConfig:
    state_dir: str = ""


@dataclass
class TaskSpec:
    command: str
    args: list[str] = field(default_factory=list)


@dataclass
class State:
    """driver_state: everything needed to find the task again."""

    task_id: str
    state_dir: str
    task_pid: int
    supervisor_pid: int
    started_at: str


@dataclass
class Task:
    state: State
    name: str
    env: dict[str, str]
    cwd: str

    @property
    def exit_file(self) -> Path:
        return Path(self.state.state_dir) / "exit.json"

    def exit_result(self) -> tuple[ExitResult, dt.datetime] | None:
        try:
            data = json.loads(self.exit_file.read_text())
        except FileNotFoundError:
            return None
        return (
            ExitResult(exit_code=int(data["exit_code"]), signal=int(data["signal"])),
            dt.datetime.fromisoformat(data["completed_at"]),
        )


def _parse_signal(name: str, default: signals.Signals) -> signals.Signals:
    if not name:
        return default
    key = name.upper()
    if not key.startswith("SIG"):
        key = "SIG" + key
    try:
        return signals.Signals[key]
    except KeyError:
        raise PluginError(f"signal: expected a signal name like SIGTERM, got {name!r}") from None


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    # Reading the stat file of a process reaped after the open fails with ESRCH.
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False


def _group_pids(pgid: int) -> list[int]:
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError, IndexError):
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            pids.append(int(entry))
    return pids


def _proc_usage(pid: int, pgid: int | None = None) -> tuple[float, float, int] | None:
    """(user seconds, system seconds, rss bytes) from /proc; None when the
    process is gone, a zombie, or (given `pgid`) no longer in that group."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        if fields[0] == "Z" or (pgid is not None and int(fields[2]) != pgid):
            return None
        with open(f"/proc/{pid}/statm") as fh:
            rss_pages = int(fh.read().split()[1])
    except (FileNotFoundError, ProcessLookupError, IndexError, ValueError):
        return None
    return int(fields[11]) / CLK_TCK, int(fields[12]) / CLK_TCK, rss_pages * PAGE


RESCAN_S = 5.0  # as Nomad's executor rescans for its pid collector


class GroupMembers:
    """The pids of a task's process group for stats sampling.

    Finding them reads the stat of every process on the host, so that full
    scan runs at most every `rescan` seconds; samples in between reuse its
    pids (`_proc_usage` drops the gone and the reused). A process the task
    forks is counted from the next scan on.
    """

    def __init__(self, pgid: int, rescan: float = RESCAN_S) -> None:
        self.pgid = pgid
        self.rescan = rescan
        self.scans = 0
        self._pids: list[int] = []
        self._at: float | None = None

    def pids(self) -> list[int]:
        now = time.monotonic()
        if self._at is None or now - self._at >= self.rescan:
            self._pids = _group_pids(self.pgid)
            self._at = now
            self.scans += 1
        return list(self._pids)


class PyExec(yurt.DriverPlugin):
    name = "pyexec"
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
        self.tasks: dict[str, Task] = {}

    def _state_root(self) -> Path:
        configured = self.config.state_dir if isinstance(self.config, DriverConfig) else ""
        root = Path(configured or os.path.join(tempfile.gettempdir(), "yurt-pyexec"))
        root.mkdir(parents=True, exist_ok=True, mode=0o700)
        return root

    def _task(self, task_id: str) -> Task:
        task = self.tasks.get(task_id)
        if task is None:
            raise TaskNotFoundError(task_id)
        return task

    async def fingerprint(self) -> AsyncIterator[Fingerprint]:
        while True:
            yield Fingerprint(
                health=HealthState.HEALTHY,
                description="healthy",
                attributes={"driver.pyexec.version": self.version},
            )
            await asyncio.sleep(30)

    async def start_task(self, task: TaskConfig) -> TaskHandle:
        if task.id in self.tasks:
            raise PluginError(f"task with id {task.id!r} already started")
        spec: TaskSpec = task.driver_config
        if spec is None:
            raise PluginError("task.config: expected a config block with a command, got none")
        command = spec.command
        if os.sep not in command:
            found = shutil.which(command, path=task.env.get("PATH", os.environ.get("PATH")))
            if found is None:
                raise PluginError(f"task.config.command: executable {command!r} not found in PATH")
            command = found
        elif not os.access(command, os.X_OK):
            raise PluginError(f"task.config.command: {command!r} is not an executable file")
        if task.user:
            try:
                pwd.getpwnam(task.user)
            except KeyError:
                raise PluginError(f"task.user: no such user {task.user!r}") from None
        state_dir = self._state_root() / task.id.replace("/", "_")
        state_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        for stale in ("pid.json", "exit.json"):
            with contextlib.suppress(FileNotFoundError):
                (state_dir / stale).unlink()
        cwd = os.path.join(task.alloc_dir, task.name) if task.alloc_dir else ""
        if cwd and not os.path.isdir(cwd):
            cwd = task.alloc_dir
        env = {**task.env, **task.device_env}
        env.setdefault("PATH", os.environ.get("PATH", "/usr/bin:/bin"))
        (state_dir / "spec.json").write_text(
            json.dumps(
                {
                    "command": command,
                    "args": spec.args,
                    "env": env,
                    "cwd": cwd,
                    "stdout_path": task.stdout_path,
                    "stderr_path": task.stderr_path,
                    "user": task.user,
                }
            )
        )
        supervisor = subprocess.Popen(
            [sys.executable, str(SUPERVISOR), str(state_dir)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            close_fds=True,
        )
        pid_file = state_dir / "pid.json"
        exit_file = state_dir / "exit.json"
        deadline = time.monotonic() + 10
        while not pid_file.exists():
            failure = None
            if exit_file.exists():
                error = json.loads(exit_file.read_text()).get("error", "unknown error")
                failure = f"failed to start task {task.id!r}: {error}"
            elif time.monotonic() > deadline or supervisor.poll() not in (None, 0):
                supervisor.kill()
                failure = f"failed to start task {task.id!r}: supervisor did not start it"
            if failure is not None:
                supervisor.wait()
                shutil.rmtree(state_dir, ignore_errors=True)  # leave nothing behind
                raise PluginError(failure)
            await asyncio.sleep(POLL_S)
        started = json.loads(pid_file.read_text())
        state = State(
            task_id=task.id,
            state_dir=str(state_dir),
            task_pid=int(started["pid"]),
            supervisor_pid=supervisor.pid,
            started_at=started["started_at"],
        )
        # Reap the supervisor when it ends so no zombie lingers while we live;
        # a daemon thread, so it never holds up the plugin's exit.
        threading.Thread(target=supervisor.wait, name=f"reap-{task.id}", daemon=True).start()
        self.tasks[task.id] = Task(state=state, name=task.name, env=env, cwd=cwd)
        handle = TaskHandle(config=task, state=TaskState.RUNNING)
        handle.set_state(state)
        self.log.info("task started", extra={"task_id": task.id, "pid": state.task_pid})
        return handle

    async def recover_task(self, handle: TaskHandle) -> None:
        task_id = handle.config.id
        if task_id in self.tasks:
            return
        state: State | None = handle.get_state(State)
        if state is None:
            raise PluginError("driver_state: expected the pyexec task state, got empty bytes")
        task = Task(state=state, name=handle.config.name, env=dict(handle.config.env), cwd="")
        if task.exit_result() is None and not _alive(state.task_pid):
            raise PluginError(
                f"task {task_id!r}: process {state.task_pid} is gone and its supervisor "
                "recorded no exit status; the exit code is unknown"
            )
        self.tasks[task_id] = task
        self.log.info("task recovered", extra={"task_id": task_id, "pid": state.task_pid})

    async def wait_task(self, task_id: str) -> ExitResult:
        task = self._task(task_id)
        while True:
            done = task.exit_result()
            if done is not None:
                return done[0]
            if not _alive(task.state.task_pid) and not _alive(task.state.supervisor_pid):
                await asyncio.sleep(0.2)  # the supervisor may be mid-write
                done = task.exit_result()
                if done is not None:
                    return done[0]
                raise PluginError(f"task {task_id!r}: supervisor died without an exit status")
            await asyncio.sleep(POLL_S)

    def _signal_group(self, task: Task, sig: signals.Signals) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(task.state.task_pid, sig)

    async def stop_task(self, task_id: str, timeout: float, signal: str) -> None:
        task = self._task(task_id)
        if task.exit_result() is not None:
            return
        self._signal_group(task, _parse_signal(signal, signals.SIGINT))
        deadline = time.monotonic() + max(timeout, 0.0)
        while time.monotonic() < deadline:
            if task.exit_result() is not None:
                return
            await asyncio.sleep(POLL_S)
        self._signal_group(task, signals.SIGKILL)
        await self.wait_task(task_id)

    async def destroy_task(self, task_id: str, force: bool) -> None:
        task = self._task(task_id)
        if task.exit_result() is None:
            if not force:
                raise PluginError("cannot destroy running task")
            self._signal_group(task, signals.SIGKILL)
            await self.wait_task(task_id)
        shutil.rmtree(task.state.state_dir, ignore_errors=True)
        del self.tasks[task_id]

    async def inspect_task(self, task_id: str) -> TaskStatus:
        task = self._task(task_id)
        started = dt.datetime.fromisoformat(task.state.started_at)
        done = task.exit_result()
        if done is None:
            return TaskStatus(
                id=task_id,
                name=task.name,
                state=TaskState.RUNNING,
                started_at=started,
                driver_attributes={"pid": str(task.state.task_pid)},
            )
        return TaskStatus(
            id=task_id,
            name=task.name,
            state=TaskState.EXITED,
            started_at=started,
            completed_at=done[1],
            exit_result=done[0],
            driver_attributes={"pid": str(task.state.task_pid)},
        )

    async def task_stats(self, task_id: str, interval: float) -> AsyncIterator[TaskStats]:
        task = self._task(task_id)
        last: tuple[float, float] | None = None
        members = GroupMembers(task.state.task_pid)
        while task.exit_result() is None:
            user = system = 0.0
            rss = 0
            by_pid: dict[str, TaskResourceUsage] = {}
            for pid in members.pids():
                usage = _proc_usage(pid, members.pgid)
                if usage is None:
                    continue
                user += usage[0]
                system += usage[1]
                rss += usage[2]
                by_pid[str(pid)] = TaskResourceUsage(
                    cpu=CpuUsage(user_mode=usage[0], system_mode=usage[1]),
                    memory=MemoryUsage(rss=usage[2]),
                )
            now = time.monotonic()
            percent = None
            if last is not None and now > last[0]:
                percent = max(0.0, (user + system - last[1]) / (now - last[0]) * 100.0)
            last = (now, user + system)
            yield TaskStats(
                id=task_id,
                usage=TaskResourceUsage(
                    cpu=CpuUsage(
                        user_mode=user,
                        system_mode=system,
                        total_ticks=(user + system) * CLK_TCK,
                        percent=percent,
                    ),
                    memory=MemoryUsage(rss=rss),
                ),
                by_pid=by_pid,
            )
            await asyncio.sleep(interval)

    async def signal_task(self, task_id: str, signal: str) -> None:
        task = self._task(task_id)
        if task.exit_result() is not None:
            raise PluginError(f"task {task_id!r} has exited; cannot signal it")
        self._signal_group(task, _parse_signal(signal, signals.SIGINT))

    async def exec_task_streaming(self, session: ExecSession) -> ExitResult:
        task = self._task(session.task_id)
        env = task.env or {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}
        if session.tty:
            return await _exec_tty(session, env, task.cwd or None)
        proc = await asyncio.create_subprocess_exec(
            *session.command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            cwd=task.cwd or None,
            start_new_session=True,
        )
        if proc.stdin is None or proc.stdout is None or proc.stderr is None:
            raise PluginError("exec: the command's pipes could not be created")

        async def feed(writer: asyncio.StreamWriter) -> None:
            with contextlib.suppress(ConnectionError):
                while data := await session.read_stdin():
                    writer.write(data)
                    await writer.drain()
            writer.close()

        async def drain(reader: asyncio.StreamReader, write: Any) -> None:
            while data := await reader.read(4096):
                await write(data)

        feeder = asyncio.create_task(feed(proc.stdin))
        await asyncio.gather(
            drain(proc.stdout, session.write_stdout), drain(proc.stderr, session.write_stderr)
        )
        code = await proc.wait()
        feeder.cancel()
        return _exit_from_status(code)

    async def exec_task(self, task_id: str, command: list[str], timeout: float) -> ExecResult:
        task = self._task(task_id)
        if not command:
            raise PluginError("command: expected at least the program to run, got none")
        env = task.env or {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}
        proc = await asyncio.create_subprocess_exec(
            *command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            cwd=task.cwd or None,
            start_new_session=True,
        )
        try:
            out, err = await asyncio.wait_for(proc.communicate(), timeout or None)
        except TimeoutError:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signals.SIGKILL)
            out, err = await proc.communicate()
        code = proc.returncode if proc.returncode is not None else -1
        return ExecResult(out, err, _exit_from_status(code))


def _exit_from_status(code: int) -> ExitResult:
    """A Popen returncode as Nomad reports it: 128+N and the signal when killed."""
    if code < 0:
        return ExitResult(exit_code=128 - code, signal=-code)
    return ExitResult(exit_code=code)


def _set_winsize(fd: int, size: TerminalSize | None) -> None:
    if size is not None and size.height > 0 and size.width > 0:
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", size.height, size.width, 0, 0))


_TAKE_TTY_AND_EXEC = (
    "import fcntl, os, sys, termios; fcntl.ioctl(0, termios.TIOCSCTTY, 0); "
    "os.execvp(sys.argv[1], sys.argv[1:])"
)


async def _exec_tty(session: ExecSession, env: dict[str, str], cwd: str | None) -> ExitResult:
    """Run the command on a fresh pseudo-terminal; output arrives on stdout only."""
    master, slave = pty.openpty()
    _set_winsize(master, session.size)
    session.on_resize = lambda size: _set_winsize(master, size)

    # No preexec_fn here: it forces a plain fork() that runs grpc's fork
    # handlers in the child (they printed epoll errors onto the terminal). A
    # fresh interpreter in its own session takes the terminal and execs.
    proc = subprocess.Popen(
        [sys.executable, "-c", _TAKE_TTY_AND_EXEC, *session.command],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        cwd=cwd,
        start_new_session=True,
        close_fds=True,
    )
    # The parent keeps its slave fd open until the command has exited, so the
    # master never reports EIO early and output written just before exit is
    # not lost; what is left is drained after the exit.
    loop = asyncio.get_running_loop()
    output: asyncio.Queue[bytes] = asyncio.Queue()
    os.set_blocking(master, False)

    def read_available() -> None:
        while True:
            try:
                data = os.read(master, 4096)
            except (BlockingIOError, OSError):
                return
            if not data:
                return
            output.put_nowait(data)

    async def forward() -> None:
        while data := await output.get():
            await session.write_stdout(data)

    async def feed() -> None:
        while data := await session.read_stdin():
            with contextlib.suppress(OSError):
                os.write(master, data)
        with contextlib.suppress(OSError):
            os.write(master, b"\x04")  # EOF for a canonical-mode terminal

    loop.add_reader(master, read_available)
    forwarder = asyncio.create_task(forward())
    feeder = asyncio.create_task(feed())
    try:
        code = await loop.run_in_executor(None, proc.wait)
        loop.remove_reader(master)
        read_available()
        output.put_nowait(b"")
        await forwarder
    finally:
        feeder.cancel()
        forwarder.cancel()
        loop.remove_reader(master)
        os.close(master)
        os.close(slave)
    return _exit_from_status(code)


if __name__ == "__main__":
    yurt.serve(PyExec())
