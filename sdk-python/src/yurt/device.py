"""Device plugins: the DevicePlugin base class and its public types.

A device plugin reports groups of devices (vendor/type/name plus devices with
stable IDs), reserves devices for a task (environment, mounts, device nodes)
and streams per-device statistics.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator
from dataclasses import field
from typing import TYPE_CHECKING, Any, ClassVar

import grpc
from google.protobuf import timestamp_pb2, wrappers_pb2

from ._proto.hashicorp.nomad.plugins.device import device_pb2, device_pb2_grpc
from ._proto.hashicorp.nomad.plugins.shared.structs import attribute_pb2, stats_pb2
from ._rpc import stream, unary
from .base import BasePlugin, PluginType

if TYPE_CHECKING:
    from dataclasses import dataclass
else:
    from ._dcache import dataclass

__all__ = [
    "Attribute",
    "Device",
    "DeviceGroup",
    "DeviceGroupStats",
    "DevicePlugin",
    "DeviceSpec",
    "DeviceStats",
    "Mount",
    "Reservation",
    "StatObject",
    "StatValue",
]

Scalar = bool | int | float | str


@dataclass(frozen=True)
class Attribute:
    """A fingerprint attribute with a unit (e.g. Attribute(4096, "MiB"))."""

    value: Scalar
    unit: str = ""


@dataclass(frozen=True)
class Device:
    """One device instance; `id` must be stable across plugin restarts."""

    id: str  # MUST be stable across plugin restarts
    healthy: bool = True
    health_description: str = ""
    pci_bus_id: str = ""


@dataclass(frozen=True)
class DeviceGroup:
    """Devices of one vendor, type and model, with the attributes they share."""

    vendor: str
    type: str
    name: str
    devices: tuple[Device, ...] = ()
    attributes: dict[str, Scalar | Attribute] = field(default_factory=dict)


@dataclass(frozen=True)
class Mount:
    """A host path to mount into the task, part of a Reservation."""

    task_path: str
    host_path: str
    read_only: bool = False


@dataclass(frozen=True)
class DeviceSpec:
    """A device node for the task (cgroup permissions from "rwm"), part of a Reservation."""

    task_path: str
    host_path: str
    permissions: str = "rw"


@dataclass(frozen=True)
class Reservation:
    """What Reserve hands the task for its devices: environment, mounts and device nodes."""

    envs: dict[str, str] = field(default_factory=dict)
    mounts: tuple[Mount, ...] = ()
    devices: tuple[DeviceSpec, ...] = ()


@dataclass(frozen=True)
class StatValue:
    """A numeric value (optionally over a denominator), a string or a bool."""

    value: Scalar
    denominator: int | float | None = None
    unit: str = ""
    desc: str = ""


@dataclass(frozen=True)
class StatObject:
    """A tree of named statistics: values at this level and nested objects."""

    attributes: dict[str, StatValue] = field(default_factory=dict)
    nested: dict[str, StatObject] = field(default_factory=dict)


@dataclass(frozen=True)
class DeviceStats:
    """Statistics of one device instance: a summary value and the detailed tree."""

    summary: StatValue
    stats: StatObject = field(default_factory=StatObject)
    timestamp: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))


@dataclass(frozen=True)
class DeviceGroupStats:
    """Statistics of one device group's instances, by device ID."""

    vendor: str
    type: str
    name: str
    instance_stats: dict[str, DeviceStats] = field(default_factory=dict)


class DevicePlugin(BasePlugin):
    """Base class for device plugins."""

    plugin_type: ClassVar[PluginType] = PluginType.DEVICE

    async def fingerprint(self) -> AsyncIterator[list[DeviceGroup]]:
        """Yield the device groups at once, then again whenever they change.

        Returning ends device management in Nomad, so keep the generator alive.
        """
        raise NotImplementedError
        yield  # pragma: no cover

    async def reserve(self, device_ids: list[str]) -> Reservation:
        """Reserve devices for a task; unknown IDs MUST raise an error."""
        raise NotImplementedError

    async def stats(self, interval: float) -> AsyncIterator[list[DeviceGroupStats]]:
        """Yield statistics every `interval` seconds."""
        raise NotImplementedError
        yield  # pragma: no cover

    def _yurt_register(self, server: grpc.aio.Server) -> None:
        super()._yurt_register(server)
        device_pb2_grpc.add_DevicePluginServicer_to_server(_DeviceServicer(self), server)


# --- converters (private) ------------------------------------------------------


def _attribute(value: Scalar | Attribute, path: str) -> attribute_pb2.Attribute:
    unit = ""
    if isinstance(value, Attribute):
        unit = value.unit
        value = value.value
    if isinstance(value, bool):
        if unit:
            raise ValueError(f"{path}: a unit is not allowed on a bool attribute")
        return attribute_pb2.Attribute(bool_val=value)
    if isinstance(value, int):
        return attribute_pb2.Attribute(int_val=value, unit=unit)
    if isinstance(value, float):
        return attribute_pb2.Attribute(float_val=value, unit=unit)
    if isinstance(value, str):
        if unit:
            raise ValueError(f"{path}: a unit is not allowed on a string attribute")
        return attribute_pb2.Attribute(string_val=value)
    raise TypeError(f"{path}: expected bool, int, float or str, got {type(value).__name__}")


def _group_to_proto(g: DeviceGroup, path: str = "device_group") -> device_pb2.DeviceGroup:
    for name, value in (("vendor", g.vendor), ("type", g.type), ("name", g.name)):
        if not value:
            raise ValueError(f"{path}.{name}: required (Nomad rejects groups without it)")
    devices = []
    for i, d in enumerate(g.devices):
        if not d.id:
            raise ValueError(f"{path}.devices[{i}].id: required, and stable across restarts")
        devices.append(
            device_pb2.DetectedDevice(
                ID=d.id,
                healthy=d.healthy,
                health_description=d.health_description,
                hw_locality=device_pb2.DeviceLocality(pci_bus_id=d.pci_bus_id)
                if d.pci_bus_id
                else None,
            )
        )
    return device_pb2.DeviceGroup(
        vendor=g.vendor,
        device_type=g.type,
        device_name=g.name,
        devices=devices,
        attributes={k: _attribute(v, f"{path}.attributes.{k}") for k, v in g.attributes.items()},
    )


def _stat_value_to_proto(v: StatValue) -> stats_pb2.StatValue:
    out = stats_pb2.StatValue(unit=v.unit, desc=v.desc)
    value = v.value
    if isinstance(value, bool):
        out.bool_val.CopyFrom(wrappers_pb2.BoolValue(value=value))
    elif isinstance(value, int):
        out.int_numerator_val.CopyFrom(wrappers_pb2.Int64Value(value=value))
        if v.denominator is not None:
            out.int_denominator_val.CopyFrom(wrappers_pb2.Int64Value(value=int(v.denominator)))
    elif isinstance(value, float):
        out.float_numerator_val.CopyFrom(wrappers_pb2.DoubleValue(value=value))
        if v.denominator is not None:
            out.float_denominator_val.CopyFrom(wrappers_pb2.DoubleValue(value=float(v.denominator)))
    else:
        out.string_val.CopyFrom(wrappers_pb2.StringValue(value=str(value)))
    return out


def _stat_object_to_proto(o: StatObject) -> stats_pb2.StatObject:
    return stats_pb2.StatObject(
        attributes={k: _stat_value_to_proto(v) for k, v in o.attributes.items()},
        nested={k: _stat_object_to_proto(v) for k, v in o.nested.items()},
    )


def _ts(when: dt.datetime) -> timestamp_pb2.Timestamp:
    ts = timestamp_pb2.Timestamp()
    ts.FromDatetime(when if when.tzinfo else when.replace(tzinfo=dt.UTC))
    return ts


class _DeviceServicer(device_pb2_grpc.DevicePluginServicer):  # type: ignore[misc]
    def __init__(self, plugin: DevicePlugin) -> None:
        self._p = plugin

    @stream("Fingerprint")
    async def Fingerprint(self, request: Any, context: Any) -> AsyncIterator[Any]:
        async for groups in self._p.fingerprint():
            yield device_pb2.FingerprintResponse(
                device_group=[
                    _group_to_proto(g, f"device_group[{i}]") for i, g in enumerate(groups)
                ]
            )
        # Nomad treats a closed stream as the end of device management; a
        # plugin whose generator returns keeps the stream open instead.
        await asyncio.Event().wait()

    @unary("Reserve")
    async def Reserve(self, request: Any, context: Any) -> Any:
        r = await self._p.reserve(list(request.device_ids))
        return device_pb2.ReserveResponse(
            container_res=device_pb2.ContainerReservation(
                envs=r.envs,
                mounts=[
                    device_pb2.Mount(
                        task_path=m.task_path, host_path=m.host_path, read_only=m.read_only
                    )
                    for m in r.mounts
                ],
                devices=[
                    device_pb2.DeviceSpec(
                        task_path=d.task_path, host_path=d.host_path, permissions=d.permissions
                    )
                    for d in r.devices
                ],
            )
        )

    @stream("Stats")
    async def Stats(self, request: Any, context: Any) -> AsyncIterator[Any]:
        ci = request.collection_interval
        interval = (float(ci.seconds) + ci.nanos / 1e9) or 1.0  # Nomad's default
        async for groups in self._p.stats(interval):
            yield device_pb2.StatsResponse(
                groups=[
                    device_pb2.DeviceGroupStats(
                        vendor=g.vendor,
                        type=g.type,
                        name=g.name,
                        instance_stats={
                            k: device_pb2.DeviceStats(
                                summary=_stat_value_to_proto(s.summary),
                                stats=_stat_object_to_proto(s.stats),
                                timestamp=_ts(s.timestamp),
                            )
                            for k, s in g.instance_stats.items()
                        },
                    )
                    for g in groups
                ]
            )
