"""The pyexec example driver, launched through its launcher as a host would."""

from __future__ import annotations

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

from yurt._proto.hashicorp.nomad.plugins.base.proto import base_pb2, base_pb2_grpc
from yurt._proto.hashicorp.nomad.plugins.drivers.proto import driver_pb2, driver_pb2_grpc
from yurt._proto.plugin import grpc_controller_pb2, grpc_controller_pb2_grpc

LAUNCHER = Path(__file__).resolve().parents[1] / "pyexec" / "pyexec"


class Driver:
    def __init__(self, plugin: Plugin) -> None:
        self.plugin = plugin
        self.channel = grpc.insecure_channel(plugin.target)
        self.base = base_pb2_grpc.BasePluginStub(self.channel)
        self.stub = driver_pb2_grpc.DriverStub(self.channel)

    def configure(self, state_dir: Path) -> None:
        self.base.SetConfig(
            base_pb2.SetConfigRequest(
                msgpack_config=msgpack.packb({"state_dir": str(state_dir)}),
                plugin_api_version="v0.1.0",
            ),
            timeout=10,
        )

    def start(
        self, task_id: str, command: str, args: list[str], tmp: Path
    ) -> driver_pb2.TaskHandle:
        resp = self.stub.StartTask(
            driver_pb2.StartTaskRequest(
                task=driver_pb2.TaskConfig(
                    id=task_id,
                    name="t",
                    msgpack_driver_config=msgpack.packb({"command": command, "args": args}),
                    env={"PATH": os.environ["PATH"], "GREETING": "hello"},
                    stdout_path=str(tmp / f"{task_id}.stdout"),
                    stderr_path=str(tmp / f"{task_id}.stderr"),
                )
            ),
            timeout=20,
        )
        handle: driver_pb2.TaskHandle = resp.handle
        return handle

    def wait(self, task_id: str, timeout: float = 20) -> driver_pb2.ExitResult:
        resp = self.stub.WaitTask(driver_pb2.WaitTaskRequest(task_id=task_id), timeout=timeout)
        result: driver_pb2.ExitResult = resp.result
        return result

    def close(self, shutdown: bool = True) -> None:
        if shutdown and self.plugin.proc.poll() is None:
            grpc_controller_pb2_grpc.GRPCControllerStub(self.channel).Shutdown(
                grpc_controller_pb2.Empty(), timeout=10
            )
            self.plugin.proc.wait(timeout=5)
        self.channel.close()
        self.plugin.kill()


@pytest.fixture
def driver(tmp_path: Path) -> Iterator[Driver]:
    d = Driver(launch(LAUNCHER, host_env()))
    d.configure(tmp_path / "state")
    yield d
    d.close()


def test_plugin_info_and_schema(driver: Driver) -> None:
    info = driver.base.PluginInfo(base_pb2.PluginInfoRequest(), timeout=10)
    assert (info.name, info.type) == ("pyexec", base_pb2.DRIVER)
    schema = driver.stub.TaskConfigSchema(driver_pb2.TaskConfigSchemaRequest(), timeout=10)
    attrs = schema.spec.object.attributes
    assert attrs["command"].Attr.required
    caps = driver.stub.Capabilities(driver_pb2.CapabilitiesRequest(), timeout=10).capabilities
    assert caps.send_signals
    assert caps.exec
    fp = next(iter(driver.stub.Fingerprint(driver_pb2.FingerprintRequest(), timeout=10)))
    assert fp.health == driver_pb2.FingerprintResponse.HEALTHY


def test_runs_a_command_with_args_env_and_real_exit_code(driver: Driver, tmp_path: Path) -> None:
    handle = driver.start(
        "t1", "sh", ["-c", 'echo "$GREETING $0"; echo oops >&2; exit 3'], tmp_path
    )
    assert handle.state == driver_pb2.TaskState.RUNNING
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
    assert status.state == driver_pb2.TaskState.EXITED
    assert status.result.exit_code == 3


def test_stop_signals_then_reports_the_signal(driver: Driver, tmp_path: Path) -> None:
    driver.start("t2", "sleep", ["30"], tmp_path)
    status = driver.stub.InspectTask(driver_pb2.InspectTaskRequest(task_id="t2"), timeout=10).task
    assert status.state == driver_pb2.TaskState.RUNNING
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
    driver.start("t3", "sh", ["-c", "trap '' TERM; sleep 30"], tmp_path)
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
    driver.start("t4", "sh", ["-c", "trap 'exit 42' USR1; while :; do sleep 0.05; done"], tmp_path)
    exec_resp = driver.stub.ExecTask(
        driver_pb2.ExecTaskRequest(
            task_id="t4",
            command=["sh", "-c", "echo in-task $GREETING; exit 5"],
            timeout=duration_pb2.Duration(seconds=10),
        ),
        timeout=20,
    )
    assert exec_resp.stdout == b"in-task hello\n"
    assert exec_resp.result.exit_code == 5
    time.sleep(0.2)
    driver.stub.SignalTask(driver_pb2.SignalTaskRequest(task_id="t4", signal="SIGUSR1"), timeout=10)
    assert driver.wait("t4").exit_code == 42


def test_errors(driver: Driver, tmp_path: Path) -> None:
    with pytest.raises(grpc.RpcError) as err:
        driver.wait("nope", timeout=5)
    assert err.value.code() == grpc.StatusCode.UNKNOWN
    assert err.value.details() == "task not found for given id"
    with pytest.raises(grpc.RpcError) as err:
        driver.start("bad", "/no/such/binary", [], tmp_path)
    assert "is not an executable file" in (err.value.details() or "")
    with pytest.raises(grpc.RpcError) as err:
        driver.stub.StartTask(
            driver_pb2.StartTaskRequest(
                task=driver_pb2.TaskConfig(
                    id="bad2", msgpack_driver_config=msgpack.packb({"command": 5})
                )
            ),
            timeout=10,
        )
    assert err.value.code() == grpc.StatusCode.INVALID_ARGUMENT
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
        recovered = driver_pb2.TaskHandle()
        recovered.CopyFrom(handle)
        recovered.config.msgpack_driver_config = b""  # as Nomad sends it
        second.stub.RecoverTask(
            driver_pb2.RecoverTaskRequest(task_id="r1", handle=recovered), timeout=10
        )
        # Recovering twice is fine.
        second.stub.RecoverTask(
            driver_pb2.RecoverTaskRequest(task_id="r1", handle=recovered), timeout=10
        )
        status = second.stub.InspectTask(
            driver_pb2.InspectTaskRequest(task_id="r1"), timeout=10
        ).task
        assert status.state == driver_pb2.TaskState.RUNNING
        marker.touch()
        result = second.wait("r1")
        assert result.exit_code == 7
    finally:
        second.close()


def test_recover_refuses_garbage_driver_state(driver: Driver) -> None:
    handle = driver_pb2.TaskHandle(
        version=1, config=driver_pb2.TaskConfig(id="g1"), driver_state=msgpack.packb({"task_id": 1})
    )
    with pytest.raises(grpc.RpcError) as err:
        driver.stub.RecoverTask(
            driver_pb2.RecoverTaskRequest(task_id="g1", handle=handle), timeout=10
        )
    assert err.value.details().startswith("driver_state.")
