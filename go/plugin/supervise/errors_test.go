package supervise

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"

	"github.com/yurt-sdk/yurt/go/gen/supervisepb"
)

// startFails starts spec, expects a StartError containing want, and checks
// that nothing is left: no state dir.
func startFails(t *testing.T, spec Spec, want string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "state")
	task, err := Start(context.Background(), spec, dir)
	if task != nil {
		_ = task.Destroy(context.Background())
	}
	require.Error(t, err)
	var se *StartError
	require.True(t, errors.As(err, &se), "want a *StartError, got %T: %v", err, err)
	assert.Contains(t, err.Error(), want)
	_, serr := os.Stat(dir)
	assert.True(t, os.IsNotExist(serr), "a failed start left its state dir")
}

func TestStartErrorsNameTheField(t *testing.T) {
	t.Parallel()
	t.Run("empty command", func(t *testing.T) {
		startFails(t, Spec{}, "command is empty")
	})
	t.Run("nonexistent command", func(t *testing.T) {
		startFails(t, Spec{Command: "no-such-program-yurt", Env: []string{"PATH=/usr/bin:/bin"}},
			`command "no-such-program-yurt": not found in the task's PATH "/usr/bin:/bin"`)
	})
	t.Run("nonexistent command path", func(t *testing.T) {
		startFails(t, Spec{Command: "/nonexistent/prog"}, `command "/nonexistent/prog": no such file or directory`)
	})
	t.Run("command not executable", func(t *testing.T) {
		f := filepath.Join(t.TempDir(), "script")
		require.NoError(t, os.WriteFile(f, []byte("#!/bin/sh\n"), 0o644))
		startFails(t, Spec{Command: f}, `command "`+f+`": is not executable`)
	})
	t.Run("unknown user", func(t *testing.T) {
		startFails(t, Spec{Command: "/bin/true", User: "no-such-user-yurt"}, `user "no-such-user-yurt": no such user`)
	})
	t.Run("missing working dir", func(t *testing.T) {
		startFails(t, Spec{Command: "/bin/true", WorkingDir: "/nonexistent/dir"}, `working_dir "/nonexistent/dir": no such file or directory`)
	})
	t.Run("unwritable working dir", func(t *testing.T) {
		parent := t.TempDir()
		require.NoError(t, os.Chmod(filepath.Dir(parent), 0o755))
		require.NoError(t, os.Chmod(parent, 0o755))
		dir := filepath.Join(parent, "ro")
		require.NoError(t, os.Mkdir(dir, 0o555))
		spec := Spec{Command: "/bin/true", WorkingDir: dir}
		if os.Geteuid() == 0 {
			spec.User = "nobody" // root may write anywhere; nobody may not here
		}
		startFails(t, spec, `working_dir "`+dir+`": not writable`)
	})
	if os.Geteuid() == 0 {
		t.Run("working dir not reachable by the user", func(t *testing.T) {
			parent := t.TempDir()
			require.NoError(t, os.Chmod(parent, 0o700))
			dir := filepath.Join(parent, "open")
			require.NoError(t, os.Mkdir(dir, 0o777))
			startFails(t, Spec{Command: "/bin/true", WorkingDir: dir, User: "nobody"},
				`working_dir "`+dir+`": not reachable by uid 65534: `+parent+` is mode -rwx------`)
		})
	}
}

func TestUserSwitchWhenRoot(t *testing.T) {
	t.Parallel()
	if os.Geteuid() != 0 {
		t.Skip("running a task as another user needs root")
	}
	dir := t.TempDir()
	require.NoError(t, os.Chmod(dir, 0o777))
	require.NoError(t, os.Chmod(filepath.Dir(dir), 0o755))
	out := filepath.Join(dir, "out")
	spec := sh(`id -u; id -g`)
	spec.User, spec.WorkingDir, spec.StdoutPath = "nobody", dir, out
	task := start(t, spec)
	assert.Equal(t, 0, wait(t, task, 10*time.Second).ExitCode)
	b, _ := os.ReadFile(out)
	assert.Equal(t, "65534\n65534\n", string(b))
}

func TestReattachRejectsCorruptState(t *testing.T) {
	t.Parallel()
	task := start(t, Spec{Command: "sleep", Args: []string{"3600"}})
	handle := task.Handle()

	_, err := Reattach([]byte("\xff\xff not a handle"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "is not a yurt.supervise.v1.Handle")

	var h supervisepb.Handle
	require.NoError(t, proto.Unmarshal(handle, &h))
	h.FormatVersion = 9
	b, _ := proto.Marshal(&h)
	_, err = Reattach(b)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "format_version is 9, this layer reads version 1")

	started := filepath.Join(task.StateDir(), startedFile)
	good, err := os.ReadFile(started)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(started, []byte("\xff\xff\xff garbage"), 0o600))
	_, err = Reattach(handle)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "state file "+started+" is corrupted")
	require.NoError(t, os.WriteFile(started, good, 0o600))

	exit := filepath.Join(task.StateDir(), exitFile)
	require.NoError(t, os.WriteFile(exit, []byte("\xff\xff\xff garbage"), 0o600))
	_, err = Reattach(handle)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "state file "+exit+" is corrupted")
	_, err = task.Wait(context.Background())
	assert.ErrorContains(t, err, "is corrupted")
	require.NoError(t, os.Remove(exit))

	require.NoError(t, os.RemoveAll(task.StateDir()+"-nope"))
	h.FormatVersion, h.StateDir = 1, task.StateDir()+"-nope"
	b, _ = proto.Marshal(&h)
	_, err = Reattach(b)
	assert.ErrorContains(t, err, "no such file or directory")
}

func TestStartRefusesAStateDirInUse(t *testing.T) {
	t.Parallel()
	task := start(t, Spec{Command: "sleep", Args: []string{"3600"}})
	_, err := Start(context.Background(), Spec{Command: "sleep", Args: []string{"1"}}, task.StateDir())
	assert.ErrorContains(t, err, "already holds a task")
}
