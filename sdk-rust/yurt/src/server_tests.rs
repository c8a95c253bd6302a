//! The whole server in-process, over real sockets: handshake line, health, go-plugin services,
//! Shutdown, AutoMTLS with a P-521 client certificate like go-plugin's host, and Nomad RPCs
//! through the typed driver and device adapters.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio_stream::StreamExt;
use tonic::transport::Channel;

use crate::base::{BasePlugin, PluginConfig, PluginInfo};
use crate::device::{DeviceGroup, DeviceGroupStats, DevicePlugin, Reservation};
use crate::driver::*;
use crate::r#gen::{base as bpb, device as dpb, drivers as pb, plugin as gpb};
use crate::goplugin::handshake::{Address, HandshakeEnv, HandshakeLine};
use crate::goplugin::{self, Runtime, ShutdownSignal, Transport};
use crate::hclspec::{attr, object};
use crate::{Error, recoverable_detail};

mod driver;
mod optional;
mod transport;

fn env(cert: Option<String>) -> HandshakeEnv {
    HandshakeEnv {
        app_version: 2,
        min_port: 0,
        max_port: 0,
        client_cert_pem: cert,
        unix_socket_dir: None,
        unix_socket_group: None,
        multiplex_requested: false,
        warnings: vec![],
    }
}

struct Running {
    line: HandshakeLine,
    shutdown: ShutdownSignal,
    task: tokio::task::JoinHandle<Result<(), crate::ServeError>>,
}

async fn start(
    env: HandshakeEnv,
    transport: Transport,
    routes: impl FnOnce(&ShutdownSignal) -> tonic::service::RoutesBuilder,
) -> Running {
    let shutdown = ShutdownSignal::new();
    let routes = routes(&shutdown);
    let (tx, rx) = tokio::sync::oneshot::channel();
    let sd = shutdown.clone();
    let task = tokio::spawn(async move {
        let rt = Runtime {
            env,
            transport,
            stdout_chunks: None,
        };
        goplugin::run(rt, routes, sd, move |l| {
            let _ = tx.send(l.clone());
            Ok(())
        })
        .await
    });
    let line = rx.await.expect("handshake line");
    Running {
        line,
        shutdown,
        task,
    }
}

async fn connect(line: &HandshakeLine, tls: Option<rustls::ClientConfig>) -> Channel {
    crate::testing::connect(line, tls).await.expect("connect")
}

/// A host-like identity: ECDSA P-521 / SHA-512, CA, CN localhost (go-plugin's generateCert).
fn host_identity() -> (String, CertificateDer<'static>, PrivateKeyDer<'static>) {
    let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P521_SHA512).unwrap();
    let mut p = rcgen::CertificateParams::new(vec!["localhost".to_string()]).unwrap();
    p.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    p.extended_key_usages = vec![
        rcgen::ExtendedKeyUsagePurpose::ClientAuth,
        rcgen::ExtendedKeyUsagePurpose::ServerAuth,
    ];
    let cert = p.self_signed(&key).unwrap();
    (
        cert.pem(),
        cert.der().clone(),
        PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())),
    )
}

async fn assert_health(ch: Channel) {
    let mut h = tonic_health::pb::health_client::HealthClient::new(ch);
    let r = h
        .check(tonic_health::pb::HealthCheckRequest {
            service: "plugin".into(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        r.status,
        tonic_health::pb::health_check_response::ServingStatus::Serving as i32
    );
}
