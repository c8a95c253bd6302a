//! The go-plugin server runtime: listener, optional AutoMTLS, the handshake line, and go-plugin's
//! own services (health, `GRPCController`, `GRPCStdio`, `GRPCBroker`) next to the plugin's.
//!
//! Order matters and follows go-plugin: the listener is bound before the handshake line is
//! printed (a lazy host dial would otherwise race), the line is the first and only thing written
//! to the real stdout, and afterwards fd 1 is pointed at a pipe whose contents are forwarded over
//! `GRPCStdio`, so a stray `println!` can neither corrupt the handshake nor die of EPIPE.

use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, UnixListener};
use tokio::sync::{broadcast, mpsc, watch};
use tokio_stream::wrappers::ReceiverStream;
use tokio_stream::{Stream, StreamExt};
use tonic::service::RoutesBuilder;
use tonic::{Request, Response, Status, Streaming};

pub(crate) mod handshake;
pub(crate) mod hclog;
pub(crate) mod mtls;

#[cfg(test)]
mod hclog_vectors;

use crate::r#gen::plugin as pb;
use handshake::{Address, CORE_PROTOCOL_VERSION, HandshakeEnv, HandshakeLine};

/// The largest message accepted or sent; go-plugin's host allows `MaxInt32`.
pub(crate) const MAX_MESSAGE: usize = i32::MAX as usize;

/// How the plugin listens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Transport {
    /// A unix socket, falling back to TCP on 127.0.0.1 if the socket cannot be created.
    #[default]
    Auto,
    /// Only a unix socket.
    Unix,
    /// Only TCP on 127.0.0.1 within `PLUGIN_MIN_PORT..=PLUGIN_MAX_PORT`.
    Tcp,
}

/// A bound listener and the address the handshake announces.
pub(crate) enum Bound {
    Unix(UnixListener, PathBuf),
    Tcp(TcpListener),
}

impl Bound {
    pub(crate) fn address(&self) -> io::Result<Address> {
        Ok(match self {
            Bound::Unix(_, p) => Address::Unix(p.clone()),
            Bound::Tcp(l) => Address::Tcp(l.local_addr()?),
        })
    }
}

/// Binds the listener the host asked for.
pub(crate) fn bind(env: &HandshakeEnv, transport: Transport) -> io::Result<Bound> {
    match transport {
        Transport::Unix => bind_unix(env),
        Transport::Tcp => bind_tcp(env.min_port, env.max_port),
        Transport::Auto => match bind_unix(env) {
            Ok(b) => Ok(b),
            Err(e) => {
                tracing::warn!(error = %e, "unix socket unavailable, falling back to TCP");
                bind_tcp(env.min_port, env.max_port)
            }
        },
    }
}

fn bind_unix(env: &HandshakeEnv) -> io::Result<Bound> {
    let dir = match &env.unix_socket_dir {
        Some(d) => std::path::absolute(d)?,
        None => std::path::absolute(std::env::temp_dir())?,
    };
    let mut last_err = None;
    for _ in 0..16 {
        let path = dir.join(format!("plugin{}", random_u64() % 10_000_000_000));
        match UnixListener::bind(&path) {
            Ok(l) => {
                if let Some(group) = &env.unix_socket_group
                    && let Err(e) = set_group(&path, group)
                {
                    let _ = std::fs::remove_file(&path);
                    return Err(e);
                }
                return Ok(Bound::Unix(l, path));
            }
            Err(e) if e.kind() == io::ErrorKind::AddrInUse => last_err = Some(e),
            Err(e) => {
                return Err(io::Error::new(
                    e.kind(),
                    format!("binding unix socket {}: {e}", path.display()),
                ));
            }
        }
    }
    Err(last_err.unwrap_or_else(|| io::Error::other("no free socket name")))
}

fn bind_tcp(min: u16, max: u16) -> io::Result<Bound> {
    if min == 0 && max == 0 {
        let l = std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
        l.set_nonblocking(true)?;
        return Ok(Bound::Tcp(TcpListener::from_std(l)?));
    }
    for port in min..=max {
        if let Ok(l) = std::net::TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, port))) {
            l.set_nonblocking(true)?;
            return Ok(Bound::Tcp(TcpListener::from_std(l)?));
        }
    }
    Err(io::Error::new(
        io::ErrorKind::AddrInUse,
        format!("couldn't bind plugin TCP listener on 127.0.0.1 ports {min}..={max}"),
    ))
}

fn random_u64() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u32(std::process::id());
    h.finish()
}

/// Gives the socket to `group` (a name or a numeric id) with mode 0660, as go-plugin does.
fn set_group(path: &Path, group: &str) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let gid = match group.parse::<u32>() {
        Ok(g) => g,
        Err(_) => lookup_group(group)?,
    };
    std::os::unix::fs::chown(path, None, Some(gid)).map_err(|e| {
        io::Error::new(
            e.kind(),
            format!(
                "PLUGIN_UNIX_SOCKET_GROUP: chown {} to gid {gid}: {e}",
                path.display()
            ),
        )
    })?;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o660))
}

fn lookup_group(name: &str) -> io::Result<u32> {
    let cname = std::ffi::CString::new(name).map_err(|_| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("PLUGIN_UNIX_SOCKET_GROUP: expected a group name or id, got {name:?}"),
        )
    })?;
    let mut buf = vec![0u8; 16 * 1024];
    // SAFETY: getgrnam_r writes only into `grp` and `buf`, whose sizes we pass; `result` points
    // at `grp` or is null.
    unsafe {
        let mut grp: libc::group = std::mem::zeroed();
        let mut result: *mut libc::group = std::ptr::null_mut();
        let rc = libc::getgrnam_r(
            cname.as_ptr(),
            &mut grp,
            buf.as_mut_ptr().cast(),
            buf.len(),
            &mut result,
        );
        if rc != 0 || result.is_null() {
            return Err(io::Error::new(
                io::ErrorKind::NotFound,
                format!("PLUGIN_UNIX_SOCKET_GROUP: no group named {name:?}"),
            ));
        }
        Ok(grp.gr_gid)
    }
}

/// Any byte stream tonic can serve on.
trait Io: AsyncRead + AsyncWrite + Send + Unpin + 'static {}
impl<T: AsyncRead + AsyncWrite + Send + Unpin + 'static> Io for T {}

/// One accepted connection, plain or TLS, unix or TCP.
pub(crate) struct Conn(Box<dyn Io>);

impl AsyncRead for Conn {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut *self.0).poll_read(cx, buf)
    }
}

impl AsyncWrite for Conn {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut *self.0).poll_write(cx, buf)
    }
    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut *self.0).poll_flush(cx)
    }
    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut *self.0).poll_shutdown(cx)
    }
    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut *self.0).poll_write_vectored(cx, bufs)
    }
    fn is_write_vectored(&self) -> bool {
        self.0.is_write_vectored()
    }
}

impl tonic::transport::server::Connected for Conn {
    type ConnectInfo = ();
    fn connect_info(&self) -> Self::ConnectInfo {}
}

/// Accepts connections forever, doing TLS handshakes off the accept loop so one slow client
/// cannot stall the others.
pub(crate) fn incoming(
    bound: Bound,
    tls: Option<tokio_rustls::TlsAcceptor>,
) -> ReceiverStream<io::Result<Conn>> {
    let (tx, rx) = mpsc::channel(16);
    tokio::spawn(async move {
        loop {
            let accepted: io::Result<Box<dyn Io>> = match &bound {
                Bound::Unix(l, _) => l.accept().await.map(|(s, _)| Box::new(s) as Box<dyn Io>),
                Bound::Tcp(l) => l.accept().await.map(|(s, _)| {
                    let _ = s.set_nodelay(true);
                    Box::new(s) as Box<dyn Io>
                }),
            };
            let stream = match accepted {
                Ok(s) => s,
                Err(e) => {
                    tracing::warn!(error = %e, "accepting a connection failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            };
            let tx = tx.clone();
            match &tls {
                None => {
                    if tx.send(Ok(Conn(stream))).await.is_err() {
                        return;
                    }
                }
                Some(acceptor) => {
                    let acceptor = acceptor.clone();
                    tokio::spawn(async move {
                        let hs =
                            tokio::time::timeout(Duration::from_secs(10), acceptor.accept(stream))
                                .await;
                        match hs {
                            Ok(Ok(s)) => {
                                let _ = tx.send(Ok(Conn(Box::new(s)))).await;
                            }
                            Ok(Err(e)) => tracing::warn!(error = %e, "TLS handshake failed"),
                            Err(_) => tracing::warn!("TLS handshake timed out"),
                        }
                    });
                }
            }
        }
    });
    ReceiverStream::new(rx)
}

/// Shared shutdown signal: `true` once `GRPCController/Shutdown` (or the plugin) asked to stop.
#[derive(Clone)]
pub(crate) struct ShutdownSignal {
    tx: Arc<watch::Sender<bool>>,
}

impl ShutdownSignal {
    pub(crate) fn new() -> Self {
        ShutdownSignal {
            tx: Arc::new(watch::channel(false).0),
        }
    }
    pub(crate) fn trigger(&self) {
        self.tx.send_replace(true);
    }
    pub(crate) async fn wait(&self) {
        let mut rx = self.tx.subscribe();
        let _ = rx.wait_for(|v| *v).await;
    }
}

struct Controller {
    shutdown: ShutdownSignal,
}

#[tonic::async_trait]
impl pb::grpc_controller_server::GrpcController for Controller {
    async fn shutdown(&self, _req: Request<pb::Empty>) -> Result<Response<pb::Empty>, Status> {
        tracing::debug!("shutdown requested by the host");
        self.shutdown.trigger();
        Ok(Response::new(pb::Empty {}))
    }
}

pub(crate) type BoxStream<T> = Pin<Box<dyn Stream<Item = Result<T, Status>> + Send + 'static>>;

/// Ends `stream` when the plugin shuts down, so held streams do not delay exit.
pub(crate) fn until_shutdown<T: Send + 'static>(
    stream: impl Stream<Item = Result<T, Status>> + Send + 'static,
    shutdown: ShutdownSignal,
) -> BoxStream<T> {
    Box::pin(UntilShutdown {
        stream: Box::pin(stream),
        stop: Box::pin(async move { shutdown.wait().await }),
    })
}

struct UntilShutdown<T> {
    stream: BoxStream<T>,
    stop: Pin<Box<dyn Future<Output = ()> + Send>>,
}

impl<T> Stream for UntilShutdown<T> {
    type Item = Result<T, Status>;
    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.stop.as_mut().poll(cx).is_ready() {
            return Poll::Ready(None);
        }
        self.stream.as_mut().poll_next(cx)
    }
}

struct Stdio {
    chunks: Option<broadcast::Sender<pb::StdioData>>,
    shutdown: ShutdownSignal,
}

#[tonic::async_trait]
impl pb::grpc_stdio_server::GrpcStdio for Stdio {
    type StreamStdioStream = BoxStream<pb::StdioData>;

    async fn stream_stdio(
        &self,
        _req: Request<()>,
    ) -> Result<Response<Self::StreamStdioStream>, Status> {
        let stream: BoxStream<pb::StdioData> = match &self.chunks {
            Some(tx) => {
                let rx = tokio_stream::wrappers::BroadcastStream::new(tx.subscribe());
                Box::pin(rx.filter_map(|r| r.ok().map(Ok)))
            }
            None => Box::pin(tokio_stream::pending()),
        };
        Ok(Response::new(until_shutdown(stream, self.shutdown.clone())))
    }
}

struct Broker {
    shutdown: ShutdownSignal,
}

#[tonic::async_trait]
impl pb::grpc_broker_server::GrpcBroker for Broker {
    type StartStreamStream = BoxStream<pb::ConnInfo>;

    async fn start_stream(
        &self,
        req: Request<Streaming<pb::ConnInfo>>,
    ) -> Result<Response<Self::StartStreamStream>, Status> {
        // The Nomad host never brokers connections; keep the stream open and note what arrives.
        let mut inbound = req.into_inner();
        tokio::spawn(async move {
            while let Some(Ok(info)) = inbound.next().await {
                tracing::debug!(
                    service_id = info.service_id,
                    network = %info.network,
                    address = %info.address,
                    "broker: host announced a connection; brokered services are not supported"
                );
            }
        });
        Ok(Response::new(until_shutdown(
            tokio_stream::pending(),
            self.shutdown.clone(),
        )))
    }
}

/// Points fd 1 at a pipe and forwards what is written there as `StdioData` chunks of at most
/// 1 KiB. The real stdout stays open (the stdout guard's duplicate, close-on-exec, never
/// closed) so the host does not see EOF, exactly like a Go plugin that swapped `os.Stdout`.
pub(crate) fn capture_stdout(tx: broadcast::Sender<pb::StdioData>) -> io::Result<()> {
    use std::io::Read;
    use std::os::fd::FromRawFd;
    let mut fds = [0i32; 2];
    // SAFETY: plain libc calls on descriptors we own; results are checked.
    unsafe {
        if libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) != 0 {
            return Err(io::Error::last_os_error());
        }
        if libc::dup2(fds[1], 1) < 0 {
            return Err(io::Error::last_os_error());
        }
        libc::close(fds[1]);
    }
    // SAFETY: fds[0] is a fresh descriptor owned by nothing else.
    let mut reader = unsafe { std::fs::File::from_raw_fd(fds[0]) };
    let sender = tx;
    std::thread::Builder::new()
        .name("yurt-stdout".into())
        .spawn(move || {
            let mut buf = [0u8; 1024];
            loop {
                match reader.read(&mut buf) {
                    Ok(0) => return,
                    Ok(n) => {
                        let _ = sender.send(pb::StdioData {
                            channel: pb::stdio_data::Channel::Stdout as i32,
                            data: buf[..n].to_vec(),
                        });
                    }
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(_) => return,
                }
            }
        })?;
    Ok(())
}

/// Everything needed to run one plugin server.
pub(crate) struct Runtime {
    pub(crate) env: HandshakeEnv,
    pub(crate) transport: Transport,
    pub(crate) stdout_chunks: Option<broadcast::Sender<pb::StdioData>>,
}

/// Serves until shutdown. `print_line` receives the handshake line once the listener is bound
/// and TLS is ready; the real entry point writes it to stdout, tests capture it.
pub(crate) async fn run(
    rt: Runtime,
    routes: RoutesBuilder,
    shutdown: ShutdownSignal,
    print_line: impl FnOnce(&HandshakeLine) -> io::Result<()>,
) -> Result<(), crate::ServeError> {
    let bound = bind(&rt.env, rt.transport).map_err(crate::ServeError::Listen)?;
    let address = bound.address().map_err(crate::ServeError::Listen)?;
    let socket_path = match &address {
        Address::Unix(p) => Some(p.clone()),
        Address::Tcp(_) => None,
    };
    let _cleanup = RemoveOnDrop(socket_path);

    let (tls, cert_der) = match &rt.env.client_cert_pem {
        Some(pem) => {
            let id = mtls::generate_identity()?;
            let cfg = mtls::server_config(&id, pem)?;
            (
                Some(tokio_rustls::TlsAcceptor::from(Arc::new(cfg))),
                Some(id.cert_der.to_vec()),
            )
        }
        None => (None, None),
    };

    let (health_reporter, health) = tonic_health::server::health_reporter();
    health_reporter
        .set_service_status("plugin", tonic_health::ServingStatus::Serving)
        .await;

    let mut routes = routes;
    routes
        .add_service(health)
        .add_service(pb::grpc_controller_server::GrpcControllerServer::new(
            Controller {
                shutdown: shutdown.clone(),
            },
        ))
        .add_service(
            pb::grpc_stdio_server::GrpcStdioServer::new(Stdio {
                chunks: rt.stdout_chunks.clone(),
                shutdown: shutdown.clone(),
            })
            .max_encoding_message_size(MAX_MESSAGE),
        )
        .add_service(pb::grpc_broker_server::GrpcBrokerServer::new(Broker {
            shutdown: shutdown.clone(),
        }));

    let line = HandshakeLine {
        core_version: CORE_PROTOCOL_VERSION,
        app_version: rt.env.app_version,
        address: address.clone(),
        cert_der,
    };
    let incoming = incoming(bound, tls);
    let server_shutdown = shutdown.clone();
    let server = tonic::transport::Server::builder()
        .add_routes(routes.routes())
        .serve_with_incoming_shutdown(incoming, async move { server_shutdown.wait().await });
    let mut server = std::pin::pin!(server);

    print_line(&line).map_err(crate::ServeError::HandshakeWrite)?;
    tracing::debug!(address = ?address, tls = line.cert_der.is_some(), "plugin serving");

    tokio::select! {
        res = &mut server => res.map_err(|e| crate::ServeError::Serve(e.to_string())),
        () = shutdown.wait() => {
            // Give in-flight unary calls (the Shutdown reply itself) a moment; long-lived
            // streams the host holds open must not keep the process alive.
            let _ = tokio::time::timeout(Duration::from_millis(300), &mut server).await;
            Ok(())
        }
    }
}

struct RemoveOnDrop(Option<PathBuf>);

impl Drop for RemoveOnDrop {
    fn drop(&mut self) {
        if let Some(p) = &self.0 {
            let _ = std::fs::remove_file(p);
        }
    }
}

/// Logs SIGINT instead of dying: the host sequences shutdown (go-plugin ignores it too). A handler
/// (not SIG_IGN) is used so that processes the plugin spawns still get the default disposition.
pub(crate) fn ignore_sigint() {
    match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt()) {
        Ok(mut sig) => {
            tokio::spawn(async move {
                while sig.recv().await.is_some() {
                    tracing::trace!("plugin received interrupt signal, ignoring");
                }
            });
        }
        Err(e) => tracing::warn!(error = %e, "cannot install a SIGINT handler"),
    }
}
