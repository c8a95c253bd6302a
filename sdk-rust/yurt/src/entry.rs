//! The process entry points: check the environment, set up logging, run the server, exit.

use std::io::{self, Write};
use std::process::ExitCode;
use std::time::Duration;

use tokio::sync::broadcast;
use tonic::service::RoutesBuilder;
use tracing::Level;
use tracing_subscriber::layer::SubscriberExt;

use crate::goplugin::handshake::{self, APP_PROTOCOL_VERSION, HandshakeError};
use crate::goplugin::hclog::HclogLayer;
use crate::goplugin::mtls::MtlsError;
use crate::goplugin::{self, Runtime, ShutdownSignal, Transport};
use crate::stdoutguard;

/// Why a plugin server stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The environment is not a go-plugin host's.
    #[error(transparent)]
    Handshake(#[from] HandshakeError),
    /// AutoMTLS could not be set up.
    #[error(transparent)]
    Mtls(#[from] MtlsError),
    /// No listener could be bound.
    #[error("binding the plugin listener: {0}")]
    Listen(io::Error),
    /// Writing the handshake line failed.
    #[error("writing the handshake line to stdout: {0}")]
    HandshakeWrite(io::Error),
    /// The gRPC server failed.
    #[error("gRPC server: {0}")]
    Serve(String),
    /// The plugin's own setup (e.g. its schema) is invalid.
    #[error("invalid plugin: {0}")]
    Plugin(String),
}

/// Knobs for [`crate::serve_driver`] and friends. The defaults suit Nomad.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// `@module` in log lines; defaults to the executable's file name.
    pub log_module: Option<String>,
    /// Most verbose level written to stderr (default TRACE: the host filters).
    pub log_level: Level,
    /// Listener kind. `YURT_PLUGIN_TRANSPORT=unix|tcp` in the environment overrides it.
    pub transport: Transport,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            log_module: None,
            log_level: Level::TRACE,
            transport: Transport::Auto,
        }
    }
}

/// Runs a plugin process to completion and returns its exit code.
pub(crate) fn serve_process(
    opts: ServeOptions,
    routes: impl FnOnce(&ShutdownSignal) -> Result<RoutesBuilder, ServeError>,
) -> ExitCode {
    // `<binary> yurt-supervise <state dir>`: this binary re-executed by the supervision layer
    // (crate::supervise::start) as a task's supervisor. Before anything else: no handshake,
    // no logging setup, no runtime.
    if let Some(code) = yurt_supervise::supervisor_main() {
        return code;
    }
    let env = match handshake::read_env(|k| std::env::var(k).ok(), &[APP_PROTOCOL_VERSION]) {
        Ok(env) => env,
        Err(e) => {
            // Before anything else, and never on stdout.
            let _ = writeln!(io::stderr(), "{e}");
            return ExitCode::from(1);
        }
    };
    let module = opts.log_module.clone().unwrap_or_else(|| {
        std::env::args_os()
            .next()
            .and_then(|a| {
                std::path::Path::new(&a)
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
            })
            .unwrap_or_else(|| "plugin".into())
    });
    let subscriber =
        tracing_subscriber::registry().with(HclogLayer::stderr(module, opts.log_level));
    let _ = tracing::subscriber::set_global_default(subscriber);
    for w in &env.warnings {
        tracing::warn!("{w}");
    }
    // Before any plugin code run by serving (schema checks, services): a stray print can no
    // longer precede the handshake line; it goes to stderr after a warning.
    let mut handshake_out = match stdoutguard::install() {
        Ok(f) => f,
        Err(e) => {
            tracing::error!(error = %e, "cannot guard stdout for the handshake");
            return ExitCode::from(1);
        }
    };
    let transport = match std::env::var("YURT_PLUGIN_TRANSPORT").as_deref() {
        Ok("unix") => Transport::Unix,
        Ok("tcp") => Transport::Tcp,
        _ => opts.transport,
    };

    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            tracing::error!(error = %e, "cannot start the async runtime");
            return ExitCode::from(1);
        }
    };
    let result = runtime.block_on(async move {
        goplugin::ignore_sigint();
        let shutdown = ShutdownSignal::new();
        let routes = routes(&shutdown)?;
        let (chunks, _) = broadcast::channel(256);
        let capture = chunks.clone();
        let rt = Runtime {
            env,
            transport,
            stdout_chunks: Some(chunks),
        };
        goplugin::run(rt, routes, shutdown, move |line| {
            // Buffered stray text goes to the guard (stderr), not after the handshake line.
            let _ = io::stdout().flush();
            write_handshake_line(&mut handshake_out, line)?;
            // Kept open (never closed) so the host does not see EOF on stdout.
            std::mem::forget(handshake_out);
            if let Err(e) = goplugin::capture_stdout(capture) {
                tracing::warn!(error = %e, "cannot capture stdout; stray prints reach the host");
            }
            Ok(())
        })
        .await
    });
    runtime.shutdown_timeout(Duration::from_millis(200));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!(error = %e, "plugin stopped");
            let _ = writeln!(io::stderr(), "plugin error: {e}");
            ExitCode::from(1)
        }
    }
}

/// Writes the handshake line and its newline in one `write` (the line is far below `PIPE_BUF`,
/// so the host reads it whole). `writeln!` on an unbuffered file writes each formatted piece
/// on its own: eleven system calls, each a wake-up of the host's reader, at every start.
fn write_handshake_line(
    out: &mut impl Write,
    line: &goplugin::handshake::HandshakeLine,
) -> io::Result<()> {
    out.write_all(format!("{line}\n").as_bytes())?;
    out.flush()
}

#[cfg(test)]
mod handshake_write_tests {
    use super::*;
    use crate::goplugin::handshake::{Address, HandshakeLine};

    /// Counts the `write` calls made on it.
    #[derive(Default)]
    struct Writes(Vec<Vec<u8>>);

    impl Write for Writes {
        fn write(&mut self, b: &[u8]) -> io::Result<usize> {
            self.0.push(b.to_vec());
            Ok(b.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn the_handshake_line_is_one_write() {
        let line = HandshakeLine {
            core_version: 1,
            app_version: 2,
            address: Address::Unix("/tmp/plugin123".into()),
            cert_der: Some(vec![7; 300]),
        };
        let mut w = Writes::default();
        write_handshake_line(&mut w, &line).unwrap();
        assert_eq!(w.0.len(), 1, "writes: {:?}", w.0);
        assert_eq!(w.0[0], format!("{line}\n").into_bytes());
        assert!(w.0[0].starts_with(b"1|2|unix|/tmp/plugin123|grpc|"));
    }
}
