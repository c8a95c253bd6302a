package agent

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/yurt-sdk/yurt/go/api"
	"github.com/yurt-sdk/yurt/go/config"
	"github.com/yurt-sdk/yurt/go/hclspec"
	"github.com/yurt-sdk/yurt/go/host"
	"github.com/yurt-sdk/yurt/go/plugin/base"
	"github.com/yurt-sdk/yurt/go/plugin/device"
	"github.com/yurt-sdk/yurt/go/plugin/driver"
	"github.com/yurt-sdk/yurt/go/state"
)

// Plugin states as shown by `yurt plugin status`.
const (
	pluginStarting   = "starting"
	pluginRunning    = "running"
	pluginRestarting = "restarting"
	pluginFailed     = "failed"
)

// pluginInst is one plugin executable and its current process. When the
// process dies the monitor relaunches it and bumps gen, so that goroutines
// tied to the old process notice and stop.
type pluginInst struct {
	a     *Agent
	file  string
	path  string
	block *config.Plugin

	mu         sync.Mutex
	p          *host.Plugin
	gen        int
	cancel     context.CancelFunc
	info       host.PluginInfo
	apiVersion string
	taskSchema *hclspec.Spec
	state      string
	err        error
	launches   int
	reattached bool
	health     string
	healthDesc string
	attrs      map[string]string
	groups     []*device.DeviceGroup
}

// scanPlugins finds the plugin executables: every executable regular file
// in plugin_dir (as Nomad loads them), configured by its plugin block if
// any. A plugin block naming a missing or non-executable file is an error.
func scanPlugins(cfg *config.Agent) ([]*pluginInst, error) {
	var out []*pluginInst
	ents, err := os.ReadDir(cfg.PluginDir)
	if err != nil && !(errors.Is(err, os.ErrNotExist) && len(cfg.Plugins) == 0) {
		return nil, fmt.Errorf("plugin_dir %s: %w", cfg.PluginDir, err)
	}
	seen := map[string]bool{}
	for _, e := range ents {
		path := filepath.Join(cfg.PluginDir, e.Name())
		st, err := os.Stat(path)
		if err != nil || !st.Mode().IsRegular() || st.Mode().Perm()&0o111 == 0 {
			continue
		}
		seen[e.Name()] = true
		out = append(out, &pluginInst{file: e.Name(), path: path, block: cfg.Plugins[e.Name()], state: pluginStarting})
	}
	var errs []error
	names := make([]string, 0, len(cfg.Plugins))
	for n := range cfg.Plugins {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if seen[n] {
			continue
		}
		b := cfg.Plugins[n]
		path := filepath.Join(cfg.PluginDir, n)
		st, err := os.Stat(path)
		switch {
		case err != nil:
			errs = append(errs, fmt.Errorf("%s: plugin %q: no executable %s in plugin_dir: %w", config.Where(b.DefRange), n, path, err))
		case !st.Mode().IsRegular():
			errs = append(errs, fmt.Errorf("%s: plugin %q: %s is not a regular file", config.Where(b.DefRange), n, path))
		default:
			errs = append(errs, fmt.Errorf("%s: plugin %q: %s is not executable (mode %v); chmod +x it", config.Where(b.DefRange), n, path, st.Mode().Perm()))
		}
	}
	return out, errors.Join(errs...)
}

func (pi *pluginInst) current() (*host.Plugin, int) {
	pi.mu.Lock()
	defer pi.mu.Unlock()
	return pi.p, pi.gen
}

func (pi *pluginInst) driver() (*host.Driver, int, error) {
	pi.mu.Lock()
	defer pi.mu.Unlock()
	if pi.p == nil || pi.state != pluginRunning {
		return nil, pi.gen, fmt.Errorf("driver %q is not available (state %s)", pi.info.Name, pi.state)
	}
	return pi.p.Driver(), pi.gen, nil
}

func (pi *pluginInst) setFailed(err error) {
	pi.mu.Lock()
	pi.state, pi.err = pluginFailed, err
	pi.mu.Unlock()
}

// connect reattaches to the recorded process if allowed and possible,
// otherwise launches a new one, then configures it and opens its streams.
func (pi *pluginInst) connect(ctx context.Context, allowReattach bool) error {
	a := pi.a
	var p *host.Plugin
	reattached := false
	if allowReattach {
		var rec []byte
		_ = a.store.View(func(tx *state.Tx) error {
			rec, _ = tx.Plugin(pi.file)
			return nil
		})
		if rec != nil {
			p = pi.tryReattach(ctx, rec)
			reattached = p != nil
		}
	}
	if p == nil {
		var args []string
		if pi.block != nil {
			args = pi.block.Args
		}
		lctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		np, err := host.Launch(lctx, host.Options{Path: pi.path, Args: args, Logger: a.log.Named(pi.file), StartTimeout: 30 * time.Second,
			SocketDir: a.socketDir()})
		cancel()
		if err != nil {
			return fmt.Errorf("plugin %s: launch: %w", pi.path, err)
		}
		p = np
		rec, err := host.MarshalRecord(p.Record())
		if err == nil {
			err = a.store.Update(func(tx *state.Tx) error { return tx.PutPlugin(pi.file, rec) })
		}
		if err != nil {
			p.Kill()
			return fmt.Errorf("plugin %s: store reattach record: %w", pi.file, err)
		}
		pi.mu.Lock()
		pi.launches++
		pi.mu.Unlock()
	}
	if err := pi.configure(ctx, p); err != nil {
		if !reattached {
			p.Kill()
		} else {
			_ = p.Detach()
		}
		return err
	}
	sctx, cancel := context.WithCancel(a.ctx)
	pi.mu.Lock()
	if pi.cancel != nil {
		pi.cancel()
	}
	pi.p, pi.cancel, pi.reattached = p, cancel, reattached
	pi.gen++
	pi.state, pi.err = pluginRunning, nil
	gen := pi.gen
	pi.mu.Unlock()
	pi.openStreams(sctx, p, gen)
	verb := "launched"
	if reattached {
		verb = "reattached"
	}
	a.events.add(api.Event{Source: "agent", Message: fmt.Sprintf("plugin %s (%s %s) %s, pid %d", pi.file, pi.info.Type, pi.info.Name, verb, p.Record().Pid)})
	return nil
}

func (pi *pluginInst) tryReattach(ctx context.Context, rec []byte) *host.Plugin {
	a := pi.a
	r, err := host.UnmarshalRecord(rec)
	if err != nil {
		a.log.Warn("ignoring unreadable reattach record", "plugin", pi.file, "error", err)
		return nil
	}
	rctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	p, err := host.Reattach(rctx, r, host.ReattachOptions{Logger: a.log.Named(pi.file)})
	if err == nil {
		err = p.Ping(rctx)
		if err != nil {
			_ = p.Detach()
		}
	}
	if err != nil {
		a.log.Info("cannot reattach; launching a new process", "plugin", pi.file, "pid", r.Pid, "error", err)
		return nil
	}
	return p
}

// configure runs PluginInfo, version selection, ConfigSchema, SetConfig
// with the plugin block decoded through the schema, and Init.
func (pi *pluginInst) configure(ctx context.Context, p *host.Plugin) error {
	cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	info, err := p.PluginInfo(cctx)
	if err != nil {
		return fmt.Errorf("plugin %s: %w", pi.file, err)
	}
	api, err := host.SelectAPIVersion(info.Type, info.APIVersions)
	if err != nil {
		return fmt.Errorf("plugin %s: %w", pi.file, err)
	}
	schema, err := p.ConfigSchema(cctx)
	if err != nil {
		return fmt.Errorf("plugin %s: ConfigSchema: %w", pi.file, err)
	}
	var body hcl.Body = hcl.EmptyBody()
	if pi.block != nil && pi.block.Config != nil {
		body = pi.block.Config
	}
	val, diags := hclspec.DecodeBody(body, schema, nil)
	if diags.HasErrors() {
		return fmt.Errorf("plugin %q config: %w", pi.file, config.Diags(diags))
	}
	// Nomad sends the same agent config, port range and CPU topology, to
	// drivers and devices (client/client.go NomadPluginConfig).
	req := host.SetConfigRequest{Value: &val, APIVersion: api, Agent: host.NomadAgentConfig(pi.a.topology)}
	if err := p.SetConfig(cctx, req); err != nil {
		return fmt.Errorf("plugin %s: %w", pi.file, err)
	}
	var taskSchema *hclspec.Spec
	if info.Type == host.PluginTypeDriver {
		if _, err := p.Driver().Init(cctx); err != nil {
			return fmt.Errorf("plugin %s: Init: %w", pi.file, err)
		}
		if taskSchema, err = p.Driver().TaskConfigSchema(cctx); err != nil {
			return fmt.Errorf("plugin %s: TaskConfigSchema: %w", pi.file, err)
		}
	}
	pi.mu.Lock()
	pi.info, pi.apiVersion, pi.taskSchema = info, api, taskSchema
	pi.mu.Unlock()
	return nil
}

func (pi *pluginInst) openStreams(ctx context.Context, p *host.Plugin, gen int) {
	a := pi.a
	bo := host.Backoff{Initial: 250 * time.Millisecond, Max: 5 * time.Second}
	// Read once here: a relaunch rewrites pi.info while these streams run.
	name := pi.info.Name
	switch pi.info.Type {
	case host.PluginTypeDriver:
		// As Nomad's driver manager: a closed stream is reopened (at once
		// after one that delivered, else with 5 s..2 min backoff), the health
		// shown follows the last fingerprint, and a failed fingerprint makes
		// the driver unhealthy (drivermanager/instance.go).
		setHealth := func(h host.DriverHealth) {
			pi.health, pi.healthDesc = h.Health, h.Description
		}
		go p.Driver().FollowFingerprint(ctx, host.NomadStreamBackoff, func(m *driver.Fingerprint) {
			pi.mu.Lock()
			defer pi.mu.Unlock()
			if pi.gen != gen {
				return
			}
			setHealth(host.HealthFromFingerprint(m))
			if m.Err == nil {
				pi.attrs = attrsToStrings(m.Attributes)
			}
		}, func(ev host.StreamEvent) {
			h, ok := host.HealthFromStreamEnd(ev)
			if !ok {
				return
			}
			pi.mu.Lock()
			defer pi.mu.Unlock()
			if pi.gen == gen {
				setHealth(h)
			}
		})
		go p.Driver().FollowTaskEvents(ctx, bo, func(e *driver.TaskEvent) {
			ev := api.Event{Source: "driver " + name, TaskID: e.TaskID, TaskName: e.TaskName, Message: e.Message, Annotations: e.Annotations, Time: e.Timestamp}
			a.events.add(ev)
		}, nil)
	case host.PluginTypeDevice:
		go p.Device().FollowFingerprint(ctx, bo, func(m *device.FingerprintResponse) {
			pi.mu.Lock()
			defer pi.mu.Unlock()
			if pi.gen != gen {
				return
			}
			pi.groups = m.Groups
			pi.health = "healthy"
		}, nil)
	}
}

// monitor notices a dead plugin process, relaunches it with backoff and
// recovers its tasks.
func (pi *pluginInst) monitor() {
	a := pi.a
	t := time.NewTicker(250 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-a.ctx.Done():
			return
		case <-t.C:
		}
		p, _ := pi.current()
		if p == nil || !p.Exited() {
			continue
		}
		pi.mu.Lock()
		pi.state = pluginRestarting
		if pi.cancel != nil {
			pi.cancel()
		}
		pi.mu.Unlock()
		a.log.Warn("plugin exited; relaunching", "plugin", pi.file)
		a.events.add(api.Event{Source: "agent", Message: fmt.Sprintf("plugin %s exited; relaunching", pi.file)})
		wait := 500 * time.Millisecond
		for {
			err := pi.connect(a.ctx, false)
			if err == nil {
				break
			}
			pi.mu.Lock()
			pi.err = err
			pi.mu.Unlock()
			a.log.Error("relaunch failed", "plugin", pi.file, "error", err)
			select {
			case <-a.ctx.Done():
				return
			case <-time.After(wait):
			}
			wait = min(wait*2, 30*time.Second)
		}
		if pi.info.Type == host.PluginTypeDriver {
			a.recoverTasks(pi)
		}
	}
}

func (pi *pluginInst) status() api.Plugin {
	pi.mu.Lock()
	defer pi.mu.Unlock()
	s := api.Plugin{
		File: pi.file, Path: pi.path, Name: pi.info.Name, Type: string(pi.info.Type), Version: pi.info.PluginVersion,
		APIVersion: pi.apiVersion, State: pi.state, Health: pi.health, HealthDescription: pi.healthDesc,
		Attributes: pi.attrs, Launches: pi.launches, Reattached: pi.reattached,
	}
	if pi.p != nil {
		s.Pid = pi.p.Record().Pid
	}
	if pi.err != nil {
		s.Error = pi.err.Error()
	}
	return s
}

func attrsToStrings(m map[string]*base.Attribute) map[string]string {
	if len(m) == 0 {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = attrString(v)
	}
	return out
}

func attrString(v *base.Attribute) string {
	if v == nil {
		return ""
	}
	switch v.Kind {
	case base.AttributeString:
		return v.String
	case base.AttributeBool:
		return fmt.Sprint(v.Bool)
	case base.AttributeInt:
		return fmt.Sprint(v.Int) + unitSuffix(v.Unit)
	case base.AttributeFloat:
		return fmt.Sprint(v.Float) + unitSuffix(v.Unit)
	}
	return ""
}

func unitSuffix(u string) string {
	if u == "" {
		return ""
	}
	return " " + u
}

// socketDir is where plugins create their unix sockets (PLUGIN_UNIX_SOCKET_DIR):
// inside the data dir, so that a plugin that died without removing its
// socket leaves nothing in the system temp dir, and the agent can clean up.
func (a *Agent) socketDir() string { return filepath.Join(a.dataDir, "sockets") }

// removeStaleSockets deletes the sockets of plugins that are gone: every
// file in socketDir that no loaded plugin listens on. It runs once the
// plugins are loaded (reattached ones keep theirs).
func (a *Agent) removeStaleSockets() {
	live := map[string]bool{}
	for _, pi := range a.plugins {
		if p, _ := pi.current(); p != nil {
			live[p.Record().Address] = true
		}
	}
	entries, err := os.ReadDir(a.socketDir())
	if err != nil {
		return
	}
	for _, e := range entries {
		path := filepath.Join(a.socketDir(), e.Name())
		// Directories are a plugin's own (the Python SDK's TLS backend); only
		// the sockets go-plugin's line announced are the agent's to judge.
		if e.IsDir() {
			continue
		}
		if !live[path] {
			if err := os.Remove(path); err != nil {
				a.log.Warn("cannot remove a stale plugin socket", "path", path, "error", err)
			}
		}
	}
}
