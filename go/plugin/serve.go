// Package plugin serves Nomad driver and device plugins written with this
// SDK over hashicorp/go-plugin: Nomad's handshake (app protocol 2, its magic
// cookie), gRPC only, hclog JSON logs on stderr, stdout left to the
// handshake line (stray output before it goes to stderr: stdoutguard.go). It also offers the matching client side (Handshake and
// ClientPlugins) so hosts and tests launch plugins exactly as Nomad does.
package plugin

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/hashicorp/go-hclog"
	goplugin "github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"

	"github.com/yurt-sdk/yurt/go/gen/basepb"
	"github.com/yurt-sdk/yurt/go/gen/devicepb"
	"github.com/yurt-sdk/yurt/go/gen/driverpb"
	"github.com/yurt-sdk/yurt/go/gen/nomadconst"
	"github.com/yurt-sdk/yurt/go/internal/server"
	"github.com/yurt-sdk/yurt/go/plugin/base"
	"github.com/yurt-sdk/yurt/go/plugin/device"
	"github.com/yurt-sdk/yurt/go/plugin/driver"
	"github.com/yurt-sdk/yurt/go/plugin/supervise"
)

// Handshake is Nomad's go-plugin handshake.
var Handshake = goplugin.HandshakeConfig{
	ProtocolVersion:  nomadconst.AppProtocolVersion,
	MagicCookieKey:   nomadconst.MagicCookieKey,
	MagicCookieValue: nomadconst.MagicCookieValue,
}

// Names of the go-plugin plugins in the set, as Nomad dispenses them.
const (
	NameBase   = "base"
	NameDriver = "driver"
	NameDevice = "device"
)

// grpcPlugin registers one service on the plugin's gRPC server; on the
// client side it hands out the connection, on which callers build the
// generated clients.
type grpcPlugin struct {
	goplugin.NetRPCUnsupportedPlugin
	register func(*grpc.Server)
}

func (p *grpcPlugin) GRPCServer(_ *goplugin.GRPCBroker, s *grpc.Server) error {
	if p.register == nil {
		return fmt.Errorf("plugin: this plugin set is for clients only")
	}
	p.register(s)
	return nil
}

func (p *grpcPlugin) GRPCClient(_ context.Context, _ *goplugin.GRPCBroker, c *grpc.ClientConn) (any, error) {
	return c, nil
}

// baseService registers the BasePlugin service for p.
func baseService(p base.Plugin) *grpcPlugin {
	return &grpcPlugin{register: func(s *grpc.Server) {
		basepb.RegisterBasePluginServer(s, &server.Base{Impl: p})
	}}
}

// driverSet is what ServeDriver hands go-plugin: "base" and "driver".
func driverSet(d driver.Driver) goplugin.PluginSet {
	return goplugin.PluginSet{NameBase: baseService(d), NameDriver: &grpcPlugin{register: func(s *grpc.Server) {
		driverpb.RegisterDriverServer(s, &server.Driver{Impl: d})
	}}}
}

// deviceSet is what ServeDevice hands go-plugin: "base" and "device".
func deviceSet(d device.Device) goplugin.PluginSet {
	return goplugin.PluginSet{NameBase: baseService(d), NameDevice: &grpcPlugin{register: func(s *grpc.Server) {
		devicepb.RegisterDevicePluginServer(s, &server.Device{Impl: d})
	}}}
}

// ClientPlugins is the plugin set a host gives go-plugin's client; each
// Dispense returns the *grpc.ClientConn.
func ClientPlugins() goplugin.PluginSet {
	return goplugin.PluginSet{NameBase: &grpcPlugin{}, NameDriver: &grpcPlugin{}, NameDevice: &grpcPlugin{}}
}

// NewLogger returns the logger plugins should use: hclog JSON lines on
// stderr, which the host collects. Never log to stdout.
func NewLogger(name string) hclog.Logger {
	return newLogger(name, os.Stderr)
}

func newLogger(name string, w io.Writer) hclog.Logger {
	return hclog.New(&hclog.LoggerOptions{Name: name, Level: hclog.Trace, JSONFormat: true, Output: w})
}

// Option tunes ServeDriver and ServeDevice; without any they serve as
// Nomad expects.
type Option func(*options)

type options struct {
	logger hclog.Logger
}

// WithLogger sends go-plugin's own logs to l instead of
// NewLogger("plugin").
func WithLogger(l hclog.Logger) Option {
	return func(o *options) { o.logger = l }
}

// ServeDriver serves the task driver d until the host shuts it down, then
// returns. Run as `<plugin> yurt-supervise <state dir>` (by
// go/plugin/supervise.Start), the binary is a task supervisor instead: it
// supervises that task and exits without serving. A nil d is a usage
// error: it is printed on stderr and the process exits 1, as go-plugin does
// for a missing magic cookie.
func ServeDriver(d driver.Driver, opts ...Option) {
	supervise.Main()
	if d == nil {
		usageError("plugin: ServeDriver was given a nil driver.Driver")
	}
	serve(driverSet(d), opts)
}

// ServeDevice serves the device plugin d until the host shuts it down,
// then returns; otherwise as ServeDriver.
func ServeDevice(d device.Device, opts ...Option) {
	supervise.Main()
	if d == nil {
		usageError("plugin: ServeDevice was given a nil device.Device")
	}
	serve(deviceSet(d), opts)
}

func usageError(msg string) {
	fmt.Fprintln(os.Stderr, msg)
	os.Exit(1)
}

func serve(set goplugin.PluginSet, opts []Option) {
	var o options
	for _, opt := range opts {
		if opt != nil {
			opt(&o)
		}
	}
	// If the host dies, writes to our stderr pipe fail. Without a handler
	// the Go runtime kills the process with SIGPIPE on such a write to fd
	// 1 or 2; with one, the write just fails and we keep serving so that a
	// restarted host can reattach. (A handled signal, unlike an ignored
	// one, is reset to default in the tasks a driver execs.)
	sigpipe := make(chan os.Signal, 1)
	signal.Notify(sigpipe, syscall.SIGPIPE)
	go func() {
		for range sigpipe {
		}
	}()
	logger := o.logger
	if logger == nil {
		logger = NewLogger("plugin")
	}
	// Usually installed at package init already (see stdoutguard.go).
	realStdout, err := guardStdout()
	if err != nil {
		fmt.Fprintf(os.Stderr, "cannot guard stdout for the handshake: %v\n", err)
		os.Exit(1)
	}
	// go-plugin prints the handshake line to os.Stdout, then points
	// os.Stdout at its GRPCStdio pipe (go-plugin server.go).
	os.Stdout = realStdout
	goplugin.Serve(&goplugin.ServeConfig{
		HandshakeConfig: Handshake,
		Plugins:         set,
		GRPCServer:      goplugin.DefaultGRPCServer,
		Logger:          logger,
	})
}
