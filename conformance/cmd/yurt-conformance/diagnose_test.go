package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestLaunchDiagnostics: a plugin that dies (or talks on stdout) before the
// handshake gets one diagnostic in the report that contains the real cause
// (the last stderr line, or what it wrote on stdout) once, with its exit
// status and a hint; stderr carries it at ERROR level.
func TestLaunchDiagnostics(t *testing.T) {
	t.Parallel()
	plugins := []struct{ name, script, cause, want string }{
		{"hello", "echo hello from the plugin\nexec sleep 30\n", "hello from the plugin", "log to stderr"},
		{"noexec", "echo \"/usr/bin/env: 'python3.99': No such file or directory\" >&2\nexit 127\n",
			"/usr/bin/env: 'python3.99': No such file or directory", "exited with status 127"},
		{"trace", "cat >&2 <<'X'\nTraceback (most recent call last):\n  File \"plugin.py\", line 3, in <module>\n    import yurt_missing\nModuleNotFoundError: No module named 'yurt_missing'\nX\nexit 1\n",
			"ModuleNotFoundError: No module named 'yurt_missing'", "exited with status 1"},
	}
	dir := t.TempDir()
	for _, p := range plugins {
		t.Run(p.name, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(dir, p.name)
			require.NoError(t, os.WriteFile(path, []byte("#!/bin/sh\n"+p.script), 0o755))
			var out, errb bytes.Buffer
			assert.Equal(t, 1, run([]string{"--plugin", path}, &out, &errb))
			report := out.String()
			assert.Equal(t, 1, strings.Count(report, p.cause), report)
			assert.Contains(t, report, "problem: the plugin "+path+" could not be launched: the plugin ")
			assert.Contains(t, report, p.want)
			assert.Contains(t, report, "FAIL    required     handshake/launch")
			assert.Equal(t, 1, strings.Count(report, "FAIL    "), "one failure: handshake/launch")
			if p.name == "trace" {
				assert.Contains(t, report, "| Traceback (most recent call last):", "the stderr tail")
			}
			assert.Contains(t, errb.String(), "ERROR the plugin "+path+" could not be launched")
			assert.Equal(t, 1, strings.Count(errb.String(), p.cause), errb.String())
		})
	}
}
