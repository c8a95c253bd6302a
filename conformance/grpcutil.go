package conformance

import (
	"github.com/yurt-sdk/yurt/go/gen/basepb"
	"google.golang.org/grpc"
)

func basepbClient(conn *grpc.ClientConn) basepb.BasePluginClient {
	return basepb.NewBasePluginClient(conn)
}
func pluginInfoRequest() *basepb.PluginInfoRequest     { return &basepb.PluginInfoRequest{} }
func configSchemaRequest() *basepb.ConfigSchemaRequest { return &basepb.ConfigSchemaRequest{} }
