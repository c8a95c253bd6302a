package conformance

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/yurt-sdk/yurt/go/host"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
)

// RawOptions starts a plugin process without go-plugin, so that handshake cases
// can see every byte it writes.
type RawOptions struct {
	// NoCookie leaves out the magic cookie.
	NoCookie bool
	// ProtocolVersions is PLUGIN_PROTOCOL_VERSIONS; empty means "2".
	ProtocolVersions string
	// ClientCert, if set, is sent as PLUGIN_CLIENT_CERT.
	ClientCert *ClientCert
	// Env is added last.
	Env []string
}

// RawPlugin is a plugin process started by RawLaunch.
type RawPlugin struct {
	Cmd       *exec.Cmd
	Handshake string // first stdout line, without the newline
	Fields    []string
	Network   string
	Address   string

	exited  chan struct{}
	waitErr error

	mu         sync.Mutex
	afterLine  bytes.Buffer // stdout after the handshake line
	stderr     bytes.Buffer
	stderrLine []string

	dialOpts []grpc.DialOption // the run's reply checks (replycheck.go)
}

// ClientCert is a host certificate as go-plugin's AutoMTLS makes one (P-521).
type ClientCert struct {
	PEM  []byte
	Cert tls.Certificate
}

// NewClientCert makes a self-signed ECDSA P-521 certificate for localhost like
// go-plugin's host does.
func NewClientCert() (*ClientCert, error) {
	key, err := ecdsa.GenerateKey(elliptic.P521(), rand.Reader)
	if err != nil {
		return nil, err
	}
	sn, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 128))
	if err != nil {
		return nil, err
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:          sn,
		Subject:               pkix.Name{CommonName: "localhost", Organization: []string{"HashiCorp"}},
		DNSNames:              []string{"localhost"},
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth, x509.ExtKeyUsageServerAuth},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment | x509.KeyUsageKeyAgreement | x509.KeyUsageCertSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
		NotBefore:             now.Add(-30 * time.Second),
		NotAfter:              now.Add(24 * time.Hour),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, err
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return nil, err
	}
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER})
	c, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		return nil, err
	}
	return &ClientCert{PEM: certPEM, Cert: c}, nil
}

func (h *Harness) rawEnv(o RawOptions) []string {
	env := os.Environ()
	filtered := env[:0]
	for _, e := range env {
		k, _, _ := strings.Cut(e, "=")
		switch k {
		case host.MagicCookieKey, "PLUGIN_PROTOCOL_VERSIONS", "PLUGIN_CLIENT_CERT", "PLUGIN_MIN_PORT", "PLUGIN_MAX_PORT", "PLUGIN_UNIX_SOCKET_DIR", "PLUGIN_MULTIPLEX_GRPC":
			continue
		}
		filtered = append(filtered, e)
	}
	env = filtered
	if !o.NoCookie {
		env = append(env, host.MagicCookieKey+"="+host.MagicCookieValue)
	}
	pv := o.ProtocolVersions
	if pv == "" {
		pv = "2"
	}
	env = append(env, "PLUGIN_PROTOCOL_VERSIONS="+pv, "PLUGIN_MIN_PORT=10000", "PLUGIN_MAX_PORT=25000",
		"PLUGIN_UNIX_SOCKET_DIR="+h.SocketDir())
	if o.ClientCert != nil {
		env = append(env, "PLUGIN_CLIENT_CERT="+string(o.ClientCert.PEM))
	}
	env = append(env, h.cfg.Env...)
	return append(env, o.Env...)
}

// StartRaw starts the plugin and returns once the process is running; the
// handshake is read by ReadHandshake.
func (t *T) StartRaw(o RawOptions) (*RawPlugin, io.Reader) {
	cmd := exec.Command(t.H.cfg.PluginPath, t.H.cfg.Args...)
	cmd.Env = t.H.rawEnv(o)
	// A group of its own so cleanup can kill whatever the plugin started.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	stdout, err := cmd.StdoutPipe()
	t.Check(err, "stdout pipe")
	stderr, err := cmd.StderrPipe()
	t.Check(err, "stderr pipe")
	t.Check(cmd.Start(), "starting %s", t.H.cfg.PluginPath)
	p := &RawPlugin{Cmd: cmd, exited: make(chan struct{}), dialOpts: t.H.replies.dialOptions()}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 64*1024), 1<<20)
		for sc.Scan() {
			p.mu.Lock()
			p.stderr.WriteString(sc.Text() + "\n")
			p.stderrLine = append(p.stderrLine, sc.Text())
			p.mu.Unlock()
			t.H.logs.observe(sc.Text())
		}
		_, _ = io.Copy(io.Discard, stderr)
	}()
	pr, pw := io.Pipe()
	go func() {
		_, err := io.Copy(pw, stdout)
		pw.CloseWithError(err)
	}()
	go func() {
		wg.Wait()
		p.waitErr = cmd.Wait()
		close(p.exited)
	}()
	t.Cleanup(func() { p.Kill() })
	return p, pr
}

// RawLaunch starts the plugin and reads its handshake line; the case fails if
// no well-formed line arrives.
func (t *T) RawLaunch(o RawOptions) *RawPlugin {
	p, out := t.StartRaw(o)
	line, rest, err := readFirstLine(t.Ctx, out, 20*time.Second)
	if err != nil {
		p.Kill()
		t.Fatalf("reading the handshake line: %v; stderr: %s", err, oneLine(p.Stderr(), 400))
	}
	p.Handshake = line
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := rest.Read(buf)
			if n > 0 {
				p.mu.Lock()
				p.afterLine.Write(buf[:n])
				p.mu.Unlock()
			}
			if err != nil {
				return
			}
		}
	}()
	fields, err := ParseHandshake(line)
	if err != nil {
		t.Fatalf("%v", err)
	}
	p.Fields = fields
	p.Network, p.Address = fields[2], fields[3]
	return p
}

// readFirstLine reads up to the first newline.
func readFirstLine(ctx context.Context, r io.Reader, timeout time.Duration) (string, io.Reader, error) {
	type res struct {
		line string
		err  error
	}
	br := bufio.NewReaderSize(r, 64*1024)
	ch := make(chan res, 1)
	go func() {
		l, err := br.ReadString('\n')
		ch <- res{l, err}
	}()
	select {
	case x := <-ch:
		if x.err != nil {
			return "", br, fmt.Errorf("expected a handshake line on stdout, got %q then %v", x.line, x.err)
		}
		return strings.TrimRight(x.line, "\r\n"), br, nil
	case <-time.After(timeout):
		return "", br, fmt.Errorf("no handshake line on stdout within %s", timeout)
	case <-ctx.Done():
		return "", br, ctx.Err()
	}
}

// ParseHandshake checks a go-plugin handshake line for Nomad: exactly six
// fields CORE|APP|NETWORK|ADDR|PROTOCOL|CERT, core 1, app 2, unix or tcp, grpc.
func ParseHandshake(line string) ([]string, error) {
	f := strings.Split(line, "|")
	if len(f) != 6 {
		return nil, fmt.Errorf("handshake %q: expected 6 |-separated fields (no 7th without PLUGIN_MULTIPLEX_GRPC), got %d", line, len(f))
	}
	if f[0] != "1" {
		return nil, fmt.Errorf("handshake %q field 1 (core protocol): expected 1, got %q", line, f[0])
	}
	if _, err := strconv.Atoi(f[1]); err != nil {
		return nil, fmt.Errorf("handshake %q field 2 (app protocol): expected an integer, got %q", line, f[1])
	}
	switch f[2] {
	case "unix":
		if !strings.HasPrefix(f[3], "/") {
			return nil, fmt.Errorf("handshake %q field 4 (address): expected an absolute socket path, got %q", line, f[3])
		}
	case "tcp":
		if _, err := net.ResolveTCPAddr("tcp", f[3]); err != nil || !strings.Contains(f[3], ":") {
			return nil, fmt.Errorf("handshake %q field 4 (address): expected host:port, got %q", line, f[3])
		}
	default:
		return nil, fmt.Errorf("handshake %q field 3 (network): expected unix or tcp, got %q", line, f[2])
	}
	if f[4] != "grpc" {
		return nil, fmt.Errorf("handshake %q field 5 (protocol): expected grpc, got %q", line, f[4])
	}
	return f, nil
}

// ServerCert decodes field 6 as go-plugin does: raw (unpadded) standard base64
// of a DER certificate.
func ServerCert(field string) (*x509.Certificate, error) {
	der, err := base64.RawStdEncoding.DecodeString(field)
	if err != nil {
		return nil, fmt.Errorf("handshake field 6 (certificate): expected unpadded standard base64 (Go RawStdEncoding), got %w", err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("handshake field 6 (certificate): expected a DER certificate, got %w", err)
	}
	return c, nil
}

// Dial connects to the plugin; with cert it speaks mTLS trusting server.
func (p *RawPlugin) Dial(cert *ClientCert, server *x509.Certificate) (*grpc.ClientConn, error) {
	creds := insecure.NewCredentials()
	if cert != nil {
		pool := x509.NewCertPool()
		if server != nil {
			pool.AddCert(server)
		}
		creds = credentials.NewTLS(&tls.Config{Certificates: []tls.Certificate{cert.Cert}, RootCAs: pool, ServerName: "localhost", MinVersion: tls.VersionTLS12})
	}
	network, addr := p.Network, p.Address
	opts := append([]grpc.DialOption{
		grpc.WithTransportCredentials(creds),
		grpc.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, network, addr)
		}),
		grpc.WithDefaultCallOptions(grpc.MaxCallRecvMsgSize(1 << 30))}, p.dialOpts...)
	return grpc.NewClient("passthrough:///localhost", opts...)
}

// Health checks the "plugin" health service over conn without waiting for the
// connection to become ready: an unbound listener fails at once.
func Health(ctx context.Context, conn *grpc.ClientConn, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	r, err := healthpb.NewHealthClient(conn).Check(ctx, &healthpb.HealthCheckRequest{Service: "plugin"})
	if err != nil {
		return err
	}
	if r.GetStatus() != healthpb.HealthCheckResponse_SERVING {
		return fmt.Errorf("health of \"plugin\": expected SERVING, got %s", r.GetStatus())
	}
	return nil
}

// Stdout is what the plugin wrote to stdout after the handshake line.
func (p *RawPlugin) Stdout() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.afterLine.String()
}

// Stderr is everything the plugin wrote to stderr so far.
func (p *RawPlugin) Stderr() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stderr.String()
}

// StderrLines are the stderr lines so far.
func (p *RawPlugin) StderrLines() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.stderrLine...)
}

// WaitExit waits up to d for the process to exit.
func (p *RawPlugin) WaitExit(d time.Duration) (exited bool, err error) {
	select {
	case <-p.exited:
		return true, p.waitErr
	case <-time.After(d):
		return false, nil
	}
}

// Kill ends the plugin and its process group.
func (p *RawPlugin) Kill() {
	select {
	case <-p.exited:
		return
	default:
	}
	if p.Cmd.Process != nil {
		_ = syscall.Kill(-p.Cmd.Process.Pid, syscall.SIGKILL)
		_ = p.Cmd.Process.Kill()
	}
	select {
	case <-p.exited:
	case <-time.After(5 * time.Second):
	}
}

var errNoExit = errors.New("process did not exit")
