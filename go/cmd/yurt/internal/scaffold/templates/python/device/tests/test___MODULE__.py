"""Tests for the __NAME__ device plugin: yurt.testing serves it in-process over real gRPC
and makes Nomad's calls."""

from __future__ import annotations

import pytest
from __MODULE__ import __TYPE__, PluginConfig
from yurt.errors import ConfigError, PluginError
from yurt.testing import connect


@pytest.mark.asyncio
async def test_fingerprints_and_reserves_the_configured_devices() -> None:
    async with connect(__TYPE__()) as client:
        assert (await client.plugin_info()).name == "__NAME__"
        await client.set_config(PluginConfig(ids=["a", "b"]))
        groups = await client.device_fingerprint()
        assert [d.id for d in groups[0].devices] == ["a", "b"]
        reservation = await client.reserve(["b"])
        assert reservation.envs == {"__ENV___DEVICES": "b"}
        with pytest.raises(PluginError, match="unknown device IDs: c"):
            await client.reserve(["c"])


@pytest.mark.asyncio
async def test_rejects_a_bad_config() -> None:
    async with connect(__TYPE__()) as client:
        with pytest.raises(ConfigError, match="config.ids"):
            await client.set_config(PluginConfig(ids=[""]))
