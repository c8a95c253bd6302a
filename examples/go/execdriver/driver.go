package execdriver

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/yurt-sdk/yurt/go/hclspec"
	"github.com/yurt-sdk/yurt/go/plugin/base"
	"github.com/yurt-sdk/yurt/go/plugin/driver"
)

// Name is the driver name jobs use: `driver = "yurt-exec"`.
const Name = "yurt-exec"

// Version of this example plugin.
const Version = "0.1.0"

// handleVersion is the TaskHandle format version.
const handleVersion = 1

var configSpec = hclspec.Object(hclspec.Attrs{
	// Signal sent by StopTask when the host names none.
	"default_stop_signal": hclspec.Default(hclspec.Attr("default_stop_signal", "string", false), hclspec.LiteralString("SIGTERM")),
	// How long StartTask waits for the supervisor to start the task (the
	// supervisor blocks until someone reads the stdout/stderr FIFOs).
	"start_timeout": hclspec.Default(hclspec.Attr("start_timeout", "string", false), hclspec.LiteralString("10s")),
})

type pluginConfig struct {
	DefaultStopSignal string `cty:"default_stop_signal"`
	StartTimeout      string `cty:"start_timeout"`
}

var taskSpecSchema = hclspec.Object(hclspec.Attrs{
	"command": hclspec.Attr("command", "string", true),
	"args":    hclspec.Default(hclspec.Attr("args", "list(string)", false), hclspec.Literal("[]")),
})

type taskConfig struct {
	Command string   `cty:"command"`
	Args    []string `cty:"args"`
}

// Driver is the yurt-exec driver.
type Driver struct {
	logger hclog.Logger
	// self is the binary re-executed as supervisor.
	self string

	mu           sync.Mutex
	stopSignal   syscall.Signal
	startTimeout time.Duration
	tasks        map[string]*task
	events       *broadcaster
}

type task struct {
	id    string
	name  string
	alloc string
	state driverState
}

// New returns the driver; self is the path of the plugin binary.
func New(logger hclog.Logger, self string) *Driver {
	return &Driver{logger: logger, self: self, stopSignal: syscall.SIGTERM, startTimeout: 10 * time.Second,
		tasks: map[string]*task{}, events: newBroadcaster()}
}

func (d *Driver) PluginInfo(context.Context) (*base.PluginInfo, error) {
	return &base.PluginInfo{Type: base.PluginTypeDriver, APIVersions: []string{base.APIVersion010}, Version: Version, Name: Name}, nil
}

func (d *Driver) ConfigSchema(context.Context) (*hclspec.Spec, error) { return configSpec, nil }

func (d *Driver) SetConfig(_ context.Context, c *base.Config) error {
	if len(c.MsgpackConfig) == 0 {
		return nil // defaults
	}
	var pc pluginConfig
	if err := base.DecodeConfig(c.MsgpackConfig, configSpec, &pc); err != nil {
		return err
	}
	sig, err := parseSignal(pc.DefaultStopSignal)
	if err != nil {
		return fmt.Errorf("config.default_stop_signal: %w", err)
	}
	timeout, err := time.ParseDuration(pc.StartTimeout)
	if err != nil || timeout <= 0 {
		return fmt.Errorf("config.start_timeout: expected a positive duration such as \"10s\", got %q", pc.StartTimeout)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.stopSignal, d.startTimeout = sig, timeout
	return nil
}

func (d *Driver) TaskConfigSchema(context.Context) (*hclspec.Spec, error) { return taskSpecSchema, nil }

func (d *Driver) Capabilities(context.Context) (*driver.Capabilities, error) {
	return &driver.Capabilities{SendSignals: true, Exec: true, FSIsolation: driver.FSIsolationNone,
		NetIsolationModes: []driver.NetIsolationMode{driver.NetIsolationHost}, MountConfigs: driver.MountConfigsNone}, nil
}

func (d *Driver) Fingerprint(ctx context.Context) (<-chan *driver.Fingerprint, error) {
	ch := make(chan *driver.Fingerprint, 1)
	fp := &driver.Fingerprint{Health: driver.HealthStateHealthy, HealthDescription: "ready",
		Attributes: map[string]*base.Attribute{"driver.yurt-exec.version": base.NewStringAttribute(Version)}}
	if _, err := os.Stat(d.self); err != nil {
		fp.Health, fp.HealthDescription = driver.HealthStateUnhealthy, fmt.Sprintf("supervisor binary unavailable: %v", err)
	}
	ch <- fp
	// Nothing this driver depends on changes at run time: keep the stream
	// open without further messages until the host goes away.
	go func() { <-ctx.Done(); close(ch) }()
	return ch, nil
}

var unsafeChars = regexp.MustCompile(`[^A-Za-z0-9._-]`)

// dirs picks the task directory (the task's own directory in the alloc dir
// when there is one) and the state directory inside it.
func dirs(cfg *driver.TaskConfig) (taskDir, stateDir string) {
	id := unsafeChars.ReplaceAllString(cfg.ID, "_")
	if cfg.AllocDir != "" {
		name := unsafeChars.ReplaceAllString(cfg.Name, "_")
		if name == "" {
			name = id
		}
		taskDir = filepath.Join(cfg.AllocDir, name)
	} else {
		taskDir = filepath.Join(os.TempDir(), "yurt-exec", id)
	}
	return taskDir, filepath.Join(taskDir, ".yurt-exec-"+id)
}

func (d *Driver) StartTask(ctx context.Context, cfg *driver.TaskConfig) (*driver.TaskHandle, *driver.NetworkOverride, error) {
	if cfg.ID == "" {
		return nil, nil, errors.New("StartTask: task id is empty")
	}
	var tc taskConfig
	if err := cfg.DecodeDriverConfig(taskSpecSchema, &tc); err != nil {
		return nil, nil, err
	}
	if strings.TrimSpace(tc.Command) == "" {
		return nil, nil, fmt.Errorf("task %q: config.command is empty, expected a program to run", cfg.ID)
	}
	d.mu.Lock()
	if _, ok := d.tasks[cfg.ID]; ok {
		d.mu.Unlock()
		return nil, nil, fmt.Errorf("task %q is already started", cfg.ID)
	}
	timeout := d.startTimeout
	d.mu.Unlock()

	taskDir, stateDir := dirs(cfg)
	if err := os.MkdirAll(stateDir, 0o700); err != nil {
		return nil, nil, fmt.Errorf("task %q: creating state dir: %w", cfg.ID, err)
	}
	if err := chownForUser(taskDir, cfg.User); err != nil {
		return nil, nil, fmt.Errorf("task %q: %w", cfg.ID, err)
	}
	// A previous attempt with the same ID may have left records behind.
	for _, f := range []string{pidFile, exitFile, errorFile} {
		_ = os.Remove(filepath.Join(stateDir, f))
	}
	spec := taskSpec{Command: tc.Command, Args: tc.Args, Env: taskEnv(cfg), Dir: taskDir, User: cfg.User,
		StdoutPath: cfg.StdoutPath, StderrPath: cfg.StderrPath}
	if err := writeJSON(stateDir, specFile, spec); err != nil {
		return nil, nil, fmt.Errorf("task %q: writing spec: %w", cfg.ID, err)
	}
	log, err := os.OpenFile(filepath.Join(stateDir, logFile), os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return nil, nil, fmt.Errorf("task %q: %w", cfg.ID, err)
	}
	sup := exec.Command(d.self, SuperviseArg, stateDir)
	sup.Stderr = log
	sup.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	err = sup.Start()
	_ = log.Close()
	if err != nil {
		return nil, nil, fmt.Errorf("task %q: starting supervisor: %w", cfg.ID, err)
	}
	// Reap the supervisor while we live; after our death init does.
	go func() { _ = sup.Wait() }()

	pid, err := waitStarted(ctx, stateDir, timeout)
	if err != nil {
		_ = sup.Process.Kill()
		return nil, nil, fmt.Errorf("task %q: %w", cfg.ID, err)
	}
	st := driverState{StateDir: stateDir, TaskDir: taskDir, PID: pid.PID, StartedAt: pid.StartedAt,
		Command: tc.Command, Args: tc.Args, Env: spec.Env, User: cfg.User}
	h := &driver.TaskHandle{Version: handleVersion, Config: cfg, State: driver.TaskStateRunning}
	if err := h.SetDriverState(st); err != nil {
		return nil, nil, err
	}
	d.mu.Lock()
	d.tasks[cfg.ID] = &task{id: cfg.ID, name: cfg.Name, alloc: cfg.AllocID, state: st}
	d.mu.Unlock()
	d.events.publish(&driver.TaskEvent{TaskID: cfg.ID, AllocID: cfg.AllocID, TaskName: cfg.Name, Timestamp: time.Now(),
		Message: fmt.Sprintf("started %s (pid %d)", tc.Command, pid.PID), Annotations: map[string]string{"pid": fmt.Sprint(pid.PID)}})
	return h, nil, nil
}

func taskEnv(cfg *driver.TaskConfig) []string {
	merged := map[string]string{}
	for k, v := range cfg.Env {
		merged[k] = v
	}
	for k, v := range cfg.DeviceEnv {
		merged[k] = v
	}
	if _, ok := merged["PATH"]; !ok {
		merged["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
	}
	env := make([]string, 0, len(merged))
	for k, v := range merged {
		env = append(env, k+"="+v)
	}
	sort.Strings(env)
	return env
}

// waitStarted waits for the supervisor to record the task's PID, or its
// failure to start it.
func waitStarted(ctx context.Context, stateDir string, timeout time.Duration) (*pidRecord, error) {
	deadline := time.Now().Add(timeout)
	for {
		var rec pidRecord
		if err := readJSON(stateDir, pidFile, &rec); err == nil {
			return &rec, nil
		}
		if b, err := os.ReadFile(filepath.Join(stateDir, errorFile)); err == nil {
			return nil, fmt.Errorf("supervisor could not start the task: %s", b)
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("task did not start within %s (is anything reading stdout_path and stderr_path?)", timeout)
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}

func (d *Driver) RecoverTask(_ context.Context, h *driver.TaskHandle) error {
	id := h.Config.ID
	d.mu.Lock()
	_, known := d.tasks[id]
	d.mu.Unlock()
	if known {
		return nil
	}
	var st driverState
	if err := h.GetDriverState(&st); err != nil {
		return fmt.Errorf("recovering task %q: %w", id, err)
	}
	if st.StateDir == "" || st.PID <= 0 {
		return fmt.Errorf("recovering task %q: driver state lacks state_dir or pid", id)
	}
	var rec pidRecord
	if err := readJSON(st.StateDir, pidFile, &rec); err != nil {
		return fmt.Errorf("recovering task %q: %w", id, err)
	}
	if rec.PID != st.PID {
		return fmt.Errorf("recovering task %q: state dir records pid %d, handle says %d", id, rec.PID, st.PID)
	}
	// A task whose supervisor vanished without an exit record cannot
	// report a real exit code: refuse rather than guess.
	if !exists(st.StateDir, exitFile) && !alive(st.PID) {
		return fmt.Errorf("recovering task %q: pid %d is gone and no exit status was recorded", id, st.PID)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, ok := d.tasks[id]; !ok {
		d.tasks[id] = &task{id: id, name: h.Config.Name, alloc: h.Config.AllocID, state: st}
	}
	return nil
}

func alive(pid int) bool {
	return syscall.Kill(pid, 0) == nil || errors.Is(syscall.Kill(pid, 0), syscall.EPERM)
}

func (d *Driver) get(id string) (*task, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	t, ok := d.tasks[id]
	if !ok {
		return nil, driver.ErrTaskNotFound
	}
	return t, nil
}

func (t *task) exit() (*exitRecord, bool) {
	var rec exitRecord
	if err := readJSON(t.state.StateDir, exitFile, &rec); err != nil {
		return nil, false
	}
	return &rec, true
}

func (d *Driver) WaitTask(ctx context.Context, id string) (*driver.ExitResult, error) {
	t, err := d.get(id)
	if err != nil {
		return nil, err
	}
	for {
		if rec, ok := t.exit(); ok {
			return &driver.ExitResult{ExitCode: rec.ExitCode, Signal: rec.Signal}, nil
		}
		if !alive(t.state.PID) && !exists(t.state.StateDir, exitFile) {
			// The supervisor writes the record right after the task ends;
			// give it a moment before calling it lost.
			time.Sleep(200 * time.Millisecond)
			if _, ok := t.exit(); !ok && !supervisorAlive(t.state.StateDir) {
				return &driver.ExitResult{ExitCode: -1, Err: fmt.Errorf("task %q: pid %d ended but its supervisor recorded no exit status", id, t.state.PID)}, nil
			}
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// supervisorAlive looks for a process whose command line is this task's
// supervisor.
func supervisorAlive(stateDir string) bool {
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		if err != nil {
			continue
		}
		parts := strings.Split(strings.TrimRight(string(b), "\x00"), "\x00")
		if len(parts) == 3 && parts[1] == SuperviseArg && parts[2] == stateDir {
			return true
		}
	}
	return false
}

func (d *Driver) StopTask(ctx context.Context, id string, timeout time.Duration, signal string) error {
	t, err := d.get(id)
	if err != nil {
		return err
	}
	d.mu.Lock()
	sig := d.stopSignal
	d.mu.Unlock()
	if signal != "" {
		if sig, err = parseSignal(signal); err != nil {
			return fmt.Errorf("StopTask %q: %w", id, err)
		}
	}
	if _, done := t.exit(); done {
		return nil
	}
	_ = syscall.Kill(-t.state.PID, sig)
	if waitExit(ctx, t, timeout) {
		return nil
	}
	_ = syscall.Kill(-t.state.PID, syscall.SIGKILL)
	if !waitExit(ctx, t, 5*time.Second) {
		return fmt.Errorf("StopTask %q: task did not exit after SIGKILL", id)
	}
	return nil
}

func waitExit(ctx context.Context, t *task, timeout time.Duration) bool {
	deadline := time.Now().Add(timeout)
	for {
		if _, ok := t.exit(); ok {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		select {
		case <-ctx.Done():
			return false
		case <-time.After(20 * time.Millisecond):
		}
	}
}

func (d *Driver) DestroyTask(ctx context.Context, id string, force bool) error {
	t, err := d.get(id)
	if err != nil {
		return err
	}
	if _, done := t.exit(); !done {
		if !force {
			return fmt.Errorf("cannot destroy running task %q (use force)", id)
		}
		if err := d.StopTask(ctx, id, 0, "SIGKILL"); err != nil {
			return err
		}
	}
	if err := os.RemoveAll(t.state.StateDir); err != nil {
		return fmt.Errorf("DestroyTask %q: removing state: %w", id, err)
	}
	d.mu.Lock()
	delete(d.tasks, id)
	d.mu.Unlock()
	return nil
}

func (d *Driver) InspectTask(_ context.Context, id string) (*driver.TaskStatus, error) {
	t, err := d.get(id)
	if err != nil {
		return nil, err
	}
	st := &driver.TaskStatus{ID: id, Name: t.name, State: driver.TaskStateRunning, StartedAt: t.state.StartedAt,
		DriverAttributes: map[string]string{"pid": fmt.Sprint(t.state.PID), "state_dir": t.state.StateDir}}
	if rec, ok := t.exit(); ok {
		st.State, st.CompletedAt = driver.TaskStateExited, rec.CompletedAt
		st.ExitResult = &driver.ExitResult{ExitCode: rec.ExitCode, Signal: rec.Signal}
	}
	return st, nil
}

func (d *Driver) SignalTask(_ context.Context, id, signal string) error {
	t, err := d.get(id)
	if err != nil {
		return err
	}
	sig, err := parseSignal(signal)
	if err != nil {
		return fmt.Errorf("SignalTask %q: %w", id, err)
	}
	if _, done := t.exit(); done {
		return fmt.Errorf("SignalTask %q: task has exited", id)
	}
	if err := syscall.Kill(t.state.PID, sig); err != nil {
		return fmt.Errorf("SignalTask %q: %w", id, err)
	}
	return nil
}

func (d *Driver) TaskEvents(ctx context.Context) (<-chan *driver.TaskEvent, error) {
	return d.events.subscribe(ctx), nil
}
