//! Task supervision for drivers: everything of the `yurt-supervise` crate (start, reattach,
//! [`Task`] with wait, signal, stop, destroy, exec and stats), plus what needs the async runtime
//! or the driver API: [`wait`], [`exec_streaming`] (pipes or a pty with resize), and
//! [`task_stats`] in Nomad's units.
//!
//! A plugin that uses [`start`] re-executes its own binary as `<binary> yurt-supervise <dir>`;
//! [`crate::serve_driver`] (and [`crate::serve_device`]) recognise that argv before anything
//! else and run the supervisor instead of the plugin.
//!
//! The blocking calls ([`start`], [`Task::stop`], [`Task::destroy`], [`Task::exec`]) wait for
//! processes; from async code, run them with `tokio::task::spawn_blocking`.

mod exec_stream;
mod wait;

pub use exec_stream::exec_streaming;
pub use wait::wait;
pub use yurt_supervise::*;

use crate::base::AgentConfig;
use crate::driver::{CpuField, CpuUsage, MemoryField, MemoryUsage, ResourceUsage, TaskStats};

/// The host topology to compute `total_ticks` with: the one the agent sent in SetConfig, else
/// `/proc/cpuinfo`'s.
pub fn topology(agent: Option<&AgentConfig>) -> CpuTopology {
    match agent {
        Some(a) if a.total_compute_mhz > 0 && a.cores > 0 => CpuTopology {
            total_compute_mhz: a.total_compute_mhz as f64,
            cores: a.cores,
        },
        _ => CpuTopology::from_host(),
    }
}

fn usage(u: &ProcessUsage, ticks: bool, max: bool) -> ResourceUsage {
    let mut cpu = vec![CpuField::SystemMode, CpuField::UserMode, CpuField::Percent];
    if ticks {
        cpu.push(CpuField::TotalTicks);
    }
    let mut mem = vec![MemoryField::Rss, MemoryField::Swap, MemoryField::Usage];
    if max {
        mem.push(MemoryField::MaxUsage);
    }
    ResourceUsage {
        cpu: CpuUsage {
            system_mode: u.system_mode,
            user_mode: u.user_mode,
            total_ticks: if ticks { u.total_ticks } else { 0.0 },
            percent: u.percent,
            measured: cpu,
        },
        memory: MemoryUsage {
            rss: u.rss,
            swap: u.swap,
            usage: u.usage,
            max_usage: if max { u.max_usage } else { 0 },
            measured: mem,
            ..Default::default()
        },
    }
}

/// A [`Sampler`] sample as Nomad's `TaskStats`; `measured` lists every field filled
/// (`total_ticks` only when the topology's compute is known, `max_usage` for the total only).
pub fn task_stats(u: &TaskUsage) -> TaskStats {
    TaskStats {
        timestamp: u.timestamp,
        total: usage(&u.total, u.ticks_measured, true),
        by_pid: u
            .by_pid
            .iter()
            .map(|(pid, p)| (pid.to_string(), usage(p, u.ticks_measured, false)))
            .collect(),
    }
}

impl From<Error> for crate::Error {
    fn from(e: Error) -> crate::Error {
        match e.kind() {
            ErrorKind::InvalidArgument => crate::Error::InvalidArgument(e.to_string()),
            _ => crate::Error::other(e.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;
    use std::time::SystemTime;

    #[test]
    fn the_agents_topology_wins_over_the_hosts() {
        let agent = AgentConfig {
            total_compute_mhz: 12000,
            cores: 4,
            ..Default::default()
        };
        let t = topology(Some(&agent));
        assert_eq!((t.total_compute_mhz, t.cores), (12000.0, 4));
        assert_eq!(t.ticks_consumed(100.0), 3000.0);
        let host = topology(Some(&AgentConfig::default()));
        assert_eq!(host, CpuTopology::from_host());
    }

    #[test]
    fn stats_list_every_field_they_fill() {
        let p = ProcessUsage {
            user_mode: 60.0,
            system_mode: 40.0,
            percent: 100.0,
            total_ticks: 3000.0,
            rss: 4096,
            swap: 0,
            usage: 4096,
            max_usage: 8192,
        };
        let u = TaskUsage {
            timestamp: SystemTime::now(),
            total: p,
            by_pid: BTreeMap::from([(42, p)]),
            ticks_measured: true,
        };
        let s = task_stats(&u);
        assert_eq!(s.total.cpu.total_ticks, 3000.0);
        assert!(s.total.cpu.measured.contains(&CpuField::TotalTicks));
        assert!(s.total.memory.measured.contains(&MemoryField::MaxUsage));
        assert_eq!(s.total.memory.max_usage, 8192);
        let one = &s.by_pid["42"];
        assert!(!one.memory.measured.contains(&MemoryField::MaxUsage));
        let s = task_stats(&TaskUsage {
            ticks_measured: false,
            ..u
        });
        assert!(!s.total.cpu.measured.contains(&CpuField::TotalTicks));
        assert_eq!(s.total.cpu.total_ticks, 0.0);
    }
}
