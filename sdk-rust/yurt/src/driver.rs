//! Task drivers: the typed [`DriverPlugin`] trait and the types it speaks, served as Nomad's
//! `hashicorp.nomad.plugins.drivers.proto.Driver`.
//!
//! Two Nomad facts shape this API. `RecoverTask` runs in a fresh plugin process and receives the
//! handle without the task's driver config, so everything a driver needs to find its task again
//! belongs in [`TaskHandle::driver_state`]. And Nomad recognises an unknown task only by the text
//! `task not found for given id`, which [`Error::TaskNotFound`] sends.

use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use serde::Serialize;
use serde::de::DeserializeOwned;
use tokio_stream::{Stream, StreamExt};
use tonic::{Request, Response, Status, Streaming};

use crate::base::{self, Attribute, BasePlugin, from_duration, timestamp};
use crate::config::{self, DecodeError};
use crate::error::Error;
use crate::r#gen::drivers as pb;
use crate::goplugin::{BoxStream, ShutdownSignal, until_shutdown};
use crate::hclspec::Spec;

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
    raw: pb::TaskConfig,
}

impl TaskConfig {
    /// Decodes the job's task config; errors name the field.
    pub fn decode_driver_config<T: DeserializeOwned>(&self) -> Result<T, DecodeError> {
        config::decode("driver config", &self.driver_config)
    }

    pub(crate) fn from_proto(p: pb::TaskConfig) -> Self {
        let res = p
            .resources
            .as_ref()
            .and_then(|r| r.allocated_resources.as_ref());
        TaskConfig {
            id: p.id.clone(),
            name: p.name.clone(),
            alloc_id: p.alloc_id.clone(),
            job_name: p.job_name.clone(),
            job_id: p.job_id.clone(),
            task_group_name: p.task_group_name.clone(),
            namespace: p.namespace.clone(),
            node_name: p.node_name.clone(),
            node_id: p.node_id.clone(),
            user: p.user.clone(),
            alloc_dir: p.alloc_dir.clone(),
            stdout_path: p.stdout_path.clone(),
            stderr_path: p.stderr_path.clone(),
            env: p.env.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
            device_env: p
                .device_env
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            resources: Resources {
                cpu_shares: res.and_then(|r| r.cpu.as_ref()).map_or(0, |c| c.cpu_shares),
                memory_mb: res
                    .and_then(|r| r.memory.as_ref())
                    .map_or(0, |m| m.memory_mb),
                memory_max_mb: res
                    .and_then(|r| r.memory.as_ref())
                    .map_or(0, |m| m.memory_max_mb),
            },
            mounts: p
                .mounts
                .iter()
                .map(|m| Mount {
                    task_path: m.task_path.clone(),
                    host_path: m.host_path.clone(),
                    readonly: m.readonly,
                })
                .collect(),
            driver_config: p.msgpack_driver_config.clone(),
            raw: p,
        }
    }

    /// The wire form: what came in (fields this type does not map survive untouched), with
    /// every mapped field as it is now, so configs built in code (host-side tests) travel whole.
    pub(crate) fn to_proto(&self) -> pb::TaskConfig {
        let mut p = self.raw.clone();
        p.id.clone_from(&self.id);
        p.name.clone_from(&self.name);
        p.alloc_id.clone_from(&self.alloc_id);
        p.job_name.clone_from(&self.job_name);
        p.job_id.clone_from(&self.job_id);
        p.task_group_name.clone_from(&self.task_group_name);
        p.namespace.clone_from(&self.namespace);
        p.node_name.clone_from(&self.node_name);
        p.node_id.clone_from(&self.node_id);
        p.user.clone_from(&self.user);
        p.alloc_dir.clone_from(&self.alloc_dir);
        p.stdout_path.clone_from(&self.stdout_path);
        p.stderr_path.clone_from(&self.stderr_path);
        p.env = self
            .env
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        p.device_env = self
            .device_env
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        // Mounts and resources: keep the wire form (with fields this type does not map) unless
        // the typed values were changed.
        let wire = TaskConfig::from_proto(self.raw.clone());
        if wire.mounts != self.mounts {
            p.mounts = self
                .mounts
                .iter()
                .map(|m| pb::Mount {
                    task_path: m.task_path.clone(),
                    host_path: m.host_path.clone(),
                    readonly: m.readonly,
                    ..Default::default()
                })
                .collect();
        }
        if wire.resources != self.resources {
            let res = p.resources.get_or_insert_with(Default::default);
            let alloc = res.allocated_resources.get_or_insert_with(Default::default);
            alloc.cpu.get_or_insert_with(Default::default).cpu_shares = self.resources.cpu_shares;
            let mem = alloc.memory.get_or_insert_with(Default::default);
            mem.memory_mb = self.resources.memory_mb;
            mem.memory_max_mb = self.resources.memory_max_mb;
        }
        p.msgpack_driver_config.clone_from(&self.driver_config);
        p
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

impl TaskState {
    fn to_proto(self) -> pb::TaskState {
        match self {
            TaskState::Unknown => pb::TaskState::Unknown,
            TaskState::Running => pb::TaskState::Running,
            TaskState::Exited => pb::TaskState::Exited,
        }
    }
    pub(crate) fn from_proto(v: i32) -> Self {
        match pb::TaskState::try_from(v) {
            Ok(pb::TaskState::Running) => TaskState::Running,
            Ok(pb::TaskState::Exited) => TaskState::Exited,
            _ => TaskState::Unknown,
        }
    }
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

    pub(crate) fn to_proto(&self) -> pb::TaskHandle {
        pb::TaskHandle {
            version: if self.version == 0 { 1 } else { self.version },
            config: Some(self.config.to_proto()),
            state: self.state.to_proto() as i32,
            driver_state: self.driver_state.clone(),
        }
    }
    pub(crate) fn from_proto(p: pb::TaskHandle) -> Self {
        TaskHandle {
            version: p.version,
            config: TaskConfig::from_proto(p.config.unwrap_or_default()),
            state: TaskState::from_proto(p.state),
            driver_state: p.driver_state,
        }
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

impl NetworkOverride {
    fn to_proto(&self) -> pb::NetworkOverride {
        pb::NetworkOverride {
            port_map: self.port_map.iter().map(|(k, v)| (k.clone(), *v)).collect(),
            addr: self.addr.clone(),
            auto_advertise: self.auto_advertise,
        }
    }
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

impl ExitResult {
    fn to_proto(self) -> pb::ExitResult {
        pb::ExitResult {
            exit_code: self.exit_code,
            signal: self.signal,
            oom_killed: self.oom_killed,
        }
    }
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

impl ResourceUsage {
    fn to_proto(&self) -> pb::TaskResourceUsage {
        use pb::cpu_usage::Fields as C;
        use pb::memory_usage::Fields as M;
        pb::TaskResourceUsage {
            cpu: Some(pb::CpuUsage {
                system_mode: self.cpu.system_mode,
                user_mode: self.cpu.user_mode,
                total_ticks: self.cpu.total_ticks,
                percent: self.cpu.percent,
                measured_fields: self
                    .cpu
                    .measured
                    .iter()
                    .map(|f| match f {
                        CpuField::SystemMode => C::SystemMode as i32,
                        CpuField::UserMode => C::UserMode as i32,
                        CpuField::TotalTicks => C::TotalTicks as i32,
                        CpuField::Percent => C::Percent as i32,
                    })
                    .collect(),
                ..Default::default()
            }),
            memory: Some(pb::MemoryUsage {
                rss: self.memory.rss,
                cache: self.memory.cache,
                swap: self.memory.swap,
                usage: self.memory.usage,
                max_usage: self.memory.max_usage,
                measured_fields: self
                    .memory
                    .measured
                    .iter()
                    .map(|f| match f {
                        MemoryField::Rss => M::Rss as i32,
                        MemoryField::Cache => M::Cache as i32,
                        MemoryField::Swap => M::Swap as i32,
                        MemoryField::Usage => M::Usage as i32,
                        MemoryField::MaxUsage => M::MaxUsage as i32,
                    })
                    .collect(),
                ..Default::default()
            }),
        }
    }
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
    tx: tokio::sync::mpsc::Sender<Result<pb::ExecTaskStreamingResponse, Status>>,
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

fn exec_inputs(m: pb::ExecTaskStreamingRequest) -> Vec<ExecInput> {
    let mut v = Vec::new();
    if let Some(sz) = m.tty_size {
        let clamp = |x: i32| u16::try_from(x.max(0)).unwrap_or(u16::MAX);
        v.push(ExecInput::Resize {
            rows: clamp(sz.height),
            cols: clamp(sz.width),
        });
    }
    if let Some(io) = m.stdin {
        if !io.data.is_empty() {
            v.push(ExecInput::Stdin(io.data));
        }
        if io.close {
            v.push(ExecInput::StdinClosed);
        }
    }
    v
}

/// A Nomad task driver. Implement the required methods; the optional ones default to what
/// Nomad treats as "not supported".
pub trait DriverPlugin: BasePlugin {
    /// Schema of the job's task `config {}` block.
    fn task_config_schema(&self) -> Spec;

    /// What the driver supports.
    fn capabilities(&self) -> Capabilities;

    /// A stream of fingerprints: one at once, then on change. Ending it makes Nomad redispense.
    fn fingerprint(&self) -> PluginStream<Fingerprint>;

    /// Re-attaches to a task from its handle alone (fresh process; no driver config). Must
    /// succeed when the task is already known.
    fn recover_task(&self, handle: TaskHandle) -> impl Future<Output = Result<(), Error>> + Send;

    /// Starts a task; clean up on error.
    fn start_task(
        &self,
        config: TaskConfig,
    ) -> impl Future<Output = Result<StartedTask, Error>> + Send;

    /// Blocks until the task exits; returns at once after exit; callable many times.
    fn wait_task(&self, task_id: String) -> impl Future<Output = Result<ExitResult, Error>> + Send;

    /// Sends `signal` (empty: driver default), then kills after `timeout`. No cleanup.
    fn stop_task(
        &self,
        task_id: String,
        timeout: Duration,
        signal: String,
    ) -> impl Future<Output = Result<(), Error>> + Send;

    /// Forgets the task. Must fail on a running task unless `force`, which kills it.
    fn destroy_task(
        &self,
        task_id: String,
        force: bool,
    ) -> impl Future<Output = Result<(), Error>> + Send;

    /// Current status.
    fn inspect_task(
        &self,
        task_id: String,
    ) -> impl Future<Output = Result<TaskStatus, Error>> + Send;

    /// Stats every `interval` until the task ends or Nomad stops listening.
    fn task_stats(
        &self,
        task_id: String,
        interval: Duration,
    ) -> impl Future<Output = Result<PluginStream<TaskStats>, Error>> + Send {
        let _ = (task_id, interval);
        async { Err(Error::other("stats not implemented for driver")) }
    }

    /// Events for all tasks; one long-lived stream per plugin.
    fn task_events(&self) -> PluginStream<TaskEvent> {
        Box::pin(tokio_stream::pending())
    }

    /// Sends a signal (`"SIGHUP"`, ...).
    fn signal_task(
        &self,
        task_id: String,
        signal: String,
    ) -> impl Future<Output = Result<(), Error>> + Send {
        let _ = (task_id, signal);
        async { Err(Error::other("SignalTask is not supported by this driver")) }
    }

    /// Runs a command in the task's context and captures its output.
    fn exec_task(
        &self,
        task_id: String,
        command: Vec<String>,
        timeout: Duration,
    ) -> impl Future<Output = Result<ExecOutput, Error>> + Send {
        let _ = (task_id, command, timeout);
        async { Err(Error::other("ExecTask is not supported by this driver")) }
    }

    /// Runs an interactive command in the task's context: read `input` (stdin, resizes), write
    /// output to `output`, return how the command ended. The SDK sends the final `exited`
    /// message; an error ends the stream with that error instead. Required when
    /// [`Capabilities::exec`] is set.
    fn exec_task_streaming(
        &self,
        setup: ExecSetup,
        input: PluginStream<ExecInput>,
        output: ExecSink,
    ) -> impl Future<Output = Result<ExitResult, Error>> + Send {
        let _ = (setup, input, output);
        async {
            Err(Error::Unimplemented(
                "ExecTaskStreaming is not supported by this driver".into(),
            ))
        }
    }

    /// Optional one-time setup after SetConfig.
    fn init(&self) -> impl Future<Output = Result<(), Error>> + Send {
        async { Err(Error::Unimplemented("Init is not implemented".into())) }
    }

    /// Optional cleanup before Nomad stops the plugin.
    fn shutdown(&self) -> impl Future<Output = Result<(), Error>> + Send {
        async { Err(Error::Unimplemented("Shutdown is not implemented".into())) }
    }
}

pub(crate) struct DriverServer<D> {
    pub(crate) driver: Arc<D>,
    pub(crate) shutdown: ShutdownSignal,
}

fn need_id(id: &str) -> Result<(), Status> {
    if id.is_empty() {
        Err(Status::invalid_argument(
            "task_id: expected a non-empty task id, got \"\"",
        ))
    } else {
        Ok(())
    }
}

#[tonic::async_trait]
impl<D: DriverPlugin> pb::driver_server::Driver for DriverServer<D> {
    async fn task_config_schema(
        &self,
        _req: Request<pb::TaskConfigSchemaRequest>,
    ) -> Result<Response<pb::TaskConfigSchemaResponse>, Status> {
        Ok(Response::new(pb::TaskConfigSchemaResponse {
            spec: Some(self.driver.task_config_schema().to_proto()),
        }))
    }

    async fn capabilities(
        &self,
        _req: Request<pb::CapabilitiesRequest>,
    ) -> Result<Response<pb::CapabilitiesResponse>, Status> {
        use pb::driver_capabilities::{FsIsolation as F, MountConfigs as M};
        let c = self.driver.capabilities();
        Ok(Response::new(pb::CapabilitiesResponse {
            capabilities: Some(pb::DriverCapabilities {
                send_signals: c.send_signals,
                exec: c.exec,
                fs_isolation: match c.fs_isolation {
                    FsIsolation::None => F::None,
                    FsIsolation::Chroot => F::Chroot,
                    FsIsolation::Image => F::Image,
                    FsIsolation::Unveil => F::Unveil,
                } as i32,
                network_isolation_modes: vec![
                    pb::network_isolation_spec::NetworkIsolationMode::Host as i32,
                ],
                must_create_network: false,
                mount_configs: if c.no_mounts {
                    M::NoMounts
                } else {
                    M::AnyMounts
                } as i32,
                disable_log_collection: c.disable_log_collection,
                dynamic_workload_users: false,
            }),
        }))
    }

    type FingerprintStream = BoxStream<pb::FingerprintResponse>;

    async fn fingerprint(
        &self,
        _req: Request<pb::FingerprintRequest>,
    ) -> Result<Response<Self::FingerprintStream>, Status> {
        use pb::fingerprint_response::HealthState as H;
        let s = self.driver.fingerprint().map(|f| {
            Ok(pb::FingerprintResponse {
                attributes: base::attributes_to_proto(&f.attributes),
                health: match f.health {
                    Health::Undetected => H::Undetected,
                    Health::Unhealthy => H::Unhealthy,
                    Health::Healthy => H::Healthy,
                } as i32,
                health_description: f.health_description,
                err: String::new(),
            })
        });
        Ok(Response::new(until_shutdown(s, self.shutdown.clone())))
    }

    async fn recover_task(
        &self,
        req: Request<pb::RecoverTaskRequest>,
    ) -> Result<Response<pb::RecoverTaskResponse>, Status> {
        // Nomad sends only the handle: task_id is empty and the id is handle.config.id
        // (hashicorp/nomad v2.0.5 plugins/drivers/client.go RecoverTask). task_id is a
        // fallback for a handle without an id.
        let req = req.into_inner();
        let handle = req
            .handle
            .ok_or_else(|| Status::invalid_argument("handle: expected a task handle, got none"))?;
        let mut handle = TaskHandle::from_proto(handle);
        if handle.config.id.is_empty() {
            handle.config.id = req.task_id;
        }
        if handle.config.id.is_empty() {
            return Err(Status::invalid_argument(
                "handle.config.id: expected the task id, got \"\" (and task_id is empty too)",
            ));
        }
        self.driver.recover_task(handle).await?;
        Ok(Response::new(pb::RecoverTaskResponse {}))
    }

    async fn start_task(
        &self,
        req: Request<pb::StartTaskRequest>,
    ) -> Result<Response<pb::StartTaskResponse>, Status> {
        let task = req
            .into_inner()
            .task
            .ok_or_else(|| Status::invalid_argument("task: expected a task config, got none"))?;
        need_id(&task.id)?;
        let started = self.driver.start_task(TaskConfig::from_proto(task)).await?;
        Ok(Response::new(pb::StartTaskResponse {
            result: pb::start_task_response::Result::Success as i32,
            driver_error_msg: String::new(),
            handle: Some(started.handle.to_proto()),
            network_override: started.network.as_ref().map(NetworkOverride::to_proto),
        }))
    }

    async fn wait_task(
        &self,
        req: Request<pb::WaitTaskRequest>,
    ) -> Result<Response<pb::WaitTaskResponse>, Status> {
        let id = req.into_inner().task_id;
        need_id(&id)?;
        match self.driver.wait_task(id).await {
            Ok(exit) => Ok(Response::new(pb::WaitTaskResponse {
                result: Some(exit.to_proto()),
                err: String::new(),
            })),
            Err(e @ (Error::TaskNotFound | Error::InvalidArgument(_))) => Err(e.into()),
            // The result is unknown (a lost supervisor): Nomad's own drivers
            // answer with the error and exit code -1, never 0 (hashicorp/nomad
            // v2.0.5 drivers/rawexec/driver.go handleWait: "if process state is
            // nil, we've probably been killed, so return a reasonable exit
            // state").
            Err(e) => Ok(Response::new(pb::WaitTaskResponse {
                result: Some(pb::ExitResult {
                    exit_code: -1,
                    ..Default::default()
                }),
                err: e.to_string(),
            })),
        }
    }

    async fn stop_task(
        &self,
        req: Request<pb::StopTaskRequest>,
    ) -> Result<Response<pb::StopTaskResponse>, Status> {
        let req = req.into_inner();
        need_id(&req.task_id)?;
        let timeout = from_duration(req.timeout.as_ref()).unwrap_or(Duration::ZERO);
        self.driver
            .stop_task(req.task_id, timeout, req.signal)
            .await?;
        Ok(Response::new(pb::StopTaskResponse {}))
    }

    async fn destroy_task(
        &self,
        req: Request<pb::DestroyTaskRequest>,
    ) -> Result<Response<pb::DestroyTaskResponse>, Status> {
        let req = req.into_inner();
        need_id(&req.task_id)?;
        self.driver.destroy_task(req.task_id, req.force).await?;
        Ok(Response::new(pb::DestroyTaskResponse {}))
    }

    async fn inspect_task(
        &self,
        req: Request<pb::InspectTaskRequest>,
    ) -> Result<Response<pb::InspectTaskResponse>, Status> {
        let id = req.into_inner().task_id;
        need_id(&id)?;
        let s = self.driver.inspect_task(id).await?;
        Ok(Response::new(pb::InspectTaskResponse {
            task: Some(pb::TaskStatus {
                id: s.id,
                name: s.name,
                state: s.state.to_proto() as i32,
                // Both always set, Go's zero time while unknown, as Nomad's server sends.
                started_at: Some(base::timestamp_or_go_zero(s.started_at)),
                completed_at: Some(base::timestamp_or_go_zero(s.completed_at)),
                // Always set, empty while running, as Nomad's server sends it:
                // its Go client dereferences it (hashicorp/nomad v2.0.5
                // plugins/drivers/utils.go exitResultToProto/exitResultFromProto,
                // taskStatusFromProto), so a missing one panics the agent.
                result: Some(s.exit.map(ExitResult::to_proto).unwrap_or_default()),
            }),
            driver: Some(pb::TaskDriverStatus {
                attributes: s.driver_attributes.into_iter().collect(),
            }),
            network_override: s.network.as_ref().map(NetworkOverride::to_proto),
        }))
    }

    type TaskStatsStream = BoxStream<pb::TaskStatsResponse>;

    async fn task_stats(
        &self,
        req: Request<pb::TaskStatsRequest>,
    ) -> Result<Response<Self::TaskStatsStream>, Status> {
        let req = req.into_inner();
        need_id(&req.task_id)?;
        let interval = from_duration(req.collection_interval.as_ref())
            .filter(|d| !d.is_zero())
            .unwrap_or(Duration::from_secs(1));
        let id = req.task_id.clone();
        let s = self.driver.task_stats(req.task_id, interval).await?;
        let s = s.map(move |st| {
            Ok(pb::TaskStatsResponse {
                stats: Some(pb::TaskStats {
                    id: id.clone(),
                    timestamp: Some(timestamp(st.timestamp)),
                    agg_resource_usage: Some(st.total.to_proto()),
                    resource_usage_by_pid: st
                        .by_pid
                        .iter()
                        .map(|(k, v)| (k.clone(), v.to_proto()))
                        .collect(),
                }),
            })
        });
        Ok(Response::new(until_shutdown(s, self.shutdown.clone())))
    }

    type TaskEventsStream = BoxStream<pb::DriverTaskEvent>;

    async fn task_events(
        &self,
        _req: Request<pb::TaskEventsRequest>,
    ) -> Result<Response<Self::TaskEventsStream>, Status> {
        let s = self.driver.task_events().map(|e| {
            Ok(pb::DriverTaskEvent {
                task_id: e.task_id,
                alloc_id: e.alloc_id,
                task_name: e.task_name,
                timestamp: Some(timestamp(e.timestamp)),
                message: e.message,
                annotations: e.annotations.into_iter().collect(),
            })
        });
        Ok(Response::new(until_shutdown(s, self.shutdown.clone())))
    }

    async fn signal_task(
        &self,
        req: Request<pb::SignalTaskRequest>,
    ) -> Result<Response<pb::SignalTaskResponse>, Status> {
        let req = req.into_inner();
        need_id(&req.task_id)?;
        self.driver.signal_task(req.task_id, req.signal).await?;
        Ok(Response::new(pb::SignalTaskResponse {}))
    }

    async fn exec_task(
        &self,
        req: Request<pb::ExecTaskRequest>,
    ) -> Result<Response<pb::ExecTaskResponse>, Status> {
        let req = req.into_inner();
        need_id(&req.task_id)?;
        if req.command.is_empty() {
            return Err(Status::invalid_argument(
                "command: expected at least the program name, got an empty list",
            ));
        }
        let timeout = from_duration(req.timeout.as_ref())
            .filter(|d| !d.is_zero())
            .unwrap_or(Duration::from_secs(3600));
        let out = self
            .driver
            .exec_task(req.task_id, req.command, timeout)
            .await?;
        Ok(Response::new(pb::ExecTaskResponse {
            stdout: out.stdout,
            stderr: out.stderr,
            result: Some(out.exit.to_proto()),
        }))
    }

    type ExecTaskStreamingStream = BoxStream<pb::ExecTaskStreamingResponse>;

    async fn exec_task_streaming(
        &self,
        req: Request<Streaming<pb::ExecTaskStreamingRequest>>,
    ) -> Result<Response<Self::ExecTaskStreamingStream>, Status> {
        use tokio::sync::mpsc;
        let mut inbound = req.into_inner();
        let first = inbound.message().await?.ok_or_else(|| {
            Status::invalid_argument(
                "setup: expected a first message carrying setup, the stream ended",
            )
        })?;
        let setup = first.setup.clone().ok_or_else(|| {
            Status::invalid_argument("setup: expected the first message to carry setup, got none")
        })?;
        need_id(&setup.task_id)?;
        if setup.command.is_empty() {
            return Err(Status::invalid_argument(
                "setup.command: expected at least the program name, got an empty list",
            ));
        }
        let (in_tx, in_rx) = mpsc::channel::<ExecInput>(64);
        tokio::spawn(async move {
            let mut next = Some(first);
            loop {
                let m = match next.take() {
                    Some(m) => m,
                    None => match inbound.next().await {
                        Some(Ok(m)) => m,
                        // The host closed its side or went away: no more input.
                        _ => return,
                    },
                };
                for i in exec_inputs(m) {
                    if in_tx.send(i).await.is_err() {
                        return;
                    }
                }
            }
        });
        let (out_tx, out_rx) = mpsc::channel(64);
        let sink = ExecSink { tx: out_tx.clone() };
        let driver = self.driver.clone();
        let setup = ExecSetup {
            task_id: setup.task_id,
            command: setup.command,
            tty: setup.tty,
        };
        tokio::spawn(async move {
            let input: PluginStream<ExecInput> =
                Box::pin(tokio_stream::wrappers::ReceiverStream::new(in_rx));
            let last = match driver.exec_task_streaming(setup, input, sink).await {
                Ok(exit) => Ok(pb::ExecTaskStreamingResponse {
                    exited: true,
                    result: Some(exit.to_proto()),
                    ..Default::default()
                }),
                Err(e) => Err(Status::from(e)),
            };
            let _ = out_tx.send(last).await;
        });
        let out: BoxStream<pb::ExecTaskStreamingResponse> =
            Box::pin(tokio_stream::wrappers::ReceiverStream::new(out_rx));
        Ok(Response::new(until_shutdown(out, self.shutdown.clone())))
    }

    async fn create_network(
        &self,
        _req: Request<pb::CreateNetworkRequest>,
    ) -> Result<Response<pb::CreateNetworkResponse>, Status> {
        Err(Status::unimplemented("CreateNetwork is not supported"))
    }

    async fn destroy_network(
        &self,
        _req: Request<pb::DestroyNetworkRequest>,
    ) -> Result<Response<pb::DestroyNetworkResponse>, Status> {
        Err(Status::unimplemented("DestroyNetwork is not supported"))
    }

    async fn init(
        &self,
        _req: Request<pb::InitRequest>,
    ) -> Result<Response<pb::InitResponse>, Status> {
        self.driver.init().await?;
        Ok(Response::new(pb::InitResponse {}))
    }

    async fn shutdown(
        &self,
        _req: Request<pb::ShutdownRequest>,
    ) -> Result<Response<pb::ShutdownResponse>, Status> {
        self.driver.shutdown().await?;
        Ok(Response::new(pb::ShutdownResponse {}))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
