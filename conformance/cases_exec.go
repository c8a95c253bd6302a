package conformance

import (
	"bytes"
	"fmt"
	"io"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/yurt-sdk/yurt/go/host"
)

// syncBuffer is a bytes.Buffer safe for one writer and concurrent readers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
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

func (s *syncBuffer) waitMatch(re *regexp.Regexp, n int, d time.Duration) bool {
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		if len(re.FindAllString(s.String(), -1)) >= n {
			return true
		}
		time.Sleep(25 * time.Millisecond)
	}
	return false
}

var sizeLine = regexp.MustCompile(`(?m)^\d+ \d+\r?$`)

func execCases() []Case {
	return []Case{
		{ID: "driver/exec-stdin", Level: Required, Kind: DriverPlugin,
			Doc: "ExecTaskStreaming hands stdin to the command and closes it at the host's close: the exec block's stdin_command (default cat) echoes it and exits 0 (if exec)",
			Run: caseDriverExecStdin},
		{ID: "driver/exec-tty", Level: Required, Kind: DriverPlugin,
			Doc: "ExecTaskStreaming with tty gives the command a terminal (isatty), applies a resize to it, and returns its exit code (if exec)",
			Run: caseDriverExecTTY},
	}
}

// caseDriverExecStdin is case driver/exec-stdin.
func caseDriverExecStdin(t *T) {
	_, d := driverSession(t)
	ex := execScenario(t, d)
	cmd := ex.StdinCommand
	if len(cmd) == 0 {
		cmd = []string{"cat"}
	}
	pt := prepareTask(t, d, RoleLongRunning)
	startTask(t, d, pt)
	const input = "conformance stdin line 1\nline 2 ✓\n"
	var out syncBuffer
	ctx, cancel := waitCtx(t, 15*time.Second)
	defer cancel()
	res, err := d.ExecStreaming(ctx, host.ExecOptions{TaskID: pt.Config.ID, Command: cmd,
		Stdin: strings.NewReader(input), Stdout: &out, Stderr: &out})
	t.Check(err, "ExecTaskStreaming %v with stdin (does the plugin close the command's stdin when the host closes it?)", cmd)
	if !strings.Contains(out.String(), input) {
		t.Errorf("ExecTaskStreaming %v: expected stdin %q echoed, got %q", cmd, input, oneLine(out.String(), 200))
	}
	if res.ExitCode != 0 {
		t.Errorf("ExecTaskStreaming %v: expected exit code 0, got %d", cmd, res.ExitCode)
	}
}

// caseDriverExecTTY is case driver/exec-tty.
func caseDriverExecTTY(t *T) {
	_, d := driverSession(t)
	ex := execScenario(t, d)
	cmd := ex.TTYCommand
	if len(cmd) == 0 {
		cmd = DefaultTTYCommand
	}
	pt := prepareTask(t, d, RoleLongRunning)
	startTask(t, d, pt)
	var out syncBuffer
	stdinR, stdinW := io.Pipe()
	defer stdinW.Close()
	resize := make(chan host.TerminalSize, 2)
	resize <- host.TerminalSize{Height: 31, Width: 97}
	ctx, cancel := waitCtx(t, 20*time.Second)
	defer cancel()
	type result struct {
		code int
		err  error
	}
	done := make(chan result, 1)
	go func() {
		res, err := d.ExecStreaming(ctx, host.ExecOptions{TaskID: pt.Config.ID, Command: cmd, TTY: true,
			Stdin: stdinR, Stdout: &out, Stderr: &out, Resize: resize})
		code := -1
		if res != nil {
			code = res.ExitCode
		}
		done <- result{code, err}
	}()
	if !sizeLine.MatchString(out.String()) && !out.waitMatch(sizeLine, 1, 10*time.Second) {
		t.Fatalf("ExecTaskStreaming tty %v: expected the terminal size (\"ROWS COLS\") within 10 s, got %q", cmd, oneLine(out.String(), 200))
	}
	resize <- host.TerminalSize{Height: 42, Width: 111}
	time.Sleep(300 * time.Millisecond)
	_, _ = stdinW.Write([]byte("go\n"))
	var r result
	select {
	case r = <-done:
	case <-time.After(15 * time.Second):
		t.Fatalf("ExecTaskStreaming tty %v: no exit within 15 s of its input; output %q", cmd, oneLine(out.String(), 200))
	}
	t.Check(r.err, "ExecTaskStreaming tty %v", cmd)
	got := out.String()
	if !strings.Contains(got, "isatty") {
		t.Errorf("ExecTaskStreaming tty %v: expected stdin and stdout to be terminals (\"isatty\"), got %q", cmd, oneLine(got, 200))
	}
	sizes := sizeLine.FindAllString(got, -1)
	if len(sizes) < 2 || strings.TrimSpace(sizes[len(sizes)-1]) != "42 111" {
		t.Errorf("ExecTaskStreaming tty %v: expected the size 42 111 after a resize to 42x111, got sizes %q", cmd, sizes)
	}
	if r.code != 5 && len(ex.TTYCommand) == 0 {
		t.Errorf("ExecTaskStreaming tty %v: expected exit code 5, got %d", cmd, r.code)
	}
	t.Logf("%s", fmt.Sprintf("sizes seen %q", sizes))
}
