package host

import (
	"context"
	"errors"
	"fmt"
	"github.com/yurt-sdk/yurt/go/internal/convert/driverconv"
	"github.com/yurt-sdk/yurt/go/internal/convert/specconv"
	"time"

	"github.com/yurt-sdk/yurt/go/gen/driverpb"
	"github.com/yurt-sdk/yurt/go/hclspec"
	"github.com/yurt-sdk/yurt/go/plugin/base"
	"github.com/yurt-sdk/yurt/go/plugin/driver"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/durationpb"
)

// Driver is a typed client of a task-driver plugin's Driver service. It
// speaks the SDK's types (go/plugin/driver), as a plugin does: each reply is
// checked as Nomad's client decodes it (validate.go), then converted.
type Driver struct {
	conn grpc.ClientConnInterface
	c    driverpb.DriverClient
}

// Driver returns the typed Driver client of this plugin.
func (p *Plugin) Driver() *Driver { return NewDriver(p.conn) }

// NewDriver is the typed Driver client over any gRPC connection to a driver
// plugin (a launched plugin's Conn, or an in-process server's).
func NewDriver(conn grpc.ClientConnInterface) *Driver {
	return &Driver{conn: conn, c: driverpb.NewDriverClient(conn)}
}

// Conn is the connection the client calls through; a caller that must send
// what this client never sends (malformed requests) builds its own client
// of the generated code on it.
func (d *Driver) Conn() grpc.ClientConnInterface { return d.conn }

// TaskConfigSchema returns the task configuration schema.
func (d *Driver) TaskConfigSchema(ctx context.Context) (*hclspec.Spec, error) {
	r, err := d.c.TaskConfigSchema(ctx, &driverpb.TaskConfigSchemaRequest{})
	if err != nil {
		return nil, fmt.Errorf("TaskConfigSchema: %w", err)
	}
	return specconv.FromProto(r.GetSpec()), nil
}

// Capabilities returns the driver's capabilities.
func (d *Driver) Capabilities(ctx context.Context) (*driver.Capabilities, error) {
	r, err := d.c.Capabilities(ctx, &driverpb.CapabilitiesRequest{})
	if err != nil {
		return nil, fmt.Errorf("Capabilities: %w", err)
	}
	if r.GetCapabilities() == nil {
		return nil, errors.New("Capabilities: response field capabilities: expected a message, got none")
	}
	if err := checkCapabilitiesReply(r); err != nil {
		return nil, err
	}
	return driverconv.CapabilitiesFromProto(r.GetCapabilities()), nil
}

// Fingerprint opens the fingerprint stream once.
func (d *Driver) Fingerprint(ctx context.Context) (Receiver[*driver.Fingerprint], error) {
	s, err := d.c.Fingerprint(ctx, &driverpb.FingerprintRequest{})
	if err != nil {
		return nil, fmt.Errorf("Fingerprint: %w", err)
	}
	return convReceiver[*driverpb.FingerprintResponse, *driver.Fingerprint]{s, checkFingerprintReply, driverconv.FingerprintFromProto}, nil
}

// FollowFingerprint keeps the fingerprint stream open, reconnecting with backoff.
func (d *Driver) FollowFingerprint(ctx context.Context, b Backoff, onMsg func(*driver.Fingerprint), onEnd func(StreamEvent)) error {
	return Follow(ctx, b, d.Fingerprint, onMsg, onEnd)
}

// StartTask starts a task and returns its handle (what the host stores and
// gives back to RecoverTask) and the driver's network override, if any. A
// reply with result RETRY or FATAL is an error, as in Nomad's client
// (plugins/drivers/client.go StartTask): RETRY's is a *base.RecoverableError
// with Recoverable set (base.IsRecoverable). A gRPC error's RecoverableError
// detail is available via Recoverable.
func (d *Driver) StartTask(ctx context.Context, cfg *driver.TaskConfig) (*driver.TaskHandle, *driver.NetworkOverride, error) {
	if cfg == nil || cfg.ID == "" {
		return nil, nil, errors.New("StartTask: field task.id: expected a non-empty task id, got \"\"")
	}
	r, err := d.c.StartTask(ctx, &driverpb.StartTaskRequest{Task: driverconv.TaskConfigToProto(cfg)})
	if err != nil {
		return nil, nil, fmt.Errorf("StartTask %s: %w", cfg.ID, err)
	}
	if res := r.GetResult(); res != driverpb.StartTaskResponse_SUCCESS {
		err := fmt.Errorf("StartTask %s: result %s: %s", cfg.ID, res, r.GetDriverErrorMsg())
		if res == driverpb.StartTaskResponse_RETRY {
			err = base.NewRecoverableError(err, true)
		}
		return nil, nil, err
	}
	if err := checkStartReply(r); err != nil {
		return nil, nil, fmt.Errorf("StartTask %s: %w", cfg.ID, err)
	}
	return driverconv.TaskHandleFromProto(r.GetHandle()), driverconv.NetworkOverrideFromProto(r.GetNetworkOverride()), nil
}

// RecoverTask hands a stored handle to a (possibly fresh) plugin process
// exactly as Nomad's client does: RecoverTaskRequest{Handle: h}, task_id
// left empty (hashicorp/nomad v2.0.5 plugins/drivers/client.go
// RecoverTask builds only Handle). The plugin finds the task's id in
// h.Config.ID, which Nomad also uses for every later call
// (client/allocrunner/taskrunner/task_runner.go restoreHandle).
func (d *Driver) RecoverTask(ctx context.Context, h *driver.TaskHandle) error {
	if h == nil || h.Config == nil || h.Config.ID == "" {
		return errors.New("RecoverTask: field handle.config.id: expected the task id (Nomad sends the id only there), got \"\"")
	}
	if _, err := d.c.RecoverTask(ctx, &driverpb.RecoverTaskRequest{Handle: driverconv.TaskHandleToProto(h)}); err != nil {
		return fmt.Errorf("RecoverTask %s: %w", h.Config.ID, err)
	}
	return nil
}

// WaitTask blocks until the task exits and returns its result. A non-empty
// response err field is returned as an error together with the result
// (whose Err holds the same text).
func (d *Driver) WaitTask(ctx context.Context, taskID string) (*driver.ExitResult, error) {
	r, err := d.c.WaitTask(ctx, &driverpb.WaitTaskRequest{TaskId: taskID})
	if err != nil {
		return nil, fmt.Errorf("WaitTask %s: %w", taskID, err)
	}
	if err := checkWaitReply(r); err != nil {
		return nil, fmt.Errorf("WaitTask %s: %w", taskID, err)
	}
	if r.GetErr() != "" {
		return driverconv.WaitResponseFromProto(r), fmt.Errorf("WaitTask %s: driver error: %s", taskID, r.GetErr())
	}
	return driverconv.ExitResultFromProto(r.GetResult()), nil
}

// StopTask sends signal (empty: driver default), then kills after timeout.
func (d *Driver) StopTask(ctx context.Context, taskID string, timeout time.Duration, signal string) error {
	if _, err := d.c.StopTask(ctx, &driverpb.StopTaskRequest{TaskId: taskID, Timeout: durationpb.New(timeout), Signal: signal}); err != nil {
		return fmt.Errorf("StopTask %s: %w", taskID, err)
	}
	return nil
}

// DestroyTask removes a task; a running task needs force.
func (d *Driver) DestroyTask(ctx context.Context, taskID string, force bool) error {
	if _, err := d.c.DestroyTask(ctx, &driverpb.DestroyTaskRequest{TaskId: taskID, Force: force}); err != nil {
		return fmt.Errorf("DestroyTask %s: %w", taskID, err)
	}
	return nil
}

// InspectTask returns the task's status. A running task's status has no
// ExitResult (the wire carries an empty one, which Nomad requires).
func (d *Driver) InspectTask(ctx context.Context, taskID string) (*driver.TaskStatus, error) {
	r, err := d.c.InspectTask(ctx, &driverpb.InspectTaskRequest{TaskId: taskID})
	if err != nil {
		return nil, fmt.Errorf("InspectTask %s: %w", taskID, err)
	}
	if err := checkInspectReply(r); err != nil {
		return nil, fmt.Errorf("InspectTask %s: %w", taskID, err)
	}
	return driverconv.InspectResponseFromProto(r), nil
}

// TaskStats opens the stats stream of one task once.
func (d *Driver) TaskStats(ctx context.Context, taskID string, interval time.Duration) (Receiver[*driver.TaskStats], error) {
	s, err := d.c.TaskStats(ctx, &driverpb.TaskStatsRequest{TaskId: taskID, CollectionInterval: durationpb.New(interval)})
	if err != nil {
		return nil, fmt.Errorf("TaskStats %s: %w", taskID, err)
	}
	check := func(m *driverpb.TaskStatsResponse) error {
		if err := checkStatsReply(m); err != nil {
			return fmt.Errorf("TaskStats %s: %w", taskID, err)
		}
		return nil
	}
	conv := func(m *driverpb.TaskStatsResponse) *driver.TaskStats {
		return driverconv.TaskStatsFromProto(m.GetStats())
	}
	return convReceiver[*driverpb.TaskStatsResponse, *driver.TaskStats]{s, check, conv}, nil
}

// FollowTaskStats keeps a task's stats stream open, reconnecting with backoff.
func (d *Driver) FollowTaskStats(ctx context.Context, taskID string, interval time.Duration, b Backoff, onMsg func(*driver.TaskStats), onEnd func(StreamEvent)) error {
	return Follow(ctx, b, func(ctx context.Context) (Receiver[*driver.TaskStats], error) {
		return d.TaskStats(ctx, taskID, interval)
	}, onMsg, onEnd)
}

// TaskEvents opens the driver's task event stream once.
func (d *Driver) TaskEvents(ctx context.Context) (Receiver[*driver.TaskEvent], error) {
	s, err := d.c.TaskEvents(ctx, &driverpb.TaskEventsRequest{})
	if err != nil {
		return nil, fmt.Errorf("TaskEvents: %w", err)
	}
	return convReceiver[*driverpb.DriverTaskEvent, *driver.TaskEvent]{s, nil, driverconv.TaskEventFromProto}, nil
}

// FollowTaskEvents keeps the task event stream open, reconnecting with backoff.
func (d *Driver) FollowTaskEvents(ctx context.Context, b Backoff, onMsg func(*driver.TaskEvent), onEnd func(StreamEvent)) error {
	return Follow(ctx, b, d.TaskEvents, onMsg, onEnd)
}

// SignalTask sends a signal (e.g. "SIGUSR1") to the task.
func (d *Driver) SignalTask(ctx context.Context, taskID, signal string) error {
	if _, err := d.c.SignalTask(ctx, &driverpb.SignalTaskRequest{TaskId: taskID, Signal: signal}); err != nil {
		return fmt.Errorf("SignalTask %s %s: %w", taskID, signal, err)
	}
	return nil
}

// ExecTask runs a command in the task's context and returns its output and
// exit result.
func (d *Driver) ExecTask(ctx context.Context, taskID string, command []string, timeout time.Duration) (*driver.ExecResult, error) {
	if len(command) == 0 {
		return nil, errors.New("ExecTask: field command: expected at least one word, got none")
	}
	r, err := d.c.ExecTask(ctx, &driverpb.ExecTaskRequest{TaskId: taskID, Command: command, Timeout: durationpb.New(timeout)})
	if err != nil {
		return nil, fmt.Errorf("ExecTask %s: %w", taskID, err)
	}
	if err := checkExecReply(r); err != nil {
		return nil, fmt.Errorf("ExecTask %s: %w", taskID, err)
	}
	return driverconv.ExecResultFromProto(r), nil
}

// CreateNetwork asks the driver to create an allocation's network namespace;
// created is false when it already existed (Nomad's client returns the same
// pair, plugins/drivers/client.go CreateNetwork).
func (d *Driver) CreateNetwork(ctx context.Context, allocID, hostname string) (spec *driver.NetworkIsolationSpec, created bool, err error) {
	r, err := d.c.CreateNetwork(ctx, &driverpb.CreateNetworkRequest{AllocId: allocID, Hostname: hostname})
	if err != nil {
		return nil, false, fmt.Errorf("CreateNetwork %s: %w", allocID, err)
	}
	return driverconv.NetworkIsolationFromProto(r.GetIsolationSpec()), r.GetCreated(), nil
}

// DestroyNetwork removes an allocation's network namespace.
func (d *Driver) DestroyNetwork(ctx context.Context, allocID string, spec *driver.NetworkIsolationSpec) error {
	if _, err := d.c.DestroyNetwork(ctx, &driverpb.DestroyNetworkRequest{AllocId: allocID, IsolationSpec: driverconv.NetworkIsolationToProto(spec)}); err != nil {
		return fmt.Errorf("DestroyNetwork %s: %w", allocID, err)
	}
	return nil
}

// Init calls the optional Driver.Init; Unimplemented counts as success and is
// reported through implemented.
func (d *Driver) Init(ctx context.Context) (implemented bool, err error) {
	if _, err := d.c.Init(ctx, &driverpb.InitRequest{}); err != nil {
		if IsUnimplemented(err) {
			return false, nil
		}
		return true, fmt.Errorf("Init: %w", err)
	}
	return true, nil
}

// Shutdown calls the optional Driver.Shutdown; Unimplemented counts as success.
func (d *Driver) Shutdown(ctx context.Context) (implemented bool, err error) {
	if _, err := d.c.Shutdown(ctx, &driverpb.ShutdownRequest{}); err != nil {
		if IsUnimplemented(err) {
			return false, nil
		}
		return true, fmt.Errorf("Shutdown: %w", err)
	}
	return true, nil
}
