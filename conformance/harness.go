package conformance

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sync"
	"time"

	hclog "github.com/hashicorp/go-hclog"
	"github.com/yurt-sdk/yurt/go/host"
)

// Config says what to test and how.
type Config struct {
	// PluginPath is the plugin executable. Required.
	PluginPath string
	// Args are passed to the plugin (Nomad's plugin "args").
	Args []string
	// Env adds KEY=VALUE entries to every plugin process's environment. A
	// host passes only an allow-list of its own environment (see
	// host.PluginEnvAllowList), so a variable the plugin needs goes here.
	Env []string
	// PluginConfig is the plugin configuration as HCL (the body of Nomad's
	// plugin "config" block); empty means an empty body.
	PluginConfig []byte
	// PluginConfigFile names PluginConfig's source in errors.
	PluginConfigFile string
	// Scenarios are the task roles for driver cases; nil skips cases needing them.
	Scenarios *Scenarios
	// Run, if set, selects cases whose ID matches.
	Run *regexp.Regexp
	// CaseTimeout bounds each case; zero means 60 s.
	CaseTimeout time.Duration
	// Logger receives harness and plugin logs; nil discards them.
	Logger hclog.Logger
	// Progress, if set, gets one line per finished case.
	Progress io.Writer
	// AutoMTLS launches plugins with go-plugin's AutoMTLS. The default (false)
	// is Nomad's way: Nomad's plugin loader launches every plugin without it
	// (helper/pluginutils/loader/loader.go), so plaintext over the unix socket
	// is what a plugin meets in production.
	AutoMTLS bool
}

// Transport names the transport a run uses: "plain" or "mtls".
func (c Config) Transport() string {
	if c.AutoMTLS {
		return "mtls"
	}
	return "plain"
}

// Harness runs cases against one plugin.
type Harness struct {
	cfg Config

	probeOnce sync.Once
	info      host.PluginInfo
	launchErr error // the plugin could not be launched and connected
	infoErr   error // PluginInfo failed or was invalid

	// Per run: an id put in every task's environment, and a directory holding
	// PLUGIN_UNIX_SOCKET_DIR, alloc dirs and task control dirs, removed by Close.
	runID   string
	dirOnce sync.Once
	runDir  string
	dirErr  error

	logs         logWatch
	replies      replyWatch
	mu           sync.Mutex
	leaks        []string
	tasksStarted int
}

// New checks the configuration.
func New(cfg Config) (*Harness, error) {
	if cfg.PluginPath == "" {
		return nil, fmt.Errorf("conformance: plugin path: expected an executable, got an empty string")
	}
	st, err := os.Stat(cfg.PluginPath)
	if err != nil {
		return nil, fmt.Errorf("conformance: plugin path: %w", err)
	}
	if st.IsDir() || st.Mode()&0o111 == 0 {
		return nil, fmt.Errorf("conformance: plugin path %s: expected an executable file, got mode %v", cfg.PluginPath, st.Mode())
	}
	if cfg.CaseTimeout == 0 {
		cfg.CaseTimeout = 60 * time.Second
	}
	if cfg.Logger == nil {
		cfg.Logger = hclog.NewNullLogger()
	}
	var id [6]byte
	if _, err := rand.Read(id[:]); err != nil {
		return nil, fmt.Errorf("conformance: run id: %w", err)
	}
	return &Harness{cfg: cfg, runID: hex.EncodeToString(id[:])}, nil
}

// RunID is the value of YURT_CONFORMANCE_RUN in the environment of every task
// this harness starts.
func (h *Harness) RunID() string { return h.runID }

// RunDir is the per-run directory (sockets, alloc dirs); it is created on first
// use and removed by Close (Run closes it at its end).
func (h *Harness) RunDir() (string, error) {
	h.dirOnce.Do(func() {
		// Short: plugin sockets live below it, and unix socket paths must
		// stay under 108 bytes even in a deep TMPDIR.
		h.runDir, h.dirErr = os.MkdirTemp("", "yc-")
		if h.dirErr == nil {
			for _, sub := range []string{"sockets", "allocs"} {
				if err := os.Mkdir(filepath.Join(h.runDir, sub), 0o755); err != nil {
					h.dirErr = err
				}
			}
			// Tasks may run as another user and write their control files here.
			_ = os.Chmod(filepath.Join(h.runDir), 0o755)
		}
	})
	return h.runDir, h.dirErr
}

// SocketDir is the PLUGIN_UNIX_SOCKET_DIR every plugin process of the run gets.
func (h *Harness) SocketDir() string {
	d, err := h.RunDir()
	if err != nil {
		return ""
	}
	return filepath.Join(d, "sockets")
}

// Close kills any task process of the run that is still alive and removes the
// run directory. Run calls it; it is safe to call more than once.
func (h *Harness) Close() {
	if left := findMarked(MarkerRunEnv, h.runID); len(left) > 0 {
		killAll(left)
	}
	if h.runDir != "" {
		_ = os.RemoveAll(h.runDir)
	}
}

// Config returns the harness configuration.
func (h *Harness) Config() Config { return h.cfg }

// Info launches the plugin once (with the run's transport, as a host does) and
// returns its validated PluginInfo.
func (h *Harness) Info(ctx context.Context) (host.PluginInfo, error) {
	h.probe(ctx)
	if h.launchErr != nil {
		return h.info, h.launchErr
	}
	return h.info, h.infoErr
}

func (h *Harness) probe(ctx context.Context) {
	h.probeOnce.Do(func() {
		ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		p, err := host.Launch(ctx, h.hostOptions(nil))
		if err != nil {
			h.launchErr = err
			return
		}
		defer p.Kill()
		h.info, h.infoErr = p.PluginInfo(ctx)
	})
}

func (h *Harness) hostOptions(mod func(*host.Options)) host.Options {
	env := []string{"PLUGIN_UNIX_SOCKET_DIR=" + h.SocketDir()}
	o := host.Options{Path: h.cfg.PluginPath, Args: h.cfg.Args, Env: append(env, h.cfg.Env...), Logger: h.cfg.Logger,
		StartTimeout: 20 * time.Second, DisableAutoMTLS: !h.cfg.AutoMTLS,
		LogObserver: func(l host.LogLine) { h.logs.observe(l.Raw) }, GRPCDialOptions: h.replies.dialOptions()}
	if mod != nil {
		mod(&o)
	}
	return o
}

// Launch starts the plugin as a host does (with the run's transport unless mod
// changes it); it is killed when the case ends.
func (t *T) Launch(mod func(*host.Options)) *host.Plugin {
	p, err := host.Launch(t.Ctx, t.H.hostOptions(mod))
	t.Check(err, "launching the plugin")
	t.Cleanup(p.Kill)
	return p
}

// Selected returns the cases this harness will run, in order.
func (h *Harness) Selected() []Case {
	var out []Case
	for _, c := range AllCases() {
		if h.cfg.Run == nil || h.cfg.Run.MatchString(c.ID) {
			out = append(out, c)
		}
	}
	return out
}

// Run runs the selected cases and returns the report (expected failures are
// applied by the caller with ExpectedFailures.Apply). When the plugin cannot be
// launched, handshake/launch fails with the cause and every other case is
// skipped as blocked by it; when PluginInfo fails, base/plugin-info fails and
// every case that needs a typed plugin is skipped as blocked by it. At the end
// every task process of the run is killed and the run directory removed.
func (h *Harness) Run(ctx context.Context) *Report {
	defer h.Close()
	r := &Report{Plugin: h.cfg.PluginPath, Transport: h.cfg.Transport(), Started: time.Now()}
	if _, err := h.RunDir(); err != nil {
		r.Problems = append(r.Problems, fmt.Sprintf("creating the run directory: %v", err))
		return r
	}
	h.probe(ctx)
	h.reportLaunchFailure(r)
	if h.launchErr == nil && h.infoErr == nil {
		r.PluginType = string(h.info.Type)
	}
	for _, c := range h.Selected() {
		var res Result
		if reason := h.skipReason(c); reason != "" {
			res = Result{ID: c.ID, Level: c.Level, Doc: c.Doc, Status: StatusSkip, Message: reason}
		} else {
			h.logs.setCase(c.ID)
			h.replies.setCase(c.ID)
			res = runCase(ctx, h, c, h.cfg.CaseTimeout)
			h.checkLeaks(c.ID)
		}
		r.Results = append(r.Results, res)
		if h.cfg.Progress != nil {
			fmt.Fprintf(h.cfg.Progress, "%-5s %s %s\n", res.Status, c.ID, oneLine(res.Message, 120))
		}
	}
	return r
}

// checkLeaks runs after each case: every task the case started must be gone
// once the case's cleanup (StopTask, DestroyTask with force, plugin killed)
// is over. What is left is recorded for driver/no-leaked-tasks and killed.
func (h *Harness) checkLeaks(caseID string) {
	left := waitGone(MarkerRunEnv, h.runID, 2*time.Second)
	if len(left) == 0 {
		return
	}
	h.mu.Lock()
	h.leaks = append(h.leaks, fmt.Sprintf("after %s: pids %s", caseID, procList(left)))
	h.mu.Unlock()
	killAll(left)
}

const (
	caseLaunch = "handshake/launch"
	caseInfo   = "base/plugin-info"
)

func (h *Harness) skipReason(c Case) string {
	if h.launchErr != nil && c.ID != caseLaunch {
		return fmt.Sprintf("blocked by %s: the plugin could not be launched: %s", caseLaunch, launchBrief(h.launchErr))
	}
	if h.infoErr != nil && c.ID != caseInfo && !c.NoInfo {
		return fmt.Sprintf("blocked by %s: %s", caseInfo, oneLine(h.infoErr.Error(), 200))
	}
	if c.Kind == AnyPlugin || h.launchErr != nil || h.infoErr != nil {
		return ""
	}
	if string(h.info.Type) != string(c.Kind) {
		return fmt.Sprintf("not applicable: the plugin is a %s, the case needs a %s", h.info.Type, c.Kind)
	}
	return ""
}

// AllCases lists every case, in run order.
func AllCases() []Case {
	var out []Case
	out = append(out, handshakeCases()...)
	out = append(out, baseCases()...)
	out = append(out, driverCases()...)
	out = append(out, recoveryCases()...)
	out = append(out, lifecycleCases()...)
	out = append(out, execCases()...)
	out = append(out, statsCases()...)
	out = append(out, healthCases()...)
	out = append(out, deviceCases()...)
	out = append(out, nomadCases()...)
	out = append(out, finalCases()...)
	return out
}

// CaseIDs lists all case IDs.
func CaseIDs() []string {
	var ids []string
	for _, c := range AllCases() {
		ids = append(ids, c.ID)
	}
	return ids
}
