"""Tests of the code generator's import rewriting and its determinism."""

from __future__ import annotations

import hashlib
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "yurt_generate", ROOT / "sdk-python" / "scripts" / "generate.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["yurt_generate"] = module
    spec.loader.exec_module(module)
    return module


gen = _load_generator()


@pytest.mark.parametrize(
    ("here", "target", "want"),
    [
        (
            "hashicorp.nomad.plugins.drivers.proto",
            "hashicorp.nomad.plugins.shared.hclspec",
            "...shared.hclspec",
        ),
        (
            "hashicorp.nomad.plugins.device",
            "hashicorp.nomad.plugins.shared.structs",
            "..shared.structs",
        ),
        ("plugin", "plugin", "."),
        ("hashicorp.nomad.plugins.base.proto", "hashicorp.nomad.plugins.base.proto", "."),
    ],
)
def test_relative_module(here: str, target: str, want: str) -> None:
    assert gen.relative_module(here, target) == want


def test_rewrite_keeps_google_and_rewrites_local() -> None:
    text = (
        "from google.protobuf import empty_pb2 as e\n"
        "from plugin import grpc_stdio_pb2 as s\n"
        "import grpc\n"
    )
    out = gen.rewrite_imports(text, "plugin", {"plugin"})
    assert out == (
        "from google.protobuf import empty_pb2 as e\n"
        "from . import grpc_stdio_pb2 as s\n"
        "import grpc\n"
    )


def _tree_digest(folder: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        if "__pycache__" in p.parts:
            continue  # bytecode caches are build outputs (git ignores them too)
        h.update(str(p.relative_to(folder)).encode())
        if p.is_file():
            h.update(p.read_bytes())
    return h.hexdigest()


def test_generation_is_deterministic_clears_stale_and_matches_committed(tmp_path: Path) -> None:
    out = tmp_path / "_proto"
    out.mkdir()
    (out / "stale_pb2.py").write_text("stale")
    gen.generate(ROOT / "proto", out)
    assert not (out / "stale_pb2.py").exists()
    first = _tree_digest(out)
    gen.generate(ROOT / "proto", out)
    assert _tree_digest(out) == first
    assert first == _tree_digest(ROOT / "sdk-python" / "src" / "yurt" / "_proto"), (
        "committed generated code is stale: run `make -C sdk-python generate`"
    )
    for path in out.rglob("*.py"):
        text = path.read_text()
        assert "from hashicorp" not in text, path
        assert "from plugin " not in text, path
