package supervise

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// While its supervisor is a running child of this process, a task's Exit does
// not read the state directory (issue 19: InspectTask touched a file per
// call): a garbage exit.pb put there is not seen (the layer before this
// reported it as corrupted). Once the supervisor has
// written the real one and exited, Exit reports it.
func TestExitOfRunningChildReadsNoFile(t *testing.T) {
	t.Parallel()
	task := start(t, sh(`sleep 60`))
	require.NoError(t, os.WriteFile(filepath.Join(task.dir, exitFile), []byte("not a protobuf \xff\xff"), 0o644))
	res, done, err := task.Exit()
	require.NoError(t, err, "Exit read exit.pb of a task whose child supervisor runs")
	assert.False(t, done)
	assert.Nil(t, res)
	require.NoError(t, os.Remove(filepath.Join(task.dir, exitFile))) // Wait, unlike Exit, reads it
	require.NoError(t, task.Stop(context.Background(), syscall.SIGKILL, 5*time.Second))
	res, done, err = task.Exit()
	require.NoError(t, err)
	require.True(t, done)
	assert.Equal(t, int(syscall.SIGKILL), res.Signal)
}
