// Package base holds what every Nomad plugin shares, whatever its kind: the
// identity and configuration calls of the BasePlugin service, the attribute
// and statistics values that drivers and devices both report, the error
// vocabulary as it crosses the wire, and decoding of msgpack configuration
// into Go structs. Its types are hand-written; the generated messages and
// the converters to them are internal (go/internal/convert/baseconv).
package base

import (
	"context"

	"github.com/yurt-sdk/yurt/go/hclspec"
)

// APIVersion010 is the only plugin API version Nomad speaks for drivers and
// devices.
const APIVersion010 = "v0.1.0"

// PluginType says which service a plugin serves besides BasePlugin.
type PluginType int32

// The plugin types, numbered as Nomad's base.PluginType is on the wire.
const (
	PluginTypeUnknown PluginType = 0
	PluginTypeDriver  PluginType = 2
	PluginTypeDevice  PluginType = 3
)

// String is the type's name as Nomad prints it ("driver", "device").
func (t PluginType) String() string {
	switch t {
	case PluginTypeDriver:
		return "driver"
	case PluginTypeDevice:
		return "device"
	default:
		return "unknown"
	}
}

// PluginInfo identifies a plugin. Nomad matches a job's `driver = "..."`
// against Name.
type PluginInfo struct {
	Type PluginType
	// APIVersions lists the plugin API versions served, e.g. APIVersion010.
	APIVersions []string
	// Version is the plugin's own version; it must parse as a version.
	Version string
	Name    string
}

// Config is what SetConfig delivers.
type Config struct {
	// MsgpackConfig is the plugin's `config {}` block decoded with its
	// ConfigSchema and encoded as cty msgpack; decode it with DecodeConfig.
	// Empty when the operator gave no configuration.
	MsgpackConfig []byte
	// Agent is nil when the host sends no agent configuration (during
	// Nomad's config validation). A Nomad client sends it to drivers and
	// devices alike (hashicorp/nomad v2.0.5 client/client.go gives
	// NomadPluginConfig(topology) to both plugin managers).
	Agent *AgentConfig
	// APIVersion is the negotiated plugin API version.
	APIVersion string
}

// AgentConfig is the part of the Nomad client configuration given to drivers.
type AgentConfig struct {
	ClientMinPort uint32
	ClientMaxPort uint32
	// Topology is nil when the host does not describe its hardware.
	Topology *Topology
}

// Topology describes the client's CPUs and NUMA nodes.
type Topology struct {
	NodeIDs []uint32
	// Distances is the row-major NUMA distance matrix; nil when absent.
	Distances              *NodeDistances
	Cores                  []Core
	OverrideTotalCompute   uint64
	OverrideWitholdCompute uint64
}

// NodeDistances is a SLIT matrix of Dimension×Dimension values, row-major.
type NodeDistances struct {
	Dimension uint32
	Values    []uint32
}

// CoreGrade tells performance cores from efficiency cores.
type CoreGrade int32

// The core grades, as Nomad's numa topology reports them.
const (
	CoreGradePerformance CoreGrade = 0
	CoreGradeEfficiency  CoreGrade = 1
)

// Core is one CPU core of the topology; speeds are in MHz.
type Core struct {
	SocketID, NodeID, CoreID uint32
	Grade                    CoreGrade
	Disable                  bool
	BaseSpeed                uint64
	MaxSpeed                 uint64
	GuessSpeed               uint64
}

// MHz is the speed Nomad counts for the core (client/lib/numalib Core.MHz):
// base speed, else max speed, else the guess.
func (c Core) MHz() uint64 {
	switch {
	case c.BaseSpeed > 0:
		return c.BaseSpeed
	case c.MaxSpeed > 0:
		return c.MaxSpeed
	}
	return c.GuessSpeed
}

// TotalCompute is the host's compute in MHz as Nomad counts it
// (numalib Topology.TotalCompute): the override when set, else the sum of
// every core's MHz. Task stats' total_ticks is percent/100 x TotalCompute /
// len(Cores) (client/lib/cpustats). A nil topology has 0.
func (t *Topology) TotalCompute() uint64 {
	if t == nil {
		return 0
	}
	if t.OverrideTotalCompute > 0 {
		return t.OverrideTotalCompute
	}
	var total uint64
	for _, c := range t.Cores {
		total += c.MHz()
	}
	return total
}

// Plugin is the BasePlugin service every plugin implements.
type Plugin interface {
	// PluginInfo says what the plugin is: its type, name, version and the
	// plugin API versions it speaks (Nomad's is v0.1.0). Nomad calls it first,
	// after the handshake.
	PluginInfo(ctx context.Context) (*PluginInfo, error)
	// ConfigSchema returns the schema of the plugin's configuration; nil
	// means the plugin accepts no configuration.
	ConfigSchema(ctx context.Context) (*hclspec.Spec, error)
	// SetConfig delivers the plugin's `plugin "name" { config { } }` block,
	// encoded as cty msgpack against ConfigSchema (decode it with
	// DecodeConfig), and, for drivers, the agent's own settings. Nomad may call
	// it more than once; reject bad config with an error naming the field.
	SetConfig(ctx context.Context, cfg *Config) error
}
