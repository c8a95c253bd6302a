"""The examples driven in-process with yurt.testing, as a plugin author would."""

from __future__ import annotations

from pathlib import Path

import pytest
from filedev_device import FileDev, FileDevConfig
from pyexec_driver import DriverConfig, PyExec, TaskSpec

from yurt.driver import TaskConfig
from yurt.errors import ConfigError, PluginError
from yurt.testing import connect


async def test_pyexec_in_process(tmp_path: Path) -> None:
    async with connect(PyExec()) as client:
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


async def test_filedev_in_process(tmp_path: Path) -> None:
    f = tmp_path / "dev0"
    f.write_text("x")
    async with connect(FileDev()) as client:
        with pytest.raises(ConfigError) as err:
            await client.set_config(FileDevConfig(paths=["rel"]))
        assert err.value.path == "config.paths[0]"
        await client.set_config(FileDevConfig(paths=[str(f)], fingerprint_period="1s"))
        (group,) = await client.device_fingerprint()
        assert [d.id for d in group.devices] == [str(f)]
        with pytest.raises(PluginError, match="unknown device IDs"):
            await client.reserve(["/nope"])


def test_group_members_scan_proc_only_once_per_rescan_period() -> None:
    """Stats samples reuse the last full /proc scan's pids until the rescan
    period is over; a dead member drops out at once, a new one at the rescan."""
    import os
    import signal
    import subprocess
    import time

    from pyexec_driver import GroupMembers, _group_pids, _proc_usage

    leader = subprocess.Popen(
        ["sh", "-c", "sleep 30 & read x; sleep 30 & wait"],
        stdin=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        pgid = leader.pid

        def wait_group(n: int) -> list[int]:
            for _ in range(200):
                pids = _group_pids(pgid)
                if len(pids) == n:
                    return pids
                time.sleep(0.01)
            raise AssertionError(f"group {pgid} never had {n} members")

        first = wait_group(2)  # sh and the first sleep
        members = GroupMembers(pgid, rescan=3600)
        assert sorted(members.pids()) == sorted(first)
        assert leader.stdin is not None
        leader.stdin.write(b"go\n")
        leader.stdin.flush()
        wait_group(3)
        assert sorted(members.pids()) == sorted(first), "inside the period: the cached pids"
        assert members.scans == 1
        members.rescan = 0
        assert len(members.pids()) == 3, "the rescan finds the new process"
        assert members.scans == 2
        sleeper = next(p for p in first if p != pgid)
        os.kill(sleeper, signal.SIGKILL)
        for _ in range(200):
            if _proc_usage(sleeper, pgid) is None:
                break
            time.sleep(0.01)
        assert _proc_usage(sleeper, pgid) is None, "a killed member is not counted"
    finally:
        os.killpg(leader.pid, signal.SIGKILL)
        leader.wait()
