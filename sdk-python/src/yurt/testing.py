"""Test helpers for plugin authors: talk to a plugin as Nomad would, in-process.

`connect(plugin)` serves the plugin on a private unix socket inside the test's
event loop and yields a PluginClient whose methods take and return the SDK's
public types. Every call crosses real gRPC, so encoding, error mapping and
streaming are exercised exactly as under a host; errors come back as the
SDK's own exceptions (TaskNotFoundError, RecoverableError, ConfigError,
NotImplementedError, PluginError).

    async def test_runs(tmp_path):
        async with yurt.testing.connect(MyDriver()) as client:
            await client.set_config(MyConfig())
            handle = await client.start_task(TaskConfig(id="t1", driver_config={"command": "true"}))
            assert (await client.wait_task("t1")).exit_code == 0
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import tempfile
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

import grpc
from google.protobuf import duration_pb2
from google.rpc import status_pb2

from . import config as _config
from ._proto.hashicorp.nomad.plugins.base.proto import base_pb2, base_pb2_grpc
from ._proto.hashicorp.nomad.plugins.device import device_pb2, device_pb2_grpc
from ._proto.hashicorp.nomad.plugins.drivers.proto import (
    driver_pb2,
    driver_pb2_grpc,
    exec_pb2,
    task_pb2,
)
from ._proto.hashicorp.nomad.plugins.shared.structs import recoverable_error_pb2
from .base import BasePlugin, PluginType
from .device import Attribute, Device, DeviceGroup, Mount, Reservation
from .driver import (
    ExecResult,
    ExitResult,
    Fingerprint,
    HealthState,
    TaskConfig,
    TaskHandle,
    TaskState,
    TaskStatus,
)
from .driver._convert import _from_ts_opt, _task_config_from_proto, _task_config_to_proto
from .errors import (
    TASK_NOT_FOUND,
    ConfigError,
    InvalidRequestError,
    PluginError,
    RecoverableError,
    TaskNotFoundError,
)

if TYPE_CHECKING:
    from dataclasses import dataclass
else:
    from ._dcache import dataclass

__all__ = ["PluginClient", "PluginInfo", "connect", "error_from_rpc"]


@dataclass(frozen=True)
class PluginInfo:
    """What the plugin answered to BasePlugin.PluginInfo: its identity and API versions."""

    name: str
    type: PluginType
    version: str
    api_versions: tuple[str, ...]


def error_from_rpc(err: grpc.RpcError) -> Exception:
    """Turn a gRPC error from a plugin back into the SDK's error vocabulary."""
    code = err.code()
    details = err.details() or ""
    if code == grpc.StatusCode.FAILED_PRECONDITION:
        for key, value in err.trailing_metadata() or ():
            if key == "grpc-status-details-bin":
                status = status_pb2.Status.FromString(value)
                detail = recoverable_error_pb2.RecoverableError()
                if status.details and status.details[0].Unpack(detail):
                    return RecoverableError(details, recoverable=detail.recoverable)
    if code == grpc.StatusCode.UNIMPLEMENTED:
        return NotImplementedError(details)
    if details == TASK_NOT_FOUND:
        return TaskNotFoundError()
    if code == grpc.StatusCode.UNKNOWN and " is not supported by this " in details:
        return NotImplementedError(details)
    if code in (grpc.StatusCode.INVALID_ARGUMENT, grpc.StatusCode.UNKNOWN) and (
        ": expected " in details and ", got " in details
    ):
        path, _, rest = details.partition(": expected ")
        expected, _, got = rest.partition(", got ")
        if code == grpc.StatusCode.INVALID_ARGUMENT:
            return InvalidRequestError(path, expected, got)
        return ConfigError(path, expected, got)
    return PluginError(details or code.name)


async def _first(call: Any) -> Any:
    """The first message of a server stream, which is then cancelled."""
    try:
        return await call.read()
    except grpc.aio.AioRpcError as err:
        raise error_from_rpc(err) from None
    finally:
        call.cancel()


def _duration(seconds: float) -> duration_pb2.Duration:
    d = duration_pb2.Duration()
    d.FromTimedelta(dt.timedelta(seconds=seconds))
    return d


def _exit(msg: task_pb2.ExitResult) -> ExitResult:
    return ExitResult(exit_code=msg.exit_code, signal=msg.signal, oom_killed=msg.oom_killed)


def _attr(msg: Any) -> bool | int | float | str:
    kind = msg.WhichOneof("value")
    return getattr(msg, kind) if kind else ""


class PluginClient:
    """Nomad's side of the plugin API, with the SDK's public types."""

    def __init__(self, channel: grpc.aio.Channel) -> None:
        self.channel = channel
        self._base = base_pb2_grpc.BasePluginStub(channel)
        self._driver = driver_pb2_grpc.DriverStub(channel)
        self._device = device_pb2_grpc.DevicePluginStub(channel)

    async def _call(self, method: Any, request: Any, timeout: float = 30.0) -> Any:
        try:
            return await method(request, timeout=timeout)
        except grpc.aio.AioRpcError as err:
            raise error_from_rpc(err) from None

    # --- base ---------------------------------------------------------------

    async def plugin_info(self) -> PluginInfo:
        """Call PluginInfo, as Nomad does first after the handshake."""
        r = await self._call(self._base.PluginInfo, base_pb2.PluginInfoRequest())
        return PluginInfo(
            r.name, PluginType(r.type), r.plugin_version, tuple(r.plugin_api_versions)
        )

    async def set_config(self, config: Any = None, api_version: str = "v0.1.0") -> None:
        """Send config (a dataclass, a dict, or raw msgpack bytes) as Nomad would."""
        data = (
            config
            if isinstance(config, bytes)
            else (b"" if config is None else _config.encode(config))
        )
        await self._call(
            self._base.SetConfig,
            base_pb2.SetConfigRequest(msgpack_config=data, plugin_api_version=api_version),
        )

    # --- driver --------------------------------------------------------------

    async def fingerprint(self) -> Fingerprint:
        """The driver's first fingerprint."""
        r = await _first(self._driver.Fingerprint(driver_pb2.FingerprintRequest()))
        return Fingerprint(
            health=HealthState(r.health),
            description=r.health_description,
            attributes={k: _attr(v) for k, v in r.attributes.items()},
        )

    async def start_task(self, task: TaskConfig) -> TaskHandle:
        """Start `task`; its driver_config (dataclass or dict) is sent as cty msgpack."""
        msg = _task_config_to_proto(task)
        if task.driver_config is not None:
            msg.msgpack_driver_config = _config.encode(task.driver_config)
        r = await self._call(self._driver.StartTask, driver_pb2.StartTaskRequest(task=msg))
        return TaskHandle(
            config=_task_config_from_proto(r.handle.config, task.driver_config),
            state=TaskState(r.handle.state),
            driver_state=r.handle.driver_state,
            version=r.handle.version,
        )

    async def recover_task(self, handle: TaskHandle) -> None:
        """Recover as Nomad does after a restart: the driver config is dropped
        and task_id is left empty (the id travels in handle.config.id)."""
        msg = _task_config_to_proto(handle.config)
        msg.msgpack_driver_config = b""
        await self._call(
            self._driver.RecoverTask,
            driver_pb2.RecoverTaskRequest(
                handle=task_pb2.TaskHandle(
                    version=handle.version,
                    config=msg,
                    state=int(handle.state),  # type: ignore[arg-type]
                    driver_state=handle.driver_state,
                ),
            ),
        )

    async def wait_task(self, task_id: str, timeout: float = 60.0) -> ExitResult:
        """Call WaitTask; an `err` in the answer is raised as PluginError."""
        r = await self._call(
            self._driver.WaitTask, driver_pb2.WaitTaskRequest(task_id=task_id), timeout
        )
        if r.err:
            raise PluginError(r.err)
        return _exit(r.result)

    async def stop_task(self, task_id: str, timeout: float = 5.0, signal: str = "") -> None:
        """Call StopTask with the kill timeout (seconds) and signal ("" = the driver's default)."""
        await self._call(
            self._driver.StopTask,
            driver_pb2.StopTaskRequest(task_id=task_id, timeout=_duration(timeout), signal=signal),
            timeout + 30,
        )

    async def destroy_task(self, task_id: str, force: bool = False) -> None:
        """Call DestroyTask (`force` kills a running task first)."""
        await self._call(
            self._driver.DestroyTask, driver_pb2.DestroyTaskRequest(task_id=task_id, force=force)
        )

    async def inspect_task(self, task_id: str) -> TaskStatus:
        """Call InspectTask and return the task's status in public types."""
        r = await self._call(
            self._driver.InspectTask, driver_pb2.InspectTaskRequest(task_id=task_id)
        )
        t = r.task
        return TaskStatus(
            id=t.id,
            name=t.name,
            state=TaskState(t.state),
            started_at=_from_ts_opt(t, "started_at"),
            completed_at=_from_ts_opt(t, "completed_at"),
            # A task that has not exited carries an empty result on the wire
            # (Nomad's client reads it in every state); here it has none.
            exit_result=_exit(t.result)
            if t.HasField("result")
            and (TaskState(t.state) == TaskState.EXITED or t.result.ByteSize() > 0)
            else None,
            driver_attributes=dict(r.driver.attributes),
        )

    async def signal_task(self, task_id: str, signal: str) -> None:
        """Call SignalTask with a signal name such as "SIGHUP"."""
        await self._call(
            self._driver.SignalTask, driver_pb2.SignalTaskRequest(task_id=task_id, signal=signal)
        )

    async def exec_task(
        self, task_id: str, command: list[str], timeout: float = 30.0
    ) -> ExecResult:
        """Call ExecTask (non-interactive) and return the command's output and exit."""
        r = await self._call(
            self._driver.ExecTask,
            exec_pb2.ExecTaskRequest(task_id=task_id, command=command, timeout=_duration(timeout)),
            timeout + 30,
        )
        return ExecResult(stdout=r.stdout, stderr=r.stderr, exit_result=_exit(r.result))

    # --- device --------------------------------------------------------------

    async def device_fingerprint(self) -> list[DeviceGroup]:
        """The device plugin's first fingerprint."""
        r = await _first(self._device.Fingerprint(device_pb2.FingerprintRequest()))
        return [
            DeviceGroup(
                vendor=g.vendor,
                type=g.device_type,
                name=g.device_name,
                devices=tuple(
                    Device(d.ID, d.healthy, d.health_description, d.hw_locality.pci_bus_id)
                    for d in g.devices
                ),
                attributes={
                    k: Attribute(_attr(v), v.unit) if v.unit else _attr(v)
                    for k, v in g.attributes.items()
                },
            )
            for g in r.device_group
        ]

    async def reserve(self, device_ids: list[str]) -> Reservation:
        """Call the device plugin's Reserve for `device_ids`, as Nomad does before a task starts."""
        r = await self._call(self._device.Reserve, device_pb2.ReserveRequest(device_ids=device_ids))
        res = r.container_res
        return Reservation(
            envs=dict(res.envs),
            mounts=tuple(Mount(m.task_path, m.host_path, m.read_only) for m in res.mounts),
        )


@contextlib.asynccontextmanager
async def connect(plugin: BasePlugin) -> AsyncIterator[PluginClient]:
    """Serve `plugin` in this event loop and yield a client connected to it."""
    problems = plugin._yurt_problems()
    if problems:
        raise ValueError("; ".join(problems))
    server = grpc.aio.server()
    plugin._yurt_register(server)
    with tempfile.TemporaryDirectory(prefix="yurt-test-") as tmp:
        target = f"unix:{os.path.join(tmp, 'plugin.sock')}"
        if server.add_insecure_port(target) == 0:
            raise RuntimeError(f"cannot bind {target}")
        await server.start()
        channel = grpc.aio.insecure_channel(target)
        try:
            yield PluginClient(channel)
        finally:
            await channel.close()
            await plugin._yurt_on_shutdown()
            await server.stop(None)
