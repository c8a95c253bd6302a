//! `yurt-supervise <state dir>`: Yurt's per-task supervisor as a standalone program (the Python
//! SDK runs it). Invoked as `<path> yurt-supervise <state dir>`, the same argv convention as a
//! Rust or Go plugin re-executing itself.

use std::process::ExitCode;

fn main() -> ExitCode {
    yurt_supervise::supervisor_main().unwrap_or_else(|| {
        eprintln!(
            "usage: {} {} <state dir>",
            std::env::args()
                .next()
                .unwrap_or_else(|| "yurt-supervise".into()),
            yurt_supervise::SUPERVISE_ARG
        );
        ExitCode::from(2)
    })
}
