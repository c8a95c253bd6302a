//! The public types of the driver API: what [`super::DriverPlugin`] methods take and return.

use std::collections::BTreeMap;
use std::pin::Pin;
use std::time::SystemTime;

use serde::Serialize;
use serde::de::DeserializeOwned;
use tokio_stream::Stream;
use tonic::Status;

use crate::base::Attribute;
use crate::config::{self, DecodeError};
use crate::r#gen::drivers as pb;
/// A stream a plugin hands to the SDK.
pub type PluginStream<T> = Pin<Box<dyn Stream<Item = T> + Send + 'static>>;

/// Filesystem isolation the driver provides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FsIsolation {
    /// Tasks see the host filesystem.
    #[default]
    None,
    /// Tasks run in a chroot.
    Chroot,
    /// Tasks run in their own image.
    Image,
    /// Tasks are restricted with unveil.
    Unveil,
}

/// What the driver can do.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Capabilities {
    /// SignalTask works.
    pub send_signals: bool,
    /// ExecTask works.
    pub exec: bool,
    /// Filesystem isolation.
    pub fs_isolation: FsIsolation,
    /// Nomad should not collect the task's logs (the driver does).
    pub disable_log_collection: bool,
    /// The driver refuses volume mounts.
    pub no_mounts: bool,
}

/// Driver health as fingerprinted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Health {
    /// Dependencies are missing.
    #[default]
    Undetected,
    /// Dependencies exist but do not work.
    Unhealthy,
    /// Ready to run tasks.
    Healthy,
}

/// One fingerprint: health plus node attributes (`driver.<name>.*`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Fingerprint {
    /// Health.
    pub health: Health,
    /// Human description of the health.
    pub health_description: String,
    /// Attributes copied into the node.
    pub attributes: BTreeMap<String, Attribute>,
}

/// Resources Nomad allocated to the task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Resources {
    /// CPU shares.
    pub cpu_shares: i64,
    /// Memory in MiB.
    pub memory_mb: i64,
    /// Memory ceiling in MiB (0: none).
    pub memory_max_mb: i64,
}

/// A host path mounted into the task.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Mount {
    /// Path inside the task.
    pub task_path: String,
    /// Path on the host.
    pub host_path: String,
    /// Read-only.
    pub readonly: bool,
}

/// Everything Nomad tells the driver about a task.
#[derive(Debug, Clone, Default)]
pub struct TaskConfig {
    /// Unique task id; the key of every later call.
    pub id: String,
    /// Task name.
    pub name: String,
    /// Allocation id.
    pub alloc_id: String,
    /// Job name.
    pub job_name: String,
    /// Job id.
    pub job_id: String,
    /// Task group name.
    pub task_group_name: String,
    /// Namespace.
    pub namespace: String,
    /// Node name.
    pub node_name: String,
    /// Node id.
    pub node_id: String,
    /// User to run as (empty: driver default).
    pub user: String,
    /// Allocation directory on the host.
    pub alloc_dir: String,
    /// Where the task's stdout goes (a FIFO or file).
    pub stdout_path: String,
    /// Where the task's stderr goes.
    pub stderr_path: String,
    /// Environment.
    pub env: BTreeMap<String, String>,
    /// Environment from device reservations.
    pub device_env: BTreeMap<String, String>,
    /// Allocated resources.
    pub resources: Resources,
    /// Mounts.
    pub mounts: Vec<Mount>,
    /// msgpack of the job's `config {}`; empty in `RecoverTask`.
    pub driver_config: Vec<u8>,
    /// The full wire form, so handles return to Nomad unchanged.
    pub(super) raw: pb::TaskConfig,
}

impl TaskConfig {
    /// Decodes the job's task config; errors name the field.
    pub fn decode_driver_config<T: DeserializeOwned>(&self) -> Result<T, DecodeError> {
        config::decode("driver config", &self.driver_config)
    }
}

/// Task state in a handle or status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TaskState {
    /// Unknown.
    #[default]
    Unknown,
    /// Running.
    Running,
    /// Exited.
    Exited,
}

/// What Nomad stores for a task and hands back to `RecoverTask`.
#[derive(Debug, Clone, Default)]
pub struct TaskHandle {
    /// Handle format version chosen by the driver; Nomad reserves 0, so the SDK sends 1 when
    /// this is 0.
    pub version: i32,
    /// The task's config (its `driver_config` is empty after a client restart).
    pub config: TaskConfig,
    /// State when the handle was made.
    pub state: TaskState,
    /// Opaque driver bytes; see [`TaskHandle::set_driver_state`].
    pub driver_state: Vec<u8>,
}

impl TaskHandle {
    /// A running-task handle for `config`.
    pub fn new(config: TaskConfig) -> Self {
        TaskHandle {
            version: 1,
            config,
            state: TaskState::Running,
            driver_state: Vec::new(),
        }
    }
    /// Stores `state` as msgpack in `driver_state`.
    pub fn set_driver_state<T: Serialize>(&mut self, state: &T) -> Result<(), DecodeError> {
        self.driver_state = config::encode("driver_state", state)?;
        Ok(())
    }
    /// Reads `driver_state` back; errors name the field.
    pub fn driver_state<T: DeserializeOwned>(&self) -> Result<T, DecodeError> {
        if self.driver_state.is_empty() {
            return Err(DecodeError {
                what: "driver_state",
                path: String::new(),
                message: "the handle carries no driver_state".into(),
            });
        }
        config::decode("driver_state", &self.driver_state)
    }
}

/// Port mapping and address the task should be advertised with.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NetworkOverride {
    /// Port label to port.
    pub port_map: BTreeMap<String, i32>,
    /// Address.
    pub addr: String,
    /// Advertise automatically.
    pub auto_advertise: bool,
}

/// A started task.
#[derive(Debug, Clone)]
pub struct StartedTask {
    /// The handle Nomad stores.
    pub handle: TaskHandle,
    /// Optional network override.
    pub network: Option<NetworkOverride>,
}

/// How a task (or exec command) ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ExitResult {
    /// Exit code (0 when killed by a signal).
    pub exit_code: i32,
    /// Terminating signal, 0 for none.
    pub signal: i32,
    /// Killed by the OOM killer.
    pub oom_killed: bool,
}

/// What `InspectTask` reports.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TaskStatus {
    /// Task id.
    pub id: String,
    /// Task name.
    pub name: String,
    /// State.
    pub state: TaskState,
    /// Start time.
    pub started_at: Option<SystemTime>,
    /// End time, when exited.
    pub completed_at: Option<SystemTime>,
    /// Exit result, when exited.
    pub exit: Option<ExitResult>,
    /// Driver-specific attributes.
    pub driver_attributes: BTreeMap<String, String>,
    /// Network override, if any.
    pub network: Option<NetworkOverride>,
}

/// CPU usage; list what you measured in `measured`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CpuUsage {
    /// Kernel-mode CPU percent.
    pub system_mode: f64,
    /// User-mode CPU percent.
    pub user_mode: f64,
    /// CPU ticks consumed.
    pub total_ticks: f64,
    /// Total CPU percent.
    pub percent: f64,
    /// Which fields are real.
    pub measured: Vec<CpuField>,
}

/// CPU fields that can be measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CpuField {
    /// `system_mode`.
    SystemMode,
    /// `user_mode`.
    UserMode,
    /// `total_ticks`.
    TotalTicks,
    /// `percent`.
    Percent,
}

/// Memory usage in bytes; list what you measured in `measured`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MemoryUsage {
    /// Resident set size.
    pub rss: u64,
    /// Page cache.
    pub cache: u64,
    /// Swap.
    pub swap: u64,
    /// Total usage.
    pub usage: u64,
    /// Peak usage.
    pub max_usage: u64,
    /// Which fields are real.
    pub measured: Vec<MemoryField>,
}

/// Memory fields that can be measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemoryField {
    /// `rss`.
    Rss,
    /// `cache`.
    Cache,
    /// `swap`.
    Swap,
    /// `usage`.
    Usage,
    /// `max_usage`.
    MaxUsage,
}

/// CPU and memory of a task or one of its processes.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ResourceUsage {
    /// CPU.
    pub cpu: CpuUsage,
    /// Memory.
    pub memory: MemoryUsage,
}

/// One stats sample.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskStats {
    /// When it was taken.
    pub timestamp: SystemTime,
    /// The whole task.
    pub total: ResourceUsage,
    /// Per process id.
    pub by_pid: BTreeMap<String, ResourceUsage>,
}

/// An event for the task's event log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskEvent {
    /// Task id.
    pub task_id: String,
    /// Allocation id.
    pub alloc_id: String,
    /// Task name.
    pub task_name: String,
    /// When.
    pub timestamp: SystemTime,
    /// Message.
    pub message: String,
    /// Annotations.
    pub annotations: BTreeMap<String, String>,
}

/// Output of a one-shot exec.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ExecOutput {
    /// Captured stdout.
    pub stdout: Vec<u8>,
    /// Captured stderr.
    pub stderr: Vec<u8>,
    /// How it ended.
    pub exit: ExitResult,
}

/// The start of an interactive exec session (`ExecTaskStreaming`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ExecSetup {
    /// Task to run the command in.
    pub task_id: String,
    /// Program and arguments; never empty (the SDK rejects an empty command).
    pub command: Vec<String>,
    /// Run on a pseudo-terminal; stdout and stderr are then one stream, sent as stdout.
    pub tty: bool,
}

/// What the host sends during an exec session, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExecInput {
    /// Bytes for the command's stdin.
    Stdin(Vec<u8>),
    /// The host's stdin ended (EOF).
    StdinClosed,
    /// The host's terminal was resized (tty sessions).
    Resize {
        /// Height in rows.
        rows: u16,
        /// Width in columns.
        cols: u16,
    },
}

/// The host went away: nobody reads the session's output any more.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the exec session's client went away")]
pub struct SessionClosed;

/// Where an exec session's output goes. Cloneable, so stdout and stderr can be pumped from
/// separate tasks.
#[derive(Debug, Clone)]
pub struct ExecSink {
    pub(super) tx: tokio::sync::mpsc::Sender<Result<pb::ExecTaskStreamingResponse, Status>>,
}

impl ExecSink {
    /// Largest payload per message, well under gRPC's 4 MiB default.
    const CHUNK: usize = 64 * 1024;

    async fn send(&self, data: &[u8], stderr: bool) -> Result<(), SessionClosed> {
        for chunk in data.chunks(Self::CHUNK) {
            let io = Some(pb::ExecTaskStreamingIoOperation {
                data: chunk.to_vec(),
                close: false,
            });
            let msg = if stderr {
                pb::ExecTaskStreamingResponse {
                    stderr: io,
                    ..Default::default()
                }
            } else {
                pb::ExecTaskStreamingResponse {
                    stdout: io,
                    ..Default::default()
                }
            };
            self.tx.send(Ok(msg)).await.map_err(|_| SessionClosed)?;
        }
        Ok(())
    }
    /// Sends bytes of the command's stdout (or of the terminal, for tty sessions).
    pub async fn stdout(&self, data: &[u8]) -> Result<(), SessionClosed> {
        self.send(data, false).await
    }
    /// Sends bytes of the command's stderr.
    pub async fn stderr(&self, data: &[u8]) -> Result<(), SessionClosed> {
        self.send(data, true).await
    }
    /// Resolves when the host has gone away; a driver should then kill the command.
    pub async fn closed(&self) {
        self.tx.closed().await;
    }
}
