//! The state directory's files (see `proto/yurt/supervise/v1/supervise.proto`): atomic writes,
//! reads that name the file at fault, and what `/proc` says about a process.

use std::ffi::OsStr;
use std::fs::File;
use std::io::{self, Write};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use prost::Message;

use crate::Error;

/// The task's spec, written by the plugin before the supervisor starts.
pub const SPEC: &str = "spec.pb";
/// Written by the supervisor once the task's main process exists.
pub const STARTED: &str = "started.pb";
/// Written by the supervisor when the task is over; its presence means "the task is over".
pub const EXIT: &str = "exit.pb";
/// The supervisor's own stderr.
pub const SUPERVISOR_LOG: &str = "supervisor.log";
/// The one format version this code reads and writes.
pub const FORMAT_VERSION: u32 = 1;

/// Writes `msg` to `dir/name` atomically and durably: a temporary file in `dir`, fsync'd,
/// renamed over `name`, then `dir` fsync'd. A reader sees no file or the whole message.
/// exit.pb is written so.
pub fn write_message(dir: &Path, name: &str, msg: &impl Message) -> io::Result<()> {
    write_file(dir, name, msg, true)
}

/// Writes `msg` atomically but without fsync: spec.pb and started.pb on the start path.
/// supervise.proto explains why their durability across a host crash is worth nothing;
/// [`sync_before_exit`] makes them durable once the task has ended, before exit.pb.
pub fn write_message_fast(dir: &Path, name: &str, msg: &impl Message) -> io::Result<()> {
    write_file(dir, name, msg, false)
}

fn write_file(dir: &Path, name: &str, msg: &impl Message, durable: bool) -> io::Result<()> {
    let tmp = dir.join(format!(".{name}.tmp.{}", std::process::id()));
    let result = (|| {
        let mut f = File::create(&tmp)?;
        f.write_all(&msg.encode_to_vec())?;
        if durable {
            f.sync_all()?;
        }
        drop(f);
        std::fs::rename(&tmp, dir.join(name))?;
        if durable {
            File::open(dir)?.sync_all()?;
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Makes spec.pb and started.pb (written without fsync at start) durable before exit.pb is,
/// so that a recorded end survives a host crash together with the state that names it.
pub fn sync_before_exit(dir: &Path) {
    for name in [SPEC, STARTED] {
        if let Ok(f) = File::open(dir.join(name)) {
            let _ = f.sync_all();
        }
    }
}

/// Reads `dir/name`: `Ok(None)` when the file does not exist; an error naming the file when it
/// cannot be read or decoded.
pub fn read_message<M: Message + Default>(dir: &Path, name: &str) -> Result<Option<M>, Error> {
    let path = dir.join(name);
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(Error::state(format!("reading {}: {e}", path.display())));
        }
    };
    M::decode(bytes.as_slice()).map(Some).map_err(|e| {
        Error::state(format!(
            "{}: not a valid {} message ({} bytes): {e}; the state file is corrupted",
            path.display(),
            std::any::type_name::<M>()
                .rsplit("::")
                .next()
                .unwrap_or("protobuf"),
            bytes.len()
        ))
    })
}

/// Nanoseconds since the Unix epoch.
pub fn now_unix_nano() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX))
}

/// The fields of `/proc/<pid>/stat` this crate uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProcStat {
    /// Field 3.
    pub state: u8,
    /// Field 4.
    pub ppid: i32,
    /// Field 5.
    pub pgrp: i32,
    /// Field 14, clock ticks.
    pub utime: u64,
    /// Field 15, clock ticks.
    pub stime: u64,
    /// Field 22, clock ticks since boot.
    pub start_time: u64,
    /// Field 24, pages.
    pub rss_pages: u64,
}

/// Parses `/proc/<pid>/stat`; `None` when the process does not exist (or the file is odd).
pub fn proc_stat(pid: i32) -> Option<ProcStat> {
    if pid <= 0 {
        return None;
    }
    let raw = std::fs::read(format!("/proc/{pid}/stat")).ok()?;
    parse_stat(&raw)
}

fn parse_stat(raw: &[u8]) -> Option<ProcStat> {
    // The command name (field 2) is in parentheses and may hold spaces or ')': the fields after
    // it start after the last ')'.
    let close = raw.iter().rposition(|&b| b == b')')?;
    let rest = std::str::from_utf8(raw.get(close + 2..)?).ok()?;
    let f: Vec<&str> = rest.split_ascii_whitespace().collect();
    // f[0] is field 3.
    let num = |i: usize| f.get(i - 3).and_then(|v| v.parse::<u64>().ok());
    Some(ProcStat {
        state: *f.first()?.as_bytes().first()?,
        ppid: f.get(1)?.parse().ok()?,
        pgrp: f.get(2)?.parse().ok()?,
        utime: num(14)?,
        stime: num(15)?,
        start_time: num(22)?,
        rss_pages: num(24)?,
    })
}

/// True when `pid` exists, is not a zombie, and started at `start_time` (so it is not a reused
/// PID). A `start_time` of 0 skips the check.
pub fn is_alive(pid: i32, start_time: u64) -> bool {
    proc_stat(pid)
        .is_some_and(|s| s.state != b'Z' && (start_time == 0 || s.start_time == start_time))
}

/// Every process on the host with its stat, read from `/proc`.
pub fn all_processes() -> Vec<(i32, ProcStat)> {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    dir.filter_map(|e| {
        let e = e.ok()?;
        let pid = parse_pid(&e.file_name())?;
        Some((pid, proc_stat(pid)?))
    })
    .collect()
}

fn parse_pid(name: &OsStr) -> Option<i32> {
    let b = name.as_bytes();
    if b.is_empty() || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(b).ok()?.parse().ok()
}

/// The processes whose parent chain leads to `root` (not `root` itself), with their stat. They
/// come from the kernel's children lists (`/proc/<pid>/task/<tid>/children`), which cost the size
/// of `root`'s tree; only where the kernel keeps none (no CONFIG_PROC_CHILDREN) from a scan of
/// every process. A supervisor ending among thousands of tasks then reads its own few processes,
/// not all of /proc: stopping n tasks is no longer n scans of n processes.
pub fn tree_of(root: i32) -> Vec<(i32, ProcStat)> {
    match children_walk(Path::new("/proc"), root) {
        Some(pids) => pids
            .into_iter()
            .filter_map(|p| Some((p, proc_stat(p)?)))
            .collect(),
        None => descendants(root, &all_processes()),
    }
}

/// The descendants of `root` through the children lists of every thread under `proc` (a
/// /proc); `None` when `root` has no children list to read.
pub fn children_walk(proc: &Path, root: i32) -> Option<Vec<i32>> {
    if !proc.join(format!("{root}/task/{root}/children")).exists() {
        return None;
    }
    let mut found: Vec<i32> = Vec::new();
    let mut frontier = vec![root];
    while let Some(pid) = frontier.pop() {
        // A process that ended meanwhile has no task dir left: nothing below it to find here
        // (its children went to the subreaper, whose list is read too or on the next round).
        let Ok(threads) = std::fs::read_dir(proc.join(format!("{pid}/task"))) else {
            continue;
        };
        for t in threads.flatten() {
            let Ok(list) = std::fs::read_to_string(t.path().join("children")) else {
                continue;
            };
            for c in list.split_ascii_whitespace().filter_map(|c| c.parse().ok()) {
                if c != root && !found.contains(&c) {
                    found.push(c);
                    frontier.push(c);
                }
            }
        }
    }
    Some(found)
}

/// The processes whose parent chain leads to `root` (not `root` itself), from one snapshot.
pub fn descendants(root: i32, procs: &[(i32, ProcStat)]) -> Vec<(i32, ProcStat)> {
    let mut found: Vec<(i32, ProcStat)> = Vec::new();
    let mut frontier = vec![root];
    while let Some(parent) = frontier.pop() {
        for (pid, s) in procs {
            if s.ppid == parent && *pid != root && !found.iter().any(|(p, _)| p == pid) {
                found.push((*pid, *s));
                frontier.push(*pid);
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn children_walk_follows_every_threads_list_down_the_tree() {
        let proc = tempfile::tempdir().unwrap();
        // 10 has two threads (10, 11), each with children; 20 has a child; 99 is unrelated.
        for (pid, tid, children) in [
            (10, 10, "20 21"),
            (10, 11, "22 "),
            (20, 20, "30"),
            (21, 21, ""),
            (22, 22, ""),
            (30, 30, ""),
            (99, 99, "100"),
        ] {
            let dir = proc.path().join(format!("{pid}/task/{tid}"));
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(dir.join("children"), children).unwrap();
        }
        let mut got = children_walk(proc.path(), 10).unwrap();
        got.sort_unstable();
        assert_eq!(got, vec![20, 21, 22, 30]);
        assert_eq!(
            children_walk(proc.path(), 7),
            None,
            "no list: the caller scans /proc"
        );
    }

    #[test]
    fn tree_of_finds_what_a_scan_of_proc_finds() {
        let mut child = std::process::Command::new("sh")
            .args(["-c", "sleep 30 & sleep 30 & echo started; wait"])
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        std::io::BufRead::read_line(
            &mut std::io::BufReader::new(child.stdout.take().unwrap()),
            &mut line,
        )
        .unwrap();
        // SAFETY: getpid cannot fail.
        let me = unsafe { libc::getpid() };
        let shell = child.id() as i32;
        // Only the shell's tree: other tests of this process may run children of their own.
        let mine = |v: Vec<(i32, ProcStat)>| {
            let mut p: Vec<i32> = v
                .into_iter()
                .filter(|(p, s)| s.state != b'Z' && (*p == shell || s.ppid == shell))
                .map(|(p, _)| p)
                .collect();
            p.sort_unstable();
            p
        };
        let walked = mine(tree_of(me));
        let scanned = mine(descendants(me, &all_processes()));
        for &pid in walked.iter().chain(scanned.iter()) {
            // SAFETY: kill of the shell this test started and of its sleeps.
            unsafe { libc::kill(pid, libc::SIGKILL) };
        }
        let _ = child.wait();
        assert_eq!(walked.len(), 3, "the shell and its two sleeps: {walked:?}");
        assert_eq!(walked, scanned);
    }

    #[test]
    fn stat_lines_with_odd_names_parse() {
        let line = b"42 (a) b (c)) S 1 42 42 0 -1 4194560 100 0 0 0 7 3 0 0 20 0 1 0 12345 1000 25 18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0\n";
        let s = parse_stat(line).unwrap();
        assert_eq!(
            (
                s.state,
                s.ppid,
                s.pgrp,
                s.utime,
                s.stime,
                s.start_time,
                s.rss_pages
            ),
            (b'S', 1, 42, 7, 3, 12345, 25)
        );
        assert!(parse_stat(b"garbage").is_none());
    }

    #[test]
    fn own_process_is_alive_and_a_wrong_start_time_is_not() {
        let me = i32::try_from(std::process::id()).unwrap();
        let s = proc_stat(me).unwrap();
        assert!(is_alive(me, s.start_time));
        assert!(!is_alive(me, s.start_time + 1));
        assert!(!is_alive(-1, 0));
    }

    #[test]
    fn messages_round_trip_and_corruption_names_the_file() {
        let dir = std::env::temp_dir().join(format!("yurt-sv-state-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let r = crate::ExitResult {
            exit_code: 3,
            ..Default::default()
        };
        write_message(&dir, EXIT, &r).unwrap();
        assert_eq!(
            read_message::<crate::ExitResult>(&dir, EXIT).unwrap(),
            Some(r)
        );
        assert_eq!(
            read_message::<crate::ExitResult>(&dir, STARTED).unwrap(),
            None
        );
        std::fs::write(dir.join(EXIT), b"\xff\xff\xff").unwrap();
        let e = read_message::<crate::ExitResult>(&dir, EXIT)
            .unwrap_err()
            .to_string();
        assert!(e.contains("exit.pb") && e.contains("corrupted"), "{e}");
        let leftovers: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().contains(".tmp"))
            .collect();
        assert!(leftovers.is_empty());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
