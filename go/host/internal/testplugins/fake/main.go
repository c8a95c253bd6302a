// Command fake is a small Nomad plugin served by go-plugin's own server, used by
// the host package's tests. "fake driver" serves a driver whose tasks are
// in-memory timers; "fake device" serves a device plugin with two devices.
// Environment switches make it misbehave in ways the host must survive:
// FAKE_BAD_LOGS writes malformed hclog JSON to stderr before serving, and
// FAKE_FP_ONESHOT closes every fingerprint stream after one message.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	plugin "github.com/hashicorp/go-plugin"
	"github.com/yurt-sdk/yurt/go/gen/basepb"
	"github.com/yurt-sdk/yurt/go/gen/devicepb"
	"github.com/yurt-sdk/yurt/go/gen/driverpb"
	"github.com/yurt-sdk/yurt/go/gen/hclspecpb"
	"github.com/yurt-sdk/yurt/go/gen/nomadconst"
	"github.com/yurt-sdk/yurt/go/gen/structspb"
	"github.com/zclconf/go-cty/cty"
	ctymsgpack "github.com/zclconf/go-cty/cty/msgpack"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/timestamppb"
)

var configType = cty.Object(map[string]cty.Type{"greeting": cty.String})

type grpcPlugin struct {
	plugin.NetRPCUnsupportedPlugin
	register func(*grpc.Server)
}

func (g *grpcPlugin) GRPCServer(_ *plugin.GRPCBroker, s *grpc.Server) error {
	g.register(s)
	return nil
}
func (g *grpcPlugin) GRPCClient(context.Context, *plugin.GRPCBroker, *grpc.ClientConn) (interface{}, error) {
	return nil, errors.New("server only")
}

type base struct {
	basepb.UnimplementedBasePluginServer
	typ      basepb.PluginType
	mu       sync.Mutex
	greeting string
}

func (b *base) PluginInfo(context.Context, *basepb.PluginInfoRequest) (*basepb.PluginInfoResponse, error) {
	return &basepb.PluginInfoResponse{Type: b.typ, Name: "fake", PluginVersion: "0.1.0", PluginApiVersions: []string{"0.1.0"}}, nil
}

func (b *base) ConfigSchema(context.Context, *basepb.ConfigSchemaRequest) (*basepb.ConfigSchemaResponse, error) {
	return &basepb.ConfigSchemaResponse{Spec: &hclspecpb.Spec{Block: &hclspecpb.Spec_Object{Object: &hclspecpb.Object{
		Attributes: map[string]*hclspecpb.Spec{"greeting": {Block: &hclspecpb.Spec_Attr{Attr: &hclspecpb.Attr{Name: "greeting", Type: "string"}}}},
	}}}}, nil
}

func (b *base) SetConfig(_ context.Context, r *basepb.SetConfigRequest) (*basepb.SetConfigResponse, error) {
	v, err := ctymsgpack.Unmarshal(r.GetMsgpackConfig(), configType)
	if err != nil {
		return nil, fmt.Errorf("msgpack_config: expected object({greeting=string}): %v", err)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if g := v.GetAttr("greeting"); !g.IsNull() {
		b.greeting = g.AsString()
	}
	return &basepb.SetConfigResponse{}, nil
}

func (b *base) getGreeting() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.greeting
}

type task struct {
	cfg     *driverpb.TaskConfig
	started time.Time
	done    chan struct{}
	result  *driverpb.ExitResult
	stop    chan int32
	once    sync.Once
}

// taskState is what the fake keeps in driver_state.
type taskState struct {
	Started  time.Time `json:"started"`
	RunMS    int       `json:"run_ms"`
	ExitCode int32     `json:"exit_code"`
}

type driver struct {
	driverpb.UnimplementedDriverServer
	base   *base
	mu     sync.Mutex
	tasks  map[string]*task
	events chan *driverpb.DriverTaskEvent
	// fpStreams counts Fingerprint calls (FAKE_FP_FAIL).
	fpStreams atomic.Int32
}

func (d *driver) TaskConfigSchema(context.Context, *driverpb.TaskConfigSchemaRequest) (*driverpb.TaskConfigSchemaResponse, error) {
	return &driverpb.TaskConfigSchemaResponse{Spec: &hclspecpb.Spec{Block: &hclspecpb.Spec_Object{Object: &hclspecpb.Object{}}}}, nil
}

func (d *driver) Capabilities(context.Context, *driverpb.CapabilitiesRequest) (*driverpb.CapabilitiesResponse, error) {
	return &driverpb.CapabilitiesResponse{Capabilities: &driverpb.DriverCapabilities{SendSignals: true, Exec: true}}, nil
}

func (d *driver) Fingerprint(_ *driverpb.FingerprintRequest, s grpc.ServerStreamingServer[driverpb.FingerprintResponse]) error {
	// FAKE_FP_FAIL: the first stream sends a healthy message, then one with
	// err set, then fails; later streams stay open and silent.
	if os.Getenv("FAKE_FP_FAIL") != "" {
		if d.fpStreams.Add(1) > 1 {
			<-s.Context().Done()
			return nil
		}
		_ = s.Send(&driverpb.FingerprintResponse{Health: driverpb.FingerprintResponse_HEALTHY, HealthDescription: "ok"})
		_ = s.Send(&driverpb.FingerprintResponse{Health: driverpb.FingerprintResponse_HEALTHY, Err: "probe broke"})
		return fmt.Errorf("fingerprint source went away")
	}
	for {
		err := s.Send(&driverpb.FingerprintResponse{
			Health: driverpb.FingerprintResponse_HEALTHY, HealthDescription: "ok",
			Attributes: map[string]*structspb.Attribute{"driver.fake.greeting": {Value: &structspb.Attribute_StringVal{StringVal: d.base.getGreeting()}}},
		})
		if err != nil || os.Getenv("FAKE_FP_ONESHOT") != "" {
			return err
		}
		select {
		case <-s.Context().Done():
			return nil
		case <-time.After(time.Second):
		}
	}
}

func (d *driver) run(id string, t *task, st taskState) {
	left := time.Until(st.Started.Add(time.Duration(st.RunMS) * time.Millisecond))
	res := &driverpb.ExitResult{ExitCode: st.ExitCode}
	select {
	case <-time.After(left):
	case sig := <-t.stop:
		res = &driverpb.ExitResult{ExitCode: 128 + sig, Signal: sig}
	}
	t.result = res
	close(t.done)
	d.events <- &driverpb.DriverTaskEvent{TaskId: id, Timestamp: timestamppb.Now(), Message: fmt.Sprintf("exited with %d", res.ExitCode)}
}

func (d *driver) StartTask(_ context.Context, r *driverpb.StartTaskRequest) (*driverpb.StartTaskResponse, error) {
	cfg := r.GetTask()
	runMS, _ := strconv.Atoi(cfg.GetEnv()["RUN_MS"])
	code, _ := strconv.Atoi(cfg.GetEnv()["EXIT_CODE"])
	switch cfg.GetEnv()["FAIL_RESULT"] {
	case "RETRY":
		return &driverpb.StartTaskResponse{Result: driverpb.StartTaskResponse_RETRY, DriverErrorMsg: "image not pulled yet"}, nil
	case "FATAL":
		return &driverpb.StartTaskResponse{Result: driverpb.StartTaskResponse_FATAL, DriverErrorMsg: "no such image"}, nil
	}
	if cfg.GetEnv()["FAIL_RECOVERABLE"] != "" {
		st, _ := status.New(codes.FailedPrecondition, "try again").WithDetails(&structspb.RecoverableError{Recoverable: true})
		return nil, st.Err()
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, ok := d.tasks[cfg.GetId()]; ok {
		return nil, fmt.Errorf("task with id %q already started", cfg.GetId())
	}
	st := taskState{Started: time.Now(), RunMS: runMS, ExitCode: int32(code)}
	t := &task{cfg: cfg, started: st.Started, done: make(chan struct{}), stop: make(chan int32, 1)}
	d.tasks[cfg.GetId()] = t
	go d.run(cfg.GetId(), t, st)
	ds, _ := json.Marshal(st)
	return &driverpb.StartTaskResponse{Handle: &driverpb.TaskHandle{Version: 1, Config: cfg, State: driverpb.TaskState_RUNNING, DriverState: ds}}, nil
}

func (d *driver) RecoverTask(_ context.Context, r *driverpb.RecoverTaskRequest) (*driverpb.RecoverTaskResponse, error) {
	// Nomad never fills task_id (plugins/drivers/client.go RecoverTask); a
	// host that does is not calling plugins as Nomad does.
	if r.GetTaskId() != "" {
		return nil, fmt.Errorf("RecoverTask: field task_id: Nomad sends it empty, got %q", r.GetTaskId())
	}
	id := r.GetHandle().GetConfig().GetId()
	var st taskState
	if err := json.Unmarshal(r.GetHandle().GetDriverState(), &st); err != nil {
		return nil, fmt.Errorf("handle.driver_state: %v", err)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, ok := d.tasks[id]; ok {
		return &driverpb.RecoverTaskResponse{}, nil
	}
	t := &task{cfg: r.GetHandle().GetConfig(), started: st.Started, done: make(chan struct{}), stop: make(chan int32, 1)}
	d.tasks[id] = t
	go d.run(id, t, st)
	return &driverpb.RecoverTaskResponse{}, nil
}

func (d *driver) get(id string) (*task, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	t, ok := d.tasks[id]
	if !ok {
		return nil, errors.New("task not found for given id")
	}
	return t, nil
}

func (d *driver) WaitTask(ctx context.Context, r *driverpb.WaitTaskRequest) (*driverpb.WaitTaskResponse, error) {
	t, err := d.get(r.GetTaskId())
	if err != nil {
		return nil, err
	}
	select {
	case <-t.done:
		return &driverpb.WaitTaskResponse{Result: t.result}, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (d *driver) StopTask(_ context.Context, r *driverpb.StopTaskRequest) (*driverpb.StopTaskResponse, error) {
	t, err := d.get(r.GetTaskId())
	if err != nil {
		return nil, err
	}
	t.once.Do(func() { t.stop <- 15 })
	<-t.done
	return &driverpb.StopTaskResponse{}, nil
}

func (d *driver) DestroyTask(_ context.Context, r *driverpb.DestroyTaskRequest) (*driverpb.DestroyTaskResponse, error) {
	t, err := d.get(r.GetTaskId())
	if err != nil {
		return nil, err
	}
	select {
	case <-t.done:
	default:
		if !r.GetForce() {
			return nil, errors.New("cannot destroy running task")
		}
		t.once.Do(func() { t.stop <- 9 })
		<-t.done
	}
	d.mu.Lock()
	delete(d.tasks, r.GetTaskId())
	d.mu.Unlock()
	return &driverpb.DestroyTaskResponse{}, nil
}

func (d *driver) InspectTask(_ context.Context, r *driverpb.InspectTaskRequest) (*driverpb.InspectTaskResponse, error) {
	t, err := d.get(r.GetTaskId())
	if err != nil {
		return nil, err
	}
	// completed_at is Go's zero time while running, as Nomad's server sends.
	ts := &driverpb.TaskStatus{Id: r.GetTaskId(), Name: t.cfg.GetName(), State: driverpb.TaskState_RUNNING,
		StartedAt: timestamppb.New(t.started), CompletedAt: timestamppb.New(time.Time{}), Result: &driverpb.ExitResult{}}
	select {
	case <-t.done:
		ts.State, ts.Result, ts.CompletedAt = driverpb.TaskState_EXITED, t.result, timestamppb.Now()
	default:
	}
	switch t.cfg.GetEnv()["BAD_INSPECT"] {
	case "no-completed-at": // what the SDKs sent before: Nomad's client fails on it
		ts.CompletedAt = nil
	case "state-9":
		ts.State = 9
	}
	return &driverpb.InspectTaskResponse{Task: ts}, nil
}

func (d *driver) TaskStats(r *driverpb.TaskStatsRequest, s grpc.ServerStreamingServer[driverpb.TaskStatsResponse]) error {
	t, err := d.get(r.GetTaskId())
	if err != nil {
		return err
	}
	iv := r.GetCollectionInterval().AsDuration()
	if iv <= 0 {
		iv = time.Second
	}
	for {
		if err := s.Send(&driverpb.TaskStatsResponse{Stats: &driverpb.TaskStats{Id: r.GetTaskId(), Timestamp: timestamppb.Now(), AggResourceUsage: &driverpb.TaskResourceUsage{}}}); err != nil {
			return err
		}
		select {
		case <-t.done:
			return nil
		case <-s.Context().Done():
			return nil
		case <-time.After(iv):
		}
	}
}

func (d *driver) TaskEvents(_ *driverpb.TaskEventsRequest, s grpc.ServerStreamingServer[driverpb.DriverTaskEvent]) error {
	for {
		select {
		case <-s.Context().Done():
			return nil
		case ev := <-d.events:
			if err := s.Send(ev); err != nil {
				return err
			}
		}
	}
}

func (d *driver) SignalTask(_ context.Context, r *driverpb.SignalTaskRequest) (*driverpb.SignalTaskResponse, error) {
	if _, err := d.get(r.GetTaskId()); err != nil {
		return nil, err
	}
	if !strings.HasPrefix(r.GetSignal(), "SIG") {
		return nil, fmt.Errorf("signal: expected a name like SIGUSR1, got %q", r.GetSignal())
	}
	return &driverpb.SignalTaskResponse{}, nil
}

func (d *driver) ExecTask(_ context.Context, r *driverpb.ExecTaskRequest) (*driverpb.ExecTaskResponse, error) {
	if _, err := d.get(r.GetTaskId()); err != nil {
		return nil, err
	}
	return &driverpb.ExecTaskResponse{Stdout: []byte(strings.Join(r.GetCommand(), " ")), Result: &driverpb.ExitResult{}}, nil
}

// ExecTaskStreaming echoes stdin to stdout until stdin closes, then exits with
// the number of words in the command.
func (d *driver) ExecTaskStreaming(s grpc.BidiStreamingServer[driverpb.ExecTaskStreamingRequest, driverpb.ExecTaskStreamingResponse]) error {
	first, err := s.Recv()
	if err != nil {
		return err
	}
	setup := first.GetSetup()
	if _, err := d.get(setup.GetTaskId()); err != nil {
		return err
	}
	prefix := ""
	if setup.GetTty() {
		prefix = "tty:"
	}
	for {
		m, err := s.Recv()
		if err != nil {
			return err
		}
		if in := m.GetStdin(); in != nil {
			if len(in.GetData()) > 0 {
				if err := s.Send(&driverpb.ExecTaskStreamingResponse{Stdout: &driverpb.ExecTaskStreamingIOOperation{Data: append([]byte(prefix), in.GetData()...)}}); err != nil {
					return err
				}
			}
			if in.GetClose() {
				return s.Send(&driverpb.ExecTaskStreamingResponse{Exited: true, Result: &driverpb.ExitResult{ExitCode: int32(len(setup.GetCommand()))}})
			}
		}
	}
}

type device struct {
	devicepb.UnimplementedDevicePluginServer
}

func (device) Fingerprint(_ *devicepb.FingerprintRequest, s grpc.ServerStreamingServer[devicepb.FingerprintResponse]) error {
	if err := s.Send(&devicepb.FingerprintResponse{DeviceGroup: []*devicepb.DeviceGroup{{
		Vendor: "yurt", DeviceType: "fake", DeviceName: "dev",
		Devices:    []*devicepb.DetectedDevice{{ID: "dev-0", Healthy: true}, {ID: "dev-1", Healthy: true}},
		Attributes: map[string]*structspb.Attribute{"memory": {Value: &structspb.Attribute_IntVal{IntVal: 2}, Unit: "GiB"}},
	}}}); err != nil {
		return err
	}
	<-s.Context().Done()
	return nil
}

func (device) Reserve(_ context.Context, r *devicepb.ReserveRequest) (*devicepb.ReserveResponse, error) {
	for _, id := range r.GetDeviceIds() {
		if id != "dev-0" && id != "dev-1" {
			return nil, status.Errorf(codes.InvalidArgument, "unknown device %q", id)
		}
	}
	return &devicepb.ReserveResponse{ContainerRes: &devicepb.ContainerReservation{Envs: map[string]string{"FAKE_DEVICES": strings.Join(r.GetDeviceIds(), ",")}}}, nil
}

func (device) Stats(r *devicepb.StatsRequest, s grpc.ServerStreamingServer[devicepb.StatsResponse]) error {
	for {
		if err := s.Send(&devicepb.StatsResponse{Groups: []*devicepb.DeviceGroupStats{{Vendor: "yurt", Type: "fake", Name: "dev",
			InstanceStats: map[string]*devicepb.DeviceStats{"dev-0": {Timestamp: timestamppb.Now()}, "dev-1": {Timestamp: timestamppb.Now()}}}}}); err != nil {
			return err
		}
		select {
		case <-s.Context().Done():
			return nil
		case <-time.After(r.GetCollectionInterval().AsDuration()):
		}
	}
}

func main() {
	if os.Getenv("FAKE_BAD_LOGS") != "" {
		fmt.Fprintln(os.Stderr, `{"@level":"info","@message":123,"@timestamp":"2024-01-02T03:04:05.000000Z"}`)
		fmt.Fprintln(os.Stderr, `{"@level":7,"@message":"x","@timestamp":"2024-01-02T03:04:05.000000Z"}`)
		fmt.Fprintln(os.Stderr, `{"@level":"info","@message":"fine","@timestamp":"2024-01-02T03:04:05.000000Z"}`)
	}
	mode := ""
	if len(os.Args) > 1 {
		mode = os.Args[1]
	}
	var register func(*grpc.Server)
	switch mode {
	case "driver":
		b := &base{typ: basepb.PluginType_DRIVER}
		d := &driver{base: b, tasks: map[string]*task{}, events: make(chan *driverpb.DriverTaskEvent, 64)}
		register = func(s *grpc.Server) {
			basepb.RegisterBasePluginServer(s, b)
			driverpb.RegisterDriverServer(s, d)
		}
	case "device":
		register = func(s *grpc.Server) {
			basepb.RegisterBasePluginServer(s, &base{typ: basepb.PluginType_DEVICE})
			devicepb.RegisterDevicePluginServer(s, device{})
		}
	default:
		fmt.Fprintf(os.Stderr, "usage: fake driver|device (got %q)\n", mode)
		os.Exit(2)
	}
	plugin.Serve(&plugin.ServeConfig{
		HandshakeConfig: plugin.HandshakeConfig{ProtocolVersion: nomadconst.AppProtocolVersion,
			MagicCookieKey: nomadconst.MagicCookieKey, MagicCookieValue: nomadconst.MagicCookieValue},
		Plugins:    plugin.PluginSet{"fake": &grpcPlugin{register: register}},
		GRPCServer: plugin.DefaultGRPCServer,
	})
}
