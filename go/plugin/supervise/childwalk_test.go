package supervise

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The supervisor finds its processes through the kernel's children lists
// (every thread's), down the whole tree, without reading the rest of /proc.
func TestChildrenWalkFollowsEveryThreadsList(t *testing.T) {
	proc := t.TempDir()
	// 10 has two threads (10, 11), each with children; 20 has a child; 99
	// is unrelated.
	for _, e := range []struct {
		pid, tid int
		children string
	}{{10, 10, "20 21"}, {10, 11, "22 "}, {20, 20, "30"}, {21, 21, ""}, {22, 22, ""}, {30, 30, ""}, {99, 99, "100"}} {
		dir := filepath.Join(proc, strconv.Itoa(e.pid), "task", strconv.Itoa(e.tid))
		require.NoError(t, os.MkdirAll(dir, 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(dir, "children"), []byte(e.children), 0o644))
	}
	got, ok := childrenWalk(proc, 10)
	require.True(t, ok)
	slices.Sort(got)
	assert.Equal(t, []int{20, 21, 22, 30}, got)
	_, ok = childrenWalk(proc, 7)
	assert.False(t, ok, "no list: the caller scans /proc")
}

// On this kernel the walk finds what a scan of all of /proc finds.
func TestChildrenOfMatchesAScanOfProc(t *testing.T) {
	cmd := exec.Command("sh", "-c", "sleep 30 & sleep 30 & echo started; wait")
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	_, err = bufio.NewReader(out).ReadString('\n')
	require.NoError(t, err)
	shell := cmd.Process.Pid
	parents := readParents()
	// Only the shell's tree: other tests of this process may run children.
	mine := func(pids []int) []int {
		var out []int
		for _, p := range pids {
			if p == shell || parents[p] == shell {
				out = append(out, p)
			}
		}
		slices.Sort(out)
		return out
	}
	walked := mine(childrenOf(os.Getpid()))
	scanned := mine(descendants(parents, os.Getpid()))
	for _, p := range append(walked, scanned...) {
		_ = syscall.Kill(p, syscall.SIGKILL)
	}
	_ = cmd.Wait()
	assert.Len(t, walked, 3, "the shell and its two sleeps: %v", walked)
	assert.Equal(t, scanned, walked)
}
