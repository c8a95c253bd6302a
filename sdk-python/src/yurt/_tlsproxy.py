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
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import ssl
import tempfile
from collections.abc import Awaitable, Callable

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from ._tls import ServerCertificate

__all__ = ["TLSRelay", "server_ssl_context"]

log = logging.getLogger("yurt.tls")
_BUF = 64 * 1024
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


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(_BUF):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, OSError, ssl.SSLError, asyncio.IncompleteReadError):
        pass
    finally:
        with contextlib.suppress(Exception):
            if writer.can_write_eof():
                writer.write_eof()
            else:
                writer.close()


class TLSRelay:
    """Accepts TLS on the public listener and relays to `backend` (a unix path)."""

    def __init__(self, ctx: ssl.SSLContext, client_pem: bytes, backend: str) -> None:
        self._ctx = ctx
        self._backend = backend
        self._pinned = x509.load_pem_x509_certificate(client_pem).public_bytes(
            serialization.Encoding.DER
        )
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    def handler(self) -> Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]:
        return self._handle

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._tasks.add(task)
        try:
            ssl_obj = writer.get_extra_info("ssl_object")
            peer = ssl_obj.getpeercert(binary_form=True) if ssl_obj is not None else None
            if peer != self._pinned:
                log.warning("rejecting TLS client: its certificate is not PLUGIN_CLIENT_CERT")
                writer.close()
                return
            try:
                up_reader, up_writer = await asyncio.open_unix_connection(self._backend)
            except OSError as exc:
                log.error("TLS relay cannot reach the gRPC server", extra={"error": str(exc)})
                writer.close()
                return
            await asyncio.gather(_pipe(reader, up_writer), _pipe(up_reader, writer))
            up_writer.close()
            writer.close()
        except asyncio.CancelledError:
            # Shutdown: end quietly (asyncio logs a cancelled connection task).
            writer.close()
        finally:
            if task is not None:
                self._tasks.discard(task)

    async def start_unix(self, path: str) -> None:
        self._server = await asyncio.start_unix_server(
            self._handle, path=path, ssl=self._ctx, ssl_handshake_timeout=_HANDSHAKE_TIMEOUT
        )

    async def start_tcp(self, host: str, port: int) -> None:
        self._server = await asyncio.start_server(
            self._handle,
            host=host,
            port=port,
            ssl=self._ctx,
            ssl_handshake_timeout=_HANDSHAKE_TIMEOUT,
            reuse_address=False,
        )

    def port(self) -> int:
        """The bound TCP port (after start_tcp)."""
        if self._server is None or not self._server.sockets:
            raise RuntimeError("TLS relay is not listening on TCP")
        return int(self._server.sockets[0].getsockname()[1])

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
        for task in list(self._tasks):
            task.cancel()
