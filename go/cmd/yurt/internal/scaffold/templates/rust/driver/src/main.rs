//! `__NAME__`: a Nomad task driver written with the Yurt Rust SDK.
//!
//! It runs a task's `command` with `args` as a host process (like Nomad's raw_exec). Each task
//! runs under the SDK's supervision layer (`yurt::supervise`): this binary re-executed as
//! `__NAME__ yurt-supervise <dir>` in its own session (`yurt::serve_driver` recognises that argv
//! first), which outlives the plugin, forwards the task's output to Nomad's log FIFOs and
//! records its real exit status. `driver_state` is the layer's handle: all a fresh plugin
//! process needs to recover the task.
//!
//! ```hcl
//! plugin "__NAME__" { config { state_dir = "/var/lib/__NAME__" } }   # optional
//! task "web" {
//!   driver = "__NAME__"
//!   config { command = "python3"  args = ["-m", "http.server"] }
//! }
//! ```

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::Deserialize;
use tokio_stream::StreamExt as _;
use yurt::Error;
use yurt::base::{AgentConfig, BasePlugin, PluginConfig, PluginInfo};
use yurt::driver::{
    Capabilities, DriverPlugin, ExecInput, ExecOutput, ExecSetup, ExecSink, ExitResult,
    Fingerprint, Health, PluginStream, StartedTask, TaskConfig, TaskHandle, TaskState, TaskStats,
    TaskStatus,
};
use yurt::hclspec::{Spec, attr, default, literal, object};
use yurt::supervise::{self, ResourceLimits, Task, TaskSpec};

/// The driver name jobs use: `driver = "__NAME__"`.
const NAME: &str = "__NAME__";

/// The plugin's `config {}` block in the Nomad client's `plugin "__NAME__"` stanza.
#[derive(Debug, Default, Deserialize)]
struct PluginCfg {
    #[serde(default)]
    state_dir: Option<String>,
}

/// A task's `config {}` block in a job.
#[derive(Debug, Deserialize)]
struct TaskCfg {
    command: String,
    #[serde(default)]
    args: Option<Vec<String>>,
}

/// The driver: the plugin config, the agent's config and the tasks this process knows.
#[derive(Default)]
struct Driver {
    state_dir: Mutex<Option<PathBuf>>,
    agent: Mutex<Option<AgentConfig>>,
    tasks: Mutex<HashMap<String, (TaskConfig, Task)>>,
}

fn exit_result(r: &supervise::ExitResult) -> ExitResult {
    ExitResult {
        exit_code: r.exit_code,
        signal: r.signal,
        oom_killed: r.oom_killed,
    }
}

fn time(unix_nano: i64) -> SystemTime {
    UNIX_EPOCH + Duration::from_nanos(u64::try_from(unix_nano).unwrap_or(0))
}

/// Runs a blocking layer call off the async runtime.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, supervise::Error> + Send + 'static,
) -> Result<T, Error> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| Error::other(format!("supervision call failed: {e}")))?
        .map_err(Error::from)
}

fn signal_number(name: &str) -> Result<i32, Error> {
    supervise::spawn::signal_number(name)
        .ok_or_else(|| Error::InvalidArgument(format!("signal: unknown signal {name:?}")))
}

/// Nomad's task directory, `<alloc_dir>/<task name>`, when it exists; else the alloc dir.
fn task_dir(config: &TaskConfig) -> String {
    let dir = Path::new(&config.alloc_dir).join(&config.name);
    if !config.alloc_dir.is_empty() && !config.name.is_empty() && dir.is_dir() {
        dir.to_string_lossy().into_owned()
    } else {
        config.alloc_dir.clone()
    }
}

impl Driver {
    fn task(&self, id: &str) -> Result<(TaskConfig, Task), Error> {
        let tasks = self
            .tasks
            .lock()
            .map_err(|_| Error::other("task table poisoned"))?;
        tasks.get(id).cloned().ok_or(Error::TaskNotFound)
    }

    /// Where the supervisor keeps the task's state: the plugin config's state_dir, else the
    /// task's private/ dir (hidden from the task, removed with the allocation), else the temp
    /// dir.
    fn state_dir(&self, config: &TaskConfig) -> PathBuf {
        let private = Path::new(&task_dir(config)).join("private");
        let root = match self.state_dir.lock().ok().and_then(|g| g.clone()) {
            Some(dir) => dir,
            None if !config.alloc_dir.is_empty() && private.is_dir() => private.join(NAME),
            None => std::env::temp_dir().join(format!("yurt-{NAME}")),
        };
        let id: String = config
            .id
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect();
        root.join(id)
    }
}

impl BasePlugin for Driver {
    fn info(&self) -> PluginInfo {
        PluginInfo {
            name: NAME.into(),
            version: env!("CARGO_PKG_VERSION").into(),
        }
    }

    /// The schema Nomad decodes the plugin config with.
    fn config_schema(&self) -> Option<Spec> {
        Some(object([(
            "state_dir",
            default(attr("state_dir", "string"), literal("\"\"")),
        )]))
    }

    /// Nomad sends the plugin config (schema defaults filled in) and the agent's config (host
    /// CPU topology) before anything else.
    async fn set_config(&self, config: PluginConfig) -> Result<(), Error> {
        let c: PluginCfg = config.decode()?;
        if let Ok(mut g) = self.state_dir.lock() {
            *g = c.state_dir.filter(|d| !d.is_empty()).map(PathBuf::from);
        }
        if let (Ok(mut g), Some(a)) = (self.agent.lock(), config.agent) {
            *g = Some(a);
        }
        Ok(())
    }
}

impl DriverPlugin for Driver {
    /// The schema Nomad decodes a task's `config {}` block with.
    fn task_config_schema(&self) -> Spec {
        object([
            ("command", attr("command", "string").required()),
            ("args", default(attr("args", "list(string)"), literal("[]"))),
        ])
    }

    /// Which optional calls this driver supports.
    fn capabilities(&self) -> Capabilities {
        Capabilities {
            send_signals: true,
            exec: true,
            ..Default::default()
        }
    }

    /// The driver's health, at once and then whenever it changes. Nomad reads it for as long
    /// as the stream is open: keep it open (its end marks the driver lost).
    fn fingerprint(&self) -> PluginStream<Fingerprint> {
        let fp = Fingerprint {
            health: Health::Healthy,
            health_description: "Healthy".into(),
            attributes: [(
                format!("driver.{NAME}.version"),
                env!("CARGO_PKG_VERSION").into(),
            )]
            .into(),
        };
        Box::pin(tokio_stream::once(fp).chain(tokio_stream::pending()))
    }

    /// Runs in a fresh plugin process after a restart. Nomad sends only the handle: rebuild
    /// the task from `driver_state`, return Ok for a task this process already has, and fail
    /// when it cannot be recovered (Nomad then destroys the task and starts it again).
    async fn recover_task(&self, handle: TaskHandle) -> Result<(), Error> {
        if self.task(&handle.config.id).is_ok() {
            return Ok(());
        }
        let task = supervise::reattach(&handle.driver_state)?;
        // A supervisor gone without an exit record cannot be recovered: say why.
        task.exit()?;
        if let Ok(mut t) = self.tasks.lock() {
            t.insert(handle.config.id.clone(), (handle.config, task));
        }
        Ok(())
    }

    /// Starts the task and returns its handle. Nomad persists the handle's `driver_state` and
    /// gives nothing else back after a restart, so it must be enough to find the task again.
    async fn start_task(&self, config: TaskConfig) -> Result<StartedTask, Error> {
        if self.task(&config.id).is_ok() {
            return Err(Error::other(format!(
                "task {:?} is already started",
                config.id
            )));
        }
        let tc: TaskCfg = config.decode_driver_config()?;
        if tc.command.trim().is_empty() {
            return Err(Error::InvalidArgument(format!(
                "config.command: expected a program to run, got {:?}",
                tc.command
            )));
        }
        let r = &config.resources;
        let memory_mb = if r.memory_max_mb > 0 {
            r.memory_max_mb
        } else {
            r.memory_mb
        };
        let mut env = BTreeMap::from([(
            "PATH".to_string(),
            "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".to_string(),
        )]);
        env.extend(config.env.clone());
        env.extend(config.device_env.clone());
        let spec = TaskSpec {
            task_id: config.id.clone(),
            command: tc.command,
            args: tc.args.unwrap_or_default(),
            env: env.into_iter().map(|(k, v)| format!("{k}={v}")).collect(),
            working_dir: task_dir(&config),
            user: config.user.clone(),
            stdout_path: config.stdout_path.clone(),
            stderr_path: config.stderr_path.clone(),
            limits: Some(ResourceLimits {
                memory_limit_bytes: memory_mb.max(0) * 1024 * 1024,
                cpu_shares: r.cpu_shares.max(0),
            }),
            ..Default::default()
        };
        let dir = self.state_dir(&config);
        let task = blocking(move || supervise::start(&spec, &dir)).await?;
        let mut handle = TaskHandle::new(config.clone());
        handle.driver_state = task.handle();
        if let Ok(mut t) = self.tasks.lock() {
            t.insert(config.id.clone(), (config, task));
        }
        Ok(StartedTask {
            handle,
            network: None,
        })
    }

    /// Blocks until the task exits. Nomad may call it many times, concurrently and after the
    /// exit: each call gets the same result.
    async fn wait_task(&self, task_id: String) -> Result<ExitResult, Error> {
        let (_, task) = self.task(&task_id)?;
        Ok(exit_result(&supervise::wait(&task).await?))
    }

    /// Sends the signal (SIGINT when Nomad names none, as its executor does), waits up to
    /// `timeout`, then kills the task and everything it started.
    async fn stop_task(
        &self,
        task_id: String,
        timeout: Duration,
        signal: String,
    ) -> Result<(), Error> {
        let (_, task) = self.task(&task_id)?;
        let sig = if signal.is_empty() {
            libc::SIGINT
        } else {
            signal_number(&signal)?
        };
        blocking(move || task.stop(sig, timeout)).await?;
        Ok(())
    }

    /// Cleans up after the task. A running task is an error unless `force`, which kills it
    /// first; nothing of the task may be left afterwards.
    async fn destroy_task(&self, task_id: String, force: bool) -> Result<(), Error> {
        let (_, task) = self.task(&task_id)?;
        if !force && task.exit()?.is_none() {
            return Err(Error::other("cannot destroy running task"));
        }
        blocking(move || task.destroy()).await?;
        if let Ok(mut t) = self.tasks.lock() {
            t.remove(&task_id);
        }
        Ok(())
    }

    /// The task's state: running, or exited with its exit result and completion time.
    async fn inspect_task(&self, task_id: String) -> Result<TaskStatus, Error> {
        let (config, task) = self.task(&task_id)?;
        let (state, completed_at, exit) = match task.exit() {
            Ok(None) => (TaskState::Running, None, None),
            Ok(Some(e)) => (
                TaskState::Exited,
                Some(time(e.completed_at_unix_nano)),
                Some(exit_result(&e)),
            ),
            Err(_) => (TaskState::Unknown, None, None),
        };
        let s = task.started();
        Ok(TaskStatus {
            id: config.id.clone(),
            name: config.name.clone(),
            state,
            started_at: Some(time(s.started_at_unix_nano)),
            completed_at,
            exit,
            driver_attributes: BTreeMap::from([("pid".into(), s.pid.to_string())]),
            network: None,
        })
    }

    /// Resource usage every `interval` in Nomad's units (CPU in % of one core and MHz, memory
    /// in bytes), until the task exits or Nomad stops reading.
    async fn task_stats(
        &self,
        task_id: String,
        interval: Duration,
    ) -> Result<PluginStream<TaskStats>, Error> {
        let (_, task) = self.task(&task_id)?;
        let agent = self.agent.lock().ok().and_then(|g| *g);
        let mut sampler = supervise::Sampler::new(&task, supervise::topology(agent.as_ref()));
        let (tx, rx) = tokio::sync::mpsc::channel(4);
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(interval);
            loop {
                tick.tick().await;
                let sample = supervise::task_stats(&sampler.sample());
                if !matches!(task.exit(), Ok(None)) || tx.send(sample).await.is_err() {
                    return;
                }
            }
        });
        Ok(Box::pin(tokio_stream::wrappers::ReceiverStream::new(rx)))
    }

    /// Delivers a signal to the task (`nomad alloc signal`).
    async fn signal_task(&self, task_id: String, signal: String) -> Result<(), Error> {
        let (_, task) = self.task(&task_id)?;
        task.signal(signal_number(&signal)?)?;
        Ok(())
    }

    /// Runs a command in the task's environment; stderr is merged into stdout, as Nomad's
    /// executor does.
    async fn exec_task(
        &self,
        task_id: String,
        command: Vec<String>,
        timeout: Duration,
    ) -> Result<ExecOutput, Error> {
        let (_, task) = self.task(&task_id)?;
        let out = blocking(move || task.exec(&command, timeout)).await?;
        Ok(ExecOutput {
            stdout: out.output,
            stderr: Vec::new(),
            exit: ExitResult {
                exit_code: out.exit_code,
                signal: out.signal,
                oom_killed: false,
            },
        })
    }

    /// `nomad alloc exec`: an interactive command, with a terminal when one is asked for.
    async fn exec_task_streaming(
        &self,
        setup: ExecSetup,
        input: PluginStream<ExecInput>,
        output: ExecSink,
    ) -> Result<ExitResult, Error> {
        let (_, task) = self.task(&setup.task_id)?;
        supervise::exec_streaming(&task, &setup.command, setup.tty, input, output).await
    }
}

/// Serves the driver over go-plugin until Nomad shuts it down. Log with `tracing` (stderr),
/// never print to stdout: it carries the handshake.
fn main() -> std::process::ExitCode {
    yurt::serve_driver(Driver::default())
}
