package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"

	"github.com/yurt-sdk/yurt/go/api"
)

func openPTY(t *testing.T) (master, slave *os.File) {
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	require.NoError(t, err)
	var unlock int32
	_, _, e := syscall.Syscall(syscall.SYS_IOCTL, m.Fd(), syscall.TIOCSPTLCK, uintptr(unsafe.Pointer(&unlock)))
	require.Zero(t, e)
	n, err := unix.IoctlGetInt(int(m.Fd()), unix.TIOCGPTN)
	require.NoError(t, err)
	s, err := os.OpenFile("/dev/pts/"+strconv.Itoa(n), os.O_RDWR|syscall.O_NOCTTY, 0)
	require.NoError(t, err)
	t.Cleanup(func() { m.Close(); s.Close() })
	return m, s
}

// TestExecInteractiveTerminal runs `yurt exec -t` on a real terminal: the
// CLI must switch it to raw mode, pass its size to the task's terminal,
// forward keystrokes, and restore the terminal afterwards.
func TestExecInteractiveTerminal(t *testing.T) {
	t.Parallel()
	a := startAgent(t)
	a.mustYurt("run", writeFile(t, "web.hcl", shellTask("web", "sleep 60", "")))
	a.waitState("web", api.StateRunning)

	master, slave := openPTY(t)
	require.NoError(t, unix.IoctlSetWinsize(int(slave.Fd()), unix.TIOCSWINSZ, &unix.Winsize{Row: 41, Col: 101}))
	before, err := unix.IoctlGetTermios(int(slave.Fd()), unix.TCGETS)
	require.NoError(t, err)
	require.NotZero(t, before.Lflag&unix.ECHO, "a fresh terminal echoes")

	cmd := exec.Command(bins.yurt, "exec", "-t", "web", "--", "/bin/sh", "-c", `read x; stty size; echo "got $x"; exit 6`)
	cmd.Env = append(os.Environ(), "HOME="+a.home, "YURT_ADDR="+filepath.Join(a.dataDir, api.SocketName))
	cmd.Stdin, cmd.Stdout, cmd.Stderr = slave, slave, slave
	require.NoError(t, cmd.Start())

	var mu sync.Mutex
	var out bytes.Buffer
	go func() {
		buf := make([]byte, 1024)
		for {
			n, err := master.Read(buf)
			mu.Lock()
			out.Write(buf[:n])
			mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	seen := func(s string) bool {
		mu.Lock()
		defer mu.Unlock()
		return strings.Contains(out.String(), s)
	}
	output := func() string {
		mu.Lock()
		defer mu.Unlock()
		return out.String()
	}
	// The size travels after the session setup (as in Nomad), so the
	// command reads a line first and looks at its terminal afterwards.
	require.True(t, waitUntil(10*time.Second, func() bool {
		raw, err := unix.IoctlGetTermios(int(slave.Fd()), unix.TCGETS)
		return err == nil && raw.Lflag&(unix.ECHO|unix.ICANON) == 0
	}), "the caller's terminal is raw during the session")
	time.Sleep(300 * time.Millisecond)
	_, err = master.Write([]byte("hello\r"))
	require.NoError(t, err)
	require.True(t, waitUntil(10*time.Second, func() bool { return seen("got hello") }), "keystrokes reach the task: %q", output())
	assert.Contains(t, output(), "41 101", "the task's terminal has the caller's size")
	err = cmd.Wait()
	var ee *exec.ExitError
	require.ErrorAs(t, err, &ee)
	assert.Equal(t, 6, ee.ExitCode())
	after, err := unix.IoctlGetTermios(int(slave.Fd()), unix.TCGETS)
	require.NoError(t, err)
	assert.Equal(t, before.Lflag, after.Lflag, "terminal restored")
	a.mustYurt("stop", "web")
}
