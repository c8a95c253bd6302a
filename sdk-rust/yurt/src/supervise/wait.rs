//! [`wait`]: many tasks awaited at once without a runtime thread each, woken by the
//! supervisor's exit (a pidfd in the runtime's reactor) rather than by looking at every task's
//! state directory several times a second.

use std::os::fd::{FromRawFd, OwnedFd};
use std::time::Duration;

use tokio::io::Interest;
use tokio::io::unix::AsyncFd;
use yurt_supervise::{Error, ExitResult, Task};

/// How often [`wait`] looks for the task's exit record: soon after it starts (short tasks),
/// then less and less often, up to the slowest. Where the supervisor's exit wakes the waiter
/// (Linux 5.3+), the look is only a fallback (an exit record written by a supervisor that
/// then hangs, say) and its slowest pause is [`POLL_SLOWEST_WOKEN`]: a plugin awaiting 700
/// tasks no longer looks 2,800 times a second (issue 19: the idle tree at 2,000 tasks took 62%
/// of a core, mostly such looks).
const POLL_FIRST: Duration = Duration::from_millis(10);
const POLL_SLOWEST: Duration = Duration::from_millis(250);
const POLL_SLOWEST_WOKEN: Duration = Duration::from_secs(1);

/// [`Task::wait`] without blocking a runtime thread: many tasks can be awaited at once. The
/// supervisor writes exit.pb, then exits; its exit wakes the waiter at once.
pub async fn wait(task: &Task) -> Result<ExitResult, Error> {
    wait_paced(task, POLL_FIRST, POLL_SLOWEST_WOKEN).await
}

/// [`wait`] with its first pause and its slowest one while an exit waker is in force (without
/// one, the slowest is [`POLL_SLOWEST`]).
async fn wait_paced(task: &Task, first: Duration, slowest: Duration) -> Result<ExitResult, Error> {
    let waker = ExitWaker::open(task.started().supervisor_pid);
    let longest = if waker.is_some() {
        slowest
    } else {
        POLL_SLOWEST
    };
    let mut pause = first;
    loop {
        // Looked at after the waker is open, so a supervisor that ended before it has its
        // exit.pb written (or is reported lost): its pid being reused since cannot mislead.
        if let Some(r) = task.exit()? {
            return Ok(r);
        }
        match &waker {
            Some(w) => w.sleep(pause).await,
            None => tokio::time::sleep(pause).await,
        }
        pause = (pause * 3 / 2).min(longest);
    }
}

/// Wakes a waiter when a process ends: a pidfd registered with the runtime's reactor (it
/// turns readable when the process exits, whoever its parent is, and stays so). That is a
/// descriptor per waiting task, so past half the process's descriptor limit waiters poll
/// instead, leaving the rest to the plugin's other work.
struct ExitWaker(AsyncFd<OwnedFd>);

impl ExitWaker {
    /// A waker for `pid`, or None where pidfds are unavailable (kernel before 5.3, seccomp),
    /// the process is gone, or descriptors are short.
    fn open(pid: i32) -> Option<ExitWaker> {
        if pid <= 0 {
            return None;
        }
        // SAFETY: pidfd_open takes a pid and flags and returns a new descriptor or -1.
        let fd = unsafe { libc::syscall(libc::SYS_pidfd_open, pid, 0) };
        let fd = i32::try_from(fd).ok().filter(|fd| *fd >= 0)?;
        // SAFETY: fd was just returned by pidfd_open and is owned by nobody else.
        let owned = unsafe { OwnedFd::from_raw_fd(fd) };
        if !below_half_the_fd_limit(fd) {
            return None; // `owned` closes it
        }
        // SAFETY: the AsyncFd owns the descriptor, which stays open until it is dropped.
        unsafe { AsyncFd::register_with_interest(owned, Interest::READABLE) }
            .ok()
            .map(ExitWaker)
    }

    /// Sleeps up to `pause`, less when the process ends meanwhile (a pidfd stays readable
    /// from then on, so later calls return at once).
    async fn sleep(&self, pause: Duration) {
        let _ = tokio::time::timeout(pause, self.0.readable()).await;
    }
}

fn below_half_the_fd_limit(fd: i32) -> bool {
    let mut r = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit writes into r.
    if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut r) } != 0 {
        return true;
    }
    r.rlim_cur == libc::RLIM_INFINITY || u64::try_from(fd).unwrap_or(u64::MAX) < r.rlim_cur / 2
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::process::{Child, Command, Stdio};
    use yurt_supervise::{Started, TaskSpec, reattach_dir, state};

    /// A stand-in supervisor: a `sleep` of ours, recorded in started.pb as a real supervisor
    /// is. Killed and reaped when dropped, so a failing test leaves no process behind (an
    /// orphaned `sleep 3600` holding the test's stdout and stderr kept a piped `cargo test`
    /// waiting for an hour).
    struct StandIn(Child);

    impl StandIn {
        fn spawn() -> StandIn {
            let child = Command::new("sleep")
                .arg("3600")
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("spawn sleep");
            StandIn(child)
        }

        /// A task whose supervisor is this process.
        fn task(&self, dir: &std::path::Path) -> Task {
            let pid = self.0.id() as i32;
            let start = state::proc_stat(pid).expect("stand-in's stat").start_time;
            let spec = TaskSpec {
                task_id: "alloc/task/1".into(),
                format_version: state::FORMAT_VERSION,
                ..Default::default()
            };
            state::write_message(dir, state::SPEC, &spec).unwrap();
            let started = Started {
                supervisor_pid: pid,
                supervisor_start_time: start,
                pid,
                pid_start_time: start,
                ..Default::default()
            };
            state::write_message(dir, state::STARTED, &started).unwrap();
            reattach_dir(dir).expect("reattach the stand-in's state dir")
        }

        fn kill(&mut self) {
            let _ = self.0.kill();
        }
    }

    impl Drop for StandIn {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }

    /// The waiter pauses an hour between looks here, so only the supervisor's exit can end
    /// its wait within the minute allowed.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_supervisors_exit_wakes_the_waiter() {
        let dir = tempfile::tempdir().unwrap();
        let mut sup = StandIn::spawn();
        let task = sup.task(dir.path());
        assert!(
            ExitWaker::open(task.started().supervisor_pid).is_some(),
            "no pidfd for a live process of ours: this kernel cannot run the test"
        );
        let hour = Duration::from_secs(3600);
        let (looked_tx, looked_rx) = tokio::sync::oneshot::channel();
        let waiter = tokio::spawn(async move {
            // One look now: the task runs.
            assert!(task.exit().unwrap().is_none());
            let _ = looked_tx.send(());
            wait_paced(&task, hour, hour).await
        });
        looked_rx
            .await
            .expect("the waiter ended before its first look");
        let exit = ExitResult {
            exit_code: 3,
            ..Default::default()
        };
        state::write_message(dir.path(), state::EXIT, &exit).unwrap();
        sup.kill();
        let got = tokio::time::timeout(Duration::from_secs(60), waiter)
            .await
            .expect("the supervisor's exit did not wake the waiter within 60 s");
        assert_eq!(got.unwrap().unwrap().exit_code, 3);
    }

    /// A supervisor gone without an exit record is reported as such once its exit wakes the
    /// waiter, not after an hour and never as a made-up exit code.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_supervisor_gone_without_a_record_is_an_error_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let mut sup = StandIn::spawn();
        let task = sup.task(dir.path());
        let hour = Duration::from_secs(3600);
        let waiter = tokio::spawn(async move { wait_paced(&task, hour, hour).await });
        sup.kill();
        let got = tokio::time::timeout(Duration::from_secs(60), waiter)
            .await
            .expect("the supervisor's exit did not wake the waiter within 60 s")
            .unwrap();
        let err = got.expect_err("a supervisor gone without exit.pb gave a result");
        assert_eq!(
            err.kind(),
            yurt_supervise::ErrorKind::SupervisorGone,
            "{err}"
        );
    }

    /// No waker where there is no process to watch: the waiter falls back to looking.
    #[tokio::test]
    async fn no_waker_without_a_process() {
        assert!(ExitWaker::open(0).is_none());
        assert!(ExitWaker::open(-1).is_none());
        let mut gone = StandIn::spawn();
        let pid = gone.0.id() as i32;
        gone.kill();
        let _ = gone.0.wait();
        // Reaped: the pid names no process (unless reused at once, which the kernel avoids).
        if state::proc_stat(pid).is_none() {
            assert!(ExitWaker::open(pid).is_none());
        }
    }
}
