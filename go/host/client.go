package host

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	hclog "github.com/hashicorp/go-hclog"
	plugin "github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"
)

// Options says how to launch a plugin binary.
type Options struct {
	// Path of the plugin executable. Required.
	Path string
	// Args are appended to the command line (Nomad's plugin "args").
	Args []string
	// Env is added to the plugin's environment, which otherwise holds only
	// the allow-listed host variables (PluginEnvAllowList) and go-plugin's own.
	Env []string
	// DisableAutoMTLS launches the plugin without PLUGIN_CLIENT_CERT, as Nomad does.
	DisableAutoMTLS bool
	// Logger receives host and plugin log lines. Nil means no logging.
	Logger hclog.Logger
	// Stderr, if set, receives a raw copy of the plugin's stderr.
	Stderr io.Writer
	// LogObserver, if set, is called with every parsed plugin stderr line.
	LogObserver func(LogLine)
	// StartTimeout bounds process start and handshake; zero means 1 minute.
	StartTimeout time.Duration
	// MinPort and MaxPort are passed as PLUGIN_MIN_PORT/PLUGIN_MAX_PORT; zero means
	// go-plugin's defaults (10000-25000).
	MinPort, MaxPort uint
	// GRPCDialOptions are added to the connection's dial options.
	GRPCDialOptions []grpc.DialOption
	// SocketDir, if set, is passed as PLUGIN_UNIX_SOCKET_DIR: the plugin
	// creates its unix socket there, and the caller owns it (the agent keeps
	// sockets in its data dir so that a restarted agent can reattach). It
	// must exist; socket paths must stay under 108 bytes. Empty means a new
	// private temp dir for this plugin, removed by Kill, so that a plugin
	// killed with -9 leaves no socket behind. A detached plugin keeps that
	// dir (a later host reattaches through it) and nothing removes it: a
	// host that detaches passes a SocketDir of its own.
	SocketDir string
}

// Plugin is a connected plugin process.
type Plugin struct {
	client *plugin.Client
	conn   *grpc.ClientConn
	record Record

	mu       sync.Mutex
	detached bool
	// ownedDir is the socket dir Launch made for this plugin; Kill removes it.
	ownedDir string
}

// pluginSet is what go-plugin dispenses; the host uses the raw connection instead,
// so the set only needs one entry for go-plugin's bookkeeping.
func pluginSet() plugin.PluginSet {
	return plugin.PluginSet{"yurt": &rawGRPCPlugin{}}
}

type rawGRPCPlugin struct{ plugin.NetRPCUnsupportedPlugin }

func (rawGRPCPlugin) GRPCServer(*plugin.GRPCBroker, *grpc.Server) error {
	return errors.New("host: rawGRPCPlugin is client-only")
}
func (rawGRPCPlugin) GRPCClient(_ context.Context, _ *plugin.GRPCBroker, c *grpc.ClientConn) (interface{}, error) {
	return c, nil
}

func (o Options) logger() hclog.Logger {
	if o.Logger == nil {
		return hclog.NewNullLogger()
	}
	return o.Logger
}

func stderrWriter(o Options, name string, tail *tailBuffer) *pluginLogWriter {
	return &pluginLogWriter{logger: o.logger().Named(name), raw: o.Stderr, observer: o.LogObserver, tail: tail}
}

// Launch starts the plugin binary and connects to it. With AutoMTLS on (the
// default) the TLS material is kept in the returned Plugin's Record so that a
// later Reattach can speak TLS to the same process.
func Launch(ctx context.Context, o Options) (*Plugin, error) {
	if o.Path == "" {
		return nil, errors.New("host: Options.Path: expected the plugin executable path, got an empty string")
	}
	path, err := filepath.Abs(o.Path)
	if err != nil {
		return nil, fmt.Errorf("host: Options.Path %q: %w", o.Path, err)
	}
	if st, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("host: plugin executable %q: %w", path, err)
	} else if st.IsDir() || st.Mode()&0o111 == 0 {
		return nil, fmt.Errorf("host: plugin %q: expected an executable file, got mode %v", path, st.Mode())
	}
	cmd := exec.Command(path, o.Args...)
	// Only the allow-listed part of the host's environment (see
	// PluginEnvAllowList), then the caller's additions.
	cmd.Env = append(hostEnvForPlugin(), o.Env...)
	socketDir, ownedDir := o.SocketDir, ""
	for _, kv := range o.Env {
		if v, ok := strings.CutPrefix(kv, "PLUGIN_UNIX_SOCKET_DIR="); ok && socketDir == "" {
			socketDir = v // the caller's, given the raw way
		}
	}
	if socketDir == "" {
		d, err := os.MkdirTemp("", "yurt-plugin-")
		if err != nil {
			return nil, fmt.Errorf("host: a socket dir for %s: %w", path, err)
		}
		socketDir, ownedDir = d, d
	}
	cmd.Env = append(cmd.Env, "PLUGIN_UNIX_SOCKET_DIR="+socketDir)
	launched := false
	defer func() {
		if !launched && ownedDir != "" {
			_ = os.RemoveAll(ownedDir)
		}
	}()
	tail := &tailBuffer{}
	cfg := &plugin.ClientConfig{
		HandshakeConfig:  Handshake(),
		Plugins:          pluginSet(),
		Cmd:              cmd,
		AllowedProtocols: []plugin.Protocol{plugin.ProtocolGRPC},
		AutoMTLS:         !o.DisableAutoMTLS,
		SkipHostEnv:      true,
		Logger:           quietLogger{o.logger()},
		Stderr:           stderrWriter(o, filepath.Base(path), tail),
		StartTimeout:     o.StartTimeout,
		MinPort:          o.MinPort,
		MaxPort:          o.MaxPort,
		GRPCDialOptions:  limitDialOptions(o.GRPCDialOptions),
		SyncStdout:       io.Discard,
		SyncStderr:       io.Discard,
	}
	client := plugin.NewClient(cfg)
	if _, err := startWithContext(ctx, client); err != nil {
		// A plugin that closed its stdout is usually exiting: give it a
		// moment, so that its own exit status is reported. go-plugin kills
		// one that wrote something else than the handshake line.
		exitedAlone := selfExit(err)
		for i := 0; exitedAlone && i < 20 && !client.Exited(); i++ {
			time.Sleep(50 * time.Millisecond)
		}
		exitedAlone = exitedAlone && client.Exited()
		client.Kill() // waits for go-plugin's goroutines: stderr is read, cmd waited for
		return nil, fmt.Errorf("host: launching %s: %w", path, diagnoseLaunch(path, cmd, exitedAlone, tail.snapshot(), err))
	}
	// go-plugin filled cfg.TLSConfig with the host certificate and the plugin's
	// certificate as root. Capture the plugin's leaf from the first TLS handshake
	// so that the Record can rebuild the same config on reattach.
	var peer struct {
		sync.Mutex
		der []byte
	}
	if cfg.TLSConfig != nil {
		cfg.TLSConfig.VerifyConnection = func(cs tls.ConnectionState) error {
			if len(cs.PeerCertificates) > 0 {
				peer.Lock()
				peer.der = cs.PeerCertificates[0].Raw
				peer.Unlock()
			}
			return nil
		}
	}
	p, err := connect(ctx, client)
	if err != nil {
		return nil, fmt.Errorf("host: connecting to %s: %w", path, err)
	}
	p.ownedDir = ownedDir
	rc := client.ReattachConfig()
	if rc == nil {
		p.Kill()
		return nil, fmt.Errorf("host: %s: go-plugin has no reattach information after start", path)
	}
	p.record = recordFrom(rc)
	p.record.ProtocolVersion = client.NegotiatedVersion()
	if cfg.TLSConfig != nil {
		// The stdio stream makes go-plugin connect eagerly; Ping makes sure.
		// Any answer proves the TLS handshake; a plugin without the health
		// service still completes it.
		if err := p.Ping(ctx); err != nil && !answered(err) {
			p.Kill()
			return nil, fmt.Errorf("host: TLS connection to %s: %w", path, err)
		}
		peer.Lock()
		der := peer.der
		peer.Unlock()
		tr, err := tlsRecordFrom(cfg.TLSConfig, der)
		if err != nil {
			p.Kill()
			return nil, err
		}
		p.record.TLS = tr
	}
	launched = true
	return p, nil
}

func startWithContext(ctx context.Context, c *plugin.Client) (net.Addr, error) {
	type res struct {
		addr net.Addr
		err  error
	}
	ch := make(chan res, 1)
	go func() {
		// go-plugin dereferences a nil TLS config when a plugin sends a
		// certificate that the host did not ask for; report it instead.
		defer func() {
			if r := recover(); r != nil {
				ch <- res{nil, fmt.Errorf("go-plugin failed on the handshake (a plugin that sends a certificate without PLUGIN_CLIENT_CERT causes this): %v", r)}
			}
		}()
		a, err := c.Start()
		ch <- res{a, err}
	}()
	select {
	case r := <-ch:
		return r.addr, r.err
	case <-ctx.Done():
		c.Kill()
		return nil, fmt.Errorf("plugin did not complete the go-plugin handshake in time: %w", ctx.Err())
	}
}

func connect(ctx context.Context, client *plugin.Client) (*Plugin, error) {
	type res struct {
		cp  plugin.ClientProtocol
		err error
	}
	ch := make(chan res, 1)
	go func() {
		cp, err := client.Client()
		ch <- res{cp, err}
	}()
	var r res
	select {
	case r = <-ch:
	case <-ctx.Done():
		client.Kill()
		return nil, ctx.Err()
	}
	if r.err != nil {
		client.Kill()
		return nil, r.err
	}
	gc, ok := r.cp.(*plugin.GRPCClient)
	if !ok {
		client.Kill()
		return nil, fmt.Errorf("expected a gRPC plugin, got protocol %T", r.cp)
	}
	return &Plugin{client: client, conn: gc.Conn}, nil
}

// ReattachOptions says how to reattach to a running plugin.
type ReattachOptions struct {
	Logger          hclog.Logger
	GRPCDialOptions []grpc.DialOption
}

// Reattach connects to a plugin process that another host (or an earlier run of
// this one) launched, from its Record. No handshake is read; if the record holds
// TLS material the connection uses it, as AutoMTLS cannot be used on reattach.
func Reattach(ctx context.Context, rec Record, o ReattachOptions) (*Plugin, error) {
	rc, err := rec.reattachConfig()
	if err != nil {
		return nil, err
	}
	var tlsCfg *tls.Config
	if rec.TLS != nil {
		if tlsCfg, err = rec.TLS.clientConfig(); err != nil {
			return nil, err
		}
	}
	lg := o.Logger
	if lg == nil {
		lg = hclog.NewNullLogger()
	}
	client := plugin.NewClient(&plugin.ClientConfig{
		HandshakeConfig:  Handshake(),
		Plugins:          pluginSet(),
		Reattach:         rc,
		TLSConfig:        tlsCfg,
		AllowedProtocols: []plugin.Protocol{plugin.ProtocolGRPC},
		Logger:           quietLogger{lg},
		GRPCDialOptions:  limitDialOptions(o.GRPCDialOptions),
		SyncStdout:       io.Discard,
		SyncStderr:       io.Discard,
	})
	if _, err := startWithContext(ctx, client); err != nil {
		return nil, fmt.Errorf("host: reattaching to pid %d at %s %s: %w", rec.Pid, rec.Network, rec.Address, err)
	}
	p, err := connect(ctx, client)
	if err != nil {
		return nil, fmt.Errorf("host: reattaching to pid %d at %s %s: %w", rec.Pid, rec.Network, rec.Address, err)
	}
	p.record = rec
	return p, nil
}

// Record returns what a later Reattach needs; store it with mode 0600 when it
// holds TLS material.
func (p *Plugin) Record() Record { return p.record }

// Conn is the plugin's gRPC connection.
func (p *Plugin) Conn() *grpc.ClientConn { return p.conn }

// Ping checks the standard health service for "plugin" SERVING.
func (p *Plugin) Ping(ctx context.Context) error {
	resp, err := healthpb.NewHealthClient(p.conn).Check(ctx, &healthpb.HealthCheckRequest{Service: "plugin"})
	if err != nil {
		return fmt.Errorf("health check of service \"plugin\": %w", err)
	}
	if resp.GetStatus() != healthpb.HealthCheckResponse_SERVING {
		return fmt.Errorf("health check of service \"plugin\": expected SERVING, got %s", resp.GetStatus())
	}
	return nil
}

// Exited reports whether the plugin process has exited.
func (p *Plugin) Exited() bool { return p.client.Exited() }

// Kill shuts the plugin down: GRPCController.Shutdown, up to 2 s for the process
// to exit, then SIGKILL (go-plugin's Kill). After Detach it does nothing.
func (p *Plugin) Kill() {
	p.mu.Lock()
	detached := p.detached
	p.mu.Unlock()
	if !detached {
		p.client.Kill()
		if p.ownedDir != "" {
			_ = os.RemoveAll(p.ownedDir)
		}
	}
}

// Detach closes the host's connection and leaves the plugin process running, so
// that it can be reattached from its Record.
func (p *Plugin) Detach() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.detached {
		return nil
	}
	p.detached = true
	return p.conn.Close()
}

// answered reports whether err came from the plugin's gRPC server rather than
// from the connection.
func answered(err error) bool {
	switch status.Code(unwrapStatus(err)) {
	case codes.Unimplemented, codes.NotFound:
		return true
	}
	return false
}
