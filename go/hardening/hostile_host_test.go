package hardening

import (
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	hclog "github.com/hashicorp/go-hclog"
	goplugin "github.com/hashicorp/go-plugin"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/yurt-sdk/yurt/go/host"
)

// hostileCopy puts the hostile plugin in a fresh dir as hostile-<mode>.
func hostileCopy(t *testing.T, mode string) string {
	p := filepath.Join(shortTemp(t), "hostile-"+mode)
	copyExec(t, bins.hostile, p)
	return p
}

// TestHostilePluginsHostLibrary launches each hostile plugin with the host
// library: every failure is a bounded, clear error; nothing panics the
// host (this test process) and nothing hangs.
func TestHostilePluginsHostLibrary(t *testing.T) {
	t.Parallel()
	startFails := []struct {
		mode string
		want string // in the error text
	}{
		{"exit", "exit"},
		{"garbage", "HTTP/1.1 200 OK this is not a handshake"},
		{"oversize", ""},
		{"preamble", "starting hostile plugin"},
		{"silent", "timeout"},
	}
	for _, c := range startFails {
		t.Run("start/"+c.mode, func(t *testing.T) {
			t.Parallel()
			path := hostileCopy(t, c.mode)
			began := time.Now()
			p, err := host.Launch(context.Background(), host.Options{Path: path, StartTimeout: 3 * time.Second})
			if p != nil {
				p.Kill()
			}
			require.Error(t, err, "launching a plugin in mode %s must fail", c.mode)
			assert.Less(t, time.Since(began), 15*time.Second, "the failure must be bounded by StartTimeout")
			assert.Contains(t, err.Error(), path, "the error names the plugin")
			if c.want != "" {
				assert.Contains(t, strings.ToLower(err.Error()), strings.ToLower(c.want))
			}
			assert.Less(t, len(err.Error()), 4096, "the error must not echo megabytes of plugin output")
			t.Logf("%s: %v", c.mode, err)
		})
	}

	t.Run("rpc/hang", func(t *testing.T) {
		t.Parallel()
		p := launchOK(t, "hang", nil)
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_, err := p.PluginInfo(ctx)
		require.Error(t, err)
		assert.Contains(t, err.Error(), "DeadlineExceeded")
		began := time.Now()
		p.Kill()
		assert.Less(t, time.Since(began), 5*time.Second, "Kill of a plugin with a stuck handler")
		assert.True(t, p.Exited())
	})
	t.Run("rpc/huge", func(t *testing.T) {
		t.Parallel()
		p := launchOK(t, "huge", nil)
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		_, err := p.PluginInfo(ctx)
		require.Error(t, err, "a 64 MiB answer must be refused (host.MaxRecvMsgSize)")
		assert.Contains(t, err.Error(), "ResourceExhausted")
		// The connection survives the refused message.
		require.NoError(t, p.Ping(ctx))
	})
	t.Run("rpc/midstream", func(t *testing.T) {
		t.Parallel()
		p := launchOK(t, "midstream", nil)
		ctx, cancel := context.WithCancel(context.Background())
		s, err := p.Device().Fingerprint(ctx)
		require.NoError(t, err)
		_, err = s.Recv()
		require.NoError(t, err, "the first message arrives")
		done := make(chan error, 1)
		go func() { _, err := s.Recv(); done <- err }()
		select {
		case err := <-done:
			t.Fatalf("the stalled stream must not end on its own, got %v", err)
		case <-time.After(500 * time.Millisecond):
		}
		cancel()
		select {
		case err := <-done:
			require.Error(t, err, "cancelling the context ends a stalled stream")
		case <-time.After(5 * time.Second):
			t.Fatal("a stalled stream did not end after its context was cancelled")
		}
		info, err := p.PluginInfo(context.Background())
		require.NoError(t, err, "other calls keep working")
		assert.Equal(t, "hostile-midstream", info.Name)
	})
	t.Run("stderr/badjson", func(t *testing.T) {
		t.Parallel()
		var problems atomic.Int64
		seen := make(chan string, 64)
		obs := func(l host.LogLine) {
			if l.Problem != "" {
				problems.Add(1)
				select {
				case seen <- l.Problem:
				default:
				}
			}
		}
		// A logger at Trace: go-plugin's own parser would be live and panic.
		p := launchOK(t, "badjson", obs)
		require.True(t, waitFor(10*time.Second, func() bool { return problems.Load() >= 20 }), "bad lines reach the parser")
		var texts []string
		for len(seen) > 0 {
			texts = append(texts, <-seen)
		}
		all := strings.Join(texts, "\n")
		assert.Contains(t, all, "@message is not a string")
		assert.Contains(t, all, "@level is not a string")
		info, err := p.PluginInfo(context.Background())
		require.NoError(t, err)
		assert.Equal(t, "hostile-badjson", info.Name)
	})
	t.Run("stderr/flood", func(t *testing.T) {
		t.Parallel()
		var lines atomic.Int64
		p := launchOK(t, "flood", func(host.LogLine) { lines.Add(1) })
		runtime.GC()
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		began := time.Now()
		for range 50 {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			_, err := p.PluginInfo(ctx)
			cancel()
			require.NoError(t, err, "RPCs keep working while the plugin floods stderr")
		}
		require.True(t, waitFor(10*time.Second, func() bool { return lines.Load() > 10000 }), "the host keeps reading the flood: %d lines", lines.Load())
		var after runtime.MemStats
		runtime.ReadMemStats(&after)
		t.Logf("flood: 50 RPCs in %s, %d lines read, heap %d -> %d MiB", time.Since(began), lines.Load(), before.HeapInuse>>20, after.HeapInuse>>20)
		assert.Less(t, after.HeapInuse, before.HeapInuse+256<<20, "reading a flood must not grow the host's heap without bound")
	})
}

// launchOK launches a hostile plugin that completes the handshake, with a
// live Trace logger (so a bare go-plugin would parse its stderr) and the
// given observer.
func launchOK(t *testing.T, mode string, obs func(host.LogLine)) *host.Plugin {
	t.Helper()
	lg := hclog.New(&hclog.LoggerOptions{Level: hclog.Trace, Output: io.Discard})
	p, err := host.Launch(context.Background(), host.Options{Path: hostileCopy(t, mode), Logger: lg, LogObserver: obs, StartTimeout: 10 * time.Second})
	require.NoError(t, err)
	t.Cleanup(p.Kill)
	return p
}

// TestBareGoPluginPanicsOnBadJSON is the control for the badjson case: a
// bare go-plugin client with a live logger dies on the hostile plugin's
// stderr (go-plugin #38), so the badjson plugin really is hostile and the
// host library's survival above means something.
func TestBareGoPluginPanicsOnBadJSON(t *testing.T) {
	if os.Getenv("YURT_HARDENING_BARE_CHILD") == "1" {
		bareGoPluginChild()
		return
	}
	t.Parallel()
	cmd := exec.Command(os.Args[0], "-test.run=^TestBareGoPluginPanicsOnBadJSON$", "-test.count=1")
	// The plugin dies by SIGKILL with its group: its socket goes in a dir the
	// test removes, not in TMPDIR (go-plugin's default).
	cmd.Env = append(os.Environ(), "YURT_HARDENING_BARE_CHILD=1", "HOSTILE_PATH="+hostileCopy(t, "badjson"),
		"HOSTILE_SOCKET_DIR="+shortTemp(t))
	// Its own process group, so that the plugin it leaves behind dies with it.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	// A file, not a pipe: the plugin left behind would hold a pipe open.
	outPath := filepath.Join(shortTemp(t), "out")
	out, err := os.Create(outPath)
	require.NoError(t, err)
	cmd.Stdout, cmd.Stderr = out, out
	require.NoError(t, cmd.Start())
	out.Close()
	t.Cleanup(func() { _ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) })
	err = cmd.Wait()
	text, _ := os.ReadFile(outPath)
	require.Error(t, err, "the bare go-plugin host survived; output:\n%s", text)
	assert.Contains(t, string(text), "interface conversion")
}

func bareGoPluginChild() {
	plugin := exec.Command(os.Getenv("HOSTILE_PATH"))
	plugin.Env = append(os.Environ(), "PLUGIN_UNIX_SOCKET_DIR="+os.Getenv("HOSTILE_SOCKET_DIR"))
	c := goplugin.NewClient(&goplugin.ClientConfig{
		HandshakeConfig:  host.Handshake(),
		Plugins:          goplugin.PluginSet{},
		Cmd:              plugin,
		AllowedProtocols: []goplugin.Protocol{goplugin.ProtocolGRPC},
		AutoMTLS:         true,
		Logger:           hclog.New(&hclog.LoggerOptions{Level: hclog.Trace, Output: io.Discard}),
	})
	_, _ = c.Start()
	time.Sleep(5 * time.Second)
	c.Kill()
}
