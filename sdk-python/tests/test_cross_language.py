"""One state format, three SDKs: a task started by one language's supervision layer is
found, signalled, waited for, stopped and destroyed by each other language's layer.

The state format is defined once, in proto/yurt/supervise/v1/supervise.proto. Each SDK has a
small command-line front end over its layer (Go: go/plugin/supervise/internal/supervisetest,
Rust: the yurt-supervise crate's yurt-supervise-cli, Python: tests/supervisetest.py). Every
ordered pair of different languages (six) runs the same scenario, so any drift in how one
layer writes or reads the files fails here.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TESTS = Path(__file__).resolve().parent


def _target_dir() -> Path:
    env = os.environ.get("CARGO_TARGET_DIR")
    return Path(env) if env else ROOT / "target"


@pytest.fixture(scope="module")
def tools(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    missing = [t for t in ("go", "cargo") if shutil.which(t) is None]
    if missing:
        pytest.skip(f"the cross-language test needs {' and '.join(missing)} on PATH")
    out = tmp_path_factory.mktemp("bin")
    go_cli = out / "supervisetest"
    subprocess.run(
        ["go", "build", "-o", str(go_cli), "./plugin/supervise/internal/supervisetest"],
        cwd=ROOT / "go",
        check=True,
    )
    # `make -C sdk-python test` has built the Rust front end already and names it.
    built = os.environ.get("YURT_SUPERVISE_CLI")
    if built:
        rust = Path(built)
    else:
        subprocess.run(
            ["cargo", "build", "--locked", "-q", "-j", "2", "-p", "yurt-supervise", "--bins"],
            cwd=ROOT,
            check=True,
        )
        rust = _target_dir() / "debug" / "yurt-supervise-cli"
    return {"go": go_cli, "rust": rust, "supervisor": rust.parent / "yurt-supervise"}


class Layer:
    """One language's command-line front end, spoken in one vocabulary."""

    def __init__(self, lang: str, tools: dict[str, Path]) -> None:
        self.lang = lang
        self.tools = tools

    def _run(self, *args: str) -> str:
        if self.lang == "go":
            argv = [str(self.tools["go"]), *args]
        elif self.lang == "rust":
            argv = [str(self.tools["rust"]), *args]
        else:
            argv = [sys.executable, str(TESTS / "supervisetest.py"), *args]
        env = dict(os.environ, YURT_SUPERVISE_PROGRAM=str(self.tools["supervisor"]))
        p = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=60)
        assert p.returncode == 0, f"{self.lang} {args[0]}: {p.stdout}{p.stderr}"
        return p.stdout.strip()

    def _ref(self, handle: bytes) -> str:
        # Go and Python take base64, the Rust front end hex.
        return handle.hex() if self.lang == "rust" else base64.b64encode(handle).decode()

    def start(self, state_dir: Path, argv: list[str]) -> bytes:
        if self.lang == "rust":
            return bytes.fromhex(self._run("start", str(state_dir), "", "", "--", *argv))
        spec = {"command": argv[0], "args": argv[1:], "env": [f"PATH={os.environ['PATH']}"]}
        out = json.loads(self._run("start", str(state_dir), json.dumps(spec)))
        return base64.b64decode(out["handle"])

    def exit(self, handle: bytes) -> dict[str, int] | None:
        out = self._run("exit", self._ref(handle))
        if self.lang == "rust":
            return None if out == "running" else _fields(out)
        got = json.loads(out)
        return got if got["done"] else None

    def signal(self, handle: bytes, sig: str) -> None:
        self._run("signal", self._ref(handle), sig)

    def wait(self, handle: bytes) -> dict[str, int]:
        if self.lang == "rust":
            return _fields(self._run("wait", self._ref(handle)))
        got: dict[str, int] = json.loads(self._run("reattach-wait", self._ref(handle), "30s"))
        return got

    def stop(self, handle: bytes, sig: str, seconds: int) -> dict[str, int]:
        if self.lang == "rust":
            return _fields(self._run("stop", self._ref(handle), sig, str(seconds * 1000)))
        got: dict[str, int] = json.loads(self._run("stop", self._ref(handle), sig, f"{seconds}s"))
        return got

    def destroy(self, handle: bytes) -> None:
        self._run("destroy", self._ref(handle))


def _fields(line: str) -> dict[str, int]:
    """exit_code=N signal=N oom_killed=false -> a dict like the JSON front ends give."""
    out: dict[str, int] = {}
    for part in line.split():
        key, value = part.split("=", 1)
        out[key] = int(value == "true") if key == "oom_killed" else int(value)
    return out


def _alive_with(marker: str) -> list[int]:
    """PIDs of live processes whose command line contains marker."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmd = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if marker in cmd:
            found.append(int(entry.name))
    return found


PAIRS = [(a, b) for a in ("go", "python", "rust") for b in ("go", "python", "rust") if a != b]


@pytest.mark.parametrize(("starter", "driver"), PAIRS, ids=[f"{a}-to-{b}" for a, b in PAIRS])
def test_started_by_one_driven_by_another(
    tools: dict[str, Path], tmp_path: Path, starter: str, driver: str
) -> None:
    a, b = Layer(starter, tools), Layer(driver, tools)

    # A task that traps SIGUSR1: the other layer signals it and reads its real exit code.
    trap = a.start(
        tmp_path / "trap", ["sh", "-c", 'trap "exit 42" USR1; while :; do sleep 0.05; done']
    )
    assert b.exit(trap) is None, "a running task must not look finished"
    time.sleep(0.3)  # let sh install its trap
    b.signal(trap, "SIGUSR1")
    got = b.wait(trap)
    assert (got["exit_code"], got["signal"]) == (42, 0)
    assert a.exit(trap) is not None, "the starter sees the same result"
    b.destroy(trap)
    assert not (tmp_path / "trap").exists(), "destroy removes the state directory"

    # A task with a child in its own session: stop by the other layer ends the main process
    # with its signal, and destroy leaves no process of the task behind.
    marker = f"3000.{uuid.uuid4().int % 10**6:06d}"
    tree = a.start(tmp_path / "tree", ["sh", "-c", f"setsid sleep {marker} & exec sleep {marker}"])
    deadline = time.monotonic() + 5
    while len(_alive_with(f"sleep {marker}")) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(_alive_with(f"sleep {marker}")) == 2
    got = b.stop(tree, "SIGTERM", 2)
    assert (got["exit_code"], got["signal"]) == (143, 15)
    b.destroy(tree)
    deadline = time.monotonic() + 5
    while _alive_with(f"sleep {marker}") and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _alive_with(f"sleep {marker}") == [], "a process of the task outlived destroy"
    assert not (tmp_path / "tree").exists()
