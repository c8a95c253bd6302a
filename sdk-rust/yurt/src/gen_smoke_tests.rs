//! Smoke tests for the generated code: every proto file contributes a message that survives an
//! encode/decode round trip, and one RPC crosses a real gRPC connection over a unix socket.

use std::collections::HashMap;
use std::fmt::Debug;

use prost::Message;

use crate::r#gen::{base, device, drivers, hclspec, plugin, structs};

fn round_trip<M: Message + Default + PartialEq + Debug>(msg: &M) {
    let bytes = msg.encode_to_vec();
    assert!(
        !bytes.is_empty(),
        "{msg:?} encoded to nothing; pick a non-default value"
    );
    let back = M::decode(bytes.as_slice()).expect("decode what we encoded");
    assert_eq!(&back, msg);
}

#[test]
fn base_proto_round_trips() {
    round_trip(&base::PluginInfoResponse {
        r#type: base::PluginType::Driver as i32,
        plugin_api_versions: vec!["0.1.0".into()],
        plugin_version: "1.2.3".into(),
        name: "raw".into(),
    });
}

#[test]
fn driver_proto_round_trips() {
    round_trip(&drivers::StartTaskRequest {
        task: Some(drivers::TaskConfig {
            id: "alloc/task/1".into(),
            name: "task".into(),
            msgpack_driver_config: vec![0x81, 0xa1, b'a', 0x01],
            env: HashMap::from([("K".to_string(), "V".to_string())]),
            ..Default::default()
        }),
    });
}

#[test]
fn device_proto_round_trips() {
    round_trip(&device::ReserveRequest {
        device_ids: vec!["GPU-0".into(), "GPU-1".into()],
    });
}

#[test]
fn hclspec_proto_round_trips() {
    round_trip(&hclspec::Spec {
        block: Some(hclspec::spec::Block::Attr(hclspec::Attr {
            name: "command".into(),
            r#type: "string".into(),
            required: true,
        })),
    });
}

#[test]
fn attribute_proto_round_trips() {
    round_trip(&structs::Attribute {
        unit: "MiB".into(),
        value: Some(structs::attribute::Value::IntVal(-42)),
    });
}

#[test]
fn stats_proto_round_trips() {
    round_trip(&structs::StatValue {
        float_numerator_val: Some(1.5),
        int_denominator_val: Some(0),
        unit: "%".into(),
        ..Default::default()
    });
}

#[test]
fn recoverable_error_proto_round_trips() {
    round_trip(&structs::RecoverableError { recoverable: true });
}

#[test]
fn grpc_controller_proto_round_trips() {
    // Empty encodes to zero bytes, so check the decode side explicitly.
    let bytes = plugin::Empty {}.encode_to_vec();
    assert!(bytes.is_empty());
    assert_eq!(plugin::Empty::decode(&b""[..]).unwrap(), plugin::Empty {});
    // Unknown fields must be skipped, not rejected.
    assert_eq!(
        plugin::Empty::decode(&[0x08, 0x01][..]).unwrap(),
        plugin::Empty {}
    );
}

#[test]
fn grpc_stdio_proto_round_trips() {
    round_trip(&plugin::StdioData {
        channel: plugin::stdio_data::Channel::Stderr as i32,
        data: b"hello\n".to_vec(),
    });
}

#[test]
fn grpc_broker_proto_round_trips() {
    round_trip(&plugin::ConnInfo {
        service_id: 7,
        network: "unix".into(),
        address: "/tmp/plugin123".into(),
        knock: Some(plugin::conn_info::Knock {
            knock: true,
            ack: false,
            error: String::new(),
        }),
    });
}

struct Info;

#[tonic::async_trait]
impl base::base_plugin_server::BasePlugin for Info {
    async fn plugin_info(
        &self,
        _req: tonic::Request<base::PluginInfoRequest>,
    ) -> Result<tonic::Response<base::PluginInfoResponse>, tonic::Status> {
        Ok(tonic::Response::new(base::PluginInfoResponse {
            r#type: base::PluginType::Device as i32,
            plugin_api_versions: vec!["0.1.0".into()],
            plugin_version: "0.0.1".into(),
            name: "smoke".into(),
        }))
    }
    async fn config_schema(
        &self,
        _req: tonic::Request<base::ConfigSchemaRequest>,
    ) -> Result<tonic::Response<base::ConfigSchemaResponse>, tonic::Status> {
        Err(tonic::Status::unimplemented("not in the smoke test"))
    }
    async fn set_config(
        &self,
        _req: tonic::Request<base::SetConfigRequest>,
    ) -> Result<tonic::Response<base::SetConfigResponse>, tonic::Status> {
        Err(tonic::Status::unimplemented("not in the smoke test"))
    }
}

#[tokio::test]
async fn rpc_over_unix_socket() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plugin.sock");
    let listener = tokio::net::UnixListener::bind(&path).unwrap();
    let incoming = tokio_stream::wrappers::UnixListenerStream::new(listener);
    let server = tokio::spawn(
        tonic::transport::Server::builder()
            .add_service(base::base_plugin_server::BasePluginServer::new(Info))
            .serve_with_incoming(incoming),
    );

    // h2 refuses a unix path as :authority, so dial a placeholder URI and connect by hand.
    let dial_path = path.clone();
    let channel = tonic::transport::Endpoint::from_static("http://localhost")
        .connect_with_connector(tower::service_fn(move |_| {
            let p = dial_path.clone();
            async move {
                let stream = tokio::net::UnixStream::connect(p).await?;
                Ok::<_, std::io::Error>(hyper_util::rt::TokioIo::new(stream))
            }
        }))
        .await
        .unwrap();
    let mut client = base::base_plugin_client::BasePluginClient::new(channel);
    let info = client
        .plugin_info(base::PluginInfoRequest {})
        .await
        .unwrap()
        .into_inner();
    assert_eq!(info.name, "smoke");
    assert_eq!(info.r#type, base::PluginType::Device as i32);

    let err = client
        .set_config(base::SetConfigRequest::default())
        .await
        .unwrap_err();
    assert_eq!(err.code(), tonic::Code::Unimplemented);
    server.abort();
}
