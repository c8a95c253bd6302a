// Yurt contracts: Nomad plugin API v0.1.0, the task driver service.
//
// Written for Yurt from the wire facts of Nomad's plugin API. The package,
// service, message and field names and numbers below are fixed by the wire and
// MUST NOT change: a Nomad agent calls them by these names.
//
// The package is split over four files of the same package: this one (the
// Driver service and its requests and responses), task.proto (the task:
// config, resources, mounts, network, handle, status, events), exec.proto
// (ExecTask and ExecTaskStreaming) and task_stats.proto (resource usage).
// The wire knows packages and names, not files: the split changes nothing a
// Nomad agent sees. What this header says holds for all four.
//
// What Nomad actually sends and decodes is the referee for every comment
// here (hashicorp/nomad v2.0.5 plugins/drivers/client.go and utils.go,
// client/allocrunner/taskrunner/). Where a comment and Nomad's code disagree,
// Nomad's code wins.
//
// Error conventions, for every RPC here:
//   - A plain failure is a gRPC status with code Unknown and a message that
//     says what went wrong. Nomad's Go plugin server sends every plain Go
//     error this way; nothing maps errors to other codes.
//   - A call naming a task the driver does not know MUST fail with a message
//     containing exactly "task not found for given id" (Nomad's
//     drivers.ErrTaskNotFound text). Nomad's client compares that error by Go
//     identity, so over gRPC it never matches: hosts and tools match the text.
//   - StartTask and TaskStats MAY attach a
//     hashicorp.nomad.plugins.shared.structs.RecoverableError as the first
//     status detail (code FailedPrecondition) to say whether a retry can work.
//   - An RPC marked optional below MAY return Unimplemented; hosts ignore it.
//
// Error kinds: the one vocabulary of the Go, Python and Rust SDKs (also for
// BasePlugin and DevicePlugin). spec/vectors/errors.json, cut from the Go SDK,
// holds each kind's code and message; all three SDK test suites check it.
//   kind            code                message
//   TaskNotFound    Unknown             exactly "task not found for given id"
//   Recoverable     FailedPrecondition  the text, + RecoverableError{recoverable}
//                   (recoverable false: a fatal StartTask failure)
//   InvalidConfig   Unknown             names the field, e.g. config.port[0].to
//                   (config bytes that do not decode: a plain error, as Nomad's
//                   Go plugins send it)
//   InvalidRequest  InvalidArgument     the request's shape is wrong (no task
//                   handle, an exec stream without its setup message)
//   Unsupported     Unknown             "<RPC> is not supported by this
//                   driver|plugin": the plugin's own answer for SignalTask or
//                   ExecTask when its Capabilities say it cannot (Nomad's
//                   drivers answer so)
//   Unimplemented   Unimplemented       the SDK's default for an RPC the plugin
//                   leaves out (the optional-RPC table below)
//   Plain           Unknown             the error's text
// Spelled per SDK:
//   Go      driver.ErrTaskNotFound, base.RecoverableError, base.DecodeConfig's
//           errors, status InvalidArgument, a plain error, Unimplemented for a
//           missing optional interface (driver.Initializer, ...), a plain error
//   Python  TaskNotFoundError, RecoverableError, ConfigError,
//           InvalidRequestError, PluginError("... is not supported ..."),
//           NotImplementedError, PluginError (or any exception)
//   Rust    Error::TaskNotFound, Error::Recoverable, Error::InvalidConfig,
//           Error::InvalidArgument, Error::Unsupported, Error::Unimplemented,
//           Error::Other
//
// Optional RPCs, the one table (the Go, Python and Rust SDKs and the
// conformance harness follow it). "SDK default" is what a plugin written
// with a Yurt SDK answers when it does not implement the method; every
// default is code Unimplemented. Nomad's side is hashicorp/nomad v2.0.5
// plugins/drivers/client.go (every error goes through
// grpcutils.HandleGrpcErr; nothing there special-cases Unimplemented except
// Init and Shutdown, in client/pluginmanager/drivermanager/instance.go).
//
//   RPC                required?                      SDK default (Unimplemented, message)             what Nomad does with it
//   TaskConfigSchema   required                       -                                                -
//   Capabilities       required                       -                                                -
//   Fingerprint        required                       -                                                -
//   RecoverTask        required                       -                                                see "Recovery" below
//   StartTask          required                       -                                                -
//   WaitTask           required                       -                                                -
//   StopTask           required                       -                                                -
//   DestroyTask        required                       -                                                -
//   InspectTask        required                       -                                                -
//   TaskStats          optional                       "stats not implemented for driver"               logs it; retries with back-off (the
//                                                                                                     text is Nomad's DriverStatsNotImplemented)
//   TaskEvents         optional                       no error: a stream that stays open, sends        keeps the stream open
//                                                     nothing, and ends at plugin shutdown
//   SignalTask         required if send_signals       "SignalTask is not supported by this driver"     called only when send_signals is true;
//                                                                                                     the error reaches the user
//   ExecTask           required if exec               "ExecTask is not supported by this driver"       called only when exec is true (script
//                                                                                                     checks); the error reaches the user
//   ExecTaskStreaming  required if exec               "ExecTaskStreaming is not supported by this      called only when exec is true
//                                                     driver"
//   CreateNetwork      required if must_create_network "CreateNetwork is not implemented by this       called only when must_create_network
//   DestroyNetwork                                    driver" (and DestroyNetwork likewise)
//   Init               optional                       "Init is not implemented by this driver"         ignores Unimplemented
//   Shutdown           optional                       "Shutdown is not implemented by this driver"     ignores Unimplemented
//
// The Python SDK answers Init and Shutdown itself, with OK: it has no Init
// hook for a plugin (Init does nothing), and Shutdown runs the SDK's own
// shutdown (held streams end, the server stops). Nomad handles OK and
// Unimplemented alike for both.
//
// The conformance harness requires every "required" row, requires a
// "required if" row exactly when the capability is set (and that the RPC
// fails when it is not), and skips task-stats cases on a plugin whose
// TaskStats answers Unimplemented.
//
// Recovery: RecoverTask MUST succeed for a task the driver can still control
// (including one it already knows, and in a fresh plugin process from
// handle.driver_state alone), and MUST fail when the task cannot be found or
// controlled again. On a failure Nomad's client calls DestroyTask(force) and
// the task is lost (client/allocrunner/taskrunner/task_runner.go).

// Code generated by protoc-gen-go-grpc. DO NOT EDIT.
// versions:
// - protoc-gen-go-grpc v1.6.0
// - protoc             (unknown)
// source: hashicorp/nomad/plugins/drivers/proto/driver.proto

package driverpb

import (
	context "context"
	grpc "google.golang.org/grpc"
	codes "google.golang.org/grpc/codes"
	status "google.golang.org/grpc/status"
)

// This is a compile-time assertion to ensure that this generated file
// is compatible with the grpc package it is being compiled against.
// Requires gRPC-Go v1.64.0 or later.
const _ = grpc.SupportPackageIsVersion9

const (
	Driver_TaskConfigSchema_FullMethodName  = "/hashicorp.nomad.plugins.drivers.proto.Driver/TaskConfigSchema"
	Driver_Capabilities_FullMethodName      = "/hashicorp.nomad.plugins.drivers.proto.Driver/Capabilities"
	Driver_Fingerprint_FullMethodName       = "/hashicorp.nomad.plugins.drivers.proto.Driver/Fingerprint"
	Driver_RecoverTask_FullMethodName       = "/hashicorp.nomad.plugins.drivers.proto.Driver/RecoverTask"
	Driver_StartTask_FullMethodName         = "/hashicorp.nomad.plugins.drivers.proto.Driver/StartTask"
	Driver_WaitTask_FullMethodName          = "/hashicorp.nomad.plugins.drivers.proto.Driver/WaitTask"
	Driver_StopTask_FullMethodName          = "/hashicorp.nomad.plugins.drivers.proto.Driver/StopTask"
	Driver_DestroyTask_FullMethodName       = "/hashicorp.nomad.plugins.drivers.proto.Driver/DestroyTask"
	Driver_InspectTask_FullMethodName       = "/hashicorp.nomad.plugins.drivers.proto.Driver/InspectTask"
	Driver_TaskStats_FullMethodName         = "/hashicorp.nomad.plugins.drivers.proto.Driver/TaskStats"
	Driver_TaskEvents_FullMethodName        = "/hashicorp.nomad.plugins.drivers.proto.Driver/TaskEvents"
	Driver_SignalTask_FullMethodName        = "/hashicorp.nomad.plugins.drivers.proto.Driver/SignalTask"
	Driver_ExecTask_FullMethodName          = "/hashicorp.nomad.plugins.drivers.proto.Driver/ExecTask"
	Driver_ExecTaskStreaming_FullMethodName = "/hashicorp.nomad.plugins.drivers.proto.Driver/ExecTaskStreaming"
	Driver_CreateNetwork_FullMethodName     = "/hashicorp.nomad.plugins.drivers.proto.Driver/CreateNetwork"
	Driver_DestroyNetwork_FullMethodName    = "/hashicorp.nomad.plugins.drivers.proto.Driver/DestroyNetwork"
	Driver_Init_FullMethodName              = "/hashicorp.nomad.plugins.drivers.proto.Driver/Init"
	Driver_Shutdown_FullMethodName          = "/hashicorp.nomad.plugins.drivers.proto.Driver/Shutdown"
)

// DriverClient is the client API for Driver service.
//
// For semantics around ctx use and closing/ending streaming RPCs, please refer to https://pkg.go.dev/google.golang.org/grpc/?tab=doc#ClientConn.NewStream.
//
// Driver runs tasks: it starts, watches, signals, stops and destroys them, and
// recovers them after the host or the plugin restarts. A driver also serves
// BasePlugin with type DRIVER.
//
// The recovery rule: the host stores the TaskHandle returned by StartTask and,
// after a restart, passes it to RecoverTask in a possibly fresh plugin process
// with `handle.config.msgpack_driver_config` EMPTY and
// RecoverTaskRequest.task_id EMPTY: the task's id is `handle.config.id`.
// Everything a driver needs to find and control the task again MUST be in
// `handle.driver_state`.
type DriverClient interface {
	// TaskConfigSchema returns the hclspec of a task's `config {}` block.
	TaskConfigSchema(ctx context.Context, in *TaskConfigSchemaRequest, opts ...grpc.CallOption) (*TaskConfigSchemaResponse, error)
	// Capabilities says which optional features the driver supports. The host
	// relies on it: a driver that says send_signals MUST implement SignalTask,
	// and one that says exec MUST implement ExecTask and ExecTaskStreaming.
	Capabilities(ctx context.Context, in *CapabilitiesRequest, opts ...grpc.CallOption) (*CapabilitiesResponse, error)
	// Fingerprint streams the driver's health and node attributes. The driver
	// MUST send the first response at once, then send again when something
	// changes (or periodically), until the client cancels.
	Fingerprint(ctx context.Context, in *FingerprintRequest, opts ...grpc.CallOption) (grpc.ServerStreamingClient[FingerprintResponse], error)
	// RecoverTask re-attaches the driver to a task it started earlier, using only
	// `handle.driver_state` (`handle.config.msgpack_driver_config` is empty, and
	// so is `task_id`: the id is `handle.config.id`). If the task is already
	// known the call MUST succeed without side effects. After success the task
	// MUST be waitable, inspectable and stoppable under `handle.config.id`. If
	// the task exited meanwhile, recovery succeeds and WaitTask reports the real
	// exit. If the task cannot be found (it no longer exists, or driver_state is
	// unreadable) the call MUST fail: Nomad then calls DestroyTask(force) and
	// starts the task again, so a false success leaves a task nobody watches.
	RecoverTask(ctx context.Context, in *RecoverTaskRequest, opts ...grpc.CallOption) (*RecoverTaskResponse, error)
	// StartTask starts a task and returns its handle. `task.id` is the key for
	// every later call and MUST be unique: starting an id that is already known
	// is an error. On failure the driver MUST clean up whatever it created.
	// Nomad uses `handle.config.id` of the returned handle for every call after
	// a recovery, so the handle MUST carry the task's config with its id.
	StartTask(ctx context.Context, in *StartTaskRequest, opts ...grpc.CallOption) (*StartTaskResponse, error)
	// WaitTask blocks until the task exits and returns its result. It MAY be
	// called any number of times, concurrently, and after the task exited (then
	// it returns at once), until the task is destroyed.
	WaitTask(ctx context.Context, in *WaitTaskRequest, opts ...grpc.CallOption) (*WaitTaskResponse, error)
	// StopTask sends `signal` (empty means the driver's default, usually
	// SIGINT or SIGTERM) and, if the task is still running after `timeout`,
	// kills it and every process it started. It returns once the task has
	// exited. It does not clean up: WaitTask and InspectTask keep working
	// afterwards. Nomad sends timeout = min(kill_timeout, client
	// max_kill_timeout) and signal = the task's kill_signal.
	StopTask(ctx context.Context, in *StopTaskRequest, opts ...grpc.CallOption) (*StopTaskResponse, error)
	// DestroyTask forgets a task and cleans up its resources. It MUST fail for a
	// running task unless `force` is set, in which case it kills it first.
	DestroyTask(ctx context.Context, in *DestroyTaskRequest, opts ...grpc.CallOption) (*DestroyTaskResponse, error)
	// InspectTask returns the task's status. Nomad's Go client decodes both
	// TaskStatus timestamps and fails on a missing one (see TaskStatus).
	InspectTask(ctx context.Context, in *InspectTaskRequest, opts ...grpc.CallOption) (*InspectTaskResponse, error)
	// TaskStats streams resource usage of a running task at
	// `collection_interval` until the client cancels or the task exits. Units
	// are Nomad's (see CPUUsage and MemoryUsage); Nomad's client drops a
	// message without `stats.timestamp`.
	TaskStats(ctx context.Context, in *TaskStatsRequest, opts ...grpc.CallOption) (grpc.ServerStreamingClient[TaskStatsResponse], error)
	// TaskEvents streams driver events about any task (image pulls, restarts,
	// warnings) for the life of the plugin. One long-lived stream per host;
	// events are routed by alloc_id and task_name.
	TaskEvents(ctx context.Context, in *TaskEventsRequest, opts ...grpc.CallOption) (grpc.ServerStreamingClient[DriverTaskEvent], error)
	// SignalTask delivers a signal, by name ("SIGHUP"), to the task. Required
	// when Capabilities.send_signals is true; otherwise Unimplemented (see the
	// optional-RPC table at the top).
	SignalTask(ctx context.Context, in *SignalTaskRequest, opts ...grpc.CallOption) (*SignalTaskResponse, error)
	// ExecTask runs a command inside the task's environment and returns its
	// output and exit status. Required when Capabilities.exec is true.
	ExecTask(ctx context.Context, in *ExecTaskRequest, opts ...grpc.CallOption) (*ExecTaskResponse, error)
	// ExecTaskStreaming runs an interactive command inside the task. The first
	// request MUST carry `setup`; later ones carry stdin or a terminal size.
	// The driver streams stdout and stderr, and ends with one response where
	// `exited` is true and `result` is set. Required when Capabilities.exec.
	ExecTaskStreaming(ctx context.Context, opts ...grpc.CallOption) (grpc.BidiStreamingClient[ExecTaskStreamingRequest, ExecTaskStreamingResponse], error)
	// CreateNetwork creates a network namespace for an allocation. Required only
	// when Capabilities.must_create_network is true; otherwise optional.
	CreateNetwork(ctx context.Context, in *CreateNetworkRequest, opts ...grpc.CallOption) (*CreateNetworkResponse, error)
	// DestroyNetwork destroys what CreateNetwork created. Same rule as above.
	DestroyNetwork(ctx context.Context, in *DestroyNetworkRequest, opts ...grpc.CallOption) (*DestroyNetworkResponse, error)
	// Init is called once after the run-time SetConfig. Optional: a driver MAY
	// answer Unimplemented.
	Init(ctx context.Context, in *InitRequest, opts ...grpc.CallOption) (*InitResponse, error)
	// Shutdown is called before a graceful host shutdown, with a short deadline
	// (2 s in Nomad). Optional: a driver MAY answer Unimplemented. Running tasks
	// MUST NOT be stopped by it.
	Shutdown(ctx context.Context, in *ShutdownRequest, opts ...grpc.CallOption) (*ShutdownResponse, error)
}

type driverClient struct {
	cc grpc.ClientConnInterface
}

func NewDriverClient(cc grpc.ClientConnInterface) DriverClient {
	return &driverClient{cc}
}

func (c *driverClient) TaskConfigSchema(ctx context.Context, in *TaskConfigSchemaRequest, opts ...grpc.CallOption) (*TaskConfigSchemaResponse, error) {
	cOpts := append([]grpc.CallOption{grpc.StaticMethod()}, opts...)
	out := new(TaskConfigSchemaResponse)
	err := c.cc.Invoke(ctx, Driver_TaskConfigSchema_FullMethodName, in, out, cOpts...)
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (c *driverClient) Capabilities(ctx context.Context, in *CapabilitiesRequest, opts ...grpc.CallOption) (*CapabilitiesResponse, error) {
	cOpts := append([]grpc.CallOption{grpc.StaticMethod()}, opts...)
	out := new(CapabilitiesResponse)
	err := c.cc.Invoke(ctx, Driver_Capabilities_FullMethodName, in, out, cOpts...)
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (c *driverClient) Fingerprint(ctx context.Context, in *FingerprintRequest, opts ...grpc.CallOption) (grpc.ServerStreamingClient[FingerprintResponse], error) {
	cOpts := append([]grpc.CallOption{grpc.StaticMethod()}, opts...)
	stream, err := c.cc.NewStream(ctx, &Driver_ServiceDesc.Streams[0], Driver_Fingerprint_FullMethodName, cOpts...)
	if err != nil {
		return nil, err
	}
	x := &grpc.GenericClientStream[FingerprintRequest, FingerprintResponse]{ClientStream: stream}
	if err := x.ClientStream.SendMsg(in); err != nil {
		return nil, err
	}
	if err := x.ClientStream.CloseSend(); err != nil {
		return nil, err
	}
	return x, nil
}

// This type alias is provided for backwards compatibility with existing code that references the prior non-generic stream type by name.
type Driver_FingerprintClient = grpc.ServerStreamingClient[FingerprintResponse]

func (c *driverClient) RecoverTask(ctx context.Context, in *RecoverTaskRequest, opts ...grpc.CallOption) (*RecoverTaskResponse, error) {
	cOpts := append([]grpc.CallOption{grpc.StaticMethod()}, opts...)
	out := new(RecoverTaskResponse)
	err := c.cc.Invoke(ctx, Driver_RecoverTask_FullMethodName, in, out, cOpts...)
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (c *driverClient) StartTask(ctx context.Context, in *StartTaskRequest, opts ...grpc.CallOption) (*StartTaskResponse, error) {
	cOpts := append([]grpc.CallOption{grpc.StaticMethod()}, opts...)
	out := new(StartTaskResponse)
	err := c.cc.Invoke(ctx, Driver_StartTask_FullMethodName, in, out, cOpts...)
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (c *driverClient) WaitTask(ctx context.Context, in *WaitTaskRequest, opts ...grpc.CallOption) (*WaitTaskResponse, error) {
	cOpts := append([]grpc.CallOption{grpc.StaticMethod()}, opts...)
	out := new(WaitTaskResponse)
	err := c.cc.Invoke(ctx, Driver_WaitTask_FullMethodName, in, out, cOpts...)
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (c *driverClient) StopTask(ctx context.Context, in *StopTaskRequest, opts ...grpc.CallOption) (*StopTaskResponse, error) {
	cOpts := append([]grpc.CallOption{grpc.StaticMethod()}, opts...)
	out := new(StopTaskResponse)
	err := c.cc.Invoke(ctx, Driver_StopTask_FullMethodName, in, out, cOpts...)
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (c *driverClient) DestroyTask(ctx context.Context, in *DestroyTaskRequest, opts ...grpc.CallOption) (*DestroyTaskResponse, error) {
	cOpts := append([]grpc.CallOption{grpc.StaticMethod()}, opts...)
	out := new(DestroyTaskResponse)
	err := c.cc.Invoke(ctx, Driver_DestroyTask_FullMethodName, in, out, cOpts...)
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (c *driverClient) InspectTask(ctx context.Context, in *InspectTaskRequest, opts ...grpc.CallOption) (*InspectTaskResponse, error) {
	cOpts := append([]grpc.CallOption{grpc.StaticMethod()}, opts...)
	out := new(InspectTaskResponse)
	err := c.cc.Invoke(ctx, Driver_InspectTask_FullMethodName, in, out, cOpts...)
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (c *driverClient) TaskStats(ctx context.Context, in *TaskStatsRequest, opts ...grpc.CallOption) (grpc.ServerStreamingClient[TaskStatsResponse], error) {
	cOpts := append([]grpc.CallOption{grpc.StaticMethod()}, opts...)
	stream, err := c.cc.NewStream(ctx, &Driver_ServiceDesc.Streams[1], Driver_TaskStats_FullMethodName, cOpts...)
	if err != nil {
		return nil, err
	}
	x := &grpc.GenericClientStream[TaskStatsRequest, TaskStatsResponse]{ClientStream: stream}
	if err := x.ClientStream.SendMsg(in); err != nil {
		return nil, err
	}
	if err := x.ClientStream.CloseSend(); err != nil {
		return nil, err
	}
	return x, nil
}

// This type alias is provided for backwards compatibility with existing code that references the prior non-generic stream type by name.
type Driver_TaskStatsClient = grpc.ServerStreamingClient[TaskStatsResponse]

func (c *driverClient) TaskEvents(ctx context.Context, in *TaskEventsRequest, opts ...grpc.CallOption) (grpc.ServerStreamingClient[DriverTaskEvent], error) {
	cOpts := append([]grpc.CallOption{grpc.StaticMethod()}, opts...)
	stream, err := c.cc.NewStream(ctx, &Driver_ServiceDesc.Streams[2], Driver_TaskEvents_FullMethodName, cOpts...)
	if err != nil {
		return nil, err
	}
	x := &grpc.GenericClientStream[TaskEventsRequest, DriverTaskEvent]{ClientStream: stream}
	if err := x.ClientStream.SendMsg(in); err != nil {
		return nil, err
	}
	if err := x.ClientStream.CloseSend(); err != nil {
		return nil, err
	}
	return x, nil
}

// This type alias is provided for backwards compatibility with existing code that references the prior non-generic stream type by name.
type Driver_TaskEventsClient = grpc.ServerStreamingClient[DriverTaskEvent]

func (c *driverClient) SignalTask(ctx context.Context, in *SignalTaskRequest, opts ...grpc.CallOption) (*SignalTaskResponse, error) {
	cOpts := append([]grpc.CallOption{grpc.StaticMethod()}, opts...)
	out := new(SignalTaskResponse)
	err := c.cc.Invoke(ctx, Driver_SignalTask_FullMethodName, in, out, cOpts...)
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (c *driverClient) ExecTask(ctx context.Context, in *ExecTaskRequest, opts ...grpc.CallOption) (*ExecTaskResponse, error) {
	cOpts := append([]grpc.CallOption{grpc.StaticMethod()}, opts...)
	out := new(ExecTaskResponse)
	err := c.cc.Invoke(ctx, Driver_ExecTask_FullMethodName, in, out, cOpts...)
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (c *driverClient) ExecTaskStreaming(ctx context.Context, opts ...grpc.CallOption) (grpc.BidiStreamingClient[ExecTaskStreamingRequest, ExecTaskStreamingResponse], error) {
	cOpts := append([]grpc.CallOption{grpc.StaticMethod()}, opts...)
	stream, err := c.cc.NewStream(ctx, &Driver_ServiceDesc.Streams[3], Driver_ExecTaskStreaming_FullMethodName, cOpts...)
	if err != nil {
		return nil, err
	}
	x := &grpc.GenericClientStream[ExecTaskStreamingRequest, ExecTaskStreamingResponse]{ClientStream: stream}
	return x, nil
}

// This type alias is provided for backwards compatibility with existing code that references the prior non-generic stream type by name.
type Driver_ExecTaskStreamingClient = grpc.BidiStreamingClient[ExecTaskStreamingRequest, ExecTaskStreamingResponse]

func (c *driverClient) CreateNetwork(ctx context.Context, in *CreateNetworkRequest, opts ...grpc.CallOption) (*CreateNetworkResponse, error) {
	cOpts := append([]grpc.CallOption{grpc.StaticMethod()}, opts...)
	out := new(CreateNetworkResponse)
	err := c.cc.Invoke(ctx, Driver_CreateNetwork_FullMethodName, in, out, cOpts...)
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (c *driverClient) DestroyNetwork(ctx context.Context, in *DestroyNetworkRequest, opts ...grpc.CallOption) (*DestroyNetworkResponse, error) {
	cOpts := append([]grpc.CallOption{grpc.StaticMethod()}, opts...)
	out := new(DestroyNetworkResponse)
	err := c.cc.Invoke(ctx, Driver_DestroyNetwork_FullMethodName, in, out, cOpts...)
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (c *driverClient) Init(ctx context.Context, in *InitRequest, opts ...grpc.CallOption) (*InitResponse, error) {
	cOpts := append([]grpc.CallOption{grpc.StaticMethod()}, opts...)
	out := new(InitResponse)
	err := c.cc.Invoke(ctx, Driver_Init_FullMethodName, in, out, cOpts...)
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (c *driverClient) Shutdown(ctx context.Context, in *ShutdownRequest, opts ...grpc.CallOption) (*ShutdownResponse, error) {
	cOpts := append([]grpc.CallOption{grpc.StaticMethod()}, opts...)
	out := new(ShutdownResponse)
	err := c.cc.Invoke(ctx, Driver_Shutdown_FullMethodName, in, out, cOpts...)
	if err != nil {
		return nil, err
	}
	return out, nil
}

// DriverServer is the server API for Driver service.
// All implementations must embed UnimplementedDriverServer
// for forward compatibility.
//
// Driver runs tasks: it starts, watches, signals, stops and destroys them, and
// recovers them after the host or the plugin restarts. A driver also serves
// BasePlugin with type DRIVER.
//
// The recovery rule: the host stores the TaskHandle returned by StartTask and,
// after a restart, passes it to RecoverTask in a possibly fresh plugin process
// with `handle.config.msgpack_driver_config` EMPTY and
// RecoverTaskRequest.task_id EMPTY: the task's id is `handle.config.id`.
// Everything a driver needs to find and control the task again MUST be in
// `handle.driver_state`.
type DriverServer interface {
	// TaskConfigSchema returns the hclspec of a task's `config {}` block.
	TaskConfigSchema(context.Context, *TaskConfigSchemaRequest) (*TaskConfigSchemaResponse, error)
	// Capabilities says which optional features the driver supports. The host
	// relies on it: a driver that says send_signals MUST implement SignalTask,
	// and one that says exec MUST implement ExecTask and ExecTaskStreaming.
	Capabilities(context.Context, *CapabilitiesRequest) (*CapabilitiesResponse, error)
	// Fingerprint streams the driver's health and node attributes. The driver
	// MUST send the first response at once, then send again when something
	// changes (or periodically), until the client cancels.
	Fingerprint(*FingerprintRequest, grpc.ServerStreamingServer[FingerprintResponse]) error
	// RecoverTask re-attaches the driver to a task it started earlier, using only
	// `handle.driver_state` (`handle.config.msgpack_driver_config` is empty, and
	// so is `task_id`: the id is `handle.config.id`). If the task is already
	// known the call MUST succeed without side effects. After success the task
	// MUST be waitable, inspectable and stoppable under `handle.config.id`. If
	// the task exited meanwhile, recovery succeeds and WaitTask reports the real
	// exit. If the task cannot be found (it no longer exists, or driver_state is
	// unreadable) the call MUST fail: Nomad then calls DestroyTask(force) and
	// starts the task again, so a false success leaves a task nobody watches.
	RecoverTask(context.Context, *RecoverTaskRequest) (*RecoverTaskResponse, error)
	// StartTask starts a task and returns its handle. `task.id` is the key for
	// every later call and MUST be unique: starting an id that is already known
	// is an error. On failure the driver MUST clean up whatever it created.
	// Nomad uses `handle.config.id` of the returned handle for every call after
	// a recovery, so the handle MUST carry the task's config with its id.
	StartTask(context.Context, *StartTaskRequest) (*StartTaskResponse, error)
	// WaitTask blocks until the task exits and returns its result. It MAY be
	// called any number of times, concurrently, and after the task exited (then
	// it returns at once), until the task is destroyed.
	WaitTask(context.Context, *WaitTaskRequest) (*WaitTaskResponse, error)
	// StopTask sends `signal` (empty means the driver's default, usually
	// SIGINT or SIGTERM) and, if the task is still running after `timeout`,
	// kills it and every process it started. It returns once the task has
	// exited. It does not clean up: WaitTask and InspectTask keep working
	// afterwards. Nomad sends timeout = min(kill_timeout, client
	// max_kill_timeout) and signal = the task's kill_signal.
	StopTask(context.Context, *StopTaskRequest) (*StopTaskResponse, error)
	// DestroyTask forgets a task and cleans up its resources. It MUST fail for a
	// running task unless `force` is set, in which case it kills it first.
	DestroyTask(context.Context, *DestroyTaskRequest) (*DestroyTaskResponse, error)
	// InspectTask returns the task's status. Nomad's Go client decodes both
	// TaskStatus timestamps and fails on a missing one (see TaskStatus).
	InspectTask(context.Context, *InspectTaskRequest) (*InspectTaskResponse, error)
	// TaskStats streams resource usage of a running task at
	// `collection_interval` until the client cancels or the task exits. Units
	// are Nomad's (see CPUUsage and MemoryUsage); Nomad's client drops a
	// message without `stats.timestamp`.
	TaskStats(*TaskStatsRequest, grpc.ServerStreamingServer[TaskStatsResponse]) error
	// TaskEvents streams driver events about any task (image pulls, restarts,
	// warnings) for the life of the plugin. One long-lived stream per host;
	// events are routed by alloc_id and task_name.
	TaskEvents(*TaskEventsRequest, grpc.ServerStreamingServer[DriverTaskEvent]) error
	// SignalTask delivers a signal, by name ("SIGHUP"), to the task. Required
	// when Capabilities.send_signals is true; otherwise Unimplemented (see the
	// optional-RPC table at the top).
	SignalTask(context.Context, *SignalTaskRequest) (*SignalTaskResponse, error)
	// ExecTask runs a command inside the task's environment and returns its
	// output and exit status. Required when Capabilities.exec is true.
	ExecTask(context.Context, *ExecTaskRequest) (*ExecTaskResponse, error)
	// ExecTaskStreaming runs an interactive command inside the task. The first
	// request MUST carry `setup`; later ones carry stdin or a terminal size.
	// The driver streams stdout and stderr, and ends with one response where
	// `exited` is true and `result` is set. Required when Capabilities.exec.
	ExecTaskStreaming(grpc.BidiStreamingServer[ExecTaskStreamingRequest, ExecTaskStreamingResponse]) error
	// CreateNetwork creates a network namespace for an allocation. Required only
	// when Capabilities.must_create_network is true; otherwise optional.
	CreateNetwork(context.Context, *CreateNetworkRequest) (*CreateNetworkResponse, error)
	// DestroyNetwork destroys what CreateNetwork created. Same rule as above.
	DestroyNetwork(context.Context, *DestroyNetworkRequest) (*DestroyNetworkResponse, error)
	// Init is called once after the run-time SetConfig. Optional: a driver MAY
	// answer Unimplemented.
	Init(context.Context, *InitRequest) (*InitResponse, error)
	// Shutdown is called before a graceful host shutdown, with a short deadline
	// (2 s in Nomad). Optional: a driver MAY answer Unimplemented. Running tasks
	// MUST NOT be stopped by it.
	Shutdown(context.Context, *ShutdownRequest) (*ShutdownResponse, error)
	mustEmbedUnimplementedDriverServer()
}

// UnimplementedDriverServer must be embedded to have
// forward compatible implementations.
//
// NOTE: this should be embedded by value instead of pointer to avoid a nil
// pointer dereference when methods are called.
type UnimplementedDriverServer struct{}

func (UnimplementedDriverServer) TaskConfigSchema(context.Context, *TaskConfigSchemaRequest) (*TaskConfigSchemaResponse, error) {
	return nil, status.Error(codes.Unimplemented, "method TaskConfigSchema not implemented")
}
func (UnimplementedDriverServer) Capabilities(context.Context, *CapabilitiesRequest) (*CapabilitiesResponse, error) {
	return nil, status.Error(codes.Unimplemented, "method Capabilities not implemented")
}
func (UnimplementedDriverServer) Fingerprint(*FingerprintRequest, grpc.ServerStreamingServer[FingerprintResponse]) error {
	return status.Error(codes.Unimplemented, "method Fingerprint not implemented")
}
func (UnimplementedDriverServer) RecoverTask(context.Context, *RecoverTaskRequest) (*RecoverTaskResponse, error) {
	return nil, status.Error(codes.Unimplemented, "method RecoverTask not implemented")
}
func (UnimplementedDriverServer) StartTask(context.Context, *StartTaskRequest) (*StartTaskResponse, error) {
	return nil, status.Error(codes.Unimplemented, "method StartTask not implemented")
}
func (UnimplementedDriverServer) WaitTask(context.Context, *WaitTaskRequest) (*WaitTaskResponse, error) {
	return nil, status.Error(codes.Unimplemented, "method WaitTask not implemented")
}
func (UnimplementedDriverServer) StopTask(context.Context, *StopTaskRequest) (*StopTaskResponse, error) {
	return nil, status.Error(codes.Unimplemented, "method StopTask not implemented")
}
func (UnimplementedDriverServer) DestroyTask(context.Context, *DestroyTaskRequest) (*DestroyTaskResponse, error) {
	return nil, status.Error(codes.Unimplemented, "method DestroyTask not implemented")
}
func (UnimplementedDriverServer) InspectTask(context.Context, *InspectTaskRequest) (*InspectTaskResponse, error) {
	return nil, status.Error(codes.Unimplemented, "method InspectTask not implemented")
}
func (UnimplementedDriverServer) TaskStats(*TaskStatsRequest, grpc.ServerStreamingServer[TaskStatsResponse]) error {
	return status.Error(codes.Unimplemented, "method TaskStats not implemented")
}
func (UnimplementedDriverServer) TaskEvents(*TaskEventsRequest, grpc.ServerStreamingServer[DriverTaskEvent]) error {
	return status.Error(codes.Unimplemented, "method TaskEvents not implemented")
}
func (UnimplementedDriverServer) SignalTask(context.Context, *SignalTaskRequest) (*SignalTaskResponse, error) {
	return nil, status.Error(codes.Unimplemented, "method SignalTask not implemented")
}
func (UnimplementedDriverServer) ExecTask(context.Context, *ExecTaskRequest) (*ExecTaskResponse, error) {
	return nil, status.Error(codes.Unimplemented, "method ExecTask not implemented")
}
func (UnimplementedDriverServer) ExecTaskStreaming(grpc.BidiStreamingServer[ExecTaskStreamingRequest, ExecTaskStreamingResponse]) error {
	return status.Error(codes.Unimplemented, "method ExecTaskStreaming not implemented")
}
func (UnimplementedDriverServer) CreateNetwork(context.Context, *CreateNetworkRequest) (*CreateNetworkResponse, error) {
	return nil, status.Error(codes.Unimplemented, "method CreateNetwork not implemented")
}
func (UnimplementedDriverServer) DestroyNetwork(context.Context, *DestroyNetworkRequest) (*DestroyNetworkResponse, error) {
	return nil, status.Error(codes.Unimplemented, "method DestroyNetwork not implemented")
}
func (UnimplementedDriverServer) Init(context.Context, *InitRequest) (*InitResponse, error) {
	return nil, status.Error(codes.Unimplemented, "method Init not implemented")
}
func (UnimplementedDriverServer) Shutdown(context.Context, *ShutdownRequest) (*ShutdownResponse, error) {
	return nil, status.Error(codes.Unimplemented, "method Shutdown not implemented")
}
func (UnimplementedDriverServer) mustEmbedUnimplementedDriverServer() {}
func (UnimplementedDriverServer) testEmbeddedByValue()                {}

// UnsafeDriverServer may be embedded to opt out of forward compatibility for this service.
// Use of this interface is not recommended, as added methods to DriverServer will
// result in compilation errors.
type UnsafeDriverServer interface {
	mustEmbedUnimplementedDriverServer()
}

func RegisterDriverServer(s grpc.ServiceRegistrar, srv DriverServer) {
	// If the following call panics, it indicates UnimplementedDriverServer was
	// embedded by pointer and is nil.  This will cause panics if an
	// unimplemented method is ever invoked, so we test this at initialization
	// time to prevent it from happening at runtime later due to I/O.
	if t, ok := srv.(interface{ testEmbeddedByValue() }); ok {
		t.testEmbeddedByValue()
	}
	s.RegisterService(&Driver_ServiceDesc, srv)
}

func _Driver_TaskConfigSchema_Handler(srv interface{}, ctx context.Context, dec func(interface{}) error, interceptor grpc.UnaryServerInterceptor) (interface{}, error) {
	in := new(TaskConfigSchemaRequest)
	if err := dec(in); err != nil {
		return nil, err
	}
	if interceptor == nil {
		return srv.(DriverServer).TaskConfigSchema(ctx, in)
	}
	info := &grpc.UnaryServerInfo{
		Server:     srv,
		FullMethod: Driver_TaskConfigSchema_FullMethodName,
	}
	handler := func(ctx context.Context, req interface{}) (interface{}, error) {
		return srv.(DriverServer).TaskConfigSchema(ctx, req.(*TaskConfigSchemaRequest))
	}
	return interceptor(ctx, in, info, handler)
}

func _Driver_Capabilities_Handler(srv interface{}, ctx context.Context, dec func(interface{}) error, interceptor grpc.UnaryServerInterceptor) (interface{}, error) {
	in := new(CapabilitiesRequest)
	if err := dec(in); err != nil {
		return nil, err
	}
	if interceptor == nil {
		return srv.(DriverServer).Capabilities(ctx, in)
	}
	info := &grpc.UnaryServerInfo{
		Server:     srv,
		FullMethod: Driver_Capabilities_FullMethodName,
	}
	handler := func(ctx context.Context, req interface{}) (interface{}, error) {
		return srv.(DriverServer).Capabilities(ctx, req.(*CapabilitiesRequest))
	}
	return interceptor(ctx, in, info, handler)
}

func _Driver_Fingerprint_Handler(srv interface{}, stream grpc.ServerStream) error {
	m := new(FingerprintRequest)
	if err := stream.RecvMsg(m); err != nil {
		return err
	}
	return srv.(DriverServer).Fingerprint(m, &grpc.GenericServerStream[FingerprintRequest, FingerprintResponse]{ServerStream: stream})
}

// This type alias is provided for backwards compatibility with existing code that references the prior non-generic stream type by name.
type Driver_FingerprintServer = grpc.ServerStreamingServer[FingerprintResponse]

func _Driver_RecoverTask_Handler(srv interface{}, ctx context.Context, dec func(interface{}) error, interceptor grpc.UnaryServerInterceptor) (interface{}, error) {
	in := new(RecoverTaskRequest)
	if err := dec(in); err != nil {
		return nil, err
	}
	if interceptor == nil {
		return srv.(DriverServer).RecoverTask(ctx, in)
	}
	info := &grpc.UnaryServerInfo{
		Server:     srv,
		FullMethod: Driver_RecoverTask_FullMethodName,
	}
	handler := func(ctx context.Context, req interface{}) (interface{}, error) {
		return srv.(DriverServer).RecoverTask(ctx, req.(*RecoverTaskRequest))
	}
	return interceptor(ctx, in, info, handler)
}

func _Driver_StartTask_Handler(srv interface{}, ctx context.Context, dec func(interface{}) error, interceptor grpc.UnaryServerInterceptor) (interface{}, error) {
	in := new(StartTaskRequest)
	if err := dec(in); err != nil {
		return nil, err
	}
	if interceptor == nil {
		return srv.(DriverServer).StartTask(ctx, in)
	}
	info := &grpc.UnaryServerInfo{
		Server:     srv,
		FullMethod: Driver_StartTask_FullMethodName,
	}
	handler := func(ctx context.Context, req interface{}) (interface{}, error) {
		return srv.(DriverServer).StartTask(ctx, req.(*StartTaskRequest))
	}
	return interceptor(ctx, in, info, handler)
}

func _Driver_WaitTask_Handler(srv interface{}, ctx context.Context, dec func(interface{}) error, interceptor grpc.UnaryServerInterceptor) (interface{}, error) {
	in := new(WaitTaskRequest)
	if err := dec(in); err != nil {
		return nil, err
	}
	if interceptor == nil {
		return srv.(DriverServer).WaitTask(ctx, in)
	}
	info := &grpc.UnaryServerInfo{
		Server:     srv,
		FullMethod: Driver_WaitTask_FullMethodName,
	}
	handler := func(ctx context.Context, req interface{}) (interface{}, error) {
		return srv.(DriverServer).WaitTask(ctx, req.(*WaitTaskRequest))
	}
	return interceptor(ctx, in, info, handler)
}

func _Driver_StopTask_Handler(srv interface{}, ctx context.Context, dec func(interface{}) error, interceptor grpc.UnaryServerInterceptor) (interface{}, error) {
	in := new(StopTaskRequest)
	if err := dec(in); err != nil {
		return nil, err
	}
	if interceptor == nil {
		return srv.(DriverServer).StopTask(ctx, in)
	}
	info := &grpc.UnaryServerInfo{
		Server:     srv,
		FullMethod: Driver_StopTask_FullMethodName,
	}
	handler := func(ctx context.Context, req interface{}) (interface{}, error) {
		return srv.(DriverServer).StopTask(ctx, req.(*StopTaskRequest))
	}
	return interceptor(ctx, in, info, handler)
}

func _Driver_DestroyTask_Handler(srv interface{}, ctx context.Context, dec func(interface{}) error, interceptor grpc.UnaryServerInterceptor) (interface{}, error) {
	in := new(DestroyTaskRequest)
	if err := dec(in); err != nil {
		return nil, err
	}
	if interceptor == nil {
		return srv.(DriverServer).DestroyTask(ctx, in)
	}
	info := &grpc.UnaryServerInfo{
		Server:     srv,
		FullMethod: Driver_DestroyTask_FullMethodName,
	}
	handler := func(ctx context.Context, req interface{}) (interface{}, error) {
		return srv.(DriverServer).DestroyTask(ctx, req.(*DestroyTaskRequest))
	}
	return interceptor(ctx, in, info, handler)
}

func _Driver_InspectTask_Handler(srv interface{}, ctx context.Context, dec func(interface{}) error, interceptor grpc.UnaryServerInterceptor) (interface{}, error) {
	in := new(InspectTaskRequest)
	if err := dec(in); err != nil {
		return nil, err
	}
	if interceptor == nil {
		return srv.(DriverServer).InspectTask(ctx, in)
	}
	info := &grpc.UnaryServerInfo{
		Server:     srv,
		FullMethod: Driver_InspectTask_FullMethodName,
	}
	handler := func(ctx context.Context, req interface{}) (interface{}, error) {
		return srv.(DriverServer).InspectTask(ctx, req.(*InspectTaskRequest))
	}
	return interceptor(ctx, in, info, handler)
}

func _Driver_TaskStats_Handler(srv interface{}, stream grpc.ServerStream) error {
	m := new(TaskStatsRequest)
	if err := stream.RecvMsg(m); err != nil {
		return err
	}
	return srv.(DriverServer).TaskStats(m, &grpc.GenericServerStream[TaskStatsRequest, TaskStatsResponse]{ServerStream: stream})
}

// This type alias is provided for backwards compatibility with existing code that references the prior non-generic stream type by name.
type Driver_TaskStatsServer = grpc.ServerStreamingServer[TaskStatsResponse]

func _Driver_TaskEvents_Handler(srv interface{}, stream grpc.ServerStream) error {
	m := new(TaskEventsRequest)
	if err := stream.RecvMsg(m); err != nil {
		return err
	}
	return srv.(DriverServer).TaskEvents(m, &grpc.GenericServerStream[TaskEventsRequest, DriverTaskEvent]{ServerStream: stream})
}

// This type alias is provided for backwards compatibility with existing code that references the prior non-generic stream type by name.
type Driver_TaskEventsServer = grpc.ServerStreamingServer[DriverTaskEvent]

func _Driver_SignalTask_Handler(srv interface{}, ctx context.Context, dec func(interface{}) error, interceptor grpc.UnaryServerInterceptor) (interface{}, error) {
	in := new(SignalTaskRequest)
	if err := dec(in); err != nil {
		return nil, err
	}
	if interceptor == nil {
		return srv.(DriverServer).SignalTask(ctx, in)
	}
	info := &grpc.UnaryServerInfo{
		Server:     srv,
		FullMethod: Driver_SignalTask_FullMethodName,
	}
	handler := func(ctx context.Context, req interface{}) (interface{}, error) {
		return srv.(DriverServer).SignalTask(ctx, req.(*SignalTaskRequest))
	}
	return interceptor(ctx, in, info, handler)
}

func _Driver_ExecTask_Handler(srv interface{}, ctx context.Context, dec func(interface{}) error, interceptor grpc.UnaryServerInterceptor) (interface{}, error) {
	in := new(ExecTaskRequest)
	if err := dec(in); err != nil {
		return nil, err
	}
	if interceptor == nil {
		return srv.(DriverServer).ExecTask(ctx, in)
	}
	info := &grpc.UnaryServerInfo{
		Server:     srv,
		FullMethod: Driver_ExecTask_FullMethodName,
	}
	handler := func(ctx context.Context, req interface{}) (interface{}, error) {
		return srv.(DriverServer).ExecTask(ctx, req.(*ExecTaskRequest))
	}
	return interceptor(ctx, in, info, handler)
}

func _Driver_ExecTaskStreaming_Handler(srv interface{}, stream grpc.ServerStream) error {
	return srv.(DriverServer).ExecTaskStreaming(&grpc.GenericServerStream[ExecTaskStreamingRequest, ExecTaskStreamingResponse]{ServerStream: stream})
}

// This type alias is provided for backwards compatibility with existing code that references the prior non-generic stream type by name.
type Driver_ExecTaskStreamingServer = grpc.BidiStreamingServer[ExecTaskStreamingRequest, ExecTaskStreamingResponse]

func _Driver_CreateNetwork_Handler(srv interface{}, ctx context.Context, dec func(interface{}) error, interceptor grpc.UnaryServerInterceptor) (interface{}, error) {
	in := new(CreateNetworkRequest)
	if err := dec(in); err != nil {
		return nil, err
	}
	if interceptor == nil {
		return srv.(DriverServer).CreateNetwork(ctx, in)
	}
	info := &grpc.UnaryServerInfo{
		Server:     srv,
		FullMethod: Driver_CreateNetwork_FullMethodName,
	}
	handler := func(ctx context.Context, req interface{}) (interface{}, error) {
		return srv.(DriverServer).CreateNetwork(ctx, req.(*CreateNetworkRequest))
	}
	return interceptor(ctx, in, info, handler)
}

func _Driver_DestroyNetwork_Handler(srv interface{}, ctx context.Context, dec func(interface{}) error, interceptor grpc.UnaryServerInterceptor) (interface{}, error) {
	in := new(DestroyNetworkRequest)
	if err := dec(in); err != nil {
		return nil, err
	}
	if interceptor == nil {
		return srv.(DriverServer).DestroyNetwork(ctx, in)
	}
	info := &grpc.UnaryServerInfo{
		Server:     srv,
		FullMethod: Driver_DestroyNetwork_FullMethodName,
	}
	handler := func(ctx context.Context, req interface{}) (interface{}, error) {
		return srv.(DriverServer).DestroyNetwork(ctx, req.(*DestroyNetworkRequest))
	}
	return interceptor(ctx, in, info, handler)
}

func _Driver_Init_Handler(srv interface{}, ctx context.Context, dec func(interface{}) error, interceptor grpc.UnaryServerInterceptor) (interface{}, error) {
	in := new(InitRequest)
	if err := dec(in); err != nil {
		return nil, err
	}
	if interceptor == nil {
		return srv.(DriverServer).Init(ctx, in)
	}
	info := &grpc.UnaryServerInfo{
		Server:     srv,
		FullMethod: Driver_Init_FullMethodName,
	}
	handler := func(ctx context.Context, req interface{}) (interface{}, error) {
		return srv.(DriverServer).Init(ctx, req.(*InitRequest))
	}
	return interceptor(ctx, in, info, handler)
}

func _Driver_Shutdown_Handler(srv interface{}, ctx context.Context, dec func(interface{}) error, interceptor grpc.UnaryServerInterceptor) (interface{}, error) {
	in := new(ShutdownRequest)
	if err := dec(in); err != nil {
		return nil, err
	}
	if interceptor == nil {
		return srv.(DriverServer).Shutdown(ctx, in)
	}
	info := &grpc.UnaryServerInfo{
		Server:     srv,
		FullMethod: Driver_Shutdown_FullMethodName,
	}
	handler := func(ctx context.Context, req interface{}) (interface{}, error) {
		return srv.(DriverServer).Shutdown(ctx, req.(*ShutdownRequest))
	}
	return interceptor(ctx, in, info, handler)
}

// Driver_ServiceDesc is the grpc.ServiceDesc for Driver service.
// It's only intended for direct use with grpc.RegisterService,
// and not to be introspected or modified (even as a copy)
var Driver_ServiceDesc = grpc.ServiceDesc{
	ServiceName: "hashicorp.nomad.plugins.drivers.proto.Driver",
	HandlerType: (*DriverServer)(nil),
	Methods: []grpc.MethodDesc{
		{
			MethodName: "TaskConfigSchema",
			Handler:    _Driver_TaskConfigSchema_Handler,
		},
		{
			MethodName: "Capabilities",
			Handler:    _Driver_Capabilities_Handler,
		},
		{
			MethodName: "RecoverTask",
			Handler:    _Driver_RecoverTask_Handler,
		},
		{
			MethodName: "StartTask",
			Handler:    _Driver_StartTask_Handler,
		},
		{
			MethodName: "WaitTask",
			Handler:    _Driver_WaitTask_Handler,
		},
		{
			MethodName: "StopTask",
			Handler:    _Driver_StopTask_Handler,
		},
		{
			MethodName: "DestroyTask",
			Handler:    _Driver_DestroyTask_Handler,
		},
		{
			MethodName: "InspectTask",
			Handler:    _Driver_InspectTask_Handler,
		},
		{
			MethodName: "SignalTask",
			Handler:    _Driver_SignalTask_Handler,
		},
		{
			MethodName: "ExecTask",
			Handler:    _Driver_ExecTask_Handler,
		},
		{
			MethodName: "CreateNetwork",
			Handler:    _Driver_CreateNetwork_Handler,
		},
		{
			MethodName: "DestroyNetwork",
			Handler:    _Driver_DestroyNetwork_Handler,
		},
		{
			MethodName: "Init",
			Handler:    _Driver_Init_Handler,
		},
		{
			MethodName: "Shutdown",
			Handler:    _Driver_Shutdown_Handler,
		},
	},
	Streams: []grpc.StreamDesc{
		{
			StreamName:    "Fingerprint",
			Handler:       _Driver_Fingerprint_Handler,
			ServerStreams: true,
		},
		{
			StreamName:    "TaskStats",
			Handler:       _Driver_TaskStats_Handler,
			ServerStreams: true,
		},
		{
			StreamName:    "TaskEvents",
			Handler:       _Driver_TaskEvents_Handler,
			ServerStreams: true,
		},
		{
			StreamName:    "ExecTaskStreaming",
			Handler:       _Driver_ExecTaskStreaming_Handler,
			ServerStreams: true,
			ClientStreams: true,
		},
	},
	Metadata: "hashicorp/nomad/plugins/drivers/proto/driver.proto",
}
