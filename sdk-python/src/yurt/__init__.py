"""Yurt: write HashiCorp Nomad task-driver and device plugins in Python.

    import yurt

    class MyDevice(yurt.DevicePlugin):
        name = "mydevice"
        ...

    if __name__ == "__main__":
        yurt.serve(MyDevice())

`yurt.serve` speaks go-plugin (handshake, AutoMTLS, health, controller,
stdio, broker) so the plugin runs under Nomad or the `yurt` host unchanged.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# First: importing _stdoutguard guards stdout when a go-plugin host launched us, so from
# here on a stray print cannot precede the handshake line (see _stdoutguard).
from . import _stdoutguard as _stdoutguard
from . import config, hclspec
from ._log import TRACE
from ._serve import serve
from .base import API_VERSION, AgentConfig, BasePlugin, PluginType
from .errors import (
    ConfigError,
    InvalidRequestError,
    PluginError,
    RecoverableError,
    TaskNotFoundError,
)

if TYPE_CHECKING:
    from .device import DevicePlugin
    from .driver import DriverPlugin

# A plugin is a driver or a device, never both, and each module defines a
# dozen dataclasses (Python generates their methods with exec at import): so
# `yurt.DriverPlugin` and `yurt.DevicePlugin` load their module on first use
# (PEP 562). That is about a tenth of a plugin's start-up (BENCHMARKS.md).
_LAZY = {"DevicePlugin": "device", "DriverPlugin": "driver"}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'yurt' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "API_VERSION",
    "TRACE",
    "AgentConfig",
    "BasePlugin",
    "ConfigError",
    "DevicePlugin",
    "DriverPlugin",
    "InvalidRequestError",
    "PluginError",
    "PluginType",
    "RecoverableError",
    "TaskNotFoundError",
    "config",
    "hclspec",
    "serve",
]
