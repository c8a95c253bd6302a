// Command floor-go is the Go latency floor for the benchmarks: a Nomad driver
// plugin written on bare hashicorp/go-plugin and the generated stubs, with no
// Yurt SDK in between. It answers only what the benchmarks time (PluginInfo,
// ConfigSchema, SetConfig and InspectTask of any task ID, with a fixed status)
// so that the Go SDK example can be compared with the cheapest possible plugin
// that speaks the same handshake, AutoMTLS included (go-plugin does it).
//
// For the agent scale benchmark it also answers what `yurt agent` needs to
// hold a driver (TaskConfigSchema, a Fingerprint stream, a TaskEvents stream)
// and names itself after its file, so that symlinks floor-go-2, floor-go-3,
// ... load as distinct plugins.
package main

import (
	"context"
	"os"
	"path/filepath"

	goplugin "github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/yurt-sdk/yurt/go/gen/basepb"
	"github.com/yurt-sdk/yurt/go/gen/driverpb"
	"github.com/yurt-sdk/yurt/go/gen/hclspecpb"
	"github.com/yurt-sdk/yurt/go/gen/nomadconst"
)

type base struct {
	basepb.UnimplementedBasePluginServer
}

func (base) PluginInfo(context.Context, *basepb.PluginInfoRequest) (*basepb.PluginInfoResponse, error) {
	return &basepb.PluginInfoResponse{Type: basepb.PluginType_DRIVER, PluginApiVersions: []string{"v0.1.0"},
		PluginVersion: "0.1.0", Name: filepath.Base(os.Args[0])}, nil
}

func (base) ConfigSchema(context.Context, *basepb.ConfigSchemaRequest) (*basepb.ConfigSchemaResponse, error) {
	return &basepb.ConfigSchemaResponse{Spec: &hclspecpb.Spec{Block: &hclspecpb.Spec_Object{Object: &hclspecpb.Object{}}}}, nil
}

func (base) SetConfig(context.Context, *basepb.SetConfigRequest) (*basepb.SetConfigResponse, error) {
	return &basepb.SetConfigResponse{}, nil
}

type driver struct {
	driverpb.UnimplementedDriverServer
	started *timestamppb.Timestamp
}

func (d driver) InspectTask(_ context.Context, r *driverpb.InspectTaskRequest) (*driverpb.InspectTaskResponse, error) {
	return &driverpb.InspectTaskResponse{
		Task:   &driverpb.TaskStatus{Id: r.GetTaskId(), Name: "floor", State: driverpb.TaskState_RUNNING, StartedAt: d.started},
		Driver: &driverpb.TaskDriverStatus{Attributes: map[string]string{"pid": "1"}},
	}, nil
}

func (driver) TaskConfigSchema(context.Context, *driverpb.TaskConfigSchemaRequest) (*driverpb.TaskConfigSchemaResponse, error) {
	return &driverpb.TaskConfigSchemaResponse{Spec: &hclspecpb.Spec{Block: &hclspecpb.Spec_Object{Object: &hclspecpb.Object{}}}}, nil
}

func (driver) Fingerprint(_ *driverpb.FingerprintRequest, s driverpb.Driver_FingerprintServer) error {
	if err := s.Send(&driverpb.FingerprintResponse{Health: driverpb.FingerprintResponse_HEALTHY, HealthDescription: "healthy"}); err != nil {
		return err
	}
	<-s.Context().Done()
	return nil
}

func (driver) TaskEvents(_ *driverpb.TaskEventsRequest, s driverpb.Driver_TaskEventsServer) error {
	<-s.Context().Done()
	return nil
}

type floorPlugin struct {
	goplugin.NetRPCUnsupportedPlugin
}

func (floorPlugin) GRPCServer(_ *goplugin.GRPCBroker, s *grpc.Server) error {
	basepb.RegisterBasePluginServer(s, base{})
	driverpb.RegisterDriverServer(s, driver{started: timestamppb.Now()})
	return nil
}

func (floorPlugin) GRPCClient(context.Context, *goplugin.GRPCBroker, *grpc.ClientConn) (interface{}, error) {
	return nil, nil
}

func main() {
	goplugin.Serve(&goplugin.ServeConfig{
		HandshakeConfig: goplugin.HandshakeConfig{
			ProtocolVersion:  nomadconst.AppProtocolVersion,
			MagicCookieKey:   nomadconst.MagicCookieKey,
			MagicCookieValue: nomadconst.MagicCookieValue,
		},
		Plugins:    goplugin.PluginSet{"driver": floorPlugin{}},
		GRPCServer: goplugin.DefaultGRPCServer,
	})
}
