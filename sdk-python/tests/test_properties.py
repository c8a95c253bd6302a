"""Property tests (hypothesis) of the SDK's parsers of untrusted bytes.

The host controls the launch environment and the msgpack config bytes; a
plugin must turn anything malformed into ConfigError or HandshakeError with
a message naming the field, never another exception. A module fixture
prints `PROPERTY <name> <examples>` so scripts/fuzz.sh can count
executions; YURT_HYPOTHESIS_EXAMPLES sets the examples per property
(default 200).
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import msgpack
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
COUNTS: dict[str, int] = {}
E = TypeVar("E", bound=Exception)


@pytest.fixture(scope="module", autouse=True)
def _report_counts() -> Iterator[None]:
    """Print how many examples each property ran, for scripts/fuzz.sh."""
    yield
    for name, n in sorted(COUNTS.items()):
        print(f"\nPROPERTY {name} {n}")


def tally(name: str) -> None:
    COUNTS[name] = COUNTS.get(name, 0) + 1


def error_of(fn: Callable[[], object], kind: type[E]) -> E | None:
    """The `kind` error fn raised, or None; any other exception propagates."""
    try:
        fn()
    except kind as exc:
        return exc
    return None


@dataclasses.dataclass
class TaskConfig:
    command: str
    args: list[str] = dataclasses.field(default_factory=list)
    count: int = 1
    env: dict[str, str] = dataclasses.field(default_factory=dict)


msgpack_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**64 - 1)
    | st.floats()
    | st.text()
    | st.binary(),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=16,
)
FIELDS = st.sampled_from(["command", "args", "count", "env", "x"])
PORT_VARS = st.sampled_from(["PLUGIN_MIN_PORT", "PLUGIN_MAX_PORT"])


@SETTINGS
@given(st.binary(max_size=512))
def test_unpack_arbitrary_bytes(data: bytes) -> None:
    tally("unpack_arbitrary_bytes")
    err = error_of(lambda: config.unpack(data), ConfigError)
    if err is not None:
        assert err.path == "config"


@SETTINGS
@given(st.binary(max_size=512))
def test_decode_arbitrary_bytes(data: bytes) -> None:
    tally("decode_arbitrary_bytes")
    err = error_of(lambda: config.decode(data, TaskConfig), ConfigError)
    if err is not None:
        assert str(err).startswith("config")


@SETTINGS
@given(st.dictionaries(FIELDS, msgpack_values, max_size=5))
def test_decode_wrongly_typed_values(value: dict[str, Any]) -> None:
    tally("decode_wrongly_typed_values")
    data = msgpack.packb(value, use_bin_type=True)
    out: list[TaskConfig | None] = []
    err = error_of(lambda: out.append(config.decode(data, TaskConfig)), ConfigError)
    if err is not None:
        # The error names a field path under config.
        assert err.path.startswith("config"), err.path
        return
    assert out[0] is not None
    assert isinstance(out[0].command, str)


@SETTINGS
@given(
    st.text(),
    st.lists(st.text(), max_size=4),
    st.integers(min_value=-(2**53), max_value=2**53),
    st.dictionaries(st.text(max_size=8), st.text(max_size=8), max_size=4),
)
def test_encode_decode_round_trip(
    command: str, args: list[str], count: int, env: dict[str, str]
) -> None:
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
@given(st.dictionaries(PORT_VARS, st.text(max_size=8)))
def test_port_range_any_env(env: dict[str, str]) -> None:
    tally("port_range_any_env")
    got: list[tuple[int, int]] = []
    err = error_of(lambda: got.append(parse_port_range(env)), HandshakeError)
    if err is not None:
        assert "PLUGIN_M" in str(err)
        return
    low, high = got[0]
    assert 0 <= low <= high <= 65535
