"""Test helpers that play the go-plugin host: launch, handshake, mTLS dial.

The host side is re-implemented here only as far as tests need it: the
environment go-plugin sets, reading the first stdout line, and, for
AutoMTLS, a P-521 client certificate exactly like go-plugin's generateCert.
grpcio (BoringSSL) cannot present a P-521 client certificate, so the TLS leg
runs through Python's ssl (OpenSSL) in a small local bridge and grpcio talks
plaintext to the bridge.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import datetime as dt
import os
import re
import selectors
import shutil
import ssl
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from yurt._handshake import MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE

HERE = Path(__file__).resolve().parent
PLUGINS = HERE / "plugins"


@dataclass(frozen=True)
class Handshake:
    core: int
    app: int
    network: str
    address: str
    protocol: str
    cert_der: bytes | None


class HandshakeParseError(ValueError):
    pass


def parse_handshake(line: str) -> Handshake:
    """Parse a go-plugin handshake line the way go-plugin's client does."""
    parts = line.strip().split("|")
    if len(parts) < 4:
        raise HandshakeParseError(f"Unrecognized remote plugin message: {line!r}")
    # strconv.Atoi: an optional sign and ASCII digits, nothing else (no blanks, no "_")
    if not all(re.fullmatch(r"[+-]?[0-9]+", p) for p in parts[:2]):
        raise HandshakeParseError(f"bad version field in {line!r}")
    core, app = int(parts[0]), int(parts[1])
    if parts[2] not in ("unix", "tcp"):
        raise HandshakeParseError(f"unknown address type: {parts[2]}")
    protocol = parts[4] if len(parts) > 4 else "netrpc"
    cert: bytes | None = None
    if len(parts) > 5 and len(parts[5]) > 50:
        field = parts[5]
        if "=" in field or "-" in field or "_" in field:
            raise HandshakeParseError("server cert is not RawStdEncoding")
        try:
            cert = base64.b64decode(field + "=" * (-len(field) % 4), validate=True)
        except ValueError as exc:
            raise HandshakeParseError(f"server cert: {exc}") from None
    return Handshake(core, app, parts[2], parts[3], protocol, cert)


def host_certificate() -> tuple[bytes, bytes]:
    """(cert PEM, key PEM) shaped like go-plugin's generateCert (P-521, CA)."""
    key = ec.generate_private_key(ec.SECP521R1())
    now = dt.datetime.now(dt.UTC)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, "localhost"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "HashiCorp"),
        ]
    )
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(seconds=30))
        .not_valid_after(now + dt.timedelta(hours=262980))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .add_extension(
            x509.ExtendedKeyUsage(
                [ExtendedKeyUsageOID.CLIENT_AUTH, ExtendedKeyUsageOID.SERVER_AUTH]
            ),
            critical=False,
        )
        .add_extension(
            x509.KeyUsage(True, False, True, False, True, True, False, False, False),
            critical=True,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA512())
    )
    return (
        cert.public_bytes(serialization.Encoding.PEM),
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        ),
    )


def host_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLUGIN_")}
    env.update(
        {
            MAGIC_COOKIE_KEY: MAGIC_COOKIE_VALUE,
            "PLUGIN_PROTOCOL_VERSIONS": "2",
            "PLUGIN_MIN_PORT": "10000",
            "PLUGIN_MAX_PORT": "25000",
        }
    )
    env.update(extra)
    return env


class Plugin:
    """A launched plugin process and its handshake."""

    def __init__(self, proc: subprocess.Popen[bytes], line: str, socket_dir: str = "") -> None:
        self.proc = proc
        #: The PLUGIN_UNIX_SOCKET_DIR launch() made for this plugin; kill() removes it.
        self.socket_dir = socket_dir
        self.line = line
        self.handshake = parse_handshake(line)
        self._stderr_lines: list[str] = []
        self._stderr_thread: threading.Thread | None = None

    @property
    def target(self) -> str:
        h = self.handshake
        return f"unix:{h.address}" if h.network == "unix" else h.address

    def start_stderr_reader(self) -> None:
        assert self.proc.stderr is not None
        stream = self.proc.stderr

        def run() -> None:
            with contextlib.suppress(ValueError, OSError):  # the test closed the pipe
                for raw in iter(stream.readline, b""):
                    self._stderr_lines.append(raw.decode("utf-8", "replace"))

        self._stderr_thread = threading.Thread(target=run, daemon=True)
        self._stderr_thread.start()

    def stderr_lines(self) -> list[str]:
        return list(self._stderr_lines)

    def kill(self) -> None:
        """Stop the plugin: SIGTERM first (it then removes its socket), SIGKILL after 3 s."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=3)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.proc.wait(timeout=10)
        if self.socket_dir:
            shutil.rmtree(self.socket_dir, ignore_errors=True)


def launch(script: Path, env: dict[str, str], timeout: float = 20.0) -> Plugin:
    """Start a plugin: a .py file runs under this interpreter, anything else is exec'd."""
    socket_dir = ""
    if "PLUGIN_UNIX_SOCKET_DIR" not in env:
        # A dir of the plugin's own, as go/host gives one: a plugin killed with -9
        # leaves its socket there, and kill() removes it.
        socket_dir = tempfile.mkdtemp(prefix="yurt-plugin-")
        env = {**env, "PLUGIN_UNIX_SOCKET_DIR": socket_dir}
    try:
        return _launch(script, env, timeout, socket_dir)
    except BaseException:
        if socket_dir:
            shutil.rmtree(socket_dir, ignore_errors=True)
        raise


def _launch(script: Path, env: dict[str, str], timeout: float, socket_dir: str) -> Plugin:
    argv = [sys.executable, str(script)] if script.suffix == ".py" else [str(script)]
    proc = subprocess.Popen(
        argv,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert proc.stdout is not None
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    buf = b""
    deadline = time.monotonic() + timeout
    while b"\n" not in buf:
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not sel.select(remaining):
            proc.kill()
            _, err = proc.communicate(timeout=5)
            raise TimeoutError(f"no handshake within {timeout}s; stderr: {err.decode()[-2000:]}")
        chunk = os.read(proc.stdout.fileno(), 4096)
        if not chunk:
            _, err = proc.communicate(timeout=5)
            raise RuntimeError(f"plugin exited before the handshake: {err.decode()[-2000:]}")
        buf += chunk
    sel.close()
    line, _, rest = buf.partition(b"\n")
    assert rest == b"", f"stdout had more than the handshake line: {rest!r}"
    try:
        plugin = Plugin(proc, line.decode("ascii", "replace") + "\n", socket_dir)
    except Exception:
        proc.kill()
        proc.wait(timeout=10)
        raise
    plugin.start_stderr_reader()
    return plugin


class TLSBridge:
    """A local plaintext unix socket that relays into the plugin over mTLS."""

    def __init__(
        self, handshake: Handshake, cert_pem: bytes, key_pem: bytes, alpn: bool = True
    ) -> None:
        assert handshake.cert_der is not None, "plugin sent no certificate"
        self._hs = handshake
        self._dir = tempfile.mkdtemp(prefix="yurt-bridge-")
        self.path = os.path.join(self._dir, "bridge.sock")
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.minimum_version = ssl.TLSVersion.TLSv1_2
        server_pem = ssl.DER_cert_to_PEM_cert(handshake.cert_der)
        ctx.load_verify_locations(cadata=server_pem)
        ctx.check_hostname = True
        if alpn:
            ctx.set_alpn_protocols(["h2"])
        with tempfile.TemporaryDirectory() as tmp:
            c, k = os.path.join(tmp, "c.pem"), os.path.join(tmp, "k.pem")
            Path(c).write_bytes(cert_pem)
            Path(k).write_bytes(key_pem)
            ctx.load_cert_chain(c, k)
        self._ctx = ctx
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        assert self._ready.wait(10)

    @property
    def target(self) -> str:
        return f"unix:{self.path}"

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)

        async def pipe(r: asyncio.StreamReader, w: asyncio.StreamWriter) -> None:
            with contextlib.suppress(Exception):
                while data := await r.read(65536):
                    w.write(data)
                    await w.drain()
            with contextlib.suppress(Exception):
                w.close()

        async def handle(r: asyncio.StreamReader, w: asyncio.StreamWriter) -> None:
            try:
                if self._hs.network == "unix":
                    ur, uw = await asyncio.open_unix_connection(
                        self._hs.address, ssl=self._ctx, server_hostname="localhost"
                    )
                else:
                    host, port = self._hs.address.rsplit(":", 1)
                    ur, uw = await asyncio.open_connection(
                        host, int(port), ssl=self._ctx, server_hostname="localhost"
                    )
            except (OSError, ssl.SSLError):
                w.close()
                return
            await asyncio.gather(pipe(r, uw), pipe(ur, w))

        async def main() -> None:
            await asyncio.start_unix_server(handle, path=self.path)
            self._ready.set()
            await asyncio.Event().wait()

        with contextlib.suppress(RuntimeError):
            self._loop.run_until_complete(main())

    def close(self) -> None:
        """Stop relaying and remove the bridge's socket and its directory."""
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        shutil.rmtree(self._dir, ignore_errors=True)


@contextlib.contextmanager
def running(script: Path, env: dict[str, str]) -> Iterator[Plugin]:
    plugin = launch(script, env)
    try:
        yield plugin
    finally:
        plugin.kill()
