//! Keeps stdout for the go-plugin handshake line until it is written.
//!
//! go-plugin's host reads the plugin's stdout line by line and the FIRST line must be the
//! handshake (`core|app|network|addr|protocol|cert`): anything printed earlier breaks the
//! launch. [`install`] runs when serving starts, before any plugin code that serving calls (the
//! schema checks, the services) and before the handshake: it keeps a private duplicate of the
//! real stdout for the handshake line and points fd 1 at a pipe whose contents a thread copies to
//! stderr, after ONE warning line (hclog JSON at WARN, through the SDK's log layer). Text still
//! in Rust's stdout buffer (a `print!` without a newline in `main`) is flushed into that pipe
//! before the handshake. After the handshake `goplugin::capture_stdout` points fd 1 at the
//! `GRPCStdio` pipe; the guard's pipe then reaches EOF and its thread ends.
//!
//! What `main` writes and flushes (a `println!`) before calling `serve_*` cannot be caught here:
//! Rust has no hook before `main`. The host's launch diagnostics name "output on stdout before
//! serving" as a likely cause then.

use std::fs::File;
use std::io::{self, Read, Write};
use std::os::fd::{FromRawFd, OwnedFd};

/// The warning logged once when something reached stdout before the handshake.
pub(crate) const WARNING: &str =
    "plugin wrote to stdout before the go-plugin handshake; sent to stderr";

/// Points fd 1 at the stderr-forwarding pipe; returns the real stdout for the handshake line.
pub(crate) fn install() -> io::Result<File> {
    let mut fds = [0i32; 2];
    // SAFETY: plain libc calls on descriptors we own; every result is checked.
    let real = unsafe {
        let real = libc::fcntl(1, libc::F_DUPFD_CLOEXEC, 3);
        if real < 0 {
            return Err(io::Error::last_os_error());
        }
        let real = OwnedFd::from_raw_fd(real);
        if libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) != 0 {
            return Err(io::Error::last_os_error());
        }
        // dup2 clears close-on-exec on fd 1: children inherit the guard, not the host's pipe.
        if libc::dup2(fds[1], 1) < 0 {
            let e = io::Error::last_os_error();
            libc::close(fds[0]);
            libc::close(fds[1]);
            return Err(e);
        }
        libc::close(fds[1]);
        real
    };
    // SAFETY: fds[0] is a fresh descriptor owned by nothing else.
    let mut reader = unsafe { File::from_raw_fd(fds[0]) };
    std::thread::Builder::new()
        .name("yurt-stdout-guard".into())
        .spawn(move || {
            let mut buf = [0u8; 8192];
            let mut warned = false;
            loop {
                match reader.read(&mut buf) {
                    Ok(0) => return,
                    Ok(n) => {
                        if !warned {
                            warned = true;
                            tracing::warn!("{WARNING}");
                        }
                        // A dead host (EPIPE): drop the text, keep draining.
                        let _ = io::stderr().write_all(&buf[..n]);
                    }
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(_) => return,
                }
            }
        })?;
    Ok(File::from(real))
}
