//! Starts of different tasks do not take turns: a start stuck in one task's own directory (here
//! reading a stale state dir's spec.pb that is a FIFO nobody writes) does not hold up the start
//! of another task. The driver used to run every StartTask behind one lock.

mod common;

use std::ffi::CString;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;
use std::time::Duration;

use common::{launch, shell_task};
use yurt::testing::DriverClient;

fn mkfifo(path: &Path) {
    let c = CString::new(path.to_string_lossy().as_bytes()).unwrap();
    // SAFETY: a valid C string.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0, "mkfifo");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stuck_start_does_not_hold_up_the_start_of_another_task() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir_a, dir_b) = (tmp.path().join("a"), tmp.path().join("b"));
    // Nomad's layout: each task's state goes under its own <alloc>/<task>/private.
    let (root_a, root_b) = (
        dir_a.join("a/private/rust-exec"),
        dir_b.join("b/private/rust-exec"),
    );
    std::fs::create_dir_all(root_a.join("stale")).unwrap();
    std::fs::create_dir_all(dir_b.join("b/private")).unwrap();
    let _leftovers = (
        common::KillLeftovers(root_a.clone()),
        common::KillLeftovers(root_b.clone()),
    );
    let blocker = root_a.join("stale/spec.pb");
    mkfifo(&blocker);
    let (cfg_a, _out_a, _err_a) = shell_task("a", &dir_a, "sleep 60");
    let (cfg_b, out_b, _err_b) = shell_task("b", &dir_b, "echo b started; sleep 60");

    // No state_dir: each task's state root is its private dir.
    let p = launch(Path::new("")).await;
    let mut da = DriverClient::new(p.channel.clone());
    let a = cfg_a.clone();
    let start_a = tokio::spawn(async move { da.start_task(&a).await });

    // A is stuck once it has the FIFO open for reading (a non-blocking open for writing
    // succeeds only then); the writer is held open, so A stays stuck.
    let mut writer = None;
    for _ in 0..600 {
        match std::fs::OpenOptions::new()
            .write(true)
            .custom_flags(libc::O_NONBLOCK)
            .open(&blocker)
        {
            Ok(f) => {
                writer = Some(f);
                break;
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
        }
    }
    let writer = writer.expect("task a's start never read the stale spec.pb");

    let mut db = DriverClient::new(p.channel.clone());
    let started_b = tokio::time::timeout(Duration::from_secs(60), db.start_task(&cfg_b)).await;
    let a_still_stuck = !start_a.is_finished();
    drop(writer); // A reads an empty spec.pb, not its task's: it goes on and starts
    let started_b = started_b.expect("task b's start waited for task a's stuck start");
    started_b.expect("StartTask b");
    assert!(
        a_still_stuck,
        "task a's start was not stuck: the test proves nothing"
    );
    assert!(
        out_b.wait_for("b started", Duration::from_secs(10)).await,
        "{}",
        out_b.text()
    );
    start_a.await.unwrap().expect("StartTask a, once unblocked");

    for cfg in [&cfg_a, &cfg_b] {
        db.stop_task(&cfg.id, Duration::from_secs(5), "SIGKILL")
            .await
            .expect("StopTask");
        db.destroy_task(&cfg.id, true).await.expect("DestroyTask");
    }
}
