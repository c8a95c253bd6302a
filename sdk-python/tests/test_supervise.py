"""yurt.supervise: start, wait, signal, stop, destroy and reattach real tasks through the
native yurt-supervise program."""

# Tests block on purpose: small files, /proc, and a plugin process run to completion.
# ruff: noqa: ASYNC220, ASYNC221, ASYNC240

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from supervise_helpers import ENV, gone, ppid, spec, wait_for

from yurt import supervise
from yurt.supervise import ErrorKind, SuperviseError


@pytest.fixture
async def tasks() -> AsyncIterator[list[supervise.Task]]:
    """Tasks a test started; destroyed afterwards so that no process is left behind."""
    started: list[supervise.Task] = []
    yield started
    for task in started:
        await task.destroy()


async def test_start_wait_reports_the_exit_code_and_copies_output(
    tmp_path: Path, tasks: list[supervise.Task]
) -> None:
    out, err = tmp_path / "out", tmp_path / "err"
    task = await supervise.start(
        spec(
            'echo "$GREETING $HOME"; pwd; echo oops >&2; exit 3',
            env={**ENV, "GREETING": "hello"},
            working_dir=str(tmp_path),
            stdout_path=str(out),
            stderr_path=str(err),
            task_id="a/b/1",
        ),
        tmp_path / "state",
    )
    tasks.append(task)
    assert task.task_id == "a/b/1"
    assert task.pid > 0
    assert task.started.supervisor_pid > 0
    # Its own cgroup exactly where one is in force (root and a writable hierarchy).
    assert (task.started.cgroup != "") == (supervise.isolation() != "process-group+subreaper")
    result = await task.wait(timeout=10)
    assert (result.exit_code, result.signal, result.start_error) == (3, 0, "")
    assert result.completed_at is not None
    assert result.completed_at >= task.started.started_at
    # The spec's environment is the whole environment: the plugin's HOME is not passed on.
    assert out.read_text() == f"hello \n{tmp_path}\n"
    assert err.read_text() == "oops\n"
    assert task.exit() == result  # again, at once
    state = tmp_path / "state"
    assert sorted(p.name for p in state.iterdir()) == [
        "exit.pb",
        "spec.pb",
        "started.pb",
        "supervisor.log",
    ]
    assert state.stat().st_mode & 0o777 == 0o700


async def test_many_concurrent_waiters_get_the_same_result(
    tmp_path: Path, tasks: list[supervise.Task]
) -> None:
    go = tmp_path / "go"
    task = await supervise.start(
        spec(f"while [ ! -e {go} ]; do sleep 0.02; done; exit 9"), tmp_path / "s"
    )
    tasks.append(task)
    waiters = [asyncio.create_task(task.wait()) for _ in range(50)]
    await asyncio.sleep(0.2)
    assert not any(w.done() for w in waiters)
    assert task.exit() is None
    assert task.running()
    go.touch()
    results = await asyncio.wait_for(asyncio.gather(*waiters), 10)
    assert {r.exit_code for r in results} == {9}
    with pytest.raises(TimeoutError):
        await (await supervise.start(spec("sleep 30"), tmp_path / "s2")).wait(timeout=0.1)
    tasks.append(supervise.reattach(_handle_of(tmp_path / "s2")))


def _handle_of(state_dir: Path) -> bytes:
    """A handle for a task found only by its state dir (as a test's cleanup needs)."""
    from yurt._proto.yurt.supervise.v1 import supervise_pb2 as pb

    return pb.Handle(format_version=1, state_dir=str(state_dir)).SerializeToString()


async def test_signal_reaches_the_main_process(tmp_path: Path, tasks: list[supervise.Task]) -> None:
    ready = tmp_path / "ready"
    task = await supervise.start(
        spec(f"trap 'exit 42' USR1; echo x > {ready}; while :; do sleep 0.02; done"),
        tmp_path / "s",
    )
    tasks.append(task)
    wait_for(ready)
    task.signal("SIGUSR1")
    assert (await task.wait(timeout=10)).exit_code == 42
    with pytest.raises(SuperviseError) as err:
        task.signal(signal.SIGUSR1)
    assert err.value.kind is ErrorKind.NOT_RUNNING
    with pytest.raises(SuperviseError, match="signal: expected a signal name like SIGTERM"):
        task.signal("SIGNOPE")


async def test_stop_runs_the_trap_then_reports_its_exit(
    tmp_path: Path, tasks: list[supervise.Task]
) -> None:
    ready, marker = tmp_path / "ready", tmp_path / "trapped"
    task = await supervise.start(
        spec(f"trap 'echo y > {marker}; exit 0' TERM; echo x > {ready}; sleep 30 & wait"),
        tmp_path / "s",
    )
    tasks.append(task)
    wait_for(ready)
    began = time.monotonic()
    result = await task.stop("SIGTERM", timeout=20)
    assert time.monotonic() - began < 15, "the trap ends the task long before the timeout"
    assert (result.exit_code, result.signal) == (0, 0)
    assert marker.read_text() == "y\n"


async def test_stop_escalates_to_sigkill_of_the_group_after_the_timeout(
    tmp_path: Path, tasks: list[supervise.Task]
) -> None:
    ready, child = tmp_path / "ready", tmp_path / "child"
    task = await supervise.start(
        spec(f"trap '' INT; sleep 300 & echo $! > {child}; echo x > {ready}; wait; wait"),
        tmp_path / "s",
    )
    tasks.append(task)
    wait_for(ready)
    wait_for(child)
    began = time.monotonic()
    result = await task.stop("SIGINT", timeout=1.0)
    elapsed = time.monotonic() - began
    assert 1.0 <= elapsed < 1.0 + 5, f"killed after {elapsed:.2f}s"
    assert (result.exit_code, result.signal) == (128 + signal.SIGKILL, signal.SIGKILL)
    assert gone(int(child.read_text()))
    # Stopping a task that is over returns its result at once.
    assert await task.stop("SIGTERM", timeout=5) == result


async def test_destroy_kills_a_double_forked_setsid_grandchild(
    tmp_path: Path, tasks: list[supervise.Task]
) -> None:
    grandchild = tmp_path / "grandchild"
    task = await supervise.start(
        spec(f"setsid sh -c 'sleep 300 & echo $! > {grandchild}'; sleep 300"), tmp_path / "s"
    )
    tasks.append(task)
    wait_for(grandchild)
    pid = int(grandchild.read_text())
    # Its parent exited: the grandchild is the subreaper supervisor's now, in another session.
    deadline = time.monotonic() + 5
    while ppid(pid) != task.started.supervisor_pid:
        assert time.monotonic() < deadline, f"pid {pid} never re-parented to the supervisor"
        await asyncio.sleep(0.01)
    assert os.getsid(pid) != os.getsid(task.pid)
    await task.destroy()
    assert gone(pid), "destroy left the grandchild running"
    assert gone(task.pid)
    assert not (tmp_path / "s").exists()
    await task.destroy()  # idempotent
    with pytest.raises(SuperviseError) as err:
        task.exit()
    assert err.value.kind is ErrorKind.STATE


async def test_background_child_is_gone_once_the_main_process_exits(
    tmp_path: Path, tasks: list[supervise.Task]
) -> None:
    bg = tmp_path / "bg"
    task = await supervise.start(
        spec(f"(while :; do sleep 1; done) & echo $! > {bg}; exit 0"), tmp_path / "s"
    )
    tasks.append(task)
    assert (await task.wait(timeout=10)).exit_code == 0
    assert gone(int(bg.read_text()), timeout=1.0)
    assert not os.path.exists(f"/proc/{task.started.supervisor_pid}/stat") or gone(
        task.started.supervisor_pid
    )


async def test_destroy_after_exit_and_of_a_task_whose_supervisor_was_killed(
    tmp_path: Path, tasks: list[supervise.Task]
) -> None:
    done = await supervise.start(spec("exit 0"), tmp_path / "done")
    await done.wait(timeout=10)
    await done.destroy()
    assert not (tmp_path / "done").exists()

    orphan = tmp_path / "orphan"
    task = await supervise.start(spec(f"echo $$ > {orphan}; sleep 300"), tmp_path / "s")
    tasks.append(task)
    wait_for(orphan)
    os.kill(task.started.supervisor_pid, signal.SIGKILL)
    assert gone(task.started.supervisor_pid)
    # No exit.pb and no supervisor: an error, never a made-up exit code.
    with pytest.raises(SuperviseError) as err:
        await task.wait(timeout=10)
    assert err.value.kind is ErrorKind.SUPERVISOR_GONE
    assert "without recording its exit status" in str(err.value)
    await task.destroy()  # takes the task's group itself
    assert gone(task.pid)


STARTER = """
import asyncio, os, sys
from yurt import supervise
spec = supervise.TaskSpec(command="sh", args=["-c", sys.argv[3]], env={"PATH": "/usr/bin:/bin"})
task = asyncio.run(supervise.start(spec, sys.argv[1]))
open(sys.argv[2], "wb").write(task.handle())
os.kill(os.getpid(), 9)
"""


async def test_reattach_in_a_fresh_process_reports_the_real_result_of_a_task_that_exited_meanwhile(
    tmp_path: Path, tasks: list[supervise.Task]
) -> None:
    go, handle_file = tmp_path / "go", tmp_path / "handle"
    starter = subprocess.run(
        [
            sys.executable,
            "-c",
            STARTER,
            str(tmp_path / "s"),
            str(handle_file),
            f"while [ ! -e {go} ]; do sleep 0.02; done; exit 7",
        ],
        timeout=30,
        check=False,
    )
    assert starter.returncode == -signal.SIGKILL  # the plugin died hard after starting it
    handle = handle_file.read_bytes()
    task = supervise.reattach(handle)
    tasks.append(task)
    assert task.running()
    go.touch()  # the task exits while no plugin watches it...
    gone(task.pid)
    await asyncio.sleep(0.2)
    later = supervise.reattach(handle)  # ...and a later plugin gets its real result
    assert (await later.wait(timeout=10)).exit_code == 7
    assert later.handle() == handle


async def test_start_errors_name_the_field_and_leave_no_state(tmp_path: Path) -> None:
    cases: list[tuple[supervise.TaskSpec, str]] = [
        (supervise.TaskSpec(command="/no/such/binary", env=dict(ENV)), 'command "/no/such/binary"'),
        (
            supervise.TaskSpec(command="no-such-cmd-yurt", env=dict(ENV)),
            'command "no-such-cmd-yurt"',
        ),
        (spec("true", user="no-such-user-yurt"), 'user "no-such-user-yurt"'),
        (spec("true", working_dir=str(tmp_path / "missing")), "working_dir"),
        (supervise.TaskSpec(command=""), "command: expected a program to run"),
    ]
    if os.geteuid() == 0:
        cases.append((spec("true", working_dir="/proc/1"), 'working_dir "/proc/1"'))
    else:
        readonly = tmp_path / "ro"
        readonly.mkdir(mode=0o500)
        cases.append((spec("true", working_dir=str(readonly)), "working_dir"))
    for i, (bad, expected) in enumerate(cases):
        state = tmp_path / f"bad{i}"
        with pytest.raises(SuperviseError) as err:
            await supervise.start(bad, state)
        assert err.value.kind is ErrorKind.INVALID
        assert str(err.value).startswith(expected), str(err.value)
        assert not state.exists(), f"{expected}: state left behind"


async def test_a_state_dir_holding_a_task_is_refused(
    tmp_path: Path, tasks: list[supervise.Task]
) -> None:
    tasks.append(await supervise.start(spec("sleep 30"), tmp_path / "s"))
    with pytest.raises(SuperviseError, match="already holds a task"):
        await supervise.start(spec("true"), tmp_path / "s")
    assert tasks[0].running()


async def test_reattach_refuses_corrupted_state_naming_the_file(
    tmp_path: Path, tasks: list[supervise.Task]
) -> None:
    task = await supervise.start(spec("sleep 30"), tmp_path / "s")
    tasks.append(task)
    handle = task.handle()
    with pytest.raises(SuperviseError, match=r"^handle: not a yurt.supervise.v1.Handle"):
        supervise.reattach(b"\xff\xff\xff garbage")
    for name in ("started.pb", "spec.pb", "exit.pb"):
        path = tmp_path / "s" / name
        saved = path.read_bytes() if path.exists() else None
        path.write_bytes(b"\xff\xff\xffnot a protobuf")
        with pytest.raises(SuperviseError) as err:
            supervise.reattach(handle)
        assert err.value.kind is ErrorKind.STATE
        assert str(err.value).startswith(f"{path}: not a valid yurt.supervise.v1."), str(err.value)
        assert "corrupted" in str(err.value)
        if saved is None:
            path.unlink()
        else:
            path.write_bytes(saved)
    (tmp_path / "s" / "spec.pb").rename(tmp_path / "spec.pb.away")
    with pytest.raises(SuperviseError, match=r"spec\.pb: missing"):
        supervise.reattach(handle)
    (tmp_path / "spec.pb.away").rename(tmp_path / "s" / "spec.pb")
    assert supervise.reattach(handle).running()


async def test_the_task_starts_with_default_dispositions_and_an_empty_mask(
    tmp_path: Path, tasks: list[supervise.Task]
) -> None:
    out = tmp_path / "status"
    # The plugin ignores and blocks signals of its own; the supervisor inherits them.
    old_hup = signal.signal(signal.SIGHUP, signal.SIG_IGN)
    old_int = signal.signal(signal.SIGINT, signal.SIG_IGN)
    old_mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR2, signal.SIGTERM})
    try:
        task = await supervise.start(
            supervise.TaskSpec(
                command="grep",
                args=["-E", "^Sig(Ign|Blk):", "/proc/self/status"],
                env=dict(ENV),
                stdout_path=str(out),
            ),
            tmp_path / "s",
        )
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old_mask)
        signal.signal(signal.SIGHUP, old_hup)
        signal.signal(signal.SIGINT, old_int)
    tasks.append(task)
    assert (await task.wait(timeout=10)).exit_code == 0
    assert out.read_text() == "SigBlk:\t0000000000000000\nSigIgn:\t0000000000000000\n"


async def test_program_lookup_names_every_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from yurt.supervise import _program

    real = supervise.find_program()
    monkeypatch.setenv(supervise.PROGRAM_ENV, str(tmp_path / "nope"))
    with pytest.raises(SuperviseError, match=r"^\$YURT_SUPERVISE_PROGRAM: expected the path"):
        supervise.find_program()
    monkeypatch.delenv(supervise.PROGRAM_ENV)
    monkeypatch.setattr(_program, "BUNDLED", tmp_path / "_bin" / "yurt-supervise")
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(SuperviseError) as err:
        supervise.find_program()
    message = str(err.value)
    assert "$YURT_SUPERVISE_PROGRAM" in message
    assert str(tmp_path / "_bin" / "yurt-supervise") in message
    assert "PATH" in message
    with pytest.raises(SuperviseError, match="was not found"):
        await supervise.start(spec("true"), tmp_path / "s")
    assert not (tmp_path / "s").exists()
    broken = tmp_path / "broken-supervise"
    broken.write_bytes(b"\x7fELF not really")
    broken.chmod(0o755)
    monkeypatch.setenv(supervise.PROGRAM_ENV, str(broken))
    with pytest.raises(SuperviseError, match=r"^starting the supervisor .*broken-supervise"):
        await supervise.start(spec("true"), tmp_path / "s")
    assert not (tmp_path / "s").exists()
    monkeypatch.delenv(supervise.PROGRAM_ENV)
    (tmp_path / "yurt-supervise").symlink_to(real)
    assert supervise.find_program() == tmp_path / "yurt-supervise"  # found in PATH


async def test_output_to_fifos_loses_nothing_and_survives_a_reader_that_goes_away(
    tmp_path: Path, tasks: list[supervise.Task]
) -> None:
    fifo = tmp_path / "stdout.fifo"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    go = tmp_path / "go"
    task = await supervise.start(
        spec(
            f"i=0; while [ $i -lt 2000 ]; do echo line $i; i=$((i+1)); done; "
            f"while [ ! -e {go} ]; do sleep 0.02; done; echo after; exit 5",
            stdout_path=str(fifo),
        ),
        tmp_path / "s",
    )
    tasks.append(task)
    received = b""
    deadline = time.monotonic() + 20
    while received.count(b"\n") < 2000:
        assert time.monotonic() < deadline, f"only {len(received.splitlines())} lines arrived"
        try:
            received += os.read(reader, 65536)
        except BlockingIOError:
            await asyncio.sleep(0.01)
    assert received == b"".join(b"line %d\n" % i for i in range(2000))
    os.close(reader)  # the log collector goes away for good
    go.touch()
    began = time.monotonic()
    result = await task.wait(timeout=60)
    assert result.exit_code == 5
    assert time.monotonic() - began < 30, "the supervisor gave up on the FIFO in bounded time"
    assert gone(task.started.supervisor_pid)


STOPPER = """
import asyncio, os, sys, threading
from yurt import supervise
task = supervise.reattach(open(sys.argv[1], "rb").read())
threading.Timer(0.5, lambda: os.kill(os.getpid(), 9)).start()
asyncio.run(task.stop("SIGTERM", 60))
"""


async def test_a_plugin_killed_mid_stop_leaves_a_task_the_next_one_can_stop(
    tmp_path: Path, tasks: list[supervise.Task]
) -> None:
    ready, handle_file = tmp_path / "ready", tmp_path / "handle"
    task = await supervise.start(
        spec(f"trap '' TERM; echo x > {ready}; sleep 300 & wait; wait"), tmp_path / "s"
    )
    tasks.append(task)
    wait_for(ready)
    handle_file.write_bytes(task.handle())
    stopper = subprocess.run(
        [sys.executable, "-c", STOPPER, str(handle_file)], timeout=30, check=False
    )
    assert stopper.returncode == -signal.SIGKILL  # died while waiting out the stop timeout
    fresh = supervise.reattach(handle_file.read_bytes())
    assert fresh.running()
    began = time.monotonic()
    result = await fresh.stop("SIGTERM", timeout=0.5)
    assert time.monotonic() - began < 0.5 + 5
    assert result.signal == signal.SIGKILL


EXECER = """
import asyncio, sys
from yurt import supervise
task = supervise.reattach(open(sys.argv[1], "rb").read())
asyncio.run(task.exec(["sh", "-c", "echo $$ > " + sys.argv[2] + "; exec sleep 300"]))
"""


async def test_an_exec_command_dies_with_the_plugin_that_ran_it(
    tmp_path: Path, tasks: list[supervise.Task]
) -> None:
    handle_file, pid_file = tmp_path / "handle", tmp_path / "exec.pid"
    task = await supervise.start(spec("sleep 300"), tmp_path / "s")
    tasks.append(task)
    handle_file.write_bytes(task.handle())
    plugin = subprocess.Popen([sys.executable, "-c", EXECER, str(handle_file), str(pid_file)])
    try:
        wait_for(pid_file, timeout=30)
        command = int(pid_file.read_text())
        assert not gone(command, timeout=0.2)
    finally:
        plugin.kill()  # SIGKILL: no cleanup in the plugin
        plugin.wait()
    assert gone(command, timeout=10), "the exec'd command outlived the plugin"
    assert task.running(), "the task itself survives the plugin"


async def test_reattach_dir_finds_the_task_from_its_state_directory(
    tmp_path: Path, tasks: list[supervise.Task]
) -> None:
    """As Go's ReattachDir and Rust's reattach_dir: no handle, only the directory."""
    task = await supervise.start(spec("exit 5", task_id="a/b/2"), tmp_path / "state")
    tasks.append(task)
    again = supervise.reattach_dir(tmp_path / "state")
    assert again.pid == task.pid
    assert (await again.wait(10)).exit_code == 5
    with pytest.raises(SuperviseError):
        supervise.reattach_dir(tmp_path / "nothing-here")


_DIE_MID_START = """
import asyncio, os, sys
from yurt import supervise

write = os.write

def die(fd, data):  # where the plugin would acknowledge the start, it dies
    if data == b"k":
        os._exit(0)
    return write(fd, data)

os.write = die
asyncio.run(supervise.start(
    supervise.TaskSpec(command="sh", args=["-c", sys.argv[2]], env={"PATH": "/usr/bin:/bin"}),
    sys.argv[1],
))
"""


def test_a_plugin_killed_mid_start_leaves_nothing(tmp_path: Path) -> None:
    """The plugin dies after the supervisor started the task, before it took the handle: the
    start handshake's pipe closes without its byte, and the supervisor ends the task and
    removes the state directory (nobody could ever find the task again)."""
    state, pid_file = tmp_path / "state", tmp_path / "main.pid"
    subprocess.run(
        [sys.executable, "-c", _DIE_MID_START, str(state), f"echo $$ > {pid_file}; exec sleep 300"],
        check=True,
        timeout=60,
    )
    wait_for(pid_file)
    assert gone(int(pid_file.read_text())), "the task outlived a plugin that died mid-start"
    deadline = time.monotonic() + 10
    while state.exists():
        assert time.monotonic() < deadline, "the state dir was left behind"
        time.sleep(0.01)


async def test_exit_reads_no_file_while_its_own_supervisor_runs_and_keeps_the_result(
    tmp_path: Path, tasks: list[supervise.Task], monkeypatch: pytest.MonkeyPatch
) -> None:
    """InspectTask calls exit() on every request: while the plugin's own supervisor child runs,
    the task is not over (the supervisor writes exit.pb just before it exits), so no state
    file is read; once read, exit.pb is kept."""
    from yurt.supervise import _task

    task = await supervise.start(spec("exec sleep 30"), tmp_path / "state")
    tasks.append(task)
    reads: list[str] = []
    real = _task.read_message  # type: ignore[attr-defined]

    def counting(directory: object, name: str, message: object) -> object:
        reads.append(name)
        return real(directory, name, message)  # type: ignore[arg-type]

    monkeypatch.setattr(_task, "read_message", counting)
    for _ in range(50):
        assert task.exit() is None
    assert reads == []
    task.signal("SIGKILL")
    result = await task.wait(timeout=10)  # reads exit.pb itself
    assert result.signal == signal.SIGKILL
    reads.clear()
    for _ in range(5):
        assert task.exit() == result
    assert reads == []
