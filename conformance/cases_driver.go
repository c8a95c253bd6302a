package conformance

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/yurt-sdk/yurt/go/gen/driverpb"
	"github.com/yurt-sdk/yurt/go/host"
	"github.com/yurt-sdk/yurt/go/plugin/driver"
)

func driverSession(t *T) (*host.Plugin, *host.Driver) {
	p := configured(t, nil)
	return p, p.Driver()
}

func caps(t *T, d *host.Driver) *driver.Capabilities {
	c, err := d.Capabilities(t.Ctx)
	t.Check(err, "Capabilities")
	return c
}

func expectNotFound(t *T, what string, err error) {
	if err == nil {
		t.Errorf("%s of an unknown task: expected an error, got success", what)
	} else if !host.IsTaskNotFound(err) {
		t.Errorf("%s of an unknown task: expected error text %q, got %v", what, host.ErrTaskNotFoundText, err)
	}
}

func waitCtx(t *T, d time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(t.Ctx, d)
}

func driverCases() []Case {
	return []Case{
		{ID: "driver/capabilities", Level: Required, Kind: DriverPlugin,
			Doc: "Capabilities answers with known enum values and agrees with behaviour: send_signals and exec say whether SignalTask and ExecTask/ExecTaskStreaming work on a running task",
			Run: caseDriverCapabilities},
		{ID: "driver/task-config-schema", Level: Required, Kind: DriverPlugin,
			Doc: "TaskConfigSchema converts to a valid hcldec spec",
			Run: caseDriverTaskConfigSchema},
		{ID: "driver/fingerprint", Level: Required, Kind: DriverPlugin,
			Doc: "the first Fingerprint arrives within 5 s with a valid health state and attributes",
			Run: caseDriverFingerprint},
		{ID: "driver/lifecycle", Level: Required, Kind: DriverPlugin,
			Doc: "start, inspect, wait for the exit code, inspect exited, destroy, then the task is gone",
			Run: caseDriverLifecycle},
		{ID: "driver/wait-after-exit", Level: Required, Kind: DriverPlugin,
			Doc: "WaitTask can be called again after exit and answers at once with the same result",
			Run: caseDriverWaitAfterExit},
		{ID: "driver/output", Level: Required, Kind: DriverPlugin,
			Doc: "task output reaches the stdout_path and stderr_path FIFOs",
			Run: caseDriverOutput},
		{ID: "driver/stop", Level: Required, Kind: DriverPlugin,
			Doc: "StopTask with a timeout and signal ends a running task; WaitTask then returns",
			Run: caseDriverStop},
		{ID: "driver/stop-kills-after-timeout", Level: Required, Kind: DriverPlugin,
			Doc: "a task that ignores the stop signal is killed after the timeout",
			Run: caseDriverStopKillsAfterTimeout},
		{ID: "driver/destroy-running", Level: Required, Kind: DriverPlugin,
			Doc: "DestroyTask of a running task fails without force and succeeds with it",
			Run: caseDriverDestroyRunning},
		{ID: "driver/inspect-running", Level: Required, Kind: DriverPlugin,
			Doc: "InspectTask of a running task carries what Nomad's Go client decodes unchecked: both timestamps and a result (empty while running)",
			Run: caseDriverInspectRunning},
		{ID: "driver/task-not-found", Level: Required, Kind: DriverPlugin,
			Doc: "calls naming an unknown task fail with \"task not found for given id\"",
			Run: caseDriverTaskNotFound},
		{ID: "driver/duplicate-task-id", Level: Recommended, Kind: DriverPlugin,
			Doc: "starting a second task with a running task's id is an error",
			Run: caseDriverDuplicateTaskID},
		{ID: "driver/invalid-config", Level: Required, Kind: DriverPlugin,
			Doc: "a task config the driver rejects gives an error naming the field",
			Run: caseDriverInvalidConfig},
		{ID: "driver/signal", Level: Required, Kind: DriverPlugin,
			Doc: "SignalTask delivers the signal to the task (if send_signals)",
			Run: caseDriverSignal},
		{ID: "driver/exec", Level: Required, Kind: DriverPlugin,
			Doc: "ExecTask runs a command in a running task and returns output and exit code (if exec)",
			Run: caseDriverExec},
		{ID: "driver/exec-streaming", Level: Required, Kind: DriverPlugin,
			Doc: "ExecTaskStreaming with and without a TTY streams output and reports the exit code (if exec)",
			Run: caseDriverExecStreaming},
		{ID: "driver/task-stats", Level: Required, Kind: DriverPlugin,
			Doc: "TaskStats streams stats for the task at the requested interval (skipped when TaskStats answers Unimplemented: it is optional)",
			Run: caseDriverTaskStats},
		{ID: "driver/task-events", Level: Required, Kind: DriverPlugin,
			Doc: "the TaskEvents stream opens and stays open",
			Run: caseDriverTaskEvents},
		{ID: "driver/recover-task", Level: Required, Kind: DriverPlugin,
			Doc: "RecoverTask in a fresh plugin process, with msgpack_driver_config emptied, leaves the task waitable and stoppable",
			Run: caseDriverRecoverTask},
		{ID: "driver/init-shutdown", Level: Required, Kind: DriverPlugin,
			Doc: "Driver.Init and Driver.Shutdown answer OK or Unimplemented",
			Run: caseDriverInitShutdown},
	}
}

// caseDriverCapabilities is case driver/capabilities.
func caseDriverCapabilities(t *T) {
	_, d := driverSession(t)
	c := caps(t, d)
	if _, ok := driverpb.DriverCapabilities_FSIsolation_name[int32(c.FSIsolation)]; !ok {
		t.Errorf("capabilities.fs_isolation: expected NONE, CHROOT, IMAGE or UNVEIL, got %d", c.FSIsolation)
	}
	t.Logf("send_signals=%v exec=%v fs_isolation=%s", c.SendSignals, c.Exec, fsIsolationName(c.FSIsolation))
	checkCapabilitiesBehaviour(t, d, c)
}

// caseDriverTaskConfigSchema is case driver/task-config-schema.
func caseDriverTaskConfigSchema(t *T) {
	_, d := driverSession(t)
	spec, err := d.TaskConfigSchema(t.Ctx)
	t.Check(err, "TaskConfigSchema")
	validSpec(t, "TaskConfigSchema", spec)
}

// caseDriverFingerprint is case driver/fingerprint.
func caseDriverFingerprint(t *T) {
	_, d := driverSession(t)
	ctx, cancel := waitCtx(t, 5*time.Second)
	defer cancel()
	s, err := d.Fingerprint(ctx)
	t.Check(err, "Fingerprint")
	fp, err := s.Recv()
	t.Check(err, "first fingerprint within 5 s")
	if _, ok := driverpb.FingerprintResponse_HealthState_name[int32(fp.Health)]; !ok {
		t.Errorf("fingerprint.health: expected UNDETECTED, UNHEALTHY or HEALTHY, got %d", fp.Health)
	}
	for k, a := range fp.Attributes {
		if err := validAttribute(a); err != nil {
			t.Errorf("fingerprint.attributes[%q]: %v", k, err)
		}
	}
}

// caseDriverLifecycle is case driver/lifecycle.
func caseDriverLifecycle(t *T) {
	_, d := driverSession(t)
	pt := prepareTask(t, d, RoleExitCode)
	h := startTask(t, d, pt)
	if h.Config.ID != pt.Config.ID {
		t.Errorf("StartTask handle.config.id: expected %q, got %q", pt.Config.ID, h.Config.ID)
	}
	insp, err := d.InspectTask(t.Ctx, pt.Config.ID)
	t.Check(err, "InspectTask after start")
	if st := insp.State; st != driver.TaskStateRunning && st != driver.TaskStateExited {
		t.Errorf("InspectTask state after start: expected RUNNING or EXITED, got %s", stateName(st))
	}
	res, err := d.WaitTask(t.Ctx, pt.Config.ID)
	t.Check(err, "WaitTask")
	if res.ExitCode != *pt.Role.ExitCode {
		t.Errorf("WaitTask exit code: expected %d, got %d", *pt.Role.ExitCode, res.ExitCode)
	}
	insp, err = d.InspectTask(t.Ctx, pt.Config.ID)
	t.Check(err, "InspectTask after exit")
	if insp.State != driver.TaskStateExited {
		t.Errorf("InspectTask state after exit: expected EXITED, got %s", stateName(insp.State))
	}
	t.Check(d.DestroyTask(t.Ctx, pt.Config.ID, false), "DestroyTask of an exited task")
	_, err = d.InspectTask(t.Ctx, pt.Config.ID)
	expectNotFound(t, "InspectTask after destroy", err)
}

// caseDriverWaitAfterExit is case driver/wait-after-exit.
func caseDriverWaitAfterExit(t *T) {
	_, d := driverSession(t)
	pt := prepareTask(t, d, RoleExitCode)
	startTask(t, d, pt)
	first, err := d.WaitTask(t.Ctx, pt.Config.ID)
	t.Check(err, "first WaitTask")
	ctx, cancel := waitCtx(t, 2*time.Second)
	defer cancel()
	for i := 2; i <= 3; i++ {
		again, err := d.WaitTask(ctx, pt.Config.ID)
		if err != nil {
			t.Fatalf("WaitTask call %d after exit: %v", i, err)
		}
		if again.ExitCode != first.ExitCode {
			t.Errorf("WaitTask call %d: expected exit code %d, got %d", i, first.ExitCode, again.ExitCode)
		}
	}
}

// caseDriverOutput is case driver/output.
func caseDriverOutput(t *T) {
	_, d := driverSession(t)
	pt := prepareTask(t, d, RoleOutput)
	startTask(t, d, pt)
	_, err := d.WaitTask(t.Ctx, pt.Config.ID)
	t.Check(err, "WaitTask")
	if !pt.Stdout.waitFor(*pt.Role.Stdout, 3*time.Second) {
		t.Errorf("stdout FIFO: expected %q, got %q", *pt.Role.Stdout, oneLine(pt.Stdout.String(), 200))
	}
	if pt.Role.Stderr != nil && !pt.Stderr.waitFor(*pt.Role.Stderr, 3*time.Second) {
		t.Errorf("stderr FIFO: expected %q, got %q", *pt.Role.Stderr, oneLine(pt.Stderr.String(), 200))
	}
}

// caseDriverStop is case driver/stop.
func caseDriverStop(t *T) {
	_, d := driverSession(t)
	pt := prepareTask(t, d, RoleLongRunning)
	startTask(t, d, pt)
	start := time.Now()
	t.Check(d.StopTask(t.Ctx, pt.Config.ID, 2*time.Second, "SIGTERM"), "StopTask")
	ctx, cancel := waitCtx(t, 5*time.Second)
	defer cancel()
	_, err := d.WaitTask(ctx, pt.Config.ID)
	t.Check(err, "WaitTask after StopTask")
	if el := time.Since(start); el > 6*time.Second {
		t.Errorf("stop took %s, expected at most the 2 s timeout plus a kill", el)
	}
}

// caseDriverStopKillsAfterTimeout is case driver/stop-kills-after-timeout.
func caseDriverStopKillsAfterTimeout(t *T) {
	_, d := driverSession(t)
	pt := prepareTask(t, d, RoleSignal) // traps its signal and keeps running
	startTask(t, d, pt)
	pt.waitTrap(t)
	start := time.Now()
	stopCtx, stopCancel := waitCtx(t, 6*time.Second)
	_ = d.StopTask(stopCtx, pt.Config.ID, time.Second, *pt.Role.Signal)
	stopCancel()
	ctx, cancel := waitCtx(t, 2*time.Second)
	defer cancel()
	if _, err := d.WaitTask(ctx, pt.Config.ID); err != nil {
		t.Fatalf("task still running %s after StopTask with a 1 s timeout: %v", time.Since(start).Round(time.Millisecond), err)
	}
}

// caseDriverDestroyRunning is case driver/destroy-running.
func caseDriverDestroyRunning(t *T) {
	_, d := driverSession(t)
	pt := prepareTask(t, d, RoleLongRunning)
	startTask(t, d, pt)
	if err := d.DestroyTask(t.Ctx, pt.Config.ID, false); err == nil {
		t.Errorf("DestroyTask of a running task without force: expected an error, got success")
	}
	t.Check(d.DestroyTask(t.Ctx, pt.Config.ID, true), "DestroyTask with force")
	_, err := d.InspectTask(t.Ctx, pt.Config.ID)
	expectNotFound(t, "InspectTask after forced destroy", err)
}

// caseDriverTaskNotFound is case driver/task-not-found.
func caseDriverTaskNotFound(t *T) {
	_, d := driverSession(t)
	id := "conformance-no-such-task"
	_, err := d.InspectTask(t.Ctx, id)
	expectNotFound(t, "InspectTask", err)
	_, err = d.WaitTask(t.Ctx, id)
	expectNotFound(t, "WaitTask", err)
	expectNotFound(t, "StopTask", d.StopTask(t.Ctx, id, time.Second, ""))
	expectNotFound(t, "DestroyTask", d.DestroyTask(t.Ctx, id, true))
}

// caseDriverDuplicateTaskID is case driver/duplicate-task-id.
func caseDriverDuplicateTaskID(t *T) {
	_, d := driverSession(t)
	pt := prepareTask(t, d, RoleLongRunning)
	startTask(t, d, pt)
	if _, _, err := d.StartTask(t.Ctx, pt.Config); err == nil {
		t.Errorf("StartTask with a duplicate id: expected an error, got success")
	}
}

// caseDriverInvalidConfig is case driver/invalid-config.
func caseDriverInvalidConfig(t *T) {
	_, d := driverSession(t)
	pt := prepareTask(t, d, RoleInvalid)
	_, _, err := d.StartTask(t.Ctx, pt.Config)
	if err == nil {
		_ = d.DestroyTask(t.Ctx, pt.Config.ID, true)
		t.Fatalf("StartTask with the invalid config: expected an error, got success")
	}
	if !strings.Contains(err.Error(), *pt.Role.ErrorContains) {
		t.Errorf("StartTask error: expected it to contain %q, got %v", *pt.Role.ErrorContains, err)
	}
}

// caseDriverSignal is case driver/signal.
func caseDriverSignal(t *T) {
	_, d := driverSession(t)
	if !caps(t, d).SendSignals {
		t.Skipf("not applicable: capabilities.send_signals is false")
	}
	pt := prepareTask(t, d, RoleSignal)
	startTask(t, d, pt)
	pt.waitTrap(t)
	t.Check(d.SignalTask(t.Ctx, pt.Config.ID, *pt.Role.Signal), "SignalTask %s", *pt.Role.Signal)
	if !pt.Stdout.waitFor(*pt.Role.Stdout, 5*time.Second) {
		t.Errorf("after %s, stdout: expected %q, got %q", *pt.Role.Signal, *pt.Role.Stdout, oneLine(pt.Stdout.String(), 200))
	}
}

// caseDriverExec is case driver/exec.
func caseDriverExec(t *T) {
	_, d := driverSession(t)
	ex := execScenario(t, d)
	pt := prepareTask(t, d, RoleLongRunning)
	startTask(t, d, pt)
	r, err := d.ExecTask(t.Ctx, pt.Config.ID, ex.Command, 10*time.Second)
	t.Check(err, "ExecTask %v", ex.Command)
	checkExec(t, "ExecTask", ex, string(r.Stdout), r.Exit)
}

// caseDriverExecStreaming is case driver/exec-streaming.
func caseDriverExecStreaming(t *T) {
	_, d := driverSession(t)
	ex := execScenario(t, d)
	pt := prepareTask(t, d, RoleLongRunning)
	startTask(t, d, pt)
	for _, tty := range []bool{false, true} {
		var out bytes.Buffer
		ctx, cancel := waitCtx(t, 10*time.Second)
		res, err := d.ExecStreaming(ctx, host.ExecOptions{TaskID: pt.Config.ID, Command: ex.Command, TTY: tty,
			Stdin: strings.NewReader(""), Stdout: &out, Stderr: &out})
		cancel()
		if err != nil {
			t.Errorf("ExecTaskStreaming tty=%v: %v", tty, err)
			continue
		}
		checkExec(t, fmt.Sprintf("ExecTaskStreaming tty=%v", tty), ex, out.String(), res)
	}
}

// caseDriverTaskStats is case driver/task-stats.
func caseDriverTaskStats(t *T) {
	_, d := driverSession(t)
	pt := prepareTask(t, d, RoleLongRunning)
	startTask(t, d, pt)
	ctx, cancel := waitCtx(t, 5*time.Second)
	defer cancel()
	s, err := d.TaskStats(ctx, pt.Config.ID, 200*time.Millisecond)
	skipIfUnimplemented(t, "TaskStats", driverOptionalTable, err)
	t.Check(err, "TaskStats")
	for i := 0; i < 2; i++ {
		m, err := s.Recv()
		if i == 0 {
			skipIfUnimplemented(t, "TaskStats", driverOptionalTable, err)
		}
		t.Check(err, "TaskStats message %d within 5 s", i+1)
		if m == nil || m.Timestamp.IsZero() {
			t.Errorf("TaskStats message %d: expected stats with a timestamp, got %v", i+1, m)
		}
	}
}

// caseDriverTaskEvents is case driver/task-events.
func caseDriverTaskEvents(t *T) {
	_, d := driverSession(t)
	// Cancel rather than a deadline: a deadline travels as grpc-timeout,
	// and the plugin's side may end the stream a moment before ours
	// notices, which would read as the plugin closing it.
	ctx, cancel := context.WithCancel(t.Ctx)
	defer cancel()
	time.AfterFunc(700*time.Millisecond, cancel)
	s, err := d.TaskEvents(ctx)
	t.Check(err, "TaskEvents")
	for {
		ev, err := s.Recv()
		if err != nil {
			if ctx.Err() == nil {
				t.Errorf("TaskEvents ended: expected it to stay open, got %v", err)
			}
			return
		}
		if ev.TaskID == "" {
			t.Errorf("task event without task_id: %v", ev)
		}
	}
}

// caseDriverRecoverTask is case driver/recover-task.
func caseDriverRecoverTask(t *T) {
	p1, d1 := driverSession(t)
	pt := prepareTask(t, d1, RoleLongRunning)
	t.H.noteTaskStarted()
	h, _, err := d1.StartTask(t.Ctx, pt.Config)
	t.Check(err, "StartTask")
	p1.Kill()
	p2, d2 := driverSession(t)
	_ = p2
	t.Cleanup(func() { _ = d2.DestroyTask(context.Background(), pt.Config.ID, true) })
	if h.Config != nil {
		h.Config.DriverConfig = nil // Nomad does not keep it (recover.go, Nomad's TaskConfig)
	}
	t.Check(d2.RecoverTask(t.Ctx, h), "RecoverTask in a fresh process")
	insp, err := d2.InspectTask(t.Ctx, pt.Config.ID)
	t.Check(err, "InspectTask after recovery")
	if insp.State != driver.TaskStateRunning {
		t.Errorf("recovered long-running task: expected RUNNING, got %s", stateName(insp.State))
	}
	t.Check(d2.StopTask(t.Ctx, pt.Config.ID, 2*time.Second, "SIGTERM"), "StopTask after recovery")
	ctx, cancel := waitCtx(t, 5*time.Second)
	defer cancel()
	_, err = d2.WaitTask(ctx, pt.Config.ID)
	t.Check(err, "WaitTask after recovery")
}

// caseDriverInitShutdown is case driver/init-shutdown.
func caseDriverInitShutdown(t *T) {
	_, d := driverSession(t)
	impl, err := d.Init(t.Ctx)
	t.Check(err, "Init")
	t.Logf("Init implemented=%v", impl)
	impl, err = d.Shutdown(t.Ctx)
	t.Check(err, "Shutdown")
	t.Logf("Shutdown implemented=%v", impl)
}

func execScenario(t *T, d *host.Driver) *ExecScenario {
	if !caps(t, d).Exec {
		t.Skipf("not applicable: capabilities.exec is false")
	}
	if t.H.cfg.Scenarios == nil || t.H.cfg.Scenarios.Exec == nil {
		t.Skipf("not applicable: the scenario file has no exec block")
	}
	return t.H.cfg.Scenarios.Exec
}

func checkExec(t *T, via string, ex *ExecScenario, out string, res *driver.ExitResult) {
	if res == nil {
		t.Errorf("%s %v: expected an exit result, got none", via, ex.Command)
		return
	}
	if ex.Stdout != nil && !strings.Contains(out, *ex.Stdout) {
		t.Errorf("%s %v output: expected %q, got %q", via, ex.Command, *ex.Stdout, oneLine(out, 200))
	}
	want := 0
	if ex.ExitCode != nil {
		want = *ex.ExitCode
	}
	if res.ExitCode != want {
		t.Errorf("%s %v exit code: expected %d, got %d (signal %d)", via, ex.Command, want, res.ExitCode, res.Signal)
	}
}
