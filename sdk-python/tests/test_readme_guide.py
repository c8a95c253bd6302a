"""examples/python/quickstart/hello_driver.py, the small driver without the supervision
layer that check_package.sh and check_ship.sh install and ship, driven over real gRPC with
yurt.testing.connect. (The README's driver is the one `yurt new` generates:
scripts/check_readme_snippets.py checks that block.)
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from yurt.driver import TaskConfig, TaskState
from yurt.errors import PluginError, TaskNotFoundError
from yurt.testing import connect

ROOT = Path(__file__).resolve().parents[2]
DRIVER = ROOT / "examples" / "python" / "quickstart" / "hello_driver.py"
ENV = {"PATH": "/usr/bin:/bin"}


def load_driver() -> ModuleType:
    spec = importlib.util.spec_from_file_location("hello_driver", DRIVER)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses resolve their annotations through it
    spec.loader.exec_module(module)
    return module


def test_driver_file_is_not_a_launcher() -> None:
    # An executable at the top of examples/python/<name>/ is taken for a plugin launcher.
    # (Directories such as __pycache__, which compileall leaves, are not files.)
    for path in DRIVER.parent.iterdir():
        if path.is_file():
            assert not path.stat().st_mode & 0o111, f"{path} must not be executable"


async def test_hello_driver(tmp_path: Path) -> None:
    hello = load_driver()
    out = tmp_path / "stdout"
    async with connect(hello.Hello()) as client:
        assert (await client.plugin_info()).name == "hello"
        await client.set_config(hello.HelloConfig(kill_signal="SIGINT"))
        task = TaskConfig(
            id="t1",
            name="greet",
            driver_config=hello.TaskSpec(command="sh", args=["-c", "echo hi; exit 3"]),
            env=ENV,
            stdout_path=str(out),
            stderr_path=str(tmp_path / "stderr"),
        )
        handle = await client.start_task(task)
        assert handle.driver_state
        assert (await client.wait_task("t1")).exit_code == 3
        assert (await client.wait_task("t1")).exit_code == 3  # WaitTask may repeat
        assert "hi" in out.read_text()
        status = await client.inspect_task("t1")
        assert status.state == TaskState.EXITED
        assert status.exit_result is not None
        assert status.exit_result.exit_code == 3
        await client.destroy_task("t1")
        for call in (
            client.wait_task("t1"),
            client.inspect_task("t1"),
            client.stop_task("t1"),
            client.destroy_task("t1"),
        ):
            with pytest.raises(TaskNotFoundError):
                await call


async def test_hello_stop_destroy_and_recover(tmp_path: Path) -> None:
    hello = load_driver()
    sleeper = TaskConfig(
        id="t2", name="nap", driver_config=hello.TaskSpec(command="sleep", args=["30"]), env=ENV
    )
    async with connect(hello.Hello()) as client:
        handle = await client.start_task(sleeper)
        with pytest.raises(PluginError, match="cannot destroy running task"):
            await client.destroy_task("t2")
        assert (await client.inspect_task("t2")).state == TaskState.RUNNING
    # A fresh plugin finds the task again from driver_state alone.
    async with connect(hello.Hello()) as client:
        await client.recover_task(handle)
        await client.recover_task(handle)  # RecoverTask may repeat
        assert (await client.inspect_task("t2")).state == TaskState.RUNNING
        await client.stop_task("t2", timeout=5, signal="SIGTERM")
        with pytest.raises(PluginError, match="exit code is unknown"):
            await client.wait_task("t2")
        await client.destroy_task("t2")
        # Its process is gone now: recovery fails loudly rather than invent an exit.
        with pytest.raises(PluginError, match="cannot recover"):
            await client.recover_task(handle)
    # A running task's own plugin stops it and reports the signal.
    async with connect(hello.Hello()) as client:
        await client.start_task(sleeper)
        await client.stop_task("t2", timeout=5, signal="")  # the plugin's kill_signal
        result = await client.wait_task("t2")
        assert (result.exit_code, result.signal) == (143, 15)
        await client.destroy_task("t2")
