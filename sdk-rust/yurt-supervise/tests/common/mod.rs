//! Helpers shared by the integration tests: tasks run under the real `yurt-supervise` binary.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use yurt_supervise::{StartOptions, Task, TaskSpec};

/// The supervisor under test: this crate's `yurt-supervise` binary, or any program that
/// recognises `<program> yurt-supervise <dir>` named by `$YURT_SUPERVISE_PROGRAM` (a Rust
/// plugin binary, to measure a re-executed plugin).
pub fn opts() -> StartOptions {
    let program = std::env::var_os("YURT_SUPERVISE_PROGRAM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_yurt-supervise")));
    StartOptions {
        program: Some(program),
        ..Default::default()
    }
}

/// A spec running `sh -c script` in `dir`, output to `dir/out` and `dir/err`.
pub fn sh(dir: &Path, script: &str) -> TaskSpec {
    TaskSpec {
        task_id: format!(
            "alloc/{}/00000000",
            dir.file_name().unwrap().to_string_lossy()
        ),
        command: "sh".into(),
        args: vec!["-c".into(), script.into()],
        env: vec!["PATH=/usr/bin:/bin".into()],
        working_dir: dir.to_string_lossy().into_owned(),
        stdout_path: dir.join("out").to_string_lossy().into_owned(),
        stderr_path: dir.join("err").to_string_lossy().into_owned(),
        ..Default::default()
    }
}

pub fn start(dir: &Path, spec: &TaskSpec) -> Task {
    yurt_supervise::start_with(spec, &dir.join("state"), &opts()).expect("start")
}

/// Polls `f` until it is true or `limit` passes.
pub fn eventually(limit: Duration, mut f: impl FnMut() -> bool) -> bool {
    let end = Instant::now() + limit;
    while Instant::now() < end {
        if f() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    f()
}

/// Reads a pid a task wrote to `path` (waiting for it), with the process's start time.
pub fn read_pid(path: &Path) -> (i32, u64) {
    assert!(
        eventually(Duration::from_secs(10), || std::fs::read_to_string(path)
            .is_ok_and(|s| s.trim().parse::<i32>().is_ok())),
        "{} never written",
        path.display()
    );
    let pid: i32 = std::fs::read_to_string(path)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    let start = yurt_supervise::state::proc_stat(pid).map_or(0, |s| s.start_time);
    (pid, start)
}

pub fn alive(p: (i32, u64)) -> bool {
    p.1 != 0 && yurt_supervise::state::is_alive(p.0, p.1)
}

pub fn mkfifo(path: &Path) {
    let c = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).unwrap();
    // SAFETY: a NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
}
