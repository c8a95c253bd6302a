// Package hardening holds the fault-injection, hostile-plugin and
// security-default tests of the yurt host and agent. They run the real
// `yurt` binary, real plugin processes (the Go examples, the hostile test
// plugin in internal/hostile, and the Python and Rust example drivers when
// their binaries are given) and kill them with SIGKILL.
package hardening

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/yurt-sdk/yurt/go/api"
)

// bins are built once per test binary run.
var bins struct {
	dir      string
	yurt     string
	hostile  string
	examples string // dir with go-exec and go-files
	// extra driver executables from YURT_HARDENING_DRIVERS (Python, Rust).
	extra []string
}

func TestMain(m *testing.M) {
	if os.Getenv("YURT_HARDENING_BARE_CHILD") == "1" {
		// The re-executed child of TestBareGoPluginPanicsOnBadJSON needs
		// no binaries.
		os.Exit(m.Run())
	}
	dir, err := os.MkdirTemp("", "yurt-hard-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	bins.dir = dir
	bins.yurt = filepath.Join(dir, "yurt")
	bins.hostile = filepath.Join(dir, "hostile")
	bins.examples = filepath.Join(dir, "examples")
	steps := [][]string{
		{"go", "build", "-o", bins.yurt, "../cmd/yurt"},
		// The stdout attacks (garbage, oversize, preamble) play plugins
		// written without Yurt's SDK: linked with the SDK's stdout guard off.
		{"go", "build", "-ldflags", "-X github.com/yurt-sdk/yurt/go/plugin.stdoutGuardMode=off", "-o", bins.hostile, "./internal/hostile"},
		{"make", "-s", "-C", "../../examples/go", "build", "PLUGIN_DIR=" + bins.examples},
	}
	for _, s := range steps {
		cmd := exec.Command(s[0], s[1:]...)
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		if err := cmd.Run(); err != nil {
			fmt.Fprintf(os.Stderr, "hardening: %v: %v\n", s, err)
			os.RemoveAll(dir)
			os.Exit(1)
		}
	}
	// Drivers of other languages: YURT_HARDENING_DRIVERS=path[:path...],
	// each a process driver with go-exec's task schema (command, args).
	for _, p := range filepath.SplitList(os.Getenv("YURT_HARDENING_DRIVERS")) {
		if p == "" {
			continue
		}
		if st, err := os.Stat(p); err != nil || st.Mode().Perm()&0o111 == 0 {
			fmt.Fprintf(os.Stderr, "hardening: YURT_HARDENING_DRIVERS: %q is not an executable file\n", p)
			os.RemoveAll(dir)
			os.Exit(1)
		}
		abs, _ := filepath.Abs(p)
		bins.extra = append(bins.extra, abs)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// shortTemp is a temp dir with a short path: unix socket paths must stay
// under 108 bytes.
func shortTemp(t testing.TB) string {
	d, err := os.MkdirTemp("", "yh")
	require.NoError(t, err)
	t.Cleanup(func() { os.RemoveAll(d) })
	return d
}

// copyExec copies an executable (a copy, not a link: the hostile plugin
// picks its mode from its own file name, and go-plugin resolves links).
func copyExec(t testing.TB, src, dst string) {
	t.Helper()
	in, err := os.Open(src)
	require.NoError(t, err)
	defer in.Close()
	require.NoError(t, os.MkdirAll(filepath.Dir(dst), 0o700))
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o700)
	require.NoError(t, err)
	_, err = io.Copy(out, in)
	require.NoError(t, err)
	require.NoError(t, out.Close())
}

type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuf) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	// Keep the tail only: a flooding plugin must not grow the test's memory.
	if s.b.Len() > 4<<20 {
		tail := append([]byte(nil), s.b.Bytes()[s.b.Len()-(1<<20):]...)
		s.b.Reset()
		s.b.Write(tail)
	}
	return s.b.Write(p)
}

func (s *syncBuf) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// agentProc is one `yurt agent` process with its own data dir.
type agentProc struct {
	t         testing.TB
	dataDir   string
	pluginDir string
	args      []string
	cmd       *exec.Cmd
	log       *syncBuf
	exited    chan struct{}
}

func newAgent(t testing.TB, pluginDir string, extra ...string) *agentProc {
	base := shortTemp(t)
	a := &agentProc{t: t, dataDir: filepath.Join(base, "data"), pluginDir: pluginDir, log: &syncBuf{}}
	a.args = append([]string{"agent", "-dev", "-data-dir", a.dataDir, "-plugin-dir", pluginDir}, extra...)
	return a
}

func (a *agentProc) socket() string { return filepath.Join(a.dataDir, api.SocketName) }

func (a *agentProc) client() *api.Client { return api.NewClient(a.socket()) }

// start runs the agent and waits until its API answers.
func (a *agentProc) start(timeout time.Duration) error {
	a.cmd = exec.Command(bins.yurt, a.args...)
	a.cmd.Stdout, a.cmd.Stderr = a.log, a.log
	if err := a.cmd.Start(); err != nil {
		return err
	}
	a.exited = make(chan struct{})
	go func(c *exec.Cmd, ch chan struct{}) { _ = c.Wait(); close(ch) }(a.cmd, a.exited)
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		select {
		case <-a.exited:
			return fmt.Errorf("agent exited during start (%v); log:\n%s", a.cmd.ProcessState, tail(a.log.String(), 4000))
		default:
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		_, err := a.client().Plugins(ctx)
		cancel()
		if err == nil {
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("agent API did not answer within %s; log:\n%s", timeout, tail(a.log.String(), 4000))
}

func (a *agentProc) alive() bool {
	select {
	case <-a.exited:
		return false
	default:
		return true
	}
}

func (a *agentProc) kill9() {
	if a.cmd != nil && a.alive() {
		_ = a.cmd.Process.Signal(syscall.SIGKILL)
		<-a.exited
	}
}

// shutdown stops a -dev agent gracefully, which stops its tasks and kills
// its plugins; a killed agent is started once more first so that nothing
// is left behind.
func (a *agentProc) shutdown() error {
	if a.cmd == nil {
		return nil
	}
	if !a.alive() {
		if err := a.start(30 * time.Second); err != nil {
			return err
		}
	}
	_ = a.cmd.Process.Signal(syscall.SIGINT)
	select {
	case <-a.exited:
		a.cmd = nil
		return nil
	case <-time.After(60 * time.Second):
		a.kill9()
		return fmt.Errorf("agent did not shut down within 60s")
	}
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "..." + s[len(s)-n:]
}

func waitFor(timeout time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(timeout)
	for {
		if cond() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// pidAlive reports whether pid exists and is not a zombie.
func pidAlive(pid int) bool {
	if pid <= 0 {
		return false
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	return i < 0 || i+2 >= len(s) || s[i+2] != 'Z'
}
