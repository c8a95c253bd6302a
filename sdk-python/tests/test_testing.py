"""yurt.testing: the in-process client maps wire results back to public types."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest

import yurt
from yurt import hclspec
from yurt.device import Attribute, Device, DeviceGroup, Mount, Reservation
from yurt.driver import ExitResult, Fingerprint, HealthState, TaskConfig, TaskHandle, TaskState
from yurt.errors import PluginError, RecoverableError, TaskNotFoundError
from yurt.testing import PluginInfo, connect


@dataclass
class Cfg:
    greeting: str = "hi"


@dataclass
class TaskCfg:
    exit_code: int


class Toy(yurt.DriverPlugin):
    name = "toy"
    version = "9.9.9"
    config_spec = hclspec.obj(greeting=hclspec.attr("greeting", "string"))
    config_type = Cfg
    task_config_spec = hclspec.obj(exit_code=hclspec.attr("exit_code", "number", True))
    task_config_type = TaskCfg

    def __init__(self) -> None:
        super().__init__()
        self.results: dict[str, ExitResult] = {}

    async def fingerprint(self) -> AsyncIterator[Fingerprint]:
        yield Fingerprint(HealthState.HEALTHY, "ok", {"toy.greeting": self.config.greeting})
        await asyncio.Event().wait()

    async def start_task(self, task: TaskConfig) -> TaskHandle:
        if task.driver_config.exit_code < 0:
            raise RecoverableError("negative exit codes are retried")
        self.results[task.id] = ExitResult(exit_code=task.driver_config.exit_code)
        handle = TaskHandle(config=task)
        handle.set_state({"code": task.driver_config.exit_code})
        return handle

    async def recover_task(self, handle: TaskHandle) -> None:
        assert handle.config.driver_config is None
        self.results[handle.config.id] = ExitResult(exit_code=msgpack_code(handle))

    async def wait_task(self, task_id: str) -> ExitResult:
        if task_id not in self.results:
            raise TaskNotFoundError(task_id)
        return self.results[task_id]


def msgpack_code(handle: TaskHandle) -> int:
    @dataclass
    class S:
        code: int

    state = handle.get_state(S)
    assert state is not None
    return int(state.code)


class Dev(yurt.DevicePlugin):
    name = "dev"

    async def fingerprint(self) -> AsyncIterator[list[DeviceGroup]]:
        yield [
            DeviceGroup(
                "v",
                "t",
                "n",
                (Device("d1", pci_bus_id="0000:01"),),
                {"mem": Attribute(4, "GiB"), "x": True},
            )
        ]

    async def reserve(self, device_ids: list[str]) -> Reservation:
        if device_ids != ["d1"]:
            raise PluginError(f"unknown device IDs: {', '.join(device_ids)}")
        return Reservation(envs={"D": "d1"}, mounts=(Mount("/dev/d1", "/host/d1", True),))


async def test_driver_round_trip() -> None:
    async with connect(Toy()) as client:
        assert await client.plugin_info() == PluginInfo(
            "toy", yurt.PluginType.DRIVER, "9.9.9", ("v0.1.0",)
        )
        await client.set_config(Cfg(greeting="hello"))
        fp = await client.fingerprint()
        assert fp.attributes == {"toy.greeting": "hello"}
        handle = await client.start_task(TaskConfig(id="t1", driver_config=TaskCfg(exit_code=3)))
        assert handle.state == TaskState.RUNNING
        assert handle.config.id == "t1"
        assert (await client.wait_task("t1")).exit_code == 3
        with pytest.raises(RecoverableError) as rec:
            await client.start_task(TaskConfig(id="t2", driver_config={"exit_code": -1}))
        assert rec.value.recoverable
        with pytest.raises(TaskNotFoundError):
            await client.wait_task("nope")
        with pytest.raises(yurt.ConfigError) as cfg_err:
            await client.start_task(TaskConfig(id="t3", driver_config={"exit_code": "x"}))
        assert cfg_err.value.path == "task.config.exit_code"
        with pytest.raises(NotImplementedError):
            await client.signal_task("t1", "SIGINT")


async def test_recover_drops_the_driver_config() -> None:
    first = Toy()
    async with connect(first) as client:
        handle = await client.start_task(TaskConfig(id="r1", driver_config=TaskCfg(exit_code=9)))
    async with connect(Toy()) as client:
        await client.recover_task(handle)
        assert (await client.wait_task("r1")).exit_code == 9


async def test_device_round_trip() -> None:
    async with connect(Dev()) as client:
        (group,) = await client.device_fingerprint()
        assert group == DeviceGroup(
            "v",
            "t",
            "n",
            (Device("d1", pci_bus_id="0000:01"),),
            {"mem": Attribute(4, "GiB"), "x": True},
        )
        res = await client.reserve(["d1"])
        assert res == Reservation(envs={"D": "d1"}, mounts=(Mount("/dev/d1", "/host/d1", True),))
        with pytest.raises(PluginError, match="unknown device IDs: zz"):
            await client.reserve(["zz"])


async def test_connect_refuses_a_misdefined_plugin() -> None:
    class Nameless(yurt.DevicePlugin):
        pass

    with pytest.raises(ValueError, match=r"Nameless\.name: expected a non-empty string"):
        async with connect(Nameless()):
            pass
