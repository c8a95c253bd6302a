"""Running a command inside a task's context (its spec's environment, working directory and
user), for Nomad's ExecTask and ExecTaskStreaming.

Non-streaming exec merges stderr into stdout, as Nomad's executor does (its script checks keep
only stdout). Streaming exec keeps them apart, or runs the command on a fresh pseudo-terminal
(with resize) when the session asks for a TTY. Each command runs in its own session, so a
timeout kills all of it.
"""

# ruff: noqa: ASYNC220

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
import pty
import pwd
import shutil
import signal as signals
import struct
import subprocess
import sys
import termios
from collections.abc import Awaitable, Callable
from typing import Any

from yurt.driver import ExecResult, ExecSession, ExitResult, TerminalSize

from ._state import ErrorKind, SuperviseError, TaskSpec

#: How long output may keep arriving after a timed-out command was killed.
DRAIN = 2.0


def _identity(spec: TaskSpec) -> tuple[int, int, list[int]] | None:
    """(uid, gid, groups) to run as spec.user; None when it is our own user."""
    if not spec.user:
        return None
    try:
        pw = pwd.getpwuid(int(spec.user)) if spec.user.isdigit() else pwd.getpwnam(spec.user)
    except (KeyError, ValueError):
        raise SuperviseError(ErrorKind.INVALID, f"user {spec.user!r}: no such user") from None
    if pw.pw_uid == os.geteuid():
        return None
    if os.geteuid() != 0:
        raise SuperviseError(
            ErrorKind.INVALID,
            f"user {spec.user!r}: running as another user needs root (the plugin runs as uid "
            f"{os.geteuid()})",
        )
    return pw.pw_uid, pw.pw_gid, os.getgrouplist(pw.pw_name, pw.pw_gid)


# Every command starts through this trampoline: a fresh interpreter (as the plugin's user)
# that takes the terminal on its stdin when argv[1] is "tty", restores default dispositions
# for every signal and an empty signal mask, switches to the user in argv[2]
# ("uid:gid:g1,g2", or "-"), asks for SIGKILL when the plugin dies (PR_SET_PDEATHSIG, set
# after the user switch, which clears it; argv[3] is the plugin's pid, to catch a plugin that
# died before), enters the working dir argv[4] and execs the command. A plugin killed
# mid-exec so leaves no command behind (as the Rust layer), and the command gets the task's
# signal state, not the plugin's: Python's subprocess resets only SIGPIPE and SIGXFSZ, and
# glibc refuses sigaction() for its reserved signals 32 and 33 (which GNU make, for one,
# leaves ignored in its children), so those go through the raw rt_sigaction syscall. No
# preexec_fn: it forces a plain fork() that runs grpc's fork handlers in the child (they
# printed epoll errors onto the terminal).
_RESET_AND_EXEC = (
    # Load what is needed before the user switch may hide the standard library.
    "import ctypes, os, signal, sys, warnings\n"
    "mode, ident, parent, lc, cwd, argv = *sys.argv[1:6], sys.argv[6:]\n"
    # Python's locale coercion (PEP 538) may have set LC_CTYPE: the task's env is the spec's.
    "if lc == '-': os.environ.pop('LC_CTYPE', None)\n"
    "else: os.environ['LC_CTYPE'] = lc[1:]\n"
    "libc = ctypes.CDLL(None, use_errno=True)\n"
    "if mode == 'tty':\n"
    "    import fcntl, termios; fcntl.ioctl(0, termios.TIOCSCTTY, 0)\n"
    "for s in signal.valid_signals():\n"
    "    try: signal.signal(s, signal.SIG_DFL)\n"
    "    except (OSError, ValueError): pass\n"
    "ign = [l for l in open('/proc/self/status') if l.startswith('SigIgn:')]\n"
    "nr = {'x86_64': 13, 'aarch64': 134}.get(os.uname().machine)\n"
    "if nr and ign and int(ign[0].split()[1], 16) & (3 << 31):\n"
    "    dfl = ctypes.create_string_buffer(32)\n"
    "    for s in (32, 33): libc.syscall(nr, s, dfl, None, 8)\n"
    "signal.pthread_sigmask(signal.SIG_SETMASK, [])\n"
    "if ident != '-':\n"
    "    uid, gid, groups = ident.split(':')\n"
    "    os.setgroups([int(g) for g in groups.split(',') if g])\n"
    "    os.setgid(int(gid)); os.setuid(int(uid))\n"
    "libc.prctl(1, signal.SIGKILL, 0, 0, 0)\n"
    "if os.getppid() != int(parent): os._exit(128 + signal.SIGKILL)\n"
    "try: os.chdir(cwd)\n"
    "except OSError as e:\n"
    "    sys.stderr.write(f'working_dir {cwd!r}: {e.strerror}\\n'); os._exit(127)\n"
    "try: os.execvp(argv[0], argv)\n"
    "except OSError as e: sys.stderr.write(f'command {argv[0]!r}: {e.strerror}\\n')\n"
    "os._exit(127)\n"
)


def _prepare(
    spec: TaskSpec, argv: list[str], tty: bool = False
) -> tuple[list[str], dict[str, Any]]:
    """The argv (through the trampoline) and subprocess arguments that run `argv` in the
    task's context. Spawn from a thread that lives as long as the command: the parent-death
    signal fires when the spawning thread ends (the event loop's thread does)."""
    if not argv or not argv[0]:
        raise SuperviseError(
            ErrorKind.INVALID, f"command: expected at least the program to run, got {argv!r}"
        )
    cwd = spec.working_dir or "/"
    if "/" in argv[0]:
        program = os.path.join(cwd, argv[0])
        if not (os.path.isfile(program) and os.access(program, os.X_OK)):
            raise SuperviseError(ErrorKind.INVALID, f"command {argv[0]!r}: not an executable file")
    elif shutil.which(argv[0], path=spec.env.get("PATH", os.defpath)) is None:
        raise SuperviseError(
            ErrorKind.INVALID, f"command {argv[0]!r}: not found in the task's PATH"
        )
    identity = _identity(spec)
    ident = (
        "-"
        if identity is None
        else f"{identity[0]}:{identity[1]}:" + ",".join(str(g) for g in identity[2])
    )
    mode = "tty" if tty else "-"
    trampoline = [sys.executable, "-I", "-S", "-c", _RESET_AND_EXEC, mode, ident]
    lc = "=" + spec.env["LC_CTYPE"] if "LC_CTYPE" in spec.env else "-"
    return [*trampoline, str(os.getpid()), lc, cwd, *argv], {
        "env": dict(spec.env),
        "cwd": "/",
        "start_new_session": True,
        "close_fds": True,
    }


def exit_from_status(code: int) -> ExitResult:
    """A Popen returncode as Nomad reports it: 128+N and the signal when killed by N."""
    if code < 0:
        return ExitResult(exit_code=128 - code, signal=-code)
    return ExitResult(exit_code=code)


def _spawn_error(argv: list[str], exc: OSError) -> SuperviseError:
    return SuperviseError(ErrorKind.INVALID, f"command {argv[0]!r}: {exc.strerror or exc}")


async def run(spec: TaskSpec, argv: list[str], timeout: float = 0.0) -> ExecResult:
    """Run `argv` to completion (or `timeout` seconds, then SIGKILL of all of it)."""
    args, ctx = _prepare(spec, argv)
    try:
        proc = await asyncio.create_subprocess_exec(
            *args,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            **ctx,
        )
    except OSError as exc:
        raise _spawn_error(argv, exc) from None
    assert proc.stdout is not None
    chunks: list[bytes] = []

    async def collect(reader: asyncio.StreamReader) -> None:
        while data := await reader.read(65536):
            chunks.append(data)

    reading = asyncio.create_task(collect(proc.stdout))
    try:
        await asyncio.wait_for(proc.wait(), timeout if timeout > 0 else None)
    except TimeoutError:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signals.SIGKILL)
        await proc.wait()
    finally:
        if proc.returncode is None:  # cancelled
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signals.SIGKILL)
    # A child it left may hold the pipe open: keep what came within the drain period.
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(asyncio.shield(reading), DRAIN)
    reading.cancel()
    out = b"".join(chunks)
    code = proc.returncode if proc.returncode is not None else -signals.SIGKILL
    return ExecResult(stdout=out, stderr=b"", exit_result=exit_from_status(code))


async def run_streaming(spec: TaskSpec, session: ExecSession) -> ExitResult:
    """Run session.command interactively; a pty (output on stdout only) when session.tty."""
    if session.tty:
        return await _run_tty(spec, session)
    args, ctx = _prepare(spec, session.command)
    try:
        proc = await asyncio.create_subprocess_exec(
            *args,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            **ctx,
        )
    except OSError as exc:
        raise _spawn_error(session.command, exc) from None
    if proc.stdin is None or proc.stdout is None or proc.stderr is None:
        raise SuperviseError(ErrorKind.FAILED, "exec: the command's pipes could not be created")

    async def feed(writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(ConnectionError):
            while data := await session.read_stdin():
                writer.write(data)
                await writer.drain()
        writer.close()

    async def drain(
        reader: asyncio.StreamReader, write: Callable[[bytes], Awaitable[None]]
    ) -> None:
        while data := await reader.read(4096):
            await write(data)

    feeder = asyncio.create_task(feed(proc.stdin))
    try:
        await asyncio.gather(
            drain(proc.stdout, session.write_stdout), drain(proc.stderr, session.write_stderr)
        )
        code = await proc.wait()
    finally:
        feeder.cancel()
        if proc.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signals.SIGKILL)
            await proc.wait()
    return exit_from_status(code)


def _set_winsize(fd: int, size: TerminalSize | None) -> None:
    if size is not None and size.height > 0 and size.width > 0:
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", size.height, size.width, 0, 0))


async def _run_tty(spec: TaskSpec, session: ExecSession) -> ExitResult:
    args, ctx = _prepare(spec, session.command, tty=True)
    master, slave = pty.openpty()
    _set_winsize(master, session.size)
    session.on_resize = lambda size: _set_winsize(master, size)
    try:
        proc = subprocess.Popen(
            args,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            **ctx,
        )
    except OSError as exc:
        os.close(master)
        os.close(slave)
        raise _spawn_error(session.command, exc) from None
    # The slave fd stays open here until the command has exited, so the master never reports
    # EIO early and output written just before the exit is not lost; the rest is drained after.
    loop = asyncio.get_running_loop()
    output: asyncio.Queue[bytes] = asyncio.Queue()
    os.set_blocking(master, False)

    def read_available() -> None:
        while True:
            try:
                data = os.read(master, 4096)
            except OSError:
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
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signals.SIGKILL)
            proc.wait()
        os.close(master)
        os.close(slave)
    return exit_from_status(code)
