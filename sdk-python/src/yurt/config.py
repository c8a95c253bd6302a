"""Decode go-cty msgpack (plugin and task config) into typed dataclasses.

Nomad sends config as `cty/msgpack.Marshal(value, type)` of what hcldec made
from the plugin's spec: objects are maps with string keys, lists/sets/tuples
are arrays, numbers are ints when exact, floats otherwise, or decimal strings
when neither fits; null is nil and an unknown value is an extension type.
decode() reads those bytes and builds the dataclass the plugin declared,
checking every value against the field's annotation. Any mismatch raises
ConfigError naming the path (`config.mounts[1].source`), the expected form and
what arrived, never a bare KeyError/TypeError from deep inside.

Supported annotations: str, int, float, bool, bytes, Any, X | None, list[X],
tuple[X, ...], set[X], frozenset[X], dict[str, X], enum.Enum subclasses and
nested dataclasses. A dataclass field may name its cty key with
`field(metadata={"hcl": "key-name"})`.
"""

from __future__ import annotations

import dataclasses
import enum
import math
import sys
import types
import typing
from collections.abc import Mapping
from typing import Any, TypeVar

from .errors import ConfigError

__all__ = ["ConfigError", "decode", "decode_value", "encode"]

# msgpack and decimal are imported on first use: a plugin needs neither to
# start and answer the host's first calls (start-up time, BENCHMARKS.md).


def _is_ext(value: Any) -> bool:
    """A msgpack extension value (only msgpack, once imported, makes them)."""
    mp = sys.modules.get("msgpack")
    return mp is not None and isinstance(value, mp.ExtType)


T = TypeVar("T")

_MAX_BYTES = 64 * 1024 * 1024


def _describe(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"bool {str(value).lower()}"
    if isinstance(value, int | float):
        return f"number {value!r}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"string {shown!r}"
    if isinstance(value, bytes):
        return f"bytes of length {len(value)}"
    if isinstance(value, list):
        return f"list of {len(value)}"
    if isinstance(value, dict):
        return f"map with keys {sorted(map(str, value))[:5]}"
    if _is_ext(value):
        code = getattr(value, "code", None)
        return "an unknown value (cty msgpack extension)" if code == 0 else "extension"
    return type(value).__name__


def _type_name(tp: Any) -> str:
    if tp is Any:
        return "any value"
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        return " or ".join(_type_name(a) for a in typing.get_args(tp))
    if origin is not None:
        args = ", ".join(_type_name(a) for a in typing.get_args(tp) if a is not Ellipsis)
        return f"{origin.__name__}[{args}]"
    if tp is type(None):
        return "null"
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        return f"object ({tp.__name__})"
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return "one of " + ", ".join(repr(m.value) for m in tp)
    return {str: "string", int: "integer", float: "number", bool: "bool", bytes: "bytes"}.get(
        tp, getattr(tp, "__name__", str(tp))
    )


def _hcl_key(f: dataclasses.Field[Any]) -> str:
    key = f.metadata.get("hcl", f.name)
    return str(key)


def _has_default(f: dataclasses.Field[Any]) -> bool:
    return f.default is not dataclasses.MISSING or f.default_factory is not dataclasses.MISSING


def _default_of(f: dataclasses.Field[Any]) -> Any:
    if f.default is not dataclasses.MISSING:
        return f.default
    factory: Any = f.default_factory
    return factory()


def _number(value: Any, path: str, want: type) -> Any:
    # cty encodes numbers that fit neither int64 nor float64 as decimal strings.
    if isinstance(value, str) and want in (int, float):
        import decimal

        try:
            dec = decimal.Decimal(value)
        except decimal.InvalidOperation:
            raise ConfigError(path, _type_name(want), _describe(value)) from None
        if want is int:
            if dec != dec.to_integral_value():
                raise ConfigError(path, "integer", f"number {value}")
            return int(dec)
        return float(dec)
    if want is int:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ConfigError(path, "integer", _describe(value))
        if isinstance(value, float):
            if not math.isfinite(value) or not value.is_integer():
                raise ConfigError(path, "integer", _describe(value))
            return int(value)
        return value
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigError(path, "number", _describe(value))
    return float(value)


def decode_value(value: Any, tp: Any, path: str) -> Any:
    """Check and convert one already-unpacked value against annotation `tp`."""
    if _is_ext(value):
        raise ConfigError(path, _type_name(tp), _describe(value))
    if tp is Any or tp is object:
        return value
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        if value is None:
            if type(None) in args:
                return None
            raise ConfigError(path, _type_name(tp), "null")
        errors: list[ConfigError] = []
        for arg in args:
            if arg is type(None):
                continue
            try:
                return decode_value(value, arg, path)
            except ConfigError as exc:
                errors.append(exc)
        if len(errors) == 1:
            raise errors[0]
        raise ConfigError(path, _type_name(tp), _describe(value))
    if value is None:
        raise ConfigError(path, _type_name(tp), "null")
    if origin in (list, tuple, set, frozenset):
        if not isinstance(value, list):
            raise ConfigError(path, _type_name(tp), _describe(value))
        if origin is tuple and not (len(args) == 2 and args[1] is Ellipsis):
            if len(args) != len(value):
                raise ConfigError(path, f"{len(args)} items", f"list of {len(value)}")
            return tuple(
                decode_value(v, a, f"{path}[{i}]")
                for i, (v, a) in enumerate(zip(value, args, strict=True))
            )
        item_tp = args[0] if args else Any
        items = [decode_value(v, item_tp, f"{path}[{i}]") for i, v in enumerate(value)]
        if origin is list:
            return items
        if origin is tuple:
            return tuple(items)
        try:
            return origin(items)
        except TypeError:
            raise ConfigError(path, "hashable set items", _describe(value)) from None
    if origin in (dict, Mapping) or tp is dict:
        if not isinstance(value, dict):
            raise ConfigError(path, _type_name(tp), _describe(value))
        key_tp, val_tp = args if args else (str, Any)
        out = {}
        for k, v in value.items():
            if not isinstance(k, str):
                raise ConfigError(path, "a map with string keys", f"key {_describe(k)}")
            out[decode_value(k, key_tp, f"{path}[{k!r}]")] = decode_value(v, val_tp, f"{path}.{k}")
        return out
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        return _decode_dataclass(value, tp, path)
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        for member in tp:
            if member.value == value:
                return member
        raise ConfigError(path, _type_name(tp), _describe(value))
    if tp is bool:
        if not isinstance(value, bool):
            raise ConfigError(path, "bool", _describe(value))
        return value
    if tp in (int, float):
        return _number(value, path, tp)
    if tp is str:
        if not isinstance(value, str):
            raise ConfigError(path, "string", _describe(value))
        return value
    if tp is bytes:
        if isinstance(value, bytes):
            return value
        if isinstance(value, str):
            return value.encode("utf-8")
        raise ConfigError(path, "bytes", _describe(value))
    raise TypeError(f"{path}: unsupported annotation {tp!r} in a config dataclass")


def _decode_dataclass(value: Any, cls: type[T], path: str) -> T:
    if not isinstance(value, dict):
        raise ConfigError(path, _type_name(cls), _describe(value))
    hints = typing.get_type_hints(cls)
    known: dict[str, dataclasses.Field[Any]] = {}
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        if f.init:
            known[_hcl_key(f)] = f
    for key in value:
        if key not in known:
            want = ", ".join(sorted(known)) or "no keys"
            raise ConfigError(f"{path}.{key}", f"one of the declared keys ({want})", "an extra key")
    kwargs: dict[str, Any] = {}
    for key, f in known.items():
        sub = f"{path}.{key}"
        raw = value.get(key)
        if raw is None:
            if _has_default(f):
                kwargs[f.name] = _default_of(f)
                continue
            tp = hints[f.name]
            if type(None) in typing.get_args(tp):
                kwargs[f.name] = None
                continue
            raise ConfigError(sub, _type_name(tp), "null (missing)" if key not in value else "null")
        kwargs[f.name] = decode_value(raw, hints[f.name], sub)
    return cls(**kwargs)


def unpack(data: bytes, path: str = "config") -> Any:
    """msgpack bytes → Python values, with a clear error on malformed input."""
    if len(data) > _MAX_BYTES:
        raise ConfigError(path, f"at most {_MAX_BYTES} bytes of msgpack", f"{len(data)} bytes")
    import msgpack

    try:
        return msgpack.unpackb(
            data,
            raw=False,
            strict_map_key=False,
            use_list=True,
        )
    except (ValueError, msgpack.UnpackException, TypeError, RecursionError) as exc:
        raise ConfigError(
            path, "msgpack bytes (go-cty encoding)", f"malformed data ({exc})"
        ) from None


def decode(data: bytes, cls: type[T], path: str = "config") -> T | None:
    """Decode cty msgpack `data` into dataclass `cls`; empty bytes give None.

    Empty bytes are what RecoverTask receives in `msgpack_driver_config`.
    """
    if not data:
        return None
    return _decode_dataclass(unpack(data, path), cls, path)


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            _hcl_key(f): _plain(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init
        }
    if isinstance(value, enum.Enum):
        return _plain(value.value)
    if isinstance(value, list | tuple | set | frozenset):
        items = [_plain(v) for v in value]
        return sorted(items, key=repr) if isinstance(value, set | frozenset) else items
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, int) and not isinstance(value, bool) and not -(2**63) <= value < 2**64:
        return str(value)  # as cty does for numbers beyond 64 bits
    return value


def encode(value: Any) -> bytes:
    """Encode a dataclass (or plain data) the way cty msgpack lays it out.

    Useful for driver_state and for tests that play the Nomad side.
    """
    import msgpack

    packed: bytes = msgpack.packb(_plain(value), use_bin_type=True)
    return packed
