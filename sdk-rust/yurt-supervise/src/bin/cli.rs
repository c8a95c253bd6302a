//! `yurt-supervise-cli`: the Rust supervision layer from the command line, so that a test in
//! any language can have a task started, reattached, waited, signalled, stopped or destroyed
//! by the Rust layer (the cross-language format test). Not shipped; handles are hex.
//!
//! ```text
//! yurt-supervise-cli start <state dir> <stdout path> <stderr path> -- <command> [args...]
//!                                               prints the handle
//! yurt-supervise-cli exit <handle>              prints "running" or the exit result
//! yurt-supervise-cli wait <handle>              prints the exit result
//! yurt-supervise-cli signal <handle> <signal>
//! yurt-supervise-cli stop <handle> <signal> <timeout ms>   prints the exit result
//! yurt-supervise-cli destroy <handle>
//! yurt-supervise-cli bench <dir> <n>            start n `sleep 3600` tasks one after another,
//!                                               measure, destroy them; prints one JSON object
//! ```
//! The supervisor run by `start` is `$YURT_SUPERVISE_PROGRAM`, else the `yurt-supervise`
//! binary next to this one. The task's environment is `PATH` of this process; its working
//! directory this process's.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use yurt_supervise::{ExitResult, StartOptions, Task, TaskSpec, reattach, spawn};

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn unhex(s: &str) -> Result<Vec<u8>, String> {
    if !s.len().is_multiple_of(2) {
        return Err(format!("handle: expected hex, got {} characters", s.len()));
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).map_err(|e| format!("handle: {e}")))
        .collect()
}

fn show(r: &ExitResult) -> String {
    format!(
        "exit_code={} signal={} oom_killed={}",
        r.exit_code, r.signal, r.oom_killed
    )
}

fn task(arg: Option<&String>) -> Result<Task, String> {
    let h = unhex(arg.ok_or("missing <handle>")?)?;
    reattach(&h).map_err(|e| e.to_string())
}

fn signal(arg: Option<&String>) -> Result<i32, String> {
    let s = arg.ok_or("missing <signal>")?;
    spawn::signal_number(s).ok_or_else(|| format!("signal: unknown signal {s:?}"))
}

fn program() -> PathBuf {
    std::env::var_os("YURT_SUPERVISE_PROGRAM")
        .map(PathBuf::from)
        .or_else(|| {
            let me = std::env::current_exe().ok()?;
            Some(me.parent()?.join("yurt-supervise"))
        })
        .unwrap_or_else(|| PathBuf::from("yurt-supervise"))
}

fn run(args: &[String]) -> Result<String, String> {
    let err = |e: yurt_supervise::Error| e.to_string();
    match args.first().map(String::as_str) {
        Some("start") => {
            let sep = args.iter().position(|a| a == "--").ok_or("missing --")?;
            let (head, cmd) = (&args[1..sep], &args[sep + 1..]);
            let [dir, out, errp] = head else {
                return Err("start <state dir> <stdout> <stderr> -- <command> [args...]".into());
            };
            let spec = TaskSpec {
                task_id: format!("cli/{}", Path::new(dir).display()),
                command: cmd.first().cloned().unwrap_or_default(),
                args: cmd.iter().skip(1).cloned().collect(),
                env: std::env::var("PATH")
                    .map(|p| vec![format!("PATH={p}")])
                    .unwrap_or_default(),
                working_dir: std::env::current_dir()
                    .map(|d| d.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                stdout_path: out.clone(),
                stderr_path: errp.clone(),
                ..Default::default()
            };
            let opts = StartOptions {
                program: Some(program()),
                ..Default::default()
            };
            let t = yurt_supervise::start_with(&spec, Path::new(dir), &opts).map_err(err)?;
            Ok(hex(&t.handle()))
        }
        Some("exit") => Ok(match task(args.get(1))?.exit().map_err(err)? {
            Some(r) => show(&r),
            None => "running".into(),
        }),
        Some("wait") => Ok(show(&task(args.get(1))?.wait().map_err(err)?)),
        Some("signal") => {
            let t = task(args.get(1))?;
            t.signal(signal(args.get(2))?).map_err(err)?;
            Ok(String::new())
        }
        Some("stop") => {
            let t = task(args.get(1))?;
            let sig = signal(args.get(2))?;
            let ms: u64 = args
                .get(3)
                .and_then(|v| v.parse().ok())
                .ok_or("missing <timeout ms>")?;
            Ok(show(&t.stop(sig, Duration::from_millis(ms)).map_err(err)?))
        }
        Some("destroy") => {
            task(args.get(1))?.destroy().map_err(err)?;
            Ok(String::new())
        }
        Some("bench") => {
            let [_, dir, n] = args else {
                return Err("usage: bench <dir> <n>".into());
            };
            match n.parse::<usize>() {
                Ok(n) if n > 0 => bench(Path::new(dir), n),
                _ => Err(format!("bench: <n>: expected a positive count, got {n:?}")),
            }
        }
        _ => Err("usage: yurt-supervise-cli start|exit|wait|signal|stop|destroy|bench ...".into()),
    }
}

/// Starts `n` `sleep 3600` tasks one after another in this one process (so no process spawn
/// of a CLI per start is counted), timing each `start_with` from the call to its return; reads
/// each supervisor's PSS from `/proc/<pid>/smaps_rollup` while all run; destroys them all.
/// The same measurement and JSON keys as Go's `supervisetest bench`.
fn bench(dir: &Path, n: usize) -> Result<String, String> {
    let opts = StartOptions {
        program: Some(program()),
        ..Default::default()
    };
    let mut tasks: Vec<Task> = Vec::with_capacity(n);
    let mut lat = Vec::with_capacity(n);
    let measured = (|| {
        for i in 0..n {
            let spec = TaskSpec {
                task_id: format!("bench/{i}"),
                command: "sleep".into(),
                args: vec!["3600".into()],
                env: vec!["PATH=/usr/bin:/bin".into()],
                ..Default::default()
            };
            let began = std::time::Instant::now();
            let t = yurt_supervise::start_with(&spec, &dir.join(i.to_string()), &opts)
                .map_err(|e| e.to_string())?;
            lat.push(began.elapsed().as_secs_f64() * 1000.0);
            tasks.push(t);
        }
        std::thread::sleep(Duration::from_millis(500)); // let each supervisor settle
        tasks
            .iter()
            .map(|t| pss_kib(t.started().supervisor_pid).map(|kb| kb / 1024.0))
            .collect::<Result<Vec<f64>, String>>()
    })();
    let mut destroy_err = None;
    for t in &tasks {
        if let Err(e) = t.destroy() {
            destroy_err.get_or_insert(e.to_string());
        }
    }
    let mut pss = measured?;
    if let Some(e) = destroy_err {
        return Err(format!("destroy: {e}"));
    }
    lat.sort_by(f64::total_cmp);
    pss.sort_by(f64::total_cmp);
    let mean = pss.iter().sum::<f64>() / n as f64;
    Ok(format!(
        "{{\"tasks\":{n},\"start_ms_p50\":{},\"start_ms_p90\":{},\"start_ms_max\":{},\"pss_mib_mean\":{mean},\"pss_mib_p50\":{},\"pss_mib_max\":{}}}",
        lat[n / 2],
        lat[n * 9 / 10],
        lat[n - 1],
        pss[n / 2],
        pss[n - 1]
    ))
}

fn pss_kib(pid: i32) -> Result<f64, String> {
    let path = format!("/proc/{pid}/smaps_rollup");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?;
    text.lines()
        .find_map(|l| l.strip_prefix("Pss:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .ok_or_else(|| format!("{path}: no Pss line"))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(out) => {
            if !out.is_empty() {
                println!("{out}");
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("yurt-supervise-cli: {e}");
            ExitCode::from(1)
        }
    }
}
