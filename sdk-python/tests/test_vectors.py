"""The shared vectors in spec/vectors/, cut from Go's behaviour, hold here too.

Each category checks the part this SDK implements (see each file's `about`):
type expressions (yurt.hclspec.parse_type), schema checks (the hclspec
builders; literals are not evaluated here, so vectors that need
"hcl_expression" are skipped), msgpack config decoding (yurt.config.decode
into dataclasses declared from each named spec's type; "strict_attributes" is
skipped: a dataclass decodes with defaults for keys Nomad did not send), the
handshake line parser of the test host (tests/gohost.py), the hclog lines the
SDK's formatter writes (checked with a reader of go-plugin's rules that is
itself checked against the `lines` vectors) and the error table (the statuses
yurt._rpc sends).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
import re
from pathlib import Path
from typing import Any

import grpc
import pytest
from cryptography import x509
from gohost import HandshakeParseError, parse_handshake
from google.rpc import status_pb2

from yurt import _constants, config, hclspec
from yurt._log import HclogJSONFormatter
from yurt._proto.hashicorp.nomad.plugins.shared.structs import recoverable_error_pb2
from yurt._rpc import status_for
from yurt.errors import (
    ConfigError,
    PluginError,
    RecoverableError,
    TaskNotFoundError,
)

VECTORS = Path(__file__).resolve().parents[2] / "spec" / "vectors"


def _load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((VECTORS / name).read_text(encoding="utf-8"))
    return data


def _ids(vectors: list[dict[str, Any]], key: str) -> list[str]:
    return [f"{i}:{str(v[key])[:40]!r}" for i, v in enumerate(vectors)]


# --- type expressions --------------------------------------------------------------

TYPEEXPR = _load("typeexpr.json")["vectors"]


@pytest.mark.parametrize("vec", TYPEEXPR, ids=_ids(TYPEEXPR, "expr"))
def test_type_expression(vec: dict[str, Any]) -> None:
    if vec["ok"]:
        assert hclspec.parse_type(vec["expr"]) == vec["type"]
    else:
        with pytest.raises(hclspec.SpecError):
            hclspec.parse_type(vec["expr"])


# --- schemas -----------------------------------------------------------------------


def build_spec(node: dict[str, Any]) -> hclspec.Spec:
    """A vector file's JSON spec node, built with the SDK's builders."""
    ((kind, body),) = node.items()
    if kind == "object":
        return hclspec.obj({k: build_spec(v) for k, v in body.items()})
    if kind == "array":
        return hclspec.array(*(build_spec(v) for v in body))
    if kind == "attr":
        return hclspec.attr(body["name"], body["type"], body["required"])
    if kind == "block":
        return hclspec.block(body["name"], build_spec(body["nested"]), body["required"])
    if kind == "block_attrs":
        return hclspec.block_attrs(body["name"], body["type"], body["required"])
    if kind in ("block_list", "block_set"):
        make = hclspec.block_list if kind == "block_list" else hclspec.block_set
        return make(body["name"], build_spec(body["nested"]), body["min_items"], body["max_items"])
    if kind == "block_map":
        return hclspec.block_map(body["name"], body["labels"], build_spec(body["nested"]))
    if kind == "default":
        return hclspec.default(build_spec(body["primary"]), build_spec(body["default"]))
    if kind == "literal":
        return hclspec.Literal(body["value"])
    raise AssertionError(f"unknown spec node {kind!r}")


SPECS = [v for v in _load("hclspec.json")["vectors"] if "hcl_expression" not in v.get("needs", [])]


@pytest.mark.parametrize("vec", SPECS, ids=_ids(SPECS, "name"))
def test_schema(vec: dict[str, Any]) -> None:
    if vec["ok"]:
        build_spec(vec["spec"])
    else:
        with pytest.raises(hclspec.SpecError):
            build_spec(vec["spec"])


# --- msgpack config ----------------------------------------------------------------

_MSGPACK = _load("msgpack.json")


def _split_type(inner: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for i, c in enumerate(inner):
        if c in "({[":
            depth += 1
        elif c in ")}]":
            depth -= 1
        elif c == "," and depth == 0:
            parts.append(inner[start:i])
            start = i + 1
    if inner[start:]:
        parts.append(inner[start:])
    return parts


def annotation(ty: str, name: str = "Spec") -> Any:
    """A Python annotation for a canonical cty type (as typeexpr.json writes them)."""
    if ty == "string":
        return str
    if ty == "number":
        return int | float
    if ty == "bool":
        return bool
    for coll, origin in (("list", list), ("set", set), ("map", dict)):
        if ty.startswith(coll + "("):
            elem = annotation(ty[len(coll) + 1 : -1], name)
            return dict[str, elem] if origin is dict else origin[elem]  # type: ignore[valid-type]
    if ty.startswith("object({"):
        fields = []
        for part in _split_type(ty[len("object({") : -2]):
            key, _, sub = part.partition("=")
            fields.append((key, annotation(sub, f"{name}_{key}") | None))
        return dataclasses.make_dataclass(name, fields)
    raise AssertionError(f"type {ty!r} has no annotation here")


def plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, set):
        return sorted(plain(v) for v in value)
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


def steps(path: str) -> list[Any]:
    """`config.port[1].to` -> ["port", 1, "to"]."""
    rest = path.removeprefix("config")
    out: list[Any] = []
    for attr, index, key in re.findall(r"\.([^.\[]+)|\[(\d+)\]|\[('(?:[^'\\]|\\.)*')\]", rest):
        out.append(attr if attr else int(index) if index else key[1:-1])
    return out


MSGPACK = [v for v in _MSGPACK["vectors"] if "strict_attributes" not in v.get("needs", [])]


@pytest.mark.parametrize("vec", MSGPACK, ids=_ids(MSGPACK, "name"))
def test_msgpack_config(vec: dict[str, Any]) -> None:
    cls = annotation(_MSGPACK["specs"][vec["spec"]]["type"])
    data = bytes.fromhex(vec["msgpack_hex"])
    if vec["ok"]:
        assert plain(config.decode(data, cls)) == vec["value"]
    else:
        with pytest.raises(ConfigError) as err:
            config.decode(data, cls)
        assert steps(err.value.path) == vec.get("field", [])


# --- handshake lines ---------------------------------------------------------------

HANDSHAKE = [v for v in _load("handshake.json")["vectors"]]


def host_accepts(line: str) -> tuple[str, str, bool]:
    """What Nomad's go-plugin client takes from `line`, or HandshakeParseError."""
    hs = parse_handshake(line)
    if hs.core != _constants.CORE_PROTOCOL_VERSION:
        raise HandshakeParseError(f"core protocol {hs.core}")
    if hs.app != _constants.APP_PROTOCOL_VERSION:
        raise HandshakeParseError(f"app protocol {hs.app}")
    if hs.protocol != "grpc":
        raise HandshakeParseError(f"protocol {hs.protocol}")
    if hs.network == "tcp":
        host, _, port = hs.address.rpartition(":")
        if not host or not port.isdigit() or int(port) > 65535:
            raise HandshakeParseError(f"address {hs.address}")
    if hs.cert_der is not None:
        try:
            x509.load_der_x509_certificate(hs.cert_der)
        except ValueError as exc:
            raise HandshakeParseError(f"server cert: {exc}") from None
    return hs.network, hs.address, hs.cert_der is not None


@pytest.mark.parametrize("vec", HANDSHAKE, ids=_ids(HANDSHAKE, "name"))
def test_handshake_line(vec: dict[str, Any]) -> None:
    if vec["ok"]:
        assert host_accepts(vec["line"]) == (vec["network"], vec["address"], vec.get("cert", False))
    else:
        with pytest.raises(HandshakeParseError):
            host_accepts(vec["line"])


# --- hclog -------------------------------------------------------------------------

_HCLOG = _load("hclog.json")
_PREFIXES = {"[TRACE]": "trace", "[DEBUG]": "debug", "[INFO]": "info", "[WARN]": "warn"}
_LEVELS = {"trace", "debug", "info", "warn", "error"}
_TS = re.compile(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)\.(\d{6})(Z|[+-]\d\d:\d\d)")


def host_reading(line: str) -> dict[str, Any]:
    """go-plugin's client (logStderr, parseJSON) reading one stderr line."""
    raw = {"message": line, "args": {}}
    try:
        entry = json.loads(line)
    except ValueError:
        entry = None
    ts_ok = True
    if isinstance(entry, dict) and "@timestamp" in entry:
        ts_ok = _TS.fullmatch(entry["@timestamp"]) is not None
    if not isinstance(entry, dict) or not ts_ok:
        for prefix, level in _PREFIXES.items():
            if line.startswith(prefix):
                return {"level": level, **raw}
        if line.startswith(("[ERROR]", "panic: ", "fatal error: ")):
            return {"level": "error", **raw}
        return {"level": "debug", **raw}
    level = str(entry.pop("@level", "")).strip().lower()
    if level not in _LEVELS:
        return {"level": "debug", **raw}
    message = entry.pop("@message", "")
    stamp = entry.pop("@timestamp", None)
    if stamp is None:
        entry["timestamp"] = "0001-01-01T00:00:00.000Z"
    else:
        m = _TS.fullmatch(stamp)
        assert m is not None
        zone = m.group(3)
        zone = "Z" if zone in ("Z", "+00:00") else zone.replace(":", "")
        entry["timestamp"] = f"{m.group(1)}.{m.group(2)[:3]}{zone}"
    return {"level": level, "message": message, "args": entry}


@pytest.mark.parametrize("vec", _HCLOG["lines"], ids=_ids(_HCLOG["lines"], "name"))
def test_host_reading_matches_go_plugin(vec: dict[str, Any]) -> None:
    assert host_reading(vec["line"]) == vec["reading"]


_PY_LEVELS = {"trace": 5, "debug": logging.DEBUG, "info": logging.INFO}
_PY_LEVELS |= {"warn": logging.WARNING, "error": logging.ERROR}


@pytest.mark.parametrize("vec", _HCLOG["records"], ids=_ids(_HCLOG["records"], "name"))
def test_log_record_reads_as_in_go(vec: dict[str, Any]) -> None:
    record = logging.LogRecord(
        "plugin", _PY_LEVELS[vec["level"]], __file__, 1, vec["message"], None, None
    )
    record.created = vec["unix_micros"] / 1e6
    record.__dict__.update(vec["args"])
    line = HclogJSONFormatter().format(record)
    assert "\n" not in line
    got = host_reading(line)
    got["args"].pop("@module", None)  # each SDK names its own module
    assert got == vec["reading"]


# --- the error table ---------------------------------------------------------------

ERRORS = _load("errors.json")["vectors"]


def _exception(vec: dict[str, Any]) -> BaseException:
    kind = vec["kind"]
    if kind == "TaskNotFound":
        return TaskNotFoundError("t1")
    if kind in ("Recoverable", "Fatal"):
        return RecoverableError(vec["text"], recoverable=kind == "Recoverable")
    if kind == "Plain":
        return PluginError(vec["text"])
    if kind == "InvalidConfig":
        path = "config" + "".join(f"[{s}]" if isinstance(s, int) else f".{s}" for s in vec["field"])
        return ConfigError(path, "a whole number", "number 1.5")
    if kind == "Unsupported":
        # The plugin's own answer (Go: a plain error); the SDK's default for a
        # method left out is Unimplemented (the optional-RPC table in driver.proto).
        return PluginError(f"{vec['rpc']} is not supported by this driver")
    if kind == "Unimplemented":
        return NotImplementedError()
    raise AssertionError(f"no Python error for kind {kind!r}")


def _snake(go_code: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", go_code).upper()


@pytest.mark.parametrize("vec", ERRORS, ids=_ids(ERRORS, "kind"))
def test_error_table(vec: dict[str, Any]) -> None:
    code, message, trailers = status_for(_exception(vec), vec["rpc"])
    assert code == getattr(grpc.StatusCode, _snake(vec["code"]))
    if "exact" in vec:
        assert message == vec["exact"]
    for part in vec.get("contains", []):
        assert part in message
    recoverable = None
    for key, value in trailers:
        if key == "grpc-status-details-bin":
            detail = recoverable_error_pb2.RecoverableError()
            assert status_pb2.Status.FromString(value).details[0].Unpack(detail)
            recoverable = detail.recoverable
    assert recoverable == vec.get("recoverable")


def test_every_category_ran() -> None:
    total = len(TYPEEXPR) + len(SPECS) + len(MSGPACK) + len(HANDSHAKE)
    total += len(_HCLOG["lines"]) + len(_HCLOG["records"]) + len(ERRORS)
    assert total >= 200, total
    assert dt.datetime is not None
