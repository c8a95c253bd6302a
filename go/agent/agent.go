// Package agent is the yurt daemon: it loads the plugins in plugin_dir
// (reattaching to the processes a previous run left behind), runs tasks
// from HCL task files through the driver plugins, reserves devices from
// the device plugins, keeps every plugin record, task spec, handle and
// result in the state store so that a restarted agent recovers its tasks,
// relaunches plugins that die, and serves the local HTTP/JSON API on a
// unix socket in the data dir.
package agent

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/yurt-sdk/yurt/go/api"
	"github.com/yurt-sdk/yurt/go/config"
	"github.com/yurt-sdk/yurt/go/host"
	"github.com/yurt-sdk/yurt/go/logmon"
	"github.com/yurt-sdk/yurt/go/plugin/base"
	"github.com/yurt-sdk/yurt/go/state"
)

// Options configures an agent.
type Options struct {
	Config *config.Agent
	// Dev stops every task and kills every plugin on shutdown (the default
	// is to leave them running for the next agent to reattach).
	Dev bool
	// RemoveDataDir deletes the data dir after a Dev shutdown.
	RemoveDataDir bool
	Logger        hclog.Logger
}

// Agent is a running yurt daemon.
type Agent struct {
	opts     Options
	log      hclog.Logger
	dataDir  string
	nodeName string
	// topology is the host's CPU topology, scanned once as Nomad's client
	// does at start and sent to every plugin in SetConfig.
	topology *base.Topology
	// logs reads every task's stdout and stderr FIFOs (logmon.Collector:
	// in the agent, re-opened by the next agent after a restart).
	logs *logmon.Collector
	// parsedAtStart holds the task files reopenLogs parsed, for
	// recoverAll (New only).
	parsedAtStart map[string]*config.Task
	store         *state.Store
	events        *eventLog
	plugins       []*pluginInst

	ctx    context.Context
	cancel context.CancelFunc
	bg     sync.WaitGroup

	gates startGates // starts in flight and names claimed by runs (startgate.go)
	mu    sync.Mutex
	tasks map[string]*task

	devMu    sync.Mutex
	reserved map[string]string // devKey(plugin, device ID) -> task ID

	ln  net.Listener
	srv *http.Server
}

// New opens the state, loads every plugin, recovers the stored tasks and
// starts the API. Plugins with a plugin block must load; a failure of an
// unconfigured one is reported in plugin status instead.
func New(ctx context.Context, o Options) (*Agent, error) {
	cfg := o.Config
	if cfg.DataDir == "" {
		return nil, errors.New("data_dir is not set (set it in the agent file, or use -dev or -data-dir)")
	}
	if cfg.PluginDir == "" {
		cfg.PluginDir = filepath.Join(cfg.DataDir, "plugins")
	}
	if o.Logger == nil {
		o.Logger = hclog.NewNullLogger()
	}
	hn, _ := os.Hostname()
	a := &Agent{
		opts: o, log: o.Logger, dataDir: cfg.DataDir, nodeName: hn, logs: logmon.NewCollector(), topology: host.DetectTopology(),
		events: newEventLog(1000), tasks: map[string]*task{}, reserved: map[string]string{},
	}
	a.ctx, a.cancel = context.WithCancel(context.Background())
	a.gates.init()
	plugins, err := scanPlugins(cfg)
	if err != nil {
		return nil, err
	}
	for _, pi := range plugins {
		pi.a = a
	}
	a.plugins = plugins
	if a.store, err = state.Open(cfg.DataDir); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(a.socketDir(), 0o700); err != nil {
		return nil, fmt.Errorf("data_dir: creating the plugin socket dir: %w", err)
	}
	ok := false
	defer func() {
		if !ok {
			a.cancel()
			// Processes this failed start launched go; ones it reattached
			// to belong to tasks that outlive us.
			for _, pi := range a.plugins {
				pi.mu.Lock()
				p, reattached := pi.p, pi.reattached
				pi.mu.Unlock()
				switch {
				case p == nil:
				case reattached:
					_ = p.Detach()
				default:
					p.Kill()
				}
			}
			a.logs.Close(context.Background())
			a.store.Close()
		}
	}()
	// The FIFOs of tasks that outlived the previous agent get a reader
	// at once: their supervisors wait only a bounded time for one. The
	// plugins load meanwhile (issue 19: one after the other, the two took
	// 2.5 s of a 2,000-task reattach).
	began := time.Now()
	logsDone := make(chan struct{})
	var logsAt time.Time
	go func() {
		defer close(logsDone)
		a.reopenLogs()
		logsAt = time.Now()
	}()
	err = a.loadPlugins(ctx)
	pluginsAt := time.Now()
	<-logsDone
	if err != nil {
		return nil, err
	}
	recoverAt := time.Now()
	err = a.recoverAll()
	a.parsedAtStart = nil
	if err != nil {
		return nil, err
	}
	a.log.Info("state recovered", "tasks", len(a.tasks), "logs", logsAt.Sub(began), "plugins", pluginsAt.Sub(began), "tasks_recovered", time.Since(recoverAt))
	if err := a.listen(); err != nil {
		return nil, err
	}
	for _, pi := range a.plugins {
		go pi.monitor()
	}
	go a.watchLogmons()
	ok = true
	return a, nil
}

func (a *Agent) loadPlugins(ctx context.Context) error {
	var wg sync.WaitGroup
	errs := make([]error, len(a.plugins))
	for i, pi := range a.plugins {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := pi.connect(ctx, true); err != nil {
				pi.setFailed(err)
				if pi.block != nil {
					errs[i] = err
				} else {
					a.log.Error("plugin failed to load", "plugin", pi.file, "error", err)
				}
			}
		}()
	}
	wg.Wait()
	a.removeStaleSockets()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	names := map[string]string{}
	for _, pi := range a.plugins {
		if pi.state != pluginRunning {
			continue
		}
		key := string(pi.info.Type) + " " + pi.info.Name
		if prev, dup := names[key]; dup {
			return fmt.Errorf("plugins %s and %s both call themselves %s %q; remove one from plugin_dir", prev, pi.file, pi.info.Type, pi.info.Name)
		}
		names[key] = pi.file
	}
	return nil
}

func (a *Agent) listen() error {
	sock := filepath.Join(a.dataDir, api.SocketName)
	if len(sock) > 107 {
		return fmt.Errorf("api socket path %s is %d bytes; unix sockets allow at most 107: use a shorter data_dir", sock, len(sock))
	}
	if err := os.Remove(sock); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("remove stale socket: %w", err)
	}
	ln, err := net.Listen("unix", sock)
	if err != nil {
		return fmt.Errorf("api socket: %w", err)
	}
	if err := os.Chmod(sock, 0o600); err != nil {
		ln.Close()
		return fmt.Errorf("api socket: %w", err)
	}
	ln = &peerCredListener{Listener: ln, uid: uint32(os.Geteuid()), allowRoot: true,
		refused: func(err error) { a.log.Warn("api", "error", err) }}
	a.ln = ln
	a.srv = &http.Server{Handler: a.routes(), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := a.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			a.log.Error("api server", "error", err)
		}
	}()
	return nil
}

// SocketPath is where the API listens.
func (a *Agent) SocketPath() string { return filepath.Join(a.dataDir, api.SocketName) }

// Shutdown stops the agent. Normally tasks and plugins keep running and the
// next agent reattaches; in dev mode every task is stopped and every plugin
// killed.
func (a *Agent) Shutdown(ctx context.Context) error {
	_ = a.srv.Shutdown(ctx)
	if a.opts.Dev {
		var wg sync.WaitGroup
		a.mu.Lock()
		for _, t := range a.tasks {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := a.stop(ctx, t); err != nil {
					a.log.Warn("stopping task at shutdown", "task", t.spec.ID, "error", err)
				}
			}()
		}
		a.mu.Unlock()
		wg.Wait()
	}
	a.cancel()
	a.bg.Wait()
	// Tasks that go on (not -dev) keep writing; their supervisors hold the
	// output for the next agent's collector.
	a.logs.Close(ctx)
	for _, pi := range a.plugins {
		p, _ := pi.current()
		if p == nil {
			continue
		}
		if a.opts.Dev {
			p.Kill()
		} else {
			_ = p.Detach()
		}
	}
	err := a.store.Close()
	if a.opts.Dev && a.opts.RemoveDataDir {
		err = errors.Join(err, os.RemoveAll(a.dataDir))
	}
	return err
}

func (a *Agent) driverByName(name string) *pluginInst {
	for _, pi := range a.plugins {
		pi.mu.Lock()
		ok := pi.info.Type == host.PluginTypeDriver && pi.info.Name == name
		pi.mu.Unlock()
		if ok {
			return pi
		}
	}
	return nil
}

// driverByNameLocked is driverByName for callers holding a.mu (plugins
// have their own locks, so it is the same function).
func (a *Agent) driverByNameLocked(name string) *pluginInst { return a.driverByName(name) }

func (a *Agent) driverNames() []string {
	var out []string
	for _, pi := range a.plugins {
		pi.mu.Lock()
		if pi.info.Type == host.PluginTypeDriver {
			out = append(out, pi.info.Name)
		}
		pi.mu.Unlock()
	}
	sort.Strings(out)
	if len(out) == 0 {
		out = []string{"(none)"}
	}
	return out
}

// sortedTasks is every task, oldest first.
func (a *Agent) sortedTasks() []*task {
	a.mu.Lock()
	ts := make([]*task, 0, len(a.tasks))
	for _, t := range a.tasks {
		ts = append(ts, t)
	}
	a.mu.Unlock()
	sort.Slice(ts, func(i, j int) bool { return ts[i].spec.CreatedAt.Before(ts[j].spec.CreatedAt) })
	return ts
}

// taskListJSON is taskList as the API sends it (a JSON array and a
// newline), made of each task's cached JSON (task.json): listing thousands
// of tasks encodes only those that changed since the last list. It reads
// only the agent's memory: no plugin call, no state read.
func (a *Agent) taskListJSON() ([]byte, error) {
	ts := a.sortedTasks()
	parts := make([][]byte, 0, len(ts))
	n := 3
	for _, t := range ts {
		b, err := t.json()
		if err != nil {
			return nil, err
		}
		parts = append(parts, b)
		n += len(b) + 1
	}
	out := make([]byte, 0, n)
	out = append(out, '[')
	for i, b := range parts {
		if i > 0 {
			out = append(out, ',')
		}
		out = append(out, b...)
	}
	return append(out, ']', '\n'), nil
}
