"""The SDK's dataclasses, with their generated methods cached like bytecode.

`dataclasses.dataclass` writes the source of each class's `__init__`, `__repr__`,
`__eq__`, `__hash__` (and `__setattr__`/`__delattr__` when frozen) and compiles it with
`exec` at import. For the SDK's ~40 public dataclasses that compilation was most of a
plugin's own start-up time (BENCHMARKS.md). `dataclass` here is the standard decorator,
unchanged, except that the source `dataclasses` hands to `exec` is looked up first in a
cache of code objects compiled from that exact source: a hit runs the same code the
compiler would have produced (compiled with no inherited `__future__` flags, as
`dataclasses` itself has none), a miss compiles as before. So the classes, their methods
and their behaviour are those of `dataclasses.dataclass`; only the compile is skipped.

The cache is a marshal file in the package's `__pycache__`, named for the interpreter's
cache tag and checked against its bytecode magic number, so another Python never reads
it. It is written by `python -m yurt._precompile` (the SDK's `make venv` and the benchmarks
run it, as they run `compileall`), and by a plugin that had to compile, once it serves,
unless bytecode may not be written (`refresh`). Like bytecode it is only an accelerator:
missing, stale or unreadable, the SDK compiles as `dataclasses` does.
"""

from __future__ import annotations

import builtins
import contextlib
import dataclasses
import importlib
import importlib.util
import marshal
import os
import sys
import threading
from types import CodeType
from typing import Any, TypeVar

__all__ = ["CACHE_PATH", "dataclass", "refresh", "write_cache"]

T = TypeVar("T")

CACHE_PATH = os.path.join(
    os.path.dirname(__file__), "__pycache__", f"_dataclasses.{sys.implementation.cache_tag}.bin"
)
_MAGIC = importlib.util.MAGIC_NUMBER

_lock = threading.Lock()
_file: dict[str, bytes] | None = None  # module name -> marshalled {source: code}; read once
_codes: dict[str, dict[str, CodeType]] = {}  # per module: cached, then compiled here
_used: dict[str, dict[str, CodeType]] = {}  # per module: what this process looked up
_module = ""  # the module whose class is being processed (under _lock)
_missed = False  # something was compiled: the cache file lacks it


def _read_file() -> dict[str, bytes]:
    try:
        with open(CACHE_PATH, "rb") as f:
            data = f.read()
        if data[: len(_MAGIC)] != _MAGIC:
            return {}
        blobs = marshal.loads(data[len(_MAGIC) :])
    except (OSError, ValueError, EOFError, TypeError):
        return {}
    if not isinstance(blobs, dict):
        return {}
    return {k: v for k, v in blobs.items() if isinstance(k, str) and isinstance(v, bytes)}


def _module_codes(module: str) -> dict[str, CodeType]:
    global _file
    codes = _codes.get(module)
    if codes is None:
        if _file is None:
            _file = _read_file()
        codes = {}
        blob = _file.get(module)
        with contextlib.suppress(ValueError, EOFError, TypeError):
            loaded = marshal.loads(blob) if blob else {}
            if isinstance(loaded, dict):
                codes = {
                    k: v
                    for k, v in loaded.items()
                    if isinstance(k, str) and isinstance(v, CodeType)
                }
        _codes[module] = codes
    return codes


def _exec(source: Any, globals: Any = None, locals: Any = None, /) -> None:
    """`exec` as `dataclasses` calls it, with str sources compiled through the cache."""
    global _missed
    if isinstance(source, str):
        codes = _module_codes(_module)
        code = codes.get(source)
        if code is None:
            code = codes[source] = compile(source, "<string>", "exec", dont_inherit=True)
            _missed = True
        _used.setdefault(_module, {})[source] = code
        source = code
    builtins.exec(source, globals, locals)


def dataclass(cls: type[T] | None = None, /, **kwargs: Any) -> Any:
    """`dataclasses.dataclass(cls, **kwargs)`, compiling through the cache."""

    def wrap(c: type[T]) -> type[T]:
        global _module
        with _lock:
            had = dataclasses.__dict__.get("exec")
            dataclasses.exec = _exec  # type: ignore[attr-defined]
            _module = c.__module__
            try:
                out: type[T] = dataclasses.dataclass(c, **kwargs)
            finally:
                if had is None:
                    del dataclasses.exec  # type: ignore[attr-defined]
                else:
                    dataclasses.exec = had  # type: ignore[attr-defined]
        return out

    if cls is None:
        return wrap
    return wrap(cls)


# Every SDK module that declares dataclasses with this decorator.
_MODULES = (
    "yurt._handshake",
    "yurt._serve",
    "yurt.base",
    "yurt.hclspec",
    "yurt.driver.types",
    "yurt.device",
    "yurt.testing",
    "yurt.supervise._state",
    "yurt.supervise._stats",
)


def write_cache(path: str = CACHE_PATH, modules: tuple[str, ...] = _MODULES) -> int:
    """Import `modules` and write every source they compiled or found to `path` (atomically).

    Entries of the file for modules this process did not load are kept.
    """
    for name in modules:
        importlib.import_module(name)
    blobs = dict(_file if _file is not None and path == CACHE_PATH else {})
    blobs.update({m: marshal.dumps(dict(sorted(c.items()))) for m, c in _used.items()})
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = f"{path}.{os.getpid()}.tmp"
    try:
        with open(tmp, "wb") as f:
            f.write(_MAGIC + marshal.dumps(dict(sorted(blobs.items()))))
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return sum(len(c) for c in _used.values())


def refresh() -> None:
    """Write the cache when this process had to compile, unless bytecode may not be written.

    serve() calls it once the plugin is up, so that an install without the build step
    (`python -m yurt._precompile`), or an SDK upgraded in place, fills the cache on its first
    start, as Python writes `.pyc` files; with PYTHONDONTWRITEBYTECODE (or -B) it does nothing.
    """
    if not _missed or sys.dont_write_bytecode:
        return
    with contextlib.suppress(OSError):
        write_cache(CACHE_PATH, modules=())
