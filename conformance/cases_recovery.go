package conformance

import (
	"context"
	"syscall"
	"time"

	"github.com/yurt-sdk/yurt/go/host"
	"github.com/yurt-sdk/yurt/go/plugin/driver"
)

// crashPlugin kills the plugin process with SIGKILL, as a crash or `kill -9`
// does: no Shutdown, and the plugin's tasks are left to fend for themselves.
func crashPlugin(t *T, p *host.Plugin) {
	pid := p.Record().Pid
	if pid > 0 {
		_ = syscall.Kill(pid, syscall.SIGKILL)
		deadline := time.Now().Add(5 * time.Second)
		for alive(pid, 0) && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
	}
	p.Kill()
}

// recoverAsNomad calls RecoverTask as Nomad's client does: the request holds
// only the handle; task_id is empty (plugins/drivers/client.go builds
// RecoverTaskRequest{Handle: ...}; host.Driver.RecoverTask sends the same).
func recoverAsNomad(ctx context.Context, d *host.Driver, h *driver.TaskHandle) error {
	return d.RecoverTask(ctx, h)
}

// cleanupTask stops and destroys a task through d when the case ends, as
// Nomad does after a failed recovery too (task_runner.go: DestroyTask with
// force after RecoverTask fails).
func cleanupTask(t *T, d *host.Driver, id string) {
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = d.StopTask(ctx, id, time.Second, "")
		_ = d.DestroyTask(ctx, id, true)
	})
}

// startRaw starts a prepared task without registering the usual cleanup on
// this plugin (the case hands the task to another plugin process).
func startRaw(t *T, d *host.Driver, pt *preparedTask) *driver.TaskHandle {
	t.H.noteTaskStarted()
	h, _, err := d.StartTask(t.Ctx, pt.Config)
	t.Check(err, "StartTask %s", pt.Role.Role)
	return h
}

// waitAsync runs WaitTask in the background.
func waitAsync(ctx context.Context, d *host.Driver, id string) <-chan waitResult {
	ch := make(chan waitResult, 1)
	go func() {
		r, err := d.WaitTask(ctx, id)
		ch <- waitResult{r, err, time.Now()}
	}()
	return ch
}

type waitResult struct {
	res *driver.ExitResult
	err error
	at  time.Time
}

func recoveryCases() []Case {
	return []Case{
		{ID: "driver/recover-empty-task-id", Level: Required, Kind: DriverPlugin,
			// Required: after a plugin crash Nomad recovers every task this way;
			// a plugin that refuses, or restarts the task, leaves the old copy
			// running unmanaged next to a new one.
			Doc: "after kill -9 of the plugin, RecoverTask with only the handle (task_id empty, as Nomad sends it) in a fresh plugin process gives the same task: same main pid, RUNNING, and a WaitTask that blocks until the task exits and then returns its real exit code",
			Run: caseDriverRecoverEmptyTaskID},
		{ID: "driver/recover-exited-while-down", Level: Required, Kind: DriverPlugin,
			Doc: "a task that exited while the plugin was down (kill -9) is recovered by a fresh plugin process with its recorded result: an exit code, or a signal (SIGKILL: signal 9 or exit code 137)",
			Run: caseDriverRecoverExitedWhileDown},
		{ID: "driver/recover-invalid-handle", Level: Required, Kind: DriverPlugin,
			// Required: Nomad starts a task again only when RecoverTask fails; a
			// success for a task that is not there leaves the allocation with
			// nothing running and no error.
			Doc: "RecoverTask in a fresh plugin process fails for a handle whose driver_state is garbage or empty, and for a task that was destroyed; it never reports success",
			Run: caseDriverRecoverInvalidHandle},
	}
}

// caseDriverRecoverEmptyTaskID is case driver/recover-empty-task-id.
func caseDriverRecoverEmptyTaskID(t *T) {
	p1, d1 := driverSession(t)
	pt := prepareTask(t, d1, RoleExitOnRequest)
	h := startRaw(t, d1, pt)
	pid, started := pt.mainPid(t)
	crashPlugin(t, p1)
	_, d2 := driverSession(t)
	cleanupTask(t, d2, pt.Config.ID)
	t.Check(recoverAsNomad(t.Ctx, d2, h), "RecoverTask with only the handle (task_id empty) in a fresh plugin process")
	if !alive(pid, started) {
		t.Fatalf("the task's main process %d is gone after RecoverTask: recovery must reattach, not kill or restart", pid)
	}
	if b, ok := pt.waitFile(t, "pid", time.Second); ok && string(b) != "" {
		if p2, _ := pt.mainPid(t); p2 != pid {
			t.Fatalf("the task was started again by RecoverTask: main pid %d, was %d", p2, pid)
		}
	}
	insp, err := d2.InspectTask(t.Ctx, pt.Config.ID)
	t.Check(err, "InspectTask after recovery")
	if st := insp.State; st != driver.TaskStateRunning {
		t.Errorf("InspectTask after recovery: expected RUNNING, got %s", stateName(st))
	}
	ch := waitAsync(t.Ctx, d2, pt.Config.ID)
	select {
	case w := <-ch:
		t.Fatalf("WaitTask returned while the recovered task was still running: result %v, error %v", w.res, w.err)
	case <-time.After(time.Second):
	}
	pt.release(t)
	select {
	case w := <-ch:
		t.Check(w.err, "WaitTask after recovery")
		if w.res.ExitCode != *pt.Role.ExitCode || w.res.Signal != 0 {
			t.Errorf("WaitTask after recovery: expected exit code %d, got %d (signal %d)", *pt.Role.ExitCode, w.res.ExitCode, w.res.Signal)
		}
	case <-time.After(10 * time.Second):
		t.Errorf("WaitTask did not return within 10 s of the recovered task's exit")
	}
}

// caseDriverRecoverExitedWhileDown is case driver/recover-exited-while-down.
func caseDriverRecoverExitedWhileDown(t *T) {
	p1, d1 := driverSession(t)
	byCode := prepareTask(t, d1, RoleExitOnRequest)
	bySignal := prepareTask(t, d1, RoleExitOnRequest)
	hc, hs := startRaw(t, d1, byCode), startRaw(t, d1, bySignal)
	pidC, startC := byCode.mainPid(t)
	pidS, startS := bySignal.mainPid(t)
	crashPlugin(t, p1)
	byCode.release(t)
	_ = syscall.Kill(pidS, syscall.SIGKILL)
	deadline := time.Now().Add(10 * time.Second)
	for (alive(pidC, startC) || alive(pidS, startS)) && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	// Give a supervisor time to record the exit.
	time.Sleep(500 * time.Millisecond)
	_, d2 := driverSession(t)
	for _, tc := range []struct {
		pt *preparedTask
		h  *driver.TaskHandle
	}{{byCode, hc}, {bySignal, hs}} {
		id := tc.pt.Config.ID
		cleanupTask(t, d2, id)
		if err := recoverAsNomad(t.Ctx, d2, tc.h); err != nil {
			t.Errorf("RecoverTask of a task that exited while the plugin was down: expected success (its result is recorded), got %v", err)
			continue
		}
		ctx, cancel := context.WithTimeout(t.Ctx, 5*time.Second)
		res, err := d2.WaitTask(ctx, id)
		cancel()
		if err != nil {
			t.Errorf("WaitTask of a task that exited while the plugin was down: %v", err)
			continue
		}
		if tc.pt == byCode {
			if res.ExitCode != *byCode.Role.ExitCode || res.Signal != 0 {
				t.Errorf("recorded result of a task that exited with %d while the plugin was down: got exit code %d, signal %d", *byCode.Role.ExitCode, res.ExitCode, res.Signal)
			}
		} else if res.Signal != int(syscall.SIGKILL) && res.ExitCode != 128+int(syscall.SIGKILL) {
			t.Errorf("recorded result of a task killed by SIGKILL while the plugin was down: expected signal 9 or exit code 137, got exit code %d, signal %d", res.ExitCode, res.Signal)
		}
		insp, err := d2.InspectTask(t.Ctx, id)
		if err != nil {
			t.Errorf("InspectTask of a recovered exited task: %v", err)
		} else if insp.State != driver.TaskStateExited {
			t.Errorf("InspectTask of a recovered exited task: expected EXITED, got %s", stateName(insp.State))
		}
	}
}

// caseDriverRecoverInvalidHandle is case driver/recover-invalid-handle.
func caseDriverRecoverInvalidHandle(t *T) {
	p1, d1 := driverSession(t)
	pt := prepareTask(t, d1, RoleLongRunning)
	h := startRaw(t, d1, pt)
	cleanupTask(t, d1, pt.Config.ID)
	t.Check(d1.StopTask(t.Ctx, pt.Config.ID, time.Second, ""), "StopTask")
	t.Check(d1.DestroyTask(t.Ctx, pt.Config.ID, true), "DestroyTask")
	p1.Kill()
	_, d2 := driverSession(t)
	cleanupTask(t, d2, pt.Config.ID)
	if err := recoverAsNomad(t.Ctx, d2, h); err == nil {
		t.Errorf("RecoverTask of a destroyed task: expected an error, got success")
	}
	for _, bad := range []struct {
		name  string
		state []byte
	}{{"garbage", []byte("conformance: not a driver state \x00\xff\xfe")}, {"empty", nil}} {
		g, cfg := *h, *h.Config // a copy: h stays as the plugin returned it
		g.Config = &cfg
		other := prepareTask(t, d2, RoleLongRunning) // a fresh id the plugin has never seen
		g.Config.ID, g.Config.AllocID, g.DriverState = other.Config.ID, other.Config.AllocID, bad.state
		cleanupTask(t, d2, g.Config.ID)
		if err := recoverAsNomad(t.Ctx, d2, &g); err == nil {
			t.Errorf("RecoverTask with %s driver_state: expected an error, got success", bad.name)
		}
	}
}
