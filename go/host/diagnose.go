package host

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
)

// StderrTailLines is how many of a plugin's last stderr lines a LaunchError keeps.
const StderrTailLines = 20

// LaunchError is a plugin that exited (or was stopped) before or during the
// go-plugin handshake. It carries what a plugin author needs to find the
// cause: the exit status, the last lines the plugin wrote to stderr and a
// hint for the common causes.
type LaunchError struct {
	Path string
	// Status says how the process ended: "exited with status 1", "killed by
	// signal 9", "still running; stopped by the host" or "did not start".
	Status string
	// ExitCode is the process's exit status, -1 when it did not exit by itself.
	ExitCode int
	// Stderr holds the last StderrTailLines lines of the plugin's stderr.
	Stderr []string
	// Hint names the likely cause, or is empty.
	Hint string
	// Err is go-plugin's (or exec's) own error.
	Err error
}

// Unwrap returns go-plugin's (or exec's) error.
func (e *LaunchError) Unwrap() error { return e.Err }

// Cause is the most telling line: the last stderr line, else go-plugin's error.
func (e *LaunchError) Cause() string {
	if n := len(e.Stderr); n > 0 {
		return e.Stderr[n-1]
	}
	return goPluginSummary(e.Err)
}

const unrecognized = "Unrecognized remote plugin message: "

// goPluginSummary is the first line of go-plugin's error, without the notes
// it appends (its "not compiled for this architecture / missing dynamic-link
// libraries" guess misleads more often than not).
func goPluginSummary(err error) string {
	first, _, _ := strings.Cut(err.Error(), "\n")
	if i := strings.Index(first, unrecognized); i >= 0 && strings.TrimSpace(first[i+len(unrecognized):]) == "" {
		return "the plugin closed its stdout without writing the handshake line"
	}
	if i := strings.Index(first, unrecognized); i >= 0 {
		return "the plugin wrote to stdout instead of its handshake line: " + first[i+len(unrecognized):]
	}
	return first
}

// Headline is one line: what happened and the real cause, without the
// stderr tail.
func (e *LaunchError) Headline() string {
	s := fmt.Sprintf("the plugin %s before completing the handshake: %s", e.Status, e.Cause())
	if e.Hint != "" {
		s += " (hint: " + e.Hint + ")"
	}
	return s
}

// Error is the headline, go-plugin's error when it is not the cause, and
// the stderr tail on the following lines (the cause, the last stderr line,
// is printed once: in the headline).
func (e *LaunchError) Error() string {
	var b strings.Builder
	b.WriteString(e.Headline())
	if len(e.Stderr) > 0 {
		fmt.Fprintf(&b, "; go-plugin: %s", goPluginSummary(e.Err))
	}
	if n := len(e.Stderr); n > 1 {
		fmt.Fprintf(&b, "\nearlier stderr lines of the plugin (%d):", n-1)
		for _, l := range e.Stderr[:n-1] {
			b.WriteString("\n  | " + l)
		}
	}
	return b.String()
}

// tailBuffer keeps the last StderrTailLines non-empty lines written to it.
type tailBuffer struct {
	mu    sync.Mutex
	lines []string
}

func (t *tailBuffer) add(line string) {
	if strings.TrimSpace(line) == "" {
		return
	}
	if len(line) > 1000 {
		line = line[:1000] + "..."
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.lines = append(t.lines, line)
	if len(t.lines) > StderrTailLines {
		t.lines = t.lines[len(t.lines)-StderrTailLines:]
	}
}

func (t *tailBuffer) snapshot() []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]string(nil), t.lines...)
}

// diagnoseLaunch builds a LaunchError once go-plugin gave up: exitedAlone
// says whether the process had exited before the host killed it; cmd has
// been waited for (go-plugin's Kill waits for its goroutines).
func diagnoseLaunch(path string, cmd *exec.Cmd, exitedAlone bool, tail []string, err error) *LaunchError {
	e := &LaunchError{Path: path, ExitCode: -1, Stderr: tail, Err: err}
	ps := cmd.ProcessState
	switch {
	case ps == nil:
		e.Status = "did not start"
	case !exitedAlone:
		e.Status = "was stopped by the host"
	default:
		if ws, ok := ps.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			e.Status = fmt.Sprintf("was killed by signal %d (%v)", int(ws.Signal()), ws.Signal())
		} else {
			e.ExitCode = ps.ExitCode()
			e.Status = fmt.Sprintf("exited with status %d", e.ExitCode)
		}
	}
	e.Hint = launchHint(e, err)
	return e
}

// selfExit reports whether go-plugin's error means the plugin ended on its own.
func selfExit(err error) bool {
	return strings.Contains(err.Error(), "plugin exited before we could connect") ||
		strings.HasPrefix(goPluginSummary(err), "the plugin closed its stdout")
}

func launchHint(e *LaunchError, err error) string {
	all := strings.Join(e.Stderr, "\n")
	msg := ""
	if err != nil {
		msg = err.Error()
	}
	switch {
	case strings.Contains(goPluginSummary(err), "wrote to stdout"):
		return "the plugin wrote to stdout before its handshake line: log to stderr"
	case strings.Contains(all, "This binary is a plugin") || strings.Contains(all, MagicCookieKey):
		return "wrong or missing magic cookie: the plugin must be started by a Nomad host (or yurt) with " +
			MagicCookieKey + ", and must check for Nomad's cookie value"
	case e.ExitCode == 127, errors.Is(err, os.ErrNotExist), errors.Is(err, syscall.ENOEXEC),
		strings.Contains(all, "error while loading shared libraries"),
		strings.Contains(all, "No such file or directory"), strings.Contains(all, "not found"):
		return "a missing interpreter or library: check the #! line of the plugin, the interpreter and virtual environment it names, and its shared libraries (ldd)"
	case strings.Contains(msg, "incompatible API version") || strings.Contains(msg, "incompatible core API version"):
		return fmt.Sprintf("the plugin speaks another protocol version: Nomad plugins use go-plugin core 1, app protocol %d", ProtocolVersion)
	}
	return ""
}
