//! The plugin binary over its real socket, launched as go-plugin's host launches it: on the fake
//! NVML (selected by `YURT_NVIDIA_FAKE`), and on a machine without NVML.

use std::collections::BTreeMap;
use std::time::Duration;

use yurt::testing::{self, LaunchOptions, Launched};

const BIN: &str = env!("CARGO_BIN_EXE_nvidia-gpu");

async fn launch(env: &[(&str, String)]) -> Launched {
    // The test's own NVML selection must not leak in: each test picks one.
    let mut vars = vec![
        ("YURT_NVIDIA_FAKE".to_string(), String::new()),
        ("YURT_NVML_LIBRARY".to_string(), String::new()),
    ];
    vars.retain(|(k, _)| !env.iter().any(|(e, _)| e == k));
    vars.extend(env.iter().map(|(k, v)| (k.to_string(), v.clone())));
    let opts = LaunchOptions {
        env: vars,
        ..Default::default()
    };
    testing::launch(BIN, opts)
        .await
        .expect("launching the plugin")
}

/// Shutdown, then an exit with status 0 within 2 s; returns the plugin's stderr.
async fn stop(mut p: Launched) -> String {
    testing::shutdown(p.channel.clone())
        .await
        .expect("Shutdown");
    let status = p
        .wait(Duration::from_secs(2))
        .await
        .expect("exit within 2 s of Shutdown");
    assert!(status.success(), "{status:?}");
    p.stderr()
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
    let p = launch(&[("YURT_NVIDIA_FAKE", fake.to_string())]).await;
    let ch = p.channel.clone();
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
    stop(p).await;
}

#[tokio::test]
async fn without_nvml_it_fingerprints_nothing_and_logs_why() {
    let p = launch(&[("YURT_NVML_LIBRARY", "/nonexistent/libnvidia-ml.so.1".into())]).await;
    let ch = p.channel.clone();
    testing::set_config(ch.clone(), config("1m")).await.unwrap();
    assert_eq!(
        testing::device_fingerprint(ch.clone()).await.unwrap(),
        vec![]
    );
    assert!(testing::health(ch.clone()).await.unwrap(), "still serving");
    let logs = stop(p).await;
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
