// Package supervise runs a Nomad task as a plain process that outlives the
// plugin: the supervision layer a process-based task driver calls instead of
// writing its own supervisor.
//
// Start writes the task's spec into a state directory and launches a small
// per-task supervisor, the plugin binary itself re-executed as
// `<plugin> yurt-supervise <state dir>` in its own session. The supervisor
// forks the task, copies its output to Nomad's log FIFOs, and records the
// task's end in the state directory. A fresh plugin process finds the task
// again with Reattach from the Handle bytes the driver kept in
// TaskHandle.driver_state.
//
// The state directory's files are the messages of
// proto/yurt/supervise/v1/supervise.proto, shared with the Python and Rust
// layers, so any layer can reattach, wait for, signal, stop and destroy a task
// started by any other.
//
// # Containment
//
// Always: the task's main process leads its own process group, and the
// supervisor is a child subreaper (prctl PR_SET_CHILD_SUBREAPER), so
// processes that leave the group (setsid) or double-fork are re-parented to
// it and are still found and killed when the main process exits and on
// Destroy.
//
// Where the plugin runs as root and a cgroup hierarchy is writable (v1's
// memory controller, else a cgroup2 mount), each task also runs in its own
// cgroup (see cgroup.go): the memory limit and CPU shares of Spec.Limits
// are enforced, the end of the task and Destroy kill every process in the
// cgroup (v2 cgroup.kill, v1 freezer), which catches even a process that
// left the supervisor's subtree or outlived a supervisor killed with
// SIGKILL; an OOM kill is reported in ExitResult.OOMKilled; Stats reads
// memory usage from the cgroup. Isolation says which path is in force.
//
// What escapes without a cgroup: a process that is never a descendant of
// the supervisor (for example a daemon started through a system service
// manager), and, after the supervisor itself was killed with SIGKILL, a
// process of the task outside its process group.
//
// # Cost per task
//
// The supervisor is the plugin binary, so it pays for the plugin's package
// initialisation; it then runs with GOMAXPROCS=1, memory profiling off and
// the garbage collector off (its steady state allocates next to nothing, and
// one collection touches about 1.3 MiB of collector metadata). Measured on a
// 2-core machine with 200 `sleep` tasks: 1.91 MiB PSS per supervisor for
// yurt-exec built with CGO_ENABLED=0 (2.02 MiB with cgo), start p50 33 ms
// under a load average near 15. Build plugins with CGO_ENABLED=0.
//
// # The supervisor hook
//
// go/plugin's ServeDriver calls Main first, so a driver served with it
// needs nothing more. A program that supervises without plugin.ServeDriver (a
// test binary, a tool) calls Main at the top of main or TestMain.
package supervise

import (
	"errors"
	"strconv"
	"time"
)

// Arg is the argv[1] that turns the plugin binary into a supervisor:
// `<program> yurt-supervise <state dir>`.
const Arg = "yurt-supervise"

// FormatVersion is the version of the state and handle format this layer
// reads and writes.
const FormatVersion = 1

// Spec is what to run. It is written once, to spec.pb, by Start.
type Spec struct {
	// TaskID is Nomad's task ID, for logs and the handle.
	TaskID string
	// Command is an absolute path, a path relative to WorkingDir, or a name
	// looked up (as Nomad's executor does) in WorkingDir/local, WorkingDir
	// and then the PATH of Env. Required.
	Command string
	// Args are argv[1:].
	Args []string
	// Env is the task's whole environment as "KEY=VALUE"; nothing else is
	// added.
	Env []string
	// WorkingDir is the task's working directory; empty means "/". A
	// directory given here must be writable by the task's user.
	WorkingDir string
	// User runs the task as this user (name or numeric uid); empty means
	// the plugin's own user. Another user needs the plugin to run as root.
	User string
	// StdoutPath and StderrPath receive the task's output (Nomad's log
	// FIFOs, or regular files); empty discards it.
	StdoutPath string
	StderrPath string
	// Limits are enforced through the task's cgroup; see Isolation.
	Limits Limits
}

// Limits are resource limits; zero means none.
type Limits struct {
	MemoryBytes int64
	CPUShares   int64
}

// ExitResult is how a task ended.
type ExitResult struct {
	// ExitCode is the exit status, 128+N when killed by signal N.
	ExitCode int
	// Signal is the signal that killed the main process, 0 if none.
	Signal int
	// OOMKilled is true when the kernel's OOM killer ended the task.
	OOMKilled bool
	// CompletedAt is when the main process ended.
	CompletedAt time.Time
}

// StartError is returned by Start when the task could not be started: the
// message names the spec field at fault (command, user, working_dir, ...).
type StartError struct {
	TaskID string
	Reason string
}

// Error names the task and why it could not start.
func (e *StartError) Error() string {
	return "supervise: task " + strconv.Quote(e.TaskID) + " could not start: " + e.Reason
}

var (
	// ErrExited is returned by Signal when the task has already ended.
	ErrExited = errors.New("supervise: the task has exited")
	// ErrSupervisorLost is returned when the task's supervisor is gone
	// without recording how the task ended: the real result is unknown
	// and none is made up.
	ErrSupervisorLost = errors.New("supervise: the task's supervisor is gone and recorded no exit status")
)
