// Command testdevice is a small device plugin for the agent's integration
// tests: `count` simulated devices yurt/gpu/sim with stable IDs sim-<n>.
package main

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/yurt-sdk/yurt/go/hclspec"
	"github.com/yurt-sdk/yurt/go/plugin"
	"github.com/yurt-sdk/yurt/go/plugin/base"
	"github.com/yurt-sdk/yurt/go/plugin/device"
)

var configSchema = hclspec.Object(hclspec.Attrs{
	"count": hclspec.Default(hclspec.Attr("count", "number", false), hclspec.Literal("2")),
})

type dev struct{ count int }

func main() { plugin.ServeDevice(&dev{count: 2}) }

func (d *dev) PluginInfo(context.Context) (*base.PluginInfo, error) {
	return &base.PluginInfo{Type: base.PluginTypeDevice, APIVersions: []string{base.APIVersion010}, Version: "0.1.0", Name: "simgpu"}, nil
}

func (d *dev) ConfigSchema(context.Context) (*hclspec.Spec, error) { return configSchema, nil }

func (d *dev) SetConfig(_ context.Context, c *base.Config) error {
	var cfg struct {
		Count int `cty:"count"`
	}
	if len(c.MsgpackConfig) == 0 {
		return nil
	}
	if err := base.DecodeConfig(c.MsgpackConfig, configSchema, &cfg); err != nil {
		return err
	}
	if cfg.Count < 0 {
		return fmt.Errorf("config.count: expected >= 0, got %d", cfg.Count)
	}
	d.count = cfg.Count
	return nil
}

func (d *dev) ids() []string {
	out := make([]string, d.count)
	for i := range out {
		out[i] = fmt.Sprintf("sim-%d", i)
	}
	return out
}

func (d *dev) Fingerprint(ctx context.Context) (<-chan *device.FingerprintResponse, error) {
	g := &device.DeviceGroup{Vendor: "yurt", Type: "gpu", Name: "sim",
		Attributes: map[string]*base.Attribute{"memory": base.NewIntAttribute(1024, "MiB")}}
	for _, id := range d.ids() {
		g.Devices = append(g.Devices, &device.Instance{ID: id, Healthy: true})
	}
	ch := make(chan *device.FingerprintResponse, 1)
	ch <- &device.FingerprintResponse{Groups: []*device.DeviceGroup{g}}
	go func() { <-ctx.Done(); close(ch) }()
	return ch, nil
}

func (d *dev) Reserve(_ context.Context, ids []string) (*device.ContainerReservation, error) {
	known := map[string]bool{}
	for _, id := range d.ids() {
		known[id] = true
	}
	for _, id := range ids {
		if !known[id] {
			return nil, fmt.Errorf("unknown device %q", id)
		}
	}
	s := append([]string(nil), ids...)
	sort.Strings(s)
	r := &device.ContainerReservation{Envs: map[string]string{"SIM_VISIBLE_DEVICES": strings.Join(s, ",")}}
	for _, id := range s {
		r.Mounts = append(r.Mounts, device.Mount{TaskPath: "/sim/" + id, HostPath: "/dev/null", ReadOnly: true})
		r.Devices = append(r.Devices, device.DeviceSpec{TaskPath: "/dev/" + id, HostPath: "/dev/null", Permissions: "rw"})
	}
	return r, nil
}

func (d *dev) Stats(ctx context.Context, interval time.Duration) (<-chan *device.StatsResponse, error) {
	ch := make(chan *device.StatsResponse)
	go func() { <-ctx.Done(); close(ch) }()
	return ch, nil
}
