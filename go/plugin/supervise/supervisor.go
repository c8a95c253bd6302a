package supervise

import (
	"errors"
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"github.com/yurt-sdk/yurt/go/gen/supervisepb"
)

// Bounds of the supervisor's end: how long output may still be copied once
// every process of the task is gone.
var (
	flushAfterExit    = 5 * time.Second
	flushAfterDestroy = time.Second
)

// maskResetEnv marks a supervisor re-executed with an empty signal mask.
const maskResetEnv = "YURT_SUPERVISE_MASK_RESET"

// The start handshake between the Go layer and its supervisor: the layer
// writes ackByte to the file descriptor named by ackFDEnv once it holds the
// task's handle. The end of that pipe without the byte means the plugin died
// mid-start. ackWait bounds the wait for a plugin that is alive but slow:
// then the task is kept.
const (
	ackFDEnv = "YURT_SUPERVISE_ACK_FD"
	ackByte  = 'k'
)

var ackWait = 30 * time.Second

// Main runs the supervisor and exits the process when os.Args[1] is Arg
// (`<program> yurt-supervise <state dir>`); otherwise it returns at once.
// go/plugin's Serve calls it first; call it at the top of main (or TestMain)
// in a program that starts tasks without plugin.ServeDriver.
func Main() {
	if len(os.Args) < 2 || os.Args[1] != Arg {
		return
	}
	os.Exit(runSupervisor(os.Args[2:]))
}

func runSupervisor(args []string) int {
	if len(args) != 1 || args[0] == "" {
		fmt.Fprintf(os.Stderr, "usage: %s %s <state dir>\n", os.Args[0], Arg)
		return 2
	}
	resetSignalMask()
	// The supervisor lives as long as its task, so its footprint is paid
	// per task. Its steady state allocates next to nothing, and a Go GC
	// cycle touches about 1.3 MiB of collector metadata that a supervisor
	// that never collects does not pay: collect only if the heap ever
	// grows past the limit (it does not in practice).
	debug.SetGCPercent(-1)
	debug.SetMemoryLimit(64 << 20)
	s := &supervisor{dir: args[0]}
	return s.run()
}

// resetSignalMask makes sure the task will start with an empty signal mask.
// A Go child restores the mask its parent process started with (the
// runtime's initial mask) between fork and exec, whatever the forking
// thread's mask is; so a supervisor started with signals blocked re-executes
// itself once from a thread whose mask it has emptied.
func resetSignalMask() {
	if os.Getenv(maskResetEnv) != "" {
		return
	}
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "SigBlk:"); ok {
			if n, err := strconv.ParseUint(strings.TrimSpace(v), 16, 64); err == nil && n == 0 {
				return
			}
		}
	}
	runtime.LockOSThread()
	var empty unix.Sigset_t
	if unix.PthreadSigmask(unix.SIG_SETMASK, &empty, nil) != nil {
		return
	}
	err = syscall.Exec("/proc/self/exe", os.Args, append(os.Environ(), maskResetEnv+"=1"))
	fmt.Fprintf(os.Stderr, "yurt-supervise: re-executing with an empty signal mask: %v\n", err)
}

type supervisor struct {
	dir     string
	mainPID int
	cg      *cgroup                 // the task's cgroup; nil when none is in force
	result  *supervisepb.ExitResult // set once the main process is reaped
}

// fail records a start error and returns the supervisor's exit code.
func (s *supervisor) fail(reason string) int {
	fmt.Fprintf(os.Stderr, "yurt-supervise: %s\n", reason)
	syncBeforeExit(s.dir)
	err := writeState(s.dir, exitFile, &supervisepb.ExitResult{ExitCode: 127, StartError: reason,
		CompletedAtUnixNano: time.Now().UnixNano()})
	if err != nil {
		fmt.Fprintf(os.Stderr, "yurt-supervise: %v\n", err)
	}
	return 1
}

func (s *supervisor) run() int {
	// Every signal is caught: SIGTERM (destroy) and SIGCHLD (reap) each on
	// a channel of their own, so that no flood of other signals can crowd
	// them out, and all others into a channel nobody reads (a full channel
	// drops them). A handled signal, unlike an ignored one, is reset to its
	// default disposition in the forked task: signal.Ignore here would
	// leave the task with SIGINT/SIGHUP ignored across exec. Catching also
	// undoes a SIG_IGN inherited from the plugin.
	term := make(chan os.Signal, 1)
	signal.Notify(term, syscall.SIGTERM)
	chld := make(chan os.Signal, 1)
	signal.Notify(chld, syscall.SIGCHLD)
	var others []os.Signal
	for n := 1; n <= 64; n++ {
		if sig := syscall.Signal(n); sig != syscall.SIGTERM && sig != syscall.SIGCHLD {
			others = append(others, sig)
		}
	}
	signal.Notify(make(chan os.Signal, 1), others...)
	defaultIgnoredSignals()
	ack := openAck()
	if err := unix.Prctl(unix.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0); err != nil {
		return s.fail(fmt.Sprintf("becoming a child subreaper: %v", err))
	}
	var sp supervisepb.TaskSpec
	if err := readState(s.dir, specFile, &sp); err != nil {
		return s.fail(fmt.Sprintf("reading the task spec: %v", err))
	}
	spec, err := specFromProto(&sp)
	if err != nil {
		return s.fail(err.Error())
	}
	l, err := resolve(spec)
	if err != nil {
		return s.fail(err.Error())
	}
	if s.cg, err = createCgroup(cgroupName(s.dir, os.Getpid()), spec.Limits); err != nil {
		fmt.Fprintf(os.Stderr, "yurt-supervise: no cgroup for the task (limits not enforced, process group and subreaper only): %v\n", err)
	}
	outDone, errDone, err := s.fork(l, spec)
	if err != nil {
		s.endCgroup()
		return s.fail(err.Error())
	}
	if err := s.recordStarted(); err != nil {
		killGroup(s.mainPID, unix.SIGKILL)
		s.killAll()
		s.endCgroup()
		return s.fail(err.Error())
	}
	destroy := false
	select {
	case ok := <-awaitAck(ack):
		if !ok {
			// The plugin died before it took the handle: nobody will ever
			// find this task again. Leave nothing behind.
			fmt.Fprintln(os.Stderr, "yurt-supervise: the plugin went away before it took the task's handle; ending the task")
			s.killAll()
			s.endCgroup()
			_ = os.RemoveAll(s.dir)
			return 1
		}
	case <-term:
		destroy = true
	case <-time.After(ackWait):
	}
	if ack != nil {
		_ = ack.Close()
	}

	tick := time.NewTicker(2 * time.Second)
	defer tick.Stop()
	for s.result == nil && !destroy {
		select {
		case <-term:
			destroy = true
		case <-chld:
		case <-tick.C:
		}
		s.reap(unix.WNOHANG)
	}
	s.killAll()
	if s.endCgroup() && s.result != nil {
		s.result.OomKilled = true
	}
	bound := flushAfterExit
	if destroy {
		bound = flushAfterDestroy
	}
	deadline := time.After(bound)
	for _, done := range []<-chan struct{}{outDone, errDone} {
		select {
		case <-done:
		case <-deadline:
		}
	}
	syncBeforeExit(s.dir)
	if err := writeState(s.dir, exitFile, s.result); err != nil {
		fmt.Fprintf(os.Stderr, "yurt-supervise: recording the exit: %v\n", err)
		return 1
	}
	return 0
}

// openAck takes the start handshake's descriptor, close-on-exec so that
// the task does not inherit it; nil for a supervisor not started by the Go
// layer.
func openAck() *os.File {
	fd, err := strconv.Atoi(os.Getenv(ackFDEnv))
	if err != nil || fd < 3 {
		return nil
	}
	unix.CloseOnExec(fd)
	return os.NewFile(uintptr(fd), "ack")
}

// awaitAck reads the start handshake; without one it reports true at once.
func awaitAck(f *os.File) <-chan bool {
	ch := make(chan bool, 1)
	if f == nil {
		ch <- true
		return ch
	}
	go func() {
		// The caller closes f once it has acted on the answer: ReattachDir
		// waits while the handshake is open (see awaitingAck).
		var b [1]byte
		n, _ := f.Read(b[:])
		ch <- n == 1 && b[0] == ackByte
	}()
	return ch
}

// fork starts the task's main process in a new process group with its
// output piped to the copiers.
func (s *supervisor) fork(l *launch, spec *Spec) (outDone, errDone <-chan struct{}, err error) {
	devnull, err := os.Open(os.DevNull)
	if err != nil {
		return nil, nil, err
	}
	defer devnull.Close()
	outR, outW, err := os.Pipe()
	if err != nil {
		return nil, nil, err
	}
	errR, errW, err := os.Pipe()
	if err != nil {
		return nil, nil, err
	}
	pid, err := forkExecIn(s.cg, l.path, l.argv, &syscall.ProcAttr{
		Dir: l.dir, Env: l.env, Files: []uintptr{devnull.Fd(), outW.Fd(), errW.Fd()},
		Sys: &syscall.SysProcAttr{Setpgid: true, Credential: l.cred},
	})
	_ = outW.Close()
	_ = errW.Close()
	if err != nil {
		_ = outR.Close()
		_ = errR.Close()
		return nil, nil, fmt.Errorf("command %q: starting %s in working_dir %q: %v", spec.Command, l.path, l.dir, err)
	}
	s.mainPID = pid
	od, ed := make(chan struct{}), make(chan struct{})
	go copyOutput(outR, spec.StdoutPath, od)
	go copyOutput(errR, spec.StderrPath, ed)
	return od, ed, nil
}

func (s *supervisor) recordStarted() error {
	self, err := readProcStat(os.Getpid())
	if err != nil {
		return fmt.Errorf("reading own start time: %w", err)
	}
	task, err := readProcStat(s.mainPID)
	if err != nil {
		return fmt.Errorf("reading the task's start time: %w", err)
	}
	return writeStateFast(s.dir, startedFile, &supervisepb.Started{
		SupervisorPid: int32(os.Getpid()), SupervisorStartTime: self.startTime,
		Pid: int32(s.mainPID), PidStartTime: task.startTime, StartedAtUnixNano: time.Now().UnixNano(),
		Cgroup: s.cg.path(),
	})
}

// reap collects exited children; flags is 0 (block for one) or WNOHANG
// (collect all that are ready). It reports false when there are no children
// left.
func (s *supervisor) reap(flags int) bool {
	for {
		var ws unix.WaitStatus
		pid, err := unix.Wait4(-1, &ws, flags, nil)
		if errors.Is(err, unix.EINTR) {
			continue
		}
		if err != nil {
			return !errors.Is(err, unix.ECHILD)
		}
		if pid <= 0 {
			return true
		}
		if pid == s.mainPID && s.result == nil {
			s.result = &supervisepb.ExitResult{ExitCode: int32(ws.ExitStatus()), CompletedAtUnixNano: time.Now().UnixNano()}
			if ws.Signaled() {
				s.result.Signal = int32(ws.Signal())
				s.result.ExitCode = 128 + s.result.Signal
			}
		}
		if flags == 0 {
			return true
		}
	}
}

// killAll kills the task's process group and every remaining descendant
// (as a subreaper, the supervisor inherits those that double-forked or
// called setsid), reaping until it has no child left.
func (s *supervisor) killAll() {
	for {
		if s.cg != nil {
			s.cg.kill()
		}
		killGroup(s.mainPID, unix.SIGKILL)
		for _, pid := range childrenOf(os.Getpid()) {
			_ = unix.Kill(pid, unix.SIGKILL)
		}
		// Block for one child, then collect every other that is ready, so
		// that a large tree costs few scans of /proc.
		if !s.reap(0) || !s.reap(unix.WNOHANG) {
			return
		}
	}
}

// endCgroup empties and removes the task's cgroup once every child is
// reaped (bounded: a process of the cgroup that is not the supervisor's
// descendant is killed here), and reports whether the OOM killer killed a
// process of the task.
func (s *supervisor) endCgroup() (oom bool) {
	if s.cg == nil {
		return false
	}
	if !s.cg.killAndWait(5 * time.Second) {
		fmt.Fprintf(os.Stderr, "yurt-supervise: processes still in the task's cgroup %s after 5s: %v\n", s.cg.path(), s.cg.pids())
	}
	s.reap(unix.WNOHANG)
	oom = s.cg.oomKilled()
	s.cg.remove()
	return oom
}
