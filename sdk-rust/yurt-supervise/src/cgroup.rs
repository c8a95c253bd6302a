//! The task's cgroup (cgroup v1: the memory, cpu, cpuacct and pids controllers, mounted at
//! `/sys/fs/cgroup/<controller>`), used when the spec has resource limits and the supervisor
//! runs as root with a writable hierarchy. Otherwise the process-group and subreaper path alone
//! is in force.
//!
//! - The cgroup is `<the supervisor's own cgroup>/yurt-<state dir name>-<supervisor pid>` in
//!   each controller, so the task stays inside whatever limits the supervisor's own cgroup has
//!   (as a container's).
//! - `memory.limit_in_bytes` is `limits.memory_limit_bytes`, `cpu.shares` is
//!   `limits.cpu_shares` (as Nomad's exec driver sets them from `LinuxResources`).
//! - The task joins it between fork and exec (before the user switch), so every process it
//!   starts is in it from the first instruction.
//! - When the task ends, every process listed in it is killed (with the subreaper's descendant
//!   scan), `memory.oom_control`'s `oom_kill` count tells whether the OOM killer ended the task,
//!   and the cgroup is removed.
//! - `Started.cgroup` records the memory controller's directory; the other controllers' have
//!   the same base name under the supervisor's own cgroup of that controller (see
//!   `/proc/<task pid>/cgroup`).
//!
//! cgroup v2 (a unified hierarchy with controllers) is not handled yet: there the process-group
//! and subreaper path applies and the limits are not enforced.

use std::ffi::CString;
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::ResourceLimits;

const ROOT: &str = "/sys/fs/cgroup";
const CONTROLLERS: [&str; 4] = ["memory", "cpu", "cpuacct", "pids"];

/// A task's cgroup, one directory per controller.
#[derive(Debug)]
pub(crate) struct Cgroup {
    /// Per controller (memory first), deduplicated for co-mounted controllers.
    dirs: Vec<PathBuf>,
}

/// The supervisor's own cgroup path in the v1 hierarchy holding `controller`.
fn own_path(controller: &str) -> Option<String> {
    let text = std::fs::read_to_string("/proc/self/cgroup").ok()?;
    text.lines().find_map(|l| {
        let mut f = l.splitn(3, ':');
        let (_, ctl, path) = (f.next()?, f.next()?, f.next()?);
        ctl.split(',')
            .any(|c| c == controller)
            .then(|| path.to_string())
    })
}

impl Cgroup {
    /// The cgroup recorded in `Started.cgroup` (its memory directory), found again from another
    /// process of the same cgroups (the plugin that started the supervisor): for cleaning up
    /// after a supervisor that was killed before it could.
    pub fn from_recorded(memory_dir: &str) -> Option<Cgroup> {
        let memory_dir = Path::new(memory_dir);
        let base = memory_dir.file_name()?.to_str()?;
        if !base.starts_with("yurt-") || !memory_dir.starts_with(Path::new(ROOT).join("memory")) {
            return None;
        }
        let mut dirs = vec![memory_dir.to_path_buf()];
        for ctl in &CONTROLLERS[1..] {
            if let Some(own) = own_path(ctl) {
                let d = Path::new(ROOT)
                    .join(ctl)
                    .join(own.trim_start_matches('/'))
                    .join(base);
                if d.exists() && !dirs.contains(&d) {
                    dirs.push(d);
                }
            }
        }
        Some(Cgroup { dirs })
    }

    /// SIGKILLs every process in the cgroup until it is empty (bounded), then removes it.
    pub fn kill_and_remove(&self) {
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let pids = self.pids();
            if pids.is_empty() || Instant::now() >= deadline {
                break;
            }
            for p in pids {
                // SAFETY: plain kill of a process in the task's cgroup.
                unsafe { libc::kill(p, libc::SIGKILL) };
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        self.remove();
    }

    /// Creates the task's cgroup with `limits`; `Ok(None)` when cgroups are not in force (no
    /// limits, not root, or no v1 memory controller).
    pub fn create(name: &str, limits: &ResourceLimits) -> io::Result<Option<Cgroup>> {
        // SAFETY: geteuid cannot fail.
        let root = unsafe { libc::geteuid() } == 0;
        let wanted = limits.memory_limit_bytes > 0 || limits.cpu_shares > 0;
        if !root || !wanted || !Path::new(ROOT).join("memory/cgroup.procs").exists() {
            return Ok(None);
        }
        let name: String = name
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .take(100)
            .collect();
        let mut cg = Cgroup { dirs: Vec::new() };
        for ctl in CONTROLLERS {
            let Some(own) = own_path(ctl) else { continue };
            let mount = Path::new(ROOT).join(ctl);
            if !mount.join("cgroup.procs").exists() {
                continue;
            }
            let dir = mount
                .join(own.trim_start_matches('/'))
                .join(format!("yurt-{name}"));
            match std::fs::create_dir(&dir) {
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
                Err(e) => {
                    cg.remove();
                    return Err(io::Error::new(e.kind(), format!("{}: {e}", dir.display())));
                }
            }
            let real = std::fs::canonicalize(&dir).unwrap_or(dir);
            if !cg.dirs.contains(&real) {
                cg.dirs.push(real);
            }
        }
        let set = |file: &str, value: i64| -> io::Result<()> {
            for d in &cg.dirs {
                let path = d.join(file);
                if path.exists() {
                    return std::fs::write(&path, value.to_string())
                        .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())));
                }
            }
            Ok(())
        };
        let limited = (|| {
            if limits.memory_limit_bytes > 0 {
                set("memory.limit_in_bytes", limits.memory_limit_bytes)?;
            }
            if limits.cpu_shares > 0 {
                // The kernel's minimum is 2.
                set("cpu.shares", limits.cpu_shares.max(2))?;
            }
            Ok(())
        })();
        if let Err(e) = limited {
            cg.remove();
            return Err(e);
        }
        Ok(Some(cg))
    }

    /// The memory controller's directory (recorded in `Started.cgroup`).
    pub fn path(&self) -> String {
        self.dirs
            .first()
            .map(|d| d.to_string_lossy().into_owned())
            .unwrap_or_default()
    }

    /// The `cgroup.procs` files the task writes "0" to between fork and exec.
    pub fn procs_files(&self) -> Vec<CString> {
        self.dirs
            .iter()
            .filter_map(|d| {
                CString::new(d.join("cgroup.procs").as_os_str().as_encoded_bytes()).ok()
            })
            .collect()
    }

    /// Every process in the cgroup.
    pub fn pids(&self) -> Vec<i32> {
        let mut pids: Vec<i32> = self
            .dirs
            .iter()
            .filter_map(|d| std::fs::read_to_string(d.join("cgroup.procs")).ok())
            .flat_map(|t| {
                t.lines()
                    .filter_map(|l| l.trim().parse().ok())
                    .collect::<Vec<i32>>()
            })
            .collect();
        pids.sort_unstable();
        pids.dedup();
        pids
    }

    /// Whether the kernel's OOM killer killed a process of the task.
    pub fn oom_killed(&self) -> bool {
        self.dirs.iter().any(|d| {
            std::fs::read_to_string(d.join("memory.oom_control")).is_ok_and(|t| {
                t.lines()
                    .filter_map(|l| l.strip_prefix("oom_kill "))
                    .any(|n| n.trim().parse::<u64>().is_ok_and(|n| n > 0))
            })
        })
    }

    /// Removes the cgroup (retrying briefly while the last processes leave it).
    pub fn remove(&self) {
        let deadline = Instant::now() + Duration::from_secs(2);
        for d in &self.dirs {
            while let Err(e) = std::fs::remove_dir(d) {
                if e.kind() == io::ErrorKind::NotFound || Instant::now() >= deadline {
                    break;
                }
                std::thread::sleep(Duration::from_millis(10));
            }
        }
    }
}
