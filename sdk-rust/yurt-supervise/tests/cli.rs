//! `yurt-supervise-cli`, the Rust layer for other languages' tests: what it starts, the
//! library reattaches, and the other way round.

mod common;

use std::process::Command;
use std::time::Duration;

use common::*;

fn cli(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_yurt-supervise-cli"))
        .args(args)
        .env(
            "YURT_SUPERVISE_PROGRAM",
            env!("CARGO_BIN_EXE_yurt-supervise"),
        )
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).trim().to_string(),
        String::from_utf8_lossy(&out.stderr).trim().to_string(),
    )
}

#[test]
fn the_cli_and_the_library_drive_the_same_tasks() {
    let d = tempfile::tempdir().unwrap();
    let p = |n: &str| d.path().join(n).to_string_lossy().into_owned();
    let (ok, handle, err) = cli(&[
        "start",
        &p("state"),
        &p("out"),
        &p("err"),
        "--",
        "sh",
        "-c",
        "trap '' TERM; echo up; while :; do sleep 0.05; done",
    ]);
    assert!(ok, "{err}");
    assert_eq!(cli(&["exit", &handle]).1, "running");
    let bytes: Vec<u8> = (0..handle.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&handle[i..i + 2], 16).unwrap())
        .collect();
    let t = yurt_supervise::reattach(&bytes).unwrap();
    assert!(eventually(Duration::from_secs(10), || {
        std::fs::read_to_string(d.path().join("out")).is_ok_and(|s| s == "up\n")
    }));
    let (ok, res, err) = cli(&["stop", &handle, "SIGTERM", "300"]);
    assert!(ok, "{err}");
    assert_eq!(res, "exit_code=137 signal=9 oom_killed=false");
    assert_eq!(t.wait().unwrap().exit_code, 137);
    assert!(cli(&["destroy", &handle]).0);
    assert!(!t.state_dir().exists());

    let (ok, _, err) = cli(&["start", &p("s2"), "", "", "--", "no-such-cmd-xyz"]);
    assert!(!ok && err.contains("command \"no-such-cmd-xyz\""), "{err}");
    let (ok, _, err) = cli(&["wait", "zz"]);
    assert!(!ok && err.contains("handle"), "{err}");
}
