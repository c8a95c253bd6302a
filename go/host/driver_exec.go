package host

import (
	"context"
	"errors"
	"fmt"
	"github.com/yurt-sdk/yurt/go/internal/convert/driverconv"
	"io"
	"sync"

	"github.com/yurt-sdk/yurt/go/gen/driverpb"
	"github.com/yurt-sdk/yurt/go/plugin/driver"
)

// ExecOptions configures ExecStreaming.
type ExecOptions struct {
	TaskID  string
	Command []string
	TTY     bool
	// Stdin, if set, is copied to the command; its EOF closes the command's stdin.
	Stdin io.Reader
	// Stdout and Stderr receive output; nil discards it.
	Stdout, Stderr io.Writer
	// Resize, if set, sends terminal sizes (TTY only).
	Resize <-chan TerminalSize
}

// TerminalSize is a TTY size in character cells.
type TerminalSize struct{ Height, Width int32 }

// ExecStreaming runs a command over ExecTaskStreaming and returns its result
// once the plugin reports exited.
func (d *Driver) ExecStreaming(ctx context.Context, o ExecOptions) (*driver.ExitResult, error) {
	if len(o.Command) == 0 {
		return nil, errors.New("ExecStreaming: field command: expected at least one word, got none")
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	s, err := d.c.ExecTaskStreaming(ctx)
	if err != nil {
		return nil, fmt.Errorf("ExecTaskStreaming %s: %w", o.TaskID, err)
	}
	var sendMu sync.Mutex
	send := func(r *driverpb.ExecTaskStreamingRequest) error {
		sendMu.Lock()
		defer sendMu.Unlock()
		return s.Send(r)
	}
	if err := send(&driverpb.ExecTaskStreamingRequest{Setup: &driverpb.ExecTaskStreamingRequest_Setup{TaskId: o.TaskID, Command: o.Command, Tty: o.TTY}}); err != nil {
		return nil, fmt.Errorf("ExecTaskStreaming %s: sending setup: %w", o.TaskID, err)
	}
	if o.Stdin != nil {
		go func() {
			buf := make([]byte, 4096)
			for {
				n, err := o.Stdin.Read(buf)
				if n > 0 {
					if send(&driverpb.ExecTaskStreamingRequest{Stdin: &driverpb.ExecTaskStreamingIOOperation{Data: append([]byte(nil), buf[:n]...)}}) != nil {
						return
					}
				}
				if err != nil {
					_ = send(&driverpb.ExecTaskStreamingRequest{Stdin: &driverpb.ExecTaskStreamingIOOperation{Close: true}})
					return
				}
			}
		}()
	}
	if o.Resize != nil {
		go func() {
			for {
				select {
				case <-ctx.Done():
					return
				case sz, ok := <-o.Resize:
					if !ok {
						return
					}
					if send(&driverpb.ExecTaskStreamingRequest{TtySize: &driverpb.ExecTaskStreamingRequest_TerminalSize{Height: sz.Height, Width: sz.Width}}) != nil {
						return
					}
				}
			}
		}()
	}
	for {
		m, err := s.Recv()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return nil, fmt.Errorf("ExecTaskStreaming %s: stream ended before the plugin reported exited", o.TaskID)
			}
			return nil, fmt.Errorf("ExecTaskStreaming %s: %w", o.TaskID, err)
		}
		if out := m.GetStdout(); out != nil && len(out.GetData()) > 0 && o.Stdout != nil {
			_, _ = o.Stdout.Write(out.GetData())
		}
		if out := m.GetStderr(); out != nil && len(out.GetData()) > 0 && o.Stderr != nil {
			_, _ = o.Stderr.Write(out.GetData())
		}
		if m.GetExited() {
			if m.GetResult() == nil {
				return nil, fmt.Errorf("ExecTaskStreaming %s: exited message field result: expected an exit result, got none", o.TaskID)
			}
			return driverconv.ExitResultFromProto(m.GetResult()), nil
		}
	}
}
