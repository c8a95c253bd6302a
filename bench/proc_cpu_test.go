package bench

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The CPU of a spinning child is its own (childrenOf finds it, ticksOf
// counts it), not its sleeping parent's; the machine's busy time grows with it.
func TestChildCPUIsCountedAsTheChilds(t *testing.T) {
	busy0, err := machineBusy()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	spin := filepath.Join(dir, "spin.sh")
	if err := os.WriteFile(spin, []byte("i=0\nwhile [ $i -lt 300000 ]; do i=$((i+1)); done\nexec sleep 30\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// parent (sleeps after starting) -> child sh (spins, then sleeps)
	cmd := exec.Command("/bin/sh", "-c", "/bin/sh "+spin+" & exec sleep 30")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL); _ = cmd.Wait() }()
	parent := cmd.Process.Pid
	var kids []int
	var child uint64
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) && child < 10 { // 0.1 s of CPU
		time.Sleep(200 * time.Millisecond)
		kids = childrenOf(parent)
		child = ticksOf(kids)
	}
	if len(kids) != 1 || child < 10 {
		t.Fatalf("children %v used %d ticks, want one child with >= 10", kids, child)
	}
	if own := ticksOf([]int{parent}); own > child/2 {
		t.Fatalf("the sleeping parent got the child's CPU: parent %d, child %d ticks", own, child)
	}
	busy1, err := machineBusy()
	if err != nil {
		t.Fatal(err)
	}
	if busy1 < busy0+child/2 {
		t.Fatalf("machine busy time grew by %d ticks while a process used %d", busy1-busy0, child)
	}
}

func TestWhyOfTheStartRateNamesTheCPUCeiling(t *testing.T) {
	r := &Results{Machine: Machine{CPUs: 2}, Agent: AgentResult{Scale: []ScalePoint{
		{Tasks: 200, Values: map[string]float64{"tasks_per_s": 90, "start_cpu_ms_per_task": 20, "start_cpu_ms_agent": 5, "start_cpu_ms_plugins": 9, "start_cpu_ms_rest": 5}},
		{Tasks: 600, Values: map[string]float64{"tasks_per_s": 80, "start_cpu_ms_per_task": 25, "start_cpu_ms_agent": 6, "start_cpu_ms_plugins": 10, "start_cpu_ms_rest": 7}},
	}}}
	got := why(r, TargetCheck{Name: "start", Metric: "tasks_per_s"})
	// (20*200 + 25*400) / 600 = 23.3 ms; 2000 / 23.3 = 86 tasks/s.
	for _, want := range []string{"a start cost 23.3 ms of CPU", "the agent 5.7", "2 cores start at most 86 tasks/s"} {
		if !strings.Contains(got, want) {
			t.Errorf("why lacks %q: %s", want, got)
		}
	}
}
