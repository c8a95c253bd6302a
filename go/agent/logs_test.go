package agent

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/yurt-sdk/yurt/go/api"
)

func (ta *testAgent) logText(ref string) string {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var b strings.Builder
	_ = ta.c.Logs(ctx, ref, "stdout", false, nil, func(f api.LogFrame) error { b.Write(f.Data); return nil })
	return b.String()
}

// The agent collects every task's output itself (logmon.Collector), and
// no `yurt logmon` process is started. A collection that ends while its
// task runs is restarted by the agent, and nothing the task wrote
// meanwhile is lost: the supervisor holds it until the FIFO has a reader
// again.
func TestLogCollectionRestartedInAgent(t *testing.T) {
	ta := startTestAgent(t, "", "yurt-testproc")
	_, err := ta.run(shellTask("ticker", "testproc", `i=0; while :; do echo "line $i"; i=$((i+1)); sleep 0.1; done`))
	require.NoError(t, err)
	tk := ta.waitState("ticker", api.StateRunning)
	require.True(t, waitUntil(10*time.Second, func() bool { return strings.Contains(ta.logText("ticker"), "line 0\n") }))
	assert.Empty(t, processesMentioning(" logmon "), "no per-task collector process")
	assert.True(t, ta.a.logs.Running(tk.TaskDir))

	require.NoError(t, ta.a.logs.Stop(tk.TaskDir, 5*time.Second)) // the collection ends under a running task
	require.True(t, waitUntil(10*time.Second, func() bool { return strings.Contains(ta.events(), "log collector stopped; restarted") }), ta.events())
	var out string
	require.True(t, waitUntil(15*time.Second, func() bool {
		out = ta.logText("ticker")
		return strings.Contains(out, "line 60\n")
	}), out)
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	for i, l := range lines {
		require.Equal(t, fmt.Sprintf("line %d", i), l, "no line lost or repeated while the collection was restarted")
	}
	assert.Equal(t, api.StateRunning, ta.waitState("ticker", api.StateRunning).State)
}
