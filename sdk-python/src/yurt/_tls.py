"""AutoMTLS certificates for the go-plugin handshake.

When the host sets PLUGIN_CLIENT_CERT it expects the plugin to serve TLS with a
certificate of its own (SAN `localhost`, usable for serverAuth) and to accept
only clients that present the host's certificate. The plugin's DER certificate
travels back in handshake field 6, base64 without padding (Go's
RawStdEncoding). The plugin key is ECDSA P-256: go-plugin's verifier takes any
curve, and P-256 avoids the P-521 trouble some TLS stacks have had (the host's
own certificate is P-521, which grpcio must still verify as a client cert).
"""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

__all__ = ["ServerCertificate", "generate_server_certificate", "load_client_certificate"]

# go-plugin back-dates its certificates by 30 s to tolerate clock skew.
_BACKDATE = dt.timedelta(seconds=30)
_VALIDITY = dt.timedelta(days=3650)


@dataclass(frozen=True)
class ServerCertificate:
    """The plugin's own TLS identity."""

    cert_pem: bytes
    key_pem: bytes
    cert_der: bytes

    @property
    def handshake_field(self) -> str:
        """Field 6 of the handshake line: base64 (standard alphabet) of DER, no padding."""
        return base64.b64encode(self.cert_der).decode("ascii").rstrip("=")


def generate_server_certificate(
    curve: ec.EllipticCurve | None = None, now: dt.datetime | None = None
) -> ServerCertificate:
    """A fresh self-signed certificate with SAN DNS:localhost, EKU server+client auth."""
    key = ec.generate_private_key(curve or ec.SECP256R1())
    now = now or dt.datetime.now(dt.UTC)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, "localhost"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Yurt"),
        ]
    )
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - _BACKDATE)
        .not_valid_after(now + _VALIDITY)
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .add_extension(
            x509.ExtendedKeyUsage(
                [ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]
            ),
            critical=False,
        )
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=True,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    return ServerCertificate(
        cert_pem=cert.public_bytes(serialization.Encoding.PEM),
        key_pem=key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
        cert_der=cert.public_bytes(serialization.Encoding.DER),
    )


def load_client_certificate(pem: str) -> bytes:
    """Validate PLUGIN_CLIENT_CERT and return it as PEM bytes for the trust store.

    Exactly one certificate is expected; anything else is a host bug worth a
    clear message rather than a TLS failure later.
    """
    data = pem.encode("utf-8")
    try:
        certs = x509.load_pem_x509_certificates(data)
    except ValueError as exc:
        raise ValueError(
            f"PLUGIN_CLIENT_CERT: expected one PEM CERTIFICATE block, got unparsable data ({exc})"
        ) from None
    if len(certs) != 1:
        raise ValueError(f"PLUGIN_CLIENT_CERT: expected exactly one certificate, got {len(certs)}")
    return certs[0].public_bytes(serialization.Encoding.PEM)
