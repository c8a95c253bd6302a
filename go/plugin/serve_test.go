package plugin

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
	goplugin "github.com/hashicorp/go-plugin"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"

	"github.com/yurt-sdk/yurt/go/gen/basepb"
	"github.com/yurt-sdk/yurt/go/gen/devicepb"
)

const serveEnv = "YURT_PLUGIN_TEST_SERVE"

// TestMain lets the test binary re-run itself as a real plugin process.
func TestMain(m *testing.M) {
	switch os.Getenv(serveEnv) {
	case "driver":
		ServeDriver(&fakeDriver{logger: NewLogger("fake")})
		os.Exit(0)
	case "device":
		ServeDevice(&fakeDevice{})
		os.Exit(0)
	case "noisy":
		// Plugin code printing before ServeDriver, once as Go and once as a
		// child process writing to the inherited fd 1.
		fmt.Println("stray Println before Serve")
		child := exec.Command("sh", "-c", "echo stray from a child")
		child.Stdout = os.Stdout
		_ = child.Run()
		ServeDriver(&fakeDriver{logger: NewLogger("fake")})
		os.Exit(0)
	case "invalid":
		ServeDriver(nil)
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// selfCmd runs this test binary as a plugin of the given kind. Its socket
// goes in a dir of the test's own, removed at cleanup: a plugin the test
// kills with SIGKILL cannot remove it (go-plugin's server otherwise puts it
// in TMPDIR). Short, as unix socket paths must stay under 108 bytes.
func selfCmd(t *testing.T, kind string) *exec.Cmd {
	t.Helper()
	dir, err := os.MkdirTemp("", "yp")
	require.NoError(t, err)
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), serveEnv+"="+kind, "PLUGIN_UNIX_SOCKET_DIR="+dir)
	return cmd
}

func launch(t *testing.T, kind string) (*goplugin.Client, *grpc.ClientConn) {
	t.Helper()
	client := goplugin.NewClient(&goplugin.ClientConfig{
		HandshakeConfig:  Handshake,
		Plugins:          ClientPlugins(),
		Cmd:              selfCmd(t, kind),
		AllowedProtocols: []goplugin.Protocol{goplugin.ProtocolGRPC},
		Logger:           hclog.NewNullLogger(),
	})
	t.Cleanup(client.Kill)
	rpc, err := client.Client()
	require.NoError(t, err)
	raw, err := rpc.Dispense(NameBase)
	require.NoError(t, err)
	return client, raw.(*grpc.ClientConn)
}

func TestServeSubprocessDriver(t *testing.T) {
	client, conn := launch(t, "driver")
	info, err := basepb.NewBasePluginClient(conn).PluginInfo(ctxT(t), &basepb.PluginInfoRequest{})
	require.NoError(t, err)
	assert.Equal(t, "fake", info.GetName())
	assert.Equal(t, 2, client.NegotiatedVersion())

	// Kill goes through GRPCController.Shutdown; the process must be gone.
	pid := client.ReattachConfig().Pid
	client.Kill()
	assert.Error(t, syscall.Kill(pid, 0), "plugin process %d still alive after Kill", pid)
}

func TestServeSubprocessDevice(t *testing.T) {
	_, conn := launch(t, "device")
	fs, err := devicepb.NewDevicePluginClient(conn).Fingerprint(ctxT(t), &devicepb.FingerprintRequest{})
	require.NoError(t, err)
	f, err := fs.Recv()
	require.NoError(t, err)
	assert.Equal(t, "d0", f.GetDeviceGroup()[0].GetDevices()[0].GetID())
}

// startRaw runs the plugin as a host would, returning the handshake line.
func startRaw(t *testing.T, kind string, env ...string) (*exec.Cmd, *bufio.Reader) {
	t.Helper()
	cmd := selfCmd(t, kind)
	cmd.Env = append(cmd.Env, env...)
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	return cmd, bufio.NewReader(out)
}

var cookie = Handshake.MagicCookieKey + "=" + Handshake.MagicCookieValue

func TestServeHandshakeLine(t *testing.T) {
	cmd, out := startRaw(t, "driver", cookie, "PLUGIN_PROTOCOL_VERSIONS=2", "PLUGIN_MIN_PORT=10000", "PLUGIN_MAX_PORT=25000")
	line, err := out.ReadString('\n')
	require.NoError(t, err)
	assert.Regexp(t, regexp.MustCompile(`^1\|2\|unix\|/[^|]+\|grpc\|\n$`), line)

	// Nothing else ever appears on stdout, even while serving.
	addr := strings.Split(line, "|")[3]
	conn, err := grpc.NewClient("unix://"+addr, grpc.WithTransportCredentials(insecureCreds()))
	require.NoError(t, err)
	defer conn.Close()
	_, err = basepb.NewBasePluginClient(conn).PluginInfo(ctxT(t), &basepb.PluginInfoRequest{})
	require.NoError(t, err)
	_ = cmd.Process.Signal(syscall.SIGKILL)
	rest, _ := out.ReadString(0)
	assert.Empty(t, rest, "stdout after the handshake line")
}

func TestServeRejectsMissingCookie(t *testing.T) {
	cmd := selfCmd(t, "driver")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	var ee *exec.ExitError
	require.ErrorAs(t, err, &ee)
	assert.Equal(t, 1, ee.ExitCode())
	assert.Empty(t, out)
	assert.Contains(t, stderr.String(), "plugin")
}

// A nil driver is the one usage error left to run time (a value that is not
// a driver does not compile).
func TestServeRejectsNilImpl(t *testing.T) {
	cmd := selfCmd(t, "invalid")
	cmd.Env = append(cmd.Env, cookie)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	var ee *exec.ExitError
	require.ErrorAs(t, err, &ee)
	assert.Equal(t, 1, ee.ExitCode())
	assert.Empty(t, out)
	assert.Contains(t, stderr.String(), "ServeDriver was given a nil driver.Driver")
}

// TestServeSurvivesHostDeath closes the plugin's stderr (as a dying host
// does), makes it log, and checks it still serves a reattaching client.
func TestServeSurvivesHostDeath(t *testing.T) {
	cmd := selfCmd(t, "driver")
	cmd.Env = append(cmd.Env, cookie, "PLUGIN_PROTOCOL_VERSIONS=2")
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	errPipe, err := cmd.StderrPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	line, err := bufio.NewReader(out).ReadString('\n')
	require.NoError(t, err)
	require.NoError(t, errPipe.Close())
	require.NoError(t, out.Close())

	addr := strings.Split(line, "|")[3]
	client := goplugin.NewClient(&goplugin.ClientConfig{
		HandshakeConfig:  Handshake,
		Plugins:          ClientPlugins(),
		Reattach:         &goplugin.ReattachConfig{Protocol: goplugin.ProtocolGRPC, ProtocolVersion: 2, Addr: &net.UnixAddr{Name: addr, Net: "unix"}, Pid: cmd.Process.Pid},
		AllowedProtocols: []goplugin.Protocol{goplugin.ProtocolGRPC},
		Logger:           hclog.NewNullLogger(),
	})
	rpc, err := client.Client()
	require.NoError(t, err)
	raw, err := rpc.Dispense(NameBase)
	require.NoError(t, err)
	c := basepb.NewBasePluginClient(raw.(*grpc.ClientConn))
	for i := 0; i < 5; i++ {
		_, err := c.PluginInfo(ctxT(t), &basepb.PluginInfoRequest{})
		require.NoError(t, err, "call %d after stderr closed", i)
		time.Sleep(20 * time.Millisecond)
	}
	require.NoError(t, cmd.Process.Signal(syscall.Signal(0)), "plugin died")
	// Reap the process ourselves: go-plugin's reattached Kill polls the
	// PID, which a zombie would keep alive.
	waitErr := make(chan error, 1)
	go func() { waitErr <- cmd.Wait() }()
	client.Kill()
	select {
	case err := <-waitErr:
		assert.NoError(t, err, fmt.Sprintf("plugin exit after Shutdown: %v", err))
	case <-time.After(5 * time.Second):
		t.Fatal("plugin did not exit after Shutdown")
	}
}

func TestServeAutoMTLS(t *testing.T) {
	client := goplugin.NewClient(&goplugin.ClientConfig{
		HandshakeConfig:  Handshake,
		Plugins:          ClientPlugins(),
		Cmd:              selfCmd(t, "driver"),
		AllowedProtocols: []goplugin.Protocol{goplugin.ProtocolGRPC},
		AutoMTLS:         true,
		Logger:           hclog.NewNullLogger(),
	})
	t.Cleanup(client.Kill)
	rpc, err := client.Client()
	require.NoError(t, err)
	raw, err := rpc.Dispense(NameBase)
	require.NoError(t, err)
	info, err := basepb.NewBasePluginClient(raw.(*grpc.ClientConn)).PluginInfo(ctxT(t), &basepb.PluginInfoRequest{})
	require.NoError(t, err)
	assert.Equal(t, "fake", info.GetName())
}

// TestServeLogsJSON checks the plugin's stderr: hclog JSON lines with
// @level, @message and a microsecond @timestamp.
func TestServeLogsJSON(t *testing.T) {
	cmd := selfCmd(t, "driver")
	cmd.Env = append(cmd.Env, cookie, "PLUGIN_PROTOCOL_VERSIONS=2")
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	var stderr syncBuffer
	cmd.Stderr = &stderr
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	line, err := bufio.NewReader(out).ReadString('\n')
	require.NoError(t, err)
	conn, err := grpc.NewClient("unix://"+strings.Split(line, "|")[3], grpc.WithTransportCredentials(insecureCreds()))
	require.NoError(t, err)
	defer conn.Close()
	_, err = basepb.NewBasePluginClient(conn).PluginInfo(ctxT(t), &basepb.PluginInfoRequest{})
	require.NoError(t, err)
	var entry map[string]any
	require.Eventually(t, func() bool {
		for _, l := range strings.Split(stderr.String(), "\n") {
			if strings.Contains(l, "PluginInfo called") {
				return json.Unmarshal([]byte(l), &entry) == nil
			}
		}
		return false
	}, 5*time.Second, 20*time.Millisecond, "stderr: %s", stderr.String())
	assert.Equal(t, "info", entry["@level"])
	assert.Equal(t, "PluginInfo called", entry["@message"])
	assert.Regexp(t, `^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}`, entry["@timestamp"])
}

type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
