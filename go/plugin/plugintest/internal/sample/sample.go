// Package sample is a small driver and device plugin for plugintest's own
// tests: the same code is served in-process and built as a binary
// (../sampleplugin), so one test checks both paths.
package sample

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/yurt-sdk/yurt/go/hclspec"
	"github.com/yurt-sdk/yurt/go/plugin/base"
	"github.com/yurt-sdk/yurt/go/plugin/device"
	"github.com/yurt-sdk/yurt/go/plugin/driver"
)

// Driver runs no processes: a task lives for its env RUN_MS milliseconds
// (or until stopped) and exits with its env EXIT_CODE.
type Driver struct {
	driver.Defaults
	mu       sync.Mutex
	greeting string
	agent    *base.AgentConfig
	tasks    map[string]*task
}

type task struct {
	cfg     *driver.TaskConfig
	started time.Time
	done    chan struct{}
	res     *driver.ExitResult
	ended   time.Time
}

func (t *task) finish(r *driver.ExitResult) {
	select {
	case <-t.done:
	default:
		t.res, t.ended = r, time.Now().UTC()
		close(t.done)
	}
}

// PluginInfo names the sample driver.
func (d *Driver) PluginInfo(context.Context) (*base.PluginInfo, error) {
	return &base.PluginInfo{Type: base.PluginTypeDriver, APIVersions: []string{base.APIVersion010}, Version: "0.1.0", Name: "sample"}, nil
}

func configSchema() *hclspec.Spec {
	return hclspec.Object(hclspec.Attrs{"greeting": hclspec.Default(hclspec.Attr("greeting", "string", false), hclspec.LiteralString("hello"))})
}

// ConfigSchema takes an optional greeting (default "hello").
func (d *Driver) ConfigSchema(context.Context) (*hclspec.Spec, error) { return configSchema(), nil }

// SetConfig keeps the greeting and the agent configuration.
func (d *Driver) SetConfig(_ context.Context, c *base.Config) error {
	var cfg struct {
		Greeting string `cty:"greeting"`
	}
	if err := base.DecodeConfig(c.MsgpackConfig, configSchema(), &cfg); err != nil && !errors.Is(err, base.ErrNoConfig) {
		return err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.greeting, d.agent = cfg.Greeting, c.Agent
	return nil
}

// TaskConfigSchema takes no task configuration.
func (d *Driver) TaskConfigSchema(context.Context) (*hclspec.Spec, error) {
	return hclspec.Object(hclspec.Attrs{}), nil
}

// Capabilities advertises signals and chroot isolation.
func (d *Driver) Capabilities(context.Context) (*driver.Capabilities, error) {
	return &driver.Capabilities{SendSignals: true, FSIsolation: driver.FSIsolationChroot}, nil
}

// Fingerprint reports healthy, with the greeting and, once configured, the number of cores.
func (d *Driver) Fingerprint(ctx context.Context) (<-chan *driver.Fingerprint, error) {
	d.mu.Lock()
	attrs := map[string]*base.Attribute{"driver.sample.greeting": base.NewStringAttribute(d.greeting)}
	if d.agent != nil {
		attrs["driver.sample.cores"] = base.NewIntAttribute(int64(len(d.agent.Topology.Cores)), "")
	}
	d.mu.Unlock()
	ch := make(chan *driver.Fingerprint, 1)
	ch <- &driver.Fingerprint{Health: driver.HealthStateHealthy, HealthDescription: "ready", Attributes: attrs}
	go func() { <-ctx.Done(); close(ch) }()
	return ch, nil
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

// StartTask starts a task that lives RUN_MS milliseconds; env FAIL fails it recoverably.
func (d *Driver) StartTask(_ context.Context, c *driver.TaskConfig) (*driver.TaskHandle, *driver.NetworkOverride, error) {
	runMS, _ := strconv.Atoi(c.Env["RUN_MS"])
	code, _ := strconv.Atoi(c.Env["EXIT_CODE"])
	if c.Env["FAIL"] != "" {
		return nil, nil, base.NewRecoverableError(errors.New(c.Env["FAIL"]), true)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.tasks == nil {
		d.tasks = map[string]*task{}
	}
	if _, ok := d.tasks[c.ID]; ok {
		return nil, nil, fmt.Errorf("task %s already started", c.ID)
	}
	t := &task{cfg: c, started: time.Now().UTC(), done: make(chan struct{})}
	d.tasks[c.ID] = t
	if runMS > 0 {
		time.AfterFunc(time.Duration(runMS)*time.Millisecond, func() {
			d.mu.Lock()
			defer d.mu.Unlock()
			t.finish(&driver.ExitResult{ExitCode: code})
		})
	}
	h := &driver.TaskHandle{Version: 1, Config: c, State: driver.TaskStateRunning}
	if err := h.SetDriverState(map[string]int{"run_ms": runMS}); err != nil {
		return nil, nil, err
	}
	return h, &driver.NetworkOverride{PortMap: map[string]int{"http": 8080}}, nil
}

// RecoverTask always fails: the sample's tasks live in the plugin process.
func (d *Driver) RecoverTask(context.Context, *driver.TaskHandle) error {
	return errors.New("sample driver: tasks do not survive the plugin")
}

// WaitTask blocks until the task ends.
func (d *Driver) WaitTask(ctx context.Context, id string) (*driver.ExitResult, error) {
	t, err := d.get(id)
	if err != nil {
		return nil, err
	}
	select {
	case <-t.done:
		d.mu.Lock()
		defer d.mu.Unlock()
		return t.res, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// StopTask ends the task as SIGTERM would.
func (d *Driver) StopTask(_ context.Context, id string, _ time.Duration, _ string) error {
	t, err := d.get(id)
	if err != nil {
		return err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	t.finish(&driver.ExitResult{Signal: 15, ExitCode: 143})
	return nil
}

// DestroyTask forgets the task; a running one needs force.
func (d *Driver) DestroyTask(_ context.Context, id string, force bool) error {
	t, err := d.get(id)
	if err != nil {
		return err
	}
	select {
	case <-t.done:
	default:
		if !force {
			return errors.New("cannot destroy running task")
		}
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	t.finish(&driver.ExitResult{Signal: 9, ExitCode: 137})
	delete(d.tasks, id)
	return nil
}

// InspectTask reports the task's state and, once exited, its result.
func (d *Driver) InspectTask(_ context.Context, id string) (*driver.TaskStatus, error) {
	t, err := d.get(id)
	if err != nil {
		return nil, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	s := &driver.TaskStatus{ID: id, Name: t.cfg.Name, State: driver.TaskStateRunning, StartedAt: t.started}
	if t.res != nil {
		s.State, s.CompletedAt, s.ExitResult = driver.TaskStateExited, t.ended, t.res
	}
	return s, nil
}

// TaskStats sends a fixed sample every interval.
func (d *Driver) TaskStats(ctx context.Context, id string, interval time.Duration) (<-chan *driver.TaskStats, error) {
	if _, err := d.get(id); err != nil {
		return nil, err
	}
	ch := make(chan *driver.TaskStats)
	go func() {
		defer close(ch)
		for {
			s := &driver.TaskStats{ID: id, Timestamp: time.Now().UTC(), Aggregate: &driver.ResourceUsage{
				CPU:    &driver.CPUUsage{Percent: 12.5, Measured: []driver.CPUField{driver.CPUPercent}},
				Memory: &driver.MemoryUsage{RSS: 4096, Measured: []driver.MemoryField{driver.MemoryRSS}}}}
			select {
			case ch <- s:
			case <-ctx.Done():
				return
			}
			select {
			case <-time.After(interval):
			case <-ctx.Done():
				return
			}
		}
	}()
	return ch, nil
}

// TaskEvents sends no events.
func (d *Driver) TaskEvents(ctx context.Context) (<-chan *driver.TaskEvent, error) {
	ch := make(chan *driver.TaskEvent)
	go func() { <-ctx.Done(); close(ch) }()
	return ch, nil
}

// SignalTask accepts any signal to a known task.
func (d *Driver) SignalTask(_ context.Context, id, _ string) error {
	_, err := d.get(id)
	return err
}

// ExecTask is not supported.
func (d *Driver) ExecTask(context.Context, string, []string, time.Duration) (*driver.ExecResult, error) {
	return nil, errors.New("sample driver: no exec")
}

// Device offers two devices and reserves them as an env variable.
type Device struct{ device.Defaults }

// PluginInfo names the sample device plugin.
func (Device) PluginInfo(context.Context) (*base.PluginInfo, error) {
	return &base.PluginInfo{Type: base.PluginTypeDevice, APIVersions: []string{base.APIVersion010}, Version: "0.1.0", Name: "sample-device"}, nil
}

// ConfigSchema is nil: no configuration.
func (Device) ConfigSchema(context.Context) (*hclspec.Spec, error) { return nil, nil }

// SetConfig accepts the (empty) configuration.
func (Device) SetConfig(context.Context, *base.Config) error { return nil }

// Fingerprint reports one group of two healthy devices.
func (Device) Fingerprint(ctx context.Context) (<-chan *device.FingerprintResponse, error) {
	ch := make(chan *device.FingerprintResponse, 1)
	ch <- &device.FingerprintResponse{Groups: []*device.DeviceGroup{{Vendor: "yurt", Type: "sample", Name: "s1",
		Devices: []*device.Instance{{ID: "dev-0", Healthy: true}, {ID: "dev-1", Healthy: true}}}}}
	go func() { <-ctx.Done(); close(ch) }()
	return ch, nil
}

// Reserve exposes the reserved IDs in SAMPLE_DEVICES; an unknown ID is an error.
func (Device) Reserve(_ context.Context, ids []string) (*device.ContainerReservation, error) {
	for _, id := range ids {
		if id != "dev-0" && id != "dev-1" {
			return nil, fmt.Errorf("unknown device %q", id)
		}
	}
	return &device.ContainerReservation{Envs: map[string]string{"SAMPLE_DEVICES": fmt.Sprint(ids)}}, nil
}

// Stats sends nothing until the stream ends.
func (Device) Stats(ctx context.Context, _ time.Duration) (<-chan *device.StatsResponse, error) {
	ch := make(chan *device.StatsResponse)
	go func() { <-ctx.Done(); close(ch) }()
	return ch, nil
}
