// Command goplugin_host is a real hashicorp/go-plugin host used by the Python
// SDK's tests: it launches a plugin exactly as Nomad does (Nomad's handshake,
// gRPC only, optionally AutoMTLS), pings health, calls BasePlugin.PluginInfo
// through the generated Go stubs, then Kill()s it (GRPCController.Shutdown,
// then go-plugin's 2 s wait) and prints what happened as one JSON object.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"

	hclog "github.com/hashicorp/go-hclog"
	plugin "github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"

	"github.com/yurt-sdk/yurt/go/gen/basepb"
	"github.com/yurt-sdk/yurt/go/gen/nomadconst"
)

type basePlugin struct{ plugin.NetRPCUnsupportedPlugin }

func (basePlugin) GRPCServer(*plugin.GRPCBroker, *grpc.Server) error { return nil }

func (basePlugin) GRPCClient(_ context.Context, _ *plugin.GRPCBroker, c *grpc.ClientConn) (interface{}, error) {
	return basepb.NewBasePluginClient(c), nil
}

type report struct {
	Name       string  `json:"name"`
	Type       int32   `json:"type"`
	Version    string  `json:"version"`
	Negotiated int     `json:"negotiated_version"`
	StartMs    float64 `json:"start_ms"`
	KillMs     float64 `json:"kill_ms"`
	Exited     bool    `json:"exited"`
	Stdout     string  `json:"synced_stdout"`
	HostLog    string  `json:"host_log"`
}

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, format+"\n", args...)
	os.Exit(1)
}

func main() {
	if len(os.Args) < 2 {
		fail("usage: goplugin_host <plugin> [args...]")
	}
	var hostLog, synced bytes.Buffer
	client := plugin.NewClient(&plugin.ClientConfig{
		HandshakeConfig: plugin.HandshakeConfig{
			ProtocolVersion:  nomadconst.AppProtocolVersion,
			MagicCookieKey:   nomadconst.MagicCookieKey,
			MagicCookieValue: nomadconst.MagicCookieValue,
		},
		Plugins:          map[string]plugin.Plugin{"base": basePlugin{}},
		Cmd:              exec.Command(os.Args[1], os.Args[2:]...),
		AllowedProtocols: []plugin.Protocol{plugin.ProtocolGRPC},
		AutoMTLS:         os.Getenv("YURT_TEST_AUTOMTLS") == "1",
		SyncStdout:       &synced,
		Logger:           hclog.New(&hclog.LoggerOptions{Output: &hostLog, Level: hclog.Trace}),
	})
	start := time.Now()
	rpc, err := client.Client()
	if err != nil {
		fail("client: %v\n%s", err, hostLog.String())
	}
	raw, err := rpc.Dispense("base")
	if err != nil {
		fail("dispense: %v", err)
	}
	if err := rpc.Ping(); err != nil {
		fail("ping: %v\n%s", err, hostLog.String())
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	info, err := raw.(basepb.BasePluginClient).PluginInfo(ctx, &basepb.PluginInfoRequest{})
	if err != nil {
		fail("PluginInfo: %v\n%s", err, hostLog.String())
	}
	startMs := float64(time.Since(start).Microseconds()) / 1000
	if _, err := raw.(basepb.BasePluginClient).SetConfig(ctx, &basepb.SetConfigRequest{PluginApiVersion: "v0.1.0"}); err != nil {
		fail("SetConfig: %v\n%s", err, hostLog.String())
	}
	time.Sleep(300 * time.Millisecond) // let the plugin's stdout reach SyncStdout
	killStart := time.Now()
	client.Kill()
	out := report{
		Name:       info.GetName(),
		Type:       int32(info.GetType()),
		Version:    info.GetPluginVersion(),
		Negotiated: client.NegotiatedVersion(),
		StartMs:    startMs,
		KillMs:     float64(time.Since(killStart).Microseconds()) / 1000,
		Exited:     client.Exited(),
		Stdout:     synced.String(),
		HostLog:    strings.TrimSpace(hostLog.String()),
	}
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		fail("encode: %v", err)
	}
}
