package device

import (
	"context"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// Defaults answers every optional Device method as the optional-RPC table at
// the top of proto/hashicorp/nomad/plugins/device/device.proto says a Yurt
// SDK does when the plugin leaves the method out. Embed it in a device
// plugin and implement the required methods (Fingerprint, Reserve and
// base.Plugin's); a method the plugin defines itself takes precedence.
type Defaults struct{}

// Stats answers Unimplemented, "Stats is not implemented by this plugin";
// Nomad logs it, retries with back-off, and the devices stay schedulable.
func (Defaults) Stats(context.Context, time.Duration) (<-chan *StatsResponse, error) {
	return nil, status.Error(codes.Unimplemented, "Stats is not implemented by this plugin")
}
