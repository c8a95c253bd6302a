package main

import (
	"context"
	"encoding/json"
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
	"github.com/yurt-sdk/yurt/go/gen/hclspecpb"
	"github.com/yurt-sdk/yurt/go/gen/structspb"
	"github.com/yurt-sdk/yurt/go/plugin/supervise"
	"github.com/zclconf/go-cty/cty"
	ctymsgpack "github.com/zclconf/go-cty/cty/msgpack"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/timestamppb"
)

var errTaskNotFound = errors.New("task not found for given id")

// taskState is the handle's driver_state: the supervision layer's handle
// (go/plugin/supervise), or none for a task run without a supervisor under
// the leave-children fault.
type taskState struct {
	Handle  []byte    `json:"handle"`
	TaskPid int       `json:"task_pid"`
	Started time.Time `json:"started"`
}

type task struct {
	id, name, allocID string
	st                taskState
	sup               *supervise.Task // nil: unsupervised (leave-children)
	waitErr           error
	done              chan struct{}
	result            *driverpb.ExitResult
	completed         time.Time
	waited            bool
	waiting           int
	madeUp            bool // recover-made-up-exit: WaitTask answers exit 0 at once
	mu                sync.Mutex
}

type driver struct {
	driverpb.UnimplementedDriverServer
	mu    sync.Mutex
	tasks map[string]*task
	subs  map[chan *driverpb.DriverTaskEvent]bool
}

func newDriver() *driver {
	return &driver{tasks: map[string]*task{}, subs: map[chan *driverpb.DriverTaskEvent]bool{}}
}

var taskConfigType = cty.Object(map[string]cty.Type{"command": cty.String, "args": cty.List(cty.String)})

func (d *driver) TaskConfigSchema(context.Context, *driverpb.TaskConfigSchemaRequest) (*driverpb.TaskConfigSchemaResponse, error) {
	if fault("bad-task-schema") {
		return &driverpb.TaskConfigSchemaResponse{Spec: &hclspecpb.Spec{Block: &hclspecpb.Spec_Attr{Attr: &hclspecpb.Attr{Name: "command", Type: "no-such-type("}}}}, nil
	}
	return &driverpb.TaskConfigSchemaResponse{Spec: &hclspecpb.Spec{Block: &hclspecpb.Spec_Object{Object: &hclspecpb.Object{
		Attributes: map[string]*hclspecpb.Spec{"command": attr("command", "string", true), "args": attr("args", "list(string)", false)},
	}}}}, nil
}

func (d *driver) Capabilities(context.Context, *driverpb.CapabilitiesRequest) (*driverpb.CapabilitiesResponse, error) {
	return &driverpb.CapabilitiesResponse{Capabilities: &driverpb.DriverCapabilities{
		SendSignals: !fault("caps-hide-signals") && !fault("without-signals-exec"),
		Exec:        !fault("caps-hide-exec") && !fault("without-signals-exec"),
		FsIsolation: driverpb.DriverCapabilities_NONE}}, nil
}

func (d *driver) Fingerprint(_ *driverpb.FingerprintRequest, s grpc.ServerStreamingServer[driverpb.FingerprintResponse]) error {
	if fault("slow-fingerprint") {
		time.Sleep(7 * time.Second)
	}
	health := driverpb.FingerprintResponse_HEALTHY
	if fault("unhealthy") {
		health = driverpb.FingerprintResponse_UNHEALTHY
	}
	if err := s.Send(&driverpb.FingerprintResponse{Health: health, HealthDescription: "healthy",
		Attributes: map[string]*structspb.Attribute{"driver.fake.version": {Value: &structspb.Attribute_StringVal{StringVal: "0.1.0"}}}}); err != nil {
		return err
	}
	if fault("fingerprint-once") {
		return nil
	}
	<-s.Context().Done()
	return nil
}

func (d *driver) publish(ev *driverpb.DriverTaskEvent) {
	d.mu.Lock()
	defer d.mu.Unlock()
	for ch := range d.subs {
		select {
		case ch <- ev:
		default:
		}
	}
}

func (d *driver) TaskEvents(_ *driverpb.TaskEventsRequest, s grpc.ServerStreamingServer[driverpb.DriverTaskEvent]) error {
	if fault("events-close") {
		return nil
	}
	ch := make(chan *driverpb.DriverTaskEvent, 64)
	d.mu.Lock()
	d.subs[ch] = true
	d.mu.Unlock()
	defer func() {
		d.mu.Lock()
		delete(d.subs, ch)
		d.mu.Unlock()
	}()
	for {
		select {
		case <-s.Context().Done():
			return nil
		case ev := <-ch:
			if err := s.Send(ev); err != nil {
				return err
			}
		}
	}
}

var unsafeID = regexp.MustCompile(`[^A-Za-z0-9_.-]`)

func (d *driver) StartTask(_ context.Context, r *driverpb.StartTaskRequest) (*driverpb.StartTaskResponse, error) {
	cfg := r.GetTask()
	v, err := ctymsgpack.Unmarshal(cfg.GetMsgpackDriverConfig(), taskConfigType)
	if err != nil {
		return nil, fmt.Errorf("task config: expected msgpack of object({command=string,args=list(string)}), got: %v", err)
	}
	cmdv := v.GetAttr("command")
	if cmdv.IsNull() || cmdv.AsString() == "" {
		if fault("vague-config-error") {
			return nil, errors.New("invalid task")
		}
		return nil, errors.New(`config.command: expected a non-empty command, got ""`)
	}
	argv := []string{cmdv.AsString()}
	if a := v.GetAttr("args"); !a.IsNull() {
		for _, x := range a.AsValueSlice() {
			argv = append(argv, x.AsString())
		}
	}
	d.mu.Lock()
	if _, dup := d.tasks[cfg.GetId()]; dup && !fault("duplicate-ok") {
		d.mu.Unlock()
		return nil, fmt.Errorf("task with id %q already started", cfg.GetId())
	}
	d.mu.Unlock()
	dir := cfg.GetAllocDir()
	if dir == "" {
		dir = os.TempDir()
	}
	stderrPath := cfg.GetStderrPath()
	if fault("no-stderr") {
		stderrPath = os.DevNull
	}
	env := os.Environ()
	for k, val := range cfg.GetEnv() {
		if fault("env-trim") {
			val = strings.TrimSpace(val)
		}
		env = append(env, k+"="+val)
	}
	for k, val := range cfg.GetDeviceEnv() {
		env = append(env, k+"="+val)
	}
	var st taskState
	var sup *supervise.Task
	var cmd *exec.Cmd
	if fault("leave-children") {
		// The fault: no supervisor at all, so nothing kills what the task
		// leaves behind when its main process exits.
		if cmd, err = startUnsupervised(argv, env, cfg.GetStdoutPath(), stderrPath); err != nil {
			return nil, err
		}
		st = taskState{TaskPid: cmd.Process.Pid, Started: time.Now()}
	} else {
		sup, err = supervise.Start(context.Background(), supervise.Spec{TaskID: cfg.GetId(), Command: argv[0], Args: argv[1:],
			Env: env, WorkingDir: cfg.GetAllocDir(), StdoutPath: cfg.GetStdoutPath(), StderrPath: stderrPath},
			stateDir(dir, cfg.GetId()))
		if err != nil {
			return nil, err
		}
		st = taskState{Handle: sup.Handle(), TaskPid: sup.PID(), Started: sup.StartedAt()}
	}
	pid := st.TaskPid
	t := d.track(cfg.GetId(), cfg.GetName(), cfg.GetAllocId(), st, sup)
	if cmd != nil {
		go func() {
			_ = cmd.Wait()
			ws := cmd.ProcessState.Sys().(syscall.WaitStatus)
			res := &supervise.ExitResult{ExitCode: ws.ExitStatus(), CompletedAt: time.Now()}
			if ws.Signaled() {
				res.Signal = int(ws.Signal())
				res.ExitCode = 128 + res.Signal
			}
			t.finish(d, res, nil)
		}()
	}
	logf("info", "started task %s pid %d", cfg.GetId(), pid)
	if fault("crashy-logs-late") {
		fmt.Fprintf(os.Stderr, "{\"@level\":\"info\",\"@message\":\"task started\",\"@timestamp\":%d}\n", time.Now().Unix())
	}
	ds, _ := json.Marshal(st)
	d.publish(&driverpb.DriverTaskEvent{TaskId: t.id, AllocId: t.allocID, TaskName: t.name, Timestamp: timestamppb.Now(), Message: "task started"})
	return &driverpb.StartTaskResponse{Handle: &driverpb.TaskHandle{Version: 1, Config: cfg, State: driverpb.TaskState_RUNNING, DriverState: ds}}, nil
}

func (d *driver) track(id, name, allocID string, st taskState, sup *supervise.Task) *task {
	t := &task{id: id, name: name, allocID: allocID, st: st, sup: sup, done: make(chan struct{})}
	d.mu.Lock()
	d.tasks[id] = t
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

func (d *driver) RecoverTask(ctx context.Context, r *driverpb.RecoverTaskRequest) (*driverpb.RecoverTaskResponse, error) {
	h := r.GetHandle()
	if fault("recover-anything") {
		return &driverpb.RecoverTaskResponse{}, nil
	}
	// Nomad sends only the handle (plugins/drivers/client.go builds
	// RecoverTaskRequest{Handle: ...}): the task id is the handle's.
	id := r.GetTaskId()
	if id == "" {
		if fault("recover-needs-task-id") {
			return nil, errors.New(`task_id: expected a non-empty task id, got ""`)
		}
		id = h.GetConfig().GetId()
	}
	d.mu.Lock()
	_, known := d.tasks[id]
	d.mu.Unlock()
	if known {
		return &driverpb.RecoverTaskResponse{}, nil
	}
	var st taskState
	if err := json.Unmarshal(h.GetDriverState(), &st); err != nil || len(st.Handle) == 0 {
		return nil, fmt.Errorf("handle.driver_state: expected the fake driver's JSON state, got %q", h.GetDriverState())
	}
	sup, err := supervise.Reattach(st.Handle)
	if err != nil {
		return nil, fmt.Errorf("task %s no longer exists: %v", id, err)
	}
	if fault("recover-needs-config") && len(h.GetConfig().GetMsgpackDriverConfig()) == 0 {
		// Refuse, but do not leave the task running unmanaged: Nomad then
		// starts it again, and nothing would stop the old copy.
		_ = sup.Destroy(ctx)
		return nil, errors.New("handle.config.msgpack_driver_config: expected the task config, got nothing")
	}
	if fault("recover-restarts") {
		_ = sup.Destroy(ctx)
		if _, err := d.StartTask(ctx, &driverpb.StartTaskRequest{Task: h.GetConfig()}); err != nil {
			return nil, err
		}
		return &driverpb.RecoverTaskResponse{}, nil
	}
	t := d.track(id, h.GetConfig().GetName(), h.GetConfig().GetAllocId(), st, sup)
	if fault("recover-made-up-exit") {
		t.mu.Lock()
		t.madeUp = true
		t.mu.Unlock()
	}
	return &driverpb.RecoverTaskResponse{}, nil
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

func (d *driver) WaitTask(ctx context.Context, r *driverpb.WaitTaskRequest) (*driverpb.WaitTaskResponse, error) {
	t, err := d.get(r.GetTaskId())
	if err != nil {
		return nil, err
	}
	t.mu.Lock()
	madeUp := t.madeUp
	t.waiting++
	busy := t.waiting > 1
	t.mu.Unlock()
	defer func() {
		t.mu.Lock()
		t.waiting--
		t.mu.Unlock()
	}()
	if madeUp {
		return &driverpb.WaitTaskResponse{Result: &driverpb.ExitResult{}}, nil
	}
	if busy && fault("wait-single") {
		return nil, errors.New("task is already being waited on")
	}
	select {
	case <-t.done:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if fault("wait-once") && t.waited {
		return nil, errors.New("task already waited on")
	}
	t.waited = true
	if fault("exit-zero") {
		return &driverpb.WaitTaskResponse{Result: &driverpb.ExitResult{}}, nil
	}
	if t.waitErr != nil {
		return &driverpb.WaitTaskResponse{Result: t.result, Err: t.waitErr.Error()}, nil
	}
	return &driverpb.WaitTaskResponse{Result: t.result}, nil
}

var signals = map[string]syscall.Signal{"SIGTERM": syscall.SIGTERM, "SIGINT": syscall.SIGINT, "SIGKILL": syscall.SIGKILL,
	"SIGUSR1": syscall.SIGUSR1, "SIGUSR2": syscall.SIGUSR2, "SIGHUP": syscall.SIGHUP, "SIGQUIT": syscall.SIGQUIT}

func parseSignal(s string) (syscall.Signal, error) {
	if s == "" {
		return syscall.SIGTERM, nil
	}
	if sig, ok := signals[strings.ToUpper(s)]; ok {
		return sig, nil
	}
	return 0, fmt.Errorf("signal: expected a name like SIGTERM, got %q", s)
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
			_ = syscall.Kill(-t.st.TaskPid, syscall.SIGKILL)
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
			_ = syscall.Kill(-t.st.TaskPid, syscall.SIGKILL)
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

func (d *driver) InspectTask(_ context.Context, r *driverpb.InspectTaskRequest) (*driverpb.InspectTaskResponse, error) {
	t, err := d.get(r.GetTaskId())
	if err != nil {
		return nil, err
	}
	// completed_at of a running task is Go's zero time, as Nomad sends it
	// (plugins/drivers/utils.go taskStatusToProto): its client fails on none.
	// result too, empty while running, as Nomad's server sends it: its client
	// dereferences it (utils.go exitResultToProto/exitResultFromProto).
	ts := &driverpb.TaskStatus{Id: t.id, Name: t.name, State: driverpb.TaskState_RUNNING, StartedAt: timestamppb.New(t.st.Started),
		CompletedAt: timestamppb.New(time.Time{}), Result: &driverpb.ExitResult{}}
	if fault("inspect-no-result") {
		ts.Result = nil
	}
	if !t.running() {
		t.mu.Lock()
		ts.State, ts.Result, ts.CompletedAt = driverpb.TaskState_EXITED, t.result, timestamppb.New(t.completed)
		t.mu.Unlock()
	}
	return &driverpb.InspectTaskResponse{Task: ts, Driver: &driverpb.TaskDriverStatus{}}, nil
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

// signal sends sig to the task's main process.
func (t *task) signal(sig syscall.Signal) error {
	if t.sup != nil {
		return t.sup.Signal(sig)
	}
	return syscall.Kill(t.st.TaskPid, sig)
}

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
