// Command yurt-bench runs Yurt's benchmarks (see bench/SCHEMA.md) and checks
// results files:
//
//	yurt-bench [-smoke] [-agent] [-only id,id] [-launches N] [-calls N] [-rest=false] [-root DIR] [-out DIR] [-benchmarks-md FILE]
//	yurt-bench validate results.json
//	yurt-bench render ROOT results.json   (rewrites ROOT/BENCHMARKS.md)
//	yurt-bench supervise [-root DIR] [-rust-bin DIR] [-n 200] results.json
//	    measures only the per-task supervision cost of each SDK and puts it
//	    into results.json (re-evaluating its targets); when that file is
//	    ROOT/bench/latest/results.json, ROOT/BENCHMARKS.md is rewritten too
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"github.com/yurt-sdk/yurt/bench"
)

func main() {
	if len(os.Args) >= 2 && os.Args[1] == "validate" {
		if len(os.Args) != 3 {
			fmt.Fprintln(os.Stderr, "usage: yurt-bench validate results.json")
			os.Exit(2)
		}
		if _, err := bench.ReadResults(os.Args[2]); err != nil {
			fmt.Fprintf(os.Stderr, "yurt-bench: %v\n", err)
			os.Exit(1)
		}
		fmt.Printf("%s matches schema version %d\n", os.Args[2], bench.SchemaVersion)
		return
	}
	if len(os.Args) >= 2 && os.Args[1] == "render" {
		os.Exit(render(os.Args[2:]))
	}
	if len(os.Args) >= 2 && os.Args[1] == "supervise" {
		os.Exit(supervise(os.Args[2:]))
	}
	os.Exit(run())
}

// render rewrites BENCHMARKS.md from a results file (after editing FINDINGS.md):
// yurt-bench render ROOT RESULTS.json
func render(args []string) int {
	if len(args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: yurt-bench render ROOT results.json")
		return 2
	}
	r, err := bench.ReadResults(args[1])
	if err != nil {
		fmt.Fprintf(os.Stderr, "yurt-bench: %v\n", err)
		return 1
	}
	findings, _ := os.ReadFile(filepath.Join(args[0], "bench", "FINDINGS.md"))
	md := bench.BenchmarksMD(r, "bench/latest/chart.svg", string(findings))
	if err := os.WriteFile(filepath.Join(args[0], "BENCHMARKS.md"), []byte(md), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

func supervise(args []string) int {
	fs := flag.NewFlagSet("supervise", flag.ExitOnError)
	root := fs.String("root", ".", "repository root")
	rustBin := fs.String("rust-bin", "target/release", "folder of the Rust binaries (relative to -root)")
	n := fs.Int("n", bench.SuperviseTasksFor(false), "tasks per SDK")
	_ = fs.Parse(args)
	if fs.NArg() != 1 || *n < 1 {
		fmt.Fprintln(os.Stderr, "usage: yurt-bench supervise [-root DIR] [-rust-bin DIR] [-n N>0] results.json")
		return 2
	}
	absRoot, err := filepath.Abs(*root)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	path, _ := filepath.Abs(fs.Arg(0))
	r, err := bench.ReadResults(path)
	if err != nil {
		fmt.Fprintf(os.Stderr, "yurt-bench: %v\n", err)
		return 1
	}
	scratch, err := os.MkdirTemp("", "yb-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(scratch)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	logf := func(f string, a ...any) { fmt.Fprintf(os.Stderr, f+"\n", a...) }
	r.Supervision = bench.Supervision(ctx, absRoot, filepath.Join(absRoot, *rustBin), scratch, *n, logf)
	r.Config.SuperviseTasks = *n
	r.Targets = bench.EvaluateTargets(r)
	if err := r.Validate(); err != nil {
		fmt.Fprintf(os.Stderr, "yurt-bench: %v\n", err)
		return 1
	}
	if err := r.Write(path); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if path == filepath.Join(absRoot, "bench", "latest", "results.json") {
		if err := os.WriteFile(filepath.Join(absRoot, "bench", "latest", "results.md"), []byte(bench.Markdown(r)), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		if code := render([]string{absRoot, path}); code != 0 {
			return code
		}
	}
	fmt.Print(bench.SupervisionMarkdown(r))
	return 0
}

func run() int {
	root := flag.String("root", ".", "repository root")
	out := flag.String("out", "build/bench", "output directory (relative to -root)")
	smoke := flag.Bool("smoke", false, "tiny configuration: 3 launches, 200 calls, one plugin per language")
	agent := flag.Bool("agent", true, "measure yurt agent at scale")
	sup := flag.Bool("supervise", true, "measure each SDK's per-task supervision cost")
	pyCold := flag.Bool("pycold", true, "measure the cold start of each option a Python plugin could be built on")
	only := flag.String("only", "", "comma-separated target IDs to measure")
	rustBin := flag.String("rust-bin", "target/release", "folder of the Rust plugin binaries (relative to -root)")
	launches := flag.Int("launches", 0, "cold starts per target and mode (0: the mode's count)")
	calls := flag.Int("calls", 0, "unary calls per RPC and mode (0: the mode's count)")
	rest := flag.Bool("rest", true, "measure streams, lifecycle and memory (false: cold start and unary only)")
	steps := flag.String("agent-steps", "", "comma-separated task counts for the agent (default: the mode's, 200,500,1000,2000)")
	agentYurt := flag.String("agent-yurt", "", "yurt binary for the agent measurement (default build/bench/bin/yurt)")
	md := flag.String("benchmarks-md", "", "also write this BENCHMARKS.md, the chart beside it in bench/latest")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	absRoot, err := filepath.Abs(*root)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	outDir := filepath.Join(absRoot, *out)
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	// Short scratch path: unix socket paths are limited to 108 bytes.
	scratch, err := os.MkdirTemp("", "yb-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(scratch)
	o := bench.Options{Root: absRoot, RustBin: filepath.Join(absRoot, *rustBin), Smoke: *smoke, Agent: *agent, Supervise: *sup, PyCold: *pyCold, Launches: *launches, UnaryCalls: *calls, NoRest: !*rest, Scratch: scratch, Log: os.Stderr, Only: map[string]bool{}}
	o.AgentYurt = *agentYurt
	for _, f := range strings.Split(*steps, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		n, err := strconv.Atoi(f)
		if err != nil || n < 1 || len(o.AgentSteps) > 0 && n <= o.AgentSteps[len(o.AgentSteps)-1] {
			fmt.Fprintf(os.Stderr, "yurt-bench: -agent-steps: want ascending positive task counts, got %q\n", *steps)
			return 2
		}
		o.AgentSteps = append(o.AgentSteps, n)
	}
	for _, id := range strings.Split(*only, ",") {
		if id = strings.TrimSpace(id); id != "" {
			o.Only[id] = true
		}
	}
	r, verr := bench.Run(ctx, o)
	if err := r.Write(filepath.Join(outDir, "results.json")); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if err := os.WriteFile(filepath.Join(outDir, "results.md"), []byte(bench.Markdown(r)), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	svg, scaleSVG := bench.SVG(r), bench.ScaleSVG(r)
	for name, data := range map[string]string{"chart.svg": svg, "scale.svg": scaleSVG} {
		if err := os.WriteFile(filepath.Join(outDir, name), []byte(data), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
	}
	// BENCHMARKS.md and bench/latest hold one whole run: a partial one (a
	// subset of plugins, steps or sizes) would pass for the full figures.
	partial := partialRun(*only, *steps, *launches, *calls, *rest, *agent, *sup, *pyCold)
	if *md != "" && partial {
		fmt.Fprintf(os.Stderr, "yurt-bench: a partial run (-only, -agent-steps, -launches, -calls or a measurement turned off): not writing %s or bench/latest; its results are in %s\n", *md, outDir)
	}
	if *md != "" && !partial {
		latest := filepath.Join(absRoot, "bench", "latest")
		if err := os.MkdirAll(latest, 0o755); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		for name, data := range map[string][]byte{"chart.svg": []byte(svg), "scale.svg": []byte(scaleSVG), "results.md": []byte(bench.Markdown(r))} {
			if err := os.WriteFile(filepath.Join(latest, name), data, 0o644); err != nil {
				fmt.Fprintln(os.Stderr, err)
				return 1
			}
		}
		if err := r.Write(filepath.Join(latest, "results.json")); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		findings, _ := os.ReadFile(filepath.Join(absRoot, "bench", "FINDINGS.md"))
		if err := os.WriteFile(*md, []byte(bench.BenchmarksMD(r, "bench/latest/chart.svg", string(findings))), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
	}
	fmt.Print(bench.Markdown(r))
	if verr != nil {
		fmt.Fprintf(os.Stderr, "yurt-bench: results do not match the schema: %v\n", verr)
		return 1
	}
	return 0
}

// partialRun says whether the flags ask for less than a whole run: a subset
// of plugins or agent steps, other sizes, or a measurement turned off.
func partialRun(only, steps string, launches, calls int, rest, agent, supervise, pyCold bool) bool {
	return strings.TrimSpace(only) != "" || strings.TrimSpace(steps) != "" || launches > 0 || calls > 0 ||
		!rest || !agent || !supervise || !pyCold
}
