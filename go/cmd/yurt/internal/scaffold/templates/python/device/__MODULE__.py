"""__NAME__: a Nomad device plugin written with the Yurt Python SDK.

It serves the devices its operator lists in the plugin config, as one group
(vendor/type/name "__MODULE__/generic/__MODULE__"). A device is healthy while its
ID is listed. Reserving devices hands the task their IDs in __ENV___DEVICES.
Replace `_groups`, `reserve` and `stats` with what your hardware needs.

Plugin config: config { ids = ["dev0", "dev1"]  fingerprint_period = 5 }
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import yurt
from yurt import hclspec
from yurt.device import (
    Attribute,
    Device,
    DeviceGroup,
    DeviceGroupStats,
    DeviceStats,
    Reservation,
    StatObject,
    StatValue,
)
from yurt.errors import ConfigError, PluginError

VENDOR, TYPE, MODEL = "__MODULE__", "generic", "__MODULE__"


@dataclass
class PluginConfig:
    """The plugin's `config {}` block in the Nomad client's `plugin "__NAME__"` stanza."""

    ids: list[str] = field(default_factory=lambda: ["dev0"])
    fingerprint_period: int = 5


class __TYPE__(yurt.DevicePlugin):
    """The __NAME__ device plugin: jobs ask for `device "__MODULE__/generic" { count = 1 }`."""

    name = "__NAME__"
    version = "0.1.0"
    config_spec = hclspec.obj(
        ids=hclspec.default(hclspec.attr("ids", "list(string)"), ["dev0"]),
        fingerprint_period=hclspec.default(hclspec.attr("fingerprint_period", "number"), 5),
    )
    config_type = PluginConfig

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = ["dev0"]
        self.period = 5.0

    async def set_config(self, config: PluginConfig | None, agent: yurt.AgentConfig | None) -> None:
        """Nomad sends the plugin config (schema defaults filled in) before anything else.
        Reject a bad value with an error naming the field, the expected form and the value."""
        cfg = config or PluginConfig()
        for i, dev in enumerate(cfg.ids):
            if not dev.strip():
                raise ConfigError(f"config.ids[{i}]", "a non-empty device ID", repr(dev))
        if cfg.fingerprint_period <= 0:
            raise ConfigError(
                "config.fingerprint_period",
                "a positive number of seconds",
                repr(cfg.fingerprint_period),
            )
        self.ids = list(dict.fromkeys(cfg.ids))
        self.period = float(cfg.fingerprint_period)
        await super().set_config(cfg, agent)

    def _groups(self) -> list[DeviceGroup]:
        devices = tuple(Device(id=dev, healthy=True) for dev in self.ids)
        attributes = {"count": Attribute(len(devices))}
        return [DeviceGroup(VENDOR, TYPE, MODEL, devices, attributes=attributes)]

    async def fingerprint(self) -> AsyncIterator[list[DeviceGroup]]:
        """Send the device groups at once, then again whenever they change. Keep the stream
        open: Nomad treats its end as the plugin going away."""
        last: list[DeviceGroup] | None = None
        while True:
            groups = self._groups()
            if groups != last:
                yield groups
                last = groups
            await asyncio.sleep(self.period)

    async def reserve(self, device_ids: list[str]) -> Reservation:
        """Prepare devices for a task: the environment variables, mounts and device nodes it
        gets. An unknown ID is an error that names it."""
        unknown = [dev for dev in device_ids if dev not in self.ids]
        if unknown:
            raise PluginError(f"unknown device IDs: {', '.join(unknown)}")
        return Reservation(envs={"__ENV___DEVICES": ",".join(device_ids)})

    async def stats(self, interval: float) -> AsyncIterator[list[DeviceGroupStats]]:
        """Per-device statistics every `interval` seconds, until Nomad stops reading."""
        while True:
            instance: dict[str, DeviceStats] = {}
            for dev in self.ids:
                value = StatValue(1, unit="tasks", desc="example statistic")
                instance[dev] = DeviceStats(summary=value, stats=StatObject({"example": value}))
            yield [DeviceGroupStats(VENDOR, TYPE, MODEL, instance)]
            await asyncio.sleep(interval)


def main() -> None:
    """The plugin's entry point: serve the device plugin over go-plugin until Nomad stops it."""
    yurt.serve(__TYPE__())


if __name__ == "__main__":
    main()
