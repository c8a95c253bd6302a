//! Starting a supervised task: the state directory, spec.pb, the supervisor launched in its
//! own session, and the wait for started.pb (or exit.pb with the start error).

use std::io::Write;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::fs::DirBuilderExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::client::KILL_WAIT;
use crate::state::{self, EXIT, FORMAT_VERSION, SPEC, STARTED, SUPERVISOR_LOG};
use crate::{Error, ExitResult, Handle, SUPERVISE_ARG, Started, Task, TaskSpec};

/// How [`start_with`] launches the supervisor.
#[derive(Debug, Clone)]
pub struct StartOptions {
    /// The program run as `<program> yurt-supervise <state dir>`; `None`: this process's own
    /// binary (`/proc/self/exe`), whose `main` must call `yurt::serve_driver` (or
    /// [`crate::supervisor_main`]) first.
    pub program: Option<PathBuf>,
    /// How long to wait for the supervisor to report the task started (or failed).
    pub timeout: Duration,
    /// The cgroup path for this task (`"v1"`, `"v2"` or `"none"`, passed to the supervisor as
    /// `YURT_SUPERVISE_CGROUP`); `None`: this process's `YURT_SUPERVISE_CGROUP`, if set, else
    /// the first path that works ([`crate::isolation`]).
    pub cgroup: Option<String>,
}

impl Default for StartOptions {
    fn default() -> Self {
        StartOptions {
            program: None,
            timeout: Duration::from_secs(10),
            cgroup: None,
        }
    }
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
    state::write_message_fast(dir, SPEC, spec)
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
    // The plugin's choice of cgroup path, the one variable the supervisor takes from it.
    if let Some(v) = opts
        .cgroup
        .as_ref()
        .map(std::ffi::OsString::from)
        .or_else(|| std::env::var_os(crate::cgroup::ENV))
    {
        cmd.env(crate::cgroup::ENV, v);
    }
    // The intermediate process reports the supervisor's pid on this pipe.
    let (pid_rd, pid_wr) = pipe()?;
    let pid_fd = pid_wr.as_raw_fd();
    // The start handshake (ack.rs): its read end becomes the supervisor's fd 3.
    let (ack_rd, ack_wr) = pipe()?;
    let ack_fd = ack_rd.as_raw_fd();
    cmd.env(crate::ack::ENV, "3");
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
            // dup2 clears close-on-exec on the copy; onto itself it does not.
            let moved = if ack_fd == 3 {
                libc::fcntl(3, libc::F_SETFD, 0)
            } else {
                libc::dup2(ack_fd, 3)
            };
            if moved < 0 {
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
    drop(ack_rd);
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
    let mut ack = std::fs::File::from(ack_wr);
    let deadline = Instant::now() + opts.timeout;
    loop {
        if let Some(exit) = state::read_message::<ExitResult>(dir, EXIT)?
            && !exit.start_error.is_empty()
        {
            return Err(Error::invalid(exit.start_error));
        }
        if let Some(started) = state::read_message::<Started>(dir, STARTED)? {
            // The handle is ours: the supervisor keeps the task (ack.rs).
            if ack.write_all(&[crate::ack::BYTE]).is_err() {
                return Err(Error::failed(format!(
                    "the supervisor (pid {sup}) went away before the start was acknowledged; its log: {}",
                    log()
                )));
            }
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
