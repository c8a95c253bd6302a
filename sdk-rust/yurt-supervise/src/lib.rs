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
//! - as root with a writable cgroup hierarchy (v1's memory controller, else a cgroup2 mount;
//!   [`isolation`] says which), every task runs in its own cgroup: memory limit and CPU shares
//!   from the spec, OOM kills reported in `ExitResult.oom_killed`, and every process in it
//!   killed at the end and on destroy (v2 `cgroup.kill`, v1 freezer), even one that left the
//!   supervisor's subtree or outlived a supervisor killed with SIGKILL; see `cgroup.rs`;
//! - always, the process-group and subreaper path:
//! - the task's process group gets the stop signal's SIGKILL;
//! - every process descended from the supervisor, including ones that called `setsid` or
//!   double-forked (re-parented to the supervisor, a child subreaper), is killed when the main
//!   process exits and on destroy;
//! - a process that leaves the supervisor's subtree some other way (re-parented outside it by
//!   a PID namespace, or started by something else on its behalf) is not caught.

#![warn(missing_docs)]

mod ack;
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

/// Which isolation the supervisor puts a task in on this host: `"cgroup-v1"` (root, and cgroup
/// v1's memory controller mounted and writable), `"cgroup-v2"` (root, and a writable cgroup2
/// mount) or `"process-group+subreaper"`; `YURT_SUPERVISE_CGROUP` (`v1`, `v2`, `none`) in the
/// plugin's environment picks one. The process-group and subreaper path applies in every case.
pub fn isolation() -> &'static str {
    match cgroup::version() {
        Some((1, _)) => "cgroup-v1",
        Some(_) => "cgroup-v2",
        None => "process-group+subreaper",
    }
}
