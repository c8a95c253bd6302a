//! The plugin dies (kill -9) in the middle of a call: the task and its state stay consistent,
//! and nothing the plugin ran for it is left behind.

mod common;

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::*;

/// Run as a separate process (the "plugin") by the tests below: reattaches the task whose
/// handle is `$PLUGIN_HELPER_HANDLE` (hex) and does `$PLUGIN_HELPER_ACTION` with it.
#[test]
#[ignore = "helper process of the tests in this file"]
fn plugin_helper() {
    let (Some(hex), Some(action)) = (
        std::env::var_os("PLUGIN_HELPER_HANDLE"),
        std::env::var_os("PLUGIN_HELPER_ACTION"),
    ) else {
        return;
    };
    let hex = hex.to_string_lossy().into_owned();
    let bytes: Vec<u8> = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
        .collect();
    let t = yurt_supervise::reattach(&bytes).unwrap();
    match action.to_str() {
        Some("exec") => {
            let argv: Vec<String> = ["sh", "-c", "echo $$ > exec.pid; exec sleep 300"]
                .iter()
                .map(|s| s.to_string())
                .collect();
            let _ = t.exec(&argv, Duration::from_secs(300));
        }
        Some("stop") => {
            let _ = t.stop(libc::SIGTERM, Duration::from_secs(300));
        }
        other => panic!("unknown action {other:?}"),
    }
}

fn plugin(t: &yurt_supervise::Task, action: &str) -> Child {
    let hex: String = t.handle().iter().map(|b| format!("{b:02x}")).collect();
    Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "plugin_helper", "--ignored", "--nocapture"])
        .env("PLUGIN_HELPER_HANDLE", hex)
        .env("PLUGIN_HELPER_ACTION", action)
        .stdout(Stdio::null())
        .spawn()
        .unwrap()
}

#[test]
fn an_exec_command_dies_with_the_plugin_that_ran_it() {
    let d = tempfile::tempdir().unwrap();
    let t = start(d.path(), &sh(d.path(), "exec sleep 300"));
    let mut p = plugin(&t, "exec");
    let cmd = read_pid(&d.path().join("exec.pid"));
    assert!(alive(cmd));
    p.kill().unwrap(); // SIGKILL: no cleanup in the plugin
    p.wait().unwrap();
    assert!(
        eventually(Duration::from_secs(10), || !alive(cmd)),
        "exec'd command {cmd:?} outlived the plugin"
    );
    assert!(t.running(), "the task itself must survive the plugin");
    t.destroy().unwrap();
}

#[test]
fn a_plugin_killed_mid_stop_leaves_a_task_the_next_plugin_can_stop() {
    let d = tempfile::tempdir().unwrap();
    let t = start(
        d.path(),
        &sh(
            d.path(),
            "trap 'echo term >> got' TERM; echo ready > ready; while :; do sleep 0.05; done",
        ),
    );
    assert!(eventually(Duration::from_secs(10), || d
        .path()
        .join("ready")
        .exists()));
    let mut p = plugin(&t, "stop");
    // The signal arrived: the plugin is now waiting out its (long) timeout.
    assert!(eventually(Duration::from_secs(10), || d
        .path()
        .join("got")
        .exists()));
    p.kill().unwrap();
    p.wait().unwrap();
    assert!(t.running(), "the task must outlive the plugin");
    // A fresh plugin reattaches from the handle and stops it again.
    let again = yurt_supervise::reattach(&t.handle()).unwrap();
    let began = Instant::now();
    let r = again
        .stop(libc::SIGTERM, Duration::from_millis(500))
        .unwrap();
    assert!(began.elapsed() < Duration::from_secs(6));
    assert_eq!((r.exit_code, r.signal), (137, 9));
    again.destroy().unwrap();
}

/// Starts the supervisor for `dir` by hand with the start handshake's read end, as a plugin
/// does, and returns the handshake's write end once started.pb exists.
fn start_unacknowledged(dir: &std::path::Path, script: &str) -> std::fs::File {
    use std::os::fd::FromRawFd;
    std::fs::create_dir_all(dir).unwrap();
    yurt_supervise::state::write_message(
        dir,
        yurt_supervise::state::SPEC,
        &yurt_supervise::TaskSpec {
            format_version: 1,
            ..sh(dir.parent().unwrap(), script)
        },
    )
    .unwrap();
    let mut fds = [-1; 2];
    // SAFETY: pipe2 writes two descriptors into a live array; only the read end is then
    // made inheritable (a supervisor holding the write end would never see it close).
    unsafe {
        assert_eq!(libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC), 0);
        assert_eq!(libc::fcntl(fds[0], libc::F_SETFD, 0), 0);
    }
    let program = opts().program.unwrap();
    let mut sup = Command::new(&program)
        .arg("yurt-supervise")
        .arg(dir)
        .env_clear()
        .env("YURT_SUPERVISE_ACK_FD", fds[0].to_string())
        .spawn()
        .unwrap();
    // SAFETY: fresh descriptors owned by this test alone.
    let (rd, wr) = unsafe {
        (
            std::fs::File::from_raw_fd(fds[0]),
            std::fs::File::from_raw_fd(fds[1]),
        )
    };
    drop(rd);
    assert!(eventually(Duration::from_secs(10), || dir
        .join("started.pb")
        .exists()));
    std::thread::spawn(move || sup.wait());
    wr
}

/// The plugin dies after the supervisor started the task but before it took the handle (the
/// handshake's pipe closes without its byte): the supervisor ends the task and removes the
/// state directory, since nobody could ever find the task again.
#[test]
fn a_plugin_killed_mid_start_leaves_nothing() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path().join("state");
    let wr = start_unacknowledged(&dir, "echo $$ > main.pid; exec sleep 300");
    let main = read_pid(&d.path().join("main.pid"));
    drop(wr); // the plugin's death
    assert!(
        eventually(Duration::from_secs(10), || !alive(main)),
        "the task outlived a plugin that died mid-start"
    );
    assert!(
        eventually(Duration::from_secs(10), || !dir.exists()),
        "the state dir was left behind"
    );
}

/// The control: with the byte, the task is kept.
#[test]
fn an_acknowledged_start_keeps_the_task() {
    use std::io::Write;
    let d = tempfile::tempdir().unwrap();
    let dir = d.path().join("state");
    let mut wr = start_unacknowledged(&dir, "echo $$ > main.pid; exec sleep 300");
    let main = read_pid(&d.path().join("main.pid"));
    wr.write_all(b"k").unwrap();
    drop(wr);
    std::thread::sleep(Duration::from_millis(300));
    assert!(alive(main), "an acknowledged task was ended");
    let t = yurt_supervise::reattach_dir(&dir).unwrap();
    t.destroy().unwrap();
    assert!(!alive(main));
}
