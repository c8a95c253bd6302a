//! The task's output goes to Nomad's FIFOs, and a FIFO without a reader never hangs the
//! supervisor (the old rust-exec supervisor blocked forever in open()).

mod common;

use std::io::Read;
use std::time::{Duration, Instant};

use common::*;

#[test]
fn a_fifo_that_nobody_ever_reads_does_not_hang_start_or_exit() {
    let d = tempfile::tempdir().unwrap();
    mkfifo(&d.path().join("out"));
    mkfifo(&d.path().join("err"));
    let began = Instant::now();
    let t = start(d.path(), &sh(d.path(), "echo lost; exit 4"));
    let r = t.wait().unwrap();
    assert_eq!(r.exit_code, 4);
    // Output with no reader is held up to the drain period, then the supervisor exits.
    assert!(
        began.elapsed() < Duration::from_secs(15),
        "{:?}",
        began.elapsed()
    );
    let s = t.started().clone();
    assert!(eventually(Duration::from_secs(5), || !alive((
        s.supervisor_pid,
        s.supervisor_start_time
    ))));
    t.destroy().unwrap();
}

#[test]
fn output_flows_through_a_fifo_to_its_reader() {
    let d = tempfile::tempdir().unwrap();
    let fifo = d.path().join("out");
    mkfifo(&fifo);
    let reader = std::thread::spawn({
        let fifo = fifo.clone();
        move || {
            let mut s = String::new();
            std::fs::File::open(fifo)
                .unwrap()
                .read_to_string(&mut s)
                .unwrap();
            s
        }
    });
    let t = start(
        d.path(),
        &sh(d.path(), "for i in 1 2 3; do echo line $i; done"),
    );
    assert_eq!(t.wait().unwrap().exit_code, 0);
    assert_eq!(reader.join().unwrap(), "line 1\nline 2\nline 3\n");
    t.destroy().unwrap();
}

#[test]
fn a_reader_that_disappears_for_good_does_not_block_the_task_or_the_supervisor() {
    let d = tempfile::tempdir().unwrap();
    let fifo = d.path().join("out");
    mkfifo(&fifo);
    // A reader that takes a little and goes away: the task then writes far more than a pipe
    // holds. It must finish (its output dropped after the reader wait), and so must the
    // supervisor.
    let reader = std::thread::spawn({
        let fifo = fifo.clone();
        move || {
            let mut f = std::fs::File::open(fifo).unwrap();
            let mut buf = [0u8; 16];
            let _ = f.read(&mut buf);
        }
    });
    let t = start(
        d.path(),
        &sh(
            d.path(),
            "i=0; while [ $i -lt 10000 ]; do echo 0123456789012345678901234567890123456789012345678901234567890123456789; i=$((i+1)); done; exit 6",
        ),
    );
    reader.join().unwrap();
    let r = t.wait_timeout(Duration::from_secs(60)).unwrap();
    assert_eq!(
        r.map(|r| r.exit_code),
        Some(6),
        "the task hung on its dead log reader"
    );
    let s = t.started().clone();
    assert!(eventually(Duration::from_secs(10), || !alive((
        s.supervisor_pid,
        s.supervisor_start_time
    ))));
    let log = std::fs::read_to_string(t.state_dir().join("supervisor.log")).unwrap();
    assert!(log.contains("dropped"), "{log}");
    t.destroy().unwrap();
}

#[test]
fn a_removed_fifo_path_is_given_up() {
    let d = tempfile::tempdir().unwrap();
    let fifo = d.path().join("out");
    mkfifo(&fifo);
    let t = start(
        d.path(),
        &sh(
            d.path(),
            "sleep 0.3; i=0; while [ $i -lt 2000 ]; do echo 0123456789012345678901234567890123456789; i=$((i+1)); done; exit 2",
        ),
    );
    std::fs::remove_file(&fifo).unwrap();
    let r = t.wait_timeout(Duration::from_secs(30)).unwrap();
    assert_eq!(r.map(|r| r.exit_code), Some(2));
    t.destroy().unwrap();
}
