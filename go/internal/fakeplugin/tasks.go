package main

// A task's record and the RPCs that act on a task: StopTask, DestroyTask,
// SignalTask (and Init).

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/yurt-sdk/yurt/go/gen/driverpb"
	"github.com/yurt-sdk/yurt/go/plugin/supervise"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/timestamppb"
)

var errTaskNotFound = errors.New("task not found for given id")

// taskState is the handle's driver_state: the supervision layer's handle
// (go/plugin/supervise); none for a task run without a supervisor under
// the leave-children fault; for a timer task (RUN_MS), its timing.
type taskState struct {
	Handle   []byte    `json:"handle,omitempty"`
	TaskPid  int       `json:"task_pid"`
	Started  time.Time `json:"started"`
	Timer    bool      `json:"timer,omitempty"`
	RunMS    int       `json:"run_ms,omitempty"`
	ExitCode int       `json:"exit_code,omitempty"`
}

type task struct {
	id, name, allocID string
	env               map[string]string
	execEnv           []string // exec runs with the task's environment
	execDir           string   // and in its working directory
	st                taskState
	sup               *supervise.Task // nil: unsupervised (leave-children) or a timer
	stopTimer         chan syscall.Signal
	waitErr           error
	done              chan struct{}
	result            *driverpb.ExitResult
	completed         time.Time
	waited            bool
	waiting           int
	madeUp            bool // recover-made-up-exit: WaitTask answers exit 0 at once
	mu                sync.Mutex
}

func (d *driver) track(cfg *driverpb.TaskConfig, st taskState, sup *supervise.Task) *task {
	t := &task{id: cfg.GetId(), name: cfg.GetName(), allocID: cfg.GetAllocId(), env: cfg.GetEnv(), st: st, sup: sup, done: make(chan struct{})}
	t.execEnv = taskEnv(cfg)
	t.execDir, _ = taskDirs(cfg)
	d.mu.Lock()
	d.tasks[t.id] = t
	d.mu.Unlock()
	if sup != nil {
		go func() {
			res, err := sup.Wait(context.Background())
			t.finish(d, res, err)
		}()
	}
	return t
}

// finish records the task's end.
func (t *task) finish(d *driver, res *supervise.ExitResult, err error) {
	t.mu.Lock()
	t.completed, t.waitErr = time.Now(), err
	t.result = &driverpb.ExitResult{}
	if res != nil {
		t.result = &driverpb.ExitResult{ExitCode: int32(res.ExitCode), Signal: int32(res.Signal)}
		t.completed = res.CompletedAt
	}
	t.mu.Unlock()
	close(t.done)
	d.publish(&driverpb.DriverTaskEvent{TaskId: t.id, AllocId: t.allocID, TaskName: t.name, Timestamp: timestamppb.Now(),
		Message: fmt.Sprintf("task exited with code %d", t.result.GetExitCode())})
}

// startUnsupervised runs the task as this plugin's own child, in its own
// process group, and kills nothing when it ends (the leave-children fault).
func startUnsupervised(argv, env []string, stdout, stderr string) (*exec.Cmd, error) {
	open := func(p string) (*os.File, error) {
		if p == "" {
			p = os.DevNull
		}
		return os.OpenFile(p, os.O_WRONLY|os.O_APPEND, 0)
	}
	out, err := open(stdout)
	if err != nil {
		return nil, err
	}
	defer out.Close()
	errf, err := open(stderr)
	if err != nil {
		return nil, err
	}
	defer errf.Close()
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env, cmd.Stdout, cmd.Stderr = env, out, errf
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %q: %v", argv[0], err)
	}
	return cmd, nil
}

func (d *driver) get(id string) (*task, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	t, ok := d.tasks[id]
	if !ok {
		if fault("unknown-task-text") {
			return nil, fmt.Errorf("no task %q", id)
		}
		return nil, errTaskNotFound
	}
	return t, nil
}

// parseSignal reads a signal as Nomad's kill_signal and SignalTask give it
// (supervise.ParseSignal); "" is SIGTERM.
func parseSignal(s string) (syscall.Signal, error) {
	if strings.TrimSpace(s) == "" {
		return syscall.SIGTERM, nil
	}
	return supervise.ParseSignal(s)
}

func (t *task) running() bool {
	select {
	case <-t.done:
		return false
	default:
		return true
	}
}

func (d *driver) StopTask(ctx context.Context, r *driverpb.StopTaskRequest) (*driverpb.StopTaskResponse, error) {
	t, err := d.get(r.GetTaskId())
	if err != nil {
		return nil, err
	}
	sig, err := parseSignal(r.GetSignal())
	if err != nil {
		return nil, err
	}
	if !t.running() || fault("stop-noop") {
		return &driverpb.StopTaskResponse{}, nil
	}
	timeout := r.GetTimeout().AsDuration()
	switch {
	case fault("stop-kill-first"):
		sig, timeout = syscall.SIGKILL, 0
	case fault("stop-early-kill"):
		timeout = 200 * time.Millisecond
	}
	if t.st.Timer {
		t.stopWith(sig)
		<-t.done
		return &driverpb.StopTaskResponse{}, nil
	}
	if t.sup != nil && !fault("stop-no-kill") {
		if err := t.sup.Stop(ctx, sig, timeout); err != nil {
			return nil, err
		}
		<-t.done
		return &driverpb.StopTaskResponse{}, nil
	}
	t.signal(sig)
	select {
	case <-t.done:
	case <-time.After(timeout):
		if !fault("stop-no-kill") {
			t.kill()
		}
		select {
		case <-t.done:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return &driverpb.StopTaskResponse{}, nil
}

func (d *driver) DestroyTask(ctx context.Context, r *driverpb.DestroyTaskRequest) (*driverpb.DestroyTaskResponse, error) {
	t, err := d.get(r.GetTaskId())
	if err != nil {
		return nil, err
	}
	if t.running() {
		if !r.GetForce() && !fault("destroy-running-ok") {
			return nil, errors.New("cannot destroy running task")
		}
		if fault("destroy-no-kill") {
			d.mu.Lock()
			delete(d.tasks, r.GetTaskId())
			d.mu.Unlock()
			return &driverpb.DestroyTaskResponse{}, nil
		}
		if t.sup == nil {
			t.kill()
		}
	}
	if t.sup != nil {
		if err := t.sup.Destroy(ctx); err != nil {
			return nil, err
		}
	}
	select {
	case <-t.done:
	case <-time.After(5 * time.Second):
	}
	d.mu.Lock()
	delete(d.tasks, r.GetTaskId())
	d.mu.Unlock()
	return &driverpb.DestroyTaskResponse{}, nil
}

func (d *driver) SignalTask(_ context.Context, r *driverpb.SignalTaskRequest) (*driverpb.SignalTaskResponse, error) {
	if fault("without-signals-exec") {
		return nil, status.Error(codes.Unimplemented, "this driver does not send signals")
	}
	t, err := d.get(r.GetTaskId())
	if err != nil {
		return nil, err
	}
	sig, err := parseSignal(r.GetSignal())
	if err != nil {
		return nil, err
	}
	if fault("signal-dropped") {
		return &driverpb.SignalTaskResponse{}, nil
	}
	if err := t.signal(sig); err != nil {
		return nil, fmt.Errorf("signalling task: %v", err)
	}
	return &driverpb.SignalTaskResponse{}, nil
}

// Init and Shutdown answer Unimplemented (the embedded server) unless the
// init-error fault makes Init fail outright.
func (d *driver) Init(context.Context, *driverpb.InitRequest) (*driverpb.InitResponse, error) {
	if fault("init-error") {
		return nil, errors.New("init failed")
	}
	return nil, status.Error(codes.Unimplemented, "Init is not implemented")
}

// signal sends sig to the task's main process (a timer task has none).
func (t *task) signal(sig syscall.Signal) error {
	switch {
	case t.sup != nil:
		return t.sup.Signal(sig)
	case t.st.Timer || t.st.TaskPid <= 0:
		return nil
	}
	return syscall.Kill(t.st.TaskPid, sig)
}

// kill ends an unsupervised task's process group, or a timer task.
func (t *task) kill() {
	switch {
	case t.st.Timer:
		t.stopWith(syscall.SIGKILL)
	case t.st.TaskPid > 0:
		_ = syscall.Kill(-t.st.TaskPid, syscall.SIGKILL)
	}
}

var unsafeID = regexp.MustCompile(`[^A-Za-z0-9_.-]`)

// stateDir is the task's supervision state directory. Under the
// duplicate-ok fault a second StartTask of the same ID gets a directory of
// its own, so that the duplicate really runs.
func stateDir(dir, id string) string {
	d := filepath.Join(dir, "fake-"+unsafeID.ReplaceAllString(id, "_"))
	if fault("duplicate-ok") {
		d += fmt.Sprintf("-%d", time.Now().UnixNano())
	}
	return d
}
