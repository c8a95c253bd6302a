//! go-plugin AutoMTLS, plugin side.
//!
//! When the host sets `PLUGIN_CLIENT_CERT`, the plugin generates its own self-signed certificate
//! (SAN `localhost`, like go-plugin's `generateCert`), serves TLS 1.2+ and accepts exactly one
//! client certificate: the host's PEM, compared byte for byte. A pinned comparison is used instead
//! of webpki path building because go-plugin's host certificate is a CA certificate used as an
//! end entity (webpki refuses that) and is signed with ECDSA P-521/SHA-512. Handshake signatures
//! are still verified with aws-lc-rs, which supports P-521.

use std::sync::Arc;

use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    KeyPair, KeyUsagePurpose,
};
use rustls::DistinguishedName as TlsName;
use rustls::client::danger::HandshakeSignatureValid;
use rustls::crypto::{CryptoProvider, WebPkiSupportedAlgorithms};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer, UnixTime};
use rustls::server::danger::{ClientCertVerified, ClientCertVerifier};
use rustls::{DigitallySignedStruct, Error as TlsError, ServerConfig, SignatureScheme};

/// Why AutoMTLS could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum MtlsError {
    /// `PLUGIN_CLIENT_CERT` held no usable PEM certificate.
    #[error("PLUGIN_CLIENT_CERT: expected a PEM \"CERTIFICATE\" block, got {0}")]
    ClientCert(String),
    /// Generating our own certificate failed.
    #[error("generating the plugin certificate: {0}")]
    Generate(#[from] rcgen::Error),
    /// rustls refused the configuration.
    #[error("building the TLS configuration: {0}")]
    Tls(#[from] TlsError),
}

/// A certificate and key the plugin presents.
pub struct Identity {
    /// DER certificate (what goes, base64, in handshake field 6).
    pub cert_der: CertificateDer<'static>,
    /// PKCS#8 private key.
    pub key_der: PrivatePkcs8KeyDer<'static>,
}

/// The crypto provider used everywhere: aws-lc-rs, for P-521.
pub fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::aws_lc_rs::default_provider())
}

/// Generates the plugin's self-signed ECDSA P-256 certificate, mirroring go-plugin's
/// `generateCert`: SAN and CN `localhost`, server and client auth, valid from 30 s ago for about
/// 30 years, marked as a CA so it can also sign brokered connections.
pub fn generate_identity() -> Result<Identity, MtlsError> {
    let key = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256)?;
    let mut params = CertificateParams::new(vec!["localhost".to_string()])?;
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, "localhost");
    dn.push(DnType::OrganizationName, "Yurt plugin");
    params.distinguished_name = dn;
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::KeyEncipherment,
        KeyUsagePurpose::KeyAgreement,
        KeyUsagePurpose::KeyCertSign,
    ];
    params.extended_key_usages = vec![
        ExtendedKeyUsagePurpose::ServerAuth,
        ExtendedKeyUsagePurpose::ClientAuth,
    ];
    let now = time::OffsetDateTime::now_utc();
    params.not_before = now - time::Duration::seconds(30);
    params.not_after = now + time::Duration::hours(262_980);
    let cert = params.self_signed(&key)?;
    Ok(Identity {
        cert_der: cert.der().clone(),
        key_der: PrivatePkcs8KeyDer::from(key.serialize_der()),
    })
}

/// Reads the first certificate from a PEM string.
pub fn parse_cert_pem(pem: &str) -> Result<CertificateDer<'static>, MtlsError> {
    let mut certs = CertificateDer::pem_slice_iter(pem.as_bytes());
    match certs.next() {
        Some(Ok(c)) => Ok(c),
        Some(Err(e)) => Err(MtlsError::ClientCert(format!("unreadable PEM ({e})"))),
        None => Err(MtlsError::ClientCert(format!(
            "no certificate in {} bytes of text",
            pem.len()
        ))),
    }
}

/// Builds the server configuration: our identity, the host's pinned certificate required, ALPN
/// `h2` (grpc-go checks it).
pub fn server_config(
    identity: &Identity,
    client_cert_pem: &str,
) -> Result<ServerConfig, MtlsError> {
    let pinned = parse_cert_pem(client_cert_pem)?;
    let provider = provider();
    let verifier = PinnedClientCert::new(pinned, &provider);
    let mut cfg = ServerConfig::builder_with_provider(provider)
        .with_protocol_versions(&[&rustls::version::TLS13, &rustls::version::TLS12])?
        .with_client_cert_verifier(Arc::new(verifier))
        .with_single_cert(
            vec![identity.cert_der.clone()],
            PrivateKeyDer::Pkcs8(identity.key_der.clone_key()),
        )?;
    cfg.alpn_protocols = vec![b"h2".to_vec()];
    Ok(cfg)
}

/// Accepts exactly one client certificate.
#[derive(Debug)]
pub struct PinnedClientCert {
    cert: CertificateDer<'static>,
    algs: WebPkiSupportedAlgorithms,
}

impl PinnedClientCert {
    /// A verifier that accepts only `cert`, checking signatures with `provider`'s algorithms.
    pub fn new(cert: CertificateDer<'static>, provider: &CryptoProvider) -> Self {
        PinnedClientCert {
            cert,
            algs: provider.signature_verification_algorithms,
        }
    }
}

impl ClientCertVerifier for PinnedClientCert {
    fn root_hint_subjects(&self) -> &[TlsName] {
        // Empty hints: Go's client then offers its only certificate.
        &[]
    }

    fn verify_client_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _now: UnixTime,
    ) -> Result<ClientCertVerified, TlsError> {
        if end_entity.as_ref() == self.cert.as_ref() {
            Ok(ClientCertVerified::assertion())
        } else {
            Err(TlsError::General(
                "client certificate is not the one given in PLUGIN_CLIENT_CERT".into(),
            ))
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, TlsError> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algs)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, TlsError> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algs)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algs.supported_schemes()
    }
}

/// A client configuration as go-plugin's host builds it: present `client_cert`, trust exactly
/// `server_cert` (the DER from handshake field 6), ALPN `h2`. For tests and host-side tools.
pub fn client_config(
    server_cert: CertificateDer<'static>,
    client_cert: CertificateDer<'static>,
    client_key: PrivateKeyDer<'static>,
) -> Result<rustls::ClientConfig, MtlsError> {
    let provider = provider();
    let verifier = PinnedServerCert {
        cert: server_cert,
        algs: provider.signature_verification_algorithms,
    };
    let mut cfg = rustls::ClientConfig::builder_with_provider(provider)
        .with_protocol_versions(&[&rustls::version::TLS13, &rustls::version::TLS12])?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_client_auth_cert(vec![client_cert], client_key)?;
    cfg.alpn_protocols = vec![b"h2".to_vec()];
    Ok(cfg)
}

/// Accepts exactly one server certificate.
#[derive(Debug)]
struct PinnedServerCert {
    cert: CertificateDer<'static>,
    algs: WebPkiSupportedAlgorithms,
}

impl rustls::client::danger::ServerCertVerifier for PinnedServerCert {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &rustls::pki_types::ServerName<'_>,
        _ocsp: &[u8],
        _now: UnixTime,
    ) -> Result<rustls::client::danger::ServerCertVerified, TlsError> {
        if end_entity.as_ref() == self.cert.as_ref() {
            Ok(rustls::client::danger::ServerCertVerified::assertion())
        } else {
            Err(TlsError::General(
                "server certificate is not the one from the handshake".into(),
            ))
        }
    }
    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, TlsError> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algs)
    }
    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, TlsError> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algs)
    }
    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algs.supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_is_a_localhost_certificate() {
        let id = generate_identity().unwrap();
        let der = id.cert_der.as_ref();
        // Cheap structural checks without an X.509 parser: DER SEQUENCE, and the SAN
        // dNSName "localhost" ([2] IA5String) is present.
        assert_eq!(der[0], 0x30);
        let san = [&[0x82u8, 9][..], b"localhost"].concat();
        assert!(der.windows(san.len()).any(|w| w == san.as_slice()));
        // serverAuth EKU OID 1.3.6.1.5.5.7.3.1
        let server_auth = [0x06, 0x08, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x01];
        assert!(der.windows(server_auth.len()).any(|w| w == server_auth));
    }

    #[test]
    fn bad_client_pem_is_reported() {
        let id = generate_identity().unwrap();
        let err = server_config(&id, "not a pem").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("PLUGIN_CLIENT_CERT: expected a PEM"),
            "{err}"
        );
    }

    #[test]
    fn pinned_verifier_accepts_only_the_pinned_cert() {
        let a = generate_identity().unwrap();
        let b = generate_identity().unwrap();
        let v = PinnedClientCert::new(a.cert_der.clone(), &provider());
        assert!(
            v.verify_client_cert(&a.cert_der, &[], UnixTime::now())
                .is_ok()
        );
        assert!(
            v.verify_client_cert(&b.cert_der, &[], UnixTime::now())
                .is_err()
        );
        assert!(v.client_auth_mandatory());
        assert!(
            v.supported_verify_schemes()
                .contains(&SignatureScheme::ECDSA_NISTP521_SHA512),
            "P-521 must be accepted: go-plugin's host key is P-521"
        );
    }
}
