//! The task's cgroup: where the supervisor runs as root and a cgroup hierarchy is writable,
//! every task runs in a cgroup of its own (as under Nomad's exec driver). The same rules as
//! the Go layer's (go/plugin/supervise/cgroup.go), so a task gets the same cgroup whichever
//! layer started it:
//!
//! - cgroup v1 (the memory controller mounted at `/sys/fs/cgroup/memory`):
//!   `<the supervisor's own cgroup>/yurt-<state dir name>-<supervisor pid>` in each of the
//!   memory, cpu, cpuacct, pids and freezer controllers, so the task stays inside whatever
//!   limits the supervisor's own cgroup has (as a container's). `memory.limit_in_bytes` is
//!   `limits.memory_limit_bytes`, `cpu.shares` is `limits.cpu_shares`.
//! - cgroup v2 (a cgroup2 mount: `/sys/fs/cgroup` on a unified host, else the first cgroup2
//!   mount in `/proc/self/mountinfo`): `<mount>/yurt/yurt-<state dir name>-<supervisor pid>`,
//!   with the memory, cpu and pids controllers enabled where the hierarchy has them;
//!   `memory.max` and `cpu.weight` (shares mapped linearly from [2, 262144] onto
//!   [1, 10000]).
//! - The task joins it between fork and exec (writing "0" to `cgroup.procs`, before the user
//!   switch), so every process it starts is in it from the first instruction.
//! - When the task ends (and on destroy) every process in it is killed at once (v2:
//!   `cgroup.kill`; v1: freeze, SIGKILL each, thaw), together with the subreaper's descendant
//!   scan; `memory.oom_control` (v1) or `memory.events` (v2) `oom_kill` tells whether the OOM
//!   killer ended the task, and the cgroup is removed.
//! - `Started.cgroup` records the memory controller's directory (v1) or the cgroup (v2); the
//!   other v1 controllers' have the same base name under the supervisor's own cgroup of that
//!   controller.
//!
//! A limit the hierarchy cannot enforce (a hybrid host's v2 has no memory controller: the
//! kernel binds each controller to one hierarchy) is logged, and the cgroup still contains
//! the task. `YURT_SUPERVISE_CGROUP` (`v1`, `v2`, `none`; unset: v1, then v2) picks the path.

use std::ffi::CString;
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::ResourceLimits;

const ROOT: &str = "/sys/fs/cgroup";
const CONTROLLERS: [&str; 5] = ["memory", "cpu", "cpuacct", "pids", "freezer"];
/// The environment variable that picks the cgroup path (passed from the plugin).
pub(crate) const ENV: &str = "YURT_SUPERVISE_CGROUP";

/// The cgroup path in force on this host: 1, 2 (with its mount) or none.
pub(crate) fn version() -> Option<(u8, PathBuf)> {
    // SAFETY: geteuid cannot fail.
    if unsafe { libc::geteuid() } != 0 {
        return None;
    }
    let want = std::env::var(ENV).unwrap_or_default();
    if want == "none" {
        return None;
    }
    let v1 = Path::new(ROOT).join("memory");
    if want != "v2" && v1.join("cgroup.procs").exists() && writable(&v1) {
        return Some((1, v1));
    }
    if want == "v1" {
        return None;
    }
    cgroup2_mount().filter(|m| writable(m)).map(|m| (2, m))
}

fn writable(p: &Path) -> bool {
    CString::new(p.as_os_str().as_encoded_bytes())
        // SAFETY: a NUL-terminated path.
        .is_ok_and(|c| unsafe { libc::access(c.as_ptr(), libc::W_OK) } == 0)
}

/// Where the cgroup v2 hierarchy is mounted.
fn cgroup2_mount() -> Option<PathBuf> {
    if Path::new(ROOT).join("cgroup.controllers").exists() {
        return Some(PathBuf::from(ROOT));
    }
    let text = std::fs::read_to_string("/proc/self/mountinfo").ok()?;
    text.lines().find_map(|l| {
        let (pre, post) = l.split_once(" - ")?;
        post.starts_with("cgroup2 ")
            .then(|| pre.split(' ').nth(4).map(PathBuf::from))?
    })
}

/// A task's cgroup: one directory per v1 controller (memory first), or the v2 directory.
#[derive(Debug)]
pub(crate) struct Cgroup {
    v2: bool,
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

fn mkdir(dir: &Path) -> io::Result<()> {
    match std::fs::create_dir(dir) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(io::Error::new(
            e.kind(),
            format!("creating cgroup {}: {e}", dir.display()),
        )),
    }
}

impl Cgroup {
    /// The cgroup recorded in `Started.cgroup`, found again from another process of the same
    /// cgroups (the plugin that started the supervisor): for cleaning up after a supervisor
    /// that was killed before it could.
    pub fn from_recorded(recorded: &str) -> Option<Cgroup> {
        let path = Path::new(recorded);
        let base = path.file_name()?.to_str()?;
        if !base.starts_with("yurt-") || !path.is_absolute() || !path.exists() {
            return None;
        }
        if !path.starts_with(Path::new(ROOT).join("memory")) {
            return Some(Cgroup {
                v2: true,
                dirs: vec![path.to_path_buf()],
            });
        }
        let mut dirs = vec![path.to_path_buf()];
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
        Some(Cgroup { v2: false, dirs })
    }

    /// Kills every process in the cgroup until it is empty (bounded), then removes it.
    pub fn kill_and_remove(&self) {
        let deadline = Instant::now() + Duration::from_secs(5);
        while !self.pids().is_empty() && Instant::now() < deadline {
            self.kill();
            std::thread::sleep(Duration::from_millis(2));
        }
        self.remove();
    }

    /// SIGKILLs every process in the cgroup at once, so that none can fork meanwhile: v2
    /// writes `cgroup.kill`; v1 (or a v2 kernel without it) freezes, kills each, thaws.
    pub fn kill(&self) {
        if self.v2
            && let Some(p) = self.file("cgroup.kill")
            && std::fs::write(p, "1").is_ok()
        {
            return;
        }
        let (file, frozen, thawed) = if self.v2 {
            ("cgroup.freeze", "1", "0")
        } else {
            ("freezer.state", "FROZEN", "THAWED")
        };
        let state = self
            .file(file)
            .filter(|p| std::fs::write(p, frozen).is_ok());
        if let Some(p) = &state {
            let end = Instant::now() + Duration::from_secs(1);
            while std::fs::read_to_string(p).is_ok_and(|s| s.trim() == "FREEZING")
                && Instant::now() < end
            {
                std::thread::sleep(Duration::from_millis(1));
            }
        }
        for p in self.pids() {
            // SAFETY: plain kill of a process in the task's cgroup.
            unsafe { libc::kill(p, libc::SIGKILL) };
        }
        if let Some(p) = &state {
            let _ = std::fs::write(p, thawed);
        }
    }

    /// Creates the task's cgroup with `limits`; `Ok(None)` when no cgroup path is in force
    /// (not root, no writable hierarchy, or `YURT_SUPERVISE_CGROUP=none`).
    pub fn create(name: &str, limits: &ResourceLimits) -> io::Result<Option<Cgroup>> {
        let Some((version, mount)) = version() else {
            return Ok(None);
        };
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
        let name = format!("yurt-{name}");
        let cg = if version == 2 {
            let parent = mount.join("yurt");
            mkdir(&parent)?;
            let avail =
                std::fs::read_to_string(mount.join("cgroup.controllers")).unwrap_or_default();
            for ctl in ["memory", "cpu", "pids"] {
                if avail.split_whitespace().any(|c| c == ctl) {
                    for d in [&mount, &parent] {
                        let _ = std::fs::write(d.join("cgroup.subtree_control"), format!("+{ctl}"));
                    }
                }
            }
            let dir = parent.join(&name);
            mkdir(&dir)?;
            Cgroup {
                v2: true,
                dirs: vec![dir],
            }
        } else {
            let mut cg = Cgroup {
                v2: false,
                dirs: Vec::new(),
            };
            for ctl in CONTROLLERS {
                let Some(own) = own_path(ctl) else { continue };
                let mount = Path::new(ROOT).join(ctl);
                if !mount.join("cgroup.procs").exists() {
                    continue;
                }
                let dir = mount.join(own.trim_start_matches('/')).join(&name);
                if let Err(e) = mkdir(&dir) {
                    cg.remove();
                    return Err(e);
                }
                let real = std::fs::canonicalize(&dir).unwrap_or(dir);
                if !cg.dirs.contains(&real) {
                    cg.dirs.push(real);
                }
            }
            cg
        };
        if let Err(e) = cg.limit(limits) {
            crate::supervisor::log(format!("limit not enforced: {e}"));
        }
        Ok(Some(cg))
    }

    fn limit(&self, limits: &ResourceLimits) -> io::Result<()> {
        let set = |field: &str, files: &[&str], value: i64| -> io::Result<()> {
            let Some(path) = files.iter().find_map(|f| self.file(f)) else {
                return Err(io::Error::other(format!(
                    "limits.{field}: the task's cgroup {} has no {} (controller not enabled in this hierarchy)",
                    self.path(),
                    files.join(" or ")
                )));
            };
            std::fs::write(&path, value.to_string()).map_err(|e| {
                io::Error::new(
                    e.kind(),
                    format!("limits.{field}: writing {value} to {}: {e}", path.display()),
                )
            })
        };
        if limits.memory_limit_bytes > 0 {
            set(
                "memory_limit_bytes",
                &["memory.limit_in_bytes", "memory.max"],
                limits.memory_limit_bytes,
            )?;
        }
        if limits.cpu_shares > 0 {
            // The v1 kernel's minimum is 2.
            let shares = limits.cpu_shares.clamp(2, 262_144);
            if self.v2 {
                set(
                    "cpu_shares",
                    &["cpu.weight"],
                    1 + (shares - 2) * 9999 / 262_142,
                )?;
            } else {
                set("cpu_shares", &["cpu.shares"], shares)?;
            }
        }
        Ok(())
    }

    /// A control file in whichever of the cgroup's directories has it.
    pub fn file(&self, name: &str) -> Option<PathBuf> {
        self.dirs.iter().map(|d| d.join(name)).find(|p| p.exists())
    }

    /// What `Started.cgroup` records: the memory controller's directory (v1) or the cgroup.
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
        ["memory.oom_control", "memory.events"].iter().any(|f| {
            self.file(f)
                .and_then(|p| std::fs::read_to_string(p).ok())
                .is_some_and(|t| {
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
