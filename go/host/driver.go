package host

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/yurt-sdk/yurt/go/gen/driverpb"
	"github.com/yurt-sdk/yurt/go/gen/hclspecpb"
	"google.golang.org/protobuf/types/known/durationpb"
)

// Driver is a typed client of a task-driver plugin's Driver service.
type Driver struct {
	c driverpb.DriverClient
}

// Driver returns the typed Driver client of this plugin.
func (p *Plugin) Driver() *Driver { return &Driver{c: driverpb.NewDriverClient(p.conn)} }

// Raw returns the generated client for calls this wrapper does not cover.
func (d *Driver) Raw() driverpb.DriverClient { return d.c }

// TaskConfigSchema returns the task configuration schema.
func (d *Driver) TaskConfigSchema(ctx context.Context) (*hclspecpb.Spec, error) {
	r, err := d.c.TaskConfigSchema(ctx, &driverpb.TaskConfigSchemaRequest{})
	if err != nil {
		return nil, fmt.Errorf("TaskConfigSchema: %w", err)
	}
	return r.GetSpec(), nil
}

// Capabilities returns the driver's capabilities.
func (d *Driver) Capabilities(ctx context.Context) (*driverpb.DriverCapabilities, error) {
	r, err := d.c.Capabilities(ctx, &driverpb.CapabilitiesRequest{})
	if err != nil {
		return nil, fmt.Errorf("Capabilities: %w", err)
	}
	if r.GetCapabilities() == nil {
		return nil, errors.New("Capabilities: response field capabilities: expected a message, got none")
	}
	if err := CheckCapabilitiesReply(r); err != nil {
		return nil, err
	}
	return r.GetCapabilities(), nil
}

// Fingerprint opens the fingerprint stream once.
func (d *Driver) Fingerprint(ctx context.Context) (Receiver[*driverpb.FingerprintResponse], error) {
	s, err := d.c.Fingerprint(ctx, &driverpb.FingerprintRequest{})
	if err != nil {
		return nil, fmt.Errorf("Fingerprint: %w", err)
	}
	return checkingReceiver[*driverpb.FingerprintResponse]{s, CheckFingerprintReply}, nil
}

// FollowFingerprint keeps the fingerprint stream open, reconnecting with backoff.
func (d *Driver) FollowFingerprint(ctx context.Context, b Backoff, onMsg func(*driverpb.FingerprintResponse), onEnd func(StreamEvent)) error {
	return Follow(ctx, b, d.Fingerprint, onMsg, onEnd)
}

// StartTask starts a task. A RecoverableError detail is available via Recoverable.
func (d *Driver) StartTask(ctx context.Context, cfg *driverpb.TaskConfig) (*driverpb.StartTaskResponse, error) {
	if cfg == nil || cfg.GetId() == "" {
		return nil, errors.New("StartTask: field task.id: expected a non-empty task id, got \"\"")
	}
	r, err := d.c.StartTask(ctx, &driverpb.StartTaskRequest{Task: cfg})
	if err != nil {
		return nil, fmt.Errorf("StartTask %s: %w", cfg.GetId(), err)
	}
	if r.GetResult() != driverpb.StartTaskResponse_SUCCESS {
		return r, fmt.Errorf("StartTask %s: result %s: %s", cfg.GetId(), r.GetResult(), r.GetDriverErrorMsg())
	}
	if err := CheckStartReply(r); err != nil {
		return r, fmt.Errorf("StartTask %s: %w", cfg.GetId(), err)
	}
	return r, nil
}

// RecoverTask hands a stored handle to a (possibly fresh) plugin process
// exactly as Nomad's client does: RecoverTaskRequest{Handle: h}, task_id
// left empty (hashicorp/nomad v2.0.5 plugins/drivers/client.go
// RecoverTask builds only Handle). The plugin finds the task's id in
// h.config.id, which Nomad also uses for every later call
// (client/allocrunner/taskrunner/task_runner.go restoreHandle).
func (d *Driver) RecoverTask(ctx context.Context, h *driverpb.TaskHandle) error {
	if h.GetConfig().GetId() == "" {
		return errors.New("RecoverTask: field handle.config.id: expected the task id (Nomad sends the id only there), got \"\"")
	}
	if _, err := d.c.RecoverTask(ctx, &driverpb.RecoverTaskRequest{Handle: h}); err != nil {
		return fmt.Errorf("RecoverTask %s: %w", h.GetConfig().GetId(), err)
	}
	return nil
}

// WaitTask blocks until the task exits and returns its result. A non-empty
// response err field is returned as an error together with the result.
func (d *Driver) WaitTask(ctx context.Context, taskID string) (*driverpb.ExitResult, error) {
	r, err := d.c.WaitTask(ctx, &driverpb.WaitTaskRequest{TaskId: taskID})
	if err != nil {
		return nil, fmt.Errorf("WaitTask %s: %w", taskID, err)
	}
	if err := CheckWaitReply(r); err != nil {
		return nil, fmt.Errorf("WaitTask %s: %w", taskID, err)
	}
	if r.GetErr() != "" {
		return r.GetResult(), fmt.Errorf("WaitTask %s: driver error: %s", taskID, r.GetErr())
	}
	if r.GetResult() == nil {
		return nil, fmt.Errorf("WaitTask %s: response field result: expected an exit result, got none", taskID)
	}
	return r.GetResult(), nil
}

// StopTask sends signal (empty: driver default), then kills after timeout.
func (d *Driver) StopTask(ctx context.Context, taskID string, timeout time.Duration, signal string) error {
	if _, err := d.c.StopTask(ctx, &driverpb.StopTaskRequest{TaskId: taskID, Timeout: durationpb.New(timeout), Signal: signal}); err != nil {
		return fmt.Errorf("StopTask %s: %w", taskID, err)
	}
	return nil
}

// DestroyTask removes a task; a running task needs force.
func (d *Driver) DestroyTask(ctx context.Context, taskID string, force bool) error {
	if _, err := d.c.DestroyTask(ctx, &driverpb.DestroyTaskRequest{TaskId: taskID, Force: force}); err != nil {
		return fmt.Errorf("DestroyTask %s: %w", taskID, err)
	}
	return nil
}

// InspectTask returns the task's status.
func (d *Driver) InspectTask(ctx context.Context, taskID string) (*driverpb.InspectTaskResponse, error) {
	r, err := d.c.InspectTask(ctx, &driverpb.InspectTaskRequest{TaskId: taskID})
	if err != nil {
		return nil, fmt.Errorf("InspectTask %s: %w", taskID, err)
	}
	if err := CheckInspectReply(r); err != nil {
		return r, fmt.Errorf("InspectTask %s: %w", taskID, err)
	}
	return r, nil
}

// TaskStats opens the stats stream of one task once.
func (d *Driver) TaskStats(ctx context.Context, taskID string, interval time.Duration) (Receiver[*driverpb.TaskStatsResponse], error) {
	s, err := d.c.TaskStats(ctx, &driverpb.TaskStatsRequest{TaskId: taskID, CollectionInterval: durationpb.New(interval)})
	if err != nil {
		return nil, fmt.Errorf("TaskStats %s: %w", taskID, err)
	}
	return checkingReceiver[*driverpb.TaskStatsResponse]{s, func(m *driverpb.TaskStatsResponse) error {
		if err := CheckStatsReply(m); err != nil {
			return fmt.Errorf("TaskStats %s: %w", taskID, err)
		}
		return nil
	}}, nil
}

// FollowTaskStats keeps a task's stats stream open, reconnecting with backoff.
func (d *Driver) FollowTaskStats(ctx context.Context, taskID string, interval time.Duration, b Backoff, onMsg func(*driverpb.TaskStatsResponse), onEnd func(StreamEvent)) error {
	return Follow(ctx, b, func(ctx context.Context) (Receiver[*driverpb.TaskStatsResponse], error) {
		return d.TaskStats(ctx, taskID, interval)
	}, onMsg, onEnd)
}

// TaskEvents opens the driver's task event stream once.
func (d *Driver) TaskEvents(ctx context.Context) (Receiver[*driverpb.DriverTaskEvent], error) {
	s, err := d.c.TaskEvents(ctx, &driverpb.TaskEventsRequest{})
	if err != nil {
		return nil, fmt.Errorf("TaskEvents: %w", err)
	}
	return s, nil
}

// FollowTaskEvents keeps the task event stream open, reconnecting with backoff.
func (d *Driver) FollowTaskEvents(ctx context.Context, b Backoff, onMsg func(*driverpb.DriverTaskEvent), onEnd func(StreamEvent)) error {
	return Follow(ctx, b, d.TaskEvents, onMsg, onEnd)
}

// SignalTask sends a signal (e.g. "SIGUSR1") to the task.
func (d *Driver) SignalTask(ctx context.Context, taskID, signal string) error {
	if _, err := d.c.SignalTask(ctx, &driverpb.SignalTaskRequest{TaskId: taskID, Signal: signal}); err != nil {
		return fmt.Errorf("SignalTask %s %s: %w", taskID, signal, err)
	}
	return nil
}

// ExecTask runs a command in the task's context and returns its output.
func (d *Driver) ExecTask(ctx context.Context, taskID string, command []string, timeout time.Duration) (*driverpb.ExecTaskResponse, error) {
	if len(command) == 0 {
		return nil, errors.New("ExecTask: field command: expected at least one word, got none")
	}
	r, err := d.c.ExecTask(ctx, &driverpb.ExecTaskRequest{TaskId: taskID, Command: command, Timeout: durationpb.New(timeout)})
	if err != nil {
		return nil, fmt.Errorf("ExecTask %s: %w", taskID, err)
	}
	if err := CheckExecReply(r); err != nil {
		return r, fmt.Errorf("ExecTask %s: %w", taskID, err)
	}
	return r, nil
}

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
func (d *Driver) ExecStreaming(ctx context.Context, o ExecOptions) (*driverpb.ExitResult, error) {
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
			return m.GetResult(), nil
		}
	}
}

// CreateNetwork asks the driver to create an allocation's network namespace.
func (d *Driver) CreateNetwork(ctx context.Context, allocID, hostname string) (*driverpb.CreateNetworkResponse, error) {
	r, err := d.c.CreateNetwork(ctx, &driverpb.CreateNetworkRequest{AllocId: allocID, Hostname: hostname})
	if err != nil {
		return nil, fmt.Errorf("CreateNetwork %s: %w", allocID, err)
	}
	return r, nil
}

// DestroyNetwork removes an allocation's network namespace.
func (d *Driver) DestroyNetwork(ctx context.Context, allocID string, spec *driverpb.NetworkIsolationSpec) error {
	if _, err := d.c.DestroyNetwork(ctx, &driverpb.DestroyNetworkRequest{AllocId: allocID, IsolationSpec: spec}); err != nil {
		return fmt.Errorf("DestroyNetwork %s: %w", allocID, err)
	}
	return nil
}

// Init calls the optional Driver.Init; Unimplemented counts as success and is
// reported through implemented.
func (d *Driver) Init(ctx context.Context) (implemented bool, err error) {
	if _, err := d.c.Init(ctx, &driverpb.InitRequest{}); err != nil {
		if IsUnimplemented(err) {
			return false, nil
		}
		return true, fmt.Errorf("Init: %w", err)
	}
	return true, nil
}

// Shutdown calls the optional Driver.Shutdown; Unimplemented counts as success.
func (d *Driver) Shutdown(ctx context.Context) (implemented bool, err error) {
	if _, err := d.c.Shutdown(ctx, &driverpb.ShutdownRequest{}); err != nil {
		if IsUnimplemented(err) {
			return false, nil
		}
		return true, fmt.Errorf("Shutdown: %w", err)
	}
	return true, nil
}
