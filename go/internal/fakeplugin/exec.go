package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/yurt-sdk/yurt/go/gen/driverpb"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

func (d *driver) ExecTask(ctx context.Context, r *driverpb.ExecTaskRequest) (*driverpb.ExecTaskResponse, error) {
	if fault("exec-unimplemented") || fault("without-signals-exec") {
		return nil, status.Error(codes.Unimplemented, "ExecTask is not implemented")
	}
	t, err := d.get(r.GetTaskId())
	if err != nil {
		return nil, err
	}
	if t.st.Timer {
		return timerExec(r.GetCommand()), nil
	}
	if len(r.GetCommand()) == 0 {
		return nil, errors.New("command: expected at least one word, got none")
	}
	if to := r.GetTimeout().AsDuration(); to > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, to)
		defer cancel()
	}
	cmd := exec.CommandContext(ctx, r.GetCommand()[0], r.GetCommand()[1:]...)
	cmd.Env, cmd.Dir = t.execEnv, t.execDir
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	err = cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		return nil, err
	}
	res := &driverpb.ExitResult{ExitCode: int32(code)}
	if fault("nomad-exec-no-result") {
		res = nil
	}
	return &driverpb.ExecTaskResponse{Stdout: []byte(out.String()), Stderr: []byte(errb.String()), Result: res}, nil
}

func (d *driver) ExecTaskStreaming(s grpc.BidiStreamingServer[driverpb.ExecTaskStreamingRequest, driverpb.ExecTaskStreamingResponse]) error {
	if fault("exec-unimplemented") || fault("without-signals-exec") {
		return status.Error(codes.Unimplemented, "ExecTaskStreaming is not implemented")
	}
	first, err := s.Recv()
	if err != nil {
		return err
	}
	setup := first.GetSetup()
	if setup == nil || len(setup.GetCommand()) == 0 {
		return errors.New("first message: expected setup with a command")
	}
	t, err := d.get(setup.GetTaskId())
	if err != nil {
		return err
	}
	if t.st.Timer {
		return timerExecStreaming(setup, s)
	}
	cmd := exec.Command(setup.GetCommand()[0], setup.GetCommand()[1:]...)
	cmd.Env, cmd.Dir = t.execEnv, t.execDir
	var sendMu sync.Mutex
	send := func(m *driverpb.ExecTaskStreamingResponse) error {
		sendMu.Lock()
		defer sendMu.Unlock()
		return s.Send(m)
	}
	var stdin io.WriteCloser
	var outputs sync.WaitGroup
	pump := func(r io.Reader, stderr bool) {
		defer outputs.Done()
		buf := make([]byte, 4096)
		for {
			n, err := r.Read(buf)
			if n > 0 {
				op := &driverpb.ExecTaskStreamingIOOperation{Data: append([]byte(nil), buf[:n]...)}
				m := &driverpb.ExecTaskStreamingResponse{Stdout: op}
				if stderr {
					m = &driverpb.ExecTaskStreamingResponse{Stderr: op}
				}
				_ = send(m)
			}
			if err != nil {
				return
			}
		}
	}
	var ptm *os.File
	if setup.GetTty() {
		var pts *os.File
		ptm, pts, err = openPTY()
		if err != nil {
			return fmt.Errorf("allocating a tty: %v", err)
		}
		cmd.Stdin, cmd.Stdout, cmd.Stderr = pts, pts, pts
		cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true}
		if err := cmd.Start(); err != nil {
			return err
		}
		_ = pts.Close()
		stdin = ptm
		outputs.Add(1)
		go pump(ptm, false)
	} else {
		in, _ := cmd.StdinPipe()
		out, _ := cmd.StdoutPipe()
		errp, _ := cmd.StderrPipe()
		if err := cmd.Start(); err != nil {
			return err
		}
		stdin = in
		outputs.Add(2)
		go pump(out, false)
		go pump(errp, true)
	}
	go func() {
		for {
			m, err := s.Recv()
			if err != nil {
				return
			}
			if sz := m.GetTtySize(); sz != nil && ptm != nil && !fault("exec-no-resize") {
				_ = setWinsize(ptm, sz.GetHeight(), sz.GetWidth())
			}
			if in := m.GetStdin(); in != nil && !fault("exec-no-stdin") {
				if len(in.GetData()) > 0 {
					_, _ = stdin.Write(in.GetData())
				}
				if in.GetClose() {
					if ptm != nil {
						_, _ = ptm.Write([]byte{4}) // EOF on a terminal
					} else {
						_ = stdin.Close()
					}
				}
			}
		}
	}()
	if ptm == nil {
		outputs.Wait()
	}
	_ = cmd.Wait()
	if ptm != nil {
		// The terminal's output ends with EIO once the child has gone.
		done := make(chan struct{})
		go func() { outputs.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(2 * time.Second):
		}
		_ = ptm.Close()
	}
	return send(&driverpb.ExecTaskStreamingResponse{Exited: true, Result: &driverpb.ExitResult{ExitCode: int32(cmd.ProcessState.ExitCode())}})
}
