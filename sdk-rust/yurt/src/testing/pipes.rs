//! The plugin's stdout and stderr as a go-plugin host holds them: each drained by a thread (a full
//! pipe would block the plugin), the text kept for the test, and closable on demand, as when the
//! host process dies.

use std::io::{self, BufRead, BufReader, Read};
use std::os::fd::AsRawFd;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How often a draining thread looks at its close flag while the pipe is quiet.
const POLL_MS: libc::c_int = 50;

/// One drained pipe.
pub(super) struct Pipe {
    text: Arc<Mutex<String>>,
    closing: Arc<AtomicBool>,
    reader: Option<JoinHandle<()>>,
}

impl Pipe {
    /// Drains `pipe` on a thread. With `first_line`, the first line (the handshake, on stdout) is
    /// sent there instead of being kept with the rest; a failed or empty read ends the thread.
    pub(super) fn drain<P>(
        pipe: P,
        first_line: Option<tokio::sync::oneshot::Sender<io::Result<String>>>,
    ) -> Pipe
    where
        P: Read + AsRawFd + Send + 'static,
    {
        let text = Arc::new(Mutex::new(String::new()));
        let closing = Arc::new(AtomicBool::new(false));
        let (sink, stop) = (text.clone(), closing.clone());
        let reader = std::thread::spawn(move || {
            let fd = pipe.as_raw_fd();
            let mut pipe = BufReader::new(pipe);
            if let Some(tx) = first_line {
                let mut line = String::new();
                let got = pipe.read_line(&mut line).map(|_| line);
                let more = matches!(&got, Ok(l) if !l.is_empty());
                let _ = tx.send(got);
                if !more {
                    return;
                }
            }
            // What the BufReader already holds past the first line.
            push(&sink, pipe.buffer());
            let mut pipe = pipe.into_inner();
            let mut buf = [0u8; 4096];
            while !stop.load(Ordering::Relaxed) {
                let mut pfd = libc::pollfd {
                    fd,
                    events: libc::POLLIN,
                    revents: 0,
                };
                // SAFETY: one valid pollfd; fd stays open while `pipe` lives.
                let ready = unsafe { libc::poll(&mut pfd, 1, POLL_MS) };
                if ready == 0
                    || (ready < 0
                        && io::Error::last_os_error().kind() == io::ErrorKind::Interrupted)
                {
                    continue;
                }
                if ready < 0 {
                    return;
                }
                match pipe.read(&mut buf) {
                    Ok(0) => return,
                    Ok(n) => push(&sink, &buf[..n]),
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(_) => return,
                }
            }
        });
        Pipe {
            text,
            closing,
            reader: Some(reader),
        }
    }

    /// Everything read so far (after the first line, for stdout).
    pub(super) fn text(&self) -> String {
        self.text.lock().map(|t| t.clone()).unwrap_or_default()
    }

    /// Waits up to `within` for the end of the stream. A process the plugin started may hold the
    /// pipe open after the plugin is gone, so this never waits longer.
    pub(super) async fn settle(&self, within: Duration) {
        let deadline = Instant::now() + within;
        while self.reader.as_ref().is_some_and(|r| !r.is_finished()) && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    /// Closes the host's end: the draining thread stops and drops the pipe.
    pub(super) fn close(&mut self) {
        self.closing.store(true, Ordering::Relaxed);
        // Returns within POLL_MS: a Launched has its handshake, so no thread still blocks on
        // the first line.
        if let Some(r) = self.reader.take() {
            let _ = r.join();
        }
    }
}

fn push(sink: &Mutex<String>, bytes: &[u8]) {
    if let Ok(mut t) = sink.lock() {
        t.push_str(&String::from_utf8_lossy(bytes));
    }
}
