//! The plugin side: start a supervised task, find it again, and drive it through its state
//! directory and signals.

use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::fs::DirBuilderExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use prost::Message;

use crate::state::{self, EXIT, FORMAT_VERSION, SPEC, STARTED, SUPERVISOR_LOG};
use crate::{Error, ErrorKind, ExitResult, Handle, SUPERVISE_ARG, Started, TaskSpec};

/// How often [`Task::wait`] looks for `exit.pb`.
const POLL: Duration = Duration::from_millis(25);
/// How long stop and destroy wait for the supervisor after killing.
const KILL_WAIT: Duration = Duration::from_secs(10);

/// How [`start_with`] launches the supervisor.
#[derive(Debug, Clone)]
pub struct StartOptions {
    /// The program run as `<program> yurt-supervise <state dir>`; `None`: this process's own
    /// binary (`/proc/self/exe`), whose `main` must call `yurt::serve_driver` (or
    /// [`crate::supervisor_main`]) first.
    pub program: Option<PathBuf>,
    /// How long to wait for the supervisor to report the task started (or failed).
    pub timeout: Duration,
}

impl Default for StartOptions {
    fn default() -> Self {
        StartOptions {
            program: None,
            timeout: Duration::from_secs(10),
        }
    }
}

/// A supervised task, started by [`start`] or found again by [`reattach`].
#[derive(Debug, Clone)]
pub struct Task {
    dir: PathBuf,
    spec: TaskSpec,
    started: Started,
    handle: Handle,
}

/// Starts `spec` under a new supervisor with its state in `state_dir` (created, mode 0700; it
/// must not hold a task already). Returns once the task runs; a task that could not start is
/// an error naming the spec field at fault, and leaves no state directory behind.
pub fn start(spec: &TaskSpec, state_dir: &Path) -> Result<Task, Error> {
    start_with(spec, state_dir, &StartOptions::default())
}

/// [`start`] with options.
pub fn start_with(spec: &TaskSpec, state_dir: &Path, opts: &StartOptions) -> Result<Task, Error> {
    let mut spec = spec.clone();
    match spec.format_version {
        0 => spec.format_version = FORMAT_VERSION,
        FORMAT_VERSION => {}
        v => {
            return Err(Error::invalid(format!(
                "format_version: expected {FORMAT_VERSION}, got {v}"
            )));
        }
    }
    if spec.command.is_empty() {
        return Err(Error::invalid(
            "command: expected a program to run, got \"\"",
        ));
    }
    let dir = std::path::absolute(state_dir)
        .map_err(|e| Error::invalid(format!("state dir {}: {e}", state_dir.display())))?;
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(&dir)
        .map_err(|e| Error::failed(format!("creating the state dir {}: {e}", dir.display())))?;
    if dir.join(SPEC).exists() {
        return Err(Error::invalid(format!(
            "state dir {}: already holds a task",
            dir.display()
        )));
    }
    let result = launch(&spec, &dir, opts);
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&dir);
    }
    result
}

fn launch(spec: &TaskSpec, dir: &Path, opts: &StartOptions) -> Result<Task, Error> {
    let spec_path = dir.join(SPEC);
    state::write_message(dir, SPEC, spec)
        .map_err(|e| Error::failed(format!("writing {}: {e}", spec_path.display())))?;
    let program = match &opts.program {
        Some(p) => p.clone(),
        None => PathBuf::from("/proc/self/exe"),
    };
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.join(SUPERVISOR_LOG))?;
    // Woken by the supervisor's renames in the state dir rather than by a timer.
    let watch = DirWatch::new(dir);
    let mut cmd = Command::new(&program);
    cmd.arg(SUPERVISE_ARG)
        .arg(dir)
        .env_clear()
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(log);
    // The intermediate process reports the supervisor's pid on this pipe.
    let (pid_rd, pid_wr) = pipe()?;
    let pid_fd = pid_wr.as_raw_fd();
    // SAFETY: fork, write, _exit and setsid are async-signal-safe. The supervisor is a
    // grandchild in a new session: it is nobody's zombie when it exits (init, or the nearest
    // subreaper, reaps it), no signal aimed at the plugin's process group or terminal reaches
    // it, and it outlives the plugin.
    unsafe {
        cmd.pre_exec(move || {
            match libc::fork() {
                -1 => return Err(std::io::Error::last_os_error()),
                0 => {}
                pid => {
                    let b = pid.to_ne_bytes();
                    libc::write(pid_fd, b.as_ptr().cast(), b.len());
                    libc::_exit(0)
                }
            }
            if libc::setsid() < 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let mut intermediate = cmd.spawn().map_err(|e| {
        Error::failed(format!(
            "starting the supervisor {} {SUPERVISE_ARG}: {e}",
            program.display()
        ))
    })?;
    let _ = intermediate.wait();
    drop(cmd);
    drop(pid_wr);
    let mut b = [0u8; 4];
    let sup = match std::io::Read::read_exact(&mut std::fs::File::from(pid_rd), &mut b) {
        Ok(()) => i32::from_ne_bytes(b),
        Err(e) => {
            return Err(Error::failed(format!(
                "starting the supervisor: no pid: {e}"
            )));
        }
    };
    let log = || {
        let text = std::fs::read_to_string(dir.join(SUPERVISOR_LOG)).unwrap_or_default();
        format!("{:?}", text.trim())
    };
    let deadline = Instant::now() + opts.timeout;
    loop {
        if let Some(exit) = state::read_message::<ExitResult>(dir, EXIT)?
            && !exit.start_error.is_empty()
        {
            return Err(Error::invalid(exit.start_error));
        }
        if let Some(started) = state::read_message::<Started>(dir, STARTED)? {
            let handle = Handle {
                format_version: FORMAT_VERSION,
                state_dir: dir.to_string_lossy().into_owned(),
                task_id: spec.task_id.clone(),
                started: Some(started.clone()),
                driver_data: Vec::new(),
            };
            return Ok(Task {
                dir: dir.to_path_buf(),
                spec: spec.clone(),
                started,
                handle,
            });
        }
        if !state::is_alive(sup, 0) {
            // It may have written a file just before exiting.
            if state::read_message::<Started>(dir, STARTED)?.is_some()
                || state::read_message::<ExitResult>(dir, EXIT)?.is_some()
            {
                continue;
            }
            return Err(Error::failed(format!(
                "the supervisor ({} {SUPERVISE_ARG}, pid {sup}) exited without starting the task; its log: {}",
                program.display(),
                log()
            )));
        }
        if Instant::now() >= deadline {
            // Never leave a task that nobody knows about: the supervisor kills what it
            // started (SIGTERM = destroy) and the caller removes the state directory.
            // SAFETY: plain kill of the supervisor just started.
            unsafe { libc::kill(sup, libc::SIGTERM) };
            let end = Instant::now() + KILL_WAIT;
            while state::is_alive(sup, 0) && Instant::now() < end {
                std::thread::sleep(Duration::from_millis(5));
            }
            return Err(Error::failed(format!(
                "the supervisor ({} {SUPERVISE_ARG}, pid {sup}) did not report the task started within {:?}; its log: {}",
                program.display(),
                opts.timeout,
                log()
            )));
        }
        watch.wait(Duration::from_millis(20).min(deadline - Instant::now()));
    }
}

/// Waits for files to appear in a directory: inotify where it works, a short sleep otherwise.
struct DirWatch(Option<OwnedFd>);

impl DirWatch {
    fn new(dir: &Path) -> DirWatch {
        // SAFETY: inotify_init1 takes flags only.
        let fd = unsafe { libc::inotify_init1(libc::IN_CLOEXEC | libc::IN_NONBLOCK) };
        if fd < 0 {
            return DirWatch(None);
        }
        // SAFETY: a fresh descriptor owned by nothing else.
        let fd = unsafe { OwnedFd::from_raw_fd(fd) };
        let Ok(path) = std::ffi::CString::new(dir.as_os_str().as_encoded_bytes()) else {
            return DirWatch(None);
        };
        // SAFETY: a live descriptor and a NUL-terminated path.
        let wd = unsafe {
            libc::inotify_add_watch(
                fd.as_raw_fd(),
                path.as_ptr(),
                libc::IN_MOVED_TO | libc::IN_CLOSE_WRITE,
            )
        };
        DirWatch((wd >= 0).then_some(fd))
    }

    /// Returns when something was renamed or written in the directory, or after `limit`.
    fn wait(&self, limit: Duration) {
        let Some(fd) = &self.0 else {
            std::thread::sleep(limit.min(Duration::from_millis(2)));
            return;
        };
        let mut p = libc::pollfd {
            fd: fd.as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        };
        let ms = libc::c_int::try_from(limit.as_millis()).unwrap_or(libc::c_int::MAX);
        // SAFETY: one live pollfd.
        if unsafe { libc::poll(&mut p, 1, ms) } > 0 {
            let mut buf = [0u8; 4096];
            // SAFETY: reading into a live buffer; the descriptor is non-blocking.
            while unsafe { libc::read(fd.as_raw_fd(), buf.as_mut_ptr().cast(), buf.len()) } > 0 {}
        }
    }
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

fn pipe() -> Result<(OwnedFd, OwnedFd), Error> {
    let mut fds = [-1; 2];
    // SAFETY: pipe2 writes two descriptors into a live array.
    if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } != 0 {
        return Err(Error::failed(format!(
            "starting the supervisor: pipe: {}",
            std::io::Error::last_os_error()
        )));
    }
    // SAFETY: fresh descriptors owned by nothing else.
    Ok(unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) })
}
