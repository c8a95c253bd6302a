//! Launching a plugin binary the way Nomad's client does, with nothing for the author to add to
//! their own dependencies: the host certificate for AutoMTLS, the TLS client and the gRPC channel
//! are built here.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rcgen::{BasicConstraints, CertificateParams, IsCa, KeyPair};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tonic::transport::Channel;

use crate::handshake::{HandshakeLine, MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE};

/// How [`launch`] starts the plugin.
#[derive(Debug, Clone)]
pub struct LaunchOptions {
    /// Use go-plugin's AutoMTLS (the `yurt` host does; Nomad's client does not).
    pub automtls: bool,
    /// Arguments for the plugin (a `plugin` block's `args`).
    pub args: Vec<String>,
    /// Extra environment variables, on top of the test's own environment and go-plugin's.
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
    stderr: Stderr,
}

/// The plugin's stderr, drained by a thread as a host must. Reading it never blocks for long: a
/// process the plugin started may hold the pipe open after the plugin is gone.
struct Stderr {
    text: Arc<Mutex<String>>,
    reader: std::thread::JoinHandle<()>,
}

impl Stderr {
    fn drain(mut pipe: impl Read + Send + 'static) -> Stderr {
        let text = Arc::new(Mutex::new(String::new()));
        let sink = text.clone();
        let reader = std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = pipe.read(&mut buf) {
                if n == 0 {
                    break;
                }
                if let Ok(mut t) = sink.lock() {
                    t.push_str(&String::from_utf8_lossy(&buf[..n]));
                }
            }
        });
        Stderr { text, reader }
    }

    /// Everything read so far, after waiting up to 2 s for the end of the stream.
    async fn collect(&self) -> String {
        let deadline = Instant::now() + Duration::from_secs(2);
        while !self.reader.is_finished() && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        self.text.lock().map(|t| t.clone()).unwrap_or_default()
    }
}

impl Launched {
    /// Asks the plugin to stop (`GRPCController/Shutdown`, as a host does) and waits up to
    /// `timeout` for it to exit; kills it after that. Returns its exit status and everything it
    /// wrote to stderr.
    pub async fn shutdown(mut self, timeout: Duration) -> (Option<ExitStatus>, String) {
        let _ = super::shutdown(self.channel.clone()).await;
        let deadline = Instant::now() + timeout;
        let mut status = None;
        while Instant::now() < deadline {
            match self.child.try_wait() {
                Ok(Some(s)) => {
                    status = Some(s);
                    break;
                }
                Ok(None) => tokio::time::sleep(Duration::from_millis(20)).await,
                Err(_) => break,
            }
        }
        if status.is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
        (status, self.stderr.collect().await)
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
/// the handshake line from its stdout, and dials it. Stderr is drained in the background, as a
/// host must, and returned by [`Launched::shutdown`].
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
    let mut cmd = Command::new(&program);
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
    let stderr = Stderr::drain(child.stderr.take().expect("stderr is piped"));
    let stdout = child.stdout.take().expect("stdout is piped");
    let (tx, rx) = tokio::sync::oneshot::channel();
    std::thread::spawn(move || {
        let mut first = String::new();
        let got = BufReader::new(stdout).read_line(&mut first).map(|_| first);
        let _ = tx.send(got);
    });
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
                return finish(program, child, parsed, identity, stderr).await;
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
    Err(LaunchError::Handshake {
        program,
        problem,
        stderr: stderr.collect().await,
    })
}

async fn finish(
    program: PathBuf,
    mut child: Child,
    line: HandshakeLine,
    identity: Option<(String, CertificateDer<'static>, PrivateKeyDer<'static>)>,
    stderr: Stderr,
) -> Result<Launched, LaunchError> {
    match dial(&line, identity).await {
        Ok(channel) => Ok(Launched {
            child,
            line,
            channel,
            program,
            stderr,
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
                crate::mtls::client_config(CertificateDer::from(server), der, key)
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
