"""Property tests (hypothesis) of the SDK's parsers of untrusted bytes.

The host controls the launch environment and the msgpack config bytes; a
plugin must turn anything malformed into ConfigError or HandshakeError with
a message naming the field, never another exception. Each property prints
`PROPERTY <name> <examples>` so scripts/fuzz.sh can count executions;
YURT_HYPOTHESIS_EXAMPLES sets the examples per property (default 200).
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterator
from typing import Any

import pytest

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from yurt import config
from yurt._handshake import HandshakeError, negotiate_version, parse_port_range
from yurt.errors import ConfigError

EXAMPLES = int(os.environ.get("YURT_HYPOTHESIS_EXAMPLES", "200"))
SETTINGS = settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@dataclasses.dataclass
class TaskConfig:
    command: str
    args: list[str] = dataclasses.field(default_factory=list)
    count: int = 1
    env: dict[str, str] = dataclasses.field(default_factory=dict)


COUNTS: dict[str, int] = {}


@pytest.fixture(scope="module", autouse=True)
def _report_counts() -> Iterator[None]:
    """Print how many examples each property ran, for scripts/fuzz.sh."""
    yield
    for name, n in sorted(COUNTS.items()):
        print(f"\nPROPERTY {name} {n}")


def tally(name: str) -> None:
    COUNTS[name] = COUNTS.get(name, 0) + 1


msgpack_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text() | st.binary(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=16,
)


@SETTINGS
@given(st.binary(max_size=512))
def test_unpack_arbitrary_bytes(data: bytes) -> None:
    tally("unpack_arbitrary_bytes")
    try:
        config.unpack(data)
    except ConfigError as exc:
        assert exc.path == "config"
        assert "msgpack" in str(exc) or "expected" in str(exc)



@SETTINGS
@given(st.binary(max_size=512))
def test_decode_arbitrary_bytes(data: bytes) -> None:
    tally("decode_arbitrary_bytes")
    try:
        out = config.decode(data, TaskConfig)
    except ConfigError as exc:
        assert str(exc).startswith("config")
        return
    assert out is None or isinstance(out, TaskConfig)



@SETTINGS
@given(st.dictionaries(st.sampled_from(["command", "args", "count", "env", "x"]), msgpack_values, max_size=5))
def test_decode_wrongly_typed_values(value: dict[str, Any]) -> None:
    tally("decode_wrongly_typed_values")
    import msgpack

    data = msgpack.packb(value, use_bin_type=True)
    try:
        out = config.decode(data, TaskConfig)
    except ConfigError as exc:
        # The error names a field path under config.
        assert exc.path.startswith("config"), exc.path
        return
    assert out is not None and isinstance(out.command, str)



@SETTINGS
@given(
    st.text(),
    st.lists(st.text(), max_size=4),
    st.integers(min_value=-(2**53), max_value=2**53),
    st.dictionaries(st.text(max_size=8), st.text(max_size=8), max_size=4),
)
def test_encode_decode_round_trip(command: str, args: list[str], count: int, env: dict[str, str]) -> None:
    tally("encode_decode_round_trip")
    value = TaskConfig(command=command, args=args, count=count, env=env)
    assert config.decode(config.encode(value), TaskConfig) == value



@SETTINGS
@given(st.text(max_size=40))
def test_negotiate_version_any_string(offered: str) -> None:
    tally("negotiate_version_any_string")
    version, warnings = negotiate_version(offered, (1, 2))
    assert version in (1, 2)
    for w in warnings:
        assert w.startswith("PLUGIN_PROTOCOL_VERSIONS")



@SETTINGS
@given(st.dictionaries(st.sampled_from(["PLUGIN_MIN_PORT", "PLUGIN_MAX_PORT"]), st.text(max_size=8)))
def test_port_range_any_env(env: dict[str, str]) -> None:
    tally("port_range_any_env")
    try:
        low, high = parse_port_range(env)
    except HandshakeError as exc:
        assert "PLUGIN_M" in str(exc)
        return
    assert 0 <= low <= high <= 65535

