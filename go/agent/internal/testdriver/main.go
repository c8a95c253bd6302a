// Command testdriver is a small process driver used by the agent's
// integration tests when the example plugins are not built. Each task runs
// under go/plugin/supervise (this binary re-executed by plugin.ServeDriver as the
// task's supervisor), so a fresh plugin process recovers the task from its
// handle and reports its true exit code.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/yurt-sdk/yurt/go/hclspec"
	"github.com/yurt-sdk/yurt/go/plugin"
	"github.com/yurt-sdk/yurt/go/plugin/base"
	"github.com/yurt-sdk/yurt/go/plugin/driver"
	"github.com/yurt-sdk/yurt/go/plugin/supervise"
)

// name is the driver's name; `-name NAME` as the first arguments changes it,
// so that one binary can play two drivers in a test.
var name = "testproc"

type taskConfig struct {
	Command string   `cty:"command"`
	Args    []string `cty:"args"`
}

var taskSchema = hclspec.Object(hclspec.Attrs{
	"command": hclspec.Attr("command", "string", true),
	"args":    hclspec.Attr("args", "list(string)", false),
})

// Fault switches for the agent's tests: start_delay makes every StartTask
// sleep that long first, ignoring its context, as a slow or hung driver
// would (e.g. "1h" for one that never answers in a test's lifetime).
var configSchema = hclspec.Object(hclspec.Attrs{
	"label":       hclspec.Attr("label", "string", false),
	"start_delay": hclspec.Attr("start_delay", "string", false),
})

type drv struct {
	driver.Defaults
	mu         sync.Mutex
	tasks      map[string]*supervise.Task
	label      string
	startDelay time.Duration
	compute    string
}

func main() {
	if len(os.Args) >= 3 && os.Args[1] == "-name" {
		name = os.Args[2]
	}
	plugin.ServeDriver(&drv{tasks: map[string]*supervise.Task{}})
}

func (d *drv) PluginInfo(context.Context) (*base.PluginInfo, error) {
	return &base.PluginInfo{Type: base.PluginTypeDriver, APIVersions: []string{base.APIVersion010}, Version: "0.1.0", Name: name}, nil
}

func (d *drv) ConfigSchema(context.Context) (*hclspec.Spec, error) { return configSchema, nil }

func (d *drv) SetConfig(_ context.Context, c *base.Config) error {
	var cfg struct {
		Label      *string `cty:"label"`
		StartDelay *string `cty:"start_delay"`
	}
	if len(c.MsgpackConfig) > 0 {
		if err := base.DecodeConfig(c.MsgpackConfig, configSchema, &cfg); err != nil {
			return err
		}
	}
	if cfg.Label != nil {
		d.label = *cfg.Label
	}
	if cfg.StartDelay != nil {
		dur, err := time.ParseDuration(*cfg.StartDelay)
		if err != nil {
			return fmt.Errorf("start_delay: %w", err)
		}
		d.startDelay = dur
	}
	d.compute = agentCompute(c)
	return nil
}

// agentCompute shows what SetConfig's agent config said about the host:
// "<total MHz>/<cores>", or "none".
func agentCompute(c *base.Config) string {
	if c.Agent == nil || c.Agent.Topology == nil {
		return "none"
	}
	return fmt.Sprintf("%d/%d", c.Agent.Topology.TotalCompute(), len(c.Agent.Topology.Cores))
}

func (d *drv) TaskConfigSchema(context.Context) (*hclspec.Spec, error) { return taskSchema, nil }

func (d *drv) Capabilities(context.Context) (*driver.Capabilities, error) {
	return &driver.Capabilities{SendSignals: true, Exec: true, FSIsolation: driver.FSIsolationNone}, nil
}

func (d *drv) Fingerprint(ctx context.Context) (<-chan *driver.Fingerprint, error) {
	ch := make(chan *driver.Fingerprint, 1)
	ch <- &driver.Fingerprint{Health: driver.HealthStateHealthy, HealthDescription: "ready",
		Attributes: map[string]*base.Attribute{"driver.testproc.label": base.NewStringAttribute(d.label),
			"driver.testproc.agent_compute": base.NewStringAttribute(d.compute)}}
	go func() { <-ctx.Done(); close(ch) }()
	return ch, nil
}

func (d *drv) get(id string) (*supervise.Task, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	s, ok := d.tasks[id]
	if !ok {
		return nil, driver.ErrTaskNotFound
	}
	return s, nil
}

func (d *drv) RecoverTask(_ context.Context, h *driver.TaskHandle) error {
	t, err := supervise.Reattach(h.DriverState)
	if err != nil {
		return err
	}
	id := t.TaskID()
	if h.Config != nil && h.Config.ID != "" {
		id = h.Config.ID
	}
	d.mu.Lock()
	d.tasks[id] = t
	d.mu.Unlock()
	return nil
}

func (d *drv) StartTask(ctx context.Context, cfg *driver.TaskConfig) (*driver.TaskHandle, *driver.NetworkOverride, error) {
	if d.startDelay > 0 {
		time.Sleep(d.startDelay)
	}
	var tc taskConfig
	if err := cfg.DecodeDriverConfig(taskSchema, &tc); err != nil {
		return nil, nil, err
	}
	if cfg.AllocDir == "" {
		return nil, nil, errors.New("testproc: alloc_dir is empty")
	}
	var env []string
	for k, v := range cfg.Env {
		env = append(env, k+"="+v)
	}
	// This driver isolates nothing; it shows the task what it was given.
	var mounts, devs []string
	for _, m := range cfg.Mounts {
		mounts = append(mounts, fmt.Sprintf("%s:%s:%v", m.TaskPath, m.HostPath, m.ReadOnly))
	}
	for _, d := range cfg.Devices {
		devs = append(devs, fmt.Sprintf("%s:%s:%s", d.TaskPath, d.HostPath, d.CgroupPermissions))
	}
	env = append(env, "TESTPROC_MOUNTS="+strings.Join(mounts, ","), "TESTPROC_DEVICES="+strings.Join(devs, ","))
	// Nomad's layout: the task's own directory <alloc_dir>/<task name> is
	// its working directory (client/allocdir); older hosts gave the task's
	// directory itself as alloc_dir.
	workDir := cfg.AllocDir
	if fi, err := os.Stat(filepath.Join(cfg.AllocDir, cfg.Name)); err == nil && fi.IsDir() {
		workDir = filepath.Join(cfg.AllocDir, cfg.Name)
	}
	t, err := supervise.Start(ctx, supervise.Spec{TaskID: cfg.ID, Command: tc.Command, Args: tc.Args, Env: env,
		WorkingDir: workDir, StdoutPath: cfg.StdoutPath, StderrPath: cfg.StderrPath},
		filepath.Join(workDir, "private", "testproc"))
	if err != nil {
		return nil, nil, err
	}
	d.mu.Lock()
	d.tasks[cfg.ID] = t
	d.mu.Unlock()
	return &driver.TaskHandle{Version: 2, Config: cfg, State: driver.TaskStateRunning, DriverState: t.Handle()}, nil, nil
}

func (d *drv) WaitTask(ctx context.Context, id string) (*driver.ExitResult, error) {
	t, err := d.get(id)
	if err != nil {
		return nil, err
	}
	res, err := t.Wait(ctx)
	if err != nil {
		return nil, err
	}
	return res.DriverResult(), nil
}

func (d *drv) StopTask(ctx context.Context, id string, timeout time.Duration, sig string) error {
	t, err := d.get(id)
	if err != nil {
		return err
	}
	num := syscall.SIGINT
	if sig != "" {
		if num, err = supervise.ParseSignal(sig); err != nil {
			return err
		}
	}
	return t.Stop(ctx, num, timeout)
}

func (d *drv) DestroyTask(ctx context.Context, id string, force bool) error {
	t, err := d.get(id)
	if err != nil {
		return err
	}
	if _, done, _ := t.Exit(); !done && !force {
		return errors.New("task is still running; stop it or destroy with force")
	}
	if err := t.Destroy(ctx); err != nil {
		return err
	}
	d.mu.Lock()
	delete(d.tasks, id)
	d.mu.Unlock()
	return nil
}

func (d *drv) InspectTask(_ context.Context, id string) (*driver.TaskStatus, error) {
	t, err := d.get(id)
	if err != nil {
		return nil, err
	}
	st := &driver.TaskStatus{ID: id, State: driver.TaskStateRunning, StartedAt: t.StartedAt()}
	if res, done, _ := t.Exit(); done {
		st.State, st.CompletedAt, st.ExitResult = driver.TaskStateExited, res.CompletedAt, res.DriverResult()
	}
	return st, nil
}

func (d *drv) TaskStats(ctx context.Context, id string, interval time.Duration) (<-chan *driver.TaskStats, error) {
	t, err := d.get(id)
	if err != nil {
		return nil, err
	}
	if interval <= 0 {
		interval = time.Second
	}
	ch := make(chan *driver.TaskStats, 1)
	go func() {
		defer close(ch)
		var prev *supervise.Stats
		for {
			s, err := t.Stats(prev, supervise.CPUHost{})
			if err != nil {
				return
			}
			prev = s
			select {
			case ch <- s.DriverStats(id):
			case <-ctx.Done():
				return
			}
			select {
			case <-ctx.Done():
				return
			case <-time.After(interval):
			}
		}
	}()
	return ch, nil
}

func (d *drv) TaskEvents(ctx context.Context) (<-chan *driver.TaskEvent, error) {
	ch := make(chan *driver.TaskEvent)
	go func() { <-ctx.Done(); close(ch) }()
	return ch, nil
}

func (d *drv) SignalTask(_ context.Context, id, sig string) error {
	t, err := d.get(id)
	if err != nil {
		return err
	}
	num, err := supervise.ParseSignal(sig)
	if err != nil {
		return err
	}
	return t.Signal(num)
}

func (d *drv) ExecTask(ctx context.Context, id string, command []string, timeout time.Duration) (*driver.ExecResult, error) {
	t, err := d.get(id)
	if err != nil {
		return nil, err
	}
	return t.DriverExec(ctx, command, timeout)
}

// ExecTaskStreaming runs a command with the task's environment, on a real
// pseudo-terminal when asked for one.
func (d *drv) ExecTaskStreaming(ctx context.Context, id string, o *driver.ExecOptions) (*driver.ExitResult, error) {
	t, err := d.get(id)
	if err != nil {
		return nil, err
	}
	return t.DriverExecStreaming(ctx, o)
}
