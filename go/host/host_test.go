package host_test

import (
	"bytes"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/yurt-sdk/yurt/go/host"
	"github.com/yurt-sdk/yurt/go/plugin/base"
	"github.com/yurt-sdk/yurt/go/plugin/device"
	"github.com/yurt-sdk/yurt/go/plugin/driver"
)

var (
	buildOnce sync.Once
	fakePath  string
	buildErr  error
	buildDir  string
)

// fakePlugin builds the repository's fake plugin (go/internal/fakeplugin)
// once per test binary run, as "fake" (the name it reports).
func fakePlugin(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := mkdirTemp()
		if err != nil {
			buildErr = err
			return
		}
		buildDir = dir
		fakePath = filepath.Join(dir, "fake")
		out, err := exec.Command("go", "build", "-o", fakePath, "../internal/fakeplugin").CombinedOutput()
		if err != nil {
			buildErr = err
			fakePath = string(out)
		}
	})
	require.NoError(t, buildErr, fakePath)
	return fakePath
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return c
}

func launch(t *testing.T, o host.Options) *host.Plugin {
	t.Helper()
	p, err := host.Launch(ctx(t), o)
	require.NoError(t, err)
	t.Cleanup(p.Kill)
	return p
}

func TestLaunchAutoMTLSAndReattach(t *testing.T) {
	p := launch(t, host.Options{Path: fakePlugin(t), Args: []string{"driver"}})
	info, err := p.PluginInfo(ctx(t))
	require.NoError(t, err)
	assert.Equal(t, host.PluginInfo{Type: host.PluginTypeDriver, Name: "fake", PluginVersion: "0.1.0", APIVersions: []string{"0.1.0"}}, info)
	api, err := host.SelectAPIVersion(info.Type, info.APIVersions)
	require.NoError(t, err)
	assert.Equal(t, "0.1.0", api, "Nomad returns the plugin's own spelling")

	rec := p.Record()
	require.NotNil(t, rec.TLS, "AutoMTLS launch must keep TLS material for reattach")
	assert.Equal(t, "grpc", rec.Protocol)
	assert.Equal(t, 2, rec.ProtocolVersion)
	assert.Equal(t, "unix", rec.Network)

	// Round-trip the record through JSON as a state store would.
	b, err := host.MarshalRecord(rec)
	require.NoError(t, err)
	rec2, err := host.UnmarshalRecord(b)
	require.NoError(t, err)

	// A second client reattaches while the first is still connected.
	p2, err := host.Reattach(ctx(t), rec2, host.ReattachOptions{})
	require.NoError(t, err)
	_, err = p2.PluginInfo(ctx(t))
	require.NoError(t, err, "reattach over TLS with the stored material")
	require.NoError(t, p2.Detach())

	// Without the TLS material the plugin refuses the connection.
	plain := rec2
	plain.TLS = nil
	p3, err := host.Reattach(ctx(t), plain, host.ReattachOptions{})
	if err == nil {
		short, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		_, err = p3.PluginInfo(short)
		_ = p3.Detach()
	}
	require.Error(t, err, "plaintext client must not reach an mTLS plugin")

	// A host with a different client certificate is refused too.
	other := launch(t, host.Options{Path: fakePlugin(t), Args: []string{"driver"}})
	mixed := rec2
	mixed.TLS = &host.TLSRecord{ClientCertPEM: other.Record().TLS.ClientCertPEM, ClientKeyPEM: other.Record().TLS.ClientKeyPEM, ServerCertPEM: rec2.TLS.ServerCertPEM}
	p4, err := host.Reattach(ctx(t), mixed, host.ReattachOptions{})
	if err == nil {
		short, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		_, err = p4.PluginInfo(short)
		_ = p4.Detach()
	}
	require.Error(t, err, "plugin must refuse a client certificate it was not given")

	// The original client still works, and Kill stops the process.
	_, err = p.PluginInfo(ctx(t))
	require.NoError(t, err)
	start := time.Now()
	p.Kill()
	assert.True(t, p.Exited())
	assert.Less(t, time.Since(start), 2*time.Second, "Shutdown should end the plugin before the SIGKILL grace")
}

func TestLaunchPlaintextReattachAfterDetach(t *testing.T) {
	// A detached plugin keeps its socket dir (the reattaching host needs
	// it), so a Launch-owned one would outlive Kill: a host that detaches
	// owns the dir, as the agent does with its data dir.
	sockets, err := os.MkdirTemp("", "yh")
	require.NoError(t, err)
	t.Cleanup(func() { _ = os.RemoveAll(sockets) })
	p := launch(t, host.Options{Path: fakePlugin(t), Args: []string{"device"}, DisableAutoMTLS: true, SocketDir: sockets})
	rec := p.Record()
	assert.Nil(t, rec.TLS)
	require.NoError(t, p.Detach())
	p2, err := host.Reattach(ctx(t), rec, host.ReattachOptions{})
	require.NoError(t, err)
	t.Cleanup(p2.Kill)
	info, err := p2.PluginInfo(ctx(t))
	require.NoError(t, err)
	assert.Equal(t, host.PluginTypeDevice, info.Type)
	require.NoError(t, p2.Ping(ctx(t)))
}

func TestLaunchErrors(t *testing.T) {
	_, err := host.Launch(ctx(t), host.Options{})
	require.ErrorContains(t, err, "Options.Path")
	_, err = host.Launch(ctx(t), host.Options{Path: filepath.Join(t.TempDir(), "missing")})
	require.ErrorContains(t, err, "missing")
	// A plugin that exits without a handshake (bad mode) fails cleanly.
	_, err = host.Launch(ctx(t), host.Options{Path: fakePlugin(t), Args: []string{"nonsense"}})
	require.Error(t, err)
}

func TestMalformedPluginLogsDoNotPanic(t *testing.T) {
	var mu sync.Mutex
	var lines []host.LogLine
	var raw bytes.Buffer
	p := launch(t, host.Options{
		Path: fakePlugin(t), Args: []string{"driver"}, Env: []string{"FAKEPLUGIN_FAULT=bad-logs"},
		Stderr: lockedWriter{&mu, &raw},
		LogObserver: func(l host.LogLine) {
			mu.Lock()
			defer mu.Unlock()
			lines = append(lines, l)
		},
	})
	_, err := p.PluginInfo(ctx(t))
	require.NoError(t, err)
	mu.Lock()
	defer mu.Unlock()
	var problems []string
	var good int
	for _, l := range lines {
		if l.Problem != "" {
			problems = append(problems, l.Problem)
		}
		if l.JSON && l.Message == "fine" {
			good++
		}
	}
	assert.Contains(t, problems, "@message is not a string")
	assert.Contains(t, problems, "@level is not a string")
	assert.Equal(t, 1, good)
	assert.Contains(t, raw.String(), `"@message":123`)
}

type lockedWriter struct {
	mu *sync.Mutex
	b  *bytes.Buffer
}

func (w lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

func TestSetConfigAndFingerprint(t *testing.T) {
	p := launch(t, host.Options{Path: fakePlugin(t), Args: []string{"driver"}})
	spec, err := p.ConfigSchema(ctx(t))
	require.NoError(t, err)
	v, err := host.ParseConfigHCL(spec, []byte(`greeting = "hello"`), "plugin.hcl")
	require.NoError(t, err, "the schema came through")
	require.NoError(t, p.SetConfig(ctx(t), host.SetConfigRequest{Value: &v, Agent: &base.AgentConfig{ClientMinPort: 20000, ClientMaxPort: 32000}}))
	// Malformed msgpack is an error, and the plugin keeps serving.
	err = p.SetConfig(ctx(t), host.SetConfigRequest{Msgpack: []byte{0xc1}})
	require.ErrorContains(t, err, "msgpack_config")
	err = p.SetConfig(ctx(t), host.SetConfigRequest{Value: &v, Msgpack: []byte{1}})
	require.ErrorContains(t, err, "got both")

	s, err := p.Driver().Fingerprint(ctx(t))
	require.NoError(t, err)
	fp, err := s.Recv()
	require.NoError(t, err)
	assert.Equal(t, driver.HealthStateHealthy, fp.Health)
	assert.Equal(t, base.NewStringAttribute("hello"), fp.Attributes["driver.fake.greeting"])
}

func TestFollowReconnects(t *testing.T) {
	p := launch(t, host.Options{Path: fakePlugin(t), Args: []string{"driver"}, Env: []string{"FAKEPLUGIN_FAULT=fingerprint-once"}, DisableAutoMTLS: true})
	c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var msgs, ends int
	err := p.Driver().FollowFingerprint(c, host.Backoff{Initial: 10 * time.Millisecond, Max: 50 * time.Millisecond},
		func(*driver.Fingerprint) {
			msgs++
			if msgs == 3 {
				cancel()
			}
		},
		func(ev host.StreamEvent) { ends++ })
	require.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, 3, msgs)
	assert.GreaterOrEqual(t, ends, 2, "each closed stream must be reported and reopened")
}

// TestFingerprintHealthFollowsNomad: the health shown follows the last
// fingerprint; a message with err and a failed stream make the driver
// unhealthy (drivermanager/instance.go handleFingerprintError); a failed
// stream that delivered messages is reopened at once.
func TestFingerprintHealthFollowsNomad(t *testing.T) {
	p := launch(t, host.Options{Path: fakePlugin(t), Args: []string{"driver"}, Env: []string{"FAKEPLUGIN_FAULT=fingerprint-fails"}, DisableAutoMTLS: true})
	c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var seen []host.DriverHealth
	var ends []host.StreamEvent
	start := time.Now()
	var reopenedAfter time.Duration
	err := p.Driver().FollowFingerprint(c, host.NomadStreamBackoff,
		func(m *driver.Fingerprint) { seen = append(seen, host.HealthFromFingerprint(m)) },
		func(ev host.StreamEvent) {
			ends = append(ends, ev)
			if h, ok := host.HealthFromStreamEnd(ev); ok {
				seen = append(seen, h)
			}
			reopenedAfter = ev.Retry
			// The second stream stays open and silent: stop after a moment.
			go func() { time.Sleep(500 * time.Millisecond); cancel() }()
		})
	require.ErrorIs(t, err, context.Canceled)
	require.Len(t, ends, 1)
	assert.Zero(t, reopenedAfter, "a stream that delivered messages is reopened at once, as Nomad does")
	assert.Less(t, time.Since(start), 5*time.Second)
	require.Len(t, seen, 3)
	assert.Equal(t, host.DriverHealth{Health: "healthy", Description: "ok"}, seen[0])
	assert.Equal(t, host.DriverHealth{Health: "unhealthy", Description: "failed to fingerprint driver: probe broke"}, seen[1])
	assert.Equal(t, "unhealthy", seen[2].Health)
	assert.Contains(t, seen[2].Description, "failed to fingerprint driver: ")
	assert.Contains(t, seen[2].Description, "fingerprint source went away")

	_, ok := host.HealthFromStreamEnd(host.StreamEvent{Err: io.EOF})
	assert.False(t, ok, "a stream the plugin closes cleanly changes nothing")
}

func TestDriverLifecycle(t *testing.T) {
	p := launch(t, host.Options{Path: fakePlugin(t), Args: []string{"driver"}})
	d := p.Driver()
	c := ctx(t)
	caps, err := d.Capabilities(c)
	require.NoError(t, err)
	assert.True(t, caps.SendSignals)

	events := make(chan *driver.TaskEvent, 8)
	evs, err := d.TaskEvents(c)
	require.NoError(t, err)
	go func() {
		for {
			ev, err := evs.Recv()
			if err != nil {
				return
			}
			events <- ev
		}
	}()

	h, _, err := d.StartTask(c, &driver.TaskConfig{ID: "t1", Name: "short", Env: map[string]string{"RUN_MS": "200", "EXIT_CODE": "3"}})
	require.NoError(t, err)
	require.Equal(t, "t1", h.Config.ID)
	_, _, err = d.StartTask(c, &driver.TaskConfig{ID: "t1"})
	require.ErrorContains(t, err, "already started")

	insp, err := d.InspectTask(c, "t1")
	require.NoError(t, err)
	assert.Equal(t, driver.TaskStateRunning, insp.State)
	assert.Nil(t, insp.ExitResult, "a running task has no result (the wire's empty one is dropped)")
	res, err := d.WaitTask(c, "t1")
	require.NoError(t, err)
	assert.Equal(t, 3, res.ExitCode)
	res, err = d.WaitTask(c, "t1")
	require.NoError(t, err, "WaitTask after exit")
	assert.Equal(t, 3, res.ExitCode)
	select {
	case ev := <-events:
		assert.Equal(t, "t1", ev.TaskID)
	case <-time.After(5 * time.Second):
		t.Fatal("no task event")
	}
	// Replies Nomad's Go client cannot decode are errors naming the field.
	_, _, err = d.StartTask(c, &driver.TaskConfig{ID: "bad1", Env: map[string]string{"RUN_MS": "60000", "BAD_INSPECT": "no-completed-at"}})
	require.NoError(t, err)
	_, err = d.InspectTask(c, "bad1")
	require.ErrorIs(t, err, host.ErrNomadDecode)
	assert.Contains(t, err.Error(), "field task.completed_at: expected a timestamp")
	_, _, err = d.StartTask(c, &driver.TaskConfig{ID: "bad2", Env: map[string]string{"RUN_MS": "60000", "BAD_INSPECT": "state-9"}})
	require.NoError(t, err)
	_, err = d.InspectTask(c, "bad2")
	require.ErrorIs(t, err, host.ErrNomadDecode)
	assert.Contains(t, err.Error(), "field task.state: expected UNKNOWN, RUNNING or EXITED, got enum value 9")
	for _, id := range []string{"bad1", "bad2"} {
		require.NoError(t, d.StopTask(c, id, time.Second, "SIGKILL"))
	}

	// Stats at an interval.
	_, _, err = d.StartTask(c, &driver.TaskConfig{ID: "t2", Env: map[string]string{"RUN_MS": "60000"}})
	require.NoError(t, err)
	st, err := d.TaskStats(c, "t2", 50*time.Millisecond)
	require.NoError(t, err)
	for i := 0; i < 2; i++ {
		m, err := st.Recv()
		require.NoError(t, err)
		assert.Equal(t, "t2", m.ID)
		assert.NotNil(t, m.Aggregate)
	}
	require.NoError(t, d.SignalTask(c, "t2", "SIGUSR1"))
	ex, err := d.ExecTask(c, "t2", []string{"echo", "hi"}, time.Second)
	require.NoError(t, err)
	assert.Equal(t, "echo hi", string(ex.Stdout))
	assert.Equal(t, 0, ex.Exit.ExitCode)
	var out bytes.Buffer
	r, err := d.ExecStreaming(c, host.ExecOptions{TaskID: "t2", Command: []string{"cat", "-", "x"}, TTY: true, Stdin: strings.NewReader("ping"), Stdout: &out})
	require.NoError(t, err)
	assert.Equal(t, 3, r.ExitCode)
	assert.Equal(t, "tty:ping", out.String())

	err = d.DestroyTask(c, "t2", false)
	require.ErrorContains(t, err, "cannot destroy running task")
	require.NoError(t, d.StopTask(c, "t2", time.Second, "SIGTERM"))
	res, err = d.WaitTask(c, "t2")
	require.NoError(t, err)
	assert.Equal(t, 15, res.Signal)
	require.NoError(t, d.DestroyTask(c, "t2", false))

	_, err = d.InspectTask(c, "nope")
	assert.True(t, host.IsTaskNotFound(err), "%v", err)
	_, _, err = d.StartTask(c, &driver.TaskConfig{ID: "t3", Env: map[string]string{"FAIL_RECOVERABLE": "1"}})
	rec, present := host.Recoverable(err)
	assert.True(t, present && rec, "RecoverableError detail: %v", err)
	// A reply's result other than SUCCESS is an error, as in Nomad's client
	// (plugins/drivers/client.go StartTask): RETRY's is recoverable.
	_, _, err = d.StartTask(c, &driver.TaskConfig{ID: "t4", Env: map[string]string{"FAIL_RESULT": "RETRY"}})
	require.ErrorContains(t, err, "StartTask t4: result RETRY: image not pulled yet")
	assert.True(t, base.IsRecoverable(err), "RETRY is recoverable: %v", err)
	_, _, err = d.StartTask(c, &driver.TaskConfig{ID: "t5", Env: map[string]string{"FAIL_RESULT": "FATAL"}})
	require.ErrorContains(t, err, "StartTask t5: result FATAL: no such image")
	assert.False(t, base.IsRecoverable(err), "FATAL is not recoverable: %v", err)

	impl, err := d.Init(c)
	require.NoError(t, err)
	assert.False(t, impl, "the fake does not implement Init")
}

func TestRecoverTaskInFreshProcess(t *testing.T) {
	p := launch(t, host.Options{Path: fakePlugin(t), Args: []string{"driver"}})
	h, _, err := p.Driver().StartTask(ctx(t), &driver.TaskConfig{ID: "r1", Env: map[string]string{"RUN_MS": "300", "EXIT_CODE": "7"}})
	require.NoError(t, err)
	p.Kill()

	p2 := launch(t, host.Options{Path: fakePlugin(t), Args: []string{"driver"}})
	h.Config.DriverConfig = nil
	require.NoError(t, p2.Driver().RecoverTask(ctx(t), h))
	res, err := p2.Driver().WaitTask(ctx(t), "r1")
	require.NoError(t, err)
	assert.Equal(t, 7, res.ExitCode)

	// The id travels in handle.config.id only; without it the host refuses.
	err = p2.Driver().RecoverTask(ctx(t), &driver.TaskHandle{DriverState: h.DriverState})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "field handle.config.id: expected the task id")
}

func TestDevice(t *testing.T) {
	p := launch(t, host.Options{Path: fakePlugin(t), Args: []string{"device"}})
	dv := p.Device()
	c := ctx(t)
	fs, err := dv.Fingerprint(c)
	require.NoError(t, err)
	fp, err := fs.Recv()
	require.NoError(t, err)
	require.Len(t, fp.Groups, 1)
	assert.Len(t, fp.Groups[0].Devices, 2)
	res, err := dv.Reserve(c, []string{"sim-1"})
	require.NoError(t, err)
	assert.Equal(t, "sim-1", res.Envs["SIM_VISIBLE_DEVICES"])
	_, err = dv.Reserve(c, []string{"gpu-9"})
	require.ErrorContains(t, err, "gpu-9")

	sc, cancel := context.WithCancel(c)
	var got []*device.StatsResponse
	err = dv.FollowStats(sc, 20*time.Millisecond, host.Backoff{}, func(m *device.StatsResponse) {
		got = append(got, m)
		if len(got) == 2 {
			cancel()
		}
	}, nil)
	require.ErrorIs(t, err, context.Canceled)
	assert.Len(t, got[1].Groups[0].InstanceStats, 2)
}

// TestLaunchOwnsASocketDir: without Options.SocketDir, the plugin's socket
// lives in a temp dir of its own that Kill removes, so a plugin killed with
// -9 leaves nothing in the system temp dir; with it, the caller's dir is used.
func TestLaunchOwnsASocketDir(t *testing.T) {
	p, err := host.Launch(ctx(t), host.Options{Path: fakePlugin(t), Args: []string{"driver"}})
	require.NoError(t, err)
	addr := p.Record().Address
	dir := filepath.Dir(addr)
	require.True(t, strings.HasPrefix(filepath.Base(dir), "yurt-plugin-"), "socket %s", addr)
	require.NoError(t, syscall.Kill(p.Record().Pid, syscall.SIGKILL))
	p.Kill()
	require.NoDirExists(t, dir)

	mine := t.TempDir()
	p, err = host.Launch(ctx(t), host.Options{Path: fakePlugin(t), Args: []string{"driver"}, SocketDir: mine})
	require.NoError(t, err)
	t.Cleanup(p.Kill)
	require.Equal(t, mine, filepath.Dir(p.Record().Address))
}
