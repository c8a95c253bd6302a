"""The python-exec example driver, launched through its launcher as a host would."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import grpc
import msgpack
import pytest
from gohost import Plugin, host_env, launch
from google.protobuf import duration_pb2

from yurt import supervise
from yurt._proto.hashicorp.nomad.plugins.base.proto import base_pb2, base_pb2_grpc
from yurt._proto.hashicorp.nomad.plugins.drivers.proto import (
    driver_pb2,
    driver_pb2_grpc,
    exec_pb2,
    task_pb2,
    task_stats_pb2,
)
from yurt._proto.plugin import grpc_controller_pb2, grpc_controller_pb2_grpc

LAUNCHER = Path(__file__).resolve().parents[1] / "python-exec" / "python-exec"


class Driver:
    def __init__(self, plugin: Plugin) -> None:
        self.plugin = plugin
        self.channel = grpc.insecure_channel(plugin.target)
        self.base = base_pb2_grpc.BasePluginStub(self.channel)
        self.stub = driver_pb2_grpc.DriverStub(self.channel)
        self.started: list[str] = []

    def configure(self, state_dir: Path, topology: base_pb2.ClientTopology | None = None) -> None:
        self.base.SetConfig(
            base_pb2.SetConfigRequest(
                msgpack_config=msgpack.packb({"state_dir": str(state_dir)}),
                plugin_api_version="v0.1.0",
                nomad_config=base_pb2.NomadConfig(
                    driver=base_pb2.NomadDriverConfig(Topology=topology)
                )
                if topology is not None
                else None,
            ),
            timeout=10,
        )

    def start(
        self, task_id: str, command: str, args: list[str], tmp: Path, alloc_dir: str = ""
    ) -> task_pb2.TaskHandle:
        self.started.append(task_id)
        resp = self.stub.StartTask(
            driver_pb2.StartTaskRequest(
                task=task_pb2.TaskConfig(
                    id=task_id,
                    name="t",
                    alloc_dir=alloc_dir,
                    msgpack_driver_config=msgpack.packb({"command": command, "args": args}),
                    env={"PATH": os.environ["PATH"], "GREETING": "hello"},
                    stdout_path=str(tmp / f"{task_id}.stdout"),
                    stderr_path=str(tmp / f"{task_id}.stderr"),
                )
            ),
            timeout=20,
        )
        handle: task_pb2.TaskHandle = resp.handle
        return handle

    def wait(self, task_id: str, timeout: float = 20) -> task_pb2.ExitResult:
        resp = self.stub.WaitTask(driver_pb2.WaitTaskRequest(task_id=task_id), timeout=timeout)
        result: task_pb2.ExitResult = resp.result
        return result

    def close(self, shutdown: bool = True, destroy: bool = True) -> None:
        if shutdown and self.plugin.proc.poll() is None:
            for task_id in self.started if destroy else ():  # leave no task running after a test
                with contextlib.suppress(grpc.RpcError):
                    self.stub.DestroyTask(
                        driver_pb2.DestroyTaskRequest(task_id=task_id, force=True), timeout=20
                    )
            grpc_controller_pb2_grpc.GRPCControllerStub(self.channel).Shutdown(
                grpc_controller_pb2.Empty(), timeout=10
            )
            self.plugin.proc.wait(timeout=5)
        self.channel.close()
        self.plugin.kill()


def _wait_for(path: Path, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        assert time.monotonic() < deadline, f"{path} never appeared"
        time.sleep(0.02)


@pytest.fixture
def driver(tmp_path: Path) -> Iterator[Driver]:
    d = Driver(launch(LAUNCHER, host_env()))
    d.configure(tmp_path / "state")
    yield d
    d.close()


def test_plugin_info_and_schema(driver: Driver) -> None:
    info = driver.base.PluginInfo(base_pb2.PluginInfoRequest(), timeout=10)
    assert (info.name, info.type) == ("python-exec", base_pb2.DRIVER)
    schema = driver.stub.TaskConfigSchema(driver_pb2.TaskConfigSchemaRequest(), timeout=10)
    attrs = schema.spec.object.attributes
    assert attrs["command"].Attr.required
    caps = driver.stub.Capabilities(driver_pb2.CapabilitiesRequest(), timeout=10).capabilities
    assert caps.send_signals
    assert caps.exec
    fp = next(iter(driver.stub.Fingerprint(driver_pb2.FingerprintRequest(), timeout=10)))
    assert fp.health == driver_pb2.FingerprintResponse.HEALTHY
    assert fp.attributes["driver.python-exec.isolation"].string_val == supervise.isolation()


def test_runs_a_command_with_args_env_and_real_exit_code(driver: Driver, tmp_path: Path) -> None:
    handle = driver.start(
        "t1", "sh", ["-c", 'echo "$GREETING $0"; echo oops >&2; exit 3'], tmp_path
    )
    assert handle.state == task_pb2.TaskState.RUNNING
    assert handle.driver_state
    result = driver.wait("t1")
    assert (result.exit_code, result.signal) == (3, 0)
    out = (tmp_path / "t1.stdout").read_text()
    assert out.startswith("hello /")
    assert out.endswith("sh\n")
    assert (tmp_path / "t1.stderr").read_text() == "oops\n"
    # WaitTask again after exit returns at once with the same result.
    assert driver.wait("t1", timeout=5).exit_code == 3
    status = driver.stub.InspectTask(driver_pb2.InspectTaskRequest(task_id="t1"), timeout=10).task
    assert status.state == task_pb2.TaskState.EXITED
    assert status.result.exit_code == 3


def test_stop_signals_then_reports_the_signal(driver: Driver, tmp_path: Path) -> None:
    driver.start("t2", "sleep", ["30"], tmp_path)
    status = driver.stub.InspectTask(driver_pb2.InspectTaskRequest(task_id="t2"), timeout=10).task
    assert status.state == task_pb2.TaskState.RUNNING
    with pytest.raises(grpc.RpcError) as err:
        driver.stub.DestroyTask(driver_pb2.DestroyTaskRequest(task_id="t2"), timeout=10)
    assert err.value.details() == "cannot destroy running task"
    stats = driver.stub.TaskStats(
        driver_pb2.TaskStatsRequest(
            task_id="t2", collection_interval=duration_pb2.Duration(nanos=100_000_000)
        ),
        timeout=10,
    )
    first = next(iter(stats))
    assert first.stats.agg_resource_usage.memory.rss > 0
    stats.cancel()
    driver.stub.StopTask(
        driver_pb2.StopTaskRequest(
            task_id="t2", timeout=duration_pb2.Duration(seconds=5), signal="SIGTERM"
        ),
        timeout=20,
    )
    result = driver.wait("t2")
    assert (result.exit_code, result.signal) == (128 + signal.SIGTERM, signal.SIGTERM)
    driver.stub.DestroyTask(driver_pb2.DestroyTaskRequest(task_id="t2"), timeout=10)
    with pytest.raises(grpc.RpcError) as err:
        driver.stub.InspectTask(driver_pb2.InspectTaskRequest(task_id="t2"), timeout=10)
    assert err.value.details() == "task not found for given id"


def test_stop_escalates_to_sigkill_after_the_timeout(driver: Driver, tmp_path: Path) -> None:
    ready = tmp_path / "ready"
    driver.start("t3", "sh", ["-c", f"trap '' TERM; touch {ready}; sleep 30"], tmp_path)
    _wait_for(ready)  # SIGTERM must not beat the trap
    start = time.monotonic()
    driver.stub.StopTask(
        driver_pb2.StopTaskRequest(
            task_id="t3", timeout=duration_pb2.Duration(nanos=500_000_000), signal="SIGTERM"
        ),
        timeout=20,
    )
    assert time.monotonic() - start < 5
    assert driver.wait("t3").signal == signal.SIGKILL


def test_signal_and_exec(driver: Driver, tmp_path: Path) -> None:
    ready = tmp_path / "ready4"
    script = f"trap 'exit 42' USR1; touch {ready}; while :; do sleep 0.05; done"
    driver.start("t4", "sh", ["-c", script], tmp_path)
    exec_resp = driver.stub.ExecTask(
        exec_pb2.ExecTaskRequest(
            task_id="t4",
            command=["sh", "-c", "echo in-task $GREETING; exit 5"],
            timeout=duration_pb2.Duration(seconds=10),
        ),
        timeout=20,
    )
    assert exec_resp.stdout == b"in-task hello\n"
    assert exec_resp.result.exit_code == 5
    _wait_for(ready)
    driver.stub.SignalTask(driver_pb2.SignalTaskRequest(task_id="t4", signal="SIGUSR1"), timeout=10)
    assert driver.wait("t4").exit_code == 42


def test_errors(driver: Driver, tmp_path: Path) -> None:
    with pytest.raises(grpc.RpcError) as err:
        driver.wait("nope", timeout=5)
    assert err.value.code() == grpc.StatusCode.UNKNOWN
    assert err.value.details() == "task not found for given id"
    with pytest.raises(grpc.RpcError) as err:
        driver.start("bad", "/no/such/binary", [], tmp_path)
    assert err.value.details() == (
        "failed to start task 'bad': command \"/no/such/binary\": "
        "No such file or directory (os error 2)"
    )
    with pytest.raises(grpc.RpcError) as err:
        driver.stub.StartTask(
            driver_pb2.StartTaskRequest(
                task=task_pb2.TaskConfig(
                    id="bad2", msgpack_driver_config=msgpack.packb({"command": 5})
                )
            ),
            timeout=10,
        )
    assert err.value.code() == grpc.StatusCode.UNKNOWN  # kind InvalidConfig, as in Go
    assert err.value.details() == "task.config.command: expected string, got number 5"


def test_tasks_survive_plugin_death_and_recover_with_real_exit_code(tmp_path: Path) -> None:
    state = tmp_path / "state"
    first = Driver(launch(LAUNCHER, host_env()))
    first.configure(state)
    marker = tmp_path / "go"
    handle = first.start(
        "r1", "sh", ["-c", f"while [ ! -e {marker} ]; do sleep 0.05; done; exit 7"], tmp_path
    )
    first.plugin.proc.send_signal(signal.SIGKILL)  # the plugin dies hard
    first.plugin.proc.wait(timeout=5)
    first.close(shutdown=False)

    second = Driver(launch(LAUNCHER, host_env()))
    try:
        second.configure(state)
        recovered = task_pb2.TaskHandle()
        recovered.CopyFrom(handle)
        recovered.config.msgpack_driver_config = b""  # as Nomad sends it: the handle only
        second.stub.RecoverTask(driver_pb2.RecoverTaskRequest(handle=recovered), timeout=10)
        # Recovering twice is fine.
        second.stub.RecoverTask(driver_pb2.RecoverTaskRequest(handle=recovered), timeout=10)
        status = second.stub.InspectTask(
            driver_pb2.InspectTaskRequest(task_id="r1"), timeout=10
        ).task
        assert status.state == task_pb2.TaskState.RUNNING
        marker.touch()
        result = second.wait("r1")
        assert result.exit_code == 7
    finally:
        second.close()


def test_recover_refuses_garbage_driver_state(driver: Driver) -> None:
    handle = task_pb2.TaskHandle(
        version=1, config=task_pb2.TaskConfig(id="g1"), driver_state=msgpack.packb({"task_id": 1})
    )
    with pytest.raises(grpc.RpcError) as err:
        driver.stub.RecoverTask(
            driver_pb2.RecoverTaskRequest(task_id="g1", handle=handle), timeout=10
        )
    assert err.value.details().startswith("driver_state: handle")


def _exec_stream(
    driver: Driver, requests: list[exec_pb2.ExecTaskStreamingRequest]
) -> tuple[bytes, bytes, task_pb2.ExitResult]:
    out = err = b""
    result = None
    for resp in driver.stub.ExecTaskStreaming(iter(requests), timeout=20):
        out += resp.stdout.data
        err += resp.stderr.data
        if resp.exited:
            result = resp.result
    assert result is not None, "the session must end with exited=true"
    return out, err, result


def _setup(
    task_id: str, command: list[str], tty: bool = False
) -> exec_pb2.ExecTaskStreamingRequest:
    return exec_pb2.ExecTaskStreamingRequest(
        setup=exec_pb2.ExecTaskStreamingRequest.Setup(task_id=task_id, command=command, tty=tty)
    )


def _stdin(data: bytes = b"", close: bool = False) -> exec_pb2.ExecTaskStreamingRequest:
    return exec_pb2.ExecTaskStreamingRequest(
        stdin=exec_pb2.ExecTaskStreamingIOOperation(data=data, close=close)
    )


def test_streaming_exec_pipes(driver: Driver, tmp_path: Path) -> None:
    driver.start("s1", "sleep", ["30"], tmp_path)
    out, err, result = _exec_stream(
        driver,
        [
            _setup("s1", ["sh", "-c", "cat; echo to-err >&2; exit 4"]),
            _stdin(b"line one\n"),
            _stdin(b"line two\n"),
            _stdin(close=True),
        ],
    )
    assert out == b"line one\nline two\n"
    assert err == b"to-err\n"
    assert result.exit_code == 4


def test_streaming_exec_tty_and_resize(driver: Driver, tmp_path: Path) -> None:
    driver.start("s2", "sleep", ["30"], tmp_path)
    size = exec_pb2.ExecTaskStreamingRequest(
        tty_size=exec_pb2.ExecTaskStreamingRequest.TerminalSize(height=33, width=101)
    )
    out, err, result = _exec_stream(
        driver, [_setup("s2", ["sh", "-c", "tty; stty size"], tty=True), size]
    )
    assert err == b""
    assert b"/dev/pts/" in out
    assert b"epoll" not in out  # nothing from the plugin process leaks onto the terminal
    assert b"33 101" in out
    assert result.exit_code == 0


def test_streaming_exec_errors(driver: Driver) -> None:
    with pytest.raises(grpc.RpcError) as err:
        _exec_stream(driver, [_setup("missing", ["true"])])
    assert err.value.details() == "task not found for given id"
    with pytest.raises(grpc.RpcError) as err:
        _exec_stream(driver, [_stdin(b"x")])
    assert err.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert err.value.details() == "setup: expected a setup message first, got a stream without one"


def test_plugin_shutdown_is_prompt_and_leaves_tasks_running(tmp_path: Path) -> None:
    d = Driver(launch(LAUNCHER, host_env()))
    d.configure(tmp_path / "state")
    handle = d.start("k1", "sleep", ["30"], tmp_path)
    task = supervise.reattach(handle.driver_state)
    start = time.monotonic()
    d.close(destroy=False)  # GRPCController.Shutdown, then wait for the process
    assert time.monotonic() - start < 2.0
    os.kill(task.pid, 0)  # the task outlives the plugin (no exception: still there)
    assert task.running()
    asyncio.run(task.destroy())


@pytest.mark.skipif(os.geteuid() != 0, reason="running as another user needs root")
def test_runs_as_the_task_user(driver: Driver, tmp_path: Path) -> None:
    resp = driver.stub.StartTask(
        driver_pb2.StartTaskRequest(
            task=task_pb2.TaskConfig(
                id="u1",
                user="nobody",
                msgpack_driver_config=msgpack.packb({"command": "id", "args": ["-un"]}),
                env={"PATH": os.environ["PATH"]},
                stdout_path=str(tmp_path / "u1.stdout"),
            )
        ),
        timeout=20,
    )
    assert resp.handle.driver_state
    assert driver.wait("u1").exit_code == 0
    assert (tmp_path / "u1.stdout").read_text() == "nobody\n"
    with pytest.raises(grpc.RpcError) as err:
        driver.stub.StartTask(
            driver_pb2.StartTaskRequest(
                task=task_pb2.TaskConfig(
                    id="u2",
                    user="no-such-user-yurt",
                    msgpack_driver_config=msgpack.packb({"command": "id"}),
                )
            ),
            timeout=20,
        )
    assert err.value.details() == (
        "failed to start task 'u2': user \"no-such-user-yurt\": no such user on this host"
        " (unknown user no-such-user-yurt)"
    )


def test_exec_commands_can_be_interrupted(driver: Driver, tmp_path: Path) -> None:
    """The plugin ignores SIGINT, but commands it runs must not inherit that."""
    driver.start("i1", "sleep", ["30"], tmp_path)
    resp = driver.stub.ExecTask(
        exec_pb2.ExecTaskRequest(
            task_id="i1",
            command=["sh", "-c", "kill -INT $$; echo survived"],
            timeout=duration_pb2.Duration(seconds=10),
        ),
        timeout=20,
    )
    assert resp.stdout == b""
    assert (resp.result.exit_code, resp.result.signal) == (128 + signal.SIGINT, signal.SIGINT)


def test_failed_start_cleans_up(driver: Driver, tmp_path: Path) -> None:
    # A directory is not a program: the supervisor refuses it, naming the field.
    with pytest.raises(grpc.RpcError) as err:
        driver.start("f1", str(tmp_path), [], tmp_path)
    assert err.value.details() == (
        f"failed to start task 'f1': command \"{tmp_path}\": not an executable file"
    )
    assert not (tmp_path / "state" / "f1").exists()
    # The id is free again: nothing half-started is remembered.
    driver.start("f1", "true", [], tmp_path)
    assert driver.wait("f1").exit_code == 0


def test_working_dir_is_the_task_dir_when_it_exists(driver: Driver, tmp_path: Path) -> None:
    alloc = tmp_path / "alloc"
    (alloc / "t").mkdir(parents=True)
    driver.start("w1", "pwd", [], tmp_path, alloc_dir=str(alloc))
    assert driver.wait("w1").exit_code == 0
    assert (tmp_path / "w1.stdout").read_text() == f"{alloc / 't'}\n"
    bare = tmp_path / "bare"
    bare.mkdir()
    driver.start("w2", "pwd", [], tmp_path, alloc_dir=str(bare))
    assert driver.wait("w2").exit_code == 0
    assert (tmp_path / "w2.stdout").read_text() == f"{bare}\n"


def test_stats_of_a_busy_task_in_percent_and_the_topologys_mhz(tmp_path: Path) -> None:
    d = Driver(launch(LAUNCHER, host_env()))
    try:
        cores = [base_pb2.ClientTopologyCore(core_id=i, base_speed=3000) for i in range(4)]
        d.configure(tmp_path / "state", base_pb2.ClientTopology(cores=cores))
        d.start("b1", "sh", ["-c", "while :; do :; done"], tmp_path)
        stream = d.stub.TaskStats(
            driver_pb2.TaskStatsRequest(
                task_id="b1", collection_interval=duration_pb2.Duration(nanos=500_000_000)
            ),
            timeout=20,
        )
        samples = iter(stream)
        next(samples)
        usage = next(samples).stats.agg_resource_usage
        stream.cancel()
        cpu = usage.cpu
        assert 5 < cpu.percent <= 110  # % of one core (the machine may be shared)
        # Nomad's cpustats.TicksConsumed: percent/100 * total compute / cores, in MHz.
        assert cpu.total_ticks == pytest.approx(cpu.percent / 100 * 12000 / 4, rel=1e-6)
        assert cpu.percent == pytest.approx(cpu.user_mode + cpu.system_mode, rel=1e-6)
        fields = task_stats_pb2.CPUUsage.Fields
        assert set(cpu.measured_fields) == {
            fields.Value("SYSTEM_MODE"),
            fields.Value("USER_MODE"),
            fields.Value("PERCENT"),
            fields.Value("TOTAL_TICKS"),
        }
        assert usage.memory.rss > 0
    finally:
        d.close()


def test_destroy_leaves_no_background_process_or_state(driver: Driver, tmp_path: Path) -> None:
    bg = tmp_path / "bg.pid"
    driver.start("d1", "sh", ["-c", f"sleep 300 & echo $! > {bg}; exec sleep 300"], tmp_path)
    _wait_for(bg)
    driver.stub.DestroyTask(driver_pb2.DestroyTaskRequest(task_id="d1", force=True), timeout=20)
    driver.started.remove("d1")
    pid = int(bg.read_text())
    deadline = time.monotonic() + 5
    while os.path.exists(f"/proc/{pid}") and "Z" not in _state(pid):
        assert time.monotonic() < deadline, "the background sleep survived DestroyTask"
        time.sleep(0.01)
    assert not (tmp_path / "state" / "d1").exists()


def _state(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return "Z"


@pytest.mark.skipif(
    supervise.isolation() != "cgroup-v1", reason="no cgroup path here (needs root and cgroup v1)"
)
def test_resources_become_the_tasks_cgroup_limits(driver: Driver, tmp_path: Path) -> None:
    for task_id, memory, memory_max in (("m1", 64, 0), ("m2", 64, 96)):
        resources = task_pb2.Resources(
            allocated_resources=task_pb2.AllocatedTaskResources(
                memory=task_pb2.AllocatedMemoryResources(
                    memory_mb=memory, memory_max_mb=memory_max
                ),
                cpu=task_pb2.AllocatedCpuResources(cpu_shares=250),
            )
        )
        driver.started.append(task_id)
        driver.stub.StartTask(
            driver_pb2.StartTaskRequest(
                task=task_pb2.TaskConfig(
                    id=task_id,
                    name="t",
                    resources=resources,
                    msgpack_driver_config=msgpack.packb({"command": "sleep", "args": ["30"]}),
                    env={"PATH": os.environ["PATH"]},
                )
            ),
            timeout=20,
        )
        inspected = driver.stub.InspectTask(
            driver_pb2.InspectTaskRequest(task_id=task_id), timeout=10
        )
        cgroup = Path(inspected.driver.attributes["cgroup"])
        limit = int((cgroup / "memory.limit_in_bytes").read_text())
        assert limit == (memory_max or memory) << 20, "Nomad's hard limit: memory_max, else memory"
