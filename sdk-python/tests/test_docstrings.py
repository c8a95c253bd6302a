"""Every public item of the `yurt` package has a docstring (issue 17, docs).

Public means: a module whose name does not start with `_` (and the package's
`__init__`), and in it every class, function and method whose name does not
start with `_`, including nested classes, properties and the methods of public
classes. Read from the source with `ast`, so a dataclass's generated
`__doc__` (its signature) does not count as documentation. A missing one
fails `make test`, naming each item as `module.Class.method (file:line)`.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "yurt"

Def = ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef


def public_modules(package: Path) -> list[Path]:
    """The package's public modules: `__init__.py` and every `name.py` not starting with `_`,
    in the package and in its public subpackages (`yurt/driver/types.py`, ...)."""
    return sorted(
        p
        for p in package.rglob("*.py")
        if not any(part.startswith("_") for part in p.relative_to(package).parent.parts)
        and (p.name == "__init__.py" or not p.name.startswith("_"))
    )


def undocumented(source: str, module: str, filename: str = "<src>") -> list[str]:
    """Every public item of one module's source that has no docstring."""
    tree = ast.parse(source, filename)
    missing: list[str] = []
    if ast.get_docstring(tree) is None:
        missing.append(f"{module} (module docstring) ({filename}:1)")

    def visit(body: list[ast.stmt], prefix: str) -> None:
        for node in body:
            if not isinstance(node, Def) or node.name.startswith("_"):
                continue
            name = f"{prefix}.{node.name}"
            if ast.get_docstring(node) is None and not is_overload(node):
                missing.append(f"{name} ({filename}:{node.lineno})")
            if isinstance(node, ast.ClassDef):
                visit(node.body, name)

    visit(tree.body, module)
    return missing


def is_overload(node: Def) -> bool:
    """`@overload` stubs and property setters share the documented item's docstring."""
    for dec in node.decorator_list:
        if isinstance(dec, ast.Name) and dec.id == "overload":
            return True
        if isinstance(dec, ast.Attribute) and dec.attr in ("setter", "deleter", "overload"):
            return True
    return False


def test_every_public_item_of_yurt_has_a_docstring() -> None:
    modules = public_modules(PACKAGE)
    assert len(modules) >= 8, f"found only {[m.name for m in modules]} under {PACKAGE}"
    missing: list[str] = []
    for path in modules:
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        module = ".".join(("yurt", *(parts[:-1] if parts[-1] == "__init__" else parts)))
        missing += undocumented(path.read_text(), module, str(path.relative_to(PACKAGE.parent)))
    assert not missing, "public items without a docstring:\n  " + "\n  ".join(missing)


SAMPLE = '''"""A module."""
class Documented:
    """Has one."""
    def method(self) -> None:
        pass
    def _private(self) -> None:
        pass
    @property
    def size(self) -> int:
        """Documented."""
        return 1
    @size.setter
    def size(self, value: int) -> None:
        pass
async def bare() -> None:
    pass
def _helper() -> None:
    pass
'''


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (SAMPLE, ["m.Documented.method (<src>:4)", "m.bare (<src>:15)"]),
        ("x = 1\n", ["m (module docstring) (<src>:1)"]),
        (
            '"""Doc."""\nclass C:\n    class Inner:\n        pass\n',
            ["m.C (<src>:2)", "m.C.Inner (<src>:3)"],
        ),
    ],
)
def test_the_check_names_each_missing_docstring(source: str, expected: list[str]) -> None:
    assert undocumented(source, "m") == expected
