// Package device is the Go SDK for Nomad device plugins: hand-written types
// for fingerprints, reservations and statistics, the Device interface a
// plugin implements. The gRPC server that maps them to the wire is internal
// (go/internal/server).
package device

import (
	"context"
	"time"

	"github.com/yurt-sdk/yurt/go/plugin/base"
)

// Device is the DevicePlugin service. A device plugin implements
// base.Plugin, Fingerprint and Reserve; Stats is optional: embed Defaults,
// which answers it as the optional-RPC table in device.proto says.
type Device interface {
	base.Plugin

	// Fingerprint sends the device groups at once, then whenever they
	// change, until ctx ends. Closing the channel ends device management
	// in Nomad, so keep it open. A failure goes in FingerprintResponse.Err.
	Fingerprint(ctx context.Context) (<-chan *FingerprintResponse, error)
	// Reserve prepares devices for a task; an unknown ID is an error that
	// names it.
	Reserve(ctx context.Context, deviceIDs []string) (*ContainerReservation, error)
	// Stats (optional: Defaults answers it) sends statistics every interval
	// (1 s when the host asks for 0) until ctx ends.
	Stats(ctx context.Context, interval time.Duration) (<-chan *StatsResponse, error)
}

// FingerprintResponse carries the current device groups, or an error (which
// ends the stream on the host side).
type FingerprintResponse struct {
	Groups []*DeviceGroup
	Err    error
}

// DeviceGroup is a set of identical devices. Vendor, Type and Name are
// required by Nomad.
type DeviceGroup struct {
	Vendor     string
	Type       string
	Name       string
	Devices    []*Instance
	Attributes map[string]*base.Attribute
}

// Instance is one detected device.
type Instance struct {
	// ID must be stable across plugin restarts.
	ID                string
	Healthy           bool
	HealthDescription string
	// PCIBusID locates the device; empty if unknown.
	PCIBusID string
}

// ContainerReservation is how a task gets its reserved devices.
type ContainerReservation struct {
	Envs    map[string]string
	Mounts  []Mount
	Devices []DeviceSpec
}

// Mount is a host path made visible in the task at TaskPath.
type Mount struct {
	TaskPath string
	HostPath string
	ReadOnly bool
}

// DeviceSpec is a device node made visible in the task at TaskPath.
type DeviceSpec struct {
	TaskPath string
	HostPath string
	// Permissions is a cgroup permission string such as "rwm".
	Permissions string
}

// StatsResponse carries statistics for every group, or an error (which
// ends the stream).
type StatsResponse struct {
	Groups []*DeviceGroupStats
	Err    error
}

// DeviceGroupStats is one sample of a device group's statistics, per device.
type DeviceGroupStats struct {
	Vendor string
	Type   string
	Name   string
	// InstanceStats is keyed by device ID.
	InstanceStats map[string]*DeviceStats
}

// DeviceStats is one device's statistics: a summary value for `nomad node
// status` and the full tree of values.
type DeviceStats struct {
	// Summary is the one value shown for the device.
	Summary   *base.StatValue
	Stats     *base.StatObject
	Timestamp time.Time
}
