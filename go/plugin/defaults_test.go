package plugin

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/yurt-sdk/yurt/go/gen/devicepb"
	"github.com/yurt-sdk/yurt/go/gen/driverpb"
	"github.com/yurt-sdk/yurt/go/hclspec"
	"github.com/yurt-sdk/yurt/go/plugin/base"
	"github.com/yurt-sdk/yurt/go/plugin/device"
	"github.com/yurt-sdk/yurt/go/plugin/driver"
)

// requiredOnlyDriver implements exactly the methods driver.proto's
// optional-RPC table marks required, and embeds driver.Defaults for the
// rest. That it is accepted by ServeDriver's parameter type is the
// compile-time half of the test.
type requiredOnlyDriver struct {
	driver.Defaults
}

var _ driver.Driver = requiredOnlyDriver{}

func (requiredOnlyDriver) PluginInfo(context.Context) (*base.PluginInfo, error) {
	return &base.PluginInfo{Type: base.PluginTypeDriver, Name: "min", Version: "0.0.1", APIVersions: []string{base.APIVersion010}}, nil
}
func (requiredOnlyDriver) ConfigSchema(context.Context) (*hclspec.Spec, error) { return nil, nil }
func (requiredOnlyDriver) SetConfig(context.Context, *base.Config) error       { return nil }
func (requiredOnlyDriver) TaskConfigSchema(context.Context) (*hclspec.Spec, error) {
	return nil, nil
}
func (requiredOnlyDriver) Capabilities(context.Context) (*driver.Capabilities, error) {
	return &driver.Capabilities{}, nil
}
func (requiredOnlyDriver) Fingerprint(context.Context) (<-chan *driver.Fingerprint, error) {
	ch := make(chan *driver.Fingerprint, 1)
	ch <- &driver.Fingerprint{Health: driver.HealthStateHealthy}
	return ch, nil
}
func (requiredOnlyDriver) RecoverTask(context.Context, *driver.TaskHandle) error { return nil }
func (requiredOnlyDriver) StartTask(context.Context, *driver.TaskConfig) (*driver.TaskHandle, *driver.NetworkOverride, error) {
	return nil, nil, driver.ErrTaskNotFound
}
func (requiredOnlyDriver) WaitTask(context.Context, string) (*driver.ExitResult, error) {
	return nil, driver.ErrTaskNotFound
}
func (requiredOnlyDriver) StopTask(context.Context, string, time.Duration, string) error {
	return driver.ErrTaskNotFound
}
func (requiredOnlyDriver) DestroyTask(context.Context, string, bool) error {
	return driver.ErrTaskNotFound
}
func (requiredOnlyDriver) InspectTask(context.Context, string) (*driver.TaskStatus, error) {
	return nil, driver.ErrTaskNotFound
}

// TestDriverDefaults serves a driver with only the required methods over
// real gRPC and checks every optional RPC against driver.proto's table.
func TestDriverDefaults(t *testing.T) {
	c := driverpb.NewDriverClient(connect(t, requiredOnlyDriver{}))
	ctx := ctxT(t)

	// The required ones work.
	caps, err := c.Capabilities(ctx, &driverpb.CapabilitiesRequest{})
	require.NoError(t, err)
	require.NotNil(t, caps.GetCapabilities())

	_, err = c.Init(ctx, &driverpb.InitRequest{})
	requireStatus(t, err, codes.Unimplemented, "Init is not implemented by this driver")
	_, err = c.Shutdown(ctx, &driverpb.ShutdownRequest{})
	requireStatus(t, err, codes.Unimplemented, "Shutdown is not implemented by this driver")
	_, err = c.SignalTask(ctx, &driverpb.SignalTaskRequest{TaskId: "t1", Signal: "SIGHUP"})
	requireStatus(t, err, codes.Unimplemented, "SignalTask is not supported by this driver")
	_, err = c.ExecTask(ctx, &driverpb.ExecTaskRequest{TaskId: "t1", Command: []string{"true"}})
	requireStatus(t, err, codes.Unimplemented, "ExecTask is not supported by this driver")
	_, err = c.CreateNetwork(ctx, &driverpb.CreateNetworkRequest{AllocId: "a"})
	requireStatus(t, err, codes.Unimplemented, "CreateNetwork is not implemented by this driver")
	_, err = c.DestroyNetwork(ctx, &driverpb.DestroyNetworkRequest{AllocId: "a"})
	requireStatus(t, err, codes.Unimplemented, "DestroyNetwork is not implemented by this driver")

	ts, err := c.TaskStats(ctx, &driverpb.TaskStatsRequest{TaskId: "t1"})
	require.NoError(t, err)
	_, err = ts.Recv()
	requireStatus(t, err, codes.Unimplemented, "stats not implemented for driver")

	es, err := c.ExecTaskStreaming(ctx)
	require.NoError(t, err)
	if err := es.Send(&driverpb.ExecTaskStreamingRequest{Setup: &driverpb.ExecTaskStreamingRequest_Setup{TaskId: "t1", Command: []string{"sh"}}}); err != nil {
		require.ErrorIs(t, err, io.EOF)
	}
	_, err = es.Recv()
	requireStatus(t, err, codes.Unimplemented, "ExecTaskStreaming is not supported by this driver")

	// TaskEvents: no error, a stream that stays open and sends nothing
	// until the host cancels it.
	ectx, cancel := context.WithCancel(ctx)
	ev, err := c.TaskEvents(ectx, &driverpb.TaskEventsRequest{})
	require.NoError(t, err)
	got := make(chan error, 1)
	go func() {
		_, err := ev.Recv()
		got <- err
	}()
	select {
	case err := <-got:
		t.Fatalf("TaskEvents ended or sent before the host cancelled it: %v", err)
	case <-time.After(300 * time.Millisecond):
	}
	cancel()
	select {
	case err := <-got:
		assert.Equal(t, codes.Canceled, status.Code(err), "%v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("TaskEvents did not end after the host cancelled it")
	}
}

// requiredOnlyDevice implements Fingerprint and Reserve only.
type requiredOnlyDevice struct {
	device.Defaults
}

var _ device.Device = requiredOnlyDevice{}

func (requiredOnlyDevice) PluginInfo(context.Context) (*base.PluginInfo, error) {
	return &base.PluginInfo{Type: base.PluginTypeDevice, Name: "min", Version: "0.0.1", APIVersions: []string{base.APIVersion010}}, nil
}
func (requiredOnlyDevice) ConfigSchema(context.Context) (*hclspec.Spec, error) { return nil, nil }
func (requiredOnlyDevice) SetConfig(context.Context, *base.Config) error       { return nil }
func (requiredOnlyDevice) Fingerprint(context.Context) (<-chan *device.FingerprintResponse, error) {
	ch := make(chan *device.FingerprintResponse, 1)
	ch <- &device.FingerprintResponse{}
	return ch, nil
}
func (requiredOnlyDevice) Reserve(context.Context, []string) (*device.ContainerReservation, error) {
	return &device.ContainerReservation{}, nil
}

func TestDeviceDefaults(t *testing.T) {
	c := devicepb.NewDevicePluginClient(connect(t, requiredOnlyDevice{}))
	ctx := ctxT(t)
	_, err := c.Reserve(ctx, &devicepb.ReserveRequest{DeviceIds: []string{"d0"}})
	require.NoError(t, err)
	s, err := c.Stats(ctx, &devicepb.StatsRequest{})
	require.NoError(t, err)
	_, err = s.Recv()
	requireStatus(t, err, codes.Unimplemented, "Stats is not implemented by this plugin")
}
