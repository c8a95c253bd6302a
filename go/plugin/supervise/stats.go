package supervise

import (
	"bufio"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// clockTicks is USER_HZ, the unit of /proc/<pid>/stat times: 100 on every
// Linux architecture Go supports.
const clockTicks = 100

// CPUHost is the host's compute, to turn a CPU percentage into MHz as
// Nomad does (client/lib/cpustats/stats.go, Tracker.TicksConsumed:
// percent/100 * TotalCompute / NumCores). A driver fills it from the
// topology SetConfig gives it (see HostFromTopology in go/plugin's driver
// helpers); the zero value falls back to /proc/cpuinfo.
type CPUHost struct {
	TotalMHz float64
	Cores    int
}

// Usage is resource usage in Nomad's units. CPU percentages are of ONE
// core over the interval since the previous sample (for the first sample,
// since the process started), as Nomad's executor computes them
// (drivers/shared/executor/procstats/getstats.go with cpustats.Tracker.
// Percent); TotalTicks is in MHz. Memory is in bytes.
type Usage struct {
	Percent    float64
	UserMode   float64
	SystemMode float64
	TotalTicks float64
	RSS        uint64
	Swap       uint64
	// Usage is RSS + Swap: without a cgroup there is no page-cache figure.
	Usage uint64
	// MaxUsage is the highest RSS seen (VmHWM, and the previous sample's).
	MaxUsage uint64
}

// Measured names the fields every Usage of this layer fills, as Nomad
// spells them (plugins/drivers: "Percent", "User Mode", ...).
var (
	MeasuredCPU    = []string{"Percent", "User Mode", "System Mode", "Total Ticks"}
	MeasuredMemory = []string{"RSS", "Swap", "Usage", "Max Usage"}
)

// Stats is one sample of a task's process tree: every descendant of its
// supervisor (the supervisor itself excluded).
type Stats struct {
	Time  time.Time
	Total Usage
	ByPID map[int]Usage

	boot  time.Duration // CLOCK_BOOTTIME of the sample
	procs map[int]cpuSample
}

type cpuSample struct {
	start, utime, stime uint64
}

// Stats samples the task's processes. Pass the previous sample of the same
// stream (nil for the first) so that percentages cover the interval between
// them. A task that has ended gives ErrExited.
func (t *Task) Stats(prev *Stats, host CPUHost) (*Stats, error) {
	if _, done, err := t.Exit(); err != nil || done {
		if err != nil {
			return nil, err
		}
		return nil, ErrExited
	}
	if host.TotalMHz <= 0 || host.Cores <= 0 {
		host = procCPUHost()
	}
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_BOOTTIME, &ts); err != nil {
		return nil, fmt.Errorf("supervise: stats: %w", err)
	}
	s := &Stats{Time: time.Now(), boot: time.Duration(ts.Nano()), ByPID: map[int]Usage{}, procs: map[int]cpuSample{}}
	for _, pid := range recentChildrenOf(int(t.started.GetSupervisorPid())) {
		ps, err := readProcStat(pid)
		if err != nil {
			continue // gone meanwhile
		}
		cur := cpuSample{start: ps.startTime, utime: ps.utime, stime: ps.stime}
		s.procs[pid] = cur
		u := cpuUsage(prev, pid, cur, s.boot, host)
		u.RSS, u.Swap, u.MaxUsage = readMemory(pid)
		u.Usage = u.RSS + u.Swap
		s.ByPID[pid] = u
		s.Total.Percent += u.Percent
		s.Total.UserMode += u.UserMode
		s.Total.SystemMode += u.SystemMode
		s.Total.TotalTicks += u.TotalTicks
		s.Total.RSS += u.RSS
		s.Total.Swap += u.Swap
		s.Total.Usage += u.Usage
		s.Total.MaxUsage += u.MaxUsage
	}
	// With a cgroup, the kernel's own accounting of the task's memory.
	cgroupMemory(t.taskCgroup(), &s.Total)
	if prev != nil {
		s.Total.MaxUsage = max(s.Total.MaxUsage, prev.Total.MaxUsage)
	}
	s.Total.MaxUsage = max(s.Total.MaxUsage, s.Total.Usage)
	return s, nil
}

// cpuUsage is one process's CPU use since the previous sample, or since it
// started when the previous sample did not see it.
func cpuUsage(prev *Stats, pid int, cur cpuSample, now time.Duration, host CPUHost) Usage {
	base := cpuSample{start: cur.start}
	since := time.Duration(cur.start) * (time.Second / clockTicks)
	if prev != nil {
		if p, ok := prev.procs[pid]; ok && p.start == cur.start {
			base, since = p, prev.boot
		}
	}
	interval := (now - since).Seconds()
	if interval <= 0 {
		return Usage{}
	}
	pct := func(ticks uint64, prev uint64) float64 {
		if ticks < prev {
			return 0
		}
		return float64(ticks-prev) / clockTicks / interval * 100
	}
	u := Usage{UserMode: pct(cur.utime, base.utime), SystemMode: pct(cur.stime, base.stime)}
	u.Percent = u.UserMode + u.SystemMode
	u.TotalTicks = u.Percent / 100 * host.TotalMHz / float64(host.Cores)
	return u
}

// readMemory returns VmRSS, VmSwap and VmHWM of pid in bytes.
func readMemory(pid int) (rss, swap, hwm uint64) {
	f, err := os.Open("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0, 0, 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		var dst *uint64
		switch k {
		case "VmRSS":
			dst = &rss
		case "VmSwap":
			dst = &swap
		case "VmHWM":
			dst = &hwm
		default:
			continue
		}
		if n, err := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64); err == nil {
			*dst = n * 1024
		}
	}
	return rss, swap, hwm
}

// procCPUHost is the fallback compute: cores x the MHz /proc/cpuinfo shows
// (the first "cpu MHz" line), or cores x 1000 when it shows none.
func procCPUHost() CPUHost {
	h := CPUHost{Cores: runtime.NumCPU()}
	mhz := 0.0
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			k, v, ok := strings.Cut(line, ":")
			if ok && strings.TrimSpace(k) == "cpu MHz" {
				mhz, _ = strconv.ParseFloat(strings.TrimSpace(v), 64)
				break
			}
		}
	}
	if mhz <= 0 {
		mhz = 1000
	}
	h.TotalMHz = mhz * float64(h.Cores)
	return h
}
