"""A tiny device plugin the go-plugin tests launch as a subprocess."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import yurt
from yurt import hclspec
from yurt.device import Device, DeviceGroup, DeviceGroupStats, DeviceStats, Reservation, StatValue

log = logging.getLogger("sample")


@dataclass
class Config:
    devices: list[str] = field(default_factory=list)


class Sample(yurt.DevicePlugin):
    name = "sample"
    version = "1.2.3"
    config_spec = hclspec.obj(
        devices=hclspec.default(hclspec.attr("devices", "list(string)"), ["d0"])
    )
    config_type = Config

    async def set_config(self, config: Config | None, agent: yurt.AgentConfig | None) -> None:
        print("sample configured")  # reaches the host through GRPCStdio
        await super().set_config(config, agent)

    async def fingerprint(self) -> AsyncIterator[list[DeviceGroup]]:
        ids = self.config.devices if self.config else ["d0"]
        yield [DeviceGroup("yurt", "sample", "s", tuple(Device(i) for i in ids))]

    async def reserve(self, device_ids: list[str]) -> Reservation:
        # Exercises GRPCStdio and the log channel.
        print("reserve stdout", device_ids)
        print("reserve stderr", device_ids, file=sys.stderr)
        log.info("reserving", extra={"ids": device_ids})
        return Reservation(envs={"SAMPLE": ",".join(device_ids)})

    async def stats(self, interval: float) -> AsyncIterator[list[DeviceGroupStats]]:
        yield [DeviceGroupStats("yurt", "sample", "s", {"d0": DeviceStats(StatValue(1))})]


if __name__ == "__main__":
    network = os.environ.get("SAMPLE_NETWORK", "auto")
    assert network in ("auto", "unix", "tcp")
    yurt.serve(Sample(), network=network)  # type: ignore[arg-type]
