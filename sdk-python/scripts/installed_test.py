"""A plugin author's first test, run by check_package.sh OUTSIDE the repository.

check_package.sh copies this file (as test_hello.py) and the README quickstart
driver (hello_driver.py) into an empty directory and runs pytest there with the
scratch venv that installed the built wheel with its `[testing]` extra: so
pytest, pytest-asyncio and yurt.testing come from the package, not the repo.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

import yurt
from yurt.driver import TaskConfig, TaskState
from yurt.testing import connect

HERE = Path(__file__).resolve().parent


def load_driver() -> ModuleType:
    spec = importlib.util.spec_from_file_location("hello_driver", HERE / "hello_driver.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_yurt_is_the_installed_wheel() -> None:
    # Not the repository's src/ tree: the package under test is the wheel.
    assert "site-packages" in Path(yurt.__file__).parts, yurt.__file__


@pytest.mark.asyncio
async def test_quickstart_driver_runs_a_task(tmp_path: Path) -> None:
    hello = load_driver()
    out = tmp_path / "stdout"
    async with connect(hello.Hello()) as client:
        assert (await client.plugin_info()).name == "hello"
        await client.set_config(hello.HelloConfig())
        task = TaskConfig(
            id="t1",
            name="greet",
            driver_config=hello.TaskSpec(command="sh", args=["-c", "echo hi; exit 3"]),
            env={"PATH": "/usr/bin:/bin"},
            stdout_path=str(out),
            stderr_path=str(tmp_path / "stderr"),
        )
        await client.start_task(task)
        assert (await client.wait_task("t1")).exit_code == 3
        assert (await client.inspect_task("t1")).state == TaskState.EXITED
        assert "hi" in out.read_text()
        await client.destroy_task("t1")
