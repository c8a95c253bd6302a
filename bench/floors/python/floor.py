"""floor-python: the Python latency floor for the benchmarks.

A Nomad driver plugin written on bare grpcio (grpc.aio, as the SDK uses) and
stubs generated from proto/ by grpcio-tools at bench build time, with no Yurt
SDK in between. It speaks the go-plugin handshake (cookie, protocol version,
unix socket in PLUGIN_UNIX_SOCKET_DIR, one line on stdout), serves health
"plugin", GRPCController.Shutdown and the BasePlugin/Driver calls the
benchmarks time (PluginInfo, ConfigSchema, SetConfig, InspectTask of any ID).
No AutoMTLS: grpcio cannot take the host's P-521 client certificate, which is
why the SDK terminates TLS itself; the floor is measured in plaintext only.

Usage: floor.py GEN_DIR   (GEN_DIR holds the grpcio-tools output)
"""

from __future__ import annotations

import asyncio
import json
import os
import pathlib
import sys
import tempfile

# The floor uses no SDK: it reads the handshake values from their one source.
_HANDSHAKE = json.loads(
    (pathlib.Path(__file__).resolve().parents[3] / "spec" / "handshake.json").read_text()
)
COOKIE_KEY = _HANDSHAKE["magic_cookie_key"]
COOKIE = _HANDSHAKE["magic_cookie_value"]


def main() -> int:
    if os.environ.get(COOKIE_KEY) != COOKIE:
        sys.stderr.write("This binary is a plugin. It is run by a Nomad-compatible host.\n")
        return 1
    if os.environ.get("PLUGIN_CLIENT_CERT"):
        sys.stderr.write("floor-python does not serve AutoMTLS\n")
        return 1
    versions = [v for v in os.environ.get("PLUGIN_PROTOCOL_VERSIONS", "2").split(",") if v]
    if "2" not in versions:
        sys.stderr.write("floor-python serves protocol 2 only\n")
        return 1
    sys.path.insert(0, sys.argv[1])
    return asyncio.run(serve())


async def serve() -> int:
    import grpc
    from google.protobuf import timestamp_pb2
    from grpc_health.v1 import health, health_pb2, health_pb2_grpc
    from hashicorp.nomad.plugins.base.proto import base_pb2, base_pb2_grpc
    from hashicorp.nomad.plugins.drivers.proto import driver_pb2, driver_pb2_grpc, task_pb2
    from hashicorp.nomad.plugins.shared.hclspec import hclspec_pb2
    from plugin import grpc_controller_pb2, grpc_controller_pb2_grpc

    stop = asyncio.Event()
    started = timestamp_pb2.Timestamp()
    started.GetCurrentTime()

    class Base(base_pb2_grpc.BasePluginServicer):
        async def PluginInfo(self, request, context):  # type: ignore[no-untyped-def]
            return base_pb2.PluginInfoResponse(
                type=base_pb2.DRIVER, plugin_api_versions=["v0.1.0"], plugin_version="0.1.0", name="floor-python"
            )

        async def ConfigSchema(self, request, context):  # type: ignore[no-untyped-def]
            return base_pb2.ConfigSchemaResponse(spec=hclspec_pb2.Spec(object=hclspec_pb2.Object()))

        async def SetConfig(self, request, context):  # type: ignore[no-untyped-def]
            return base_pb2.SetConfigResponse()

    class Driver(driver_pb2_grpc.DriverServicer):
        async def InspectTask(self, request, context):  # type: ignore[no-untyped-def]
            return driver_pb2.InspectTaskResponse(
                task=task_pb2.TaskStatus(
                    id=request.task_id, name="floor", state=task_pb2.RUNNING, started_at=started
                ),
                driver=task_pb2.TaskDriverStatus(attributes={"pid": "1"}),
            )

    class Controller(grpc_controller_pb2_grpc.GRPCControllerServicer):
        async def Shutdown(self, request, context):  # type: ignore[no-untyped-def]
            stop.set()
            return grpc_controller_pb2.Empty()

    server = grpc.aio.server()
    base_pb2_grpc.add_BasePluginServicer_to_server(Base(), server)
    driver_pb2_grpc.add_DriverServicer_to_server(Driver(), server)
    grpc_controller_pb2_grpc.add_GRPCControllerServicer_to_server(Controller(), server)
    hs = health.aio.HealthServicer()
    await hs.set("plugin", health_pb2.HealthCheckResponse.SERVING)
    health_pb2_grpc.add_HealthServicer_to_server(hs, server)

    sock_dir = tempfile.mkdtemp(prefix="floor-py-", dir=os.environ.get("PLUGIN_UNIX_SOCKET_DIR") or None)
    path = os.path.join(sock_dir, "plugin.sock")
    server.add_insecure_port("unix:" + path)
    await server.start()
    os.write(1, f"1|2|unix|{path}|grpc|\n".encode())
    await stop.wait()
    await server.stop(0.5)
    return 0


if __name__ == "__main__":
    sys.exit(main())
