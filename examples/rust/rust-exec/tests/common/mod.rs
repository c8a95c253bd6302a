//! Launching the plugin binary as a go-plugin host does, for the integration tests.
#![allow(dead_code)]

use std::io::Read;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};
use tonic::transport::Channel;
use yurt::driver::TaskConfig;
use yurt::handshake::{HandshakeLine, MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE};

pub const BIN: &str = env!("CARGO_BIN_EXE_rust-exec");

/// A running plugin process and a plaintext channel to it.
pub struct Plugin {
    pub child: Child,
    pub line: HandshakeLine,
    pub ch: Channel,
    pub stderr: Arc<Mutex<String>>,
    /// The plugin's PLUGIN_UNIX_SOCKET_DIR, removed on drop: a plugin killed with -9 leaves its
    /// socket there, not in TMPDIR.
    pub sockets: tempfile::TempDir,
}

/// Launches the plugin without AutoMTLS, reads the handshake, connects, and configures it with
/// `state_dir`.
pub async fn launch(state_dir: &Path) -> Plugin {
    let sockets = tempfile::tempdir().expect("socket dir");
    let mut child = Command::new(BIN)
        .env("PLUGIN_UNIX_SOCKET_DIR", sockets.path())
        .env(MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE)
        .env("PLUGIN_PROTOCOL_VERSIONS", "2")
        .env("PLUGIN_MIN_PORT", "10000")
        .env("PLUGIN_MAX_PORT", "25000")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("spawn the plugin");
    let stderr = Arc::new(Mutex::new(String::new()));
    let mut pipe = child.stderr.take().expect("stderr pipe");
    let sink = stderr.clone();
    tokio::spawn(async move {
        use tokio::io::AsyncReadExt;
        let mut buf = vec![0u8; 8192];
        while let Ok(n) = pipe.read(&mut buf).await {
            if n == 0 {
                return;
            }
            sink.lock()
                .unwrap()
                .push_str(&String::from_utf8_lossy(&buf[..n]));
        }
    });
    let mut out = BufReader::new(child.stdout.take().expect("stdout pipe"));
    let mut first = String::new();
    tokio::time::timeout(Duration::from_secs(10), out.read_line(&mut first))
        .await
        .expect("handshake within 10 s")
        .expect("read handshake");
    // Keep the stdout pipe open (and drained) as a host does.
    tokio::spawn(async move {
        let mut rest = String::new();
        while out.read_line(&mut rest).await.is_ok_and(|n| n > 0) {}
    });
    let line: HandshakeLine = first.parse().expect("handshake line");
    let ch = yurt::testing::connect(&line, None).await.expect("connect");
    let cfg = rmp_serde::to_vec_named(&std::collections::BTreeMap::from([(
        "state_dir",
        state_dir.to_string_lossy().into_owned(),
    )]))
    .unwrap();
    yurt::testing::set_config(ch.clone(), cfg)
        .await
        .expect("SetConfig");
    Plugin {
        child,
        line,
        ch,
        stderr,
        sockets,
    }
}

/// A FIFO read the way Nomad's logmon reads it (O_RDWR, so it never sees EOF between writers).
pub struct Fifo {
    pub path: std::path::PathBuf,
    buf: Arc<Mutex<Vec<u8>>>,
}

impl Fifo {
    pub fn new(path: std::path::PathBuf) -> Fifo {
        let c = std::ffi::CString::new(path.to_string_lossy().as_bytes()).unwrap();
        // SAFETY: a valid C string.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0, "mkfifo");
        let mut f = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .custom_flags(0)
            .open(&path)
            .unwrap();
        let buf = Arc::new(Mutex::new(Vec::new()));
        let b = buf.clone();
        std::thread::spawn(move || {
            let mut chunk = [0u8; 4096];
            while let Ok(n) = f.read(&mut chunk) {
                if n == 0 {
                    return;
                }
                b.lock().unwrap().extend_from_slice(&chunk[..n]);
            }
        });
        Fifo { path, buf }
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.buf.lock().unwrap()).into_owned()
    }

    pub async fn wait_for(&self, want: &str, within: Duration) -> bool {
        let deadline = tokio::time::Instant::now() + within;
        while tokio::time::Instant::now() < deadline {
            if self.text().contains(want) {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        self.text().contains(want)
    }
}

/// A task config running `sh -c script` with its output on two FIFOs in `dir`.
pub fn shell_task(id: &str, dir: &Path, script: &str) -> (TaskConfig, Fifo, Fifo) {
    let out = Fifo::new(dir.join(format!("{id}.stdout")));
    let err = Fifo::new(dir.join(format!("{id}.stderr")));
    let mut c = TaskConfig::default();
    c.id = format!("{id}/task");
    c.name = id.into();
    c.alloc_id = format!("alloc-{id}");
    c.alloc_dir = dir.to_string_lossy().into_owned();
    c.stdout_path = out.path.to_string_lossy().into_owned();
    c.stderr_path = err.path.to_string_lossy().into_owned();
    #[derive(serde::Serialize)]
    struct Cfg<'a> {
        command: &'a str,
        args: Vec<&'a str>,
    }
    c.driver_config = rmp_serde::to_vec_named(&Cfg {
        command: "sh",
        args: vec!["-c", script],
    })
    .unwrap();
    (c, out, err)
}

/// Kills every task still running under `state_root` when dropped, so a failing test leaves no
/// processes behind (a passing test destroys its tasks itself).
pub struct KillLeftovers(pub std::path::PathBuf);

impl Drop for KillLeftovers {
    fn drop(&mut self) {
        let Ok(dirs) = std::fs::read_dir(&self.0) else {
            return;
        };
        for d in dirs.flatten() {
            let Ok(Some(s)) = yurt::supervise::state::read_message::<yurt::supervise::Started>(
                &d.path(),
                yurt::supervise::state::STARTED,
            ) else {
                continue;
            };
            // SAFETY: kill of the supervisor (it kills the whole task) and the process group
            // this test started.
            unsafe {
                libc::kill(s.supervisor_pid, libc::SIGTERM);
                libc::kill(-s.pid, libc::SIGKILL);
            }
        }
    }
}
