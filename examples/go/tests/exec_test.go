package tests

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/durationpb"

	"github.com/yurt-sdk/yurt/go/gen/basepb"
	"github.com/yurt-sdk/yurt/go/gen/driverpb"
	"github.com/yurt-sdk/yurt/go/hclspec"
	"github.com/yurt-sdk/yurt/go/plugin/supervise"
)

// fifoReader collects what a task writes to a FIFO, like a log collector.
type fifoReader struct {
	path string
	mu   sync.Mutex
	buf  bytes.Buffer
	done chan struct{}
}

func newFIFO(t *testing.T, dir, name string) *fifoReader {
	t.Helper()
	f := &fifoReader{path: filepath.Join(dir, name), done: make(chan struct{})}
	require.NoError(t, syscall.Mkfifo(f.path, 0o600))
	go func() {
		defer close(f.done)
		r, err := os.OpenFile(f.path, os.O_RDONLY, 0)
		if err != nil {
			return
		}
		defer r.Close()
		b := make([]byte, 4096)
		for {
			n, err := r.Read(b)
			f.mu.Lock()
			f.buf.Write(b[:n])
			f.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	return f
}

func (f *fifoReader) String() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.buf.String()
}

func (f *fifoReader) waitFor(t *testing.T, s string) {
	t.Helper()
	require.Eventually(t, func() bool { return strings.Contains(f.String(), s) }, 10*time.Second, 20*time.Millisecond,
		"waiting for %q in task output, have %q", s, f.String())
}

type driverHarness struct {
	t     *testing.T
	l     *launched
	c     driverpb.DriverClient
	alloc string
}

func newDriver(t *testing.T) *driverHarness {
	l := launch(t, "yurt-exec")
	require.NoError(t, configure(t, l, "default_stop_signal = \"SIGTERM\"\n"))
	return &driverHarness{t: t, l: l, c: driverpb.NewDriverClient(l.conn), alloc: t.TempDir()}
}

// taskConfig decodes the task's HCL with the driver's task schema.
func (h *driverHarness) taskConfig(id, src string, stdout, stderr string) *driverpb.TaskConfig {
	t := h.t
	schema, err := h.c.TaskConfigSchema(ctxT(t), &driverpb.TaskConfigSchemaRequest{})
	require.NoError(t, err)
	val, diags := hclspec.DecodeHCL([]byte(src), "task.hcl", specOf(t, schema.GetSpec()), nil)
	require.False(t, diags.HasErrors(), diags.Error())
	mp, err := hclspec.EncodeMsgpack(val)
	require.NoError(t, err)
	return &driverpb.TaskConfig{Id: id, Name: "task-" + id, AllocId: "alloc1", AllocDir: h.alloc, MsgpackDriverConfig: mp,
		Env: map[string]string{"FOO": "bar", "DIR": h.alloc}, StdoutPath: stdout, StderrPath: stderr}
}

func (h *driverHarness) start(id, src string) (*driverpb.StartTaskResponse, *fifoReader, *fifoReader) {
	t := h.t
	out, errf := newFIFO(t, t.TempDir(), "stdout"), newFIFO(t, t.TempDir(), "stderr")
	resp, err := h.c.StartTask(ctxT(t), &driverpb.StartTaskRequest{Task: h.taskConfig(id, src, out.path, errf.path)})
	require.NoError(t, err)
	t.Cleanup(func() {
		_, _ = h.c.DestroyTask(ctxT(t), &driverpb.DestroyTaskRequest{TaskId: id, Force: true})
	})
	return resp, out, errf
}

func (h *driverHarness) wait(id string) *driverpb.WaitTaskResponse {
	w, err := h.c.WaitTask(ctxT(h.t), &driverpb.WaitTaskRequest{TaskId: id})
	require.NoError(h.t, err)
	return w
}

const loop = `trap 'echo got-term; exit 7' TERM; trap 'echo got-usr1' USR1; echo ready; while :; do sleep 0.05; done`

func TestExecRunsTaskWithOutputAndExitCode(t *testing.T) {
	h := newDriver(t)
	resp, out, errf := h.start("t1", `command = "/bin/sh"
args = ["-c", "echo out $FOO; echo err >&2; exit 3"]
`)
	assert.Equal(t, driverpb.TaskState_RUNNING, resp.GetHandle().GetState())
	assert.NotEmpty(t, resp.GetHandle().GetDriverState())
	for i := 0; i < 3; i++ { // WaitTask may be called again after exit
		w := h.wait("t1")
		assert.Equal(t, int32(3), w.GetResult().GetExitCode())
		assert.Empty(t, w.GetErr())
	}
	<-out.done
	<-errf.done
	assert.Equal(t, "out bar\n", out.String())
	assert.Equal(t, "err\n", errf.String())
	insp, err := h.c.InspectTask(ctxT(t), &driverpb.InspectTaskRequest{TaskId: "t1"})
	require.NoError(t, err)
	assert.Equal(t, driverpb.TaskState_EXITED, insp.GetTask().GetState())
	assert.Equal(t, int32(3), insp.GetTask().GetResult().GetExitCode())
	assert.NotNil(t, insp.GetTask().GetCompletedAt())
}

func TestExecSignalStopDestroy(t *testing.T) {
	h := newDriver(t)
	_, out, _ := h.start("t2", "command = \"/bin/sh\"\nargs = [\"-c\", \""+strings.ReplaceAll(loop, `"`, `\"`)+"\"]\n")
	out.waitFor(t, "ready")

	_, err := h.c.SignalTask(ctxT(t), &driverpb.SignalTaskRequest{TaskId: "t2", Signal: "SIGUSR1"})
	require.NoError(t, err)
	out.waitFor(t, "got-usr1")
	_, err = h.c.SignalTask(ctxT(t), &driverpb.SignalTaskRequest{TaskId: "t2", Signal: "SIGNOPE"})
	assert.ErrorContains(t, err, `unknown signal "SIGNOPE"`)

	_, err = h.c.DestroyTask(ctxT(t), &driverpb.DestroyTaskRequest{TaskId: "t2"})
	assert.ErrorContains(t, err, "cannot destroy running task")

	_, err = h.c.StopTask(ctxT(t), &driverpb.StopTaskRequest{TaskId: "t2", Timeout: durationpb.New(5 * time.Second), Signal: "SIGTERM"})
	require.NoError(t, err)
	w := h.wait("t2")
	assert.Equal(t, int32(7), w.GetResult().GetExitCode(), "the task's own exit code after its TERM trap")
	out.waitFor(t, "got-term")

	_, err = h.c.DestroyTask(ctxT(t), &driverpb.DestroyTaskRequest{TaskId: "t2"})
	require.NoError(t, err)
	_, err = h.c.InspectTask(ctxT(t), &driverpb.InspectTaskRequest{TaskId: "t2"})
	require.Error(t, err)
	assert.Equal(t, "task not found for given id", status.Convert(err).Message())
}

func TestExecStopEscalatesToKill(t *testing.T) {
	h := newDriver(t)
	_, out, _ := h.start("t3", `command = "/bin/sh"
args = ["-c", "trap '' TERM; echo ready; while :; do sleep 0.05; done"]
`)
	out.waitFor(t, "ready")
	start := time.Now()
	_, err := h.c.StopTask(ctxT(t), &driverpb.StopTaskRequest{TaskId: "t3", Timeout: durationpb.New(300 * time.Millisecond)})
	require.NoError(t, err)
	assert.GreaterOrEqual(t, time.Since(start), 300*time.Millisecond)
	w := h.wait("t3")
	assert.Equal(t, int32(syscall.SIGKILL), w.GetResult().GetSignal())
	assert.Equal(t, int32(128+9), w.GetResult().GetExitCode())
}

// TestExecTaskSurvivesPluginDeath kills the plugin with SIGKILL while the
// task runs; a fresh plugin process recovers it from driver_state alone and
// reports the task's real exit code.
func TestExecTaskSurvivesPluginDeath(t *testing.T) {
	h := newDriver(t)
	gate := filepath.Join(h.alloc, "go")
	resp, out, _ := h.start("t4", `command = "/bin/sh"
args = ["-c", "echo waiting; while [ ! -f \"$DIR/go\" ]; do sleep 0.05; done; echo released; exit 42"]
`)
	out.waitFor(t, "waiting")
	// Whatever happens below, the task does not outlive the test.
	t.Cleanup(func() {
		if task, err := supervise.Reattach(resp.GetHandle().GetDriverState()); err == nil {
			_ = task.Destroy(context.Background())
		}
	})

	pid := h.l.client.ReattachConfig().Pid
	require.NoError(t, syscall.Kill(pid, syscall.SIGKILL))
	require.Eventually(t, func() bool { return syscall.Kill(pid, 0) != nil }, 5*time.Second, 20*time.Millisecond)
	h.l.client.Kill()

	h2 := newDriver(t)
	h2.alloc = h.alloc
	handle := resp.GetHandle()
	handle.Config.MsgpackDriverConfig = nil // as Nomad sends it to RecoverTask
	// As Nomad sends it: the handle alone, task_id empty.
	_, err := h2.c.RecoverTask(ctxT(t), &driverpb.RecoverTaskRequest{Handle: handle})
	require.NoError(t, err)
	_, err = h2.c.RecoverTask(ctxT(t), &driverpb.RecoverTaskRequest{TaskId: "t4", Handle: handle})
	require.NoError(t, err, "recovering a known task is not an error")
	insp, err := h2.c.InspectTask(ctxT(t), &driverpb.InspectTaskRequest{TaskId: "t4"})
	require.NoError(t, err)
	assert.Equal(t, driverpb.TaskState_RUNNING, insp.GetTask().GetState())

	require.NoError(t, os.WriteFile(gate, nil, 0o600))
	w := h2.wait("t4")
	assert.Equal(t, int32(42), w.GetResult().GetExitCode())
	out.waitFor(t, "released") // the FIFO writer outlived the plugin
	_, err = h2.c.DestroyTask(ctxT(t), &driverpb.DestroyTaskRequest{TaskId: "t4"})
	require.NoError(t, err)

	// A handle whose state is gone cannot be recovered, and says why.
	_, err = h2.c.RecoverTask(ctxT(t), &driverpb.RecoverTaskRequest{TaskId: "t4", Handle: handle})
	assert.ErrorContains(t, err, `reattach task "t4"`)
	_, err = h2.c.RecoverTask(ctxT(t), &driverpb.RecoverTaskRequest{TaskId: "t5", Handle: &driverpb.TaskHandle{Config: &driverpb.TaskConfig{Id: "t5"}}})
	assert.ErrorContains(t, err, "handle has no driver state")
}

func TestExecInTask(t *testing.T) {
	h := newDriver(t)
	// Nomad's layout: the task's own directory in the alloc dir is its
	// working directory.
	require.NoError(t, os.Mkdir(filepath.Join(h.alloc, "task-t6"), 0o777))
	_, out, _ := h.start("t6", "command = \"/bin/sh\"\nargs = [\"-c\", \""+strings.ReplaceAll(loop, `"`, `\"`)+"\"]\n")
	out.waitFor(t, "ready")

	ex, err := h.c.ExecTask(ctxT(t), &driverpb.ExecTaskRequest{TaskId: "t6", Command: []string{"/bin/sh", "-c", "echo $FOO; pwd; echo e >&2; exit 4"},
		Timeout: durationpb.New(5 * time.Second)})
	require.NoError(t, err)
	// stderr merged into stdout, as Nomad's executor returns it.
	assert.Equal(t, "bar\n"+filepath.Join(h.alloc, "task-t6")+"\ne\n", string(ex.GetStdout()))
	assert.Empty(t, ex.GetStderr())
	assert.Equal(t, int32(4), ex.GetResult().GetExitCode())

	// Streaming exec with a real TTY: the size we set is what stty sees.
	s, err := h.c.ExecTaskStreaming(ctxT(t))
	require.NoError(t, err)
	require.NoError(t, s.Send(&driverpb.ExecTaskStreamingRequest{Setup: &driverpb.ExecTaskStreamingRequest_Setup{
		TaskId: "t6", Command: []string{"/bin/sh", "-c", "read x; stty size; tty; exit 5"}, Tty: true}}))
	require.NoError(t, s.Send(&driverpb.ExecTaskStreamingRequest{TtySize: &driverpb.ExecTaskStreamingRequest_TerminalSize{Height: 30, Width: 100}}))
	time.Sleep(100 * time.Millisecond) // let the resize land before the command reads
	require.NoError(t, s.Send(&driverpb.ExecTaskStreamingRequest{Stdin: &driverpb.ExecTaskStreamingIOOperation{Data: []byte("go\n")}}))
	var stdout bytes.Buffer
	var result *driverpb.ExitResult
	for {
		m, err := s.Recv()
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		stdout.Write(m.GetStdout().GetData())
		if m.GetExited() {
			result = m.GetResult()
		}
	}
	require.NotNil(t, result)
	assert.Equal(t, int32(5), result.GetExitCode())
	assert.Contains(t, stdout.String(), "30 100")
	assert.Contains(t, stdout.String(), "/dev/pts/")

	// Without a TTY: stdin in, separate stdout and stderr out.
	s, err = h.c.ExecTaskStreaming(ctxT(t))
	require.NoError(t, err)
	require.NoError(t, s.Send(&driverpb.ExecTaskStreamingRequest{Setup: &driverpb.ExecTaskStreamingRequest_Setup{
		TaskId: "t6", Command: []string{"/bin/sh", "-c", "cat; echo oops >&2; exit 6"}}}))
	require.NoError(t, s.Send(&driverpb.ExecTaskStreamingRequest{Stdin: &driverpb.ExecTaskStreamingIOOperation{Data: []byte("piped")}}))
	require.NoError(t, s.Send(&driverpb.ExecTaskStreamingRequest{Stdin: &driverpb.ExecTaskStreamingIOOperation{Close: true}}))
	var o, e bytes.Buffer
	result = nil
	for {
		m, err := s.Recv()
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		o.Write(m.GetStdout().GetData())
		e.Write(m.GetStderr().GetData())
		if m.GetExited() {
			result = m.GetResult()
		}
	}
	assert.Equal(t, "piped", o.String())
	assert.Equal(t, "oops\n", e.String())
	require.NotNil(t, result)
	assert.Equal(t, int32(6), result.GetExitCode())
}

func TestExecStats(t *testing.T) {
	h := newDriver(t)
	_, out, _ := h.start("t7", "command = \"/bin/sh\"\nargs = [\"-c\", \""+strings.ReplaceAll(loop, `"`, `\"`)+"\"]\n")
	out.waitFor(t, "ready")
	ss, err := h.c.TaskStats(ctxT(t), &driverpb.TaskStatsRequest{TaskId: "t7", CollectionInterval: durationpb.New(200 * time.Millisecond)})
	require.NoError(t, err)
	first, err := ss.Recv()
	require.NoError(t, err)
	second, err := ss.Recv()
	require.NoError(t, err)
	assert.Greater(t, first.GetStats().GetAggResourceUsage().GetMemory().GetRss(), uint64(0))
	assert.Contains(t, second.GetStats().GetAggResourceUsage().GetCpu().GetMeasuredFields(), driverpb.CPUUsage_PERCENT)
	gap := second.GetStats().GetTimestamp().AsTime().Sub(first.GetStats().GetTimestamp().AsTime())
	assert.True(t, gap >= 100*time.Millisecond && gap < 2*time.Second, "stats 200ms apart, got %s", gap)
}

func TestExecStartErrors(t *testing.T) {
	h := newDriver(t)
	_, err := h.c.StartTask(ctxT(t), &driverpb.StartTaskRequest{Task: h.taskConfig("bad1", "command = \"\"\n", "", "")})
	assert.ErrorContains(t, err, `config.command is empty`)
	_, err = h.c.StartTask(ctxT(t), &driverpb.StartTaskRequest{Task: h.taskConfig("bad2", "command = \"/nonexistent/prog\"\n", "", "")})
	assert.ErrorContains(t, err, `could not start: command "/nonexistent/prog": no such file or directory`)
	_, err = h.c.StartTask(ctxT(t), &driverpb.StartTaskRequest{Task: &driverpb.TaskConfig{Id: "bad3", MsgpackDriverConfig: []byte{0x80}}})
	assert.ErrorContains(t, err, "decoding config")

	// Plugin config errors name the field.
	err = configure(t, h.l, "start_timeout = \"soon\"\n")
	assert.ErrorContains(t, err, `config.start_timeout: expected a positive duration`)
	err = configure(t, h.l, "default_stop_signal = \"SIGWHAT\"\n")
	assert.ErrorContains(t, err, `config.default_stop_signal: unknown signal "SIGWHAT"`)

	// Identity and capabilities.
	info, err := basepb.NewBasePluginClient(h.l.conn).PluginInfo(ctxT(t), &basepb.PluginInfoRequest{})
	require.NoError(t, err)
	assert.Equal(t, "yurt-exec", info.GetName())
	caps, err := h.c.Capabilities(ctxT(t), &driverpb.CapabilitiesRequest{})
	require.NoError(t, err)
	assert.True(t, caps.GetCapabilities().GetExec())
	fs, err := h.c.Fingerprint(ctxT(t), &driverpb.FingerprintRequest{})
	require.NoError(t, err)
	fp, err := fs.Recv()
	require.NoError(t, err)
	assert.Equal(t, driverpb.FingerprintResponse_HEALTHY, fp.GetHealth())
}

func TestExecAsUser(t *testing.T) {
	h := newDriver(t)
	// The task user must be able to reach its task dir.
	require.NoError(t, os.Chmod(filepath.Dir(h.alloc), 0o755))
	require.NoError(t, os.Chmod(h.alloc, 0o777)) // as Nomad creates task dirs
	cfg := h.taskConfig("u1", "command = \"/bin/sh\"\nargs = [\"-c\", \"id -u; exit 0\"]\n", "", "")
	cfg.User = "nobody"
	out := newFIFO(t, t.TempDir(), "stdout")
	cfg.StdoutPath = out.path
	_, err := h.c.StartTask(ctxT(t), &driverpb.StartTaskRequest{Task: cfg})
	if os.Geteuid() != 0 {
		assert.ErrorContains(t, err, `user "nobody": running a task as another user needs the plugin to run as root`)
		return
	}
	require.NoError(t, err)
	t.Cleanup(func() { _, _ = h.c.DestroyTask(ctxT(t), &driverpb.DestroyTaskRequest{TaskId: "u1", Force: true}) })
	assert.Equal(t, int32(0), h.wait("u1").GetResult().GetExitCode())
	<-out.done
	assert.Equal(t, "65534\n", out.String())

	cfg = h.taskConfig("u2", "command = \"/bin/true\"\n", "", "")
	cfg.User = "no-such-user-xyz"
	_, err = h.c.StartTask(ctxT(t), &driverpb.StartTaskRequest{Task: cfg})
	assert.ErrorContains(t, err, `user "no-such-user-xyz": no such user`)
}

// A background child is gone once its task's main process exits; a busy
// task shows about one core, and the MHz that the SetConfig topology gives.
func TestExecBackgroundChildAndBusyStats(t *testing.T) {
	h := newDriver(t)
	c := basepb.NewBasePluginClient(h.l.conn)
	_, err := c.SetConfig(ctxT(t), &basepb.SetConfigRequest{PluginApiVersion: "v0.1.0", NomadConfig: &basepb.NomadConfig{
		Driver: &basepb.NomadDriverConfig{Topology: &basepb.ClientTopology{Cores: []*basepb.ClientTopologyCore{
			{CoreId: 0, BaseSpeed: 3000}, {CoreId: 1, BaseSpeed: 3000}}}}}})
	require.NoError(t, err)

	pidFile := filepath.Join(h.alloc, "bg.pid")
	_, _, _ = h.start("bg", `command = "/bin/sh"
args = ["-c", "sleep 3600 & echo $! > `+pidFile+`; exit 0"]
`)
	assert.Equal(t, int32(0), h.wait("bg").GetResult().GetExitCode())
	b, err := os.ReadFile(pidFile)
	require.NoError(t, err)
	var pid int
	_, err = fmt.Sscan(string(b), &pid)
	require.NoError(t, err)
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	assert.True(t, err != nil || !strings.Contains(string(stat), "(sleep)"), "background child %d outlived its task", pid)

	_, _, _ = h.start("busy", `command = "/bin/sh"
args = ["-c", "while :; do :; done"]
`)
	insp, err := h.c.InspectTask(ctxT(t), &driverpb.InspectTaskRequest{TaskId: "busy"})
	require.NoError(t, err)
	busyPid, err := strconv.Atoi(insp.GetDriver().GetAttributes()["pid"])
	require.NoError(t, err)
	ticks := func() float64 { // user+system clock ticks, straight from /proc
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", busyPid))
		require.NoError(t, err)
		f := strings.Fields(string(b)[strings.LastIndexByte(string(b), ')')+2:])
		u, _ := strconv.ParseFloat(f[11], 64)
		s, _ := strconv.ParseFloat(f[12], 64)
		return u + s
	}
	time.Sleep(time.Second)
	ss, err := h.c.TaskStats(ctxT(t), &driverpb.TaskStatsRequest{TaskId: "busy", CollectionInterval: durationpb.New(time.Second)})
	require.NoError(t, err)
	first, err := ss.Recv()
	require.NoError(t, err)
	ticksA := ticks()
	m, err := ss.Recv()
	require.NoError(t, err)
	ticksB := ticks()
	cpu := m.GetStats().GetAggResourceUsage().GetCpu()
	gap := m.GetStats().GetTimestamp().AsTime().Sub(first.GetStats().GetTimestamp().AsTime()).Seconds()
	// The shared machine may give the loop less than a core: compare with
	// what /proc says it got over the same interval.
	assert.InDelta(t, (ticksB-ticksA)/100/gap*100, cpu.GetPercent(), 25, "percent of one core over the interval")
	assert.LessOrEqual(t, cpu.GetPercent(), 110.0)
	assert.InDelta(t, cpu.GetPercent()/100*3000, cpu.GetTotalTicks(), 1e-6, "MHz = percent/100 * 6000 MHz / 2 cores")
	assert.Contains(t, cpu.GetMeasuredFields(), driverpb.CPUUsage_TOTAL_TICKS)
}
