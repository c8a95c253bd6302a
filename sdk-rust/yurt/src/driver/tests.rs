//! Tests of the driver types' wire conversions.

use super::convert::exec_inputs;
use super::*;
use crate::r#gen::drivers as pb;

#[test]
fn task_config_keeps_unmapped_wire_fields() {
    let p = pb::TaskConfig {
        id: "t1".into(),
        parent_job_id: "parent".into(),
        dns: Some(pb::DnsConfig {
            servers: vec!["1.1.1.1".into()],
            ..Default::default()
        }),
        msgpack_driver_config: vec![0x80],
        ..Default::default()
    };
    let c = TaskConfig::from_proto(p.clone());
    assert_eq!(c.id, "t1");
    assert_eq!(c.to_proto(), p);
}

#[test]
fn task_config_built_in_code_travels_whole() {
    let mut c = TaskConfig {
        id: "t2".into(),
        user: "nobody".into(),
        stdout_path: "/a/out".into(),
        stderr_path: "/a/err".into(),
        alloc_dir: "/a".into(),
        ..Default::default()
    };
    c.env.insert("K".into(), "V".into());
    c.mounts.push(Mount {
        task_path: "/in".into(),
        host_path: "/out".into(),
        readonly: true,
    });
    c.resources.memory_mb = 64;
    let back = TaskConfig::from_proto(c.to_proto());
    assert_eq!(back.id, "t2");
    assert_eq!(back.user, "nobody");
    assert_eq!(
        (back.stdout_path.as_str(), back.stderr_path.as_str()),
        ("/a/out", "/a/err")
    );
    assert_eq!(back.env.get("K").map(String::as_str), Some("V"));
    assert_eq!(back.mounts, c.mounts);
    assert_eq!(back.resources.memory_mb, 64);
    // Untouched zero resources stay absent on the wire.
    assert!(TaskConfig::default().to_proto().resources.is_none());
}

#[test]
fn exec_requests_become_inputs_in_order() {
    let m = pb::ExecTaskStreamingRequest {
        setup: None,
        tty_size: Some(pb::exec_task_streaming_request::TerminalSize {
            height: 40,
            width: -3,
        }),
        stdin: Some(pb::ExecTaskStreamingIoOperation {
            data: b"ls\n".to_vec(),
            close: true,
        }),
    };
    assert_eq!(
        exec_inputs(m),
        vec![
            ExecInput::Resize { rows: 40, cols: 0 },
            ExecInput::Stdin(b"ls\n".to_vec()),
            ExecInput::StdinClosed,
        ]
    );
    assert!(exec_inputs(pb::ExecTaskStreamingRequest::default()).is_empty());
}

#[test]
fn handle_round_trips_driver_state() {
    #[derive(serde::Serialize, serde::Deserialize, PartialEq, Debug)]
    struct State {
        pid: u32,
        dir: String,
    }
    let mut h = TaskHandle::new(TaskConfig::from_proto(pb::TaskConfig {
        id: "t".into(),
        ..Default::default()
    }));
    assert!(
        h.driver_state::<State>()
            .unwrap_err()
            .to_string()
            .contains("no driver_state")
    );
    let st = State {
        pid: 42,
        dir: "/x".into(),
    };
    h.set_driver_state(&st).unwrap();
    let back = TaskHandle::from_proto(h.to_proto());
    assert_eq!(back.driver_state::<State>().unwrap(), st);
    assert_eq!(back.state, TaskState::Running);
    assert_eq!(back.version, 1);
}
