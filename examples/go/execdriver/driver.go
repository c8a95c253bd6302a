// Package execdriver is yurt-exec, an example Nomad task driver that runs a
// command as a plain process. It is what a driver author's code looks like:
// its configuration, the mapping of Nomad's TaskConfig to a supervision
// spec, and calls into go/plugin/supervise, which runs each task under a
// small supervisor that outlives the plugin (this binary re-executed by
// plugin.ServeDriver), records its real exit status and forwards its output. The
// TaskHandle's driver_state is the layer's Handle, so a fresh plugin process
// recovers a task from the handle alone.
package execdriver

import (
	"context"
	"errors"
	"fmt"
	"os"
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
	"github.com/yurt-sdk/yurt/go/plugin/supervise"
)

// Name is the driver name jobs use: `driver = "yurt-exec"`.
const Name = "yurt-exec"

// Version of this example plugin.
const Version = "0.1.0"

// handleVersion is the TaskHandle format version: 2 since driver_state is
// the supervision layer's Handle.
const handleVersion = 2

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
	driver.Defaults
	logger hclog.Logger

	mu           sync.Mutex
	stopSignal   syscall.Signal
	startTimeout time.Duration
	host         supervise.CPUHost
	tasks        map[string]*task
	events       *broadcaster
}

type task struct {
	sup   *supervise.Task
	name  string
	alloc string
}

// New returns the driver.
func New(logger hclog.Logger) *Driver {
	return &Driver{logger: logger, stopSignal: syscall.SIGTERM, startTimeout: 10 * time.Second,
		tasks: map[string]*task{}, events: newBroadcaster()}
}

func (d *Driver) PluginInfo(context.Context) (*base.PluginInfo, error) {
	return &base.PluginInfo{Type: base.PluginTypeDriver, APIVersions: []string{base.APIVersion010}, Version: Version, Name: Name}, nil
}

func (d *Driver) ConfigSchema(context.Context) (*hclspec.Spec, error) { return configSpec, nil }

func (d *Driver) SetConfig(_ context.Context, c *base.Config) error {
	d.mu.Lock()
	d.host = supervise.HostFromAgent(c.Agent)
	d.mu.Unlock()
	if len(c.MsgpackConfig) == 0 {
		return nil // defaults
	}
	var pc pluginConfig
	if err := base.DecodeConfig(c.MsgpackConfig, configSpec, &pc); err != nil {
		return err
	}
	sig, err := supervise.ParseSignal(pc.DefaultStopSignal)
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
	ch <- &driver.Fingerprint{Health: driver.HealthStateHealthy, HealthDescription: "ready",
		Attributes: map[string]*base.Attribute{
			"driver.yurt-exec.version":     base.NewStringAttribute(Version),
			"driver.yurt-exec.containment": base.NewStringAttribute(supervise.Isolation()),
		}}
	// Nothing this driver depends on changes at run time: keep the stream
	// open without further messages until the host goes away.
	go func() { <-ctx.Done(); close(ch) }()
	return ch, nil
}

var unsafeChars = regexp.MustCompile(`[^A-Za-z0-9._-]`)

// dirs maps the task to its working directory and its state directory.
// Nomad's layout (client/allocdir) gives each task `<alloc_dir>/<task name>`;
// a host that passes the task's own directory as alloc_dir (yurt agent) has
// none, and then alloc_dir is the working directory. The state goes in the
// task directory's private/ (Nomad's TaskPrivate dir).
func dirs(cfg *driver.TaskConfig) (workDir, stateDir string) {
	id := unsafeChars.ReplaceAllString(cfg.ID, "_")
	if cfg.AllocDir == "" {
		return "", filepath.Join(os.TempDir(), "yurt-exec", id)
	}
	workDir = cfg.AllocDir
	if cfg.Name != "" {
		if fi, err := os.Stat(filepath.Join(cfg.AllocDir, cfg.Name)); err == nil && fi.IsDir() {
			workDir = filepath.Join(cfg.AllocDir, cfg.Name)
		}
	}
	return workDir, filepath.Join(workDir, "private", "yurt-exec", id)
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
	_, dup := d.tasks[cfg.ID]
	timeout := d.startTimeout
	d.mu.Unlock()
	if dup {
		return nil, nil, fmt.Errorf("task %q is already started", cfg.ID)
	}
	workDir, stateDir := dirs(cfg)
	spec := supervise.Spec{TaskID: cfg.ID, Command: tc.Command, Args: tc.Args, Env: taskEnv(cfg), WorkingDir: workDir,
		User: cfg.User, StdoutPath: cfg.StdoutPath, StderrPath: cfg.StderrPath, Limits: limits(cfg.Resources)}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	st, err := supervise.Start(ctx, spec, stateDir)
	if err != nil {
		return nil, nil, fmt.Errorf("task %q: %w", cfg.ID, err)
	}
	h := &driver.TaskHandle{Version: handleVersion, Config: cfg, State: driver.TaskStateRunning, DriverState: st.Handle()}
	d.mu.Lock()
	d.tasks[cfg.ID] = &task{sup: st, name: cfg.Name, alloc: cfg.AllocID}
	d.mu.Unlock()
	d.events.publish(&driver.TaskEvent{TaskID: cfg.ID, AllocID: cfg.AllocID, TaskName: cfg.Name, Timestamp: time.Now(),
		Message: fmt.Sprintf("started %s (pid %d)", tc.Command, st.PID()), Annotations: map[string]string{"pid": fmt.Sprint(st.PID())}})
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

func limits(r *driver.Resources) supervise.Limits {
	if r == nil {
		return supervise.Limits{}
	}
	l := supervise.Limits{MemoryBytes: r.MemoryMB << 20, CPUShares: r.CPUShares}
	if r.Linux != nil {
		l.MemoryBytes, l.CPUShares = r.Linux.MemoryLimitBytes, r.Linux.CPUShares
	}
	return l
}

// RecoverTask finds a task again from its handle alone: Nomad sends no task
// ID beside it, and the task config's ID may be missing too.
func (d *Driver) RecoverTask(_ context.Context, h *driver.TaskHandle) error {
	if h == nil || len(h.DriverState) == 0 {
		return errors.New("recovering task: handle has no driver state")
	}
	st, err := supervise.Reattach(h.DriverState)
	if err != nil {
		return fmt.Errorf("recovering task: %w", err)
	}
	id, name, alloc := st.TaskID(), "", ""
	if h.Config != nil {
		name, alloc = h.Config.Name, h.Config.AllocID
		if h.Config.ID != "" {
			id = h.Config.ID
		}
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, ok := d.tasks[id]; !ok {
		d.tasks[id] = &task{sup: st, name: name, alloc: alloc}
	}
	return nil
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

func (d *Driver) WaitTask(ctx context.Context, id string) (*driver.ExitResult, error) {
	t, err := d.get(id)
	if err != nil {
		return nil, err
	}
	res, err := t.sup.Wait(ctx)
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if err != nil {
		// The real result is unknown: say so, never make one up (the SDK
		// answers with exit code -1 beside the error, as Nomad's drivers do).
		return nil, fmt.Errorf("task %q: %w", id, err)
	}
	return res.DriverResult(), nil
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
		if sig, err = supervise.ParseSignal(signal); err != nil {
			return fmt.Errorf("StopTask %q: %w", id, err)
		}
	}
	if err := t.sup.Stop(ctx, sig, timeout); err != nil {
		return fmt.Errorf("StopTask %q: %w", id, err)
	}
	return nil
}

func (d *Driver) DestroyTask(ctx context.Context, id string, force bool) error {
	t, err := d.get(id)
	if err != nil {
		return err
	}
	if _, done, _ := t.sup.Exit(); !done && !force {
		return fmt.Errorf("cannot destroy running task %q (use force)", id)
	}
	if err := t.sup.Destroy(ctx); err != nil {
		return fmt.Errorf("DestroyTask %q: %w", id, err)
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
	st := &driver.TaskStatus{ID: id, Name: t.name, State: driver.TaskStateRunning, StartedAt: t.sup.StartedAt(),
		DriverAttributes: map[string]string{"pid": fmt.Sprint(t.sup.PID()), "state_dir": t.sup.StateDir()}}
	res, done, err := t.sup.Exit()
	switch {
	case err != nil:
		st.State, st.ExitResult = driver.TaskStateUnknown, &driver.ExitResult{Err: err}
	case done:
		st.State, st.CompletedAt, st.ExitResult = driver.TaskStateExited, res.CompletedAt, res.DriverResult()
	}
	return st, nil
}

func (d *Driver) SignalTask(_ context.Context, id, signal string) error {
	t, err := d.get(id)
	if err != nil {
		return err
	}
	sig, err := supervise.ParseSignal(signal)
	if err != nil {
		return fmt.Errorf("SignalTask %q: %w", id, err)
	}
	if err := t.sup.Signal(sig); err != nil {
		return fmt.Errorf("SignalTask %q: %w", id, err)
	}
	return nil
}

func (d *Driver) TaskStats(ctx context.Context, id string, interval time.Duration) (<-chan *driver.TaskStats, error) {
	t, err := d.get(id)
	if err != nil {
		return nil, err
	}
	d.mu.Lock()
	host := d.host
	d.mu.Unlock()
	ch := make(chan *driver.TaskStats)
	go func() {
		defer close(ch)
		tick := time.NewTicker(interval)
		defer tick.Stop()
		var prev *supervise.Stats
		for {
			s, err := t.sup.Stats(prev, host)
			if err != nil {
				return // the task has ended
			}
			prev = s
			select {
			case ch <- s.DriverStats(id):
			case <-ctx.Done():
				return
			}
			select {
			case <-tick.C:
			case <-ctx.Done():
				return
			}
		}
	}()
	return ch, nil
}

func (d *Driver) TaskEvents(ctx context.Context) (<-chan *driver.TaskEvent, error) {
	return d.events.subscribe(ctx), nil
}

// ExecTask returns stderr merged into stdout, as Nomad's executor does.
func (d *Driver) ExecTask(ctx context.Context, id string, command []string, timeout time.Duration) (*driver.ExecResult, error) {
	t, err := d.get(id)
	if err != nil {
		return nil, err
	}
	return t.sup.DriverExec(ctx, command, timeout)
}

func (d *Driver) ExecTaskStreaming(ctx context.Context, id string, opts *driver.ExecOptions) (*driver.ExitResult, error) {
	t, err := d.get(id)
	if err != nil {
		return nil, err
	}
	return t.sup.DriverExecStreaming(ctx, opts)
}
