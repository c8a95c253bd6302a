//! The optional-RPC table (proto/.../drivers/proto/driver.proto and device.proto): a plugin that
//! implements only the required methods answers each optional RPC with the table's default.

use super::*;

/// Only the required methods.
struct Minimal;

impl BasePlugin for Minimal {
    fn info(&self) -> PluginInfo {
        PluginInfo {
            name: "minimal".into(),
            version: "0.1.0".into(),
        }
    }
}

impl DriverPlugin for Minimal {
    fn task_config_schema(&self) -> crate::hclspec::Spec {
        object([("command", attr("command", "string"))])
    }
    fn capabilities(&self) -> Capabilities {
        Capabilities::default()
    }
    fn fingerprint(&self) -> PluginStream<Fingerprint> {
        Box::pin(tokio_stream::pending())
    }
    async fn recover_task(&self, _handle: TaskHandle) -> Result<(), Error> {
        Ok(())
    }
    async fn start_task(&self, _config: TaskConfig) -> Result<StartedTask, Error> {
        Err(Error::other("not in this test"))
    }
    async fn wait_task(&self, _id: String) -> Result<ExitResult, Error> {
        Err(Error::TaskNotFound)
    }
    async fn stop_task(&self, _id: String, _t: Duration, _s: String) -> Result<(), Error> {
        Err(Error::TaskNotFound)
    }
    async fn destroy_task(&self, _id: String, _force: bool) -> Result<(), Error> {
        Err(Error::TaskNotFound)
    }
    async fn inspect_task(&self, _id: String) -> Result<TaskStatus, Error> {
        Err(Error::TaskNotFound)
    }
}

impl DevicePlugin for Minimal {
    fn fingerprint(&self) -> PluginStream<Result<Vec<DeviceGroup>, Error>> {
        Box::pin(tokio_stream::pending())
    }
    async fn reserve(&self, _ids: Vec<String>) -> Result<Reservation, Error> {
        Err(Error::other("no devices"))
    }
}

fn unimplemented(what: &str, got: Result<impl std::fmt::Debug, tonic::Status>, message: &str) {
    let err = got.expect_err(what);
    assert_eq!(
        (err.code(), err.message()),
        (tonic::Code::Unimplemented, message),
        "{what}"
    );
}

#[tokio::test]
async fn each_optional_driver_rpc_answers_the_tables_default() {
    let r = start(env(None), Transport::Unix, |sd| {
        crate::driver_routes(Arc::new(Minimal), sd).unwrap()
    })
    .await;
    let mut d = pb::driver_client::DriverClient::new(connect(&r.line, None).await);
    let id = || "t1".to_string();

    let stats = match d
        .task_stats(pb::TaskStatsRequest {
            task_id: id(),
            ..Default::default()
        })
        .await
    {
        Ok(s) => s.into_inner().next().await.expect("an item or an error"),
        Err(e) => Err(e),
    };
    unimplemented("TaskStats", stats, "stats not implemented for driver");
    let signal = d
        .signal_task(pb::SignalTaskRequest {
            task_id: id(),
            signal: "SIGHUP".into(),
        })
        .await;
    unimplemented(
        "SignalTask",
        signal,
        "SignalTask is not supported by this driver",
    );
    let exec = d
        .exec_task(pb::ExecTaskRequest {
            task_id: id(),
            command: vec!["true".into()],
            ..Default::default()
        })
        .await;
    unimplemented("ExecTask", exec, "ExecTask is not supported by this driver");
    let streaming = match d
        .exec_task_streaming(tokio_stream::iter(vec![pb::ExecTaskStreamingRequest {
            setup: Some(pb::exec_task_streaming_request::Setup {
                task_id: id(),
                command: vec!["true".into()],
                tty: false,
            }),
            ..Default::default()
        }]))
        .await
    {
        Ok(s) => s.into_inner().next().await.expect("an item or an error"),
        Err(e) => Err(e),
    };
    unimplemented(
        "ExecTaskStreaming",
        streaming,
        "ExecTaskStreaming is not supported by this driver",
    );
    let create = d.create_network(pb::CreateNetworkRequest::default()).await;
    unimplemented(
        "CreateNetwork",
        create,
        "CreateNetwork is not implemented by this driver",
    );
    let destroy = d
        .destroy_network(pb::DestroyNetworkRequest::default())
        .await;
    unimplemented(
        "DestroyNetwork",
        destroy,
        "DestroyNetwork is not implemented by this driver",
    );
    let init = d.init(pb::InitRequest::default()).await;
    unimplemented("Init", init, "Init is not implemented by this driver");

    // TaskEvents: no error, a stream that stays open and sends nothing.
    let mut events = d
        .task_events(pb::TaskEventsRequest::default())
        .await
        .expect("TaskEvents opens")
        .into_inner();
    let quiet = tokio::time::timeout(Duration::from_millis(300), events.next()).await;
    assert!(quiet.is_err(), "TaskEvents sent or ended: {quiet:?}");

    let shutdown = d.shutdown(pb::ShutdownRequest::default()).await;
    unimplemented(
        "Shutdown",
        shutdown,
        "Shutdown is not implemented by this driver",
    );
    r.shutdown.trigger();
}

#[tokio::test]
async fn the_optional_device_rpc_answers_the_tables_default() {
    let r = start(env(None), Transport::Unix, |sd| {
        crate::device_routes(Arc::new(Minimal), sd).unwrap()
    })
    .await;
    let mut d = dpb::device_plugin_client::DevicePluginClient::new(connect(&r.line, None).await);
    let stats = match d.stats(dpb::StatsRequest::default()).await {
        Ok(s) => s.into_inner().next().await.expect("an item or an error"),
        Err(e) => Err(e),
    };
    unimplemented("Stats", stats, "Stats is not implemented by this plugin");
    r.shutdown.trigger();
}
