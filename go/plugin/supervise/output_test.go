package supervise

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func mkfifo(t *testing.T, path string) {
	t.Helper()
	require.NoError(t, syscall.Mkfifo(path, 0o600))
}

// Output reaches a FIFO reader in full, even one that opens late.
func TestOutputToFIFO(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	out := filepath.Join(dir, "stdout.fifo")
	mkfifo(t, out)
	spec := sh(`i=0; while [ $i -lt 2000 ]; do echo "line $i"; i=$((i+1)); done`)
	spec.StdoutPath = out
	task := start(t, spec)
	time.Sleep(200 * time.Millisecond) // the reader comes late: nothing may be lost
	r, err := os.OpenFile(out, os.O_RDONLY, 0)
	require.NoError(t, err)
	defer r.Close()
	b, err := io.ReadAll(r)
	require.NoError(t, err)
	lines := bytes.Split(bytes.TrimSpace(b), []byte("\n"))
	require.Len(t, lines, 2000)
	assert.Equal(t, "line 1999", string(lines[1999]))
	assert.Equal(t, 0, wait(t, task, 10*time.Second).ExitCode)
}

// A reader that disappears for good never hangs the supervisor: the task's
// output is discarded after the bounded wait for a new reader, and the
// supervisor records the exit and exits.
func TestFIFOReaderDisappearsDoesNotHang(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	out := filepath.Join(dir, "stdout.fifo")
	mkfifo(t, out)
	release := filepath.Join(dir, "release")
	// Far more than a pipe holds, then wait for the test, then exit 3.
	spec := sh(`i=0; while [ $i -lt 20000 ]; do echo "some output line number $i"; i=$((i+1)); done; ` +
		`while [ ! -e ` + release + ` ]; do sleep 0.02; done; exit 3`)
	spec.StdoutPath = out
	task := start(t, spec)
	r, err := os.OpenFile(out, os.O_RDONLY, 0)
	require.NoError(t, err)
	line, err := bufio.NewReader(r).ReadString('\n')
	require.NoError(t, err)
	assert.Equal(t, "some output line number 0\n", line)
	require.NoError(t, r.Close()) // the reader is gone for good
	began := time.Now()
	// The task gets through its output once the copier gives up waiting.
	eventually(t, readerWait+10*time.Second, "the task stayed blocked on its output", func() bool {
		return len(childrenOf(task.PID())) > 0 // the second loop's sleep
	})
	require.NoError(t, os.WriteFile(release, nil, 0o600))
	res := wait(t, task, flushAfterExit+10*time.Second)
	assert.Equal(t, 3, res.ExitCode)
	took := time.Since(began)
	assert.Less(t, took, readerWait+flushAfterExit+10*time.Second)
	eventually(t, 5*time.Second, "the supervisor did not exit", func() bool { return !task.supervisorAlive() })
}

// A FIFO that nobody ever opens, or whose path is removed, does not keep the
// supervisor from recording the exit within the bound.
func TestFIFOWithoutReaderIsBounded(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	out := filepath.Join(dir, "stdout.fifo")
	mkfifo(t, out)
	spec := sh(`echo lost; exit 2`)
	spec.StdoutPath = out
	task := start(t, spec)
	began := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), flushAfterExit+10*time.Second)
	defer cancel()
	res, err := task.Wait(ctx)
	require.NoError(t, err)
	assert.Equal(t, 2, res.ExitCode)
	assert.Less(t, time.Since(began), flushAfterExit+10*time.Second)
}

// A reader that goes away and comes back (a restarted log collector) gets
// the output written meanwhile: the copier waits for it on EPIPE.
func TestFIFOReaderComesBack(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	out := filepath.Join(dir, "stdout.fifo")
	mkfifo(t, out)
	release := filepath.Join(dir, "release")
	spec := sh(`echo first; while [ ! -e ` + release + ` ]; do sleep 0.02; done; echo second; exit 0`)
	spec.StdoutPath = out
	task := start(t, spec)
	r, err := os.OpenFile(out, os.O_RDONLY, 0)
	require.NoError(t, err)
	line, err := bufio.NewReader(r).ReadString('\n')
	require.NoError(t, err)
	assert.Equal(t, "first\n", line)
	require.NoError(t, r.Close())
	require.NoError(t, os.WriteFile(release, nil, 0o600))
	time.Sleep(300 * time.Millisecond) // the collector restarts: "second" waits for it
	r, err = os.OpenFile(out, os.O_RDONLY, 0)
	require.NoError(t, err)
	defer r.Close()
	b, err := io.ReadAll(r)
	require.NoError(t, err)
	assert.Equal(t, "second\n", string(b))
	assert.Equal(t, 0, wait(t, task, 10*time.Second).ExitCode)
}
