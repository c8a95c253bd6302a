//! `rust-exec`: a Nomad task driver that runs a command on the host.
//!
//! ```hcl
//! plugin "rust-exec" {
//!   config { state_dir = "/var/lib/rust-exec" }   # optional; default: $TMPDIR/yurt-rust-exec-<uid>
//! }
//! task "web" {
//!   driver = "rust-exec"
//!   config { command = "python3"  args = ["-m", "http.server"] }
//! }
//! ```
//!
//! Each task runs under the SDK's per-task supervisor (`yurt::supervise`): this binary
//! re-executed as `yurt-supervise <dir>` in a new session, which `yurt::serve_driver` recognises
//! before anything else. The supervisor is the task's parent and a child subreaper, forwards its
//! output to Nomad's FIFOs and records its exit on disk, so the task survives the plugin's death
//! and a fresh plugin process reports its real exit code from `driver_state` (the layer's
//! handle) alone. What is left here is what a driver author writes: the config and its mapping
//! onto the layer.

mod driver;
mod spec;

fn main() -> std::process::ExitCode {
    yurt::serve_driver(driver::ProcessDriver::default())
}
