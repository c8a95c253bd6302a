package host

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	hclog "github.com/hashicorp/go-hclog"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// FakeCrashPlugins are tiny shell-script plugins that fail at launch, each
// with the line that names the real cause (the last line on stderr, or the
// line on stdout) and the hint the host must give.
var fakeCrashPlugins = []struct {
	name, script, cause, hint, status string
}{
	{"stdout-before-handshake", "echo hello\nexec sleep 30\n", "hello",
		"the plugin wrote to stdout before its handshake line: log to stderr", "was stopped by the host"},
	{"missing-interpreter", "echo \"/usr/bin/env: 'python3.99': No such file or directory\" >&2\nexit 127\n",
		"/usr/bin/env: 'python3.99': No such file or directory", "a missing interpreter or library", "exited with status 127"},
	{"traceback", "cat >&2 <<'X'\nTraceback (most recent call last):\n  File \"plugin.py\", line 3, in <module>\n    import yurt_missing\nModuleNotFoundError: No module named 'yurt_missing'\nX\nexit 1\n",
		"ModuleNotFoundError: No module named 'yurt_missing'", "", "exited with status 1"},
	{"wrong-cookie", "echo 'This binary is a plugin. These are not meant to be executed directly.' >&2\nexit 1\n",
		"This binary is a plugin. These are not meant to be executed directly.", "wrong or missing magic cookie", "exited with status 1"},
}

func writeScript(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	require.NoError(t, os.WriteFile(p, []byte("#!/bin/sh\n"+body), 0o755))
	return p
}

// TestLaunchDiagnostics: a plugin that dies (or talks on stdout) before the
// handshake gives a LaunchError with its exit status, the real cause and a
// hint; an ERROR-level log of it holds the cause once, while the plugin's
// own stderr lines stay at debug level.
func TestLaunchDiagnostics(t *testing.T) {
	dir := t.TempDir()
	for _, fp := range fakeCrashPlugins {
		t.Run(fp.name, func(t *testing.T) {
			path := writeScript(t, dir, fp.name, fp.script)
			var logBuf bytes.Buffer
			lg := hclog.New(&hclog.LoggerOptions{Output: &logBuf, Level: hclog.Info})
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			start := time.Now()
			_, err := Launch(ctx, Options{Path: path, Logger: lg, StartTimeout: 15 * time.Second})
			require.Error(t, err)
			assert.Less(t, time.Since(start), 12*time.Second, "the failure is reported when it happens, not at the start timeout")
			var le *LaunchError
			require.True(t, errors.As(err, &le), "%v", err)
			assert.Contains(t, le.Status, fp.status)
			assert.Contains(t, le.Headline(), fp.cause)
			assert.Contains(t, le.Hint, fp.hint)
			lg.Error("plugin failed to load", "error", err)
			assert.Equal(t, 1, strings.Count(logBuf.String(), fp.cause), logBuf.String())
			assert.Contains(t, logBuf.String(), "[ERROR]")
		})
	}
}

func TestLaunchErrorKeepsLast20Lines(t *testing.T) {
	var body strings.Builder
	for i := 1; i <= 30; i++ {
		body.WriteString("echo line-" + string(rune('A'+i%26)) + "-" + strings.Repeat("x", i) + " >&2\n")
	}
	body.WriteString("exit 3\n")
	path := writeScript(t, t.TempDir(), "chatty", body.String())
	_, err := Launch(context.Background(), Options{Path: path, StartTimeout: 10 * time.Second})
	var le *LaunchError
	require.True(t, errors.As(err, &le), "%v", err)
	assert.Len(t, le.Stderr, StderrTailLines)
	assert.Equal(t, 3, le.ExitCode)
	assert.Contains(t, le.Stderr[StderrTailLines-1], strings.Repeat("x", 30))
	assert.Contains(t, le.Stderr[0], "-"+strings.Repeat("x", 11))
	assert.NotContains(t, err.Error(), "-"+strings.Repeat("x", 10)+" ")
	assert.Equal(t, StderrTailLines, strings.Count(err.Error(), "line-"), "20 tail lines, the last one once (in the headline)")
}
