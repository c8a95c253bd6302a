"""go-plugin's launch contract, read from the environment the host sets.

A Nomad host (or `yurt`) starts the plugin with a magic cookie, the app
protocol versions it speaks, a port range and, optionally, a client
certificate and a socket directory/group. Everything here is pure: it takes a
mapping and returns values or raises HandshakeError with a message that names
the variable, what was expected and what was found, so serve() can print it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dataclasses import dataclass
else:
    from ._dcache import dataclass

__all__ = [
    "APP_PROTOCOL_VERSION",
    "CORE_PROTOCOL_VERSION",
    "MAGIC_COOKIE_KEY",
    "MAGIC_COOKIE_VALUE",
    "HandshakeError",
    "LaunchEnv",
    "check_cookie",
    "format_handshake",
    "negotiate_version",
    "parse_port_range",
    "read_launch_env",
]

# generated from spec/handshake.json, their one source
from ._constants import (
    APP_PROTOCOL_VERSION,
    CORE_PROTOCOL_VERSION,
    MAGIC_COOKIE_KEY,
    MAGIC_COOKIE_VALUE,
)

NOT_A_PROGRAM = (
    "This binary is a plugin. These are not meant to be executed directly.\n"
    "Please execute the program that consumes these plugins, which will\n"
    "load any plugins automatically\n"
)


class HandshakeError(Exception):
    """The host's launch environment is unusable; the message says why."""


def check_cookie(env: Mapping[str, str]) -> None:
    """Refuse to run unless the host's magic cookie is present and right."""
    if env.get(MAGIC_COOKIE_KEY) != MAGIC_COOKIE_VALUE:
        raise HandshakeError(NOT_A_PROGRAM)


def negotiate_version(
    offered: str | None, supported: Iterable[int] = (APP_PROTOCOL_VERSION,)
) -> tuple[int, list[str]]:
    """Pick the app protocol version from PLUGIN_PROTOCOL_VERSIONS.

    Returns the highest version both sides speak and a list of warnings about
    entries that were not integers. Like go-plugin's server, when nothing
    matches it answers its lowest version and lets the host report the
    mismatch (the host has the better error message).
    """
    ours = sorted(set(supported), reverse=True)
    if not ours:
        raise ValueError("supported protocol versions must not be empty")
    warnings: list[str] = []
    theirs: set[int] = set()
    for raw in (offered or "").split(","):
        item = raw.strip()
        if not item:
            continue
        try:
            theirs.add(int(item))
        except ValueError:
            warnings.append(
                f"PLUGIN_PROTOCOL_VERSIONS: expected a comma list of integers, "
                f"got entry {item!r}; ignoring it"
            )
    if not offered:
        return ours[0], warnings
    for version in ours:
        if version in theirs:
            return version, warnings
    return ours[-1], warnings


def parse_port_range(env: Mapping[str, str]) -> tuple[int, int]:
    """PLUGIN_MIN_PORT..PLUGIN_MAX_PORT; both absent means (0, 0): let the OS pick."""
    values: dict[str, int] = {}
    for name in ("PLUGIN_MIN_PORT", "PLUGIN_MAX_PORT"):
        raw = env.get(name, "").strip()
        if raw == "":
            values[name] = 0
            continue
        try:
            port = int(raw)
        except ValueError:
            raise HandshakeError(f"{name}: expected a port number 0..65535, got {raw!r}") from None
        if not 0 <= port <= 65535:
            raise HandshakeError(f"{name}: expected a port number 0..65535, got {port}")
        values[name] = port
    low, high = values["PLUGIN_MIN_PORT"], values["PLUGIN_MAX_PORT"]
    if low > high:
        raise HandshakeError(
            f"PLUGIN_MIN_PORT value of {low} is greater than PLUGIN_MAX_PORT value of {high}"
        )
    return low, high


@dataclass(frozen=True)
class LaunchEnv:
    """Everything serve() needs from the host's environment."""

    app_version: int
    min_port: int
    max_port: int
    client_cert_pem: str | None
    socket_dir: str | None
    socket_group: str | None
    warnings: tuple[str, ...] = ()


def read_launch_env(
    env: Mapping[str, str], supported: Iterable[int] = (APP_PROTOCOL_VERSION,)
) -> LaunchEnv:
    check_cookie(env)
    version, warnings = negotiate_version(env.get("PLUGIN_PROTOCOL_VERSIONS"), supported)
    low, high = parse_port_range(env)
    if env.get("PLUGIN_MULTIPLEX_GRPC"):
        warnings.append(
            "PLUGIN_MULTIPLEX_GRPC is set but this SDK does not speak yamux; "
            "the host will refuse the plugin unless it disables GRPCBrokerMultiplex"
        )
    return LaunchEnv(
        app_version=version,
        min_port=low,
        max_port=high,
        client_cert_pem=env.get("PLUGIN_CLIENT_CERT") or None,
        socket_dir=env.get("PLUGIN_UNIX_SOCKET_DIR") or None,
        socket_group=env.get("PLUGIN_UNIX_SOCKET_GROUP") or None,
        warnings=tuple(warnings),
    )


def format_handshake(app_version: int, network: str, address: str, cert_field: str = "") -> str:
    """The single stdout line, e.g. `1|2|unix|/tmp/plugin123|grpc|` plus newline.

    The 6th field is always present (empty without AutoMTLS) as a Go plugin
    prints it; a 7th (multiplexing) field is never printed because this SDK
    does not speak yamux.
    """
    if network not in ("unix", "tcp"):
        raise ValueError(f"network: expected 'unix' or 'tcp', got {network!r}")
    if "|" in address or "\n" in address:
        raise ValueError(f"address: must not contain '|' or a newline, got {address!r}")
    return f"{CORE_PROTOCOL_VERSION}|{app_version}|{network}|{address}|grpc|{cert_field}\n"
