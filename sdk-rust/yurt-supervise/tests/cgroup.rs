//! The cgroup path (root, cgroup v1 memory controller, a spec with limits): limits applied,
//! OOM kills reported, every process killed, the cgroup removed. Skipped elsewhere (the
//! process-group and subreaper path, tested everywhere else, then applies).

mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use common::*;
use yurt_supervise::{ResourceLimits, Sampler, TaskSpec};

fn cgroups() -> bool {
    let on = yurt_supervise::isolation() == "cgroup-v1";
    if !on {
        eprintln!("skipped: no cgroup v1 as root here");
    }
    on
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

/// The task's cgroup directory for `controller`, from `/proc/<pid>/cgroup`.
fn controller_dir(pid: i32, controller: &str) -> PathBuf {
    let text = std::fs::read_to_string(format!("/proc/{pid}/cgroup")).unwrap();
    let path = text
        .lines()
        .find_map(|l| {
            let mut f = l.splitn(3, ':');
            let (_, ctl, path) = (f.next()?, f.next()?, f.next()?);
            ctl.split(',')
                .any(|c| c == controller)
                .then(|| path.to_string())
        })
        .unwrap();
    Path::new("/sys/fs/cgroup")
        .join(controller)
        .join(path.trim_start_matches('/'))
}

#[test]
fn a_task_with_limits_runs_in_its_own_cgroup_which_is_removed_after() {
    if !cgroups() {
        return;
    }
    let d = tempfile::tempdir().unwrap();
    let t = start(
        d.path(),
        &limited(d.path(), "sleep 300 & exec sleep 300", 64 << 20),
    );
    let cg = t.started().cgroup.clone();
    assert!(
        cg.starts_with("/sys/fs/cgroup/memory/") && cg.contains("/yurt-"),
        "{cg:?}"
    );
    let read = |p: PathBuf| std::fs::read_to_string(p).unwrap().trim().to_string();
    assert_eq!(
        read(Path::new(&cg).join("memory.limit_in_bytes")),
        (64u64 << 20).to_string()
    );
    assert_eq!(controller_dir(t.pid(), "memory"), PathBuf::from(&cg));
    let cpu = controller_dir(t.pid(), "cpu");
    assert!(
        cpu.to_string_lossy().contains("/yurt-"),
        "{}",
        cpu.display()
    );
    assert_eq!(read(cpu.join("cpu.shares")), "512");
    let procs = read(Path::new(&cg).join("cgroup.procs"));
    assert!(procs.lines().any(|l| l == t.pid().to_string()), "{procs}");
    assert_eq!(procs.lines().count(), 2, "the task and its child: {procs}");
    let mut sampler = Sampler::new(&t, yurt_supervise::CpuTopology::from_host());
    let s = sampler.sample();
    assert!(
        s.total.usage > 0 && s.total.max_usage >= s.total.usage,
        "{:?}",
        s.total
    );
    t.destroy().unwrap();
    assert!(!Path::new(&cg).exists(), "cgroup {cg} left behind");
    assert!(!cpu.exists(), "{} left behind", cpu.display());
}

#[test]
fn an_oom_kill_is_reported() {
    if !cgroups() {
        return;
    }
    let d = tempfile::tempdir().unwrap();
    // tail keeps a line without end in memory: it grows until the limit.
    let mut spec = limited(d.path(), "", 32 << 20);
    spec.command = "tail".into();
    spec.args = vec!["/dev/zero".into()];
    let t = start(d.path(), &spec);
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
    if !cgroups() {
        return;
    }
    let d = tempfile::tempdir().unwrap();
    let t = start(
        d.path(),
        &limited(
            d.path(),
            "(setsid sh -c 'echo $$ > gc.pid; exec sleep 300' &); sleep 0.5; exit 3",
            64 << 20,
        ),
    );
    let gc = read_pid(&d.path().join("gc.pid"));
    let r = t.wait().unwrap();
    assert_eq!((r.exit_code, r.oom_killed), (3, false));
    assert!(!alive(gc));
    assert!(!Path::new(&t.started().cgroup).exists());
    t.destroy().unwrap();
}

#[test]
fn a_task_without_limits_has_no_cgroup() {
    let d = tempfile::tempdir().unwrap();
    let t = start(d.path(), &sh(d.path(), "exit 0"));
    assert_eq!(t.started().cgroup, "");
    t.wait().unwrap();
    t.destroy().unwrap();
}

#[test]
fn destroy_after_the_supervisor_was_killed_takes_the_cgroup_down_too() {
    if !cgroups() {
        return;
    }
    let d = tempfile::tempdir().unwrap();
    let t = start(
        d.path(),
        &limited(
            d.path(),
            "(setsid sh -c 'echo $$ > gc.pid; exec sleep 300' &); exec sleep 300",
            64 << 20,
        ),
    );
    let gc = read_pid(&d.path().join("gc.pid"));
    let cg = t.started().cgroup.clone();
    let cpu = controller_dir(t.pid(), "cpu");
    let s = t.started().clone();
    // SAFETY: plain kill of the supervisor this test started.
    unsafe { libc::kill(s.supervisor_pid, libc::SIGKILL) };
    assert!(eventually(Duration::from_secs(10), || !alive((
        s.supervisor_pid,
        s.supervisor_start_time
    ))));
    t.destroy().unwrap();
    assert!(!alive(gc), "a setsid grandchild outside the group survived");
    assert!(!alive((s.pid, s.pid_start_time)));
    assert!(
        !Path::new(&cg).exists() && !cpu.exists(),
        "cgroup left behind"
    );
}
