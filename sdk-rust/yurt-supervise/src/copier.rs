//! Copies one of the task's output pipes to its log path (Nomad's FIFO) without ever blocking
//! forever.
//!
//! - The path is opened with `O_NONBLOCK`: a FIFO without a reader fails at once (`ENXIO`)
//!   instead of blocking in `open()`, and the open is retried every [`RETRY`].
//! - While a reader exists nothing is lost: a full FIFO stops the copying (and, once the pipe is
//!   full, the task) until the reader catches up.
//! - When the reader goes away (`EPIPE`), output is held (up to [`MAX_PENDING`] bytes) for
//!   [`READER_WAIT`] while a new reader is awaited; after that it is dropped (and counted in
//!   the supervisor log) and later output is discarded until a reader is back, so the task
//!   never blocks for good on a dead log collector.
//! - When the path is gone (`ENOENT`: the alloc dir was removed), the copier gives up on it and
//!   only drains the pipe.
//! - It ends at the pipe's end of file. The supervisor waits for it only a bounded time after
//!   the task exited (see `supervisor.rs`), so a copier that still waits can never hold it up.

use std::fs::File;
use std::io::{self, Read, Write};
use std::os::fd::{AsRawFd, OwnedFd};
use std::os::unix::fs::OpenOptionsExt;
use std::time::{Duration, Instant};

/// How often a missing reader is looked for again.
pub const RETRY: Duration = Duration::from_millis(50);
/// How long output is held for a new reader after the old one went away.
pub const READER_WAIT: Duration = Duration::from_secs(10);
/// The most output held while no reader exists.
pub const MAX_PENDING: usize = 256 * 1024;
/// In discard mode, how often a new reader is looked for.
const DISCARD_RETRY: Duration = Duration::from_secs(1);

/// Opens `path` for writing without blocking. `Ok(None)`: a FIFO with no reader (yet).
pub fn open_output(path: &str, create: bool) -> io::Result<Option<File>> {
    let r = std::fs::OpenOptions::new()
        .append(true)
        .create(create)
        .mode(0o600)
        .custom_flags(libc::O_NONBLOCK)
        .open(path);
    match r {
        Ok(f) => Ok(Some(f)),
        Err(e) if e.raw_os_error() == Some(libc::ENXIO) => Ok(None),
        Err(e) => Err(e),
    }
}

enum Out {
    /// Writing to the reader.
    Open(File),
    /// No reader since the instant: holding output until [`READER_WAIT`] has passed.
    Waiting(Instant),
    /// Dropping output; looking for a reader now and then (last look at the instant).
    Discarding(Instant),
    /// The path is gone (or was empty): dropping output for good.
    Gone,
}

/// The copying loop for one stream; returns when `from` reaches end of file.
pub struct Copier {
    from: File,
    path: String,
    out: Out,
    pending: Vec<u8>,
    dropped: u64,
}

impl Copier {
    /// A copier from `from` to `path`; `first` is what the supervisor's first open gave.
    pub fn new(from: OwnedFd, path: String, first: Option<File>) -> Copier {
        let out = match first {
            _ if path.is_empty() => Out::Gone,
            Some(f) => Out::Open(f),
            None => Out::Waiting(Instant::now()),
        };
        Copier {
            from: File::from(from),
            path,
            out,
            pending: Vec::new(),
            dropped: 0,
        }
    }

    fn log(&self, what: &str) {
        let _ = writeln!(io::stderr(), "yurt-supervise: {}: {what}", self.path);
    }

    fn drop_pending(&mut self, why: &str) {
        if !self.pending.is_empty() {
            self.dropped += self.pending.len() as u64;
            self.log(&format!(
                "dropped {} bytes of output: {why}",
                self.pending.len()
            ));
            self.pending.clear();
        }
    }

    /// Tries to open the path again; moves to `Open`, or to `Gone` when the path is gone.
    fn reopen(&mut self) {
        match open_output(&self.path, false) {
            Ok(Some(f)) => self.out = Out::Open(f),
            Ok(None) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                self.log("path is gone; discarding the rest of the output");
                self.out = Out::Gone;
            }
            Err(e) => self.log(&format!("reopening: {e}")),
        }
    }

    /// Writes what is pending without blocking. Returns true when the reader is full.
    fn flush(&mut self) -> bool {
        let Out::Open(f) = &mut self.out else {
            return false;
        };
        while !self.pending.is_empty() {
            match f.write(&self.pending) {
                Ok(n) => {
                    self.pending.drain(..n);
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return true,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    if e.raw_os_error() != Some(libc::EPIPE) {
                        self.log(&format!("writing: {e}"));
                    }
                    self.out = Out::Waiting(Instant::now());
                    return false;
                }
            }
        }
        false
    }

    /// Runs until `from` ends (then whatever is pending is written if a reader takes it
    /// before the supervisor stops waiting).
    pub fn run(mut self) -> u64 {
        let mut buf = vec![0u8; 32 * 1024];
        let mut eof = false;
        loop {
            let now = Instant::now();
            match self.out {
                Out::Waiting(since) if now.duration_since(since) >= READER_WAIT => {
                    self.drop_pending("no reader");
                    self.out = Out::Discarding(now);
                }
                Out::Waiting(_) => self.reopen(),
                Out::Discarding(at) if now.duration_since(at) >= DISCARD_RETRY => {
                    self.out = Out::Discarding(now);
                    self.reopen();
                }
                Out::Gone => self.drop_pending("path is gone"),
                _ => {}
            }
            let full = self.flush();
            if eof && (self.pending.is_empty() || matches!(self.out, Out::Gone)) {
                return self.dropped;
            }
            let mut fds = [
                libc::pollfd {
                    fd: self.from.as_raw_fd(),
                    events: libc::POLLIN,
                    revents: 0,
                },
                libc::pollfd {
                    fd: -1,
                    events: libc::POLLOUT,
                    revents: 0,
                },
            ];
            // Stop reading (back-pressure on the task) while the held output is at its cap.
            if eof || self.pending.len() >= MAX_PENDING {
                fds[0].fd = -1;
            }
            let mut timeout: libc::c_int = -1;
            match &self.out {
                Out::Open(f) if full => fds[1].fd = f.as_raw_fd(),
                Out::Waiting(_) => timeout = RETRY.as_millis() as libc::c_int,
                _ => {}
            }
            // SAFETY: fds is a live array of two pollfd.
            let n = unsafe { libc::poll(fds.as_mut_ptr(), 2, timeout) };
            if n < 0 {
                let e = io::Error::last_os_error();
                if e.kind() != io::ErrorKind::Interrupted {
                    self.log(&format!("poll: {e}"));
                    std::thread::sleep(RETRY);
                }
                continue;
            }
            if fds[0].fd >= 0 && fds[0].revents != 0 {
                match self.from.read(&mut buf) {
                    Ok(0) => eof = true,
                    // While discarding, the top of the loop looks for a reader now and then.
                    Ok(n) => match self.out {
                        Out::Discarding(_) | Out::Gone => self.dropped += n as u64,
                        _ => self.pending.extend_from_slice(&buf[..n]),
                    },
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(e) => {
                        self.log(&format!("reading the task's output: {e}"));
                        eof = true;
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::fd::FromRawFd;

    fn pipe() -> (OwnedFd, File) {
        let mut fds = [-1; 2];
        // SAFETY: pipe2 writes two descriptors into a live array.
        assert_eq!(unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) }, 0);
        // SAFETY: fresh descriptors.
        unsafe { (OwnedFd::from_raw_fd(fds[0]), File::from_raw_fd(fds[1])) }
    }

    fn mkfifo(path: &std::path::Path) {
        let c = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).unwrap();
        // SAFETY: a NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    }

    fn tmpdir(name: &str) -> std::path::PathBuf {
        let d = std::env::temp_dir().join(format!("yurt-sv-copier-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn opening_a_fifo_without_reader_does_not_block() {
        let d = tmpdir("noreader");
        let fifo = d.join("out.fifo");
        mkfifo(&fifo);
        let t = Instant::now();
        assert!(open_output(fifo.to_str().unwrap(), true).unwrap().is_none());
        assert!(t.elapsed() < Duration::from_secs(5));
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn output_reaches_a_reader_that_appears_later_and_a_replacement_reader() {
        let d = tmpdir("later");
        let fifo = d.join("out.fifo");
        mkfifo(&fifo);
        let (rd, mut wr) = pipe();
        let path = fifo.to_str().unwrap().to_string();
        let copier = std::thread::spawn(move || Copier::new(rd, path, None).run());
        wr.write_all(b"first\n").unwrap();
        std::thread::sleep(Duration::from_millis(200));
        // The reader arrives late: nothing written before is lost.
        let mut reader = File::open(&fifo).unwrap();
        let mut got = [0u8; 6];
        reader.read_exact(&mut got).unwrap();
        assert_eq!(&got, b"first\n");
        // The reader goes away and a new one comes: output written meanwhile is held.
        drop(reader);
        wr.write_all(b"second\n").unwrap();
        std::thread::sleep(Duration::from_millis(200));
        let mut reader = File::open(&fifo).unwrap();
        wr.write_all(b"third\n").unwrap();
        drop(wr);
        let mut rest = String::new();
        reader.read_to_string(&mut rest).unwrap();
        assert_eq!(rest, "second\nthird\n");
        assert_eq!(copier.join().unwrap(), 0);
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn a_removed_path_is_given_up_and_the_pipe_still_drains() {
        let d = tmpdir("gone");
        let fifo = d.join("out.fifo");
        mkfifo(&fifo);
        let (rd, mut wr) = pipe();
        let path = fifo.to_str().unwrap().to_string();
        let copier = std::thread::spawn(move || Copier::new(rd, path, None).run());
        std::fs::remove_file(&fifo).unwrap();
        // Far more than a pipe holds: the writer must not block.
        let chunk = vec![b'x'; 64 * 1024];
        for _ in 0..32 {
            wr.write_all(&chunk).unwrap();
        }
        drop(wr);
        assert_eq!(copier.join().unwrap(), 32 * 64 * 1024);
        std::fs::remove_dir_all(&d).unwrap();
    }
}
