package bench

import (
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
		{ID: "go-sdk/yurt-exec", Language: "go", Flavor: "sdk", Kind: "driver", Path: filepath.Join(plugins, "yurt-exec"),
			MTLS: true, Tasks: true, Smoke: true},
		{ID: "go-sdk/yurt-files", Language: "go", Flavor: "sdk", Kind: "device", Path: filepath.Join(plugins, "yurt-files"),
			Config: files, MTLS: true},
		{ID: "go-floor", Language: "go", Flavor: "floor", Kind: "driver", Path: filepath.Join(plugins, "floor-go"), MTLS: true},
		{ID: "python-sdk/pyexec", Language: "python", Flavor: "sdk", Kind: "driver",
			Path: filepath.Join(root, "examples", "python", "pyexec", "pyexec"), Config: `state_dir = "{{DIR}}/state"`,
			MTLS: true, Tasks: true, Smoke: true},
		{ID: "python-sdk/filedev", Language: "python", Flavor: "sdk", Kind: "device",
			Path: filepath.Join(root, "examples", "python", "filedev", "filedev"), Config: files, MTLS: true},
		{ID: "python-floor", Language: "python", Flavor: "floor", Kind: "driver",
			Path: filepath.Join(root, "bench", "floors", "python", "floor")},
		{ID: "rust-sdk/yurt-static-device", Language: "rust", Flavor: "sdk", Kind: "device",
			Path: filepath.Join(rel, "yurt-example-device"), MTLS: true, Smoke: true,
			Config: `vendor = "bench"
type = "file"
model = "m1"
ids = ["dev0", "dev1"]
env_var = "BENCH_DEVICES"`},
		{ID: "rust-sdk/process-driver", Language: "rust", Flavor: "sdk", Kind: "driver",
			Path: filepath.Join(rel, "yurt-example-process-driver"), MTLS: true, Tasks: true},
		{ID: "rust-floor", Language: "rust", Flavor: "floor", Kind: "device", Path: filepath.Join(rel, "floor-rust"), MTLS: true},
	}
}

// BaselineFor is the Go SDK example each target is compared with: the one of
// the same kind. The Go and Python floors are drivers (PluginInfo and
// InspectTask); the Rust floor is a device (PluginInfo only) like the Rust
// SDK example.
func BaselineFor(t Target) string {
	if t.Kind == "device" {
		return "go-sdk/yurt-files"
	}
	return "go-sdk/yurt-exec"
}

func expand(s, dir string) string { return strings.ReplaceAll(s, "{{DIR}}", dir) }
