//! The task outlives its plugin: `kill -9` the plugin, let the task finish while no plugin runs,
//! then a fresh plugin process recovers it from the handle alone (driver config emptied, as
//! Nomad sends it) and reports the real exit code. Also the driver's own semantics over the
//! socket: signals, stop/kill, destroy, exec with and without a TTY.

mod common;

use std::time::Duration;

use common::{launch, shell_task};
use yurt::driver::TaskState;
use yurt::testing::DriverClient;

struct State {
    pid: i32,
    supervisor_pid: i32,
    state_dir: String,
}

/// What the driver keeps in `driver_state`: the supervision layer's handle.
fn state(handle: &yurt::driver::TaskHandle) -> State {
    let t = yurt::supervise::reattach(&handle.driver_state).expect("driver_state is a handle");
    State {
        pid: t.pid(),
        supervisor_pid: t.started().supervisor_pid,
        state_dir: t.state_dir().to_string_lossy().into_owned(),
    }
}

fn alive(pid: i32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|s| {
        !s.rsplit(')')
            .next()
            .unwrap_or("")
            .trim_start()
            .starts_with('Z')
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn task_survives_kill_9_of_the_plugin_and_a_fresh_plugin_reports_its_exit_code() {
    let tmp = tempfile::tempdir().unwrap();
    let _leftovers = common::KillLeftovers(tmp.path().join("state"));
    let go = tmp.path().join("go");
    let script = format!(
        "echo before; while [ ! -e '{}' ]; do sleep 0.05; done; echo after; exit 7",
        go.display()
    );
    let (cfg, out, _err) = shell_task("survivor", tmp.path(), &script);

    let mut a = launch(&tmp.path().join("state")).await;
    let mut d = DriverClient::new(a.channel.clone());
    let handle = d.start_task(&cfg).await.expect("StartTask");
    assert!(
        out.wait_for("before", Duration::from_secs(5)).await,
        "{}",
        out.text()
    );
    let st = state(&handle);
    assert!(alive(st.pid) && alive(st.supervisor_pid));

    // SIGKILL: no Shutdown, no cleanup.
    a.child.kill().unwrap();
    a.child.wait().unwrap();
    assert!(alive(st.pid), "the task died with the plugin");
    assert!(
        alive(st.supervisor_pid),
        "the supervisor died with the plugin"
    );

    // The task finishes while no plugin exists; its output still reaches the FIFO reader.
    std::fs::write(&go, b"").unwrap();
    assert!(
        out.wait_for("after", Duration::from_secs(5)).await,
        "{}",
        out.text()
    );
    for _ in 0..100 {
        if !alive(st.supervisor_pid) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(!alive(st.pid) && !alive(st.supervisor_pid));

    let b = launch(&tmp.path().join("state")).await;
    let mut d = DriverClient::new(b.channel.clone());
    let mut h = handle.clone();
    h.config.driver_config.clear();
    d.recover_task(&h)
        .await
        .expect("RecoverTask in a fresh process");
    d.recover_task(&h)
        .await
        .expect("RecoverTask of a known task");
    let exit = d.wait_task(&cfg.id).await.expect("WaitTask");
    assert_eq!((exit.exit_code, exit.signal), (7, 0));
    let i = d.inspect_task(&cfg.id).await.unwrap();
    assert_eq!(i.state, TaskState::Exited);
    assert_eq!(i.exit.map(|e| e.exit_code), Some(7));
    d.destroy_task(&cfg.id, false)
        .await
        .expect("DestroyTask of an exited task");
    assert!(
        !std::path::Path::new(&st.state_dir).exists(),
        "state dir removed"
    );
    let err = d.wait_task(&cfg.id).await.unwrap_err();
    assert_eq!(err.message(), yurt::TASK_NOT_FOUND);

    // A handle whose supervisor vanished without a record cannot be recovered, and says why.
    let err = d.recover_task(&h).await.unwrap_err();
    assert!(err.message().contains("spec.pb"), "{}", err.message());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signals_stop_destroy_and_exec_with_a_tty() {
    let tmp = tempfile::tempdir().unwrap();
    let _leftovers = common::KillLeftovers(tmp.path().join("state"));
    let p = launch(&tmp.path().join("state")).await;
    let mut d = DriverClient::new(p.channel.clone());

    // SignalTask reaches the task; StopTask with an ignored signal kills after the timeout.
    let (cfg, out, _e) = shell_task(
        "trapper",
        tmp.path(),
        "trap 'echo got usr1' USR1; trap '' TERM; echo ready; while true; do sleep 0.1; done",
    );
    d.start_task(&cfg).await.unwrap();
    assert!(d.start_task(&cfg).await.is_err(), "duplicate id must fail");
    assert!(out.wait_for("ready", Duration::from_secs(5)).await);
    d.signal_task(&cfg.id, "SIGUSR1").await.unwrap();
    assert!(
        out.wait_for("got usr1", Duration::from_secs(5)).await,
        "{}",
        out.text()
    );
    let err = d.destroy_task(&cfg.id, false).await.unwrap_err();
    assert!(err.message().contains("running"), "{}", err.message());
    let t0 = std::time::Instant::now();
    d.stop_task(&cfg.id, Duration::from_millis(500), "SIGTERM")
        .await
        .unwrap();
    let took = t0.elapsed();
    assert!(
        took >= Duration::from_millis(450) && took < Duration::from_secs(5),
        "{took:?}"
    );
    let exit = d.wait_task(&cfg.id).await.unwrap();
    assert_eq!((exit.exit_code, exit.signal), (128 + 9, 9));
    d.destroy_task(&cfg.id, false).await.unwrap();

    // Exec runs in the task's environment; with a TTY, the command sees a terminal of the
    // size the client sent, and the exit code is the command's.
    let (mut cfg, _o, _e) = shell_task("shell", tmp.path(), "sleep 3600");
    cfg.env.insert("GREETING".into(), "from-the-task".into());
    d.start_task(&cfg).await.unwrap();
    let t = d
        .exec_streaming(
            &cfg.id,
            &[
                "sh",
                "-c",
                "echo $GREETING; echo err >&2; [ -t 0 ] || exit 5",
            ],
            None,
            b"",
        )
        .await
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&t.stdout), "from-the-task\n");
    assert_eq!(String::from_utf8_lossy(&t.stderr), "err\n");
    assert_eq!(t.exit.exit_code, 5);
    let t = d
        .exec_streaming(
            &cfg.id,
            // The size arrives after setup (as in Nomad, whose own exec test sleeps first).
            &[
                "sh",
                "-c",
                "sleep 0.3; stty size; tty; read x; echo got $x; exit 3",
            ],
            Some((33, 101)),
            b"hi\n",
        )
        .await
        .unwrap();
    let text = String::from_utf8_lossy(&t.stdout);
    assert!(text.contains("33 101"), "{text}");
    assert!(text.contains("/dev/pts/"), "{text}");
    assert!(text.contains("got hi\r\n"), "{text}");
    assert!(t.stderr.is_empty());
    assert_eq!(t.exit.exit_code, 3);
    // stdin passes through on pipes, and its close ends `cat`.
    let t = d
        .exec_streaming(&cfg.id, &["cat"], None, b"piped")
        .await
        .unwrap();
    assert_eq!((t.stdout.as_slice(), t.exit.exit_code), (&b"piped"[..], 0));
    d.destroy_task(&cfg.id, true).await.unwrap();
    assert_eq!(
        d.inspect_task(&cfg.id).await.unwrap_err().message(),
        yurt::TASK_NOT_FOUND
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stats_measure_the_task_and_its_children_from_proc() {
    let tmp = tempfile::tempdir().unwrap();
    let _leftovers = common::KillLeftovers(tmp.path().join("state"));
    let p = launch(&tmp.path().join("state")).await;
    let mut d = DriverClient::new(p.channel.clone());
    // A busy child plus a sleeping one: two processes besides the shell.
    let (cfg, _o, _e) = shell_task(
        "busy",
        tmp.path(),
        "(while :; do :; done) & sleep 3600 & wait",
    );
    d.start_task(&cfg).await.unwrap();
    let t0 = std::time::Instant::now();
    let samples = d
        .task_stats(&cfg.id, Duration::from_millis(300), 4)
        .await
        .expect("TaskStats");
    let took = t0.elapsed();
    assert_eq!(samples.len(), 4);
    // Four samples at 300 ms: the first at once, so about 900 ms.
    assert!(
        took >= Duration::from_millis(800) && took < Duration::from_secs(10),
        "{took:?}"
    );
    let last = samples.last().unwrap();
    eprintln!("stats: took {took:?}, last {:?}", last.total);
    assert!(
        last.by_pid.len() >= 3,
        "expected sh and two children, got {:?}",
        last.by_pid.keys()
    );
    assert!(
        last.total.cpu.percent > 1.0,
        "a busy loop shows CPU use: {:?}",
        last.total.cpu
    );
    assert!(last.total.memory.rss > 0);
    // Nomad's units: % of one core, and MHz from the host's topology (no agent here:
    // /proc/cpuinfo's).
    let topo = yurt::supervise::CpuTopology::from_host();
    if topo.total_compute_mhz > 0.0 {
        let want = topo.ticks_consumed(last.total.cpu.percent);
        assert!(
            (last.total.cpu.total_ticks - want).abs() < 1e-6,
            "{:?}",
            last.total.cpu
        );
        assert!(
            last.total
                .cpu
                .measured
                .contains(&yurt::driver::CpuField::TotalTicks)
        );
    }
    d.destroy_task(&cfg.id, true).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn runs_the_task_as_its_user_when_the_plugin_is_root() {
    // SAFETY: geteuid cannot fail.
    if unsafe { libc::geteuid() } != 0 {
        // The refusal is what a non-root plugin must do; check that instead.
        let tmp = tempfile::tempdir().unwrap();
        let _leftovers = common::KillLeftovers(tmp.path().join("state"));
        let p = launch(&tmp.path().join("state")).await;
        let mut d = DriverClient::new(p.channel.clone());
        let (mut cfg, _o, _e) = shell_task("as-root", tmp.path(), "id -u");
        cfg.user = "root".into();
        let err = d.start_task(&cfg).await.unwrap_err();
        assert!(
            err.message().starts_with("user \"root\""),
            "{}",
            err.message()
        );
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let _leftovers = common::KillLeftovers(tmp.path().join("state"));
    let p = launch(&tmp.path().join("state")).await;
    let mut d = DriverClient::new(p.channel.clone());
    // Nomad makes the task dir writable for the task's user; the layer refuses one that is not.
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
    let (mut cfg, out, _e) = shell_task("as-nobody", tmp.path(), "echo uid=$(id -u) gid=$(id -g)");
    cfg.user = "nobody".into();
    d.start_task(&cfg).await.unwrap();
    assert_eq!(d.wait_task(&cfg.id).await.unwrap().exit_code, 0);
    assert!(
        out.wait_for("uid=65534 gid=65534", Duration::from_secs(5))
            .await,
        "{}",
        out.text()
    );
    // Exec runs as the task's user too.
    let (mut cfg2, _o, _e) = shell_task("as-nobody-2", tmp.path(), "sleep 3600");
    cfg2.user = "nobody".into();
    d.start_task(&cfg2).await.unwrap();
    let t = d
        .exec_streaming(&cfg2.id, &["id", "-u"], None, b"")
        .await
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&t.stdout), "65534\n");
    let (mut bad, _o, _e) = shell_task("no-user", tmp.path(), "true");
    bad.user = "no-such-user-xyz".into();
    let err = d.start_task(&bad).await.unwrap_err();
    assert!(
        err.message()
            .starts_with("user \"no-such-user-xyz\": no such user"),
        "{}",
        err.message()
    );
    d.destroy_task(&cfg2.id, true).await.unwrap();
    d.destroy_task(&cfg.id, false).await.unwrap();
}

/// A nonblocking reader of a FIFO that the test can close, as a crashing logmon would.
struct Reader(std::fs::File);

impl Reader {
    fn open(path: &std::path::Path) -> Reader {
        use std::os::unix::fs::OpenOptionsExt;
        Reader(
            std::fs::OpenOptions::new()
                .read(true)
                .custom_flags(libc::O_NONBLOCK)
                .open(path)
                .unwrap(),
        )
    }
    async fn wait_for(&mut self, want: &str, within: Duration) -> String {
        use std::io::Read;
        let mut got = Vec::new();
        let deadline = std::time::Instant::now() + within;
        while std::time::Instant::now() < deadline {
            let mut buf = [0u8; 4096];
            match self.0.read(&mut buf) {
                Ok(n) if n > 0 => got.extend_from_slice(&buf[..n]),
                _ => tokio::time::sleep(Duration::from_millis(20)).await,
            }
            if String::from_utf8_lossy(&got).contains(want) {
                break;
            }
        }
        String::from_utf8_lossy(&got).into_owned()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_task_survives_its_log_reader_dying_and_output_resumes_for_the_next_one() {
    let tmp = tempfile::tempdir().unwrap();
    let _leftovers = common::KillLeftovers(tmp.path().join("state"));
    let p = launch(&tmp.path().join("state")).await;
    let mut d = DriverClient::new(p.channel.clone());
    let out_path = tmp.path().join("logs.stdout");
    let err_path = tmp.path().join("logs.stderr");
    for f in [&out_path, &err_path] {
        let c = std::ffi::CString::new(f.to_string_lossy().as_bytes()).unwrap();
        // SAFETY: a valid C string.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    }
    let mut r1 = Reader::open(&out_path);
    let _err_reader = Reader::open(&err_path);
    let (mut cfg, _o, _e) = shell_task(
        "chatter",
        tmp.path(),
        "i=0; while :; do echo line$i; i=$((i+1)); sleep 0.1; done",
    );
    cfg.stdout_path = out_path.to_string_lossy().into_owned();
    cfg.stderr_path = err_path.to_string_lossy().into_owned();
    d.start_task(&cfg).await.unwrap();
    let first = r1.wait_for("line3", Duration::from_secs(5)).await;
    assert!(first.contains("line3"), "{first}");
    drop(r1); // the log collector dies
    tokio::time::sleep(Duration::from_millis(700)).await;
    let mut r2 = Reader::open(&out_path);
    let later = r2.wait_for("line", Duration::from_secs(5)).await;
    assert!(
        later.contains("line"),
        "no output for the new reader: {later:?}"
    );
    let i = d.inspect_task(&cfg.id).await.unwrap();
    assert_eq!(
        i.state,
        yurt::driver::TaskState::Running,
        "the task died with its reader: {:?}",
        i.exit
    );
    d.destroy_task(&cfg.id, true).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_task_left_by_a_start_interrupted_by_kill_9_is_destroyed_when_nomad_starts_it_again() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("state");
    let _leftovers = common::KillLeftovers(root.clone());
    let p = launch(&root).await;
    let mut d = DriverClient::new(p.channel.clone());
    let (mut cfg, _o, _e) = shell_task("web", tmp.path(), "sleep 3600");
    cfg.id = format!("{}/{}/0000beef", cfg.alloc_id, cfg.name);
    // What a plugin killed between starting the supervisor and returning the handle leaves:
    // a running task in a state dir that Nomad has no handle for.
    let orphan = yurt::supervise::start_with(
        &yurt::supervise::TaskSpec {
            task_id: format!("{}/{}/0000dead", cfg.alloc_id, cfg.name),
            command: "sleep".into(),
            args: vec!["3600".into()],
            env: vec!["PATH=/usr/bin:/bin".into()],
            ..Default::default()
        },
        &root.join("orphan"),
        &yurt::supervise::StartOptions {
            program: Some(std::path::PathBuf::from(env!("CARGO_BIN_EXE_rust-exec"))),
            ..Default::default()
        },
    )
    .unwrap();
    // A task of another name in the same alloc is left alone.
    let (mut other, _o2, _e2) = shell_task("db", tmp.path(), "sleep 3600");
    other.alloc_id = cfg.alloc_id.clone();
    other.id = format!("{}/db/0000cafe", cfg.alloc_id);
    d.start_task(&other).await.unwrap();
    assert!(alive(orphan.pid()));
    d.start_task(&cfg).await.unwrap();
    assert!(!alive(orphan.pid()), "the orphaned task survived");
    assert!(!orphan.state_dir().exists());
    assert_eq!(
        d.inspect_task(&other.id).await.unwrap().state,
        TaskState::Running
    );
    d.destroy_task(&cfg.id, true).await.unwrap();
    d.destroy_task(&other.id, true).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_task_over_its_memory_limit_is_oom_killed_and_waittask_says_so() {
    if yurt::supervise::isolation() != "cgroup-v1" {
        eprintln!("skipped: limits are enforced through cgroup v1 as root only");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let _leftovers = common::KillLeftovers(tmp.path().join("state"));
    let p = launch(&tmp.path().join("state")).await;
    let mut d = DriverClient::new(p.channel.clone());
    // tail keeps a line without end in memory: it grows until the limit.
    let (mut cfg, _o, _e) = shell_task("hog", tmp.path(), "exec tail /dev/zero");
    cfg.resources.memory_mb = 32;
    cfg.resources.cpu_shares = 100;
    d.start_task(&cfg).await.unwrap();
    let exit = tokio::time::timeout(Duration::from_secs(60), d.wait_task(&cfg.id))
        .await
        .expect("never OOM-killed")
        .unwrap();
    assert!(exit.oom_killed, "{exit:?}");
    assert_eq!((exit.exit_code, exit.signal), (137, 9));
    d.destroy_task(&cfg.id, false).await.unwrap();
}
