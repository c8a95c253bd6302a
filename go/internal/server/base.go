package server

import (
	"context"
	"fmt"

	"github.com/yurt-sdk/yurt/go/gen/basepb"
	"github.com/yurt-sdk/yurt/go/internal/convert/baseconv"
	"github.com/yurt-sdk/yurt/go/internal/convert/specconv"
	"github.com/yurt-sdk/yurt/go/plugin/base"
)

// Server serves the BasePlugin gRPC service for a Plugin. Errors cross the
// wire as StatusError makes them.
type Base struct {
	basepb.UnimplementedBasePluginServer
	Impl base.Plugin
}

// PluginInfo serves the BasePlugin PluginInfo RPC: it calls the plugin's PluginInfo and
// maps its answer, and its errors, to the wire as Nomad expects them.
func (s *Base) PluginInfo(ctx context.Context, _ *basepb.PluginInfoRequest) (*basepb.PluginInfoResponse, error) {
	info, err := s.Impl.PluginInfo(ctx)
	if err != nil {
		return nil, baseconv.StatusError(err)
	}
	if info == nil {
		return nil, baseconv.StatusError(fmt.Errorf("plugin returned no PluginInfo"))
	}
	return baseconv.PluginInfoToProto(info), nil
}

// ConfigSchema serves the BasePlugin ConfigSchema RPC: it calls the plugin's ConfigSchema and
// maps its answer, and its errors, to the wire as Nomad expects them.
func (s *Base) ConfigSchema(ctx context.Context, _ *basepb.ConfigSchemaRequest) (*basepb.ConfigSchemaResponse, error) {
	spec, err := s.Impl.ConfigSchema(ctx)
	if err != nil {
		return nil, baseconv.StatusError(err)
	}
	return &basepb.ConfigSchemaResponse{Spec: specconv.ToProto(spec)}, nil
}

// SetConfig serves the BasePlugin SetConfig RPC: it calls the plugin's SetConfig and
// maps its answer, and its errors, to the wire as Nomad expects them.
func (s *Base) SetConfig(ctx context.Context, req *basepb.SetConfigRequest) (*basepb.SetConfigResponse, error) {
	cfg := baseconv.ConfigFromProto(req)
	if cfg == nil {
		cfg = &base.Config{}
	}
	if err := s.Impl.SetConfig(ctx, cfg); err != nil {
		return nil, baseconv.StatusError(err)
	}
	return &basepb.SetConfigResponse{}, nil
}
