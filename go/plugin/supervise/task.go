package supervise

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
	"google.golang.org/protobuf/proto"

	"github.com/yurt-sdk/yurt/go/gen/supervisepb"
)

// Bounds of the plugin side.
var (
	// StartTimeout bounds Start when ctx has no earlier deadline.
	StartTimeout = 10 * time.Second
	// killWait bounds how long Stop and Destroy wait for the end once they
	// have killed.
	killWait = 10 * time.Second
	pollMin  = time.Millisecond
	pollMax  = 25 * time.Millisecond
	// pollMaxWoken is the longest pause of a waiter that the supervisor's
	// exit wakes (supDone for a supervisor this process started, else a
	// pidfd: exitWaker), so the look at exit.pb is only a fallback. At
	// 25 ms, 700 waiting tasks cost a Go plugin 28 000 looks a second
	// (issue 19).
	pollMaxWoken = time.Second
	// pollMaxReattached bounds the pause of a waiter on a reattached
	// supervisor where no pidfd is to be had (nothing wakes the waiter).
	pollMaxReattached = 250 * time.Millisecond
)

// Task is a supervised task, started or reattached by this process.
type Task struct {
	dir     string
	taskID  string
	started *supervisepb.Started
	spec    *Spec
	// supDone is closed when the supervisor exits, if this process started
	// (and so reaps) it; nil after Reattach.
	supDone chan struct{}
	supPID  int
	// ack is the write end of the start handshake (see awaitStart).
	ack *os.File
	// exited is exit.pb once read (it never changes once written).
	exited atomic.Pointer[supervisepb.ExitResult]

	mu         sync.Mutex
	driverData []byte
}

// Start writes spec to stateDir/spec.pb (creating stateDir, which must not
// already hold a task) and starts its supervisor, then waits until the task
// runs. A task that could not start is reported as a *StartError naming the
// spec field at fault, and its state directory is removed.
func Start(ctx context.Context, spec Spec, stateDir string) (*Task, error) {
	if strings.TrimSpace(spec.Command) == "" {
		return nil, &StartError{TaskID: spec.TaskID, Reason: "command is empty, expected a program to run"}
	}
	dir, err := filepath.Abs(stateDir)
	if err != nil {
		return nil, fmt.Errorf("supervise: state dir %q: %w", stateDir, err)
	}
	if err := makeStateDir(dir); err != nil {
		return nil, err
	}
	if err := writeStateFast(dir, specFile, specToProto(&spec)); err != nil {
		_ = os.RemoveAll(dir)
		return nil, fmt.Errorf("supervise: %w", err)
	}
	supPID, supDone, ack, err := launchSupervisor(dir)
	if err != nil {
		_ = os.RemoveAll(dir)
		return nil, err
	}
	t := &Task{dir: dir, taskID: spec.TaskID, spec: &spec, supDone: supDone, supPID: supPID, ack: ack}
	if err := t.awaitStart(ctx); err != nil {
		return nil, err
	}
	return t, nil
}

func makeStateDir(dir string) error {
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return fmt.Errorf("supervise: state dir %q: %w", dir, err)
	}
	if err := os.Mkdir(dir, 0o700); err != nil {
		if !errors.Is(err, os.ErrExist) {
			return fmt.Errorf("supervise: state dir %q: %w", dir, err)
		}
		if _, err := os.Stat(filepath.Join(dir, specFile)); err == nil {
			return fmt.Errorf("supervise: state dir %q already holds a task (%s exists)", dir, specFile)
		}
		if err := os.Chmod(dir, 0o700); err != nil {
			return fmt.Errorf("supervise: state dir %q: %w", dir, err)
		}
	}
	return nil
}

// launchSupervisor re-executes this binary as `<program> yurt-supervise
// <dir>` in its own session, its stderr appended to supervisor.log. The
// returned channel closes when it exits (this process reaps it). The
// returned file is the plugin's end of the start handshake: the supervisor
// reads it as fd 3 (named by YURT_SUPERVISE_ACK_FD) and, if it ends without
// the acknowledgement byte, knows that this plugin died before it took the
// task's handle: it then kills the task and removes the state directory,
// so that a plugin killed mid-start leaves nothing behind.
func launchSupervisor(dir string) (int, chan struct{}, *os.File, error) {
	self, err := os.Executable()
	if err != nil {
		self = "/proc/self/exe"
	}
	log, err := os.OpenFile(filepath.Join(dir, logFile), os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return 0, nil, nil, fmt.Errorf("supervise: %w", err)
	}
	defer log.Close()
	devnull, err := os.Open(os.DevNull)
	if err != nil {
		return 0, nil, nil, fmt.Errorf("supervise: %w", err)
	}
	defer devnull.Close()
	ackR, ackW, err := os.Pipe()
	if err != nil {
		return 0, nil, nil, fmt.Errorf("supervise: %w", err)
	}
	defer ackR.Close()
	env := []string{"GOMAXPROCS=1", "GOTRACEBACK=single", "GODEBUG=memprofilerate=0", ackFDEnv + "=3"}
	if v, ok := os.LookupEnv(cgroupEnv); ok {
		env = append(env, cgroupEnv+"="+v) // the plugin's choice of cgroup path
	}
	// /proc/self/exe is the running binary even if its file was replaced.
	p, err := os.StartProcess("/proc/self/exe", []string{self, Arg, dir}, &os.ProcAttr{
		Dir:   "/",
		Env:   env,
		Files: []*os.File{devnull, devnull, log, ackR},
		Sys:   &syscall.SysProcAttr{Setsid: true},
	})
	if err != nil {
		_ = ackW.Close()
		return 0, nil, nil, fmt.Errorf("supervise: starting the supervisor %s: %w", self, err)
	}
	done := make(chan struct{})
	go func() {
		_, _ = p.Wait()
		close(done)
	}()
	return p.Pid, done, ackW, nil
}

// awaitStart waits for started.pb or exit.pb.
func (t *Task) awaitStart(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, StartTimeout)
	defer cancel()
	defer t.ack.Close() // without the acknowledgement: the supervisor aborts
	fail := func(err error) error {
		// Nothing may outlive a failed start: the supervisor and its task.
		_ = t.Destroy(context.Background())
		return err
	}
	// Woken by the supervisor's renames in the state dir; the timer is the
	// fallback where inotify is not available.
	renamed, stopWatch := watchRenames(t.dir)
	defer stopWatch()
	began := time.Now()
	for {
		delay := 2 * pollMin
		if time.Since(began) > 200*time.Millisecond {
			delay = pollMax
		}
		var st supervisepb.Started
		err := readState(t.dir, startedFile, &st)
		if err == nil {
			t.started = &st
			if _, err := t.ack.Write([]byte{ackByte}); err != nil {
				return fail(fmt.Errorf("supervise: task %q: acknowledging the start: %w", t.taskID, err))
			}
			return nil
		}
		if !errors.Is(err, os.ErrNotExist) {
			return fail(fmt.Errorf("supervise: %w", err))
		}
		ex, err := readExit(t.dir)
		if err != nil {
			return fail(fmt.Errorf("supervise: %w", err))
		}
		if ex != nil {
			reason := ex.GetStartError()
			if reason == "" {
				reason = fmt.Sprintf("ended (exit code %d) before it was recorded as started", ex.GetExitCode())
			}
			return fail(&StartError{TaskID: t.taskID, Reason: reason})
		}
		select {
		case <-t.supDone:
			// Gone without a word: give the file system one more look.
			if _, err := os.Stat(filepath.Join(t.dir, startedFile)); err == nil {
				continue
			}
			if ex, _ := readExit(t.dir); ex != nil {
				continue
			}
			return fail(fmt.Errorf("supervise: task %q: the supervisor exited without starting the task: %s", t.taskID, t.logTail()))
		case <-ctx.Done():
			return fail(fmt.Errorf("supervise: task %q did not start within %s: %w (supervisor log: %s)", t.taskID, StartTimeout, ctx.Err(), t.logTail()))
		case <-renamed:
		case <-time.After(delay):
		}
	}
}

// logTail is the end of supervisor.log, for error messages.
func (t *Task) logTail() string {
	b, err := os.ReadFile(filepath.Join(t.dir, logFile))
	if err != nil {
		return err.Error()
	}
	s := strings.TrimSpace(string(b))
	if len(s) > 400 {
		s = "..." + s[len(s)-400:]
	}
	if s == "" {
		return "(empty)"
	}
	return s
}

// Reattach finds a task again from the bytes Handle returned, in this or a
// fresh plugin process. It checks the state directory against the handle;
// a task whose supervisor is gone without recording an exit is an error
// (ErrSupervisorLost), never a guessed result.
func Reattach(handle []byte) (*Task, error) {
	var h supervisepb.Handle
	if err := proto.Unmarshal(handle, &h); err != nil {
		return nil, fmt.Errorf("supervise: reattach: the handle (%d bytes) is not a yurt.supervise.v1.Handle: %w", len(handle), err)
	}
	if h.GetFormatVersion() != FormatVersion {
		return nil, fmt.Errorf("supervise: reattach: handle format_version is %d, this layer reads version %d", h.GetFormatVersion(), FormatVersion)
	}
	if !filepath.IsAbs(h.GetStateDir()) || h.GetStarted().GetPid() <= 0 || h.GetStarted().GetSupervisorPid() <= 0 {
		return nil, fmt.Errorf("supervise: reattach: handle lacks an absolute state_dir or started pids (state_dir %q)", h.GetStateDir())
	}
	t := &Task{dir: h.GetStateDir(), taskID: h.GetTaskId(), driverData: h.GetDriverData()}
	var st supervisepb.Started
	if err := readState(t.dir, startedFile, &st); err != nil {
		return nil, fmt.Errorf("supervise: reattach task %q: %w", t.taskID, err)
	}
	if st.GetPid() != h.GetStarted().GetPid() || st.GetPidStartTime() != h.GetStarted().GetPidStartTime() {
		return nil, fmt.Errorf("supervise: reattach task %q: %s records pid %d (start time %d), the handle pid %d (start time %d)",
			t.taskID, filepath.Join(t.dir, startedFile), st.GetPid(), st.GetPidStartTime(), h.GetStarted().GetPid(), h.GetStarted().GetPidStartTime())
	}
	t.started, t.supPID = &st, int(st.GetSupervisorPid())
	var sp supervisepb.TaskSpec
	if err := readState(t.dir, specFile, &sp); err != nil {
		return nil, fmt.Errorf("supervise: reattach task %q: %w", t.taskID, err)
	}
	spec, err := specFromProto(&sp)
	if err != nil {
		return nil, fmt.Errorf("supervise: reattach task %q: %w", t.taskID, err)
	}
	t.spec = spec
	if _, _, err := t.Exit(); err != nil {
		return nil, fmt.Errorf("supervise: reattach task %q: %w", t.taskID, err)
	}
	return t, nil
}

// Handle is the serialized yurt.supervise.v1.Handle to keep (for example in
// TaskHandle.driver_state) and give to Reattach.
func (t *Task) Handle() []byte {
	t.mu.Lock()
	defer t.mu.Unlock()
	b, err := proto.Marshal(&supervisepb.Handle{FormatVersion: FormatVersion, StateDir: t.dir, TaskId: t.taskID,
		Started: t.started, DriverData: t.driverData})
	if err != nil {
		panic(fmt.Sprintf("supervise: encoding a handle: %v", err)) // plain strings and ints cannot fail
	}
	return b
}

// SetDriverData stores the driver's own bytes in the handle.
func (t *Task) SetDriverData(b []byte) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.driverData = append([]byte(nil), b...)
}

// DriverData returns the driver's bytes from the handle.
func (t *Task) DriverData() []byte {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]byte(nil), t.driverData...)
}

// TaskID is the task's ID from its spec.
func (t *Task) TaskID() string { return t.taskID }

// StateDir is the task's state directory.
func (t *Task) StateDir() string { return t.dir }

// Spec returns the task's spec.
func (t *Task) Spec() Spec { return *t.spec }

// PID is the task's main process ID (also its process group ID).
func (t *Task) PID() int { return int(t.started.GetPid()) }

// StartedAt is when the task started.
func (t *Task) StartedAt() time.Time { return time.Unix(0, t.started.GetStartedAtUnixNano()) }

// supervisorAlive reports whether the task's supervisor still runs.
func (t *Task) supervisorAlive() bool {
	if t.supDone != nil {
		select {
		case <-t.supDone:
			return false
		default:
			return true
		}
	}
	return alive(int(t.started.GetSupervisorPid()), t.started.GetSupervisorStartTime())
}

// Exit reports the task's result without blocking: done is false while it
// runs. A supervisor gone without a result is ErrSupervisorLost.
//
// While the supervisor is a child of this process that has not exited, the
// task counts as running without a look at the state directory: the
// supervisor writes exit.pb just before it exits, so the task is reported
// over when its supervisor is, or as soon as any call of this Task has read
// exit.pb (Wait wakes on exit.pb alone). This makes InspectTask, Signal and
// TaskStats of a running task touch no file (issue 19: the failed open of
// exit.pb was 6% of go-exec's CPU per InspectTask); the Python layer does
// the same.
func (t *Task) Exit() (res *ExitResult, done bool, err error) {
	if ex := t.exited.Load(); ex != nil {
		return exitFromProto(ex), true, nil
	}
	if t.supDone != nil {
		select {
		case <-t.supDone:
		default:
			return nil, false, nil
		}
	}
	return t.exitRecorded()
}

// exitRecorded is Exit, reading exit.pb whether or not the supervisor runs.
func (t *Task) exitRecorded() (res *ExitResult, done bool, err error) {
	ex, err := readExit(t.dir)
	if err != nil {
		return nil, false, err
	}
	if ex != nil {
		t.exited.Store(ex)
		return exitFromProto(ex), true, nil
	}
	if t.supervisorAlive() {
		return nil, false, nil
	}
	// The supervisor writes exit.pb before it exits: look once more.
	if ex, err = readExit(t.dir); err != nil || ex != nil {
		if ex != nil {
			t.exited.Store(ex)
			return exitFromProto(ex), true, nil
		}
		return nil, false, err
	}
	return nil, false, fmt.Errorf("%w (task %q, state dir %s)", ErrSupervisorLost, t.taskID, t.dir)
}

// Wait blocks until the task has ended, then returns its result. Any number
// of goroutines may wait.
func (t *Task) Wait(ctx context.Context) (*ExitResult, error) {
	return t.waitPaced(ctx, pollMin, pollMaxWoken, pollMaxReattached)
}

// waitPaced is Wait with its first pause and its longest ones, where the
// supervisor's exit wakes the waiter and where nothing does.
func (t *Task) waitPaced(ctx context.Context, first, woken, unwoken time.Duration) (*ExitResult, error) {
	var wake <-chan struct{} = t.supDone
	if wake == nil {
		// Opened before the first look, so a supervisor gone by then has
		// written exit.pb (or is reported lost): a reused pid cannot mislead.
		w := openExitWaker(t.supPID)
		defer w.close()
		wake = w.wake()
	}
	longest := unwoken
	if wake != nil {
		longest = woken
	}
	for delay := first; ; delay = min(delay*2, longest) {
		res, done, err := t.exitRecorded()
		if err != nil || done {
			return res, err
		}
		timer := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			timer.Stop()
			return nil, ctx.Err()
		case <-wake:
			timer.Stop()
		case <-timer.C:
		}
	}
}

// Signal sends sig to the task's main process (after checking its start
// time, so that a reused PID is never signalled).
func (t *Task) Signal(sig syscall.Signal) error {
	if _, done, err := t.Exit(); err != nil || done {
		if err != nil {
			return err
		}
		return ErrExited
	}
	if !alive(t.PID(), t.started.GetPidStartTime()) {
		return ErrExited
	}
	if err := unix.Kill(t.PID(), sig); err != nil {
		if errors.Is(err, unix.ESRCH) {
			return ErrExited
		}
		return fmt.Errorf("supervise: signalling task %q (pid %d): %w", t.taskID, t.PID(), err)
	}
	return nil
}

// Stop sends sig to the main process, waits up to timeout for the task to
// end, then kills its whole process group (the supervisor then kills every
// remaining descendant). It returns once the task is over.
func (t *Task) Stop(ctx context.Context, sig syscall.Signal, timeout time.Duration) error {
	if err := t.Signal(sig); err != nil {
		if errors.Is(err, ErrExited) {
			return nil
		}
		return err
	}
	wctx, cancel := context.WithTimeout(ctx, timeout)
	_, err := t.Wait(wctx)
	cancel()
	if err == nil || ctx.Err() != nil {
		return err
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	if t.supervisorAlive() {
		killGroup(t.PID(), unix.SIGKILL)
	}
	wctx, cancel = context.WithTimeout(ctx, killWait)
	defer cancel()
	if _, err := t.Wait(wctx); err != nil {
		return fmt.Errorf("supervise: task %q did not end after SIGKILL: %w", t.taskID, err)
	}
	return nil
}

// Destroy ends the task and everything it started (SIGTERM to the
// supervisor, which kills every process of the task), waits for the
// supervisor, and removes the state directory. It is idempotent and works on
// an ended task.
func (t *Task) Destroy(ctx context.Context) error {
	if _, err := os.Stat(t.dir); errors.Is(err, os.ErrNotExist) {
		return nil
	}
	t.killSupervisor(ctx)
	if err := os.RemoveAll(t.dir); err != nil {
		return fmt.Errorf("supervise: removing state dir of task %q: %w", t.taskID, err)
	}
	return nil
}

func (t *Task) killSupervisor(ctx context.Context) {
	if !t.supervisorAlive() {
		// Gone: if it recorded nothing, it may have died leaving processes:
		// the group, and through the cgroup every process of the task,
		// including ones that left the group (setsid).
		if ex, _ := readExit(t.dir); ex == nil && t.started != nil {
			killGroup(t.PID(), unix.SIGKILL)
			t.killCgroup()
		}
		return
	}
	_ = unix.Kill(t.supPID, unix.SIGTERM)
	deadline := time.Now().Add(killWait)
	for t.supervisorAlive() && time.Now().Before(deadline) && ctx.Err() == nil {
		time.Sleep(5 * time.Millisecond)
	}
	if t.supervisorAlive() {
		_ = unix.Kill(t.supPID, unix.SIGKILL)
		if t.started != nil {
			killGroup(t.PID(), unix.SIGKILL)
			t.killCgroup()
		}
	}
}

// killCgroup kills every process of the task's cgroup and removes it, for a
// supervisor that cannot do it any more.
func (t *Task) killCgroup() {
	if cg := t.taskCgroup(); cg != nil {
		cg.killAndWait(killWait)
		cg.remove()
	}
}
