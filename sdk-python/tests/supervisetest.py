"""Drive yurt.supervise from the command line, for the cross-language format test.

The same commands and JSON output as Go's go/plugin/supervise/internal/supervisetest and
Rust's `cargo run -p yurt-supervise --example supervisetest`, so that
tests/test_cross_language.py can start a task with one SDK's layer and drive it with another's.

    supervisetest.py start <state dir> <spec JSON>      {"handle", "pid", "state_dir"}
    supervisetest.py exit <task>                        {"done", "exit_code", "signal", ...}
    supervisetest.py reattach-wait <task> [timeout]     {"exit_code", "signal", "oom_killed"}
    supervisetest.py signal <task> <signal>             {"ok": true}
    supervisetest.py stop <task> <signal> <timeout>     {"exit_code", "signal", "oom_killed"}
    supervisetest.py destroy <task>                     {"ok": true}
    supervisetest.py stats <task> [interval]            {"percent", "total_ticks", "rss", "pids"}

<task> is a state directory (the handle is rebuilt from its started.pb) or a base64 handle.
Durations are Go's form ("2s", "500ms"). A failure prints {"error": "..."} and exits 1.
"""

from __future__ import annotations

import asyncio
import base64
import json
import re
import sys
from pathlib import Path
from typing import Any

from yurt import supervise


def duration(text: str) -> float:
    """Seconds in a Go duration such as "2s", "1.5s" or "500ms"."""
    m = re.fullmatch(r"([0-9.]+)(ms|s|m)", text)
    if not m:
        raise ValueError(f"duration: expected a Go duration like 2s or 500ms, got {text!r}")
    return float(m.group(1)) * {"ms": 0.001, "s": 1.0, "m": 60.0}[m.group(2)]


def task(arg: str) -> supervise.Task:
    path = Path(arg)
    try:
        is_dir = path.is_dir()
    except OSError:  # a base64 handle longer than a file name may be
        is_dir = False
    if is_dir:
        return supervise.reattach_dir(path)
    return supervise.reattach(base64.b64decode(arg, validate=True))


def result(r: supervise.ExitResult) -> dict[str, Any]:
    return {"exit_code": r.exit_code, "signal": r.signal, "oom_killed": r.oom_killed}


async def run(args: list[str]) -> dict[str, Any]:
    if len(args) < 2:
        raise ValueError(
            "usage: supervisetest.py start|exit|reattach-wait|signal|stop|destroy|stats"
        )
    cmd = args[0]
    if cmd == "start":
        s = json.loads(args[2])
        env = dict(e.split("=", 1) for e in s.get("env") or [])
        spec = supervise.TaskSpec(
            command=s["command"],
            args=list(s.get("args") or []),
            env=env,
            working_dir=s.get("working_dir", ""),
            user=s.get("user", ""),
            stdout_path=s.get("stdout_path", ""),
            stderr_path=s.get("stderr_path", ""),
            task_id=s.get("task_id", ""),
        )
        t = await supervise.start(spec, args[1])
        return {
            "handle": base64.b64encode(t.handle()).decode(),
            "pid": t.pid,
            "state_dir": args[1],
        }
    t = task(args[1])
    if cmd == "exit":
        r = t.exit()
        return {"done": False} if r is None else {"done": True, **result(r)}
    if cmd == "reattach-wait":
        return result(await t.wait(duration(args[2]) if len(args) > 2 else None))
    if cmd == "signal":
        t.signal(args[2])
        return {"ok": True}
    if cmd == "stop":
        return result(await t.stop(args[2], duration(args[3])))
    if cmd == "destroy":
        await t.destroy()
        return {"ok": True}
    if cmd == "stats":
        sampler = t.sampler()
        sampler.sample()
        await asyncio.sleep(duration(args[2]) if len(args) > 2 else 1.0)
        u = sampler.sample()
        return {
            "percent": u.usage.cpu.percent,
            "total_ticks": u.usage.cpu.total_ticks,
            "rss": u.usage.memory.rss,
            "pids": len(u.by_pid),
        }
    raise ValueError(f"unknown command {cmd!r}")


def main() -> int:
    try:
        out = asyncio.run(run(sys.argv[1:]))
    except Exception as exc:  # every failure becomes one JSON line for the caller
        print(json.dumps({"error": f"{type(exc).__name__}: {exc}"}))
        return 1
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
