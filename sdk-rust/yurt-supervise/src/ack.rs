//! The start handshake, shared with the Go and Python layers: the plugin passes the read end
//! of a pipe to the supervisor (its number in `YURT_SUPERVISE_ACK_FD`) and writes one byte,
//! `k`, once it holds the task's handle (started.pb read). The pipe's end without that byte
//! means the plugin died mid-start: nobody will ever find the task, so the supervisor ends it
//! and removes the state directory rather than leave a task and a state directory that no
//! driver knows about. No byte within [`WAIT`] (a plugin alive but slow): the task is kept.
//! A supervisor started without the variable has no handshake.

use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

/// The environment variable naming the handshake's descriptor in the supervisor.
pub(crate) const ENV: &str = "YURT_SUPERVISE_ACK_FD";
/// What the plugin writes once it holds the handle.
pub(crate) const BYTE: u8 = b'k';
/// How long the supervisor waits for a plugin that is alive but slow.
const WAIT: Duration = Duration::from_secs(30);

static ABORTED: AtomicBool = AtomicBool::new(false);

/// The watcher thread, joined by [`wait_decided`].
static WATCHER: Mutex<Option<JoinHandle<()>>> = Mutex::new(None);

/// The handshake's descriptor, made close-on-exec so that the task does not inherit it; `None`
/// without one.
pub(crate) fn take() -> Option<OwnedFd> {
    let fd: i32 = std::env::var(ENV).ok()?.parse().ok()?;
    // SAFETY: fcntl on a descriptor number; F_GETFD fails on one that is not open.
    if fd < 3 || unsafe { libc::fcntl(fd, libc::F_SETFD, libc::FD_CLOEXEC) } != 0 {
        return None;
    }
    // SAFETY: an open descriptor handed to this process for this purpose only.
    Some(unsafe { OwnedFd::from_raw_fd(fd) })
}

/// Watches the handshake in a thread (signals stay blocked in it: it inherits the caller's
/// mask). Without the byte, marks the start aborted and sends SIGTERM to this process, whose
/// main loop then ends the task; the descriptor stays open until the process exits, so that a
/// reader (Go's ReattachDir) sees the decision pending until the state directory is gone.
pub(crate) fn watch(fd: OwnedFd) {
    let spawned = std::thread::Builder::new()
        .stack_size(64 * 1024)
        .spawn(move || {
            let mut p = libc::pollfd {
                fd: fd.as_raw_fd(),
                events: libc::POLLIN,
                revents: 0,
            };
            let ms = libc::c_int::try_from(WAIT.as_millis()).unwrap_or(libc::c_int::MAX);
            // SAFETY: one live pollfd.
            if unsafe { libc::poll(&mut p, 1, ms) } <= 0 {
                return; // a slow plugin: keep the task
            }
            let mut b = [0u8; 1];
            // SAFETY: reading one byte into a live buffer.
            let n = unsafe { libc::read(fd.as_raw_fd(), b.as_mut_ptr().cast(), 1) };
            if n == 1 && b[0] == BYTE {
                return;
            }
            ABORTED.store(true, Ordering::SeqCst);
            std::mem::forget(fd);
            // SAFETY: a signal to this very process.
            unsafe { libc::kill(libc::getpid(), libc::SIGTERM) };
        });
    match spawned {
        Ok(h) => {
            *WATCHER
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(h)
        }
        Err(e) => crate::supervisor::log(format!("cannot watch the start handshake: {e}")),
    }
}

/// Waits until the handshake is decided (the byte, the pipe's end, or [`WAIT`] passed). A task
/// that ends at once must not end its supervisor before that: the plugin, about to write the
/// byte, would find the pipe closed and fail a start that succeeded, and a plugin that died
/// mid-start would leave a state directory nobody will ever find.
pub(crate) fn wait_decided() {
    let h = WATCHER
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .take();
    if let Some(h) = h {
        let _ = h.join();
    }
}

/// Whether the plugin died before it took the task's handle.
pub(crate) fn aborted() -> bool {
    ABORTED.load(Ordering::SeqCst)
}
