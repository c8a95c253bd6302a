package agent

import (
	"context"
	"encoding/json"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/yurt-sdk/yurt/go/api"
	"github.com/yurt-sdk/yurt/go/state"
)

// A task's JSON is encoded again only when what it shows changed: the
// list of thousands of tasks re-encodes the few that changed.
func TestTaskJSONReusedUntilTheTaskChanges(t *testing.T) {
	tk := &task{spec: &state.TaskSpec{ID: "a.1", Name: "a", Driver: "d", CreatedAt: time.Now().UTC()}, state: api.StatePending, done: make(chan struct{})}
	first, err := tk.json()
	require.NoError(t, err)
	again, err := tk.json()
	require.NoError(t, err)
	assert.Same(t, &first[0], &again[0], "an unchanged task is not encoded again")

	for _, change := range []func(){
		func() { tk.setState(api.StateRunning, "") },
		func() { tk.setState(api.StateRunning, "recover: plugin restarting") },
		func() {
			tk.mu.Lock()
			tk.result, tk.state, tk.finished = &state.TaskResult{ExitCode: 3, FinishedAt: time.Now().UTC()}, api.StateExited, true
			tk.mu.Unlock()
		},
	} {
		change()
		b, err := tk.json()
		require.NoError(t, err)
		var got api.Task
		require.NoError(t, json.Unmarshal(b, &got))
		want := tk.snapshot()
		assert.Equal(t, want.State, got.State)
		assert.Equal(t, want.Error, got.Error)
		assert.Equal(t, want.ExitCode, got.ExitCode)
	}
}

// The list is every task, oldest first, as each task's own GET shows it;
// it follows state changes; and it answers from the agent's memory alone:
// with the driver plugin frozen (SIGSTOP) it still lists.
func TestListMatchesTasksAndCallsNoPlugin(t *testing.T) {
	ta := startTestAgent(t, "", "yurt-testproc")
	for _, n := range []string{"l1", "l2", "l3"} {
		_, err := ta.run(shellTask(n, "testproc", "sleep 60"))
		require.NoError(t, err)
		ta.waitState(n, api.StateRunning)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	_, err := ta.c.Stop(ctx, "l2")
	require.NoError(t, err)

	list, err := ta.c.Tasks(ctx)
	require.NoError(t, err)
	require.Len(t, list, 3)
	for i, n := range []string{"l1", "l2", "l3"} {
		one, err := ta.c.Task(ctx, n)
		require.NoError(t, err)
		assert.Equal(t, one, list[i], "list entry %d", i)
	}
	assert.Equal(t, api.StateRunning, list[0].State)
	assert.True(t, list[1].Terminal(), "the stopped task: %+v", list[1])

	pid := ta.a.driverByName("testproc").status().Pid
	require.NotZero(t, pid)
	require.NoError(t, syscall.Kill(pid, syscall.SIGSTOP))
	defer func() { _ = syscall.Kill(pid, syscall.SIGCONT) }()
	lctx, lcancel := context.WithTimeout(ctx, 20*time.Second)
	defer lcancel()
	frozen, err := ta.c.Tasks(lctx)
	require.NoError(t, err, "listing must not wait for the driver")
	assert.Equal(t, list, frozen)
	require.NoError(t, syscall.Kill(pid, syscall.SIGCONT))
}
