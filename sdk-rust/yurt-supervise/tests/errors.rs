//! Bad input gets a clear error naming the field, and leaves no state behind.

mod common;

use std::os::unix::fs::PermissionsExt;

use common::*;
use yurt_supervise::{ErrorKind, reattach, start_with, state};

fn start_err(d: &std::path::Path, spec: &yurt_supervise::TaskSpec) -> String {
    let dir = d.join("state");
    let e = start_with(spec, &dir, &opts()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{e}");
    assert!(
        !dir.exists(),
        "a failed start left {} behind",
        dir.display()
    );
    e.to_string()
}

#[test]
fn a_nonexistent_command_names_the_command() {
    let d = tempfile::tempdir().unwrap();
    let mut spec = sh(d.path(), "");
    spec.command = "no-such-command-xyz".into();
    let e = start_err(d.path(), &spec);
    assert!(
        e.starts_with("command \"no-such-command-xyz\"") && e.contains("not found"),
        "{e}"
    );
    spec.command = "/nonexistent/prog".into();
    let e = start_err(d.path(), &spec);
    assert!(
        e.starts_with("command \"/nonexistent/prog\"") && e.contains("No such file"),
        "{e}"
    );
    spec.command = String::new();
    assert!(start_err(d.path(), &spec).starts_with("command"));
}

#[test]
fn an_unknown_user_names_the_user() {
    let d = tempfile::tempdir().unwrap();
    let mut spec = sh(d.path(), "exit 0");
    spec.user = "no-such-user-xyz".into();
    let e = start_err(d.path(), &spec);
    assert!(
        e.starts_with("user \"no-such-user-xyz\"")
            && e.contains("no such user")
            && e.contains("unknown user no-such-user-xyz"),
        "{e}"
    );
}

#[test]
fn a_missing_or_unwritable_working_dir_names_the_working_dir() {
    let d = tempfile::tempdir().unwrap();
    let mut spec = sh(d.path(), "exit 0");
    spec.working_dir = d.path().join("missing").to_string_lossy().into_owned();
    let e = start_err(d.path(), &spec);
    assert!(
        e.starts_with("working_dir") && e.contains("No such file"),
        "{e}"
    );

    let ro = d.path().join("ro");
    std::fs::create_dir(&ro).unwrap();
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).unwrap();
    spec.working_dir = ro.to_string_lossy().into_owned();
    // SAFETY: geteuid cannot fail.
    if unsafe { libc::geteuid() } == 0 {
        // root may write anywhere: the check applies to the task's user.
        spec.user = "nobody".into();
    }
    let e = start_err(d.path(), &spec);
    assert!(
        e.starts_with("working_dir") && e.contains("not writable"),
        "{e}"
    );
}

#[test]
fn env_entries_must_be_key_value() {
    let d = tempfile::tempdir().unwrap();
    let mut spec = sh(d.path(), "exit 0");
    spec.env.push("NOEQUALS".into());
    let e = start_err(d.path(), &spec);
    assert!(e.starts_with("env[1]") && e.contains("KEY=VALUE"), "{e}");
}

#[test]
fn an_unknown_format_version_is_refused_naming_both() {
    let d = tempfile::tempdir().unwrap();
    let mut spec = sh(d.path(), "exit 0");
    spec.format_version = 9;
    let e = start_with(&spec, &d.path().join("state"), &opts())
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("format_version") && e.contains('9') && e.contains('1'),
        "{e}"
    );
}

#[test]
fn a_task_runs_as_the_spec_user_when_the_plugin_is_root() {
    // SAFETY: geteuid cannot fail.
    if unsafe { libc::geteuid() } != 0 {
        eprintln!("skipped: needs root");
        return;
    }
    let d = tempfile::tempdir().unwrap();
    let wd = d.path().join("wd");
    std::fs::create_dir(&wd).unwrap();
    std::fs::set_permissions(&wd, std::fs::Permissions::from_mode(0o777)).unwrap();
    let mut spec = sh(d.path(), "id -u; id -g");
    spec.working_dir = wd.to_string_lossy().into_owned();
    spec.user = "nobody".into();
    let t = start(d.path(), &spec);
    assert_eq!(t.wait().unwrap().exit_code, 0);
    let nobody = yurt_supervise::spawn::lookup_user("nobody").unwrap();
    assert_eq!(
        std::fs::read_to_string(d.path().join("out")).unwrap(),
        format!("{}\n{}\n", nobody.uid, nobody.gid)
    );
    t.destroy().unwrap();
}

#[test]
fn corrupted_state_and_handles_are_clear_errors() {
    let d = tempfile::tempdir().unwrap();
    let t = start(d.path(), &sh(d.path(), "exit 0"));
    t.wait().unwrap();
    let handle = t.handle();

    let e = reattach(b"\xff\xff not a handle").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    assert!(e.to_string().starts_with("handle:"), "{e}");

    for file in [state::EXIT, state::STARTED, state::SPEC] {
        let path = t.state_dir().join(file);
        let good = std::fs::read(&path).unwrap();
        std::fs::write(&path, b"\x0a\xff\xff\xff garbage").unwrap();
        let e = reattach(&handle).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::State, "{e}");
        assert!(
            e.to_string().contains(file) && e.to_string().contains("corrupted"),
            "{e}"
        );
        std::fs::write(&path, good).unwrap();
    }
    reattach(&handle).unwrap().destroy().unwrap();
}

#[test]
fn a_program_that_is_not_a_supervisor_fails_fast_and_leaves_nothing() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path().join("state");
    let opts = yurt_supervise::StartOptions {
        program: Some("/bin/true".into()),
        ..Default::default()
    };
    let began = std::time::Instant::now();
    let e = start_with(&sh(d.path(), "exit 0"), &dir, &opts)
        .unwrap_err()
        .to_string();
    assert!(
        began.elapsed() < std::time::Duration::from_secs(5),
        "{:?}",
        began.elapsed()
    );
    assert!(e.contains("exited without starting the task"), "{e}");
    assert!(!dir.exists());
}

#[test]
fn a_supervisor_too_slow_to_start_is_killed_with_its_task() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path().join("state");
    // A "supervisor" that starts a task but never reports it: start must not leave it behind.
    let fake = d.path().join("fake-supervisor");
    std::fs::write(
        &fake,
        format!(
            "#!/bin/sh\nsleep 300 & echo $! > {}\ntrap 'kill -9 $!; exit 0' TERM\nwhile :; do sleep 0.05; done\n",
            d.path().join("task.pid").display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
    let opts = yurt_supervise::StartOptions {
        program: Some(fake),
        timeout: std::time::Duration::from_millis(500),
        ..Default::default()
    };
    let e = start_with(&sh(d.path(), "exit 0"), &dir, &opts)
        .unwrap_err()
        .to_string();
    assert!(e.contains("did not report the task started"), "{e}");
    let task = read_pid(&d.path().join("task.pid"));
    assert!(eventually(std::time::Duration::from_secs(5), || !alive(
        task
    )));
    assert!(!dir.exists());
}
