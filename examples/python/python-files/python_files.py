"""python-files: a Nomad device plugin over configured files, with the Yurt Python SDK.

Each configured path is one device of type "file" (vendor "yurt"). Its ID is
the path itself, so it is stable across restarts. A device is healthy while
the path exists. Reserving mounts the files into the task under
/dev/yurt/<basename> and lists them in YURT_FILE_DEVICES. Stats report each
file's size.

Plugin config: config { paths = ["/srv/a.img", "/srv/b.img"]  fingerprint_period = "5s" }
"""

from __future__ import annotations

import asyncio
import os
import re
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
    Mount,
    Reservation,
    StatObject,
    StatValue,
)
from yurt.errors import ConfigError, PluginError

_DURATION = re.compile(r"^(\d+(?:\.\d+)?)(ms|s|m|h)$")
_UNITS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}


@dataclass
class PythonFilesConfig:
    paths: list[str] = field(default_factory=list)
    fingerprint_period: str = "5s"


def parse_duration(text: str, path: str) -> float:
    m = _DURATION.match(text.strip())
    if not m or float(m.group(1)) <= 0:
        raise ConfigError(path, 'a positive duration like "500ms", "5s" or "1m"', repr(text))
    return float(m.group(1)) * _UNITS[m.group(2)]


class PythonFiles(yurt.DevicePlugin):
    name = "python-files"
    version = "0.1.0"
    config_spec = hclspec.obj(
        paths=hclspec.default(hclspec.attr("paths", "list(string)"), []),
        fingerprint_period=hclspec.default(hclspec.attr("fingerprint_period", "string"), "5s"),
    )
    config_type = PythonFilesConfig

    def __init__(self) -> None:
        super().__init__()
        self.paths: list[str] = []
        self.period = 5.0

    async def set_config(
        self, config: PythonFilesConfig | None, agent: yurt.AgentConfig | None
    ) -> None:
        cfg = config or PythonFilesConfig()
        for i, p in enumerate(cfg.paths):
            if not os.path.isabs(p):
                raise ConfigError(f"config.paths[{i}]", "an absolute path", repr(p))
        self.period = parse_duration(cfg.fingerprint_period, "config.fingerprint_period")
        self.paths = list(dict.fromkeys(cfg.paths))
        await super().set_config(cfg, agent)

    def _groups(self) -> list[DeviceGroup]:
        if not self.paths:
            return []
        devices = tuple(
            Device(
                id=p,
                healthy=os.path.exists(p),
                health_description="" if os.path.exists(p) else f"{p} does not exist",
            )
            for p in self.paths
        )
        return [
            DeviceGroup(
                vendor="yurt",
                type="file",
                name="file",
                devices=devices,
                attributes={"count": Attribute(len(devices))},
            )
        ]

    async def fingerprint(self) -> AsyncIterator[list[DeviceGroup]]:
        last: list[DeviceGroup] | None = None
        while True:
            groups = self._groups()
            if groups != last:
                yield groups
                last = groups
            await asyncio.sleep(self.period)

    async def reserve(self, device_ids: list[str]) -> Reservation:
        unknown = [d for d in device_ids if d not in self.paths]
        if unknown:
            raise PluginError(f"unknown device IDs: {', '.join(unknown)}")
        return Reservation(
            envs={"YURT_FILE_DEVICES": ",".join(device_ids)} if device_ids else {},
            mounts=tuple(
                Mount(task_path=f"/dev/yurt/{os.path.basename(d)}", host_path=d) for d in device_ids
            ),
        )

    async def stats(self, interval: float) -> AsyncIterator[list[DeviceGroupStats]]:
        while True:
            instance: dict[str, DeviceStats] = {}
            for p in self.paths:
                try:
                    size = os.stat(p).st_size
                except OSError:
                    continue
                value = StatValue(size, unit="bytes", desc="file size")
                instance[p] = DeviceStats(summary=value, stats=StatObject({"size": value}))
            yield [DeviceGroupStats("yurt", "file", "file", instance)]
            await asyncio.sleep(interval)


if __name__ == "__main__":
    yurt.serve(PythonFiles())
