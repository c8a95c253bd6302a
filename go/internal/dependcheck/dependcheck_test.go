package dependcheck

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/yurt-sdk/yurt/go/gen/nomadconst"
)

const mainGo = `package main

import (
	"context"
	"time"

	"github.com/yurt-sdk/yurt/go/hclspec"
	"github.com/yurt-sdk/yurt/go/plugin"
	"github.com/yurt-sdk/yurt/go/plugin/base"
	"github.com/yurt-sdk/yurt/go/plugin/device"
)

type none struct{}

func (none) PluginInfo(context.Context) (*base.PluginInfo, error) {
	return &base.PluginInfo{Type: base.PluginTypeDevice, Name: "none", Version: "0.1.0",
		APIVersions: []string{base.APIVersion010}}, nil
}
func (none) ConfigSchema(context.Context) (*hclspec.Spec, error)  { return nil, nil }
func (none) SetConfig(context.Context, *base.Config) error        { return nil }
func (none) Fingerprint(context.Context) (<-chan *device.FingerprintResponse, error) {
	ch := make(chan *device.FingerprintResponse, 1)
	ch <- &device.FingerprintResponse{}
	return ch, nil
}
func (none) Reserve(context.Context, []string) (*device.ContainerReservation, error) {
	return &device.ContainerReservation{}, nil
}
func (none) Stats(context.Context, time.Duration) (<-chan *device.StatsResponse, error) {
	return make(chan *device.StatsResponse), nil
}

func main() { plugin.ServeDevice(none{}) }
`

func TestPluginModuleOutsideTheRepositoryBuildsAndHandshakes(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a plugin binary")
	}
	sdk, err := filepath.Abs("../..")
	require.NoError(t, err)
	repo := filepath.Dir(sdk)
	dir := t.TempDir()
	require.False(t, strings.HasPrefix(dir, repo+string(filepath.Separator)), "scratch dir %s is inside the repository", dir)

	gomod := "module example.com/myplugin\n\ngo 1.26.0\n\n" +
		"require github.com/yurt-sdk/yurt/go v0.0.0\n\n" +
		"replace github.com/yurt-sdk/yurt/go => " + sdk + "\n"
	require.NoError(t, os.WriteFile(filepath.Join(dir, "go.mod"), []byte(gomod), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "main.go"), []byte(mainGo), 0o644))
	sum, err := os.ReadFile(filepath.Join(sdk, "go.sum"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "go.sum"), sum, 0o644))

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	bin := filepath.Join(dir, "myplugin")
	build := exec.CommandContext(ctx, "go", "build", "-mod=mod", "-o", bin, ".")
	build.Dir = dir
	// Only what is already in the module cache: the SDK's own requirements.
	build.Env = append(os.Environ(), "GOPROXY=off", "GOFLAGS=", "GOWORK=off", "CGO_ENABLED=0")
	out, err := build.CombinedOutput()
	require.NoError(t, err, "go build outside the repository:\n%s", out)

	run := exec.CommandContext(ctx, bin)
	run.Env = append(os.Environ(),
		nomadconst.MagicCookieKey+"="+nomadconst.MagicCookieValue,
		"PLUGIN_PROTOCOL_VERSIONS=2", "PLUGIN_MIN_PORT=10000", "PLUGIN_MAX_PORT=25000",
		// Killed below: its socket goes in the test's dir, not in TMPDIR.
		"PLUGIN_UNIX_SOCKET_DIR="+dir)
	stdout, err := run.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, run.Start())
	defer func() {
		_ = run.Process.Kill()
		_ = run.Wait()
	}()
	lines := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(stdout).ReadString('\n')
		lines <- line
	}()
	select {
	case line := <-lines:
		require.Regexp(t, `^1\|2\|unix\|/[^|]+\|grpc\|`, line)
	case <-time.After(30 * time.Second):
		t.Fatal("no handshake line within 30s")
	}
}
