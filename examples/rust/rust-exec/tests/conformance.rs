//! Runs the Go conformance harness (`yurt-conformance`, go-plugin's real host side, AutoMTLS
//! on) against this plugin binary and requires every Required case to pass (none skipped),
//! `driver/recover-task` included. Needs the Go toolchain; `YURT_CONFORMANCE_BIN` may name a
//! prebuilt harness instead.

use std::path::{Path, PathBuf};
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_rust-exec");

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../..")
}

fn harness(tmp: &Path) -> PathBuf {
    if let Some(p) = std::env::var_os("YURT_CONFORMANCE_BIN") {
        return PathBuf::from(p);
    }
    let out = tmp.join("yurt-conformance");
    let st = Command::new("go")
        .args(["build", "-o"])
        .arg(&out)
        .arg("./cmd/yurt-conformance")
        .current_dir(repo_root().join("conformance"))
        .status()
        .expect("running `go build` for the conformance harness (is Go installed? or set YURT_CONFORMANCE_BIN)");
    assert!(
        st.success(),
        "building the conformance harness failed: {st}"
    );
    out
}

/// Runs the harness; returns its results and its table (for failure messages).
fn run_harness(
    harness: &Path,
    config: &Path,
    scenarios: &Path,
    report: &Path,
    extra: &[&str],
    env: &[(&str, &str)],
) -> (Vec<serde_json::Value>, String, std::process::ExitStatus) {
    let out = Command::new(harness)
        .arg("--plugin")
        .arg(BIN)
        .arg("--config")
        .arg(config)
        .arg("--scenarios")
        .arg(scenarios)
        .arg("--json")
        .arg(report)
        .args(extra)
        .envs(env.iter().copied())
        .output()
        .expect("running yurt-conformance");
    let table = format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let bytes = std::fs::read(report).unwrap_or_else(|e| panic!("no report ({e}):\n{table}"));
    let json: serde_json::Value = serde_json::from_slice(&bytes).expect("report JSON");
    let results = json["results"].as_array().expect("results array").clone();
    (results, table, out.status)
}

#[test]
fn passes_every_required_conformance_case_under_the_go_plugin_host() {
    let tmp = tempfile::tempdir().unwrap();
    // The same plugin config and task roles that `make conformance` uses.
    let own = Path::new(env!("CARGO_MANIFEST_DIR")).join("conformance");
    let (config, scenarios) = (own.join("plugin.hcl"), own.join("scenarios.hcl"));
    let harness = harness(tmp.path());
    let (results, table, status) = run_harness(
        &harness,
        &config,
        &scenarios,
        &tmp.path().join("report.json"),
        &[],
        &[],
    );
    assert!(results.len() > 30, "too few cases ran:\n{table}");
    let mut bad = Vec::new();
    for r in &results {
        let id = r["id"].as_str().unwrap_or("?");
        let status = r["status"].as_str().unwrap_or("?");
        let required = r["level"] == "required";
        // Device cases skip for a driver; the TCP port-range case skips on unix sockets and
        // runs below over TCP.
        let skip_ok = id.starts_with("device/") || id == "handshake/port-range";
        // Required cases must pass; recommended ones too, for this reference example.
        if !skip_ok && status != "pass" {
            bad.push(format!("{id} ({}): {status}: {}", r["level"], r["message"]));
        }
        if skip_ok && required && status == "fail" {
            bad.push(format!("{id}: {status}: {}", r["message"]));
        }
    }
    for must in [
        "driver/recover-task",
        "handshake/mtls-certificate",
        "driver/exec-streaming",
    ] {
        assert!(
            results
                .iter()
                .any(|r| r["id"] == must && r["status"] == "pass"),
            "{must} did not pass:\n{table}"
        );
    }
    assert!(
        bad.is_empty(),
        "failing cases:\n{}\n\n{table}",
        bad.join("\n")
    );
    assert!(status.success(), "harness exit status {status}:\n{table}");

    // The same plugin on TCP (YURT_PLUGIN_TRANSPORT=tcp): every handshake case, port range included.
    let (results, table, status) = run_harness(
        &harness,
        &config,
        &scenarios,
        &tmp.path().join("report-tcp.json"),
        &["--run", "^handshake/"],
        &[("YURT_PLUGIN_TRANSPORT", "tcp")],
    );
    let failing: Vec<String> = results
        .iter()
        .filter(|r| r["id"] != "handshake/unix-socket-dir" && r["status"] != "pass")
        .map(|r| format!("{} {}: {}", r["id"], r["status"], r["message"]))
        .collect();
    assert!(
        results
            .iter()
            .any(|r| r["id"] == "handshake/port-range" && r["status"] == "pass"),
        "port-range did not pass over TCP:\n{table}"
    );
    assert!(
        failing.is_empty(),
        "over TCP:\n{}\n{table}",
        failing.join("\n")
    );
    assert!(status.success(), "harness exit status {status}:\n{table}");
}
