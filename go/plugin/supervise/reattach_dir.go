package supervise

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/yurt-sdk/yurt/go/gen/supervisepb"
)

// ErrNotStarted is returned (wrapped, with the reason) by ReattachDir for a
// state directory whose task never started for a plugin that could take
// it: its plugin died mid-start, between writing spec.pb and taking the
// task's handle. Nothing of such a task runs once ReattachDir returns it:
// a supervisor of this layer ends the task itself when the plugin dies
// before acknowledging the start (see launchSupervisor), and ReattachDir
// removes a directory that no supervisor will ever serve.
var ErrNotStarted = errors.New("supervise: the task never started for a plugin that could take it (its plugin died mid-start)")

// ReattachDir finds the task whose state is in dir without a handle (for
// state left by a plugin that died before it handed the handle out, and for
// tools), as Rust's reattach_dir and Python's reattach_dir do: the handle is
// rebuilt from the directory's started.pb and spec.pb.
//
// A directory caught mid-start is settled first, within StartTimeout: a
// supervisor that is still starting the task is waited for, and one of
// this layer that is deciding whether its plugin took the handle is waited
// for too. Then a task that runs is returned; one that never started for
// anyone is ErrNotStarted (the directory is removed when no supervisor
// serves it: no started.pb, no supervisor process, and spec.pb older than
// StartTimeout, so that a start still under way is never disturbed).
func ReattachDir(dir string) (*Task, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("supervise: reattach state dir %q: %w", dir, err)
	}
	var sp supervisepb.TaskSpec
	if err := readState(abs, specFile, &sp); err != nil {
		return nil, fmt.Errorf("supervise: reattach state dir %q: %w", abs, err)
	}
	deadline := time.Now().Add(StartTimeout)
	for {
		sup := findSupervisor(abs)
		var st supervisepb.Started
		err := readState(abs, startedFile, &st)
		switch {
		case err == nil && (sup == 0 || !awaitingAck(sup)):
			h, err := proto.Marshal(&supervisepb.Handle{FormatVersion: FormatVersion, StateDir: abs, TaskId: sp.GetTaskId(), Started: &st})
			if err != nil {
				return nil, err
			}
			t, err := Reattach(h)
			if err != nil && !exists(abs) {
				return nil, fmt.Errorf("%w: task %q: its supervisor ended it and removed %s", ErrNotStarted, sp.GetTaskId(), abs)
			}
			return t, err
		case err != nil && !errors.Is(err, os.ErrNotExist):
			if !exists(abs) {
				return nil, fmt.Errorf("%w: task %q: its supervisor ended it and removed %s", ErrNotStarted, sp.GetTaskId(), abs)
			}
			return nil, fmt.Errorf("supervise: reattach state dir %q: %w", abs, err)
		case err != nil && sup == 0:
			return nil, settleUnstarted(abs, sp.GetTaskId())
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("%w: task %q: its supervisor (pid %d) is still starting it after %s (%s)", ErrNotStarted, sp.GetTaskId(), sup, StartTimeout, abs)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// settleUnstarted reports, and removes when provably dead, a state
// directory without started.pb and without a supervisor.
func settleUnstarted(dir, taskID string) error {
	if !exists(dir) {
		return fmt.Errorf("%w: task %q: its supervisor ended it and removed %s", ErrNotStarted, taskID, dir)
	}
	why := "no supervisor runs for it"
	if ex, err := readExit(dir); err == nil && ex != nil && ex.GetStartError() != "" {
		why = "it could not start: " + ex.GetStartError()
	}
	fi, err := os.Stat(filepath.Join(dir, specFile))
	if err == nil && time.Since(fi.ModTime()) < StartTimeout && why == "no supervisor runs for it" {
		return fmt.Errorf("%w: task %q: %s yet; spec.pb is %s old, a start may still be under way (%s kept)", ErrNotStarted, taskID, why,
			time.Since(fi.ModTime()).Round(time.Millisecond), dir)
	}
	if err := os.RemoveAll(dir); err != nil {
		return fmt.Errorf("%w: task %q: %s; removing %s: %v", ErrNotStarted, taskID, why, dir, err)
	}
	return fmt.Errorf("%w: task %q: %s; %s removed", ErrNotStarted, taskID, why, dir)
}

// findSupervisor is the pid of the process running `<program>
// yurt-supervise <dir>` (any layer's supervisor), 0 when there is none.
func findSupervisor(dir string) int {
	ents, err := os.ReadDir("/proc")
	if err != nil {
		return 0
	}
	want := "\x00" + Arg + "\x00" + dir + "\x00"
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile("/proc/" + e.Name() + "/cmdline")
		if err != nil || !strings.Contains(string(b), want) {
			continue
		}
		if ps, err := readProcStat(pid); err == nil && ps.state != 'Z' && ps.state != 'X' {
			return pid
		}
	}
	return 0
}

// awaitingAck reports whether a supervisor (of any layer: Rust's and
// Python's supervisor keeps the same handshake) still holds the start
// handshake open (the pipe named by YURT_SUPERVISE_ACK_FD, until the plugin
// acknowledged the start or died): it then either keeps the task or ends it and removes the
// state directory, so a caller must wait for the outcome.
func awaitingAck(pid int) bool {
	env, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/environ")
	if err != nil {
		return false
	}
	for _, kv := range strings.Split(string(env), "\x00") {
		if fd, ok := strings.CutPrefix(kv, ackFDEnv+"="); ok {
			link, err := os.Readlink("/proc/" + strconv.Itoa(pid) + "/fd/" + fd)
			return err == nil && strings.HasPrefix(link, "pipe:")
		}
	}
	return false // started without the handshake
}
