//! The cgroup paths (root, and a writable hierarchy): every task in its own cgroup, limits
//! applied, OOM kills reported, every process killed, the cgroup removed. Each test runs on
//! cgroup v1 (memory, cpu, cpuacct, pids, freezer under /sys/fs/cgroup) and v2 (a cgroup2
//! mount) where the host has them, chosen with `StartOptions::cgroup`. On a hybrid host the
//! v2 hierarchy has no memory or cpu controller (the kernel binds a controller to one
//! hierarchy, and v1 holds them), so v2's limits and OOM report are skipped there with that
//! reason; containment, cgroup.kill and removal run on the real v2 hierarchy. The
//! process-group and subreaper path is tested everywhere else, and with "none" here.

mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use common::*;
use yurt_supervise::{ResourceLimits, Sampler, StartOptions, Task, TaskSpec};

/// The cgroup2 mount point, if any.
fn cgroup2_mount() -> Option<PathBuf> {
    let text = std::fs::read_to_string("/proc/self/mountinfo").ok()?;
    text.lines().find_map(|l| {
        let (pre, post) = l.split_once(" - ")?;
        post.starts_with("cgroup2 ")
            .then(|| pre.split(' ').nth(4).map(PathBuf::from))?
    })
}

/// The cgroup paths this host has, as root.
fn versions() -> Vec<&'static str> {
    // SAFETY: geteuid cannot fail.
    if unsafe { libc::geteuid() } != 0 {
        eprintln!("skipped: cgroups need root");
        return vec![];
    }
    let mut v = vec![];
    if Path::new("/sys/fs/cgroup/memory/cgroup.procs").exists() {
        v.push("v1");
    }
    if cgroup2_mount().is_some() {
        v.push("v2");
    }
    v
}

fn start_in(dir: &Path, spec: &TaskSpec, cgroup: &str) -> Task {
    let opts = StartOptions {
        cgroup: Some(cgroup.into()),
        ..opts()
    };
    yurt_supervise::start_with(spec, &dir.join("state"), &opts).expect("start")
}

/// Whether the v2 hierarchy has a controller (a hybrid host's does not have memory or cpu).
fn v2_has(controller: &str) -> bool {
    cgroup2_mount()
        .and_then(|m| std::fs::read_to_string(m.join("cgroup.controllers")).ok())
        .is_some_and(|c| c.split_whitespace().any(|x| x == controller))
}

fn limited(dir: &Path, script: &str, memory: i64) -> TaskSpec {
    TaskSpec {
        limits: Some(ResourceLimits {
            memory_limit_bytes: memory,
            cpu_shares: 512,
        }),
        ..sh(dir, script)
    }
}

/// The task's cgroup directory for `controller` (v1) or its v2 cgroup (`controller` ""),
/// from `/proc/<pid>/cgroup`.
fn controller_dir(pid: i32, controller: &str) -> PathBuf {
    let text = std::fs::read_to_string(format!("/proc/{pid}/cgroup")).unwrap();
    let path = text
        .lines()
        .find_map(|l| {
            let mut f = l.splitn(3, ':');
            let (_, ctl, path) = (f.next()?, f.next()?, f.next()?);
            (if controller.is_empty() {
                ctl.is_empty()
            } else {
                ctl.split(',').any(|c| c == controller)
            })
            .then(|| path.to_string())
        })
        .unwrap();
    let base = if controller.is_empty() {
        cgroup2_mount().unwrap()
    } else {
        Path::new("/sys/fs/cgroup").join(controller)
    };
    base.join(path.trim_start_matches('/'))
}

#[test]
fn a_task_runs_in_its_own_cgroup_which_is_removed_after() {
    for v in versions() {
        let d = tempfile::tempdir().unwrap();
        let t = start_in(
            d.path(),
            &limited(d.path(), "sleep 300 & exec sleep 300", 64 << 20),
            v,
        );
        let cg = t.started().cgroup.clone();
        let read = |p: PathBuf| std::fs::read_to_string(p).unwrap().trim().to_string();
        let mut others = vec![];
        if v == "v1" {
            assert!(
                cg.starts_with("/sys/fs/cgroup/memory/") && cg.contains("/yurt-"),
                "{cg:?}"
            );
            assert_eq!(
                read(Path::new(&cg).join("memory.limit_in_bytes")),
                (64u64 << 20).to_string()
            );
            assert_eq!(controller_dir(t.pid(), "memory"), PathBuf::from(&cg));
            for ctl in ["cpu", "pids", "freezer"] {
                let dir = controller_dir(t.pid(), ctl);
                assert!(
                    dir.to_string_lossy().contains("/yurt-"),
                    "{}",
                    dir.display()
                );
                others.push(dir);
            }
            assert_eq!(read(others[0].join("cpu.shares")), "512");
        } else {
            assert_eq!(controller_dir(t.pid(), ""), PathBuf::from(&cg), "v2");
            assert!(cg.contains("/yurt/yurt-"), "{cg:?}");
            if v2_has("memory") {
                assert_eq!(
                    read(Path::new(&cg).join("memory.max")),
                    (64u64 << 20).to_string()
                );
            } else {
                eprintln!("v2: no memory controller in this hierarchy: memory.max not checked");
            }
        }
        // The shell's background child may not exist yet: wait for both.
        let procs_file = Path::new(&cg).join("cgroup.procs");
        assert!(
            eventually(Duration::from_secs(10), || read(procs_file.clone())
                .lines()
                .count()
                == 2),
            "the task and its child: {}",
            read(procs_file.clone())
        );
        let procs = read(procs_file);
        assert!(procs.lines().any(|l| l == t.pid().to_string()), "{procs}");
        let mut sampler = Sampler::new(&t, yurt_supervise::CpuTopology::from_host());
        let s = sampler.sample();
        assert!(
            s.total.usage > 0 && s.total.max_usage >= s.total.usage,
            "{:?}",
            s.total
        );
        t.destroy().unwrap();
        assert!(!Path::new(&cg).exists(), "{v}: cgroup {cg} left behind");
        for o in others {
            assert!(!o.exists(), "{} left behind", o.display());
        }
    }
}

#[test]
fn an_oom_kill_is_reported() {
    for v in versions() {
        if v == "v2" && !v2_has("memory") {
            eprintln!(
                "v2: no memory controller in this hierarchy (v1 holds it): no OOM kill to report"
            );
            continue;
        }
        an_oom_kill_is_reported_on(v);
    }
}

fn an_oom_kill_is_reported_on(v: &str) {
    let d = tempfile::tempdir().unwrap();
    // tail keeps a line without end in memory: it grows until the limit.
    let mut spec = limited(d.path(), "", 32 << 20);
    spec.command = "tail".into();
    spec.args = vec!["/dev/zero".into()];
    let t = start_in(d.path(), &spec, v);
    let r = t
        .wait_timeout(Duration::from_secs(60))
        .unwrap()
        .expect("never OOM-killed");
    assert!(r.oom_killed, "{r:?}");
    assert_eq!((r.exit_code, r.signal), (137, 9));
    t.destroy().unwrap();
}

#[test]
fn a_double_forked_child_in_the_cgroup_dies_with_the_main_process() {
    for v in versions() {
        double_forked_on(v);
    }
}

fn double_forked_on(v: &str) {
    let d = tempfile::tempdir().unwrap();
    let t = start_in(
        d.path(),
        &limited(
            d.path(),
            "(setsid sh -c 'echo $$ > gc.pid; exec sleep 300' &); while [ ! -e go ]; do sleep 0.01; done; exit 3",
            64 << 20,
        ),
        v,
    );
    let gc = read_pid(&d.path().join("gc.pid"));
    std::fs::write(d.path().join("go"), "").unwrap();
    let r = t.wait().unwrap();
    assert_eq!((r.exit_code, r.oom_killed), (3, false));
    assert!(!alive(gc));
    assert!(!Path::new(&t.started().cgroup).exists());
    t.destroy().unwrap();
}

#[test]
fn with_cgroups_off_a_task_has_none() {
    let d = tempfile::tempdir().unwrap();
    let t = start_in(d.path(), &limited(d.path(), "exit 0", 64 << 20), "none");
    assert_eq!(t.started().cgroup, "");
    t.wait().unwrap();
    t.destroy().unwrap();
}

#[test]
fn destroy_after_the_supervisor_was_killed_takes_the_cgroup_down_too() {
    for v in versions() {
        destroy_after_supervisor_death_on(v);
    }
}

fn destroy_after_supervisor_death_on(v: &str) {
    let d = tempfile::tempdir().unwrap();
    let t = start_in(
        d.path(),
        &limited(
            d.path(),
            "(setsid sh -c 'echo $$ > gc.pid; exec sleep 300' &); exec sleep 300",
            64 << 20,
        ),
        v,
    );
    let gc = read_pid(&d.path().join("gc.pid"));
    let cg = t.started().cgroup.clone();
    let cpu = controller_dir(t.pid(), if v == "v1" { "cpu" } else { "" });
    let s = t.started().clone();
    // SAFETY: plain kill of the supervisor this test started.
    unsafe { libc::kill(s.supervisor_pid, libc::SIGKILL) };
    assert!(eventually(Duration::from_secs(10), || !alive((
        s.supervisor_pid,
        s.supervisor_start_time
    ))));
    assert!(
        alive(gc),
        "{v}: the setsid grandchild died with its supervisor: nothing to test"
    );
    t.destroy().unwrap();
    assert!(
        !alive(gc),
        "{v}: a setsid grandchild outside the group survived"
    );
    assert!(!alive((s.pid, s.pid_start_time)));
    assert!(
        !Path::new(&cg).exists() && !cpu.exists(),
        "cgroup left behind"
    );
}
