"""Per-task cost of yurt.supervise: the supervisor's PSS and the start latency.

Starts N `sleep` tasks (all kept running), timing each supervise.start() from the call to
its return (the task's main process exists), then reads every supervisor's
/proc/<pid>/smaps_rollup while all N run, and destroys them. Prints one JSON object.

    .venv/bin/python sdk-python/scripts/measure_supervise.py [--tasks 20] [--limits]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import time
from pathlib import Path

from yurt import supervise


def _rollup(pid: int) -> dict[str, int]:
    """smaps_rollup's kB figures (Rss, Pss, ...) of `pid`, in kB."""
    out: dict[str, int] = {}
    with open(f"/proc/{pid}/smaps_rollup") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) == 3 and parts[2] == "kB":
                out[parts[0].rstrip(":")] = int(parts[1])
    return out


async def measure(n: int, limits: bool) -> dict[str, object]:
    tasks: list[supervise.Task] = []
    latencies: list[float] = []
    with tempfile.TemporaryDirectory(prefix="yurt-measure-") as root:
        try:
            for i in range(n):
                spec = supervise.TaskSpec(
                    command="sleep",
                    args=["600"],
                    env={"PATH": "/usr/bin:/bin"},
                    limits=supervise.ResourceLimits(memory_limit_bytes=256 << 20, cpu_shares=100)
                    if limits
                    else supervise.ResourceLimits(),
                )
                began = time.perf_counter()
                tasks.append(await supervise.start(spec, Path(root) / f"t{i}"))
                latencies.append((time.perf_counter() - began) * 1000)
            await asyncio.sleep(0.5)
            rollups = [_rollup(t.started.supervisor_pid) for t in tasks]
        finally:
            for task in tasks:
                await task.destroy()
    pss = [r["Pss"] / 1024 for r in rollups]
    rss = [r["Rss"] / 1024 for r in rollups]
    return {
        "program": str(supervise.find_program()),
        "tasks": n,
        "isolation": supervise.isolation(),
        "start_ms_p50": round(statistics.median(latencies), 2),
        "start_ms_p90": round(sorted(latencies)[int(0.9 * (n - 1))], 2),
        "start_ms_max": round(max(latencies), 2),
        "supervisor_pss_mib_mean": round(statistics.mean(pss), 3),
        "supervisor_pss_mib_median": round(statistics.median(pss), 3),
        "supervisor_pss_mib_max": round(max(pss), 3),
        "supervisor_rss_mib_median": round(statistics.median(rss), 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=20)
    parser.add_argument("--limits", action="store_true", help="give each task limits (cgroup)")
    args = parser.parse_args()
    print(json.dumps(asyncio.run(measure(args.tasks, args.limits)), indent=2))


if __name__ == "__main__":
    main()
