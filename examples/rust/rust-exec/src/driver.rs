//! The `DriverPlugin`: the task config, its mapping onto the SDK's supervision layer
//! (`yurt::supervise`), and bookkeeping of the tasks this process knows. Running, recovering,
//! stopping, measuring and exec'ing tasks is the layer's job.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::Deserialize;
use tokio::sync::{broadcast, watch};
use tokio_stream::StreamExt;
use yurt::Error;
use yurt::base::{AgentConfig, BasePlugin, PluginConfig, PluginInfo};
use yurt::driver::{
    Capabilities, DriverPlugin, ExecInput, ExecOutput, ExecSetup, ExecSink, ExitResult,
    Fingerprint, Health, PluginStream, StartedTask, TaskConfig, TaskEvent, TaskHandle, TaskState,
    TaskStats, TaskStatus,
};
use yurt::hclspec::{Spec, attr, default, literal, object};
use yurt::supervise::{self, Task};

use crate::spec;

pub const NAME: &str = "rust-exec";
/// Nomad's executor stops tasks with SIGINT when the job names no kill_signal.
const DEFAULT_STOP_SIGNAL: i32 = libc::SIGINT;

#[derive(Debug, Default, Deserialize)]
struct PluginCfg {
    #[serde(default)]
    state_dir: Option<String>,
}

/// How a task ended, as far as the layer can prove (an error: the supervisor vanished without
/// a record, and the exit code is not guessed).
type Outcome = Result<supervise::ExitResult, String>;

struct Running {
    config: TaskConfig,
    task: Task,
    outcome: watch::Receiver<Option<Outcome>>,
    watcher: tokio::task::AbortHandle,
}

impl Running {
    fn running(&self) -> bool {
        self.outcome.borrow().is_none()
    }
    async fn wait(&self) -> Option<Outcome> {
        let mut rx = self.outcome.clone();
        loop {
            if let Some(o) = rx.borrow_and_update().clone() {
                return Some(o);
            }
            rx.changed().await.ok()?;
        }
    }
}

#[derive(Default)]
pub struct ProcessDriver {
    state_root: Mutex<Option<PathBuf>>,
    agent: Mutex<Option<AgentConfig>>,
    tasks: Mutex<HashMap<String, Arc<Running>>>,
    /// One turn per task (alloc id and task name) for the starts in flight: two starts of the
    /// same task take turns, since each destroys what an earlier interrupted start of that task
    /// left behind ([`spec::remove_stale`]); starts of different tasks run at once.
    start_turns: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
    events: std::sync::OnceLock<broadcast::Sender<TaskEvent>>,
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

impl ProcessDriver {
    fn events(&self) -> &broadcast::Sender<TaskEvent> {
        self.events.get_or_init(|| broadcast::channel(256).0)
    }

    fn emit(&self, c: &TaskConfig, message: impl Into<String>) {
        let _ = self.events().send(event(c, message.into()));
    }

    fn task(&self, id: &str) -> Result<Arc<Running>, Error> {
        self.tasks
            .lock()
            .map_err(|_| Error::other("task table poisoned"))?
            .get(id)
            .cloned()
            .ok_or(Error::TaskNotFound)
    }

    /// The turn of `config`'s task among the starts in flight (turns no start holds are dropped).
    fn start_turn(&self, config: &TaskConfig) -> Arc<tokio::sync::Mutex<()>> {
        let mut turns = self
            .start_turns
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        turns.retain(|_, turn| Arc::strong_count(turn) > 1);
        turns.entry(spec::task_key(config)).or_default().clone()
    }

    /// Registers a task and starts the watcher that turns its exit record into an outcome.
    fn register(&self, config: TaskConfig, task: Task) {
        let (tx, rx) = watch::channel(None);
        let events = self.events().clone();
        let (cfg, t) = (config.clone(), task.clone());
        let watcher = tokio::spawn(async move {
            let outcome = supervise::wait(&t).await.map_err(|e| e.to_string());
            let msg = match &outcome {
                Ok(e) if e.signal != 0 => {
                    format!(
                        "Task exited with code {} (signal {})",
                        e.exit_code, e.signal
                    )
                }
                Ok(e) => format!("Task exited with code {}", e.exit_code),
                Err(why) => format!("Task lost: {why}"),
            };
            tracing::info!(task_id = %cfg.id, "{msg}");
            let _ = events.send(event(&cfg, msg));
            let _ = tx.send(Some(outcome));
            // Keep the sender alive so late WaitTask calls still see the outcome.
            std::future::pending::<()>().await;
        })
        .abort_handle();
        let running = Arc::new(Running {
            config,
            task,
            outcome: rx,
            watcher,
        });
        if let Ok(mut t) = self.tasks.lock() {
            t.insert(running.config.id.clone(), running);
        }
    }
}

fn event(c: &TaskConfig, message: String) -> TaskEvent {
    TaskEvent {
        task_id: c.id.clone(),
        alloc_id: c.alloc_id.clone(),
        task_name: c.name.clone(),
        timestamp: SystemTime::now(),
        message,
        annotations: BTreeMap::new(),
    }
}

impl BasePlugin for ProcessDriver {
    fn info(&self) -> PluginInfo {
        PluginInfo {
            name: NAME.into(),
            version: env!("CARGO_PKG_VERSION").into(),
        }
    }

    fn config_schema(&self) -> Option<Spec> {
        Some(object([("state_dir", attr("state_dir", "string"))]))
    }

    async fn set_config(&self, config: PluginConfig) -> Result<(), Error> {
        let c: PluginCfg = config.decode()?;
        if let Ok(mut g) = self.state_root.lock() {
            *g = c.state_dir.filter(|d| !d.is_empty()).map(PathBuf::from);
        }
        if let (Ok(mut g), Some(a)) = (self.agent.lock(), config.agent) {
            *g = Some(a);
        }
        Ok(())
    }
}

impl DriverPlugin for ProcessDriver {
    fn task_config_schema(&self) -> Spec {
        object([
            ("command", attr("command", "string").required()),
            ("args", default(attr("args", "list(string)"), literal("[]"))),
        ])
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities {
            send_signals: true,
            exec: true,
            ..Default::default()
        }
    }

    fn fingerprint(&self) -> PluginStream<Fingerprint> {
        let fp = Fingerprint {
            health: Health::Healthy,
            health_description: "Healthy".into(),
            attributes: [
                (
                    format!("driver.{NAME}.version"),
                    env!("CARGO_PKG_VERSION").into(),
                ),
                // Where tasks with limits go: a cgroup (root, cgroup v1) or only the
                // supervisor's process group and subreaper (see yurt::supervise).
                (
                    format!("driver.{NAME}.isolation"),
                    supervise::isolation().into(),
                ),
            ]
            .into(),
        };
        Box::pin(tokio_stream::once(fp).chain(tokio_stream::pending()))
    }

    async fn recover_task(&self, handle: TaskHandle) -> Result<(), Error> {
        if self.task(&handle.config.id).is_ok() {
            return Ok(());
        }
        let task = supervise::reattach(&handle.driver_state)?;
        // A supervisor gone without an exit record cannot be recovered: say why.
        task.exit()?;
        tracing::info!(task_id = %handle.config.id, pid = task.pid(), "recovered task");
        self.emit(&handle.config, "Task recovered");
        self.register(handle.config, task);
        Ok(())
    }

    async fn start_task(&self, config: TaskConfig) -> Result<StartedTask, Error> {
        let turn = self.start_turn(&config);
        let _this_tasks_turn = turn.lock().await;
        if self.task(&config.id).is_ok() {
            return Err(Error::other(format!(
                "task with id {:?} already exists",
                config.id
            )));
        }
        let spec = spec::task_spec(&config)?;
        let root = self.state_root.lock().ok().and_then(|g| g.clone());
        let root = root.unwrap_or_else(|| spec::state_root(&config));
        let known: Vec<PathBuf> = self.tasks.lock().map_or_else(
            |_| Vec::new(),
            |t| {
                t.values()
                    .map(|r| r.task.state_dir().to_path_buf())
                    .collect()
            },
        );
        spec::remove_stale(&root, &config, known).await;
        let dir = root.join(spec::dir_name(&config.id));
        let task = blocking(move || supervise::start(&spec, &dir)).await?;
        let mut handle = TaskHandle::new(config.clone());
        handle.driver_state = task.handle();
        let s = task.started();
        tracing::info!(task_id = %config.id, pid = s.pid, supervisor = s.supervisor_pid, "started task");
        self.emit(&config, format!("Task started (pid {})", s.pid));
        self.register(config, task);
        Ok(StartedTask {
            handle,
            network: None,
        })
    }

    async fn wait_task(&self, task_id: String) -> Result<ExitResult, Error> {
        let r = self.task(&task_id)?;
        match r.wait().await {
            Some(Ok(e)) => Ok(exit_result(&e)),
            Some(Err(why)) => Err(Error::other(why)),
            None => Err(Error::TaskNotFound),
        }
    }

    async fn stop_task(
        &self,
        task_id: String,
        timeout: Duration,
        signal: String,
    ) -> Result<(), Error> {
        let r = self.task(&task_id)?;
        let sig = if signal.is_empty() {
            DEFAULT_STOP_SIGNAL
        } else {
            signal_number(&signal)?
        };
        if !r.running() {
            return Ok(());
        }
        self.emit(&r.config, format!("Stopping task with signal {sig}"));
        let task = r.task.clone();
        blocking(move || task.stop(sig, timeout)).await?;
        Ok(())
    }

    async fn destroy_task(&self, task_id: String, force: bool) -> Result<(), Error> {
        let r = self.task(&task_id)?;
        if r.running() && !force {
            return Err(Error::other("cannot destroy running task"));
        }
        // The watcher goes first: it would report the vanishing state dir as a lost task.
        r.watcher.abort();
        let task = r.task.clone();
        if let Err(e) = blocking(move || task.destroy()).await {
            // Still there: watch it again, so WaitTask keeps working until a retry succeeds.
            self.register(r.config.clone(), r.task.clone());
            return Err(e);
        }
        if let Ok(mut t) = self.tasks.lock() {
            t.remove(&task_id);
        }
        // The temp-dir fallback root goes with its last task (remove_dir fails while it holds
        // others); the task's private/ dir goes with the allocation.
        if let Some(root) = r.task.state_dir().parent()
            && root == spec::temp_root()
        {
            let _ = std::fs::remove_dir(root);
        }
        Ok(())
    }

    async fn inspect_task(&self, task_id: String) -> Result<TaskStatus, Error> {
        let r = self.task(&task_id)?;
        let outcome = r.outcome.borrow().clone();
        let (state, completed_at, exit) = match &outcome {
            None => (TaskState::Running, None, None),
            Some(Ok(e)) => (
                TaskState::Exited,
                Some(time(e.completed_at_unix_nano)),
                Some(exit_result(e)),
            ),
            Some(Err(_)) => (TaskState::Unknown, None, None),
        };
        let s = r.task.started();
        Ok(TaskStatus {
            id: r.config.id.clone(),
            name: r.config.name.clone(),
            state,
            started_at: Some(time(s.started_at_unix_nano)),
            completed_at,
            exit,
            driver_attributes: BTreeMap::from([
                ("pid".into(), s.pid.to_string()),
                ("supervisor_pid".into(), s.supervisor_pid.to_string()),
                (
                    "state_dir".into(),
                    r.task.state_dir().to_string_lossy().into_owned(),
                ),
            ]),
            network: None,
        })
    }

    async fn task_stats(
        &self,
        task_id: String,
        interval: Duration,
    ) -> Result<PluginStream<TaskStats>, Error> {
        let r = self.task(&task_id)?;
        let agent = self.agent.lock().ok().and_then(|g| *g);
        let mut sampler = supervise::Sampler::new(&r.task, supervise::topology(agent.as_ref()));
        let (tx, rx) = tokio::sync::mpsc::channel(4);
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(interval);
            loop {
                tick.tick().await;
                let sample = supervise::task_stats(&sampler.sample());
                if !r.running() || tx.send(sample).await.is_err() {
                    return;
                }
            }
        });
        Ok(Box::pin(tokio_stream::wrappers::ReceiverStream::new(rx)))
    }

    fn task_events(&self) -> PluginStream<TaskEvent> {
        let rx = self.events().subscribe();
        Box::pin(tokio_stream::wrappers::BroadcastStream::new(rx).filter_map(Result::ok))
    }

    async fn signal_task(&self, task_id: String, signal: String) -> Result<(), Error> {
        let r = self.task(&task_id)?;
        let sig = signal_number(&signal)?;
        r.task.signal(sig)?;
        self.emit(&r.config, format!("Sent signal {signal}"));
        Ok(())
    }

    async fn exec_task(
        &self,
        task_id: String,
        command: Vec<String>,
        timeout: Duration,
    ) -> Result<ExecOutput, Error> {
        let task = self.task(&task_id)?.task.clone();
        let out = blocking(move || task.exec(&command, timeout)).await?;
        // Nomad's executor returns stderr merged into stdout.
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

    async fn exec_task_streaming(
        &self,
        setup: ExecSetup,
        input: PluginStream<ExecInput>,
        output: ExecSink,
    ) -> Result<ExitResult, Error> {
        let r = self.task(&setup.task_id)?;
        supervise::exec_streaming(&r.task, &setup.command, setup.tty, input, output).await
    }
}
