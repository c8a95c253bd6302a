package supervise

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/sys/unix"
	"google.golang.org/protobuf/proto"

	"github.com/yurt-sdk/yurt/go/gen/supervisepb"
)

// Files of a task's state directory (see supervise.proto).
const (
	specFile    = "spec.pb"
	startedFile = "started.pb"
	exitFile    = "exit.pb"
	logFile     = "supervisor.log"
)

// writeState writes m to dir/name atomically (a temporary file in dir,
// renamed over name: a reader sees no file or the whole message) and
// durably: the temporary file is fsync'd before the rename and dir after it.
// exit.pb is written so.
func writeState(dir, name string, m proto.Message) error {
	return writeStateFile(dir, name, m, true)
}

// writeStateFast writes m atomically but without fsync, for spec.pb and
// started.pb on the start path: supervise.proto explains why their
// durability across a host crash is worth nothing, and syncBeforeExit makes
// them durable once the task has ended, before exit.pb.
func writeStateFast(dir, name string, m proto.Message) error {
	return writeStateFile(dir, name, m, false)
}

func writeStateFile(dir, name string, m proto.Message, durable bool) error {
	b, err := proto.Marshal(m)
	if err != nil {
		return fmt.Errorf("encoding %s: %w", name, err)
	}
	tmp, err := os.CreateTemp(dir, "."+name+".tmp*")
	if err != nil {
		return fmt.Errorf("writing %s: %w", filepath.Join(dir, name), err)
	}
	fail := func(err error) error {
		_ = tmp.Close()
		_ = os.Remove(tmp.Name())
		return fmt.Errorf("writing %s: %w", filepath.Join(dir, name), err)
	}
	if _, err := tmp.Write(b); err != nil {
		return fail(err)
	}
	if durable {
		if err := tmp.Sync(); err != nil {
			return fail(err)
		}
	}
	if err := tmp.Close(); err != nil {
		return fail(err)
	}
	if err := os.Rename(tmp.Name(), filepath.Join(dir, name)); err != nil {
		_ = os.Remove(tmp.Name())
		return fmt.Errorf("writing %s: %w", filepath.Join(dir, name), err)
	}
	if !durable {
		return nil
	}
	return syncPath(dir)
}

// syncPath fsyncs a file or directory.
func syncPath(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("syncing %s: %w", path, err)
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		return fmt.Errorf("syncing %s: %w", path, err)
	}
	return nil
}

// syncBeforeExit makes spec.pb and started.pb durable (written without
// fsync at start) before exit.pb is: a task's recorded end then survives a
// host crash together with the state that names it.
func syncBeforeExit(dir string) {
	for _, name := range []string{specFile, startedFile} {
		if err := syncPath(filepath.Join(dir, name)); err != nil && !errors.Is(err, os.ErrNotExist) {
			fmt.Fprintf(os.Stderr, "yurt-supervise: %v\n", err)
		}
	}
}

// readState reads dir/name into m. A missing file is reported with an error
// wrapping os.ErrNotExist; a file that does not decode is "corrupted", with
// its path.
func readState(dir, name string, m proto.Message) error {
	path := filepath.Join(dir, name)
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := proto.Unmarshal(b, m); err != nil {
		return fmt.Errorf("state file %s is corrupted (%d bytes are not a %s): %w",
			path, len(b), m.ProtoReflect().Descriptor().FullName(), err)
	}
	return nil
}

// readExit returns the recorded exit, nil if the task has not ended yet.
func readExit(dir string) (*supervisepb.ExitResult, error) {
	var e supervisepb.ExitResult
	if err := readState(dir, exitFile, &e); err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, nil
		}
		return nil, err
	}
	return &e, nil
}

func specToProto(s *Spec) *supervisepb.TaskSpec {
	return &supervisepb.TaskSpec{
		FormatVersion: FormatVersion, TaskId: s.TaskID, Command: s.Command, Args: s.Args, Env: s.Env,
		WorkingDir: s.WorkingDir, User: s.User, StdoutPath: s.StdoutPath, StderrPath: s.StderrPath,
		Limits: &supervisepb.ResourceLimits{MemoryLimitBytes: s.Limits.MemoryBytes, CpuShares: s.Limits.CPUShares},
	}
}

func specFromProto(p *supervisepb.TaskSpec) (*Spec, error) {
	if p.GetFormatVersion() != FormatVersion {
		return nil, fmt.Errorf("spec.pb format_version is %d, this layer reads version %d", p.GetFormatVersion(), FormatVersion)
	}
	return &Spec{
		TaskID: p.GetTaskId(), Command: p.GetCommand(), Args: p.GetArgs(), Env: p.GetEnv(),
		WorkingDir: p.GetWorkingDir(), User: p.GetUser(), StdoutPath: p.GetStdoutPath(), StderrPath: p.GetStderrPath(),
		Limits: Limits{MemoryBytes: p.GetLimits().GetMemoryLimitBytes(), CPUShares: p.GetLimits().GetCpuShares()},
	}, nil
}

func exitFromProto(p *supervisepb.ExitResult) *ExitResult {
	r := &ExitResult{ExitCode: int(p.GetExitCode()), Signal: int(p.GetSignal()), OOMKilled: p.GetOomKilled()}
	if ns := p.GetCompletedAtUnixNano(); ns != 0 {
		r.CompletedAt = time.Unix(0, ns)
	}
	return r
}

// procStat is what this package reads from /proc/<pid>/stat.
type procStat struct {
	state        byte
	ppid         int
	utime, stime uint64 // clock ticks
	startTime    uint64 // clock ticks since boot (field 22)
}

// readProcStat parses /proc/<pid>/stat. The command name (field 2) is in
// parentheses and may itself hold spaces and parentheses, so fields are
// counted from the last ')'.
func readProcStat(pid int) (*procStat, error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return nil, err
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return nil, fmt.Errorf("/proc/%d/stat: no ')' after the command name", pid)
	}
	f := strings.Fields(s[i+1:])
	// f[0] is field 3 (state), so field n is f[n-3].
	if len(f) < 20 {
		return nil, fmt.Errorf("/proc/%d/stat: %d fields, expected at least 22", pid, len(f)+2)
	}
	ps := &procStat{state: f[0][0]}
	var errs [4]error
	ps.ppid, errs[0] = strconv.Atoi(f[1])
	ps.utime, errs[1] = strconv.ParseUint(f[11], 10, 64)
	ps.stime, errs[2] = strconv.ParseUint(f[12], 10, 64)
	ps.startTime, errs[3] = strconv.ParseUint(f[19], 10, 64)
	if err := errors.Join(errs[:]...); err != nil {
		return nil, fmt.Errorf("/proc/%d/stat: %w", pid, err)
	}
	return ps, nil
}

// alive reports whether pid is running and is the process that started at
// startTime (a reused PID is another process). A zombie is not alive.
func alive(pid int, startTime uint64) bool {
	if pid <= 0 {
		return false
	}
	ps, err := readProcStat(pid)
	if err != nil {
		return false
	}
	return ps.startTime == startTime && ps.state != 'Z' && ps.state != 'X'
}

// childrenOf returns every process whose chain of parents leads to root
// (root itself excluded), read from /proc now: from the kernel's children
// lists (/proc/<pid>/task/<tid>/children), which cost the size of root's
// tree, and only where the kernel keeps none (no CONFIG_PROC_CHILDREN) from
// a scan of every process. A supervisor ending among thousands of tasks
// then reads its own few processes: stopping n tasks is no longer n scans
// of n processes.
func childrenOf(root int) []int {
	if pids, ok := childrenWalk("/proc", root); ok {
		return pids
	}
	return descendants(readParents(), root)
}

// childrenWalk is root's descendants through the children lists of every
// thread under proc (a /proc); ok is false when root has no list to read.
func childrenWalk(proc string, root int) (pids []int, ok bool) {
	r := strconv.Itoa(root)
	if _, err := os.Stat(proc + "/" + r + "/task/" + r + "/children"); err != nil {
		return nil, false
	}
	seen := map[int]bool{root: true}
	for frontier := []int{root}; len(frontier) > 0; {
		pid := frontier[len(frontier)-1]
		frontier = frontier[:len(frontier)-1]
		dir := proc + "/" + strconv.Itoa(pid) + "/task"
		// A process that ended meanwhile has no task dir left; its children
		// went to the subreaper, found on this round or the next.
		threads, _ := os.ReadDir(dir)
		for _, t := range threads {
			b, err := os.ReadFile(dir + "/" + t.Name() + "/children")
			if err != nil {
				continue
			}
			for _, f := range strings.Fields(string(b)) {
				if c, err := strconv.Atoi(f); err == nil && !seen[c] {
					seen[c] = true
					pids = append(pids, c)
					frontier = append(frontier, c)
				}
			}
		}
	}
	return pids, true
}

// readParents maps every process to its parent, from /proc.
func readParents() map[int]int {
	ents, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	parent := make(map[int]int, len(ents))
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if ps, err := readProcStat(pid); err == nil {
			parent[pid] = ps.ppid
		}
	}
	return parent
}

func descendants(parent map[int]int, root int) []int {
	var out []int
	for pid := range parent {
		for p, hops := parent[pid], 0; p > 1 && hops < len(parent); p, hops = parent[p], hops+1 {
			if p == root {
				out = append(out, pid)
				break
			}
		}
	}
	return out
}

// The process table, shared by every task's stats in this plugin process
// for a short while: a plugin sampling hundreds of tasks every second scans
// /proc a few times a second, not once per task.
var procTable struct {
	sync.Mutex
	at     time.Time
	parent map[int]int
}

const procTableMaxAge = 250 * time.Millisecond

// recentChildrenOf is childrenOf from a process table at most
// procTableMaxAge old (for stats; killing always reads /proc afresh).
func recentChildrenOf(root int) []int {
	procTable.Lock()
	defer procTable.Unlock()
	if procTable.parent == nil || time.Since(procTable.at) > procTableMaxAge {
		procTable.parent, procTable.at = readParents(), time.Now()
	}
	return descendants(procTable.parent, root)
}

// killGroup sends sig to process group pgid, ignoring a group that is gone.
func killGroup(pgid int, sig unix.Signal) {
	if pgid > 1 {
		_ = unix.Kill(-pgid, sig)
	}
}

// watchRenames reports on the returned channel when a file is renamed into
// dir (a state file written), until stop is called. Where inotify is not
// available the channel never fires and callers poll.
func watchRenames(dir string) (<-chan struct{}, func()) {
	ch := make(chan struct{}, 1)
	fd, err := unix.InotifyInit1(unix.IN_CLOEXEC | unix.IN_NONBLOCK)
	if err != nil {
		return ch, func() {}
	}
	if _, err := unix.InotifyAddWatch(fd, dir, unix.IN_MOVED_TO); err != nil {
		_ = unix.Close(fd)
		return ch, func() {}
	}
	done := make(chan struct{})
	go func() {
		// It notices stop within one poll period and closes the descriptor
		// itself, so that stop never waits.
		defer unix.Close(fd) //nolint:errcheck // nothing to do about it
		buf := make([]byte, 4096)
		fds := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}
		for {
			select {
			case <-done:
				return
			default:
			}
			if n, _ := unix.Poll(fds, 50); n > 0 {
				for {
					if n, _ := unix.Read(fd, buf); n <= 0 {
						break
					}
				}
				select {
				case ch <- struct{}{}:
				default:
				}
			}
		}
	}()
	return ch, func() { close(done) }
}
