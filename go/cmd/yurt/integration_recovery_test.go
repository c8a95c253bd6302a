package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
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

	"github.com/yurt-sdk/yurt/go/api"
)

// Crash recovery, bad input and the Go examples under the real agent (the
// helpers are in integration_test.go).

func pidOf(t *testing.T, a *agentProc, file string) int {
	var plugins []api.Plugin
	require.NoError(t, json.Unmarshal([]byte(a.mustYurt("plugin", "status", "--json")), &plugins))
	for _, p := range plugins {
		if p.File == file {
			return p.Pid
		}
	}
	t.Fatalf("no plugin %s", file)
	return 0
}

// TestAgentCrashRecovery kills -9 the agent with tasks running: one keeps
// running, one exits while the agent is down. The restarted agent must
// reattach to the same plugin processes, recover the running task, report
// the other's real exit code, and a `logs -f` started before the crash must
// carry on.
func TestAgentCrashRecovery(t *testing.T) {
	t.Parallel()
	a := startAgent(t)
	a.mustYurt("run", writeFile(t, "long.hcl", shellTask("long", ticker, "")))
	// brief ends when told to, which the test does while the agent is down.
	a.mustYurt("run", writeFile(t, "brief.hcl", shellTask("brief", `while [ ! -e "$NOMAD_TASK_DIR/go" ]; do sleep 0.05; done; echo bye; exit 9`, "")))
	a.waitState("long", api.StateRunning)
	briefDir := localDir(a.waitState("brief", api.StateRunning))
	drvPid := pidOf(t, a, "yurt-testproc")

	follow := exec.Command(bins.yurt, "logs", "-f", "long")
	follow.Env = append(os.Environ(), "HOME="+a.home, "YURT_ADDR="+filepath.Join(a.dataDir, api.SocketName))
	fout, err := follow.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, follow.Start())
	t.Cleanup(func() { follow.Process.Kill(); follow.Wait() })
	lines := make(chan string, 10000)
	go func() {
		sc := bufio.NewScanner(fout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()

	a.kill9()
	require.NoError(t, os.WriteFile(filepath.Join(briefDir, "go"), nil, 0o600))
	time.Sleep(time.Second) // brief exits, long keeps writing, while the agent is down
	a.start()

	assert.Equal(t, drvPid, pidOf(t, a, "yurt-testproc"), "the same plugin process is reattached")
	var plugins []api.Plugin
	require.NoError(t, json.Unmarshal([]byte(a.mustYurt("plugin", "status", "--json")), &plugins))
	for _, p := range plugins {
		assert.True(t, p.Reattached, p.File)
		assert.Equal(t, 0, p.Launches, p.File)
	}
	tk := a.waitState("brief", api.StateExited)
	require.NotNil(t, tk.ExitCode)
	assert.Equal(t, 9, *tk.ExitCode, "real exit code of a task that ended while the agent was down")
	assert.Equal(t, "bye\n", a.logs("brief"))
	a.waitState("long", api.StateRunning)

	// The follower sees lines written after the restart.
	last := -1
	deadline := time.After(20 * time.Second)
	restartTick := -1
	n0 := strings.Count(a.logs("long"), "tick ")
	for restartTick < 0 || last < restartTick+5 {
		select {
		case l, ok := <-lines:
			require.True(t, ok, "logs -f ended early")
			if n, err := strconv.Atoi(strings.TrimPrefix(l, "tick ")); err == nil {
				if last >= 0 {
					require.Equal(t, last+1, n, "no line lost or repeated across the restart")
				}
				last = n
				if restartTick < 0 {
					restartTick = n0
				}
			}
		case <-deadline:
			t.Fatalf("logs -f stalled at tick %d (restart at %d)", last, restartTick)
		}
	}

	a.mustYurt("stop", "long")
	tk = a.task("long")
	assert.Equal(t, 143, *tk.ExitCode)
}

// TestPluginCrashRecovery kills -9 the driver plugin: the agent must notice,
// launch a new one, recover the task in it, and still control the task.
func TestPluginCrashRecovery(t *testing.T) {
	t.Parallel()
	a := startAgent(t)
	a.mustYurt("run", writeFile(t, "long.hcl", shellTask("long", ticker, "")))
	a.waitState("long", api.StateRunning)
	old := pidOf(t, a, "yurt-testproc")
	require.NoError(t, syscall.Kill(old, syscall.SIGKILL))

	var p api.Plugin
	require.True(t, waitUntil(15*time.Second, func() bool {
		var ps []api.Plugin
		if json.Unmarshal([]byte(a.mustYurt("plugin", "status", "--json")), &ps) != nil {
			return false
		}
		for _, x := range ps {
			if x.File == "yurt-testproc" {
				p = x
			}
		}
		return p.State == "running" && p.Pid != old && p.Pid != 0
	}), "plugin relaunched: %+v", p)
	assert.Contains(t, a.mustYurt("events"), "task recovered by yurt-testproc")
	a.waitState("long", api.StateRunning)

	// The new process controls the recovered task.
	r := a.yurt("exec", "long", "--", "/bin/echo", "still here")
	assert.Equal(t, "still here\n", r.stdout, r.stderr)
	a.mustYurt("stop", "long")
	tk := a.task("long")
	require.NotNil(t, tk.ExitCode)
	assert.Equal(t, 143, *tk.ExitCode)
}

func TestBadTaskFiles(t *testing.T) {
	t.Parallel()
	a := startAgent(t)
	cases := []struct{ name, src, want string }{
		{"syntax", "task \"x\" {\n  driver = \n}\n", "bad.hcl:2:"},
		{"unknown driver", "task \"x\" {\n  driver = \"docker\"\n}\n", `bad.hcl:1:1: task "x": no driver plugin named "docker"; loaded drivers: testproc`},
		{"driver schema", "task \"x\" {\n  driver = \"testproc\"\n  config {\n    command = \"/bin/true\"\n    image = \"x\"\n  }\n}\n", `bad.hcl:5:5: Unsupported argument; An argument named "image" is not expected here.`},
		{"missing required", "task \"x\" {\n  driver = \"testproc\"\n  config {}\n}\n", `bad.hcl:3:10: Missing required argument; The argument "command" is required`},
		{"unknown device", "task \"x\" {\n  driver = \"testproc\"\n  config {\n    command = \"/bin/true\"\n  }\n  resources {\n    device \"nvidia/gpu\" {}\n  }\n}\n", `device "nvidia/gpu": no device plugin offers such a device; available: yurt/gpu/sim`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := a.yurt("run", writeFile(t, "bad.hcl", tc.src))
			assert.Equal(t, 1, r.code)
			assert.Contains(t, r.stderr, tc.want)
		})
	}
	// Two tasks that each fit but not together: neither starts, nothing stays reserved.
	two := shellTask("one", "sleep 30", "  resources {\n    device \"gpu\" { count = 2 }\n  }") +
		shellTask("two", "sleep 30", "  resources {\n    device \"gpu\" { count = 1 }\n  }")
	r := a.yurt("run", writeFile(t, "two.hcl", two))
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stderr, `task "two": device "gpu": need 1 healthy unreserved devices, 0 of 2 matching are free`)
	assert.NotContains(t, a.mustYurt("device", "status"), "one@")
	assert.Equal(t, "[]\n", a.mustYurt("status", "--json"), "no task was created by a bad file")
	r = a.yurt("status", "nope")
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stderr, `no task with name or id "nope"`)
	r = a.yurt("run", "/does/not/exist.hcl")
	assert.Contains(t, r.stderr, "/does/not/exist.hcl: no such file")
}

func runAgentExpectFailure(t *testing.T, args ...string) string {
	t.Helper()
	cmd := exec.Command(bins.yurt, args...)
	cmd.Env = append(os.Environ(), "HOME="+t.TempDir())
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	done := make(chan error, 1)
	require.NoError(t, cmd.Start())
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		ee, ok := err.(*exec.ExitError)
		require.True(t, ok, "agent should fail; output:\n%s", out.String())
		assert.Equal(t, 1, ee.ExitCode())
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("agent did not exit:\n%s", out.String())
	}
	return out.String()
}

func TestBadAgentConfig(t *testing.T) {
	t.Parallel()
	dir := shortTemp(t)
	plugins := filepath.Join(dir, "plugins")
	require.NoError(t, os.MkdirAll(plugins, 0o700))
	for _, f := range []string{"yurt-testproc", "yurt-testdevice"} {
		b, err := os.ReadFile(filepath.Join(bins.pluginDir, f))
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(plugins, f), b, 0o700))
	}
	require.NoError(t, os.WriteFile(filepath.Join(plugins, "not-exec"), []byte("#!/bin/sh\n"), 0o600))
	cases := []struct{ name, cfg, want string }{
		{"bad plugin config", "plugin \"yurt-testproc\" {\n  config {\n    label = \"x\"\n    colour = \"red\"\n  }\n}\n",
			`agent.hcl:4:5: Unsupported argument; An argument named "colour" is not expected here.`},
		{"bad plugin config type", "plugin \"yurt-testdevice\" {\n  config {\n    count = \"many\"\n  }\n}\n",
			`agent.hcl:3:13: Incorrect attribute value type; Inappropriate value for attribute "count": a number is required.`},
		{"missing plugin", "plugin \"yurt-nope\" {}\n", `agent.hcl:1:1: plugin "yurt-nope": no executable ` + plugins + `/yurt-nope in plugin_dir`},
		{"not executable", "plugin \"not-exec\" {}\n", `plugin "not-exec": ` + plugins + `/not-exec is not executable (mode -rw-------); chmod +x it`},
		{"agent file syntax", "plugin_dir = \n", `agent.hcl:1:`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := filepath.Join(dir, "agent.hcl")
			require.NoError(t, os.WriteFile(cfg, []byte(fmt.Sprintf("data_dir = %q\nplugin_dir = %q\n%s", filepath.Join(dir, "data"), plugins, tc.cfg)), 0o600))
			// The two header lines shift line numbers by 2.
			want := tc.want
			if strings.HasPrefix(want, "agent.hcl:") {
				var line int
				var rest string
				fmt.Sscanf(strings.TrimPrefix(want, "agent.hcl:"), "%d%s", &line, &rest)
				idx := strings.Index(want[len("agent.hcl:"):], ":") + len("agent.hcl:")
				want = fmt.Sprintf("agent.hcl:%d%s", line+2, want[idx:])
			}
			out := runAgentExpectFailure(t, "agent", "-config", cfg)
			assert.Contains(t, out, want)
		})
	}
	// No plugin process is left behind by a failed start.
	out, _ := exec.Command("pgrep", "-f", filepath.Join(plugins, "yurt-testproc")).Output()
	assert.Empty(t, strings.TrimSpace(string(out)))
}

var _ = io.Discard

// TestBrokenUnconfiguredPlugin: an executable without a plugin block that
// is not a working plugin does not stop the agent; plugin status says why.
func TestBrokenUnconfiguredPlugin(t *testing.T) {
	t.Parallel()
	dir := shortTemp(t)
	plugins := filepath.Join(dir, "plugins")
	require.NoError(t, os.MkdirAll(plugins, 0o700))
	b, err := os.ReadFile(filepath.Join(bins.pluginDir, "yurt-testproc"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(plugins, "yurt-testproc"), b, 0o700))
	require.NoError(t, os.WriteFile(filepath.Join(plugins, "broken"), []byte("#!/bin/sh\necho 'I am not a plugin' >&2\nexit 3\n"), 0o700))
	a := &agentProc{t: t, dataDir: filepath.Join(dir, "data"), home: dir,
		args: []string{"agent", "-dev", "-data-dir", filepath.Join(dir, "data"), "-plugin-dir", plugins}}
	a.start()
	t.Cleanup(a.shutdown)
	var ps []api.Plugin
	require.NoError(t, json.Unmarshal([]byte(a.mustYurt("plugin", "status", "--json")), &ps))
	require.Len(t, ps, 2)
	byFile := map[string]api.Plugin{}
	for _, p := range ps {
		byFile[p.File] = p
	}
	assert.Equal(t, "failed", byFile["broken"].State)
	assert.Contains(t, byFile["broken"].Error, "plugin "+filepath.Join(plugins, "broken")+": launch:")
	assert.Equal(t, "running", byFile["yurt-testproc"].State)
	assert.Contains(t, a.mustYurt("plugin", "status"), "failed")
}

// TestAgentAndPluginBothDie: with the agent and the driver plugin both
// killed, the restarted agent cannot reattach, launches a new plugin and
// recovers the task into it.
func TestAgentAndPluginBothDie(t *testing.T) {
	t.Parallel()
	a := startAgent(t)
	a.mustYurt("run", writeFile(t, "long.hcl", shellTask("long", ticker, "")))
	a.waitState("long", api.StateRunning)
	drvPid := pidOf(t, a, "yurt-testproc")
	a.kill9()
	require.NoError(t, syscall.Kill(drvPid, syscall.SIGKILL))
	a.start()
	var ps []api.Plugin
	require.NoError(t, json.Unmarshal([]byte(a.mustYurt("plugin", "status", "--json")), &ps))
	for _, p := range ps {
		if p.File == "yurt-testproc" {
			assert.False(t, p.Reattached)
			assert.Equal(t, 1, p.Launches)
			assert.NotEqual(t, drvPid, p.Pid)
		}
	}
	a.waitState("long", api.StateRunning)
	before := strings.Count(a.logs("long"), "tick ")
	require.True(t, waitUntil(5*time.Second, func() bool { return strings.Count(a.logs("long"), "tick ") > before+3 }), "task still writing")
	a.mustYurt("stop", "long")
	assert.Equal(t, 143, *a.task("long").ExitCode)
}

// TestGoExamples runs the Go example plugins (examples/go: the go-exec
// driver and the go-files device) next to the test plugins: devices of
// two plugins with the same IDs, exec with a terminal, agent and plugin
// crash recovery with the example driver's own supervisor.
func TestGoExamples(t *testing.T) {
	t.Parallel()
	if bins.examplesDir == "" {
		t.Skip("examples/go is not in this checkout")
	}
	dir := shortTemp(t)
	plugins := filepath.Join(dir, "plugins")
	require.NoError(t, os.MkdirAll(plugins, 0o700))
	for _, src := range []string{
		filepath.Join(bins.examplesDir, "go-exec"), filepath.Join(bins.examplesDir, "go-files"),
		filepath.Join(bins.pluginDir, "yurt-testproc"), filepath.Join(bins.pluginDir, "yurt-testdevice"),
	} {
		require.NoError(t, os.Symlink(src, filepath.Join(plugins, filepath.Base(src))))
	}
	cfg := filepath.Join(dir, "agent.hcl")
	require.NoError(t, os.WriteFile(cfg, []byte("plugin \"go-files\" {\n  config {\n    simulated = 2\n  }\n}\n"), 0o600))
	a := &agentProc{t: t, dataDir: filepath.Join(dir, "data"), home: dir,
		args: []string{"agent", "-dev", "-config", cfg, "-data-dir", filepath.Join(dir, "data"), "-plugin-dir", plugins}}
	a.start()
	t.Cleanup(a.shutdown)

	exTask := func(name, script, extra string) string {
		return strings.Replace(shellTask(name, script, extra), `driver = "testproc"`, `driver = "go-exec"`, 1)
	}
	// Both device plugins number their devices sim-0, sim-1: taking all of
	// one plugin's must leave the other's free.
	a.mustYurt("run", writeFile(t, "tp.hcl", shellTask("tp", "sleep 60", "  resources {\n    device \"yurt/gpu/sim\" { count = 2 }\n  }")))
	a.mustYurt("run", writeFile(t, "ex.hcl", exTask("ex", `echo "files=$YURT_FILES_DEVICES"; i=0; while :; do echo "tick $i"; i=$((i+1)); sleep 0.1; done`,
		"  resources {\n    device \"yurt/file\" { count = 2 }\n  }")))
	tk := a.waitState("ex", api.StateRunning)
	assert.Equal(t, map[string][]string{"go-files": {"sim-0", "sim-1"}}, tk.Devices)
	require.True(t, waitUntil(10*time.Second, func() bool { return strings.Contains(a.logs("ex"), "files=sim-0,sim-1\n") }), a.logs("ex"))
	r := a.yurt("exec", "-t", "ex", "--", "/bin/sh", "-c", "tty")
	assert.Equal(t, 0, r.code, r.stderr)
	assert.Regexp(t, `^/dev/pts/\d+\r?\n$`, r.stdout)

	// Agent crash: a task ends while the agent is down; its code is real.
	a.mustYurt("run", writeFile(t, "brief.hcl", exTask("brief", `while [ ! -e "$NOMAD_TASK_DIR/go" ]; do sleep 0.05; done; exit 5`, "")))
	briefDir := localDir(a.waitState("brief", api.StateRunning))
	exPid := pidOf(t, a, "go-exec")
	a.kill9()
	require.NoError(t, os.WriteFile(filepath.Join(briefDir, "go"), nil, 0o600))
	time.Sleep(time.Second)
	a.start()
	assert.Equal(t, exPid, pidOf(t, a, "go-exec"), "reattached to the same go-exec process")
	tk = a.waitState("brief", api.StateExited)
	assert.Equal(t, 5, *tk.ExitCode)
	a.waitState("ex", api.StateRunning)

	// Plugin crash: go-exec is relaunched and recovers ex from its handle.
	require.NoError(t, syscall.Kill(exPid, syscall.SIGKILL))
	require.True(t, waitUntil(15*time.Second, func() bool {
		p := pidOf(t, a, "go-exec")
		return p != 0 && p != exPid && strings.Contains(a.mustYurt("events"), "task recovered by go-exec")
	}))
	before := strings.Count(a.logs("ex"), "tick ")
	require.True(t, waitUntil(5*time.Second, func() bool { return strings.Count(a.logs("ex"), "tick ") > before+3 }), "ex keeps running")
	a.mustYurt("stop", "ex")
	tk = a.task("ex")
	require.NotNil(t, tk.ExitCode)
	assert.Equal(t, 143, *tk.ExitCode)
	a.mustYurt("stop", "tp")
}

// stopGracefully sends SIGTERM and waits for the agent to exit 0.
func (a *agentProc) stopGracefully() {
	a.t.Helper()
	require.NoError(a.t, a.cmd.Process.Signal(syscall.SIGTERM))
	require.NoError(a.t, a.cmd.Wait(), a.log.String())
}

// TestGracefulRestartKeepsTasks: outside dev mode, stopping the agent
// leaves plugins and tasks running, and the next agent reattaches.
func TestGracefulRestartKeepsTasks(t *testing.T) {
	t.Parallel()
	dir := shortTemp(t)
	cfg := filepath.Join(dir, "agent.hcl")
	require.NoError(t, os.WriteFile(cfg, []byte(fmt.Sprintf("data_dir = \"data\"\nplugin_dir = %q\n", bins.pluginDir)), 0o600))
	a := &agentProc{t: t, dataDir: filepath.Join(dir, "data"), home: dir, args: []string{"agent", "-config", cfg}}
	a.start()
	t.Cleanup(a.shutdown)
	a.mustYurt("run", writeFile(t, "long.hcl", shellTask("long", ticker, "")))
	a.waitState("long", api.StateRunning)
	drv := pidOf(t, a, "yurt-testproc")
	out := runAgentExpectFailure(t, "agent", "-config", cfg)
	assert.Contains(t, out, "locked by another process (is another yurt agent using this data_dir?)", "a second agent on the same data dir")
	a.stopGracefully()
	require.NoError(t, syscall.Kill(drv, 0), "the plugin outlives a graceful agent stop")
	a.start()
	assert.Equal(t, drv, pidOf(t, a, "yurt-testproc"))
	a.waitState("long", api.StateRunning)
	// Finish in dev mode so that cleanup stops the task and the plugins.
	a.stopGracefully()
	a.args = []string{"agent", "-dev", "-config", cfg}
	a.start()
	a.mustYurt("stop", "long")
	assert.Equal(t, 143, *a.task("long").ExitCode)
}

// processesMentioning lists the command lines of live processes that
// contain s.
func processesMentioning(s string) []string {
	var out []string
	ents, _ := os.ReadDir("/proc")
	for _, e := range ents {
		if _, err := strconv.Atoi(e.Name()); err != nil {
			continue
		}
		b, err := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		if err != nil || !strings.Contains(string(b), s) {
			continue
		}
		if st, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat")); err == nil {
			if i := strings.LastIndexByte(string(st), ')'); i > 0 && len(st) > i+2 && st[i+2] == 'Z' {
				continue
			}
		}
		out = append(out, strings.ReplaceAll(string(b), "\x00", " "))
	}
	return out
}

// localDir is a task's NOMAD_TASK_DIR: <alloc dir>/<task>/local in Nomad's
// layout (client/allocdir).
func localDir(tk api.Task) string { return filepath.Join(tk.AllocDir, tk.Name, "local") }
