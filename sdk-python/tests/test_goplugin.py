"""End-to-end go-plugin behaviour of a real plugin subprocess.

Each test launches tests/plugins/sample_device.py as a host would (environment,
pipes), reads the handshake line and talks gRPC to it over the socket it
announced, with mTLS where the host asks for it.
"""

from __future__ import annotations

import grp
import json
import os
import signal
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import grpc
import msgpack
import pytest
from cryptography import x509
from gohost import PLUGINS, TLSBridge, host_certificate, host_env, launch, running
from google.protobuf import empty_pb2
from grpc_health.v1 import health_pb2, health_pb2_grpc

from yurt._proto.hashicorp.nomad.plugins.base.proto import base_pb2, base_pb2_grpc
from yurt._proto.hashicorp.nomad.plugins.device import device_pb2, device_pb2_grpc
from yurt._proto.plugin import (
    grpc_broker_pb2,
    grpc_broker_pb2_grpc,
    grpc_controller_pb2,
    grpc_controller_pb2_grpc,
    grpc_stdio_pb2,
    grpc_stdio_pb2_grpc,
)

SAMPLE = PLUGINS / "sample_device.py"


def _channel(target: str) -> grpc.Channel:
    return grpc.insecure_channel(target, options=[("grpc.default_authority", "localhost")])


def _health(channel: grpc.Channel) -> int:
    resp = health_pb2_grpc.HealthStub(channel).Check(
        health_pb2.HealthCheckRequest(service="plugin"), timeout=10
    )
    return int(resp.status)


def _shutdown_and_wait(channel: grpc.Channel, proc: subprocess.Popen[bytes]) -> float:
    start = time.monotonic()
    grpc_controller_pb2_grpc.GRPCControllerStub(channel).Shutdown(
        grpc_controller_pb2.Empty(), timeout=10
    )
    proc.wait(timeout=5)
    return time.monotonic() - start


@pytest.mark.parametrize(
    "cookie",
    [None, "", "wrong"],
    ids=["absent", "empty", "wrong"],
)
def test_bad_cookie_exits_1_with_message_and_silent_stdout(cookie: str | None) -> None:
    env = host_env()
    env.pop("NOMAD_PLUGIN_MAGIC_COOKIE")
    if cookie is not None:
        env["NOMAD_PLUGIN_MAGIC_COOKIE"] = cookie
    proc = subprocess.run(
        [sys.executable, str(SAMPLE)], env=env, capture_output=True, timeout=30, check=False
    )
    assert proc.returncode == 1
    assert proc.stdout == b""
    assert b"This binary is a plugin" in proc.stderr


def test_plaintext_unix_lifecycle(tmp_path: Path) -> None:
    env = host_env(PLUGIN_PROTOCOL_VERSIONS="1,2")
    with running(SAMPLE, env) as plugin:
        h = plugin.handshake
        assert plugin.line.endswith("|grpc|\n")
        assert (h.core, h.app, h.network, h.protocol, h.cert_der) == (1, 2, "unix", "grpc", None)
        assert os.path.isabs(h.address)
        assert stat.S_ISSOCK(os.stat(h.address).st_mode)
        with _channel(plugin.target) as ch:
            assert _health(ch) == health_pb2.HealthCheckResponse.SERVING
            info = base_pb2_grpc.BasePluginStub(ch).PluginInfo(
                base_pb2.PluginInfoRequest(), timeout=10
            )
            assert (info.name, info.plugin_version, info.type) == ("sample", "1.2.3", 3)
            assert list(info.plugin_api_versions) == ["v0.1.0"]
            took = _shutdown_and_wait(ch, plugin.proc)
        assert plugin.proc.returncode == 0
        assert took < 2.0, f"Shutdown took {took:.2f}s; go-plugin SIGKILLs after 2 s"
        assert not os.path.exists(h.address), "socket file must be removed on exit"


def test_stdio_stream_forwards_plugin_output_and_logs_are_hclog_json() -> None:
    with running(SAMPLE, host_env()) as plugin, _channel(plugin.target) as ch:
        got: list[tuple[int, bytes]] = []
        stream = grpc_stdio_pb2_grpc.GRPCStdioStub(ch).StreamStdio(empty_pb2.Empty())

        def read() -> None:
            for msg in stream:
                got.append((msg.channel, msg.data))

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        time.sleep(0.3)
        device_pb2_grpc.DevicePluginStub(ch).Reserve(
            device_pb2.ReserveRequest(device_ids=["d0"]), timeout=10
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            out = b"".join(d for c, d in got if c == grpc_stdio_pb2.StdioData.STDOUT)
            err = b"".join(d for c, d in got if c == grpc_stdio_pb2.StdioData.STDERR)
            if b"reserve stdout" in out and b"reserve stderr" in err:
                break
            time.sleep(0.05)
        else:
            pytest.fail(f"stdio not forwarded: {got!r}")
        _shutdown_and_wait(ch, plugin.proc)
        reader.join(timeout=5)
        assert not reader.is_alive(), "StreamStdio must end when the plugin shuts down"
        lines = plugin.stderr_lines()
        entries = [json.loads(line) for line in lines if line.startswith("{")]
        reserving = [e for e in entries if e["@message"] == "reserving"]
        assert reserving, lines
        entry = reserving[0]
        assert entry["@level"] == "info"
        assert entry["@module"] == "sample"
        assert entry["ids"] == ["d0"]
        for e in entries:
            for key in ("@level", "@message", "@timestamp", "@module"):
                assert isinstance(e[key], str), (key, e)
        # Python-level stderr writes went to the stream, not the log channel.
        assert not any("reserve stderr" in line for line in lines)


def test_broker_stream_is_accepted_and_kept_open() -> None:
    with running(SAMPLE, host_env()) as plugin, _channel(plugin.target) as ch:
        sent = threading.Event()

        def requests() -> Iterator[grpc_broker_pb2.ConnInfo]:
            yield grpc_broker_pb2.ConnInfo(service_id=1, network="unix", address="/nowhere")
            sent.set()
            time.sleep(30)

        call = grpc_broker_pb2_grpc.GRPCBrokerStub(ch).StartStream(requests())
        assert sent.wait(10)
        time.sleep(0.5)
        assert call.running() if hasattr(call, "running") else not call.done()
        call.cancel()
        _shutdown_and_wait(ch, plugin.proc)


@pytest.mark.parametrize(
    ("offered", "expected"),
    [("2", 2), ("1,2", 2), ("2,1", 2), ("3,2,1", 2), ("1", 2), ("x,2", 2)],
)
def test_protocol_version_negotiation(offered: str, expected: int) -> None:
    with running(SAMPLE, host_env(PLUGIN_PROTOCOL_VERSIONS=offered)) as plugin:
        assert plugin.handshake.app == expected


def test_socket_dir_and_group_are_honoured(tmp_path: Path) -> None:
    group = grp.getgrgid(os.getgid()).gr_name
    sockdir = tmp_path / "socks"
    sockdir.mkdir()
    env = host_env(PLUGIN_UNIX_SOCKET_DIR=str(sockdir), PLUGIN_UNIX_SOCKET_GROUP=group)
    with running(SAMPLE, env) as plugin:
        path = Path(plugin.handshake.address)
        assert path.parent == sockdir
        assert path.name.startswith("plugin")
        st = os.stat(path)
        assert st.st_gid == os.getgid()
        assert stat.S_IMODE(st.st_mode) == 0o660
        with _channel(plugin.target) as ch:
            assert _health(ch) == health_pb2.HealthCheckResponse.SERVING


def test_unknown_socket_group_fails_clearly() -> None:
    env = host_env(PLUGIN_UNIX_SOCKET_GROUP="no-such-group-yurt")
    proc = subprocess.run(
        [sys.executable, str(SAMPLE)], env=env, capture_output=True, timeout=30, check=False
    )
    # A group the host asked for is not something to fall back from silently.
    assert proc.returncode == 1
    assert proc.stdout == b""
    assert b"PLUGIN_UNIX_SOCKET_GROUP" in proc.stderr
    assert b"no-such-group-yurt" in proc.stderr


def test_tcp_fallback_when_socket_path_is_too_long(tmp_path: Path) -> None:
    deep = tmp_path / ("d" * 60) / ("e" * 60)
    deep.mkdir(parents=True)
    env = host_env(PLUGIN_UNIX_SOCKET_DIR=str(deep), PLUGIN_MIN_PORT="0", PLUGIN_MAX_PORT="0")
    env["PLUGIN_MIN_PORT"] = "20000"
    env["PLUGIN_MAX_PORT"] = "20100"
    with running(SAMPLE, env) as plugin:
        h = plugin.handshake
        assert h.network == "tcp"
        host, port = h.address.rsplit(":", 1)
        assert host == "127.0.0.1"
        assert 20000 <= int(port) <= 20100
        with _channel(plugin.target) as ch:
            assert _health(ch) == health_pb2.HealthCheckResponse.SERVING


def test_bad_port_range_is_reported() -> None:
    env = host_env(PLUGIN_MIN_PORT="30000", PLUGIN_MAX_PORT="20000")
    proc = subprocess.run(
        [sys.executable, str(SAMPLE)], env=env, capture_output=True, timeout=30, check=False
    )
    assert proc.returncode == 1
    assert proc.stdout == b""
    assert b"PLUGIN_MIN_PORT value of 30000 is greater than PLUGIN_MAX_PORT" in proc.stderr


def test_sigint_is_ignored() -> None:
    with running(SAMPLE, host_env()) as plugin:
        plugin.proc.send_signal(signal.SIGINT)
        time.sleep(0.5)
        assert plugin.proc.poll() is None
        with _channel(plugin.target) as ch:
            assert _health(ch) == health_pb2.HealthCheckResponse.SERVING


_DYING_HOST = r"""
import subprocess, sys, os
P = subprocess.PIPE
proc = subprocess.Popen([sys.executable, sys.argv[1]], stdout=P, stderr=P)
line = proc.stdout.readline()
sys.stdout.write(f"{proc.pid}\n{line.decode()}")
sys.stdout.flush()
os._exit(0)  # the host dies: the plugin's stdout/stderr pipes lose their reader
"""


def _process_gone(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/status") as fh:
            return any(line.startswith("State:\tZ") for line in fh)
    except FileNotFoundError:
        return True


def test_keeps_serving_after_the_host_dies() -> None:
    """The host's death closes stdout/stderr: logging and printing must not kill us."""
    host = subprocess.run(
        [sys.executable, "-c", _DYING_HOST, str(SAMPLE)],
        env=host_env(),
        capture_output=True,
        timeout=30,
        check=True,
    )
    pid_line, hs_line = host.stdout.decode().splitlines()[:2]
    pid = int(pid_line)
    try:
        address = hs_line.split("|")[3]
        with _channel(f"unix:{address}") as ch:
            for _ in range(3):  # each Reserve prints (stdio) and logs (stderr, now EPIPE)
                device_pb2_grpc.DevicePluginStub(ch).Reserve(
                    device_pb2.ReserveRequest(device_ids=["d0"]), timeout=10
                )
            assert not _process_gone(pid)
            assert _health(ch) == health_pb2.HealthCheckResponse.SERVING
            grpc_controller_pb2_grpc.GRPCControllerStub(ch).Shutdown(
                grpc_controller_pb2.Empty(), timeout=10
            )
        deadline = time.monotonic() + 5
        while not _process_gone(pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _process_gone(pid)
    finally:
        if not _process_gone(pid):
            os.kill(pid, signal.SIGKILL)


def test_sigterm_stops_cleanly() -> None:
    with running(SAMPLE, host_env()) as plugin:
        plugin.proc.send_signal(signal.SIGTERM)
        assert plugin.proc.wait(timeout=5) == 0
        assert not os.path.exists(plugin.handshake.address)


# --- AutoMTLS -------------------------------------------------------------------


@pytest.fixture(scope="module")
def host_cert() -> tuple[bytes, bytes]:
    return host_certificate()


def test_automtls_handshake_and_calls(host_cert: tuple[bytes, bytes]) -> None:
    cert_pem, key_pem = host_cert
    env = host_env(PLUGIN_CLIENT_CERT=cert_pem.decode())
    with running(SAMPLE, env) as plugin:
        h = plugin.handshake
        field6 = plugin.line.rstrip("\n").split("|")[5]
        assert "=" not in field6
        assert h.cert_der is not None
        cert = x509.load_der_x509_certificate(h.cert_der)
        sans = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        assert sans.get_values_for_type(x509.DNSName) == ["localhost"]
        # Plaintext is refused: the listener speaks only TLS.
        with _channel(plugin.target) as ch, pytest.raises(grpc.RpcError):
            _health_with_timeout(ch, 2)
        bridge = TLSBridge(h, cert_pem, key_pem)
        try:
            with _channel(bridge.target) as ch:
                assert _health(ch) == health_pb2.HealthCheckResponse.SERVING
                info = base_pb2_grpc.BasePluginStub(ch).PluginInfo(
                    base_pb2.PluginInfoRequest(), timeout=10
                )
                assert info.name == "sample"
                took = _shutdown_and_wait(ch, plugin.proc)
                assert took < 2.0
        finally:
            bridge.close()


def _health_with_timeout(ch: grpc.Channel, timeout: float) -> None:
    health_pb2_grpc.HealthStub(ch).Check(
        health_pb2.HealthCheckRequest(service="plugin"), timeout=timeout
    )


def test_automtls_rejects_a_different_client_cert(host_cert: tuple[bytes, bytes]) -> None:
    cert_pem, _ = host_cert
    other_cert, other_key = host_certificate()
    with running(SAMPLE, host_env(PLUGIN_CLIENT_CERT=cert_pem.decode())) as plugin:
        bridge = TLSBridge(plugin.handshake, other_cert, other_key)
        try:
            with _channel(bridge.target) as ch, pytest.raises(grpc.RpcError):
                _health_with_timeout(ch, 3)
        finally:
            bridge.close()
        assert plugin.proc.poll() is None


def test_bad_client_cert_env_is_reported() -> None:
    env = host_env(PLUGIN_CLIENT_CERT="not a pem")
    plugin_proc = subprocess.run(
        [sys.executable, str(SAMPLE)], env=env, capture_output=True, timeout=30, check=False
    )
    assert plugin_proc.returncode == 1
    assert plugin_proc.stdout == b""
    assert b"PLUGIN_CLIENT_CERT" in plugin_proc.stderr


def test_launch_helper_rejects_stray_stdout(tmp_path: Path) -> None:
    script = tmp_path / "noisy.py"
    script.write_text("print('hello')\nimport time; time.sleep(5)\n")
    with pytest.raises(Exception, match="Unrecognized remote plugin message"):
        launch(script, host_env(), timeout=10)


def test_an_unnamed_plugin_is_refused_before_the_handshake(tmp_path: Path) -> None:
    script = tmp_path / "unnamed.py"
    script.write_text(
        "import yurt\nclass P(yurt.DevicePlugin):\n    task_config_type = int\nyurt.serve(P())\n"
    )
    proc = subprocess.run(
        [sys.executable, str(script)], env=host_env(), capture_output=True, timeout=30, check=False
    )
    assert proc.returncode == 1
    assert proc.stdout == b""
    assert b"plugin definition: P.name: expected a non-empty string, got ''" in proc.stderr
    assert b"P.task_config_type: expected a dataclass or None" in proc.stderr


_BLOCKING_PLUGIN = """
import asyncio, time
import yurt

class P(yurt.DevicePlugin):
    name = "blocking"

    async def set_config(self, config, agent):
        # A long blocking call parked in the default executor.
        asyncio.get_running_loop().run_in_executor(None, time.sleep, 60)

yurt.serve(P())
"""


def test_shutdown_does_not_wait_for_executor_threads(tmp_path: Path) -> None:
    script = tmp_path / "blocking.py"
    script.write_text(_BLOCKING_PLUGIN)
    with running(script, host_env()) as plugin, _channel(plugin.target) as ch:
        base_pb2_grpc.BasePluginStub(ch).SetConfig(base_pb2.SetConfigRequest(), timeout=10)
        took = _shutdown_and_wait(ch, plugin.proc)
        assert took < 2.0
        assert plugin.proc.returncode == 0


def test_automtls_relay_carries_large_messages(host_cert: tuple[bytes, bytes]) -> None:
    """A config well over gRPC's default 4 MiB crosses the TLS relay intact."""
    cert_pem, key_pem = host_cert
    devices = [f"device-{i:07d}-" + "x" * 40 for i in range(120_000)]  # ~6 MiB
    blob = msgpack.packb({"devices": devices})
    assert len(blob) > 5 * 1024 * 1024
    with running(SAMPLE, host_env(PLUGIN_CLIENT_CERT=cert_pem.decode())) as plugin:
        bridge = TLSBridge(plugin.handshake, cert_pem, key_pem)
        try:
            with grpc.insecure_channel(
                bridge.target,
                options=[
                    ("grpc.max_send_message_length", 64 << 20),
                    ("grpc.max_receive_message_length", 64 << 20),
                ],
            ) as ch:
                base_pb2_grpc.BasePluginStub(ch).SetConfig(
                    base_pb2.SetConfigRequest(msgpack_config=blob), timeout=60
                )
                stream = device_pb2_grpc.DevicePluginStub(ch).Fingerprint(
                    device_pb2.FingerprintRequest(),
                    timeout=60,
                )
                first = next(iter(stream))
                ids = [d.ID for d in first.device_group[0].devices]
                assert ids == devices
                stream.cancel()
        finally:
            bridge.close()


@pytest.mark.parametrize("automtls", [False, True], ids=["plaintext", "automtls"])
def test_tcp_listener_in_the_port_range(host_cert: tuple[bytes, bytes], automtls: bool) -> None:
    cert_pem, key_pem = host_cert
    env = host_env(SAMPLE_NETWORK="tcp", PLUGIN_MIN_PORT="21000", PLUGIN_MAX_PORT="21999")
    if automtls:
        env["PLUGIN_CLIENT_CERT"] = cert_pem.decode()
    with running(SAMPLE, env) as plugin:
        h = plugin.handshake
        assert h.network == "tcp"
        assert 21000 <= int(h.address.rsplit(":", 1)[1]) <= 21999
        assert (h.cert_der is not None) is automtls
        bridge = TLSBridge(h, cert_pem, key_pem) if automtls else None
        try:
            with _channel(bridge.target if bridge else plugin.target) as ch:
                assert _health(ch) == health_pb2.HealthCheckResponse.SERVING
                assert _shutdown_and_wait(ch, plugin.proc) < 2.0
        finally:
            if bridge:
                bridge.close()


def test_automtls_silent_client_does_not_hold_up_others(host_cert: tuple[bytes, bytes]) -> None:
    """A client that connects and never says a word (a port scanner, a wedged
    host) does not stall the relay: the host's own TLS connection is served
    meanwhile, and the relay keeps serving after the silent one goes away."""
    import socket

    cert_pem, key_pem = host_cert
    with running(SAMPLE, host_env(PLUGIN_CLIENT_CERT=cert_pem.decode())) as plugin:
        h = plugin.handshake
        assert h.network == "unix"
        silent = [socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) for _ in range(3)]
        for s in silent:
            s.connect(h.address)
        half = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        half.connect(h.address)
        half.sendall(b"\x16\x03\x01\x02\x00")  # a TLS record header, then nothing
        bridge = TLSBridge(h, cert_pem, key_pem)
        try:
            with _channel(bridge.target) as ch:
                assert _health(ch) == health_pb2.HealthCheckResponse.SERVING
                for s in [*silent, half]:
                    s.close()
                info = base_pb2_grpc.BasePluginStub(ch).PluginInfo(
                    base_pb2.PluginInfoRequest(), timeout=10
                )
                assert info.name == "sample"
                assert _shutdown_and_wait(ch, plugin.proc) < 2.0
        finally:
            bridge.close()
