//! Launches the plugin binary as go-plugin's host does (`yurt::testing::launch`: environment,
//! stdout pipe, AutoMTLS with an ECDSA P-521 host certificate), then checks the handshake,
//! config, fingerprint, reserve and Shutdown over the real socket.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use tokio::process::Command;
use yurt::MAGIC_COOKIE_KEY;
use yurt::testing::{self, Address, LaunchOptions};

const BIN: &str = env!("CARGO_BIN_EXE_rust-files");

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
    let t0 = Instant::now();
    let opts = LaunchOptions {
        automtls: true,
        ..Default::default()
    };
    let mut p = testing::launch(BIN, opts).await.unwrap();
    let startup = t0.elapsed();
    assert_eq!((p.line.core_version, p.line.app_version), (1, 2));
    assert!(matches!(p.line.address, Address::Unix(_)), "{:?}", p.line);
    assert!(p.line.cert_der.is_some(), "certificate in field 6");

    let ch = p.channel.clone();
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
    let status = p
        .wait(Duration::from_secs(2))
        .await
        .expect("exit within 2 s of Shutdown");
    assert!(status.success(), "{status:?}");
    eprintln!(
        "startup to handshake: {startup:?}; shutdown: {:?}",
        t1.elapsed()
    );

    // Nothing but the handshake on stdout; stderr is hclog JSON.
    assert_eq!(p.stdout(), "", "stdout after the handshake");
    let err = p.stderr();
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
