//! Launching a plugin binary the way Nomad's client does, with nothing for the author to add to
//! their own dependencies: the host certificate for AutoMTLS, the TLS client and the gRPC channel
//! are built here.
//!
//! Each launched plugin gets a socket directory of its own (`PLUGIN_UNIX_SOCKET_DIR`), removed
//! once the plugin is gone: go-plugin servers create their socket there, and a plugin killed at
//! the end of a test cannot remove it, so without it every killed plugin leaves a `plugin<N>`
//! socket in the test's TMPDIR.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use rcgen::{BasicConstraints, CertificateParams, IsCa, KeyPair};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tonic::transport::Channel;

use super::pipes::Pipe;
use crate::goplugin::handshake::{HandshakeLine, MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE};

/// How [`launch`] starts the plugin.
#[derive(Debug, Clone)]
pub struct LaunchOptions {
    /// Use go-plugin's AutoMTLS (the `yurt` host does; Nomad's client does not).
    pub automtls: bool,
    /// Arguments for the plugin (a `plugin` block's `args`).
    pub args: Vec<String>,
    /// Extra environment variables, on top of the test's own environment and go-plugin's. A
    /// `PLUGIN_UNIX_SOCKET_DIR` here replaces the private socket directory [`launch`] makes.
    pub env: Vec<(String, String)>,
    /// How long to wait for the handshake line.
    pub handshake_timeout: Duration,
}

impl Default for LaunchOptions {
    fn default() -> Self {
        LaunchOptions {
            automtls: false,
            args: Vec::new(),
            env: Vec::new(),
            handshake_timeout: Duration::from_secs(30),
        }
    }
}

/// Why [`launch`] failed; each message names the program and, where the plugin said something,
/// ends with its stderr.
#[derive(Debug, thiserror::Error)]
pub enum LaunchError {
    /// The program could not be started.
    #[error("starting {program}: {source}")]
    Spawn {
        /// The program.
        program: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// No valid handshake line arrived (the plugin exited, printed something else, or was slow).
    #[error("{program}: {problem}; its stderr:\n{stderr}")]
    Handshake {
        /// The program.
        program: PathBuf,
        /// What went wrong.
        problem: String,
        /// What the plugin wrote to stderr until then.
        stderr: String,
    },
    /// Setting up the client side of AutoMTLS or dialing the plugin failed.
    #[error("{program}: connecting: {problem}")]
    Connect {
        /// The program.
        program: PathBuf,
        /// What went wrong.
        problem: String,
    },
}

/// A running plugin process and a gRPC channel to it. Dropping it kills the process.
pub struct Launched {
    /// The plugin process.
    pub child: Child,
    /// Its handshake line.
    pub line: HandshakeLine,
    /// A channel to its gRPC server, ready for the other functions of [`crate::testing`].
    pub channel: Channel,
    program: PathBuf,
    stdout: Pipe,
    stderr: Pipe,
    // Declared after `child`'s users: Launched's Drop kills the child first, then this field's
    // Drop removes the directory with the socket the plugin could not remove.
    _sockets: Option<SocketDir>,
}

/// A private `PLUGIN_UNIX_SOCKET_DIR` under the temp dir, removed with everything in it on drop.
struct SocketDir(PathBuf);

impl SocketDir {
    fn create() -> std::io::Result<SocketDir> {
        use std::os::unix::fs::DirBuilderExt;
        static SEQ: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let base = std::path::absolute(std::env::temp_dir())?;
        let mut last = None;
        for _ in 0..16 {
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.subsec_nanos())
                .unwrap_or(0);
            let seq = SEQ.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let dir = base.join(format!(
                "yurt-launch-{}-{seq}-{nanos:x}",
                std::process::id()
            ));
            match std::fs::DirBuilder::new().mode(0o700).create(&dir) {
                Ok(()) => return Ok(SocketDir(dir)),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last = Some(e),
                Err(e) => {
                    return Err(std::io::Error::new(
                        e.kind(),
                        format!("creating {}: {e}", dir.display()),
                    ));
                }
            }
        }
        Err(last.unwrap_or_else(|| std::io::Error::other("no free directory name")))
    }
}

impl Drop for SocketDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

impl Launched {
    /// Asks the plugin to stop (`GRPCController/Shutdown`, as a host does) and waits up to
    /// `timeout` for it to exit; kills it after that. Returns its exit status and everything it
    /// wrote to stderr.
    pub async fn shutdown(mut self, timeout: Duration) -> (Option<ExitStatus>, String) {
        let _ = super::shutdown(self.channel.clone()).await;
        let status = self.wait(timeout).await;
        if status.is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
            self.stderr.settle(Duration::from_secs(2)).await;
        }
        (status, self.stderr.text())
    }

    /// Waits up to `timeout` for the plugin to exit (it is not killed), then up to 2 s for its
    /// stdout and stderr to close, so that [`Launched::stdout`] and [`Launched::stderr`] are
    /// complete. `None` if it is still running.
    pub async fn wait(&mut self, timeout: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + timeout;
        loop {
            match self.child.try_wait() {
                Ok(Some(s)) => {
                    self.stdout.settle(Duration::from_secs(2)).await;
                    self.stderr.settle(Duration::from_secs(2)).await;
                    return Some(s);
                }
                Ok(None) if Instant::now() < deadline => {
                    tokio::time::sleep(Duration::from_millis(20)).await
                }
                _ => return None,
            }
        }
    }

    /// What the plugin wrote to its real stdout after the handshake line, so far. A go-plugin
    /// host treats anything there as stray output; the SDK sends plugin prints to `GRPCStdio`.
    pub fn stdout(&self) -> String {
        self.stdout.text()
    }

    /// What the plugin wrote to stderr (hclog JSON lines) so far.
    pub fn stderr(&self) -> String {
        self.stderr.text()
    }

    /// Closes the host's ends of the plugin's stdout and stderr, as when the host process dies
    /// and the plugin is left running: what it writes there afterwards fails with `EPIPE` and
    /// is lost. A go-plugin plugin must keep serving; a new client can reattach by address.
    pub fn close_pipes(&mut self) {
        self.stdout.close();
        self.stderr.close();
    }

    /// The program this process runs.
    pub fn program(&self) -> &Path {
        &self.program
    }
}

impl Drop for Launched {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Launches `program` as a go-plugin host does (magic cookie, protocol version 2, port range;
/// with [`LaunchOptions::automtls`], a P-521 host certificate in `PLUGIN_CLIENT_CERT`), reads
/// the handshake line from its stdout, and dials it. Stdout and stderr are drained in the
/// background, as a host must ([`Launched::stdout`], [`Launched::stderr`]). The plugin gets a
/// private `PLUGIN_UNIX_SOCKET_DIR`, removed when the [`Launched`] is dropped or shut down.
pub async fn launch(
    program: impl AsRef<Path>,
    opts: LaunchOptions,
) -> Result<Launched, LaunchError> {
    let program = program.as_ref().to_path_buf();
    let connect_err = |problem: String| LaunchError::Connect {
        program: program.clone(),
        problem,
    };
    let identity = if opts.automtls {
        Some(host_identity().map_err(|e| connect_err(format!("host certificate: {e}")))?)
    } else {
        None
    };
    let sockets = if opts.env.iter().any(|(k, _)| k == "PLUGIN_UNIX_SOCKET_DIR") {
        None
    } else {
        Some(SocketDir::create().map_err(|source| LaunchError::Spawn {
            program: program.clone(),
            source,
        })?)
    };
    let mut cmd = Command::new(&program);
    if let Some(dir) = &sockets {
        cmd.env("PLUGIN_UNIX_SOCKET_DIR", &dir.0);
    }
    cmd.args(&opts.args)
        .env(MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE)
        .env("PLUGIN_PROTOCOL_VERSIONS", "2")
        .env("PLUGIN_MIN_PORT", "10000")
        .env("PLUGIN_MAX_PORT", "25000")
        .env_remove("PLUGIN_CLIENT_CERT")
        .envs(opts.env.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some((pem, _, _)) = &identity {
        cmd.env("PLUGIN_CLIENT_CERT", pem);
    }
    let mut child = cmd.spawn().map_err(|source| LaunchError::Spawn {
        program: program.clone(),
        source,
    })?;
    let stderr = Pipe::drain(child.stderr.take().expect("stderr is piped"), None);
    let (tx, rx) = tokio::sync::oneshot::channel();
    let stdout = Pipe::drain(child.stdout.take().expect("stdout is piped"), Some(tx));
    let problem = match tokio::time::timeout(opts.handshake_timeout, rx).await {
        Err(_) => Some(format!(
            "no handshake line within {:?}",
            opts.handshake_timeout
        )),
        Ok(Err(_)) | Ok(Ok(Err(_))) => Some("reading its stdout failed".to_string()),
        Ok(Ok(Ok(line))) if line.is_empty() => {
            Some("closed stdout without a handshake line".to_string())
        }
        Ok(Ok(Ok(line))) => match line.parse::<HandshakeLine>() {
            Ok(parsed) => {
                let pipes = (stdout, stderr);
                return finish(program, child, parsed, identity, pipes, sockets).await;
            }
            Err(e) => Some(e.to_string()),
        },
    };
    let _ = child.kill();
    let status = child.wait().ok();
    let mut problem = problem.unwrap_or_default();
    if let Some(s) = status.filter(|s| s.code().is_some()) {
        problem.push_str(&format!(" (it exited: {s})"));
    }
    stderr.settle(Duration::from_secs(2)).await;
    Err(LaunchError::Handshake {
        program,
        problem,
        stderr: stderr.text(),
    })
}

async fn finish(
    program: PathBuf,
    mut child: Child,
    line: HandshakeLine,
    identity: Option<(String, CertificateDer<'static>, PrivateKeyDer<'static>)>,
    (stdout, stderr): (Pipe, Pipe),
    sockets: Option<SocketDir>,
) -> Result<Launched, LaunchError> {
    match dial(&line, identity).await {
        Ok(channel) => Ok(Launched {
            child,
            line,
            channel,
            program,
            stdout,
            stderr,
            _sockets: sockets,
        }),
        Err(problem) => {
            let _ = child.kill();
            let _ = child.wait();
            Err(LaunchError::Connect { program, problem })
        }
    }
}

async fn dial(
    line: &HandshakeLine,
    identity: Option<(String, CertificateDer<'static>, PrivateKeyDer<'static>)>,
) -> Result<Channel, String> {
    let tls = match identity {
        None => None,
        Some((_, der, key)) => {
            let server = line.cert_der.clone().ok_or_else(|| {
                "AutoMTLS was offered but the handshake line has no certificate".to_string()
            })?;
            Some(
                crate::goplugin::mtls::client_config(CertificateDer::from(server), der, key)
                    .map_err(|e| e.to_string())?,
            )
        }
    };
    super::connect(line, tls).await.map_err(|e| e.to_string())
}

/// go-plugin's host certificate: ECDSA P-521, SAN `localhost`, a CA used as an end entity.
fn host_identity() -> Result<(String, CertificateDer<'static>, PrivateKeyDer<'static>), rcgen::Error>
{
    let key = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P521_SHA512)?;
    let mut params = CertificateParams::new(vec!["localhost".to_string()])?;
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let cert = params.self_signed(&key)?;
    Ok((
        cert.pem(),
        cert.der().clone(),
        PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_missing_program_names_it() {
        let err = launch("/nonexistent/plugin", LaunchOptions::default())
            .await
            .err()
            .expect("no such program");
        assert!(matches!(err, LaunchError::Spawn { .. }), "{err}");
        assert!(err.to_string().contains("/nonexistent/plugin"), "{err}");
    }

    #[tokio::test]
    async fn output_that_is_not_a_handshake_reports_the_line_and_stderr() {
        let opts = LaunchOptions {
            args: vec!["-c".into(), "echo the real cause >&2; echo hello".into()],
            ..Default::default()
        };
        let err = launch("/bin/sh", opts).await.err().expect("not a plugin");
        let text = err.to_string();
        assert!(matches!(err, LaunchError::Handshake { .. }), "{text}");
        assert!(
            text.contains("hello") && text.contains("the real cause"),
            "{text}"
        );
    }

    #[tokio::test]
    async fn a_plugin_that_exits_reports_its_status() {
        let opts = LaunchOptions {
            args: vec!["-c".into(), "echo cookie? >&2; exit 3".into()],
            ..Default::default()
        };
        let text = launch("/bin/sh", opts)
            .await
            .err()
            .expect("exits")
            .to_string();
        assert!(
            text.contains("closed stdout without a handshake line"),
            "{text}"
        );
        assert!(
            text.contains("exit status: 3") && text.contains("cookie?"),
            "{text}"
        );
    }

    /// The plugin leaves a socket file in PLUGIN_UNIX_SOCKET_DIR and cannot be dialed: the
    /// directory is private (not the temp dir) and gone once launch has killed the plugin.
    #[tokio::test]
    async fn the_private_socket_dir_is_removed_with_the_plugin() {
        let record = tempfile::NamedTempFile::new().unwrap();
        let script = r#"echo "$PLUGIN_UNIX_SOCKET_DIR" > "$1"; : > "$PLUGIN_UNIX_SOCKET_DIR/plugin1"
            echo "1|2|unix|$PLUGIN_UNIX_SOCKET_DIR/plugin1|grpc|"; exec sleep 30"#;
        let opts = LaunchOptions {
            args: vec![
                "-c".into(),
                script.into(),
                "sh".into(),
                record.path().display().to_string(),
            ],
            ..Default::default()
        };
        let err = launch("/bin/sh", opts)
            .await
            .err()
            .expect("nothing listens");
        assert!(matches!(err, LaunchError::Connect { .. }), "{err}");
        let dir = std::fs::read_to_string(record.path()).unwrap();
        let dir = Path::new(dir.trim());
        assert_eq!(
            dir.parent(),
            Some(std::path::absolute(std::env::temp_dir()).unwrap().as_path()),
            "{dir:?}"
        );
        assert!(!dir.exists(), "{dir:?} is left behind");
    }

    #[tokio::test]
    async fn a_silent_plugin_times_out_and_is_killed() {
        let opts = LaunchOptions {
            args: vec!["-c".into(), "sleep 30".into()],
            handshake_timeout: Duration::from_millis(300),
            ..Default::default()
        };
        let t0 = Instant::now();
        let text = launch("/bin/sh", opts)
            .await
            .err()
            .expect("silent")
            .to_string();
        assert!(text.contains("no handshake line within"), "{text}");
        assert!(
            t0.elapsed() < Duration::from_secs(20),
            "launch did not return promptly after the timeout"
        );
    }
}
