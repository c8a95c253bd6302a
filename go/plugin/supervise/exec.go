package supervise

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sync"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// TerminalSize is a terminal's size in character cells.
type TerminalSize struct {
	Rows, Cols uint16
}

// ExecOptions describe one streaming exec session.
type ExecOptions struct {
	Command []string
	// Tty runs the command on a new pseudo-terminal (its controlling
	// terminal, in a new session); all output then arrives on Stdout.
	Tty bool
	// Stdin is copied to the command until it ends (EOF); with Tty, EOF is
	// sent to the terminal as ^D.
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	// Resize delivers terminal size changes (Tty only); it may be nil.
	Resize <-chan TerminalSize
}

// outputDrain bounds how long exec output is still read after the command
// exited: a background child may hold the pipe or terminal open.
var outputDrain = time.Second

// command builds cmd in the task's environment: its env, working directory
// and user (from spec.pb). When ctx ends, its process group is killed.
func (t *Task) command(ctx context.Context, argv []string) (*exec.Cmd, error) {
	if len(argv) == 0 || argv[0] == "" {
		return nil, fmt.Errorf("supervise: exec in task %q: command is empty", t.taskID)
	}
	if _, done, err := t.Exit(); err != nil || done {
		if err != nil {
			return nil, err
		}
		return nil, fmt.Errorf("supervise: exec in task %q: %w", t.taskID, ErrExited)
	}
	spec := *t.spec
	spec.Command, spec.Args = argv[0], argv[1:]
	l, err := resolve(&spec)
	if err != nil {
		return nil, fmt.Errorf("supervise: exec in task %q: %w", t.taskID, err)
	}
	cmd := exec.CommandContext(ctx, l.path, argv[1:]...)
	cmd.Args[0] = argv[0]
	cmd.Env, cmd.Dir = l.env, l.dir
	// Pdeathsig: an exec session dies with the plugin (killed mid-exec)
	// instead of living on under init.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Credential: l.cred, Pdeathsig: syscall.SIGKILL}
	cmd.Cancel = func() error { return unix.Kill(-cmd.Process.Pid, unix.SIGKILL) }
	cmd.WaitDelay = outputDrain
	return cmd, nil
}

// execResult turns cmd.Wait's error into an ExitResult.
func execResult(err error) (*ExitResult, error) {
	if err == nil {
		return &ExitResult{CompletedAt: time.Now()}, nil
	}
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		if errors.Is(err, exec.ErrWaitDelay) {
			return &ExitResult{CompletedAt: time.Now()}, nil
		}
		return nil, err
	}
	r := &ExitResult{ExitCode: ee.ExitCode(), CompletedAt: time.Now()}
	if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		r.Signal = int(ws.Signal())
		r.ExitCode = 128 + r.Signal
	}
	return r, nil
}

// Exec runs argv in the task's environment and returns its output with
// stderr merged into stdout, as Nomad's executor does for ExecTask
// (drivers/shared/executor/executor.go, Exec: one buffer for both), which
// its script checks read. timeout 0 means none.
func (t *Task) Exec(ctx context.Context, argv []string, timeout time.Duration) ([]byte, *ExitResult, error) {
	if timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	cmd, err := t.command(ctx, argv)
	if err != nil {
		return nil, nil, err
	}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	res, err := execResult(cmd.Run())
	if err != nil {
		return nil, nil, fmt.Errorf("supervise: exec %q in task %q: %w", argv[0], t.taskID, err)
	}
	return out.Bytes(), res, nil
}

// ExecStreaming runs an interactive command in the task's environment,
// on a pseudo-terminal when opts.Tty is set.
func (t *Task) ExecStreaming(ctx context.Context, opts ExecOptions) (*ExitResult, error) {
	cmd, err := t.command(ctx, opts.Command)
	if err != nil {
		return nil, err
	}
	stdin := opts.Stdin
	if stdin == nil {
		stdin = bytes.NewReader(nil)
	}
	if !opts.Tty {
		cmd.Stdout, cmd.Stderr = opts.Stdout, opts.Stderr
		w, err := cmd.StdinPipe()
		if err != nil {
			return nil, err
		}
		if err := cmd.Start(); err != nil {
			return nil, fmt.Errorf("supervise: exec %q in task %q: %w", opts.Command[0], t.taskID, err)
		}
		go func() {
			_, _ = io.Copy(w, stdin)
			_ = w.Close()
		}()
		drainResize(opts.Resize)
		return execResult(cmd.Wait())
	}
	return t.execTTY(cmd, stdin, opts)
}

func drainResize(ch <-chan TerminalSize) {
	if ch != nil {
		go func() {
			for range ch {
			}
		}()
	}
}

func (t *Task) execTTY(cmd *exec.Cmd, stdin io.Reader, opts ExecOptions) (*ExitResult, error) {
	master, slave, err := openPTY()
	if err != nil {
		return nil, fmt.Errorf("supervise: exec in task %q: %w", t.taskID, err)
	}
	defer master.Close()
	if cmd.SysProcAttr.Credential != nil {
		// The task's user must be able to open its own terminal.
		_ = slave.Chown(int(cmd.SysProcAttr.Credential.Uid), -1)
	}
	cmd.Stdin, cmd.Stdout, cmd.Stderr = slave, slave, slave
	// A new session whose controlling terminal is the pty (fd 0 in the
	// child), so that ^C and job control reach the command.
	cmd.SysProcAttr.Setpgid = false
	cmd.SysProcAttr.Setsid, cmd.SysProcAttr.Setctty, cmd.SysProcAttr.Ctty = true, true, 0
	err = cmd.Start()
	_ = slave.Close()
	if err != nil {
		return nil, fmt.Errorf("supervise: exec %q in task %q on a pty: %w", opts.Command[0], t.taskID, err)
	}
	go func() {
		for sz := range opts.Resize {
			_ = setWinsize(master, sz)
		}
	}()
	go func() {
		_, _ = io.Copy(master, stdin)
		_, _ = master.Write([]byte{4}) // end of input on a terminal is ^D
	}()
	var copied sync.WaitGroup
	copied.Add(1)
	go func() {
		defer copied.Done()
		// Reading the master fails (EIO) once every holder of the terminal
		// has closed it.
		if opts.Stdout != nil {
			_, _ = io.Copy(opts.Stdout, master)
		} else {
			_, _ = io.Copy(io.Discard, master)
		}
	}()
	werr := cmd.Wait()
	done := make(chan struct{})
	go func() { copied.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(outputDrain):
	}
	return execResult(werr)
}

// openPTY opens a new pseudo-terminal pair: the master (non-blocking, read
// through Go's poller) and the slave.
func openPTY() (master, slave *os.File, err error) {
	fd, err := unix.Open("/dev/ptmx", unix.O_RDWR|unix.O_NOCTTY|unix.O_CLOEXEC|unix.O_NONBLOCK, 0)
	if err != nil {
		return nil, nil, fmt.Errorf("opening /dev/ptmx: %w", err)
	}
	master = os.NewFile(uintptr(fd), "/dev/ptmx")
	if err := unix.IoctlSetPointerInt(fd, unix.TIOCSPTLCK, 0); err != nil {
		master.Close()
		return nil, nil, fmt.Errorf("unlocking the pty: %w", err)
	}
	n, err := unix.IoctlGetInt(fd, unix.TIOCGPTN)
	if err != nil {
		master.Close()
		return nil, nil, fmt.Errorf("naming the pty: %w", err)
	}
	name := fmt.Sprintf("/dev/pts/%d", n)
	slave, err = os.OpenFile(name, os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		master.Close()
		return nil, nil, fmt.Errorf("opening %s: %w", name, err)
	}
	return master, slave, nil
}

func setWinsize(f *os.File, sz TerminalSize) error {
	conn, err := f.SyscallConn()
	if err != nil {
		return err
	}
	var ierr error
	err = conn.Control(func(fd uintptr) {
		ierr = unix.IoctlSetWinsize(int(fd), unix.TIOCSWINSZ, &unix.Winsize{Row: sz.Rows, Col: sz.Cols})
	})
	if err != nil {
		return err
	}
	return ierr
}
