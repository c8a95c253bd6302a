"""Resource usage of a supervised task, in Nomad's units.

The task's processes are every descendant of its supervisor (the supervisor itself excluded),
found in /proc. As Nomad's executor does (drivers/shared/executor/procstats/getstats.go), the
CPU figures are tracked per process and summed:

    cs.SystemMode = s.SystemCPU.Percent(cpuInfo.System * second)
    cs.UserMode = s.UserCPU.Percent(cpuInfo.User * second)
    cs.Percent = s.TotalCPU.Percent(cpuInfo.Total() * second)

where client/lib/cpustats/stats.go computes `(vDelta / float64(timeDelta)) * 100.0` over the
interval since the previous sample: % of ONE core. Unlike Nomad, whose first sample of a
process is 0, a process seen for the first time is measured since it started. Total ticks
are cpustats' `TicksConsumed`: `(percent / 100) * float64(t.totalCompute) /
float64(t.numCPUs)`, in MHz, from the host topology the agent sent in SetConfig
(yurt.AgentConfig.topology), else /proc/cpuinfo's MHz times the number of CPUs.

Memory: RSS and swap from /proc/<pid>/status; with a cgroup in force, the task's totals
are the cgroup's own accounting instead (see `_cgroup_memory`). Otherwise `usage` is RSS +
swap and `max_usage` the
largest `usage` this sampler has seen (Nomad's basic executor measures only RSS and swap:
procstats.ExecutorBasicMeasuredMemStats = []string{"RSS", "Swap"}).

The process list is rescanned at most every `rescan` seconds (Nomad's cacheTTL is 5 s); in
between, the known processes are read again, and one that is gone or whose PID was reused
drops out at once.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from dataclasses import field
from typing import TYPE_CHECKING

from yurt.base import AgentConfig, Topology
from yurt.driver import CpuUsage, MemoryUsage, TaskResourceUsage

from ._state import is_alive, proc_stat

if TYPE_CHECKING:
    from dataclasses import dataclass

    from ._task import Task
else:
    from .._dcache import dataclass

CLK_TCK = os.sysconf("SC_CLK_TCK")
#: Nomad's names for the figures a sample fills (its `Measured` lists).
CPU_MEASURED = ("System Mode", "User Mode", "Percent", "Total Ticks")
MEMORY_MEASURED = ("RSS", "Swap", "Usage", "Max Usage")


@dataclass(frozen=True)
class Compute:
    """The host's total compute in MHz and its number of cores (Nomad's cpustats.Compute)."""

    total_mhz: float
    cores: int

    @classmethod
    def from_topology(cls, topology: Topology) -> Compute | None:
        """From the agent's topology; None when it gives no speed."""
        total = topology.total_compute()
        if total <= 0 or not topology.cores:
            return None
        return cls(float(total), len(topology.cores))

    @classmethod
    def from_host(cls, cpuinfo: str = "/proc/cpuinfo") -> Compute | None:
        """Sum of /proc/cpuinfo's `cpu MHz` over every CPU; None when it has none."""
        try:
            with open(cpuinfo) as fh:
                text = fh.read()
        except OSError:
            return None
        speeds = []
        for line in text.splitlines():
            key, _, value = line.partition(":")
            if key.strip() == "cpu MHz":
                try:
                    speeds.append(float(value))
                except ValueError:
                    continue
        if not speeds or sum(speeds) <= 0:
            return None
        return cls(sum(speeds), len(speeds))

    @classmethod
    def for_agent(cls, agent: AgentConfig | None) -> Compute | None:
        """The agent's topology when it sent one with speeds, else the host's /proc/cpuinfo."""
        if agent is not None and agent.topology is not None:
            found = cls.from_topology(agent.topology)
            if found is not None:
                return found
        return cls.from_host()

    def ticks(self, percent: float) -> float:
        """MHz consumed at `percent` of one core."""
        return percent / 100.0 * self.total_mhz / self.cores


@dataclass(frozen=True)
class TaskUsage:
    """One sample: the task's total and each process by pid, in Nomad's units."""

    usage: TaskResourceUsage
    by_pid: dict[str, TaskResourceUsage] = field(default_factory=dict)
    timestamp: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))

    @property
    def measured(self) -> tuple[str, ...]:
        """Nomad's names of every figure this sample filled."""
        cpu = self.usage.cpu
        mem = self.usage.memory
        values = (cpu.system_mode, cpu.user_mode, cpu.percent, cpu.total_ticks)
        names = [n for n, v in zip(CPU_MEASURED, values, strict=True) if v is not None]
        mem_values = (mem.rss, mem.swap, mem.usage, mem.max_usage)
        names += [n for n, v in zip(MEMORY_MEASURED, mem_values, strict=True) if v is not None]
        return tuple(names)


def _boottime() -> float:
    return time.clock_gettime(time.CLOCK_BOOTTIME)


def _memory(pid: int) -> tuple[int, int] | None:
    """(RSS, swap) in bytes from /proc/<pid>/status; None when the process is gone."""
    rss = swap = 0
    try:
        with open(f"/proc/{pid}/status", "rb") as fh:
            for line in fh:
                if line.startswith(b"VmRSS:"):
                    rss = int(line.split()[1]) * 1024
                elif line.startswith(b"VmSwap:"):
                    swap = int(line.split()[1]) * 1024
    except (FileNotFoundError, ProcessLookupError):
        return None
    return rss, swap


def descendants(root: int) -> list[int]:
    """Every live process descended from `root` (not `root` itself), from one /proc scan."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        st = proc_stat(int(entry))
        if st is not None and st.state not in ("Z", "X"):
            children.setdefault(st.ppid, []).append(int(entry))
    found: list[int] = []
    todo = list(children.get(root, ()))
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, ()))
    return found


class Sampler:
    """Samples one task's usage; each sample covers the interval since the previous one."""

    def __init__(self, task: Task, compute: Compute | None = None, rescan: float = 5.0) -> None:
        self.task = task
        self.compute = compute if compute is not None else Compute.from_host()
        self.rescan = rescan
        #: How many full /proc scans this sampler made.
        self.scans = 0
        self._pids: list[int] = []
        self._scanned_at: float | None = None
        # (pid, start time) -> (user ticks, system ticks, when) at the previous sample.
        self._prev: dict[tuple[int, int], tuple[int, int, float]] = {}
        self._max_usage = 0

    def _members(self) -> list[int]:
        now = time.monotonic()
        started = self.task.started
        if not is_alive(started.supervisor_pid, started.supervisor_start_time):
            return []  # the task is over, and the PID may be another process's now
        if self._scanned_at is None or now - self._scanned_at >= self.rescan:
            self._pids = descendants(started.supervisor_pid)
            self._scanned_at = now
            self.scans += 1
        return list(self._pids)

    def sample(self) -> TaskUsage:
        boot = _boottime()
        supervisor = self.task.started.supervisor_pid
        by_pid: dict[str, TaskResourceUsage] = {}
        seen: dict[tuple[int, int], tuple[int, int, float]] = {}
        total_user = total_system = 0.0
        total_rss = total_swap = 0
        for pid in self._members():
            st = proc_stat(pid)
            if st is None or st.state in ("Z", "X") or pid == supervisor:
                continue
            mem = _memory(pid)
            if mem is None:
                continue
            key = (pid, st.start_time)
            # A process seen for the first time is measured since it started.
            prev_user, prev_system, prev_at = self._prev.get(key, (0, 0, st.start_time / CLK_TCK))
            interval = max(boot - prev_at, 1.0 / CLK_TCK)
            user = max(st.utime - prev_user, 0) / CLK_TCK / interval * 100.0
            system = max(st.stime - prev_system, 0) / CLK_TCK / interval * 100.0
            seen[key] = (st.utime, st.stime, boot)
            total_user += user
            total_system += system
            total_rss += mem[0]
            total_swap += mem[1]
            by_pid[str(pid)] = self._usage(user, system, mem[0], mem[1], mem[0] + mem[1])
        self._prev = seen
        usage = total_rss + total_swap
        charged = _cgroup_memory(self.task.started.cgroup)
        if charged is not None:
            rss, swap, usage, peak = charged
            # The kernel folds its per-CPU counters into memory.stat lazily (every
            # few seconds for small changes): until it has, the processes' own RSS
            # stands, capped at the cgroup's usage.
            total_rss = rss if rss > 0 else min(total_rss, usage)
            total_swap = swap
            self._max_usage = max(self._max_usage, peak)
        self._max_usage = max(self._max_usage, usage)
        total = self._usage(total_user, total_system, total_rss, total_swap, self._max_usage, usage)
        return TaskUsage(usage=total, by_pid=by_pid)

    def _usage(
        self,
        user: float,
        system: float,
        rss: int,
        swap: int,
        max_usage: int,
        usage: int | None = None,
    ) -> TaskResourceUsage:
        percent = user + system
        return TaskResourceUsage(
            cpu=CpuUsage(
                system_mode=system,
                user_mode=user,
                percent=percent,
                total_ticks=self.compute.ticks(percent) if self.compute is not None else None,
            ),
            memory=MemoryUsage(
                rss=rss,
                swap=swap,
                usage=rss + swap if usage is None else usage,
                max_usage=max_usage,
            ),
        )


def _cgroup_memory(cgroup: str) -> tuple[int, int, int, int] | None:
    """RSS, swap, usage and peak usage as the task's cgroup charges them (page cache in usage
    only; a shared page counted once): v1 memory.stat total_rss/total_swap,
    memory.usage_in_bytes, memory.max_usage_in_bytes; v2 anon, memory.swap.current,
    memory.current, memory.peak. None without a cgroup or its memory controller."""
    if not cgroup:
        return None

    def number(name: str) -> int | None:
        try:
            with open(f"{cgroup}/{name}") as fh:
                return int(fh.read().strip())
        except (OSError, ValueError):
            return None

    usage = number("memory.usage_in_bytes")
    if usage is None:
        usage = number("memory.current")
    if usage is None:
        return None
    stat: dict[str, int] = {}
    try:
        with open(f"{cgroup}/memory.stat") as fh:
            for line in fh:
                key, _, value = line.partition(" ")
                if value.strip().isdigit():
                    stat[key] = int(value)
    except OSError:
        pass
    rss = stat.get("total_rss", stat.get("anon", 0))
    swap = stat.get("total_swap")
    if swap is None:
        swap = number("memory.swap.current") or 0
    peak = number("memory.max_usage_in_bytes")
    if peak is None:
        peak = number("memory.peak") or usage
    return rss, swap, usage, peak
