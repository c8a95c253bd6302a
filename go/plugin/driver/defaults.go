package driver

import (
	"context"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// Defaults answers every optional Driver method as the optional-RPC table at
// the top of proto/hashicorp/nomad/plugins/drivers/proto/driver.proto says a
// Yurt SDK does when the plugin leaves the method out. Embed it in a driver
// and implement the required methods; a method the driver defines itself
// takes precedence:
//
//	type myDriver struct {
//		driver.Defaults
//		// ...
//	}
//
// The errors are gRPC statuses, which the server sends unchanged.
type Defaults struct{}

// TaskStats answers Unimplemented, "stats not implemented for driver" (the
// text of Nomad's DriverStatsNotImplemented); Nomad logs it and retries.
func (Defaults) TaskStats(context.Context, string, time.Duration) (<-chan *TaskStats, error) {
	return nil, status.Error(codes.Unimplemented, "stats not implemented for driver")
}

// TaskEvents is a stream that stays open and sends nothing; it ends when
// the host cancels it or the plugin shuts down.
func (Defaults) TaskEvents(context.Context) (<-chan *TaskEvent, error) {
	return make(chan *TaskEvent), nil
}

// SignalTask answers Unimplemented, "SignalTask is not supported by this
// driver". Nomad calls it only when Capabilities.SendSignals is true.
func (Defaults) SignalTask(context.Context, string, string) error {
	return status.Error(codes.Unimplemented, "SignalTask is not supported by this driver")
}

// ExecTask answers Unimplemented, "ExecTask is not supported by this
// driver". Nomad calls it only when Capabilities.Exec is true.
func (Defaults) ExecTask(context.Context, string, []string, time.Duration) (*ExecResult, error) {
	return nil, status.Error(codes.Unimplemented, "ExecTask is not supported by this driver")
}

// ExecTaskStreaming answers Unimplemented, "ExecTaskStreaming is not
// supported by this driver". Nomad calls it only when Capabilities.Exec is
// true.
func (Defaults) ExecTaskStreaming(context.Context, string, *ExecOptions) (*ExitResult, error) {
	return nil, status.Error(codes.Unimplemented, "ExecTaskStreaming is not supported by this driver")
}

// CreateNetwork answers Unimplemented, "CreateNetwork is not implemented by
// this driver". Nomad calls it only when Capabilities.MustCreateNetwork is
// true.
func (Defaults) CreateNetwork(context.Context, string, string) (*NetworkIsolationSpec, bool, error) {
	return nil, false, status.Error(codes.Unimplemented, "CreateNetwork is not implemented by this driver")
}

// DestroyNetwork answers Unimplemented, "DestroyNetwork is not implemented
// by this driver".
func (Defaults) DestroyNetwork(context.Context, string, *NetworkIsolationSpec) error {
	return status.Error(codes.Unimplemented, "DestroyNetwork is not implemented by this driver")
}

// Init answers Unimplemented, "Init is not implemented by this driver",
// which Nomad ignores.
func (Defaults) Init(context.Context) error {
	return status.Error(codes.Unimplemented, "Init is not implemented by this driver")
}

// Shutdown answers Unimplemented, "Shutdown is not implemented by this
// driver", which Nomad ignores.
func (Defaults) Shutdown(context.Context) error {
	return status.Error(codes.Unimplemented, "Shutdown is not implemented by this driver")
}
