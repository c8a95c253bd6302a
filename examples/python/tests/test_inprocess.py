"""The examples driven in-process with yurt.testing, as a plugin author would."""

from __future__ import annotations

from pathlib import Path

import pytest
from python_exec import DriverConfig, PythonExec, TaskSpec
from python_files import PythonFiles, PythonFilesConfig

from yurt.driver import TaskConfig
from yurt.errors import ConfigError, PluginError
from yurt.testing import connect


async def test_python_exec_in_process(tmp_path: Path) -> None:
    async with connect(PythonExec()) as client:
        await client.set_config(DriverConfig(state_dir=str(tmp_path / "state")))
        task = TaskConfig(
            id="ip1",
            driver_config=TaskSpec(command="sh", args=["-c", "echo $X; exit 6"]),
            env={"X": "in-process", "PATH": "/usr/bin:/bin"},
            stdout_path=str(tmp_path / "out"),
        )
        handle = await client.start_task(task)
        assert handle.driver_state
        assert (await client.wait_task("ip1")).exit_code == 6
        assert (tmp_path / "out").read_text() == "in-process\n"
        status = await client.inspect_task("ip1")
        assert status.exit_result is not None
        assert status.exit_result.exit_code == 6
        await client.destroy_task("ip1")


async def test_python_files_in_process(tmp_path: Path) -> None:
    f = tmp_path / "dev0"
    f.write_text("x")
    async with connect(PythonFiles()) as client:
        with pytest.raises(ConfigError) as err:
            await client.set_config(PythonFilesConfig(paths=["rel"]))
        assert err.value.path == "config.paths[0]"
        await client.set_config(PythonFilesConfig(paths=[str(f)], fingerprint_period="1s"))
        (group,) = await client.device_fingerprint()
        assert [d.id for d in group.devices] == [str(f)]
        with pytest.raises(PluginError, match="unknown device IDs"):
            await client.reserve(["/nope"])
