"""Smoke test of the generated code: every proto file's messages serialize and
parse, and a generated stub talks to a generated servicer over a real socket."""

from __future__ import annotations

from concurrent import futures
from pathlib import Path
from typing import Any

import grpc
import pytest
from google.protobuf import duration_pb2, empty_pb2, timestamp_pb2, wrappers_pb2
from google.protobuf.message import Message

from yurt._proto.hashicorp.nomad.plugins.base.proto import base_pb2, base_pb2_grpc
from yurt._proto.hashicorp.nomad.plugins.device import device_pb2
from yurt._proto.hashicorp.nomad.plugins.drivers.proto import (
    driver_pb2,
    exec_pb2,
    task_pb2,
    task_stats_pb2,
)
from yurt._proto.hashicorp.nomad.plugins.shared.hclspec import hclspec_pb2
from yurt._proto.hashicorp.nomad.plugins.shared.structs import (
    attribute_pb2,
    recoverable_error_pb2,
    stats_pb2,
)
from yurt._proto.plugin import grpc_broker_pb2, grpc_controller_pb2, grpc_stdio_pb2
from yurt._proto.yurt.supervise.v1 import supervise_pb2


def _samples() -> list[tuple[str, Message]]:
    spec = hclspec_pb2.Spec(
        object=hclspec_pb2.Object(
            attributes={
                "command": hclspec_pb2.Spec(
                    Attr=hclspec_pb2.Attr(name="command", type="string", required=True)
                ),
                "args": hclspec_pb2.Spec(
                    default=hclspec_pb2.Default(
                        primary=hclspec_pb2.Spec(
                            Attr=hclspec_pb2.Attr(name="args", type="list(string)")
                        ),
                        default=hclspec_pb2.Spec(literal=hclspec_pb2.Literal(value="[]")),
                    )
                ),
            }
        )
    )
    return [
        (
            "base.proto",
            base_pb2.PluginInfoResponse(
                type=base_pb2.DRIVER,
                plugin_api_versions=["v0.1.0"],
                plugin_version="0.1.0",
                name="smoke",
            ),
        ),
        (
            "driver.proto",
            driver_pb2.StartTaskResponse(
                handle=task_pb2.TaskHandle(
                    version=1,
                    config=task_pb2.TaskConfig(
                        id="t1", name="web", msgpack_driver_config=b"\x80", env={"A": "1"}
                    ),
                    state=task_pb2.TaskState.RUNNING,
                    driver_state=b"state",
                ),
            ),
        ),
        (
            "task.proto",
            task_pb2.TaskStatus(
                id="t1",
                state=task_pb2.TaskState.EXITED,
                result=task_pb2.ExitResult(exit_code=3, oom_killed=True),
            ),
        ),
        (
            "exec.proto",
            exec_pb2.ExecTaskStreamingRequest(
                setup=exec_pb2.ExecTaskStreamingRequest.Setup(
                    task_id="t1", command=["sh"], tty=True
                )
            ),
        ),
        (
            "task_stats.proto",
            task_stats_pb2.TaskResourceUsage(
                cpu=task_stats_pb2.CPUUsage(
                    percent=12.5, measured_fields=[task_stats_pb2.CPUUsage.Fields.PERCENT]
                )
            ),
        ),
        (
            "device.proto",
            device_pb2.StatsResponse(
                groups=[
                    device_pb2.DeviceGroupStats(
                        vendor="yurt",
                        type="file",
                        name="f",
                        instance_stats={
                            "d1": device_pb2.DeviceStats(
                                timestamp=timestamp_pb2.Timestamp(seconds=5, nanos=6),
                            )
                        },
                    )
                ]
            ),
        ),
        ("hclspec.proto", spec),
        ("attribute.proto", attribute_pb2.Attribute(int_val=42, unit="MiB")),
        (
            "stats.proto",
            stats_pb2.StatObject(
                attributes={
                    "used": stats_pb2.StatValue(
                        int_numerator_val=wrappers_pb2.Int64Value(value=3),
                        unit="MiB",
                        desc="used",
                    )
                },
                nested={"inner": stats_pb2.StatObject()},
            ),
        ),
        ("recoverable_error.proto", recoverable_error_pb2.RecoverableError(recoverable=True)),
        ("grpc_controller.proto", grpc_controller_pb2.Empty()),
        (
            "grpc_stdio.proto",
            grpc_stdio_pb2.StdioData(channel=grpc_stdio_pb2.StdioData.STDERR, data=b"x"),
        ),
        (
            "grpc_broker.proto",
            grpc_broker_pb2.ConnInfo(
                service_id=7,
                network="unix",
                address="/tmp/s",
                knock=grpc_broker_pb2.ConnInfo.Knock(knock=True, ack=False, error=""),
            ),
        ),
        (
            "supervise.proto",
            supervise_pb2.Handle(
                format_version=1,
                state_dir="/var/lib/yurt/t1",
                task_id="a/web/0123abcd",
                started=supervise_pb2.Started(supervisor_pid=10, pid=11, pid_start_time=99),
                driver_data=b"own",
            ),
        ),
    ]


SAMPLES = _samples()


@pytest.mark.parametrize(("proto_file", "message"), SAMPLES, ids=[s[0] for s in SAMPLES])
def test_round_trip(proto_file: str, message: Message) -> None:
    assert message.DESCRIPTOR.file.name.endswith(proto_file)
    wire = message.SerializeToString(deterministic=True)
    # A message with fields must have one set, so the round trip means something.
    assert wire or not message.DESCRIPTOR.fields
    parsed = type(message).FromString(wire)
    assert parsed == message
    assert parsed.SerializeToString(deterministic=True) == wire


def test_every_proto_file_has_a_sample() -> None:
    proto_root = Path(__file__).resolve().parents[2] / "proto"
    names = sorted(p.name for p in proto_root.rglob("*.proto"))
    assert names == sorted(s[0] for s in SAMPLES)


def test_duration_and_empty_imports_resolve() -> None:
    req = driver_pb2.StopTaskRequest(
        task_id="t", timeout=duration_pb2.Duration(seconds=2), signal="SIGTERM"
    )
    assert driver_pb2.StopTaskRequest.FromString(req.SerializeToString()).timeout.seconds == 2
    assert empty_pb2.Empty().SerializeToString() == b""


class _Base(base_pb2_grpc.BasePluginServicer):  # type: ignore[misc]
    def PluginInfo(self, request: Any, context: Any) -> base_pb2.PluginInfoResponse:
        return base_pb2.PluginInfoResponse(
            type=base_pb2.DEVICE, plugin_api_versions=["v0.1.0"], plugin_version="1.2.3", name="x"
        )


def test_plugin_info_over_unix_socket(tmp_path: Path) -> None:
    sock = tmp_path / "p.sock"
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=2))
    base_pb2_grpc.add_BasePluginServicer_to_server(_Base(), server)
    assert server.add_insecure_port(f"unix:{sock}") != 0
    server.start()
    try:
        with grpc.insecure_channel(f"unix:{sock}") as channel:
            stub = base_pb2_grpc.BasePluginStub(channel)
            resp = stub.PluginInfo(base_pb2.PluginInfoRequest(), timeout=10)
            assert resp.type == base_pb2.DEVICE
            assert resp.plugin_version == "1.2.3"
            with pytest.raises(grpc.RpcError) as err:
                stub.ConfigSchema(base_pb2.ConfigSchemaRequest(), timeout=10)
            assert err.value.code() == grpc.StatusCode.UNIMPLEMENTED
    finally:
        server.stop(None)
