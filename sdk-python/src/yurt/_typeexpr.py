"""HCL type expressions, parsed as Nomad's decoder parses them.

Nomad turns an hclspec `type` string into a cty type with hcl/v2's native
syntax parser and ext/typeexpr. This module accepts exactly what that pair
accepts (spec/vectors/typeexpr.json, cut from Go, is the test) and returns the
canonical form: no blanks, object attributes sorted, `optional(T)` kept.

What HCL allows and this follows: blanks, newlines and comments (`#`, `//`,
`/* */`) between tokens; newlines are insignificant inside `(...)` and
`[...]` but separate attributes inside an object's `{...}` (a newline or a
comma ends an attribute; `=` or `:` introduces its type); trailing commas;
Unicode identifiers with `-`; `optional(T)` only as an object attribute's
type; at most 100 nested brackets (yurt's input limit, go/inputlimit).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["MAX_NESTING", "TypeExprError", "canonical_type", "is_identifier"]

MAX_NESTING = 100
_PRIMITIVES = frozenset({"string", "number", "bool", "any"})
_COLLECTIONS = frozenset({"list", "set", "map"})
_PUNCT = frozenset("(){}[],=:")
_OPEN = {"(": ")", "[": "]", "{": "}"}


class TypeExprError(ValueError):
    """The text is not an HCL type expression; the message says where and why."""


@dataclass(frozen=True)
class _Tok:
    kind: str  # "ident", a punctuation character, or "nl"
    text: str
    at: int


def _ident_start(c: str) -> bool:
    return c.isidentifier()


def _ident_continue(c: str) -> bool:
    return c == "-" or ("a" + c).isidentifier()


def is_identifier(name: str) -> bool:
    """An HCL identifier (hclsyntax.ValidIdentifier): a letter or '_', then
    letters, digits, '_' or '-'."""
    return bool(name) and _ident_start(name[0]) and all(_ident_continue(c) for c in name[1:])


def _tokens(expr: str) -> list[_Tok]:
    toks: list[_Tok] = []
    stack: list[str] = []
    i, n = 0, len(expr)

    def newline(at: int) -> None:
        # significant only directly inside an object's braces
        if stack and stack[-1] == "{" and toks[-1].kind != "nl":
            toks.append(_Tok("nl", "\n", at))

    while i < n:
        c = expr[i]
        if c in " \t":
            i += 1
        elif c == "\n" or expr.startswith("\r\n", i):
            newline(i)
            i += 2 if c == "\r" else 1
        elif c == "#" or expr.startswith("//", i):
            end = expr.find("\n", i)
            i = n if end < 0 else end  # the newline itself is the separator
        elif expr.startswith("/*", i):
            end = expr.find("*/", i + 2)
            if end < 0:
                raise TypeExprError(f"unterminated /* comment at offset {i}")
            i = end + 2
        elif c in _PUNCT:
            if c in _OPEN:
                stack.append(c)
                if len(stack) > MAX_NESTING:
                    raise TypeExprError(f"nested deeper than {MAX_NESTING} brackets at offset {i}")
            elif c in ")]}" and stack:
                stack.pop()
            toks.append(_Tok(c, c, i))
            i += 1
        elif _ident_start(c):
            j = i + 1
            while j < n and _ident_continue(expr[j]):
                j += 1
            toks.append(_Tok("ident", expr[i:j], i))
            i = j
        else:
            raise TypeExprError(f"unexpected character {c!r} at offset {i}")
    return toks


class _Parser:
    def __init__(self, expr: str) -> None:
        self.expr = expr
        self.toks = _tokens(expr)
        self.i = 0

    def peek(self) -> _Tok | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def fail(self, what: str) -> TypeExprError:
        tok = self.peek()
        got = "end of input" if tok is None else repr(tok.text)
        at = len(self.expr) if tok is None else tok.at
        return TypeExprError(f"expected {what} at offset {at}, got {got}")

    def take(self, kind: str, what: str | None = None) -> _Tok:
        tok = self.peek()
        if tok is None or tok.kind != kind:
            raise self.fail(what or repr(kind))
        self.i += 1
        return tok

    def skip_nl(self) -> None:
        while (tok := self.peek()) is not None and tok.kind == "nl":
            self.i += 1

    def args(self, name: str, one: str) -> None:
        """After `name(` and one argument: allow a trailing comma, then `)`."""
        tok = self.peek()
        if tok is not None and tok.kind == ",":
            self.i += 1
        tok = self.peek()
        if tok is None:
            raise self.fail(f"')' closing {name}(")
        if tok.kind != ")":
            raise TypeExprError(
                f"{name}(...) takes exactly one argument, {one}"
                + ("" if tok is None else f" (offset {tok.at})")
            )
        self.i += 1

    def type(self, in_object: bool = False) -> str:
        tok = self.take("ident", "a type")
        name = tok.text
        nxt = self.peek()
        called = nxt is not None and nxt.kind == "("
        if name in _PRIMITIVES:
            if called:
                raise TypeExprError(f"{name!r} at offset {tok.at} is not a type constructor")
            return name
        if name not in _COLLECTIONS and name not in ("object", "tuple", "optional"):
            raise TypeExprError(
                f"unknown type {name!r} at offset {tok.at} (expected string, number, bool, "
                "any, list(T), set(T), map(T), object({...}) or tuple([...]))"
            )
        if name == "optional" and not in_object:
            raise TypeExprError(
                f"optional(T) at offset {tok.at} is valid only as an object attribute's type"
            )
        if not called:
            raise TypeExprError(f"{name!r} at offset {tok.at} needs an argument: {name}(...)")
        self.i += 1  # (
        if name in _COLLECTIONS:
            inner = self.type()
            self.args(name, "the element type")
            return f"{name}({inner})"
        if name == "optional":
            inner = self.type()
            self.args(name, "the attribute type (defaults are not supported)")
            return f"optional({inner})"
        if name == "object":
            body = self.object_body()
            self.args(name, "the attribute types as {name = type, ...}")
            return "object({" + body + "})"
        items = self.tuple_body()
        self.args(name, "the element types as [type, ...]")
        return "tuple([" + items + "])"

    def object_body(self) -> str:
        self.take("{", "'{' (object attributes)")
        attrs: dict[str, str] = {}
        self.skip_nl()
        while (tok := self.peek()) is not None and tok.kind != "}":
            key = self.take("ident", "an attribute name")
            if key.text in attrs:
                raise TypeExprError(f"attribute {key.text!r} at offset {key.at} is repeated")
            sep = self.peek()
            if sep is None or sep.kind not in ("=", ":"):
                raise self.fail("'=' after the attribute name")
            self.i += 1
            attrs[key.text] = self.type(in_object=True)
            end = self.peek()
            if end is None:
                break
            if end.kind in (",", "nl"):
                self.i += 1
                self.skip_nl()
            elif end.kind != "}":
                raise self.fail("',' or a newline between attributes")
        self.take("}", "'}'")
        return ",".join(f"{k}={attrs[k]}" for k in sorted(attrs))

    def tuple_body(self) -> str:
        self.take("[", "'[' (tuple element types)")
        items: list[str] = []
        while (tok := self.peek()) is not None and tok.kind != "]":
            items.append(self.type())
            end = self.peek()
            if end is not None and end.kind == ",":
                self.i += 1
            elif end is None or end.kind != "]":
                raise self.fail("',' between tuple elements")
        self.take("]", "']'")
        return ",".join(items)


def canonical_type(expr: str) -> str:
    """Parse `expr` as Nomad does; return its canonical form or raise TypeExprError."""
    if not expr.strip():
        raise TypeExprError("expected a type, got an empty string")
    p = _Parser(expr)
    result = p.type()
    if (tok := p.peek()) is not None:
        raise TypeExprError(f"unexpected {tok.text!r} at offset {tok.at} after the type")
    return result
