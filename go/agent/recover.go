package agent

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"sync"
	"time"

	"github.com/yurt-sdk/yurt/go/api"
	"github.com/yurt-sdk/yurt/go/config"
	"github.com/yurt-sdk/yurt/go/host"
	"github.com/yurt-sdk/yurt/go/host/allocdir"
	"github.com/yurt-sdk/yurt/go/state"
)

// recoverAll rebuilds the task table from the store after a restart.
func (a *Agent) recoverAll() error {
	var specs []*state.TaskSpec
	handles := map[string][]byte{}
	results := map[string]*state.TaskResult{}
	err := a.store.View(func(tx *state.Tx) error {
		var err error
		if specs, err = tx.Specs(); err != nil {
			return err
		}
		for _, s := range specs {
			if h, err := tx.Handle(s.ID); err == nil {
				handles[s.ID] = h
			}
			if r, err := tx.Result(s.ID); err == nil {
				results[s.ID] = r
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("read state: %w", err)
	}
	for _, s := range specs {
		parsed, err := a.parsedAtStart[s.ID], error(nil)
		if parsed == nil {
			parsed, err = parseStored(s)
		}
		t := &task{spec: s, parsed: parsed, done: make(chan struct{})}
		a.mu.Lock()
		a.tasks[s.ID] = t
		a.mu.Unlock()
		switch {
		case results[s.ID] != nil:
			r := results[s.ID]
			t.result, t.finished, t.state = r, true, api.StateExited
			if r.Err != "" && r.ExitCode == 0 && r.Signal == 0 {
				t.state = api.StateFailed
			}
			close(t.done)
			a.bg.Add(1)
			go func() {
				defer a.bg.Done()
				_ = a.logs.Stop(s.TaskDir, 5*time.Second)
			}()
			if handles[s.ID] == nil {
				a.resumeStartCleanup(s)
			}
		case err != nil:
			a.finish(t, &state.TaskResult{Err: "stored task spec no longer parses: " + err.Error()}, api.StateLost)
		case handles[s.ID] == nil:
			msg := "the agent stopped before the driver accepted the task"
			if n := reapInterrupted(s.AllocIDOrID()); n > 0 {
				msg = fmt.Sprintf("the agent stopped before it stored the driver's handle; killed the task's %d process(es)", n)
			}
			a.finish(t, &state.TaskResult{Err: msg}, api.StateFailed)
			a.reapInterruptedLater(s.AllocIDOrID(), privateDir(s))
		default:
			t.state = api.StatePending
			a.markReserved(s.ID, s.Devices)
		}
	}
	var wg sync.WaitGroup
	for _, pi := range a.plugins {
		if pi.info.Type == host.PluginTypeDriver {
			wg.Add(1)
			go func() { defer wg.Done(); a.recoverTasks(pi) }()
		}
	}
	wg.Wait()
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, t := range a.tasks {
		if t.snapshot().State == api.StatePending && a.driverByNameLocked(t.spec.Driver) == nil {
			t.setState(api.StateLost, fmt.Sprintf("driver %q is not loaded; the task may still be running", t.spec.Driver))
		}
	}
	return nil
}

func parseStored(s *state.TaskSpec) (*config.Task, error) {
	ts, err := config.ParseTasks(s.Source, s.File)
	if err != nil {
		return nil, err
	}
	for _, t := range ts {
		if t.Name == s.Name {
			return t, nil
		}
	}
	return nil, fmt.Errorf("task %q not in %s", s.Name, s.File)
}

// reopenLogs starts the log collection of every task the store holds as
// started and not ended, before any plugin is loaded: a restarted agent
// must give the supervisors' FIFOs a reader within their wait (10 s), however
// long the plugins take to reattach.
func (a *Agent) reopenLogs() {
	var specs []*state.TaskSpec
	_ = a.store.View(func(tx *state.Tx) error {
		all, err := tx.Specs()
		if err != nil {
			return err
		}
		for _, s := range all {
			_, herr := tx.Handle(s.ID)
			_, rerr := tx.Result(s.ID)
			if herr == nil && rerr != nil {
				specs = append(specs, s)
			}
		}
		return nil
	})
	// A few at a time: parsing and opening are CPU and syscalls, and the
	// collector opens different tasks at once.
	parsed := make([]*config.Task, len(specs))
	forEachParallel(len(specs), reopenParallel, func(i int) {
		s := specs[i]
		p, err := parseStored(s)
		if err != nil {
			return // recoverAll reports it
		}
		parsed[i] = p
		if err := a.logs.Start(logmonConfig(&task{spec: s, parsed: p})); err != nil {
			a.log.Error("log collector", "task", s.ID, "error", err)
		}
	})
	a.parsedAtStart = map[string]*config.Task{}
	for i, s := range specs {
		if parsed[i] != nil {
			a.parsedAtStart[s.ID] = parsed[i]
		}
	}
}

// reopenParallel bounds the tasks whose logs reopenLogs opens at once.
const reopenParallel = 4

// recoverParallel bounds the RecoverTask calls in flight per driver.
const recoverParallel = 8

// recoverTasks hands every unfinished task of a driver to its current
// process with RecoverTask and starts a waiter for it, a few at a time.
func (a *Agent) recoverTasks(pi *pluginInst) {
	a.mu.Lock()
	var ts []*task
	for _, t := range a.tasks {
		if t.spec.Driver == pi.info.Name {
			ts = append(ts, t)
		}
	}
	a.mu.Unlock()
	sort.Slice(ts, func(i, j int) bool { return ts[i].spec.CreatedAt.Before(ts[j].spec.CreatedAt) })
	forEachParallel(len(ts), recoverParallel, func(i int) { a.recoverTask(pi, ts[i]) })
}

// forEachParallel calls fn(0), ..., fn(n-1) on at most workers goroutines
// and returns when every call has.
func forEachParallel(n, workers int, fn func(i int)) {
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range min(workers, n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				fn(i)
			}
		}()
	}
	for i := range n {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
}

func (a *Agent) recoverTask(pi *pluginInst, t *task) {
	t.mu.Lock()
	fin := t.finished
	t.mu.Unlock()
	if fin {
		return
	}
	var hb []byte
	_ = a.store.View(func(tx *state.Tx) error {
		hb, _ = tx.Handle(t.spec.ID)
		return nil
	})
	h, err := handleFromBytes(hb)
	if err != nil {
		a.finish(t, &state.TaskResult{Err: "stored handle unreadable: " + err.Error()}, api.StateLost)
		return
	}
	if h == nil || h.Config == nil || h.Config.ID == "" {
		// Nomad recovers only a handle with a config and calls the task
		// by handle.config.id (task_runner.go restoreHandle).
		a.finish(t, &state.TaskResult{Err: "the driver's handle has no config.id, so the task cannot be recovered (Nomad could not either)"}, api.StateLost)
		return
	}
	// Nomad persists the handle without the driver config (an unexported
	// field of its TaskConfig), so RecoverTask gets it empty.
	h.Config.DriverConfig = nil
	if err := a.logs.Start(logmonConfig(t)); err != nil {
		a.log.Error("log collector", "task", t.spec.ID, "error", err)
	}
	d, gen, err := pi.driver()
	if err == nil {
		ctx, cancel := context.WithTimeout(a.ctx, 30*time.Second)
		err = d.RecoverTask(ctx, h)
		cancel()
	}
	if err != nil {
		if host.IsTaskNotFound(err) {
			a.finish(t, &state.TaskResult{Err: "driver could not recover the task: " + err.Error()}, api.StateLost)
		} else {
			t.setState(api.StateLost, "recover: "+err.Error())
		}
		return
	}
	t.setState(api.StateRunning, "")
	if t.spec.Stopping {
		t.setState(api.StateStopping, "")
		go func() {
			if err := a.stop(a.ctx, t); err != nil {
				a.log.Error("resuming stop", "task", t.spec.ID, "error", err)
			}
		}()
	}
	a.events.add(api.Event{Source: "agent", TaskID: t.spec.ID, TaskName: t.spec.Name, Message: fmt.Sprintf("task recovered by %s (plugin pid %d)", pi.file, pi.status().Pid)})
	go a.wait(t, pi, gen)
}

// watchLogmons restarts the log collector of a running task if it died. A
// task that writes while its collector is gone gets SIGPIPE, so the window
// is kept short.
func (a *Agent) watchLogmons() {
	t := time.NewTicker(500 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-a.ctx.Done():
			return
		case <-t.C:
		}
		a.mu.Lock()
		var running []*task
		for _, tk := range a.tasks {
			tk.mu.Lock()
			if !tk.finished && (tk.state == api.StateRunning || tk.state == api.StateStopping) {
				running = append(running, tk)
			}
			tk.mu.Unlock()
		}
		a.mu.Unlock()
		for _, tk := range running {
			if a.logs.Running(tk.spec.TaskDir) {
				continue
			}
			cause := a.logs.Err(tk.spec.TaskDir)
			tk.mu.Lock()
			fin := tk.finished
			tk.mu.Unlock()
			if fin {
				continue
			}
			if err := a.logs.Start(logmonConfig(tk)); err != nil {
				a.log.Error("restarting log collector", "task", tk.spec.ID, "error", err)
				continue
			}
			tk.mu.Lock()
			fin = tk.finished
			tk.mu.Unlock()
			if fin { // the task ended meanwhile; finish may have missed this collector
				_ = a.logs.Stop(tk.spec.TaskDir, 5*time.Second)
				continue
			}
			msg := "log collector stopped; restarted"
			if cause != nil {
				msg = "log collector stopped (" + cause.Error() + "); restarted"
			}
			a.events.add(api.Event{Source: "agent", TaskID: tk.spec.ID, TaskName: tk.spec.Name, Message: msg})
		}
	}
}

// specPaths is the Nomad alloc dir layout of a stored task; nil for specs
// stored before the alloc layout (or that no longer compute).
func specPaths(s *state.TaskSpec) *allocdir.AllocDir {
	if s.AllocDir == "" {
		return nil
	}
	ad, err := allocdir.Paths(filepath.Dir(s.AllocDir), s.AllocID, s.Name)
	if err != nil {
		return nil
	}
	return ad
}

// privateDir is the task's Nomad TaskPrivate directory (<alloc dir>/<task>/
// private), where drivers keep their per-task state; "" for specs stored
// before the alloc layout.
func privateDir(s *state.TaskSpec) string {
	if ad := specPaths(s); ad != nil {
		return ad.PrivateDir
	}
	return ""
}
