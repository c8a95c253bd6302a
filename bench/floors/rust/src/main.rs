//! floor-rust: the Rust latency floor for the benchmarks.
//!
//! A Nomad plugin on bare tonic with no Yurt SDK in between: it checks the go-plugin cookie and
//! protocol version, binds a unix socket in `PLUGIN_UNIX_SOCKET_DIR`, prints the handshake line,
//! and serves health `"plugin"`, `GRPCController.Shutdown` and BasePlugin (PluginInfo,
//! ConfigSchema, SetConfig). It reports itself as a device, like the Rust SDK example it is
//! compared with, but serves no DevicePlugin calls: only cold start, PluginInfo latency and
//! idle memory are compared with it. The protobuf
//! types are the SDK's generated files, included by path, so both sides encode the same code;
//! the SDK crate itself is not linked.
//!
//! AutoMTLS: with `PLUGIN_CLIENT_CERT` set it does what any go-plugin server must (and the SDK
//! does): generate a self-signed P-256 certificate, require the host's certificate, serve TLS
//! and put its certificate in the handshake line. The certificate and rustls configuration
//! come from the SDK's `mtls.rs`, included by path like the protobuf types, so that both sides
//! do the same cryptography; the TLS handshake runs per accepted connection, off the accept loop.

use std::io::Write;
use std::pin::Pin;
use std::task::{Context, Poll};

use base64::Engine;
use base64::engine::general_purpose::STANDARD_NO_PAD;
use std::process::ExitCode;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

use tokio::sync::Notify;
use tonic::{Request, Response, Status};

#[path = "../../../../sdk-rust/yurt/src/goplugin/mtls.rs"]
#[allow(dead_code)]
mod mtls;

#[path = "../../../../sdk-rust/yurt/src/gen/mod.rs"]
#[allow(unused_imports)]
mod pb;

use pb::base;
use pb::hclspec;
use pb::plugin as gp;

// The handshake values generated from spec/handshake.json (the floor uses no SDK, only this file).
#[allow(dead_code)]
mod constants {
    include!("../../../../sdk-rust/yurt/src/constants.rs");
}
use constants::{MAGIC_COOKIE_KEY as COOKIE_KEY, MAGIC_COOKIE_VALUE as COOKIE};

struct Base;

#[tonic::async_trait]
impl base::base_plugin_server::BasePlugin for Base {
    async fn plugin_info(
        &self,
        _: Request<base::PluginInfoRequest>,
    ) -> Result<Response<base::PluginInfoResponse>, Status> {
        Ok(Response::new(base::PluginInfoResponse {
            r#type: base::PluginType::Device as i32,
            plugin_api_versions: vec!["v0.1.0".into()],
            plugin_version: "0.1.0".into(),
            name: "floor-rust".into(),
        }))
    }

    async fn config_schema(
        &self,
        _: Request<base::ConfigSchemaRequest>,
    ) -> Result<Response<base::ConfigSchemaResponse>, Status> {
        Ok(Response::new(base::ConfigSchemaResponse {
            spec: Some(hclspec::Spec {
                block: Some(hclspec::spec::Block::Object(hclspec::Object::default())),
            }),
        }))
    }

    async fn set_config(
        &self,
        _: Request<base::SetConfigRequest>,
    ) -> Result<Response<base::SetConfigResponse>, Status> {
        Ok(Response::new(base::SetConfigResponse::default()))
    }
}

struct Controller(std::sync::Arc<Notify>);

#[tonic::async_trait]
impl gp::grpc_controller_server::GrpcController for Controller {
    async fn shutdown(&self, _: Request<gp::Empty>) -> Result<Response<gp::Empty>, Status> {
        self.0.notify_one();
        Ok(Response::new(gp::Empty {}))
    }
}

fn main() -> ExitCode {
    if std::env::var(COOKIE_KEY).ok().as_deref() != Some(COOKIE) {
        eprintln!("This binary is a plugin. It is run by a Nomad-compatible host.");
        return ExitCode::FAILURE;
    }
    let versions = std::env::var("PLUGIN_PROTOCOL_VERSIONS").unwrap_or_else(|_| "2".into());
    if !versions.split(',').any(|v| v.trim() == "2") {
        eprintln!("floor-rust serves protocol 2 only");
        return ExitCode::FAILURE;
    }
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match rt.block_on(serve()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("floor-rust: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn serve() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::var_os("PLUGIN_UNIX_SOCKET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(std::env::temp_dir);
    let path = dir.join(format!("floor-rust-{}.sock", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let listener = tokio::net::UnixListener::bind(&path)?;

    let (reporter, health) = tonic_health::server::health_reporter();
    reporter
        .set_service_status("plugin", tonic_health::ServingStatus::Serving)
        .await;
    let stop = std::sync::Arc::new(Notify::new());
    let router = tonic::transport::Server::builder()
        .add_service(health)
        .add_service(gp::grpc_controller_server::GrpcControllerServer::new(
            Controller(stop.clone()),
        ))
        .add_service(base::base_plugin_server::BasePluginServer::new(Base));
    let client_cert = std::env::var("PLUGIN_CLIENT_CERT")
        .ok()
        .filter(|v| !v.is_empty());
    let (server, cert_field) = match client_cert {
        None => {
            let incoming = tokio_stream::wrappers::UnixListenerStream::new(listener);
            let server =
                router.serve_with_incoming_shutdown(incoming, async move { stop.notified().await });
            (futures_boxed(server), String::new())
        }
        Some(pem) => {
            let id = mtls::generate_identity()?;
            let acceptor = tokio_rustls::TlsAcceptor::from(std::sync::Arc::new(
                mtls::server_config(&id, &pem)?,
            ));
            let cert_field = STANDARD_NO_PAD.encode(id.cert_der.as_ref());
            let (tx, rx) = tokio::sync::mpsc::channel(16);
            tokio::spawn(async move {
                while let Ok((stream, _)) = listener.accept().await {
                    let (acceptor, tx) = (acceptor.clone(), tx.clone());
                    tokio::spawn(async move {
                        if let Ok(tls) = acceptor.accept(stream).await {
                            let _ = tx.send(Ok::<_, std::io::Error>(TlsConn(tls))).await;
                        }
                    });
                }
            });
            let incoming = tokio_stream::wrappers::ReceiverStream::new(rx);
            let server =
                router.serve_with_incoming_shutdown(incoming, async move { stop.notified().await });
            (futures_boxed(server), cert_field)
        }
    };

    let mut out = std::io::stdout().lock();
    writeln!(out, "1|2|unix|{}|grpc|{cert_field}", path.display())?;
    out.flush()?;
    drop(out);
    server.await?;
    let _ = std::fs::remove_file(&path);
    Ok(())
}

type ServeFuture =
    std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), tonic::transport::Error>>>>;

fn futures_boxed(
    f: impl std::future::Future<Output = Result<(), tonic::transport::Error>> + 'static,
) -> ServeFuture {
    Box::pin(f)
}

/// A TLS connection tonic can serve.
struct TlsConn(tokio_rustls::server::TlsStream<tokio::net::UnixStream>);

impl tonic::transport::server::Connected for TlsConn {
    type ConnectInfo = ();
    fn connect_info(&self) -> Self::ConnectInfo {}
}

impl AsyncRead for TlsConn {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.0).poll_read(cx, buf)
    }
}

impl AsyncWrite for TlsConn {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.0).poll_write(cx, buf)
    }
    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.0).poll_flush(cx)
    }
    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.0).poll_shutdown(cx)
    }
}
