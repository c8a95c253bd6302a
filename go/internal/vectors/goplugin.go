package vectors

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os/exec"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/go-hclog"
	goplugin "github.com/hashicorp/go-plugin"
	"github.com/hashicorp/go-plugin/runner"

	"github.com/yurt-sdk/yurt/go/host"
)

// lineRunner plays a plugin process for go-plugin's real client: its stdout
// and stderr are fixed text, so the client's own parsing decides what it
// accepts (go-plugin client.go Start and logStderr).
type lineRunner struct {
	stdout, stderr string
	done           chan struct{}
	once           sync.Once
}

func (r *lineRunner) Start(context.Context) error     { return nil }
func (r *lineRunner) Diagnose(context.Context) string { return "" }
func (r *lineRunner) Stdout() io.ReadCloser           { return io.NopCloser(strings.NewReader(r.stdout)) }
func (r *lineRunner) Stderr() io.ReadCloser           { return io.NopCloser(strings.NewReader(r.stderr)) }
func (r *lineRunner) Name() string                    { return "vectorplugin" }
func (r *lineRunner) ID() string                      { return "vectorplugin" }
func (r *lineRunner) Wait(context.Context) error      { <-r.done; return nil }
func (r *lineRunner) Kill(context.Context) error {
	r.once.Do(func() { close(r.done) })
	return nil
}
func (r *lineRunner) PluginToHost(n, a string) (string, string, error) { return n, a, nil }
func (r *lineRunner) HostToPlugin(n, a string) (string, string, error) { return n, a, nil }

// runClient starts go-plugin's client as Nomad configures it (grpc only,
// app protocol host.ProtocolVersion, no broker multiplexing), with AutoMTLS
// as yurt's host uses it, against the given plugin output. It returns the
// Start error and what the host logger wrote, one JSON object per line.
func runClient(stdout, stderr string) (error, []map[string]any) {
	var logs bytes.Buffer
	var mu sync.Mutex
	logger := hclog.New(&hclog.LoggerOptions{Name: "host", Level: hclog.Trace, JSONFormat: true,
		Output: &lockedWriter{w: &logs, mu: &mu}})
	r := &lineRunner{stdout: stdout, stderr: stderr, done: make(chan struct{})}
	c := goplugin.NewClient(&goplugin.ClientConfig{
		HandshakeConfig:  host.Handshake(),
		Plugins:          map[string]goplugin.Plugin{},
		AllowedProtocols: []goplugin.Protocol{goplugin.ProtocolGRPC},
		AutoMTLS:         true,
		Logger:           logger,
		StartTimeout:     5 * time.Second,
		RunnerFunc: func(hclog.Logger, *exec.Cmd, string) (runner.Runner, error) {
			return r, nil
		},
	})
	_, err := c.Start()
	_ = r.Kill(context.Background()) // the "process" is over: Kill need not wait for it
	c.Kill()
	mu.Lock()
	defer mu.Unlock()
	var out []map[string]any
	for _, line := range strings.Split(logs.String(), "\n") {
		var m map[string]any
		if json.Unmarshal([]byte(line), &m) != nil {
			continue
		}
		// the host's own messages carry its bare name; the plugin's lines
		// are logged by a sub-logger (whose @module a line's own @module
		// key overrides)
		mod, _ := m["@module"].(string)
		if mod == "host.vectorplugin" || !strings.HasPrefix(mod, "host") {
			out = append(out, m)
		}
	}
	return err, out
}

type lockedWriter struct {
	w  io.Writer
	mu *sync.Mutex
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
