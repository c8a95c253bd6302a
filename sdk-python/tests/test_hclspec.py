"""The hclspec builder: validation as specs are built, and the wire form."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yurt import hclspec
from yurt._proto.hashicorp.nomad.plugins.shared.hclspec import hclspec_pb2


@pytest.mark.parametrize(
    ("expr", "canonical"),
    [
        ("string", "string"),
        ("list(string)", "list(string)"),
        ("map( number )", "map(number)"),
        ("set(list(bool))", "set(list(bool))"),
        ("object({a = string, b=list(number)})", "object({a=string,b=list(number)})"),
        ("tuple([string, number])", "tuple([string,number])"),
        ("any", "any"),
    ],
)
def test_type_expressions(expr: str, canonical: str) -> None:
    assert hclspec.parse_type(expr) == canonical


@pytest.mark.parametrize(
    ("expr", "message"),
    [
        ("strng", "unknown type 'strng'"),
        ("list(string", "expected ')' closing list( at offset 11, got end of input"),
        ("list", "'list' at offset 0 needs an argument"),
        ("list(string, number)", "list(...) takes exactly one argument, the element type"),
        ("", "expected a type, got an empty string"),
        ("string string", "unexpected 'string' at offset 7 after the type"),
        ("map(#)", "expected a type at offset 6, got end of input"),
        ("map(!)", "unexpected character '!' at offset 4"),
        ("optional(string)", "valid only as an object attribute's type"),
        ("object({a=string,a=number})", "attribute 'a' at offset 17 is repeated"),
    ],
)
def test_bad_type_expressions(expr: str, message: str) -> None:
    with pytest.raises(hclspec.SpecError, match=re.escape(message)):
        hclspec.parse_type(expr)


def test_builder_errors_name_the_node() -> None:
    with pytest.raises(
        hclspec.SpecError, match=r"attr: expected an HCL identifier as name, got ''"
    ):
        hclspec.attr("", "string")
    with pytest.raises(hclspec.SpecError, match=r"block 'b': expected a spec node, got str"):
        hclspec.block("b", "nope")  # type: ignore[arg-type]
    with pytest.raises(hclspec.SpecError, match=r"block_list 'l': min_items 3 > max_items 2"):
        hclspec.block_list("l", hclspec.obj(), min_items=3, max_items=2)
    with pytest.raises(hclspec.SpecError, match=r"block_map 'm': expected at least one label"):
        hclspec.block_map("m", [], hclspec.obj())
    with pytest.raises(hclspec.SpecError, match=r"obj\['x'\]: expected a spec node, got int"):
        hclspec.obj(x=1)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "hcl"),
    [
        (None, "null"),
        (True, "true"),
        (5, "5"),
        (1.5, "1.5"),
        ("5s", '"5s"'),
        ("${x}", '"$${x}"'),
        ([], "[]"),
        (["a", 1], '["a", 1]'),
        ({"k": [True]}, '{"k" = [true]}'),
    ],
)
def test_literals(value: object, hcl: str) -> None:
    assert hclspec.to_hcl_literal(value) == hcl


def test_literal_rejects_what_hcl_cannot_say() -> None:
    with pytest.raises(hclspec.SpecError, match=r"value\[0\]: expected a finite number"):
        hclspec.to_hcl_literal([float("inf")])
    with pytest.raises(hclspec.SpecError, match="cannot express object"):
        hclspec.to_hcl_literal(object())


def test_wire_form_of_a_realistic_schema() -> None:
    spec = hclspec.obj(
        command=hclspec.attr("command", "string", required=True),
        args=hclspec.default(hclspec.attr("args", "list(string)"), []),
        mount=hclspec.block_list(
            "mount", hclspec.obj(source=hclspec.attr("source", "string")), max_items=4
        ),
        labels=hclspec.block_attrs("labels", "string"),
        svc=hclspec.block_map("svc", ["name"], hclspec.obj(port=hclspec.attr("port", "number"))),
        one=hclspec.block("one", hclspec.obj(), required=True),
        uniq=hclspec.block_set("uniq", hclspec.obj(), min_items=1),
        pair=hclspec.array(hclspec.literal("a"), hclspec.literal(1)),
    )
    msg = hclspec._to_proto(spec)
    again = hclspec_pb2.Spec.FromString(msg.SerializeToString())
    attrs = again.object.attributes
    assert attrs["command"].Attr == hclspec_pb2.Attr(name="command", type="string", required=True)
    assert attrs["args"].default.primary.Attr.type == "list(string)"
    assert attrs["args"].default.default.literal.value == "[]"
    assert attrs["mount"].block_list.max_items == 4
    assert attrs["mount"].block_list.nested.object.attributes["source"].Attr.name == "source"
    assert attrs["labels"].block_attrs.type == "string"
    assert list(attrs["svc"].block_map.labels) == ["name"]
    assert attrs["one"].block_value.required
    assert attrs["uniq"].block_set.min_items == 1
    assert [v.literal.value for v in attrs["pair"].array.values] == ['"a"', "1"]


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=10),
        lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=5), c, max_size=3),
        max_leaves=10,
    )
)
def test_literal_rendering_never_breaks_lines_or_raises_unexpectedly(value: object) -> None:
    text = hclspec.to_hcl_literal(value)
    assert "\n" not in text
