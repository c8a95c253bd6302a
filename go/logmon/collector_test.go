package logmon

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func readStream(t *testing.T, dir, stream string) string {
	t.Helper()
	var buf bytes.Buffer
	_, err := Read(context.Background(), LogDir(dir), stream, nil, false, WriterEmit(&buf))
	require.NoError(t, err)
	return buf.String()
}

// writer imitates a supervisor's output copier: a non-blocking open of the
// FIFO (ENXIO while it has no reader) and, on EPIPE, a reopen.
type writer struct {
	path string
	f    *os.File
}

func (w *writer) write(t *testing.T, s string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if w.f == nil {
			f, err := os.OpenFile(w.path, os.O_WRONLY|syscall.O_NONBLOCK, 0)
			if errors.Is(err, syscall.ENXIO) {
				time.Sleep(20 * time.Millisecond)
				continue
			}
			require.NoError(t, err)
			w.f = f
		}
		n, err := w.f.Write([]byte(s))
		s = s[n:]
		if err == nil {
			return
		}
		require.ErrorIs(t, err, syscall.EPIPE)
		w.f.Close()
		w.f = nil
	}
	t.Fatalf("no reader for %s within 10s", w.path)
}

// One collector holds many tasks, drains each on Stop, rotates as the
// process collector does, and a new collector (a restarted agent) takes
// over FIFOs whose writer stayed: nothing written around the switch is lost.
func TestCollectorManyTasksRestartAndDrain(t *testing.T) {
	base := t.TempDir()
	k := NewCollector()
	var cfgs []Config
	var ws []*writer
	for i := 0; i < 20; i++ {
		c := Config{Dir: base + "/t" + string(rune('a'+i)), MaxFiles: 3, MaxFileSize: 64}
		require.NoError(t, k.Start(c))
		require.NoError(t, k.Start(c), "a second Start of the same dir is a no-op")
		assert.True(t, k.Running(c.Dir))
		cfgs, ws = append(cfgs, c), append(ws, &writer{path: c.FIFOPath("stdout")})
	}
	for i, w := range ws {
		w.write(t, strings.Repeat("x", i)+"before\n")
	}
	// The agent dies: every reader goes. Writers then see EPIPE and reopen.
	k.Close(context.Background())
	for _, c := range cfgs {
		assert.False(t, k.Running(c.Dir))
	}
	k2 := NewCollector()
	for _, c := range cfgs {
		require.NoError(t, k2.Start(c))
	}
	for _, w := range ws {
		w.write(t, "after\n")
		w.f.Close()
	}
	for i, c := range cfgs {
		require.NoError(t, k2.Stop(c.Dir, 5*time.Second))
		assert.False(t, k2.Running(c.Dir))
		assert.Equal(t, strings.Repeat("x", i)+"before\nafter\n", readStream(t, c.Dir, "stdout"), c.Dir)
	}
	// Rotation: 20 lines of 10 bytes in 64-byte files, 3 kept.
	c := Config{Dir: base + "/rot", MaxFiles: 3, MaxFileSize: 64}
	require.NoError(t, k2.Start(c))
	w := &writer{path: c.FIFOPath("stderr")}
	for i := 0; i < 20; i++ {
		w.write(t, "123456789\n")
	}
	w.f.Close()
	require.NoError(t, k2.Stop(c.Dir, 5*time.Second))
	idx, err := Indexes(LogDir(c.Dir), "stderr")
	require.NoError(t, err)
	assert.Len(t, idx, 3)
	for _, i := range idx {
		st, err := os.Stat(FileName(LogDir(c.Dir), "stderr", i))
		require.NoError(t, err)
		assert.LessOrEqual(t, st.Size(), int64(64))
	}
}

// Stop returns within the drain bound even while a writer keeps the FIFO
// open.
func TestCollectorStopWithWriterLeftIsBounded(t *testing.T) {
	k := NewCollector()
	c := Config{Dir: t.TempDir(), MaxFiles: 2, MaxFileSize: 1 << 20}
	require.NoError(t, k.Start(c))
	w := &writer{path: c.FIFOPath("stdout")}
	w.write(t, "held\n")
	defer w.f.Close()
	start := time.Now()
	require.NoError(t, k.Stop(c.Dir, 10*time.Second))
	assert.Less(t, time.Since(start), drainTimeout+3*time.Second)
	assert.Equal(t, "held\n", readStream(t, c.Dir, "stdout"))
}

// A directory where a FIFO cannot be made gets a clear error.
func TestCollectorStartFailsClearly(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(dir+"/stdout.fifo", nil, 0o600))
	err := NewCollector().Start(Config{Dir: dir, MaxFiles: 1, MaxFileSize: 10})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "is not a FIFO")
}

// A Start that waits (here for an older agent's `yurt logmon` process of its
// directory, which ignores SIGTERM) holds up no Start of another directory:
// a restarted agent reopens thousands of tasks' FIFOs at once (issue 19).
// A Stop of the waiting directory waits for its Start.
func TestCollectorStartsOfOtherDirsDoNotWait(t *testing.T) {
	k := NewCollector()
	defer k.Close(context.Background())
	slow := Config{Dir: t.TempDir(), MaxFiles: 2, MaxFileSize: 1 << 20}
	other := Config{Dir: t.TempDir(), MaxFiles: 2, MaxFileSize: 1 << 20}
	// A process that Running takes for slow's collector ("logmon" in its
	// command line) and that outlives SIGTERM.
	old := exec.Command("sh", "-c", `trap "" TERM; echo ready; while :; do sleep 0.05; done`, "logmon")
	out, err := old.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, old.Start())
	defer func() { _ = old.Process.Kill(); _ = old.Wait() }()
	ready := make([]byte, 6)
	_, err = io.ReadFull(out, ready)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(slow.Dir, pidFile), []byte(strconv.Itoa(old.Process.Pid)), 0o600))
	_, running := Running(slow.Dir)
	require.True(t, running)

	slowDone := make(chan error, 1)
	go func() { slowDone <- k.Start(slow) }()
	// Wait until slow's Start is under way (it has claimed the directory).
	require.Eventually(t, func() bool {
		k.mu.Lock()
		defer k.mu.Unlock()
		return k.opening[slow.Dir] != nil
	}, 10*time.Second, 5*time.Millisecond)
	stopDone := make(chan error, 1)
	go func() { stopDone <- k.Stop(slow.Dir, 10*time.Second) }()

	require.NoError(t, k.Start(other))
	assert.True(t, k.Running(other.Dir))
	select {
	case err := <-slowDone:
		t.Fatalf("the other directory's Start waited for the slow one (which returned %v)", err)
	case err := <-stopDone:
		t.Fatalf("Stop of a directory being opened did not wait for its Start (returned %v)", err)
	default:
	}
	// The old collector goes: slow's Start opens, then the Stop drains it.
	require.NoError(t, old.Process.Kill())
	_ = old.Wait()
	require.NoError(t, <-slowDone)
	require.NoError(t, <-stopDone)
	assert.False(t, k.Running(slow.Dir))
	require.NoError(t, k.Stop(other.Dir, 10*time.Second))
}
