package agent

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"github.com/yurt-sdk/yurt/go/state"
)

// reapInterrupted kills the processes of a task whose start was
// interrupted: the agent died after the driver started it but before the
// driver's handle reached the store. Without the handle no driver can
// recover the task, and if the plugin died too nothing knows it is
// running, so it would run unaccounted for ever. Every task gets
// NOMAD_ALLOC_ID=<task ID> in its environment, so the agent finds those
// processes (of its own user) in /proc and kills them. Best effort: a
// task that rewrites its environment escapes it. It returns how many
// processes it killed.
func reapInterrupted(taskID string) int {
	ents, err := os.ReadDir("/proc")
	if err != nil {
		return 0
	}
	needle := []byte("NOMAD_ALLOC_ID=" + taskID + "\x00")
	self := os.Getpid()
	killed := 0
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == self {
			continue
		}
		env, err := os.ReadFile("/proc/" + e.Name() + "/environ")
		if err != nil {
			continue
		}
		if bytes.HasPrefix(env, needle) || bytes.Contains(env, append([]byte{0}, needle...)) {
			if syscall.Kill(pid, syscall.SIGKILL) == nil {
				killed++
			}
		}
	}
	return killed
}

// reapInterruptedLater reaps a task's processes now and twice more: when a
// driver died in StartTask, its detached supervisor may still be starting
// the task after the agent has marked it failed.
//
// private, when set, is the task's TaskPrivate directory: once the last reap
// is done its contents are removed. No driver holds a handle for the task and
// none will be asked to recover it, so a supervision state directory there
// would stay forever; Nomad's client likewise destroys the allocation
// directory of a task it gives up on (client/allocrunner: alloc GC runs
// allocdir.Destroy).
func (a *Agent) reapInterruptedLater(taskID, private string) {
	if n := reapInterrupted(taskID); n > 0 {
		a.log.Warn("killed the processes of a task whose start failed", "task", taskID, "count", n)
	}
	a.bg.Add(1)
	go func() {
		defer a.bg.Done()
		for _, d := range []time.Duration{time.Second, 4 * time.Second} {
			select {
			case <-a.ctx.Done():
				// The agent is shutting down: reap and clear now rather
				// than leave the cleanup to the next agent (a shutdown
				// leaves nothing of a failed start behind).
			case <-time.After(d):
			}
			if n := reapInterrupted(taskID); n > 0 {
				a.log.Warn("killed the processes of a task whose start failed", "task", taskID, "count", n)
			}
			if a.ctx.Err() != nil {
				break
			}
		}
		if private != "" {
			a.clearPrivate(taskID, private)
		}
	}()
}

// resumeStartCleanup finishes the cleanup of a task whose start failed
// before any driver accepted it (a stored result and no stored handle),
// when an earlier agent died before its delayed cleanup ran: the
// reapInterruptedLater that agent scheduled died with it, and nothing
// else will ever empty the task's TaskPrivate directory. It is idempotent:
// a task whose private directory is already empty costs one ReadDir.
// Found by the chaos test (go/hardening): an agent killed twice within
// five seconds, once during the POST of a task and once during the cleanup.
func (a *Agent) resumeStartCleanup(s *state.TaskSpec) {
	private := privateDir(s)
	if private == "" {
		return
	}
	if ents, err := os.ReadDir(private); err != nil || len(ents) == 0 {
		return
	}
	a.reapInterruptedLater(s.AllocIDOrID(), private)
}

// clearPrivate removes what a driver left in the TaskPrivate directory of a
// task whose start was interrupted, keeping the directory itself.
func (a *Agent) clearPrivate(taskID, private string) {
	ents, err := os.ReadDir(private)
	if err != nil {
		return
	}
	for _, e := range ents {
		if err := os.RemoveAll(filepath.Join(private, e.Name())); err != nil {
			a.log.Warn("removing a driver's state of a task whose start failed", "task", taskID, "error", err)
		}
	}
}
