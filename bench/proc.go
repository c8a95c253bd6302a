package bench

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// procInfo is what the benchmarks read from /proc/<pid>.
type procInfo struct {
	PID, PPID, SID int
	RSS, HWM       uint64 // bytes
}

func readProc(pid int) (procInfo, error) {
	p := procInfo{PID: pid}
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return p, err
	}
	// The command name sits in parentheses and may hold spaces: fields after
	// the last ')' are state, ppid, pgrp, session, ...
	s := string(stat)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return p, fmt.Errorf("/proc/%d/stat: no command name", pid)
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 4 {
		return p, fmt.Errorf("/proc/%d/stat: short", pid)
	}
	p.PPID, _ = strconv.Atoi(f[1])
	p.SID, _ = strconv.Atoi(f[3])
	st, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return p, err
	}
	defer st.Close()
	sc := bufio.NewScanner(st)
	for sc.Scan() {
		line := sc.Text()
		var dst *uint64
		switch {
		case strings.HasPrefix(line, "VmRSS:"):
			dst = &p.RSS
		case strings.HasPrefix(line, "VmHWM:"):
			dst = &p.HWM
		default:
			continue
		}
		fs := strings.Fields(line)
		if len(fs) >= 2 {
			kb, _ := strconv.ParseUint(fs[1], 10, 64)
			*dst = kb * 1024
		}
	}
	return p, sc.Err()
}

// allProcs reads every process; ones that vanish meanwhile are skipped.
func allProcs() map[int]procInfo {
	out := map[int]procInfo{}
	ents, _ := filepath.Glob("/proc/[0-9]*")
	for _, e := range ents {
		pid, err := strconv.Atoi(filepath.Base(e))
		if err != nil {
			continue
		}
		if p, err := readProc(pid); err == nil {
			out[pid] = p
		}
	}
	return out
}

// treeMemory splits the process tree under root in two: the plugin itself
// (root and descendants in root's session, e.g. helper processes of an SDK)
// and processes it started in other sessions (per-task supervisors, which
// call setsid, and their tasks). Each side sums RSS and VmHWM.
type treeMemory struct {
	PluginRSS, PluginHWM uint64
	PluginProcs          int
	OtherRSS             uint64
	OtherProcs           int
}

func memoryOf(root int) (treeMemory, error) {
	procs := allProcs()
	r, ok := procs[root]
	if !ok {
		return treeMemory{}, fmt.Errorf("process %d is gone", root)
	}
	children := map[int][]int{}
	for pid, p := range procs {
		children[p.PPID] = append(children[p.PPID], pid)
	}
	var m treeMemory
	stack := []int{root}
	for len(stack) > 0 {
		pid := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		p := procs[pid]
		if p.SID == r.SID {
			m.PluginRSS += p.RSS
			m.PluginHWM += p.HWM
			m.PluginProcs++
		} else {
			m.OtherRSS += p.RSS
			m.OtherProcs++
		}
		stack = append(stack, children[pid]...)
	}
	return m, nil
}

// pss reads a process's proportional set size: shared pages (the same
// binary's text in hundreds of supervisors and log collectors) are divided
// among the processes that map them, so a sum over a tree is real memory.
func pss(pid int) uint64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/smaps_rollup", pid))
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == "Pss:" {
			kb, _ := strconv.ParseUint(f[1], 10, 64)
			return kb * 1024
		}
	}
	return 0
}

// treeRSS sums RSS and PSS over root and all its descendants; logmons are
// the `yurt logmon` log collectors among them, with their PSS summed.
func treeRSS(root int) (rss, pssSum uint64, n int, logmons int, logmonPSS uint64) {
	procs := allProcs()
	children := map[int][]int{}
	for pid, p := range procs {
		children[p.PPID] = append(children[p.PPID], pid)
	}
	stack := []int{root}
	for len(stack) > 0 {
		pid := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if p, ok := procs[pid]; ok {
			ps := pss(pid)
			rss += p.RSS
			pssSum += ps
			n++
			if isLogmon(pid) {
				logmons++
				logmonPSS += ps
			}
		}
		stack = append(stack, children[pid]...)
	}
	return rss, pssSum, n, logmons, logmonPSS
}

// isLogmon says whether pid runs `<yurt> logmon ...` (argv[1] is "logmon").
func isLogmon(pid int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	if err != nil {
		return false
	}
	args := strings.Split(string(b), "\x00")
	return len(args) > 1 && args[1] == "logmon"
}

const mib = 1 << 20

// treeCPU is the CPU time the process tree under root used over d, in
// percent of one core (user + system, from /proc/<pid>/stat; processes
// that start or end meanwhile count from when they are seen).
func treeCPU(root int, d time.Duration) (float64, error) {
	ticks := func() (map[int]uint64, error) {
		procs := allProcs()
		if _, ok := procs[root]; !ok {
			return nil, fmt.Errorf("process %d is gone", root)
		}
		children := map[int][]int{}
		for pid, p := range procs {
			children[p.PPID] = append(children[p.PPID], pid)
		}
		out := map[int]uint64{}
		stack := []int{root}
		for len(stack) > 0 {
			pid := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if t, ok := procTicks(pid); ok {
				out[pid] = t
			}
			stack = append(stack, children[pid]...)
		}
		return out, nil
	}
	a, err := ticks()
	if err != nil {
		return 0, err
	}
	time.Sleep(d)
	b, err := ticks()
	if err != nil {
		return 0, err
	}
	var used uint64
	for pid, t := range b {
		if t0, ok := a[pid]; ok && t >= t0 {
			used += t - t0
		} else if !ok {
			used += t
		}
	}
	return float64(used) / userHZ / d.Seconds() * 100, nil
}

// userHZ is the unit of the CPU times in /proc/<pid>/stat and /proc/stat
// (USER_HZ, 100 on Linux whatever the kernel's tick).
const userHZ = 100

// ticksToMS converts USER_HZ ticks to milliseconds.
func ticksToMS(t uint64) float64 { return float64(t) * 1000 / userHZ }

// ticksSince is now - before, 0 where a process that ended (or restarted)
// meanwhile made the sum go down.
func ticksSince(now, before uint64) uint64 {
	if now < before {
		return 0
	}
	return now - before
}

// machineBusy reads the CPU time all CPUs spent busy since boot (every
// field of /proc/stat's "cpu" line but idle and iowait), in USER_HZ ticks.
func machineBusy() (uint64, error) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, err
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line)
	if len(f) < 8 || f[0] != "cpu" {
		return 0, fmt.Errorf("/proc/stat: unexpected first line %q", line)
	}
	var busy uint64
	for i, s := range f[1:] {
		if i == 3 || i == 4 { // idle, iowait
			continue
		}
		if i >= 7 { // guest and guest_nice are already counted in user and nice
			break
		}
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("/proc/stat: field %d of %q: %w", i+1, line, err)
		}
		busy += n
	}
	return busy, nil
}

// procTicks is a process's CPU time, user + system over all its threads,
// in USER_HZ ticks.
func procTicks(pid int) (uint64, bool) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, false
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0, false
	}
	f := strings.Fields(s[i+1:])
	if len(f) <= 12 {
		return 0, false
	}
	u, _ := strconv.ParseUint(f[11], 10, 64)
	k, _ := strconv.ParseUint(f[12], 10, 64)
	return u + k, true
}

// childrenOf lists the processes whose parent is pid.
func childrenOf(pid int) []int {
	var out []int
	for c, p := range allProcs() {
		if p.PPID == pid {
			out = append(out, c)
		}
	}
	return out
}

// ticksOf sums procTicks over pids (a process gone counts 0).
func ticksOf(pids []int) uint64 {
	var sum uint64
	for _, pid := range pids {
		if t, ok := procTicks(pid); ok {
			sum += t
		}
	}
	return sum
}

// onCPU is the time pid's live threads have run on a CPU
// (/proc/<pid>/task/*/schedstat, first field, in ns): less sensitive to the
// machine's other load than wall time, since waiting for a CPU is not in it.
func onCPU(pid int) (time.Duration, error) {
	dir := fmt.Sprintf("/proc/%d/task", pid)
	ents, err := os.ReadDir(dir)
	if err != nil {
		return 0, err
	}
	var sum time.Duration
	for _, e := range ents {
		b, err := os.ReadFile(filepath.Join(dir, e.Name(), "schedstat"))
		if err != nil {
			continue // the thread has ended
		}
		f := strings.Fields(string(b))
		if len(f) < 1 {
			return 0, fmt.Errorf("%s/%s/schedstat: empty", dir, e.Name())
		}
		ns, err := strconv.ParseInt(f[0], 10, 64)
		if err != nil {
			return 0, fmt.Errorf("%s/%s/schedstat: %w", dir, e.Name(), err)
		}
		sum += time.Duration(ns)
	}
	return sum, nil
}
