//! Yurt's task supervision layer (re-exported by the `yurt` crate as `yurt::supervise`).
//!
//! A task driver calls [`start`] instead of writing its own supervisor: the task then runs
//! under a small per-task supervisor process, in its own session and process group, that
//! outlives the plugin. A fresh plugin process finds it again with [`reattach`] from the
//! [`Task::handle`] bytes it stored in Nomad's `driver_state`, and can [`Task::wait`],
//! [`Task::signal`], [`Task::stop`], [`Task::destroy`], [`Task::stats`] and [`Task::exec`].
//!
//! The supervisor and the plugin share nothing but the files of the task's state directory,
//! defined once for the Go, Python and Rust SDKs in `proto/yurt/supervise/v1/supervise.proto`
//! (the normative description of what the supervisor does), and signals. A task started by any
//! of the three SDKs can therefore be driven by any other.
//!
//! The supervisor is started as `<program> yurt-supervise <state dir>`. A Rust plugin
//! re-executes its own binary (`/proc/self/exe`), and `yurt::serve_driver` runs
//! [`supervisor_main`] when it sees that argument, before anything else. The `yurt-supervise`
//! binary of this crate is the same supervisor as a standalone program; the Python SDK ships it.
//!
//! What is caught where:
//! - with resource limits in the spec, as root, with cgroup v1's memory controller mounted:
//!   the task runs in its own cgroup (memory limit, CPU shares, OOM kills reported in
//!   `ExitResult.oom_killed`, every process in it killed at the end; see `cgroup.rs`);
//! - always, the process-group and subreaper path:
//! - the task's process group gets the stop signal's SIGKILL;
//! - every process descended from the supervisor, including ones that called `setsid` or
//!   double-forked (re-parented to the supervisor, a child subreaper), is killed when the main
//!   process exits and on destroy;
//! - a process that leaves the supervisor's subtree some other way (re-parented outside it by
//!   a PID namespace, or started by something else on its behalf) is not caught.

#![warn(missing_docs)]

mod cgroup;
mod client;
mod copier;
mod error;
mod exec;
#[allow(unreachable_pub, dead_code)]
mod r#gen;
pub mod spawn;
mod start;
pub mod state;
mod stats;
mod supervisor;

pub use client::{Task, reattach, reattach_dir};
pub use error::{Error, ErrorKind};
pub use exec::ExecOutput;
pub use r#gen::{ExitResult, Handle, ResourceLimits, Started, TaskSpec};
pub use start::{StartOptions, start, start_with};
pub use stats::{CpuTopology, ProcessUsage, Sampler, TaskUsage};

use std::path::PathBuf;
use std::process::ExitCode;

/// The argument (`argv[1]`) that makes a program the supervisor.
pub const SUPERVISE_ARG: &str = "yurt-supervise";

/// The state directory when this process was started as a supervisor
/// (`argv[1] == "yurt-supervise"`); `None` otherwise.
pub fn supervisor_invocation() -> Option<Result<PathBuf, String>> {
    let mut args = std::env::args_os().skip(1);
    if args.next()? != SUPERVISE_ARG {
        return None;
    }
    Some(match (args.next(), args.next()) {
        (Some(dir), None) => Ok(PathBuf::from(dir)),
        _ => Err(format!("usage: <program> {SUPERVISE_ARG} <state dir>")),
    })
}

/// Runs the supervisor if this process was started as one, and returns its exit code;
/// `None` when it was not (the caller goes on being a plugin).
pub fn supervisor_main() -> Option<ExitCode> {
    match supervisor_invocation()? {
        Ok(dir) => Some(supervisor::run(&dir)),
        Err(usage) => {
            eprintln!("{usage}");
            Some(ExitCode::from(2))
        }
    }
}

/// Which isolation the supervisor puts a task with resource limits in on this host:
/// `"cgroup-v1"` (root, and cgroup v1's memory controller mounted) or
/// `"process-group+subreaper"`. Tasks without limits always get the latter.
pub fn isolation() -> &'static str {
    // SAFETY: geteuid cannot fail.
    let root = unsafe { libc::geteuid() } == 0;
    if root && std::path::Path::new("/sys/fs/cgroup/memory/cgroup.procs").exists() {
        "cgroup-v1"
    } else {
        "process-group+subreaper"
    }
}
