package agent

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/yurt-sdk/yurt/go/api"
	"github.com/yurt-sdk/yurt/go/config"
	"github.com/yurt-sdk/yurt/go/host"
	"github.com/yurt-sdk/yurt/go/plugin/driver"
)

// Tasks are independent of each other, as Nomad's task runners are
// (client/allocrunner/taskrunner/task_runner.go runs each task in its own
// goroutine and holds no client-wide lock across driver calls). The agent
// therefore holds no agent-wide lock across a plugin RPC: a run claims its
// task names (claimNameLocked) instead of serialising every run, and the
// driver RPCs run under per-plugin deadlines. Nomad sets no StartTask
// deadline; yurt adds one (start_task_timeout) because its CLI waits for
// the start, and cleans up whatever a driver starts after it.

// startGates tracks the tasks whose start is in flight, and the task names
// that runs in progress have claimed.
type startGates struct {
	mu    sync.Mutex
	gates map[string]*startGate // by task ID
	names map[string]bool
}

// startGate is one task's start: a stop that arrives before the driver
// answered is recorded here and applied once it has.
type startGate struct {
	stopRequested bool
	started       bool
}

func (g *startGates) init() {
	g.gates, g.names = map[string]*startGate{}, map[string]bool{}
}

// claimNameLocked claims a task name for a run in progress; false if another
// run holds it. The caller holds a.mu (so the check against a.tasks and the
// claim are one step).
func (a *Agent) claimNameLocked(name string) bool {
	g := &a.gates
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.names[name] {
		return false
	}
	g.names[name] = true
	return true
}

// releaseNames ends the claims of a run: by now its tasks are in a.tasks
// (or were never created).
func (a *Agent) releaseNames(names []string) {
	g := &a.gates
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, n := range names {
		delete(g.names, n)
	}
}

// openGate marks a task's start as in flight, before its record is visible;
// afterStart or finish closes it.
func (a *Agent) openGate(id string) {
	g := &a.gates
	g.mu.Lock()
	defer g.mu.Unlock()
	g.gates[id] = &startGate{}
}

// closeGate marks the start as over and reports whether a stop was
// requested meanwhile.
func (a *Agent) closeGate(id string) bool {
	g := &a.gates
	g.mu.Lock()
	defer g.mu.Unlock()
	sg := g.gates[id]
	delete(g.gates, id)
	return sg != nil && sg.stopRequested
}

// requestStopDuringStart records a stop if the task's start is in flight.
func (a *Agent) requestStopDuringStart(id string) bool {
	g := &a.gates
	g.mu.Lock()
	defer g.mu.Unlock()
	sg := g.gates[id]
	if sg == nil {
		return false
	}
	sg.stopRequested = true
	return true
}

// pluginTimeouts returns a plugin's RPC deadlines from its plugin block, or
// the defaults.
func (pi *pluginInst) pluginTimeouts() (start, stop, destroy time.Duration) {
	if b := pi.block; b != nil && b.StartTaskTimeout > 0 {
		return b.StartTaskTimeout, b.StopTaskTimeout, b.DestroyTaskTimeout
	}
	return config.PluginTimeouts()
}

// startTimeoutError is a StartTask that outlived its deadline.
type startTimeoutError struct {
	driver, file string
	timeout      time.Duration
}

func (e *startTimeoutError) Error() string {
	return fmt.Sprintf("driver %q (plugin %s) did not answer StartTask within %s (start_task_timeout); the agent stops and destroys the task if the driver starts it later",
		e.driver, e.file, e.timeout)
}

// startTask calls StartTask under the plugin's deadline. The RPC itself
// runs on the agent's context, not the request's: a client that goes away
// does not cut a start short. If the deadline passes first, the caller
// marks the task failed and, when the driver finally answers, lateStart
// stops and destroys what it started.
func (a *Agent) startTask(t *task, pi *pluginInst, drv *host.Driver, cfg *driver.TaskConfig) (*driver.TaskHandle, error) {
	timeout, _, _ := pi.pluginTimeouts()
	type result struct {
		h   *driver.TaskHandle
		err error
	}
	ch := make(chan result, 1)
	var mu sync.Mutex
	abandoned := false
	began := time.Now()
	a.bg.Add(1)
	go func() {
		defer a.bg.Done()
		h, _, err := drv.StartTask(a.ctx, cfg)
		mu.Lock()
		late := abandoned
		if !late {
			ch <- result{h, err}
		}
		mu.Unlock()
		if late {
			a.lateStart(t, pi, drv, err, time.Since(began))
		}
	}()
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	var r result
	select {
	case r = <-ch:
	case <-timer.C:
		mu.Lock()
		select {
		case r = <-ch: // it answered just now
		default:
			abandoned = true
			r.err = &startTimeoutError{driver: t.spec.Driver, file: pi.file, timeout: timeout}
		}
		mu.Unlock()
	}
	return r.h, r.err
}

// lateStart handles a StartTask answer that came after its deadline: the
// task is already marked failed, so whatever the driver started is
// stopped and destroyed.
func (a *Agent) lateStart(t *task, pi *pluginInst, drv *host.Driver, err error, took time.Duration) {
	took = took.Round(time.Millisecond)
	if err != nil {
		a.events.add(api.Event{Source: "agent", TaskID: t.spec.ID, TaskName: t.spec.Name,
			Message: fmt.Sprintf("driver %q answered StartTask after %s, too late, with a failure; nothing to clean up", t.spec.Driver, took)})
		return
	}
	_, stopTimeout, destroyTimeout := pi.pluginTimeouts()
	ctx, cancel := context.WithTimeout(a.ctx, t.parsed.KillTimeout+stopTimeout)
	serr := drv.StopTask(ctx, t.spec.DriverID(), t.parsed.KillTimeout, t.parsed.KillSignal)
	cancel()
	ctx, cancel = context.WithTimeout(a.ctx, destroyTimeout)
	derr := drv.DestroyTask(ctx, t.spec.DriverID(), true)
	cancel()
	msg := fmt.Sprintf("driver %q answered StartTask after %s, too late: the task it started was stopped and destroyed", t.spec.Driver, took)
	if serr != nil || derr != nil {
		msg = fmt.Sprintf("driver %q answered StartTask after %s, too late; cleaning up failed (stop: %v, destroy: %v)", t.spec.Driver, took, serr, derr)
		a.log.Warn("late StartTask cleanup", "task", t.spec.ID, "stop", serr, "destroy", derr)
	}
	a.events.add(api.Event{Source: "agent", TaskID: t.spec.ID, TaskName: t.spec.Name, Message: msg})
}

// afterStart runs once a start succeeded and the task is running: a stop
// requested while the driver was starting it is applied now.
func (a *Agent) afterStart(t *task) {
	if !a.closeGate(t.spec.ID) {
		return
	}
	a.events.add(api.Event{Source: "agent", TaskID: t.spec.ID, TaskName: t.spec.Name, Message: "applying the stop requested while the driver was starting the task"})
	a.bg.Add(1)
	go func() {
		defer a.bg.Done()
		if err := a.stop(a.ctx, t); err != nil {
			a.log.Error("applying a stop requested during start", "task", t.spec.ID, "error", err)
		}
	}()
}

// awaitStartedStop handles a stop of a task whose start is in flight: the
// stop is recorded (afterStart applies it), and this waits for the task to
// end. handled is false when no start is in flight.
func (a *Agent) awaitStartedStop(ctx context.Context, t *task, pi *pluginInst) (handled bool, err error) {
	if !a.requestStopDuringStart(t.spec.ID) {
		return false, nil
	}
	a.events.add(api.Event{Source: "agent", TaskID: t.spec.ID, TaskName: t.spec.Name, Message: "stop requested while the driver is starting the task; it is stopped as soon as the start returns"})
	start, stop, _ := pi.pluginTimeouts()
	budget := start + t.parsed.KillTimeout + stop
	timer := time.NewTimer(budget)
	defer timer.Stop()
	select {
	case <-t.done:
		return true, nil
	case <-ctx.Done():
		return true, fmt.Errorf("stop %s: recorded, and applied when the driver's start returns; stopped waiting: %w", t.spec.Name, ctx.Err())
	case <-timer.C:
		return true, fmt.Errorf("stop %s: recorded, but the task did not end within %s (start_task_timeout + kill_timeout + stop_task_timeout)", t.spec.Name, budget)
	}
}
