package agent

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/stretchr/testify/require"

	"github.com/yurt-sdk/yurt/go/host/allocdir"
	"github.com/yurt-sdk/yurt/go/logmon"
	"github.com/yurt-sdk/yurt/go/state"
)

// TestInterruptedStartClearsPrivate: a task whose start the agent's death
// interrupted (no stored handle) is never recovered by any driver, so what a
// driver left in its TaskPrivate directory (a supervision state directory)
// is removed after the last reap; the directory itself and the rest of the
// allocation (logs) stay. Found by 100 rounds of chaos (RELIABILITY.md).
func TestInterruptedStartClearsPrivate(t *testing.T) {
	root := t.TempDir()
	allocID := allocdir.NewAllocID()
	ad, err := allocdir.Build(root, allocID, "web")
	require.NoError(t, err)
	spec := &state.TaskSpec{ID: "web@00000000", Name: "web", AllocID: allocID, AllocDir: ad.Dir}
	require.Equal(t, ad.PrivateDir, privateDir(spec))
	stateDir := filepath.Join(ad.PrivateDir, "rust-exec")
	require.NoError(t, os.MkdirAll(stateDir, 0o700))
	require.NoError(t, os.WriteFile(filepath.Join(stateDir, "spec.pb"), []byte{1}, 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(ad.LogDir, "web.stdout.0"), []byte("kept"), 0o600))

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	a := &Agent{ctx: ctx, log: hclog.NewNullLogger()}
	a.reapInterruptedLater(spec.AllocIDOrID(), privateDir(spec))
	done := make(chan struct{})
	go func() { a.bg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("the interrupted start's cleanup did not finish")
	}
	ents, err := os.ReadDir(ad.PrivateDir)
	require.NoError(t, err, "the private directory itself stays")
	require.Empty(t, ents, "the driver's state in private/ is removed")
	_, err = os.Stat(filepath.Join(ad.LogDir, "web.stdout.0"))
	require.NoError(t, err, "the task's logs stay")

	// Specs stored before the alloc layout have no private directory.
	require.Equal(t, "", privateDir(&state.TaskSpec{ID: "old"}))
}

// TestRecoveryResumesStartCleanup: an agent that died after marking a
// task's start as failed, before its delayed cleanup of the task's private
// directory ran, leaves a stored result and no handle. The next agent's
// recovery finishes that cleanup; a task that has a handle is left alone.
func TestRecoveryResumesStartCleanup(t *testing.T) {
	root := t.TempDir()
	store, err := state.Open(filepath.Join(root, "state"))
	require.NoError(t, err)
	defer store.Close()

	type fixture struct {
		spec  *state.TaskSpec
		state string
	}
	mk := func(name string, withHandle bool) fixture {
		ad, err := allocdir.Build(filepath.Join(root, "alloc"), allocdir.NewAllocID(), name)
		require.NoError(t, err)
		spec := &state.TaskSpec{ID: name + "@00000000", Name: name, AllocID: ad.AllocID, AllocDir: ad.Dir, TaskDir: ad.TaskDir}
		stateDir := filepath.Join(ad.PrivateDir, "go-exec", "task-state")
		require.NoError(t, os.MkdirAll(stateDir, 0o700))
		require.NoError(t, store.Update(func(tx *state.Tx) error {
			if err := tx.PutSpec(spec); err != nil {
				return err
			}
			if withHandle {
				if err := tx.PutHandle(spec.ID, []byte{1}); err != nil {
					return err
				}
			}
			return tx.PutResult(spec.ID, &state.TaskResult{Err: "the agent stopped before the driver accepted the task"})
		}))
		return fixture{spec: spec, state: stateDir}
	}
	failed := mk("failed", false)
	handled := mk("handled", true)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	a := &Agent{ctx: ctx, log: hclog.NewNullLogger(), store: store, tasks: map[string]*task{}, logs: logmon.NewCollector()}
	require.NoError(t, a.recoverAll())
	done := make(chan struct{})
	go func() { a.bg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("the resumed cleanup did not finish")
	}
	ents, err := os.ReadDir(privateDir(failed.spec))
	require.NoError(t, err)
	require.Empty(t, ents, "the failed start's driver state is removed by the next agent")
	_, err = os.Stat(handled.state)
	require.NoError(t, err, "a task with a stored handle keeps its driver state")
}

// TestShutdownFinishesStartCleanup: an agent shutting down does not drop a
// pending cleanup of a failed start (it would leave a supervision state
// directory for ever if no agent ran again): it reaps and clears at once.
func TestShutdownFinishesStartCleanup(t *testing.T) {
	ad, err := allocdir.Build(t.TempDir(), allocdir.NewAllocID(), "web")
	require.NoError(t, err)
	require.NoError(t, os.MkdirAll(filepath.Join(ad.PrivateDir, "go-exec", "task-state"), 0o700))
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // the agent is already shutting down
	a := &Agent{ctx: ctx, log: hclog.NewNullLogger()}
	a.reapInterruptedLater("alloc-of-no-process", ad.PrivateDir)
	a.bg.Wait()
	ents, err := os.ReadDir(ad.PrivateDir)
	require.NoError(t, err)
	require.Empty(t, ents, "the cleanup ran before the agent's background work ended")
}
