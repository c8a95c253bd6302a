"""Tests for the __NAME__ driver: yurt.testing serves it in-process over real gRPC and
makes Nomad's calls."""

from __future__ import annotations

from pathlib import Path

import pytest
from __MODULE__ import __TYPE__, PluginConfig, TaskSpec
from yurt.driver import TaskConfig, TaskState
from yurt.errors import TaskNotFoundError
from yurt.testing import connect


def task(tmp_path: Path, task_id: str, *args: str) -> TaskConfig:
    (tmp_path / "task" / "private").mkdir(parents=True, exist_ok=True)
    return TaskConfig(
        id=task_id,
        name="task",
        alloc_dir=str(tmp_path),
        driver_config=TaskSpec(command="sh", args=["-c", *args]),
        env={"PATH": "/usr/bin:/bin"},
        stdout_path=str(tmp_path / "stdout"),
        stderr_path=str(tmp_path / "stderr"),
    )


@pytest.mark.asyncio
async def test_runs_a_task_and_reports_its_exit(tmp_path: Path) -> None:
    async with connect(__TYPE__()) as client:
        assert (await client.plugin_info()).name == "__NAME__"
        await client.set_config(PluginConfig())
        await client.start_task(task(tmp_path, "t1", "echo hi; exit 3"))
        assert (await client.wait_task("t1")).exit_code == 3
        assert (await client.inspect_task("t1")).state == TaskState.EXITED
        assert "hi" in (tmp_path / "stdout").read_text()
        await client.destroy_task("t1")
        with pytest.raises(TaskNotFoundError):
            await client.inspect_task("t1")


@pytest.mark.asyncio
async def test_recovers_a_task_in_a_fresh_plugin(tmp_path: Path) -> None:
    async with connect(__TYPE__()) as first:
        await first.set_config(PluginConfig())
        handle = await first.start_task(task(tmp_path, "t2", "sleep 60"))
    async with connect(__TYPE__()) as second:
        await second.set_config(PluginConfig())
        await second.recover_task(handle)
        assert (await second.inspect_task("t2")).state == TaskState.RUNNING
        await second.stop_task("t2", timeout=5, signal="SIGTERM")
        assert (await second.wait_task("t2")).signal != 0
        await second.destroy_task("t2")
