package conformance

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// childPid waits for the background role's $YURT_CONFORMANCE_DIR/child.
func childPid(t *T, pt *preparedTask) (int, uint64) {
	b, ok := pt.waitFile(t, "child", 10*time.Second)
	if !ok {
		t.Fatalf("task %q: expected the background process's pid in $%s/child within 10 s, got nothing", pt.Role.Role, ControlDirEnv)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || pid <= 0 {
		t.Fatalf("task %q: $%s/child: expected a pid, got %q", pt.Role.Role, ControlDirEnv, b)
	}
	st, err := readProcStat(pid)
	if err != nil {
		t.Fatalf("task %q: background pid %d is not running: %v", pt.Role.Role, pid, err)
	}
	return pid, st.StartTime
}

// survivors waits up to d for the given processes to go and returns the ones
// still alive, killing them so that the run stays clean.
func survivors(pids map[int]uint64, d time.Duration) []string {
	deadline := time.Now().Add(d)
	for {
		var left []string
		var procs []proc
		for pid, start := range pids {
			if alive(pid, start) {
				left = append(left, strconv.Itoa(pid))
				procs = append(procs, proc{Pid: pid})
			}
		}
		if len(left) == 0 || time.Now().After(deadline) {
			killAll(procs)
			return left
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func lifecycleCases() []Case {
	return []Case{
		{ID: "driver/wait-concurrent", Level: Required, Kind: DriverPlugin,
			Doc: "WaitTask blocks while the task runs, and several concurrent WaitTask calls all get the exit result once it exits",
			Run: caseDriverWaitConcurrent},
		{ID: "driver/stop-signal-then-kill", Level: Required, Kind: DriverPlugin,
			// Bounds with slack: Nomad's executors send the signal, wait the
			// kill timeout, then SIGKILL (drivers/shared/executor).
			Doc: "StopTask delivers the requested signal first (the signal role traps it and prints its marker) and kills a task that keeps running only after the timeout: not before it, and within timeout + 5 s",
			Run: caseDriverStopSignalThenKill},
		{ID: "driver/destroy-kills-all", Level: Required, Kind: DriverPlugin,
			Doc: "DestroyTask with force of a running task kills the task and every process it started (the background role's child)",
			Run: caseDriverDestroyKillsAll},
		{ID: "driver/children-killed", Level: Required, Kind: DriverPlugin,
			// Nomad's executors kill the task's process group (and with
			// cgroups every process) once the main process has exited.
			Doc: "once a task's main process has exited, none of the processes it started in the background survive (within 5 s of WaitTask returning)",
			Run: caseDriverChildrenKilled},
	}
}

// caseDriverWaitConcurrent is case driver/wait-concurrent.
func caseDriverWaitConcurrent(t *T) {
	_, d := driverSession(t)
	pt := prepareTask(t, d, RoleExitOnRequest)
	startTask(t, d, pt)
	pt.mainPid(t)
	const waiters = 3
	var chs []<-chan waitResult
	for i := 0; i < waiters; i++ {
		chs = append(chs, waitAsync(t.Ctx, d, pt.Config.ID))
	}
	time.Sleep(time.Second)
	for i, ch := range chs {
		select {
		case w := <-ch:
			t.Fatalf("WaitTask #%d returned while the task was running: result %v, error %v", i+1, w.res, w.err)
		default:
		}
	}
	pt.release(t)
	for i, ch := range chs {
		select {
		case w := <-ch:
			if w.err != nil {
				t.Errorf("WaitTask #%d of %d concurrent: %v", i+1, waiters, w.err)
			} else if w.res.ExitCode != *pt.Role.ExitCode {
				t.Errorf("WaitTask #%d of %d concurrent: expected exit code %d, got %d", i+1, waiters, *pt.Role.ExitCode, w.res.ExitCode)
			}
		case <-time.After(10 * time.Second):
			t.Errorf("WaitTask #%d of %d concurrent did not return within 10 s of the task's exit", i+1, waiters)
		}
	}
}

// caseDriverStopSignalThenKill is case driver/stop-signal-then-kill.
func caseDriverStopSignalThenKill(t *T) {
	_, d := driverSession(t)
	pt := prepareTask(t, d, RoleSignal)
	startTask(t, d, pt)
	pt.waitTrap(t)
	const timeout = 3 * time.Second
	waitCh := waitAsync(t.Ctx, d, pt.Config.ID)
	start := time.Now()
	stopErr := make(chan error, 1)
	go func() { stopErr <- d.StopTask(t.Ctx, pt.Config.ID, timeout, *pt.Role.Signal) }()
	if !pt.Stdout.waitFor(*pt.Role.Stdout, timeout) {
		t.Errorf("StopTask(%s, %s): the task did not get %s first (expected its marker %q on stdout within the timeout, got %q)",
			*pt.Role.Signal, timeout, *pt.Role.Signal, *pt.Role.Stdout, oneLine(pt.Stdout.String(), 200))
	}
	select {
	case w := <-waitCh:
		el := w.at.Sub(start)
		switch {
		case w.err != nil:
			t.Errorf("WaitTask during StopTask: %v", w.err)
		case el < timeout-250*time.Millisecond:
			t.Errorf("the task, which keeps running after %s, ended %s after StopTask: before the %s timeout", *pt.Role.Signal, el.Round(time.Millisecond), timeout)
		default:
			t.Logf("ended %s after StopTask with a %s timeout", el.Round(time.Millisecond), timeout)
		}
	case <-time.After(timeout + 5*time.Second):
		t.Errorf("the task was still running %s after StopTask with a %s timeout", timeout+5*time.Second, timeout)
	}
	select {
	case err := <-stopErr:
		if err != nil {
			t.Errorf("StopTask: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Errorf("StopTask did not return within 5 s of the task's end")
	}
}

// caseDriverDestroyKillsAll is case driver/destroy-kills-all.
func caseDriverDestroyKillsAll(t *T) {
	_, d := driverSession(t)
	pt := prepareTask(t, d, RoleBackground)
	startTask(t, d, pt)
	pid, started := pt.mainPid(t)
	cpid, cstarted := childPid(t, pt)
	t.Check(d.DestroyTask(t.Ctx, pt.Config.ID, true), "DestroyTask with force of a running task")
	if left := survivors(map[int]uint64{pid: started, cpid: cstarted}, 5*time.Second); len(left) > 0 {
		t.Errorf("5 s after DestroyTask with force, processes of the task still run: pids %s (main %d, background %d)", strings.Join(left, ", "), pid, cpid)
	}
}

// caseDriverChildrenKilled is case driver/children-killed.
func caseDriverChildrenKilled(t *T) {
	_, d := driverSession(t)
	pt := prepareTask(t, d, RoleBackground)
	startTask(t, d, pt)
	pt.mainPid(t)
	cpid, cstarted := childPid(t, pt)
	pt.release(t)
	ch := waitAsync(t.Ctx, d, pt.Config.ID)
	select {
	case w := <-ch:
		t.Check(w.err, "WaitTask")
	case <-time.After(10 * time.Second):
		t.Fatalf("WaitTask did not return within 10 s of the main process's exit")
	}
	if left := survivors(map[int]uint64{cpid: cstarted}, 5*time.Second); len(left) > 0 {
		t.Errorf("%s", fmt.Sprintf("5 s after the main process exited, its background process %d still runs", cpid))
	}
}
