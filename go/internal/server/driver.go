package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/yurt-sdk/yurt/go/gen/driverpb"
	"github.com/yurt-sdk/yurt/go/internal/convert/baseconv"
	"github.com/yurt-sdk/yurt/go/internal/convert/driverconv"
	"github.com/yurt-sdk/yurt/go/internal/convert/specconv"
	"github.com/yurt-sdk/yurt/go/plugin/base"
	"github.com/yurt-sdk/yurt/go/plugin/driver"
)

// Server serves the Driver gRPC service for a Driver.
type Driver struct {
	driverpb.UnimplementedDriverServer
	Impl driver.Driver
}

// wireError applies Nomad's error conventions: ErrTaskNotFound travels as
// its exact text, everything else as baseconv.StatusError makes it.
func wireError(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, driver.ErrTaskNotFound) {
		var rec *base.RecoverableError
		if !errors.As(err, &rec) {
			return status.Error(codes.Unknown, driver.ErrTaskNotFound.Error())
		}
	}
	return baseconv.StatusError(err)
}

// Init serves the Driver Init RPC (driver.Defaults answers Unimplemented).
func (s *Driver) Init(ctx context.Context, _ *driverpb.InitRequest) (*driverpb.InitResponse, error) {
	if err := s.Impl.Init(ctx); err != nil {
		return nil, wireError(err)
	}
	return &driverpb.InitResponse{}, nil
}

// Shutdown serves the Driver Shutdown RPC (driver.Defaults answers
// Unimplemented).
func (s *Driver) Shutdown(ctx context.Context, _ *driverpb.ShutdownRequest) (*driverpb.ShutdownResponse, error) {
	if err := s.Impl.Shutdown(ctx); err != nil {
		return nil, wireError(err)
	}
	return &driverpb.ShutdownResponse{}, nil
}

// TaskConfigSchema serves the Driver TaskConfigSchema RPC: it calls the plugin's TaskConfigSchema and
// maps its answer, and its errors, to the wire as Nomad expects them.
func (s *Driver) TaskConfigSchema(ctx context.Context, _ *driverpb.TaskConfigSchemaRequest) (*driverpb.TaskConfigSchemaResponse, error) {
	spec, err := s.Impl.TaskConfigSchema(ctx)
	if err != nil {
		return nil, wireError(err)
	}
	return &driverpb.TaskConfigSchemaResponse{Spec: specconv.ToProto(spec)}, nil
}

// Capabilities serves the Driver Capabilities RPC: it calls the plugin's Capabilities and
// maps its answer, and its errors, to the wire as Nomad expects them.
func (s *Driver) Capabilities(ctx context.Context, _ *driverpb.CapabilitiesRequest) (*driverpb.CapabilitiesResponse, error) {
	c, err := s.Impl.Capabilities(ctx)
	if err != nil {
		return nil, wireError(err)
	}
	return &driverpb.CapabilitiesResponse{Capabilities: driverconv.CapabilitiesToProto(c)}, nil
}

// Fingerprint serves the Driver Fingerprint RPC: it calls the plugin's Fingerprint and
// maps its answer, and its errors, to the wire as Nomad expects them.
func (s *Driver) Fingerprint(_ *driverpb.FingerprintRequest, stream grpc.ServerStreamingServer[driverpb.FingerprintResponse]) error {
	ctx := stream.Context()
	ch, err := s.Impl.Fingerprint(ctx)
	if err != nil {
		return wireError(err)
	}
	return baseconv.Pump(ctx, ch, nil, driverconv.FingerprintToProto, stream.Send)
}

// RecoverTask serves the Driver RecoverTask RPC: it calls the plugin's RecoverTask and
// maps its answer, and its errors, to the wire as Nomad expects them.
func (s *Driver) RecoverTask(ctx context.Context, req *driverpb.RecoverTaskRequest) (*driverpb.RecoverTaskResponse, error) {
	h := driverconv.TaskHandleFromProto(req.GetHandle())
	if h == nil {
		return nil, wireError(fmt.Errorf("RecoverTask: handle is missing for task %q", req.GetTaskId()))
	}
	// Nomad sends only the handle: task_id is empty and the id is
	// handle.config.id (hashicorp/nomad v2.0.5 plugins/drivers/client.go
	// RecoverTask). task_id is used only when the handle has no id.
	if h.Config == nil {
		h.Config = &driver.TaskConfig{}
	}
	if h.Config.ID == "" {
		h.Config.ID = req.GetTaskId()
	}
	if h.Config.ID == "" {
		return nil, wireError(errors.New("RecoverTask: field handle.config.id: expected the task id, got \"\" (and task_id is empty too)"))
	}
	if err := s.Impl.RecoverTask(ctx, h); err != nil {
		return nil, wireError(err)
	}
	return &driverpb.RecoverTaskResponse{}, nil
}

// StartTask serves the Driver StartTask RPC: it calls the plugin's StartTask and
// maps its answer, and its errors, to the wire as Nomad expects them.
func (s *Driver) StartTask(ctx context.Context, req *driverpb.StartTaskRequest) (*driverpb.StartTaskResponse, error) {
	cfg := driverconv.TaskConfigFromProto(req.GetTask())
	if cfg == nil {
		return nil, wireError(errors.New("StartTask: task config is missing"))
	}
	h, net, err := s.Impl.StartTask(ctx, cfg)
	if err != nil {
		return nil, wireError(err)
	}
	if h == nil {
		return nil, wireError(fmt.Errorf("StartTask: driver returned no handle for task %q", cfg.ID))
	}
	return &driverpb.StartTaskResponse{Handle: driverconv.TaskHandleToProto(h), NetworkOverride: driverconv.NetworkOverrideToProto(net)}, nil
}

// WaitTask serves the Driver WaitTask RPC: it calls the plugin's WaitTask and
// maps its answer, and its errors, to the wire as Nomad expects them.
func (s *Driver) WaitTask(ctx context.Context, req *driverpb.WaitTaskRequest) (*driverpb.WaitTaskResponse, error) {
	r, err := s.Impl.WaitTask(ctx, req.GetTaskId())
	if err != nil {
		if errors.Is(err, driver.ErrTaskNotFound) || ctx.Err() != nil {
			return nil, wireError(err)
		}
		// The task's result cannot be known (its supervisor is lost): Nomad's
		// own drivers answer the error with exit code -1, never 0 (hashicorp/
		// nomad v2.0.5 drivers/rawexec/driver.go handleWait: "if process state
		// is nil, we've probably been killed, so return a reasonable exit
		// state": ExitCode = -1; drivers/exec/driver.go does the same).
		return &driverpb.WaitTaskResponse{Err: err.Error(), Result: &driverpb.ExitResult{ExitCode: -1}}, nil
	}
	return driverconv.WaitResponseToProto(r), nil
}

// StopTask serves the Driver StopTask RPC: it calls the plugin's StopTask and
// maps its answer, and its errors, to the wire as Nomad expects them.
func (s *Driver) StopTask(ctx context.Context, req *driverpb.StopTaskRequest) (*driverpb.StopTaskResponse, error) {
	if err := s.Impl.StopTask(ctx, req.GetTaskId(), req.GetTimeout().AsDuration(), req.GetSignal()); err != nil {
		return nil, wireError(err)
	}
	return &driverpb.StopTaskResponse{}, nil
}

// DestroyTask serves the Driver DestroyTask RPC: it calls the plugin's DestroyTask and
// maps its answer, and its errors, to the wire as Nomad expects them.
func (s *Driver) DestroyTask(ctx context.Context, req *driverpb.DestroyTaskRequest) (*driverpb.DestroyTaskResponse, error) {
	if err := s.Impl.DestroyTask(ctx, req.GetTaskId(), req.GetForce()); err != nil {
		return nil, wireError(err)
	}
	return &driverpb.DestroyTaskResponse{}, nil
}

// InspectTask serves the Driver InspectTask RPC: it calls the plugin's InspectTask and
// maps its answer, and its errors, to the wire as Nomad expects them.
func (s *Driver) InspectTask(ctx context.Context, req *driverpb.InspectTaskRequest) (*driverpb.InspectTaskResponse, error) {
	st, err := s.Impl.InspectTask(ctx, req.GetTaskId())
	if err != nil {
		return nil, wireError(err)
	}
	if st == nil {
		return nil, wireError(fmt.Errorf("InspectTask: driver returned no status for task %q", req.GetTaskId()))
	}
	return driverconv.InspectResponseToProto(st), nil
}

// TaskStats serves the Driver TaskStats RPC: it calls the plugin's TaskStats and
// maps its answer, and its errors, to the wire as Nomad expects them.
func (s *Driver) TaskStats(req *driverpb.TaskStatsRequest, stream grpc.ServerStreamingServer[driverpb.TaskStatsResponse]) error {
	ctx := stream.Context()
	interval := req.GetCollectionInterval().AsDuration()
	if interval <= 0 {
		interval = defaultStatsInterval
	}
	ch, err := s.Impl.TaskStats(ctx, req.GetTaskId(), interval)
	if err != nil {
		return wireError(err)
	}
	return baseconv.Pump(ctx, ch, nil, func(t *driver.TaskStats) *driverpb.TaskStatsResponse {
		return &driverpb.TaskStatsResponse{Stats: driverconv.TaskStatsToProto(t)}
	}, stream.Send)
}

// TaskEvents serves the Driver TaskEvents RPC: it calls the plugin's TaskEvents and
// maps its answer, and its errors, to the wire as Nomad expects them.
func (s *Driver) TaskEvents(_ *driverpb.TaskEventsRequest, stream grpc.ServerStreamingServer[driverpb.DriverTaskEvent]) error {
	ctx := stream.Context()
	ch, err := s.Impl.TaskEvents(ctx)
	if err != nil {
		return wireError(err)
	}
	return baseconv.Pump(ctx, ch, nil, driverconv.TaskEventToProto, stream.Send)
}

// SignalTask serves the Driver SignalTask RPC: it calls the plugin's SignalTask and
// maps its answer, and its errors, to the wire as Nomad expects them.
func (s *Driver) SignalTask(ctx context.Context, req *driverpb.SignalTaskRequest) (*driverpb.SignalTaskResponse, error) {
	if err := s.Impl.SignalTask(ctx, req.GetTaskId(), req.GetSignal()); err != nil {
		return nil, wireError(err)
	}
	return &driverpb.SignalTaskResponse{}, nil
}

// ExecTask serves the Driver ExecTask RPC: it calls the plugin's ExecTask and
// maps its answer, and its errors, to the wire as Nomad expects them.
func (s *Driver) ExecTask(ctx context.Context, req *driverpb.ExecTaskRequest) (*driverpb.ExecTaskResponse, error) {
	if len(req.GetCommand()) == 0 {
		return nil, wireError(errors.New("ExecTask: command is empty, expected at least the program to run"))
	}
	r, err := s.Impl.ExecTask(ctx, req.GetTaskId(), req.GetCommand(), req.GetTimeout().AsDuration())
	if err != nil {
		return nil, wireError(err)
	}
	if r == nil {
		r = &driver.ExecResult{}
	}
	return driverconv.ExecResultToProto(r), nil
}

// CreateNetwork serves the Driver CreateNetwork RPC (driver.Defaults answers
// Unimplemented).
func (s *Driver) CreateNetwork(ctx context.Context, req *driverpb.CreateNetworkRequest) (*driverpb.CreateNetworkResponse, error) {
	spec, created, err := s.Impl.CreateNetwork(ctx, req.GetAllocId(), req.GetHostname())
	if err != nil {
		return nil, wireError(err)
	}
	return &driverpb.CreateNetworkResponse{IsolationSpec: driverconv.NetworkIsolationToProto(spec), Created: created}, nil
}

// DestroyNetwork serves the Driver DestroyNetwork RPC (driver.Defaults
// answers Unimplemented).
func (s *Driver) DestroyNetwork(ctx context.Context, req *driverpb.DestroyNetworkRequest) (*driverpb.DestroyNetworkResponse, error) {
	if err := s.Impl.DestroyNetwork(ctx, req.GetAllocId(), driverconv.NetworkIsolationFromProto(req.GetIsolationSpec())); err != nil {
		return nil, wireError(err)
	}
	return &driverpb.DestroyNetworkResponse{}, nil
}

// ExecTaskStreaming: the first client message must carry setup; later ones
// carry stdin data, stdin close and terminal sizes. Output goes back as it
// is written; the last message has exited set and the result.
func (s *Driver) ExecTaskStreaming(stream grpc.BidiStreamingServer[driverpb.ExecTaskStreamingRequest, driverpb.ExecTaskStreamingResponse]) error {
	first, err := stream.Recv()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return status.Error(codes.InvalidArgument, "ExecTaskStreaming: stream closed before the setup message")
		}
		return err
	}
	setup := first.GetSetup()
	if setup == nil {
		return status.Error(codes.InvalidArgument, "ExecTaskStreaming: first message must carry setup (task_id, command, tty)")
	}
	if len(setup.GetCommand()) == 0 {
		return status.Error(codes.InvalidArgument, "ExecTaskStreaming: setup.command is empty, expected at least the program to run")
	}
	ctx, cancel := context.WithCancel(stream.Context())
	defer cancel()

	stdinR, stdinW := io.Pipe()
	resize := make(chan driver.TerminalSize, 4)
	var sendMu sync.Mutex
	exited := false
	send := func(m *driverpb.ExecTaskStreamingResponse) error {
		sendMu.Lock()
		defer sendMu.Unlock()
		if exited {
			// Output written by a straggling goroutine after the result.
			return io.ErrClosedPipe
		}
		if m.GetExited() {
			exited = true
		}
		return stream.Send(m)
	}
	recvDone := make(chan struct{})
	go func() {
		defer close(recvDone)
		defer close(resize)
		for {
			msg, err := stream.Recv()
			if err != nil {
				// The client went away or half-closed: no more stdin.
				_ = stdinW.CloseWithError(io.EOF)
				return
			}
			if in := msg.GetStdin(); in != nil {
				if len(in.GetData()) > 0 {
					if _, err := stdinW.Write(in.GetData()); err != nil {
						continue // the command stopped reading stdin; drop input
					}
				}
				if in.GetClose() {
					_ = stdinW.Close()
				}
			}
			if sz := msg.GetTtySize(); sz != nil {
				select {
				case resize <- driver.TerminalSize{Height: int(sz.GetHeight()), Width: int(sz.GetWidth())}:
				case <-ctx.Done():
					return
				}
			}
		}
	}()

	opts := &driver.ExecOptions{
		Command: setup.GetCommand(), Tty: setup.GetTty(), Stdin: stdinR, Resize: resize,
		Stdout: streamWriter(func(b []byte) error {
			return send(&driverpb.ExecTaskStreamingResponse{Stdout: &driverpb.ExecTaskStreamingIOOperation{Data: b}})
		}),
		Stderr: streamWriter(func(b []byte) error {
			return send(&driverpb.ExecTaskStreamingResponse{Stderr: &driverpb.ExecTaskStreamingIOOperation{Data: b}})
		}),
	}
	res, err := s.Impl.ExecTaskStreaming(ctx, setup.GetTaskId(), opts)
	// Unblock a command still reading stdin.
	_ = stdinR.CloseWithError(io.EOF)
	if err != nil {
		return wireError(err)
	}
	_ = send(&driverpb.ExecTaskStreamingResponse{Stdout: &driverpb.ExecTaskStreamingIOOperation{Close: true}})
	if !setup.GetTty() {
		_ = send(&driverpb.ExecTaskStreamingResponse{Stderr: &driverpb.ExecTaskStreamingIOOperation{Close: true}})
	}
	if res == nil {
		res = &driver.ExitResult{}
	}
	return send(&driverpb.ExecTaskStreamingResponse{Exited: true, Result: driverconv.ExitResultToProto(res)})
}

type streamWriter func([]byte) error

func (w streamWriter) Write(b []byte) (int, error) {
	if len(b) == 0 {
		return 0, nil
	}
	// The stream may hold on to the slice; the caller may reuse it.
	if err := w(append([]byte(nil), b...)); err != nil {
		return 0, err
	}
	return len(b), nil
}

// defaultStatsInterval applies when the host asks for stats without an
// interval (Nomad's own default collection interval).
const defaultStatsInterval = time.Second
