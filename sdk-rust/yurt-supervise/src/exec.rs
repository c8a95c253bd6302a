//! Running a command inside a task's context (its spec's environment, working directory and
//! user), for Nomad's ExecTask.

use std::io::Read;
use std::os::fd::{FromRawFd, OwnedFd};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::spawn::{self, Context};
use crate::{Error, Task};

/// How long output may keep arriving after the command exited (from children it left).
const DRAIN: Duration = Duration::from_secs(2);

/// What a non-streaming exec returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExecOutput {
    /// Standard output with standard error merged in, as Nomad's executor returns it (Nomad's
    /// script checks keep only stdout).
    pub output: Vec<u8>,
    /// The exit code; 128+N for a death by signal N.
    pub exit_code: i32,
    /// The signal that ended the command, 0 if none.
    pub signal: i32,
}

impl Task {
    /// A `Command` running `argv` in the task's context: the spec's environment, working
    /// directory and user, default signal dispositions and an empty signal mask. Stdio is left
    /// to the caller (a streaming exec attaches a pty or pipes).
    ///
    /// Unlike the task, an exec'd command is the plugin's child: it gets SIGKILL when the
    /// plugin dies (`PR_SET_PDEATHSIG`), so a plugin killed mid-exec leaves no command behind.
    pub fn exec_command(&self, argv: &[String]) -> Result<Command, Error> {
        let (ctx, first) = self.exec_context(argv)?;
        let (cmd, _step) = exec_command(&ctx, &first, argv)?;
        Ok(cmd)
    }

    fn exec_context(&self, argv: &[String]) -> Result<(Context, String), Error> {
        let first = argv
            .first()
            .ok_or_else(|| Error::invalid("command: expected at least the program name, got []"))?;
        Ok((Context::new(self.spec(), first)?, first.clone()))
    }

    /// Runs `argv` to completion (or `timeout`, then SIGKILL of its process group) and returns
    /// its merged output and exit status.
    pub fn exec(&self, argv: &[String], timeout: Duration) -> Result<ExecOutput, Error> {
        let (ctx, first) = self.exec_context(argv)?;
        let (mut cmd, step) = exec_command(&ctx, &first, argv)?;
        let (rd, wr) = pipe()?;
        cmd.stdin(Stdio::null())
            .stdout(Stdio::from(wr.try_clone()?))
            .stderr(Stdio::from(wr))
            .process_group(0);
        let spawned = cmd.spawn();
        drop(cmd);
        let mut child = match spawned {
            Ok(c) => c,
            Err(e) => return Err(ctx.explain(self.spec(), &first, step, &e)),
        };
        let pgid = i32::try_from(child.id()).unwrap_or(0);
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut out = Vec::new();
            let _ = std::fs::File::from(rd).read_to_end(&mut out);
            let _ = tx.send(out);
        });
        let deadline = Instant::now() + timeout;
        let status = loop {
            match child.try_wait() {
                Ok(Some(s)) => break s,
                Ok(None) if Instant::now() >= deadline => {
                    // SAFETY: the command's own process group.
                    unsafe { libc::kill(-pgid, libc::SIGKILL) };
                    let _ = child.wait();
                    return Err(Error::failed(format!(
                        "exec {first:?}: timed out after {timeout:?}"
                    )));
                }
                Ok(None) => std::thread::sleep(Duration::from_millis(5)),
                Err(e) => return Err(Error::failed(format!("exec {first:?}: {e}"))),
            }
        };
        let output = rx.recv_timeout(DRAIN).unwrap_or_default();
        let (exit_code, signal) = spawn::exit_parts(status.into_raw());
        Ok(ExecOutput {
            output,
            exit_code,
            signal,
        })
    }
}

/// The context's command plus `PR_SET_PDEATHSIG`: set after the user switch (which clears
/// it), and checked against a parent that already died before it was set.
fn exec_command(ctx: &Context, first: &str, argv: &[String]) -> Result<(Command, OwnedFd), Error> {
    let (mut cmd, step) = ctx
        .command(&argv[1..], Vec::new())
        .map_err(|e| Error::failed(format!("exec {first:?}: {e}")))?;
    // SAFETY: getpid cannot fail.
    let parent = unsafe { libc::getpid() };
    // SAFETY: prctl and getppid are async-signal-safe; plain values only.
    unsafe {
        cmd.pre_exec(move || {
            if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL, 0, 0, 0) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            if libc::getppid() != parent {
                libc::_exit(137);
            }
            Ok(())
        });
    }
    Ok((cmd, step))
}

fn pipe() -> Result<(OwnedFd, OwnedFd), Error> {
    let mut fds = [-1; 2];
    // SAFETY: pipe2 writes two descriptors into a live array.
    if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } != 0 {
        return Err(Error::failed(format!(
            "exec: creating a pipe: {}",
            std::io::Error::last_os_error()
        )));
    }
    // SAFETY: fresh descriptors owned by nothing else.
    Ok(unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) })
}
