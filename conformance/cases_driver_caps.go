package conformance

import (
	"strings"
	"time"

	"github.com/yurt-sdk/yurt/go/gen/driverpb"
	"github.com/yurt-sdk/yurt/go/host"
	"github.com/yurt-sdk/yurt/go/plugin/driver"
)

// checkCapabilitiesBehaviour holds the plugin to what Capabilities advertises,
// on a running long_running task: Nomad decides from these flags whether to
// offer `alloc signal` and `alloc exec`, so a flag that lies either hides a
// working feature or sends users into errors.
func checkCapabilitiesBehaviour(t *T, d *host.Driver, c *driver.Capabilities) {
	if t.H.cfg.Scenarios == nil || t.H.cfg.Scenarios.Tasks[RoleLongRunning] == nil {
		t.Skipf("behaviour not checked: the scenario file defines no task %q to signal and exec in", RoleLongRunning)
	}
	pt := prepareTask(t, d, RoleLongRunning)
	startTask(t, d, pt)
	command := []string{"true"}
	if ex := t.H.cfg.Scenarios.Exec; ex != nil {
		command = ex.Command
	}
	execUnchecked := c.Exec && t.H.cfg.Scenarios.Exec == nil
	switch {
	case execUnchecked:
	case c.Exec:
		if _, err := d.ExecTask(t.Ctx, pt.Config.ID, command, 10*time.Second); err != nil {
			t.Errorf("capabilities.exec is true, but ExecTask %v failed: %v", command, err)
		}
	default:
		checkExecRefused(t, d, pt.Config.ID, command)
	}
	// Last, as the signal may end the task: the signal role's signal is one the
	// driver is known to understand.
	sig := "SIGCONT"
	if s := t.H.cfg.Scenarios.Tasks[RoleSignal]; s != nil {
		sig = *s.Signal
	}
	sigErr := d.SignalTask(t.Ctx, pt.Config.ID, sig)
	switch {
	case c.SendSignals && sigErr != nil:
		t.Errorf("capabilities.send_signals is true, but SignalTask(%s) of a running task failed: %v", sig, sigErr)
	case !c.SendSignals && sigErr == nil:
		t.Errorf("capabilities.send_signals is false, but SignalTask(%s) of a running task succeeded: advertise send_signals=true or make SignalTask fail", sig)
	}
	if execUnchecked {
		t.Skipf("exec not checked: capabilities.exec is true but the scenario file has no exec block to run")
	}
}

func checkExecRefused(t *T, d *host.Driver, id string, command []string) {
	if _, err := d.ExecTask(t.Ctx, id, command, 10*time.Second); err == nil {
		t.Errorf("capabilities.exec is false, but ExecTask %v succeeded: advertise exec=true or make ExecTask fail", command)
	}
	ctx, cancel := waitCtx(t, 10*time.Second)
	defer cancel()
	_, err := d.ExecStreaming(ctx, host.ExecOptions{TaskID: id, Command: command, Stdin: strings.NewReader("")})
	if err == nil {
		t.Errorf("capabilities.exec is false, but ExecTaskStreaming %v succeeded: advertise exec=true or make it fail", command)
	}
}

// caseDriverInspectRunning: hashicorp/nomad v2.0.5 plugins/drivers/utils.go
// taskStatusFromProto converts both timestamps (an error on a missing one) and
// calls exitResultFromProto(pb.Result), which reads pb.ExitCode without a nil
// check: a missing result panics the Nomad agent. Nomad's own server always
// sends one (exitResultToProto returns &proto.ExitResult{} for nil).
func caseDriverInspectRunning(t *T) {
	_, d := driverSession(t)
	pt := prepareTask(t, d, RoleLongRunning)
	startTask(t, d, pt)
	// The raw reply: the typed client refuses a reply with these faults
	// before the fields can be read (host validate.go).
	insp, err := driverpb.NewDriverClient(d.Conn()).InspectTask(t.Ctx, &driverpb.InspectTaskRequest{TaskId: pt.Config.ID})
	t.Check(err, "InspectTask of a running task")
	ts := insp.GetTask()
	if ts == nil {
		t.Fatalf("InspectTask: expected a task status, got none")
	}
	if ts.GetStartedAt() == nil || ts.GetCompletedAt() == nil {
		t.Errorf("InspectTask of a running task: expected started_at and completed_at both set (Go's zero time while unknown), got started_at=%v completed_at=%v", ts.GetStartedAt(), ts.GetCompletedAt())
	}
	if ts.GetResult() == nil {
		t.Errorf("InspectTask of a running task: expected result set (an empty ExitResult while running: Nomad's client dereferences it), got none")
	}
	t.Check(d.DestroyTask(t.Ctx, pt.Config.ID, true), "DestroyTask with force")
}
