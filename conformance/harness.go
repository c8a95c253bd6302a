package conformance

import (
	"context"
	"fmt"
	"io"
	"os"
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
}

// Harness runs cases against one plugin.
type Harness struct {
	cfg Config

	probeOnce sync.Once
	info      host.PluginInfo
	probeErr  error
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
	return &Harness{cfg: cfg}, nil
}

// Config returns the harness configuration.
func (h *Harness) Config() Config { return h.cfg }

// Info launches the plugin once (AutoMTLS, like a host) and returns its
// validated PluginInfo.
func (h *Harness) Info(ctx context.Context) (host.PluginInfo, error) {
	h.probeOnce.Do(func() {
		ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		p, err := host.Launch(ctx, h.hostOptions(nil))
		if err != nil {
			h.probeErr = err
			return
		}
		defer p.Kill()
		h.info, h.probeErr = p.PluginInfo(ctx)
	})
	return h.info, h.probeErr
}

func (h *Harness) hostOptions(mod func(*host.Options)) host.Options {
	o := host.Options{Path: h.cfg.PluginPath, Args: h.cfg.Args, Env: append([]string(nil), h.cfg.Env...), Logger: h.cfg.Logger, StartTimeout: 20 * time.Second}
	if mod != nil {
		mod(&o)
	}
	return o
}

// Launch starts the plugin as a host does (AutoMTLS on unless mod turns it
// off); it is killed when the case ends.
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
// applied by the caller with ExpectedFailures.Apply).
func (h *Harness) Run(ctx context.Context) *Report {
	r := &Report{Plugin: h.cfg.PluginPath, Started: time.Now()}
	if info, err := h.Info(ctx); err == nil {
		r.PluginType = string(info.Type)
	}
	for _, c := range h.Selected() {
		var res Result
		if reason := h.skipReason(ctx, c); reason != "" {
			res = Result{ID: c.ID, Level: c.Level, Doc: c.Doc, Status: StatusSkip, Message: reason}
		} else {
			res = runCase(ctx, h, c, h.cfg.CaseTimeout)
		}
		r.Results = append(r.Results, res)
		if h.cfg.Progress != nil {
			fmt.Fprintf(h.cfg.Progress, "%-5s %s %s\n", res.Status, c.ID, oneLine(res.Message, 120))
		}
	}
	return r
}

func (h *Harness) skipReason(ctx context.Context, c Case) string {
	if c.Kind == AnyPlugin {
		return ""
	}
	info, err := h.Info(ctx)
	if err != nil {
		// Let the case run and fail with the launch error.
		return ""
	}
	if string(info.Type) != string(c.Kind) {
		return fmt.Sprintf("not applicable: the plugin is a %s, the case needs a %s", info.Type, c.Kind)
	}
	return ""
}

// AllCases lists every case, in run order.
func AllCases() []Case {
	var out []Case
	out = append(out, handshakeCases()...)
	out = append(out, baseCases()...)
	out = append(out, driverCases()...)
	out = append(out, deviceCases()...)
	out = append(out, nomadCases()...)
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
