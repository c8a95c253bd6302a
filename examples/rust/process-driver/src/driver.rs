//! The `DriverPlugin`: tasks live under supervisors (see `supervisor.rs`); this side starts
//! them, watches their state directories, signals them and forgets them.

use std::collections::{BTreeMap, HashMap};
use std::os::unix::fs::DirBuilderExt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};
use tokio::io::AsyncBufReadExt;
use tokio::sync::{broadcast, watch};
use tokio_stream::StreamExt;
use yurt::Error;
use yurt::base::{BasePlugin, PluginConfig, PluginInfo};
use yurt::driver::{
    Capabilities, DriverPlugin, ExecInput, ExecOutput, ExecSetup, ExecSink, ExitResult,
    Fingerprint, Health, PluginStream, StartedTask, TaskConfig, TaskEvent, TaskHandle, TaskState,
    TaskStats, TaskStatus,
};
use yurt::hclspec::{Spec, attr, default, literal, object};

use crate::spawn;
use crate::state::{self, Exited, Started};

pub const NAME: &str = "rust-exec";
/// Nomad's executor stops tasks with SIGINT when the job names no kill_signal.
const DEFAULT_STOP_SIGNAL: i32 = libc::SIGINT;
const POLL: Duration = Duration::from_millis(50);

#[derive(Debug, Default, Deserialize)]
struct PluginCfg {
    #[serde(default)]
    state_dir: Option<String>,
}

#[derive(Debug, Deserialize)]
struct TaskCfg {
    command: String,
    #[serde(default)]
    args: Option<Vec<String>>,
}

/// What Nomad stores for a task and hands to RecoverTask in a fresh process.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct DriverState {
    state_dir: String,
    pid: i32,
    start_ticks: u64,
    supervisor_pid: i32,
    supervisor_start_ticks: u64,
    started_at_ms: u64,
}

/// How a task ended, as far as this driver can prove.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Outcome {
    Exited(Exited),
    /// The supervisor vanished without a record: the exit code is unknown, and is not guessed.
    Lost(String),
}

struct Task {
    config: TaskConfig,
    spec: state::Spec,
    ds: DriverState,
    outcome: watch::Receiver<Option<Outcome>>,
    watcher: tokio::task::AbortHandle,
}

impl Task {
    fn dir(&self) -> &Path {
        Path::new(&self.ds.state_dir)
    }
    fn running(&self) -> bool {
        self.outcome.borrow().is_none()
    }
    /// The outcome once there is one; `None` when the task was destroyed meanwhile.
    async fn wait(&self) -> Option<Outcome> {
        let mut rx = self.outcome.clone();
        loop {
            if let Some(o) = rx.borrow_and_update().clone() {
                return Some(o);
            }
            rx.changed().await.ok()?;
        }
    }
    /// Signals the task's process, or with `group` its whole process group, unless it is gone.
    fn signal(&self, sig: i32, group: bool) -> Result<(), Error> {
        if !self.running() || !state::is_alive(self.ds.pid, self.ds.start_ticks) {
            return Ok(());
        }
        let target = if group { -self.ds.pid } else { self.ds.pid };
        // SAFETY: kill has no memory preconditions; the pid was checked against its start time.
        if unsafe { libc::kill(target, sig) } != 0 {
            let e = std::io::Error::last_os_error();
            if e.raw_os_error() != Some(libc::ESRCH) {
                return Err(Error::other(format!("signal {sig} to pid {target}: {e}")));
            }
        }
        Ok(())
    }
}

#[derive(Default)]
pub struct ProcessDriver {
    state_root: Mutex<Option<PathBuf>>,
    tasks: Mutex<HashMap<String, Arc<Task>>>,
    start_lock: tokio::sync::Mutex<()>,
    events: std::sync::OnceLock<broadcast::Sender<TaskEvent>>,
}

fn exit_result(o: &Outcome) -> Result<ExitResult, Error> {
    match o {
        Outcome::Exited(e) => Ok(ExitResult {
            exit_code: e.exit_code,
            signal: e.signal,
            oom_killed: false,
        }),
        Outcome::Lost(why) => Err(Error::other(why)),
    }
}

/// The plugin's environment minus go-plugin's own variables: tasks see the host's environment,
/// as Nomad's raw_exec does, with the task's env on top.
fn task_env(config: &TaskConfig) -> Vec<(String, String)> {
    let mut env: BTreeMap<String, String> = std::env::vars()
        .filter(|(k, _)| {
            !k.starts_with("PLUGIN_")
                && k != yurt::handshake::MAGIC_COOKIE_KEY
                && k != "YURT_PLUGIN_TRANSPORT"
        })
        .collect();
    env.extend(config.env.iter().map(|(k, v)| (k.clone(), v.clone())));
    env.extend(
        config
            .device_env
            .iter()
            .map(|(k, v)| (k.clone(), v.clone())),
    );
    env.into_iter().collect()
}

fn task_cwd(config: &TaskConfig) -> String {
    let alloc = Path::new(&config.alloc_dir);
    let task_dir = alloc.join(&config.name);
    if !config.alloc_dir.is_empty() && !config.name.is_empty() && task_dir.is_dir() {
        task_dir.to_string_lossy().into_owned()
    } else if !config.alloc_dir.is_empty() && alloc.is_dir() {
        config.alloc_dir.clone()
    } else {
        "/".into()
    }
}

impl ProcessDriver {
    fn events(&self) -> &broadcast::Sender<TaskEvent> {
        self.events.get_or_init(|| broadcast::channel(256).0)
    }

    fn emit(&self, c: &TaskConfig, message: impl Into<String>) {
        let _ = self.events().send(TaskEvent {
            task_id: c.id.clone(),
            alloc_id: c.alloc_id.clone(),
            task_name: c.name.clone(),
            timestamp: SystemTime::now(),
            message: message.into(),
            annotations: BTreeMap::new(),
        });
    }

    fn task(&self, id: &str) -> Result<Arc<Task>, Error> {
        self.tasks
            .lock()
            .map_err(|_| Error::other("task table poisoned"))?
            .get(id)
            .cloned()
            .ok_or(Error::TaskNotFound)
    }

    fn root(&self) -> PathBuf {
        let configured = self.state_root.lock().ok().and_then(|g| g.clone());
        configured.unwrap_or_else(|| state::state_root(None))
    }

    /// Registers a task and starts the watcher that turns its state directory into an outcome.
    fn register(&self, config: TaskConfig, spec: state::Spec, ds: DriverState) -> Arc<Task> {
        let (tx, rx) = watch::channel(None);
        let dir = PathBuf::from(&ds.state_dir);
        let (sup, sup_ticks) = (ds.supervisor_pid, ds.supervisor_start_ticks);
        let events = self.events().clone();
        let cfg = config.clone();
        let watcher = tokio::spawn(async move {
            let outcome = loop {
                match state::read_record::<Exited>(&dir, state::EXIT) {
                    Ok(Some(e)) => break Outcome::Exited(e),
                    Ok(None) => {}
                    Err(e) => break Outcome::Lost(e),
                }
                if !state::is_alive(sup, sup_ticks) {
                    // It may have written the record just before exiting.
                    break match state::read_record::<Exited>(&dir, state::EXIT) {
                        Ok(Some(e)) => Outcome::Exited(e),
                        Ok(None) => Outcome::Lost(format!(
                            "task supervisor (pid {sup}) exited without recording the task's exit status in {}",
                            dir.display()
                        )),
                        Err(e) => Outcome::Lost(e),
                    };
                }
                tokio::time::sleep(POLL).await;
            };
            let msg = match &outcome {
                Outcome::Exited(e) if e.signal != 0 => {
                    format!("Task exited with code {} (signal {})", e.exit_code, e.signal)
                }
                Outcome::Exited(e) => format!("Task exited with code {}", e.exit_code),
                Outcome::Lost(why) => format!("Task lost: {why}"),
            };
            tracing::info!(task_id = %cfg.id, "{msg}");
            let _ = events.send(TaskEvent {
                task_id: cfg.id.clone(),
                alloc_id: cfg.alloc_id.clone(),
                task_name: cfg.name.clone(),
                timestamp: SystemTime::now(),
                message: msg,
                annotations: BTreeMap::new(),
            });
            let _ = tx.send(Some(outcome));
            // Keep the sender alive so late WaitTask calls still see the outcome.
            std::future::pending::<()>().await;
        })
        .abort_handle();
        let task = Arc::new(Task {
            config,
            spec,
            ds,
            outcome: rx,
            watcher,
        });
        if let Ok(mut t) = self.tasks.lock() {
            t.insert(task.config.id.clone(), task.clone());
        }
        task
    }

    async fn launch(
        &self,
        config: &TaskConfig,
        dir: &Path,
        spec: &state::Spec,
    ) -> Result<DriverState, Error> {
        // 0700: the spec holds the task's environment, which may carry secrets.
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .map_err(|e| Error::other(format!("creating task state dir {}: {e}", dir.display())))?;
        state::write_record(dir, state::SPEC, spec).map_err(|e| {
            Error::other(format!("writing {}: {e}", dir.join(state::SPEC).display()))
        })?;
        let exe = std::env::current_exe().map_err(|e| {
            Error::other(format!(
                "locating the plugin binary for the supervisor: {e}"
            ))
        })?;
        let log = std::fs::File::create(dir.join(state::SUPERVISOR_LOG))?;
        let mut cmd = tokio::process::Command::new(exe);
        cmd.arg("supervise")
            .arg(dir)
            .env_clear()
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .stderr(log);
        // SAFETY: setsid is async-signal-safe. A new session: no signal aimed at the plugin's
        // process group or terminal reaches the supervisor, and it outlives the plugin.
        unsafe {
            cmd.pre_exec(|| {
                if libc::setsid() < 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let mut child = cmd
            .spawn()
            .map_err(|e| Error::other(format!("starting the task supervisor: {e}")))?;
        let sup_pid = child
            .id()
            .and_then(|p| i32::try_from(p).ok())
            .ok_or_else(|| Error::other("task supervisor exited at once"))?;
        let stdout = child
            .stdout
            .take()
            .ok_or_else(|| Error::other("task supervisor has no report pipe"))?;
        // Reap the supervisor whenever it ends, so it never lingers as a zombie of this process.
        tokio::spawn(async move {
            let _ = child.wait().await;
        });
        let mut line = String::new();
        let mut reader = tokio::io::BufReader::new(stdout);
        // Opening a FIFO blocks until its reader exists; Nomad opens it before StartTask.
        match tokio::time::timeout(Duration::from_secs(15), reader.read_line(&mut line)).await {
            Err(_) => {
                // SAFETY: plain kill of the child we just started.
                unsafe { libc::kill(sup_pid, libc::SIGKILL) };
                return Err(Error::other(format!(
                    "task supervisor did not start the task within 15 s (are the stdout_path {:?} and stderr_path {:?} FIFOs being read?)",
                    config.stdout_path, config.stderr_path
                )));
            }
            Ok(Err(e)) => {
                return Err(Error::other(format!(
                    "reading the supervisor's report: {e}"
                )));
            }
            Ok(Ok(_)) => {}
        }
        let line = line.trim_end();
        if let Some(why) = line.strip_prefix("error ") {
            return Err(Error::other(why));
        }
        if !line.starts_with("ok ") {
            let log = std::fs::read_to_string(dir.join(state::SUPERVISOR_LOG)).unwrap_or_default();
            return Err(Error::other(format!(
                "task supervisor failed before starting the task: {:?} {}",
                line,
                log.trim()
            )));
        }
        let started: Started = state::read_record(dir, state::STARTED)
            .map_err(Error::other)?
            .ok_or_else(|| Error::other("task supervisor reported ok without started.json"))?;
        let sup_ticks = state::proc_stat(sup_pid).map_or(0, |s| s.start_ticks);
        Ok(DriverState {
            state_dir: dir.to_string_lossy().into_owned(),
            pid: started.pid,
            start_ticks: started.start_ticks,
            supervisor_pid: sup_pid,
            supervisor_start_ticks: sup_ticks,
            started_at_ms: started.started_at_ms,
        })
    }

    async fn wait_outcome(task: &Task, timeout: Duration) -> bool {
        tokio::time::timeout(timeout, task.wait()).await.is_ok()
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
        let root = state::state_root(c.state_dir.as_deref());
        if let Ok(mut g) = self.state_root.lock() {
            *g = Some(root);
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
            attributes: [(
                format!("driver.{NAME}.version"),
                env!("CARGO_PKG_VERSION").into(),
            )]
            .into(),
        };
        Box::pin(tokio_stream::once(fp).chain(tokio_stream::pending()))
    }

    async fn recover_task(&self, handle: TaskHandle) -> Result<(), Error> {
        if self.task(&handle.config.id).is_ok() {
            return Ok(());
        }
        let ds: DriverState = handle.driver_state()?;
        let dir = PathBuf::from(&ds.state_dir);
        let spec: state::Spec = state::read_record(&dir, state::SPEC)
            .map_err(Error::other)?
            .ok_or_else(|| {
                Error::other(format!(
                    "driver_state.state_dir: {} holds no task spec; the task cannot be recovered",
                    dir.display()
                ))
            })?;
        let exited = state::read_record::<Exited>(&dir, state::EXIT).map_err(Error::other)?;
        if exited.is_none() && !state::is_alive(ds.supervisor_pid, ds.supervisor_start_ticks) {
            return Err(Error::other(format!(
                "task supervisor (pid {}) is gone and recorded no exit status in {}",
                ds.supervisor_pid,
                dir.display()
            )));
        }
        let config = handle.config.clone();
        tracing::info!(task_id = %config.id, pid = ds.pid, "recovered task");
        self.emit(&config, "Task recovered");
        self.register(config, spec, ds);
        Ok(())
    }

    async fn start_task(&self, config: TaskConfig) -> Result<StartedTask, Error> {
        let _one_at_a_time = self.start_lock.lock().await;
        if self.task(&config.id).is_ok() {
            return Err(Error::other(format!(
                "task with id {:?} already exists",
                config.id
            )));
        }
        let tc: TaskCfg = config.decode_driver_config()?;
        let env = task_env(&config);
        let cwd = task_cwd(&config);
        let path = env
            .iter()
            .find(|(k, _)| k == "PATH")
            .map(|(_, v)| v.as_str());
        let program =
            spawn::resolve_program(&tc.command, path, &cwd).map_err(Error::InvalidArgument)?;
        let user = spawn::resolve_user(&config.user).map_err(Error::InvalidArgument)?;
        let spec = state::Spec {
            task_id: config.id.clone(),
            program,
            args: tc.args.unwrap_or_default(),
            env,
            cwd,
            user,
            stdout_path: config.stdout_path.clone(),
            stderr_path: config.stderr_path.clone(),
        };
        let dir = self.root().join(state::dir_name(&config.id));
        let ds = match self.launch(&config, &dir, &spec).await {
            Ok(ds) => ds,
            Err(e) => {
                let _ = std::fs::remove_dir_all(&dir);
                return Err(e);
            }
        };
        let mut handle = TaskHandle::new(config.clone());
        handle.set_driver_state(&ds)?;
        tracing::info!(task_id = %config.id, pid = ds.pid, supervisor = ds.supervisor_pid, "started task");
        self.emit(&config, format!("Task started (pid {})", ds.pid));
        self.register(config, spec, ds);
        Ok(StartedTask {
            handle,
            network: None,
        })
    }

    async fn wait_task(&self, task_id: String) -> Result<ExitResult, Error> {
        let task = self.task(&task_id)?;
        match task.wait().await {
            Some(o) => exit_result(&o),
            None => Err(Error::TaskNotFound),
        }
    }

    async fn stop_task(
        &self,
        task_id: String,
        timeout: Duration,
        signal: String,
    ) -> Result<(), Error> {
        let task = self.task(&task_id)?;
        if !task.running() {
            return Ok(());
        }
        let sig = if signal.is_empty() {
            DEFAULT_STOP_SIGNAL
        } else {
            spawn::signal_number(&signal).ok_or_else(|| {
                Error::InvalidArgument(format!("signal: unknown signal {signal:?}"))
            })?
        };
        self.emit(&task.config, format!("Stopping task with signal {sig}"));
        task.signal(sig, false)?;
        if Self::wait_outcome(&task, timeout).await {
            return Ok(());
        }
        self.emit(
            &task.config,
            format!("Task still running after {timeout:?}: killing it"),
        );
        task.signal(libc::SIGKILL, true)?;
        if Self::wait_outcome(&task, Duration::from_secs(10)).await {
            Ok(())
        } else {
            Err(Error::other(format!(
                "task {task_id} survived SIGKILL for 10 s"
            )))
        }
    }

    async fn destroy_task(&self, task_id: String, force: bool) -> Result<(), Error> {
        let task = self.task(&task_id)?;
        if task.running() {
            if !force {
                return Err(Error::other("cannot destroy running task"));
            }
            task.signal(libc::SIGKILL, true)?;
            if !Self::wait_outcome(&task, Duration::from_secs(10)).await {
                return Err(Error::other(format!(
                    "task {task_id} survived SIGKILL for 10 s"
                )));
            }
        }
        task.watcher.abort();
        if let Ok(mut t) = self.tasks.lock() {
            t.remove(&task_id);
        }
        if let Err(e) = std::fs::remove_dir_all(task.dir()) {
            tracing::warn!(task_id = %task_id, error = %e, "removing the task state dir");
        }
        Ok(())
    }

    async fn inspect_task(&self, task_id: String) -> Result<TaskStatus, Error> {
        let task = self.task(&task_id)?;
        let outcome = task.outcome.borrow().clone();
        let (state, completed_at, exit) = match &outcome {
            None => (TaskState::Running, None, None),
            Some(Outcome::Exited(e)) => (
                TaskState::Exited,
                Some(state::from_ms(e.completed_at_ms)),
                Some(ExitResult {
                    exit_code: e.exit_code,
                    signal: e.signal,
                    oom_killed: false,
                }),
            ),
            Some(Outcome::Lost(_)) => (TaskState::Unknown, None, None),
        };
        Ok(TaskStatus {
            id: task.config.id.clone(),
            name: task.config.name.clone(),
            state,
            started_at: Some(state::from_ms(task.ds.started_at_ms)),
            completed_at,
            exit,
            driver_attributes: BTreeMap::from([
                ("pid".into(), task.ds.pid.to_string()),
                ("supervisor_pid".into(), task.ds.supervisor_pid.to_string()),
                ("state_dir".into(), task.ds.state_dir.clone()),
            ]),
            network: None,
        })
    }

    async fn task_stats(
        &self,
        task_id: String,
        interval: Duration,
    ) -> Result<PluginStream<TaskStats>, Error> {
        let task = self.task(&task_id)?;
        let (tx, rx) = tokio::sync::mpsc::channel(4);
        tokio::spawn(async move {
            let mut sampler = crate::stats::Sampler::new(task.ds.supervisor_pid);
            let mut tick = tokio::time::interval(interval);
            loop {
                tick.tick().await;
                if !task.running() || tx.send(sampler.sample()).await.is_err() {
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
        let task = self.task(&task_id)?;
        let sig = spawn::signal_number(&signal)
            .ok_or_else(|| Error::InvalidArgument(format!("signal: unknown signal {signal:?}")))?;
        if !task.running() {
            return Err(Error::other(format!("task {task_id} has already exited")));
        }
        task.signal(sig, false)?;
        self.emit(&task.config, format!("Sent signal {signal}"));
        Ok(())
    }

    async fn exec_task(
        &self,
        task_id: String,
        command: Vec<String>,
        timeout: Duration,
    ) -> Result<ExecOutput, Error> {
        let task = self.task(&task_id)?;
        crate::exec::run(&task.spec, &command, timeout).await
    }

    async fn exec_task_streaming(
        &self,
        setup: ExecSetup,
        input: PluginStream<ExecInput>,
        output: ExecSink,
    ) -> Result<ExitResult, Error> {
        let task = self.task(&setup.task_id)?;
        crate::exec::stream(&task.spec, &setup.command, setup.tty, input, output).await
    }
}
