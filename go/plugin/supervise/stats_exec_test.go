package supervise

import (
	"bytes"
	"context"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/yurt-sdk/yurt/go/plugin/base"
	"github.com/yurt-sdk/yurt/go/plugin/driver"
)

// cpuTicks is a process's user+system time in clock ticks, read directly.
func cpuTicks(t *testing.T, pid int) float64 {
	ps, err := readProcStat(pid)
	require.NoError(t, err)
	return float64(ps.utime + ps.stime)
}

// A busy loop uses about one core: percent is of ONE core over the interval
// (not cumulative seconds or ticks), checked against the process's own
// counters over the same interval, since the shared machine may give the
// loop less than a whole core.
func TestStatsBusyLoopIsAboutOneCore(t *testing.T) {
	t.Parallel()
	task := start(t, sh(`while :; do :; done`))
	host := CPUHost{TotalMHz: 8000, Cores: 4} // 2000 MHz per core
	time.Sleep(500 * time.Millisecond)
	first, err := task.Stats(nil, host)
	require.NoError(t, err)
	ticksA := cpuTicks(t, task.PID())
	time.Sleep(1500 * time.Millisecond)
	ticksB := cpuTicks(t, task.PID())
	second, err := task.Stats(first, host)
	require.NoError(t, err)
	expected := (ticksB - ticksA) / clockTicks / second.Time.Sub(first.Time).Seconds() * 100
	t.Logf("percent %.1f, measured directly %.1f", second.Total.Percent, expected)
	assert.InDelta(t, expected, second.Total.Percent, 20, "percent of one core over the interval")
	assert.LessOrEqual(t, second.Total.Percent, 110.0, "one busy loop cannot use more than one core")
	assert.Greater(t, second.Total.Percent, 1.0)
	for i, s := range []*Stats{first, second} {
		assert.LessOrEqual(t, s.Total.Percent, 110.0, "sample %d", i)
		assert.InDelta(t, s.Total.Percent/100*2000, s.Total.TotalTicks, 1e-6, "sample %d: MHz", i)
		assert.InDelta(t, s.Total.Percent, s.Total.UserMode+s.Total.SystemMode, 1e-6)
		assert.Greater(t, s.Total.RSS, uint64(0))
		assert.GreaterOrEqual(t, s.Total.MaxUsage, s.Total.Usage)
		require.Contains(t, s.ByPID, task.PID())
	}
	ds := second.DriverStats("t1")
	assert.Equal(t, second.Total.Percent, ds.Aggregate.CPU.Percent)
	assert.ElementsMatch(t, []driver.CPUField{driver.CPUPercent, driver.CPUUserMode, driver.CPUSystemMode, driver.CPUTotalTicks},
		ds.Aggregate.CPU.Measured)
	assert.Len(t, ds.ByPID, len(second.ByPID))
}

func TestStatsSumTheProcessTree(t *testing.T) {
	t.Parallel()
	task := start(t, sh(`(while :; do :; done) & (while :; do :; done) & wait`))
	eventually(t, 10*time.Second, "the busy children never started", func() bool { return len(childrenOf(task.PID())) >= 2 })
	first, err := task.Stats(nil, CPUHost{TotalMHz: 2000, Cores: 2})
	require.NoError(t, err)
	kids := childrenOf(task.PID())
	require.Len(t, kids, 2)
	ticksA := cpuTicks(t, kids[0]) + cpuTicks(t, kids[1])
	time.Sleep(1500 * time.Millisecond)
	ticksB := cpuTicks(t, kids[0]) + cpuTicks(t, kids[1])
	s, err := task.Stats(first, CPUHost{TotalMHz: 2000, Cores: 2})
	require.NoError(t, err)
	expected := (ticksB - ticksA) / clockTicks / s.Time.Sub(first.Time).Seconds() * 100
	t.Logf("percent %.1f, measured directly %.1f", s.Total.Percent, expected)
	assert.GreaterOrEqual(t, len(s.ByPID), 3)
	assert.InDelta(t, expected, s.Total.Percent, 25, "the two busy children summed")
	require.NoError(t, task.Stop(context.Background(), 9, time.Second))
	_, err = task.Stats(s, CPUHost{})
	assert.ErrorIs(t, err, ErrExited)
}

func TestHostFromAgent(t *testing.T) {
	t.Parallel()
	assert.Equal(t, CPUHost{}, HostFromAgent(nil))
	topo := &base.Topology{Cores: []base.Core{{BaseSpeed: 2000, MaxSpeed: 3000}, {MaxSpeed: 3000}, {GuessSpeed: 1000}}}
	assert.Equal(t, CPUHost{TotalMHz: 6000, Cores: 3}, HostFromAgent(&base.AgentConfig{Topology: topo}))
	topo.OverrideTotalCompute = 9000
	assert.Equal(t, CPUHost{TotalMHz: 9000, Cores: 3}, HostFromAgent(&base.AgentConfig{Topology: topo}))
	assert.Greater(t, procCPUHost().TotalMHz, 0.0)
}

func TestExecMergesOutputInTaskEnvironment(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	spec := Spec{Command: "sleep", Args: []string{"3600"}, Env: []string{"PATH=/usr/bin:/bin", "FOO=task-env"}, WorkingDir: dir}
	task := start(t, spec)
	out, res, err := task.Exec(context.Background(), []string{"sh", "-c", `echo "out $FOO"; echo "err $(pwd)" >&2; exit 3`}, 10*time.Second)
	require.NoError(t, err)
	assert.Equal(t, 3, res.ExitCode)
	assert.Equal(t, "out task-env\nerr "+dir+"\n", string(out))

	_, _, err = task.Exec(context.Background(), []string{"no-such-program-yurt"}, time.Second)
	assert.ErrorContains(t, err, `command "no-such-program-yurt": not found`)

	began := time.Now()
	_, res, err = task.Exec(context.Background(), []string{"sleep", "30"}, 300*time.Millisecond)
	require.NoError(t, err)
	assert.Equal(t, 9, res.Signal, "a timed-out exec is killed")
	assert.Less(t, time.Since(began), 10*time.Second)
}

func TestExecStreamingPipes(t *testing.T) {
	t.Parallel()
	task := start(t, Spec{Command: "sleep", Args: []string{"3600"}})
	var stdout, stderr bytes.Buffer
	res, err := task.ExecStreaming(context.Background(), ExecOptions{
		Command: []string{"sh", "-c", `read x; echo "got $x"; echo oops >&2; exit 4`},
		Stdin:   strings.NewReader("hello\n"), Stdout: &stdout, Stderr: &stderr,
	})
	require.NoError(t, err)
	assert.Equal(t, 4, res.ExitCode)
	assert.Equal(t, "got hello\n", stdout.String())
	assert.Equal(t, "oops\n", stderr.String())
}

// lockedBuffer is written by the exec's copier while the test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func TestExecStreamingTTYWithResize(t *testing.T) {
	t.Parallel()
	task := start(t, Spec{Command: "sleep", Args: []string{"3600"}})
	stdinR, stdinW := io.Pipe()
	resize := make(chan TerminalSize)
	var out lockedBuffer
	type result struct {
		res *ExitResult
		err error
	}
	done := make(chan result, 1)
	go func() {
		res, err := task.ExecStreaming(context.Background(), ExecOptions{
			Command: []string{"sh", "-c", `read x; stty size; tty; echo "got:$x"; exit 6`},
			Tty:     true, Stdin: stdinR, Stdout: &out, Resize: resize,
		})
		done <- result{res, err}
	}()
	// The second send completes only after the first size was applied.
	resize <- TerminalSize{Rows: 33, Cols: 77}
	resize <- TerminalSize{Rows: 33, Cols: 77}
	_, err := stdinW.Write([]byte("hello\n"))
	require.NoError(t, err)
	var r result
	select {
	case r = <-done:
	case <-time.After(15 * time.Second):
		t.Fatalf("exec did not end; output so far %q", out.String())
	}
	close(resize)
	_ = stdinW.Close()
	require.NoError(t, r.err)
	assert.Equal(t, 6, r.res.ExitCode)
	assert.Contains(t, out.String(), "33 77")
	assert.Contains(t, out.String(), "/dev/pts/")
	assert.Contains(t, out.String(), "got:hello")
}

func TestExecOnExitedTask(t *testing.T) {
	t.Parallel()
	task := start(t, sh(`exit 0`))
	wait(t, task, 10*time.Second)
	_, _, err := task.Exec(context.Background(), []string{"true"}, time.Second)
	assert.ErrorIs(t, err, ErrExited)
}

func TestParseSignal(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]int{"SIGTERM": 15, "term": 15, "INT": 2, "9": 9, " SIGHUP ": 1} {
		sig, err := ParseSignal(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, int(sig), in)
	}
	_, err := ParseSignal("SIGNOPE")
	assert.ErrorContains(t, err, `unknown signal "SIGNOPE"`)
	_, err = ParseSignal("99")
	assert.ErrorContains(t, err, "out of range")
}
