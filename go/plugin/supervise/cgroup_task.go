package supervise

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"syscall"

	"golang.org/x/sys/unix"
)

// forkExecIn starts the task's main process born in cg (nil: no cgroup).
// v2: clone3 with CLONE_INTO_CGROUP. v1 has no such flag and Go runs no
// code between fork and exec, so the forking thread itself joins the
// cgroup (v1 moves single threads through each controller's `tasks`
// file), forks, and goes back to the supervisor's own cgroups (the
// parents of the task's): the child inherits the forking thread's
// cgroups.
func forkExecIn(cg *cgroup, path string, argv []string, attr *syscall.ProcAttr) (int, error) {
	if cg == nil {
		return syscall.ForkExec(path, argv, attr)
	}
	if cg.version == 2 {
		dir, err := os.Open(cg.dirs[0])
		if err != nil {
			return 0, fmt.Errorf("opening the task's cgroup: %w", err)
		}
		defer dir.Close()
		attr.Sys.UseCgroupFD = true
		attr.Sys.CgroupFD = int(dir.Fd())
		pid, err := syscall.ForkExec(path, argv, attr)
		if !errors.Is(err, unix.ENOSYS) {
			return pid, err
		}
		// A kernel before 5.7 has no clone3: the task joins right after
		// exec (a process it starts at once may stay outside; the
		// subreaper path still catches it).
		attr.Sys.UseCgroupFD = false
		if pid, err = syscall.ForkExec(path, argv, attr); err == nil {
			_ = os.WriteFile(filepath.Join(cg.dirs[0], "cgroup.procs"), []byte(strconv.Itoa(pid)), 0)
		}
		return pid, err
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	tid := []byte(strconv.Itoa(unix.Gettid()))
	var joined []string
	leave := func() {
		for _, d := range joined {
			if err := os.WriteFile(filepath.Join(filepath.Dir(d), "tasks"), tid, 0); err != nil {
				fmt.Fprintf(os.Stderr, "yurt-supervise: leaving the task's cgroup %s: %v\n", d, err)
			}
		}
	}
	for i, d := range cg.dirs {
		if err := os.WriteFile(filepath.Join(d, "tasks"), tid, 0); err != nil {
			if i > 0 {
				// Best effort beyond the memory controller: the cpu
				// controller refuses a real-time thread where the cgroup
				// has no real-time budget.
				fmt.Fprintf(os.Stderr, "yurt-supervise: the task is not in %s: %v\n", d, err)
				continue
			}
			leave()
			return 0, fmt.Errorf("joining the task's cgroup %s: %w", d, err)
		}
		joined = append(joined, d)
	}
	pid, err := syscall.ForkExec(path, argv, attr)
	leave()
	return pid, err
}

// taskCgroup is the task's cgroup as Started.cgroup records it; nil when
// none.
func (t *Task) taskCgroup() *cgroup {
	return cgroupFromRecorded(t.started.GetCgroup())
}

// cgroupMemory overrides a sample's memory totals with the cgroup's own
// accounting where it has it (page cache included, as Nomad's cgroup
// executor reports usage): v1 memory.usage_in_bytes and
// memory.max_usage_in_bytes, v2 memory.current and memory.peak. It reports
// whether the cgroup had them.
func cgroupMemory(cg *cgroup, u *Usage) bool {
	if cg == nil {
		return false
	}
	usage, ok := readNumber(cg.file("memory.usage_in_bytes"))
	if !ok {
		usage, ok = readNumber(cg.file("memory.current"))
	}
	if !ok {
		return false
	}
	u.Usage = usage
	// RSS and swap as the cgroup charges them (v1 memory.stat total_rss and
	// total_swap, v2 anon and memory.swap.current): page cache is in Usage
	// only, and a page shared with other processes is counted once.
	// The kernel folds its per-CPU counters into memory.stat lazily (every
	// few seconds for small changes): until it has, the processes' own RSS
	// stands, capped at the cgroup's usage.
	stat := cg.file("memory.stat")
	rss, ok := readKeyed(stat, "total_rss")
	if !ok {
		rss, _ = readKeyed(stat, "anon")
	}
	if rss > 0 {
		u.RSS = rss
	} else {
		u.RSS = min(u.RSS, usage)
	}
	if n, ok := readKeyed(stat, "total_swap"); ok {
		u.Swap = n
	} else if n, ok := readNumber(cg.file("memory.swap.current")); ok {
		u.Swap = n
	}
	peak, ok := readNumber(cg.file("memory.max_usage_in_bytes"))
	if !ok {
		peak, ok = readNumber(cg.file("memory.peak"))
	}
	if ok {
		u.MaxUsage = max(u.MaxUsage, peak)
	}
	return true
}
