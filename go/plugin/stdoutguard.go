package plugin

import (
	"fmt"
	"io"
	"os"
	"sync"

	"golang.org/x/sys/unix"

	"github.com/yurt-sdk/yurt/go/gen/nomadconst"
	"github.com/yurt-sdk/yurt/go/plugin/supervise"
)

// StdoutGuardWarning is the one WARN line logged (hclog JSON on stderr) when
// something reached stdout before the go-plugin handshake line.
const StdoutGuardWarning = "plugin wrote to stdout before the go-plugin handshake; sent to stderr"

// stdoutGuardMode "off", set at link time (-ldflags "-X
// github.com/yurt-sdk/yurt/go/plugin.stdoutGuardMode=off"), builds a plugin
// without the guard: stdout is then the host's pipe from the start, as in a
// plugin written without an SDK (go/hardening's hostile plugin plays those).
var stdoutGuardMode = ""

// go-plugin's host reads the plugin's stdout line by line and the FIRST
// line must be the handshake (core|app|network|addr|protocol|cert): any
// earlier line breaks the launch. So, before plugin code can print, the
// stdout guard keeps a private duplicate of the real stdout for the
// handshake and points fd 1 (which os.Stdout, C code and inherited children
// write to) at a pipe that a goroutine copies to stderr after one warning.
//
// It is installed when this package initialises, if a go-plugin host
// launched the process (its magic cookie is set), so a fmt.Println in main
// or in the plugin's constructor before ServeDriver or ServeDevice is caught too; serving
// installs it otherwise. Serving gives go-plugin the real stdout for the
// handshake line; go-plugin then swaps os.Stdout for its GRPCStdio pipe
// (server.go), so later prints through os.Stdout reach the host's stdio
// stream, while raw writes to fd 1 keep going to stderr.
var stdoutGuard struct {
	once sync.Once
	real *os.File
	err  error
}

func init() {
	if os.Getenv(nomadconst.MagicCookieKey) != nomadconst.MagicCookieValue {
		return
	}
	if len(os.Args) > 1 && os.Args[1] == supervise.Arg {
		return // the task supervisor: its stdout is not the host's pipe
	}
	_, _ = guardStdout() // an error is reported again when serving
}

// guardStdout installs the guard once and returns the real stdout.
func guardStdout() (*os.File, error) {
	stdoutGuard.once.Do(func() {
		if stdoutGuardMode == "off" {
			stdoutGuard.real = os.Stdout
			return
		}
		stdoutGuard.real, stdoutGuard.err = installStdoutGuard()
	})
	return stdoutGuard.real, stdoutGuard.err
}

func installStdoutGuard() (*os.File, error) {
	realFd, err := unix.FcntlInt(1, unix.F_DUPFD_CLOEXEC, 3)
	if err != nil {
		return nil, fmt.Errorf("duplicating stdout: %w", err)
	}
	r, w, err := os.Pipe()
	if err != nil {
		_ = unix.Close(realFd)
		return nil, fmt.Errorf("stdout guard pipe: %w", err)
	}
	// Dup2 leaves fd 1 inheritable: children get the guard, not the host's pipe.
	if err := unix.Dup2(int(w.Fd()), 1); err != nil {
		_ = unix.Close(realFd)
		_ = r.Close()
		_ = w.Close()
		return nil, fmt.Errorf("redirecting stdout: %w", err)
	}
	_ = w.Close()
	go pumpStrayStdout(r, os.Stderr) // fd 2 itself, whatever os.Stderr becomes later
	return os.NewFile(uintptr(realFd), "stdout"), nil
}

func pumpStrayStdout(r io.ReadCloser, stderr *os.File) {
	defer r.Close()
	buf := make([]byte, 8192)
	warned := false
	for {
		n, err := r.Read(buf)
		if n > 0 {
			if !warned {
				warned = true
				newLogger("plugin", stderr).Warn(StdoutGuardWarning)
			}
			_, _ = stderr.Write(buf[:n]) // a dead host (EPIPE): drop, keep draining
		}
		if err != nil {
			return
		}
	}
}
