package conformance_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/yurt-sdk/yurt/conformance"
)

var (
	buildOnce sync.Once
	fakeBin   string
	buildErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if fakeBin != "" && buildErr == nil {
		_ = os.RemoveAll(filepath.Dir(fakeBin))
	}
	os.Exit(code)
}

// fakePlugin builds the repository's one fake plugin (go/internal/fakeplugin,
// a main package of the go module) once into a temp dir.
func fakePlugin(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "yurt-conformance-selftest-")
		if err != nil {
			buildErr = err
			return
		}
		fakeBin = filepath.Join(dir, "fakeplugin")
		if out, err := exec.Command("go", "build", "-C", "../go", "-o", fakeBin, "./internal/fakeplugin").CombinedOutput(); err != nil {
			buildErr = err
			fakeBin = string(out)
		}
	})
	require.NoError(t, buildErr, fakeBin)
	return fakeBin
}

func runHarness(t *testing.T, args []string, run string) *conformance.Report {
	t.Helper()
	return runHarnessEnv(t, args, nil, run)
}

func runHarnessEnv(t *testing.T, args, env []string, run string) *conformance.Report {
	t.Helper()
	return runHarnessOpts(t, args, env, run, false)
}

func runHarnessOpts(t *testing.T, args, env []string, run string, mtls bool) *conformance.Report {
	t.Helper()
	h := newHarness(t, args, env, run, mtls)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	return h.Run(ctx)
}

// scenariosFile is the process drivers' shared scenario file: the fake
// plugin's task config schema is theirs, { command, args }.
const scenariosFile = "../examples/conformance/process-driver.scenarios.hcl"

func newHarness(t *testing.T, args, env []string, run string, mtls bool) *conformance.Harness {
	t.Helper()
	scen, err := conformance.LoadScenarios(scenariosFile)
	require.NoError(t, err)
	cfgSrc, err := os.ReadFile("testdata/fake-config.hcl")
	require.NoError(t, err)
	h, err := conformance.New(conformance.Config{PluginPath: fakePlugin(t), Args: args, Env: env, Scenarios: scen,
		PluginConfig: cfgSrc, PluginConfigFile: "fake-config.hcl", Run: regexp.MustCompile(run), CaseTimeout: 30 * time.Second, AutoMTLS: mtls})
	require.NoError(t, err)
	return h
}

func failed(r *conformance.Report) []string {
	var out []string
	for _, x := range r.Results {
		if x.Status == conformance.StatusFail {
			out = append(out, x.ID)
		}
	}
	sort.Strings(out)
	return out
}

// TestBrokenPluginsFailExactlyTheirCases is the harness proving it can fail:
// each fault of the self-test plugin must fail exactly the listed cases and
// pass (or skip) every other case of the groups it is run against.
// faultVariant is one run of the self-test plugin: with fault (none for the
// clean plugin) and kind, the cases matching run must fail exactly want.
type faultVariant struct {
	fault, kind, run string
	want             []string
}

func faultVariants() []faultVariant {
	const hs, drv, dev = `^(handshake|nomad)/`, `^driver/`, `^device/`
	return []faultVariant{
		{"", "driver", ".", nil},
		{"", "device", `^(handshake/(launch|reattach)|base|device|nomad)/`, nil},
		{"without-signals-exec", "driver", `^driver/(capabilities|signal|exec)`, nil},
		// Optional RPCs left out as an SDK leaves them (the optional-RPC
		// table in driver.proto and device.proto): Nomad accepts such a
		// plugin, so every case passes or is skipped; a plain error from
		// the same RPC still fails.
		{"no-task-stats", "driver", ".", nil},
		{"no-device-stats", "device", `^(handshake/(launch|reattach)|base|device|nomad)/`, nil},
		{"stats-error", "driver", `^driver/(task-stats|stats-busy|stats-interval|streams-stay-open)$`, []string{"driver/stats-busy", "driver/stats-interval", "driver/streams-stay-open", "driver/task-stats"}},
		{"device-stats-error", "device", `^device/(stats|streams-stay-open|stream-cancel)$`, []string{"device/stats", "device/stream-cancel", "device/streams-stay-open"}},
		{"caps-hide-signals", "driver", `^driver/(capabilities|signal|exec)`, []string{"driver/capabilities"}},
		{"caps-hide-exec", "driver", `^driver/(capabilities|signal|exec)`, []string{"driver/capabilities"}},
		{"exec-unimplemented", "driver", `^driver/(capabilities|signal|exec)`, []string{"driver/capabilities", "driver/exec", "driver/exec-streaming", "driver/exec-stdin", "driver/exec-tty"}},
		{"ignore-cookie", "driver", hs, []string{"handshake/cookie-enforced"}},
		{"print-before-bind", "driver", `^handshake/`, []string{"handshake/listener-bound", "handshake/mtls-certificate", "handshake/mtls-client-verified"}},
		{"pad-cert", "driver", hs, []string{"handshake/mtls-certificate", "handshake/mtls-client-verified"}},
		{"mtls:pad-cert", "driver", `^handshake/(launch|reattach)$`, []string{"handshake/launch"}},
		{"cert-always", "driver", hs, []string{"handshake/launch"}},
		{"mtls:cert-always", "driver", hs, []string{"handshake/health", "handshake/ignores-sigint", "handshake/listener-bound", "handshake/no-cert-without-client-cert", "handshake/shutdown", "handshake/stdio", "nomad/call-sequence"}},
		{"no-client-auth", "driver", hs, []string{"handshake/mtls-client-verified"}},
		{"no-san", "driver", hs, []string{"handshake/mtls-certificate", "handshake/mtls-client-verified"}},
		// A plugin a host cannot launch fails handshake/launch alone, with the
		// cause; everything else is blocked by it.
		{"wrong-version", "driver", `^handshake/(launch|line-format|protocol-version)$`, []string{"handshake/launch"}},
		{"seventh-field", "driver", `^handshake/(launch|line-format|protocol-version)$`, []string{"handshake/line-format", "handshake/protocol-version"}},
		{"first-offered-version", "driver", `^handshake/(launch|line-format|protocol-version)$`, []string{"handshake/protocol-version"}},
		{"single-client", "driver", `^handshake/reattach$`, []string{"handshake/reattach"}},
		{"bad-type", "driver", ".", []string{"base/plugin-info"}},
		{"destroy-no-kill", "driver", `^driver/(destroy-running|destroy-kills-all|no-leaked-tasks)$`, []string{"driver/destroy-kills-all", "driver/no-leaked-tasks"}},
		{"recover-needs-task-id", "driver", `^driver/recover`, []string{"driver/recover-empty-task-id", "driver/recover-exited-while-down", "driver/recover-task"}},
		{"recover-restarts", "driver", `^driver/recover-(task|empty-task-id)$`, []string{"driver/recover-empty-task-id", "driver/recover-task"}},
		{"recover-made-up-exit", "driver", `^driver/recover-(empty-task-id|exited-while-down)$`, []string{"driver/recover-empty-task-id", "driver/recover-exited-while-down"}},
		{"recover-anything", "driver", `^driver/recover-invalid-handle$`, []string{"driver/recover-invalid-handle"}},
		{"wait-single", "driver", `^driver/(wait-concurrent|wait-after-exit|lifecycle)$`, []string{"driver/wait-concurrent"}},
		{"stop-kill-first", "driver", `^driver/stop`, []string{"driver/stop-signal-then-kill"}},
		{"stop-early-kill", "driver", `^driver/stop`, []string{"driver/stop-signal-then-kill"}},
		{"leave-children", "driver", `^driver/(children-killed|lifecycle|no-leaked-tasks)$`, []string{"driver/children-killed"}},
		{"require-greeting", "driver", `^base/`, []string{"base/set-config-empty"}},
		{"unhealthy", "driver", `^driver/fingerprint`, []string{"driver/fingerprint-healthy"}},
		{"fingerprint-once", "driver", `^driver/(fingerprint|streams-stay-open)$`, []string{"driver/streams-stay-open"}},
		{"device-unhealthy", "device", dev, []string{"device/fingerprint-healthy"}},
		{"device-streams-close", "device", `^device/(fingerprint|stats|streams-stay-open)$`, []string{"device/streams-stay-open"}},
		{"env-trim", "driver", `^driver/env$`, []string{"driver/env"}},
		{"exec-no-stdin", "driver", `^driver/exec`, []string{"driver/exec-stdin", "driver/exec-tty"}},
		{"exec-no-resize", "driver", `^driver/exec`, []string{"driver/exec-tty"}},
		{"stats-cumulative", "driver", `^driver/(task-stats|stats-busy|stats-interval)$`, []string{"driver/stats-busy"}},
		{"stats-no-ticks", "driver", `^driver/(task-stats|stats-busy|stats-interval)$`, []string{"driver/stats-busy"}},
		{"stats-fixed-interval", "driver", `^driver/(task-stats|stats-busy|stats-interval)$`, []string{"driver/stats-interval"}},
		{"crashy-logs-late", "driver", `^(driver/lifecycle|handshake/stderr-safe-json|handshake/stderr-safe-json-throughout)$`, []string{"handshake/stderr-safe-json-throughout"}},
		{"no-health", "driver", `^handshake/(listener-bound|health|reattach)$`, []string{"handshake/health", "handshake/listener-bound"}},
		{"no-shutdown", "driver", `^handshake/shutdown$`, []string{"handshake/shutdown"}},
		{"dies-on-sigint", "driver", `^handshake/ignores-sigint$`, []string{"handshake/ignores-sigint"}},
		{"stdout-noise", "driver", hs, []string{"handshake/stdout-quiet"}},
		{"nonjson-logs", "driver", `^handshake/stderr`, []string{"handshake/stderr-hclog-json"}},
		{"crashy-logs", "driver", `^handshake/stderr`, []string{"handshake/stderr-hclog-json", "handshake/stderr-safe-json", "handshake/stderr-safe-json-throughout"}},
		{"bad-info", "driver", `^base/plugin-info$`, []string{"base/plugin-info"}},
		{"bad-schema", "driver", `^base/config-schema$`, []string{"base/config-schema"}},
		{"setconfig-once", "driver", `^base/`, []string{"base/set-config-twice"}},
		{"wait-once", "driver", drv, []string{"driver/wait-after-exit", "driver/wait-concurrent"}},
		{"recover-needs-config", "driver", drv, []string{"driver/recover-task"}},
		{"duplicate-ok", "driver", `^driver/duplicate-task-id$`, []string{"driver/duplicate-task-id"}},
		{"stop-no-kill", "driver", `^driver/stop`, []string{"driver/stop-kills-after-timeout", "driver/stop-signal-then-kill"}},
		{"slow-fingerprint", "driver", `^driver/fingerprint$`, []string{"driver/fingerprint"}},
		{"reject-config", "driver", `^base/set-config$`, []string{"base/set-config"}},
		{"accept-malformed", "driver", `^base/`, []string{"base/set-config-malformed"}},
		{"ignore-socket-dir", "driver", `^handshake/unix-socket-dir$`, []string{"handshake/unix-socket-dir"}},
		{"bad-task-schema", "driver", `^driver/task-config-schema$`, []string{"driver/task-config-schema"}},
		{"exit-zero", "driver", `^driver/(lifecycle|wait-after-exit)$`, []string{"driver/lifecycle"}},
		{"no-stderr", "driver", `^driver/(output|signal)$`, []string{"driver/output"}},
		{"stop-noop", "driver", `^driver/(stop|stop-kills-after-timeout|recover-task|destroy-running)$`, []string{"driver/recover-task", "driver/stop", "driver/stop-kills-after-timeout"}},
		{"destroy-running-ok", "driver", `^driver/(lifecycle|destroy-running)$`, []string{"driver/destroy-running"}},
		{"unknown-task-text", "driver", `^driver/(lifecycle|destroy-running|task-not-found)$`, []string{"driver/destroy-running", "driver/lifecycle", "driver/task-not-found"}},
		{"vague-config-error", "driver", `^driver/invalid-config$`, []string{"driver/invalid-config"}},
		{"signal-dropped", "driver", `^driver/(capabilities|signal)$`, []string{"driver/signal"}},
		{"stats-once", "driver", `^driver/task-stats$`, []string{"driver/task-stats"}},
		{"events-close", "driver", `^(driver/task-events|nomad/call-sequence)$`, []string{"driver/task-events", "nomad/call-sequence"}},
		{"init-error", "driver", `^(driver/init-shutdown|nomad/call-sequence)$`, []string{"driver/init-shutdown", "nomad/call-sequence"}},
		{"silent-fingerprint", "device", `^device/fingerprint$`, []string{"device/fingerprint"}},
		{"crash-on-cancel", "device", `^device/stream-cancel$`, []string{"device/stream-cancel"}},
		{"unstable-ids", "device", dev, []string{"device/ids-stable"}},
		{"duplicate-ids", "device", `^device/groups-valid$`, []string{"device/groups-valid"}},
		{"bad-unit", "device", dev, []string{"device/groups-valid"}},
		{"reserve-anything", "device", `^device/reserve$`, []string{"device/reserve"}},
		{"stats-partial", "device", `^device/stats$`, []string{"device/stats"}},
		// Replies Nomad's Go client cannot decode: the case that reads one
		// through the typed client fails, and nomad/replies-decode names the
		// field (go/host validate.go's checks, run on every message).
		{"nomad-no-completed-at", "driver", `^(driver/lifecycle|nomad/replies-decode)$`, []string{"driver/lifecycle", "nomad/replies-decode"}},
		{"nomad-no-result", "driver", `^(driver/recover-task|driver/inspect-running|nomad/replies-decode)$`, []string{"driver/inspect-running", "driver/recover-task", "nomad/replies-decode"}},
		{"nomad-wait-no-result", "driver", `^(driver/wait-after-exit|nomad/replies-decode)$`, []string{"driver/wait-after-exit", "nomad/replies-decode"}},
		{"nomad-stats-no-timestamp", "driver", `^(driver/task-stats|nomad/replies-decode)$`, []string{"driver/task-stats", "nomad/replies-decode"}},
		{"nomad-stats-negative-cpu", "driver", `^(driver/task-stats|nomad/replies-decode)$`, []string{"driver/task-stats", "nomad/replies-decode"}},
		{"nomad-unknown-health", "driver", `^(driver/fingerprint|nomad/replies-decode)$`, []string{"driver/fingerprint", "nomad/replies-decode"}},
		{"nomad-unknown-enum", "driver", `^(driver/capabilities|nomad/replies-decode)$`, []string{"driver/capabilities", "nomad/replies-decode"}},
		{"nomad-exec-no-result", "driver", `^(driver/exec|nomad/replies-decode)$`, []string{"driver/exec", "nomad/replies-decode"}},
		{"nomad-device-stats-no-timestamp", "device", `^(device/stats|nomad/replies-decode)$`, []string{"device/stats", "nomad/replies-decode"}},
	}
}

// TestEveryCaseHasABrokenPlugin keeps the rule that the harness proves it can
// fail: a new case needs a fault variant (or the TCP test) that fails it.
func TestEveryCaseHasABrokenPlugin(t *testing.T) {
	tripped := map[string]bool{"handshake/port-range": true} // TestTCPPluginPortRange
	for _, v := range faultVariants() {
		for _, id := range v.want {
			tripped[id] = true
		}
	}
	for _, c := range conformance.AllCases() {
		assert.True(t, tripped[c.ID], "no broken self-test plugin fails %s: add a fault switch to go/internal/fakeplugin and a variant here", c.ID)
	}
}

func TestBrokenPluginsFailExactlyTheirCases(t *testing.T) {
	// Cases that must pass, not merely not fail: a skip would hide a check
	// that never ran.
	mustPass := map[string][]string{
		"clean-driver": {"driver/capabilities", "driver/recover-task", "driver/signal", "driver/exec", "driver/exec-streaming",
			"driver/recover-empty-task-id", "driver/recover-exited-while-down", "driver/recover-invalid-handle", "driver/wait-concurrent",
			"driver/stop-signal-then-kill", "driver/destroy-kills-all", "driver/children-killed", "driver/exec-stdin", "driver/exec-tty",
			"driver/stats-interval", "driver/stats-busy", "base/set-config-empty", "driver/fingerprint-healthy", "driver/streams-stay-open",
			"driver/env", "driver/no-leaked-tasks", "handshake/stderr-safe-json-throughout", "handshake/launch", "nomad/replies-decode", "driver/inspect-running"},
		"clean-device":         {"device/fingerprint-healthy", "device/streams-stay-open", "base/set-config-empty", "nomad/replies-decode"},
		"without-signals-exec": {"driver/capabilities"},
		"no-task-stats":        {"driver/streams-stay-open", "driver/lifecycle", "driver/recover-task", "driver/init-shutdown", "nomad/replies-decode"},
		"no-device-stats":      {"device/streams-stay-open", "device/stream-cancel", "device/fingerprint-healthy"},
	}
	// Cases that must be skipped, with a message saying why: the optional
	// RPC they judge answers Unimplemented.
	mustSkip := map[string][]string{
		"no-task-stats":   {"driver/task-stats", "driver/stats-interval", "driver/stats-busy"},
		"no-device-stats": {"device/stats"},
	}
	for _, tc := range faultVariants() {
		name := tc.fault
		if name == "" {
			name = "clean-" + tc.kind
		}
		fault, mtls := strings.CutPrefix(tc.fault, "mtls:")
		t.Run(name, func(t *testing.T) {
			// The variants are independent processes and mostly wait on
			// timeouts, so they overlap well (go test -parallel, GOMAXPROCS by default).
			t.Parallel()
			args := []string{tc.kind}
			if fault != "" {
				args = []string{"-fault=" + fault, tc.kind}
			}
			// A plugin that ignores PLUGIN_UNIX_SOCKET_DIR puts its socket
			// in TMPDIR: give it one the test removes.
			// (t.TempDir would make socket paths longer than a sun_path.)
			tmp, err := os.MkdirTemp("", "ys")
			require.NoError(t, err)
			defer os.RemoveAll(tmp)
			r := runHarnessOpts(t, args, []string{"TMPDIR=" + tmp}, tc.run, mtls)
			require.NotEmpty(t, r.Results)
			byID := map[string]conformance.Result{}
			for _, x := range r.Results {
				byID[x.ID] = x
			}
			for _, id := range mustPass[name] {
				assert.Equal(t, conformance.StatusPass, byID[id].Status, "%s: %s", id, byID[id].Message)
			}
			for _, id := range mustSkip[name] {
				assert.Equal(t, conformance.StatusSkip, byID[id].Status, "%s: %s", id, byID[id].Message)
				assert.Contains(t, byID[id].Message, "answers Unimplemented", id)
				assert.Contains(t, byID[id].Message, "optional-RPC table", id)
			}
			got := failed(r)
			for _, x := range r.Results {
				if x.Status == conformance.StatusSkip && strings.Contains(x.Message, "blocked") {
					t.Logf("%s: %s", x.ID, x.Message)
				}
			}
			want := append([]string(nil), tc.want...)
			sort.Strings(want)
			if !assert.Equal(t, want, got) {
				for _, x := range r.Results {
					if x.Status == conformance.StatusFail {
						t.Logf("%s: %s", x.ID, x.Message)
					}
				}
			}
		})
	}
}

func TestTCPPluginPortRange(t *testing.T) {
	r := runHarness(t, []string{"-tcp", "driver"}, `^handshake/(port-range|unix-socket-dir|health)$`)
	byID := map[string]conformance.Status{}
	for _, x := range r.Results {
		byID[x.ID] = x.Status
	}
	assert.Equal(t, conformance.StatusPass, byID["handshake/port-range"])
	assert.Equal(t, conformance.StatusSkip, byID["handshake/unix-socket-dir"])
	r = runHarness(t, []string{"-tcp", "-fault=ignore-port-range", "driver"}, `^handshake/port-range$`)
	assert.Equal(t, []string{"handshake/port-range"}, failed(r))
}

func TestCaseIDsStableAndUnique(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range conformance.AllCases() {
		assert.False(t, seen[c.ID], "duplicate case %s", c.ID)
		seen[c.ID] = true
		assert.Regexp(t, `^(handshake|base|driver|device|nomad)/[a-z0-9-]+$`, c.ID)
		assert.Contains(t, []conformance.Level{conformance.Required, conformance.Recommended}, c.Level)
		assert.NotEmpty(t, c.Doc, c.ID)
		assert.True(t, strings.HasPrefix(c.ID, c.Group()+"/"))
	}
}

// TestConfigEnvReachesPlugin: hosts pass a plugin only an allow-listed
// environment, so Config.Env (yurt-conformance --env) is the way to hand it a
// variable. The fault arrives only through the environment, on both launch
// paths: host.Launch (base/plugin-info) and the raw launcher
// (handshake/cookie-enforced).
func TestConfigEnvReachesPlugin(t *testing.T) {
	const run = `^(base/plugin-info|handshake/cookie-enforced)$`
	r := runHarnessEnv(t, []string{"driver"}, nil, run)
	assert.Empty(t, failed(r), "control run without --env")
	r = runHarnessEnv(t, []string{"driver"}, []string{"FAKEPLUGIN_FAULT=bad-info,ignore-cookie"}, run)
	assert.Equal(t, []string{"base/plugin-info", "handshake/cookie-enforced"}, failed(r))
}

// TestBlockedCases: a plugin that cannot be launched, or whose PluginInfo is
// wrong, gives one failure with its cause; the cases that depend on it are
// skipped as blocked, naming the case.
func TestBlockedCases(t *testing.T) {
	t.Parallel()
	r := runHarness(t, []string{"-fault=wrong-version", "driver"}, ".")
	require.Equal(t, []string{"handshake/launch"}, failed(r))
	for _, x := range r.Results {
		if x.ID == "handshake/launch" {
			assert.Contains(t, x.Message, "app protocol", "the failure names the cause")
			continue
		}
		assert.Equal(t, conformance.StatusSkip, x.Status, x.ID)
		assert.Contains(t, x.Message, "blocked by handshake/launch", x.ID)
	}
	r = runHarness(t, []string{"-fault=bad-type", "driver"}, ".")
	require.Equal(t, []string{"base/plugin-info"}, failed(r))
	blocked := 0
	for _, x := range r.Results {
		if strings.Contains(x.Message, "blocked by base/plugin-info") {
			blocked++
			assert.Equal(t, conformance.StatusSkip, x.Status, x.ID)
			assert.False(t, strings.HasPrefix(x.ID, "handshake/") && x.ID != "handshake/reattach", "raw handshake case %s needs no PluginInfo", x.ID)
		}
	}
	assert.Greater(t, blocked, 20)
}

// TestRunLeavesNothing: the run's socket dir and alloc dirs are removed and
// no task process of the run survives it, even when the plugin leaks one; the
// leak is reported with its pids.
func TestRunLeavesNothing(t *testing.T) {
	t.Parallel()
	h := newHarness(t, []string{"-fault=destroy-no-kill", "driver"}, nil, `^(handshake/(launch|line-format|reattach)|driver/(destroy-running|recover-task|no-leaked-tasks))$`, false)
	dir, err := h.RunDir()
	require.NoError(t, err)
	r := h.Run(context.Background())
	require.Equal(t, []string{"driver/no-leaked-tasks"}, failed(r))
	for _, x := range r.Results {
		if x.ID == "driver/no-leaked-tasks" {
			assert.Regexp(t, `after driver/destroy-running: pids \d+ \(`, x.Message)
		}
	}
	_, err = os.Stat(dir)
	assert.True(t, os.IsNotExist(err), "run dir %s still there: %v", dir, err)
	assert.Empty(t, conformance.FindMarked(conformance.MarkerRunEnv, h.RunID()), "task processes of the run still alive")
}

// TestRepliesDecodeNamesTheField: nomad/replies-decode reports each reply
// Nomad's client could not decode with the case that received it, the RPC and
// the field.
func TestRepliesDecodeNamesTheField(t *testing.T) {
	t.Parallel()
	r := runHarness(t, []string{"-fault=nomad-no-completed-at,nomad-stats-negative-cpu", "driver"}, `^(driver/(lifecycle|task-stats)|nomad/replies-decode)$`)
	require.Contains(t, failed(r), "nomad/replies-decode")
	for _, x := range r.Results {
		if x.ID == "nomad/replies-decode" {
			assert.Equal(t, conformance.Required, x.Level)
			assert.Contains(t, x.Message, "during driver/lifecycle (/hashicorp.nomad.plugins.drivers.proto.Driver/InspectTask): InspectTask: reply Nomad's client cannot decode: field task.completed_at: expected a timestamp")
			assert.Contains(t, x.Message, "during driver/task-stats (/hashicorp.nomad.plugins.drivers.proto.Driver/TaskStats): TaskStats: reply Nomad's client cannot decode: field stats.agg_resource_usage.cpu.system_mode: expected a finite figure >= 0")
		}
	}
}
