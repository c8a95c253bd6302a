// Package bench measures Yurt plugins (the SDK examples in Go, Python and Rust,
// and a bare "floor" plugin per language) and the yurt agent, and writes the
// results as JSON (results.json, schema in SCHEMA.md), a markdown table of
// ratios against the Go SDK example of the same run, and an SVG chart. Every
// number comes from real plugin processes over their real sockets; nothing is
// compared with a fixed time, only with the baseline measured in the same run.
package bench

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"sort"
	"strings"
)

// SchemaVersion is results.json's "schema_version"; bump it with SCHEMA.md.
const SchemaVersion = 1

// Results is the whole of results.json.
type Results struct {
	SchemaVersion int            `json:"schema_version"`
	GeneratedAt   string         `json:"generated_at"`
	Mode          string         `json:"mode"`
	Machine       Machine        `json:"machine"`
	Config        Config         `json:"config"`
	Metrics       []MetricDef    `json:"metrics"`
	Plugins       []PluginResult `json:"plugins"`
	Agent         AgentResult    `json:"agent"`
	// Supervision is the per-task supervision cost of each SDK's layer
	// (absent in results written before it was measured).
	Supervision []SupervisionResult `json:"supervision,omitempty"`
	// PythonCold is the cold start of each option a Python plugin could be
	// built on (issue 19 item 2); absent when not measured.
	PythonCold *PyColdResult `json:"python_cold,omitempty"`
	Targets    []TargetCheck `json:"targets"`
}

// Machine says where the run happened.
type Machine struct {
	OS            string  `json:"os"`
	Arch          string  `json:"arch"`
	CPUs          int     `json:"cpus"`
	CPUModel      string  `json:"cpu_model"`
	MemTotalBytes uint64  `json:"mem_total_bytes"`
	Kernel        string  `json:"kernel"`
	GoVersion     string  `json:"go_version"`
	LoadAvg1      float64 `json:"loadavg_1m"`
}

// Config holds the sizes the run used.
type Config struct {
	Launches        int     `json:"launches"`
	UnaryCalls      int     `json:"unary_calls"`
	StreamSeconds   float64 `json:"stream_seconds"`
	StatsIntervalNS int64   `json:"stats_interval_ns"`
	Fingerprints    int     `json:"fingerprints"`
	LifecycleTasks  int     `json:"lifecycle_tasks"`
	HoldTasks       int     `json:"hold_tasks"`
	AgentPlugins    int     `json:"agent_plugins"`
	AgentTasks      int     `json:"agent_tasks"`
	AgentSteps      []int   `json:"agent_steps,omitempty"`
	SuperviseTasks  int     `json:"supervise_tasks,omitempty"`
}

// MetricDef describes one key of PluginResult.Values.
type MetricDef struct {
	Key         string `json:"key"`
	Unit        string `json:"unit"`
	Better      string `json:"better"` // "lower" or "higher"
	Description string `json:"description"`
}

// PluginResult is one plugin's figures. Values holds only what was measured;
// Ratios holds value / baseline value for the keys the baseline also has.
type PluginResult struct {
	ID       string             `json:"id"`
	Language string             `json:"language"`
	Flavor   string             `json:"flavor"` // "sdk" or "floor"
	Kind     string             `json:"kind"`   // "driver" or "device"
	Path     string             `json:"path"`
	Baseline string             `json:"baseline"`
	Values   map[string]float64 `json:"values"`
	Ratios   map[string]float64 `json:"ratios"`
	// Samples holds, for some p50 keys of Values, one figure per round
	// (paired.go): each cold start, or each round's unary batch p50; round i
	// of every plugin ran side by side. Absent in results before it existed.
	Samples map[string][]float64 `json:"samples,omitempty"`
	Errors  []string             `json:"errors"`
}

// AgentResult is the host-scale measurement of `yurt agent`.
type AgentResult struct {
	Status string             `json:"status"` // "ok", "skipped" or "error"
	Reason string             `json:"reason"`
	Values map[string]float64 `json:"values"`
	// Scale holds the figures at each task count (ascending); Values has
	// the last step's, and the reattach and stop-all figures.
	Scale []ScalePoint `json:"scale,omitempty"`
}

// ScalePoint is the agent measured holding Tasks tasks (keys: scaleMetricDefs).
type ScalePoint struct {
	Tasks  int                `json:"tasks"`
	Values map[string]float64 `json:"values"`
}

// TargetCheck is one of the targets, evaluated on this run.
type TargetCheck struct {
	Name     string  `json:"name"`
	Subject  string  `json:"subject"`
	Against  string  `json:"against"`
	Metric   string  `json:"metric"`
	Measured float64 `json:"measured"` // a ratio, or MiB for the agent target; NaN is written as -1
	Limit    float64 `json:"limit"`
	Status   string  `json:"status"` // "met", "missed" or "not measured"
	Note     string  `json:"note"`
	// Why a missed target was missed, from this run's figures (why.go).
	Why string `json:"why,omitempty"`
	// Pairs > 0: Measured is the median of Pairs per-round ratios, and
	// [CILow, CIHigh] its confidence interval with coverage CILevel.
	Pairs   int     `json:"pairs,omitempty"`
	CILow   float64 `json:"ci_low,omitempty"`
	CIHigh  float64 `json:"ci_high,omitempty"`
	CILevel float64 `json:"ci_level,omitempty"`
}

// Metric keys. Suffix _plain is without AutoMTLS, _mtls with it.
var metricDefs = []MetricDef{
	{"cold_p50_ms_plain", "ms", "lower", "spawn, handshake and first PluginInfo answered, p50, plaintext"},
	{"cold_p90_ms_plain", "ms", "lower", "as above, p90"},
	{"cold_p50_ms_mtls", "ms", "lower", "spawn, handshake and first PluginInfo answered, p50, AutoMTLS"},
	{"cold_p90_ms_mtls", "ms", "lower", "as above, p90"},
	{"cold_cpu_p50_ms_plain", "ms", "lower", "on-CPU time of the plugin's process (all its threads, /proc schedstat) from spawn to first PluginInfo answered, p50, plaintext"},
	{"cold_cpu_p50_ms_mtls", "ms", "lower", "as above, AutoMTLS"},
	{"info_p50_us_plain", "us", "lower", "PluginInfo round trip, p50, plaintext"},
	{"info_p99_us_plain", "us", "lower", "PluginInfo round trip, p99, plaintext"},
	{"info_p50_us_mtls", "us", "lower", "PluginInfo round trip, p50, AutoMTLS"},
	{"info_p99_us_mtls", "us", "lower", "PluginInfo round trip, p99, AutoMTLS"},
	{"inspect_p50_us_plain", "us", "lower", "InspectTask of a running task, p50, plaintext (drivers)"},
	{"inspect_p99_us_plain", "us", "lower", "InspectTask of a running task, p99, plaintext (drivers)"},
	{"inspect_p50_us_mtls", "us", "lower", "InspectTask of a running task, p50, AutoMTLS (drivers)"},
	{"inspect_p99_us_mtls", "us", "lower", "InspectTask of a running task, p99, AutoMTLS (drivers)"},
	{"task_stats_msgs_per_s", "msg/s", "higher", "TaskStats messages per second at the smallest interval (drivers)"},
	{"device_stats_msgs_per_s", "msg/s", "higher", "device Stats messages per second at the smallest interval (devices)"},
	{"first_fingerprint_ms", "ms", "lower", "Fingerprint call to first message, p50"},
	{"lifecycle_tasks_per_s", "tasks/s", "higher", "StartTask+WaitTask+DestroyTask of a task that exits at once, per second (drivers)"},
	{"rss_idle_mib", "MiB", "lower", "RSS of the plugin's processes, idle"},
	{"rss_idle_peak_mib", "MiB", "lower", "peak RSS (VmHWM) of the plugin's processes, idle"},
	{"rss_hold_mib", "MiB", "lower", "RSS of the plugin's processes holding the tasks (drivers)"},
	{"rss_hold_peak_mib", "MiB", "lower", "peak RSS (VmHWM) of the plugin's processes holding the tasks (drivers)"},
	{"task_side_kib_per_task", "KiB", "lower", "RSS per held task of processes the plugin started in other sessions (supervisor + task)"},
}

// laterMetrics were added after results files existed: a file's metrics may
// lack them (a file that has one of them in values must still define it).
var laterMetrics = map[string]bool{"cold_cpu_p50_ms_plain": true, "cold_cpu_p50_ms_mtls": true}

// agentMetricDefs describe AgentResult.Values.
var agentMetricDefs = []MetricDef{
	{"plugins_running", "count", "higher", "plugins the agent reported running"},
	{"tasks_running", "count", "higher", "tasks the agent reported running at the end of the start phase"},
	{"start_all_s", "s", "lower", "first submission to every task running"},
	{"tasks_per_s", "tasks/s", "higher", "tasks started per second"},
	{"start_cpu_ms_per_task", "ms", "lower", "CPU time the whole machine was busy during a step's fill, per task started (/proc/stat: the agent, plugins, supervisors, tasks and the bench's own clients)"},
	{"start_cpu_ceiling_tasks_per_s", "tasks/s", "higher", "the most starts a second the machine's CPUs allow at that cost: CPUs x 1000 / start_cpu_ms_per_task"},
	{"start_cpu_ms_agent", "ms", "lower", "of which the agent process, per task started"},
	{"start_cpu_ms_plugins", "ms", "lower", "of which the plugin processes, per task started"},
	{"start_cpu_ms_rest", "ms", "lower", "the rest, per task started: the supervisors, the tasks, the kernel's work for them (e.g. fsync) and the bench's clients"},
	{"agent_rss_mib", "MiB", "lower", "agent process RSS holding the tasks"},
	{"agent_peak_rss_mib", "MiB", "lower", "agent process peak RSS (VmHWM)"},
	{"tree_rss_mib", "MiB", "lower", "RSS summed over the agent and every process under it (plugins, supervisors, log collectors, tasks); counts shared pages once per process"},
	{"tree_pss_mib", "MiB", "lower", "PSS summed over the same processes: the memory they really take"},
	{"tree_procs", "count", "lower", "processes in the agent's tree"},
	{"tree_pss_mib_no_tasks", "MiB", "lower", "tree PSS with every plugin running and no task"},
	{"per_task_pss_mib", "MiB", "lower", "(tree PSS - tree PSS with no task) / tasks: supervisor, log collection, task and the agent's and plugins' growth, per task"},
	{"logmon_pss_mib_mean", "MiB", "lower", "PSS of one per-task `yurt logmon` log collector process, mean (none since the agent collects logs itself)"},
	{"logmon_procs", "count", "lower", "`yurt logmon` processes in the agent's tree"},
	{"agent_fds", "count", "lower", "open file descriptors of the agent"},
	{"tree_idle_cpu_pct", "%", "lower", "CPU the whole tree uses while the tasks sleep (3 s), in % of one core: waiters polling, monitors"},
	{"list_p50_ms", "ms", "lower", "GET /v1/tasks (all tasks), p50"},
	{"list_p99_ms", "ms", "lower", "GET /v1/tasks (all tasks), p99"},
	{"status_p50_ms", "ms", "lower", "GET /v1/tasks/{name} (`yurt status NAME`), p50"},
	{"status_p99_ms", "ms", "lower", "GET /v1/tasks/{name} (`yurt status NAME`), p99"},
	{"reattach_s", "s", "lower", "SIGKILL of the agent, then a new agent started to every task running again"},
	{"reattach_running", "count", "higher", "tasks running again after the reattach"},
	{"reattach_lost", "count", "lower", "tasks not running after the reattach"},
	{"stop_all_s", "s", "lower", "every task stopped through the API (8 clients), first request to last answer"},
	{"stop_tasks_per_s", "tasks/s", "higher", "tasks stopped per second"},
}

// scaleMetricDefs describe ScalePoint.Values (the batch's start rate).
var scaleMetricDefs = append([]MetricDef{
	{"batch_s", "s", "lower", "first submission of the step's tasks to all of them running"},
}, agentMetricDefs...)

// MetricDefs returns the documented plugin metric keys.
func MetricDefs() []MetricDef { return append([]MetricDef(nil), metricDefs...) }

func defOf(key string) (MetricDef, bool) {
	for _, d := range metricDefs {
		if d.Key == key {
			return d, true
		}
	}
	return MetricDef{}, false
}

// Write stores r as indented JSON at path.
func (r *Results) Write(path string) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

// ReadResults decodes a results.json strictly: unknown fields are an error.
func ReadResults(path string) (*Results, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var r Results
	if err := dec.Decode(&r); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if err := r.Validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &r, nil
}

// Validate checks r against the rules of SCHEMA.md.
func (r *Results) Validate() error {
	var errs []error
	bad := func(f string, a ...any) { errs = append(errs, fmt.Errorf(f, a...)) }
	if r.SchemaVersion != SchemaVersion {
		bad("schema_version is %d, expected %d", r.SchemaVersion, SchemaVersion)
	}
	if r.GeneratedAt == "" {
		bad("generated_at is empty")
	}
	if r.Mode != "full" && r.Mode != "smoke" {
		bad("mode is %q, expected full or smoke", r.Mode)
	}
	if r.Machine.CPUs < 1 || r.Machine.OS == "" || r.Machine.GoVersion == "" {
		bad("machine is incomplete: %+v", r.Machine)
	}
	if r.Config.Launches < 1 || r.Config.UnaryCalls < 1 {
		bad("config.launches and config.unary_calls must be at least 1")
	}
	if p := r.PythonCold; p != nil {
		if len(p.Options) == 0 || p.Reference == "" || p.LimitFactor <= 0 {
			bad("python_cold: expected a reference, a limit and options, got %+v", *p)
		}
		for i, o := range p.Options {
			if o.Name == "" || (o.Err == "" && (o.N < 1 || o.P50MS <= 0 || o.MinMS > o.P50MS)) {
				bad("python_cold.options[%d]: expected a name and n >= 1 launches with 0 < min_ms <= p50_ms (or an error), got %+v", i, o)
			}
		}
	}
	known := map[string]bool{}
	for _, d := range r.Metrics {
		known[d.Key] = true
		if d.Better != "lower" && d.Better != "higher" {
			bad("metric %s: better is %q", d.Key, d.Better)
		}
	}
	for _, d := range metricDefs {
		if !known[d.Key] && !laterMetrics[d.Key] {
			bad("metrics lacks %s", d.Key)
		}
	}
	if len(r.Plugins) == 0 {
		bad("plugins is empty")
	}
	ids := map[string]bool{}
	for i, p := range r.Plugins {
		where := fmt.Sprintf("plugins[%d] (%s)", i, p.ID)
		if p.ID == "" || ids[p.ID] {
			bad("%s: id empty or repeated", where)
		}
		ids[p.ID] = true
		if p.Language != "go" && p.Language != "python" && p.Language != "rust" {
			bad("%s: language %q", where, p.Language)
		}
		if p.Flavor != "sdk" && p.Flavor != "floor" {
			bad("%s: flavor %q", where, p.Flavor)
		}
		if p.Kind != "driver" && p.Kind != "device" {
			bad("%s: kind %q", where, p.Kind)
		}
		if p.Values == nil || p.Ratios == nil || p.Errors == nil {
			bad("%s: values, ratios and errors must be present (may be empty)", where)
		}
		for k, v := range p.Values {
			if !known[k] {
				bad("%s: unknown metric %q", where, k)
			}
			if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
				bad("%s: %s = %v is not a finite non-negative number", where, k, v)
			}
		}
		for k, v := range p.Ratios {
			if _, ok := p.Values[k]; !ok {
				bad("%s: ratio for %s without a value", where, k)
			}
			if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
				bad("%s: ratio %s = %v", where, k, v)
			}
		}
		if len(p.Values) == 0 && len(p.Errors) == 0 {
			bad("%s: no values and no errors", where)
		}
		for k, xs := range p.Samples {
			if _, ok := p.Values[k]; !ok {
				bad("%s: samples for %s without a value", where, k)
			}
			for _, v := range xs {
				if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
					bad("%s: samples %s hold %v", where, k, v)
					break
				}
			}
		}
	}
	for _, p := range r.Plugins {
		if p.Baseline != "" && !ids[p.Baseline] {
			bad("plugin %s: baseline %q is not in plugins", p.ID, p.Baseline)
		}
	}
	switch r.Agent.Status {
	case "ok":
		for _, k := range []string{"tasks_running", "agent_rss_mib", "start_all_s", "status_p50_ms"} {
			if _, ok := r.Agent.Values[k]; !ok {
				bad("agent: status ok but %s missing", k)
			}
		}
	case "skipped", "error":
		if r.Agent.Reason == "" {
			bad("agent: status %s needs a reason", r.Agent.Status)
		}
	default:
		bad("agent: status %q", r.Agent.Status)
	}
	if r.Agent.Values == nil {
		bad("agent: values must be present")
	}
	sup := map[string]bool{}
	for i, s := range r.Supervision {
		where := fmt.Sprintf("supervision[%d] (%s)", i, s.ID)
		if s.ID == "" || sup[s.ID] {
			bad("%s: id empty or repeated", where)
		}
		sup[s.ID] = true
		if s.Language != "go" && s.Language != "python" && s.Language != "rust" {
			bad("%s: language %q", where, s.Language)
		}
		if s.Values == nil || s.Errors == nil || s.Leftover == nil {
			bad("%s: values, leftover and errors must be present (may be empty)", where)
		}
		if len(s.Values) == 0 && len(s.Errors) == 0 {
			bad("%s: no values and no errors", where)
		}
		for k, v := range s.Values {
			known := false
			for _, sk := range superviseKeys {
				known = known || sk == k
			}
			if !known {
				bad("%s: unknown value %q", where, k)
			}
			if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
				bad("%s: %s = %v is not a finite non-negative number", where, k, v)
			}
		}
	}
	for _, t := range r.Targets {
		if t.Status != "met" && t.Status != "missed" && t.Status != "not measured" {
			bad("target %q: status %q", t.Name, t.Status)
		}
		if t.Pairs < 0 || t.Pairs > 0 && (t.CILow > t.Measured || t.Measured > t.CIHigh || t.CILevel < 0 || t.CILevel > 1) {
			bad("target %q (%s): pairs %d, measured %v outside its interval [%v, %v] or level %v outside 0..1",
				t.Name, t.Metric, t.Pairs, t.Measured, t.CILow, t.CIHigh, t.CILevel)
		}
	}
	return errors.Join(errs...)
}

func sortedKeys(m map[string]float64) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func langTitle(l string) string {
	switch l {
	case "go":
		return "Go"
	case "python":
		return "Python"
	case "rust":
		return "Rust"
	}
	return strings.ToUpper(l)
}
