// Package gofiles is go-files, an example Nomad device plugin. Its
// devices are files (configured paths) and a configured number of simulated
// devices. IDs are derived from the path or the index, so they are stable
// across plugin restarts. A path device is healthy while its file exists;
// fingerprints go out at once and then whenever that changes.
package gofiles

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/yurt-sdk/yurt/go/hclspec"
	"github.com/yurt-sdk/yurt/go/plugin/base"
	"github.com/yurt-sdk/yurt/go/plugin/device"
)

const (
	Name    = "go-files"
	Version = "0.1.0"
	Vendor  = "yurt"
	Type    = "file"
	// EnvVar lists the reserved device IDs in the task's environment.
	EnvVar = "YURT_FILES_DEVICES"
)

var configSpec = hclspec.Object(hclspec.Attrs{
	"paths":              hclspec.Default(hclspec.Attr("paths", "list(string)", false), hclspec.Literal("[]")),
	"simulated":          hclspec.Default(hclspec.Attr("simulated", "number", false), hclspec.Literal("0")),
	"fingerprint_period": hclspec.Default(hclspec.Attr("fingerprint_period", "string", false), hclspec.LiteralString("5s")),
})

type config struct {
	Paths             []string `cty:"paths"`
	Simulated         int      `cty:"simulated"`
	FingerprintPeriod string   `cty:"fingerprint_period"`
}

// Plugin is the go-files device plugin.
type Plugin struct {
	logger hclog.Logger

	mu        sync.Mutex
	paths     []string
	simulated int
	period    time.Duration
	started   time.Time
}

func New(logger hclog.Logger) *Plugin {
	return &Plugin{logger: logger, period: 5 * time.Second, started: time.Now()}
}

func (p *Plugin) PluginInfo(context.Context) (*base.PluginInfo, error) {
	return &base.PluginInfo{Type: base.PluginTypeDevice, APIVersions: []string{base.APIVersion010}, Version: Version, Name: Name}, nil
}

func (p *Plugin) ConfigSchema(context.Context) (*hclspec.Spec, error) { return configSpec, nil }

func (p *Plugin) SetConfig(_ context.Context, c *base.Config) error {
	if len(c.MsgpackConfig) == 0 {
		return nil
	}
	var cfg config
	if err := base.DecodeConfig(c.MsgpackConfig, configSpec, &cfg); err != nil {
		return err
	}
	if cfg.Simulated < 0 || cfg.Simulated > 1024 {
		return fmt.Errorf("config.simulated: expected 0..1024 devices, got %d", cfg.Simulated)
	}
	period, err := time.ParseDuration(cfg.FingerprintPeriod)
	if err != nil || period <= 0 {
		return fmt.Errorf("config.fingerprint_period: expected a positive duration such as \"5s\", got %q", cfg.FingerprintPeriod)
	}
	paths := make([]string, 0, len(cfg.Paths))
	for i, path := range cfg.Paths {
		if !filepath.IsAbs(path) {
			return fmt.Errorf("config.paths[%d]: expected an absolute path, got %q", i, path)
		}
		paths = append(paths, filepath.Clean(path))
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.paths, p.simulated, p.period = paths, cfg.Simulated, period
	return nil
}

// instance is one device as the plugin knows it.
type instance struct {
	id   string
	path string // empty for simulated devices
}

// PathID is the stable ID of the device for path.
func PathID(path string) string {
	sum := sha256.Sum256([]byte(filepath.Clean(path)))
	return "file-" + hex.EncodeToString(sum[:6])
}

// SimulatedID is the stable ID of simulated device i.
func SimulatedID(i int) string { return fmt.Sprintf("sim-%d", i) }

func (p *Plugin) instances() []instance {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]instance, 0, len(p.paths)+p.simulated)
	for _, path := range p.paths {
		out = append(out, instance{id: PathID(path), path: path})
	}
	for i := 0; i < p.simulated; i++ {
		out = append(out, instance{id: SimulatedID(i)})
	}
	return out
}

func (p *Plugin) group() *device.DeviceGroup {
	g := &device.DeviceGroup{Vendor: Vendor, Type: Type, Name: "files",
		Attributes: map[string]*base.Attribute{"plugin_version": base.NewStringAttribute(Version)}}
	for _, in := range p.instances() {
		d := &device.Instance{ID: in.id, Healthy: true, HealthDescription: "simulated"}
		if in.path != "" {
			if _, err := os.Stat(in.path); err != nil {
				d.Healthy, d.HealthDescription = false, fmt.Sprintf("%s: %v", in.path, err)
			} else {
				d.HealthDescription = in.path
			}
		}
		g.Devices = append(g.Devices, d)
	}
	return g
}

func (p *Plugin) Fingerprint(ctx context.Context) (<-chan *device.FingerprintResponse, error) {
	ch := make(chan *device.FingerprintResponse)
	p.mu.Lock()
	period := p.period
	p.mu.Unlock()
	go func() {
		defer close(ch)
		var last *device.DeviceGroup
		tick := time.NewTicker(period)
		defer tick.Stop()
		for {
			g := p.group()
			if last == nil || !reflect.DeepEqual(g, last) {
				last = g
				select {
				case ch <- &device.FingerprintResponse{Groups: []*device.DeviceGroup{g}}:
				case <-ctx.Done():
					return
				}
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

func (p *Plugin) Reserve(_ context.Context, ids []string) (*device.ContainerReservation, error) {
	known := map[string]instance{}
	for _, in := range p.instances() {
		known[in.id] = in
	}
	var unknown []string
	for _, id := range ids {
		if _, ok := known[id]; !ok {
			unknown = append(unknown, id)
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return nil, fmt.Errorf("unknown device IDs: %s", strings.Join(unknown, ", "))
	}
	r := &device.ContainerReservation{Envs: map[string]string{EnvVar: strings.Join(ids, ",")}}
	for _, id := range ids {
		in := known[id]
		if in.path == "" {
			continue
		}
		r.Mounts = append(r.Mounts, device.Mount{TaskPath: "/go-files/" + id, HostPath: in.path})
		if strings.HasPrefix(in.path, "/dev/") {
			r.Devices = append(r.Devices, device.DeviceSpec{TaskPath: in.path, HostPath: in.path, Permissions: "rw"})
		}
	}
	return r, nil
}

func (p *Plugin) Stats(ctx context.Context, interval time.Duration) (<-chan *device.StatsResponse, error) {
	ch := make(chan *device.StatsResponse)
	go func() {
		defer close(ch)
		tick := time.NewTicker(interval)
		defer tick.Stop()
		for {
			now := time.Now()
			gs := &device.DeviceGroupStats{Vendor: Vendor, Type: Type, Name: "files", InstanceStats: map[string]*device.DeviceStats{}}
			for _, in := range p.instances() {
				gs.InstanceStats[in.id] = instanceStats(in, now, p.started)
			}
			select {
			case ch <- &device.StatsResponse{Groups: []*device.DeviceGroupStats{gs}}:
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

// instanceStats reports a file's size, or a simulated device's uptime.
func instanceStats(in instance, now, started time.Time) *device.DeviceStats {
	if in.path == "" {
		up := &base.StatValue{IntNumerator: base.Ptr(int64(now.Sub(started).Seconds())), Unit: "s", Desc: "uptime"}
		return &device.DeviceStats{Summary: up, Stats: &base.StatObject{Attributes: map[string]*base.StatValue{"uptime": up}}, Timestamp: now}
	}
	v := &base.StatValue{Unit: "B", Desc: "file size"}
	if fi, err := os.Stat(in.path); err == nil {
		v.IntNumerator = base.Ptr(fi.Size())
	} else {
		v.String = base.Ptr("N/A")
	}
	return &device.DeviceStats{Summary: v, Stats: &base.StatObject{Attributes: map[string]*base.StatValue{"size": v}}, Timestamp: now}
}
