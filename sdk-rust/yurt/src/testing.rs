//! Helpers for testing a plugin binary the way a go-plugin host drives it: launch it with the
//! host's environment, read the handshake line, dial it (optionally with AutoMTLS), call a few
//! host-side RPCs, and shut it down.
//!
//! [`launch`] is the way to run a plugin binary in a test: it sets go-plugin's environment
//! (with a private `PLUGIN_UNIX_SOCKET_DIR`), parses the handshake line into a [`HandshakeLine`],
//! does the host's half of AutoMTLS, dials, drains stdout and stderr, and cleans up. The
//! handshake parser is public for tests that need the line itself (`"1|2|unix|/path|grpc|"`
//! `.parse::<HandshakeLine>()`); the rest of the go-plugin runtime is private to the crate.

use std::sync::Arc;

use crate::r#gen::{base as bpb, device as dpb, plugin as gpb};
pub use crate::goplugin::handshake::{Address, HandshakeLine, ParseLineError};

mod launch;
mod pipes;
pub use launch::{LaunchError, LaunchOptions, Launched, launch};
// The types in this module's signatures, so a plugin's tests need neither tonic nor rustls in
// their own dependencies.
pub use rustls::ClientConfig as TlsClientConfig;
pub use tonic::Status;
pub use tonic::transport::Channel;

trait Io: tokio::io::AsyncRead + tokio::io::AsyncWrite + Send + Unpin + 'static {}
impl<T: tokio::io::AsyncRead + tokio::io::AsyncWrite + Send + Unpin + 'static> Io for T {}

/// Dials the address in `line`, over TLS when `tls` is given ([`launch`] builds go-plugin's
/// AutoMTLS client configuration itself; most tests want it instead).
/// The `:authority` is `localhost`, which tonic servers need on unix sockets.
pub async fn connect(
    line: &HandshakeLine,
    tls: Option<rustls::ClientConfig>,
) -> Result<Channel, tonic::transport::Error> {
    let address = line.address.clone();
    let tls = tls.map(|c| tokio_rustls::TlsConnector::from(Arc::new(c)));
    tonic::transport::Endpoint::from_static("http://localhost")
        .connect_with_connector(tower::service_fn(move |_| {
            let address = address.clone();
            let tls = tls.clone();
            async move {
                let io: Box<dyn Io> = match &address {
                    Address::Unix(p) => Box::new(tokio::net::UnixStream::connect(p).await?),
                    Address::Tcp(a) => Box::new(tokio::net::TcpStream::connect(a).await?),
                };
                let io: Box<dyn Io> = match tls {
                    None => io,
                    Some(c) => {
                        let name = rustls::pki_types::ServerName::try_from("localhost")
                            .map_err(std::io::Error::other)?;
                        Box::new(c.connect(name, io).await?)
                    }
                };
                Ok::<_, std::io::Error>(hyper_util::rt::TokioIo::new(io))
            }
        }))
        .await
}

/// `grpc.health.v1.Health/Check` for service `"plugin"`; true when SERVING.
pub async fn health(ch: Channel) -> Result<bool, tonic::Status> {
    let mut h = tonic_health::pb::health_client::HealthClient::new(ch);
    let r = h
        .check(tonic_health::pb::HealthCheckRequest {
            service: "plugin".into(),
        })
        .await?
        .into_inner();
    Ok(r.status == tonic_health::pb::health_check_response::ServingStatus::Serving as i32)
}

/// `plugin.GRPCController/Shutdown`.
pub async fn shutdown(ch: Channel) -> Result<(), tonic::Status> {
    gpb::grpc_controller_client::GrpcControllerClient::new(ch)
        .shutdown(gpb::Empty {})
        .await
        .map(|_| ())
}

/// What `BasePlugin/PluginInfo` answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InfoReply {
    /// `"driver"`, `"device"` or `"unknown"`.
    pub kind: &'static str,
    /// Name.
    pub name: String,
    /// Version.
    pub version: String,
    /// API versions.
    pub api_versions: Vec<String>,
}

/// `BasePlugin/PluginInfo`.
pub async fn plugin_info(ch: Channel) -> Result<InfoReply, tonic::Status> {
    let r = bpb::base_plugin_client::BasePluginClient::new(ch)
        .plugin_info(bpb::PluginInfoRequest {})
        .await?
        .into_inner();
    Ok(InfoReply {
        kind: match bpb::PluginType::try_from(r.r#type) {
            Ok(bpb::PluginType::Driver) => "driver",
            Ok(bpb::PluginType::Device) => "device",
            _ => "unknown",
        },
        name: r.name,
        version: r.plugin_version,
        api_versions: r.plugin_api_versions,
    })
}

/// `BasePlugin/SetConfig` with msgpack bytes.
pub async fn set_config(ch: Channel, msgpack: Vec<u8>) -> Result<(), tonic::Status> {
    bpb::base_plugin_client::BasePluginClient::new(ch)
        .set_config(bpb::SetConfigRequest {
            msgpack_config: msgpack,
            plugin_api_version: crate::base::API_VERSION.into(),
            nomad_config: None,
        })
        .await
        .map(|_| ())
}

/// The first device fingerprint: device ids by group name.
pub async fn device_fingerprint(ch: Channel) -> Result<Vec<(String, Vec<String>)>, tonic::Status> {
    let mut s = dpb::device_plugin_client::DevicePluginClient::new(ch)
        .fingerprint(dpb::FingerprintRequest {})
        .await?
        .into_inner();
    let first = s
        .message()
        .await?
        .ok_or_else(|| tonic::Status::unknown("fingerprint stream ended without a message"))?;
    Ok(first
        .device_group
        .into_iter()
        .map(|g| (g.device_name, g.devices.into_iter().map(|d| d.id).collect()))
        .collect())
}

/// `DevicePlugin/Reserve`: the environment of the reservation.
pub async fn device_reserve(
    ch: Channel,
    ids: Vec<String>,
) -> Result<std::collections::BTreeMap<String, String>, tonic::Status> {
    let r = dpb::device_plugin_client::DevicePluginClient::new(ch)
        .reserve(dpb::ReserveRequest { device_ids: ids })
        .await?
        .into_inner();
    Ok(r.container_res
        .map(|c| c.envs.into_iter().collect())
        .unwrap_or_default())
}

/// A host-side Driver client speaking the SDK's typed values, for tests that drive a plugin
/// binary over its socket (start, recover, wait, stop, exec) as Nomad's client does.
#[derive(Debug, Clone)]
pub struct DriverClient {
    inner: crate::r#gen::drivers::driver_client::DriverClient<Channel>,
}

/// What `InspectTask` answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inspected {
    /// State.
    pub state: crate::driver::TaskState,
    /// Exit result, once exited.
    pub exit: Option<crate::driver::ExitResult>,
    /// Driver attributes.
    pub attributes: std::collections::BTreeMap<String, String>,
}

/// Output and result of an `ExecTaskStreaming` session.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ExecTranscript {
    /// Everything received as stdout.
    pub stdout: Vec<u8>,
    /// Everything received as stderr.
    pub stderr: Vec<u8>,
    /// The final result.
    pub exit: crate::driver::ExitResult,
}

fn exit_from_proto(r: Option<crate::r#gen::drivers::ExitResult>) -> crate::driver::ExitResult {
    let r = r.unwrap_or_default();
    crate::driver::ExitResult {
        exit_code: r.exit_code,
        signal: r.signal,
        oom_killed: r.oom_killed,
    }
}

fn proto_duration(d: std::time::Duration) -> prost_types::Duration {
    prost_types::Duration {
        seconds: i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
        nanos: i32::try_from(d.subsec_nanos()).unwrap_or(0),
    }
}

impl DriverClient {
    /// A client on a connected channel (see [`connect`]).
    pub fn new(ch: Channel) -> Self {
        DriverClient {
            inner: crate::r#gen::drivers::driver_client::DriverClient::new(ch),
        }
    }

    /// `StartTask`: the handle the driver returned.
    pub async fn start_task(
        &mut self,
        config: &crate::driver::TaskConfig,
    ) -> Result<crate::driver::TaskHandle, tonic::Status> {
        let r = self
            .inner
            .start_task(crate::r#gen::drivers::StartTaskRequest {
                task: Some(config.to_proto()),
            })
            .await?
            .into_inner();
        let h = r
            .handle
            .ok_or_else(|| tonic::Status::unknown("StartTask answered without a handle"))?;
        Ok(crate::driver::TaskHandle::from_proto(h))
    }

    /// `RecoverTask` with this handle, as Nomad sends it: `task_id` empty, the id only in
    /// `handle.config.id` (hashicorp/nomad v2.0.5 `plugins/drivers/client.go`).
    pub async fn recover_task(
        &mut self,
        handle: &crate::driver::TaskHandle,
    ) -> Result<(), tonic::Status> {
        self.inner
            .recover_task(crate::r#gen::drivers::RecoverTaskRequest {
                task_id: String::new(),
                handle: Some(handle.to_proto()),
            })
            .await
            .map(|_| ())
    }

    /// `WaitTask`; a driver-side `err` string becomes an Unknown status.
    pub async fn wait_task(
        &mut self,
        task_id: &str,
    ) -> Result<crate::driver::ExitResult, tonic::Status> {
        let r = self
            .inner
            .wait_task(crate::r#gen::drivers::WaitTaskRequest {
                task_id: task_id.into(),
            })
            .await?
            .into_inner();
        if !r.err.is_empty() {
            return Err(tonic::Status::unknown(r.err));
        }
        Ok(exit_from_proto(r.result))
    }

    /// `InspectTask`.
    pub async fn inspect_task(&mut self, task_id: &str) -> Result<Inspected, tonic::Status> {
        let r = self
            .inner
            .inspect_task(crate::r#gen::drivers::InspectTaskRequest {
                task_id: task_id.into(),
            })
            .await?
            .into_inner();
        let t = r.task.unwrap_or_default();
        let state = crate::driver::TaskState::from_proto(t.state);
        // A task that has not exited carries an empty result on the wire (Nomad's client reads
        // it in every state); here it has none.
        let result = t
            .result
            .filter(|r| state == crate::driver::TaskState::Exited || *r != Default::default());
        Ok(Inspected {
            state,
            exit: result.map(|r| exit_from_proto(Some(r))),
            attributes: r
                .driver
                .map(|d| d.attributes.into_iter().collect())
                .unwrap_or_default(),
        })
    }

    /// `StopTask`.
    pub async fn stop_task(
        &mut self,
        task_id: &str,
        timeout: std::time::Duration,
        signal: &str,
    ) -> Result<(), tonic::Status> {
        self.inner
            .stop_task(crate::r#gen::drivers::StopTaskRequest {
                task_id: task_id.into(),
                timeout: Some(proto_duration(timeout)),
                signal: signal.into(),
            })
            .await
            .map(|_| ())
    }

    /// `DestroyTask`.
    pub async fn destroy_task(&mut self, task_id: &str, force: bool) -> Result<(), tonic::Status> {
        self.inner
            .destroy_task(crate::r#gen::drivers::DestroyTaskRequest {
                task_id: task_id.into(),
                force,
            })
            .await
            .map(|_| ())
    }

    /// `SignalTask`.
    pub async fn signal_task(&mut self, task_id: &str, signal: &str) -> Result<(), tonic::Status> {
        self.inner
            .signal_task(crate::r#gen::drivers::SignalTaskRequest {
                task_id: task_id.into(),
                signal: signal.into(),
            })
            .await
            .map(|_| ())
    }

    /// `ExecTaskStreaming`: sends setup, an optional terminal size, `stdin` and its close, then
    /// collects output until the `exited` message.
    pub async fn exec_streaming(
        &mut self,
        task_id: &str,
        command: &[&str],
        tty: Option<(u16, u16)>,
        stdin: &[u8],
    ) -> Result<ExecTranscript, tonic::Status> {
        use crate::r#gen::drivers::{
            ExecTaskStreamingIoOperation as Io, ExecTaskStreamingRequest as Req,
            exec_task_streaming_request as r,
        };
        let mut msgs = vec![Req {
            setup: Some(r::Setup {
                task_id: task_id.into(),
                command: command.iter().map(|s| s.to_string()).collect(),
                tty: tty.is_some(),
            }),
            ..Default::default()
        }];
        if let Some((rows, cols)) = tty {
            msgs.push(Req {
                tty_size: Some(r::TerminalSize {
                    height: rows.into(),
                    width: cols.into(),
                }),
                ..Default::default()
            });
        }
        if !stdin.is_empty() {
            msgs.push(Req {
                stdin: Some(Io {
                    data: stdin.to_vec(),
                    close: false,
                }),
                ..Default::default()
            });
        }
        msgs.push(Req {
            stdin: Some(Io {
                data: Vec::new(),
                close: true,
            }),
            ..Default::default()
        });
        // Keep the request side open until the session ends, as a terminal client does.
        let outbound = tokio_stream::StreamExt::chain(
            tokio_stream::iter(msgs),
            tokio_stream::pending::<Req>(),
        );
        let mut s = self.inner.exec_task_streaming(outbound).await?.into_inner();
        let mut t = ExecTranscript::default();
        while let Some(m) = s.message().await? {
            if let Some(o) = m.stdout {
                t.stdout.extend_from_slice(&o.data);
            }
            if let Some(e) = m.stderr {
                t.stderr.extend_from_slice(&e.data);
            }
            if m.exited {
                t.exit = exit_from_proto(m.result);
                return Ok(t);
            }
        }
        Err(tonic::Status::unknown(
            "ExecTaskStreaming ended before the driver reported exited",
        ))
    }
}

/// Which stream a `GRPCStdio` chunk belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StdioChannel {
    /// The plugin's stdout.
    Stdout,
    /// The plugin's stderr.
    Stderr,
    /// A value this SDK does not know.
    Invalid,
}

/// `plugin.GRPCStdio/StreamStdio`: what the plugin wrote to stdout/stderr after the handshake.
pub async fn stdio(
    ch: Channel,
) -> Result<
    crate::driver::PluginStream<Result<(StdioChannel, Vec<u8>), tonic::Status>>,
    tonic::Status,
> {
    use tokio_stream::StreamExt;
    let s = gpb::grpc_stdio_client::GrpcStdioClient::new(ch)
        .stream_stdio(())
        .await?
        .into_inner();
    Ok(Box::pin(s.map(|r| {
        r.map(|d| {
            let c = match gpb::stdio_data::Channel::try_from(d.channel) {
                Ok(gpb::stdio_data::Channel::Stdout) => StdioChannel::Stdout,
                Ok(gpb::stdio_data::Channel::Stderr) => StdioChannel::Stderr,
                _ => StdioChannel::Invalid,
            };
            (c, d.data)
        })
    })))
}

impl DriverClient {
    /// The first `Fingerprint` message (health and description; attributes are dropped).
    pub async fn first_fingerprint(&mut self) -> Result<crate::driver::Fingerprint, tonic::Status> {
        use crate::r#gen::drivers::fingerprint_response::HealthState as H;
        let mut s = self
            .inner
            .fingerprint(crate::r#gen::drivers::FingerprintRequest {})
            .await?
            .into_inner();
        let m = s
            .message()
            .await?
            .ok_or_else(|| tonic::Status::unknown("fingerprint stream ended without a message"))?;
        Ok(crate::driver::Fingerprint {
            health: match H::try_from(m.health) {
                Ok(H::Healthy) => crate::driver::Health::Healthy,
                Ok(H::Unhealthy) => crate::driver::Health::Unhealthy,
                _ => crate::driver::Health::Undetected,
            },
            health_description: m.health_description,
            attributes: Default::default(),
        })
    }
}

fn usage_from_proto(
    u: Option<crate::r#gen::drivers::TaskResourceUsage>,
) -> crate::driver::ResourceUsage {
    let u = u.unwrap_or_default();
    let cpu = u.cpu.unwrap_or_default();
    let mem = u.memory.unwrap_or_default();
    crate::driver::ResourceUsage {
        cpu: crate::driver::CpuUsage {
            system_mode: cpu.system_mode,
            user_mode: cpu.user_mode,
            total_ticks: cpu.total_ticks,
            percent: cpu.percent,
            measured: cpu
                .measured_fields
                .iter()
                .filter_map(|&f| {
                    use crate::driver::CpuField as F;
                    use crate::r#gen::drivers::cpu_usage::Fields as C;
                    Some(match C::try_from(f).ok()? {
                        C::SystemMode => F::SystemMode,
                        C::UserMode => F::UserMode,
                        C::TotalTicks => F::TotalTicks,
                        C::Percent => F::Percent,
                        _ => return None,
                    })
                })
                .collect(),
        },
        memory: crate::driver::MemoryUsage {
            rss: mem.rss,
            cache: mem.cache,
            swap: mem.swap,
            usage: mem.usage,
            max_usage: mem.max_usage,
            measured: mem
                .measured_fields
                .iter()
                .filter_map(|&f| {
                    use crate::driver::MemoryField as F;
                    use crate::r#gen::drivers::memory_usage::Fields as M;
                    Some(match M::try_from(f).ok()? {
                        M::Rss => F::Rss,
                        M::Cache => F::Cache,
                        M::Swap => F::Swap,
                        M::Usage => F::Usage,
                        M::MaxUsage => F::MaxUsage,
                        _ => return None,
                    })
                })
                .collect(),
        },
    }
}

impl DriverClient {
    /// The first `count` `TaskStats` samples at `interval` (measured fields Yurt knows kept).
    pub async fn task_stats(
        &mut self,
        task_id: &str,
        interval: std::time::Duration,
        count: usize,
    ) -> Result<Vec<crate::driver::TaskStats>, tonic::Status> {
        let mut s = self
            .inner
            .task_stats(crate::r#gen::drivers::TaskStatsRequest {
                task_id: task_id.into(),
                collection_interval: Some(proto_duration(interval)),
            })
            .await?
            .into_inner();
        let mut out = Vec::with_capacity(count);
        while out.len() < count {
            let Some(m) = s.message().await? else { break };
            let st = m.stats.unwrap_or_default();
            out.push(crate::driver::TaskStats {
                timestamp: st
                    .timestamp
                    .as_ref()
                    .and_then(crate::base::from_timestamp)
                    .unwrap_or(std::time::UNIX_EPOCH),
                total: usage_from_proto(st.agg_resource_usage),
                by_pid: st
                    .resource_usage_by_pid
                    .into_iter()
                    .map(|(k, v)| (k, usage_from_proto(Some(v))))
                    .collect(),
            });
        }
        Ok(out)
    }
}
