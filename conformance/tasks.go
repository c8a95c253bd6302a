package conformance

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/yurt-sdk/yurt/go/gen/driverpb"
	"github.com/yurt-sdk/yurt/go/hclspec"
	"github.com/yurt-sdk/yurt/go/host"
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

// preparedTask is a task config for a scenario role with its output FIFOs.
type preparedTask struct {
	Config *driverpb.TaskConfig
	Role   *TaskScenario
	Stdout *fifo
	Stderr *fifo
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

// prepareTask builds a TaskConfig for role, decoding its config through the
// driver's task schema as Nomad does, with stdout/stderr FIFOs being read.
func prepareTask(t *T, d *host.Driver, role string) *preparedTask {
	s := scenario(t, role)
	spec, err := d.TaskConfigSchema(t.Ctx)
	t.Check(err, "TaskConfigSchema")
	val, diags := hclspec.DecodeBody(s.Config.Body, spec, nil)
	if diags.HasErrors() {
		t.Fatalf("scenario task %q config: %s", role, diags.Error())
	}
	raw, err := host.EncodeConfig(val)
	t.Check(err, "encoding task %q config", role)
	dir, err := os.MkdirTemp("", "yurt-conf-alloc-")
	t.Check(err, "alloc dir")
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	n := taskSeq.Add(1)
	id := fmt.Sprintf("conf-%d-%d/%s", os.Getpid(), n, role)
	out, errp := filepath.Join(dir, "stdout.fifo"), filepath.Join(dir, "stderr.fifo")
	pt := &preparedTask{Role: s, Stdout: newFIFO(t, out), Stderr: newFIFO(t, errp)}
	env := map[string]string{}
	for k, v := range s.Env {
		env[k] = v
	}
	pt.Config = &driverpb.TaskConfig{
		Id: id, Name: role, MsgpackDriverConfig: raw, Env: env, AllocDir: dir,
		StdoutPath: out, StderrPath: errp, AllocId: fmt.Sprintf("alloc-%d-%d", os.Getpid(), n),
		TaskGroupName: "conformance", JobName: "conformance", JobId: "conformance", Namespace: "default",
		Resources: &driverpb.Resources{AllocatedResources: &driverpb.AllocatedTaskResources{
			Cpu: &driverpb.AllocatedCpuResources{CpuShares: 100}, Memory: &driverpb.AllocatedMemoryResources{MemoryMb: 64}}},
	}
	return pt
}

// startTask starts a prepared task and makes sure it is destroyed afterwards.
func startTask(t *T, d *host.Driver, pt *preparedTask) *driverpb.StartTaskResponse {
	r, err := d.StartTask(t.Ctx, pt.Config)
	t.Check(err, "StartTask %s", pt.Role.Role)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = d.StopTask(ctx, pt.Config.Id, time.Second, "")
		_ = d.DestroyTask(ctx, pt.Config.Id, true)
	})
	return r
}
