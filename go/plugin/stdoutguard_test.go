package plugin

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
	goplugin "github.com/hashicorp/go-plugin"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"

	"github.com/yurt-sdk/yurt/go/gen/basepb"
)

// A plugin that prints to stdout before Serve is launched by go-plugin's
// own client (which takes the first stdout line as the handshake): it
// still starts, and the text plus one WARN line reach its stderr.
func TestServeStrayStdoutBeforeHandshakeGoesToStderr(t *testing.T) {
	var stderr syncBuffer
	client := goplugin.NewClient(&goplugin.ClientConfig{
		HandshakeConfig:  Handshake,
		Plugins:          ClientPlugins(),
		Cmd:              selfCmd(t, "noisy"),
		AllowedProtocols: []goplugin.Protocol{goplugin.ProtocolGRPC},
		Logger:           hclog.NewNullLogger(),
		Stderr:           &stderr,
	})
	t.Cleanup(client.Kill)
	rpc, err := client.Client()
	require.NoError(t, err, "stderr: %s", stderr.String())
	raw, err := rpc.Dispense(NameBase)
	require.NoError(t, err)
	info, err := basepb.NewBasePluginClient(raw.(*grpc.ClientConn)).PluginInfo(ctxT(t), &basepb.PluginInfoRequest{})
	require.NoError(t, err)
	assert.Equal(t, "fake", info.GetName())

	needles := []string{"stray Println before Serve", "stray from a child", StdoutGuardWarning}
	require.Eventually(t, func() bool {
		text := stderr.String()
		for _, n := range needles {
			if !strings.Contains(text, n) {
				return false
			}
		}
		return true
	}, 10*time.Second, 20*time.Millisecond, "stderr: %s", stderr.String())
	var warnings []string
	for _, l := range strings.Split(stderr.String(), "\n") {
		if strings.Contains(l, StdoutGuardWarning) {
			warnings = append(warnings, l)
		}
	}
	require.Len(t, warnings, 1, "stderr: %s", stderr.String())
	var entry map[string]any
	require.NoError(t, json.Unmarshal([]byte(warnings[0]), &entry))
	assert.Equal(t, "warn", entry["@level"])
	assert.Equal(t, StdoutGuardWarning, entry["@message"])
}

// A quiet plugin logs no warning.
func TestServeQuietPluginHasNoStdoutWarning(t *testing.T) {
	var stderr syncBuffer
	client := goplugin.NewClient(&goplugin.ClientConfig{
		HandshakeConfig:  Handshake,
		Plugins:          ClientPlugins(),
		Cmd:              selfCmd(t, "driver"),
		AllowedProtocols: []goplugin.Protocol{goplugin.ProtocolGRPC},
		Logger:           hclog.NewNullLogger(),
		Stderr:           &stderr,
	})
	t.Cleanup(client.Kill)
	rpc, err := client.Client()
	require.NoError(t, err)
	raw, err := rpc.Dispense(NameBase)
	require.NoError(t, err)
	_, err = basepb.NewBasePluginClient(raw.(*grpc.ClientConn)).PluginInfo(ctxT(t), &basepb.PluginInfoRequest{})
	require.NoError(t, err)
	client.Kill()
	assert.NotContains(t, stderr.String(), StdoutGuardWarning)
}
