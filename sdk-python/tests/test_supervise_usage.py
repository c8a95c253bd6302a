"""yurt.supervise: stats in Nomad's units and exec in the task's context, on real tasks."""

# ruff: noqa: ASYNC110, ASYNC240

from __future__ import annotations

import asyncio
import datetime as dt
import os
import signal
import subprocess
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from supervise_helpers import ENV, gone, spec, wait_for

from yurt import supervise
from yurt._proto.hashicorp.nomad.plugins.base.proto import base_pb2
from yurt.base import AgentConfig, Core, Topology, _topology
from yurt.driver import ExecSession, TerminalSize
from yurt.supervise import Compute, SuperviseError
from yurt.supervise._state import proc_stat
from yurt.supervise._stats import CLK_TCK, descendants


@pytest.fixture
async def tasks() -> AsyncIterator[list[supervise.Task]]:
    started: list[supervise.Task] = []
    yield started
    for task in started:
        await task.destroy()


def test_compute_follows_nomads_topology_rules(tmp_path: Path) -> None:
    cores = (Core(core_id=0, base_speed=2000, max_speed=3000), Core(core_id=1, guess_speed=1500))
    assert Compute.from_topology(Topology(cores=cores)) == Compute(3500.0, 2)
    overridden = Topology(cores=cores, override_total_compute=9000)
    assert Compute.from_topology(overridden) == Compute(9000.0, 2)
    assert Compute.from_topology(Topology(cores=(Core(),))) is None
    assert Compute(3500.0, 2).ticks(50.0) == pytest.approx(875.0)
    cpuinfo = tmp_path / "cpuinfo"
    cpuinfo.write_text(
        "processor\t: 0\ncpu MHz\t\t: 2400.5\n\nprocessor\t: 1\ncpu MHz\t\t: 2399.5\n"
    )
    assert Compute.from_host(str(cpuinfo)) == Compute(4800.0, 2)
    cpuinfo.write_text("processor\t: 0\n")
    assert Compute.from_host(str(cpuinfo)) is None
    agent = AgentConfig(topology=Topology(cores=cores))
    assert Compute.for_agent(agent) == Compute(3500.0, 2)
    assert Compute.for_agent(None) == Compute.from_host()


def test_set_config_topology_reaches_the_agent_config() -> None:
    wire = base_pb2.ClientTopology(
        node_ids=[0],
        cores=[
            base_pb2.ClientTopologyCore(core_id=0, base_speed=2500, max_speed=3500),
            base_pb2.ClientTopologyCore(
                core_id=1, core_grade=base_pb2.Efficiency, guess_speed=1200
            ),
        ],
        distances=base_pb2.ClientTopologySLIT(dimension=1, values=[10]),
        override_withold_compute=100,
    )
    topo = _topology(wire)
    assert topo.node_ids == (0,)
    assert topo.cores[1] == Core(core_id=1, grade=1, guess_speed=1200)
    assert (topo.distance_dimension, topo.distances) == (1, (10,))
    assert topo.override_withold_compute == 100
    assert topo.total_compute() == 3700


def _cpu_ticks(pid: int) -> int:
    st = proc_stat(pid)
    assert st is not None
    return st.utime + st.stime


async def test_a_busy_loop_is_about_one_core_in_percent_and_mhz(
    tmp_path: Path, tasks: list[supervise.Task]
) -> None:
    task = await supervise.start(spec("while :; do :; done"), tmp_path / "s")
    tasks.append(task)
    compute = Compute(4000.0, 2)
    sampler = task.sampler(compute)
    first = sampler.sample()  # since the task started
    assert first.usage.cpu.percent is not None
    t0, c0 = time.clock_gettime(time.CLOCK_BOOTTIME), _cpu_ticks(task.pid)
    await asyncio.sleep(1.5)
    c1, t1 = _cpu_ticks(task.pid), time.clock_gettime(time.CLOCK_BOOTTIME)
    usage = sampler.sample().usage
    # What /proc says the loop got of one core over the same interval (the machine is shared,
    # so it may be less than 100%): the sample agrees with it, in % of ONE core.
    expected = (c1 - c0) / CLK_TCK / (t1 - t0) * 100
    percent, user, system = usage.cpu.percent, usage.cpu.user_mode, usage.cpu.system_mode
    assert percent is not None
    assert user is not None
    assert system is not None
    assert percent == pytest.approx(expected, abs=15)
    assert 5 < percent <= 110  # a shared machine may give the loop little of a core
    if os.getloadavg()[0] < 0.5 * (os.cpu_count() or 1):
        assert percent > 80  # an idle machine gives the loop a whole core
    assert percent == pytest.approx(user + system)
    assert usage.cpu.total_ticks == pytest.approx(percent / 100 * 4000.0 / 2)
    rss, usage_bytes, max_usage = usage.memory.rss, usage.memory.usage, usage.memory.max_usage
    assert rss is not None
    assert rss > 0
    if task.started.cgroup:
        # The cgroup's own accounting: page cache in usage, a shared page counted once.
        assert usage_bytes is not None
        assert usage_bytes >= rss
    else:
        assert usage_bytes == rss + (usage.memory.swap or 0)
    assert max_usage is not None
    assert max_usage >= usage_bytes
    assert set(sampler.sample().by_pid) == {str(task.pid)}  # the supervisor is not counted
    assert sampler.sample().measured == (
        "System Mode",
        "User Mode",
        "Percent",
        "Total Ticks",
        "RSS",
        "Swap",
        "Usage",
        "Max Usage",
    )
    idle = await supervise.start(spec("sleep 30"), tmp_path / "idle")
    tasks.append(idle)
    await asyncio.sleep(0.3)
    idle.stats()
    await asyncio.sleep(0.5)
    assert (idle.stats().usage.cpu.percent or 0) < 10
    await idle.stop("SIGKILL", 0)
    over = idle.stats()
    assert (over.by_pid, over.usage.memory.rss, over.usage.cpu.percent) == ({}, 0, 0.0)


def test_stats_never_count_the_children_of_a_reused_supervisor_pid(tmp_path: Path) -> None:
    # A live process with a child holds the supervisor's old PID (another start time).
    other = subprocess.Popen(["sh", "-c", "sleep 30 & wait"], start_new_session=True)
    try:
        deadline = time.monotonic() + 10
        while not descendants(other.pid):
            assert time.monotonic() < deadline
            time.sleep(0.01)
        st = proc_stat(other.pid)
        assert st is not None
        started = supervise.Started(other.pid, 1, 1, st.start_time + 1, dt.datetime.now(dt.UTC))
        task = supervise.Task(tmp_path, spec("true"), started, "gone")
        assert task.stats().by_pid == {}
        honest = supervise.Started(other.pid, 1, 1, st.start_time, dt.datetime.now(dt.UTC))
        assert supervise.Task(tmp_path, spec("true"), honest, "x").stats().by_pid  # the control
    finally:
        os.killpg(other.pid, signal.SIGKILL)
        other.wait()


async def test_stats_sum_the_process_tree_and_rescan_it_periodically(
    tmp_path: Path, tasks: list[supervise.Task]
) -> None:
    go, first, second = tmp_path / "go", tmp_path / "first", tmp_path / "second"
    task = await supervise.start(
        spec(
            f"sleep 300 & echo $! > {first}; while [ ! -e {go} ]; do sleep 0.02; done; "
            f"sleep 301 & echo $! > {second}; wait"
        ),
        tmp_path / "s",
    )
    tasks.append(task)
    wait_for(first)
    sleeper = int(first.read_text())
    sampler = supervise.Sampler(task, Compute(1000.0, 1), rescan=3600)
    sample = sampler.sample()
    assert sampler.scans == 1
    assert {str(task.pid), str(sleeper)} <= set(sample.by_pid)
    go.touch()
    wait_for(second)
    late = int(second.read_text())
    assert str(late) not in sampler.sample().by_pid, "inside the rescan period: the cached pids"
    assert sampler.scans == 1
    sampler.rescan = 0
    sample = sampler.sample()
    assert sampler.scans == 2
    assert set(sample.by_pid) == {str(task.pid), str(sleeper), str(late)}, "the rescan finds it"
    if not task.started.cgroup:  # with one, the total is what the cgroup charges
        assert sample.usage.memory.rss == sum(u.memory.rss or 0 for u in sample.by_pid.values())
    os.kill(sleeper, signal.SIGKILL)
    assert gone(sleeper)
    sampler.rescan = 3600
    assert str(sleeper) not in sampler.sample().by_pid, "a dead process drops out at once"
    assert set(descendants(task.started.supervisor_pid)) == {task.pid, late}


async def test_exec_runs_in_the_task_context_with_merged_output(
    tmp_path: Path, tasks: list[supervise.Task]
) -> None:
    task = await supervise.start(
        spec("sleep 30", env={**ENV, "GREETING": "hello"}, working_dir=str(tmp_path)),
        tmp_path / "s",
    )
    tasks.append(task)
    env = await task.exec(["env", "-0"], 10)
    assert sorted(env.stdout.decode().strip("\0").split("\0")) == sorted(
        f"{k}={v}" for k, v in {**ENV, "GREETING": "hello"}.items()
    ), "the spec's environment, nothing else"
    result = await task.exec(["sh", "-c", "echo $GREETING; pwd; echo to-err >&2; exit 5"], 10)
    assert result.stdout == f"hello\n{tmp_path}\nto-err\n".encode()
    assert result.stderr == b""
    assert result.exit_result.exit_code == 5
    status = await task.exec(["grep", "-E", "^Sig(Ign|Blk):", "/proc/self/status"], 10)
    assert status.stdout == b"SigBlk:\t0000000000000000\nSigIgn:\t0000000000000000\n", (
        status.stdout.decode()
    )
    # A plugin that ignores and blocks signals of its own passes none of that on.
    old_hup = signal.signal(signal.SIGHUP, signal.SIG_IGN)
    old_mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR2})
    try:
        status = await task.exec(["grep", "-E", "^Sig(Ign|Blk):", "/proc/self/status"], 10)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old_mask)
        signal.signal(signal.SIGHUP, old_hup)
    assert status.stdout == b"SigBlk:\t0000000000000000\nSigIgn:\t0000000000000000\n"
    killed = await task.exec(["sh", "-c", "kill -INT $$; echo survived"], 10)
    assert (killed.exit_result.exit_code, killed.exit_result.signal) == (130, signal.SIGINT)
    began = time.monotonic()
    slow = await task.exec(["sh", "-c", "echo started; sleep 30"], 0.5)
    assert time.monotonic() - began < 5
    assert slow.exit_result.signal == signal.SIGKILL
    assert slow.stdout == b"started\n"
    with pytest.raises(SuperviseError, match=r"^command 'no-such-cmd-yurt': not found in the task"):
        await task.exec(["no-such-cmd-yurt"], 5)
    with pytest.raises(SuperviseError, match=r"^command './nope': not an executable file"):
        await task.exec(["./nope"], 5)
    with pytest.raises(SuperviseError, match=r"^command: expected at least the program"):
        await task.exec([], 5)


class _Context:
    """Collects what an ExecSession writes, as the gRPC stream would carry it."""

    def __init__(self) -> None:
        self.stdout = b""
        self.stderr = b""

    async def write(self, response: Any) -> None:
        self.stdout += response.stdout.data
        self.stderr += response.stderr.data


async def test_exec_streaming_pipes_and_tty_with_resize(
    tmp_path: Path, tasks: list[supervise.Task]
) -> None:
    task = await supervise.start(spec("sleep 30", env={**ENV, "X": "x1"}), tmp_path / "s")
    tasks.append(task)
    ctx = _Context()
    session = ExecSession(task.task_id, ["sh", "-c", "cat; echo $X >&2; exit 4"], False, ctx)
    session._stdin.put_nowait(b"line one\n")
    session._stdin.put_nowait(b"")
    result = await asyncio.wait_for(task.exec_streaming(session), 20)
    assert (ctx.stdout, ctx.stderr, result.exit_code) == (b"line one\n", b"x1\n", 4)

    ready = tmp_path / "ready"
    ctx = _Context()
    script = f"tty; stty size; echo x > {ready}; read line; stty size; echo got $line"
    session = ExecSession(task.task_id, ["sh", "-c", script], True, ctx)
    session.size = TerminalSize(33, 101)
    running = asyncio.create_task(task.exec_streaming(session))
    while not ready.exists():
        await asyncio.sleep(0.01)
    assert session.on_resize is not None
    session.on_resize(TerminalSize(40, 120))
    session._stdin.put_nowait(b"hi\n")
    result = await asyncio.wait_for(running, 20)
    assert result.exit_code == 0
    assert ctx.stderr == b""
    assert b"/dev/pts/" in ctx.stdout
    assert b"33 101" in ctx.stdout
    assert b"40 120" in ctx.stdout
    assert b"got hi" in ctx.stdout
    wait_for(ready)


@pytest.mark.skipif(os.geteuid() != 0, reason="running as another user needs root")
async def test_task_and_exec_run_as_the_spec_user(
    tmp_path: Path, tasks: list[supervise.Task]
) -> None:
    out = tmp_path / "out"
    tmp_path.chmod(0o755)
    task = await supervise.start(
        spec("id -un; sleep 30", user="nobody", stdout_path=str(out)), tmp_path / "s"
    )
    tasks.append(task)
    wait_for(out)
    assert out.read_text() == "nobody\n"
    result = await task.exec(["id", "-un"], 10)
    assert (result.stdout, result.exit_result.exit_code) == (b"nobody\n", 0)
    uid = await task.exec(["sh", "-c", "echo $(id -u):$(id -g)"], 10)
    assert uid.stdout != b"0:0\n"
    with pytest.raises(SuperviseError, match=r"^user 'no-such-user-yurt': no such user"):
        await supervise.Task(
            task.state_dir, spec("true", user="no-such-user-yurt"), task.started, ""
        ).exec(["true"], 5)
    ctx = _Context()
    session = ExecSession(task.task_id, ["id", "-un"], True, ctx)
    session._stdin.put_nowait(b"")
    assert (await asyncio.wait_for(task.exec_streaming(session), 20)).exit_code == 0
    assert ctx.stdout.strip() == b"nobody"
