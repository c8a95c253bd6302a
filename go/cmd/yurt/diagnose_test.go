package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestAgentLaunchDiagnostics: `yurt agent` at its default log level names
// the real cause of a plugin that dies (or talks on stdout) before the
// handshake, once, at ERROR level, with its exit status and a hint.
func TestAgentLaunchDiagnostics(t *testing.T) {
	t.Parallel()
	plugins := []struct{ name, script, cause, want string }{
		{"yurt-hello", "echo hello from the plugin\nexec sleep 30\n", "hello from the plugin", "log to stderr"},
		{"yurt-noexec", "echo \"/usr/bin/env: 'python3.99': No such file or directory\" >&2\nexit 127\n",
			"/usr/bin/env: 'python3.99': No such file or directory", "exited with status 127"},
		{"yurt-trace", "cat >&2 <<'X'\nTraceback (most recent call last):\n  File \"plugin.py\", line 3, in <module>\n    import yurt_missing\nModuleNotFoundError: No module named 'yurt_missing'\nX\nexit 1\n",
			"ModuleNotFoundError: No module named 'yurt_missing'", "exited with status 1"},
	}
	for _, p := range plugins {
		t.Run(p.name, func(t *testing.T) {
			t.Parallel()
			base := shortTemp(t)
			pdir := filepath.Join(base, "plugins")
			require.NoError(t, os.MkdirAll(pdir, 0o755))
			require.NoError(t, os.WriteFile(filepath.Join(pdir, p.name), []byte("#!/bin/sh\n"+p.script), 0o755))
			cmd := exec.Command(bins.yurt, "agent", "-dev", "-data-dir", filepath.Join(base, "data"), "-plugin-dir", pdir)
			cmd.Env = append(os.Environ(), "HOME="+base)
			out := &syncBuf{}
			cmd.Stdout, cmd.Stderr = out, out
			require.NoError(t, cmd.Start())
			deadline := time.Now().Add(30 * time.Second)
			for time.Now().Before(deadline) && !strings.Contains(out.String(), "agent ready") && cmd.ProcessState == nil {
				time.Sleep(50 * time.Millisecond)
			}
			_ = cmd.Process.Signal(syscall.SIGTERM)
			_ = cmd.Wait()
			log := out.String()
			assert.Contains(t, log, "agent ready", log)
			assert.Equal(t, 1, strings.Count(log, p.cause), log)
			// hclog prints a multi-line value on the lines after its entry.
			head := strings.Index(log, "[ERROR] yurt: plugin failed to load:")
			require.GreaterOrEqual(t, head, 0, log)
			assert.Greater(t, strings.Index(log, p.cause), head)
			assert.NotContains(t, log[head:strings.Index(log, p.cause)], "\n20", "the cause belongs to the ERROR entry")
			assert.Contains(t, log, p.want)
		})
	}
}
