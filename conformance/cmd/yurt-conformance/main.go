// Command yurt-conformance runs the Yurt conformance cases against a Nomad
// task-driver or device plugin binary.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"regexp"
	"strings"
	"time"

	hclog "github.com/hashicorp/go-hclog"
	"github.com/yurt-sdk/yurt/conformance"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

func run(argv []string, stdout, stderr io.Writer) int {
	if ok, code := versionRequested(argv, stdout); ok {
		return code
	}
	fs := flag.NewFlagSet("yurt-conformance", flag.ContinueOnError)
	fs.SetOutput(stderr)
	pluginPath := fs.String("plugin", "", "plugin executable to test (required)")
	args := fs.String("args", "", "space-separated arguments passed to the plugin")
	configPath := fs.String("config", "", "plugin configuration HCL (body of Nomad's plugin \"config\" block)")
	scenPath := fs.String("scenarios", "", "scenario HCL file with task roles for driver cases")
	jsonPath := fs.String("json", "", "write a JSON report to FILE")
	junitPath := fs.String("junit", "", "write a JUnit XML report to FILE")
	xfailPath := fs.String("expected-failures", "", "file listing case IDs expected to fail")
	runRe := fs.String("run", "", "only run cases whose ID matches this regular expression")
	list := fs.Bool("list", false, "list cases and exit")
	verbose := fs.Bool("v", false, "log harness and plugin output to stderr")
	timeout := fs.Duration("case-timeout", 60*time.Second, "time limit per case")
	mtls := fs.Bool("mtls", false, "launch the plugin with go-plugin AutoMTLS (default: plaintext, as Nomad launches plugins)")
	fs.Bool("version", false, "print the version, commit and wire protocol, then exit (--version --json: as JSON)")
	var env envFlag
	fs.Var(&env, "env", "KEY=VALUE added to the plugin's environment (repeatable; the host passes only an allow-list of its own)")
	if err := fs.Parse(argv); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	var re *regexp.Regexp
	if *runRe != "" {
		var err error
		if re, err = regexp.Compile(*runRe); err != nil {
			fmt.Fprintf(stderr, "--run: expected a regular expression, got %q: %v\n", *runRe, err)
			return 2
		}
	}
	if *list {
		for _, c := range conformance.AllCases() {
			if re == nil || re.MatchString(c.ID) {
				fmt.Fprintf(stdout, "%-45s %-11s %-6s %s\n", c.ID, c.Level, c.Kind, c.Doc)
			}
		}
		return 0
	}
	if *pluginPath == "" {
		fmt.Fprintln(stderr, "--plugin: expected the plugin executable path, got nothing")
		return 2
	}
	cfg := conformance.Config{PluginPath: *pluginPath, Args: strings.Fields(*args), Env: env, Run: re, CaseTimeout: *timeout, Progress: stderr, AutoMTLS: *mtls}
	if *verbose {
		cfg.Logger = hclog.New(&hclog.LoggerOptions{Name: "conformance", Output: stderr, Level: hclog.Debug})
	}
	if *configPath != "" {
		b, err := os.ReadFile(*configPath)
		if err != nil {
			fmt.Fprintf(stderr, "--config: %v\n", err)
			return 2
		}
		cfg.PluginConfig, cfg.PluginConfigFile = b, *configPath
	}
	if *scenPath != "" {
		s, err := conformance.LoadScenarios(*scenPath)
		if err != nil {
			fmt.Fprintf(stderr, "--scenarios: %v\n", err)
			return 2
		}
		cfg.Scenarios = s
	}
	var xfail conformance.ExpectedFailures
	if *xfailPath != "" {
		b, err := os.ReadFile(*xfailPath)
		if err == nil {
			xfail, err = conformance.ParseExpectedFailures(b)
		}
		if err != nil {
			fmt.Fprintf(stderr, "--expected-failures: %v\n", err)
			return 2
		}
	}
	h, err := conformance.New(cfg)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	rep := h.Run(ctx)
	if xfail != nil {
		xfail.Apply(rep, conformance.CaseIDs())
	}
	if err := conformance.WriteTable(stdout, rep); err != nil {
		fmt.Fprintln(stderr, err)
	}
	for _, out := range []struct {
		path  string
		write func(io.Writer, *conformance.Report) error
	}{{*jsonPath, conformance.WriteJSON}, {*junitPath, conformance.WriteJUnit}} {
		if out.path == "" {
			continue
		}
		f, err := os.Create(out.path)
		if err == nil {
			err = out.write(f, rep)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
		}
		if err != nil {
			fmt.Fprintf(stderr, "writing %s: %v\n", out.path, err)
			return 2
		}
	}
	if rep.Failed() {
		return 1
	}
	return 0
}

// envFlag collects repeated --env KEY=VALUE flags.
type envFlag []string

func (e *envFlag) String() string { return strings.Join(*e, " ") }

func (e *envFlag) Set(v string) error {
	k, _, ok := strings.Cut(v, "=")
	if !ok || k == "" || strings.ContainsAny(k, " \t\n") {
		return fmt.Errorf("expected KEY=VALUE with a non-empty KEY, got %q", v)
	}
	*e = append(*e, v)
	return nil
}
