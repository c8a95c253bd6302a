package logmon

import (
	"bytes"
	"context"
	"fmt"
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

// TestMain lets the test binary act as `yurt logmon` and as a fake agent.
func TestMain(m *testing.M) {
	switch os.Getenv("YURT_LOGMON_TEST_ROLE") {
	case "logmon":
		if err := Main(os.Args[1:]); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	case "agent":
		fakeAgent()
		return
	}
	os.Exit(m.Run())
}

func selfCommand() []string { return []string{os.Args[0]} }

func childEnv(role string) []string { return append(os.Environ(), "YURT_LOGMON_TEST_ROLE="+role) }

func TestRotator(t *testing.T) {
	dir := t.TempDir()
	r, err := NewRotator(dir, "stdout", 3, 10)
	require.NoError(t, err)
	for i := 0; i < 5; i++ {
		_, err := r.Write([]byte("0123456789abcdef")) // 16 bytes: spans two files
		require.NoError(t, err)
	}
	require.NoError(t, r.Close())
	idx, err := Indexes(dir, "stdout")
	require.NoError(t, err)
	assert.Equal(t, []int{5, 6, 7}, idx, "80 bytes in 10-byte files, 3 kept")
	for _, i := range idx {
		st, err := os.Stat(FileName(dir, "stdout", i))
		require.NoError(t, err)
		assert.LessOrEqual(t, st.Size(), int64(10))
		assert.Equal(t, os.FileMode(0o600), st.Mode().Perm())
	}
	var buf bytes.Buffer
	_, err = Read(context.Background(), dir, "stdout", nil, false, WriterEmit(&buf))
	require.NoError(t, err)
	assert.Equal(t, "23456789abcdef0123456789abcdef", buf.String(), "the newest 30 bytes survive")

	// A restarted collector continues after the newest file.
	require.NoError(t, os.Truncate(FileName(dir, "stdout", 7), 4))
	r, err = NewRotator(dir, "stdout", 3, 10)
	require.NoError(t, err)
	_, err = r.Write([]byte("XYZXYZXY"))
	require.NoError(t, err)
	r.Close()
	b, _ := os.ReadFile(FileName(dir, "stdout", 7))
	assert.Equal(t, "6789XYZXYZ", string(b), "appended, not overwritten")
	b, _ = os.ReadFile(FileName(dir, "stdout", 8))
	assert.Equal(t, "XY", string(b))

	_, err = NewRotator(dir, "x", 0, 1)
	assert.ErrorContains(t, err, "max files >= 1")
}

func TestReadResumeAndFollow(t *testing.T) {
	dir := t.TempDir()
	r, err := NewRotator(dir, "stdout", 100, 4)
	require.NoError(t, err)
	t.Cleanup(func() { r.Close() })
	r.Write([]byte("hello world"))
	var buf bytes.Buffer
	pos, err := Read(context.Background(), dir, "stdout", nil, false, WriterEmit(&buf))
	require.NoError(t, err)
	assert.Equal(t, "hello world", buf.String())
	r.Write([]byte("!more"))
	buf.Reset()
	_, err = Read(context.Background(), dir, "stdout", &pos, false, WriterEmit(&buf))
	require.NoError(t, err)
	assert.Equal(t, "!more", buf.String(), "resume from a position")

	ctx, cancel := context.WithCancel(context.Background())
	out := make(chan string)
	go func() {
		var b bytes.Buffer
		Read(ctx, dir, "stdout", &pos, true, WriterEmit(&b))
		out <- b.String()
	}()
	time.Sleep(150 * time.Millisecond)
	r.Write([]byte("followed across files"))
	time.Sleep(300 * time.Millisecond)
	cancel()
	assert.Equal(t, "!morefollowed across files", <-out)
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	require.Eventually(t, cond, 10*time.Second, 20*time.Millisecond, what)
}

func readAll(t *testing.T, dir, stream string) string {
	var b bytes.Buffer
	_, err := Read(context.Background(), LogDir(dir), stream, nil, false, WriterEmit(&b))
	require.NoError(t, err)
	return b.String()
}

// fakeAgent starts a collector and a writer task, reports their pids on
// stdout and sleeps until killed.
func fakeAgent() {
	dir := os.Getenv("YURT_LOGMON_TEST_DIR")
	os.Setenv("YURT_LOGMON_TEST_ROLE", "logmon")
	pid, err := Start(selfCommand(), Config{Dir: dir, MaxFiles: 5, MaxFileSize: 1 << 20})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	task := exec.Command("/bin/sh", "-c", `i=0; while :; do echo "line $i"; echo "err $i" >&2; i=$((i+1)); sleep 0.02; done`)
	task.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	task.Stdout, _ = os.OpenFile(FIFO(dir, "stdout"), os.O_WRONLY, 0)
	task.Stderr, _ = os.OpenFile(FIFO(dir, "stderr"), os.O_WRONLY, 0)
	if err := task.Start(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("%d %d\n", pid, task.Process.Pid)
	time.Sleep(time.Hour)
}

// TestCollectorOutlivesAgent kills -9 the process that started the
// collector and the task, and checks that the task keeps running (no
// SIGPIPE) and its output keeps arriving in the log files.
func TestCollectorOutlivesAgent(t *testing.T) {
	dir := t.TempDir()
	agent := exec.Command(os.Args[0])
	agent.Env = append(childEnv("agent"), "YURT_LOGMON_TEST_DIR="+dir)
	agent.Stderr = os.Stderr
	stdout, err := agent.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, agent.Start())
	line := make([]byte, 64)
	n, err := stdout.Read(line)
	require.NoError(t, err)
	f := strings.Fields(string(line[:n]))
	require.Len(t, f, 2)
	logmonPid, _ := strconv.Atoi(f[0])
	taskPid, _ := strconv.Atoi(f[1])
	t.Cleanup(func() {
		syscall.Kill(taskPid, syscall.SIGKILL)
		syscall.Kill(logmonPid, syscall.SIGKILL)
	})

	waitFor(t, "output collected", func() bool { return strings.Contains(readAll(t, dir, "stdout"), "line 3\n") })
	require.NoError(t, agent.Process.Signal(syscall.SIGKILL))
	agent.Wait()
	before := len(readAll(t, dir, "stdout"))
	time.Sleep(500 * time.Millisecond)

	require.NoError(t, syscall.Kill(taskPid, 0), "task survives the agent's death")
	pid, ok := Running(dir)
	require.True(t, ok, "collector survives the agent's death")
	assert.Equal(t, logmonPid, pid)
	assert.Greater(t, len(readAll(t, dir, "stdout")), before, "output keeps arriving")
	assert.Contains(t, readAll(t, dir, "stderr"), "err 3\n")

	// A second Start finds the running collector rather than starting another.
	t.Setenv("YURT_LOGMON_TEST_ROLE", "logmon")
	again, err := Start(selfCommand(), Config{Dir: dir, MaxFiles: 5, MaxFileSize: 1 << 20})
	require.NoError(t, err)
	assert.Equal(t, logmonPid, again)

	// Stop the task, then the collector: it drains and exits.
	require.NoError(t, syscall.Kill(taskPid, syscall.SIGKILL))
	require.NoError(t, Stop(dir, 5*time.Second))
	_, ok = Running(dir)
	assert.False(t, ok)
	_, err = os.Stat(filepath.Join(dir, pidFile))
	assert.True(t, os.IsNotExist(err), "pid file removed on exit")
	for _, s := range Streams {
		st, err := os.Stat(FileName(LogDir(dir), s, 0))
		require.NoError(t, err)
		assert.Equal(t, os.FileMode(0o600), st.Mode().Perm())
	}
}

func TestStartFailsClearly(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(FIFO(dir, "stdout"), nil, 0o600)) // a plain file where a FIFO belongs
	t.Setenv("YURT_LOGMON_TEST_ROLE", "logmon")
	_, err := Start(selfCommand(), Config{Dir: dir, MaxFiles: 1, MaxFileSize: 1})
	require.ErrorContains(t, err, "stdout.fifo exists and is not a FIFO")
}

// TestFIFOsAtNomadPaths puts the FIFOs where Nomad's logmon hook puts them
// (<alloc dir>/alloc/logs/.<task>.stdout.fifo), apart from the collector's
// own directory.
func TestFIFOsAtNomadPaths(t *testing.T) {
	dir, logs := t.TempDir(), t.TempDir()
	c := Config{Dir: dir, MaxFiles: 2, MaxFileSize: 1 << 20,
		StdoutFIFO: filepath.Join(logs, ".web.stdout.fifo"), StderrFIFO: filepath.Join(logs, ".web.stderr.fifo")}
	t.Setenv("YURT_LOGMON_TEST_ROLE", "logmon")
	_, err := Start(selfCommand(), c)
	require.NoError(t, err)
	t.Cleanup(func() { _ = Stop(dir, 5*time.Second) })
	for _, s := range Streams {
		st, err := os.Stat(c.FIFOPath(s))
		require.NoError(t, err)
		assert.NotZero(t, st.Mode()&os.ModeNamedPipe, "%s is a FIFO", c.FIFOPath(s))
		_, err = os.Stat(FIFO(dir, s))
		assert.True(t, os.IsNotExist(err), "no FIFO at the default path")
	}
	w, err := os.OpenFile(c.StderrFIFO, os.O_WRONLY, 0)
	require.NoError(t, err)
	_, err = w.WriteString("to stderr\n")
	require.NoError(t, err)
	require.NoError(t, w.Close())
	waitFor(t, "stderr collected", func() bool { return readAll(t, dir, "stderr") == "to stderr\n" })
	require.NoError(t, Stop(dir, 5*time.Second))
}
