//! Per-task cost of the supervisor: PSS and start latency, with 20 `sleep` tasks (the figures
//! the issue compares against Nomad's 17.0 MiB executor; the goal is <= 2 MiB and a p50 start
//! under 20 ms). Prints the figures; asserts the PSS goal.

mod common;

use std::time::{Duration, Instant};

use common::*;

fn pss_kib(pid: i32) -> Option<u64> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).ok()?;
    s.lines()
        .find_map(|l| l.strip_prefix("Pss:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

#[test]
fn supervisor_pss_and_start_latency_with_20_tasks() {
    let d = tempfile::tempdir().unwrap();
    let mut tasks = Vec::new();
    let mut latencies = Vec::new();
    for i in 0..20 {
        let dir = d.path().join(format!("t{i}"));
        std::fs::create_dir(&dir).unwrap();
        let began = Instant::now();
        tasks.push(start(&dir, &sh(&dir, "exec sleep 300")));
        latencies.push(began.elapsed());
    }
    std::thread::sleep(Duration::from_millis(200));
    let mut pss: Vec<u64> = tasks
        .iter()
        .filter_map(|t| pss_kib(t.started().supervisor_pid))
        .collect();
    for t in &tasks {
        t.destroy().unwrap();
    }
    latencies.sort();
    pss.sort_unstable();
    assert_eq!(pss.len(), 20);
    let p50 = latencies[10];
    let mean_pss = pss.iter().sum::<u64>() as f64 / pss.len() as f64;
    eprintln!(
        "yurt-supervise cost: PSS mean {:.0} KiB (min {} max {}), start p50 {:?} max {:?}",
        mean_pss, pss[0], pss[19], p50, latencies[19]
    );
    assert!(
        mean_pss <= 2048.0,
        "supervisor PSS {mean_pss} KiB over the 2 MiB goal"
    );
}
