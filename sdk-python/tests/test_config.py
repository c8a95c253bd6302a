"""cty msgpack → dataclass decoding: types, defaults, paths in errors, fuzzing."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

import msgpack
import pytest
from hypothesis import given
from hypothesis import strategies as st

from yurt import config
from yurt.errors import ConfigError


class Mode(enum.Enum):
    FAST = "fast"
    SLOW = "slow"


@dataclass
class Mount:
    source: str
    readonly: bool = False


@dataclass
class TaskCfg:
    command: str
    args: list[str] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)
    port: int = 0
    ratio: float = 1.0
    mounts: list[Mount] = field(default_factory=list)
    mode: Mode = Mode.FAST
    pair: tuple[str, int] | None = None
    tags: set[str] = field(default_factory=set)
    label: str | None = None
    extra: Any = None
    dashed_name: str = field(default="", metadata={"hcl": "dashed-name"})


def pack(obj: object) -> bytes:
    data: bytes = msgpack.packb(obj, use_bin_type=True)
    return data


def test_full_decode() -> None:
    raw = {
        "command": "/bin/echo",
        "args": ["a", "b"],
        "env": {"K": "V"},
        "port": 8080,
        "ratio": 2,  # cty sends exact numbers as ints
        "mounts": [{"source": "/a", "readonly": True}, {"source": "/b", "readonly": None}],
        "mode": "slow",
        "pair": ["x", 1],
        "tags": ["t1", "t2"],
        "label": None,
        "extra": {"anything": [1, 2]},
        "dashed-name": "d",
    }
    cfg = config.decode(pack(raw), TaskCfg)
    assert cfg == TaskCfg(
        command="/bin/echo",
        args=["a", "b"],
        env={"K": "V"},
        port=8080,
        ratio=2.0,
        mounts=[Mount("/a", True), Mount("/b", False)],
        mode=Mode.SLOW,
        pair=("x", 1),
        tags={"t1", "t2"},
        label=None,
        extra={"anything": [1, 2]},
        dashed_name="d",
    )
    assert isinstance(cfg.ratio, float)


def test_nulls_take_defaults_and_missing_required_is_named() -> None:
    cfg = config.decode(pack({"command": "x", "args": None, "port": None}), TaskCfg)
    assert cfg is not None
    assert (cfg.args, cfg.port) == ([], 0)
    with pytest.raises(ConfigError) as err:
        config.decode(pack({"args": []}), TaskCfg)
    assert str(err.value) == "config.command: expected string, got null (missing)"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"command": 5}, "config.command: expected string, got number 5"),
        ({"command": "x", "args": "a"}, "config.args: expected list[string], got string 'a'"),
        ({"command": "x", "args": ["a", 2]}, "config.args[1]: expected string, got number 2"),
        ({"command": "x", "port": 1.5}, "config.port: expected integer, got number 1.5"),
        ({"command": "x", "port": True}, "config.port: expected integer, got bool true"),
        (
            {"command": "x", "mounts": [{"readonly": True}]},
            "config.mounts[0].source: expected string, got null (missing)",
        ),
        (
            {"command": "x", "mounts": [{"source": "/a", "rw": 1}]},
            "config.mounts[0].rw: expected one of the declared keys (readonly, source), "
            "got an extra key",
        ),
        (
            {"command": "x", "mode": "medium"},
            "config.mode: expected one of 'fast', 'slow', got string 'medium'",
        ),
        ({"command": "x", "pair": ["x"]}, "config.pair: expected 2 items, got list of 1"),
        ({"command": "x", "env": {"K": 1}}, "config.env.K: expected string, got number 1"),
        (
            {"command": "x", "bogus": 1},
            "config.bogus: expected one of the declared keys (args, command, dashed-name, env, "
            "extra, label, mode, mounts, pair, port, ratio, tags), got an extra key",
        ),
    ],
)
def test_errors_name_the_path(raw: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError) as err:
        config.decode(pack(raw), TaskCfg)
    assert str(err.value) == message


def test_top_level_must_be_an_object() -> None:
    with pytest.raises(ConfigError, match=r"^config: expected object \(TaskCfg\), got list of 1$"):
        config.decode(pack([1]), TaskCfg)


def test_cty_big_numbers_arrive_as_decimal_strings() -> None:
    big = "123456789012345678901234567890"
    cfg = config.decode(pack({"command": "x", "port": big, "ratio": "1.5e400"}), TaskCfg)
    assert cfg is not None
    assert cfg.port == int(big)
    with pytest.raises(ConfigError, match=r"config.port: expected integer, got number 1.5"):
        config.decode(pack({"command": "x", "port": "1.5"}), TaskCfg)


def test_unknown_values_are_rejected() -> None:
    unknown = msgpack.ExtType(0, b"")
    with pytest.raises(ConfigError, match=r"config.command: .*unknown value"):
        config.decode(pack({"command": unknown}), TaskCfg)


def test_empty_bytes_mean_no_config() -> None:
    assert config.decode(b"", TaskCfg) is None


def test_malformed_bytes() -> None:
    with pytest.raises(
        ConfigError,
        match=r"^config: expected msgpack bytes \(go-cty encoding\), got malformed data",
    ):
        config.decode(b"\xc1", TaskCfg)


def test_encode_writes_big_ints_as_decimal_strings() -> None:
    assert msgpack.unpackb(config.encode({"n": 2**70})) == {"n": str(2**70)}


def test_encode_round_trip() -> None:
    cfg = TaskCfg(command="c", args=["x"], mounts=[Mount("/m")], mode=Mode.SLOW, tags={"b", "a"})
    assert config.decode(config.encode(cfg), TaskCfg) == cfg


# --- properties -------------------------------------------------------------------

mounts = st.builds(Mount, source=st.text(max_size=10), readonly=st.booleans())
task_cfgs = st.builds(
    TaskCfg,
    command=st.text(max_size=20),
    args=st.lists(st.text(max_size=5), max_size=4),
    env=st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=3),
    port=st.integers(min_value=-(2**63), max_value=2**63 - 1),
    ratio=st.floats(allow_nan=False, allow_infinity=False),
    mounts=st.lists(mounts, max_size=3),
    mode=st.sampled_from(Mode),
    pair=st.none() | st.tuples(st.text(max_size=3), st.integers(-5, 5)),
    tags=st.sets(st.text(max_size=3), max_size=3),
    label=st.none() | st.text(max_size=5),
    extra=st.none() | st.integers(-(2**63), 2**63 - 1) | st.text(max_size=5),
    dashed_name=st.text(max_size=5),
)


@given(task_cfgs)
def test_encode_decode_is_identity(cfg: TaskCfg) -> None:
    assert config.decode(config.encode(cfg), TaskCfg) == cfg


@given(st.binary(max_size=200))
def test_arbitrary_bytes_only_raise_config_error(data: bytes) -> None:
    try:
        config.decode(data, TaskCfg)
    except ConfigError as exc:
        message = str(exc)
    else:
        return
    assert message.startswith("config")


msgpack_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**63 - 1)
    | st.floats()
    | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)


@given(
    st.dictionaries(
        st.sampled_from(
            [
                "command",
                "args",
                "env",
                "port",
                "ratio",
                "mounts",
                "mode",
                "pair",
                "tags",
                "label",
                "zzz",
            ]
        ),
        msgpack_values,
        max_size=6,
    )
)
def test_arbitrary_structures_only_raise_config_error(raw: dict[str, object]) -> None:
    try:
        config.decode(pack(raw), TaskCfg)
    except ConfigError as exc:
        message = str(exc)
    else:
        return
    assert message.startswith("config")
