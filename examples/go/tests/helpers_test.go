// Package tests launches the built example plugins as real processes
// through go-plugin's client, as a host does, and checks their behaviour.
package tests

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
	goplugin "github.com/hashicorp/go-plugin"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/proto"

	"github.com/yurt-sdk/yurt/go/gen/basepb"
	"github.com/yurt-sdk/yurt/go/gen/hclspecpb"
	"github.com/yurt-sdk/yurt/go/hclspec"
	"github.com/yurt-sdk/yurt/go/plugin"
)

// binary returns the path of a built plugin; `make test` sets
// YURT_PLUGIN_DIR. Without the binaries the tests fail, never skip.
func binary(t *testing.T, name string) string {
	t.Helper()
	dir := os.Getenv("YURT_PLUGIN_DIR")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "build", "plugins")
	}
	path, err := filepath.Abs(filepath.Join(dir, name))
	require.NoError(t, err)
	_, err = os.Stat(path)
	require.NoError(t, err, "plugin binary missing: run `make -C examples/go build` (or set YURT_PLUGIN_DIR)")
	return path
}

type launched struct {
	client *goplugin.Client
	conn   *grpc.ClientConn
}

// launch starts the plugin binary exactly as Nomad does.
func launch(t *testing.T, name string) *launched {
	t.Helper()
	client := goplugin.NewClient(&goplugin.ClientConfig{
		HandshakeConfig:  plugin.Handshake,
		Plugins:          plugin.ClientPlugins(),
		Cmd:              execCommand(binary(t, name)),
		AllowedProtocols: []goplugin.Protocol{goplugin.ProtocolGRPC},
		Logger:           hclog.NewNullLogger(),
	})
	t.Cleanup(client.Kill)
	rpc, err := client.Client()
	require.NoError(t, err)
	raw, err := rpc.Dispense(plugin.NameBase)
	require.NoError(t, err)
	return &launched{client: client, conn: raw.(*grpc.ClientConn)}
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// configure fetches the plugin's schema, decodes src with it and sends the
// msgpack with SetConfig, as a host does.
func configure(t *testing.T, l *launched, src string) error {
	t.Helper()
	c := basepb.NewBasePluginClient(l.conn)
	schema, err := c.ConfigSchema(ctxT(t), &basepb.ConfigSchemaRequest{})
	require.NoError(t, err)
	val, diags := hclspec.DecodeHCL([]byte(src), "plugin.hcl", specOf(t, schema.GetSpec()), nil)
	require.False(t, diags.HasErrors(), diags.Error())
	mp, err := hclspec.EncodeMsgpack(val)
	require.NoError(t, err)
	_, err = c.SetConfig(ctxT(t), &basepb.SetConfigRequest{MsgpackConfig: mp, PluginApiVersion: "v0.1.0",
		NomadConfig: &basepb.NomadConfig{Driver: &basepb.NomadDriverConfig{ClientMinPort: 20000, ClientMaxPort: 32000}}})
	return err
}

// specOf turns a schema as the plugin sent it into the SDK's hclspec.Spec,
// through its serialized form (these tests speak the raw wire; the SDK's
// public API takes no generated type).
func specOf(t *testing.T, p *hclspecpb.Spec) *hclspec.Spec {
	t.Helper()
	if p == nil {
		return nil
	}
	b, err := proto.Marshal(p)
	require.NoError(t, err)
	s, err := hclspec.Unmarshal(b)
	require.NoError(t, err)
	return s
}
