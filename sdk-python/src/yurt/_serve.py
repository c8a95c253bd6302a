"""The go-plugin server: listener, AutoMTLS, handshake line and internal services.

serve() is the only entry point a plugin process needs. It checks the magic
cookie, ignores SIGINT (the host sequences shutdown), turns `logging` into
hclog JSON on stderr, binds the listener before printing the handshake line,
serves health/GRPCController/GRPCStdio/GRPCBroker next to the plugin's own
services, and exits after GRPCController/Shutdown (or SIGTERM). If the host
dies the plugin keeps serving so a restarted host can reattach.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import sys
import tempfile
from collections.abc import AsyncIterator, Coroutine, Mapping
from dataclasses import field
from typing import TYPE_CHECKING, Any, Literal, NoReturn, Protocol

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc

from . import _dcache, _log, _stdoutguard
from ._handshake import HandshakeError, LaunchEnv, format_handshake, read_launch_env
from ._listen import (
    apply_socket_group,
    candidate_ports,
    new_socket_path,
    remove_paths,
    resolve_group,
)
from ._proto.plugin import (
    grpc_broker_pb2_grpc,
    grpc_controller_pb2,
    grpc_controller_pb2_grpc,
    grpc_stdio_pb2,
    grpc_stdio_pb2_grpc,
)
from ._stdio import STDOUT, StdioHub, redirect_process_stdio

if TYPE_CHECKING:
    from dataclasses import dataclass
else:
    from ._dcache import dataclass

if TYPE_CHECKING:
    from ._tlsproxy import TLSRelay

__all__ = ["Network", "ServedPlugin", "serve"]

log = logging.getLogger("yurt")

Network = Literal["auto", "unix", "tcp"]
_MAX_MSG = 2**31 - 1  # the host allows MaxInt32 both ways
_STOP_GRACE_S = 0.5  # well inside go-plugin's 2 s wait after Shutdown


class ServedPlugin(Protocol):
    """What serve() needs from a plugin object (BasePlugin implements it)."""

    def _yurt_register(self, server: grpc.aio.Server) -> None: ...

    def _yurt_problems(self) -> list[str]: ...

    async def _yurt_on_shutdown(self) -> None: ...


class _Controller(grpc_controller_pb2_grpc.GRPCControllerServicer):  # type: ignore[misc]
    def __init__(self, stop: asyncio.Event) -> None:
        self._stop = stop

    async def Shutdown(
        self, request: grpc_controller_pb2.Empty, context: grpc.aio.ServicerContext
    ) -> grpc_controller_pb2.Empty:
        log.debug("GRPCController/Shutdown received; stopping")
        self._stop.set()
        return grpc_controller_pb2.Empty()


class _Stdio(grpc_stdio_pb2_grpc.GRPCStdioServicer):  # type: ignore[misc]
    def __init__(self, hub: StdioHub) -> None:
        self._hub = hub

    async def StreamStdio(
        self, request: Any, context: grpc.aio.ServicerContext
    ) -> AsyncIterator[grpc_stdio_pb2.StdioData]:
        queue = self._hub.subscribe()
        try:
            while (item := await queue.get()) is not None:
                channel, data = item
                yield grpc_stdio_pb2.StdioData(
                    channel=(
                        grpc_stdio_pb2.StdioData.STDOUT
                        if channel == STDOUT
                        else grpc_stdio_pb2.StdioData.STDERR
                    ),
                    data=data,
                )
        finally:
            self._hub.unsubscribe(queue)


class _Broker(grpc_broker_pb2_grpc.GRPCBrokerServicer):  # type: ignore[misc]
    """Holds the broker stream open; this SDK brokers no extra connections."""

    async def StartStream(self, request_iterator: Any, context: grpc.aio.ServicerContext) -> None:
        async for info in request_iterator:
            log.debug(
                "GRPCBroker: ignoring ConnInfo (no brokered services)",
                extra={"service_id": info.service_id},
            )


@dataclass
class _Listening:
    """The bound public listener and what to clean up when serving ends."""

    network: str
    address: str
    cleanup: list[str] = field(default_factory=list)  # paths to remove
    relay: TLSRelay | None = None
    cert_field: str = ""  # handshake field 6


def _bind_grpc(server: grpc.aio.Server, target: str) -> int:
    try:
        return int(server.add_insecure_port(target))
    except RuntimeError:
        return 0


async def _listen(server: grpc.aio.Server, launch: LaunchEnv, network: Network) -> _Listening:
    """Bind the public listener (directly, or via the TLS relay) before start()."""
    created: list[str] = []
    try:
        return await _listen_inner(server, launch, network, created)
    except BaseException:
        remove_paths(created)  # no stray sockets or private dirs after a failed start
        raise


async def _listen_inner(
    server: grpc.aio.Server, launch: LaunchEnv, network: Network, created: list[str]
) -> _Listening:
    relay: TLSRelay | None = None
    backend_dir: str | None = None
    cert_field = ""
    gid = resolve_group(launch.socket_group) if launch.socket_group else None
    if launch.client_cert_pem is not None:
        # cryptography is imported only when the host asks for AutoMTLS
        # (a tenth of the SDK's import time).
        from ._tls import generate_server_certificate, load_client_certificate
        from ._tlsproxy import TLSRelay, server_ssl_context

        try:
            client_pem = load_client_certificate(launch.client_cert_pem)
        except ValueError as exc:
            raise HandshakeError(str(exc)) from None
        own = generate_server_certificate()
        # Beside the public socket when the host names a socket dir: a plugin killed
        # with -9 then leaves its backend in the host's directory, not in /tmp.
        backend_dir = tempfile.mkdtemp(prefix="yurt-grpc-", dir=launch.socket_dir or None)
        created.append(backend_dir)
        backend = os.path.join(backend_dir, "grpc.sock")
        if _bind_grpc(server, f"unix:{backend}") == 0:
            raise HandshakeError(f"cannot bind the internal gRPC socket {backend!r}")
        relay = TLSRelay(server_ssl_context(own, client_pem), client_pem, backend)
        cert_field = own.handshake_field

    errors: list[str] = []
    if network in ("auto", "unix"):
        try:
            path = new_socket_path(launch.socket_dir)
            if relay is not None:
                await relay.start_unix(path)
            elif _bind_grpc(server, f"unix:{path}") == 0:
                raise HandshakeError(f"cannot bind unix socket {path!r}")
        except (HandshakeError, OSError) as exc:
            if network == "unix":
                raise HandshakeError(str(exc)) from None
            errors.append(str(exc))
            log.warning("unix socket unavailable, falling back to TCP", extra={"error": str(exc)})
        else:
            created.append(path)
            if gid is not None:
                apply_socket_group(path, gid)
            cleanup = [path] + ([backend_dir] if backend_dir else [])
            return _Listening("unix", path, cleanup, relay, cert_field)

    for port in candidate_ports(launch.min_port, launch.max_port):
        if relay is not None:
            try:
                await relay.start_tcp("127.0.0.1", port)
            except OSError:
                continue
            bound = relay.port()
        else:
            bound = _bind_grpc(server, f"127.0.0.1:{port}")
            if bound == 0:
                continue
        cleanup = [backend_dir] if backend_dir else []
        return _Listening("tcp", f"127.0.0.1:{bound}", cleanup, relay, cert_field)
    errors.append(
        f"couldn't bind plugin TCP listener in {launch.min_port}..{launch.max_port} on 127.0.0.1"
    )
    raise HandshakeError("; ".join(errors))


def _write_stdout(line: str) -> None:
    """Write the handshake line to the real stdout kept by the stdout guard."""
    # Text a plugin printed but Python still buffers goes to the guard (stderr) now,
    # not to the host's stdout after the handshake line.
    with contextlib.suppress(Exception):
        sys.stdout.flush()
    fd = _stdoutguard.handshake_fd()
    data = memoryview(line.encode("ascii"))
    while data:
        data = data[os.write(1 if fd is None else fd, data) :]


async def _serve_async(plugin: ServedPlugin, launch: LaunchEnv, network: Network) -> int:
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    hub = StdioHub(loop)
    server = grpc.aio.server(
        options=[
            ("grpc.max_receive_message_length", _MAX_MSG),
            ("grpc.max_send_message_length", _MAX_MSG),
            ("grpc.so_reuseport", 0),
        ]
    )
    health_servicer = health.aio.HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    grpc_controller_pb2_grpc.add_GRPCControllerServicer_to_server(_Controller(stop), server)
    grpc_stdio_pb2_grpc.add_GRPCStdioServicer_to_server(_Stdio(hub), server)
    grpc_broker_pb2_grpc.add_GRPCBrokerServicer_to_server(_Broker(), server)
    plugin._yurt_register(server)

    listening = await _listen(server, launch, network)
    await server.start()
    await health_servicer.set("plugin", health_pb2.HealthCheckResponse.SERVING)
    await health_servicer.set("", health_pb2.HealthCheckResponse.SERVING)
    with contextlib.suppress(NotImplementedError):
        loop.add_signal_handler(signal.SIGTERM, stop.set)
    cert_field = listening.cert_field
    _write_stdout(
        format_handshake(launch.app_version, listening.network, listening.address, cert_field)
    )
    redirect_process_stdio(hub)
    _dcache.refresh()
    log.debug(
        "plugin serving",
        extra={"network": listening.network, "address": listening.address, "tls": bool(cert_field)},
    )
    await stop.wait()
    t0 = loop.time()
    hub.close()
    await health_servicer.enter_graceful_shutdown()
    try:
        await asyncio.wait_for(plugin._yurt_on_shutdown(), timeout=1.0)
    except Exception:
        log.exception("plugin shutdown hook failed")
    t1 = loop.time()
    await server.stop(_STOP_GRACE_S)
    if listening.relay is not None:
        # After the server: its last responses (Shutdown's own) still cross
        # the relay while the server stops and closes the backend connections.
        await listening.relay.close()
    remove_paths(listening.cleanup)
    log.debug(
        "plugin stopped",
        extra={"hooks_s": round(t1 - t0, 3), "server_s": round(loop.time() - t1, 3)},
    )
    return 0


def _ignore_interrupt(signum: int, frame: object) -> None:
    log.log(_log.TRACE, "plugin received interrupt signal, ignoring")


def _run_loop(main: Coroutine[Any, Any, int]) -> int:
    """asyncio.run without its final wait for executor threads.

    asyncio.run joins the default executor on exit, so a plugin that parked a
    long blocking call there (waiting on a child process, say) would outlive
    Shutdown; go-plugin SIGKILLs after 2 s. Pending tasks still get cancelled.
    """
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        return loop.run_until_complete(main)
    finally:
        pending = [t for t in asyncio.all_tasks(loop) if not t.done()]
        for task in pending:
            task.cancel()
        if pending:
            with contextlib.suppress(Exception):
                loop.run_until_complete(
                    asyncio.wait_for(asyncio.gather(*pending, return_exceptions=True), 0.5)
                )


def serve(
    plugin: ServedPlugin,
    *,
    network: Network = "auto",
    env: Mapping[str, str] | None = None,
) -> NoReturn:
    """Run `plugin` as a go-plugin gRPC server until the host shuts it down.

    Never returns: the process exits 0 after Shutdown, 1 on a launch error.
    """
    environ = os.environ if env is None else env
    try:
        launch = read_launch_env(environ)
    except HandshakeError as exc:
        sys.stderr.write(str(exc).rstrip("\n") + "\n")
        sys.stderr.flush()
        os._exit(1)
    try:
        # Usually done by `import yurt` already; plugin code run from here on
        # (its checks, its register hooks, its threads) cannot print before the handshake.
        _stdoutguard.install()
    except OSError as exc:
        sys.stderr.write(f"cannot guard stdout for the handshake: {exc}\n")
        sys.stderr.flush()
        os._exit(1)
    problems = plugin._yurt_problems()
    if problems:
        sys.stderr.write("".join(f"plugin definition: {p}\n" for p in problems))
        sys.stderr.flush()
        os._exit(1)
    # Ignore SIGINT with a handler, not SIG_IGN: an ignored disposition is
    # inherited across exec (tasks and exec sessions could never be
    # interrupted), a handler is reset to the default there.
    signal.signal(signal.SIGINT, _ignore_interrupt)
    signal.signal(signal.SIGPIPE, signal.SIG_IGN)  # EPIPE instead; children get SIG_DFL back
    _log.install(os.dup(2))
    for warning in launch.warnings:
        log.warning(warning)
    try:
        code = _run_loop(_serve_async(plugin, launch, network))
    except HandshakeError as exc:
        log.error(str(exc))
        code = 1
    except Exception:
        log.exception("plugin server failed")
        code = 1
    with contextlib.suppress(Exception):
        sys.stdout.flush()
        sys.stderr.flush()
    # os._exit: plugin threads (task watchers, executors) must not keep a
    # shut-down plugin alive past go-plugin's 2 s grace.
    os._exit(code)
