//! What a task leaves on disk, and what `/proc` says about its processes.
//!
//! Each task has a private state directory. The plugin writes `spec.json` (what to run); the
//! supervisor writes `started.json` once the task is forked and `exit.json` when it ends. Files
//! are written to a temporary name and renamed, so a reader never sees half a record. A fresh
//! plugin process needs nothing but the directory and the pids in `driver_state` to take over.

use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

pub const SPEC: &str = "spec.json";
pub const STARTED: &str = "started.json";
pub const EXIT: &str = "exit.json";
pub const SUPERVISOR_LOG: &str = "supervisor.log";

/// A resolved user to run as (only used when the plugin runs as root).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunAs {
    pub name: String,
    pub uid: u32,
    pub gid: u32,
    pub groups: Vec<u32>,
}

/// Everything the supervisor (and exec) need to run a process in the task's context.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Spec {
    pub task_id: String,
    /// Absolute path of the program.
    pub program: String,
    pub args: Vec<String>,
    pub env: Vec<(String, String)>,
    pub cwd: String,
    pub user: Option<RunAs>,
    pub stdout_path: String,
    pub stderr_path: String,
}

/// Written by the supervisor once the task runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Started {
    pub pid: i32,
    pub start_ticks: u64,
    pub started_at_ms: u64,
}

/// Written by the supervisor when the task has been reaped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exited {
    pub exit_code: i32,
    pub signal: i32,
    pub completed_at_ms: u64,
}

pub fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

pub fn from_ms(ms: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_millis(ms)
}

/// Writes `value` as JSON to `dir/name` atomically (temp file, fsync, rename).
pub fn write_record<T: Serialize>(dir: &Path, name: &str, value: &T) -> io::Result<()> {
    use std::io::Write;
    let tmp = dir.join(format!(".{name}.tmp"));
    let bytes = serde_json::to_vec(value).map_err(io::Error::other)?;
    let mut f = std::fs::File::create(&tmp)?;
    f.write_all(&bytes)?;
    f.sync_all()?;
    std::fs::rename(&tmp, dir.join(name))
}

/// Reads `dir/name`; `Ok(None)` when it does not exist yet. Errors name the file.
pub fn read_record<T: DeserializeOwned>(dir: &Path, name: &str) -> Result<Option<T>, String> {
    let path = dir.join(name);
    match std::fs::read(&path) {
        Ok(b) => serde_json::from_slice(&b)
            .map(Some)
            .map_err(|e| format!("{}: invalid record: {e}", path.display())),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!("{}: {e}", path.display())),
    }
}

/// The fields of `/proc/<pid>/stat` this driver uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProcStat {
    pub state: char,
    pub ppid: i32,
    pub session: i32,
    pub utime: u64,
    pub stime: u64,
    pub start_ticks: u64,
    pub rss_pages: u64,
}

/// Parses the text of `/proc/<pid>/stat`. The command name may hold spaces and parentheses, so
/// fields are counted from the last `)`.
pub fn parse_stat(text: &str) -> Option<ProcStat> {
    let rest = &text[text.rfind(')')? + 1..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    // f[0] is field 3 (state); field n is f[n - 3].
    let num = |n: usize| f.get(n - 3)?.parse::<u64>().ok();
    Some(ProcStat {
        state: f.first()?.chars().next()?,
        ppid: f.get(1)?.parse().ok()?,
        session: f.get(3)?.parse().ok()?,
        utime: num(14)?,
        stime: num(15)?,
        start_ticks: num(22)?,
        rss_pages: num(24)?,
    })
}

pub fn proc_stat(pid: i32) -> Option<ProcStat> {
    parse_stat(&std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?)
}

/// True when `pid` is the very process that started at `start_ticks` and has not exited
/// (a zombie counts as exited). Guards every signal against pid reuse.
pub fn is_alive(pid: i32, start_ticks: u64) -> bool {
    pid > 0 && proc_stat(pid).is_some_and(|s| s.start_ticks == start_ticks && s.state != 'Z')
}

/// Pids of every live process in session `sid` except the session leader itself: the task and
/// whatever it forked (the supervisor is the session leader).
pub fn session_members(sid: i32) -> Vec<(i32, ProcStat)> {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    dir.filter_map(|e| e.ok()?.file_name().to_str()?.parse::<i32>().ok())
        .filter(|&pid| pid != sid)
        .filter_map(|pid| Some((pid, proc_stat(pid)?)))
        .filter(|(_, s)| s.session == sid && s.state != 'Z')
        .collect()
}

/// A directory name for a task id: ids may hold `/` and anything else.
pub fn dir_name(task_id: &str) -> String {
    let safe: String = task_id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .take(64)
        .collect();
    format!("{safe}-{:x}", now_nanos_salt())
}

fn now_nanos_salt() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos())
        ^ u128::from(std::process::id())
}

pub fn state_root(configured: Option<&str>) -> PathBuf {
    match configured {
        Some(d) if !d.is_empty() => PathBuf::from(d),
        // SAFETY: geteuid cannot fail.
        _ => std::env::temp_dir().join(format!("yurt-rust-exec-{}", unsafe { libc::geteuid() })),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stat_parses_names_with_spaces_and_parens() {
        let line = "1234 (a b) (c)) S 1 1234 1234 0 -1 4194560 100 0 0 0 7 3 0 0 20 0 1 0 98765 1000 42 18446744073709551615";
        let s = parse_stat(line).unwrap();
        assert_eq!((s.state, s.ppid, s.session), ('S', 1, 1234));
        assert_eq!(
            (s.utime, s.stime, s.start_ticks, s.rss_pages),
            (7, 3, 98765, 42)
        );
        assert!(parse_stat("1 (x) S 1").is_none());
        assert!(parse_stat("garbage").is_none());
    }

    #[test]
    fn own_process_is_alive_and_a_wrong_start_time_is_not() {
        let me = i32::try_from(std::process::id()).unwrap();
        let st = proc_stat(me).unwrap();
        assert!(is_alive(me, st.start_ticks));
        assert!(!is_alive(me, st.start_ticks + 1));
        assert!(!is_alive(0, 0));
    }

    #[test]
    fn records_round_trip_and_missing_is_none() {
        let d = tempfile::tempdir().unwrap();
        assert_eq!(read_record::<Exited>(d.path(), EXIT).unwrap(), None);
        let e = Exited {
            exit_code: 3,
            signal: 0,
            completed_at_ms: 5,
        };
        write_record(d.path(), EXIT, &e).unwrap();
        assert_eq!(read_record::<Exited>(d.path(), EXIT).unwrap(), Some(e));
        std::fs::write(d.path().join(EXIT), b"{").unwrap();
        assert!(
            read_record::<Exited>(d.path(), EXIT)
                .unwrap_err()
                .contains("invalid record")
        );
    }

    #[test]
    fn dir_names_are_safe() {
        let n = dir_name("conf-1-2/long_running");
        assert!(n.starts_with("conf-1-2_long_running-"), "{n}");
        assert!(!n.contains('/'));
    }
}
