//! The [`DriverPlugin`] trait: what a task driver implements. Which methods are required and
//! what the defaults answer is the optional-RPC table in `proto/hashicorp/nomad/plugins/drivers/proto/driver.proto`.

use std::future::Future;
use std::time::Duration;

use crate::base::BasePlugin;
use crate::error::Error;
use crate::hclspec::Spec;

use super::types::*;

/// A Nomad task driver. Implement the required methods; each optional one defaults to the
/// answer in the optional-RPC table of `driver.proto`: code Unimplemented with a message
/// (`stats not implemented for driver`, `SignalTask is not supported by this driver`, ...),
/// and a TaskEvents stream that stays open and sends nothing.
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
        async {
            Err(Error::Unimplemented(
                "stats not implemented for driver".into(),
            ))
        }
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
        async {
            Err(Error::Unimplemented(
                "SignalTask is not supported by this driver".into(),
            ))
        }
    }

    /// Runs a command in the task's context and captures its output.
    fn exec_task(
        &self,
        task_id: String,
        command: Vec<String>,
        timeout: Duration,
    ) -> impl Future<Output = Result<ExecOutput, Error>> + Send {
        let _ = (task_id, command, timeout);
        async {
            Err(Error::Unimplemented(
                "ExecTask is not supported by this driver".into(),
            ))
        }
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
        async {
            Err(Error::Unimplemented(
                "Init is not implemented by this driver".into(),
            ))
        }
    }

    /// Optional cleanup before Nomad stops the plugin.
    fn shutdown(&self) -> impl Future<Output = Result<(), Error>> + Send {
        async {
            Err(Error::Unimplemented(
                "Shutdown is not implemented by this driver".into(),
            ))
        }
    }
}
