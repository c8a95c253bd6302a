//! The go-plugin runtime: AutoMTLS, unix socket and TCP options, over a fake device.

use super::*;

struct FakeDevice;
impl BasePlugin for FakeDevice {
    fn info(&self) -> PluginInfo {
        PluginInfo {
            name: "fakedev".into(),
            version: "0.1.0".into(),
        }
    }
}
impl DevicePlugin for FakeDevice {
    fn fingerprint(&self) -> PluginStream<Result<Vec<DeviceGroup>, Error>> {
        Box::pin(tokio_stream::iter(vec![Ok(vec![DeviceGroup {
            vendor: "acme".into(),
            device_type: "fpga".into(),
            name: "x".into(),
            devices: vec![crate::device::Device {
                id: "".into(),
                ..Default::default()
            }],
            ..Default::default()
        }])]))
    }
    async fn reserve(&self, ids: Vec<String>) -> Result<Reservation, Error> {
        Err(Error::other(format!(
            "unknown device IDs: {}",
            ids.join(",")
        )))
    }
    fn stats(&self, interval: Duration) -> PluginStream<Result<Vec<DeviceGroupStats>, Error>> {
        Box::pin(tokio_stream::once(Err(Error::other(format!(
            "interval {interval:?}"
        )))))
    }
}

#[tokio::test]
async fn mtls_over_tcp_with_a_p521_host_certificate() {
    let (pem, host_der, host_key) = host_identity();
    let r = start(env(Some(pem)), Transport::Tcp, |sd| {
        crate::device_routes(Arc::new(FakeDevice), sd).unwrap()
    })
    .await;
    let text = r.line.to_string();
    assert!(text.starts_with("1|2|tcp|127.0.0.1:"), "{text}");
    let field6 = text.rsplit('|').next().unwrap();
    assert!(field6.len() > 50 && !field6.contains('='), "{field6}");
    let server_der = CertificateDer::from(r.line.cert_der.clone().unwrap());

    // The pinned host certificate gets in ...
    let cfg = crate::goplugin::mtls::client_config(server_der.clone(), host_der, host_key).unwrap();
    let ch = connect(&r.line, Some(cfg)).await;
    assert_health(ch.clone()).await;
    let mut dev = dpb::device_plugin_client::DevicePluginClient::new(ch.clone());
    let err = dev
        .reserve(dpb::ReserveRequest {
            device_ids: vec!["a".into(), "b".into()],
        })
        .await
        .unwrap_err();
    assert_eq!(err.message(), "unknown device IDs: a,b");
    // An invalid fingerprint is reported with the field, and the stream ends.
    let mut fp = dev
        .fingerprint(dpb::FingerprintRequest {})
        .await
        .unwrap()
        .into_inner();
    let e = fp.next().await.unwrap().unwrap_err();
    assert!(e.message().contains("devices[0].id"), "{}", e.message());
    assert!(fp.next().await.is_none());
    // Zero interval means 1 s.
    let mut st = dev
        .stats(dpb::StatsRequest::default())
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        st.next().await.unwrap().unwrap_err().message(),
        "interval 1s"
    );

    // ... any other client certificate does not.
    let (_, other_der, other_key) = host_identity();
    let cfg = crate::goplugin::mtls::client_config(server_der, other_der, other_key).unwrap();
    let ch = connect(&r.line, Some(cfg)).await;
    let mut h = tonic_health::pb::health_client::HealthClient::new(ch);
    assert!(
        h.check(tonic_health::pb::HealthCheckRequest {
            service: "plugin".into()
        })
        .await
        .is_err()
    );

    r.shutdown.trigger();
    tokio::time::timeout(Duration::from_secs(2), r.task)
        .await
        .unwrap()
        .unwrap()
        .unwrap();
}

#[test]
fn unix_socket_honours_dir_and_group() {
    let dir = tempfile::tempdir().unwrap();
    let gid = unsafe { libc::getgid() };
    let mut e = env(None);
    e.unix_socket_dir = Some(dir.path().to_path_buf());
    e.unix_socket_group = Some(gid.to_string());
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let b = goplugin::bind(&e, Transport::Unix).unwrap();
        let Address::Unix(p) = b.address().unwrap() else {
            panic!("unix expected")
        };
        assert_eq!(p.parent().unwrap(), dir.path());
        assert!(
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("plugin")
        );
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        let m = std::fs::metadata(&p).unwrap();
        assert_eq!(m.gid(), gid);
        assert_eq!(m.permissions().mode() & 0o777, 0o660);

        e.unix_socket_group = Some("no-such-group-yurt".into());
        let err = goplugin::bind(&e, Transport::Unix).err().unwrap();
        assert!(err.to_string().contains("no group named"), "{err}");
        e.unix_socket_dir = Some(PathBuf::from("/nonexistent/dir"));
        assert!(goplugin::bind(&e, Transport::Unix).is_err());
        // Auto falls back to TCP.
        let b = goplugin::bind(&e, Transport::Auto).unwrap();
        assert!(matches!(b.address().unwrap(), Address::Tcp(_)));
    });
}

#[test]
fn tcp_honours_the_port_range() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let hold = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let taken = hold.local_addr().unwrap().port();
        let mut e = env(None);
        // Only the taken port: fail with a clear message.
        e.min_port = taken;
        e.max_port = taken;
        let err = goplugin::bind(&e, Transport::Tcp).err().unwrap();
        assert!(
            err.to_string()
                .contains("couldn't bind plugin TCP listener"),
            "{err}"
        );
        // Range starting at the taken port: the next one.
        if taken < u16::MAX {
            e.max_port = taken + 1;
            if let Ok(b) = goplugin::bind(&e, Transport::Tcp) {
                let Address::Tcp(a) = b.address().unwrap() else {
                    panic!()
                };
                assert_eq!(a.port(), taken + 1);
            }
        }
    });
}
