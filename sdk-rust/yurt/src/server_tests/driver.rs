//! The driver service over a fake driver, in process and over a real go-plugin server.

use super::*;

#[derive(Default)]
struct FakeDriver {
    config: Mutex<Option<PluginConfig>>,
    recovered: Mutex<Option<String>>,
}

impl BasePlugin for FakeDriver {
    fn info(&self) -> PluginInfo {
        PluginInfo {
            name: "fake".into(),
            version: "0.2.0".into(),
        }
    }
    fn config_schema(&self) -> Option<crate::hclspec::Spec> {
        Some(object([("dir", attr("dir", "string"))]))
    }
    async fn set_config(&self, config: PluginConfig) -> Result<(), Error> {
        #[derive(serde::Deserialize)]
        #[allow(dead_code)]
        struct Cfg {
            dir: String,
        }
        let _: Cfg = config.decode()?;
        *self.config.lock().unwrap() = Some(config);
        Ok(())
    }
}

impl DriverPlugin for FakeDriver {
    fn task_config_schema(&self) -> crate::hclspec::Spec {
        object([("command", attr("command", "string").required())])
    }
    fn capabilities(&self) -> Capabilities {
        Capabilities {
            send_signals: true,
            ..Default::default()
        }
    }
    fn fingerprint(&self) -> PluginStream<Fingerprint> {
        Box::pin(
            tokio_stream::once(Fingerprint {
                health: Health::Healthy,
                health_description: "ready".into(),
                attributes: [("driver.fake.version".to_string(), "1".into())].into(),
            })
            .chain(tokio_stream::pending()),
        )
    }
    async fn recover_task(&self, handle: TaskHandle) -> Result<(), Error> {
        *self.recovered.lock().unwrap() = Some(handle.config.id);
        Ok(())
    }
    async fn start_task(&self, config: TaskConfig) -> Result<StartedTask, Error> {
        if config.id == "flaky" {
            return Err(Error::recoverable("try again"));
        }
        #[derive(serde::Deserialize)]
        struct C {
            command: String,
        }
        let c: C = config.decode_driver_config()?;
        let mut handle = TaskHandle::new(config);
        handle.set_driver_state(&c.command)?;
        Ok(StartedTask {
            handle,
            network: None,
        })
    }
    async fn wait_task(&self, id: String) -> Result<ExitResult, Error> {
        if id == "lost" {
            return Err(Error::other("supervisor lost"));
        }
        Ok(ExitResult {
            exit_code: 3,
            ..Default::default()
        })
    }
    async fn stop_task(&self, _id: String, _t: Duration, _s: String) -> Result<(), Error> {
        Err(Error::TaskNotFound)
    }
    async fn destroy_task(&self, _id: String, _force: bool) -> Result<(), Error> {
        Err(Error::TaskNotFound)
    }
    async fn inspect_task(&self, id: String) -> Result<TaskStatus, Error> {
        if id != "running" {
            return Err(Error::TaskNotFound);
        }
        Ok(TaskStatus {
            id,
            name: "web".into(),
            state: TaskState::Running,
            started_at: Some(std::time::UNIX_EPOCH + Duration::from_secs(1_700_000_000)),
            completed_at: None,
            exit: None,
            driver_attributes: Default::default(),
            network: None,
        })
    }
    /// Echoes stdin upper-cased on stdout, reports resizes on stderr, and exits with the number
    /// of stdin bytes once stdin closes; "tty" sessions answer with one merged stdout.
    async fn exec_task_streaming(
        &self,
        setup: ExecSetup,
        mut input: PluginStream<ExecInput>,
        output: ExecSink,
    ) -> Result<ExitResult, Error> {
        if setup.task_id != "t1" {
            return Err(Error::TaskNotFound);
        }
        output
            .stdout(format!("{} tty={}\n", setup.command.join(" "), setup.tty).as_bytes())
            .await
            .map_err(Error::other)?;
        let mut n = 0;
        while let Some(i) = input.next().await {
            match i {
                ExecInput::Stdin(b) => {
                    n += b.len();
                    output
                        .stdout(&b.to_ascii_uppercase())
                        .await
                        .map_err(Error::other)?;
                }
                ExecInput::Resize { rows, cols } => {
                    let msg = format!("size {rows}x{cols}\n");
                    let r = if setup.tty {
                        output.stdout(msg.as_bytes()).await
                    } else {
                        output.stderr(msg.as_bytes()).await
                    };
                    r.map_err(Error::other)?;
                }
                ExecInput::StdinClosed => break,
            }
        }
        Ok(ExitResult {
            exit_code: i32::try_from(n).unwrap_or(i32::MAX),
            ..Default::default()
        })
    }
}

#[tokio::test]
async fn exec_task_streaming_carries_setup_stdin_resize_and_exit() {
    let r = start(env(None), Transport::Unix, move |sd| {
        crate::driver_routes(Arc::new(FakeDriver::default()), sd).unwrap()
    })
    .await;
    let ch = connect(&r.line, None).await;
    let mut d = crate::testing::DriverClient::new(ch.clone());

    let t = d
        .exec_streaming("t1", &["sh", "-i"], None, b"hello")
        .await
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&t.stdout), "sh -i tty=false\nHELLO");
    assert!(t.stderr.is_empty());
    assert_eq!(t.exit.exit_code, 5);

    let t = d
        .exec_streaming("t1", &["top"], Some((24, 80)), b"q")
        .await
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&t.stdout),
        "top tty=true\nsize 24x80\nQ"
    );
    assert_eq!(t.exit.exit_code, 1);

    // Errors from the driver end the stream with the error's status and text.
    let err = d
        .exec_streaming("other", &["true"], None, b"")
        .await
        .unwrap_err();
    assert_eq!(
        (err.code(), err.message()),
        (tonic::Code::Unknown, crate::TASK_NOT_FOUND)
    );
    let err = d.exec_streaming("t1", &[], None, b"").await.unwrap_err();
    assert_eq!(err.code(), tonic::Code::InvalidArgument);
    assert!(err.message().contains("setup.command"), "{}", err.message());

    // A first message without setup is refused.
    let mut raw = pb::driver_client::DriverClient::new(ch);
    let err = raw
        .exec_task_streaming(tokio_stream::iter(vec![pb::ExecTaskStreamingRequest {
            stdin: Some(pb::ExecTaskStreamingIoOperation {
                data: b"x".to_vec(),
                close: false,
            }),
            ..Default::default()
        }]))
        .await
        .unwrap_err();
    assert_eq!(err.code(), tonic::Code::InvalidArgument);
    assert!(err.message().starts_with("setup:"), "{}", err.message());
    r.shutdown.trigger();
}

#[tokio::test]
async fn plaintext_unix_serves_go_plugin_services_and_shuts_down() {
    let plugin = Arc::new(FakeDriver::default());
    let p = plugin.clone();
    let r = start(env(None), Transport::Unix, move |sd| {
        crate::driver_routes(p, sd).unwrap()
    })
    .await;
    let text = r.line.to_string();
    assert!(text.starts_with("1|2|unix|/"), "{text}");
    assert!(text.ends_with("|grpc|"), "{text}");
    let Address::Unix(path) = r.line.address.clone() else {
        unreachable!()
    };
    assert!(path.exists());

    let ch = connect(&r.line, None).await;
    assert_health(ch.clone()).await;

    // Stdio and broker streams stay open.
    let mut stdio = gpb::grpc_stdio_client::GrpcStdioClient::new(ch.clone());
    let mut s = stdio.stream_stdio(()).await.unwrap().into_inner();
    assert!(
        tokio::time::timeout(Duration::from_millis(100), s.next())
            .await
            .is_err()
    );
    let mut broker = gpb::grpc_broker_client::GrpcBrokerClient::new(ch.clone());
    let (_keep, rx) = tokio::sync::mpsc::channel::<gpb::ConnInfo>(1);
    let mut b = broker
        .start_stream(tokio_stream::wrappers::ReceiverStream::new(rx))
        .await
        .unwrap()
        .into_inner();
    assert!(
        tokio::time::timeout(Duration::from_millis(100), b.next())
            .await
            .is_err()
    );

    // Base + driver RPCs through the typed adapter.
    let mut base = bpb::base_plugin_client::BasePluginClient::new(ch.clone());
    let info = base
        .plugin_info(bpb::PluginInfoRequest {})
        .await
        .unwrap()
        .into_inner();
    assert_eq!(info.name, "fake");
    assert_eq!(info.r#type, bpb::PluginType::Driver as i32);
    assert_eq!(info.plugin_api_versions, vec!["v0.1.0".to_string()]);
    let schema = base
        .config_schema(bpb::ConfigSchemaRequest {})
        .await
        .unwrap()
        .into_inner();
    assert!(schema.spec.is_some());
    let bad = rmp_serde::to_vec_named(&std::collections::BTreeMap::from([("dir", 5)])).unwrap();
    let err = base
        .set_config(bpb::SetConfigRequest {
            msgpack_config: bad,
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert!(err.message().contains("field \"dir\""), "{}", err.message());
    let good = rmp_serde::to_vec_named(&std::collections::BTreeMap::from([("dir", "/x")])).unwrap();
    base.set_config(bpb::SetConfigRequest {
        msgpack_config: good,
        plugin_api_version: "v0.1.0".into(),
        nomad_config: Some(bpb::NomadConfig {
            driver: Some(bpb::NomadDriverConfig {
                client_max_port: 20000,
                client_min_port: 10000,
                ..Default::default()
            }),
        }),
    })
    .await
    .unwrap();
    let got = plugin.config.lock().unwrap().clone().unwrap();
    assert_eq!(got.agent.unwrap().client_max_port, 20000);

    let mut d = pb::driver_client::DriverClient::new(ch.clone());
    let mut fp = d
        .fingerprint(pb::FingerprintRequest {})
        .await
        .unwrap()
        .into_inner();
    let first = fp.next().await.unwrap().unwrap();
    assert_eq!(
        first.health,
        pb::fingerprint_response::HealthState::Healthy as i32
    );
    assert!(first.attributes.contains_key("driver.fake.version"));

    let cfg =
        rmp_serde::to_vec_named(&std::collections::BTreeMap::from([("command", "x")])).unwrap();
    let started = d
        .start_task(pb::StartTaskRequest {
            task: Some(pb::TaskConfig {
                id: "t1".into(),
                msgpack_driver_config: cfg,
                parent_job_id: "pj".into(),
                ..Default::default()
            }),
        })
        .await
        .unwrap()
        .into_inner();
    let h = started.handle.unwrap();
    assert_eq!(h.config.as_ref().unwrap().parent_job_id, "pj");
    assert_eq!(
        rmp_serde::from_slice::<String>(&h.driver_state).unwrap(),
        "x"
    );

    // RecoverTask as Nomad sends it: task_id empty, the id in handle.config.id
    // (hashicorp/nomad v2.0.5 plugins/drivers/client.go RecoverTask).
    let mut nomad_handle = h.clone();
    nomad_handle
        .config
        .as_mut()
        .unwrap()
        .msgpack_driver_config
        .clear();
    d.recover_task(pb::RecoverTaskRequest {
        task_id: String::new(),
        handle: Some(nomad_handle),
    })
    .await
    .unwrap();
    assert_eq!(
        plugin.recovered.lock().unwrap().as_deref(),
        Some("t1"),
        "the id comes from handle.config.id"
    );
    let err = d
        .recover_task(pb::RecoverTaskRequest {
            task_id: String::new(),
            handle: Some(pb::TaskHandle::default()),
        })
        .await
        .unwrap_err();
    assert_eq!(err.code(), tonic::Code::InvalidArgument);
    assert!(
        err.message()
            .contains("handle.config.id: expected the task id"),
        "{}",
        err.message()
    );

    let err = d
        .start_task(pb::StartTaskRequest {
            task: Some(pb::TaskConfig {
                id: "flaky".into(),
                ..Default::default()
            }),
        })
        .await
        .unwrap_err();
    assert_eq!(err.code(), tonic::Code::FailedPrecondition);
    assert_eq!(recoverable_detail(&err), Some(true));

    let err = d
        .inspect_task(pb::InspectTaskRequest {
            task_id: "nope".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(
        (err.code(), err.message()),
        (tonic::Code::Unknown, "task not found for given id")
    );
    // Both timestamps always set; a running task's completed_at is Go's zero time, as
    // Nomad's server sends (its Go client fails InspectTask on a missing one).
    let st = d
        .inspect_task(pb::InspectTaskRequest {
            task_id: "running".into(),
        })
        .await
        .unwrap()
        .into_inner()
        .task
        .unwrap();
    assert_eq!(st.started_at.unwrap().seconds, 1_700_000_000);
    assert_eq!(
        st.completed_at.map(|t| (t.seconds, t.nanos)),
        Some((-62_135_596_800, 0))
    );
    // The result too, empty while running: Nomad's Go client dereferences it
    // (plugins/drivers/utils.go exitResultFromProto).
    assert_eq!(st.result, Some(pb::ExitResult::default()));
    let err = d
        .start_task(pb::StartTaskRequest { task: None })
        .await
        .unwrap_err();
    assert_eq!(err.code(), tonic::Code::InvalidArgument);
    let err = d.init(pb::InitRequest {}).await.unwrap_err();
    assert_eq!(err.code(), tonic::Code::Unimplemented);
    let w = d
        .wait_task(pb::WaitTaskRequest {
            task_id: "t1".into(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(w.result.unwrap().exit_code, 3);
    // A wait that fails (result unknown) is answered as Nomad's drivers do:
    // the error beside exit code -1 (drivers/rawexec/driver.go handleWait).
    let w = d
        .wait_task(pb::WaitTaskRequest {
            task_id: "lost".into(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        (w.err.as_str(), w.result.unwrap().exit_code),
        ("supervisor lost", -1)
    );

    // Shutdown: the reply arrives, held streams end, run() returns promptly, socket removed.
    let mut ctl = gpb::grpc_controller_client::GrpcControllerClient::new(ch);
    let t0 = std::time::Instant::now();
    ctl.shutdown(gpb::Empty {}).await.unwrap();
    let res = tokio::time::timeout(Duration::from_secs(2), r.task)
        .await
        .expect("exit within 2 s");
    res.unwrap().unwrap();
    assert!(t0.elapsed() < Duration::from_secs(2));
    assert!(
        tokio::time::timeout(Duration::from_secs(1), s.next())
            .await
            .unwrap()
            .is_none()
    );
    assert!(!path.exists(), "socket file removed on exit");
    let _ = r.shutdown;
}
