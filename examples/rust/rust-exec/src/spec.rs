//! The mapping from Nomad's TaskConfig to the supervision layer's TaskSpec, and where task
//! state lives. This is the part of a process driver that is the driver's own.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::Deserialize;
use yurt::Error;
use yurt::driver::TaskConfig;
use yurt::supervise::{self, ResourceLimits, TaskSpec};

#[derive(Debug, Deserialize)]
struct TaskCfg {
    command: String,
    #[serde(default)]
    args: Option<Vec<String>>,
}

/// The task's spec: its config's command and args, Nomad's environment, task dir, user, log
/// FIFOs and resources.
pub fn task_spec(config: &TaskConfig) -> Result<TaskSpec, Error> {
    let tc: TaskCfg = config.decode_driver_config()?;
    Ok(TaskSpec {
        task_id: config.id.clone(),
        command: tc.command,
        args: tc.args.unwrap_or_default(),
        env: task_env(config),
        working_dir: task_dir(config),
        user: config.user.clone(),
        stdout_path: config.stdout_path.clone(),
        stderr_path: config.stderr_path.clone(),
        limits: Some(limits(config)),
        ..Default::default()
    })
}

/// The plugin's environment minus go-plugin's own variables: tasks see the host's environment,
/// as Nomad's raw_exec does, with the task's env on top.
pub fn task_env(config: &TaskConfig) -> Vec<String> {
    let mut env: BTreeMap<String, String> = std::env::vars()
        .filter(|(k, _)| {
            !k.starts_with("PLUGIN_") && k != yurt::MAGIC_COOKIE_KEY && k != "YURT_PLUGIN_TRANSPORT"
        })
        .collect();
    env.extend(config.env.clone());
    env.extend(config.device_env.clone());
    env.into_iter().map(|(k, v)| format!("{k}={v}")).collect()
}

/// `<alloc_dir>/<task name>` when it exists (Nomad's task dir), else the alloc dir, else "/".
pub fn task_dir(config: &TaskConfig) -> String {
    let alloc = Path::new(&config.alloc_dir);
    let task_dir = alloc.join(&config.name);
    if !config.alloc_dir.is_empty() && !config.name.is_empty() && task_dir.is_dir() {
        task_dir.to_string_lossy().into_owned()
    } else if !config.alloc_dir.is_empty() && alloc.is_dir() {
        config.alloc_dir.clone()
    } else {
        String::new()
    }
}

/// The task's memory limit and CPU shares, as Nomad's task runner derives LinuxResources
/// (client/allocrunner/taskrunner/task_runner.go buildTaskConfig: the memory limit is
/// `memory_max` when set, else `memory`, in MiB). Enforced through a cgroup when the plugin
/// runs as root (see yurt::supervise).
pub fn limits(config: &TaskConfig) -> ResourceLimits {
    let r = &config.resources;
    let mb = if r.memory_max_mb > 0 {
        r.memory_max_mb
    } else {
        r.memory_mb
    };
    ResourceLimits {
        memory_limit_bytes: mb.max(0) * 1024 * 1024,
        cpu_shares: r.cpu_shares.max(0),
    }
}

/// A directory name for a task id (ids hold `/`), unique per start.
pub fn dir_name(task_id: &str) -> String {
    let safe: String = task_id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .take(64)
        .collect();
    let salt = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!("{safe}-{salt:x}")
}

/// Where a task's state directory goes when the plugin config names no `state_dir`: the
/// task's `private/` dir (Nomad's TaskPrivate, client/allocdir: not visible to the task and
/// removed with the allocation), as the Go and Python example drivers do; else the temp dir.
pub fn state_root(config: &TaskConfig) -> PathBuf {
    let private = Path::new(&task_dir(config)).join("private");
    if !config.alloc_dir.is_empty() && private.is_dir() {
        return private.join("rust-exec");
    }
    temp_root()
}

/// The state root when the task has no private/ dir and no `state_dir` is configured.
pub fn temp_root() -> PathBuf {
    // SAFETY: geteuid cannot fail.
    std::env::temp_dir().join(format!("yurt-rust-exec-{}", unsafe { libc::geteuid() }))
}

/// What every start of one task shares, whatever its attempt: `<alloc id>/<task name>/`, the
/// start of Nomad's task ids (`<alloc>/<task>/<random>`).
pub fn task_key(config: &TaskConfig) -> String {
    format!("{}/{}/", config.alloc_id, config.name)
}

/// Destroys what an earlier start of the same task left behind when its plugin died before
/// handing Nomad the handle (killed mid-start): state directories under `root` whose task
/// is this alloc's task of the same name (Nomad's task ids are `<alloc>/<task>/<random>`)
/// and that no recovered task owns. Nomad recovers tasks before it starts them again.
pub async fn remove_stale(root: &Path, config: &TaskConfig, known: Vec<PathBuf>) {
    let prefix = task_key(config);
    let root = root.to_path_buf();
    let removed = tokio::task::spawn_blocking(move || {
        let mut removed = Vec::new();
        for dir in std::fs::read_dir(&root).into_iter().flatten().flatten() {
            let dir = dir.path();
            let spec = supervise::state::read_message::<TaskSpec>(&dir, supervise::state::SPEC);
            let Ok(Some(spec)) = spec else { continue };
            if !spec.task_id.starts_with(&prefix) || known.contains(&dir) {
                continue;
            }
            let gone = match supervise::reattach_dir(&dir) {
                Ok(t) => t.destroy().is_ok(),
                Err(_) => std::fs::remove_dir_all(&dir).is_ok(),
            };
            if gone {
                removed.push(spec.task_id);
            }
        }
        removed
    })
    .await
    .unwrap_or_default();
    for id in removed {
        tracing::warn!(task_id = %config.id, stale = %id, "destroyed a task left by an interrupted start");
    }
}
