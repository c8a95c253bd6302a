"""Build the HCL schema (hcldec spec) that Nomad uses to decode plugin config.

Nomad turns a plugin's `config {}` block and a task's `config {}` block into
a cty value with hcldec, using the spec the plugin returns from ConfigSchema /
TaskConfigSchema, and sends that value as msgpack. This module builds those
specs with plain functions and checks them as they are built, so a typo in a
type expression fails at import time with the path of the bad node instead of
as an opaque error inside the agent:

    schema = hclspec.obj(
        command=hclspec.attr("command", "string", required=True),
        args=hclspec.default(hclspec.attr("args", "list(string)"), []),
    )
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import field
from typing import TYPE_CHECKING

from ._proto.hashicorp.nomad.plugins.shared.hclspec import hclspec_pb2
from ._typeexpr import TypeExprError, canonical_type, is_identifier

if TYPE_CHECKING:
    from dataclasses import dataclass
else:
    from ._dcache import dataclass

__all__ = [
    "Array",
    "Attr",
    "Block",
    "BlockAttrs",
    "BlockList",
    "BlockMap",
    "BlockSet",
    "Default",
    "Literal",
    "Object",
    "Spec",
    "SpecError",
    "array",
    "attr",
    "block",
    "block_attrs",
    "block_list",
    "block_map",
    "block_set",
    "default",
    "literal",
    "obj",
    "parse_type",
    "to_hcl_literal",
]


class SpecError(ValueError):
    """An invalid spec node; the message names the node and what was wrong."""


@dataclass(frozen=True)
class Attr:
    """An attribute of a given HCL type, e.g. `attr("command", "string", required=True)`."""

    name: str
    type: str
    required: bool = False


@dataclass(frozen=True)
class Block:
    """A single nested block decoded with its own spec."""

    name: str
    nested: Spec
    required: bool = False


@dataclass(frozen=True)
class BlockAttrs:
    """A block whose attributes all have one type (decoded as a map)."""

    name: str
    type: str
    required: bool = False


@dataclass(frozen=True)
class BlockList:
    """Repeated blocks decoded as a list, with optional item bounds."""

    name: str
    nested: Spec
    min_items: int = 0
    max_items: int = 0


@dataclass(frozen=True)
class BlockSet:
    """Repeated blocks decoded as a set, with optional item bounds."""

    name: str
    nested: Spec
    min_items: int = 0
    max_items: int = 0


@dataclass(frozen=True)
class BlockMap:
    """Labelled blocks decoded as a map keyed by their labels."""

    name: str
    labels: tuple[str, ...]
    nested: Spec


@dataclass(frozen=True)
class Literal:
    """A constant value, given as an HCL expression such as '"5s"' or '[]'."""

    value: str  # an HCL expression, e.g. '"5s"' or '[]'

    def __post_init__(self) -> None:
        if not isinstance(self.value, str) or not self.value.strip():
            raise SpecError(f"literal: expected a non-empty HCL expression, got {self.value!r}")


@dataclass(frozen=True)
class Default:
    """The primary spec, or the default spec's value when the primary is absent."""

    primary: Spec
    default: Spec


@dataclass(frozen=True)
class Object:
    """An object whose attributes each have their own spec (the usual top level)."""

    attributes: Mapping[str, Spec] = field(default_factory=dict)


@dataclass(frozen=True)
class Array:
    """A list whose elements each have their own spec."""

    values: tuple[Spec, ...] = ()


Spec = (
    Attr | Block | BlockAttrs | BlockList | BlockSet | BlockMap | Literal | Default | Object | Array
)
_SPEC_TYPES = (
    Attr,
    Block,
    BlockAttrs,
    BlockList,
    BlockSet,
    BlockMap,
    Literal,
    Default,
    Object,
    Array,
)

# --- HCL type expressions -------------------------------------------------


def parse_type(expr: str) -> str:
    """Check an HCL type expression (`list(string)`, `object({a=number})`, ...).

    Accepts exactly what Nomad's decoder accepts (yurt._typeexpr) and returns
    the canonical form (no blanks, object attributes sorted); raises
    SpecError naming the offset otherwise.
    """
    if not isinstance(expr, str):
        raise SpecError(f"type: expected an HCL type expression string, got {type(expr).__name__}")
    try:
        return canonical_type(expr)
    except TypeExprError as exc:
        raise SpecError(f"type {expr!r}: {exc}") from None


# --- builders ---------------------------------------------------------------

# Nomad's converter limits block counts to int32 (go/hclspec itemBounds).
_MAX_ITEMS = 2**31 - 1


def _check_name(kind: str, name: str) -> None:
    # HCL identifiers: Unicode letters or '_', then letters, digits, '_' or '-'
    if not isinstance(name, str) or not is_identifier(name):
        raise SpecError(f"{kind}: expected an HCL identifier as name, got {name!r}")


def _check_spec(kind: str, value: object) -> None:
    if not isinstance(value, _SPEC_TYPES):
        raise SpecError(f"{kind}: expected a spec node, got {type(value).__name__}")


def attr(name: str, type: str, required: bool = False) -> Attr:
    """An attribute `name = value` whose value must convert to the cty `type`.

    `type` is an HCL type expression ("string", "number", "bool",
    "list(string)", "map(number)", "object({a=string})", "any"), checked here.
    Nomad rejects the job when a `required` attribute is missing; an optional
    one decodes to null unless wrapped in default().
    """
    _check_name("attr", name)
    return Attr(name, parse_type(type), required)


def block(name: str, nested: Spec, required: bool = False) -> Block:
    """A single `name { ... }` block decoded with `nested`; at most one may appear.

    Missing and not `required`: null. Nomad rejects a second block of the name.
    """
    _check_name("block", name)
    _check_spec(f"block {name!r}", nested)
    return Block(name, nested, required)


def block_attrs(name: str, type: str, required: bool = False) -> BlockAttrs:
    """A `name { k = v ... }` block of free-form attributes: a map of `type` values.

    For free-form settings whose keys the plugin does not know in advance.
    """
    _check_name("block_attrs", name)
    return BlockAttrs(name, parse_type(type), required)


def _check_items(kind: str, name: str, min_items: int, max_items: int) -> None:
    if min_items < 0 or max_items < 0:
        raise SpecError(f"{kind} {name!r}: min_items/max_items must be >= 0")
    if min_items > _MAX_ITEMS or max_items > _MAX_ITEMS:
        raise SpecError(f"{kind} {name!r}: min_items/max_items must be at most {_MAX_ITEMS}")
    if max_items and min_items > max_items:
        raise SpecError(f"{kind} {name!r}: min_items {min_items} > max_items {max_items}")


def block_list(name: str, nested: Spec, min_items: int = 0, max_items: int = 0) -> BlockList:
    """Repeated `name { ... }` blocks, in order, each decoded with `nested`, as a list.

    Nomad enforces `min_items`/`max_items` (0 means no bound) when it decodes
    the job.
    """
    _check_name("block_list", name)
    _check_spec(f"block_list {name!r}", nested)
    _check_items("block_list", name, min_items, max_items)
    return BlockList(name, nested, min_items, max_items)


def block_set(name: str, nested: Spec, min_items: int = 0, max_items: int = 0) -> BlockSet:
    """Like block_list(), but decoded as a set: order is not kept, duplicates merge."""
    _check_name("block_set", name)
    _check_spec(f"block_set {name!r}", nested)
    _check_items("block_set", name, min_items, max_items)
    return BlockSet(name, nested, min_items, max_items)


def block_map(name: str, labels: Sequence[str], nested: Spec) -> BlockMap:
    """Labelled blocks `name "l1" ... { ... }` decoded as a map keyed by their labels.

    One map level per entry of `labels` (their names are for error messages);
    each block body is decoded with `nested`.
    """
    _check_name("block_map", name)
    if not labels:
        raise SpecError(f"block_map {name!r}: expected at least one label name")
    for label in labels:
        _check_name(f"block_map {name!r} label", label)
    _check_spec(f"block_map {name!r}", nested)
    return BlockMap(name, tuple(labels), nested)


def to_hcl_literal(value: object, path: str = "value") -> str:
    """Render a Python value as an HCL expression (for Literal/Default)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise SpecError(f"{path}: expected a finite number, got {value!r}")
        return repr(value)
    if isinstance(value, str):
        # HCL string escapes are a superset of JSON's; "${" and "%{" start
        # templates, so they are doubled to stay literal.
        return json.dumps(value).replace("${", "$${").replace("%{", "%%{")
    if isinstance(value, list | tuple):
        return "[" + ", ".join(to_hcl_literal(v, f"{path}[{i}]") for i, v in enumerate(value)) + "]"
    if isinstance(value, dict):
        items = []
        for k, v in value.items():
            if not isinstance(k, str):
                raise SpecError(f"{path}: expected string keys, got {k!r}")
            items.append(f"{json.dumps(k)} = {to_hcl_literal(v, f'{path}.{k}')}")
        return "{" + ", ".join(items) + "}"
    raise SpecError(f"{path}: cannot express {type(value).__name__} as an HCL literal")


def literal(value: object) -> Literal:
    """A literal from a Python value (`literal([])`, `literal("5s")`)."""
    return Literal(to_hcl_literal(value))


def default(primary: Spec, value: object) -> Default:
    """`primary`, or `value` when the user leaves it out (value: a spec or a Python value)."""
    _check_spec("default primary", primary)
    fallback: Spec = value if isinstance(value, _SPEC_TYPES) else literal(value)
    return Default(primary, fallback)


def obj(attributes: Mapping[str, Spec] | None = None, /, **kwargs: Spec) -> Object:
    """An object spec; keys are the cty object attribute names the plugin receives."""
    merged: dict[str, Spec] = dict(attributes or {})
    merged.update(kwargs)
    for key, value in merged.items():
        # any non-empty name: it is the cty attribute the plugin receives
        if not isinstance(key, str) or not key:
            raise SpecError(f"obj key: expected a non-empty string, got {key!r}")
        _check_spec(f"obj[{key!r}]", value)
    return Object(merged)


def array(*values: Spec) -> Array:
    """A fixed tuple whose elements are the values of `values` specs, in order."""
    for i, value in enumerate(values):
        _check_spec(f"array[{i}]", value)
    return Array(tuple(values))


# --- to the wire ---------------------------------------------------------------


def _to_proto(spec: Spec) -> hclspec_pb2.Spec:
    """Convert to the wire message (private to the SDK)."""
    if isinstance(spec, Object):
        return hclspec_pb2.Spec(
            object=hclspec_pb2.Object(
                attributes={k: _to_proto(v) for k, v in sorted(spec.attributes.items())}
            )
        )
    if isinstance(spec, Array):
        return hclspec_pb2.Spec(array=hclspec_pb2.Array(values=[_to_proto(v) for v in spec.values]))
    if isinstance(spec, Attr):
        return hclspec_pb2.Spec(
            Attr=hclspec_pb2.Attr(name=spec.name, type=spec.type, required=spec.required)
        )
    if isinstance(spec, Block):
        return hclspec_pb2.Spec(
            block_value=hclspec_pb2.Block(
                name=spec.name, required=spec.required, nested=_to_proto(spec.nested)
            )
        )
    if isinstance(spec, BlockAttrs):
        return hclspec_pb2.Spec(
            block_attrs=hclspec_pb2.BlockAttrs(
                name=spec.name, type=spec.type, required=spec.required
            )
        )
    if isinstance(spec, BlockList):
        return hclspec_pb2.Spec(
            block_list=hclspec_pb2.BlockList(
                name=spec.name,
                min_items=spec.min_items,
                max_items=spec.max_items,
                nested=_to_proto(spec.nested),
            )
        )
    if isinstance(spec, BlockSet):
        return hclspec_pb2.Spec(
            block_set=hclspec_pb2.BlockSet(
                name=spec.name,
                min_items=spec.min_items,
                max_items=spec.max_items,
                nested=_to_proto(spec.nested),
            )
        )
    if isinstance(spec, BlockMap):
        return hclspec_pb2.Spec(
            block_map=hclspec_pb2.BlockMap(
                name=spec.name, labels=list(spec.labels), nested=_to_proto(spec.nested)
            )
        )
    if isinstance(spec, Literal):
        return hclspec_pb2.Spec(literal=hclspec_pb2.Literal(value=spec.value))
    if isinstance(spec, Default):
        return hclspec_pb2.Spec(
            default=hclspec_pb2.Default(
                primary=_to_proto(spec.primary), default=_to_proto(spec.default)
            )
        )
    raise SpecError(f"expected a spec node, got {type(spec).__name__}")
