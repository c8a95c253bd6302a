//! The gRPC server of Nomad's `Driver` service over a [`DriverPlugin`] (private).

use std::sync::Arc;
use std::time::Duration;

use tokio_stream::StreamExt;
use tonic::{Request, Response, Status, Streaming};

use crate::base::{self, from_duration, timestamp};
use crate::error::Error;
use crate::r#gen::drivers as pb;
use crate::goplugin::{BoxStream, ShutdownSignal, until_shutdown};

use super::convert::exec_inputs;
use super::plugin::DriverPlugin;
use super::types::*;

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
                // Always set: Nomad's Go client reads it in every state without a
                // nil check (plugins/drivers/utils.go exitResultFromProto).
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
        Err(Status::unimplemented(
            "CreateNetwork is not implemented by this driver",
        ))
    }

    async fn destroy_network(
        &self,
        _req: Request<pb::DestroyNetworkRequest>,
    ) -> Result<Response<pb::DestroyNetworkResponse>, Status> {
        Err(Status::unimplemented(
            "DestroyNetwork is not implemented by this driver",
        ))
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
