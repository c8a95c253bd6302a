//! The SDK as a real process, the way go-plugin's host runs it. This test binary re-executes
//! itself as a plugin (`YURT_TEST_ROLE=plugin`, go-plugin's own trick), so the checks cover the
//! real entry point: the stdout handshake and capture, signal handling and the host's pipes.
//!
//! Checked: SIGINT does not stop the plugin; after the host dies (its stdout/stderr pipes
//! closed) the plugin keeps serving and a second client reattaches by address; what plugin code
//! prints to stdout after the handshake arrives on `GRPCStdio` and never on the real stdout.
//!
//! `harness = false`: libtest would print to stdout in the re-executed child and break the
//! handshake.

use std::process::ExitCode;
use std::time::Duration;

use tokio_stream::StreamExt;
use yurt::Error;
use yurt::base::{BasePlugin, PluginInfo};
use yurt::driver::{
    Capabilities, DriverPlugin, ExitResult, Fingerprint, Health, PluginStream, StartedTask,
    TaskConfig, TaskHandle, TaskStatus,
};
use yurt::hclspec::{Spec, object};
use yurt::testing::{Address, LaunchOptions, Launched};

const STRAY: &str = "stray println from plugin code";
const EARLY_SCHEMA: &str = "stray println in task_config_schema, before the handshake";
const EARLY_MAIN: &str = "stray print! in main, still buffered";
const GUARD_WARNING: &str = "plugin wrote to stdout before the go-plugin handshake; sent to stderr";

/// The plugin role: a driver whose fingerprint prints to stdout and logs to stderr.
struct Chatty;

impl BasePlugin for Chatty {
    fn info(&self) -> PluginInfo {
        PluginInfo {
            name: "chatty".into(),
            version: "0.1.0".into(),
        }
    }
}

impl DriverPlugin for Chatty {
    fn task_config_schema(&self) -> Spec {
        if std::env::var("YURT_TEST_ROLE").as_deref() == Ok("noisy") {
            // Plugin code that serving runs before the handshake (the schema check).
            println!("{EARLY_SCHEMA}");
        }
        object::<&str>([])
    }
    fn capabilities(&self) -> Capabilities {
        Capabilities::default()
    }
    fn fingerprint(&self) -> PluginStream<Fingerprint> {
        println!("{STRAY}");
        for i in 0..200 {
            tracing::info!(i, "a log line to stderr, which may be a closed pipe");
        }
        Box::pin(
            tokio_stream::once(Fingerprint {
                health: Health::Healthy,
                ..Default::default()
            })
            .chain(tokio_stream::pending()),
        )
    }
    async fn recover_task(&self, _h: TaskHandle) -> Result<(), Error> {
        Err(Error::TaskNotFound)
    }
    async fn start_task(&self, _c: TaskConfig) -> Result<StartedTask, Error> {
        Err(Error::other("no tasks here"))
    }
    async fn wait_task(&self, _id: String) -> Result<ExitResult, Error> {
        Err(Error::TaskNotFound)
    }
    async fn stop_task(&self, _id: String, _t: Duration, _s: String) -> Result<(), Error> {
        Err(Error::TaskNotFound)
    }
    async fn destroy_task(&self, _id: String, _f: bool) -> Result<(), Error> {
        Err(Error::TaskNotFound)
    }
    async fn inspect_task(&self, _id: String) -> Result<TaskStatus, Error> {
        Err(Error::TaskNotFound)
    }
}

async fn launch() -> Launched {
    launch_role("plugin").await
}

/// This test binary as the plugin, launched with `yurt::testing::launch` (a private socket dir,
/// drained pipes, the plugin killed and the dir removed on drop).
async fn launch_role(role: &str) -> Launched {
    let opts = LaunchOptions {
        env: vec![("YURT_TEST_ROLE".into(), role.into())],
        handshake_timeout: Duration::from_secs(10),
        ..Default::default()
    };
    yurt::testing::launch(std::env::current_exe().expect("own test binary"), opts)
        .await
        .expect("launch the plugin")
}

/// The plugin's socket is in a directory of its own under TMPDIR, and a plugin killed without
/// Shutdown (it cannot remove its socket) leaves nothing behind once the Launched is dropped.
async fn a_killed_plugin_leaves_no_socket() {
    let p = launch().await;
    let Address::Unix(socket) = &p.line.address else {
        panic!("expected a unix socket, got {:?}", p.line.address);
    };
    let dir = socket.parent().expect("socket dir").to_path_buf();
    let tmp = std::path::absolute(std::env::temp_dir()).unwrap();
    assert_eq!(dir.parent(), Some(tmp.as_path()), "{dir:?}");
    assert!(socket.exists(), "{socket:?}");
    drop(p); // SIGKILL
    assert!(!dir.exists(), "{dir:?} is left behind");
    println!("ok: a killed plugin's socket dir is removed");
}

async fn fingerprint_once(ch: tonic::transport::Channel) {
    let fp = yurt::testing::DriverClient::new(ch)
        .first_fingerprint()
        .await
        .expect("Fingerprint");
    assert_eq!(fp.health, Health::Healthy);
}

async fn sigint_is_ignored() {
    let mut p = launch().await;
    let pid = p.child.id() as i32;
    // SAFETY: signalling our own child.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGINT) }, 0);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        p.child.try_wait().unwrap().is_none(),
        "SIGINT stopped the plugin"
    );
    let ch = p.channel.clone();
    assert!(yurt::testing::health(ch.clone()).await.unwrap());
    yurt::testing::shutdown(ch).await.unwrap();
    let st = p
        .wait(Duration::from_secs(2))
        .await
        .expect("exit within 2 s of Shutdown");
    assert!(st.success(), "{st}");
    println!("ok: SIGINT is ignored, Shutdown still exits");
}

async fn keeps_serving_after_the_host_dies() {
    let mut p = launch().await;
    let line = p.line.clone();
    // The host dies: both pipes lose their reader.
    p.close_pipes();
    // A new client reattaches by address; the plugin logs into the dead pipe meanwhile.
    let ch = yurt::testing::connect(&line, None).await.unwrap();
    for _ in 0..3 {
        fingerprint_once(ch.clone()).await;
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(
        p.child.try_wait().unwrap().is_none(),
        "the plugin died with its host"
    );
    let ch2 = yurt::testing::connect(&line, None).await.unwrap();
    assert!(yurt::testing::health(ch2.clone()).await.unwrap());
    let info = yurt::testing::plugin_info(ch2.clone()).await.unwrap();
    assert_eq!((info.kind, info.name.as_str()), ("driver", "chatty"));
    yurt::testing::shutdown(ch2).await.unwrap();
    let st = p
        .wait(Duration::from_secs(2))
        .await
        .expect("exit within 2 s of Shutdown");
    assert!(st.success(), "{st}");
    println!("ok: keeps serving with closed stdout/stderr; a second client reattaches");
}

async fn stdout_after_the_handshake_goes_to_grpc_stdio() {
    let mut p = launch().await;
    let ch = p.channel.clone();
    let mut stdio = yurt::testing::stdio(ch.clone()).await.unwrap();
    fingerprint_once(ch.clone()).await;
    let mut got = String::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    while !got.contains(STRAY) {
        let chunk = tokio::time::timeout_at(deadline, stdio.next())
            .await
            .expect("stdio data within 5 s")
            .expect("stream open")
            .unwrap();
        assert_eq!(chunk.0, yurt::testing::StdioChannel::Stdout);
        got.push_str(&String::from_utf8_lossy(&chunk.1));
    }
    yurt::testing::shutdown(ch).await.unwrap();
    p.wait(Duration::from_secs(3))
        .await
        .expect("exit within 3 s of Shutdown");
    assert_eq!(
        p.stdout(),
        "",
        "nothing but the handshake may reach the real stdout"
    );
    println!("ok: stdout after the handshake arrives on GRPCStdio");
}

/// A plugin that prints before the handshake (a buffered `print!` in main, a `println!` in its
/// schema) still handshakes (launch() reads the first stdout line as the handshake); the text and
/// one WARN line reach stderr, and nothing but the handshake reaches the real stdout.
async fn stray_stdout_before_the_handshake_goes_to_stderr() {
    let mut p = launch_role("noisy").await;
    let ch = p.channel.clone();
    assert!(yurt::testing::health(ch.clone()).await.unwrap());
    yurt::testing::shutdown(ch).await.unwrap();
    p.wait(Duration::from_secs(5))
        .await
        .expect("exit within 5 s of Shutdown");
    let err = p.stderr();
    assert_eq!(
        p.stdout(),
        "",
        "nothing but the handshake may reach the real stdout"
    );
    assert!(err.contains(EARLY_MAIN), "stderr: {err}");
    assert!(err.contains(EARLY_SCHEMA), "stderr: {err}");
    let warnings: Vec<&str> = err.lines().filter(|l| l.contains(GUARD_WARNING)).collect();
    assert_eq!(warnings.len(), 1, "one warning line: {err}");
    assert!(
        warnings[0].contains(r#""@level":"warn""#),
        "{}",
        warnings[0]
    );
    println!("ok: stdout before the handshake goes to stderr with one warning");
}

fn main() -> ExitCode {
    match std::env::var("YURT_TEST_ROLE").as_deref() {
        Ok("plugin") => return yurt::serve_driver(Chatty),
        Ok("noisy") => {
            print!("{EARLY_MAIN}"); // no newline: still in Rust's stdout buffer
            return yurt::serve_driver(Chatty);
        }
        _ => {}
    }
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(async {
        a_killed_plugin_leaves_no_socket().await;
        sigint_is_ignored().await;
        keeps_serving_after_the_host_dies().await;
        stdout_after_the_handshake_goes_to_grpc_stdio().await;
        stray_stdout_before_the_handshake_goes_to_stderr().await;
    });
    ExitCode::SUCCESS
}
