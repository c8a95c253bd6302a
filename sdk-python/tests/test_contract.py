"""The Nomad contract of the SDK's base classes, over an in-process gRPC server.

Plugin code raises the SDK's errors; these tests check what a Nomad client
sees on the wire (codes, texts, status details) and that the converters keep
what they must.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import grpc
import msgpack
import pytest
from google.rpc import status_pb2

import yurt
from yurt import hclspec
from yurt._proto.hashicorp.nomad.plugins.base.proto import base_pb2, base_pb2_grpc
from yurt._proto.hashicorp.nomad.plugins.device import device_pb2, device_pb2_grpc
from yurt._proto.hashicorp.nomad.plugins.drivers.proto import (
    driver_pb2,
    driver_pb2_grpc,
    exec_pb2,
    task_pb2,
)
from yurt._proto.hashicorp.nomad.plugins.shared.structs import recoverable_error_pb2
from yurt.device import DeviceGroup, StatValue, _stat_value_to_proto
from yurt.driver import (
    ExecSession,
    ExitResult,
    TaskConfig,
    TaskEvent,
    TaskHandle,
    TaskState,
    TaskStatus,
)
from yurt.driver._convert import _task_config_from_proto, _task_config_to_proto
from yurt.errors import RecoverableError, TaskNotFoundError


@dataclass
class State:
    pid: int
    note: str = ""


class Driver(yurt.DriverPlugin):
    name = "contract"
    task_config_spec = hclspec.obj(cmd=hclspec.attr("cmd", "string"))

    def __init__(self) -> None:
        super().__init__()
        self.recovered: list[TaskHandle] = []

    async def start_task(self, task: TaskConfig) -> TaskHandle:
        if task.driver_config["cmd"] == "flaky":
            raise RecoverableError("image pull timed out")
        if task.driver_config["cmd"] == "broken":
            raise RecoverableError("bad image", recoverable=False)
        handle = TaskHandle(config=task)
        handle.set_state(State(pid=42))
        self.emit_event(TaskEvent(task.id, task.alloc_id, task.name, "started"))
        return handle

    async def recover_task(self, handle: TaskHandle) -> None:
        self.recovered.append(handle)

    async def inspect_task(self, task_id: str) -> TaskStatus:
        if task_id == "running":
            return TaskStatus(
                id=task_id,
                name="web",
                state=TaskState.RUNNING,
                started_at=dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC),
            )
        raise TaskNotFoundError(task_id)

    async def wait_task(self, task_id: str) -> ExitResult:
        if task_id == "lost":
            raise RuntimeError("supervisor lost")
        raise TaskNotFoundError(task_id)


class Device(yurt.DevicePlugin):
    name = "contract-dev"

    async def fingerprint(self) -> AsyncIterator[list[DeviceGroup]]:
        yield [DeviceGroup(vendor="", type="t", name="n")]


async def _serve(plugin: Any, tmp_path: Path) -> tuple[grpc.aio.Server, grpc.aio.Channel]:
    server = grpc.aio.server()
    plugin._yurt_register(server)
    target = f"unix:{tmp_path}/s.sock"
    server.add_insecure_port(target)
    await server.start()
    return server, grpc.aio.insecure_channel(target)


@pytest.fixture
async def driver(tmp_path: Path) -> AsyncIterator[tuple[Driver, grpc.aio.Channel]]:
    plugin = Driver()
    server, channel = await _serve(plugin, tmp_path)
    yield plugin, channel
    await channel.close()
    await server.stop(None)


def _start(cmd: str) -> driver_pb2.StartTaskRequest:
    return driver_pb2.StartTaskRequest(
        task=task_pb2.TaskConfig(
            id="t1",
            name="web",
            alloc_id="a1",
            msgpack_driver_config=msgpack.packb({"cmd": cmd}),
        )
    )


async def test_recoverable_error_carries_the_status_detail(
    driver: tuple[Driver, grpc.aio.Channel],
) -> None:
    _, channel = driver
    stub = driver_pb2_grpc.DriverStub(channel)
    for cmd, recoverable in (("flaky", True), ("broken", False)):
        with pytest.raises(grpc.aio.AioRpcError) as err:
            await stub.StartTask(_start(cmd), timeout=5)
        assert err.value.code() == grpc.StatusCode.FAILED_PRECONDITION
        trailers = dict(err.value.trailing_metadata() or ())
        status = status_pb2.Status.FromString(trailers["grpc-status-details-bin"])
        assert status.code == grpc.StatusCode.FAILED_PRECONDITION.value[0]
        detail = recoverable_error_pb2.RecoverableError()
        assert status.details[0].Unpack(detail)
        assert detail.recoverable is recoverable


async def test_task_not_found_text_and_unimplemented(
    driver: tuple[Driver, grpc.aio.Channel],
) -> None:
    _, channel = driver
    stub = driver_pb2_grpc.DriverStub(channel)
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await stub.WaitTask(driver_pb2.WaitTaskRequest(task_id="x"), timeout=5)
    assert err.value.code() == grpc.StatusCode.UNKNOWN
    assert err.value.details() == "task not found for given id"
    # A wait that fails (result unknown) is answered as Nomad's drivers do:
    # the error beside exit code -1 (drivers/rawexec/driver.go handleWait).
    lost = await stub.WaitTask(driver_pb2.WaitTaskRequest(task_id="lost"), timeout=5)
    assert lost.err == "supervisor lost"
    assert lost.result.exit_code == -1
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await stub.ExecTask(exec_pb2.ExecTaskRequest(task_id="x"), timeout=5)
    assert err.value.code() == grpc.StatusCode.UNIMPLEMENTED
    assert err.value.details() == "ExecTask is not supported by this driver"
    setup = exec_pb2.ExecTaskStreamingRequest.Setup(task_id="x", command=["true"])
    call = stub.ExecTaskStreaming(iter([exec_pb2.ExecTaskStreamingRequest(setup=setup)]), timeout=5)
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await call.read()
    assert err.value.code() == grpc.StatusCode.UNIMPLEMENTED
    assert err.value.details() == "ExecTaskStreaming is not supported by this driver"
    # The rest of the optional-RPC table (driver.proto): each default is
    # Unimplemented with the table's text.
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await stub.SignalTask(driver_pb2.SignalTaskRequest(task_id="x", signal="SIGHUP"), timeout=5)
    assert (err.value.code(), err.value.details()) == (
        grpc.StatusCode.UNIMPLEMENTED,
        "SignalTask is not supported by this driver",
    )
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await stub.TaskStats(driver_pb2.TaskStatsRequest(task_id="x"), timeout=5).read()
    assert (err.value.code(), err.value.details()) == (
        grpc.StatusCode.UNIMPLEMENTED,
        "stats not implemented for driver",
    )


async def test_start_returns_handle_with_state_and_emits_events(
    driver: tuple[Driver, grpc.aio.Channel],
) -> None:
    _, channel = driver
    stub = driver_pb2_grpc.DriverStub(channel)
    events = stub.TaskEvents(driver_pb2.TaskEventsRequest())
    await asyncio.sleep(0.2)  # the stream must be open before the event fires
    resp = await stub.StartTask(_start("ok"), timeout=5)
    assert resp.handle.version == 1
    assert resp.handle.state == task_pb2.TaskState.RUNNING
    assert resp.handle.config.id == "t1"
    assert resp.handle.config.msgpack_driver_config == msgpack.packb({"cmd": "ok"})
    assert msgpack.unpackb(resp.handle.driver_state) == {"pid": 42, "note": ""}
    ev = await asyncio.wait_for(events.read(), 5)
    assert (ev.task_id, ev.alloc_id, ev.task_name, ev.message) == ("t1", "a1", "web", "started")
    events.cancel()


async def test_recover_gets_empty_config_and_driver_state(
    driver: tuple[Driver, grpc.aio.Channel],
) -> None:
    plugin, channel = driver
    stub = driver_pb2_grpc.DriverStub(channel)
    handle = task_pb2.TaskHandle(
        version=1,
        config=task_pb2.TaskConfig(id="t9", name="n"),
        state=task_pb2.TaskState.RUNNING,
        driver_state=msgpack.packb({"pid": 7}),
    )
    # As Nomad sends it: only the handle (plugins/drivers/client.go RecoverTask).
    await stub.RecoverTask(driver_pb2.RecoverTaskRequest(handle=handle), timeout=5)
    (got,) = plugin.recovered
    assert got.config.id == "t9"
    assert got.config.driver_config is None
    assert got.get_state(State) == State(pid=7)

    with pytest.raises(grpc.aio.AioRpcError) as err:
        await stub.RecoverTask(
            driver_pb2.RecoverTaskRequest(handle=task_pb2.TaskHandle(version=1)), timeout=5
        )
    assert err.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert err.value.details() == (
        'handle.config.id: expected the task id, got "" (and task_id is empty too)'
    )
    assert len(plugin.recovered) == 1


async def test_default_fingerprint_capabilities_and_schema(
    driver: tuple[Driver, grpc.aio.Channel],
) -> None:
    _, channel = driver
    stub = driver_pb2_grpc.DriverStub(channel)
    fp = await stub.Fingerprint(driver_pb2.FingerprintRequest()).read()
    assert fp.health == driver_pb2.FingerprintResponse.HEALTHY
    caps = (await stub.Capabilities(driver_pb2.CapabilitiesRequest(), timeout=5)).capabilities
    assert list(caps.network_isolation_modes) == [0]
    assert not caps.send_signals
    schema = await stub.TaskConfigSchema(driver_pb2.TaskConfigSchemaRequest(), timeout=5)
    assert schema.spec.object.attributes["cmd"].Attr.type == "string"
    await stub.Init(driver_pb2.InitRequest(), timeout=5)


async def test_set_config_errors(driver: tuple[Driver, grpc.aio.Channel]) -> None:
    _, channel = driver
    base = base_pb2_grpc.BasePluginStub(channel)
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await base.SetConfig(
            base_pb2.SetConfigRequest(msgpack_config=msgpack.packb({"a": 1})), timeout=5
        )
    assert err.value.code() == grpc.StatusCode.UNKNOWN  # kind InvalidConfig, as in Go
    assert err.value.details() == (
        "config: expected no configuration (this plugin takes none), got a config"
    )
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await base.SetConfig(base_pb2.SetConfigRequest(plugin_api_version="v9.9.9"), timeout=5)
    assert err.value.details() == "plugin_api_version: expected one of ['v0.1.0'], got 'v9.9.9'"
    await base.SetConfig(
        base_pb2.SetConfigRequest(
            plugin_api_version="v0.1.0",
            nomad_config=base_pb2.NomadConfig(
                driver=base_pb2.NomadDriverConfig(ClientMinPort=1, ClientMaxPort=2)
            ),
        ),
        timeout=5,
    )
    schema = await base.ConfigSchema(base_pb2.ConfigSchemaRequest(), timeout=5)
    assert not schema.HasField("spec")


async def test_device_group_validation_reaches_the_host(tmp_path: Path) -> None:
    server, channel = await _serve(Device(), tmp_path)
    try:
        stub = device_pb2_grpc.DevicePluginStub(channel)
        with pytest.raises(grpc.aio.AioRpcError) as err:
            await stub.Fingerprint(device_pb2.FingerprintRequest()).read()
        assert err.value.details() == (
            "device_group[0].vendor: required (Nomad rejects groups without it)"
        )
        with pytest.raises(grpc.aio.AioRpcError) as err:
            await stub.Reserve(device_pb2.ReserveRequest(device_ids=["x"]), timeout=5)
        assert err.value.code() == grpc.StatusCode.UNIMPLEMENTED
    finally:
        await channel.close()
        await server.stop(None)


def test_task_config_round_trip_keeps_fields_the_type_does_not_model() -> None:
    msg = task_pb2.TaskConfig(
        id="t",
        name="n",
        env={"A": "1"},
        mounts=[task_pb2.Mount(task_path="/a", host_path="/b")],
        resources=task_pb2.Resources(
            allocated_resources=task_pb2.AllocatedTaskResources(
                cpu=task_pb2.AllocatedCpuResources(cpu_shares=100),
                memory=task_pb2.AllocatedMemoryResources(memory_mb=64),
            )
        ),
    )
    cfg = _task_config_from_proto(msg, None)
    assert (cfg.resources.cpu_shares, cfg.resources.memory_mb) == (100, 64)
    back = _task_config_to_proto(cfg)
    assert back.mounts[0].host_path == "/b"
    assert back.resources.allocated_resources.cpu.cpu_shares == 100
    # Zero values convert too.
    empty = _task_config_from_proto(task_pb2.TaskConfig(), None)
    assert empty == TaskConfig(id="")
    assert _task_config_to_proto(TaskConfig(id="")) == task_pb2.TaskConfig()


@pytest.mark.parametrize(
    ("value", "field", "wire"),
    [
        (StatValue(True), "bool_val", True),
        (StatValue(3, denominator=4), "int_numerator_val", 3),
        (StatValue(0.5, denominator=2.0), "float_numerator_val", 0.5),
        (StatValue("N/A"), "string_val", "N/A"),
        (StatValue(0), "int_numerator_val", 0),
    ],
)
def test_stat_values(value: StatValue, field: str, wire: object) -> None:
    msg = _stat_value_to_proto(value)
    assert msg.HasField(field)
    assert getattr(msg, field).value == wire
    if value.denominator is not None:
        den = "int_denominator_val" if isinstance(value.value, int) else "float_denominator_val"
        assert getattr(msg, den).value == value.denominator


def test_handle_state_helpers_name_the_path() -> None:
    handle = TaskHandle(config=TaskConfig(id="t"))
    handle.set_state({"pid": "nope"})
    with pytest.raises(yurt.ConfigError, match=r"^driver_state.pid: expected integer"):
        handle.get_state(State)


class Chatty(Driver):
    """Writes stdout and stderr from concurrent coroutines, as real drivers do."""

    async def exec_task_streaming(self, session: ExecSession) -> ExitResult:
        async def spam(write: Any, tag: bytes) -> None:
            for _ in range(200):
                await write(tag)

        await asyncio.gather(spam(session.write_stdout, b"o"), spam(session.write_stderr, b"e"))
        return ExitResult(exit_code=3)


async def test_concurrent_exec_output_is_serialized(tmp_path: Path) -> None:
    server, channel = await _serve(Chatty(), tmp_path)
    try:
        stub = driver_pb2_grpc.DriverStub(channel)
        setup = exec_pb2.ExecTaskStreamingRequest.Setup(task_id="x", command=["c"])
        call = stub.ExecTaskStreaming(
            iter([exec_pb2.ExecTaskStreamingRequest(setup=setup)]), timeout=20
        )
        out = err = b""
        exit_code = None
        async for resp in call:
            out += resp.stdout.data
            err += resp.stderr.data
            if resp.exited:
                exit_code = resp.result.exit_code
        assert (out, err, exit_code) == (b"o" * 200, b"e" * 200, 3)
    finally:
        await channel.close()
        await server.stop(None)


async def test_inspect_always_sends_both_timestamps(
    driver: tuple[Driver, grpc.aio.Channel],
) -> None:
    """Nomad's Go client fails InspectTask on a missing timestamp
    (plugins/drivers/utils.go taskStatusFromProto); its server sends Go's zero
    time for a running task's completed_at."""
    _, channel = driver
    stub = driver_pb2_grpc.DriverStub(channel)
    r = await stub.InspectTask(driver_pb2.InspectTaskRequest(task_id="running"), timeout=5)
    assert r.task.HasField("started_at")
    assert r.task.started_at.seconds == 1767323045
    assert r.task.HasField("completed_at")
    assert (r.task.completed_at.seconds, r.task.completed_at.nanos) == (-62135596800, 0)
    # The result too, empty while running: Nomad's Go client dereferences it
    # (plugins/drivers/utils.go exitResultFromProto) and panics on none.
    assert r.task.HasField("result")
    assert r.task.result == task_pb2.ExitResult()
