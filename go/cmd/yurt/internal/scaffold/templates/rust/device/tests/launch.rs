//! Launches the built plugin as Nomad does (`yurt::testing`: go-plugin's handshake, with and
//! without AutoMTLS) and makes Nomad's calls.

use std::time::Duration;

use yurt::testing::{self, LaunchOptions};

#[derive(serde::Serialize)]
struct Cfg {
    ids: Vec<&'static str>,
}

#[tokio::test]
async fn fingerprints_and_reserves_the_configured_devices() {
    for automtls in [false, true] {
        let opts = LaunchOptions {
            automtls,
            ..Default::default()
        };
        let plugin = testing::launch(env!("CARGO_BIN_EXE___NAME__"), opts)
            .await
            .unwrap();
        let info = testing::plugin_info(plugin.channel.clone()).await.unwrap();
        assert_eq!((info.kind, info.name.as_str()), ("device", "__NAME__"));
        let config = yurt::config::encode(
            "config",
            &Cfg {
                ids: vec!["a", "b"],
            },
        )
        .unwrap();
        testing::set_config(plugin.channel.clone(), config)
            .await
            .unwrap();

        let groups = testing::device_fingerprint(plugin.channel.clone())
            .await
            .unwrap();
        assert_eq!(
            groups,
            vec![("__MODULE__".to_string(), vec!["a".to_string(), "b".to_string()])]
        );
        let env = testing::device_reserve(plugin.channel.clone(), vec!["b".into()])
            .await
            .unwrap();
        assert_eq!(env.get("__ENV___DEVICES").map(String::as_str), Some("b"));
        let err = testing::device_reserve(plugin.channel.clone(), vec!["c".into()])
            .await
            .unwrap_err();
        assert!(err.message().contains("unknown device IDs: c"), "{err:?}");

        let bad = yurt::config::encode("config", &Cfg { ids: vec![""] }).unwrap();
        let err = testing::set_config(plugin.channel.clone(), bad)
            .await
            .unwrap_err();
        assert!(err.message().contains("config.ids[0]"), "{err:?}");

        let (status, stderr) = plugin.shutdown(Duration::from_secs(10)).await;
        assert!(status.is_some_and(|s| s.success()), "{status:?}\n{stderr}");
    }
}
