package host

import (
	"github.com/yurt-sdk/yurt/go/gen/hclspecpb"
	"github.com/yurt-sdk/yurt/go/hclspec"
	"github.com/yurt-sdk/yurt/go/plugin/base"
	"github.com/yurt-sdk/yurt/go/plugin/device"
	"github.com/yurt-sdk/yurt/go/plugin/driver"
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
	taskConfigToWire        = driver.TaskConfigToProto
	taskHandleToWire        = driver.TaskHandleToProto
	taskHandleFromWire      = driver.TaskHandleFromProto
	networkSpecToWire       = driver.NetworkIsolationToProto
	networkSpecFromWire     = driver.NetworkIsolationFromProto
	networkOverrideFromWire = driver.NetworkOverrideFromProto
	exitResultFromWire      = driver.ExitResultFromProto
	waitResultFromWire      = driver.WaitResponseFromProto
	taskStatusFromWire      = driver.InspectResponseFromProto
	capabilitiesFromWire    = driver.CapabilitiesFromProto
	fingerprintFromWire     = driver.FingerprintFromProto
	taskStatsFromWire       = driver.TaskStatsFromProto
	taskEventFromWire       = driver.TaskEventFromProto
	execResultFromWire      = driver.ExecResultFromProto

	deviceFingerprintFromWire = device.FingerprintFromProto
	reservationFromWire       = device.ReservationFromProto
	deviceStatsFromWire       = device.StatsFromProto

	pluginInfoFromWire = base.PluginInfoFromProto
	pluginInfoToWire   = base.PluginInfoToProto
	configToWire       = base.ConfigToProto
)

// specFromWire and specToWire are the only conversions between a schema on
// the wire and hclspec.Spec.
func specFromWire(s *hclspecpb.Spec) *hclspec.Spec { return s }

func specToWire(s *hclspec.Spec) *hclspecpb.Spec { return s }
