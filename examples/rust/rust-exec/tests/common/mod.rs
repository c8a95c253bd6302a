//! Launching the plugin binary as a go-plugin host does, for the integration tests.
#![allow(dead_code)]

use std::io::Read;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use yurt::driver::TaskConfig;
use yurt::testing::{LaunchOptions, Launched};

pub const BIN: &str = env!("CARGO_BIN_EXE_rust-exec");

/// Launches the plugin without AutoMTLS (`yurt::testing::launch`: a private socket dir, removed
/// with the plugin, so one killed with -9 leaves nothing in TMPDIR) and configures it with
/// `state_dir`.
pub async fn launch(state_dir: &Path) -> Launched {
    let opts = LaunchOptions {
        handshake_timeout: Duration::from_secs(10),
        ..Default::default()
    };
    let p = yurt::testing::launch(BIN, opts)
        .await
        .expect("launch the plugin");
    let cfg = rmp_serde::to_vec_named(&std::collections::BTreeMap::from([(
        "state_dir",
        state_dir.to_string_lossy().into_owned(),
    )]))
    .unwrap();
    yurt::testing::set_config(p.channel.clone(), cfg)
        .await
        .expect("SetConfig");
    p
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
