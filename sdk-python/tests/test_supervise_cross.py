"""The state format across languages: a task started by the Python layer is driven by the
Rust layer (its command line, yurt-supervise-cli), and the other way round; plus the cgroup
path where this host gives one."""

# ruff: noqa: ASYNC221, ASYNC230

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from supervise_helpers import gone, spec, wait_for

from yurt import supervise

CLI = os.environ.get("YURT_SUPERVISE_CLI", "")
needs_cli = pytest.mark.skipif(
    not CLI, reason="YURT_SUPERVISE_CLI unset (make -C sdk-python test builds and sets it)"
)


def rust(*args: str, check: bool = True) -> str:
    """Run the Rust layer's command line; its stdout, stripped."""
    done = subprocess.run([CLI, *args], capture_output=True, text=True, timeout=60, check=False)
    if check:
        assert done.returncode == 0, f"yurt-supervise-cli {args[0]}: {done.stderr.strip()}"
    return done.stdout.strip()


@pytest.fixture
async def tasks() -> AsyncIterator[list[supervise.Task]]:
    started: list[supervise.Task] = []
    yield started
    for task in started:
        await task.destroy()


@needs_cli
async def test_a_task_started_by_python_is_driven_by_rust(
    tmp_path: Path, tasks: list[supervise.Task]
) -> None:
    ready = tmp_path / "ready"
    task = await supervise.start(
        spec(f"trap 'exit 42' USR1; echo x > {ready}; while :; do sleep 0.02; done"),
        tmp_path / "a",
    )
    tasks.append(task)
    handle = task.handle().hex()
    assert rust("exit", handle) == "running"
    wait_for(ready)
    rust("signal", handle, "SIGUSR1")
    assert rust("wait", handle) == "exit_code=42 signal=0 oom_killed=false"
    assert (await task.wait(timeout=10)).exit_code == 42

    stubborn = await supervise.start(
        spec(f"trap '' TERM; echo x > {tmp_path / 'r2'}; sleep 300 & wait; wait"), tmp_path / "b"
    )
    tasks.append(stubborn)
    wait_for(tmp_path / "r2")
    began = time.monotonic()
    assert rust("stop", stubborn.handle().hex(), "SIGTERM", "500") == (
        f"exit_code={128 + signal.SIGKILL} signal={signal.SIGKILL} oom_killed=false"
    )
    assert time.monotonic() - began < 0.5 + 5
    rust("destroy", stubborn.handle().hex())
    assert not (tmp_path / "b").exists()
    assert gone(stubborn.pid)


@needs_cli
async def test_a_task_started_by_rust_is_driven_by_python(tmp_path: Path) -> None:
    ready, out = tmp_path / "ready", tmp_path / "out"
    script = f"trap 'echo bye; exit 7' TERM; echo x > {ready}; sleep 300 & wait"
    handle = rust("start", str(tmp_path / "s"), str(out), "", "--", "sh", "-c", script)
    task = supervise.reattach(bytes.fromhex(handle))
    try:
        assert task.running()
        assert task.task_id == f"cli/{tmp_path / 's'}"
        assert task.spec.command == "sh"
        wait_for(ready)
        result = await task.stop("SIGTERM", timeout=20)
        assert (result.exit_code, result.signal) == (7, 0)
        assert out.read_text() == "bye\n"
        assert rust("exit", handle) == "exit_code=7 signal=0 oom_killed=false"
    finally:
        await task.destroy()
    assert not (tmp_path / "s").exists()
    # Destroyed by Python: gone for the Rust layer too (its state dir is missing).
    assert (
        "missing"
        in subprocess.run(
            [CLI, "exit", handle], capture_output=True, text=True, timeout=60, check=False
        ).stderr
    )


@pytest.mark.skipif(
    supervise.isolation() != "cgroup-v1", reason="no cgroup v1 path here (needs root and cgroup v1)"
)
async def test_a_task_with_limits_runs_in_its_own_cgroup(
    tmp_path: Path, tasks: list[supervise.Task]
) -> None:
    task = await supervise.start(
        spec(
            "sleep 300",
            limits=supervise.ResourceLimits(memory_limit_bytes=256 << 20, cpu_shares=200),
        ),
        tmp_path / "s",
    )
    tasks.append(task)
    assert task.started.cgroup
    assert supervise.reattach(task.handle()).started.cgroup == task.started.cgroup
    with open(f"/proc/{task.pid}/cgroup") as fh:
        memory = next(line for line in fh if ":memory:" in line)
    assert task.started.cgroup.endswith(memory.strip().split(":", 2)[2])
    plain = await supervise.start(spec("sleep 300"), tmp_path / "plain")
    tasks.append(plain)
    assert plain.started.cgroup  # no limits: still a cgroup of its own, for containment


@pytest.mark.skipif(
    supervise.isolation() == "process-group+subreaper", reason="no cgroup path here (needs root)"
)
@pytest.mark.parametrize("version", ["v1", "v2", "none"])
async def test_destroy_after_the_supervisor_was_killed_empties_the_cgroup(
    tmp_path: Path, tasks: list[supervise.Task], version: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("YURT_SUPERVISE_CGROUP", version)
    if version != "none" and supervise.isolation() != f"cgroup-{version}":
        pytest.skip(f"no cgroup {version} here")
    gc_pid = tmp_path / "gc.pid"
    task = await supervise.start(
        spec(f"(setsid sh -c 'echo $$ > {gc_pid}; exec sleep 300' &); exec sleep 300"),
        tmp_path / "s",
    )
    tasks.append(task)
    assert (task.started.cgroup != "") == (version != "none")
    deadline = time.monotonic() + 10
    while not gc_pid.exists() or not gc_pid.read_text().endswith("\n"):
        assert time.monotonic() < deadline, "no grandchild pid"
        await asyncio.sleep(0.01)
    gc = int(gc_pid.read_text())
    os.kill(task.started.supervisor_pid, signal.SIGKILL)
    while _state(task.started.supervisor_pid) not in ("", "Z", "X"):
        assert time.monotonic() < deadline, "supervisor survived SIGKILL"
        await asyncio.sleep(0.01)
    await task.destroy()
    while version != "none" and _state(gc) not in ("", "Z", "X"):
        assert time.monotonic() < deadline, "a setsid grandchild escaped destroy"
        await asyncio.sleep(0.01)
    if version == "none":
        # Without a cgroup nothing finds it once its supervisor is gone (documented).
        assert _state(gc) not in ("", "Z", "X")
        os.kill(gc, signal.SIGKILL)
    else:
        assert not Path(task.started.cgroup).exists(), "cgroup left behind"  # noqa: ASYNC240


def _state(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return ""
