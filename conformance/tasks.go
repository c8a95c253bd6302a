package conformance

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/yurt-sdk/yurt/go/hclspec"
	"github.com/yurt-sdk/yurt/go/host"
	"github.com/yurt-sdk/yurt/go/host/allocdir"
	"github.com/yurt-sdk/yurt/go/plugin/driver"
)

var taskSeq atomic.Int64

// fifo is a named pipe the harness reads, as Nomad's logmon does.
type fifo struct {
	f   *os.File
	mu  sync.Mutex
	buf bytes.Buffer
}

func newFIFO(t *T, path string) *fifo {
	t.Check(syscall.Mkfifo(path, 0o600), "creating FIFO %s", path)
	// O_RDWR keeps the FIFO open without waiting for a writer, and the reader
	// never sees EOF between writers.
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	t.Check(err, "opening FIFO %s", path)
	x := &fifo{f: f}
	go func() {
		b := make([]byte, 4096)
		for {
			n, err := f.Read(b)
			if n > 0 {
				x.mu.Lock()
				x.buf.Write(b[:n])
				x.mu.Unlock()
			}
			if err != nil {
				return
			}
		}
	}()
	t.Cleanup(func() { _ = f.Close() })
	return x
}

func (x *fifo) String() string {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.buf.String()
}

// waitFor polls until the FIFO holds want or d passes.
func (x *fifo) waitFor(want string, d time.Duration) bool {
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		if strings.Contains(x.String(), want) {
			return true
		}
		time.Sleep(25 * time.Millisecond)
	}
	return strings.Contains(x.String(), want)
}

// preparedTask is a task config for a scenario role with its output FIFOs, in
// a Nomad-shaped alloc dir.
type preparedTask struct {
	Config *driver.TaskConfig
	Role   *TaskScenario
	Stdout *fifo
	Stderr *fifo
	Alloc  *allocdir.AllocDir
	// Control is the task's $YURT_CONFORMANCE_DIR; Key its YURT_CONFORMANCE_TASK.
	Control string
	Key     string
}

// scenario returns the task role or skips the case.
func scenario(t *T, role string) *TaskScenario {
	if t.H.cfg.Scenarios == nil {
		t.Skipf("not applicable: no scenario file given (--scenarios) for task role %q", role)
	}
	s, ok := t.H.cfg.Scenarios.Tasks[role]
	if !ok {
		t.Skipf("not applicable: the scenario file defines no task %q", role)
	}
	return s
}

// prepareTask builds a TaskConfig for role as Nomad's task runner builds one
// (go/host/allocdir): the config decoded through the driver's task schema, a
// Nomad alloc dir with the log FIFOs (being read, as logmon does), a Nomad
// task ID and Nomad's task environment with the role's env and the harness's
// markers on top, so that every process of the task can be found.
func prepareTask(t *T, d *host.Driver, role string) *preparedTask {
	return prepareTaskEnv(t, d, role, nil, nil)
}

// prepareTaskEnv is prepareTask with extra job env and device env (which
// Nomad puts both in env, on top, and in device_env).
func prepareTaskEnv(t *T, d *host.Driver, role string, extraEnv, deviceEnv map[string]string) *preparedTask {
	s := scenario(t, role)
	spec, err := d.TaskConfigSchema(t.Ctx)
	t.Check(err, "TaskConfigSchema")
	val, diags := hclspec.DecodeBody(s.Config.Body, spec, nil)
	if diags.HasErrors() {
		t.Fatalf("scenario task %q config: %s", role, diags.Error())
	}
	raw, err := host.EncodeConfig(val)
	t.Check(err, "encoding task %q config", role)
	root, err := t.H.RunDir()
	t.Check(err, "run dir")
	alloc, err := allocdir.Build(filepath.Join(root, "allocs"), allocdir.NewAllocID(), role)
	t.Check(err, "alloc dir")
	t.Cleanup(func() { _ = alloc.Destroy() })
	n := taskSeq.Add(1)
	key := fmt.Sprintf("%s-%d", t.H.runID, n)
	control := filepath.Join(root, "control-"+strconv.FormatInt(n, 10))
	t.Check(os.Mkdir(control, 0o777), "control dir")
	t.Check(os.Chmod(control, 0o777), "control dir")
	pt := &preparedTask{Role: s, Alloc: alloc, Control: control, Key: key,
		Stdout: newFIFO(t, alloc.StdoutFIFO), Stderr: newFIFO(t, alloc.StderrFIFO)}
	const cpuMHz, memMB = 100, 64
	jobEnv := map[string]string{}
	for k, v := range s.Env {
		jobEnv[k] = v
	}
	for k, v := range extraEnv {
		jobEnv[k] = v
	}
	jobEnv[MarkerRunEnv], jobEnv[MarkerTaskEnv], jobEnv[ControlDirEnv] = t.H.runID, key, control
	env := allocdir.TaskEnv(allocdir.EnvInput{Alloc: alloc, FSIsolation: caps(t, d).FSIsolation,
		JobID: "conformance", JobName: "conformance", GroupName: "conformance", Namespace: "default",
		Region: "global", Datacenter: "dc1", CPULimitMHz: cpuMHz, MemoryLimitMB: memMB,
		TaskEnv: jobEnv, DeviceEnv: deviceEnv})
	pt.Config = &driver.TaskConfig{
		DriverConfig: raw, Env: env, DeviceEnv: deviceEnv,
		TaskGroupName: "conformance", JobName: "conformance", JobID: "conformance", Namespace: "default",
		Resources: &driver.Resources{CPUShares: cpuMHz, MemoryMB: memMB},
	}
	alloc.Apply(pt.Config)
	return pt
}

// procs lists the live processes of the task (found by its marker).
func (pt *preparedTask) procs() []proc { return findMarked(MarkerTaskEnv, pt.Key) }

// waitFile polls until the task has written name in its control dir.
func (pt *preparedTask) waitFile(t *T, name string, d time.Duration) ([]byte, bool) {
	deadline := time.Now().Add(d)
	for {
		b, err := os.ReadFile(filepath.Join(pt.Control, name))
		// "ready" is created empty; a pid file counts once it holds a line.
		if err == nil && (name == "ready" || bytes.HasSuffix(bytes.TrimRight(b, " "), []byte("\n"))) {
			return b, true
		}
		if time.Now().After(deadline) || t.Ctx.Err() != nil {
			return nil, false
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// mainPid waits for the pid the task wrote to $YURT_CONFORMANCE_DIR/pid and
// returns it with its start time, failing the case when none comes.
func (pt *preparedTask) mainPid(t *T) (int, uint64) {
	b, ok := pt.waitFile(t, "pid", 10*time.Second)
	if !ok {
		t.Fatalf("task %q: expected its pid in $%s/pid within 10 s, got nothing (does the driver pass the task env? stderr: %q)",
			pt.Role.Role, ControlDirEnv, oneLine(pt.Stderr.String(), 200))
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || pid <= 0 {
		t.Fatalf("task %q: $%s/pid: expected a pid, got %q", pt.Role.Role, ControlDirEnv, b)
	}
	st, err := readProcStat(pid)
	if err != nil {
		t.Fatalf("task %q: main pid %d from $%s/pid is not running: %v", pt.Role.Role, pid, ControlDirEnv, err)
	}
	return pid, st.StartTime
}

// release creates $YURT_CONFORMANCE_DIR/exit: roles that wait for it exit.
func (pt *preparedTask) release(t *T) {
	t.Check(os.WriteFile(filepath.Join(pt.Control, "exit"), []byte("exit\n"), 0o644), "creating the exit file")
}

// startTask starts a prepared task and makes sure it is destroyed afterwards.
func startTask(t *T, d *host.Driver, pt *preparedTask) *driver.TaskHandle {
	t.H.noteTaskStarted()
	h, _, err := d.StartTask(t.Ctx, pt.Config)
	t.Check(err, "StartTask %s", pt.Role.Role)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = d.StopTask(ctx, pt.Config.ID, time.Second, "")
		_ = d.DestroyTask(ctx, pt.Config.ID, true)
	})
	return h
}

func (h *Harness) noteTaskStarted() {
	h.mu.Lock()
	h.tasksStarted++
	h.mu.Unlock()
}

// waitTrap waits until a signal-role task has installed its trap: up to 5 s
// for $YURT_CONFORMANCE_DIR/ready, which a role may write once its trap is set
// (README.md); a role that writes none is signalled after those 5 s.
func (pt *preparedTask) waitTrap(t *T) {
	if _, ok := pt.waitFile(t, "ready", 5*time.Second); !ok {
		t.Logf("the %s task wrote no $%s/ready within 5 s; signalling anyway", pt.Role.Role, ControlDirEnv)
	}
}
