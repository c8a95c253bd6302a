//! The plugin side: find a supervised task again and drive it through its state directory
//! and signals (starting one is `start.rs`).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use prost::Message;

use crate::state::{self, EXIT, FORMAT_VERSION, SPEC, STARTED};
use crate::{Error, ErrorKind, ExitResult, Handle, Started, TaskSpec};

/// How often [`Task::wait`] looks for `exit.pb`.
const POLL: Duration = Duration::from_millis(25);
/// How long stop and destroy wait for the supervisor after killing.
pub(crate) const KILL_WAIT: Duration = Duration::from_secs(10);

/// A supervised task, started by [`start`] or found again by [`reattach`].
#[derive(Debug, Clone)]
pub struct Task {
    pub(crate) dir: PathBuf,
    pub(crate) spec: TaskSpec,
    pub(crate) started: Started,
    pub(crate) handle: Handle,
}

/// Finds a task again from [`Task::handle`] bytes (in a fresh plugin process, for instance).
/// A malformed handle, or a missing or corrupted state file, is an error naming it.
pub fn reattach(handle_bytes: &[u8]) -> Result<Task, Error> {
    let handle = Handle::decode(handle_bytes).map_err(|e| {
        Error::invalid(format!(
            "handle: not a yurt.supervise.v1.Handle ({} bytes): {e}",
            handle_bytes.len()
        ))
    })?;
    reattach_handle(handle)
}

/// Finds the task whose state is in `dir` without a handle: for a state directory left by a
/// plugin that died before it could hand the handle out (killed mid-start), so that the
/// driver can destroy it.
pub fn reattach_dir(dir: &Path) -> Result<Task, Error> {
    let dir = std::path::absolute(dir)
        .map_err(|e| Error::invalid(format!("state dir {}: {e}", dir.display())))?;
    let spec: Option<TaskSpec> = state::read_message(&dir, SPEC)?;
    reattach_handle(Handle {
        format_version: FORMAT_VERSION,
        state_dir: dir.to_string_lossy().into_owned(),
        task_id: spec.map(|s| s.task_id).unwrap_or_default(),
        started: None,
        driver_data: Vec::new(),
    })
}

fn reattach_handle(handle: Handle) -> Result<Task, Error> {
    if handle.format_version != FORMAT_VERSION {
        return Err(Error::invalid(format!(
            "handle.format_version: expected {FORMAT_VERSION}, got {}",
            handle.format_version
        )));
    }
    if !handle.state_dir.starts_with('/') {
        return Err(Error::invalid(format!(
            "handle.state_dir: expected an absolute path, got {:?}",
            handle.state_dir
        )));
    }
    let dir = PathBuf::from(&handle.state_dir);
    let spec: TaskSpec = state::read_message(&dir, SPEC)?.ok_or_else(|| {
        Error::state(format!(
            "{}: missing; the task's state directory is gone (destroyed?)",
            dir.join(SPEC).display()
        ))
    })?;
    if spec.format_version != FORMAT_VERSION {
        return Err(Error::state(format!(
            "{}: format_version {} is not the one this layer knows ({FORMAT_VERSION})",
            dir.join(SPEC).display(),
            spec.format_version
        )));
    }
    let started: Option<Started> = state::read_message(&dir, STARTED)?;
    // A corrupted exit.pb is reported now rather than at the first wait.
    state::read_message::<ExitResult>(&dir, EXIT)?;
    let started = match (started, &handle.started) {
        (Some(s), Some(h)) if s.pid != h.pid || s.pid_start_time != h.pid_start_time => {
            return Err(Error::state(format!(
                "{}: records pid {} but the handle pid {}: not the same task",
                dir.join(STARTED).display(),
                s.pid,
                h.pid
            )));
        }
        (Some(s), _) => s,
        (None, Some(h)) => h.clone(),
        (None, None) => {
            return Err(Error::state(format!(
                "{}: missing, and the handle has no copy",
                dir.join(STARTED).display()
            )));
        }
    };
    let mut handle = handle;
    handle.started = Some(started.clone());
    Ok(Task {
        dir,
        spec,
        started,
        handle,
    })
}

impl Task {
    /// The serialized `Handle` to store in Nomad's `driver_state`.
    pub fn handle(&self) -> Vec<u8> {
        self.handle.encode_to_vec()
    }

    /// The driver's own bytes carried in the handle.
    pub fn driver_data(&self) -> &[u8] {
        &self.handle.driver_data
    }

    /// Sets the driver's own bytes carried in the handle.
    pub fn set_driver_data(&mut self, data: Vec<u8>) {
        self.handle.driver_data = data;
    }

    /// The task's state directory.
    pub fn state_dir(&self) -> &Path {
        &self.dir
    }

    /// Nomad's task ID, as the spec named it.
    pub fn task_id(&self) -> &str {
        &self.handle.task_id
    }

    /// What the task runs.
    pub fn spec(&self) -> &TaskSpec {
        &self.spec
    }

    /// The running task's processes (a copy of started.pb).
    pub fn started(&self) -> &Started {
        &self.started
    }

    /// The task's main process ID (also its process group ID).
    pub fn pid(&self) -> i32 {
        self.started().pid
    }

    /// The exit result if the task is over, without blocking. An error when the supervisor is
    /// gone without recording one (the exit status is then unknown, and is not made up).
    pub fn exit(&self) -> Result<Option<ExitResult>, Error> {
        if let Some(r) = state::read_message(&self.dir, EXIT)? {
            return Ok(Some(r));
        }
        if !self.dir.exists() {
            return Err(Error::state(format!(
                "{}: the task's state directory is gone (destroyed?)",
                self.dir.display()
            )));
        }
        let s = self.started();
        if state::is_alive(s.supervisor_pid, s.supervisor_start_time) {
            return Ok(None);
        }
        // It may have written the file just before exiting.
        match state::read_message(&self.dir, EXIT)? {
            Some(r) => Ok(Some(r)),
            None => Err(Error::new(
                ErrorKind::SupervisorGone,
                format!(
                    "the supervisor (pid {}) of task {:?} is gone without recording its exit status in {}",
                    s.supervisor_pid,
                    self.task_id(),
                    self.dir.join(EXIT).display()
                ),
            )),
        }
    }

    /// Whether the task is still running (false once over, or when its state is unreadable).
    pub fn running(&self) -> bool {
        matches!(self.exit(), Ok(None))
    }

    /// Blocks until the task is over.
    pub fn wait(&self) -> Result<ExitResult, Error> {
        loop {
            if let Some(r) = self.exit()? {
                return Ok(r);
            }
            std::thread::sleep(POLL);
        }
    }

    /// [`Task::wait`] for at most `timeout`: `Ok(None)` when the task still runs.
    pub fn wait_timeout(&self, timeout: Duration) -> Result<Option<ExitResult>, Error> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(r) = self.exit()? {
                return Ok(Some(r));
            }
            let now = Instant::now();
            if now >= deadline {
                return Ok(None);
            }
            std::thread::sleep(POLL.min(deadline - now));
        }
    }

    /// Sends `sig` to the task's main process (checked against its start time, so that a
    /// reused PID is never signalled). An error when the task is no longer running.
    pub fn signal(&self, sig: i32) -> Result<(), Error> {
        let s = self.started();
        let gone = || {
            Error::new(
                ErrorKind::NotRunning,
                format!("task {:?} (pid {}) is not running", self.task_id(), s.pid),
            )
        };
        if self.exit()?.is_some() || !state::is_alive(s.pid, s.pid_start_time) {
            return Err(gone());
        }
        // SAFETY: kill has no memory preconditions; the pid was checked against its start time.
        if unsafe { libc::kill(s.pid, sig) } != 0 {
            let e = std::io::Error::last_os_error();
            return Err(if e.raw_os_error() == Some(libc::ESRCH) {
                gone()
            } else {
                Error::failed(format!("signal {sig} to pid {}: {e}", s.pid))
            });
        }
        Ok(())
    }

    /// Stops the task: `sig` to the main process, up to `timeout` for it to end, then SIGKILL
    /// to the whole process group (the supervisor kills every other descendant once the main
    /// process is gone). Returns the exit result once the task is over.
    pub fn stop(&self, sig: i32, timeout: Duration) -> Result<ExitResult, Error> {
        if let Some(r) = self.exit()? {
            return Ok(r);
        }
        match self.signal(sig) {
            Ok(()) => {}
            Err(e) if e.kind() == ErrorKind::NotRunning => {}
            Err(e) => return Err(e),
        }
        if let Some(r) = self.wait_timeout(timeout)? {
            return Ok(r);
        }
        let s = self.started();
        if state::is_alive(s.pid, s.pid_start_time) {
            // SAFETY: the group's leader was checked against its start time.
            unsafe { libc::kill(-s.pid, libc::SIGKILL) };
        }
        if let Some(r) = self.wait_timeout(KILL_WAIT)? {
            return Ok(r);
        }
        // Last resort: the supervisor kills everything and records the result.
        self.kill_supervisor();
        self.wait_timeout(KILL_WAIT)?.ok_or_else(|| {
            Error::failed(format!(
                "task {:?} still running {KILL_WAIT:?} after SIGKILL",
                self.task_id()
            ))
        })
    }

    /// SIGTERM to the supervisor if it runs; waits (bounded) until it is gone.
    fn kill_supervisor(&self) -> bool {
        let s = self.started();
        if !state::is_alive(s.supervisor_pid, s.supervisor_start_time) {
            return true;
        }
        // SAFETY: the pid was checked against its start time.
        unsafe { libc::kill(s.supervisor_pid, libc::SIGTERM) };
        let deadline = Instant::now() + KILL_WAIT;
        while state::is_alive(s.supervisor_pid, s.supervisor_start_time) {
            if Instant::now() >= deadline {
                return false;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        true
    }

    /// Destroys the task: the supervisor kills every process of the task (including ones that
    /// called setsid or double-forked), then the state directory is removed. Idempotent, and
    /// fine on a task that is already over.
    pub fn destroy(&self) -> Result<(), Error> {
        if !self.dir.exists() {
            return Ok(());
        }
        if !self.kill_supervisor() {
            return Err(Error::failed(format!(
                "the supervisor (pid {}) of task {:?} did not exit within {KILL_WAIT:?} of SIGTERM",
                self.started().supervisor_pid,
                self.task_id()
            )));
        }
        // A supervisor killed by someone else (kill -9) left its task behind: take the group,
        // and the cgroup (its processes, then the directories).
        let s = self.started();
        if state::is_alive(s.pid, s.pid_start_time) {
            // SAFETY: the group's leader was checked against its start time.
            unsafe { libc::kill(-s.pid, libc::SIGKILL) };
            let end = Instant::now() + KILL_WAIT;
            while state::is_alive(s.pid, s.pid_start_time) && Instant::now() < end {
                std::thread::sleep(Duration::from_millis(5));
            }
        }
        if let Some(cg) = crate::cgroup::Cgroup::from_recorded(&s.cgroup) {
            cg.kill_and_remove();
        }
        match std::fs::remove_dir_all(&self.dir) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(Error::failed(format!(
                "removing the state dir {}: {e}",
                self.dir.display()
            ))),
        }
    }
}
