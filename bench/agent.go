package bench

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"time"

	"github.com/yurt-sdk/yurt/go/api"
)

// AgentScale is the host-scale measurement: `yurt agent -dev` with NPlugins
// plugins in its plugin dir, filled with long-running tasks spread round-robin
// over Drivers (the process drivers of the three SDKs) up to each of Steps
// (e.g. 200, 500, 1000, 2000), measured at each step; then the agent is
// killed with SIGKILL and started again on the same data dir (reattach),
// and every task is stopped through the API.
//
// The agent refuses two plugins of the same type and name, and the examples
// have fixed names, so the plugin dir holds each example once and is filled
// up to NPlugins with symlinks to Filler (the Go floor, which names itself
// after its file and answers what the agent needs to hold a driver).
type AgentScale struct {
	Yurt     string   // the yurt binary
	Plugins  []string // distinct plugin executables, among them the Drivers' plugins
	Filler   string   // executable linked as <name>-1, <name>-2, ... to reach NPlugins
	Config   string   // agent file body (plugin blocks), may be empty
	NPlugins int
	Steps    []int    // task counts to measure at, ascending
	Drivers  []string // driver names the tasks go to, round-robin
	Scratch  string
	Log      func(string, ...any)
}

// agentProc is one run of `yurt agent` on the scale test's data dir.
type agentProc struct {
	cmd     *exec.Cmd
	done    chan struct{}
	waitErr error
	log     string
}

func (s AgentScale) startAgent(args []string, env []string, logPath string) (*agentProc, error) {
	logf, err := os.OpenFile(logPath, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	defer logf.Close()
	cmd := exec.Command(s.Yurt, args...)
	cmd.Stdout, cmd.Stderr, cmd.Env = logf, logf, env
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p := &agentProc{cmd: cmd, done: make(chan struct{}), log: logPath}
	go func() { p.waitErr = cmd.Wait(); close(p.done) }()
	return p, nil
}

func (p *agentProc) exited() error {
	select {
	case <-p.done:
		log, _ := os.ReadFile(p.log)
		return fmt.Errorf("agent exited (%v): %s", p.waitErr, lastLines(string(log), 3))
	default:
		return nil
	}
}

// Run measures; on failure it returns what it has with an error.
func (s AgentScale) Run(ctx context.Context) (map[string]float64, []ScalePoint, error) {
	v := map[string]float64{}
	var points []ScalePoint
	if len(s.Steps) == 0 || len(s.Drivers) == 0 {
		return v, nil, errNoSteps
	}
	if _, err := os.Stat(s.Yurt); err != nil {
		return v, nil, fmt.Errorf("yurt binary: %w", err)
	}
	work, err := os.MkdirTemp(s.Scratch, "agent-")
	if err != nil {
		return v, nil, err
	}
	defer os.RemoveAll(work)
	pdir, data := filepath.Join(work, "plugins"), filepath.Join(work, "data")
	if err := os.MkdirAll(pdir, 0o755); err != nil {
		return v, nil, err
	}
	for i := 0; i < s.NPlugins; i++ {
		src, name := s.Filler, fmt.Sprintf("%s-%d", filepath.Base(s.Filler), i+1)
		if i < len(s.Plugins) {
			src, name = s.Plugins[i], filepath.Base(s.Plugins[i])
		}
		if _, err := os.Stat(src); err != nil {
			return v, nil, fmt.Errorf("plugin for the agent: %w", err)
		}
		if err := os.Symlink(src, filepath.Join(pdir, name)); err != nil {
			return v, nil, err
		}
	}
	cfgFile := filepath.Join(work, "agent.hcl")
	if err := os.WriteFile(cfgFile, []byte(s.Config), 0o644); err != nil {
		return v, nil, err
	}
	logPath := filepath.Join(s.Scratch, "agent.log")
	if p := os.Getenv("YURT_BENCH_AGENT_LOG"); p != "" {
		logPath = p // kept after the run
	}
	_ = os.Remove(logPath)
	// YURT_BENCH_AGENT_LOG_LEVEL=info shows the agent's own timings (e.g.
	// of recovery) in its log when profiling a run.
	level := os.Getenv("YURT_BENCH_AGENT_LOG_LEVEL")
	if level == "" {
		level = "warn"
	}
	args := []string{"agent", "-dev", "-config", cfgFile, "-data-dir", data, "-plugin-dir", pdir, "-log-level", level}
	env := append(os.Environ(), "HOME="+work)
	ag, err := s.startAgent(args, env, logPath)
	if err != nil {
		return v, nil, err
	}
	defer func() {
		// -dev stops every task and plugin on SIGINT.
		_ = ag.cmd.Process.Signal(syscall.SIGINT)
		select {
		case <-ag.done:
		case <-time.After(5 * time.Minute):
			_ = ag.cmd.Process.Kill()
			<-ag.done
		}
	}()
	c := api.NewClient(filepath.Join(data, api.SocketName))

	// Wait for every plugin to be running (or failed).
	deadline := time.Now().Add(2 * time.Minute)
	for {
		ps, err := c.Plugins(ctx)
		running, pending := 0, 0
		for _, p := range ps {
			switch p.State {
			case "running":
				running++
			case "starting", "":
				pending++
			}
		}
		if err == nil && len(ps) == s.NPlugins && pending == 0 {
			v["plugins_running"] = float64(running)
			break
		}
		if err := ag.exited(); err != nil {
			return v, nil, err
		}
		if time.Now().After(deadline) {
			return v, nil, fmt.Errorf("plugins not all started after 2m: %d listed, err %v", len(ps), err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	time.Sleep(time.Second)
	_, base, _, _, _ := treeRSS(ag.cmd.Process.Pid)
	v["tree_pss_mib_no_tasks"] = float64(base) / mib
	s.Log("  agent: %v plugins running (tree PSS %.0f MiB); drivers %s; steps %v", v["plugins_running"], float64(base)/mib,
		strings.Join(s.Drivers, ", "), s.Steps)

	have := 0
	var starting time.Duration // submissions to all running, summed over the steps
	for _, n := range s.Steps {
		pt, err := s.fill(ctx, c, ag, have, n, base)
		points = append(points, pt)
		if err != nil {
			return v, points, err
		}
		have = n
		starting += time.Duration(pt.Values["batch_s"] * float64(time.Second))
	}
	total := starting
	last := points[len(points)-1].Values
	for k, x := range last {
		v[k] = x
	}
	v["start_all_s"] = total.Seconds()
	v["tasks_per_s"] = float64(have) / total.Seconds()

	// Reattach: SIGKILL the agent, start it again on the same data dir.
	if err := ag.cmd.Process.Kill(); err != nil {
		return v, points, err
	}
	<-ag.done
	restart := time.Now()
	if ag, err = s.startAgent(args, env, logPath); err != nil {
		return v, points, err
	}
	running, lost, err := s.awaitRunning(ctx, c, ag, have, 2*time.Minute)
	v["reattach_s"] = time.Since(restart).Seconds()
	v["reattach_running"], v["reattach_lost"] = float64(running), float64(lost)
	s.Log("  agent: SIGKILL and restart: %d of %d tasks running again after %.1fs, %d lost", running, have, v["reattach_s"], lost)
	if err != nil {
		return v, points, fmt.Errorf("reattach: %w", err)
	}

	// Stop every task through the API.
	ts, err := c.Tasks(ctx)
	if err != nil {
		return v, points, err
	}
	start := time.Now()
	errs := parallel(len(ts), 8, func(i int) error { _, err := c.Stop(ctx, ts[i].ID); return err })
	v["stop_all_s"] = time.Since(start).Seconds()
	v["stop_tasks_per_s"] = float64(len(ts)) / v["stop_all_s"]
	s.Log("  agent: stopped %d tasks in %.1fs", len(ts), v["stop_all_s"])
	if len(errs) > 0 {
		return v, points, fmt.Errorf("%d of %d stops failed, first: %w", len(errs), len(ts), errs[0])
	}
	return v, points, nil
}

// fill starts tasks have..n-1 and measures the agent holding n tasks.
func (s AgentScale) fill(ctx context.Context, c *api.Client, ag *agentProc, have, n int, base uint64) (ScalePoint, error) {
	pt := ScalePoint{Tasks: n, Values: map[string]float64{}}
	v := pt.Values
	// The plugins are the agent's children while it runs (one that restarted
	// meanwhile is missed, so their figure can only be low).
	plugins := childrenOf(ag.cmd.Process.Pid)
	agent0, plugins0 := ticksOf([]int{ag.cmd.Process.Pid}), ticksOf(plugins)
	busy0, busyErr := machineBusy()
	start := time.Now()
	errs := parallel(n-have, 8, func(j int) error {
		i := have + j
		drv := s.Drivers[i%len(s.Drivers)]
		src := fmt.Sprintf("task \"bench-%d\" {\n  driver = %q\n  config {\n    command = \"/bin/sleep\"\n    args = [\"3600\"]\n  }\n}\n", i, drv)
		_, err := c.Run(ctx, api.RunRequest{File: fmt.Sprintf("bench-%d.hcl", i), Source: src})
		return err
	})
	if len(errs) > 0 {
		return pt, fmt.Errorf("%d of %d task submissions failed, first: %w", len(errs), n-have, errs[0])
	}
	running, ended, err := s.awaitRunning(ctx, c, ag, n, 5*time.Minute)
	el := time.Since(start)
	v["tasks_running"] = float64(running)
	if err != nil {
		return pt, err
	}
	if ended > 0 {
		return pt, fmt.Errorf("%d tasks ended early", ended)
	}
	v["batch_s"] = el.Seconds()
	v["tasks_per_s"] = float64(n-have) / el.Seconds()
	// What a start costs in CPU, whoever spends it: the machine's busy time
	// over the fill (the bench's clients and anything else running count
	// too, so on a quiet machine this is the start path's cost), and the
	// agent's tree by role. At that cost the machine's CPUs allow at most
	// cpus / cost starts a second, whatever runs in parallel.
	if busy1, err := machineBusy(); err == nil && busyErr == nil && busy1 > busy0 {
		started := float64(n - have)
		perTask := ticksToMS(busy1-busy0) / started
		v["start_cpu_ms_per_task"] = perTask
		v["start_cpu_ceiling_tasks_per_s"] = float64(runtime.NumCPU()) * 1000 / perTask
		agent := ticksToMS(ticksSince(ticksOf([]int{ag.cmd.Process.Pid}), agent0)) / started
		plug := ticksToMS(ticksSince(ticksOf(plugins), plugins0)) / started
		v["start_cpu_ms_agent"], v["start_cpu_ms_plugins"] = agent, plug
		v["start_cpu_ms_rest"] = max(0, perTask-agent-plug)
	}
	time.Sleep(time.Second)
	p, err := readProc(ag.cmd.Process.Pid)
	if err != nil {
		return pt, err
	}
	v["agent_rss_mib"], v["agent_peak_rss_mib"] = float64(p.RSS)/mib, float64(p.HWM)/mib
	tree, treePSS, procs, logmons, logmonPSS := treeRSS(ag.cmd.Process.Pid)
	v["tree_rss_mib"], v["tree_pss_mib"], v["tree_procs"] = float64(tree)/mib, float64(treePSS)/mib, float64(procs)
	v["per_task_pss_mib"] = (float64(treePSS) - float64(base)) / mib / float64(n)
	v["logmon_procs"] = float64(logmons)
	if logmons > 0 {
		v["logmon_pss_mib_mean"] = float64(logmonPSS) / mib / float64(logmons)
	}
	if fds, err := os.ReadDir(fmt.Sprintf("/proc/%d/fd", ag.cmd.Process.Pid)); err == nil {
		v["agent_fds"] = float64(len(fds))
	}
	if cpu, err := treeCPU(ag.cmd.Process.Pid, 3*time.Second); err == nil {
		v["tree_idle_cpu_pct"] = cpu
	}
	calls := max(20, min(200, 40000/n))
	p50, p99, err := timeCalls(calls, 3, func() error { _, err := c.Tasks(ctx); return err })
	if err != nil {
		return pt, err
	}
	v["list_p50_ms"], v["list_p99_ms"] = ms(p50), ms(p99)
	i := 0
	p50, p99, err = timeCalls(500, 10, func() error {
		i++
		_, err := c.Task(ctx, fmt.Sprintf("bench-%d", (i*7919)%n))
		return err
	})
	if err != nil {
		return pt, err
	}
	v["status_p50_ms"], v["status_p99_ms"] = ms(p50), ms(p99)
	s.Log("  agent: %d tasks running, +%d in %.1fs (%.1f/s); agent RSS %.0f MiB, per task %.2f MiB PSS; idle CPU %.0f%%; list p50 %.1f ms, status p50 %.2f ms",
		running, n-have, el.Seconds(), v["tasks_per_s"], v["agent_rss_mib"], v["per_task_pss_mib"], v["tree_idle_cpu_pct"], v["list_p50_ms"], v["status_p50_ms"])
	return pt, nil
}

// awaitRunning polls the task list until want tasks are running or ended,
// or until timeout; it returns how many are running and how many ended.
func (s AgentScale) awaitRunning(ctx context.Context, c *api.Client, ag *agentProc, want int, timeout time.Duration) (running, ended int, err error) {
	deadline := time.Now().Add(timeout)
	for {
		ts, err := c.Tasks(ctx)
		if err == nil {
			running, ended = 0, 0
			for _, t := range ts {
				if t.State == api.StateRunning {
					running++
				} else if t.Terminal() || t.State == api.StateLost {
					ended++
				}
			}
			if running+ended >= want {
				return running, ended, nil
			}
		}
		if err := ag.exited(); err != nil {
			return running, ended, err
		}
		if time.Now().After(deadline) {
			return running, ended, fmt.Errorf("after %s: %d of %d tasks running, %d ended (last list error: %v)", timeout, running, want, ended, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// parallel runs fn(0..n-1) on workers goroutines and returns the errors.
func parallel(n, workers int, fn func(int) error) []error {
	jobs := make(chan int)
	errc := make(chan error, n)
	done := make(chan struct{})
	for w := 0; w < workers; w++ {
		go func() {
			defer func() { done <- struct{}{} }()
			for i := range jobs {
				if err := fn(i); err != nil {
					errc <- err
				}
			}
		}()
	}
	for i := 0; i < n; i++ {
		jobs <- i
	}
	close(jobs)
	for w := 0; w < workers; w++ {
		<-done
	}
	close(errc)
	var errs []error
	for err := range errc {
		errs = append(errs, err)
	}
	return errs
}

var errNoSteps = errors.New("agent scale: no steps or no drivers")

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, " / ")
}
