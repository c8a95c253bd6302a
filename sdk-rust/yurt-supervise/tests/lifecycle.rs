//! Start, wait, signal, stop, destroy and reattach with real processes under the real
//! `yurt-supervise` binary.

mod common;

use std::time::{Duration, Instant};

use common::*;
use yurt_supervise::{ErrorKind, reattach};

#[test]
fn start_then_wait_reports_the_exit_code_and_the_output() {
    let d = tempfile::tempdir().unwrap();
    let t = start(d.path(), &sh(d.path(), "echo hello; echo oops >&2; exit 3"));
    let r = t.wait().unwrap();
    assert_eq!((r.exit_code, r.signal, r.start_error.as_str()), (3, 0, ""));
    assert!(r.completed_at_unix_nano > 0);
    assert_eq!(
        std::fs::read_to_string(d.path().join("out")).unwrap(),
        "hello\n"
    );
    assert_eq!(
        std::fs::read_to_string(d.path().join("err")).unwrap(),
        "oops\n"
    );
    t.destroy().unwrap();
    assert!(!t.state_dir().exists());
    t.destroy().unwrap(); // idempotent
}

#[test]
fn a_signal_reaches_the_task_and_a_signal_death_is_128_plus_n() {
    let d = tempfile::tempdir().unwrap();
    let t = start(
        d.path(),
        &sh(
            d.path(),
            "trap 'exit 7' USR1; echo ready > ready; while :; do sleep 0.05; done",
        ),
    );
    assert!(eventually(Duration::from_secs(10), || d
        .path()
        .join("ready")
        .exists()));
    t.signal(libc::SIGUSR1).unwrap();
    assert_eq!(t.wait().unwrap().exit_code, 7);
    let e = t.signal(libc::SIGUSR1).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotRunning, "{e}");
    t.destroy().unwrap();

    let t = start(d.path(), &sh(d.path(), "exec sleep 300"));
    t.signal(libc::SIGKILL).unwrap();
    let r = t.wait().unwrap();
    assert_eq!((r.exit_code, r.signal), (137, 9));
    t.destroy().unwrap();
}

#[test]
fn stop_runs_the_tasks_trap_and_returns_before_the_timeout() {
    let d = tempfile::tempdir().unwrap();
    // SIGINT: ignored by the supervisor itself, so the task sees it only if its dispositions
    // were reset.
    let t = start(
        d.path(),
        &sh(
            d.path(),
            "trap 'echo trapped > marker; exit 0' INT; echo ready > ready; while :; do sleep 0.05; done",
        ),
    );
    assert!(eventually(Duration::from_secs(10), || d
        .path()
        .join("ready")
        .exists()));
    let began = Instant::now();
    let r = t.stop(libc::SIGINT, Duration::from_secs(20)).unwrap();
    assert!(
        began.elapsed() < Duration::from_secs(15),
        "{:?}",
        began.elapsed()
    );
    assert_eq!(r.exit_code, 0);
    assert_eq!(
        std::fs::read_to_string(d.path().join("marker")).unwrap(),
        "trapped\n"
    );
    t.destroy().unwrap();
}

#[test]
fn stop_kills_a_task_that_ignores_the_signal_after_the_timeout() {
    let d = tempfile::tempdir().unwrap();
    let t = start(
        d.path(),
        &sh(
            d.path(),
            "trap '' TERM; echo ready > ready; while :; do sleep 0.05; done",
        ),
    );
    assert!(eventually(Duration::from_secs(10), || d
        .path()
        .join("ready")
        .exists()));
    let began = Instant::now();
    let r = t.stop(libc::SIGTERM, Duration::from_secs(1)).unwrap();
    let took = began.elapsed();
    assert!(
        took >= Duration::from_secs(1),
        "killed before the timeout: {took:?}"
    );
    assert!(
        took < Duration::from_secs(6),
        "not within timeout+5s: {took:?}"
    );
    assert_eq!((r.exit_code, r.signal), (137, 9));
    t.destroy().unwrap();
}

#[test]
fn destroy_kills_a_double_forked_setsid_grandchild() {
    let d = tempfile::tempdir().unwrap();
    let t = start(
        d.path(),
        &sh(
            d.path(),
            "(setsid sh -c 'echo $$ > gc.pid; exec sleep 300' &); exec sleep 300",
        ),
    );
    let gc = read_pid(&d.path().join("gc.pid"));
    assert!(alive(gc));
    let sess = yurt_supervise::state::proc_stat(gc.0).unwrap();
    assert_ne!(
        sess.pgrp,
        t.pid(),
        "the grandchild must have left the task's group"
    );
    t.destroy().unwrap();
    assert!(!alive(gc), "grandchild {gc:?} survived destroy");
    assert!(!t.state_dir().exists());
}

#[test]
fn a_background_child_is_gone_once_the_main_process_exits() {
    let d = tempfile::tempdir().unwrap();
    let t = start(
        d.path(),
        &sh(
            d.path(),
            "sleep 300 & echo $! > bg.pid; (setsid sleep 300 &); exit 0",
        ),
    );
    let bg = read_pid(&d.path().join("bg.pid"));
    let r = t.wait().unwrap();
    assert_eq!(r.exit_code, 0);
    assert!(!alive(bg), "background child {bg:?} outlived its task");
    // Nothing but the state files is left: no process whose parent is gone.
    t.destroy().unwrap();
}

#[test]
fn a_task_that_exits_while_no_plugin_watches_reports_its_real_result_on_reattach() {
    let d = tempfile::tempdir().unwrap();
    let t = start(d.path(), &sh(d.path(), "sleep 0.3; exit 5"));
    let mut t2 = t.clone();
    t2.set_driver_data(b"mine".to_vec());
    let handle = t2.handle();
    let sup = (
        t.started().supervisor_pid,
        t.started().supervisor_start_time,
    );
    drop((t, t2));
    assert!(
        eventually(Duration::from_secs(10), || !alive(sup)),
        "supervisor never exited"
    );
    let again = reattach(&handle).unwrap();
    assert_eq!(again.driver_data(), b"mine");
    let r = again.wait().unwrap();
    assert_eq!((r.exit_code, r.signal), (5, 0));
    again.destroy().unwrap();
    let e = reattach(&handle).unwrap_err();
    assert!(e.to_string().contains("spec.pb"), "{e}");
}

#[test]
fn a_supervisor_gone_without_exit_record_is_an_error_not_an_exit_code() {
    let d = tempfile::tempdir().unwrap();
    let t = start(d.path(), &sh(d.path(), "exec sleep 300"));
    let s = t.started().clone();
    // SAFETY: plain kill of the supervisor this test started.
    unsafe { libc::kill(s.supervisor_pid, libc::SIGKILL) };
    assert!(eventually(Duration::from_secs(10), || !alive((
        s.supervisor_pid,
        s.supervisor_start_time
    ))));
    let e = t.wait().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::SupervisorGone, "{e}");
    // destroy still takes the task's process group down.
    t.destroy().unwrap();
    assert!(!alive((s.pid, s.pid_start_time)));
}

#[test]
fn sigterm_to_the_supervisor_kills_everything_and_records_the_exit() {
    let d = tempfile::tempdir().unwrap();
    let t = start(
        d.path(),
        &sh(d.path(), "sleep 300 & echo $! > bg.pid; exec sleep 300"),
    );
    let bg = read_pid(&d.path().join("bg.pid"));
    // SAFETY: plain kill of the supervisor this test started.
    unsafe { libc::kill(t.started().supervisor_pid, libc::SIGTERM) };
    let r = t.wait().unwrap();
    assert_eq!((r.exit_code, r.signal), (137, 9));
    assert!(!alive(bg));
    t.destroy().unwrap();
}

#[test]
fn the_task_starts_with_default_dispositions_and_an_empty_mask() {
    let d = tempfile::tempdir().unwrap();
    let mut spec = sh(d.path(), "");
    spec.command = "cat".into();
    spec.args = vec!["/proc/self/status".into()];
    let t = start(d.path(), &spec);
    assert_eq!(t.wait().unwrap().exit_code, 0);
    let status = std::fs::read_to_string(d.path().join("out")).unwrap();
    for field in ["SigIgn", "SigBlk"] {
        let line = status.lines().find(|l| l.starts_with(field)).unwrap();
        assert_eq!(line, format!("{field}:\t0000000000000000"), "{status}");
    }
    t.destroy().unwrap();
}

#[test]
fn the_task_runs_in_its_own_process_group_and_session_apart_from_the_plugin() {
    let d = tempfile::tempdir().unwrap();
    let t = start(d.path(), &sh(d.path(), "exec sleep 300"));
    let st = yurt_supervise::state::proc_stat(t.pid()).unwrap();
    assert_eq!(st.pgrp, t.pid());
    assert_eq!(st.ppid, t.started().supervisor_pid);
    // SAFETY: getsid has no preconditions.
    let (task_sid, my_sid) = unsafe { (libc::getsid(t.pid()), libc::getsid(0)) };
    assert_ne!(task_sid, my_sid);
    assert_eq!(task_sid, t.started().supervisor_pid);
    t.destroy().unwrap();
    assert!(!alive((t.pid(), t.started().pid_start_time)));
}
