package bench

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/yurt-sdk/yurt/go/api"
)

// AgentScale is the host-scale measurement: `yurt agent -dev` with NPlugins
// plugins in its plugin dir and Tasks long-running tasks of the Go example
// driver, submitted over the API by a few concurrent clients.
//
// The agent refuses two plugins of the same type and name, and the examples
// have fixed names, so the plugin dir holds each example once and is filled
// up to NPlugins with symlinks to Filler (the Go floor, which names itself
// after its file and answers what the agent needs to hold a driver).
type AgentScale struct {
	Yurt     string   // the yurt binary
	Plugins  []string // distinct plugin executables; the first runs the tasks
	Filler   string   // executable linked as <name>-1, <name>-2, ... to reach NPlugins
	Config   string   // agent file body (plugin blocks), may be empty
	NPlugins int
	Tasks    int
	Driver   string // driver name for the tasks
	Scratch  string
	Log      func(string, ...any)
}

// Run measures; on failure it returns what it has with an error.
func (s AgentScale) Run(ctx context.Context) (map[string]float64, error) {
	v := map[string]float64{}
	if _, err := os.Stat(s.Yurt); err != nil {
		return v, fmt.Errorf("yurt binary: %w", err)
	}
	work, err := os.MkdirTemp(s.Scratch, "agent-")
	if err != nil {
		return v, err
	}
	defer os.RemoveAll(work)
	pdir, data := filepath.Join(work, "plugins"), filepath.Join(work, "data")
	if err := os.MkdirAll(pdir, 0o755); err != nil {
		return v, err
	}
	for i := 0; i < s.NPlugins; i++ {
		src, name := s.Filler, fmt.Sprintf("%s-%d", filepath.Base(s.Filler), i+1)
		if i < len(s.Plugins) {
			src, name = s.Plugins[i], filepath.Base(s.Plugins[i])
		}
		if _, err := os.Stat(src); err != nil {
			return v, fmt.Errorf("plugin for the agent: %w", err)
		}
		if err := os.Symlink(src, filepath.Join(pdir, name)); err != nil {
			return v, err
		}
	}
	cfgFile := filepath.Join(work, "agent.hcl")
	if err := os.WriteFile(cfgFile, []byte(s.Config), 0o644); err != nil {
		return v, err
	}
	logf, err := os.Create(filepath.Join(s.Scratch, "agent.log"))
	if err != nil {
		return v, err
	}
	defer logf.Close()
	cmd := exec.Command(s.Yurt, "agent", "-dev", "-config", cfgFile, "-data-dir", data, "-plugin-dir", pdir, "-log-level", "warn")
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.Env = append(os.Environ(), "HOME="+work)
	if err := cmd.Start(); err != nil {
		return v, err
	}
	done := make(chan struct{})
	var waitErr error
	go func() { waitErr = cmd.Wait(); close(done) }()
	defer func() {
		// -dev stops every task and plugin on SIGINT.
		_ = cmd.Process.Signal(syscall.SIGINT)
		select {
		case <-done:
		case <-time.After(3 * time.Minute):
			_ = cmd.Process.Kill()
			<-done
		}
	}()
	c := api.NewClient(filepath.Join(data, api.SocketName))

	// Wait for every plugin to be running (or failed).
	deadline := time.Now().Add(2 * time.Minute)
	for {
		ps, err := c.Plugins(ctx)
		running := 0
		pending := 0
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
		select {
		case <-done:
			log, _ := os.ReadFile(logf.Name())
			return v, fmt.Errorf("agent exited (%v): %s", waitErr, lastLines(string(log), 3))
		default:
		}
		if time.Now().After(deadline) {
			return v, fmt.Errorf("plugins not all started after 2m: %d listed, err %v", len(ps), err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	s.Log("  agent: %v plugins running; starting %d tasks", v["plugins_running"], s.Tasks)

	start := time.Now()
	jobs := make(chan int)
	var mu sync.Mutex
	var errs []error
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				src := fmt.Sprintf("task \"bench-%d\" {\n  driver = %q\n  config {\n    command = \"/bin/sleep\"\n    args = [\"3600\"]\n  }\n}\n", i, s.Driver)
				if _, err := c.Run(ctx, api.RunRequest{File: fmt.Sprintf("bench-%d.hcl", i), Source: src}); err != nil {
					mu.Lock()
					errs = append(errs, err)
					mu.Unlock()
				}
			}
		}()
	}
	for i := 0; i < s.Tasks; i++ {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	if len(errs) > 0 {
		return v, fmt.Errorf("%d of %d task submissions failed, first: %w", len(errs), s.Tasks, errs[0])
	}
	var ids []string
	deadline = time.Now().Add(5 * time.Minute)
	for {
		ts, err := c.Tasks(ctx)
		if err != nil {
			return v, err
		}
		running, terminal := 0, 0
		ids = ids[:0]
		for _, t := range ts {
			ids = append(ids, t.ID)
			if t.State == api.StateRunning {
				running++
			} else if t.Terminal() {
				terminal++
			}
		}
		if running+terminal >= s.Tasks || time.Now().After(deadline) {
			v["tasks_running"] = float64(running)
			if terminal > 0 {
				return v, fmt.Errorf("%d tasks ended early", terminal)
			}
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	el := time.Since(start)
	v["start_all_s"] = el.Seconds()
	v["tasks_per_s"] = float64(s.Tasks) / el.Seconds()
	s.Log("  agent: %d tasks running after %.1fs", int(v["tasks_running"]), el.Seconds())
	time.Sleep(time.Second)
	p, err := readProc(cmd.Process.Pid)
	if err != nil {
		return v, err
	}
	v["agent_rss_mib"], v["agent_peak_rss_mib"] = float64(p.RSS)/mib, float64(p.HWM)/mib
	tree, treePSS, procs, logmons, logmonPSS := treeRSS(cmd.Process.Pid)
	v["tree_rss_mib"], v["tree_pss_mib"], v["tree_procs"] = float64(tree)/mib, float64(treePSS)/mib, float64(procs)
	v["logmon_procs"] = float64(logmons)
	if logmons > 0 {
		v["logmon_pss_mib_mean"] = float64(logmonPSS) / mib / float64(logmons)
	}

	n := max(20, min(200, s.Tasks))
	p50, p99, err := timeCalls(n, 3, func() error { _, err := c.Tasks(ctx); return err })
	if err != nil {
		return v, err
	}
	v["list_p50_ms"], v["list_p99_ms"] = ms(p50), ms(p99)
	if len(ids) == 0 {
		return v, errors.New("no tasks listed")
	}
	i := 0
	p50, p99, err = timeCalls(5*n, 10, func() error {
		i++
		_, err := c.Task(ctx, ids[i%len(ids)])
		return err
	})
	if err != nil {
		return v, err
	}
	v["status_p50_ms"], v["status_p99_ms"] = ms(p50), ms(p99)
	return v, nil
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, " / ")
}
