package host

import (
	"github.com/yurt-sdk/yurt/go/gen/hclspecpb"
	"github.com/yurt-sdk/yurt/go/hclspec"
	"github.com/yurt-sdk/yurt/go/internal/convert/baseconv"
	"github.com/yurt-sdk/yurt/go/internal/convert/deviceconv"
	"github.com/yurt-sdk/yurt/go/internal/convert/driverconv"
	"github.com/yurt-sdk/yurt/go/internal/convert/specconv"
)

// The host's public API speaks the SDK's hand-written types (go/plugin/
// driver, device, base and go/hclspec), as Nomad's own client converts wire
// messages to its drivers.* types at the client boundary (hashicorp/nomad
// v2.0.5 plugins/drivers/client.go). Every conversion between those types
// and the generated messages goes through the functions below, so that the
// converters have one place to come from. Replies are checked on the wire
// message (validate.go) before they are converted: a conversion cannot
// report what it drops.

var (
	taskConfigToWire        = driverconv.TaskConfigToProto
	taskHandleToWire        = driverconv.TaskHandleToProto
	taskHandleFromWire      = driverconv.TaskHandleFromProto
	networkSpecToWire       = driverconv.NetworkIsolationToProto
	networkSpecFromWire     = driverconv.NetworkIsolationFromProto
	networkOverrideFromWire = driverconv.NetworkOverrideFromProto
	exitResultFromWire      = driverconv.ExitResultFromProto
	waitResultFromWire      = driverconv.WaitResponseFromProto
	taskStatusFromWire      = driverconv.InspectResponseFromProto
	capabilitiesFromWire    = driverconv.CapabilitiesFromProto
	fingerprintFromWire     = driverconv.FingerprintFromProto
	taskStatsFromWire       = driverconv.TaskStatsFromProto
	taskEventFromWire       = driverconv.TaskEventFromProto
	execResultFromWire      = driverconv.ExecResultFromProto

	deviceFingerprintFromWire = deviceconv.FingerprintFromProto
	reservationFromWire       = deviceconv.ReservationFromProto
	deviceStatsFromWire       = deviceconv.StatsFromProto

	pluginInfoToWire = baseconv.PluginInfoToProto
	configToWire     = baseconv.ConfigToProto
)

// specFromWire is the only conversion of a schema from the wire to
// hclspec.Spec.
func specFromWire(s *hclspecpb.Spec) *hclspec.Spec { return specconv.FromProto(s) }
