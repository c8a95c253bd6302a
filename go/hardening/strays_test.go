package hardening

import (
	"os/exec"
	"testing"

	"github.com/stretchr/testify/require"

	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// A stray is anything of a chaos run that outlives the agent's graceful
// shutdown: a process whose command line names one of the run's directories
// (a plugin, a task supervisor `<plugin> yurt-supervise <state dir>`, a log
// collector) or a supervision state directory (one holding spec.pb, the
// format of proto/yurt/supervise/v1) left on disk. Counting tasks alone
// missed both (issue 15).

// strayProcesses returns pid -> command line of live processes whose command
// line mentions any of dirs, other than this test process.
func strayProcesses(dirs ...string) map[int]string {
	out := map[int]string{}
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == os.Getpid() {
			continue
		}
		raw, err := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		if err != nil || len(raw) == 0 {
			continue // gone, or a zombie: nothing left to leak
		}
		cmd := string(bytes.ReplaceAll(bytes.TrimRight(raw, "\x00"), []byte{0}, []byte{' '}))
		for _, d := range dirs {
			if d != "" && strings.Contains(cmd, d) {
				out[pid] = cmd
				break
			}
		}
	}
	return out
}

// staleStateDirs returns every supervision state directory (one holding
// spec.pb) under root.
func staleStateDirs(root string) []string {
	var out []string
	_ = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && d.Name() == "spec.pb" {
			out = append(out, filepath.Dir(path))
		}
		return nil
	})
	return out
}

// checkNoStrays fails the run for each stray process (killed afterwards) and
// each stale state directory, and counts them in the figures.
func (w *world) checkNoStrays() {
	var left map[int]string
	waitFor(10*time.Second, func() bool {
		left = strayProcesses(w.base, w.agent.dataDir)
		return len(left) == 0
	})
	for pid, cmd := range left {
		w.fig.OrphanProcesses++
		w.t.Errorf("process %d outlived the agent: %s", pid, cmd)
		_ = syscall.Kill(pid, syscall.SIGKILL)
	}
	for _, d := range append(staleStateDirs(w.base), staleStateDirs(w.agent.dataDir)...) {
		w.fig.StaleStateDirs++
		w.t.Errorf("supervision state directory left behind: %s", d)
	}
}

// TestStrayAccounting proves the two checks can fail: a process naming a
// run's directory and a state directory with spec.pb are both found.
func TestStrayAccounting(t *testing.T) {
	dir := shortTemp(t)
	state := filepath.Join(dir, "alloc", "task", "private", "supervise")
	require.NoError(t, os.MkdirAll(state, 0o700))
	require.NoError(t, os.WriteFile(filepath.Join(state, "spec.pb"), nil, 0o600))
	require.Equal(t, []string{state}, staleStateDirs(dir))

	cmd := exec.Command("sh", "-c", "sleep 60", dir)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // sh and its sleep, killed together
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL); _ = cmd.Wait() })
	var got map[int]string
	// Until the child has exec'd, its command line is still this test's.
	waitFor(20*time.Second, func() bool {
		got = strayProcesses(dir)
		_, ok := got[cmd.Process.Pid]
		return ok
	})
	if _, ok := got[cmd.Process.Pid]; !ok {
		raw, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(cmd.Process.Pid), "cmdline"))
		t.Fatalf("pid %d not found; its cmdline %q (%v); found %v", cmd.Process.Pid, raw, err, got)
	}
	require.Equal(t, "sh -c sleep 60 "+dir, got[cmd.Process.Pid])
	require.NotContains(t, strayProcesses(filepath.Join(dir, "elsewhere")), cmd.Process.Pid)
}
