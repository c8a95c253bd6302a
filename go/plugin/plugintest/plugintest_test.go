package plugintest_test

import (
	"context"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/yurt-sdk/yurt/go/host"
	"github.com/yurt-sdk/yurt/go/plugin/base"
	"github.com/yurt-sdk/yurt/go/plugin/driver"
	"github.com/yurt-sdk/yurt/go/plugin/plugintest"
	"github.com/yurt-sdk/yurt/go/plugin/plugintest/internal/sample"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// sampleBinary builds ./internal/sampleplugin once per test run.
func sampleBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := tempDir()
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "sampleplugin")
		out, err := exec.Command("go", "build", "-o", binPath, "./internal/sampleplugin").CombinedOutput()
		if err != nil {
			buildErr, binPath = err, string(out)
		}
	})
	require.NoError(t, buildErr, binPath)
	return binPath
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// paths runs fn against the sample plugin served in-process and launched
// as a binary: the same API, the same answers.
func paths(t *testing.T, device bool, fn func(t *testing.T, p *plugintest.Plugin)) {
	t.Run("in-process", func(t *testing.T) {
		var p *plugintest.Plugin
		if device {
			p = plugintest.ServeDevice(t, sample.Device{})
		} else {
			p = plugintest.ServeDriver(t, &sample.Driver{})
		}
		assert.Nil(t, p.Process())
		fn(t, p)
	})
	t.Run("binary", func(t *testing.T) {
		var args []string
		if device {
			args = []string{"device"}
		}
		p := plugintest.Launch(t, sampleBinary(t), args...)
		require.NotNil(t, p.Process())
		require.NoError(t, p.Process().Ping(ctxT(t)), "the go-plugin health service answers")
		fn(t, p)
	})
}

func TestDriverBothPaths(t *testing.T) {
	paths(t, false, func(t *testing.T, p *plugintest.Plugin) {
		ctx := ctxT(t)
		info, err := p.Base().PluginInfo(ctx)
		require.NoError(t, err)
		assert.Equal(t, host.PluginInfo{Type: host.PluginTypeDriver, Name: "sample", PluginVersion: "0.1.0", APIVersions: []string{"v0.1.0"}}, info)
		require.NoError(t, p.Configure(ctx, `greeting = "hi"`))

		d := p.Driver()
		caps, err := d.Capabilities(ctx)
		require.NoError(t, err)
		assert.Equal(t, &driver.Capabilities{SendSignals: true, FSIsolation: driver.FSIsolationChroot}, caps)

		fs, err := d.Fingerprint(ctx)
		require.NoError(t, err)
		fp, err := fs.Recv()
		require.NoError(t, err)
		assert.Equal(t, driver.HealthStateHealthy, fp.Health)
		assert.Equal(t, base.NewStringAttribute("hi"), fp.Attributes["driver.sample.greeting"], "SetConfig reached the plugin")
		cores := int64(len(plugintest.AgentConfig().Topology.Cores))
		assert.Equal(t, base.NewIntAttribute(cores, ""), fp.Attributes["driver.sample.cores"], "the agent config's topology reached the plugin")

		h, net, err := d.StartTask(ctx, &driver.TaskConfig{ID: "t1", Name: "web", Env: map[string]string{"RUN_MS": "100", "EXIT_CODE": "3"}})
		require.NoError(t, err)
		assert.Equal(t, "t1", h.Config.ID)
		assert.Equal(t, driver.TaskStateRunning, h.State)
		var ds map[string]int
		require.NoError(t, h.GetDriverState(&ds))
		assert.Equal(t, 100, ds["run_ms"])
		assert.Equal(t, map[string]int{"http": 8080}, net.PortMap)

		res, err := d.WaitTask(ctx, "t1")
		require.NoError(t, err)
		assert.Equal(t, 3, res.ExitCode)
		st, err := d.InspectTask(ctx, "t1")
		require.NoError(t, err)
		assert.Equal(t, driver.TaskStateExited, st.State)
		assert.Equal(t, "web", st.Name)
		assert.Equal(t, 3, st.ExitResult.ExitCode)
		assert.False(t, st.CompletedAt.Before(st.StartedAt))

		_, err = d.InspectTask(ctx, "nope")
		assert.True(t, host.IsTaskNotFound(err), "%v", err)

		_, _, err = d.StartTask(ctx, &driver.TaskConfig{ID: "t2", Env: map[string]string{"FAIL": "image not ready"}})
		rec, present := host.Recoverable(err)
		assert.True(t, present && rec, "a recoverable StartTask error: %v", err)

		_, _, err = d.StartTask(ctx, &driver.TaskConfig{ID: "t3"})
		require.NoError(t, err)
		ss, err := d.TaskStats(ctx, "t3", 50*time.Millisecond)
		require.NoError(t, err)
		s, err := ss.Recv()
		require.NoError(t, err)
		assert.Equal(t, 12.5, s.Aggregate.CPU.Percent)
		assert.Equal(t, uint64(4096), s.Aggregate.Memory.RSS)
		require.NoError(t, d.StopTask(ctx, "t3", time.Second, "SIGTERM"))
		res, err = d.WaitTask(ctx, "t3")
		require.NoError(t, err)
		assert.Equal(t, 15, res.Signal)
		require.NoError(t, d.DestroyTask(ctx, "t3", false))
	})
}

func TestDeviceBothPaths(t *testing.T) {
	paths(t, true, func(t *testing.T, p *plugintest.Plugin) {
		ctx := ctxT(t)
		info, err := p.Base().PluginInfo(ctx)
		require.NoError(t, err)
		assert.Equal(t, host.PluginTypeDevice, info.Type)
		require.NoError(t, p.Configure(ctx, ""), "a plugin without a schema takes no config")
		dv := p.Device()
		fs, err := dv.Fingerprint(ctx)
		require.NoError(t, err)
		fp, err := fs.Recv()
		require.NoError(t, err)
		require.Len(t, fp.Groups, 1)
		assert.Equal(t, "dev-1", fp.Groups[0].Devices[1].ID)
		r, err := dv.Reserve(ctx, []string{"dev-0"})
		require.NoError(t, err)
		assert.Equal(t, "[dev-0]", r.Envs["SAMPLE_DEVICES"])
		_, err = dv.Reserve(ctx, []string{"gpu-9"})
		assert.ErrorContains(t, err, `unknown device "gpu-9"`)
	})
}

// TestServeRefusesNil: a nil plugin is a usage error naming what is missing.
func TestServeRefusesNil(t *testing.T) {
	ft := &fatalT{TB: t}
	func() {
		defer func() { _ = recover() }()
		plugintest.ServeDriver(ft, nil)
	}()
	assert.Equal(t, "plugintest.ServeDriver: expected a driver.Driver, got nil", ft.msg)
}
