//! ExecTaskStreaming: a command in a supervised task's context (its environment, working
//! directory and user), on pipes or on a pseudo-terminal with resize.

use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::process::ExitStatusExt;
use std::process::Stdio;
use std::sync::Arc;
use std::time::Duration;

use tokio::io::unix::AsyncFd;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_stream::StreamExt;

use crate::Error;
use crate::driver::{ExecInput, ExecSink, ExitResult, PluginStream};
use yurt_supervise::Task;

/// How long output may keep arriving after the command exited (from children it left behind).
const DRAIN: Duration = Duration::from_secs(2);

fn command(task: &Task, argv: &[String]) -> Result<tokio::process::Command, Error> {
    let mut cmd = tokio::process::Command::from(task.exec_command(argv)?);
    cmd.kill_on_drop(true);
    Ok(cmd)
}

fn result(status: std::process::ExitStatus) -> ExitResult {
    let (exit_code, signal) = yurt_supervise::spawn::exit_parts(status.into_raw());
    ExitResult {
        exit_code,
        signal,
        oom_killed: false,
    }
}

/// ExecTaskStreaming for a supervised task: `argv` in the task's context, with a
/// pseudo-terminal (stdout and stderr then one stream, resize honoured) when `tty`, else on
/// pipes. Returns how the command ended.
pub async fn exec_streaming(
    task: &Task,
    argv: &[String],
    tty: bool,
    input: PluginStream<ExecInput>,
    output: ExecSink,
) -> Result<ExitResult, Error> {
    if tty {
        stream_tty(task, argv, input, output).await
    } else {
        stream_pipes(task, argv, input, output).await
    }
}

async fn pump(mut r: impl tokio::io::AsyncRead + Unpin, sink: ExecSink, stderr: bool) {
    let mut buf = vec![0u8; 32 * 1024];
    loop {
        match r.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => {
                let sent = if stderr {
                    sink.stderr(&buf[..n]).await
                } else {
                    sink.stdout(&buf[..n]).await
                };
                if sent.is_err() {
                    return;
                }
            }
        }
    }
}

async fn stream_pipes(
    task: &Task,
    argv: &[String],
    mut input: PluginStream<ExecInput>,
    output: ExecSink,
) -> Result<ExitResult, Error> {
    let mut cmd = command(task, argv)?;
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd
        .spawn()
        .map_err(|e| Error::other(format!("exec {:?}: {e}", argv[0])))?;
    let mut stdin = child.stdin.take();
    let out = child
        .stdout
        .take()
        .map(|o| tokio::spawn(pump(o, output.clone(), false)));
    let err = child
        .stderr
        .take()
        .map(|e| tokio::spawn(pump(e, output.clone(), true)));
    let feeder = tokio::spawn(async move {
        while let Some(i) = input.next().await {
            match i {
                ExecInput::Stdin(b) => {
                    if let Some(s) = stdin.as_mut()
                        && s.write_all(&b).await.is_err()
                    {
                        stdin = None;
                    }
                }
                ExecInput::StdinClosed => stdin = None,
                ExecInput::Resize { .. } => {}
            }
        }
    });
    let status = tokio::select! {
        s = child.wait() => s.map_err(|e| Error::other(format!("exec {:?}: {e}", argv[0])))?,
        () = output.closed() => {
            let _ = child.kill().await;
            feeder.abort();
            return Err(Error::other("exec session closed by the client"));
        }
    };
    feeder.abort();
    for mut h in [out, err].into_iter().flatten() {
        if tokio::time::timeout(DRAIN, &mut h).await.is_err() {
            h.abort();
        }
    }
    Ok(result(status))
}

/// A pty master, nonblocking, registered with the runtime.
struct Master(AsyncFd<OwnedFd>);

impl Master {
    async fn read(&self, buf: &mut [u8]) -> std::io::Result<usize> {
        loop {
            let mut guard = self.0.readable().await?;
            // SAFETY: reading into a live buffer of buf.len() bytes.
            let n = unsafe { libc::read(self.0.as_raw_fd(), buf.as_mut_ptr().cast(), buf.len()) };
            if n >= 0 {
                return Ok(n as usize);
            }
            let e = std::io::Error::last_os_error();
            if e.kind() == std::io::ErrorKind::WouldBlock {
                guard.clear_ready();
                continue;
            }
            // EIO: every slave descriptor is closed, the terminal's end of file.
            if e.raw_os_error() == Some(libc::EIO) {
                return Ok(0);
            }
            return Err(e);
        }
    }

    async fn write_all(&self, mut data: &[u8]) -> std::io::Result<()> {
        while !data.is_empty() {
            let mut guard = self.0.writable().await?;
            // SAFETY: writing from a live buffer.
            let n = unsafe { libc::write(self.0.as_raw_fd(), data.as_ptr().cast(), data.len()) };
            if n >= 0 {
                data = &data[n as usize..];
                continue;
            }
            let e = std::io::Error::last_os_error();
            if e.kind() == std::io::ErrorKind::WouldBlock {
                guard.clear_ready();
                continue;
            }
            return Err(e);
        }
        Ok(())
    }

    fn resize(&self, rows: u16, cols: u16) {
        let ws = libc::winsize {
            ws_row: rows,
            ws_col: cols,
            ws_xpixel: 0,
            ws_ypixel: 0,
        };
        // SAFETY: TIOCSWINSZ reads a winsize from a live struct.
        unsafe { libc::ioctl(self.0.as_raw_fd(), libc::TIOCSWINSZ, &ws) };
    }
}

fn open_pty() -> std::io::Result<(OwnedFd, OwnedFd)> {
    let (mut m, mut s) = (-1, -1);
    let ws = libc::winsize {
        ws_row: 24,
        ws_col: 80,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    // SAFETY: openpty writes two descriptors; name and termios may be null.
    if unsafe { libc::openpty(&mut m, &mut s, std::ptr::null_mut(), std::ptr::null(), &ws) } != 0 {
        return Err(std::io::Error::last_os_error());
    }
    // SAFETY: fresh descriptors owned by nothing else.
    let (m, s) = unsafe { (OwnedFd::from_raw_fd(m), OwnedFd::from_raw_fd(s)) };
    for fd in [m.as_raw_fd(), s.as_raw_fd()] {
        // SAFETY: fcntl on descriptors we own.
        unsafe { libc::fcntl(fd, libc::F_SETFD, libc::FD_CLOEXEC) };
    }
    // SAFETY: as above.
    unsafe {
        let fl = libc::fcntl(m.as_raw_fd(), libc::F_GETFL);
        libc::fcntl(m.as_raw_fd(), libc::F_SETFL, fl | libc::O_NONBLOCK);
    }
    Ok((m, s))
}

async fn stream_tty(
    task: &Task,
    argv: &[String],
    mut input: PluginStream<ExecInput>,
    output: ExecSink,
) -> Result<ExitResult, Error> {
    let (master, slave) = open_pty().map_err(|e| Error::other(format!("opening a pty: {e}")))?;
    let mut cmd = command(task, argv)?;
    if !task.spec().env.iter().any(|kv| kv.starts_with("TERM=")) {
        cmd.env("TERM", "xterm");
    }
    let dup = |fd: &OwnedFd| fd.try_clone().map(Stdio::from);
    cmd.stdin(dup(&slave)?)
        .stdout(dup(&slave)?)
        .stderr(dup(&slave)?);
    // SAFETY: setsid and ioctl are async-signal-safe. A new session whose controlling terminal
    // is the pty, so job control, ^C and SIGWINCH work as in a terminal.
    unsafe {
        cmd.pre_exec(|| {
            if libc::setsid() < 0 || libc::ioctl(0, libc::TIOCSCTTY, 0) < 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let spawned = cmd.spawn();
    drop(slave); // Only the child may hold the slave, or EOF never comes.
    let mut child = spawned.map_err(|e| Error::other(format!("exec {:?}: {e}", argv[0])))?;
    drop(cmd);
    // SAFETY: an OwnedFd always returns the same open descriptor, which it keeps open until
    // the AsyncFd drops it.
    let registered = unsafe { AsyncFd::register(master) }
        .map_err(|e| Error::other(format!("registering the pty: {e}")))?;
    let master = Arc::new(Master(registered));
    let reader = {
        let m = master.clone();
        let sink = output.clone();
        tokio::spawn(async move {
            let mut buf = vec![0u8; 32 * 1024];
            while let Ok(n) = m.read(&mut buf).await {
                if n == 0 || sink.stdout(&buf[..n]).await.is_err() {
                    return;
                }
            }
        })
    };
    let feeder = {
        let m = master.clone();
        tokio::spawn(async move {
            while let Some(i) = input.next().await {
                let r = match i {
                    ExecInput::Stdin(b) => m.write_all(&b).await,
                    // A terminal has no stdin to close: send the end-of-file character.
                    ExecInput::StdinClosed => m.write_all(&[0x04]).await,
                    ExecInput::Resize { rows, cols } => {
                        m.resize(rows, cols);
                        Ok(())
                    }
                };
                if r.is_err() {
                    return;
                }
            }
        })
    };
    let status = tokio::select! {
        s = child.wait() => s.map_err(|e| Error::other(format!("exec {:?}: {e}", argv[0])))?,
        () = output.closed() => {
            let _ = child.kill().await;
            feeder.abort();
            reader.abort();
            return Err(Error::other("exec session closed by the client"));
        }
    };
    feeder.abort();
    let mut reader = reader;
    if tokio::time::timeout(DRAIN, &mut reader).await.is_err() {
        reader.abort();
        tracing::debug!("pty output still open after the command exited; stopped reading");
    }
    Ok(result(status))
}
