//! Task resource usage from `/proc`: every process in the supervisor's session (the task and
//! what it forked), CPU as a share of one core since the previous sample, memory as RSS.
//!
//! Finding the session's processes means reading the stat of every process on the host, so the
//! sampler does that at most every [`RESCAN`] (as Nomad's executor does for its pid collector)
//! and reads only the known pids in between: a sample then costs a few file reads instead of
//! thousands. A process the task forks shows up within one rescan period.

use std::collections::BTreeMap;
use std::time::{Duration, Instant, SystemTime};

use yurt::driver::{CpuField, CpuUsage, MemoryField, MemoryUsage, ResourceUsage, TaskStats};

use crate::state;

/// CPU ticks (user, system) per pid at one instant.
type Ticks = (Instant, BTreeMap<i32, (u64, u64)>);

/// How often the sampler looks through all of `/proc` for the session's processes.
pub const RESCAN: Duration = Duration::from_secs(5);

/// Keeps the previous sample so CPU percentages cover the interval between two samples.
pub struct Sampler {
    session: i32,
    ticks_per_sec: f64,
    page_size: u64,
    last: Option<Ticks>,
    rescan: Duration,
    /// The session's pids at the last full scan, and when that was.
    members: Option<(Instant, Vec<i32>)>,
    /// Full scans so far (read by tests).
    #[cfg_attr(not(test), allow(dead_code))]
    scans: u64,
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
            rescan: RESCAN,
            members: None,
            scans: 0,
        }
    }

    /// The same sampler with another rescan period (tests use a short one).
    #[cfg(test)]
    pub fn with_rescan(mut self, rescan: Duration) -> Self {
        self.rescan = rescan;
        self
    }

    /// The session's live processes: a full scan when the last one is older than the rescan
    /// period, else a fresh stat of the pids that scan found (gone or reused pids drop out).
    fn members(&mut self, now: Instant) -> Vec<(i32, state::ProcStat)> {
        if let Some((at, pids)) = &self.members
            && now.duration_since(*at) < self.rescan
        {
            let sid = self.session;
            return pids
                .iter()
                .filter_map(|&pid| Some((pid, state::proc_stat(pid)?)))
                .filter(|(_, s)| s.session == sid && s.state != 'Z')
                .collect();
        }
        let procs = state::session_members(self.session);
        self.scans += 1;
        self.members = Some((now, procs.iter().map(|(pid, _)| *pid).collect()));
        procs
    }

    /// Full scans of `/proc` so far.
    #[cfg(test)]
    pub fn scans(&self) -> u64 {
        self.scans
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
        let procs = self.members(now);
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::process::CommandExt;
    use std::process::{Child, Command, Stdio};

    /// A session leader (`sh` running `script`, like the supervisor) in a new session.
    fn session(script: &str, stdin: Stdio) -> Child {
        let mut cmd = Command::new("sh");
        cmd.args(["-c", script]).stdin(stdin);
        // SAFETY: setsid is async-signal-safe and touches no parent state.
        unsafe {
            cmd.pre_exec(|| {
                if libc::setsid() < 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        cmd.spawn().expect("spawn sh")
    }

    fn wait_members(sid: i32, n: usize) -> Vec<i32> {
        for _ in 0..200 {
            let pids: Vec<i32> = state::session_members(sid)
                .iter()
                .map(|(p, _)| *p)
                .collect();
            if pids.len() == n {
                return pids;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        panic!("session {sid} never had {n} members");
    }

    #[test]
    fn between_rescans_known_pids_are_restatted_and_dead_ones_drop_out() {
        let mut leader = session("sleep 30 & sleep 30 & wait", Stdio::null());
        let sid = leader.id() as i32;
        let pids = wait_members(sid, 2);
        let mut sampler = Sampler::new(sid).with_rescan(Duration::from_secs(3600));
        let first = sampler.sample();
        assert_eq!(first.by_pid.len(), 2, "{:?}", first.by_pid.keys());
        // SAFETY: plain kill(2) of a child we own.
        unsafe { libc::kill(pids[0], libc::SIGKILL) };
        let mut second = sampler.sample();
        for _ in 0..100 {
            if second.by_pid.len() == 1 {
                break;
            }
            std::thread::sleep(Duration::from_millis(10));
            second = sampler.sample();
        }
        assert_eq!(
            second.by_pid.keys().collect::<Vec<_>>(),
            vec![&pids[1].to_string()]
        );
        assert_eq!(
            sampler.scans(),
            1,
            "samples inside the rescan period must not scan /proc"
        );
        let _ = leader.kill();
        let _ = leader.wait();
        // SAFETY: plain killpg(2) of the session we created.
        unsafe { libc::killpg(sid, libc::SIGKILL) };
    }

    #[test]
    fn a_process_forked_later_is_counted_from_the_next_rescan() {
        use std::io::Write;
        let mut leader = session("sleep 30 & read x; sleep 30 & wait", Stdio::piped());
        let sid = leader.id() as i32;
        wait_members(sid, 1);
        let mut sampler = Sampler::new(sid).with_rescan(Duration::from_secs(3600));
        assert_eq!(sampler.sample().by_pid.len(), 1);
        writeln!(leader.stdin.take().unwrap(), "go").unwrap();
        wait_members(sid, 2);
        assert_eq!(
            sampler.sample().by_pid.len(),
            1,
            "inside the period: the cached pid set"
        );
        sampler.rescan = Duration::ZERO;
        assert_eq!(
            sampler.sample().by_pid.len(),
            2,
            "the rescan finds the new process"
        );
        assert_eq!(sampler.scans(), 2);
        let _ = leader.kill();
        let _ = leader.wait();
        // SAFETY: plain killpg(2) of the session we created.
        unsafe { libc::killpg(sid, libc::SIGKILL) };
    }
}
