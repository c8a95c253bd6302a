package agent

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/yurt-sdk/yurt/go/api"
	"github.com/yurt-sdk/yurt/go/config"
	"github.com/yurt-sdk/yurt/go/hclspec"
	"github.com/yurt-sdk/yurt/go/host"
	"github.com/yurt-sdk/yurt/go/host/allocdir"
	"github.com/yurt-sdk/yurt/go/inputlimit"
	"github.com/yurt-sdk/yurt/go/plugin/driver"
	"github.com/yurt-sdk/yurt/go/state"
)

// runFile parses, validates and starts every task of a task file. Nothing
// is started unless every task in the file is valid.
func (a *Agent) runFile(ctx context.Context, file string, src []byte) ([]api.Task, error) {
	tasks, err := config.ParseTasks(src, file)
	if err != nil {
		return nil, err
	}
	// Two runs cannot both pass the "name not running" check for the same
	// name: prepare claims each name until its task is in a.tasks. No lock
	// is held across plugin RPCs (startgate.go).
	var claimed []string
	defer func() { a.releaseNames(claimed) }()
	var preps []prepared
	var errs []error
	for _, t := range tasks {
		p, err := a.prepare(t)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		claimed = append(claimed, t.Name)
		preps = append(preps, p)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	// Devices for every task of the file, or for none.
	for i := range preps {
		p := &preps[i]
		p.id = newID(p.t.Name)
		res, devices, err := a.reserveDevices(ctx, p.id, p.t)
		if err != nil {
			for _, q := range preps[:i] {
				a.releaseDevices(q.id)
			}
			return nil, err
		}
		p.res, p.devices = res, devices
	}
	var out []api.Task
	for i, p := range preps {
		a.openGate(p.id)
		t, err := a.start(ctx, file, src, p)
		if err != nil {
			a.closeGate(p.id)
			for _, q := range preps[i+1:] {
				a.releaseDevices(q.id)
			}
			return out, err
		}
		out = append(out, t.snapshot())
	}
	return out, nil
}

func (a *Agent) prepare(t *config.Task) (prepared, error) {
	drv := a.driverByName(t.Driver)
	if drv == nil {
		return prepared{}, fmt.Errorf("%s: task %q: no driver plugin named %s; loaded drivers: %s",
			config.Where(t.DefRange), t.Name, inputlimit.Quote(t.Driver, 0), strings.Join(a.driverNames(), ", "))
	}
	drv.mu.Lock()
	schema := drv.taskSchema
	drv.mu.Unlock()
	val, diags := hclspec.DecodeBody(t.Config, schema, nil)
	if diags.HasErrors() {
		return prepared{}, fmt.Errorf("task %q config for driver %q: %w", t.Name, t.Driver, config.Diags(diags))
	}
	mp, err := hclspec.EncodeMsgpack(val)
	if err != nil {
		return prepared{}, fmt.Errorf("%s: task %q: encoding config: %w", config.Where(t.DefRange), t.Name, err)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, other := range a.tasks {
		if other.spec.Name == t.Name && !other.snapshot().Terminal() {
			return prepared{}, fmt.Errorf("%s: task %q is already %s (id %s); stop it first", config.Where(t.DefRange), t.Name, other.snapshot().State, other.spec.ID)
		}
	}
	if !a.claimNameLocked(t.Name) {
		return prepared{}, fmt.Errorf("%s: task %q is being started by another run; stop it first", config.Where(t.DefRange), t.Name)
	}
	return prepared{t: t, drv: drv, msgpack: mp}, nil
}

func (a *Agent) start(ctx context.Context, file string, src []byte, p prepared) (*task, error) {
	id, res := p.id, p.res
	dir := filepath.Join(a.dataDir, "tasks", id)
	// Each task runs in an allocation of its own, laid out as Nomad's client
	// lays it out (client/allocdir) under <data dir>/alloc, and is known to
	// its driver by a Nomad task id (task_runner.go buildTaskConfig).
	allocID := allocdir.NewAllocID()
	// <data>/alloc is private like the rest of the data dir (Nomad makes its
	// client alloc_dir 0711; inside a 0700 data dir that is the same).
	allocRoot := filepath.Join(a.dataDir, "alloc")
	err := os.MkdirAll(allocRoot, 0o700)
	var ad *allocdir.AllocDir
	if err == nil {
		ad, err = allocdir.Build(allocRoot, allocID, p.t.Name)
	}
	if err != nil {
		a.releaseDevices(id)
		return nil, fmt.Errorf("task %q: %w", p.t.Name, err)
	}
	spec := &state.TaskSpec{ID: id, Name: p.t.Name, Driver: p.t.Driver, File: file, Source: src, CreatedAt: time.Now().UTC(), TaskDir: dir, Devices: p.devices,
		AllocID: allocID, AllocDir: ad.Dir, DriverTaskID: allocdir.NewTaskID(allocID, p.t.Name)}
	t := &task{spec: spec, parsed: p.t, state: api.StatePending, done: make(chan struct{})}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		a.releaseDevices(id)
		return nil, fmt.Errorf("task %q: %w", p.t.Name, err)
	}
	if err := a.store.Batch(func(tx *state.Tx) error { return tx.PutSpec(spec) }); err != nil {
		a.releaseDevices(id)
		return nil, fmt.Errorf("task %q: store spec: %w", p.t.Name, err)
	}
	a.mu.Lock()
	a.tasks[id] = t
	a.mu.Unlock()

	if err := a.logs.Start(logmonConfig(t)); err != nil {
		a.finish(t, &state.TaskResult{Err: "log collector: " + err.Error()}, api.StateFailed)
		return t, nil
	}
	drv, gen, err := p.drv.driver()
	var h *driver.TaskHandle
	var caps *driver.Capabilities
	if err == nil {
		// Nomad reads the driver's capabilities before it builds the task's
		// environment: filesystem isolation decides its paths.
		caps, err = drv.Capabilities(ctx)
	}
	if err == nil {
		h, err = a.startTask(t, p.drv, drv, a.taskConfig(t, ad, caps.FSIsolation, p.msgpack, res))
	}
	if err == nil && h == nil {
		err = errors.New("driver started the task but returned no handle")
	}
	if err != nil {
		a.finish(t, &state.TaskResult{Err: "start: " + err.Error()}, api.StateFailed)
		// The driver may have started the task before it failed (or died).
		// Its private directory is left alone here: a driver that answers
		// late is stopped and destroyed by the start gate (startgate.go),
		// and what a driver that died left there is cleared by the next
		// agent's recovery (resumeStartCleanup).
		a.reapInterruptedLater(spec.AllocIDOrID(), "")
		return t, nil
	}
	hb, err := handleBytes(h)
	if err == nil {
		err = a.store.Batch(func(tx *state.Tx) error { return tx.PutHandle(id, hb) })
	}
	if err != nil {
		_ = drv.StopTask(ctx, spec.DriverID(), p.t.KillTimeout, p.t.KillSignal)
		a.finish(t, &state.TaskResult{Err: "store handle: " + err.Error()}, api.StateFailed)
		return t, nil
	}
	t.setState(api.StateRunning, "")
	a.events.add(api.Event{Source: "agent", TaskID: id, TaskName: t.spec.Name, Message: "task started"})
	go a.wait(t, p.drv, gen)
	a.afterStart(t)
	return t, nil
}

// wait follows a task until it exits, through one plugin process (gen).
// When that process dies it returns: the plugin monitor recovers the task
// in the new process and starts a new waiter.
func (a *Agent) wait(t *task, pi *pluginInst, gen int) {
	for {
		p, cur := pi.current()
		if cur != gen || p == nil || a.ctx.Err() != nil {
			return
		}
		res, err := p.Driver().WaitTask(a.ctx, t.spec.DriverID())
		if a.ctx.Err() != nil {
			return
		}
		if res != nil {
			r := &state.TaskResult{ExitCode: res.ExitCode, Signal: res.Signal, OOMKilled: res.OOMKilled}
			if err != nil {
				r.Err = err.Error()
			}
			a.finish(t, r, api.StateExited)
			return
		}
		if host.IsTaskNotFound(err) {
			a.finish(t, &state.TaskResult{Err: "driver lost the task: " + err.Error()}, api.StateLost)
			return
		}
		// Most likely the plugin died; the monitor takes over if so.
		select {
		case <-a.ctx.Done():
			return
		case <-time.After(500 * time.Millisecond):
		}
	}
}

// finish records how a task ended, once: result and state change in one
// transaction, then devices are released, the driver's copy destroyed and
// the log collector drained.
func (a *Agent) finish(t *task, r *state.TaskResult, st string) {
	t.mu.Lock()
	if t.finished {
		t.mu.Unlock()
		return
	}
	t.finished = true
	a.closeGate(t.spec.ID)
	if r.FinishedAt.IsZero() {
		r.FinishedAt = time.Now().UTC()
	}
	t.result, t.state = r, st
	if st == api.StateExited && r.Err != "" {
		t.state = api.StateFailed
	}
	t.mu.Unlock()
	if err := a.store.Batch(func(tx *state.Tx) error { return tx.PutResult(t.spec.ID, r) }); err != nil {
		a.log.Error("cannot store task result", "task", t.spec.ID, "error", err)
	}
	a.releaseDevices(t.spec.ID)
	msg := fmt.Sprintf("task %s: exit code %d", st, r.ExitCode)
	if r.Signal != 0 {
		msg += fmt.Sprintf(", signal %d", r.Signal)
	}
	if r.Err != "" {
		msg = fmt.Sprintf("task %s: %s", t.state, r.Err)
	}
	a.events.add(api.Event{Source: "agent", TaskID: t.spec.ID, TaskName: t.spec.Name, Message: msg})
	// Count the cleanup before anyone can see the task done: a shutdown
	// that waited for it must also wait for its log collector to stop.
	a.bg.Add(1)
	close(t.done)
	go func() {
		defer a.bg.Done()
		if pi := a.driverByName(t.spec.Driver); pi != nil {
			if d, _, err := pi.driver(); err == nil {
				_, _, destroyTimeout := pi.pluginTimeouts()
				ctx, cancel := context.WithTimeout(context.Background(), destroyTimeout)
				_ = d.DestroyTask(ctx, t.spec.DriverID(), true)
				cancel()
			}
		}
		if err := a.logs.Stop(t.spec.TaskDir, 5*time.Second); err != nil {
			a.log.Warn("log collector", "task", t.spec.ID, "error", err)
		}
	}()
}

// stop asks the driver to stop a task and waits until it has ended.
func (a *Agent) stop(ctx context.Context, t *task) error {
	t.mu.Lock()
	if t.finished {
		t.mu.Unlock()
		return nil
	}
	t.state = api.StateStopping
	t.mu.Unlock()
	t.spec.Stopping = true
	if err := a.store.Batch(func(tx *state.Tx) error { return tx.PutSpec(t.spec) }); err != nil {
		return fmt.Errorf("store stop request: %w", err)
	}
	pi := a.driverByName(t.spec.Driver)
	if pi == nil {
		return fmt.Errorf("driver %q is not loaded", t.spec.Driver)
	}
	if handled, err := a.awaitStartedStop(ctx, t, pi); handled {
		return err
	}
	_, stopTimeout, _ := pi.pluginTimeouts()
	budget := t.parsed.KillTimeout + stopTimeout
	deadline := time.Now().Add(budget)
	for {
		d, _, err := pi.driver()
		if err == nil {
			sctx, cancel := context.WithDeadline(ctx, deadline)
			err = d.StopTask(sctx, t.spec.DriverID(), t.parsed.KillTimeout, t.parsed.KillSignal)
			cancel()
			if host.IsTaskNotFound(err) {
				err = nil
			}
		}
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("stop %s: %w", t.spec.Name, err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.done:
			return nil
		case <-time.After(500 * time.Millisecond): // the plugin may be restarting
		}
	}
	select {
	case <-t.done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(time.Until(deadline)):
		return fmt.Errorf("stop %s: driver %q did not report an exit within %s (kill_timeout + stop_task_timeout)", t.spec.Name, t.spec.Driver, budget)
	}
}
