package main

// The status RPCs: WaitTask and InspectTask, with the faults that break
// Nomad's decoding of their replies (nomad/replies-decode).

import (
	"context"
	"errors"
	"time"

	"github.com/yurt-sdk/yurt/go/gen/driverpb"
	"google.golang.org/protobuf/types/known/timestamppb"
)

func (d *driver) WaitTask(ctx context.Context, r *driverpb.WaitTaskRequest) (*driverpb.WaitTaskResponse, error) {
	t, err := d.get(r.GetTaskId())
	if err != nil {
		return nil, err
	}
	t.mu.Lock()
	madeUp := t.madeUp
	t.waiting++
	busy := t.waiting > 1
	t.mu.Unlock()
	defer func() {
		t.mu.Lock()
		t.waiting--
		t.mu.Unlock()
	}()
	if madeUp {
		return &driverpb.WaitTaskResponse{Result: &driverpb.ExitResult{}}, nil
	}
	if busy && fault("wait-single") {
		return nil, errors.New("task is already being waited on")
	}
	select {
	case <-t.done:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if fault("wait-once") && t.waited {
		return nil, errors.New("task already waited on")
	}
	t.waited = true
	if fault("exit-zero") {
		return &driverpb.WaitTaskResponse{Result: &driverpb.ExitResult{}}, nil
	}
	if t.waitErr != nil {
		return &driverpb.WaitTaskResponse{Result: t.result, Err: t.waitErr.Error()}, nil
	}
	if fault("nomad-wait-no-result") {
		return &driverpb.WaitTaskResponse{Err: "exit status lost"}, nil
	}
	return &driverpb.WaitTaskResponse{Result: t.result}, nil
}

func (d *driver) InspectTask(_ context.Context, r *driverpb.InspectTaskRequest) (*driverpb.InspectTaskResponse, error) {
	t, err := d.get(r.GetTaskId())
	if err != nil {
		return nil, err
	}
	// completed_at of a running task is Go's zero time, as Nomad sends it
	// (plugins/drivers/utils.go taskStatusToProto): its client fails on none.
	// result is an empty ExitResult while running: Nomad's client reads it
	// in every state (utils.go exitResultFromProto).
	ts := &driverpb.TaskStatus{Id: t.id, Name: t.name, State: driverpb.TaskState_RUNNING, StartedAt: timestamppb.New(t.st.Started),
		CompletedAt: timestamppb.New(time.Time{}), Result: &driverpb.ExitResult{}}
	if !t.running() {
		t.mu.Lock()
		ts.State, ts.Result, ts.CompletedAt = driverpb.TaskState_EXITED, t.result, timestamppb.New(t.completed)
		t.mu.Unlock()
	}
	// Replies Nomad's Go client cannot decode (nomad/replies-decode).
	if fault("nomad-no-completed-at") || t.env["BAD_INSPECT"] == "no-completed-at" {
		ts.CompletedAt = nil
	}
	if t.env["BAD_INSPECT"] == "state-9" {
		ts.State = 9
	}
	if fault("nomad-no-result") && ts.State == driverpb.TaskState_RUNNING {
		ts.Result = nil
	}
	return &driverpb.InspectTaskResponse{Task: ts, Driver: &driverpb.TaskDriverStatus{}}, nil
}
