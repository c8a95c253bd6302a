// Package plugintest tests a plugin the way a Nomad client talks to it, with
// the host's typed clients (go/host) on the SDK's own types: ServeDriver
// and ServeDevice run the
// plugin in the test's process over real gRPC on a unix socket, Launch runs
// a built plugin binary through the real go-plugin handshake (AutoMTLS, as
// host.Launch does). Both return a *Plugin with the same API, so one test
// can run against either (the Go counterpart of Python's
// yurt.testing.connect).
package plugintest

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"

	"github.com/yurt-sdk/yurt/go/gen/basepb"
	"github.com/yurt-sdk/yurt/go/gen/devicepb"
	"github.com/yurt-sdk/yurt/go/gen/driverpb"
	"github.com/yurt-sdk/yurt/go/host"
	"github.com/yurt-sdk/yurt/go/internal/server"
	"github.com/yurt-sdk/yurt/go/plugin/base"
	"github.com/yurt-sdk/yurt/go/plugin/device"
	"github.com/yurt-sdk/yurt/go/plugin/driver"
)

// Plugin is a plugin under test as a host reaches it.
type Plugin struct {
	conn grpc.ClientConnInterface
	proc *host.Plugin
}

// Base is the typed client of the plugin's BasePlugin service.
func (p *Plugin) Base() *host.Base { return host.NewBase(p.conn) }

// Driver is the typed client of a driver plugin's Driver service.
func (p *Plugin) Driver() *host.Driver { return host.NewDriver(p.conn) }

// Device is the typed client of a device plugin's DevicePlugin service.
func (p *Plugin) Device() *host.Device { return host.NewDevice(p.conn) }

// Conn is the gRPC connection to the plugin.
func (p *Plugin) Conn() grpc.ClientConnInterface { return p.conn }

// Process is the launched plugin process; nil for a plugin served in this
// process.
func (p *Plugin) Process() *host.Plugin { return p.proc }

// Configure configures the plugin as Nomad's client does: hcl (the body of
// the plugin's `config {}` block; empty for none) decoded through the
// plugin's ConfigSchema with its defaults, and the agent configuration with
// this host's CPU topology (host.NomadAgentConfig).
func (p *Plugin) Configure(ctx context.Context, hcl string) error {
	spec, err := p.Base().ConfigSchema(ctx)
	if err != nil {
		return err
	}
	mp, err := host.ConfigMsgpack(spec, []byte(hcl), "plugin-config.hcl")
	if err != nil {
		return err
	}
	return p.Base().SetConfig(ctx, host.SetConfigRequest{Msgpack: mp, Agent: AgentConfig()})
}

// ServeDriver serves the task driver d in this process over gRPC on a unix
// socket of its own, with the same services a plugin binary serves
// (BasePlugin, Driver, and the health service go-plugin adds), and connects
// to it with the host's message limits. Everything is stopped and removed
// when the test ends.
func ServeDriver(t testing.TB, d driver.Driver) *Plugin {
	t.Helper()
	if d == nil {
		t.Fatalf("plugintest.ServeDriver: expected a driver.Driver, got nil")
	}
	return serve(t, func(s *grpc.Server) {
		basepb.RegisterBasePluginServer(s, &server.Base{Impl: d})
		driverpb.RegisterDriverServer(s, &server.Driver{Impl: d})
	})
}

// ServeDevice is ServeDriver for a device plugin.
func ServeDevice(t testing.TB, d device.Device) *Plugin {
	t.Helper()
	if d == nil {
		t.Fatalf("plugintest.ServeDevice: expected a device.Device, got nil")
	}
	return serve(t, func(s *grpc.Server) {
		basepb.RegisterBasePluginServer(s, &server.Base{Impl: d})
		devicepb.RegisterDevicePluginServer(s, &server.Device{Impl: d})
	})
}

func serve(t testing.TB, register func(*grpc.Server)) *Plugin {
	t.Helper()
	// A short path of its own: t.TempDir can pass the 108-byte limit of a
	// socket path.
	dir, err := os.MkdirTemp("", "yurt-plugintest-")
	if err != nil {
		t.Fatalf("plugintest: a socket dir: %v", err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	sock := filepath.Join(dir, "plugin.sock")
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatalf("plugintest: listening on %s: %v", sock, err)
	}
	srv := grpc.NewServer()
	register(srv)
	hs := health.NewServer()
	hs.SetServingStatus("plugin", healthpb.HealthCheckResponse_SERVING)
	healthpb.RegisterHealthServer(srv, hs)
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(srv.Stop)
	conn, err := grpc.NewClient("unix://"+sock, grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithDefaultCallOptions(grpc.MaxCallRecvMsgSize(host.MaxRecvMsgSize)))
	if err != nil {
		t.Fatalf("plugintest: connecting to %s: %v", sock, err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	return &Plugin{conn: conn}
}

// Launch starts the plugin executable at path (args as Nomad's plugin
// "args") through the go-plugin handshake, as host.Launch does, and kills it
// when the test ends.
func Launch(t testing.TB, path string, args ...string) *Plugin {
	t.Helper()
	return LaunchWith(t, host.Options{Path: path, Args: args})
}

// LaunchWith is Launch with every host.Options field; StartTimeout zero
// means 30 s.
func LaunchWith(t testing.TB, o host.Options) *Plugin {
	t.Helper()
	if o.StartTimeout == 0 {
		o.StartTimeout = 30 * time.Second
	}
	ctx, cancel := context.WithTimeout(context.Background(), o.StartTimeout)
	defer cancel()
	p, err := host.Launch(ctx, o)
	if err != nil {
		t.Fatalf("plugintest.Launch: %v", err)
	}
	t.Cleanup(p.Kill)
	return &Plugin{conn: p.Conn(), proc: p}
}

// AgentConfig is the agent configuration Configure sends.
func AgentConfig() *base.AgentConfig { return host.NomadAgentConfig(host.DetectTopology()) }
