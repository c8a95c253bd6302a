"""The base of every plugin: identity, config schema and SetConfig.

A plugin subclasses DriverPlugin or DevicePlugin (never BasePlugin directly),
sets its identity as class attributes and, when it takes configuration,
declares the hclspec schema and the dataclass the config decodes into.
"""

from __future__ import annotations

import dataclasses
import enum
import logging
from typing import TYPE_CHECKING, Any, ClassVar

import grpc

from . import config as _config
from . import hclspec
from ._constants import PLUGIN_API_VERSION
from ._proto.hashicorp.nomad.plugins.base.proto import base_pb2, base_pb2_grpc
from ._rpc import unary
from .errors import ConfigError, InvalidRequestError

if TYPE_CHECKING:
    from dataclasses import dataclass
else:
    from ._dcache import dataclass

__all__ = ["API_VERSION", "AgentConfig", "BasePlugin", "Core", "PluginType", "Topology"]

API_VERSION = PLUGIN_API_VERSION


class PluginType(enum.IntEnum):
    """The plugin's kind as PluginInfo reports it (Nomad's base.PluginType numbers)."""

    DRIVER = 2
    DEVICE = 3


@dataclass(frozen=True)
class Core:
    """One CPU core of the host's topology (ClientTopologyCore); speeds in MHz, 0 if unknown."""

    socket_id: int = 0
    node_id: int = 0
    core_id: int = 0
    #: 0: a performance core, 1: an efficiency core (Nomad's CoreGrade).
    grade: int = 0
    disable: bool = False
    base_speed: int = 0
    max_speed: int = 0
    guess_speed: int = 0

    def mhz(self) -> int:
        """The core's speed as Nomad counts it: base, else max, else the guess.

        Nomad v2.0.5 client/lib/numalib/topology.go, Core.MHz(): `case c.BaseSpeed > 0:
        return c.BaseSpeed; case c.MaxSpeed > 0: return c.MaxSpeed`; then GuessSpeed.
        """
        return self.base_speed or self.max_speed or self.guess_speed


@dataclass(frozen=True)
class Topology:
    """The host's CPU topology, as the agent sends it in SetConfig (ClientTopology)."""

    node_ids: tuple[int, ...] = ()
    cores: tuple[Core, ...] = ()
    #: Row-major NUMA distance matrix of `distance_dimension` squared values.
    distance_dimension: int = 0
    distances: tuple[int, ...] = ()
    override_total_compute: int = 0
    override_withold_compute: int = 0

    def total_compute(self) -> int:
        """Total MHz of the host: the override if set, else the sum over every core.

        Nomad v2.0.5 client/lib/numalib/topology.go, Topology.TotalCompute(): "if
        st.OverrideTotalCompute > 0 { return st.OverrideTotalCompute }", then the sum of
        cpu.MHz() over st.Cores.
        """
        if self.override_total_compute > 0:
            return self.override_total_compute
        return sum(core.mhz() for core in self.cores)


@dataclass(frozen=True)
class AgentConfig:
    """What the Nomad agent tells drivers about itself (NomadDriverConfig)."""

    client_min_port: int = 0
    client_max_port: int = 0
    #: The host's CPU topology; None when the agent did not send one.
    topology: Topology | None = None


class BasePlugin:
    """Shared plugin behaviour; subclass DriverPlugin or DevicePlugin."""

    name: ClassVar[str] = ""
    version: ClassVar[str] = "0.1.0"
    plugin_type: ClassVar[PluginType]
    api_versions: ClassVar[tuple[str, ...]] = (API_VERSION,)
    #: Schema of the agent's `plugin "<name>" { config {} }` block; None: no config.
    config_spec: ClassVar[hclspec.Spec | None] = None
    #: Dataclass the plugin config decodes into; None: a plain dict.
    config_type: ClassVar[type[Any] | None] = None

    def __init__(self) -> None:
        self.config: Any = None
        self.agent_config: AgentConfig | None = None
        self.api_version: str = ""
        self.log = logging.getLogger(f"yurt.plugin.{self.name or type(self).__name__}")
        self._shutdown_started = False

    # --- hooks plugin authors override -------------------------------------

    async def set_config(self, config: Any, agent: AgentConfig | None) -> None:
        """Called for every SetConfig (Nomad sends it more than once).

        `config` is an instance of `config_type` (or a dict, or None when the
        agent gave no config). The default stores it in `self.config`.
        """
        self.config = config
        self.agent_config = agent

    async def shutdown(self) -> None:
        """Called once when the host shuts the plugin down. Keep it short."""

    # --- plumbing ------------------------------------------------------------

    def _decode_config(self, data: bytes) -> Any:
        if not data:
            return None
        if self.config_spec is None and self.config_type is None:
            raise ConfigError("config", "no configuration (this plugin takes none)", "a config")
        if self.config_type is None:
            return _config.unpack(data, "config")
        return _config.decode(data, self.config_type, "config")

    def _yurt_problems(self) -> list[str]:
        """What is wrong with the plugin's class attributes (checked by serve())."""
        problems = []
        cls = type(self).__name__
        if not isinstance(self.name, str) or not self.name.strip():
            problems.append(f"{cls}.name: expected a non-empty string, got {self.name!r}")
        if not isinstance(self.version, str) or not self.version.strip():
            problems.append(f"{cls}.version: expected a version string, got {self.version!r}")
        if not getattr(self, "plugin_type", None):
            problems.append(f"{cls}: subclass DriverPlugin or DevicePlugin, not BasePlugin")
        if not self.api_versions:
            problems.append(f"{cls}.api_versions: expected at least one version, got none")
        for attr in ("config_type", "task_config_type"):
            tp = getattr(self, attr, None)
            if tp is not None and not dataclasses.is_dataclass(tp):
                problems.append(f"{cls}.{attr}: expected a dataclass or None, got {tp!r}")
        return problems

    def _yurt_register(self, server: grpc.aio.Server) -> None:
        base_pb2_grpc.add_BasePluginServicer_to_server(_BaseServicer(self), server)

    async def _yurt_on_shutdown(self) -> None:
        # Driver.Shutdown and GRPCController.Shutdown may both arrive.
        if self._shutdown_started:
            return
        self._shutdown_started = True
        await self.shutdown()


class _BaseServicer(base_pb2_grpc.BasePluginServicer):  # type: ignore[misc]
    def __init__(self, plugin: BasePlugin) -> None:
        self._p = plugin

    @unary("PluginInfo")
    async def PluginInfo(self, request: Any, context: Any) -> base_pb2.PluginInfoResponse:
        p = self._p
        return base_pb2.PluginInfoResponse(
            type=int(p.plugin_type),  # type: ignore[arg-type]
            plugin_api_versions=list(p.api_versions),
            plugin_version=p.version,
            name=p.name,
        )

    @unary("ConfigSchema")
    async def ConfigSchema(self, request: Any, context: Any) -> base_pb2.ConfigSchemaResponse:
        spec = self._p.config_spec
        if spec is None:
            return base_pb2.ConfigSchemaResponse()
        return base_pb2.ConfigSchemaResponse(spec=hclspec._to_proto(spec))

    @unary("SetConfig")
    async def SetConfig(
        self, request: base_pb2.SetConfigRequest, context: Any
    ) -> base_pb2.SetConfigResponse:
        p = self._p
        if request.plugin_api_version and request.plugin_api_version not in p.api_versions:
            raise InvalidRequestError(
                "plugin_api_version",
                f"one of {list(p.api_versions)}",
                repr(request.plugin_api_version),
            )
        decoded = p._decode_config(request.msgpack_config)
        agent: AgentConfig | None = None
        if request.HasField("nomad_config") and request.nomad_config.HasField("driver"):
            d = request.nomad_config.driver
            agent = AgentConfig(
                client_min_port=d.ClientMinPort,
                client_max_port=d.ClientMaxPort,
                topology=_topology(d.Topology) if d.HasField("Topology") else None,
            )
        p.api_version = request.plugin_api_version
        await p.set_config(decoded, agent)
        return base_pb2.SetConfigResponse()


def _topology(t: base_pb2.ClientTopology) -> Topology:
    return Topology(
        node_ids=tuple(t.node_ids),
        cores=tuple(
            Core(
                socket_id=c.socket_id,
                node_id=c.node_id,
                core_id=c.core_id,
                grade=int(c.core_grade),
                disable=c.disable,
                base_speed=c.base_speed,
                max_speed=c.max_speed,
                guess_speed=c.guess_speed,
            )
            for c in t.cores
        ),
        distance_dimension=t.distances.dimension,
        distances=tuple(t.distances.values),
        override_total_compute=t.override_total_compute,
        override_withold_compute=t.override_withold_compute,
    )
