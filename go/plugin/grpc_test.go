package plugin

import (
	"context"
	"io"
	"testing"
	"time"

	goplugin "github.com/hashicorp/go-plugin"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/durationpb"

	"github.com/yurt-sdk/yurt/go/gen/basepb"
	"github.com/yurt-sdk/yurt/go/gen/devicepb"
	"github.com/yurt-sdk/yurt/go/gen/driverpb"
	"github.com/yurt-sdk/yurt/go/gen/structspb"
	"github.com/yurt-sdk/yurt/go/hclspec"
	"github.com/yurt-sdk/yurt/go/internal/convert/deviceconv"
	"github.com/yurt-sdk/yurt/go/internal/convert/driverconv"
	"github.com/yurt-sdk/yurt/go/internal/convert/specconv"
	"github.com/yurt-sdk/yurt/go/plugin/base"
	"github.com/yurt-sdk/yurt/go/plugin/device"
	"github.com/yurt-sdk/yurt/go/plugin/driver"
)

// connect serves impl in-process through go-plugin's real gRPC stack and
// returns the client connection.
func connect(t *testing.T, impl any) *grpc.ClientConn {
	t.Helper()
	var set goplugin.PluginSet
	switch p := impl.(type) {
	case driver.Driver:
		set = driverSet(p)
	case device.Device:
		set = deviceSet(p)
	default:
		t.Fatalf("%T is neither a driver nor a device", impl)
	}
	client, _ := goplugin.TestPluginGRPCConn(t, false, set)
	t.Cleanup(func() { _ = client.Close() })
	return client.Conn
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func requireStatus(t *testing.T, err error, code codes.Code, msg string) *status.Status {
	t.Helper()
	require.Error(t, err)
	st, ok := status.FromError(err)
	require.True(t, ok, "not a status: %v", err)
	assert.Equal(t, code, st.Code(), "status %v", st)
	assert.Equal(t, msg, st.Message())
	return st
}

func TestBaseRPCs(t *testing.T) {
	fd := &fakeDriver{}
	conn := connect(t, fd)
	ctx := ctxT(t)
	c := basepb.NewBasePluginClient(conn)

	info, err := c.PluginInfo(ctx, &basepb.PluginInfoRequest{})
	require.NoError(t, err)
	assert.Equal(t, basepb.PluginType_DRIVER, info.GetType())
	assert.Equal(t, []string{"v0.1.0"}, info.GetPluginApiVersions())
	assert.Equal(t, "fake", info.GetName())

	schema, err := c.ConfigSchema(ctx, &basepb.ConfigSchemaRequest{})
	require.NoError(t, err)
	_, err = hclspec.Convert(specconv.FromProto(schema.GetSpec()))
	require.NoError(t, err)
	assert.NotNil(t, schema.GetSpec().GetObject().GetAttributes()["enabled"].GetDefault())

	val, diags := hclspec.DecodeHCL([]byte("enabled = false\n"), "p.hcl", specconv.FromProto(schema.GetSpec()), nil)
	require.False(t, diags.HasErrors())
	mp, err := hclspec.EncodeMsgpack(val)
	require.NoError(t, err)
	_, err = c.SetConfig(ctx, &basepb.SetConfigRequest{MsgpackConfig: mp, PluginApiVersion: "v0.1.0",
		NomadConfig: &basepb.NomadConfig{Driver: &basepb.NomadDriverConfig{ClientMinPort: 20000, ClientMaxPort: 32000}}})
	require.NoError(t, err)
	fd.mu.Lock()
	got := fd.config
	fd.mu.Unlock()
	assert.Equal(t, "v0.1.0", got.APIVersion)
	assert.Equal(t, &base.AgentConfig{ClientMinPort: 20000, ClientMaxPort: 32000}, got.Agent)
	var cfg struct {
		Enabled bool `cty:"enabled"`
	}
	cfg.Enabled = true
	require.NoError(t, base.DecodeConfig(got.MsgpackConfig, specconv.FromProto(schema.GetSpec()), &cfg))
	assert.False(t, cfg.Enabled)

	_, err = c.SetConfig(ctx, &basepb.SetConfigRequest{MsgpackConfig: []byte("bad")})
	requireStatus(t, err, codes.Unknown, "config rejected")
}

func TestDriverOptionalUnimplemented(t *testing.T) {
	c := driverpb.NewDriverClient(connect(t, &fakeDriver{}))
	ctx := ctxT(t)
	_, err := c.Init(ctx, &driverpb.InitRequest{})
	requireStatus(t, err, codes.Unimplemented, "Init is not implemented by this driver")
	_, err = c.Shutdown(ctx, &driverpb.ShutdownRequest{})
	requireStatus(t, err, codes.Unimplemented, "Shutdown is not implemented by this driver")
	_, err = c.CreateNetwork(ctx, &driverpb.CreateNetworkRequest{AllocId: "a"})
	requireStatus(t, err, codes.Unimplemented, "CreateNetwork is not implemented by this driver")
	_, err = c.DestroyNetwork(ctx, &driverpb.DestroyNetworkRequest{AllocId: "a"})
	requireStatus(t, err, codes.Unimplemented, "DestroyNetwork is not implemented by this driver")
	s, err := c.ExecTaskStreaming(ctx)
	require.NoError(t, err)
	// The server may end the stream before the setup message is sent: Send
	// then returns io.EOF and the status comes from Recv (grpc's stream rules).
	if err := s.Send(&driverpb.ExecTaskStreamingRequest{Setup: &driverpb.ExecTaskStreamingRequest_Setup{TaskId: "t1", Command: []string{"sh"}}}); err != nil {
		require.ErrorIs(t, err, io.EOF)
	}
	_, err = s.Recv()
	requireStatus(t, err, codes.Unimplemented, "ExecTaskStreaming is not supported by this driver")
}

func TestDriverOptionalImplemented(t *testing.T) {
	fd := &fullDriver{fakeDriver: &fakeDriver{}}
	c := driverpb.NewDriverClient(connect(t, fd))
	ctx := ctxT(t)
	_, err := c.Init(ctx, &driverpb.InitRequest{})
	require.NoError(t, err)
	_, err = c.Shutdown(ctx, &driverpb.ShutdownRequest{})
	require.NoError(t, err)
	assert.True(t, fd.inited)
	assert.True(t, fd.shut)
	net, err := c.CreateNetwork(ctx, &driverpb.CreateNetworkRequest{AllocId: "a1", Hostname: "h"})
	require.NoError(t, err)
	assert.True(t, net.GetCreated())
	assert.Equal(t, driverpb.NetworkIsolationSpec_GROUP, net.GetIsolationSpec().GetMode())
	assert.Equal(t, "h", net.GetIsolationSpec().GetHostsConfig().GetHostname())
	_, err = c.DestroyNetwork(ctx, &driverpb.DestroyNetworkRequest{AllocId: "a1", IsolationSpec: net.GetIsolationSpec()})
	require.NoError(t, err)
	_, err = c.DestroyNetwork(ctx, &driverpb.DestroyNetworkRequest{AllocId: "a2"})
	requireStatus(t, err, codes.Unknown, "unexpected spec <nil>")
}

func TestDriverRPCs(t *testing.T) {
	fd := &fakeDriver{}
	c := driverpb.NewDriverClient(connect(t, fd))
	ctx := ctxT(t)

	schema, err := c.TaskConfigSchema(ctx, &driverpb.TaskConfigSchemaRequest{})
	require.NoError(t, err)
	assert.Equal(t, "command", schema.GetSpec().GetObject().GetAttributes()["command"].GetAttr().GetName())

	caps, err := c.Capabilities(ctx, &driverpb.CapabilitiesRequest{})
	require.NoError(t, err)
	assert.True(t, caps.GetCapabilities().GetSendSignals())
	assert.Equal(t, driverpb.DriverCapabilities_NO_MOUNTS, caps.GetCapabilities().GetMountConfigs())
	assert.True(t, caps.GetCapabilities().GetDisableLogCollection(), "sent, unlike Nomad's Go SDK")
	assert.Equal(t, []driverpb.NetworkIsolationSpec_NetworkIsolationMode{driverpb.NetworkIsolationSpec_HOST, driverpb.NetworkIsolationSpec_GROUP},
		caps.GetCapabilities().GetNetworkIsolationModes())

	// Fingerprint streams both messages, the second with err.
	fctx, fcancel := context.WithCancel(ctx)
	fs, err := c.Fingerprint(fctx, &driverpb.FingerprintRequest{})
	require.NoError(t, err)
	f1, err := fs.Recv()
	require.NoError(t, err)
	assert.Equal(t, driverpb.FingerprintResponse_HEALTHY, f1.GetHealth())
	assert.Equal(t, "1", f1.GetAttributes()["driver.fake.version"].GetStringVal())
	f2, err := fs.Recv()
	require.NoError(t, err)
	assert.Equal(t, "probe failed", f2.GetErr())
	fcancel()

	// StartTask carries the whole config and returns handle and network.
	mp := []byte{0x81, 0xa7, 'c', 'o', 'm', 'm', 'a', 'n', 'd', 0xa1, 'x'}
	task := &driverpb.TaskConfig{Id: "t1", Name: "web", MsgpackDriverConfig: mp, Env: map[string]string{"A": "1"},
		Resources: &driverpb.Resources{AllocatedResources: &driverpb.AllocatedTaskResources{Memory: &driverpb.AllocatedMemoryResources{MemoryMb: 256}},
			Ports: []*driverpb.PortMapping{{Label: "http", Value: 25000, To: 80}}},
		Mounts: []*driverpb.Mount{{TaskPath: "/data", HostPath: "/srv", Readonly: true}}, User: "nobody",
		StdoutPath: "/tmp/o", StderrPath: "/tmp/e", AllocId: "a1", ParentJobId: "p"}
	start, err := c.StartTask(ctx, &driverpb.StartTaskRequest{Task: task})
	require.NoError(t, err)
	fd.mu.Lock()
	started := fd.started
	fd.mu.Unlock()
	assert.Equal(t, "web", started.Name)
	assert.Equal(t, int64(256), started.Resources.MemoryMB)
	assert.Equal(t, []driver.PortMapping{{Label: "http", Value: 25000, To: 80}}, started.Resources.Ports)
	assert.Equal(t, []driver.Mount{{TaskPath: "/data", HostPath: "/srv", ReadOnly: true}}, started.Mounts)
	assert.Equal(t, "p", started.ParentJobID)
	var dc struct {
		Command string `cty:"command"`
	}
	require.NoError(t, started.DecodeDriverConfig(specconv.FromProto(schema.GetSpec()), &dc))
	assert.Equal(t, "x", dc.Command)
	assert.Equal(t, int32(1), start.GetHandle().GetVersion())
	assert.Equal(t, driverpb.TaskState_RUNNING, start.GetHandle().GetState())
	assert.JSONEq(t, `{"pid":42}`, string(start.GetHandle().GetDriverState()))
	assert.Equal(t, "t1", start.GetHandle().GetConfig().GetId())
	assert.Equal(t, map[string]int32{"http": 8080}, start.GetNetworkOverride().GetPortMap())

	// Recoverable and plain StartTask errors as Nomad expects them.
	_, err = c.StartTask(ctx, &driverpb.StartTaskRequest{Task: &driverpb.TaskConfig{Id: "retry"}})
	st := requireStatus(t, err, codes.FailedPrecondition, "image not ready")
	require.Len(t, st.Details(), 1)
	assert.True(t, st.Details()[0].(*structspb.RecoverableError).GetRecoverable())
	_, err = c.StartTask(ctx, &driverpb.StartTaskRequest{Task: &driverpb.TaskConfig{Id: "fatal"}})
	st = requireStatus(t, err, codes.FailedPrecondition, "bad image")
	assert.False(t, st.Details()[0].(*structspb.RecoverableError).GetRecoverable())
	_, err = c.StartTask(ctx, &driverpb.StartTaskRequest{Task: &driverpb.TaskConfig{Id: "plain"}})
	st = requireStatus(t, err, codes.Unknown, "plain failure")
	assert.Empty(t, st.Details())
	_, err = c.StartTask(ctx, &driverpb.StartTaskRequest{})
	requireStatus(t, err, codes.Unknown, "StartTask: task config is missing")

	// RecoverTask: the handle arrives intact; empty config still has the ID.
	_, err = c.RecoverTask(ctx, &driverpb.RecoverTaskRequest{TaskId: "t1", Handle: &driverpb.TaskHandle{Version: 1, DriverState: []byte(`{"pid":42}`)}})
	require.NoError(t, err)
	fd.mu.Lock()
	rec := fd.recovered
	fd.mu.Unlock()
	assert.Equal(t, "t1", rec.Config.ID)
	var ds map[string]int
	require.NoError(t, rec.GetDriverState(&ds))
	assert.Equal(t, 42, ds["pid"])
	// As Nomad sends it: only the handle, the id in handle.config.id.
	_, err = c.RecoverTask(ctx, &driverpb.RecoverTaskRequest{Handle: &driverpb.TaskHandle{Version: 1, Config: &driverpb.TaskConfig{Id: "a1/web/0123abcd"}, DriverState: []byte(`{"pid":43}`)}})
	require.NoError(t, err)
	fd.mu.Lock()
	rec = fd.recovered
	fd.mu.Unlock()
	assert.Equal(t, "a1/web/0123abcd", rec.Config.ID)
	_, err = c.RecoverTask(ctx, &driverpb.RecoverTaskRequest{Handle: &driverpb.TaskHandle{Config: &driverpb.TaskConfig{}}})
	requireStatus(t, err, codes.Unknown, `RecoverTask: field handle.config.id: expected the task id, got "" (and task_id is empty too)`)
	_, err = c.RecoverTask(ctx, &driverpb.RecoverTaskRequest{TaskId: "gone", Handle: &driverpb.TaskHandle{}})
	requireStatus(t, err, codes.Unknown, "task not found for given id")
	_, err = c.RecoverTask(ctx, &driverpb.RecoverTaskRequest{TaskId: "x"})
	requireStatus(t, err, codes.Unknown, `RecoverTask: handle is missing for task "x"`)

	// WaitTask: result, driver-side error text, unknown task, cancellation.
	w, err := c.WaitTask(ctx, &driverpb.WaitTaskRequest{TaskId: "t1"})
	require.NoError(t, err)
	assert.Equal(t, &driverpb.ExitResult{ExitCode: 3, Signal: 9, OomKilled: true}, w.GetResult())
	w, err = c.WaitTask(ctx, &driverpb.WaitTaskRequest{TaskId: "waiterr"})
	require.NoError(t, err)
	assert.Equal(t, "lost track", w.GetErr())
	// A WaitTask that fails (result unknown) is answered as Nomad's drivers
	// do: the error beside exit code -1 (drivers/rawexec/driver.go handleWait).
	w, err = c.WaitTask(ctx, &driverpb.WaitTaskRequest{TaskId: "lost"})
	require.NoError(t, err)
	assert.Equal(t, "supervisor lost", w.GetErr())
	assert.Equal(t, int32(-1), w.GetResult().GetExitCode())
	_, err = c.WaitTask(ctx, &driverpb.WaitTaskRequest{TaskId: "nope"})
	requireStatus(t, err, codes.Unknown, "task not found for given id")
	wctx, wcancel := context.WithTimeout(ctx, 100*time.Millisecond)
	_, err = c.WaitTask(wctx, &driverpb.WaitTaskRequest{TaskId: "block"})
	wcancel()
	assert.Equal(t, codes.DeadlineExceeded, status.Code(err))

	_, err = c.StopTask(ctx, &driverpb.StopTaskRequest{TaskId: "t1", Timeout: durationpb.New(3 * time.Second), Signal: "SIGTERM"})
	require.NoError(t, err)
	_, err = c.DestroyTask(ctx, &driverpb.DestroyTaskRequest{TaskId: "t1"})
	requireStatus(t, err, codes.Unknown, "cannot destroy running task")
	_, err = c.DestroyTask(ctx, &driverpb.DestroyTaskRequest{TaskId: "t1", Force: true})
	require.NoError(t, err)
	_, err = c.SignalTask(ctx, &driverpb.SignalTaskRequest{TaskId: "t1", Signal: "SIGHUP"})
	require.NoError(t, err)
	fd.mu.Lock()
	assert.Equal(t, []any{"t1", 3 * time.Second, "SIGTERM"}, fd.stopped)
	assert.Equal(t, []any{"t1", false, "t1", true}, fd.destroyed)
	assert.Equal(t, []string{"t1", "SIGHUP"}, fd.signalled)
	fd.mu.Unlock()

	insp, err := c.InspectTask(ctx, &driverpb.InspectTaskRequest{TaskId: "t1"})
	require.NoError(t, err)
	got := driverconv.InspectResponseFromProto(insp)
	assert.Equal(t, driver.TaskStateExited, got.State)
	assert.Equal(t, time.Unix(100, 5).UTC(), got.StartedAt)
	assert.Equal(t, 1, got.ExitResult.ExitCode)
	assert.Equal(t, "42", got.DriverAttributes["pid"])
	assert.Equal(t, "1.2.3.4", got.NetworkOverride.Addr)
	_, err = c.InspectTask(ctx, &driverpb.InspectTaskRequest{TaskId: "nope"})
	requireStatus(t, err, codes.Unknown, "task not found for given id")

	// TaskStats: the stream, the default interval, recoverable setup errors.
	ss, err := c.TaskStats(ctx, &driverpb.TaskStatsRequest{TaskId: "t1"})
	require.NoError(t, err)
	s1, err := ss.Recv()
	require.NoError(t, err)
	assert.Equal(t, 12.5, s1.GetStats().GetAggResourceUsage().GetCpu().GetPercent())
	assert.Equal(t, uint64(4096), s1.GetStats().GetResourceUsageByPid()["42"].GetMemory().GetRss())
	_, err = ss.Recv()
	assert.Equal(t, io.EOF, err, "stream ends when the driver closes its channel")
	fd.mu.Lock()
	assert.Equal(t, time.Second, fd.statsIval)
	fd.mu.Unlock()
	ss, err = c.TaskStats(ctx, &driverpb.TaskStatsRequest{TaskId: "nostats", CollectionInterval: durationpb.New(250 * time.Millisecond)})
	require.NoError(t, err)
	_, err = ss.Recv()
	st = requireStatus(t, err, codes.FailedPrecondition, "stats not ready")
	assert.True(t, st.Details()[0].(*structspb.RecoverableError).GetRecoverable())
	fd.mu.Lock()
	assert.Equal(t, 250*time.Millisecond, fd.statsIval)
	fd.mu.Unlock()

	ectx, ecancel := context.WithCancel(ctx)
	es, err := c.TaskEvents(ectx, &driverpb.TaskEventsRequest{})
	require.NoError(t, err)
	ev, err := es.Recv()
	require.NoError(t, err)
	assert.Equal(t, "pulled", ev.GetMessage())
	assert.Equal(t, int64(7), ev.GetTimestamp().GetSeconds())
	ecancel()

	ex, err := c.ExecTask(ctx, &driverpb.ExecTaskRequest{TaskId: "t1", Command: []string{"ls", "-l"}, Timeout: durationpb.New(time.Second)})
	require.NoError(t, err)
	assert.Equal(t, "[ls -l]", string(ex.GetStdout()))
	assert.Equal(t, "1s", string(ex.GetStderr()))
	assert.Equal(t, int32(7), ex.GetResult().GetExitCode())
	_, err = c.ExecTask(ctx, &driverpb.ExecTaskRequest{TaskId: "t1"})
	requireStatus(t, err, codes.Unknown, "ExecTask: command is empty, expected at least the program to run")
}

func TestExecTaskStreaming(t *testing.T) {
	c := driverpb.NewDriverClient(connect(t, &fullDriver{fakeDriver: &fakeDriver{}}))
	ctx := ctxT(t)

	s, err := c.ExecTaskStreaming(ctx)
	require.NoError(t, err)
	require.NoError(t, s.Send(&driverpb.ExecTaskStreamingRequest{Setup: &driverpb.ExecTaskStreamingRequest_Setup{TaskId: "t1", Command: []string{"cat"}, Tty: true}}))
	require.NoError(t, s.Send(&driverpb.ExecTaskStreamingRequest{TtySize: &driverpb.ExecTaskStreamingRequest_TerminalSize{Height: 24, Width: 80}}))
	require.NoError(t, s.Send(&driverpb.ExecTaskStreamingRequest{Stdin: &driverpb.ExecTaskStreamingIOOperation{Data: []byte("hello")}}))
	require.NoError(t, s.Send(&driverpb.ExecTaskStreamingRequest{Stdin: &driverpb.ExecTaskStreamingIOOperation{Close: true}}))

	var stdout, stderr []byte
	var last *driverpb.ExecTaskStreamingResponse
	for {
		m, err := s.Recv()
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		stdout = append(stdout, m.GetStdout().GetData()...)
		stderr = append(stderr, m.GetStderr().GetData()...)
		if m.GetExited() {
			last = m
		}
	}
	assert.Equal(t, "HELLO", string(stdout))
	assert.Equal(t, "size 80x24\n", string(stderr))
	require.NotNil(t, last, "final message has exited set")
	assert.Equal(t, int32(5), last.GetResult().GetExitCode())

	// Protocol errors name the problem.
	s, err = c.ExecTaskStreaming(ctx)
	require.NoError(t, err)
	require.NoError(t, s.Send(&driverpb.ExecTaskStreamingRequest{Stdin: &driverpb.ExecTaskStreamingIOOperation{Data: []byte("x")}}))
	_, err = s.Recv()
	requireStatus(t, err, codes.InvalidArgument, "ExecTaskStreaming: first message must carry setup (task_id, command, tty)")

	s, err = c.ExecTaskStreaming(ctx)
	require.NoError(t, err)
	require.NoError(t, s.Send(&driverpb.ExecTaskStreamingRequest{Setup: &driverpb.ExecTaskStreamingRequest_Setup{TaskId: "nope", Command: []string{"sh"}}}))
	_, err = s.Recv()
	requireStatus(t, err, codes.Unknown, "task not found for given id")
}

func TestDeviceRPCs(t *testing.T) {
	fd := &fakeDevice{}
	conn := connect(t, fd)
	ctx := ctxT(t)

	info, err := basepb.NewBasePluginClient(conn).PluginInfo(ctx, &basepb.PluginInfoRequest{})
	require.NoError(t, err)
	assert.Equal(t, basepb.PluginType_DEVICE, info.GetType())
	schema, err := basepb.NewBasePluginClient(conn).ConfigSchema(ctx, &basepb.ConfigSchemaRequest{})
	require.NoError(t, err)
	assert.Nil(t, specconv.FromProto(schema.GetSpec()), "no schema means no configuration")

	c := devicepb.NewDevicePluginClient(conn)
	fs, err := c.Fingerprint(ctx, &devicepb.FingerprintRequest{})
	require.NoError(t, err)
	f, err := fs.Recv()
	require.NoError(t, err)
	g := deviceconv.FingerprintFromProto(f).Groups[0]
	assert.Equal(t, "yurt", g.Vendor)
	assert.Equal(t, []*device.Instance{{ID: "d0", Healthy: true, PCIBusID: "0000:00:01.0"}, {ID: "d1", HealthDescription: "broken"}}, g.Devices)
	assert.Equal(t, base.NewIntAttribute(4, "MiB"), g.Attributes["size"])
	_, err = fs.Recv()
	requireStatus(t, err, codes.Unknown, "enumeration failed")

	r, err := c.Reserve(ctx, &devicepb.ReserveRequest{DeviceIds: []string{"d0", "d1"}})
	require.NoError(t, err)
	res := deviceconv.ReservationFromProto(r.GetContainerRes())
	assert.Equal(t, "[d0 d1]", res.Envs["FAKE_DEVICES"])
	assert.Equal(t, []device.Mount{{TaskPath: "/dev/fake", HostPath: "/tmp/fake", ReadOnly: true}}, res.Mounts)
	assert.Equal(t, []device.DeviceSpec{{TaskPath: "/dev/f0", HostPath: "/dev/null", Permissions: "rw"}}, res.Devices)
	_, err = c.Reserve(ctx, &devicepb.ReserveRequest{DeviceIds: []string{"d0", "zz"}})
	requireStatus(t, err, codes.Unknown, "unknown device IDs: zz")
	_, err = c.Reserve(ctx, &devicepb.ReserveRequest{})
	requireStatus(t, err, codes.Unknown, "Reserve: no device IDs given")

	sctx, scancel := context.WithCancel(ctx)
	defer scancel()
	ss, err := c.Stats(sctx, &devicepb.StatsRequest{})
	require.NoError(t, err)
	sr, err := ss.Recv()
	require.NoError(t, err)
	stats := deviceconv.StatsFromProto(sr)
	assert.Equal(t, int64(3), *stats.Groups[0].InstanceStats["d0"].Summary.IntNumerator)
	assert.Equal(t, time.Unix(9, 0).UTC(), stats.Groups[0].InstanceStats["d0"].Timestamp)
	fd.mu.Lock()
	assert.Equal(t, time.Second, fd.statsIval, "interval 0 means 1s")
	fd.mu.Unlock()
}
