//! Conversions between the public driver types and the generated wire types (private).

use crate::r#gen::drivers as pb;

use super::types::*;

impl TaskConfig {
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

impl TaskState {
    pub(super) fn to_proto(self) -> pb::TaskState {
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

impl NetworkOverride {
    pub(super) fn to_proto(&self) -> pb::NetworkOverride {
        pb::NetworkOverride {
            port_map: self.port_map.iter().map(|(k, v)| (k.clone(), *v)).collect(),
            addr: self.addr.clone(),
            auto_advertise: self.auto_advertise,
        }
    }
}

impl ExitResult {
    pub(super) fn to_proto(self) -> pb::ExitResult {
        pb::ExitResult {
            exit_code: self.exit_code,
            signal: self.signal,
            oom_killed: self.oom_killed,
        }
    }
}

impl ResourceUsage {
    pub(super) fn to_proto(&self) -> pb::TaskResourceUsage {
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

impl TaskHandle {
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

pub(super) fn exec_inputs(m: pb::ExecTaskStreamingRequest) -> Vec<ExecInput> {
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
