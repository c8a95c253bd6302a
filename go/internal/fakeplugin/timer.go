package main

// Timer tasks (task env RUN_MS): no process, an exit after RUN_MS with
// EXIT_CODE, also after a recover in a fresh plugin process; go/host's tests
// use them to drive the host through every RPC without real processes.

import (
	"strings"
	"syscall"
	"time"

	"github.com/yurt-sdk/yurt/go/gen/driverpb"
	"github.com/yurt-sdk/yurt/go/plugin/supervise"
)

func (d *driver) startTimer(cfg *driverpb.TaskConfig, ms string) (*driverpb.StartTaskResponse, error) {
	n, code, err := runMS(cfg, ms)
	if err != nil {
		return nil, err
	}
	st := taskState{Started: time.Now(), Timer: true, RunMS: n, ExitCode: code}
	t := d.trackTimer(cfg, cfg.GetId(), st)
	logf("info", "started timer task %s for %dms", t.id, n)
	return d.started(t, cfg), nil
}

// trackTimer records a timer task and runs its clock.
func (d *driver) trackTimer(cfg *driverpb.TaskConfig, id string, st taskState) *task {
	t := &task{id: id, name: cfg.GetName(), allocID: cfg.GetAllocId(), env: cfg.GetEnv(), st: st,
		stopTimer: make(chan syscall.Signal, 1), done: make(chan struct{})}
	d.mu.Lock()
	d.tasks[id] = t
	d.mu.Unlock()
	go func() {
		res := &supervise.ExitResult{ExitCode: st.ExitCode}
		select {
		case <-time.After(time.Until(st.Started.Add(time.Duration(st.RunMS) * time.Millisecond))):
		case sig := <-t.stopTimer:
			res = &supervise.ExitResult{ExitCode: 128 + int(sig), Signal: int(sig)}
		}
		res.CompletedAt = time.Now()
		t.finish(d, res, nil)
	}()
	return t
}

// stopWith ends a timer task as if by sig (the first sig wins).
func (t *task) stopWith(sig syscall.Signal) {
	select {
	case t.stopTimer <- sig:
	default:
	}
}

// timerExec answers ExecTask on a timer task: its command, echoed.
func timerExec(command []string) *driverpb.ExecTaskResponse {
	return &driverpb.ExecTaskResponse{Stdout: []byte(strings.Join(command, " ")), Result: &driverpb.ExitResult{}}
}

// timerExecStreaming answers ExecTaskStreaming on a timer task: stdin echoed
// to stdout ("tty:" first with a tty) until it closes, then an exit code of
// the command's word count.
func timerExecStreaming(setup *driverpb.ExecTaskStreamingRequest_Setup, s interface {
	Send(*driverpb.ExecTaskStreamingResponse) error
	Recv() (*driverpb.ExecTaskStreamingRequest, error)
}) error {
	prefix := ""
	if setup.GetTty() {
		prefix = "tty:"
	}
	for {
		m, err := s.Recv()
		if err != nil {
			return err
		}
		if in := m.GetStdin(); in != nil {
			if len(in.GetData()) > 0 {
				if err := s.Send(&driverpb.ExecTaskStreamingResponse{Stdout: &driverpb.ExecTaskStreamingIOOperation{Data: append([]byte(prefix), in.GetData()...)}}); err != nil {
					return err
				}
			}
			if in.GetClose() {
				return s.Send(&driverpb.ExecTaskStreamingResponse{Exited: true, Result: &driverpb.ExitResult{ExitCode: int32(len(setup.GetCommand()))}})
			}
		}
	}
}
