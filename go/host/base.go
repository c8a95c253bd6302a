package host

import (
	"context"
	"fmt"
	"github.com/yurt-sdk/yurt/go/internal/convert/baseconv"
	"github.com/yurt-sdk/yurt/go/internal/convert/specconv"

	"github.com/yurt-sdk/yurt/go/gen/basepb"
	"github.com/yurt-sdk/yurt/go/hclspec"
	"github.com/yurt-sdk/yurt/go/plugin/base"
	"github.com/zclconf/go-cty/cty"
	ctymsgpack "github.com/zclconf/go-cty/cty/msgpack"
	"google.golang.org/grpc"
)

// PluginType is the kind of plugin, as PluginInfo reports it.
type PluginType string

const (
	PluginTypeDriver PluginType = "driver"
	PluginTypeDevice PluginType = "device"
)

// PluginInfo is a validated PluginInfoResponse.
type PluginInfo struct {
	Type          PluginType
	Name          string
	PluginVersion string
	APIVersions   []string
}

// ValidatePluginInfo checks a plugin's PluginInfo answer as Nomad's loader
// does and converts it. Errors name the offending field.
func ValidatePluginInfo(r *base.PluginInfo) (PluginInfo, error) {
	if r == nil {
		return PluginInfo{}, fmt.Errorf("PluginInfoResponse: expected the plugin's info, got none")
	}
	return validatePluginInfo(baseconv.PluginInfoToProto(r))
}

func validatePluginInfo(r *basepb.PluginInfoResponse) (PluginInfo, error) {
	info := PluginInfo{Name: r.GetName(), PluginVersion: r.GetPluginVersion(), APIVersions: r.GetPluginApiVersions()}
	switch r.GetType() {
	case basepb.PluginType_DRIVER:
		info.Type = PluginTypeDriver
	case basepb.PluginType_DEVICE:
		info.Type = PluginTypeDevice
	default:
		return info, fmt.Errorf("PluginInfoResponse.type: expected DRIVER or DEVICE, got %s", r.GetType())
	}
	if info.Name == "" {
		return info, fmt.Errorf("PluginInfoResponse.name: expected a non-empty name, got \"\"")
	}
	if _, err := ParseVersion(info.PluginVersion); err != nil {
		return info, fmt.Errorf("PluginInfoResponse.plugin_version: %w", err)
	}
	if _, err := SelectAPIVersion(info.Type, info.APIVersions); err != nil {
		return info, fmt.Errorf("PluginInfoResponse.%w", err)
	}
	return info, nil
}

// Base is a typed client of a plugin's BasePlugin service, which every
// plugin serves.
type Base struct {
	conn grpc.ClientConnInterface
	c    basepb.BasePluginClient
}

// NewBase is the typed BasePlugin client over any gRPC connection to a
// plugin (a launched plugin's Conn, or an in-process server's).
func NewBase(conn grpc.ClientConnInterface) *Base {
	return &Base{conn: conn, c: basepb.NewBasePluginClient(conn)}
}

// Base returns the typed BasePlugin client of this plugin.
func (p *Plugin) Base() *Base { return NewBase(p.conn) }

// Conn is the connection the client calls through (see Driver.Conn).
func (b *Base) Conn() grpc.ClientConnInterface { return b.conn }

// PluginInfo calls BasePlugin.PluginInfo and validates the answer.
func (p *Plugin) PluginInfo(ctx context.Context) (PluginInfo, error) { return p.Base().PluginInfo(ctx) }

// ConfigSchema calls BasePlugin.ConfigSchema; a nil spec means no configuration.
func (p *Plugin) ConfigSchema(ctx context.Context) (*hclspec.Spec, error) {
	return p.Base().ConfigSchema(ctx)
}

// SetConfig calls BasePlugin.SetConfig.
func (p *Plugin) SetConfig(ctx context.Context, req SetConfigRequest) error {
	return p.Base().SetConfig(ctx, req)
}

// PluginInfo calls BasePlugin.PluginInfo and validates the answer.
func (b *Base) PluginInfo(ctx context.Context) (PluginInfo, error) {
	r, err := b.c.PluginInfo(ctx, &basepb.PluginInfoRequest{})
	if err != nil {
		return PluginInfo{}, fmt.Errorf("PluginInfo: %w", err)
	}
	return validatePluginInfo(r)
}

// ConfigSchema calls BasePlugin.ConfigSchema; a nil spec means no configuration.
func (b *Base) ConfigSchema(ctx context.Context) (*hclspec.Spec, error) {
	r, err := b.c.ConfigSchema(ctx, &basepb.ConfigSchemaRequest{})
	if err != nil {
		return nil, fmt.Errorf("ConfigSchema: %w", err)
	}
	return specconv.FromProto(r.GetSpec()), nil
}

// SetConfigRequest is the input of SetConfig. Give the plugin configuration as
// Value (decoded through the plugin's schema) or as ready Msgpack, not both.
type SetConfigRequest struct {
	Value   *cty.Value
	Msgpack []byte
	// Agent is the agent configuration Nomad's client sends every plugin
	// (NomadAgentConfig); nil sends none.
	Agent *base.AgentConfig
	// APIVersion is the selected plugin API version; empty means v0.1.0.
	APIVersion string
}

// EncodeConfig encodes a cty value as Nomad does: cty msgpack with the value's
// own type.
func EncodeConfig(v cty.Value) ([]byte, error) {
	if !v.IsWhollyKnown() {
		return nil, fmt.Errorf("config: expected a wholly known value, got unknowns in %s", v.Type().FriendlyName())
	}
	b, err := ctymsgpack.Marshal(v, v.Type())
	if err != nil {
		return nil, fmt.Errorf("config: encoding %s as msgpack: %w", v.Type().FriendlyName(), err)
	}
	return b, nil
}

// SetConfig calls BasePlugin.SetConfig.
func (b *Base) SetConfig(ctx context.Context, req SetConfigRequest) error {
	if req.Value != nil && req.Msgpack != nil {
		return fmt.Errorf("SetConfig: expected one of Value or Msgpack, got both")
	}
	raw := req.Msgpack
	if req.Value != nil && !req.Value.IsNull() {
		enc, err := EncodeConfig(*req.Value)
		if err != nil {
			return fmt.Errorf("SetConfig: %w", err)
		}
		raw = enc
	}
	api := req.APIVersion
	if api == "" {
		api = APIVersion010
	}
	_, err := b.c.SetConfig(ctx, baseconv.ConfigToProto(&base.Config{MsgpackConfig: raw, Agent: req.Agent, APIVersion: api}))
	if err != nil {
		return fmt.Errorf("SetConfig: %w", err)
	}
	return nil
}
