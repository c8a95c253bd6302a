// Command supervisetest drives go/plugin/supervise from the command line, for
// tests in other languages (the cross-language state format test) and for
// measurements. Every command prints one JSON object on stdout; a failure is
// {"error": "..."} with exit status 1.
//
//	supervisetest start <state dir> <spec JSON>
//	    spec JSON: {"task_id","command","args","env","working_dir","user",
//	    "stdout_path","stderr_path"}; prints {"handle" (base64), "pid",
//	    "supervisor_pid", "state_dir"}
//	supervisetest reattach-wait <task> [timeout]   {"exit_code","signal","oom_killed"}
//	supervisetest exit <task>                      {"done", "exit_code", ...} without blocking
//	supervisetest signal <task> <signal>           {"ok": true}
//	supervisetest stop <task> <signal> <timeout>   {"exit_code","signal",...}
//	supervisetest destroy <task>                   {"ok": true}
//	supervisetest stats <task> [interval]          {"percent","rss",...}
//	supervisetest bench <dir> <n>                  start n `sleep` tasks, measure, destroy
//
// <task> is a state directory (the handle is rebuilt from its started.pb)
// or a base64 handle. A task this program starts is supervised by this
// program re-executed (`supervisetest yurt-supervise <state dir>`).
package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/yurt-sdk/yurt/go/gen/supervisepb"
	"github.com/yurt-sdk/yurt/go/plugin/supervise"
)

type specJSON struct {
	TaskID     string   `json:"task_id"`
	Command    string   `json:"command"`
	Args       []string `json:"args"`
	Env        []string `json:"env"`
	WorkingDir string   `json:"working_dir"`
	User       string   `json:"user"`
	StdoutPath string   `json:"stdout_path"`
	StderrPath string   `json:"stderr_path"`
}

func main() {
	supervise.Main()
	out, err := run(os.Args[1:])
	if err != nil {
		out = map[string]any{"error": err.Error()}
	}
	b, _ := json.Marshal(out)
	fmt.Println(string(b))
	if err != nil {
		os.Exit(1)
	}
}

func run(args []string) (map[string]any, error) {
	if len(args) < 2 {
		return nil, fmt.Errorf("usage: supervisetest start|reattach-wait|exit|signal|stop|destroy|stats|bench ... (see the source)")
	}
	ctx := context.Background()
	switch args[0] {
	case "start":
		if len(args) != 3 {
			return nil, fmt.Errorf("usage: start <state dir> <spec JSON>")
		}
		var s specJSON
		if err := json.Unmarshal([]byte(args[2]), &s); err != nil {
			return nil, fmt.Errorf("spec JSON: %w", err)
		}
		t, err := supervise.Start(ctx, supervise.Spec{TaskID: s.TaskID, Command: s.Command, Args: s.Args, Env: s.Env,
			WorkingDir: s.WorkingDir, User: s.User, StdoutPath: s.StdoutPath, StderrPath: s.StderrPath}, args[1])
		if err != nil {
			return nil, err
		}
		var h supervisepb.Handle
		_ = proto.Unmarshal(t.Handle(), &h)
		return map[string]any{"handle": base64.StdEncoding.EncodeToString(t.Handle()), "pid": t.PID(),
			"supervisor_pid": h.GetStarted().GetSupervisorPid(), "state_dir": t.StateDir()}, nil
	case "bench":
		n, err := strconv.Atoi(args[len(args)-1])
		if err != nil || len(args) != 3 {
			return nil, fmt.Errorf("usage: bench <dir> <n>")
		}
		return bench(ctx, args[1], n)
	}
	t, err := task(args[1])
	if err != nil {
		return nil, err
	}
	switch args[0] {
	case "reattach-wait":
		if len(args) > 2 {
			d, err := time.ParseDuration(args[2])
			if err != nil {
				return nil, fmt.Errorf("timeout: %w", err)
			}
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeout(ctx, d)
			defer cancel()
		}
		return result(t.Wait(ctx))
	case "exit":
		res, done, err := t.Exit()
		if err != nil || !done {
			return map[string]any{"done": false}, err
		}
		m, _ := result(res, nil)
		m["done"] = true
		return m, nil
	case "signal":
		if len(args) != 3 {
			return nil, fmt.Errorf("usage: signal <task> <signal>")
		}
		sig, err := supervise.ParseSignal(args[2])
		if err != nil {
			return nil, err
		}
		return map[string]any{"ok": true}, t.Signal(sig)
	case "stop":
		if len(args) != 4 {
			return nil, fmt.Errorf("usage: stop <task> <signal> <timeout>")
		}
		sig, err := supervise.ParseSignal(args[2])
		if err != nil {
			return nil, err
		}
		d, err := time.ParseDuration(args[3])
		if err != nil {
			return nil, fmt.Errorf("timeout: %w", err)
		}
		if err := t.Stop(ctx, sig, d); err != nil {
			return nil, err
		}
		return result(t.Wait(ctx))
	case "destroy":
		return map[string]any{"ok": true}, t.Destroy(ctx)
	case "stats":
		interval := time.Second
		if len(args) > 2 {
			if interval, err = time.ParseDuration(args[2]); err != nil {
				return nil, fmt.Errorf("interval: %w", err)
			}
		}
		first, err := t.Stats(nil, supervise.CPUHost{})
		if err != nil {
			return nil, err
		}
		time.Sleep(interval)
		s, err := t.Stats(first, supervise.CPUHost{})
		if err != nil {
			return nil, err
		}
		return map[string]any{"percent": s.Total.Percent, "user_mode": s.Total.UserMode, "system_mode": s.Total.SystemMode,
			"total_ticks": s.Total.TotalTicks, "rss": s.Total.RSS, "swap": s.Total.Swap, "usage": s.Total.Usage,
			"max_usage": s.Total.MaxUsage, "pids": len(s.ByPID)}, nil
	}
	return nil, fmt.Errorf("unknown command %q", args[0])
}

// task reattaches from a state dir or a base64 handle.
func task(arg string) (*supervise.Task, error) {
	if fi, err := os.Stat(arg); err == nil && fi.IsDir() {
		return supervise.ReattachDir(arg)
	}
	h, err := base64.StdEncoding.DecodeString(arg)
	if err != nil {
		return nil, fmt.Errorf("%q is neither a state directory nor a base64 handle", arg)
	}
	return supervise.Reattach(h)
}

func result(r *supervise.ExitResult, err error) (map[string]any, error) {
	if err != nil {
		return nil, err
	}
	return map[string]any{"exit_code": r.ExitCode, "signal": r.Signal, "oom_killed": r.OOMKilled,
		"completed_at_unix_nano": r.CompletedAt.UnixNano()}, nil
}

// bench starts n `sleep 3600` tasks one after another, then reports the
// start latency (p50, p90, max) and each supervisor's PSS from
// /proc/<pid>/smaps_rollup, then destroys them.
func bench(ctx context.Context, dir string, n int) (map[string]any, error) {
	var tasks []*supervise.Task
	defer func() {
		for _, t := range tasks {
			_ = t.Destroy(ctx)
		}
	}()
	var lat []float64
	for i := 0; i < n; i++ {
		began := time.Now()
		t, err := supervise.Start(ctx, supervise.Spec{TaskID: fmt.Sprintf("bench/%d", i), Command: "sleep", Args: []string{"3600"},
			Env: []string{"PATH=/usr/bin:/bin"}}, filepath.Join(dir, strconv.Itoa(i)))
		if err != nil {
			return nil, err
		}
		lat = append(lat, float64(time.Since(began).Microseconds())/1000)
		tasks = append(tasks, t)
	}
	time.Sleep(500 * time.Millisecond) // let each supervisor settle into its loop
	var pss []float64
	for _, t := range tasks {
		var h supervisepb.Handle
		_ = proto.Unmarshal(t.Handle(), &h)
		kb, err := pssKiB(int(h.GetStarted().GetSupervisorPid()))
		if err != nil {
			return nil, err
		}
		pss = append(pss, kb/1024)
	}
	sort.Float64s(lat)
	sort.Float64s(pss)
	return map[string]any{"tasks": n, "start_ms_p50": lat[n/2], "start_ms_p90": lat[n*9/10], "start_ms_max": lat[n-1],
		"pss_mib_mean": mean(pss), "pss_mib_p50": pss[n/2], "pss_mib_max": pss[n-1]}, nil
}

func pssKiB(pid int) (float64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/smaps_rollup", pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "Pss:"); ok {
			return strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 64)
		}
	}
	return 0, fmt.Errorf("/proc/%d/smaps_rollup: no Pss line", pid)
}

func mean(xs []float64) float64 {
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}
