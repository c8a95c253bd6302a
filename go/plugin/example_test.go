package plugin_test

import (
	"context"
	"fmt"
	"time"

	"github.com/yurt-sdk/yurt/go/hclspec"
	"github.com/yurt-sdk/yurt/go/plugin"
	"github.com/yurt-sdk/yurt/go/plugin/base"
	"github.com/yurt-sdk/yurt/go/plugin/device"
)

// staticDevices is a complete device plugin: one group of two devices,
// reserved by exporting their IDs to the task.
type staticDevices struct{}

func (staticDevices) PluginInfo(context.Context) (*base.PluginInfo, error) {
	return &base.PluginInfo{
		Type: base.PluginTypeDevice, Name: "static", Version: "0.1.0",
		APIVersions: []string{base.APIVersion010},
	}, nil
}

func (staticDevices) ConfigSchema(context.Context) (*hclspec.Spec, error) { return nil, nil }

func (staticDevices) SetConfig(context.Context, *base.Config) error { return nil }

func (staticDevices) Fingerprint(ctx context.Context) (<-chan *device.FingerprintResponse, error) {
	ch := make(chan *device.FingerprintResponse, 1)
	ch <- &device.FingerprintResponse{Groups: []*device.DeviceGroup{{
		Vendor: "acme", Type: "widget", Name: "w1",
		Devices: []*device.Instance{{ID: "w1-a", Healthy: true}, {ID: "w1-b", Healthy: true}},
	}}}
	// Keep the channel open: closing it ends device management in Nomad.
	return ch, nil
}

func (staticDevices) Reserve(_ context.Context, ids []string) (*device.ContainerReservation, error) {
	return &device.ContainerReservation{Envs: map[string]string{"ACME_WIDGETS": fmt.Sprint(ids)}}, nil
}

func (staticDevices) Stats(ctx context.Context, _ time.Duration) (<-chan *device.StatsResponse, error) {
	return make(chan *device.StatsResponse), nil
}

// A plugin's main function: ServeDevice (ServeDriver for a task driver) speaks go-plugin's handshake on stdout and
// serves until the Nomad client (or `yurt agent`, or yurt-conformance)
// shuts it down. Log with plugin.NewLogger (stderr), never to stdout.
func ExampleServeDevice() {
	plugin.ServeDevice(staticDevices{})
}
