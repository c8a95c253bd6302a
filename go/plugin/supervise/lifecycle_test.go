package supervise

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"golang.org/x/sys/unix"
)

func TestStartWaitExitCodeAndOutput(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	spec := sh(`echo "to stdout $FOO"; echo "in $(pwd)" >&2; exit 7`)
	spec.Env = append(spec.Env, "FOO=bar")
	spec.WorkingDir = dir
	spec.StdoutPath, spec.StderrPath = filepath.Join(dir, "out"), filepath.Join(dir, "err")
	task := start(t, spec)
	res := wait(t, task, 10*time.Second)
	assert.Equal(t, 7, res.ExitCode)
	assert.Equal(t, 0, res.Signal)
	assert.False(t, res.CompletedAt.IsZero())
	out, _ := os.ReadFile(spec.StdoutPath)
	errOut, _ := os.ReadFile(spec.StderrPath)
	assert.Equal(t, "to stdout bar\n", string(out))
	assert.Equal(t, "in "+dir+"\n", string(errOut))
	// The result stays readable, by any number of callers.
	res2, done, err := task.Exit()
	require.NoError(t, err)
	assert.True(t, done)
	assert.Equal(t, res, res2)
}

func TestSignalReachesTheTask(t *testing.T) {
	t.Parallel()
	marker := filepath.Join(t.TempDir(), "got")
	task := start(t, sh(`trap 'echo usr1 > `+marker+`; exit 0' USR1; while :; do sleep 0.05; done`))
	// The trap must be installed before the signal arrives: sh installs it
	// first thing, and the process is visible once started.pb exists, so
	// wait until sh has forked its first sleep.
	eventually(t, 10*time.Second, "the task never ran sleep", func() bool { return len(childrenOf(task.PID())) > 0 })
	require.NoError(t, task.Signal(syscall.SIGUSR1))
	res := wait(t, task, 10*time.Second)
	assert.Equal(t, 0, res.ExitCode)
	b, _ := os.ReadFile(marker)
	assert.Equal(t, "usr1\n", string(b))
	assert.ErrorIs(t, task.Signal(syscall.SIGUSR1), ErrExited)
}

// The task starts with default dispositions and an empty mask even when the
// plugin ignores SIGINT and SIGHUP (the supervisor inherits SIG_IGN from it,
// and SIG_IGN survives exec).
func TestTaskSignalDispositionsAreDefault(t *testing.T) {
	signal.Ignore(syscall.SIGINT, syscall.SIGHUP)
	defer signal.Reset(syscall.SIGINT, syscall.SIGHUP)
	task := start(t, Spec{Command: "sleep", Args: []string{"60"}})
	assert.Equal(t, "0000000000000000", statusField(t, task.PID(), "SigIgn"))
	assert.Equal(t, "0000000000000000", statusField(t, task.PID(), "SigBlk"))
	// And the supervisor itself survives SIGINT and SIGHUP.
	sup := int(task.started.GetSupervisorPid())
	require.NoError(t, syscall.Kill(sup, syscall.SIGINT))
	require.NoError(t, syscall.Kill(sup, syscall.SIGHUP))
	time.Sleep(100 * time.Millisecond)
	assert.True(t, task.supervisorAlive())
	// SIGINT reaches a task that does not handle it: it dies of it.
	require.NoError(t, task.Signal(syscall.SIGINT))
	res := wait(t, task, 10*time.Second)
	assert.Equal(t, int(syscall.SIGINT), res.Signal)
	assert.Equal(t, 128+int(syscall.SIGINT), res.ExitCode)
}

func TestStopWithTrappedSignal(t *testing.T) {
	t.Parallel()
	marker := filepath.Join(t.TempDir(), "stopped")
	task := start(t, sh(`trap 'echo term > `+marker+`; exit 0' TERM; while :; do sleep 0.05; done`))
	eventually(t, 10*time.Second, "the task never ran sleep", func() bool { return len(childrenOf(task.PID())) > 0 })
	began := time.Now()
	require.NoError(t, task.Stop(context.Background(), syscall.SIGTERM, 20*time.Second))
	assert.Less(t, time.Since(began), 15*time.Second, "a task that exits on the signal must not wait for the timeout")
	res, done, err := task.Exit()
	require.NoError(t, err)
	require.True(t, done)
	assert.Equal(t, 0, res.ExitCode)
	b, _ := os.ReadFile(marker)
	assert.Equal(t, "term\n", string(b))
}

func TestStopKillsAfterTimeoutWhenSignalIgnored(t *testing.T) {
	t.Parallel()
	task := start(t, sh(`trap '' TERM; while :; do sleep 0.05; done`))
	eventually(t, 10*time.Second, "the task never ran sleep", func() bool { return len(childrenOf(task.PID())) > 0 })
	began := time.Now()
	require.NoError(t, task.Stop(context.Background(), syscall.SIGTERM, time.Second))
	took := time.Since(began)
	assert.GreaterOrEqual(t, took, time.Second, "killed before the stop timeout")
	assert.Less(t, took, 6*time.Second, "not killed within timeout+5s")
	res, _, err := task.Exit()
	require.NoError(t, err)
	assert.Equal(t, int(syscall.SIGKILL), res.Signal)
	assert.Equal(t, 137, res.ExitCode)
	// Stop on an ended task is a no-op.
	require.NoError(t, task.Stop(context.Background(), syscall.SIGTERM, time.Second))
}

func TestDestroyKillsSetsidDoubleForkedGrandchild(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	pidFile := filepath.Join(dir, "grandchild")
	// setsid -f forks: the grandchild leaves the task's session and process
	// group, and its parent exits, so it is re-parented (to the subreaper).
	task := start(t, sh(`setsid -f sh -c 'echo $$ > `+pidFile+`; exec sleep 3600'; while :; do sleep 0.05; done`))
	pid, st := pidFromFile(t, pidFile)
	require.True(t, alive(pid, st))
	ps, err := readProcStat(pid)
	require.NoError(t, err)
	assert.Equal(t, int(task.started.GetSupervisorPid()), ps.ppid, "re-parented to the supervisor (subreaper)")
	require.NoError(t, task.Destroy(context.Background()))
	assert.False(t, alive(pid, st), "the setsid grandchild outlived Destroy")
	assert.False(t, alive(task.PID(), task.started.GetPidStartTime()))
	_, err = os.Stat(task.StateDir())
	assert.True(t, os.IsNotExist(err), "state dir left behind")
	// Idempotent.
	require.NoError(t, task.Destroy(context.Background()))
}

func TestBackgroundChildrenGoneWhenMainExits(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	task := start(t, sh(`sleep 3600 & echo $! > `+dir+`/bg; setsid -f sh -c 'echo $$ > `+dir+`/sid; exec sleep 3600'; `+
		`while [ ! -e `+dir+`/release ]; do sleep 0.01; done; exit 4`))
	bg, bgStart := pidFromFile(t, dir+"/bg")
	sid, sidStart := pidFromFile(t, dir+"/sid")
	require.NoError(t, os.WriteFile(dir+"/release", nil, 0o600))
	res := wait(t, task, 10*time.Second)
	assert.Equal(t, 4, res.ExitCode)
	// exit.pb is written only once every process of the task is gone.
	assert.False(t, alive(bg, bgStart), "background child outlived its task")
	assert.False(t, alive(sid, sidStart), "setsid child outlived its task")
	// Destroy on an ended task removes the state and leaves nothing.
	require.NoError(t, task.Destroy(context.Background()))
	_, err := os.Stat(task.StateDir())
	assert.True(t, os.IsNotExist(err))
}

// A task that ends while no plugin runs reports its real result to the next
// plugin process.
func TestExitWhileNoPluginReportedOnReattach(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "state")
	release := filepath.Join(t.TempDir(), "release")
	handle := startInOtherProcess(t, sh(`while [ ! -e `+release+` ]; do sleep 0.02; done; exit 5`), dir)
	// The plugin that started it is gone; the task ends now.
	require.NoError(t, os.WriteFile(release, nil, 0o600))
	eventually(t, 10*time.Second, "no exit.pb", func() bool {
		_, err := os.Stat(filepath.Join(dir, exitFile))
		return err == nil
	})
	task, err := Reattach(handle)
	require.NoError(t, err)
	defer task.Destroy(context.Background())
	res := wait(t, task, 10*time.Second)
	assert.Equal(t, 5, res.ExitCode)
}

// A running task started by another plugin process is reattached, signalled
// and stopped.
func TestReattachRunningTaskFromOtherProcess(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "state")
	handle := startInOtherProcess(t, Spec{TaskID: "a/b/c", Command: "sleep", Args: []string{"3600"}}, dir)
	task, err := Reattach(handle)
	require.NoError(t, err)
	assert.Equal(t, "a/b/c", task.TaskID())
	assert.Equal(t, handle, task.Handle(), "a reattached task hands out the same handle")
	_, done, err := task.Exit()
	require.NoError(t, err)
	assert.False(t, done)
	require.NoError(t, task.Stop(context.Background(), syscall.SIGTERM, 5*time.Second))
	res, _, err := task.Exit()
	require.NoError(t, err)
	assert.Equal(t, int(syscall.SIGTERM), res.Signal)
	require.NoError(t, task.Destroy(context.Background()))
	eventually(t, 10*time.Second, "supervisor still alive after Destroy", func() bool { return !task.supervisorAlive() })
}

func TestSupervisorKilledIsReportedNotGuessed(t *testing.T) {
	t.Parallel()
	task := start(t, Spec{Command: "sleep", Args: []string{"3600"}})
	pid, st := task.PID(), task.started.GetPidStartTime()
	require.NoError(t, syscall.Kill(int(task.started.GetSupervisorPid()), syscall.SIGKILL))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := task.Wait(ctx)
	require.ErrorIs(t, err, ErrSupervisorLost)
	// Destroy still kills what the dead supervisor left behind.
	require.NoError(t, task.Destroy(context.Background()))
	eventually(t, 5*time.Second, "task outlived Destroy", func() bool { return !alive(pid, st) })
}

func TestHandleCarriesDriverData(t *testing.T) {
	t.Parallel()
	task := start(t, Spec{Command: "sleep", Args: []string{"3600"}})
	task.SetDriverData([]byte(`{"mine":1}`))
	again, err := Reattach(task.Handle())
	require.NoError(t, err)
	assert.Equal(t, []byte(`{"mine":1}`), again.DriverData())
	assert.Equal(t, task.PID(), again.PID())
	assert.True(t, strings.HasPrefix(again.Spec().Command, "sleep"))
}

// A supervisor that does not answer SIGTERM (here: stopped) is killed, and
// the task's process group with it, once the bounded wait has passed.
func TestDestroyEscalatesWhenSupervisorDoesNotAnswer(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "state")
	// From another process, so that this test exercises the /proc checks
	// of a reattached task, not the reaping of its own child.
	handle := startInOtherProcess(t, Spec{Command: "sleep", Args: []string{"3600"}}, dir)
	task, err := Reattach(handle)
	require.NoError(t, err)
	pid, st := task.PID(), task.started.GetPidStartTime()
	sup := int(task.started.GetSupervisorPid())
	require.NoError(t, syscall.Kill(sup, syscall.SIGSTOP))
	began := time.Now()
	require.NoError(t, task.Destroy(context.Background()))
	assert.GreaterOrEqual(t, time.Since(began), killWait, "escalated before the bounded wait")
	eventually(t, 5*time.Second, "supervisor survived Destroy", func() bool { return !task.supervisorAlive() })
	eventually(t, 5*time.Second, "task survived Destroy", func() bool { return !alive(pid, st) })
	_, err = os.Stat(dir)
	assert.True(t, os.IsNotExist(err))
}

// A plugin killed mid-start (the task runs, the plugin never took its
// handle) leaves nothing: the supervisor ends the task and removes the state
// directory, since nobody could ever find the task again.
func TestPluginDeathMidStartLeavesNothing(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "state")
	js, err := json.Marshal(Spec{Command: "sleep", Args: []string{"3600"}})
	require.NoError(t, err)
	self, err := os.Executable()
	require.NoError(t, err)
	cmd := newCmd(self, "-test.run=^$")
	cmd.Env = append(os.Environ(), pluginModeEnv+"="+dir+"\n"+string(js), dieMidStartEnv+"=1")
	out, err := cmd.Output()
	require.NoError(t, err, "plugin process: %s", stderrOf(err))
	var pid, sup int
	var st, supSt uint64
	_, err = fmt.Sscan(string(out), &pid, &st, &sup, &supSt)
	require.NoError(t, err, "plugin output %q", out)
	eventually(t, 10*time.Second, "the task outlived a plugin that died mid-start", func() bool { return !alive(pid, st) })
	eventually(t, 10*time.Second, "the supervisor outlived it", func() bool { return !alive(sup, supSt) })
	eventually(t, 10*time.Second, "the state dir was left behind", func() bool {
		_, err := os.Stat(dir)
		return os.IsNotExist(err)
	})
}

// An exec session does not outlive a plugin killed mid-exec.
func TestPluginDeathMidExecEndsTheSession(t *testing.T) {
	t.Parallel()
	task := start(t, Spec{Command: "sleep", Args: []string{"3600"}})
	pidFile := filepath.Join(t.TempDir(), "exec.pid")
	self, err := os.Executable()
	require.NoError(t, err)
	plugin := newCmd(self, "-test.run=^$")
	plugin.Env = append(os.Environ(), execModeEnv+"="+base64.StdEncoding.EncodeToString(task.Handle())+"\n"+
		"echo $$ > "+pidFile+"; exec sleep 3600")
	require.NoError(t, plugin.Start())
	pid, st := pidFromFile(t, pidFile)
	require.NoError(t, plugin.Process.Kill())
	_ = plugin.Wait()
	eventually(t, 10*time.Second, "the exec session outlived its plugin", func() bool { return !alive(pid, st) })
	_, done, err := task.Exit()
	require.NoError(t, err)
	assert.False(t, done, "the task itself keeps running")
}

// A plugin killed mid-stop (the stop signal sent, the timeout not yet
// over) leaves a task that the next plugin stops and destroys.
func TestPluginDeathMidStop(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	marker := filepath.Join(dir, "term")
	task := start(t, sh(`trap 'echo term > `+marker+`' TERM; sleep 3600 & echo $! > `+dir+`/bg; while :; do sleep 0.05; done`))
	bg, bgStart := pidFromFile(t, dir+"/bg")
	self, err := os.Executable()
	require.NoError(t, err)
	plugin := newCmd(self, "-test.run=^$")
	plugin.Env = append(os.Environ(), stopModeEnv+"="+base64.StdEncoding.EncodeToString(task.Handle()))
	require.NoError(t, plugin.Start())
	eventually(t, 10*time.Second, "the first plugin never sent the stop signal", func() bool {
		_, err := os.Stat(marker)
		return err == nil
	})
	require.NoError(t, plugin.Process.Kill())
	_ = plugin.Wait()
	_, done, err := task.Exit()
	require.NoError(t, err)
	require.False(t, done, "the task ignores SIGTERM: still running")

	again, err := Reattach(task.Handle())
	require.NoError(t, err)
	require.NoError(t, again.Stop(context.Background(), syscall.SIGTERM, 500*time.Millisecond))
	res, _, err := again.Exit()
	require.NoError(t, err)
	assert.Equal(t, 137, res.ExitCode)
	assert.False(t, alive(bg, bgStart), "background child outlived the stop")
	require.NoError(t, again.Destroy(context.Background()))
}

// A plugin started with signals blocked and ignored (the mask and SIG_IGN
// survive exec, and a Go child restores its parent's initial mask) still
// starts tasks with an empty mask and default dispositions.
func TestTaskMaskEmptyWhenPluginStartedWithSignalsBlocked(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "state")
	js, err := json.Marshal(Spec{Command: "sleep", Args: []string{"3600"}})
	require.NoError(t, err)
	self, err := os.Executable()
	require.NoError(t, err)
	cmd := newCmd(self, "-test.run=^$")
	cmd.Env = append(os.Environ(), pluginModeEnv+"="+dir+"\n"+string(js), blockEnv+"=1")
	out, err := cmd.Output()
	require.NoError(t, err, "plugin process: %s", stderrOf(err))
	h, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(out)))
	require.NoError(t, err)
	task, err := Reattach(h)
	require.NoError(t, err)
	defer task.Destroy(context.Background())
	assert.Equal(t, "0000000000000000", statusField(t, task.PID(), "SigBlk"))
	assert.Equal(t, "0000000000000000", statusField(t, task.PID(), "SigIgn"))
}

// TestReattachDir finds a task from its state directory alone, as the Rust
// and Python layers' reattach_dir do.
func TestReattachDir(t *testing.T) {
	task := start(t, sh("exit 5"))
	again, err := ReattachDir(task.StateDir())
	require.NoError(t, err)
	require.Equal(t, task.PID(), again.PID())
	res := wait(t, again, 10*time.Second)
	require.Equal(t, 5, res.ExitCode)
	_, err = ReattachDir(filepath.Join(t.TempDir(), "nothing-here"))
	require.Error(t, err)
}

// A reattached task's supervisor is not this process's child, so only a
// pidfd tells its waiter that it exited. The waiter here pauses an hour
// between looks at exit.pb: only that wake can end its wait within the
// minute allowed (issue 19: reattached waiters looked 4 times a second).
func TestReattachedSupervisorsExitWakesTheWaiter(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "state")
	handle := startInOtherProcess(t, Spec{TaskID: "a/b/c", Command: "sleep", Args: []string{"3600"}}, dir)
	task, err := Reattach(handle)
	require.NoError(t, err)
	defer task.Destroy(context.Background())
	w := openExitWaker(task.supPID)
	require.NotNil(t, w, "no pidfd for the supervisor: this kernel cannot run the test")
	w.close()
	type waited struct {
		res *ExitResult
		err error
	}
	got := make(chan waited, 1)
	looked := make(chan struct{})
	go func() {
		_, done, err := task.Exit() // one look: it runs
		if err == nil && !done {
			close(looked)
		}
		res, err := task.waitPaced(context.Background(), time.Hour, time.Hour, time.Hour)
		got <- waited{res, err}
	}()
	select {
	case <-looked:
	case <-time.After(10 * time.Second):
		t.Fatal("the task was not running when the waiter looked")
	}
	require.NoError(t, unix.Kill(task.PID(), unix.SIGKILL))
	select {
	case w := <-got:
		require.NoError(t, w.err)
		assert.Equal(t, int(unix.SIGKILL), w.res.Signal)
	case <-time.After(60 * time.Second):
		t.Fatal("the supervisor's exit did not wake the waiter within 60 s")
	}
}

// Where there is no process to watch, there is no waker: the waiter looks.
func TestNoExitWakerWithoutAProcess(t *testing.T) {
	assert.Nil(t, openExitWaker(0))
	assert.Nil(t, openExitWaker(-1))
	var w *exitWaker
	assert.Nil(t, w.wake())
	w.close()
}
