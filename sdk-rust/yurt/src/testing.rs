//! Helpers for testing a plugin binary the way a go-plugin host drives it: launch it with the
//! host's environment, read the handshake line, dial it (optionally with AutoMTLS), call a few
//! host-side RPCs, and shut it down.

use std::sync::Arc;

use tonic::transport::Channel;

use crate::r#gen::{base as bpb, device as dpb, plugin as gpb};
use crate::handshake::{Address, HandshakeLine};

trait Io: tokio::io::AsyncRead + tokio::io::AsyncWrite + Send + Unpin + 'static {}
impl<T: tokio::io::AsyncRead + tokio::io::AsyncWrite + Send + Unpin + 'static> Io for T {}

/// Dials the address in `line`, over TLS when `tls` is given (see [`crate::mtls::client_config`]).
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
