//! The plugin binary over its real socket, launched as go-plugin's host launches it: on the fake
//! NVML (selected by `YURT_NVIDIA_FAKE`), and on a machine without NVML.

use std::collections::BTreeMap;
use std::process::Stdio;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncReadExt, BufReader};
use tokio::process::{Child, Command};
use yurt::handshake::{HandshakeLine, MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE};
use yurt::testing;

const BIN: &str = env!("CARGO_BIN_EXE_nvidia-gpu");

async fn launch(env: &[(&str, String)]) -> (Child, HandshakeLine, tokio::task::JoinHandle<String>) {
    let mut cmd = Command::new(BIN);
    cmd.env(MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE)
        .env("PLUGIN_PROTOCOL_VERSIONS", "1,2")
        .env_remove("PLUGIN_CLIENT_CERT")
        .env_remove("YURT_NVIDIA_FAKE")
        .env_remove("YURT_NVML_LIBRARY")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("starting the plugin binary");
    let mut stderr = child.stderr.take().expect("stderr piped");
    let logs = tokio::spawn(async move {
        let mut all = String::new();
        let _ = stderr.read_to_string(&mut all).await;
        all
    });
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout piped"));
    let mut first = String::new();
    tokio::time::timeout(Duration::from_secs(10), stdout.read_line(&mut first))
        .await
        .expect("handshake within 10 s")
        .expect("reading the handshake");
    (child, first.parse().expect("a handshake line"), logs)
}

async fn stop(mut child: Child, ch: tonic::transport::Channel) {
    testing::shutdown(ch).await.expect("Shutdown");
    let status = tokio::time::timeout(Duration::from_secs(2), child.wait())
        .await
        .expect("exit within 2 s of Shutdown")
        .expect("waiting for the plugin");
    assert!(status.success(), "{status:?}");
}

fn config(period: &str) -> Vec<u8> {
    // What hcldec produces from `fingerprint_period = "..."` with the schema's defaults.
    #[derive(serde::Serialize)]
    struct C {
        enabled: bool,
        fake_nvml: Option<String>,
        fingerprint_period: String,
        ignored_gpu_ids: Vec<String>,
    }
    rmp_serde::to_vec_named(&C {
        enabled: true,
        fake_nvml: None,
        fingerprint_period: period.into(),
        ignored_gpu_ids: vec!["GPU-7f3e2d10-aaaa-4bbb-8ccc-000000000002".into()],
    })
    .expect("encoding the config")
}

#[tokio::test]
async fn fingerprints_and_reserves_the_fake_gpus() {
    let fake = concat!(env!("CARGO_MANIFEST_DIR"), "/conformance/fake-gpus.json");
    let (child, line, _logs) = launch(&[("YURT_NVIDIA_FAKE", fake.to_string())]).await;
    let ch = testing::connect(&line, None)
        .await
        .expect("dialing the plugin");
    let info = testing::plugin_info(ch.clone()).await.unwrap();
    assert_eq!((info.kind, info.name.as_str()), ("device", "nvidia-gpu"));
    testing::set_config(ch.clone(), config("1m")).await.unwrap();
    let groups = testing::device_fingerprint(ch.clone()).await.unwrap();
    assert_eq!(
        groups,
        vec![
            (
                "NVIDIA H100 80GB HBM3".to_string(),
                vec!["GPU-5a1c7b0e-1d1e-4f4a-9a51-000000000000".to_string()]
            ),
            (
                "NVIDIA H100 80GB HBM3 MIG 3g.40gb".to_string(),
                vec![
                    "MIG-0e6c3a51-5f0b-5d7e-8d2c-000000000010".to_string(),
                    "MIG-0e6c3a51-5f0b-5d7e-8d2c-000000000011".to_string()
                ]
            ),
        ],
        "the A100 is in ignored_gpu_ids"
    );
    let env = testing::device_reserve(
        ch.clone(),
        vec!["MIG-0e6c3a51-5f0b-5d7e-8d2c-000000000011".into()],
    )
    .await
    .unwrap();
    assert_eq!(
        env,
        BTreeMap::from([(
            "NVIDIA_VISIBLE_DEVICES".to_string(),
            "MIG-0e6c3a51-5f0b-5d7e-8d2c-000000000011".to_string()
        )])
    );
    let e = testing::device_reserve(
        ch.clone(),
        vec!["GPU-7f3e2d10-aaaa-4bbb-8ccc-000000000002".into()],
    )
    .await
    .unwrap_err();
    assert_eq!(
        e.message(),
        "unknown device IDs: GPU-7f3e2d10-aaaa-4bbb-8ccc-000000000002 \
         (GPU-7f3e2d10-aaaa-4bbb-8ccc-000000000002 listed in ignored_gpu_ids)"
    );
    stop(child, ch).await;
}

#[tokio::test]
async fn without_nvml_it_fingerprints_nothing_and_logs_why() {
    let (child, line, logs) =
        launch(&[("YURT_NVML_LIBRARY", "/nonexistent/libnvidia-ml.so.1".into())]).await;
    let ch = testing::connect(&line, None)
        .await
        .expect("dialing the plugin");
    testing::set_config(ch.clone(), config("1m")).await.unwrap();
    assert_eq!(
        testing::device_fingerprint(ch.clone()).await.unwrap(),
        vec![]
    );
    assert!(testing::health(ch.clone()).await.unwrap(), "still serving");
    stop(child, ch).await;
    let logs = logs.await.unwrap();
    let why = logs
        .lines()
        .find(|l| l.contains("fingerprinting no devices"))
        .unwrap_or_else(|| panic!("no log line saying why, in:\n{logs}"));
    assert!(
        why.starts_with('{') && why.contains("\"@level\":\"warn\""),
        "{why}"
    );
    assert!(
        why.contains(
            "no NVML: libnvidia-ml.so.1 could not be loaded (tried /nonexistent/libnvidia-ml.so.1"
        ),
        "{why}"
    );
}
