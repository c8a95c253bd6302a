package main

// The driver service's schema, capabilities, fingerprint and events, and
// the RPCs that create tasks: StartTask and RecoverTask.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
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

type driver struct {
	driverpb.UnimplementedDriverServer
	base  *base
	mu    sync.Mutex
	tasks map[string]*task
	subs  map[chan *driverpb.DriverTaskEvent]bool
	// fpStreams counts Fingerprint calls (fingerprint-fails).
	fpStreams atomic.Int32
}

func newDriver(b *base) *driver {
	return &driver{base: b, tasks: map[string]*task{}, subs: map[chan *driverpb.DriverTaskEvent]bool{}}
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
		FsIsolation: fsIsolation()}}, nil
}

func fsIsolation() driverpb.DriverCapabilities_FSIsolation {
	if fault("nomad-unknown-enum") {
		return 9 // no such FSIsolation
	}
	return driverpb.DriverCapabilities_NONE
}

func stringAttr(s string) *structspb.Attribute {
	return &structspb.Attribute{Value: &structspb.Attribute_StringVal{StringVal: s}}
}

func (d *driver) Fingerprint(_ *driverpb.FingerprintRequest, s grpc.ServerStreamingServer[driverpb.FingerprintResponse]) error {
	if fault("fingerprint-fails") {
		if d.fpStreams.Add(1) > 1 {
			<-s.Context().Done()
			return nil
		}
		_ = s.Send(&driverpb.FingerprintResponse{Health: driverpb.FingerprintResponse_HEALTHY, HealthDescription: "ok"})
		_ = s.Send(&driverpb.FingerprintResponse{Health: driverpb.FingerprintResponse_HEALTHY, Err: "probe broke"})
		return errors.New("fingerprint source went away")
	}
	if fault("slow-fingerprint") {
		time.Sleep(7 * time.Second)
	}
	health := driverpb.FingerprintResponse_HEALTHY
	if fault("unhealthy") {
		health = driverpb.FingerprintResponse_UNHEALTHY
	}
	if fault("nomad-unknown-health") {
		health = 7 // no such HealthState
	}
	cfg := d.base.config()
	prefix := "driver." + pluginName + "."
	if err := s.Send(&driverpb.FingerprintResponse{Health: health, HealthDescription: "healthy",
		Attributes: map[string]*structspb.Attribute{prefix + "version": stringAttr("0.1.0"), prefix + "greeting": stringAttr(cfg.greeting),
			prefix + "label": stringAttr(cfg.label), prefix + "agent_compute": stringAttr(cfg.compute)}}); err != nil {
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

func (d *driver) StartTask(ctx context.Context, r *driverpb.StartTaskRequest) (*driverpb.StartTaskResponse, error) {
	if delay := d.base.config().startDelay; delay > 0 {
		time.Sleep(delay) // on purpose deaf to ctx: a hung driver
	}
	cfg := r.GetTask()
	d.mu.Lock()
	if _, dup := d.tasks[cfg.GetId()]; dup && !fault("duplicate-ok") {
		d.mu.Unlock()
		return nil, fmt.Errorf("task with id %q already started", cfg.GetId())
	}
	d.mu.Unlock()
	switch cfg.GetEnv()["FAIL_RESULT"] {
	case "RETRY":
		return &driverpb.StartTaskResponse{Result: driverpb.StartTaskResponse_RETRY, DriverErrorMsg: "image not pulled yet"}, nil
	case "FATAL":
		return &driverpb.StartTaskResponse{Result: driverpb.StartTaskResponse_FATAL, DriverErrorMsg: "no such image"}, nil
	}
	if cfg.GetEnv()["FAIL_RECOVERABLE"] != "" {
		st, _ := status.New(codes.FailedPrecondition, "try again").WithDetails(&structspb.RecoverableError{Recoverable: true})
		return nil, st.Err()
	}
	if ms, ok := cfg.GetEnv()["RUN_MS"]; ok {
		return d.startTimer(cfg, ms)
	}
	argv, err := taskArgv(cfg.GetMsgpackDriverConfig())
	if err != nil {
		return nil, err
	}
	workDir, stateBase := taskDirs(cfg)
	stderrPath := cfg.GetStderrPath()
	if fault("no-stderr") {
		stderrPath = os.DevNull
	}
	env := taskEnv(cfg)
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
		sup, err = supervise.Start(ctx, supervise.Spec{TaskID: cfg.GetId(), Command: argv[0], Args: argv[1:],
			Env: env, WorkingDir: workDir, StdoutPath: cfg.GetStdoutPath(), StderrPath: stderrPath},
			stateDir(stateBase, cfg.GetId()))
		if err != nil {
			return nil, err
		}
		st = taskState{Handle: sup.Handle(), TaskPid: sup.PID(), Started: sup.StartedAt()}
	}
	t := d.track(cfg, st, sup)
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
	logf("info", "started task %s pid %d", cfg.GetId(), st.TaskPid)
	return d.started(t, cfg), nil
}

// started publishes a started task's event and makes its reply.
func (d *driver) started(t *task, cfg *driverpb.TaskConfig) *driverpb.StartTaskResponse {
	if fault("crashy-logs-late") {
		fmt.Fprintf(os.Stderr, "{\"@level\":\"info\",\"@message\":\"task started\",\"@timestamp\":%d}\n", time.Now().Unix())
	}
	ds, _ := json.Marshal(t.st)
	d.publish(&driverpb.DriverTaskEvent{TaskId: t.id, AllocId: t.allocID, TaskName: t.name, Timestamp: timestamppb.Now(), Message: "task started"})
	return &driverpb.StartTaskResponse{Handle: &driverpb.TaskHandle{Version: 1, Config: cfg, State: driverpb.TaskState_RUNNING, DriverState: ds}}
}

// taskArgv decodes the task config { command, args } into an argv.
func taskArgv(raw []byte) ([]string, error) {
	v, err := ctymsgpack.Unmarshal(raw, taskConfigType)
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
	return argv, nil
}

// taskEnv is the plugin's environment, the task's env and device env, and
// FAKEPLUGIN_MOUNTS / FAKEPLUGIN_DEVICES showing what the task was given
// (this driver isolates nothing).
func taskEnv(cfg *driverpb.TaskConfig) []string {
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
	var mounts, devs []string
	for _, m := range cfg.GetMounts() {
		mounts = append(mounts, fmt.Sprintf("%s:%s:%v", m.GetTaskPath(), m.GetHostPath(), m.GetReadonly()))
	}
	for _, dv := range cfg.GetDevices() {
		devs = append(devs, fmt.Sprintf("%s:%s:%s", dv.GetTaskPath(), dv.GetHostPath(), dv.GetCgroupPermissions()))
	}
	sort.Strings(mounts)
	sort.Strings(devs)
	return append(env, "FAKEPLUGIN_MOUNTS="+strings.Join(mounts, ","), "FAKEPLUGIN_DEVICES="+strings.Join(devs, ","))
}

// taskDirs are a task's working directory and the directory its
// supervision state goes in. Nomad's layout: the task's own directory
// <alloc_dir>/<task name> is its working directory (client/allocdir), and
// drivers keep their state in its private/ directory; without it, alloc_dir
// (or TMPDIR) holds both.
func taskDirs(cfg *driverpb.TaskConfig) (workDir, stateBase string) {
	dir := cfg.GetAllocDir()
	workDir = dir
	if dir == "" {
		dir = os.TempDir()
	}
	stateBase = dir
	if td := filepath.Join(dir, cfg.GetName()); cfg.GetName() != "" && isDir(td) {
		workDir = td
		if isDir(filepath.Join(td, "private")) {
			stateBase = filepath.Join(td, "private")
		}
	}
	return workDir, stateBase
}

func isDir(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.IsDir()
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
	if err := json.Unmarshal(h.GetDriverState(), &st); err != nil || (len(st.Handle) == 0 && !st.Timer) {
		return nil, fmt.Errorf("handle.driver_state: expected the fake driver's JSON state, got %q", h.GetDriverState())
	}
	if st.Timer {
		d.trackTimer(h.GetConfig(), id, st)
		return &driverpb.RecoverTaskResponse{}, nil
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
	cfg := h.GetConfig()
	if cfg == nil || cfg.GetId() != id {
		cfg = &driverpb.TaskConfig{Id: id, Name: h.GetConfig().GetName(), AllocId: h.GetConfig().GetAllocId(), Env: h.GetConfig().GetEnv()}
	}
	t := d.track(cfg, st, sup)
	if fault("recover-made-up-exit") {
		t.mu.Lock()
		t.madeUp = true
		t.mu.Unlock()
	}
	return &driverpb.RecoverTaskResponse{}, nil
}

// runMS parses RUN_MS / EXIT_CODE of a timer task.
func runMS(cfg *driverpb.TaskConfig, ms string) (int, int, error) {
	n, err := strconv.Atoi(ms)
	if err != nil || n < 0 {
		return 0, 0, fmt.Errorf("env.RUN_MS: expected milliseconds, got %q", ms)
	}
	code := 0
	if c, ok := cfg.GetEnv()["EXIT_CODE"]; ok {
		if code, err = strconv.Atoi(c); err != nil {
			return 0, 0, fmt.Errorf("env.EXIT_CODE: expected an exit code, got %q", c)
		}
	}
	return n, code, nil
}
