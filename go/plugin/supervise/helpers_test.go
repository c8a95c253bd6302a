package supervise

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"

	"github.com/yurt-sdk/yurt/go/gen/supervisepb"
)

// pluginModeEnv makes the test binary act as a short-lived plugin: start the
// task described (JSON Spec) in the state dir, print the handle (base64) and
// exit, leaving the supervisor behind as a real plugin death would.
const pluginModeEnv = "SUPERVISE_TEST_START"

func TestMain(m *testing.M) {
	Main()
	if os.Getenv(blockEnv) != "" {
		blockAndReexec()
	}
	if v := os.Getenv(pluginModeEnv); v != "" {
		os.Exit(startAndExit(v))
	}
	if v := os.Getenv(execModeEnv); v != "" {
		os.Exit(execAndHang(v))
	}
	if v := os.Getenv(stopModeEnv); v != "" {
		os.Exit(stopAndHang(v))
	}
	os.Exit(m.Run())
}

func startAndExit(arg string) int {
	dir, js, _ := strings.Cut(arg, "\n")
	var spec Spec
	if err := json.Unmarshal([]byte(js), &spec); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	if os.Getenv(dieMidStartEnv) != "" {
		return dieMidStart(spec, dir)
	}
	task, err := Start(context.Background(), spec, dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Println(base64.StdEncoding.EncodeToString(task.Handle()))
	return 0
}

// startInOtherProcess starts spec from a separate plugin process that exits
// at once, and returns the handle.
// blockEnv makes the test binary re-execute itself with SIGUSR1 and SIGHUP
// blocked and ignored, as a plugin started by a careless parent would be.
const blockEnv = "SUPERVISE_TEST_BLOCK"

func blockAndReexec() {
	runtime.LockOSThread()
	var set unix.Sigset_t
	for _, sig := range []syscall.Signal{syscall.SIGUSR1, syscall.SIGHUP} {
		set.Val[(sig-1)/64] |= 1 << ((uint(sig) - 1) % 64)
	}
	if err := unix.PthreadSigmask(unix.SIG_BLOCK, &set, nil); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	signal.Ignore(syscall.SIGUSR1, syscall.SIGHUP)
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, blockEnv+"=") {
			env = append(env, kv)
		}
	}
	self, _ := os.Executable()
	fmt.Fprintln(os.Stderr, syscall.Exec(self, os.Args, env))
	os.Exit(2)
}

// execModeEnv makes the test binary a plugin that reattaches the task whose
// base64 handle it is given, runs an exec session in it (`sh -c <script>`)
// and hangs until killed.
const execModeEnv = "SUPERVISE_TEST_EXEC"

func execAndHang(arg string) int {
	h64, script, _ := strings.Cut(arg, "\n")
	h, err := base64.StdEncoding.DecodeString(h64)
	if err != nil {
		return 2
	}
	task, err := Reattach(h)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	_, _, err = task.Exec(context.Background(), []string{"sh", "-c", script}, 0)
	fmt.Fprintln(os.Stderr, "exec returned", err)
	return 1
}

// stopModeEnv makes the test binary a plugin that reattaches the task whose
// base64 handle it is given and stops it with SIGTERM and an hour's
// timeout, hanging until killed.
const stopModeEnv = "SUPERVISE_TEST_STOP"

func stopAndHang(h64 string) int {
	h, err := base64.StdEncoding.DecodeString(h64)
	if err != nil {
		return 2
	}
	task, err := Reattach(h)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Fprintln(os.Stderr, "stop returned", task.Stop(context.Background(), syscall.SIGTERM, time.Hour))
	return 1
}

// dieMidStartEnv makes the plugin process die once the task runs but before
// it acknowledged the start (it prints the task's pid first).
const dieMidStartEnv = "SUPERVISE_TEST_DIE_MID_START"

func dieMidStart(spec Spec, dir string) int {
	if err := makeStateDir(dir); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if err := writeStateFast(dir, specFile, specToProto(&spec)); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if _, _, _, err := launchSupervisor(dir); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if os.Getenv(dieMidStartEnv) == "before-started" {
		os.Exit(0) // dies before the supervisor has recorded anything
	}
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		var st supervisepb.Started
		if readState(dir, startedFile, &st) == nil {
			fmt.Println(st.GetPid(), st.GetPidStartTime(), st.GetSupervisorPid(), st.GetSupervisorStartTime())
			os.Exit(0) // dies holding the handshake: the pipe closes unacknowledged
		}
	}
	return 1
}

func startInOtherProcess(t *testing.T, spec Spec, dir string) []byte {
	t.Helper()
	js, err := json.Marshal(spec)
	require.NoError(t, err)
	self, err := os.Executable()
	require.NoError(t, err)
	cmd := newCmd(self, "-test.run=^$")
	cmd.Env = append(os.Environ(), pluginModeEnv+"="+dir+"\n"+string(js))
	out, err := cmd.Output()
	require.NoError(t, err, "plugin process: %s", stderrOf(err))
	h, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(out)))
	require.NoError(t, err)
	return h
}

func sh(script string) Spec {
	return Spec{TaskID: "alloc/task/" + strconv.FormatInt(time.Now().UnixNano()%1e8, 16), Command: "/bin/sh",
		Args: []string{"-c", script}, Env: []string{"PATH=/usr/local/bin:/usr/bin:/bin"}}
}

// start starts spec in a fresh state dir; the task is destroyed when the
// test ends.
func start(t *testing.T, spec Spec) *Task {
	t.Helper()
	task, err := Start(context.Background(), spec, filepath.Join(t.TempDir(), "state"))
	require.NoError(t, err)
	t.Cleanup(func() { _ = task.Destroy(context.Background()) })
	return task
}

func wait(t *testing.T, task *Task, limit time.Duration) *ExitResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	res, err := task.Wait(ctx)
	require.NoError(t, err)
	return res
}

// eventually polls cond until it holds or limit passes.
func eventually(t *testing.T, limit time.Duration, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(limit); !cond(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("after %s: %s", limit, what)
		}
	}
}

// pidFromFile reads a pid a task wrote, with its start time.
func pidFromFile(t *testing.T, path string) (int, uint64) {
	t.Helper()
	var b []byte
	eventually(t, 10*time.Second, "no pid in "+path, func() bool {
		var err error
		b, err = os.ReadFile(path)
		return err == nil && strings.HasSuffix(string(b), "\n")
	})
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	require.NoError(t, err)
	ps, err := readProcStat(pid)
	require.NoError(t, err, "pid %d from %s", pid, path)
	return pid, ps.startTime
}

// statusField reads a hex mask such as SigIgn from /proc/<pid>/status.
func statusField(t *testing.T, pid int, field string) string {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	require.NoError(t, err)
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			return strings.TrimSpace(v)
		}
	}
	t.Fatalf("no %s in /proc/%d/status", field, pid)
	return ""
}
