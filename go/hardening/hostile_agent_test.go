package hardening

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/yurt-sdk/yurt/go/api"
)

// TestHostilePluginsAgent loads every hostile plugin next to the Go
// examples into one running agent: the agent comes up, `yurt plugin
// status` names each broken plugin with a clear error, the misbehaving but
// working ones keep running, and a go-exec task runs, execs and stops as
// if they were not there.
func TestHostilePluginsAgent(t *testing.T) {
	t.Parallel()
	pdir := filepath.Join(shortTemp(t), "plugins")
	copyExec(t, filepath.Join(bins.examples, "go-exec"), filepath.Join(pdir, "go-exec"))
	copyExec(t, filepath.Join(bins.examples, "go-files"), filepath.Join(pdir, "go-files"))
	failing := map[string]string{ // mode -> text the error must contain
		"exit":     "exit",
		"garbage":  "this is not a handshake",
		"oversize": "launch",
		"preamble": "starting hostile plugin",
		"silent":   "handshake",
		"hang":     "DeadlineExceeded",
		"huge":     "ResourceExhausted",
	}
	working := []string{"badjson", "flood", "midstream"}
	for m := range failing {
		copyExec(t, bins.hostile, filepath.Join(pdir, "hostile-"+m))
	}
	for _, m := range working {
		copyExec(t, bins.hostile, filepath.Join(pdir, "hostile-"+m))
	}
	a := newAgent(t, pdir)
	began := time.Now()
	// silent and hang cost the agent's 30 s launch and configure timeouts.
	require.NoError(t, a.start(90*time.Second))
	t.Logf("agent up in %s with %d hostile plugins", time.Since(began), len(failing)+len(working))
	t.Cleanup(func() {
		if err := a.shutdown(); err != nil {
			t.Errorf("shutdown: %v", err)
		}
		assert.NotContains(t, a.log.String(), "panic:", "the agent log shows a panic")
	})

	cli := func(args ...string) (string, error) {
		cmd := exec.Command(bins.yurt, args...)
		cmd.Env = append(os.Environ(), "YURT_ADDR="+a.socket())
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	out, err := cli("plugin", "status", "--json")
	require.NoError(t, err, out)
	var ps []api.Plugin
	require.NoError(t, json.Unmarshal([]byte(out), &ps), out)
	byFile := map[string]api.Plugin{}
	for _, p := range ps {
		byFile[p.File] = p
	}
	for m, want := range failing {
		p, ok := byFile["hostile-"+m]
		if assert.True(t, ok, "hostile-%s is listed", m) {
			assert.Equal(t, "failed", p.State, "hostile-%s", m)
			assert.Contains(t, p.Error, want, "hostile-%s error", m)
			assert.Contains(t, p.Error, "hostile-"+m, "the error names the plugin")
			assert.Less(t, len(p.Error), 4096, "hostile-%s error must stay readable", m)
		}
	}
	for _, f := range append([]string{"go-exec", "go-files"}, "hostile-badjson", "hostile-flood", "hostile-midstream") {
		assert.Equal(t, "running", byFile[f].State, "%s: %s", f, byFile[f].Error)
	}
	human, err := cli("plugin", "status")
	require.NoError(t, err, human)
	assert.Contains(t, human, "hostile-garbage")

	// The good driver is unaffected.
	taskFile := filepath.Join(shortTemp(t), "t.hcl")
	require.NoError(t, os.WriteFile(taskFile, []byte(`task "calm" {
  driver = "go-exec"
  config {
    command = "/bin/sh"
    args    = ["-c", "echo up; exec sleep 600"]
  }
  kill_timeout = "2s"
}
`), 0o600))
	out, err = cli("run", taskFile)
	require.NoError(t, err, out)
	c := a.client()
	require.True(t, waitFor(20*time.Second, func() bool {
		tk, err := c.Task(context.Background(), "calm")
		return err == nil && tk.State == api.StateRunning
	}), "task calm did not reach running")
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	require.NoError(t, execOnce(ctx, c, "calm"))

	// A while later the agent and the working hostile plugins are still there.
	pidBefore := byFile["hostile-badjson"].Pid
	time.Sleep(2 * time.Second)
	require.True(t, a.alive(), "agent died; log:\n%s", tail(a.log.String(), 4000))
	ps, err = c.Plugins(context.Background())
	require.NoError(t, err)
	for _, p := range ps {
		if p.File == "hostile-badjson" {
			assert.Equal(t, "running", p.State)
			assert.Equal(t, pidBefore, p.Pid, "hostile-badjson was not restarted")
		}
	}
	tk, err := c.Stop(ctx, "calm")
	require.NoError(t, err)
	require.True(t, waitFor(20*time.Second, func() bool {
		tk, err = c.Task(context.Background(), "calm")
		return err == nil && tk.Terminal()
	}), "task calm did not stop: %+v", tk)
	assert.False(t, strings.Contains(a.log.String(), "panic:"))
}
