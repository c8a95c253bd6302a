package supervise

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
)

// The cgroup tests run each path that this host really has, as root:
// "v1" (memory, cpu, cpuacct, pids, freezer under /sys/fs/cgroup) and "v2"
// (a cgroup2 mount; if the host has none, the test mounts one). On a hybrid
// host (v1 controllers plus /sys/fs/cgroup/unified) the v2 hierarchy has no
// memory or cpu controller: the kernel binds a controller to one hierarchy,
// and v1's memory and cpu are in use, so v2's memory limit, CPU weight and
// OOM report cannot be exercised there and those checks are skipped with
// that reason. Everything else of v2 (CLONE_INTO_CGROUP, cgroup.kill,
// removal) runs on the real hierarchy. Not parallel: they set the
// environment variable that picks the path.

// withCgroup runs f with cgroup path version ("v1" or "v2") in force,
// skipping when this host cannot have it.
func withCgroup(t *testing.T, version string, f func(t *testing.T)) {
	t.Run(version, func(t *testing.T) {
		if os.Geteuid() != 0 {
			t.Skip("cgroups need root")
		}
		t.Setenv(cgroupEnv, version)
		if version == "v2" && cgroup2Mount() == "" {
			dir := t.TempDir()
			if err := unix.Mount("none", dir, "cgroup2", 0, ""); err != nil {
				t.Skipf("no cgroup2 mount and mounting one failed: %v", err)
			}
			t.Cleanup(func() { _ = unix.Unmount(dir, unix.MNT_DETACH) })
		}
		want := map[string]string{"v1": IsolationCgroupV1, "v2": IsolationCgroupV2}[version]
		if got := Isolation(); got != want {
			t.Skipf("cgroup %s not available here: Isolation() = %q", version, got)
		}
		f(t)
	})
}

// cgroupDirs lists the task's cgroup directories (every v1 controller's).
func cgroupDirs(t *testing.T, task *Task) []string {
	t.Helper()
	cg := task.taskCgroup()
	require.NotNil(t, cg, "started.pb records no cgroup (%q)", task.started.GetCgroup())
	return cg.dirs
}

func inCgroup(dir string, pid int) bool {
	b, _ := os.ReadFile(filepath.Join(dir, "cgroup.procs"))
	for _, f := range strings.Fields(string(b)) {
		if f == strconv.Itoa(pid) {
			return true
		}
	}
	return false
}

func assertRemoved(t *testing.T, dirs []string) {
	t.Helper()
	for _, d := range dirs {
		eventually(t, 5*time.Second, "cgroup "+d+" left behind", func() bool {
			_, err := os.Stat(d)
			return os.IsNotExist(err)
		})
	}
}

// A child that called setsid leaves the task's process group; once the
// supervisor is killed with SIGKILL no subreaper holds it either. Destroy
// still kills it, through the cgroup, and removes the cgroup.
func TestCgroupDestroyKillsEscapedChildAfterSupervisorDeath(t *testing.T) {
	for _, v := range []string{"v1", "v2"} {
		withCgroup(t, v, func(t *testing.T) {
			pidFile := filepath.Join(t.TempDir(), "bg.pid")
			task := start(t, sh("setsid sleep 3600 & echo $! > "+pidFile+"; exec sleep 3600"))
			dirs := cgroupDirs(t, task)
			bg, bgStart := pidFromFile(t, pidFile)
			for _, d := range dirs {
				assert.True(t, inCgroup(d, bg), "setsid child %d not in %s", bg, d)
				assert.True(t, inCgroup(d, task.PID()), "main process not in %s", d)
				assert.False(t, inCgroup(d, int(task.started.GetSupervisorPid())), "the supervisor is in its task's cgroup %s", d)
			}
			require.NoError(t, unix.Kill(int(task.started.GetSupervisorPid()), unix.SIGKILL))
			eventually(t, 5*time.Second, "supervisor survived SIGKILL", func() bool { return !task.supervisorAlive() })
			require.True(t, alive(bg, bgStart), "the setsid child died with its supervisor: nothing left to test")
			require.NoError(t, task.Destroy(context.Background()))
			eventually(t, 5*time.Second, "setsid child escaped Destroy", func() bool { return !alive(bg, bgStart) })
			assertRemoved(t, dirs)
		})
	}
}

// The normal end: the main process exits, the supervisor kills the rest of
// the cgroup (a setsid'd, double-forked grandchild too), records the exit
// and removes the cgroup.
func TestCgroupEndKillsEverythingAndRemovesIt(t *testing.T) {
	for _, v := range []string{"v1", "v2"} {
		withCgroup(t, v, func(t *testing.T) {
			tmp := t.TempDir()
			pidFile, goFile := filepath.Join(tmp, "bg.pid"), filepath.Join(tmp, "go")
			task := start(t, sh("(setsid sh -c 'sleep 3600 & echo $! > "+pidFile+"' &); while [ ! -e "+goFile+" ]; do sleep 0.01; done; exit 3"))
			dirs := cgroupDirs(t, task)
			bg, bgStart := pidFromFile(t, pidFile)
			require.NoError(t, os.WriteFile(goFile, nil, 0o600))
			res := wait(t, task, 20*time.Second)
			assert.Equal(t, 3, res.ExitCode)
			assert.False(t, res.OOMKilled)
			assert.False(t, alive(bg, bgStart), "double-forked grandchild outlived its task")
			assertRemoved(t, dirs)
		})
	}
}

// Limits land in the cgroup: v1 memory.limit_in_bytes and cpu.shares; v2
// memory.max and cpu.weight where the hierarchy has those controllers.
func TestCgroupLimits(t *testing.T) {
	for _, v := range []string{"v1", "v2"} {
		withCgroup(t, v, func(t *testing.T) {
			spec := Spec{Command: "sleep", Args: []string{"3600"}, Limits: Limits{MemoryBytes: 96 << 20, CPUShares: 512}}
			task := start(t, spec)
			cg := task.taskCgroup()
			require.NotNil(t, cg)
			mem, cpu := "memory.limit_in_bytes", "cpu.shares"
			wantCPU := "512"
			if v == "v2" {
				mem, cpu, wantCPU = "memory.max", "cpu.weight", strconv.FormatInt(sharesToWeight(512), 10)
			}
			if cg.file(mem) == "" {
				t.Skipf("%s: no %s in %s: this hierarchy has no memory controller (bound to v1 on a hybrid host)", v, mem, cg.path())
			}
			b, err := os.ReadFile(cg.file(mem))
			require.NoError(t, err)
			assert.Equal(t, strconv.Itoa(96<<20), strings.TrimSpace(string(b)))
			if p := cg.file(cpu); p != "" {
				b, err := os.ReadFile(p)
				require.NoError(t, err)
				assert.Equal(t, wantCPU, strings.TrimSpace(string(b)))
			}
			// Stats read the cgroup's memory accounting.
			s, err := task.Stats(nil, CPUHost{})
			require.NoError(t, err)
			usage, ok := readNumber(cg.file("memory.usage_in_bytes"))
			if !ok {
				usage, ok = readNumber(cg.file("memory.current"))
			}
			require.True(t, ok)
			assert.InDelta(t, float64(usage), float64(s.Total.Usage), float64(4<<20), "stats usage is not the cgroup's")
			assert.GreaterOrEqual(t, s.Total.MaxUsage, s.Total.Usage)
		})
	}
}

// A task over its memory limit is killed by the kernel's OOM killer, and
// the exit says so.
func TestCgroupOOMKillIsReported(t *testing.T) {
	for _, v := range []string{"v1", "v2"} {
		withCgroup(t, v, func(t *testing.T) {
			if v == "v2" {
				if b, _ := os.ReadFile(filepath.Join(cgroup2Mount(), "cgroup.controllers")); !strings.Contains(string(b), "memory") {
					t.Skip("v2: no memory controller in this hierarchy (bound to v1 on a hybrid host): no limit, no OOM kill to report")
				}
			}
			// dd reads 256 MiB into one buffer, touching every page.
			task := start(t, Spec{Command: "dd", Args: []string{"if=/dev/zero", "of=/dev/null", "bs=256M", "count=1"},
				Limits: Limits{MemoryBytes: 32 << 20}})
			dirs := cgroupDirs(t, task)
			res := wait(t, task, 30*time.Second)
			assert.True(t, res.OOMKilled, "exit %+v not reported as an OOM kill", res)
			assert.Equal(t, int(syscall.SIGKILL), res.Signal)
			assert.Equal(t, 128+int(syscall.SIGKILL), res.ExitCode)
			assertRemoved(t, dirs)
		})
	}
	// Without a limit the same program is not OOM-killed.
	if os.Geteuid() == 0 {
		t.Run("no limit", func(t *testing.T) {
			task := start(t, Spec{Command: "dd", Args: []string{"if=/dev/zero", "of=/dev/null", "bs=8M", "count=1"}})
			res := wait(t, task, 30*time.Second)
			assert.False(t, res.OOMKilled)
			assert.Equal(t, 0, res.ExitCode)
		})
	}
}

// Isolation names the path in force, and "none" turns cgroups off: then the
// task runs in no cgroup of its own, and the subreaper still kills a
// setsid'd child when the task ends.
func TestIsolationAndTheNoCgroupPath(t *testing.T) {
	t.Setenv(cgroupEnv, "none")
	assert.Equal(t, IsolationNone, Isolation())
	tmp := t.TempDir()
	pidFile, goFile := filepath.Join(tmp, "bg.pid"), filepath.Join(tmp, "go")
	task := start(t, sh("setsid sleep 3600 & echo $! > "+pidFile+"; while [ ! -e "+goFile+" ]; do sleep 0.01; done; exit 0"))
	assert.Empty(t, task.started.GetCgroup())
	bg, bgStart := pidFromFile(t, pidFile)
	require.NoError(t, os.WriteFile(goFile, nil, 0o600))
	res := wait(t, task, 20*time.Second)
	assert.Equal(t, 0, res.ExitCode)
	assert.False(t, alive(bg, bgStart), "setsid child outlived its task on the subreaper path")
}
