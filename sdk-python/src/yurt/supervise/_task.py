"""Starting a supervised task, finding it again, and driving it through its files and signals."""

# Reads of small state files and /proc are quick and synchronous on purpose; the supervisor
# is a detached process (a new session) that no event loop should own, and exit.pb is a file
# to poll, not an event.
# ruff: noqa: ASYNC110, ASYNC220, ASYNC230, ASYNC240

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal as signals
import subprocess
import time
from pathlib import Path
from typing import TYPE_CHECKING

from google.protobuf.message import DecodeError

from .._proto.yurt.supervise.v1 import supervise_pb2 as pb
from ._program import CGROUP_ENV, SUPERVISE_ARG, find_program
from ._state import (
    EXIT,
    FORMAT_VERSION,
    SPEC,
    STARTED,
    SUPERVISOR_LOG,
    ErrorKind,
    ExitResult,
    Started,
    SuperviseError,
    TaskSpec,
    exit_from_pb,
    is_alive,
    read_message,
    spec_from_pb,
    spec_to_pb,
    started_from_pb,
    started_to_pb,
    write_message,
)

if TYPE_CHECKING:
    from yurt.driver import ExecResult, ExecSession
    from yurt.driver import ExitResult as DriverExitResult

    from ._stats import Compute, Sampler, TaskUsage

# The start handshake: the variable naming the supervisor's descriptor, and the byte.
ACK_ENV = "YURT_SUPERVISE_ACK_FD"
ACK_BYTE = b"k"

#: How long start() waits for the supervisor to report the task started (or failed).
START_TIMEOUT = 10.0
#: How long stop and destroy wait for the supervisor after killing.
KILL_WAIT = 10.0
#: The longest pause between two looks at exit.pb while waiting.
POLL_MAX = 0.05
#: The same when the supervisor's exit wakes the waiter (a pidfd in the event loop): the look is
#: then only a fallback. At 0.05 s, 700 waiting tasks cost a Python plugin 14 000 looks a second.
POLL_MAX_WOKEN = 1.0


class _ExitWaker:
    """Wakes a waiter when a process ends: a pidfd (Linux 5.3+) watched by the event loop."""

    def __init__(self, pid: int) -> None:
        self._loop = asyncio.get_running_loop()
        self._fd = os.pidfd_open(pid)
        self._ended = asyncio.Event()
        self._loop.add_reader(self._fd, self._ended.set)

    @classmethod
    def open(cls, pid: int) -> _ExitWaker | None:
        """A waker for pid, or None where pidfds are unavailable or the process is gone."""
        if pid <= 0 or not hasattr(os, "pidfd_open"):
            return None
        try:
            return cls(pid)
        except OSError:
            return None

    async def sleep(self, seconds: float) -> None:
        """Sleeps up to seconds, less if the process ends meanwhile."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._ended.wait(), seconds)

    def close(self) -> None:
        self._loop.remove_reader(self._fd)
        os.close(self._fd)


def parse_signal(sig: int | str, default: int = signals.SIGTERM) -> int:
    """A signal number from a number or a name ("SIGTERM", "TERM", "term"); "" is `default`."""
    if isinstance(sig, int):
        if not 0 < sig < signals.NSIG:
            raise SuperviseError(
                ErrorKind.INVALID, f"signal: expected 1..{signals.NSIG - 1}, got {sig}"
            )
        return sig
    if not sig:
        return int(default)
    key = sig.strip().upper()
    if not key.startswith("SIG"):
        key = "SIG" + key
    try:
        return int(signals.Signals[key])
    except KeyError:
        raise SuperviseError(
            ErrorKind.INVALID, f"signal: expected a signal name like SIGTERM, got {sig!r}"
        ) from None


async def start(spec: TaskSpec, state_dir: str | os.PathLike[str]) -> Task:
    """Start `spec` under a new supervisor with its state in `state_dir`.

    `state_dir` is created (mode 0700) and must not hold a task already. Returns once the
    task's main process runs. A task that could not start raises SuperviseError naming the
    spec field at fault (for example `command "nope": ...`, `user "x": ...`,
    `working_dir "/ro": ...`), and leaves no state directory behind.
    """
    msg = spec_to_pb(spec)
    directory = Path(os.path.abspath(state_dir))
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise SuperviseError(
            ErrorKind.FAILED, f"state dir {str(directory)!r}: cannot create it: {exc.strerror}"
        ) from None
    if (directory / SPEC).exists():
        raise SuperviseError(
            ErrorKind.INVALID, f"state dir {str(directory)!r}: already holds a task"
        )
    try:
        return await _launch(msg, directory)
    except BaseException:
        shutil.rmtree(directory, ignore_errors=True)
        raise


async def _launch(msg: pb.TaskSpec, directory: Path) -> Task:
    program = find_program()
    write_message(directory, SPEC, msg, durable=False)
    # The start handshake (the supervisor's, see the Rust SDK's ack.rs): the supervisor reads
    # this pipe; one byte once the handle is ours, else its end means this plugin died
    # mid-start and the supervisor ends the task and removes the state directory.
    ack_rd, ack_wr = os.pipe()
    try:
        return await _launch_with(program, msg, directory, ack_rd, ack_wr)
    finally:
        os.close(ack_wr)


async def _launch_with(
    program: Path, msg: pb.TaskSpec, directory: Path, ack_rd: int, ack_wr: int
) -> Task:
    env = {k: v for k, v in os.environ.items() if k == CGROUP_ENV}
    env[ACK_ENV] = str(ack_rd)
    with open(directory / SUPERVISOR_LOG, "ab") as log:
        # A new session: no signal aimed at the plugin's group or terminal reaches it, and it
        # outlives the plugin. Nothing of the plugin's environment is passed on.
        try:
            proc = subprocess.Popen(
                [str(program), SUPERVISE_ARG, str(directory)],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=log,
                # The plugin's choice of cgroup path is the one variable passed on.
                env=env,
                start_new_session=True,
                close_fds=True,
                pass_fds=(ack_rd,),
            )
        except OSError as exc:
            raise SuperviseError(
                ErrorKind.FAILED,
                f"starting the supervisor {program} {SUPERVISE_ARG}: {exc.strerror or exc}",
            ) from None
        finally:
            os.close(ack_rd)
    try:
        return await _await_started(proc, program, msg, directory, ack_wr)
    except BaseException:
        # Failed or cancelled: the supervisor kills whatever it started, then the caller
        # removes the state directory.
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(KILL_WAIT)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        raise


async def _await_started(
    proc: subprocess.Popen[bytes], program: Path, msg: pb.TaskSpec, directory: Path, ack: int
) -> Task:
    deadline = time.monotonic() + START_TIMEOUT
    pause = 0.001
    while True:
        exited = read_message(directory, EXIT, pb.ExitResult)
        if exited is not None and exited.start_error:
            await _reap(proc)
            raise SuperviseError(ErrorKind.INVALID, exited.start_error)
        started = read_message(directory, STARTED, pb.Started)
        if started is not None:
            try:
                os.write(ack, ACK_BYTE)  # the handle is ours: the supervisor keeps the task
            except OSError as exc:
                raise SuperviseError(
                    ErrorKind.FAILED,
                    f"the supervisor went away before the start was acknowledged: {exc}",
                ) from None
            task = Task(directory, spec_from_pb(msg), started_from_pb(started), msg.task_id)
            task._proc = proc
            return task
        gone = proc.poll() is not None
        if gone or time.monotonic() >= deadline:
            # The supervisor may have written a file just before exiting: look once more.
            if gone and read_message(directory, STARTED, pb.Started) is not None:
                continue
            if exited is not None:
                why = f"recorded an exit ({exited.exit_code}) but never started.pb"
            elif gone:
                why = f"exited with status {proc.returncode}"
            else:
                why = f"did not report the task started within {START_TIMEOUT:g}s"
            log_text = (directory / SUPERVISOR_LOG).read_text(errors="replace").strip()
            raise SuperviseError(
                ErrorKind.FAILED,
                f"the supervisor ({program} {SUPERVISE_ARG}) {why}; its log: {log_text!r}",
            )
        await asyncio.sleep(pause)
        pause = min(pause * 2, 0.005)  # start latency matters; this loop is bounded


async def _reap(proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + KILL_WAIT
    while proc.poll() is None and time.monotonic() < deadline:
        await asyncio.sleep(0.005)
    if proc.poll() is None:
        proc.kill()
        proc.wait()


def reattach(handle: bytes) -> Task:
    """Find a task again from Task.handle() bytes (in a fresh plugin process, for instance).

    A malformed handle, or a missing or corrupted state file, raises SuperviseError naming it.
    """
    msg = pb.Handle()
    try:
        msg.ParseFromString(handle)
    except DecodeError as exc:
        raise SuperviseError(
            ErrorKind.INVALID,
            f"handle: not a yurt.supervise.v1.Handle ({len(handle)} bytes): {exc}",
        ) from None
    if msg.format_version != FORMAT_VERSION:
        raise SuperviseError(
            ErrorKind.INVALID,
            f"handle.format_version: expected {FORMAT_VERSION}, got {msg.format_version}",
        )
    if not msg.state_dir.startswith("/"):
        raise SuperviseError(
            ErrorKind.INVALID,
            f"handle.state_dir: expected an absolute path, got {msg.state_dir!r}",
        )
    directory = Path(msg.state_dir)
    spec = read_message(directory, SPEC, pb.TaskSpec)
    if spec is None:
        raise SuperviseError(
            ErrorKind.STATE,
            f"{directory / SPEC}: missing; the task's state directory is gone (destroyed?)",
        )
    if spec.format_version != FORMAT_VERSION:
        raise SuperviseError(
            ErrorKind.STATE,
            f"{directory / SPEC}: format_version: expected {FORMAT_VERSION}, "
            f"got {spec.format_version}",
        )
    started = read_message(directory, STARTED, pb.Started)
    read_message(directory, EXIT, pb.ExitResult)  # a corrupted exit.pb is reported now
    copy = msg.started if msg.HasField("started") else None
    if (
        started is not None
        and copy is not None
        and (started.pid, started.pid_start_time) != (copy.pid, copy.pid_start_time)
    ):
        raise SuperviseError(
            ErrorKind.STATE,
            f"{directory / STARTED}: records pid {started.pid} but the handle pid "
            f"{copy.pid}: not the same task",
        )
    found = started if started is not None else copy
    if found is None or found.pid <= 0:
        raise SuperviseError(
            ErrorKind.STATE, f"{directory / STARTED}: missing, and the handle has no copy"
        )
    task = Task(directory, spec_from_pb(spec), started_from_pb(found), msg.task_id)
    task.driver_data = msg.driver_data
    return task


def reattach_dir(state_dir: str | os.PathLike[str]) -> Task:
    """Find the task whose state is in `state_dir` without a handle (state left by a plugin
    that died before handing the handle out, or a tool), as Go's ReattachDir and Rust's
    reattach_dir do: the handle is rebuilt from the directory's started.pb and spec.pb.
    """
    directory = Path(state_dir).absolute()
    started = read_message(directory, STARTED, pb.Started)
    spec = read_message(directory, SPEC, pb.TaskSpec)
    if started is None or spec is None:
        raise SuperviseError(
            ErrorKind.STATE,
            f"{directory}: expected a task's state directory (started.pb and spec.pb), found none",
        )
    handle = pb.Handle(
        format_version=FORMAT_VERSION,
        state_dir=str(directory),
        task_id=spec.task_id,
        started=started,
    )
    return reattach(handle.SerializeToString())


class Task:
    """A supervised task, from start() or reattach(). Every method reads the state files."""

    def __init__(self, state_dir: Path, spec: TaskSpec, started: Started, task_id: str) -> None:
        self.state_dir = state_dir
        self.spec = spec
        self.started = started
        self.task_id = task_id
        #: The driver's own bytes, carried in the handle; the layer never reads them.
        self.driver_data = b""
        self._proc: subprocess.Popen[bytes] | None = None
        self._sampler: Sampler | None = None
        self._exit: ExitResult | None = None  # exit.pb once read: it never changes

    @property
    def pid(self) -> int:
        """The task's main process ID (also its process group ID)."""
        return self.started.pid

    def handle(self) -> bytes:
        """The serialized yurt.supervise.v1.Handle, for Nomad's driver_state."""
        return pb.Handle(
            format_version=FORMAT_VERSION,
            state_dir=str(self.state_dir),
            task_id=self.task_id,
            started=started_to_pb(self.started),
            driver_data=self.driver_data,
        ).SerializeToString()

    def _supervisor_alive(self) -> bool:
        if self._proc is not None and self._proc.poll() is None:
            # Our own child, not reaped (poll reaps it once it has exited): alive, and its
            # pid cannot have been reused, so /proc need not be read (InspectTask's cost).
            return True
        s = self.started
        return is_alive(s.supervisor_pid, s.supervisor_start_time)

    def exit(self) -> ExitResult | None:
        """The exit result if the task is over, else None; never blocks.

        Raises SuperviseError(SUPERVISOR_GONE) when the supervisor is gone without recording
        one: the exit status is then unknown, and is not made up.
        """
        if self._exit is not None:
            return self._exit
        if self._proc is not None and self._proc.poll() is None:
            # Our own supervisor child runs: it writes exit.pb just before it exits, so the
            # task is over at the latest when this says so, and no file is opened per call
            # (InspectTask's cost; the Go layer does the same). wait() reads exit.pb itself.
            return None
        return self._recorded_exit()

    def _recorded_exit(self) -> ExitResult | None:
        """exit() from the state files: exit.pb, else whether the supervisor is alive."""
        if self._exit is not None:
            return self._exit
        done = read_message(self.state_dir, EXIT, pb.ExitResult)
        if done is not None:
            self._exit = exit_from_pb(done)
            return self._exit
        if not os.path.isdir(self.state_dir):
            raise SuperviseError(
                ErrorKind.STATE,
                f"{self.state_dir}: the task's state directory is gone (destroyed?)",
            )
        if self._supervisor_alive():
            return None
        done = read_message(self.state_dir, EXIT, pb.ExitResult)  # written just before exit?
        if done is not None:
            self._exit = exit_from_pb(done)
            return self._exit
        raise SuperviseError(
            ErrorKind.SUPERVISOR_GONE,
            f"the supervisor (pid {self.started.supervisor_pid}) of task {self.task_id!r} is "
            f"gone without recording its exit status in {self.state_dir / EXIT}",
        )

    def running(self) -> bool:
        """Whether the task still runs (False once over, or when its state is unreadable)."""
        try:
            return self.exit() is None
        except SuperviseError:
            return False

    async def wait(self, timeout: float | None = None) -> ExitResult:
        """Wait until the task is over, without blocking the event loop.

        Any number of waiters may wait at once. Raises TimeoutError after `timeout` seconds
        (None: no limit), and SuperviseError as exit() does.
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        pause = 0.002
        waker = _ExitWaker.open(self.started.supervisor_pid)
        longest = POLL_MAX if waker is None else POLL_MAX_WOKEN
        try:
            while True:
                # From exit.pb, not exit()'s shortcut: a supervisor that has recorded the exit
                # may still be copying the task's last output before it exits.
                done = self._recorded_exit()
                if done is not None:
                    return done
                if deadline is not None:
                    left = deadline - time.monotonic()
                    if left <= 0:
                        raise TimeoutError(f"task {self.task_id!r} still running after {timeout}s")
                    pause = min(pause, left)
                if waker is None:
                    await asyncio.sleep(pause)
                else:
                    await waker.sleep(pause)
                pause = min(pause * 2, longest)
        finally:
            if waker is not None:
                waker.close()

    async def _wait_for(self, timeout: float) -> ExitResult | None:
        try:
            return await self.wait(timeout)
        except TimeoutError:
            return None

    def signal(self, sig: int | str) -> None:
        """Send `sig` to the task's main process (checked against its start time first)."""
        number = parse_signal(sig)
        s = self.started
        if self.exit() is not None or not is_alive(s.pid, s.pid_start_time):
            raise SuperviseError(
                ErrorKind.NOT_RUNNING, f"task {self.task_id!r} (pid {s.pid}) is not running"
            )
        try:
            os.kill(s.pid, number)
        except ProcessLookupError:
            raise SuperviseError(
                ErrorKind.NOT_RUNNING, f"task {self.task_id!r} (pid {s.pid}) is not running"
            ) from None

    async def stop(self, sig: int | str, timeout: float) -> ExitResult:
        """`sig` to the main process, up to `timeout` seconds, then SIGKILL to the process group.

        The supervisor kills every other process of the task once the main one is gone.
        Returns the exit result once the task is over.
        """
        number = parse_signal(sig)
        done = self.exit()
        if done is not None:
            return done
        with contextlib.suppress(SuperviseError):
            self.signal(number)
        done = await self._wait_for(max(timeout, 0.0))
        if done is not None:
            return done
        s = self.started
        if is_alive(s.pid, s.pid_start_time):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(s.pid, signals.SIGKILL)
        done = await self._wait_for(KILL_WAIT)
        if done is not None:
            return done
        await self._kill_supervisor()  # last resort: it kills everything and records the end
        done = await self._wait_for(KILL_WAIT)
        if done is None:
            raise SuperviseError(
                ErrorKind.FAILED,
                f"task {self.task_id!r} still running {KILL_WAIT:g}s after SIGKILL",
            )
        return done

    async def _kill_supervisor(self) -> bool:
        """SIGTERM to the supervisor if it runs; True once it is gone (bounded wait)."""
        s = self.started
        if not self._supervisor_alive():
            return True
        with contextlib.suppress(ProcessLookupError):
            os.kill(s.supervisor_pid, signals.SIGTERM)
        deadline = time.monotonic() + KILL_WAIT
        while self._supervisor_alive():
            if time.monotonic() >= deadline:
                return False
            await asyncio.sleep(0.005)
        return True

    async def destroy(self) -> None:
        """Kill every process of the task and remove its state directory.

        The supervisor, on SIGTERM, kills the task's process group and every descendant
        re-parented to it (including ones that called setsid or double-forked). Idempotent,
        and fine on a task that is already over.
        """
        if not self.state_dir.exists():
            return
        if not await self._kill_supervisor():
            raise SuperviseError(
                ErrorKind.FAILED,
                f"the supervisor (pid {self.started.supervisor_pid}) of task {self.task_id!r} "
                f"did not exit within {KILL_WAIT:g}s of SIGTERM",
            )
        # A supervisor killed by someone else (kill -9) left its task behind: take the group,
        # and the cgroup (every process in it, even one that left the group; then the dirs).
        s = self.started
        if is_alive(s.pid, s.pid_start_time):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(s.pid, signals.SIGKILL)
        await _empty_cgroup(s.cgroup)
        try:
            shutil.rmtree(self.state_dir)
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise SuperviseError(
                ErrorKind.FAILED, f"removing the state dir {self.state_dir}: {exc.strerror}"
            ) from None

    # --- stats and exec (in their own modules) -----------------------------------------

    def sampler(self, compute: Compute | None = None) -> Sampler:
        """A new stats sampler for this task (one per TaskStats stream)."""
        from ._stats import Sampler

        return Sampler(self, compute)

    def stats(self, compute: Compute | None = None) -> TaskUsage:
        """One sample in Nomad's units, since this task's previous stats() call (or its start)."""
        if self._sampler is None:
            self._sampler = self.sampler(compute)
        return self._sampler.sample()

    async def exec(self, argv: list[str], timeout: float = 0.0) -> ExecResult:
        """Run `argv` in the task's environment; stdout with stderr merged, as Nomad does."""
        from ._exec import run

        return await run(self.spec, argv, timeout)

    async def exec_streaming(self, session: ExecSession) -> DriverExitResult:
        """Run session.command interactively in the task's environment (a pty when tty)."""
        from ._exec import run_streaming

        return await run_streaming(self.spec, session)


async def _empty_cgroup(recorded: str) -> None:
    """Kill every process of the cgroup Started.cgroup names (its memory controller's directory
    on v1: the other controllers' have the same base name under this process's own cgroup of
    each) and remove it: what the supervisor does at the end, for one that was killed."""
    base = os.path.basename(recorded)
    if not recorded.startswith("/") or not base.startswith("yurt-") or not os.path.isdir(recorded):
        return
    dirs = [recorded]
    if recorded.startswith("/sys/fs/cgroup/memory/"):
        with open("/proc/self/cgroup") as fh:
            for line in fh:
                _, ctls, own = line.rstrip("\n").split(":", 2)
                for ctl in ctls.split(","):
                    d = f"/sys/fs/cgroup/{ctl}{own.rstrip('/')}/{base}"
                    if ctl and d not in dirs and os.path.isdir(d):
                        dirs.append(d)
    deadline = time.monotonic() + KILL_WAIT
    for d in dirs:
        while time.monotonic() < deadline:
            try:
                with open(f"{d}/cgroup.procs") as fh:
                    pids = [int(p) for p in fh.read().split()]
            except OSError:
                break
            if not pids:
                break
            for pid in pids:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signals.SIGKILL)
            await asyncio.sleep(0.005)
    for d in dirs:
        while True:
            try:
                os.rmdir(d)
                break
            except FileNotFoundError:
                break
            except OSError:
                if time.monotonic() >= deadline:
                    break
                await asyncio.sleep(0.01)
