//! `rust-exec`: a Nomad task driver that runs a command on the host.
//!
//! ```hcl
//! plugin "yurt-example-process-driver" {
//!   config { state_dir = "/var/lib/rust-exec" }   # optional; default: $TMPDIR/yurt-rust-exec-<uid>
//! }
//! task "web" {
//!   driver = "rust-exec"
//!   config { command = "python3"  args = ["-m", "http.server"] }
//! }
//! ```
//!
//! Each task runs under its own supervisor: this binary re-executed as `supervise <dir>` in a new
//! session (see `supervisor.rs`). The supervisor holds the stdout/stderr FIFOs, is the task's
//! parent, and records the exit status on disk, so the task survives the plugin's death and a
//! fresh plugin process reports its real exit code from `driver_state` alone.

mod driver;
mod exec;
mod spawn;
mod state;
mod stats;
mod supervisor;

use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args_os().skip(1);
    match args.next() {
        Some(mode) if mode == "supervise" => match args.next() {
            Some(dir) => supervisor::run(std::path::Path::new(&dir)),
            None => {
                eprintln!("usage: supervise <task-state-dir>");
                ExitCode::from(2)
            }
        },
        _ => yurt::serve_driver(driver::ProcessDriver::default()),
    }
}
