package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/yurt-sdk/yurt/go/api"
	"github.com/yurt-sdk/yurt/go/host"
)

// These tests run the real yurt binary with real plugin processes (the
// repository's fake plugin, go/internal/fakeplugin, built once in TestMain as
// yurt-testproc, a driver named testproc, and yurt-testdevice, a device
// plugin: it takes its mode and name from its file name).

var bins struct {
	yurt, pluginDir, examplesDir string
}

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "yurt-it-")
	if err != nil {
		panic(err)
	}
	bins.yurt = filepath.Join(dir, "yurt")
	bins.pluginDir = filepath.Join(dir, "plugins")
	builds := [][]string{
		{"-o", bins.yurt, "."},
		{"-o", filepath.Join(bins.pluginDir, "yurt-testproc"), "../../internal/fakeplugin"},
		{"-o", filepath.Join(bins.pluginDir, "yurt-testdevice"), "../../internal/fakeplugin"},
	}
	// YURT_IT_BUILDFLAGS=-race builds the agent and plugins with the race detector.
	flags := strings.Fields(os.Getenv("YURT_IT_BUILDFLAGS"))
	for _, b := range builds {
		cmd := exec.Command("go", append(append([]string{"build"}, flags...), b...)...)
		cmd.Stderr = os.Stderr
		if err := cmd.Run(); err != nil {
			fmt.Fprintln(os.Stderr, "building test binaries:", err)
			os.Exit(1)
		}
	}
	// The Go example plugins, when this checkout has them.
	if _, err := os.Stat("../../../examples/go/Makefile"); err == nil {
		bins.examplesDir = filepath.Join(dir, "examples")
		cmd := exec.Command("make", "-C", "../../../examples/go", "build", "PLUGIN_DIR="+bins.examplesDir)
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		if err := cmd.Run(); err != nil {
			fmt.Fprintln(os.Stderr, "building the example plugins:", err)
			os.Exit(1)
		}
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

type agentProc struct {
	t       *testing.T
	dataDir string
	home    string
	cmd     *exec.Cmd
	log     *syncBuf
	args    []string
}

type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuf) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuf) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startAgent runs `yurt agent -dev` with its own data dir; at cleanup it is
// shut down gracefully, which stops its tasks and kills its plugins.
func startAgent(t *testing.T, extra ...string) *agentProc {
	t.Helper()
	base := shortTemp(t)
	a := &agentProc{t: t, dataDir: filepath.Join(base, "data"), home: base}
	a.args = append([]string{"agent", "-dev", "-data-dir", a.dataDir, "-plugin-dir", bins.pluginDir}, extra...)
	a.start()
	t.Cleanup(a.shutdown)
	return a
}

func shortTemp(t *testing.T) string {
	// unix socket paths must stay under 108 bytes; t.TempDir can be long.
	d, err := os.MkdirTemp("", "yi")
	require.NoError(t, err)
	t.Cleanup(func() { os.RemoveAll(d) })
	return d
}

func (a *agentProc) start() {
	a.t.Helper()
	if a.log == nil {
		a.log = &syncBuf{}
	}
	a.cmd = exec.Command(bins.yurt, a.args...)
	a.cmd.Env = append(os.Environ(), "HOME="+a.home)
	a.cmd.Stdout, a.cmd.Stderr = a.log, a.log
	require.NoError(a.t, a.cmd.Start())
	sock := filepath.Join(a.dataDir, api.SocketName)
	ok := waitUntil(20*time.Second, func() bool {
		_, err := api.NewClient(sock).Plugins(context.Background())
		return err == nil
	})
	require.True(a.t, ok, "agent did not come up:\n%s", a.log.String())
}

func (a *agentProc) kill9() {
	a.t.Helper()
	require.NoError(a.t, a.cmd.Process.Kill())
	_ = a.cmd.Wait()
}

func (a *agentProc) shutdown() {
	if a.cmd.ProcessState != nil {
		// Killed earlier: start it once more so that the graceful dev-mode
		// shutdown stops whatever it left behind.
		a.start()
	}
	_ = a.cmd.Process.Signal(syscall.SIGINT)
	done := make(chan struct{})
	go func() { a.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		a.cmd.Process.Kill()
		a.t.Errorf("agent did not shut down; log:\n%s", a.log.String())
	}
	// A dev-mode shutdown leaves no log collector or task supervisor behind.
	if slices.Contains(a.args, "-dev") {
		var left []string
		ok := waitUntil(5*time.Second, func() bool {
			left = processesMentioning(a.dataDir)
			return len(left) == 0
		})
		if !ok {
			a.t.Errorf("processes left after a dev-mode shutdown: %q", left)
		}
	}
	if strings.Contains(a.log.String(), "DATA RACE") {
		a.t.Errorf("the race detector fired in the agent")
	}
	if a.t.Failed() {
		a.t.Logf("agent log:\n%s", a.log.String())
	}
}

func (a *agentProc) client() *api.Client {
	return api.NewClient(filepath.Join(a.dataDir, api.SocketName))
}

type result struct {
	code           int
	stdout, stderr string
}

// yurt runs the CLI against this agent.
func (a *agentProc) yurt(args ...string) result {
	a.t.Helper()
	cmd := exec.Command(bins.yurt, args...)
	cmd.Env = append(os.Environ(), "HOME="+a.home, "YURT_ADDR="+filepath.Join(a.dataDir, api.SocketName))
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else {
		require.NoError(a.t, err)
	}
	return result{code: code, stdout: out.String(), stderr: errb.String()}
}

func (a *agentProc) mustYurt(args ...string) string {
	a.t.Helper()
	r := a.yurt(args...)
	require.Equal(a.t, 0, r.code, "yurt %v failed: %s%s", args, r.stdout, r.stderr)
	return r.stdout
}

func (a *agentProc) task(ref string) api.Task {
	a.t.Helper()
	var t api.Task
	require.NoError(a.t, json.Unmarshal([]byte(a.mustYurt("status", ref, "--json")), &t))
	return t
}

func (a *agentProc) waitState(ref, state string) api.Task {
	a.t.Helper()
	var t api.Task
	ok := waitUntil(20*time.Second, func() bool {
		t = a.task(ref)
		return t.State == state
	})
	require.True(a.t, ok, "task %s: want state %s, have %+v", ref, state, t)
	return t
}

func (a *agentProc) logs(ref string, extra ...string) string {
	return a.mustYurt(append([]string{"logs"}, append(extra, ref)...)...)
}

func waitUntil(d time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		if cond() {
			return true
		}
		time.Sleep(50 * time.Millisecond)
	}
	return cond()
}

func writeFile(t *testing.T, name, content string) string {
	p := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(p, []byte(content), 0o600))
	return p
}

func shellTask(name, script string, extra string) string {
	return fmt.Sprintf(`task %q {
  driver = "testproc"
  config {
    command = "/bin/sh"
    args    = ["-c", %q]
  }
  kill_signal  = "SIGTERM"
  kill_timeout = "3s"
%s
}
`, name, script, extra)
}

const ticker = `echo "devices=$SIM_VISIBLE_DEVICES greeting=$GREETING"; echo "mounts=$FAKEPLUGIN_MOUNTS devs=$FAKEPLUGIN_DEVICES"; echo oops >&2; trap 'echo got-usr1' USR1; i=0; while :; do echo "tick $i"; i=$((i+1)); sleep 0.1; done`

func TestLifecycle(t *testing.T) {
	t.Parallel()
	a := startAgent(t)
	evCmd := exec.Command(bins.yurt, "events", "-f", "--json")
	evCmd.Env = append(os.Environ(), "HOME="+a.home, "YURT_ADDR="+filepath.Join(a.dataDir, api.SocketName))
	evOut := &syncBuf{}
	evCmd.Stdout = evOut
	require.NoError(t, evCmd.Start())
	t.Cleanup(func() { evCmd.Process.Kill(); evCmd.Wait() })
	file := writeFile(t, "web.hcl", shellTask("web", ticker, `
  env = { GREETING = "hello" }
  resources {
    memory = 32
    device "yurt/gpu/sim" { count = 2 }
  }`))
	out := a.mustYurt("run", file)
	assert.Contains(t, out, "web")
	tk := a.waitState("web", api.StateRunning)
	assert.Equal(t, map[string][]string{"yurt-testdevice": {"sim-0", "sim-1"}}, tk.Devices)
	// Nomad's alloc dir layout, FIFO paths and task id (client/allocdir,
	// logmon_hook.go, task_runner.go buildTaskConfig).
	assert.Regexp(t, `^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`, tk.AllocID)
	assert.Equal(t, filepath.Join(a.dataDir, "alloc", tk.AllocID), tk.AllocDir)
	assert.Regexp(t, `^`+tk.AllocID+`/web/[0-9a-f]{8}$`, tk.DriverTaskID)
	for _, d := range []string{"alloc/logs", "alloc/tmp", "alloc/data", "web/local", "web/secrets", "web/private", "web/tmp"} {
		assert.DirExists(t, filepath.Join(tk.AllocDir, d))
	}
	for _, s := range []string{"stdout", "stderr"} {
		fi, err := os.Stat(filepath.Join(tk.AllocDir, "alloc", "logs", ".web."+s+".fifo"))
		require.NoError(t, err)
		assert.NotZero(t, fi.Mode()&os.ModeNamedPipe, "%s FIFO", s)
	}
	require.True(t, waitUntil(5*time.Second, func() bool {
		return strings.Contains(evOut.String(), `"task_name":"web","message":"task started"`)
	}), "events -f delivers new events: %s", evOut.String())

	r0 := a.yurt("run", file)
	assert.Equal(t, 1, r0.code)
	assert.Contains(t, r0.stderr, `task "web" is already running (id `+tk.ID+`); stop it first`)

	// Logs: the reservation's env reached the task, stdout and stderr are separate.
	require.True(t, waitUntil(10*time.Second, func() bool { return strings.Contains(a.logs("web"), "tick 2\n") }))
	assert.Contains(t, a.logs("web"), "devices=sim-0,sim-1 greeting=hello\n")
	assert.Contains(t, a.logs("web"), "mounts=/sim/sim-0:/dev/null:true,/sim/sim-1:/dev/null:true devs=/dev/sim-0:/dev/null:rw,/dev/sim-1:/dev/null:rw\n",
		"the reservation's mounts and devices reach the TaskConfig")
	assert.Equal(t, "oops\n", a.logs("web", "-stderr"))
	var frame api.LogFrame
	require.NoError(t, json.Unmarshal([]byte(a.logs("web", "-stderr", "--json")), &frame))
	assert.Equal(t, api.LogFrame{Data: []byte("oops\n"), Index: 0, Offset: 5}, frame)

	// Both devices are taken: a second task asking for one is refused, naming the file and line.
	other := writeFile(t, "other.hcl", shellTask("other", "sleep 5", "  resources {\n    device \"gpu\" {}\n  }"))
	r := a.yurt("run", other)
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stderr, "other.hcl:10:5: task \"other\": device \"gpu\": need 1 healthy unreserved devices, 0 of 2 matching are free")

	var devs []api.DeviceGroup
	require.NoError(t, json.Unmarshal([]byte(a.mustYurt("device", "status", "--json")), &devs))
	require.Len(t, devs, 1)
	for _, d := range devs[0].Devices {
		assert.Equal(t, tk.ID, d.ReservedBy)
	}

	// The task environment Nomad's client/taskenv builds, the task's env on top.
	a.mustYurt("run", writeFile(t, "envcheck.hcl", shellTask("envcheck",
		`echo "A=$NOMAD_ALLOC_DIR T=$NOMAD_TASK_DIR S=$NOMAD_SECRETS_DIR ID=$NOMAD_ALLOC_ID SID=$NOMAD_SHORT_ALLOC_ID"; `+
			`echo "N=$NOMAD_ALLOC_NAME I=$NOMAD_ALLOC_INDEX TN=$NOMAD_TASK_NAME G=$NOMAD_GROUP_NAME J=$NOMAD_JOB_NAME JI=$NOMAD_JOB_ID"; `+
			`echo "NS=$NOMAD_NAMESPACE R=$NOMAD_REGION DC=$NOMAD_DC CPU=$NOMAD_CPU_LIMIT MEM=$NOMAD_MEMORY_LIMIT"`,
		"  env = { NOMAD_REGION = \"mine\" }\n  resources {\n    cpu    = 250\n    memory = 48\n  }")))
	ek := a.waitState("envcheck", api.StateExited)
	want := fmt.Sprintf("A=%[1]s/alloc T=%[1]s/envcheck/local S=%[1]s/envcheck/secrets ID=%[2]s SID=%[3]s\n"+
		"N=envcheck.envcheck[0] I=0 TN=envcheck G=envcheck J=envcheck JI=envcheck\n"+
		"NS=default R=mine DC=dc1 CPU=250 MEM=48\n", ek.AllocDir, ek.AllocID, ek.AllocID[:8])
	assert.Equal(t, want, a.logs("envcheck"))

	var plugins []api.Plugin
	require.NoError(t, json.Unmarshal([]byte(a.mustYurt("plugin", "status", "--json")), &plugins))
	require.Len(t, plugins, 2)
	// SetConfig carried the host's CPU topology as Nomad's client sends it.
	top := host.DetectTopology()
	for _, p := range plugins {
		assert.Equal(t, "running", p.State, p.File)
		assert.NotZero(t, p.Pid)
		if p.File == "yurt-testproc" {
			assert.Equal(t, fmt.Sprintf("%d/%d", top.TotalCompute(), len(top.Cores)), p.Attributes["driver.testproc.agent_compute"])
		}
	}

	var st api.Stats
	require.NoError(t, json.Unmarshal([]byte(a.mustYurt("stats", "web", "--json")), &st))
	assert.NotZero(t, st.MemoryRSS, "real RSS of the task's process")
	assert.Contains(t, a.mustYurt("stats", "web"), "Memory")
	assert.Regexp(t, `CPU\s+\d+/100 MHz`, a.mustYurt("stats", "web"), "total_ticks/limit MHz, as nomad alloc status -stats")

	// Signals reach the task.
	a.mustYurt("signal", "web", "USR1")
	require.True(t, waitUntil(10*time.Second, func() bool { return strings.Contains(a.logs("web"), "got-usr1") }))
	assert.Equal(t, 1, a.yurt("signal", "web", "SIGBOGUS").code)

	// Exec without and with a terminal.
	r = a.yurt("exec", "web", "--", "/bin/sh", "-c", `echo "in $GREETING"; tty; exit 3`)
	assert.Equal(t, 3, r.code, r.stderr)
	assert.Equal(t, "in hello\nnot a tty\n", r.stdout)
	r = a.yurt("exec", "-t", "web", "--", "/bin/sh", "-c", "tty")
	assert.Equal(t, 0, r.code, r.stderr)
	assert.Regexp(t, `^/dev/pts/\d+\r?\n$`, r.stdout)

	// Stop: the kill signal is SIGTERM and the exit code is real.
	a.mustYurt("stop", "web")
	tk = a.task("web")
	assert.Equal(t, api.StateExited, tk.State)
	require.NotNil(t, tk.ExitCode)
	assert.Equal(t, 143, *tk.ExitCode)
	assert.Equal(t, 15, tk.Signal)
	devs = nil
	require.NoError(t, json.Unmarshal([]byte(a.mustYurt("device", "status", "--json")), &devs))
	for _, d := range devs[0].Devices {
		assert.Empty(t, d.ReservedBy, "devices released after the task ended")
	}

	// A task that exits by itself reports its code; text and JSON status agree.
	short := writeFile(t, "short.hcl", shellTask("short", "echo done; exit 4", ""))
	a.mustYurt("run", short)
	tk = a.waitState("short", api.StateExited)
	assert.Equal(t, 4, *tk.ExitCode)
	assert.Equal(t, "done\n", a.logs("short", "-f"), "logs -f of an ended task returns")
	assert.Regexp(t, `short\s+short@\w+\s+testproc\s+exited\s+4`, a.mustYurt("status"))

	// Log rotation settings from the task file reach the collector.
	a.mustYurt("run", writeFile(t, "big.hcl", shellTask("big", `head -c 3500000 /dev/zero | tr '\0' a; echo; echo end`, "  logs {\n    max_files = 2\n    max_file_size = 1\n  }")))
	big := a.waitState("big", api.StateExited)
	require.True(t, waitUntil(10*time.Second, func() bool { return strings.HasSuffix(a.logs("big"), "a\nend\n") }))
	files, err := filepath.Glob(filepath.Join(big.TaskDir, "logs", "stdout.*"))
	require.NoError(t, err)
	assert.Len(t, files, 2, "max_files = 2")
	for _, f := range files {
		fi, err := os.Stat(f)
		require.NoError(t, err)
		assert.LessOrEqual(t, fi.Size(), int64(1<<20), "max_file_size = 1 (MiB)")
	}
	assert.Less(t, len(a.logs("big")), 2*(1<<20)+1)

	ev := a.mustYurt("events")
	assert.Contains(t, ev, "task started")
	assert.Contains(t, ev, "task exited: exit code 4")
	// Log files are private.
	fi, err := os.Stat(filepath.Join(tk.TaskDir, "logs", "stdout.0"))
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
	fi, err = os.Stat(filepath.Join(a.dataDir, api.SocketName))
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
}
