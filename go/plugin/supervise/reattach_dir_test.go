package supervise

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A plugin killed between launching the supervisor and started.pb: a fresh
// plugin's ReattachDir settles it and reports it cleanly as ErrNotStarted;
// nothing of the task is left (no supervisor, no task, no state dir).
func TestReattachDirAfterPluginDeathBeforeStarted(t *testing.T) {
	t.Parallel()
	tmp := t.TempDir()
	dir := filepath.Join(tmp, "state")
	marker := filepath.Join(tmp, "ran")
	js, err := json.Marshal(Spec{Command: "/bin/sh", Args: []string{"-c", "echo $$ > " + marker + "; exec sleep 3600"}})
	require.NoError(t, err)
	self, err := os.Executable()
	require.NoError(t, err)
	cmd := newCmd(self, "-test.run=^$")
	cmd.Env = append(os.Environ(), pluginModeEnv+"="+dir+"\n"+string(js), dieMidStartEnv+"=before-started")
	require.NoError(t, cmd.Run(), "plugin process: %s", stderrOf(err))
	task, err := ReattachDir(dir)
	require.Error(t, err, "a task whose plugin died mid-start was reattached: %+v", task)
	assert.True(t, errors.Is(err, ErrNotStarted), "not reported as never started: %v", err)
	assert.Contains(t, err.Error(), dir)
	_, statErr := os.Stat(dir)
	assert.True(t, os.IsNotExist(statErr), "state dir left behind")
	assert.Zero(t, findSupervisor(dir), "supervisor left behind")
	if b, err := os.ReadFile(marker); err == nil && strings.HasSuffix(string(b), "\n") {
		pid := strings.TrimSpace(string(b))
		eventually(t, 10*time.Second, "the task outlived its aborted start", func() bool {
			cmdline, err := os.ReadFile("/proc/" + pid + "/cmdline")
			return err != nil || !strings.Contains(string(cmdline), "3600")
		})
	}
}

// A plugin killed after writing spec.pb but before launching a supervisor:
// while a start could still be under way the directory is kept; once spec.pb
// is older than StartTimeout, ReattachDir removes it. Both are ErrNotStarted.
func TestReattachDirWithoutSupervisor(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "state")
	require.NoError(t, makeStateDir(dir))
	spec := Spec{TaskID: "a/b/c", Command: "sleep", Args: []string{"3600"}}
	require.NoError(t, writeStateFast(dir, specFile, specToProto(&spec)))

	_, err := ReattachDir(dir)
	require.Error(t, err)
	assert.True(t, errors.Is(err, ErrNotStarted), "%v", err)
	assert.Contains(t, err.Error(), "may still be under way")
	_, statErr := os.Stat(dir)
	require.NoError(t, statErr, "a fresh start's state dir was removed")

	old := time.Now().Add(-2 * StartTimeout)
	require.NoError(t, os.Chtimes(filepath.Join(dir, specFile), old, old))
	_, err = ReattachDir(dir)
	require.Error(t, err)
	assert.True(t, errors.Is(err, ErrNotStarted), "%v", err)
	assert.Contains(t, err.Error(), "removed")
	_, statErr = os.Stat(dir)
	assert.True(t, os.IsNotExist(statErr), "stale state dir kept")
}
