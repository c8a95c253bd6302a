"""The python-files example device plugin, launched through its launcher."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import grpc
import msgpack
import pytest
from gohost import host_env, launch
from google.protobuf import duration_pb2

from yurt._proto.hashicorp.nomad.plugins.base.proto import base_pb2, base_pb2_grpc
from yurt._proto.hashicorp.nomad.plugins.device import device_pb2, device_pb2_grpc

LAUNCHER = Path(__file__).resolve().parents[1] / "python-files" / "python-files"


@pytest.fixture
def files(tmp_path: Path) -> list[Path]:
    a, b = tmp_path / "a.img", tmp_path / "b.img"
    a.write_bytes(b"x" * 10)
    b.write_bytes(b"y" * 3)
    return [a, b]


@pytest.fixture
def stubs(
    files: list[Path],
) -> Iterator[tuple[base_pb2_grpc.BasePluginStub, device_pb2_grpc.DevicePluginStub]]:
    plugin = launch(LAUNCHER, host_env())
    try:
        with grpc.insecure_channel(plugin.target) as ch:
            base = base_pb2_grpc.BasePluginStub(ch)
            base.SetConfig(
                base_pb2.SetConfigRequest(
                    msgpack_config=msgpack.packb(
                        {"paths": [str(p) for p in files], "fingerprint_period": "100ms"}
                    )
                ),
                timeout=10,
            )
            yield base, device_pb2_grpc.DevicePluginStub(ch)
    finally:
        plugin.kill()


def test_fingerprint_reports_configured_files_and_changes(
    stubs: tuple[object, device_pb2_grpc.DevicePluginStub], files: list[Path]
) -> None:
    _, dev = stubs
    stream = dev.Fingerprint(device_pb2.FingerprintRequest(), timeout=20)
    it = iter(stream)
    first = next(it)
    (group,) = first.device_group
    assert (group.vendor, group.device_type, group.device_name) == ("yurt", "file", "file")
    assert [d.ID for d in group.devices] == [str(p) for p in files]
    assert all(d.healthy for d in group.devices)
    files[1].unlink()
    second = next(it)
    health = {d.ID: d.healthy for d in second.device_group[0].devices}
    assert health == {str(files[0]): True, str(files[1]): False}
    stream.cancel()


def test_reserve(stubs: tuple[object, device_pb2_grpc.DevicePluginStub], files: list[Path]) -> None:
    _, dev = stubs
    res = dev.Reserve(
        device_pb2.ReserveRequest(device_ids=[str(files[0])]), timeout=10
    ).container_res
    assert res.envs["YURT_FILE_DEVICES"] == str(files[0])
    assert [(m.task_path, m.host_path) for m in res.mounts] == [("/dev/yurt/a.img", str(files[0]))]
    with pytest.raises(grpc.RpcError) as err:
        dev.Reserve(device_pb2.ReserveRequest(device_ids=["/nope"]), timeout=10)
    assert err.value.details() == "unknown device IDs: /nope"


def test_stats(stubs: tuple[object, device_pb2_grpc.DevicePluginStub], files: list[Path]) -> None:
    _, dev = stubs
    stream = dev.Stats(
        device_pb2.StatsRequest(collection_interval=duration_pb2.Duration(nanos=50_000_000)),
        timeout=10,
    )
    first = next(iter(stream))
    stats = first.groups[0].instance_stats
    assert stats[str(files[0])].summary.int_numerator_val.value == 10
    assert stats[str(files[1])].summary.unit == "bytes"
    stream.cancel()


def test_bad_config_is_named(files: list[Path]) -> None:
    plugin = launch(LAUNCHER, host_env())
    try:
        with grpc.insecure_channel(plugin.target) as ch:
            base = base_pb2_grpc.BasePluginStub(ch)
            for cfg, message in [
                (
                    {"paths": ["relative"]},
                    "config.paths[0]: expected an absolute path, got 'relative'",
                ),
                (
                    {"fingerprint_period": "soon"},
                    "config.fingerprint_period: expected a positive duration",
                ),
                ({"paths": "x"}, "config.paths: expected list[string], got string 'x'"),
            ]:
                with pytest.raises(grpc.RpcError) as err:
                    base.SetConfig(
                        base_pb2.SetConfigRequest(msgpack_config=msgpack.packb(cfg)), timeout=10
                    )
                assert (err.value.details() or "").startswith(message)
    finally:
        plugin.kill()
