package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/pprof"
	"syscall"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/yurt-sdk/yurt/go/agent"
	"github.com/yurt-sdk/yurt/go/config"
)

func agentSetup(fs *flag.FlagSet, o cmdIO) func([]string) error {
	cfgFile := fs.String("config", "", "agent configuration file (HCL)")
	dev := fs.Bool("dev", false, "development mode: temporary data dir, plugins from -plugin-dir; stops tasks and plugins on exit")
	dataDir := fs.String("data-dir", "", "data directory (overrides data_dir)")
	pluginDir := fs.String("plugin-dir", "", "plugin directory (overrides plugin_dir; -dev default build/plugins)")
	logLevel := fs.String("log-level", "info", "trace, debug, info, warn or error")
	return func([]string) error {
		return runAgent(*cfgFile, *dev, *dataDir, *pluginDir, *logLevel, o.stderr)
	}
}

func runAgent(cfgFile string, dev bool, dataDir, pluginDir, logLevel string, stderr io.Writer) error {
	if cfgFile == "" && !dev {
		return usageError{"yurt agent needs -config FILE or -dev"}
	}
	cfg := &config.Agent{Plugins: map[string]*config.Plugin{}}
	if cfgFile != "" {
		c, err := config.LoadAgent(cfgFile)
		if err != nil {
			return err
		}
		cfg = c
	}
	removeDataDir := false
	if dataDir != "" {
		cfg.DataDir = dataDir
	}
	if pluginDir != "" {
		cfg.PluginDir = pluginDir
	}
	if dev {
		if cfg.DataDir == "" {
			d, err := os.MkdirTemp("", "yurt-dev-")
			if err != nil {
				return err
			}
			cfg.DataDir, removeDataDir = d, true
		}
		if cfg.PluginDir == "" {
			cfg.PluginDir = "build/plugins"
		}
	}
	for _, p := range []*string{&cfg.DataDir, &cfg.PluginDir} {
		if *p != "" {
			abs, err := filepath.Abs(*p)
			if err != nil {
				return err
			}
			*p = abs
		}
	}
	log := hclog.New(&hclog.LoggerOptions{Name: "yurt", Level: hclog.LevelFromString(logLevel), Output: stderr})
	// YURT_AGENT_CPUPROFILE=<file>: a CPU profile of the agent from its
	// start (recovery included) to its shutdown, for `go tool pprof`.
	if path := os.Getenv("YURT_AGENT_CPUPROFILE"); path != "" {
		f, err := os.Create(path)
		if err != nil {
			return fmt.Errorf("YURT_AGENT_CPUPROFILE: %w", err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			f.Close()
			return fmt.Errorf("YURT_AGENT_CPUPROFILE: %w", err)
		}
		defer func() { pprof.StopCPUProfile(); f.Close() }()
	}
	// YURT_AGENT_PPROF=<host:port>: net/http/pprof on that address (loopback
	// only), with mutex and block profiling on, to profile a window of a
	// running agent, e.g. during the scale benchmark.
	if addr := os.Getenv("YURT_AGENT_PPROF"); addr != "" {
		if err := servePprof(addr, log); err != nil {
			return fmt.Errorf("YURT_AGENT_PPROF: %w", err)
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	a, err := agent.New(ctx, agent.Options{Config: cfg, Dev: dev, RemoveDataDir: removeDataDir, Logger: log})
	if err != nil {
		if removeDataDir {
			os.RemoveAll(cfg.DataDir)
		}
		return err
	}
	if f := addressFile(); f != "" {
		if os.MkdirAll(filepath.Dir(f), 0o700) == nil {
			_ = os.WriteFile(f, []byte(a.SocketPath()+"\n"), 0o600)
		}
	}
	log.Info("agent ready", "data_dir", cfg.DataDir, "plugin_dir", cfg.PluginDir, "socket", a.SocketPath())
	fmt.Fprintf(stderr, "yurt agent ready; use it with: export YURT_ADDR=%s\n", a.SocketPath())
	<-ctx.Done()
	stop()
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	return a.Shutdown(sctx)
}
