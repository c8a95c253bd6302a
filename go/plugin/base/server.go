package base

import (
	"context"
	"fmt"

	"github.com/yurt-sdk/yurt/go/gen/basepb"
)

// Server serves the BasePlugin gRPC service for a Plugin. Errors cross the
// wire as StatusError makes them.
type Server struct {
	basepb.UnimplementedBasePluginServer
	Impl Plugin
}

// PluginInfo serves the BasePlugin PluginInfo RPC: it calls the plugin's PluginInfo and
// maps its answer, and its errors, to the wire as Nomad expects them.
func (s *Server) PluginInfo(ctx context.Context, _ *basepb.PluginInfoRequest) (*basepb.PluginInfoResponse, error) {
	info, err := s.Impl.PluginInfo(ctx)
	if err != nil {
		return nil, StatusError(err)
	}
	if info == nil {
		return nil, StatusError(fmt.Errorf("plugin returned no PluginInfo"))
	}
	return PluginInfoToProto(info), nil
}

// ConfigSchema serves the BasePlugin ConfigSchema RPC: it calls the plugin's ConfigSchema and
// maps its answer, and its errors, to the wire as Nomad expects them.
func (s *Server) ConfigSchema(ctx context.Context, _ *basepb.ConfigSchemaRequest) (*basepb.ConfigSchemaResponse, error) {
	spec, err := s.Impl.ConfigSchema(ctx)
	if err != nil {
		return nil, StatusError(err)
	}
	return &basepb.ConfigSchemaResponse{Spec: spec}, nil
}

// SetConfig serves the BasePlugin SetConfig RPC: it calls the plugin's SetConfig and
// maps its answer, and its errors, to the wire as Nomad expects them.
func (s *Server) SetConfig(ctx context.Context, req *basepb.SetConfigRequest) (*basepb.SetConfigResponse, error) {
	cfg := ConfigFromProto(req)
	if cfg == nil {
		cfg = &Config{}
	}
	if err := s.Impl.SetConfig(ctx, cfg); err != nil {
		return nil, StatusError(err)
	}
	return &basepb.SetConfigResponse{}, nil
}
