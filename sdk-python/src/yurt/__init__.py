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

from . import config, hclspec
from ._log import TRACE
from ._serve import serve
from .base import API_VERSION, AgentConfig, BasePlugin, PluginType
from .device import DevicePlugin
from .driver import DriverPlugin
from .errors import ConfigError, PluginError, RecoverableError, TaskNotFoundError

__all__ = [
    "API_VERSION",
    "TRACE",
    "AgentConfig",
    "BasePlugin",
    "ConfigError",
    "DevicePlugin",
    "DriverPlugin",
    "PluginError",
    "PluginType",
    "RecoverableError",
    "TaskNotFoundError",
    "config",
    "hclspec",
    "serve",
]
