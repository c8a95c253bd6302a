package agent

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/stretchr/testify/require"

	"github.com/yurt-sdk/yurt/go/api"
	"github.com/yurt-sdk/yurt/go/config"
)

// The tests of this package run a real agent in-process with real plugin
// processes: the repository's fake plugin (go/internal/fakeplugin) built
// once in TestMain and installed under each plugin name (a name containing
// "device" makes it a device plugin, any other a driver named after the
// file), and this test binary re-executed as the log collector.

var testBins struct {
	dir, fake string
}

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "yurt-agent-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	testBins.dir = dir
	testBins.fake = filepath.Join(dir, "fakeplugin")
	cmd := exec.Command("go", "build", "-o", testBins.fake, "../internal/fakeplugin")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building the fake plugin:", err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

type testAgent struct {
	t      *testing.T
	a      *Agent
	c      *api.Client
	socket string
}

// startTestAgent starts a dev-mode agent whose plugin dir holds the fake
// plugin under each name in drivers (a device plugin for a name containing
// "device", else a driver named after the file less "yurt-"), configured by
// cfg (an agent file body without data_dir and plugin_dir). It is shut down at cleanup, which stops
// every task and kills every plugin.
func startTestAgent(t *testing.T, cfg string, drivers ...string) *testAgent {
	t.Helper()
	base, err := os.MkdirTemp("", "ya") // unix socket paths must stay short
	require.NoError(t, err)
	t.Cleanup(func() { os.RemoveAll(base) })
	pdir := filepath.Join(base, "plugins")
	require.NoError(t, os.MkdirAll(pdir, 0o700))
	for _, d := range drivers {
		require.NoError(t, os.Symlink(testBins.fake, filepath.Join(pdir, d)))
	}
	src := fmt.Sprintf("data_dir = %q\nplugin_dir = %q\n%s", filepath.Join(base, "data"), pdir, cfg)
	ac, err := config.ParseAgent([]byte(src), filepath.Join(base, "agent.hcl"))
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	a, err := New(ctx, Options{Config: ac, Dev: true,
		Logger: hclog.New(&hclog.LoggerOptions{Level: hclog.Warn, Output: os.Stderr})})
	require.NoError(t, err)
	ta := &testAgent{t: t, a: a, c: api.NewClient(a.SocketPath()), socket: a.SocketPath()}
	t.Cleanup(func() {
		sctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		if err := a.Shutdown(sctx); err != nil {
			t.Errorf("agent shutdown: %v", err)
		}
	})
	return ta
}

// shellTask is a task file running a shell script through a driver.
func shellTask(name, driver, script string, extra ...string) string {
	return fmt.Sprintf("task %q {\n  driver = %q\n  kill_timeout = \"2s\"\n  config {\n    command = \"/bin/sh\"\n    args = [\"-c\", %q]\n  }\n%s}\n",
		name, driver, script, strings.Join(extra, ""))
}

func (ta *testAgent) run(src string) (api.RunResponse, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	return ta.c.Run(ctx, api.RunRequest{File: "t.hcl", Source: src})
}

func (ta *testAgent) waitState(ref string, states ...string) api.Task {
	ta.t.Helper()
	var tk api.Task
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		var err error
		tk, err = ta.c.Task(context.Background(), ref)
		if err == nil {
			for _, s := range states {
				if tk.State == s {
					return tk
				}
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	ta.t.Fatalf("task %s never reached %v; last %+v", ref, states, tk)
	return tk
}

// pidAlive reports whether a process exists (and is not a zombie).
func pidAlive(pid int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	i := strings.LastIndexByte(string(b), ')')
	return i < 0 || len(b) < i+3 || b[i+2] != 'Z'
}

func waitUntil(d time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		if cond() {
			return true
		}
		time.Sleep(25 * time.Millisecond)
	}
	return cond()
}

// processesMentioning lists the command lines (other than this process's)
// that contain s.
func processesMentioning(s string) []string {
	ents, _ := os.ReadDir("/proc")
	var out []string
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == os.Getpid() {
			continue
		}
		b, err := os.ReadFile("/proc/" + e.Name() + "/cmdline")
		if err == nil && strings.Contains(string(b), s) && pidAlive(pid) {
			out = append(out, strings.ReplaceAll(string(b), "\x00", " "))
		}
	}
	return out
}
