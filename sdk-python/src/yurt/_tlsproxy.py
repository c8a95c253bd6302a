"""TLS termination for AutoMTLS, in front of the plaintext gRPC server.

grpcio's wheels use BoringSSL, which does not offer ecdsa_secp521r1_sha512 in
a CertificateRequest; Go's crypto/tls therefore sends no client certificate
and the handshake fails (go-plugin #281, grpc #23235; reproduced with grpcio
1.85.1 and a Go 1.26 client). The host's AutoMTLS certificate is always
P-521, so the plugin terminates TLS with Python's `ssl` module (OpenSSL) and
relays the decrypted HTTP/2 bytes to the gRPC server on a private unix socket.

Policy matches go-plugin's server: TLS 1.2+, ALPN h2 (grpc-go requires it),
a client certificate is required and chain-verified against the host's PEM,
and then pinned: the presented leaf must be byte-for-byte that certificate.

The relay moves bytes with non-blocking `ssl.SSLSocket`s driven by the event
loop's reader/writer callbacks, not with asyncio streams: asyncio's TLS layer
is a pure-Python state machine with a task hop per read, which cost about
250 us per call (BENCHMARKS.md, "Python unary"). Relay threads were tried
too: the GIL hand-offs between them and the loop cost nearly as much.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import ssl
import tempfile
from collections.abc import Callable

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from ._tls import ServerCertificate

__all__ = ["TLSRelay", "server_ssl_context"]

log = logging.getLogger("yurt.tls")
_BUF = 64 * 1024
_HIGH_WATER = 4 * 1024 * 1024  # stop reading a side while this much waits for the other
_TLS_CHUNK = 16 * 1024  # one TLS record's worth per SSL_write
_HANDSHAKE_TIMEOUT = 10.0


def server_ssl_context(own: ServerCertificate, client_pem: bytes) -> ssl.SSLContext:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.verify_mode = ssl.CERT_REQUIRED
    ctx.load_verify_locations(cadata=client_pem.decode("ascii"))
    ctx.set_alpn_protocols(["h2"])
    # load_cert_chain only reads files; keep them in a 0700 dir for a moment.
    with tempfile.TemporaryDirectory(prefix="yurt-tls-") as tmp:
        cert_path = os.path.join(tmp, "cert.pem")
        key_path = os.path.join(tmp, "key.pem")
        for path, data in ((cert_path, own.cert_pem), (key_path, own.key_pem)):
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
        ctx.load_cert_chain(cert_path, key_path)
    return ctx


class TLSRelay:
    """Accepts TLS on the public listener and relays to `backend` (a unix path)."""

    def __init__(self, ctx: ssl.SSLContext, client_pem: bytes, backend: str) -> None:
        self._ctx = ctx
        self._backend = backend
        self._pinned = x509.load_pem_x509_certificate(client_pem).public_bytes(
            serialization.Encoding.DER
        )
        self._listener: socket.socket | None = None
        self._accept_task: asyncio.Task[None] | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    async def start_unix(self, path: str) -> None:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.bind(path)
            sock.listen(128)
        except OSError:
            sock.close()
            raise
        self._start(sock)

    async def start_tcp(self, host: str, port: int) -> None:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            sock.bind((host, port))
            sock.listen(128)
        except OSError:
            sock.close()
            raise
        self._start(sock)

    def port(self) -> int:
        """The bound TCP port (after start_tcp)."""
        if self._listener is None or self._listener.family != socket.AF_INET:
            raise RuntimeError("TLS relay is not listening on TCP")
        return int(self._listener.getsockname()[1])

    def _start(self, sock: socket.socket) -> None:
        sock.setblocking(False)
        self._listener = sock
        self._accept_task = asyncio.get_running_loop().create_task(self._accept_loop(sock))

    async def _accept_loop(self, listener: socket.socket) -> None:
        loop = asyncio.get_running_loop()
        while True:
            try:
                conn, _addr = await loop.sock_accept(listener)
            except OSError as exc:
                log.warning("TLS relay accept failed", extra={"error": str(exc)})
                await asyncio.sleep(0.05)
                continue
            task = loop.create_task(self._connection(conn))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _connection(self, conn: socket.socket) -> None:
        loop = asyncio.get_running_loop()
        conn.setblocking(False)
        try:
            tls = self._ctx.wrap_socket(conn, server_side=True, do_handshake_on_connect=False)
        except (OSError, ValueError) as exc:
            log.debug("TLS setup failed", extra={"error": str(exc)})
            conn.close()
            return
        up: socket.socket | None = None
        try:
            try:
                await asyncio.wait_for(_handshake(loop, tls), _HANDSHAKE_TIMEOUT)
            except (TimeoutError, OSError, ValueError) as exc:  # SSLError is an OSError
                log.debug("TLS handshake failed", extra={"error": str(exc) or type(exc).__name__})
                return
            if tls.getpeercert(binary_form=True) != self._pinned:
                log.warning("rejecting TLS client: its certificate is not PLUGIN_CLIENT_CERT")
                return
            up = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            up.setblocking(False)
            try:
                await loop.sock_connect(up, self._backend)
            except OSError as exc:
                log.error("TLS relay cannot reach the gRPC server", extra={"error": str(exc)})
                return
            pump = _Pump(loop, tls, up)
            try:
                await pump.done
            finally:
                pump.stop()
        finally:
            tls.close()
            if up is not None:
                up.close()

    async def close(self) -> None:
        """Stops accepting and ends every connection."""
        tasks = list(self._tasks)
        if self._accept_task is not None:
            tasks.append(self._accept_task)
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        if self._listener is not None:
            self._listener.close()


async def _handshake(loop: asyncio.AbstractEventLoop, tls: ssl.SSLSocket) -> None:
    while True:
        try:
            tls.do_handshake()
            return
        except ssl.SSLWantReadError:
            await _ready(loop, tls, write=False)
        except ssl.SSLWantWriteError:
            await _ready(loop, tls, write=True)


async def _ready(loop: asyncio.AbstractEventLoop, sock: socket.socket, *, write: bool) -> None:
    fut: asyncio.Future[None] = loop.create_future()

    def wake() -> None:
        if not fut.done():
            fut.set_result(None)

    fd = sock.fileno()
    if write:
        loop.add_writer(fd, wake)
    else:
        loop.add_reader(fd, wake)
    try:
        await fut
    finally:
        if write:
            loop.remove_writer(fd)
        else:
            loop.remove_reader(fd)


class _Pump:
    """Moves bytes both ways between a non-blocking TLS socket and the backend.

    Driven by the loop's reader/writer callbacks. Each side's unsent bytes are
    buffered, and a side is not read while the buffer towards the other is
    above the high-water mark. SSL_write is retried with the same bytes after
    SSLWantWrite, as OpenSSL requires. `done` resolves when the connection is
    over: the server closed its side and its last bytes left, the host closed
    and the server answered, or either socket failed.
    """

    def __init__(self, loop: asyncio.AbstractEventLoop, tls: ssl.SSLSocket, up: socket.socket):
        self.loop, self.tls, self.up = loop, tls, up
        self.tls_fd, self.up_fd = tls.fileno(), up.fileno()
        self.to_up = bytearray()
        self.to_tls = bytearray()
        self.tls_chunk = 0  # length of an SSL_write to retry, 0 if none pending
        self.tls_eof = False
        self.up_eof = False
        self.up_shut = False
        self.watching: dict[tuple[int, bool], bool] = {}
        self.done: asyncio.Future[None] = loop.create_future()
        self._step()

    def stop(self) -> None:
        for (fd, write), on in list(self.watching.items()):
            if on:
                (self.loop.remove_writer if write else self.loop.remove_reader)(fd)
        self.watching.clear()

    def _finish(self) -> None:
        self.stop()
        if not self.done.done():
            self.done.set_result(None)

    def _watch(self, fd: int, write: bool, want: bool) -> None:
        if self.watching.get((fd, write), False) == want:
            return
        self.watching[(fd, write)] = want
        if write:
            if want:
                self.loop.add_writer(fd, self._step)
            else:
                self.loop.remove_writer(fd)
        elif want:
            self.loop.add_reader(
                fd, self._step, self._read_tls if fd == self.tls_fd else self._read_up
            )
        else:
            self.loop.remove_reader(fd)

    def _step(self, read: Callable[[], None] | None = None) -> None:
        """Reads the side that is ready (if any), writes what is buffered, then
        re-arms the callbacks. Only the ready side is read: a read attempt on
        the idle one would be a wasted syscall per message."""
        if self.done.done():
            return
        try:
            if read is not None:
                read()
            self._flush()
        except (OSError, ValueError):
            self._finish()  # reset, broken pipe, TLS alert: the connection is over
            return
        if (self.up_eof and not self.to_tls) or (self.tls_eof and self.up_eof):
            self._finish()
            return
        self._watch(self.tls_fd, False, not self.tls_eof and len(self.to_up) < _HIGH_WATER)
        self._watch(self.tls_fd, True, bool(self.to_tls))
        self._watch(self.up_fd, False, not self.up_eof and len(self.to_tls) < _HIGH_WATER)
        self._watch(self.up_fd, True, bool(self.to_up))
        # Decrypted bytes can wait inside the SSL object, where no callback sees them.
        if not self.tls_eof and len(self.to_up) < _HIGH_WATER and self.tls.pending():
            self.loop.call_soon(self._step, self._read_tls)

    def _read_tls(self) -> None:
        while not self.tls_eof and len(self.to_up) < _HIGH_WATER:
            try:
                data = self.tls.recv(_BUF)
            except (ssl.SSLWantReadError, ssl.SSLWantWriteError, BlockingIOError):
                return
            except ssl.SSLZeroReturnError:
                data = b""
            if not data:
                self.tls_eof = True
                return
            self.to_up += data

    def _read_up(self) -> None:
        while not self.up_eof and len(self.to_tls) < _HIGH_WATER:
            try:
                data = self.up.recv(_BUF)
            except (BlockingIOError, InterruptedError):
                return
            if not data:
                self.up_eof = True
                return
            self.to_tls += data

    def _flush(self) -> None:
        while self.to_up:
            try:
                n = self.up.send(self.to_up)
            except (BlockingIOError, InterruptedError):
                break
            del self.to_up[:n]
        while self.to_tls:
            size = self.tls_chunk or min(len(self.to_tls), _TLS_CHUNK)
            try:
                n = self.tls.send(self.to_tls[:size])
            except (ssl.SSLWantWriteError, ssl.SSLWantReadError, BlockingIOError):
                self.tls_chunk = size
                break
            self.tls_chunk = 0
            del self.to_tls[:n]
        if self.tls_eof and not self.to_up and not self.up_shut:
            self.up_shut = True
            with contextlib.suppress(OSError):
                self.up.shutdown(socket.SHUT_WR)
