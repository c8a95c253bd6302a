package plugin

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/yurt-sdk/yurt/go/hclspec"
	"github.com/yurt-sdk/yurt/go/plugin/base"
	"github.com/yurt-sdk/yurt/go/plugin/device"
	"github.com/yurt-sdk/yurt/go/plugin/driver"
)

// fakeDriver implements only the required Driver methods and records what
// it was given, so tests can check both directions of every RPC.
type fakeDriver struct {
	driver.Defaults
	mu        sync.Mutex
	config    *base.Config
	recovered *driver.TaskHandle
	started   *driver.TaskConfig
	stopped   []any
	destroyed []any
	signalled []string
	statsIval time.Duration
	logger    hclog.Logger
}

func (d *fakeDriver) PluginInfo(context.Context) (*base.PluginInfo, error) {
	if d.logger != nil {
		d.logger.Info("PluginInfo called")
	}
	return &base.PluginInfo{Type: base.PluginTypeDriver, APIVersions: []string{base.APIVersion010}, Version: "0.1.0", Name: "fake"}, nil
}
func (d *fakeDriver) ConfigSchema(context.Context) (*hclspec.Spec, error) {
	return hclspec.Object(hclspec.Attrs{"enabled": hclspec.Default(hclspec.Attr("enabled", "bool", false), hclspec.Literal("true"))}), nil
}
func (d *fakeDriver) SetConfig(_ context.Context, c *base.Config) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.config = c
	if string(c.MsgpackConfig) == "bad" {
		return errors.New("config rejected")
	}
	return nil
}
func (d *fakeDriver) TaskConfigSchema(context.Context) (*hclspec.Spec, error) {
	return hclspec.Object(hclspec.Attrs{"command": hclspec.Attr("command", "string", true)}), nil
}
func (d *fakeDriver) Capabilities(context.Context) (*driver.Capabilities, error) {
	return &driver.Capabilities{SendSignals: true, Exec: true, FSIsolation: driver.FSIsolationNone,
		NetIsolationModes: []driver.NetIsolationMode{driver.NetIsolationHost, driver.NetIsolationGroup}, MountConfigs: driver.MountConfigsNone,
		DisableLogCollection: true}, nil
}
func (d *fakeDriver) Fingerprint(ctx context.Context) (<-chan *driver.Fingerprint, error) {
	ch := make(chan *driver.Fingerprint)
	go func() {
		defer close(ch)
		for _, f := range []*driver.Fingerprint{
			{Health: driver.HealthStateHealthy, HealthDescription: "ok", Attributes: map[string]*base.Attribute{"driver.fake.version": base.NewStringAttribute("1")}},
			{Health: driver.HealthStateUnhealthy, Err: errors.New("probe failed")},
		} {
			select {
			case ch <- f:
			case <-ctx.Done():
				return
			}
		}
		<-ctx.Done()
	}()
	return ch, nil
}
func (d *fakeDriver) RecoverTask(_ context.Context, h *driver.TaskHandle) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.recovered = h
	if h.Config.ID == "gone" {
		return fmt.Errorf("recovering: %w", driver.ErrTaskNotFound)
	}
	return nil
}
func (d *fakeDriver) StartTask(_ context.Context, c *driver.TaskConfig) (*driver.TaskHandle, *driver.NetworkOverride, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.started = c
	switch c.ID {
	case "retry":
		return nil, nil, base.NewRecoverableError(errors.New("image not ready"), true)
	case "fatal":
		return nil, nil, base.NewRecoverableError(errors.New("bad image"), false)
	case "plain":
		return nil, nil, errors.New("plain failure")
	}
	h := &driver.TaskHandle{Version: 1, Config: c, State: driver.TaskStateRunning}
	if err := h.SetDriverState(map[string]int{"pid": 42}); err != nil {
		return nil, nil, err
	}
	return h, &driver.NetworkOverride{PortMap: map[string]int{"http": 8080}, Addr: "10.0.0.1", AutoAdvertise: true}, nil
}
func (d *fakeDriver) WaitTask(ctx context.Context, id string) (*driver.ExitResult, error) {
	switch id {
	case "t1":
		return &driver.ExitResult{ExitCode: 3, Signal: 9, OOMKilled: true}, nil
	case "waiterr":
		return &driver.ExitResult{ExitCode: -1, Err: errors.New("lost track")}, nil
	case "block":
		<-ctx.Done()
		return nil, ctx.Err()
	case "lost":
		return nil, errors.New("supervisor lost")
	}
	return nil, driver.ErrTaskNotFound
}
func (d *fakeDriver) StopTask(_ context.Context, id string, timeout time.Duration, sig string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.stopped = append(d.stopped, id, timeout, sig)
	return nil
}
func (d *fakeDriver) DestroyTask(_ context.Context, id string, force bool) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.destroyed = append(d.destroyed, id, force)
	if !force {
		return errors.New("cannot destroy running task")
	}
	return nil
}
func (d *fakeDriver) InspectTask(_ context.Context, id string) (*driver.TaskStatus, error) {
	if id != "t1" {
		return nil, driver.ErrTaskNotFound
	}
	return &driver.TaskStatus{ID: "t1", Name: "web", State: driver.TaskStateExited,
		StartedAt: time.Unix(100, 5).UTC(), CompletedAt: time.Unix(200, 0).UTC(),
		ExitResult: &driver.ExitResult{ExitCode: 1}, DriverAttributes: map[string]string{"pid": "42"},
		NetworkOverride: &driver.NetworkOverride{Addr: "1.2.3.4"}}, nil
}
func (d *fakeDriver) TaskStats(ctx context.Context, id string, interval time.Duration) (<-chan *driver.TaskStats, error) {
	d.mu.Lock()
	d.statsIval = interval
	d.mu.Unlock()
	if id == "nostats" {
		return nil, base.NewRecoverableError(errors.New("stats not ready"), true)
	}
	ch := make(chan *driver.TaskStats, 2)
	ch <- &driver.TaskStats{ID: id, Timestamp: time.Unix(5, 0).UTC(),
		Aggregate: &driver.ResourceUsage{CPU: &driver.CPUUsage{Percent: 12.5, Measured: []driver.CPUField{driver.CPUPercent}},
			Memory: &driver.MemoryUsage{RSS: 4096, Measured: []driver.MemoryField{driver.MemoryRSS}}},
		ByPID: map[string]*driver.ResourceUsage{"42": {Memory: &driver.MemoryUsage{RSS: 4096}}}}
	close(ch)
	return ch, nil
}
func (d *fakeDriver) TaskEvents(ctx context.Context) (<-chan *driver.TaskEvent, error) {
	ch := make(chan *driver.TaskEvent, 1)
	ch <- &driver.TaskEvent{TaskID: "t1", AllocID: "a1", TaskName: "web", Timestamp: time.Unix(7, 0).UTC(), Message: "pulled", Annotations: map[string]string{"k": "v"}}
	return ch, nil
}
func (d *fakeDriver) SignalTask(_ context.Context, id, sig string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.signalled = append(d.signalled, id, sig)
	return nil
}
func (d *fakeDriver) ExecTask(_ context.Context, id string, cmd []string, timeout time.Duration) (*driver.ExecResult, error) {
	return &driver.ExecResult{Stdout: []byte(fmt.Sprint(cmd)), Stderr: []byte(timeout.String()), Exit: &driver.ExitResult{ExitCode: 7}}, nil
}

// fullDriver adds every optional interface.
type fullDriver struct {
	*fakeDriver
	inited, shut bool
}

func (d *fullDriver) Init(context.Context) error     { d.inited = true; return nil }
func (d *fullDriver) Shutdown(context.Context) error { d.shut = true; return nil }
func (d *fullDriver) CreateNetwork(_ context.Context, allocID, hostname string) (*driver.NetworkIsolationSpec, bool, error) {
	return &driver.NetworkIsolationSpec{Mode: driver.NetIsolationGroup, Path: "/var/run/netns/" + allocID,
		Hosts: &driver.HostsConfig{Hostname: hostname, Address: "10.1.1.1"}}, true, nil
}
func (d *fullDriver) DestroyNetwork(_ context.Context, allocID string, spec *driver.NetworkIsolationSpec) error {
	if spec == nil || spec.Path != "/var/run/netns/"+allocID {
		return fmt.Errorf("unexpected spec %+v", spec)
	}
	return nil
}

// ExecTaskStreaming echoes stdin upper-cased on stdout, reports terminal
// sizes on stderr and exits with the number of bytes read.
func (d *fullDriver) ExecTaskStreaming(ctx context.Context, id string, o *driver.ExecOptions) (*driver.ExitResult, error) {
	if id != "t1" {
		return nil, driver.ErrTaskNotFound
	}
	if o.Tty {
		sz := <-o.Resize // the test sends one size before any input
		fmt.Fprintf(o.Stderr, "size %dx%d\n", sz.Width, sz.Height)
	}
	n := 0
	buf := make([]byte, 64)
	for {
		k, err := o.Stdin.Read(buf)
		for i := 0; i < k; i++ {
			if buf[i] >= 'a' && buf[i] <= 'z' {
				buf[i] -= 32
			}
		}
		if k > 0 {
			n += k
			if _, werr := o.Stdout.Write(buf[:k]); werr != nil {
				return nil, werr
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
	}
	return &driver.ExitResult{ExitCode: n}, nil
}

// fakeDevice is a device plugin with two fixed devices.
type fakeDevice struct {
	mu        sync.Mutex
	statsIval time.Duration
}

func (d *fakeDevice) PluginInfo(context.Context) (*base.PluginInfo, error) {
	return &base.PluginInfo{Type: base.PluginTypeDevice, APIVersions: []string{base.APIVersion010}, Version: "0.2.0", Name: "fakedev"}, nil
}
func (d *fakeDevice) ConfigSchema(context.Context) (*hclspec.Spec, error) { return nil, nil }
func (d *fakeDevice) SetConfig(context.Context, *base.Config) error       { return nil }
func (d *fakeDevice) Fingerprint(ctx context.Context) (<-chan *device.FingerprintResponse, error) {
	ch := make(chan *device.FingerprintResponse, 2)
	ch <- &device.FingerprintResponse{Groups: []*device.DeviceGroup{{Vendor: "yurt", Type: "file", Name: "f",
		Devices:    []*device.Instance{{ID: "d0", Healthy: true, PCIBusID: "0000:00:01.0"}, {ID: "d1", HealthDescription: "broken"}},
		Attributes: map[string]*base.Attribute{"size": base.NewIntAttribute(4, "MiB")}}}}
	ch <- &device.FingerprintResponse{Err: errors.New("enumeration failed")}
	return ch, nil
}
func (d *fakeDevice) Reserve(_ context.Context, ids []string) (*device.ContainerReservation, error) {
	for _, id := range ids {
		if id != "d0" && id != "d1" {
			return nil, fmt.Errorf("unknown device IDs: %s", id)
		}
	}
	return &device.ContainerReservation{Envs: map[string]string{"FAKE_DEVICES": fmt.Sprint(ids)},
		Mounts:  []device.Mount{{TaskPath: "/dev/fake", HostPath: "/tmp/fake", ReadOnly: true}},
		Devices: []device.DeviceSpec{{TaskPath: "/dev/f0", HostPath: "/dev/null", Permissions: "rw"}}}, nil
}
func (d *fakeDevice) Stats(ctx context.Context, interval time.Duration) (<-chan *device.StatsResponse, error) {
	d.mu.Lock()
	d.statsIval = interval
	d.mu.Unlock()
	ch := make(chan *device.StatsResponse, 1)
	ch <- &device.StatsResponse{Groups: []*device.DeviceGroupStats{{Vendor: "yurt", Type: "file", Name: "f",
		InstanceStats: map[string]*device.DeviceStats{"d0": {Summary: &base.StatValue{IntNumerator: base.Ptr(int64(3)), Unit: "B"},
			Stats: &base.StatObject{Attributes: map[string]*base.StatValue{"size": {IntNumerator: base.Ptr(int64(3))}}}, Timestamp: time.Unix(9, 0).UTC()}}}}}
	return ch, nil
}
