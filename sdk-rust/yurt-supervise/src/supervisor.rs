//! The per-task supervisor: `<program> yurt-supervise <state dir>`.
//!
//! It follows `proto/yurt/supervise/v1/supervise.proto`: it makes itself a child subreaper,
//! starts the task from `spec.pb` in a new process group with default signal dispositions and
//! an empty signal mask, records `started.pb`, copies the task's output to its log paths
//! (`copier.rs`), and when the main process exits (or on SIGTERM, the layer's "destroy") kills
//! every remaining process of the task, then records `exit.pb` and exits.
//!
//! It is small on purpose: one main thread waiting for signals (SIGCHLD, SIGTERM) with
//! `sigwaitinfo`, and one small thread per output stream. No async runtime.

use std::io::Write;
use std::os::fd::OwnedFd;
use std::path::Path;
use std::process::{ExitCode, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::cgroup::Cgroup;
use crate::copier::{self, Copier};
use crate::spawn::{self, Context};
use crate::state::{self, EXIT, FORMAT_VERSION, SPEC, STARTED};
use crate::{Error, ExitResult, Started, TaskSpec};

/// How long the supervisor waits for the output copiers after the task's processes are gone.
const DRAIN: Duration = Duration::from_secs(5);
/// The same on SIGTERM (destroy): the caller is waiting.
const DRAIN_ON_DESTROY: Duration = Duration::from_secs(1);
/// How long the supervisor keeps killing descendants that keep appearing.
const KILL_DEADLINE: Duration = Duration::from_secs(10);
/// Stack size of the copier threads (they use a heap buffer).
const COPIER_STACK: usize = 64 * 1024;

pub(crate) fn log(msg: impl std::fmt::Display) {
    let _ = writeln!(
        std::io::stderr(),
        "yurt-supervise[{}]: {msg}",
        std::process::id()
    );
}

/// Runs the supervisor for the task in `dir`; the process's exit code.
pub fn run(dir: &Path) -> ExitCode {
    // SAFETY: plain signal-state calls before any thread exists.
    unsafe {
        let mut ign: libc::sigaction = std::mem::zeroed();
        ign.sa_sigaction = libc::SIG_IGN;
        for sig in [libc::SIGINT, libc::SIGHUP, libc::SIGPIPE] {
            libc::sigaction(sig, &ign, std::ptr::null_mut());
        }
        // SIGCHLD and SIGTERM are taken with sigwaitinfo; blocked before the copier threads
        // start, so they inherit the mask and never take them.
        let set = wait_set();
        libc::pthread_sigmask(libc::SIG_BLOCK, &set, std::ptr::null_mut());
        if libc::prctl(libc::PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0 {
            log(format!(
                "cannot become a child subreaper: {}; double-forked processes may escape",
                std::io::Error::last_os_error()
            ));
        }
        // Never pin the plugin's working directory (or its mount).
        libc::chdir(c"/".as_ptr());
    }
    let ack = crate::ack::take();
    let started = match start(dir) {
        Ok(s) => s,
        Err(e) => {
            log(&e);
            let r = ExitResult {
                exit_code: 127,
                completed_at_unix_nano: state::now_unix_nano(),
                start_error: e.to_string(),
                ..Default::default()
            };
            return record(dir, &r);
        }
    };
    let Running {
        pid,
        copiers,
        done,
        cgroup,
    } = started;
    if let Some(fd) = ack {
        crate::ack::watch(fd);
    }
    let mut main_status = None;
    let destroyed = loop {
        let sig = wait_signal();
        reap(pid, &mut main_status);
        if sig == libc::SIGTERM {
            break true;
        }
        if main_status.is_some() {
            break false;
        }
    };
    kill_descendants(pid, &mut main_status, cgroup.as_ref());
    let oom_killed = cgroup.as_ref().is_some_and(Cgroup::oom_killed);
    if let Some(cg) = &cgroup {
        cg.remove();
    }
    // Every writer of the output pipes is gone: the copiers reach end of file and write what
    // they hold, as long as a reader takes it within the drain period.
    let deadline = Instant::now() + if destroyed { DRAIN_ON_DESTROY } else { DRAIN };
    for _ in 0..copiers {
        let left = deadline.saturating_duration_since(Instant::now());
        if done.recv_timeout(left).is_err() {
            log("output still pending after the task ended; not waiting longer");
            break;
        }
    }
    crate::ack::wait_decided();
    if crate::ack::aborted() {
        // Nobody will ever find this task again: leave nothing behind.
        log("the plugin went away before it took the task's handle; ended the task");
        let _ = std::fs::remove_dir_all(dir);
        return ExitCode::from(1);
    }
    let (exit_code, signal, completed) = match main_status {
        Some((status, at)) => {
            let (c, s) = spawn::exit_parts(status);
            (c, s, at)
        }
        None => {
            log("the task's main process could not be reaped; recording it as killed");
            (128 + libc::SIGKILL, libc::SIGKILL, state::now_unix_nano())
        }
    };
    record(
        dir,
        &ExitResult {
            exit_code,
            signal,
            oom_killed,
            completed_at_unix_nano: completed,
            ..Default::default()
        },
    )
}

fn wait_set() -> libc::sigset_t {
    // SAFETY: sigset manipulation on a local value.
    unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        libc::sigaddset(&mut set, libc::SIGCHLD);
        libc::sigaddset(&mut set, libc::SIGTERM);
        set
    }
}

fn wait_signal() -> libc::c_int {
    let set = wait_set();
    loop {
        // SAFETY: set is a live sigset; info may be null.
        let s = unsafe { libc::sigwaitinfo(&set, std::ptr::null_mut()) };
        if s > 0 {
            return s;
        }
    }
}

/// Reaps every child that has exited; records the main process's status and time.
fn reap(main: i32, main_status: &mut Option<(libc::c_int, i64)>) -> bool {
    let mut any_left = true;
    loop {
        let mut status = 0;
        // SAFETY: waitpid writes into a live int.
        let pid = unsafe { libc::waitpid(-1, &mut status, libc::WNOHANG) };
        if pid == main {
            *main_status = Some((status, state::now_unix_nano()));
        }
        if pid <= 0 {
            if pid < 0 {
                any_left = false; // ECHILD: no children at all.
            }
            return any_left;
        }
    }
}

/// Kills every process whose parent chain leads to the supervisor (the task's process group
/// and everything re-parented to it as subreaper) and every process in the task's cgroup,
/// reaps, and repeats until none is left.
fn kill_descendants(
    main: i32,
    main_status: &mut Option<(libc::c_int, i64)>,
    cgroup: Option<&Cgroup>,
) {
    // SAFETY: getpid cannot fail.
    let me = unsafe { libc::getpid() };
    let deadline = Instant::now() + KILL_DEADLINE;
    loop {
        let mut live: Vec<i32> = state::tree_of(me)
            .into_iter()
            .filter(|(_, s)| s.state != b'Z')
            .map(|(p, _)| p)
            .collect();
        if let Some(cg) = cgroup {
            // Everything in the cgroup at once (cgroup.kill / freezer), then the stragglers.
            cg.kill();
            for p in cg.pids() {
                if p != me && !live.contains(&p) && state::is_alive(p, 0) {
                    live.push(p);
                }
            }
        }
        for &pid in &live {
            // SAFETY: plain kill of a process that is our descendant.
            unsafe { libc::kill(pid, libc::SIGKILL) };
        }
        let children_left = reap(main, main_status);
        if live.is_empty() && !children_left {
            return;
        }
        if Instant::now() >= deadline {
            log(format!(
                "processes still alive after {KILL_DEADLINE:?}: {live:?}"
            ));
            return;
        }
        std::thread::sleep(Duration::from_millis(if live.is_empty() { 1 } else { 5 }));
    }
}

/// Records `r` as exit.pb (retrying briefly: losing it would lose the exit status for good).
fn record(dir: &Path, r: &ExitResult) -> ExitCode {
    state::sync_before_exit(dir);
    for attempt in 0..20 {
        match state::write_message(dir, EXIT, r) {
            Ok(()) => return ExitCode::SUCCESS,
            Err(e) => {
                log(format!(
                    "writing {}: {e} (attempt {})",
                    dir.join(EXIT).display(),
                    attempt + 1
                ));
                std::thread::sleep(Duration::from_millis(100));
            }
        }
    }
    ExitCode::from(1)
}

struct Running {
    pid: i32,
    copiers: usize,
    done: mpsc::Receiver<()>,
    cgroup: Option<Cgroup>,
}

fn open_first(field: &str, path: &str) -> Result<Option<std::fs::File>, Error> {
    if path.is_empty() {
        return Ok(None);
    }
    copier::open_output(path, true).map_err(|e| Error::invalid(format!("{field} {path:?}: {e}")))
}

fn start(dir: &Path) -> Result<Running, Error> {
    let spec: TaskSpec = state::read_message(dir, SPEC)?
        .ok_or_else(|| Error::state(format!("{}: no task spec", dir.join(SPEC).display())))?;
    if spec.format_version != FORMAT_VERSION {
        return Err(Error::state(format!(
            "{}: format_version {} is not the one this supervisor knows ({FORMAT_VERSION})",
            dir.join(SPEC).display(),
            spec.format_version
        )));
    }
    let ctx = Context::new(&spec, &spec.command)?;
    let out = open_first("stdout_path", &spec.stdout_path)?;
    let err = open_first("stderr_path", &spec.stderr_path)?;
    // Unique per supervisor: state dirs of different tasks may share a base name.
    let name = format!(
        "{}-{}",
        dir.file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
        std::process::id()
    );
    let cgroup = match Cgroup::create(&name, &spec.limits.unwrap_or_default()) {
        Ok(cg) => cg,
        Err(e) => {
            log(format!("no cgroup for the task, limits not enforced: {e}"));
            None
        }
    };
    let join = cgroup.as_ref().map(Cgroup::procs_files).unwrap_or_default();
    let (mut cmd, step) = ctx
        .command(&spec.args, join)
        .map_err(|e| Error::failed(format!("preparing the task: {e}")))?;
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
    let spawned = cmd.spawn();
    drop(cmd);
    let mut child = match spawned {
        Ok(c) => c,
        Err(e) => {
            if let Some(cg) = &cgroup {
                cg.remove();
            }
            return Err(ctx.explain(&spec, &spec.command, step, &e));
        }
    };
    drop(step);
    let pid = i32::try_from(child.id()).map_err(|_| Error::failed("task pid out of range"))?;
    // The main process cannot have been reaped yet (SIGCHLD is only taken later), so its stat
    // exists even if it already exited.
    let me = std::process::id() as i32;
    let started = Started {
        supervisor_pid: me,
        pid,
        pid_start_time: state::proc_stat(pid).map_or(0, |s| s.start_time),
        supervisor_start_time: state::proc_stat(me).map_or(0, |s| s.start_time),
        started_at_unix_nano: state::now_unix_nano(),
        cgroup: cgroup.as_ref().map(Cgroup::path).unwrap_or_default(),
    };
    if let Err(e) = state::write_message_fast(dir, STARTED, &started) {
        // SAFETY: plain kill of the child just started; the caller records exit.pb.
        unsafe { libc::kill(-pid, libc::SIGKILL) };
        let mut none = None;
        kill_descendants(pid, &mut none, cgroup.as_ref());
        if let Some(cg) = &cgroup {
            cg.remove();
        }
        return Err(Error::failed(format!(
            "{}: {e}",
            dir.join(STARTED).display()
        )));
    }
    let (tx, done) = mpsc::channel();
    let mut copiers = 0;
    let streams: [(Option<OwnedFd>, &String, Option<std::fs::File>); 2] = [
        (
            child.stdout.take().map(OwnedFd::from),
            &spec.stdout_path,
            out,
        ),
        (
            child.stderr.take().map(OwnedFd::from),
            &spec.stderr_path,
            err,
        ),
    ];
    for (fd, path, first) in streams {
        let Some(fd) = fd else { continue };
        let c = Copier::new(fd, path.clone(), first);
        let tx = tx.clone();
        let spawned = std::thread::Builder::new()
            .stack_size(COPIER_STACK)
            .spawn(move || {
                c.run();
                let _ = tx.send(());
            });
        match spawned {
            Ok(_) => copiers += 1,
            Err(e) => log(format!("cannot start an output copier for {path:?}: {e}")),
        }
    }
    Ok(Running {
        pid,
        copiers,
        done,
        cgroup,
    })
}
