package agent

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/yurt-sdk/yurt/go/api"
)

// slowDriver is an agent file plugin block making the test driver, under
// another name, sleep delay in every StartTask.
func slowDriver(file, name, delay, startTimeout string) string {
	return "plugin \"" + file + "\" {\n  args = [\"-name\", \"" + name + "\"]\n  start_task_timeout = \"" + startTimeout + "\"\n  config {\n    start_delay = \"" + delay + "\"\n  }\n}\n"
}

// allocProcs lists the live processes whose environment carries the
// allocation's NOMAD_ALLOC_ID (every process of a task started in it).
func allocProcs(allocID string) []int {
	var pids []int
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		env, err := os.ReadFile(filepath.Join("/proc", e.Name(), "environ"))
		if err == nil && bytes.Contains(env, []byte("NOMAD_ALLOC_ID="+allocID+"\x00")) {
			pids = append(pids, pid)
		}
	}
	return pids
}

var negativeDuration = regexp.MustCompile(`(^|[^0-9a-zA-Z])-[0-9.]+(ns|µs|ms|s|m|h)\b`)

func (ta *testAgent) events() string {
	var b strings.Builder
	_ = ta.c.Events(context.Background(), false, func(e api.Event) error {
		b.WriteString(e.Message + "\n")
		return nil
	})
	return b.String()
}

// TestHungStartDoesNotBlockOtherDriver: while one driver hangs in
// StartTask, runs, stops and status calls through another driver take
// their normal time; the hung start fails at its deadline with a message
// naming the driver and the deadline.
func TestHungStartDoesNotBlockOtherDriver(t *testing.T) {
	ta := startTestAgent(t, slowDriver("yurt-hung", "hungproc", "1h", "6s"), "yurt-testproc", "yurt-hung")
	ctx := context.Background()

	// Normal latency of a run through testproc.
	began := time.Now()
	_, err := ta.run(shellTask("base", "testproc", "sleep 60"))
	require.NoError(t, err)
	normal := time.Since(began)
	_, err = ta.c.Stop(ctx, "base")
	require.NoError(t, err)

	var wg sync.WaitGroup
	var hung api.RunResponse
	var hungErr error
	var hungTook time.Duration
	wg.Add(1)
	go func() {
		defer wg.Done()
		b := time.Now()
		hung, hungErr = ta.run(shellTask("stuck", "hungproc", "sleep 60"))
		hungTook = time.Since(b)
	}()
	ta.waitState("stuck", api.StatePending)

	began = time.Now()
	_, err = ta.run(shellTask("other", "testproc", "sleep 60"))
	require.NoError(t, err)
	during := time.Since(began)
	_, err = ta.c.Tasks(ctx)
	require.NoError(t, err)
	tk, err := ta.c.Stop(ctx, "other")
	require.NoError(t, err)
	assert.Equal(t, api.StateExited, tk.State)
	stk, err := ta.c.Task(ctx, "stuck")
	require.NoError(t, err)
	assert.Equal(t, api.StatePending, stk.State, "the hung start is still in flight: the other run did not wait for it")
	t.Logf("run through testproc: %s alone, %s while hungproc hangs in StartTask", normal, during)
	assert.Less(t, during, 3*normal+2*time.Second, "a hung driver delayed another driver's run")

	wg.Wait()
	require.NoError(t, hungErr)
	require.Len(t, hung.Tasks, 1)
	assert.Equal(t, api.StateFailed, hung.Tasks[0].State)
	assert.Contains(t, hung.Tasks[0].Error, `start: driver "hungproc" (plugin yurt-hung) did not answer StartTask within 6s (start_task_timeout)`)
	assert.GreaterOrEqual(t, hungTook, 6*time.Second, "failed before its deadline")
	assert.Less(t, hungTook, 6*time.Second+10*time.Second)
	assert.NotRegexp(t, negativeDuration, ta.events())
	hostileFigures.add(3)
}

// TestLateStartCleanedUp: a StartTask answered after its deadline leaves
// the task failed, and the agent stops and destroys what the driver
// started: no process of it stays.
func TestLateStartCleanedUp(t *testing.T) {
	// 6 s: after the reaper of failed starts has made its last pass (at
	// deadline + 4 s), so only the late-answer cleanup can end the task.
	ta := startTestAgent(t, slowDriver("yurt-slow", "slowproc", "6s", "1s"), "yurt-slow")
	began := time.Now()
	resp, err := ta.run(shellTask("late", "slowproc", "sleep 60"))
	require.NoError(t, err)
	took := time.Since(began)
	require.Len(t, resp.Tasks, 1)
	tk := resp.Tasks[0]
	assert.Equal(t, api.StateFailed, tk.State)
	assert.Contains(t, tk.Error, `driver "slowproc" (plugin yurt-slow) did not answer StartTask within 1s (start_task_timeout)`)
	assert.Less(t, took, 5*time.Second, "the run waited for the late driver")

	require.NotEmpty(t, tk.AllocDir)
	// The driver starts the task's supervisor at about 6 s (its command
	// never runs: the agent has stopped the task's log collector, so the
	// supervisor waits on the FIFO) and answers some seconds later.
	require.True(t, waitUntil(20*time.Second, func() bool { return len(processesMentioning(tk.AllocDir)) > 0 }),
		"the slow driver never started the task")
	require.True(t, waitUntil(30*time.Second, func() bool {
		return strings.Contains(ta.events(), `driver "slowproc" answered StartTask after`)
	}), "no late-answer event:\n%s", ta.events())
	assert.Contains(t, ta.events(), "too late: the task it started was stopped and destroyed")
	var left []string
	assert.True(t, waitUntil(10*time.Second, func() bool { left = processesMentioning(tk.AllocDir); return len(left) == 0 }),
		"processes of the late-started task still run: %q", left)
	final, err := ta.c.Task(context.Background(), tk.ID)
	require.NoError(t, err)
	assert.Equal(t, api.StateFailed, final.State, "the record stays failed")
	assert.NotRegexp(t, negativeDuration, ta.events())
	hostileFigures.add(1)
}

// TestStopDuringStart: a stop while StartTask is in flight is recorded
// (an interrupted client is told so), applied when the start returns, and
// the task ends stopped by its kill signal with no process left.
func TestStopDuringStart(t *testing.T) {
	ta := startTestAgent(t, slowDriver("yurt-slow", "slowproc", "3s", "1m"), "yurt-slow")
	done := make(chan api.RunResponse, 1)
	go func() {
		r, err := ta.run(shellTask("slow", "slowproc", "exec sleep 60"))
		assert.NoError(t, err)
		done <- r
	}()
	tk := ta.waitState("slow", api.StatePending)

	// A client that gives up while the stop waits for the start.
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	_, err := ta.c.Stop(ctx, tk.ID)
	cancel()
	var ie *api.InterruptedError
	require.ErrorAs(t, err, &ie, "an interrupted stop is not 'agent unreachable'")

	// A patient one gets the stopped task.
	began := time.Now()
	stopped, err := ta.c.Stop(context.Background(), tk.ID)
	require.NoError(t, err)
	t.Logf("stop during start returned after %s", time.Since(began))
	assert.Equal(t, api.StateExited, stopped.State, "%+v", stopped)
	require.NotNil(t, stopped.ExitCode)
	assert.Equal(t, 130, *stopped.ExitCode, "sh killed by SIGINT, the default kill_signal")
	assert.Equal(t, 2, stopped.Signal)
	r := <-done
	require.Len(t, r.Tasks, 1)
	assert.NotEqual(t, api.StateFailed, r.Tasks[0].State)
	require.NotEmpty(t, stopped.AllocID)
	assert.True(t, waitUntil(5*time.Second, func() bool { return len(allocProcs(stopped.AllocID)) == 0 }),
		"processes of the stopped task still run: %v", allocProcs(stopped.AllocID))
	ev := ta.events()
	assert.Contains(t, ev, "stop requested while the driver is starting the task")
	assert.Contains(t, ev, "applying the stop requested while the driver was starting the task")
	assert.NotRegexp(t, negativeDuration, ev)
	hostileFigures.add(2)
}

// TestTaskReferences: exact ID, exact name, unique ID prefix; an ambiguous
// prefix is refused listing the candidates; a name cannot look like an ID.
func TestTaskReferences(t *testing.T) {
	ta := startTestAgent(t, "", "yurt-testproc")
	ctx := context.Background()
	ids := map[string]string{}
	for _, n := range []string{"web", "webserver", "rusty-faa9bcd0"} {
		r, err := ta.run(shellTask(n, "testproc", "sleep 60"))
		require.NoError(t, err)
		ids[n] = r.Tasks[0].ID
		assert.Regexp(t, `^`+regexp.QuoteMeta(n)+`@[0-9a-f]{8}$`, r.Tasks[0].ID)
	}
	get := func(ref string) (int, string) { return ta.raw(http.MethodGet, "/v1/tasks/"+ref, nil, 0) }
	for ref, want := range map[string]string{
		ids["web"]:                 ids["web"],       // exact ID
		"web":                      ids["web"],       // exact name, though also a prefix of two IDs
		"webserver@":               ids["webserver"], // unique ID prefix
		ids["rusty-faa9bcd0"][:20]: ids["rusty-faa9bcd0"],
		"rusty-faa9bcd0":           ids["rusty-faa9bcd0"],
	} {
		code, out := get(ref)
		assert.Equal(t, 200, code, "%s: %s", ref, out)
		assert.Contains(t, out, `"id":"`+want+`"`, ref)
		hostileFigures.add(1)
	}
	code, out := get("we")
	assert.Equal(t, http.StatusConflict, code)
	assert.Contains(t, out, `task reference "we" is ambiguous: it is the start of 2 task IDs (`+ids["web"]+", "+ids["webserver"]+"); give more of the ID")
	code, out = get("nope")
	assert.Equal(t, http.StatusNotFound, code)
	assert.Contains(t, out, `no task with name or id "nope"`)
	// A name in the ID form is refused at parse time.
	_, err := ta.run(shellTask("web@1234abcd", "testproc", "true"))
	require.ErrorContains(t, err, `Invalid task name; task name must match`)
	_, err = ta.c.Stop(ctx, "rusty-faa9bcd0")
	require.NoError(t, err)
	tk, err := ta.c.Task(ctx, "web")
	require.NoError(t, err)
	assert.Equal(t, api.StateRunning, tk.State, "stopping rusty-faa9bcd0 stopped only that task")
	hostileFigures.add(3)
}
