package conformance

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Every task the harness starts carries MarkerRunEnv=<run id> and
// MarkerTaskEnv=<task key> in its environment (TaskConfig.env, which a driver
// must hand to the task). The harness finds the task's processes, and anything
// they started, by scanning /proc/*/environ for these entries: a process
// inherits its parent's environment, so children and double-forked daemons are
// found too, whatever session or process group they moved to.
const (
	MarkerRunEnv  = "YURT_CONFORMANCE_RUN"
	MarkerTaskEnv = "YURT_CONFORMANCE_TASK"
	// ControlDirEnv names a directory the task may write to; task roles use it
	// to report their pid and readiness and to wait for the harness's go-ahead
	// (see README.md, "Scenario file").
	ControlDirEnv = "YURT_CONFORMANCE_DIR"
)

// proc is one live process found by a marker scan.
type proc struct {
	Pid     int
	Cmdline string
}

func (p proc) String() string { return fmt.Sprintf("%d (%s)", p.Pid, oneLine(p.Cmdline, 60)) }

func procList(ps []proc) string {
	var s []string
	for _, p := range ps {
		s = append(s, p.String())
	}
	return strings.Join(s, ", ")
}

// findMarked lists the live (non-zombie) processes whose environment holds the
// entry key=value exactly, in pid order. The harness's own process is skipped.
func findMarked(key, value string) []proc {
	want := []byte(key + "=" + value)
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	self := os.Getpid()
	var out []proc
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == self {
			continue
		}
		env, err := os.ReadFile(filepath.Join("/proc", e.Name(), "environ"))
		if err != nil || len(env) == 0 {
			continue // gone, a zombie (empty environ) or not ours to read
		}
		found := false
		for _, kv := range bytes.Split(env, []byte{0}) {
			if bytes.Equal(kv, want) {
				found = true
				break
			}
		}
		if !found || procState(pid) == 'Z' {
			continue
		}
		cmd, _ := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		out = append(out, proc{Pid: pid, Cmdline: strings.TrimSpace(string(bytes.ReplaceAll(cmd, []byte{0}, []byte{' '})))})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Pid < out[j].Pid })
	return out
}

// procStat holds the fields of /proc/<pid>/stat the harness uses.
type procStat struct {
	State     byte
	UserTicks uint64 // utime, in clock ticks
	SysTicks  uint64 // stime
	StartTime uint64 // starttime, in clock ticks since boot
}

func readProcStat(pid int) (procStat, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return procStat{}, err
	}
	// The command name is in parentheses and may itself hold spaces and ')'.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 || i+2 >= len(b) {
		return procStat{}, fmt.Errorf("/proc/%d/stat: unexpected format", pid)
	}
	f := strings.Fields(string(b[i+2:]))
	// f[0] is field 3 (state); utime is field 14, stime 15, starttime 22.
	if len(f) < 20 {
		return procStat{}, fmt.Errorf("/proc/%d/stat: expected at least 22 fields, got %d", pid, len(f)+2)
	}
	num := func(k int) uint64 { v, _ := strconv.ParseUint(f[k-3], 10, 64); return v }
	return procStat{State: f[0][0], UserTicks: num(14), SysTicks: num(15), StartTime: num(22)}, nil
}

func procState(pid int) byte {
	st, err := readProcStat(pid)
	if err != nil {
		return 0
	}
	return st.State
}

// alive reports whether pid is a live process (not a zombie) started at
// startTime (0: any start time).
func alive(pid int, startTime uint64) bool {
	st, err := readProcStat(pid)
	if err != nil || st.State == 'Z' || st.State == 'X' {
		return false
	}
	return startTime == 0 || st.StartTime == startTime
}

// waitGone polls until findMarked(key, value) is empty or d passes; it returns
// what is left.
func waitGone(key, value string, d time.Duration) []proc {
	deadline := time.Now().Add(d)
	for {
		left := findMarked(key, value)
		if len(left) == 0 || time.Now().After(deadline) {
			return left
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// killAll SIGKILLs the processes and waits briefly for them to go.
func killAll(ps []proc) {
	for _, p := range ps {
		_ = syscall.Kill(p.Pid, syscall.SIGKILL)
	}
	deadline := time.Now().Add(2 * time.Second)
	for _, p := range ps {
		for alive(p.Pid, 0) && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
	}
}
