package conformance

import (
	"context"
	"crypto/x509"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/yurt-sdk/yurt/go/host"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/emptypb"
)

// go-plugin's internal services, called by full method name: this package links
// go-plugin, which registers the same message names as go/gen/pluginpb, so the
// requests are sent as google.protobuf.Empty (wire-identical to plugin.Empty).
const (
	methodShutdown    = "/plugin.GRPCController/Shutdown"
	methodStreamStdio = "/plugin.GRPCStdio/StreamStdio"
)

// plainSession launches raw without a client certificate and dials, waiting
// up to 3 s for the plugin to answer so that only handshake/listener-bound
// judges a late listener.
func plainSession(t *T, o RawOptions) (*RawPlugin, *grpc.ClientConn) {
	p, conn := plainDial(t, o)
	deadline := time.Now().Add(3 * time.Second)
	for time.Now().Before(deadline) && Health(t.Ctx, conn, 500*time.Millisecond) != nil {
		time.Sleep(100 * time.Millisecond)
	}
	return p, conn
}

func plainDial(t *T, o RawOptions) (*RawPlugin, *grpc.ClientConn) {
	p := t.RawLaunch(o)
	conn, err := p.Dial(nil, nil)
	t.Check(err, "dialing %s %s", p.Network, p.Address)
	t.Cleanup(func() { _ = conn.Close() })
	return p, conn
}

func shutdown(ctx context.Context, conn *grpc.ClientConn) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	return conn.Invoke(ctx, methodShutdown, &emptypb.Empty{}, &emptypb.Empty{})
}

// rawDiagnosis launches the plugin without go-plugin to say why a host could
// not launch it: the handshake line as read, what is wrong with it, stderr.
func rawDiagnosis(t *T) string {
	o := RawOptions{}
	if t.H.cfg.AutoMTLS {
		cc, err := NewClientCert()
		if err == nil {
			o.ClientCert = cc
		}
	}
	p, out := t.StartRaw(o)
	defer p.Kill()
	line, _, err := readFirstLine(t.Ctx, out, 10*time.Second)
	stderr := ""
	if s := strings.TrimSpace(p.Stderr()); s != "" {
		stderr = "; stderr: " + oneLine(s, 300)
	}
	if err != nil {
		return fmt.Sprintf("; launched by hand: %v%s", err, stderr)
	}
	fields, err := ParseHandshake(line)
	switch {
	case err != nil:
		return fmt.Sprintf("; launched by hand: %v%s", err, stderr)
	case fields[1] != "2":
		return fmt.Sprintf("; launched by hand: handshake %q field 2 (app protocol): expected 2 for Nomad, got %q%s", line, fields[1], stderr)
	case fields[5] != "" && !t.H.cfg.AutoMTLS:
		return fmt.Sprintf("; launched by hand: handshake field 6: expected empty without PLUGIN_CLIENT_CERT, got a certificate (go-plugin's host fails on it)%s", stderr)
	}
	return fmt.Sprintf("; launched by hand the handshake line %q is well-formed%s", line, stderr)
}

func handshakeCases() []Case {
	return []Case{
		{ID: caseLaunch, Level: Required, Kind: AnyPlugin, NoInfo: true,
			Doc: "the plugin launches and connects as go-plugin's host (Nomad) launches it, with the run's transport; every other case is blocked when this fails",
			Run: caseHandshakeLaunch},
		{ID: "handshake/cookie-enforced", Level: Required, Kind: AnyPlugin, NoInfo: true,
			Doc: "without the magic cookie the plugin exits non-zero, explains on stderr and prints nothing on stdout",
			Run: caseHandshakeCookieEnforced},
		{ID: "handshake/line-format", Level: Required, Kind: AnyPlugin, NoInfo: true,
			Doc: "the first stdout line is exactly 1|2|unix-or-tcp|address|grpc|cert",
			Run: caseHandshakeLineFormat},
		{ID: "handshake/listener-bound", Level: Required, Kind: AnyPlugin, NoInfo: true,
			Doc: "the listener is bound before the handshake line: the first RPC succeeds at once",
			Run: caseHandshakeListenerBound},
		{ID: "handshake/protocol-version", Level: Required, Kind: AnyPlugin, NoInfo: true,
			Doc: "the plugin picks version 2 from an unordered PLUGIN_PROTOCOL_VERSIONS list",
			Run: caseHandshakeProtocolVersion},
		{ID: "handshake/unix-socket-dir", Level: Recommended, Kind: AnyPlugin, NoInfo: true,
			Doc: "a unix socket is created inside PLUGIN_UNIX_SOCKET_DIR",
			Run: caseHandshakeUnixSocketDir},
		{ID: "handshake/port-range", Level: Required, Kind: AnyPlugin, NoInfo: true,
			Doc: "a TCP listener is on 127.0.0.1 within PLUGIN_MIN_PORT..PLUGIN_MAX_PORT",
			Run: caseHandshakePortRange},
		{ID: "handshake/no-cert-without-client-cert", Level: Required, Kind: AnyPlugin, NoInfo: true,
			Doc: "without PLUGIN_CLIENT_CERT field 6 is empty and the plugin serves plaintext",
			Run: caseHandshakeNoCertWithoutClientCert},
		{ID: "handshake/mtls-certificate", Level: Required, Kind: AnyPlugin, NoInfo: true,
			Doc: "with PLUGIN_CLIENT_CERT field 6 is unpadded base64 DER with SAN localhost, and mTLS works",
			Run: caseHandshakeMTLSCertificate},
		{ID: "handshake/mtls-client-verified", Level: Required, Kind: AnyPlugin, NoInfo: true,
			Doc: "with PLUGIN_CLIENT_CERT the plugin refuses plaintext, no client certificate and other certificates",
			Run: caseHandshakeMTLSClientVerified},
		{ID: "handshake/health", Level: Required, Kind: AnyPlugin, NoInfo: true,
			Doc: "grpc.health.v1 reports service \"plugin\" SERVING",
			Run: caseHandshakeHealth},
		{ID: "handshake/stdio", Level: Recommended, Kind: AnyPlugin, NoInfo: true,
			Doc: "GRPCStdio/StreamStdio is served and held open",
			Run: caseHandshakeStdio},
		{ID: "handshake/shutdown", Level: Required, Kind: AnyPlugin, NoInfo: true,
			Doc: "GRPCController/Shutdown answers and the process exits within 2 s",
			Run: caseHandshakeShutdown},
		{ID: "handshake/ignores-sigint", Level: Required, Kind: AnyPlugin, NoInfo: true,
			// Required: Ctrl-C on a Nomad agent sends SIGINT to its whole
			// process group, plugins included, and the agent expects its
			// plugins to stay until it shuts them down itself.
			Doc: "SIGINT does not stop the plugin (Ctrl-C reaches the agent's whole process group; the host sequences shutdown)",
			Run: caseHandshakeIgnoresSigint},
		{ID: "handshake/stdout-quiet", Level: Required, Kind: AnyPlugin, NoInfo: true,
			Doc: "nothing is written to stdout after the handshake line",
			Run: caseHandshakeStdoutQuiet},
		{ID: "handshake/stderr-safe-json", Level: Required, Kind: AnyPlugin, NoInfo: true,
			Doc: "no stderr JSON line of a short session has a non-string @level/@message/@timestamp (that crashes go-plugin hosts); handshake/stderr-safe-json-throughout checks the whole run",
			Run: caseHandshakeStderrSafeJSON},
		{ID: "handshake/stderr-hclog-json", Level: Recommended, Kind: AnyPlugin, NoInfo: true,
			Doc: "every stderr line is hclog JSON with string @level, @message and @timestamp (6 fractional digits)",
			Run: caseHandshakeStderrHclogJSON},
		{ID: "handshake/reattach", Level: Required, Kind: AnyPlugin,
			Doc: "a second client can reattach by address (with the AutoMTLS material) while the first is connected",
			Run: caseHandshakeReattach},
	}
}

// caseHandshakeLaunch is case handshake/launch.
func caseHandshakeLaunch(t *T) {
	p, err := host.Launch(t.Ctx, t.H.hostOptions(nil))
	if diagnosed(err) {
		t.Fatalf("launching as a go-plugin host (%s): %s", t.H.cfg.Transport(), launchBrief(err))
	}
	if err != nil {
		t.Fatalf("launching as a go-plugin host (%s): %v%s", t.H.cfg.Transport(), err, rawDiagnosis(t))
	}
	t.Cleanup(p.Kill)
	t.Logf("launched with transport %s, pid %d", t.H.cfg.Transport(), p.Record().Pid)
}

// caseHandshakeCookieEnforced is case handshake/cookie-enforced.
func caseHandshakeCookieEnforced(t *T) {
	p, out := t.StartRaw(RawOptions{NoCookie: true})
	stdout := make(chan string, 1)
	go func() {
		b, _ := io.ReadAll(out)
		stdout <- string(b)
	}()
	exited, err := p.WaitExit(5 * time.Second)
	if !exited {
		t.Fatalf("expected the plugin to exit without the cookie, still running after 5 s")
	}
	if err == nil {
		t.Errorf("expected a non-zero exit status, got 0")
	}
	if strings.TrimSpace(p.Stderr()) == "" {
		t.Errorf("expected a human message on stderr, got nothing")
	}
	select {
	case s := <-stdout:
		if s != "" {
			t.Errorf("expected nothing on stdout, got %q", oneLine(s, 200))
		}
	case <-time.After(2 * time.Second):
	}
}

// caseHandshakeLineFormat is case handshake/line-format.
func caseHandshakeLineFormat(t *T) {
	p := t.RawLaunch(RawOptions{})
	if p.Fields[1] != "2" {
		t.Errorf("handshake field 2 (app protocol): expected 2 for Nomad, got %q", p.Fields[1])
	}
}

// caseHandshakeListenerBound is case handshake/listener-bound.
func caseHandshakeListenerBound(t *T) {
	p, conn := plainDial(t, RawOptions{})
	if err := Health(t.Ctx, conn, 2*time.Second); err != nil {
		t.Fatalf("first RPC right after the handshake line failed (listener not ready, or no health service): %v", err)
	}
	_ = p
}

// caseHandshakeProtocolVersion is case handshake/protocol-version.
func caseHandshakeProtocolVersion(t *T) {
	for _, offer := range []string{"2", "3,2,1", "1,2"} {
		p := t.RawLaunch(RawOptions{ProtocolVersions: offer})
		if p.Fields[1] != "2" {
			t.Errorf("PLUGIN_PROTOCOL_VERSIONS=%s: expected the plugin to answer 2, got %q", offer, p.Fields[1])
		}
		p.Kill()
	}
}

// caseHandshakeUnixSocketDir is case handshake/unix-socket-dir.
func caseHandshakeUnixSocketDir(t *T) {
	dir, err := os.MkdirTemp("", "yurt-sockdir-")
	t.Check(err, "temp dir")
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	p := t.RawLaunch(RawOptions{Env: []string{"PLUGIN_UNIX_SOCKET_DIR=" + dir}})
	if p.Network != "unix" {
		t.Skipf("not applicable: the plugin listens on %s", p.Network)
	}
	if filepath.Dir(p.Address) != dir {
		t.Errorf("expected the socket in PLUGIN_UNIX_SOCKET_DIR %s, got %s", dir, p.Address)
	}
}

// caseHandshakePortRange is case handshake/port-range.
func caseHandshakePortRange(t *T) {
	lo, hi := freePortRange(t)
	p := t.RawLaunch(RawOptions{Env: []string{fmt.Sprintf("PLUGIN_MIN_PORT=%d", lo), fmt.Sprintf("PLUGIN_MAX_PORT=%d", hi)}})
	if p.Network != "tcp" {
		t.Skipf("not applicable: the plugin listens on %s", p.Network)
	}
	h, ps, _ := net.SplitHostPort(p.Address)
	port, _ := strconv.Atoi(ps)
	if h != "127.0.0.1" {
		t.Errorf("expected host 127.0.0.1, got %q", h)
	}
	if port < lo || port > hi {
		t.Errorf("expected a port in %d..%d, got %d", lo, hi, port)
	}
}

// caseHandshakeNoCertWithoutClientCert is case handshake/no-cert-without-client-cert.
func caseHandshakeNoCertWithoutClientCert(t *T) {
	p, conn := plainSession(t, RawOptions{})
	if p.Fields[5] != "" {
		t.Errorf("handshake field 6: expected empty without PLUGIN_CLIENT_CERT (a certificate here crashes a go-plugin host), got %d characters", len(p.Fields[5]))
	}
	if err := Health(t.Ctx, conn, 3*time.Second); err != nil {
		t.Errorf("plaintext health check: %v", err)
	}
}

// caseHandshakeMTLSCertificate is case handshake/mtls-certificate.
func caseHandshakeMTLSCertificate(t *T) {
	cc, err := NewClientCert()
	t.Check(err, "client certificate")
	p := t.RawLaunch(RawOptions{ClientCert: cc})
	if p.Fields[5] == "" {
		t.Fatalf("handshake field 6: expected the plugin's certificate with PLUGIN_CLIENT_CERT set, got nothing")
	}
	if strings.Contains(p.Fields[5], "=") {
		t.Errorf("handshake field 6: expected base64 without padding, got %d '=' characters", strings.Count(p.Fields[5], "="))
	}
	cert, err := ServerCert(p.Fields[5])
	t.Check(err, "plugin certificate")
	if !slices.Contains(cert.DNSNames, "localhost") {
		t.Errorf("plugin certificate: expected SAN DNS localhost, got %v", cert.DNSNames)
	}
	if len(cert.ExtKeyUsage) > 0 && !slices.Contains(cert.ExtKeyUsage, x509.ExtKeyUsageServerAuth) && !slices.Contains(cert.ExtKeyUsage, x509.ExtKeyUsageAny) {
		t.Errorf("plugin certificate: expected extended key usage serverAuth, got %v", cert.ExtKeyUsage)
	}
	conn, err := p.Dial(cc, cert)
	t.Check(err, "dial")
	defer conn.Close()
	if err := Health(t.Ctx, conn, 5*time.Second); err != nil {
		t.Errorf("health over mTLS with the host certificate: %v", err)
	}
}

// caseHandshakeMTLSClientVerified is case handshake/mtls-client-verified.
func caseHandshakeMTLSClientVerified(t *T) {
	cc, err := NewClientCert()
	t.Check(err, "client certificate")
	other, err := NewClientCert()
	t.Check(err, "second certificate")
	p := t.RawLaunch(RawOptions{ClientCert: cc})
	cert, err := ServerCert(p.Fields[5])
	t.Check(err, "plugin certificate")
	for _, tc := range []struct {
		name string
		c    *ClientCert
		tls  bool
	}{{"a plaintext client", nil, false}, {"a client with another certificate", other, true}, {"a client without a certificate", &ClientCert{}, true}} {
		var conn *grpc.ClientConn
		if !tc.tls {
			conn, err = p.Dial(nil, nil)
		} else {
			conn, err = p.Dial(tc.c, cert)
		}
		t.Check(err, "dial")
		if err := Health(t.Ctx, conn, 3*time.Second); err == nil {
			t.Errorf("expected the plugin to refuse %s, but the health check succeeded", tc.name)
		}
		_ = conn.Close()
	}
	good, err := p.Dial(cc, cert)
	t.Check(err, "dial")
	defer good.Close()
	if err := Health(t.Ctx, good, 5*time.Second); err != nil {
		t.Errorf("the right certificate is refused after bad attempts: %v", err)
	}
}

// caseHandshakeHealth is case handshake/health.
func caseHandshakeHealth(t *T) {
	_, conn := plainSession(t, RawOptions{})
	if err := Health(t.Ctx, conn, 5*time.Second); err != nil {
		t.Errorf("%v", err)
	}
}

// caseHandshakeStdio is case handshake/stdio.
func caseHandshakeStdio(t *T) {
	_, conn := plainSession(t, RawOptions{})
	ctx, cancel := context.WithTimeout(t.Ctx, 700*time.Millisecond)
	defer cancel()
	opened := time.Now()
	s, err := conn.NewStream(ctx, &grpc.StreamDesc{ServerStreams: true}, methodStreamStdio)
	t.Check(err, "opening StreamStdio")
	t.Check(s.SendMsg(&emptypb.Empty{}), "sending StreamStdio request")
	t.Check(s.CloseSend(), "closing StreamStdio send side")
	for {
		var m emptypb.Empty
		err := s.RecvMsg(&m)
		if err == nil {
			continue
		}
		// The deadline reaches the plugin too, so a clean end at the
		// deadline is as good as DeadlineExceeded.
		if status.Code(err) == codes.DeadlineExceeded || ctx.Err() != nil || (err == io.EOF && time.Since(opened) > 600*time.Millisecond) {
			return
		}
		t.Fatalf("expected StreamStdio to stay open, got %v", err)
	}
}

// caseHandshakeShutdown is case handshake/shutdown.
func caseHandshakeShutdown(t *T) {
	p, conn := plainSession(t, RawOptions{})
	if err := Health(t.Ctx, conn, 5*time.Second); err != nil {
		t.Fatalf("plugin not serving: %v", err)
	}
	start := time.Now()
	err := shutdown(t.Ctx, conn)
	if err != nil && status.Code(err) != codes.Unavailable {
		t.Errorf("Shutdown: %v", err)
	}
	if exited, _ := p.WaitExit(2 * time.Second); !exited {
		t.Errorf("expected the process to exit within 2 s of Shutdown, still running")
	} else {
		t.Logf("exited %s after Shutdown", time.Since(start).Round(time.Millisecond))
	}
}

// caseHandshakeIgnoresSigint is case handshake/ignores-sigint.
func caseHandshakeIgnoresSigint(t *T) {
	p, conn := plainSession(t, RawOptions{})
	t.Check(Health(t.Ctx, conn, 5*time.Second), "health before SIGINT")
	t.Check(p.Cmd.Process.Signal(syscall.SIGINT), "sending SIGINT")
	if exited, _ := p.WaitExit(500 * time.Millisecond); exited {
		t.Fatalf("expected the plugin to ignore SIGINT, it exited")
	}
	if err := Health(t.Ctx, conn, 3*time.Second); err != nil {
		t.Errorf("health after SIGINT: %v", err)
	}
}

// caseHandshakeStdoutQuiet is case handshake/stdout-quiet.
func caseHandshakeStdoutQuiet(t *T) {
	p, conn := plainSession(t, RawOptions{})
	exerciseBase(t, conn)
	_ = shutdown(t.Ctx, conn)
	p.WaitExit(2 * time.Second)
	time.Sleep(100 * time.Millisecond)
	if s := p.Stdout(); s != "" {
		t.Errorf("expected no stdout after the handshake, got %q", oneLine(s, 200))
	}
}

// caseHandshakeStderrSafeJSON is case handshake/stderr-safe-json.
func caseHandshakeStderrSafeJSON(t *T) {
	lines := stderrOfSession(t)
	for _, l := range lines {
		if why := crashesGoPlugin(l); why != "" {
			t.Errorf("stderr line %q: %s", oneLine(l, 160), why)
		}
	}
}

// caseHandshakeStderrHclogJSON is case handshake/stderr-hclog-json.
func caseHandshakeStderrHclogJSON(t *T) {
	lines := stderrOfSession(t)
	bad := 0
	for _, l := range lines {
		pl := host.ParseLogLine(l)
		if !pl.JSON {
			bad++
			if bad <= 3 {
				why := pl.Problem
				if why == "" {
					why = "not JSON"
				}
				t.Errorf("stderr line %q: %s", oneLine(l, 160), why)
			}
		}
	}
	if bad > 3 {
		t.Errorf("%d more lines are not hclog JSON", bad-3)
	}
	t.Logf("%d stderr lines checked", len(lines))
}

// caseHandshakeReattach is case handshake/reattach.
func caseHandshakeReattach(t *T) {
	p := t.Launch(nil)
	_, err := p.PluginInfo(t.Ctx)
	t.Check(err, "PluginInfo on the first client")
	p2, err := host.Reattach(t.Ctx, p.Record(), host.ReattachOptions{})
	t.Check(err, "reattaching")
	defer p2.Detach()
	_, err = p2.PluginInfo(t.Ctx)
	t.Check(err, "PluginInfo on the reattached client")
	_, err = p.PluginInfo(t.Ctx)
	t.Check(err, "PluginInfo on the first client after reattach")
}

// exerciseBase makes a few BasePlugin calls so that plugins log something.
func exerciseBase(t *T, conn *grpc.ClientConn) {
	ctx, cancel := context.WithTimeout(t.Ctx, 5*time.Second)
	defer cancel()
	_ = Health(ctx, conn, 3*time.Second)
	bp := basepbClient(conn)
	_, _ = bp.PluginInfo(ctx, pluginInfoRequest())
	_, _ = bp.ConfigSchema(ctx, configSchemaRequest())
}

func stderrOfSession(t *T) []string {
	p, conn := plainSession(t, RawOptions{Env: []string{}})
	exerciseBase(t, conn)
	_ = shutdown(t.Ctx, conn)
	p.WaitExit(2 * time.Second)
	p.Kill()
	time.Sleep(50 * time.Millisecond)
	return p.StderrLines()
}

// freePortRange finds a small range of free TCP ports on 127.0.0.1.
func freePortRange(t *T) (int, int) {
	for attempt := 0; attempt < 20; attempt++ {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		t.Check(err, "finding a free port")
		port := l.Addr().(*net.TCPAddr).Port
		_ = l.Close()
		if port+3 < 65535 {
			ok := true
			for p := port + 1; p <= port+3; p++ {
				l2, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", p))
				if err != nil {
					ok = false
					break
				}
				_ = l2.Close()
			}
			if ok {
				return port, port + 3
			}
		}
	}
	t.Fatalf("no free port range found")
	return 0, 0
}
