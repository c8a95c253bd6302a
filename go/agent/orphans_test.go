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
