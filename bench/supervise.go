package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Nomad v2.0.5 raw_exec, measured on this kind of machine with 20 `sleep`
// tasks (issue 15): the per-task `nomad executor` and `nomad logmon` PSS.
const (
	NomadExecutorPSSMiB = 17.0
	NomadLogmonPSSMiB   = 15.5
	// SupervisePSSGoalMiB and SuperviseStartGoalMS are the per-task goals of
	// every SDK's supervision layer (PSS at most, start p50 under).
	SupervisePSSGoalMiB  = 2.0
	SuperviseStartGoalMS = 20.0
)

// SupervisionResult is one SDK's per-task supervision cost: N `sleep` tasks
// started one after another through the SDK's own layer, all running while
// each supervisor's PSS is read, then destroyed.
type SupervisionResult struct {
	ID         string             `json:"id"`         // e.g. "go", "rust", "python", "rust/rust-exec"
	Language   string             `json:"language"`   // go, python or rust
	Supervisor string             `json:"supervisor"` // the supervisor program (what is re-executed or run)
	Method     string             `json:"method"`     // how the starts were driven
	Tasks      int                `json:"tasks"`
	MeasuredAt string             `json:"measured_at"`
	LoadAvg1   float64            `json:"loadavg_1m"` // at the start of this SDK's measurement
	Values     map[string]float64 `json:"values"`     // keys: superviseKeys
	Leftover   []string           `json:"leftover"`   // processes or files left after destroy
	Errors     []string           `json:"errors"`
}

// superviseKeys are the keys of SupervisionResult.Values (as the three
// layers' bench commands print them).
var superviseKeys = []string{"start_ms_p50", "start_ms_p90", "start_ms_max", "pss_mib_mean", "pss_mib_p50", "pss_mib_max"}

// superviseCmd is how one SDK's measurement is run.
type superviseCmd struct {
	id, language, supervisor, method string
	argv                             []string // {dir} and {n} are replaced
	env                              []string
}

// superviseCmds lists the measurements: each language's layer driving its
// own supervisor in one process, so no process spawn per start is counted.
func superviseCmds(root, rustBin string) []superviseCmd {
	bin := filepath.Join(root, "build", "bench", "bin")
	native := filepath.Join(rustBin, "yurt-supervise")
	return []superviseCmd{
		{id: "go", language: "go", supervisor: "supervisetest re-executed (go/plugin/supervise)",
			method: "go/plugin/supervise/internal/supervisetest bench",
			argv:   []string{filepath.Join(bin, "supervisetest"), "bench", "{dir}", "{n}"}},
		{id: "rust", language: "rust", supervisor: "yurt-supervise (native, sdk-rust/yurt-supervise)",
			method: "yurt-supervise-cli bench (yurt_supervise::start_with in one process)",
			argv:   []string{filepath.Join(rustBin, "yurt-supervise-cli"), "bench", "{dir}", "{n}"},
			env:    []string{"YURT_SUPERVISE_PROGRAM=" + native}},
		{id: "rust/rust-exec", language: "rust", supervisor: "rust-exec (rust-exec) re-executed",
			method: "yurt-supervise-cli bench with YURT_SUPERVISE_PROGRAM=rust-exec",
			argv:   []string{filepath.Join(rustBin, "yurt-supervise-cli"), "bench", "{dir}", "{n}"},
			env:    []string{"YURT_SUPERVISE_PROGRAM=" + filepath.Join(rustBin, "rust-exec")}},
		{id: "python", language: "python", supervisor: "yurt-supervise (native, run by yurt.supervise)",
			method: "sdk-python/scripts/measure_supervise.py (asyncio, one interpreter)",
			argv: []string{filepath.Join(root, ".venv", "bin", "python"), filepath.Join(root, "sdk-python", "scripts", "measure_supervise.py"),
				"--tasks", "{n}"},
			// The script's state dirs go under TMPDIR, so the leftover check sees them.
			env: []string{"YURT_SUPERVISE_PROGRAM=" + native, "TMPDIR={dir}"}},
	}
}

// Supervision runs every SDK's measurement with n tasks under scratch.
func Supervision(ctx context.Context, root, rustBin, scratch string, n int, logf func(string, ...any)) []SupervisionResult {
	var out []SupervisionResult
	for _, c := range superviseCmds(root, rustBin) {
		r := runSupervise(ctx, c, scratch, n)
		logf("  supervise %s: %d tasks, PSS mean %.2f MiB, start p50 %.2f ms p90 %.2f ms, %d left over, errors %v",
			r.ID, r.Tasks, r.Values["pss_mib_mean"], r.Values["start_ms_p50"], r.Values["start_ms_p90"], len(r.Leftover), r.Errors)
		out = append(out, r)
	}
	return out
}

func runSupervise(ctx context.Context, c superviseCmd, scratch string, n int) SupervisionResult {
	r := SupervisionResult{ID: c.id, Language: c.language, Supervisor: c.supervisor, Method: c.method, Tasks: n,
		MeasuredAt: time.Now().UTC().Format(time.RFC3339), LoadAvg1: machine().LoadAvg1,
		Values: map[string]float64{}, Leftover: []string{}, Errors: []string{}}
	dir, err := os.MkdirTemp(scratch, "sup-"+strings.ReplaceAll(c.id, "/", "-")+"-")
	if err != nil {
		r.Errors = append(r.Errors, err.Error())
		return r
	}
	defer os.RemoveAll(dir)
	sub := func(s string) string {
		return strings.NewReplacer("{dir}", dir, "{n}", strconv.Itoa(n)).Replace(s)
	}
	argv := make([]string, len(c.argv))
	for i, a := range c.argv {
		argv[i] = sub(a)
	}
	ctx, cancel := context.WithTimeout(ctx, time.Duration(60+n)*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Dir = dir // supervisors and tasks that keep their cwd are found by the leftover check
	cmd.Env = os.Environ()
	for _, e := range c.env {
		cmd.Env = append(cmd.Env, sub(e))
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()
	vals, perr := parseSuperviseJSON(stdout.Bytes())
	switch {
	case runErr != nil:
		r.Errors = append(r.Errors, fmt.Sprintf("%s: %v: %s %s", filepath.Base(argv[0]), runErr,
			lastLines(stdout.String(), 2), lastLines(stderr.String(), 3)))
	case perr != nil:
		r.Errors = append(r.Errors, perr.Error())
	default:
		r.Values = vals
	}
	// Destroy waits for each supervisor; allow a moment for the kernel to
	// finish tearing down what it killed before calling anything left over.
	for i := 0; i < 20; i++ {
		if r.Leftover = leftovers(dir); len(r.Leftover) == 0 {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	return r
}

// parseSuperviseJSON reads a bench command's JSON object: Go's and Rust's
// keys as they are; Python's measure_supervise.py names PSS
// supervisor_pss_mib_*. Every key of superviseKeys must be there.
func parseSuperviseJSON(b []byte) (map[string]float64, error) {
	var raw map[string]any
	if err := json.Unmarshal(bytes.TrimSpace(b), &raw); err != nil {
		return nil, fmt.Errorf("bench output: expected one JSON object, got %q: %v", lastLines(string(b), 2), err)
	}
	if e, ok := raw["error"]; ok {
		return nil, fmt.Errorf("bench output: error %v", e)
	}
	out := map[string]float64{}
	for _, k := range superviseKeys {
		v, ok := raw[k]
		if !ok {
			v, ok = raw["supervisor_"+strings.Replace(k, "_p50", "_median", 1)]
		}
		f, isNum := v.(float64)
		if !ok || !isNum || f < 0 {
			return nil, fmt.Errorf("bench output: %s: expected a non-negative number, got %v", k, v)
		}
		out[k] = f
	}
	return out, nil
}

// leftovers names what is left of a measurement in dir after its tasks were
// destroyed: any process whose command line or working directory is in dir
// (supervisors take their state dir as an argument and every process of the
// run starts in dir), and any file or directory left in it.
func leftovers(dir string) []string {
	out := []string{}
	ents, _ := filepath.Glob("/proc/[0-9]*")
	self := strconv.Itoa(os.Getpid())
	for _, e := range ents {
		pid := filepath.Base(e)
		if pid == self {
			continue
		}
		cl, _ := os.ReadFile(e + "/cmdline")
		cwd, _ := os.Readlink(e + "/cwd")
		if bytes.Contains(cl, []byte(dir)) || cwd == dir || strings.HasPrefix(cwd, dir+"/") {
			out = append(out, fmt.Sprintf("process %s (%s)", pid, strings.TrimSpace(string(bytes.ReplaceAll(cl, []byte{0}, []byte{' '})))))
		}
	}
	files, _ := os.ReadDir(dir)
	for _, f := range files {
		out = append(out, "file "+filepath.Join(dir, f.Name()))
	}
	return out
}
