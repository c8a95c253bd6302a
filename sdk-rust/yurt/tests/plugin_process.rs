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

use std::process::{ExitCode, Stdio};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncReadExt, BufReader};
use tokio::process::{Child, ChildStderr, Command};
use tokio_stream::StreamExt;
use yurt::Error;
use yurt::base::{BasePlugin, PluginInfo};
use yurt::driver::{
    Capabilities, DriverPlugin, ExitResult, Fingerprint, Health, PluginStream, StartedTask,
    TaskConfig, TaskHandle, TaskStatus,
};
use yurt::handshake::{HandshakeLine, MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE};
use yurt::hclspec::{Spec, object};

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

struct Launched {
    /// The plugin's PLUGIN_UNIX_SOCKET_DIR, removed on drop: the test kills plugins.
    _sockets: tempfile::TempDir,
    child: Child,
    line: HandshakeLine,
    stdout: BufReader<tokio::process::ChildStdout>,
    stderr: ChildStderr,
}

async fn launch() -> Launched {
    launch_role("plugin").await
}

async fn launch_role(role: &str) -> Launched {
    let sockets = tempfile::tempdir().expect("socket dir");
    let mut child = Command::new(std::env::current_exe().expect("own test binary"))
        .env("YURT_TEST_ROLE", role)
        .env("PLUGIN_UNIX_SOCKET_DIR", sockets.path())
        .env(MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE)
        .env("PLUGIN_PROTOCOL_VERSIONS", "2")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("spawn the plugin");
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let stderr = child.stderr.take().unwrap();
    let mut first = String::new();
    tokio::time::timeout(Duration::from_secs(10), stdout.read_line(&mut first))
        .await
        .expect("handshake within 10 s")
        .unwrap();
    let line = first
        .parse()
        .unwrap_or_else(|e| panic!("handshake {first:?}: {e}"));
    Launched {
        _sockets: sockets,
        child,
        line,
        stdout,
        stderr,
    }
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
    let pid = p.child.id().unwrap() as i32;
    tokio::spawn(async move {
        let mut sink = Vec::new();
        let _ = p.stderr.read_to_end(&mut sink).await;
    });
    // SAFETY: signalling our own child.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGINT) }, 0);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        p.child.try_wait().unwrap().is_none(),
        "SIGINT stopped the plugin"
    );
    let ch = yurt::testing::connect(&p.line, None).await.unwrap();
    assert!(yurt::testing::health(ch.clone()).await.unwrap());
    yurt::testing::shutdown(ch).await.unwrap();
    let st = tokio::time::timeout(Duration::from_secs(2), p.child.wait())
        .await
        .expect("exit within 2 s of Shutdown")
        .unwrap();
    assert!(st.success(), "{st}");
    println!("ok: SIGINT is ignored, Shutdown still exits");
}

async fn keeps_serving_after_the_host_dies() {
    let p = launch().await;
    let Launched {
        mut child,
        line,
        stdout,
        stderr,
        ..
    } = p;
    // The host dies: both pipes lose their reader.
    drop(stdout);
    drop(stderr);
    // A new client reattaches by address; the plugin logs into the dead pipe meanwhile.
    let ch = yurt::testing::connect(&line, None).await.unwrap();
    for _ in 0..3 {
        fingerprint_once(ch.clone()).await;
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(
        child.try_wait().unwrap().is_none(),
        "the plugin died with its host"
    );
    let ch2 = yurt::testing::connect(&line, None).await.unwrap();
    assert!(yurt::testing::health(ch2.clone()).await.unwrap());
    let info = yurt::testing::plugin_info(ch2.clone()).await.unwrap();
    assert_eq!((info.kind, info.name.as_str()), ("driver", "chatty"));
    yurt::testing::shutdown(ch2).await.unwrap();
    let st = tokio::time::timeout(Duration::from_secs(2), child.wait())
        .await
        .expect("exit within 2 s of Shutdown")
        .unwrap();
    assert!(st.success(), "{st}");
    println!("ok: keeps serving with closed stdout/stderr; a second client reattaches");
}

async fn stdout_after_the_handshake_goes_to_grpc_stdio() {
    let mut p = launch().await;
    tokio::spawn(async move {
        let mut sink = Vec::new();
        let _ = p.stderr.read_to_end(&mut sink).await;
    });
    let ch = yurt::testing::connect(&p.line, None).await.unwrap();
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
    let mut rest = String::new();
    tokio::time::timeout(Duration::from_secs(3), p.stdout.read_to_string(&mut rest))
        .await
        .expect("stdout closes when the plugin exits")
        .unwrap();
    assert_eq!(
        rest, "",
        "nothing but the handshake may reach the real stdout"
    );
    let _ = p.child.wait().await;
    println!("ok: stdout after the handshake arrives on GRPCStdio");
}

/// A plugin that prints before the handshake (a buffered `print!` in main, a `println!` in its
/// schema) still handshakes (launch() reads the first stdout line as the handshake); the text and
/// one WARN line reach stderr, and nothing but the handshake reaches the real stdout.
async fn stray_stdout_before_the_handshake_goes_to_stderr() {
    let mut p = launch_role("noisy").await;
    let ch = yurt::testing::connect(&p.line, None).await.unwrap();
    assert!(yurt::testing::health(ch.clone()).await.unwrap());
    yurt::testing::shutdown(ch).await.unwrap();
    let mut err = String::new();
    tokio::time::timeout(Duration::from_secs(5), p.stderr.read_to_string(&mut err))
        .await
        .expect("stderr closes when the plugin exits")
        .unwrap();
    let mut rest = String::new();
    tokio::time::timeout(Duration::from_secs(3), p.stdout.read_to_string(&mut rest))
        .await
        .expect("stdout closes when the plugin exits")
        .unwrap();
    assert_eq!(
        rest, "",
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
    let _ = p.child.wait().await;
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
        sigint_is_ignored().await;
        keeps_serving_after_the_host_dies().await;
        stdout_after_the_handshake_goes_to_grpc_stdio().await;
        stray_stdout_before_the_handshake_goes_to_stderr().await;
    });
    ExitCode::SUCCESS
}
