"""Start-up work the SDK defers or caches (BENCHMARKS.md, Python cold start).

- yurt._dcache: the SDK's dataclasses are the standard ones, with the method source that
  `dataclasses` compiles looked up in a cache of code objects first.
- Lazy imports: importing `yurt` (what a plugin needs to start and answer PluginInfo) loads
  neither msgpack, decimal, the supervision layer nor cryptography.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import marshal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import yurt
from yurt import _dcache


@pytest.fixture
def fresh_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache state reading and writing tmp_path/cache.bin."""
    path = tmp_path / "cache.bin"
    monkeypatch.setattr(_dcache, "CACHE_PATH", str(path))
    monkeypatch.setattr(_dcache, "_file", None)
    monkeypatch.setattr(_dcache, "_codes", {})
    monkeypatch.setattr(_dcache, "_used", {})
    monkeypatch.setattr(_dcache, "_missed", False)
    return path


def _declare(decorator: Any) -> Any:
    @decorator(frozen=True)
    class Point:
        x: int
        y: int = 0
        tags: list[str] = dataclasses.field(default_factory=list, compare=False)

        def norm1(self) -> int:
            return abs(self.x) + abs(self.y)

    return Point


def test_dcache_classes_behave_as_stdlib_dataclasses(fresh_cache: Path) -> None:
    ours: Any = _declare(_dcache.dataclass)
    std: Any = _declare(dataclasses.dataclass)
    assert [f.name for f in dataclasses.fields(ours)] == ["x", "y", "tags"]
    a, b = ours(1, 2, ["a"]), ours(1, 2, ["b"])
    assert a == b
    assert hash(a) == hash(b)
    assert ours(1) != ours(2)
    assert repr(a).endswith("Point(x=1, y=2, tags=['a'])")
    assert repr(a).split(".")[-1] == repr(std(1, 2, ["a"])).split(".")[-1]
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.x = 3
    assert ours(1).tags == []
    assert ours(1).tags is not ours(1).tags
    assert dataclasses.replace(a, x=5).norm1() == 7
    assert ours.__match_args__ == ("x", "y", "tags")
    with pytest.raises(TypeError, match="missing 1 required positional argument: 'x'"):
        ours()
    # Outside the decorator, dataclasses' own exec is untouched.
    assert "exec" not in vars(dataclasses)


def test_dcache_hit_skips_compile(fresh_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _declare(_dcache.dataclass)
    n = _dcache.write_cache(str(fresh_cache), modules=())
    assert n >= 5  # __init__, __repr__, __eq__, __hash__, __setattr__, __delattr__
    # A fresh process (state cleared) reads the file and compiles nothing.
    monkeypatch.setattr(_dcache, "_file", None)
    monkeypatch.setattr(_dcache, "_codes", {})

    def no_compile(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError(f"compiled despite the cache: {args[0][:60]!r}")

    monkeypatch.setattr(_dcache, "compile", no_compile, raising=False)
    point = _declare(_dcache.dataclass)
    assert point(3, -4).norm1() == 7
    assert point(1) == point(1)


def test_dcache_ignores_a_foreign_or_corrupt_file(
    fresh_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    real = compile

    def counting(source: str, *args: Any, **kwargs: Any) -> Any:
        calls.append(source)
        return real(source, *args, **kwargs)

    monkeypatch.setattr(_dcache, "compile", counting, raising=False)
    for data in (
        b"\0\0\0\0" + marshal.dumps({__name__: marshal.dumps({})}),  # another Python's magic
        importlib.util.MAGIC_NUMBER + b"garbage",
        importlib.util.MAGIC_NUMBER + marshal.dumps({__name__: b"not marshal"}),
        importlib.util.MAGIC_NUMBER + marshal.dumps(["not", "a", "dict"]),
    ):
        fresh_cache.write_bytes(data)
        monkeypatch.setattr(_dcache, "_file", None)
        monkeypatch.setattr(_dcache, "_codes", {})
        calls.clear()
        point = _declare(_dcache.dataclass)
        assert calls, "nothing compiled: a bad cache file was used"
        assert point(1, 2).norm1() == 3


def test_dcache_refresh_writes_like_bytecode(
    fresh_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A start that had to compile fills the cache, unless bytecode may not be written."""
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    _declare(_dcache.dataclass)
    _dcache.refresh()
    assert not fresh_cache.exists()
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    _dcache.refresh()
    blobs = marshal.loads(fresh_cache.read_bytes()[len(importlib.util.MAGIC_NUMBER) :])
    assert len(marshal.loads(blobs[__name__])) >= 5
    # Nothing compiled since (all hits): nothing to write.
    fresh_cache.unlink()
    monkeypatch.setattr(_dcache, "_file", None)
    monkeypatch.setattr(_dcache, "_codes", {})
    monkeypatch.setattr(_dcache, "_missed", False)
    _dcache.refresh()
    assert not fresh_cache.exists()


def test_dcache_covers_every_sdk_dataclass(tmp_path: Path) -> None:
    """`python -m yurt._precompile` caches every method the SDK's dataclasses generate."""
    path = tmp_path / "all.bin"
    out = subprocess.run(
        [sys.executable, "-m", "yurt._precompile", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "dataclass methods compiled into" in out.stdout, out
    blobs = marshal.loads(path.read_bytes()[len(importlib.util.MAGIC_NUMBER) :])
    for module in ("yurt.base", "yurt.hclspec", "yurt.driver.types", "yurt.device"):
        assert marshal.loads(blobs[module]), module


def test_import_yurt_defers_what_starting_does_not_need() -> None:
    code = (
        "import sys, yurt, yurt.driver, yurt.supervise;"
        "print(sorted(m for m in ('msgpack', 'decimal', 'cryptography', 'yurt.supervise._task',"
        " 'yurt.supervise._state', 'yurt._tls') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout
    # Each deferred name still resolves on first use.
    from yurt import supervise

    assert supervise.TaskSpec is supervise._state.TaskSpec
    assert callable(supervise.start)
    assert "start" in dir(supervise)
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        _ = supervise.nope
    assert yurt.config.unpack(yurt.config.encode({"a": 1, "n": 2**70})) == {"a": 1, "n": str(2**70)}
