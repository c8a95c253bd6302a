"""Per-task supervisor for the pyexec driver.

Started by the driver in a new session, so it outlives the plugin process and
is untouched by signals aimed at the plugin. It starts the task in its own
process group, records the task's pid, waits for it and records the real exit
status in exit.json (written atomically). A fresh plugin process that never
forked the task reads that file to report the true exit code.

Usage: supervisor.py <task-state-dir>   (reads <dir>/spec.json)
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
from pathlib import Path


def _write_atomic(path: Path, data: dict[str, object]) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data))
    os.replace(tmp, path)


def _reset_signals() -> None:
    # The plugin ignores SIGINT and that disposition is inherited across
    # exec; a task must get the defaults back.
    for sig in (signal.SIGINT, signal.SIGHUP, signal.SIGTERM, signal.SIGQUIT):
        signal.signal(sig, signal.SIG_DFL)


def main(state_dir: str) -> int:
    root = Path(state_dir)
    spec = json.loads((root / "spec.json").read_text())
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    now = dt.datetime.now(dt.UTC).isoformat()
    try:
        stdout = open(spec["stdout_path"] or os.devnull, "ab")  # noqa: SIM115
        stderr = open(spec["stderr_path"] or os.devnull, "ab")  # noqa: SIM115
        proc = subprocess.Popen(
            [spec["command"], *spec["args"]],
            env=spec["env"],
            cwd=spec["cwd"] or None,
            stdin=subprocess.DEVNULL,
            stdout=stdout,
            stderr=stderr,
            process_group=0,
            user=spec.get("user") or None,
            preexec_fn=_reset_signals,
            close_fds=True,
        )
    except OSError as exc:
        _write_atomic(
            root / "exit.json",
            {"exit_code": 127, "signal": 0, "completed_at": now, "error": str(exc)},
        )
        return 1
    _write_atomic(root / "pid.json", {"pid": proc.pid, "started_at": now})
    status = proc.wait()
    result: dict[str, object]
    if status < 0:  # killed by a signal: report 128+N as Nomad's executor does
        sig = -status
        result = {"exit_code": 128 + sig, "signal": sig}
    else:
        result = {"exit_code": status, "signal": 0}
    result["completed_at"] = dt.datetime.now(dt.UTC).isoformat()
    _write_atomic(root / "exit.json", result)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
