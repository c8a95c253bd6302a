//! Task resource usage from `/proc`: every process in the supervisor's session (the task and
//! what it forked), CPU as a share of one core since the previous sample, memory as RSS.

use std::collections::BTreeMap;
use std::time::{Instant, SystemTime};

use yurt::driver::{CpuField, CpuUsage, MemoryField, MemoryUsage, ResourceUsage, TaskStats};

use crate::state;

/// CPU ticks (user, system) per pid at one instant.
type Ticks = (Instant, BTreeMap<i32, (u64, u64)>);

/// Keeps the previous sample so CPU percentages cover the interval between two samples.
pub struct Sampler {
    session: i32,
    ticks_per_sec: f64,
    page_size: u64,
    last: Option<Ticks>,
}

impl Sampler {
    pub fn new(session: i32) -> Self {
        // SAFETY: sysconf has no preconditions.
        let (hz, page) = unsafe {
            (
                libc::sysconf(libc::_SC_CLK_TCK),
                libc::sysconf(libc::_SC_PAGESIZE),
            )
        };
        Sampler {
            session,
            ticks_per_sec: if hz > 0 { hz as f64 } else { 100.0 },
            page_size: u64::try_from(page).unwrap_or(4096),
            last: None,
        }
    }

    fn usage(&self, user: f64, system: f64, rss: u64) -> ResourceUsage {
        ResourceUsage {
            cpu: CpuUsage {
                user_mode: user,
                system_mode: system,
                percent: user + system,
                total_ticks: 0.0,
                measured: vec![CpuField::UserMode, CpuField::SystemMode, CpuField::Percent],
            },
            memory: MemoryUsage {
                rss,
                measured: vec![MemoryField::Rss],
                ..Default::default()
            },
        }
    }

    pub fn sample(&mut self) -> TaskStats {
        let now = Instant::now();
        let procs = state::session_members(self.session);
        let elapsed = self
            .last
            .as_ref()
            .map_or(0.0, |(t, _)| now.duration_since(*t).as_secs_f64());
        let pct = |delta: u64| {
            if elapsed > 0.0 {
                delta as f64 / self.ticks_per_sec / elapsed * 100.0
            } else {
                0.0
            }
        };
        let mut by_pid = BTreeMap::new();
        let mut ticks = BTreeMap::new();
        let (mut tu, mut ts, mut trss) = (0.0, 0.0, 0u64);
        for (pid, s) in &procs {
            let (pu, ps) = self
                .last
                .as_ref()
                .and_then(|(_, m)| m.get(pid).copied())
                .unwrap_or((s.utime, s.stime));
            let u = pct(s.utime.saturating_sub(pu));
            let sy = pct(s.stime.saturating_sub(ps));
            let rss = s.rss_pages * self.page_size;
            tu += u;
            ts += sy;
            trss += rss;
            by_pid.insert(pid.to_string(), self.usage(u, sy, rss));
            ticks.insert(*pid, (s.utime, s.stime));
        }
        self.last = Some((now, ticks));
        TaskStats {
            timestamp: SystemTime::now(),
            total: self.usage(tu, ts, trss),
            by_pid,
        }
    }
}
