//! Launches the plugin binary as go-plugin's host does (environment, stdout pipe, AutoMTLS with
//! an ECDSA P-521 host certificate), then checks the handshake, config, fingerprint, reserve and
//! Shutdown over the real socket.

use std::collections::BTreeMap;
use std::process::Stdio;
use std::time::{Duration, Instant};

use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, BufReader};
use tokio::process::Command;
use yurt::handshake::{HandshakeLine, MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE};
use yurt::testing;

const BIN: &str = env!("CARGO_BIN_EXE_rust-files");

fn host_identity() -> (String, CertificateDer<'static>, PrivateKeyDer<'static>) {
    let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P521_SHA512).unwrap();
    let mut p = rcgen::CertificateParams::new(vec!["localhost".to_string()]).unwrap();
    p.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    let cert = p.self_signed(&key).unwrap();
    (
        cert.pem(),
        cert.der().clone(),
        PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())),
    )
}

#[tokio::test]
async fn refuses_to_run_without_the_cookie() {
    let out = Command::new(BIN)
        .env_remove(MAGIC_COOKIE_KEY)
        .output()
        .await
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty(), "stdout must stay clean");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("This binary is a plugin"), "{err}");
}

#[tokio::test]
async fn serves_over_mtls_and_exits_on_shutdown() {
    let (pem, host_der, host_key) = host_identity();
    let mut child = Command::new(BIN)
        .env(MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE)
        .env("PLUGIN_PROTOCOL_VERSIONS", "1,2")
        .env("PLUGIN_MIN_PORT", "10000")
        .env("PLUGIN_MAX_PORT", "25000")
        .env("PLUGIN_CLIENT_CERT", &pem)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    // A host always drains stderr; so must this test, or a full pipe would block the plugin.
    let mut stderr_pipe = child.stderr.take().unwrap();
    let stderr_task = tokio::spawn(async move {
        let mut all = String::new();
        let _ = stderr_pipe.read_to_string(&mut all).await;
        all
    });
    let t0 = Instant::now();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    tokio::time::timeout(Duration::from_secs(10), stdout.read_line(&mut first))
        .await
        .expect("handshake within 10 s")
        .unwrap();
    let startup = t0.elapsed();
    let line: HandshakeLine = first.parse().unwrap();
    assert_eq!((line.core_version, line.app_version), (1, 2));
    assert!(first.starts_with("1|2|unix|/"), "{first}");
    let server = CertificateDer::from(line.cert_der.clone().expect("certificate in field 6"));

    let tls = yurt::mtls::client_config(server, host_der, host_key).unwrap();
    let ch = testing::connect(&line, Some(tls)).await.unwrap();
    assert!(testing::health(ch.clone()).await.unwrap());
    let info = testing::plugin_info(ch.clone()).await.unwrap();
    assert_eq!(info.kind, "device");
    assert_eq!(info.name, "rust-files");
    assert_eq!(info.api_versions, vec!["v0.1.0".to_string()]);

    // What hcldec would produce from the HCL config, as cty msgpack.
    let mut cfg = BTreeMap::new();
    cfg.insert("env_var", rmp_serde_value("ACME_VISIBLE_DEVICES"));
    cfg.insert("ids", vec!["fpga0".to_string(), "fpga1".to_string()].into());
    cfg.insert("model", "x1".to_string().into());
    cfg.insert("type", "fpga".to_string().into());
    cfg.insert("vendor", "acme".to_string().into());
    let bytes = rmp_serde::to_vec_named(&cfg).unwrap();
    testing::set_config(ch.clone(), bytes).await.unwrap();

    let bad = rmp_serde::to_vec_named(&BTreeMap::from([("ids", 7)])).unwrap();
    let err = testing::set_config(ch.clone(), bad).await.unwrap_err();
    assert!(err.message().contains("config"), "{}", err.message());

    let groups = testing::device_fingerprint(ch.clone()).await.unwrap();
    assert_eq!(
        groups,
        vec![(
            "x1".to_string(),
            vec!["fpga0".to_string(), "fpga1".to_string()]
        )]
    );
    let env = testing::device_reserve(ch.clone(), vec!["fpga1".into()])
        .await
        .unwrap();
    assert_eq!(env["ACME_VISIBLE_DEVICES"], "fpga1");
    let err = testing::device_reserve(ch.clone(), vec!["gpu9".into()])
        .await
        .unwrap_err();
    assert_eq!(err.message(), "unknown device IDs: gpu9");

    let t1 = Instant::now();
    testing::shutdown(ch).await.unwrap();
    let status = tokio::time::timeout(Duration::from_secs(2), child.wait())
        .await
        .expect("exit within 2 s of Shutdown")
        .unwrap();
    assert!(status.success(), "{status:?}");
    eprintln!(
        "startup to handshake: {startup:?}; shutdown: {:?}",
        t1.elapsed()
    );

    // Nothing but the handshake on stdout; stderr is hclog JSON.
    let mut rest = String::new();
    stdout.read_to_string(&mut rest).await.unwrap();
    assert_eq!(rest, "", "stdout after the handshake");
    let err = stderr_task.await.unwrap();
    let configured = err
        .lines()
        .find(|l| l.contains("\"configured\""))
        .unwrap_or_else(|| panic!("no log line in {err}"));
    assert!(
        configured.starts_with('{') && configured.contains("\"@level\":\"info\""),
        "{configured}"
    );
}

#[derive(serde::Serialize)]
#[serde(untagged)]
enum V {
    S(String),
    L(Vec<String>),
}
impl From<String> for V {
    fn from(s: String) -> Self {
        V::S(s)
    }
}
impl From<Vec<String>> for V {
    fn from(l: Vec<String>) -> Self {
        V::L(l)
    }
}
fn rmp_serde_value(s: &str) -> V {
    V::S(s.to_string())
}
