//! Resource usage of a task's process tree (every descendant of its supervisor, not the
//! supervisor itself) from `/proc`, in Nomad's units.
//!
//! Nomad's executor (drivers/shared/executor/procstats/getstats.go and procstats.go, with
//! client/lib/cpustats/stats.go) reports per process, then summed:
//! - `percent`, `user_mode`, `system_mode`: CPU time over wall time of the interval since the
//!   previous sample, ×100, i.e. % of ONE core ("(vDelta / float64(timeDelta)) * 100.0");
//! - `total_ticks` of the sum: `TicksConsumed(percent)` =
//!   "(percent / 100) * float64(t.totalCompute) / float64(t.numCPUs)", in MHz, from the host
//!   topology (`cpustats.Compute{TotalCompute, NumCores}`);
//! - memory: RSS and Swap in bytes.
//!
//! Where this differs from Nomad's executor: a process's first sample covers the time since it
//! started (Nomad's first sample is 0); `usage` is RSS + swap and `max_usage` the largest
//! `usage` this sampler has seen (Nomad's basic executor leaves both unset); with a cgroup in
//! force they are its `memory.usage_in_bytes` and `memory.max_usage_in_bytes`. Like Nomad's pid
//! collector (cacheTTL = 5 s) the full `/proc` scan for new processes runs at most every
//! [`RESCAN`]; known processes are re-read at every sample.

use std::collections::BTreeMap;
use std::time::{Duration, Instant, SystemTime};

use crate::Task;
use crate::state::{self, ProcStat};

/// How often the sampler scans all of `/proc` for the task's processes.
pub const RESCAN: Duration = Duration::from_secs(5);

/// Per pid: start time, user and system CPU ticks at the previous sample.
type Ticks = BTreeMap<i32, (u64, u64, u64)>;

/// The host's CPU topology, as Nomad's `cpustats.Compute`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CpuTopology {
    /// Total compute of all cores, in MHz.
    pub total_compute_mhz: f64,
    /// Number of cores.
    pub cores: u32,
}

impl CpuTopology {
    /// From `/proc/cpuinfo`: the sum of every logical CPU's "cpu MHz", and their count. Used
    /// when the agent sent no topology.
    pub fn from_host() -> CpuTopology {
        let info = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let mut mhz = 0.0;
        let mut cores = 0u32;
        for line in info.lines() {
            let Some((k, v)) = line.split_once(':') else {
                continue;
            };
            match k.trim() {
                "processor" => cores += 1,
                "cpu MHz" => mhz += v.trim().parse::<f64>().unwrap_or(0.0),
                _ => {}
            }
        }
        if cores == 0 {
            // SAFETY: sysconf has no preconditions.
            cores =
                u32::try_from(unsafe { libc::sysconf(libc::_SC_NPROCESSORS_ONLN) }).unwrap_or(1);
        }
        CpuTopology {
            total_compute_mhz: mhz,
            cores: cores.max(1),
        }
    }

    /// Nomad's `TicksConsumed`: MHz used by `percent` % of one core.
    pub fn ticks_consumed(&self, percent: f64) -> f64 {
        percent / 100.0 * self.total_compute_mhz / f64::from(self.cores.max(1))
    }
}

/// Usage of one process, or of the whole task.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ProcessUsage {
    /// % of one core in user mode over the interval.
    pub user_mode: f64,
    /// % of one core in kernel mode over the interval.
    pub system_mode: f64,
    /// `user_mode + system_mode`.
    pub percent: f64,
    /// MHz consumed (see [`CpuTopology::ticks_consumed`]); 0 when the topology is unknown.
    pub total_ticks: f64,
    /// Resident set size, bytes.
    pub rss: u64,
    /// Swapped-out memory, bytes.
    pub swap: u64,
    /// `rss + swap`, bytes.
    pub usage: u64,
    /// The largest `usage` seen so far (the task's total only; per process, `usage`).
    pub max_usage: u64,
}

/// One sample of a task's usage.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskUsage {
    /// When it was taken.
    pub timestamp: SystemTime,
    /// Summed over every process.
    pub total: ProcessUsage,
    /// Per process ID.
    pub by_pid: BTreeMap<i32, ProcessUsage>,
    /// Whether `total_ticks` was computed (the topology's compute is known).
    pub ticks_measured: bool,
}

/// Keeps the previous sample, so that CPU percentages cover the interval between samples.
#[derive(Debug)]
pub struct Sampler {
    root: i32,
    root_start: u64,
    topology: CpuTopology,
    hz: f64,
    page: u64,
    last: Option<(Instant, Ticks)>,
    members: Option<(Instant, Vec<i32>)>,
    max_usage: u64,
    rescan: Duration,
    /// The task's memory cgroup directory, when one is in force.
    cgroup: Option<std::path::PathBuf>,
}

impl Sampler {
    /// A sampler for `task`'s processes.
    pub fn new(task: &Task, topology: CpuTopology) -> Sampler {
        let s = task.started();
        let mut sampler = Sampler::for_root(s.supervisor_pid, s.supervisor_start_time, topology);
        if !s.cgroup.is_empty() {
            sampler.cgroup = Some(std::path::PathBuf::from(&s.cgroup));
        }
        sampler
    }

    /// A sampler for the descendants of `root` (which started at `root_start` ticks).
    pub fn for_root(root: i32, root_start: u64, topology: CpuTopology) -> Sampler {
        // SAFETY: sysconf has no preconditions.
        let (hz, page) = unsafe {
            (
                libc::sysconf(libc::_SC_CLK_TCK),
                libc::sysconf(libc::_SC_PAGESIZE),
            )
        };
        Sampler {
            root,
            root_start,
            topology,
            hz: if hz > 0 { hz as f64 } else { 100.0 },
            page: u64::try_from(page).unwrap_or(4096),
            last: None,
            members: None,
            max_usage: 0,
            rescan: RESCAN,
            cgroup: None,
        }
    }

    /// The same sampler with another rescan period.
    pub fn with_rescan(mut self, rescan: Duration) -> Sampler {
        self.rescan = rescan;
        self
    }

    fn members(&mut self, now: Instant) -> Vec<(i32, ProcStat)> {
        if let Some((at, pids)) = &self.members
            && now.duration_since(*at) < self.rescan
        {
            return pids
                .iter()
                .filter_map(|&p| Some((p, state::proc_stat(p)?)))
                .filter(|(_, s)| s.state != b'Z')
                .collect();
        }
        let found: Vec<(i32, ProcStat)> = if state::is_alive(self.root, self.root_start) {
            state::tree_of(self.root)
                .into_iter()
                .filter(|(_, s)| s.state != b'Z')
                .collect()
        } else {
            Vec::new()
        };
        self.members = Some((now, found.iter().map(|(p, _)| *p).collect()));
        found
    }

    /// Takes a sample.
    pub fn sample(&mut self) -> TaskUsage {
        let now = Instant::now();
        let procs = self.members(now);
        let uptime = uptime_secs();
        let mut by_pid = BTreeMap::new();
        let mut ticks = BTreeMap::new();
        let mut total = ProcessUsage::default();
        for (pid, s) in procs {
            // The interval: since the previous sample for a known process, else since it started.
            let prev = self.last.as_ref().and_then(|(at, m)| {
                m.get(&pid)
                    .filter(|(start, _, _)| *start == s.start_time)
                    .map(|&(_, u, st)| (now.duration_since(*at).as_secs_f64(), u, st))
            });
            let (secs, pu, ps) =
                prev.unwrap_or_else(|| ((uptime - s.start_time as f64 / self.hz).max(0.0), 0, 0));
            let pct = |d: u64| {
                if secs > 0.0 {
                    d as f64 / self.hz / secs * 100.0
                } else {
                    0.0
                }
            };
            let user_mode = pct(s.utime.saturating_sub(pu));
            let system_mode = pct(s.stime.saturating_sub(ps));
            let rss = s.rss_pages * self.page;
            let swap = swap_bytes(pid);
            let u = ProcessUsage {
                user_mode,
                system_mode,
                percent: user_mode + system_mode,
                total_ticks: self.topology.ticks_consumed(user_mode + system_mode),
                rss,
                swap,
                usage: rss + swap,
                max_usage: rss + swap,
            };
            total.user_mode += u.user_mode;
            total.system_mode += u.system_mode;
            total.percent += u.percent;
            total.rss += rss;
            total.swap += swap;
            total.usage += u.usage;
            by_pid.insert(pid, u);
            ticks.insert(pid, (s.start_time, s.utime, s.stime));
        }
        total.total_ticks = self.topology.ticks_consumed(total.percent);
        // With a cgroup, the kernel's own accounting of the task's memory (as Nomad's cgroup
        // executor reports it): usage and peak usage, page cache included.
        if let Some(dir) = &self.cgroup {
            let read = |f: &str| {
                std::fs::read_to_string(dir.join(f))
                    .ok()
                    .and_then(|v| v.trim().parse::<u64>().ok())
            };
            if let Some(u) = read("memory.usage_in_bytes").or_else(|| read("memory.current")) {
                total.usage = u;
                // RSS and swap as the cgroup charges them (v1 memory.stat total_rss and
                // total_swap, v2 anon and memory.swap.current): page cache is in usage only.
                let stat = std::fs::read_to_string(dir.join("memory.stat")).unwrap_or_default();
                let key = |k: &str| {
                    stat.lines().find_map(|l| {
                        l.strip_prefix(k)?
                            .strip_prefix(' ')?
                            .trim()
                            .parse::<u64>()
                            .ok()
                    })
                };
                // The kernel folds its per-CPU counters into memory.stat lazily (every few
                // seconds for small changes): until it has, the processes' own RSS stands,
                // capped at the cgroup's usage.
                total.rss = match key("total_rss").or_else(|| key("anon")) {
                    Some(r) if r > 0 => r,
                    _ => total.rss.min(u),
                };
                if let Some(w) = key("total_swap").or_else(|| read("memory.swap.current")) {
                    total.swap = w;
                }
            }
            if let Some(m) = read("memory.max_usage_in_bytes").or_else(|| read("memory.peak")) {
                self.max_usage = self.max_usage.max(m);
            }
        }
        self.max_usage = self.max_usage.max(total.usage);
        total.max_usage = self.max_usage;
        self.last = Some((now, ticks));
        TaskUsage {
            timestamp: SystemTime::now(),
            total,
            by_pid,
            ticks_measured: self.topology.total_compute_mhz > 0.0,
        }
    }
}

fn uptime_secs() -> f64 {
    std::fs::read_to_string("/proc/uptime")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .unwrap_or(0.0)
}

/// `VmSwap` of `/proc/<pid>/status`, in bytes (0 when absent).
fn swap_bytes(pid: i32) -> u64 {
    let Ok(status) = std::fs::read_to_string(format!("/proc/{pid}/status")) else {
        return 0;
    };
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmSwap:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or(0, |kb| kb * 1024)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_follow_nomads_formula() {
        let t = CpuTopology {
            total_compute_mhz: 8000.0,
            cores: 4,
        };
        // 100 % of one core on a 4 x 2000 MHz host is 2000 MHz.
        assert!((t.ticks_consumed(100.0) - 2000.0).abs() < 1e-9);
        assert!((t.ticks_consumed(50.0) - 1000.0).abs() < 1e-9);
        let host = CpuTopology::from_host();
        assert!(host.cores >= 1);
    }
}
