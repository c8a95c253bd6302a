package bench

import (
	"fmt"
	"path/filepath"
	"strings"
)

// Targets lists every plugin the benchmarks measure, with paths under root
// (the repository) and rustBin (cargo's output folder) as scripts/bench.sh
// builds them. A target whose binary is
// missing is reported with an error rather than skipped silently.
func Targets(root, rustBin string) []Target {
	plugins := filepath.Join(root, "build", "bench", "plugins")
	rel := rustBin
	files := `paths = ["{{DIR}}/dev0", "{{DIR}}/dev1"]`
	return []Target{
		{ID: "go-sdk/go-exec", Language: "go", Flavor: "sdk", Kind: "driver", Path: filepath.Join(plugins, "go-exec"),
			MTLS: true, Tasks: true, Smoke: true},
		{ID: "go-sdk/go-files", Language: "go", Flavor: "sdk", Kind: "device", Path: filepath.Join(plugins, "go-files"),
			Config: files, MTLS: true},
		{ID: "go-floor", Language: "go", Flavor: "floor", Kind: "driver", Path: filepath.Join(plugins, "floor-go"), MTLS: true},
		{ID: "python-sdk/python-exec", Language: "python", Flavor: "sdk", Kind: "driver",
			Path: filepath.Join(root, "examples", "python", "python-exec", "python-exec"), Config: `state_dir = "{{DIR}}/state"`,
			MTLS: true, Tasks: true, Smoke: true},
		{ID: "python-sdk/python-files", Language: "python", Flavor: "sdk", Kind: "device",
			Path: filepath.Join(root, "examples", "python", "python-files", "python-files"), Config: files, MTLS: true},
		{ID: "python-floor", Language: "python", Flavor: "floor", Kind: "driver",
			Path: filepath.Join(root, "bench", "floors", "python", "floor")},
		{ID: "rust-sdk/rust-files", Language: "rust", Flavor: "sdk", Kind: "device",
			Path: filepath.Join(rel, "rust-files"), MTLS: true, Smoke: true,
			Config: `vendor = "bench"
type = "file"
model = "m1"
ids = ["dev0", "dev1"]
env_var = "BENCH_DEVICES"`},
		{ID: "rust-sdk/rust-exec", Language: "rust", Flavor: "sdk", Kind: "driver",
			Path: filepath.Join(rel, "rust-exec"), MTLS: true, Tasks: true},
		{ID: "rust-floor", Language: "rust", Flavor: "floor", Kind: "device", Path: filepath.Join(rel, "floor-rust"), MTLS: true},
	}
}

// BaselineFor is the Go SDK example each target is compared with: the one of
// the same kind. The Go and Python floors are drivers (PluginInfo and
// InspectTask); the Rust floor is a device (PluginInfo only) like the Rust
// SDK example.
func BaselineFor(t Target) string {
	if t.Kind == "device" {
		return "go-sdk/go-files"
	}
	return "go-sdk/go-exec"
}

func expand(s, dir string) string { return strings.ReplaceAll(s, "{{DIR}}", dir) }

// Goal is one of the targets for the agent at scale, as data:
// Metric (a key of the agent's values, or of its scale point with At tasks)
// must be at most Limit, or at least Limit when Higher.
type Goal struct {
	Name   string
	Metric string
	At     int // the scale point (task count) to read; 0: the agent's values after the last step
	Min    int // with At 0: the run must have reached this many tasks
	Limit  float64
	Higher bool
	Why    string
}

// NomadPerTaskPSSMiB is Nomad v2.0.5 raw_exec's per-task cost: one `nomad
// executor` and one `nomad logmon`, measured with 20 `sleep` tasks on this
// kind of machine (issue 19).
const NomadPerTaskPSSMiB = NomadExecutorPSSMiB + NomadLogmonPSSMiB

// AgentGoals are issue 19's agent targets. The tasks are spread over the
// three SDKs' process drivers; per-task PSS is everything the tasks add to
// the agent's process tree (supervisor, log collection, the task itself,
// the agent's and plugins' growth) divided by their number.
var AgentGoals = []Goal{
	{Name: "agent RSS at 2,000 tasks <= 300 MiB", Metric: "agent_rss_mib", At: 2000, Limit: 300},
	{Name: "per-task PSS at 2,000 tasks <= 3 MiB", Metric: "per_task_pss_mib", At: 2000, Limit: 3},
	{Name: fmt.Sprintf("per-task PSS at 2,000 tasks <= Nomad raw_exec %.1f MiB", NomadPerTaskPSSMiB), Metric: "per_task_pss_mib", At: 2000, Limit: NomadPerTaskPSSMiB},
	{Name: "start >= 100 tasks/s (0 to 2,000 tasks)", Metric: "tasks_per_s", Min: 2000, Limit: 100, Higher: true},
	{Name: "reattach all 2,000 tasks after SIGKILL <= 10 s", Metric: "reattach_s", Min: 2000, Limit: 10},
	{Name: "reattach loses no task", Metric: "reattach_lost", Limit: 0},
	// Kept from before issue 19 (met at 67 MiB): must stay met.
	{Name: "agent holds 500 tasks < 200 MiB RSS", Metric: "agent_rss_mib", At: 500, Limit: 200},
}

// FloorGoal is issue 19's SDK target: each SDK example at most Limit times
// its own language's bare-gRPC floor on every metric measured for both.
type FloorGoal struct {
	Subject, Floor string
	Limit          float64
	Metrics        []string
}

// FloorGoals are the "every SDK <= 1.10x its floor" targets (issue 19 item
// 1); the 1.15x ones before them stay in targetRules.
var FloorGoals = []FloorGoal{
	{"go-sdk/go-exec", "go-floor", 1.10, []string{"cold_p50_ms_plain", "cold_p50_ms_mtls", "info_p50_us_plain", "info_p50_us_mtls", "inspect_p50_us_plain", "inspect_p50_us_mtls"}},
	{"python-sdk/python-exec", "python-floor", 1.10, []string{"cold_p50_ms_plain", "info_p50_us_plain", "inspect_p50_us_plain"}},
	// The Rust floor serves AutoMTLS too (rustls, as the SDK), so both modes count.
	{"rust-sdk/rust-files", "rust-floor", 1.10, []string{"cold_p50_ms_plain", "cold_p50_ms_mtls", "info_p50_us_plain", "info_p50_us_mtls"}},
}
