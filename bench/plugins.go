package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"google.golang.org/protobuf/types/known/durationpb"

	"github.com/yurt-sdk/yurt/go/gen/basepb"
	"github.com/yurt-sdk/yurt/go/gen/devicepb"
	"github.com/yurt-sdk/yurt/go/gen/driverpb"
	"github.com/yurt-sdk/yurt/go/host"
	"github.com/yurt-sdk/yurt/go/plugin/driver"
)

// Target is one plugin binary to measure.
type Target struct {
	ID       string
	Language string // go, python, rust
	Flavor   string // sdk, floor
	Kind     string // driver, device
	Path     string
	Args     []string
	Env      []string
	// Config is the HCL body of the plugin's config block; it may name
	// {{DIR}}, replaced with a scratch directory for the run.
	Config string
	// MTLS: the plugin serves AutoMTLS (the Python floor does not).
	MTLS bool
	// Tasks: a driver that runs real processes (floors answer InspectTask of
	// any ID without running anything).
	Tasks bool
	// Smoke: measured by the smoke configuration.
	Smoke bool
}

// Sizes are the repetition counts of a run.
type Sizes struct {
	Launches       int
	UnaryCalls     int
	Warmup         int
	StreamSeconds  float64
	StatsInterval  time.Duration
	Fingerprints   int
	LifecycleTasks int
	LifecycleMax   time.Duration
	HoldTasks      int
}

// Runner measures targets.
type Runner struct {
	Sizes   Sizes
	Scratch string    // scratch directory for configs and task files
	Log     io.Writer // progress lines
	NoRest  bool      // cold start and unary calls only
	// Interleaved: unary calls were timed by UnaryInterleaved, not per target by Measure.
	Interleaved bool
}

func (r *Runner) logf(f string, a ...any) {
	if r.Log != nil {
		fmt.Fprintf(r.Log, f+"\n", a...)
	}
}

// NewResult is the empty result of t.
func NewResult(t Target) PluginResult {
	return PluginResult{ID: t.ID, Language: t.Language, Flavor: t.Flavor, Kind: t.Kind, Path: t.Path,
		Baseline: BaselineFor(t), Values: map[string]float64{}, Ratios: map[string]float64{}, Errors: []string{}}
}

// Measure runs every measurement of t but cold start (ColdStarts) into res;
// a failing step is recorded in Errors and the others still run.
func (r *Runner) Measure(ctx context.Context, t Target, res *PluginResult) {
	fail := func(step string, err error) {
		res.Errors = append(res.Errors, fmt.Sprintf("%s: %v", step, err))
		r.logf("  %s: %s: %v", t.ID, step, err)
	}
	if _, err := os.Stat(t.Path); err != nil {
		fail("binary", err)
		return
	}
	modes := []bool{false}
	if t.MTLS {
		modes = append(modes, true)
	}
	for _, mtls := range modes {
		if r.Interleaved {
			break // UnaryInterleaved has measured them
		}
		sfx := suffix(mtls)
		r.logf("  %s: unary x%d (%s)", t.ID, r.Sizes.UnaryCalls, sfx)
		if err := r.session(ctx, t, mtls, func(s *session) error { return r.unary(ctx, s, res.Values, sfx) }); err != nil {
			fail("unary "+sfx, err)
		}
	}
	if r.NoRest {
		return
	}
	r.logf("  %s: streams, lifecycle, memory", t.ID)
	if err := r.session(ctx, t, t.MTLS, func(s *session) error { return r.rest(ctx, s, res.Values) }); err != nil {
		fail("streams/lifecycle/memory", err)
	}
}

func suffix(mtls bool) string {
	if mtls {
		return "mtls"
	}
	return "plain"
}

func (r *Runner) launch(ctx context.Context, t Target, mtls bool) (*host.Plugin, error) {
	return host.Launch(ctx, host.Options{Path: t.Path, Args: t.Args, Env: t.Env, DisableAutoMTLS: !mtls,
		StartTimeout: 30 * time.Second, Stderr: io.Discard})
}

// ColdStarts times spawn + handshake + first PluginInfo answered, Launches
// times per target and mode, and reads the plugin's on-CPU time at that
// moment. Launches go in rounds: one launch of each target per round, in an
// order shuffled afresh each round (roundOrder), so that a change of
// background load hits every target alike and no target always follows the
// same one. Results go into res[i].Values, and each launch into
// res[i].Samples, round by round, for paired ratios (paired.go).
func (r *Runner) ColdStarts(ctx context.Context, ts []Target, res []PluginResult) {
	for _, mtls := range []bool{false, true} {
		sfx := suffix(mtls)
		r.logf("cold start x%d, interleaved (%s)", r.Sizes.Launches, sfx)
		ds := make([][]time.Duration, len(ts))
		cpu := make([][]time.Duration, len(ts))
		failed := make([]bool, len(ts))
		for i := 0; i < r.Sizes.Launches; i++ {
			for _, j := range roundOrder(len(ts), i) {
				t := ts[j]
				if failed[j] || (mtls && !t.MTLS) {
					continue
				}
				if _, err := os.Stat(t.Path); err != nil {
					failed[j] = true
					continue
				}
				d, c, err := r.coldStart(ctx, t, mtls)
				if err != nil {
					failed[j] = true
					res[j].Errors = append(res[j].Errors, fmt.Sprintf("cold start %s, launch %d: %v", sfx, i+1, err))
					r.logf("  %s: cold start %s: %v", t.ID, sfx, err)
					continue
				}
				ds[j] = append(ds[j], d)
				if c >= 0 {
					cpu[j] = append(cpu[j], c)
				}
			}
		}
		for j := range ts {
			if !failed[j] && len(ds[j]) > 0 {
				res[j].Values["cold_p50_ms_"+sfx] = ms(percentile(ds[j], 0.5))
				res[j].Values["cold_p90_ms_"+sfx] = ms(percentile(ds[j], 0.9))
				addSamples(&res[j], "cold_p50_ms_"+sfx, ds[j], ms)
				if len(cpu[j]) == len(ds[j]) {
					res[j].Values["cold_cpu_p50_ms_"+sfx] = ms(percentile(cpu[j], 0.5))
					addSamples(&res[j], "cold_cpu_p50_ms_"+sfx, cpu[j], ms)
				}
			}
		}
	}
}

// addSamples stores ds, converted by unit, as res's per-round samples of key.
func addSamples(res *PluginResult, key string, ds []time.Duration, unit func(time.Duration) float64) {
	if res.Samples == nil {
		res.Samples = map[string][]float64{}
	}
	xs := make([]float64, len(ds))
	for i, d := range ds {
		xs[i] = unit(d)
	}
	res.Samples[key] = xs
}

// coldStart returns the wall time from spawn to the first PluginInfo
// answered, and the plugin process's on-CPU time then (-1 if unreadable).
func (r *Runner) coldStart(ctx context.Context, t Target, mtls bool) (time.Duration, time.Duration, error) {
	cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	start := time.Now()
	p, err := r.launch(cctx, t, mtls)
	if err != nil {
		return 0, 0, err
	}
	defer p.Kill()
	if _, err := basepb.NewBasePluginClient(p.Conn()).PluginInfo(cctx, &basepb.PluginInfoRequest{}); err != nil {
		return 0, 0, err
	}
	d := time.Since(start)
	c, err := onCPU(p.Record().Pid)
	if err != nil {
		c = -1
	}
	return d, c, nil
}

// session is a launched, configured plugin.
type session struct {
	t      Target
	p      *host.Plugin
	dir    string
	driver *host.Driver
	device *host.Device
	seq    int
}

func (r *Runner) session(ctx context.Context, t Target, mtls bool, fn func(*session) error) error {
	s, closeSession, err := r.openSession(ctx, t, mtls)
	if err != nil {
		return err
	}
	defer closeSession()
	return fn(s)
}

func (s *session) configure(ctx context.Context) error {
	spec, err := s.p.ConfigSchema(ctx)
	if err != nil {
		return fmt.Errorf("ConfigSchema: %w", err)
	}
	if s.t.Kind == "device" {
		// The file-backed device examples serve these two files.
		for _, f := range []string{"dev0", "dev1"} {
			if err := os.WriteFile(filepath.Join(s.dir, f), nil, 0o644); err != nil {
				return err
			}
		}
	}
	src := expand(s.t.Config, s.dir)
	raw, err := host.ConfigMsgpack(spec, []byte(src), s.t.ID+".hcl")
	if err != nil {
		return err
	}
	if err := s.p.SetConfig(ctx, host.SetConfigRequest{Msgpack: raw}); err != nil {
		return err
	}
	if s.t.Kind == "driver" {
		if _, err := s.p.Driver().Init(ctx); err != nil {
			return fmt.Errorf("Init: %w", err)
		}
	}
	return nil
}

// startTask starts a task running command with args, its output in files.
func (s *session) startTask(ctx context.Context, command string, args ...string) (string, error) {
	s.seq++
	id := fmt.Sprintf("bench-%d-%d", os.Getpid(), s.seq)
	spec, err := s.driver.TaskConfigSchema(ctx)
	if err != nil {
		return "", fmt.Errorf("TaskConfigSchema: %w", err)
	}
	src := fmt.Sprintf("command = %q\nargs = [", command)
	for i, a := range args {
		if i > 0 {
			src += ", "
		}
		src += fmt.Sprintf("%q", a)
	}
	src += "]\n"
	raw, err := host.ConfigMsgpack(spec, []byte(src), "task.hcl")
	if err != nil {
		return "", err
	}
	alloc := filepath.Join(s.dir, fmt.Sprintf("t%d", s.seq))
	if err := os.MkdirAll(filepath.Join(alloc, "local"), 0o755); err != nil {
		return "", err
	}
	cfg := &driver.TaskConfig{
		ID: id, Name: fmt.Sprintf("t%d", s.seq), DriverConfig: raw, AllocDir: alloc,
		StdoutPath: filepath.Join(alloc, "stdout"), StderrPath: filepath.Join(alloc, "stderr"),
		AllocID: fmt.Sprintf("alloc-%d", s.seq), TaskGroupName: "bench", JobName: "bench", JobID: "bench", Namespace: "default",
		Env: map[string]string{}, Resources: &driver.Resources{CPUShares: 100, MemoryMB: 64},
	}
	for _, f := range []string{cfg.StdoutPath, cfg.StderrPath} {
		if err := os.WriteFile(f, nil, 0o644); err != nil {
			return "", err
		}
	}
	if _, _, err := s.driver.StartTask(ctx, cfg); err != nil {
		return "", fmt.Errorf("StartTask: %w", err)
	}
	return id, nil
}

func (s *session) destroy(ctx context.Context, id string) error {
	dctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	_ = s.driver.StopTask(dctx, id, 200*time.Millisecond, "SIGKILL")
	return s.driver.DestroyTask(dctx, id, true)
}

// timeCalls runs call n times after warmup and returns p50 and p99.
func timeCalls(n, warmup int, call func() error) (p50, p99 time.Duration, err error) {
	for i := 0; i < warmup; i++ {
		if err := call(); err != nil {
			return 0, 0, err
		}
	}
	ds := make([]time.Duration, n)
	for i := range ds {
		start := time.Now()
		if err := call(); err != nil {
			return 0, 0, err
		}
		ds[i] = time.Since(start)
	}
	return percentile(ds, 0.5), percentile(ds, 0.99), nil
}

func (r *Runner) unary(ctx context.Context, s *session, v map[string]float64, sfx string) error {
	bc := basepb.NewBasePluginClient(s.p.Conn())
	p50, p99, err := timeCalls(r.Sizes.UnaryCalls, r.Sizes.Warmup, func() error {
		_, err := bc.PluginInfo(ctx, &basepb.PluginInfoRequest{})
		return err
	})
	if err != nil {
		return fmt.Errorf("PluginInfo: %w", err)
	}
	v["info_p50_us_"+sfx], v["info_p99_us_"+sfx] = us(p50), us(p99)
	if s.t.Kind != "driver" {
		return nil
	}
	id := "bench-floor-task"
	if s.t.Tasks {
		if id, err = s.startTask(ctx, "/bin/sleep", "3600"); err != nil {
			return err
		}
		defer s.destroy(ctx, id)
	}
	dc := driverpb.NewDriverClient(s.driver.Conn())
	p50, p99, err = timeCalls(r.Sizes.UnaryCalls, r.Sizes.Warmup, func() error {
		_, err := dc.InspectTask(ctx, &driverpb.InspectTaskRequest{TaskId: id})
		return err
	})
	if err != nil {
		return fmt.Errorf("InspectTask: %w", err)
	}
	v["inspect_p50_us_"+sfx], v["inspect_p99_us_"+sfx] = us(p50), us(p99)
	return nil
}

// rest measures streams, first fingerprint, lifecycle throughput and memory.
func (r *Runner) rest(ctx context.Context, s *session, v map[string]float64) error {
	var errs []error
	if err := r.firstFingerprint(ctx, s, v); err != nil {
		errs = append(errs, fmt.Errorf("fingerprint: %w", err))
	}
	m, err := memoryOf(s.p.Record().Pid)
	if err != nil {
		return errors.Join(append(errs, err)...)
	}
	v["rss_idle_mib"], v["rss_idle_peak_mib"] = float64(m.PluginRSS)/mib, float64(m.PluginHWM)/mib
	if s.t.Flavor == "floor" {
		return errors.Join(errs...)
	}
	if s.device != nil {
		if err := r.deviceStats(ctx, s, v); err != nil {
			errs = append(errs, fmt.Errorf("device stats: %w", err))
		}
		return errors.Join(errs...)
	}
	if !s.t.Tasks {
		return errors.Join(errs...)
	}
	if err := r.taskStats(ctx, s, v); err != nil {
		errs = append(errs, fmt.Errorf("task stats: %w", err))
	}
	if err := r.lifecycle(ctx, s, v); err != nil {
		errs = append(errs, fmt.Errorf("lifecycle: %w", err))
	}
	if err := r.hold(ctx, s, v); err != nil {
		errs = append(errs, fmt.Errorf("hold %d tasks: %w", r.Sizes.HoldTasks, err))
	}
	return errors.Join(errs...)
}

func (r *Runner) firstFingerprint(ctx context.Context, s *session, v map[string]float64) error {
	var ds []time.Duration
	for i := 0; i < r.Sizes.Fingerprints; i++ {
		fctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		start := time.Now()
		var err error
		if s.driver != nil {
			var st driverpb.Driver_FingerprintClient
			if st, err = driverpb.NewDriverClient(s.driver.Conn()).Fingerprint(fctx, &driverpb.FingerprintRequest{}); err == nil {
				_, err = st.Recv()
			}
		} else {
			var st devicepb.DevicePlugin_FingerprintClient
			if st, err = devicepb.NewDevicePluginClient(s.device.Conn()).Fingerprint(fctx, &devicepb.FingerprintRequest{}); err == nil {
				_, err = st.Recv()
			}
		}
		d := time.Since(start)
		cancel()
		if err != nil {
			if host.IsUnimplemented(err) && s.t.Flavor == "floor" {
				return nil
			}
			return err
		}
		ds = append(ds, d)
	}
	v["first_fingerprint_ms"] = ms(percentile(ds, 0.5))
	return nil
}

// countStream counts messages recv yields in StreamSeconds after the first.
func (r *Runner) countStream(recv func() error) (float64, error) {
	if err := recv(); err != nil {
		return 0, err
	}
	d := time.Duration(r.Sizes.StreamSeconds * float64(time.Second))
	start := time.Now()
	n := 0
	for time.Since(start) < d {
		if err := recv(); err != nil {
			return 0, err
		}
		n++
	}
	return float64(n) / time.Since(start).Seconds(), nil
}

func (r *Runner) deviceStats(ctx context.Context, s *session, v map[string]float64) error {
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	st, err := devicepb.NewDevicePluginClient(s.device.Conn()).Stats(sctx, &devicepb.StatsRequest{CollectionInterval: durationpb.New(r.Sizes.StatsInterval)})
	if err != nil {
		return err
	}
	rate, err := r.countStream(func() error { _, err := st.Recv(); return err })
	if err != nil {
		return err
	}
	v["device_stats_msgs_per_s"] = rate
	return nil
}

func (r *Runner) taskStats(ctx context.Context, s *session, v map[string]float64) error {
	id, err := s.startTask(ctx, "/bin/sleep", "3600")
	if err != nil {
		return err
	}
	defer s.destroy(ctx, id)
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	st, err := driverpb.NewDriverClient(s.driver.Conn()).TaskStats(sctx, &driverpb.TaskStatsRequest{TaskId: id, CollectionInterval: durationpb.New(r.Sizes.StatsInterval)})
	if err != nil {
		return err
	}
	rate, err := r.countStream(func() error { _, err := st.Recv(); return err })
	if err != nil {
		return err
	}
	v["task_stats_msgs_per_s"] = rate
	return nil
}

// lifecycle runs StartTask, WaitTask, DestroyTask of /bin/true in sequence,
// LifecycleTasks times or until LifecycleMax has passed (at least 3 tasks).
func (r *Runner) lifecycle(ctx context.Context, s *session, v map[string]float64) error {
	start := time.Now()
	n := 0
	for n < r.Sizes.LifecycleTasks && (n < 3 || time.Since(start) < r.Sizes.LifecycleMax) {
		id, err := s.startTask(ctx, "/bin/true")
		if err != nil {
			return err
		}
		wctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		res, err := s.driver.WaitTask(wctx, id)
		cancel()
		if err != nil {
			return fmt.Errorf("WaitTask: %w", err)
		}
		if res.ExitCode != 0 {
			return fmt.Errorf("task %s exited %d, expected 0", id, res.ExitCode)
		}
		if err := s.driver.DestroyTask(ctx, id, false); err != nil {
			return fmt.Errorf("DestroyTask: %w", err)
		}
		n++
	}
	v["lifecycle_tasks_per_s"] = float64(n) / time.Since(start).Seconds()
	return nil
}

// hold starts HoldTasks long tasks and reads the plugin's memory.
func (r *Runner) hold(ctx context.Context, s *session, v map[string]float64) error {
	var ids []string
	defer func() {
		for _, id := range ids {
			_ = s.destroy(ctx, id)
		}
	}()
	for i := 0; i < r.Sizes.HoldTasks; i++ {
		id, err := s.startTask(ctx, "/bin/sleep", "3600")
		if err != nil {
			return err
		}
		ids = append(ids, id)
	}
	// Let per-task goroutines, threads and buffers settle.
	time.Sleep(500 * time.Millisecond)
	m, err := memoryOf(s.p.Record().Pid)
	if err != nil {
		return err
	}
	v["rss_hold_mib"], v["rss_hold_peak_mib"] = float64(m.PluginRSS)/mib, float64(m.PluginHWM)/mib
	if len(ids) > 0 {
		v["task_side_kib_per_task"] = float64(m.OtherRSS) / 1024 / float64(len(ids))
	}
	return nil
}
