package bench

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// Options configure a whole run.
type Options struct {
	Root    string // repository root
	RustBin string // cargo output folder of the Rust plugins (target/release)
	Smoke   bool
	Only    map[string]bool // target IDs; empty means all (of the mode)
	Agent   bool            // run the host-scale measurement
	// Supervise runs the per-task supervision measurement of each SDK.
	Supervise bool
	// PyCold measures the cold start of each option a Python plugin could
	// be built on (pycold.go).
	PyCold bool
	// Launches and UnaryCalls, when above zero, replace the mode's counts;
	// NoRest skips streams, lifecycle and memory (cold start and unary only).
	Launches, UnaryCalls int
	NoRest               bool
	Scratch              string
	Log                  io.Writer
	// AgentSteps, when set, replaces the mode's task counts for the agent
	// (e.g. 500 or 2000 alone, to compare two builds back to back).
	AgentSteps []int
	// AgentYurt, when set, is the yurt binary the agent measurement runs
	// (default build/bench/bin/yurt).
	AgentYurt string
}

// SizesFor returns the repetition counts of the full or the smoke run.
func SizesFor(smoke bool) Sizes {
	if smoke {
		return Sizes{Launches: 3, UnaryCalls: 200, Warmup: 20, StreamSeconds: 0.3, StatsInterval: time.Nanosecond,
			Fingerprints: 3, LifecycleTasks: 3, LifecycleMax: time.Second, HoldTasks: 5}
	}
	return Sizes{Launches: 30, UnaryCalls: 10000, Warmup: 500, StreamSeconds: 2, StatsInterval: time.Nanosecond,
		Fingerprints: 20, LifecycleTasks: 200, LifecycleMax: 5 * time.Second, HoldTasks: 100}
}

// AgentStepsFull and AgentStepsSmoke are the task counts the agent is
// measured at.
var (
	AgentStepsFull  = []int{200, 500, 1000, 2000}
	AgentStepsSmoke = []int{3, 6}
)

// SuperviseTasksFor is how many tasks each SDK's supervision measurement
// keeps running at once: 200 (the figure) or 5 in the smoke run.
func SuperviseTasksFor(smoke bool) int {
	if smoke {
		return 5
	}
	return 200
}

// Run measures the targets and the agent and returns the results, ratios
// and targets evaluated.
func Run(ctx context.Context, o Options) (*Results, error) {
	sz := SizesFor(o.Smoke)
	if o.Launches > 0 {
		sz.Launches = o.Launches
	}
	if o.UnaryCalls > 0 {
		sz.UnaryCalls = o.UnaryCalls
	}
	agentPlugins, agentSteps := 20, AgentStepsFull
	if o.Smoke {
		agentPlugins, agentSteps = 3, AgentStepsSmoke
	}
	if len(o.AgentSteps) > 0 {
		agentSteps = o.AgentSteps
	}
	agentTasks := agentSteps[len(agentSteps)-1]
	mode := "full"
	if o.Smoke {
		mode = "smoke"
	}
	r := &Results{
		SchemaVersion: SchemaVersion, GeneratedAt: time.Now().UTC().Format(time.RFC3339), Mode: mode,
		Machine: machine(), Metrics: MetricDefs(), Plugins: []PluginResult{},
		Config: Config{Launches: sz.Launches, UnaryCalls: sz.UnaryCalls, StreamSeconds: sz.StreamSeconds,
			StatsIntervalNS: int64(sz.StatsInterval), Fingerprints: sz.Fingerprints, LifecycleTasks: sz.LifecycleTasks,
			HoldTasks: sz.HoldTasks, AgentPlugins: agentPlugins, AgentTasks: agentTasks, AgentSteps: agentSteps},
		Agent: AgentResult{Status: "skipped", Reason: "not requested (-agent=false)", Values: map[string]float64{}},
	}
	run := &Runner{Sizes: sz, Scratch: o.Scratch, Log: o.Log, NoRest: o.NoRest}
	logf := func(f string, a ...any) { fmt.Fprintf(o.Log, f+"\n", a...) }
	var targets []Target
	for _, t := range Targets(o.Root, o.RustBin) {
		if len(o.Only) > 0 && !o.Only[t.ID] || len(o.Only) == 0 && o.Smoke && !t.Smoke {
			continue
		}
		targets = append(targets, t)
		r.Plugins = append(r.Plugins, NewResult(t))
	}
	// The agent first: its start rate and reattach time are the figures
	// most sensitive to what else the machine has done (page cache,
	// leftover processes of the plugin measurements).
	if o.Agent {
		logf("yurt agent: %d plugins, tasks at %v", agentPlugins, agentSteps)
		plugins := filepath.Join(o.Root, "build", "bench", "plugins")
		yurt := o.AgentYurt
		if yurt == "" {
			yurt = filepath.Join(o.Root, "build", "bench", "bin", "yurt")
		}
		as := AgentScale{
			Yurt: yurt, NPlugins: agentPlugins, Steps: agentSteps,
			Drivers: []string{"go-exec", "python-exec", "rust-exec"}, Scratch: o.Scratch, Log: logf, Filler: filepath.Join(plugins, "floor-go"),
			// Each example once (the three process drivers run the tasks), filled up with Go floors.
			Plugins: []string{filepath.Join(plugins, "go-exec"), filepath.Join(o.Root, "examples", "python", "python-exec", "python-exec"),
				filepath.Join(o.RustBin, "rust-exec"), filepath.Join(plugins, "go-files"),
				filepath.Join(o.RustBin, "rust-files"),
				filepath.Join(o.Root, "examples", "python", "python-files", "python-files")},
			Config: "plugin \"rust-files\" {\n  config {\n    ids = [\"d0\", \"d1\"]\n  }\n}\n",
		}
		if o.Smoke {
			as.Plugins, as.Config = as.Plugins[:3], ""
		}
		v, points, err := as.Run(ctx)
		r.Agent = AgentResult{Status: "ok", Values: v, Scale: points}
		if err != nil {
			r.Agent.Status, r.Agent.Reason = "error", err.Error()
			logf("  agent: %v", err)
		}
	}
	run.ColdStarts(ctx, targets, r.Plugins)
	run.UnaryInterleaved(ctx, targets, r.Plugins)
	for i, t := range targets {
		logf("%s (%s %s %s)", t.ID, t.Language, t.Flavor, t.Kind)
		run.Measure(ctx, t, &r.Plugins[i])
	}
	// A plugin whose baseline was not measured (e.g. -only) has no baseline.
	have := map[string]bool{}
	for _, p := range r.Plugins {
		have[p.ID] = true
	}
	for i := range r.Plugins {
		if !have[r.Plugins[i].Baseline] {
			r.Plugins[i].Baseline = ""
		}
	}
	if o.Supervise {
		n := SuperviseTasksFor(o.Smoke)
		r.Config.SuperviseTasks = n
		logf("per-task supervision: %d tasks per SDK", n)
		r.Supervision = Supervision(ctx, o.Root, o.RustBin, o.Scratch, n, logf)
	}
	if o.PyCold {
		r.PythonCold = PyColdOptions(ctx, o.Root, o.Scratch, sz.Launches, logf)
	}
	ComputeRatios(r)
	r.Targets = EvaluateTargets(r)
	return r, r.Validate()
}

func machine() Machine {
	m := Machine{OS: runtime.GOOS, Arch: runtime.GOARCH, CPUs: runtime.NumCPU(), GoVersion: runtime.Version()}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(l, "model name") {
				if _, v, ok := strings.Cut(l, ":"); ok {
					m.CPUModel = strings.TrimSpace(v)
					break
				}
			}
		}
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if f := strings.Fields(l); len(f) >= 2 && f[0] == "MemTotal:" {
				kb, _ := strconv.ParseUint(f[1], 10, 64)
				m.MemTotalBytes = kb * 1024
			}
		}
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.Kernel = strings.TrimSpace(string(b))
	}
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		if f := strings.Fields(string(b)); len(f) > 0 {
			m.LoadAvg1, _ = strconv.ParseFloat(f[0], 64)
		}
	}
	return m
}

// BenchmarksMD renders BENCHMARKS.md for the repository root; findings is
// hand-written analysis (bench/FINDINGS.md) appended as is.
func BenchmarksMD(r *Results, chartPath, findings string) string {
	var b strings.Builder
	b.WriteString("# Benchmarks\n\n")
	b.WriteString("Written by `scripts/bench.sh` (`make bench`); do not edit by hand. Every figure comes from real plugin\n")
	b.WriteString("processes launched by the Go host library (go/host, hashicorp/go-plugin) over their real sockets. Ratios\n")
	b.WriteString("are against the Go SDK example of the same kind (driver: go-exec, device: go-files) measured in the\n")
	b.WriteString("same run; floors are bare plugins without an SDK (bench/floors). Method and schema: bench/SCHEMA.md.\n\n")
	m := r.Machine
	fmt.Fprintf(&b, "Run: %s, mode %s. Machine: %s/%s, %d CPUs (%s), %.1f GiB, kernel %s, %s, load average %.2f at start.\n\n",
		r.GeneratedAt, r.Mode, m.OS, m.Arch, m.CPUs, m.CPUModel, float64(m.MemTotalBytes)/(1<<30), m.Kernel, m.GoVersion, m.LoadAvg1)
	fmt.Fprintf(&b, "Sizes: %d launches per mode, %d unary calls per RPC and mode, streams for %gs at a %d ns interval, %d first fingerprints, up to %d lifecycle tasks, %d held tasks; agent with %d plugins and up to %d tasks.\n\n",
		r.Config.Launches, r.Config.UnaryCalls, r.Config.StreamSeconds, r.Config.StatsIntervalNS, r.Config.Fingerprints, r.Config.LifecycleTasks, r.Config.HoldTasks, r.Config.AgentPlugins, r.Config.AgentTasks)
	b.WriteString("Reproduce: `make bench` (or `scripts/bench.sh`); `scripts/bench.sh --smoke` is the quick harness check.\n")
	b.WriteString("Results: build/bench/results.json, build/bench/results.md, build/bench/chart.svg; the latest full run is kept in bench/latest/.\n\n")
	if chartPath != "" {
		fmt.Fprintf(&b, "![cold start and unary latency per plugin](%s)\n\n", chartPath)
	}
	b.WriteString(markdown(r, "bench/latest/scale.svg"))
	if findings != "" {
		b.WriteString("\n" + findings)
	}
	return b.String()
}
