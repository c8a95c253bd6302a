package execdriver

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"sync"
	"syscall"
	"time"

	"github.com/creack/pty"

	"github.com/yurt-sdk/yurt/go/plugin/driver"
)

// execCmd builds a command that runs in the task's context: its
// directory, environment and user.
func (d *Driver) execCmd(ctx context.Context, id string, command []string) (*exec.Cmd, error) {
	t, err := d.get(id)
	if err != nil {
		return nil, err
	}
	if len(command) == 0 || command[0] == "" {
		return nil, fmt.Errorf("exec in task %q: command is empty", id)
	}
	if _, done := t.exit(); done {
		return nil, fmt.Errorf("exec in task %q: task has exited", id)
	}
	cmd := exec.CommandContext(ctx, command[0], command[1:]...)
	cmd.Env = t.state.Env
	cmd.Dir = t.state.TaskDir
	attr, err := procAttr(t.state.User)
	if err != nil {
		return nil, err
	}
	cmd.SysProcAttr = attr
	// Kill the whole process group when ctx ends.
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = time.Second
	return cmd, nil
}

func exitResult(err error) (*driver.ExitResult, error) {
	if err == nil {
		return &driver.ExitResult{}, nil
	}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return &driver.ExitResult{ExitCode: 128 + int(ws.Signal()), Signal: int(ws.Signal())}, nil
		}
		return &driver.ExitResult{ExitCode: ee.ExitCode()}, nil
	}
	return nil, err
}

func (d *Driver) ExecTask(ctx context.Context, id string, command []string, timeout time.Duration) (*driver.ExecResult, error) {
	if timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	cmd, err := d.execCmd(ctx, id, command)
	if err != nil {
		return nil, err
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	res, err := exitResult(cmd.Run())
	if err != nil {
		return nil, fmt.Errorf("exec in task %q: %w", id, err)
	}
	return &driver.ExecResult{Stdout: stdout.Bytes(), Stderr: stderr.Bytes(), Exit: res}, nil
}

// ExecTaskStreaming runs an interactive command, with a real pseudo
// terminal when opts.Tty is set.
func (d *Driver) ExecTaskStreaming(ctx context.Context, id string, opts *driver.ExecOptions) (*driver.ExitResult, error) {
	cmd, err := d.execCmd(ctx, id, opts.Command)
	if err != nil {
		return nil, err
	}
	if !opts.Tty {
		cmd.Stdout, cmd.Stderr = opts.Stdout, opts.Stderr
		stdin, err := cmd.StdinPipe()
		if err != nil {
			return nil, err
		}
		if err := cmd.Start(); err != nil {
			return nil, fmt.Errorf("exec in task %q: %w", id, err)
		}
		go func() {
			_, _ = io.Copy(stdin, opts.Stdin)
			_ = stdin.Close()
		}()
		go func() {
			for range opts.Resize {
			}
		}()
		return exitResult(cmd.Wait())
	}

	// With a TTY the command gets its own session with the pty as its
	// controlling terminal (pty.Start sets Setsid and Setctty).
	cmd.SysProcAttr.Setpgid = false
	ptmx, err := pty.Start(cmd)
	if err != nil {
		return nil, fmt.Errorf("exec in task %q: starting on a pty: %w", id, err)
	}
	defer ptmx.Close()
	go func() {
		for sz := range opts.Resize {
			_ = pty.Setsize(ptmx, &pty.Winsize{Rows: uint16(sz.Height), Cols: uint16(sz.Width)})
		}
	}()
	go func() {
		_, _ = io.Copy(ptmx, opts.Stdin)
		// Closing stdin on a terminal is end-of-file: send ^D.
		_, _ = ptmx.Write([]byte{4})
	}()
	var copied sync.WaitGroup
	copied.Add(1)
	go func() {
		defer copied.Done()
		// Reading the master fails with EIO once the command and its
		// children have closed the terminal.
		_, _ = io.Copy(opts.Stdout, ptmx)
	}()
	werr := cmd.Wait()
	waitCopy(&copied, time.Second)
	return exitResult(werr)
}

// waitCopy waits for output to drain, but not forever: a background child
// may hold the terminal open.
func waitCopy(wg *sync.WaitGroup, limit time.Duration) {
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(limit):
	}
}
