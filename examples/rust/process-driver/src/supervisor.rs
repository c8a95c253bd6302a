//! `supervise <state-dir>`: the per-task process that owns the task.
//!
//! The plugin re-executes its own binary in this mode, in a new session, so the supervisor
//! outlives the plugin (and the host). It opens the task's stdout/stderr FIFOs, forks the task
//! into its own process group, reports `ok <pid>` (or `error <why>`) on stdout, then waits for the
//! task and records the real exit status in `exit.json`. Only a parent can learn an exit status,
//! and the supervisor is the task's parent: that is why a restarted plugin can report it.
//!
//! The task writes into pipes that the supervisor copies to the FIFOs. When the FIFO's reader
//! (Nomad's logmon) dies, the supervisor gets EPIPE, not the task: it reopens the FIFO, which
//! waits for the restarted reader, and the task is only held up by a full pipe meanwhile.

use std::io::{Read, Write};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, ExitCode, Stdio};

use crate::spawn::{child_setup, exit_parts};
use crate::state::{self, Exited, Spec, Started};

fn open_output(path: &str) -> std::io::Result<std::fs::File> {
    if path.is_empty() {
        return std::fs::OpenOptions::new().write(true).open("/dev/null");
    }
    // Blocks until a reader opens a FIFO, as Nomad's logmon does right before StartTask.
    std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(path)
}

pub fn run(dir: &Path) -> ExitCode {
    // The supervisor must not die of the signals a session or a closed pipe brings; the task
    // gets default dispositions back in child_setup.
    // SAFETY: setting dispositions to SIG_IGN has no preconditions.
    unsafe {
        libc::signal(libc::SIGHUP, libc::SIG_IGN);
        libc::signal(libc::SIGINT, libc::SIG_IGN);
        libc::signal(libc::SIGPIPE, libc::SIG_IGN);
    }
    let mut report = std::io::stdout();
    match start(dir) {
        Ok((child, forwarders)) => {
            let _ = writeln!(report, "ok {}", child.id());
            let _ = report.flush();
            // Nobody reads further: point stdout at /dev/null so the plugin's death changes nothing.
            if let Ok(null) = std::fs::OpenOptions::new().write(true).open("/dev/null") {
                use std::os::fd::AsRawFd;
                // SAFETY: dup2 onto fd 1 with a descriptor we own.
                unsafe { libc::dup2(null.as_raw_fd(), 1) };
            }
            let code = wait(dir, child);
            // Output the task (or what it left behind) still writes keeps flowing to the end.
            for f in forwarders {
                let _ = f.join();
            }
            code
        }
        Err(e) => {
            let _ = writeln!(report, "error {}", e.replace('\n', " "));
            let _ = writeln!(std::io::stderr(), "supervisor: {e}");
            ExitCode::from(1)
        }
    }
}

/// Copies `from` to the file at `path` (opened as `out`) until `from` ends, reopening the file
/// whenever its reader went away.
fn forward(
    mut from: impl Read + Send + 'static,
    mut out: Option<std::fs::File>,
    path: String,
) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let n = match from.read(&mut buf) {
                Ok(0) => return,
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(_) => return,
            };
            let mut attempts = 0;
            loop {
                let f = match out.as_mut() {
                    Some(f) => f,
                    None => match open_output(&path) {
                        Ok(f) => out.insert(f),
                        Err(e) => {
                            let _ =
                                writeln!(std::io::stderr(), "supervisor: reopening {path}: {e}");
                            std::thread::sleep(std::time::Duration::from_millis(200));
                            continue;
                        }
                    },
                };
                match f.write_all(&buf[..n]) {
                    Ok(()) => break,
                    Err(e) => {
                        // EPIPE: the reader died; the next open waits for its successor.
                        out = None;
                        attempts += 1;
                        if e.raw_os_error() != Some(libc::EPIPE) || attempts > 3 {
                            let _ = writeln!(
                                std::io::stderr(),
                                "supervisor: writing {path}: {e}; dropped {n} bytes"
                            );
                            break;
                        }
                    }
                }
            }
        }
    })
}

type Forwarders = Vec<std::thread::JoinHandle<()>>;

fn start(dir: &Path) -> Result<(std::process::Child, Forwarders), String> {
    let spec: Spec = state::read_record(dir, state::SPEC)?
        .ok_or_else(|| format!("{}: no task spec", dir.join(state::SPEC).display()))?;
    let out = open_output(&spec.stdout_path)
        .map_err(|e| format!("stdout_path {:?}: {e}", spec.stdout_path))?;
    let err = open_output(&spec.stderr_path)
        .map_err(|e| format!("stderr_path {:?}: {e}", spec.stderr_path))?;
    let mut cmd = Command::new(&spec.program);
    cmd.args(&spec.args)
        .env_clear()
        .envs(spec.env.iter().map(|(k, v)| (k, v)))
        .current_dir(&spec.cwd)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        // Own process group, so StopTask's kill reaches whatever the task forked.
        .process_group(0);
    let user = spec.user.clone();
    let groups: Vec<libc::gid_t> = user.as_ref().map(|u| u.groups.clone()).unwrap_or_default();
    // SAFETY: child_setup only makes async-signal-safe calls.
    unsafe {
        cmd.pre_exec(move || child_setup(user.as_ref(), &groups));
    }
    let mut child = cmd
        .spawn()
        .map_err(|e| format!("command {:?}: {e}", spec.program))?;
    drop(cmd);
    let mut forwarders = Vec::new();
    if let Some(o) = child.stdout.take() {
        forwarders.push(forward(o, Some(out), spec.stdout_path.clone()));
    }
    if let Some(e) = child.stderr.take() {
        forwarders.push(forward(e, Some(err), spec.stderr_path.clone()));
    }
    let pid = i32::try_from(child.id()).map_err(|_| "task pid out of range".to_string())?;
    let start_ticks = state::proc_stat(pid).map_or(0, |s| s.start_ticks);
    state::write_record(
        dir,
        state::STARTED,
        &Started {
            pid,
            start_ticks,
            started_at_ms: state::now_ms(),
        },
    )
    .map_err(|e| format!("{}: {e}", dir.join(state::STARTED).display()))?;
    Ok((child, forwarders))
}

fn wait(dir: &Path, mut child: std::process::Child) -> ExitCode {
    let status = match child.wait() {
        Ok(s) => s,
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "supervisor: waiting for the task: {e}");
            return ExitCode::from(1);
        }
    };
    let (exit_code, signal) = exit_parts(status);
    let rec = Exited {
        exit_code,
        signal,
        completed_at_ms: state::now_ms(),
    };
    // Retry briefly: losing this record would lose the exit code for good.
    for _ in 0..50 {
        match state::write_record(dir, state::EXIT, &rec) {
            Ok(()) => return ExitCode::SUCCESS,
            Err(e) => {
                let _ = writeln!(std::io::stderr(), "supervisor: writing exit.json: {e}");
                std::thread::sleep(std::time::Duration::from_millis(100));
            }
        }
    }
    ExitCode::from(1)
}
