//! Stats in Nomad's units over the task's process tree, and exec in the task's context.

mod common;

use std::time::Duration;

use common::*;
use yurt_supervise::{CpuTopology, Sampler};

/// Nanoseconds `pid` has run on a CPU (`/proc/<pid>/schedstat`): an independent clock to
/// check the sampler's tick-based percentages against, whatever the machine's load.
fn on_cpu_ns(pid: i32) -> u64 {
    let s = std::fs::read_to_string(format!("/proc/{pid}/schedstat")).unwrap();
    s.split_whitespace().next().unwrap().parse().unwrap()
}

#[test]
fn a_busy_loop_is_one_core_in_percent_and_its_mhz() {
    let d = tempfile::tempdir().unwrap();
    // The busy process is a child of the task's main process: the tree is summed.
    let t = start(
        d.path(),
        &sh(
            d.path(),
            "sh -c 'echo $$ > busy.pid; while :; do :; done' & exec sleep 300",
        ),
    );
    let busy = read_pid(&d.path().join("busy.pid")).0;
    let topo = CpuTopology {
        total_compute_mhz: 4000.0,
        cores: 2,
    };
    let mut sampler = Sampler::new(&t, topo);
    sampler.sample();
    let (ns0, at0) = (on_cpu_ns(busy), std::time::Instant::now());
    std::thread::sleep(Duration::from_secs(2));
    let s = sampler.sample();
    let (ns1, at1) = (on_cpu_ns(busy), std::time::Instant::now());
    // % of ONE core: CPU time over wall time. Alone on a core this is about 100; on this
    // shared machine it is whatever the scheduler gave, which schedstat measures too.
    let expected = (ns1 - ns0) as f64 / (at1 - at0).as_nanos() as f64 * 100.0;
    let p = s.by_pid[&busy].percent;
    assert!(
        (p - expected).abs() < 15.0 && p <= 110.0,
        "busy loop at {p} %, schedstat says {expected} %"
    );
    assert!((s.total.percent - p).abs() < 5.0, "{:?}", s.total);
    assert!((s.total.user_mode + s.total.system_mode - s.total.percent).abs() < 1e-6);
    // MHz: percent/100 of one core's share of the total compute (Nomad's TicksConsumed).
    assert!(
        (s.total.total_ticks - s.total.percent / 100.0 * 2000.0).abs() < 1e-6,
        "{:?}",
        s.total
    );
    assert!(s.ticks_measured);
    assert_eq!(
        s.by_pid.len(),
        2,
        "main and the busy child: {:?}",
        s.by_pid.keys()
    );
    assert!(!s.by_pid.contains_key(&t.started().supervisor_pid));
    assert!(s.total.rss > 0 && s.total.usage >= s.total.rss && s.total.max_usage >= s.total.usage);
    t.destroy().unwrap();
}

#[test]
fn an_idle_task_is_near_zero() {
    let d = tempfile::tempdir().unwrap();
    let t = start(d.path(), &sh(d.path(), "exec sleep 300"));
    let mut sampler = Sampler::new(&t, CpuTopology::from_host());
    sampler.sample();
    std::thread::sleep(Duration::from_millis(500));
    let s = sampler.sample();
    assert!(s.total.percent < 5.0, "{:?}", s.total);
    assert_eq!(s.by_pid.keys().copied().collect::<Vec<_>>(), vec![t.pid()]);
    t.destroy().unwrap();
}

#[test]
fn exec_runs_in_the_tasks_environment_and_merges_stderr_into_stdout() {
    let d = tempfile::tempdir().unwrap();
    let mut spec = sh(d.path(), "exec sleep 300");
    spec.env.push("GREETING=hello from the task".into());
    let t = start(d.path(), &spec);
    let argv: Vec<String> = [
        "sh",
        "-c",
        "echo $GREETING; pwd; echo to-stderr >&2; exit 3",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let out = t.exec(&argv, Duration::from_secs(10)).unwrap();
    assert_eq!(out.exit_code, 3);
    assert_eq!(
        String::from_utf8(out.output).unwrap(),
        format!("hello from the task\n{}\nto-stderr\n", d.path().display())
    );
    let e = t
        .exec(&["no-such-cmd-xyz".to_string()], Duration::from_secs(5))
        .unwrap_err();
    assert!(
        e.to_string().starts_with("command \"no-such-cmd-xyz\""),
        "{e}"
    );
    let slow = ["sleep".to_string(), "30".to_string()];
    let e = t.exec(&slow, Duration::from_millis(300)).unwrap_err();
    assert!(e.to_string().contains("timed out"), "{e}");
    t.destroy().unwrap();
}
