package agent

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestPluginSocketsLiveInTheDataDir: plugins get PLUGIN_UNIX_SOCKET_DIR
// inside the data dir (nothing in the system temp dir), and a socket no
// loaded plugin listens on is removed.
func TestPluginSocketsLiveInTheDataDir(t *testing.T) {
	ta := startTestAgent(t, "", "yurt-testproc")
	dir := ta.a.socketDir()
	var live []string
	for _, pi := range ta.a.plugins {
		p, _ := pi.current()
		require.NotNil(t, p, "plugin %s", pi.file)
		addr := p.Record().Address
		require.True(t, strings.HasPrefix(addr, dir+string(filepath.Separator)), "socket %s is outside %s", addr, dir)
		live = append(live, addr)
	}
	stale := filepath.Join(dir, "plugin-dead")
	require.NoError(t, os.WriteFile(stale, nil, 0o600))
	ta.a.removeStaleSockets()
	require.NoFileExists(t, stale)
	for _, addr := range live {
		require.FileExists(t, addr, "a live plugin's socket was removed")
	}
}
