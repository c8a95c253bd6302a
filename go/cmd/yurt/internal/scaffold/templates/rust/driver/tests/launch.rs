//! Launches the built plugin as Nomad does (`yurt::testing`: go-plugin's handshake, with and
//! without AutoMTLS) and makes Nomad's calls.

use std::time::Duration;

use yurt::driver::{TaskConfig, TaskState};
use yurt::testing::{self, DriverClient, LaunchOptions};

/// A task's `config {}` block, as msgpack (what Nomad sends).
#[derive(serde::Serialize)]
struct Cfg {
    command: &'static str,
    args: Vec<&'static str>,
}

#[tokio::test]
async fn runs_a_task_and_reports_its_exit() {
    for automtls in [false, true] {
        let opts = LaunchOptions {
            automtls,
            ..Default::default()
        };
        let plugin = testing::launch(env!("CARGO_BIN_EXE___NAME__"), opts)
            .await
            .unwrap();
        let info = testing::plugin_info(plugin.channel.clone()).await.unwrap();
        assert_eq!((info.kind, info.name.as_str()), ("driver", "__NAME__"));
        testing::set_config(plugin.channel.clone(), Vec::new())
            .await
            .unwrap();

        let dir =
            std::env::temp_dir().join(format!("__NAME__-test-{}-{automtls}", std::process::id()));
        std::fs::create_dir_all(dir.join("task").join("private")).unwrap();
        let mut config = TaskConfig::default();
        config.id = "t1".into();
        config.name = "task".into();
        config.alloc_dir = dir.to_string_lossy().into_owned();
        config.stdout_path = dir.join("stdout").to_string_lossy().into_owned();
        config.stderr_path = dir.join("stderr").to_string_lossy().into_owned();
        let task = Cfg {
            command: "sh",
            args: vec!["-c", "echo hi; exit 3"],
        };
        config.driver_config = yurt::config::encode("config", &task).unwrap();
        let mut client = DriverClient::new(plugin.channel.clone());
        client.start_task(&config).await.unwrap();
        assert_eq!(client.wait_task("t1").await.unwrap().exit_code, 3);
        assert_eq!(
            client.inspect_task("t1").await.unwrap().state,
            TaskState::Exited
        );
        assert!(
            std::fs::read_to_string(dir.join("stdout"))
                .unwrap()
                .contains("hi")
        );
        client.destroy_task("t1", false).await.unwrap();
        assert!(
            client.inspect_task("t1").await.is_err(),
            "a destroyed task is gone"
        );
        std::fs::remove_dir_all(&dir).unwrap();

        let (status, stderr) = plugin.shutdown(Duration::from_secs(10)).await;
        assert!(status.is_some_and(|s| s.success()), "{status:?}\n{stderr}");
    }
}
