package buildinfo

import (
	"bytes"
	"encoding/json"
	"runtime/debug"
	"testing"

	plugin "github.com/hashicorp/go-plugin"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/yurt-sdk/yurt/go/host"
)

func TestFromBuildInfo(t *testing.T) {
	i := fromBuildInfo("yurt", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"},
		Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "abc123"}, {Key: "vcs.modified", Value: "true"}}})
	assert.Equal(t, Version, i.Version)
	assert.Equal(t, "abc123", i.Commit)
	assert.Contains(t, i.String(), "commit: abc123 (modified)")

	i = fromBuildInfo("yurt", &debug.BuildInfo{Main: debug.Module{Version: "v0.2.0"}})
	assert.Equal(t, "v0.2.0", i.Version)
	assert.Equal(t, "unknown", i.Commit)
	assert.Equal(t, "unknown", fromBuildInfo("x", nil).Commit)
}

// The wire constants agree with the handshake the host speaks.
func TestWireMatchesHost(t *testing.T) {
	assert.Equal(t, host.ProtocolVersion, GoPluginAppProtocol)
	assert.Equal(t, host.APIVersion010, PluginAPIVersion)
	assert.Equal(t, plugin.CoreProtocolVersion, GoPluginCoreProtocol)
	var b bytes.Buffer
	require.NoError(t, Get("yurt").Write(&b, true))
	var m map[string]any
	require.NoError(t, json.Unmarshal(b.Bytes(), &m))
	assert.Equal(t, map[string]any{"plugin_api": "v0.1.0", "go_plugin_core": 1.0, "go_plugin_app": 2.0}, m["wire"])
	assert.Equal(t, "yurt", m["program"])
}
