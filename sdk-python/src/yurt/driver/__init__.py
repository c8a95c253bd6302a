"""Task drivers: the DriverPlugin base class and its public types.

A driver subclasses DriverPlugin, declares its task config schema and type,
and implements the async task lifecycle. Everything Nomad needs to find a
task again after the plugin restarts must go into `TaskHandle.driver_state`:
RecoverTask receives the handle with an empty driver config.

    class MyDriver(yurt.DriverPlugin):
        name = "mydriver"
        task_config_spec = hclspec.obj(command=hclspec.attr("command", "string", True))
        task_config_type = MyTaskConfig

        async def start_task(self, task: TaskConfig) -> TaskHandle: ...

Floor plan (the same in the Go, Python and Rust SDKs, for base, driver and
device): `types` holds the public types, `plugin` the class a plugin
implements, `_convert` (private) the conversions to and from the generated
wire types, and `_server` (private) the gRPC servicer over the plugin. The
go-plugin runtime (handshake, AutoMTLS, hclog, stdio) is in the private
`yurt._serve`, `_handshake`, `_tls`, `_log` and `_stdio` modules. Everything
public is re-exported here.
"""

from __future__ import annotations

from ..errors import TaskNotFoundError
from .plugin import DriverPlugin
from .types import (
    Capabilities,
    CpuUsage,
    ExecResult,
    ExecSession,
    ExitResult,
    Fingerprint,
    FSIsolation,
    HealthState,
    MemoryUsage,
    MountConfigs,
    NetworkIsolationMode,
    Resources,
    TaskConfig,
    TaskEvent,
    TaskHandle,
    TaskResourceUsage,
    TaskState,
    TaskStats,
    TaskStatus,
    TerminalSize,
)

__all__ = [
    "Capabilities",
    "CpuUsage",
    "DriverPlugin",
    "ExecResult",
    "ExecSession",
    "ExitResult",
    "FSIsolation",
    "Fingerprint",
    "HealthState",
    "MemoryUsage",
    "MountConfigs",
    "NetworkIsolationMode",
    "Resources",
    "TaskConfig",
    "TaskEvent",
    "TaskHandle",
    "TaskNotFoundError",
    "TaskResourceUsage",
    "TaskState",
    "TaskStats",
    "TaskStatus",
    "TerminalSize",
]
