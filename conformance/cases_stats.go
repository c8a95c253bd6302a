package conformance

import (
	"context"
	"math"
	"slices"
	"time"

	"github.com/yurt-sdk/yurt/go/host"
	"github.com/yurt-sdk/yurt/go/plugin/driver"
)

// Where the optional RPCs are listed. TaskStats and device Stats are optional:
// a plugin may answer them Unimplemented (every Yurt SDK does when the method
// is left out), and Nomad logs that and retries with back-off; the task or
// devices work on. So the cases that judge stats are skipped then, and any
// other error still fails them.
const (
	driverOptionalTable = "optional-RPC table in proto/hashicorp/nomad/plugins/drivers/proto/driver.proto"
	deviceOptionalTable = "optional-RPC table in proto/hashicorp/nomad/plugins/device/device.proto"
)

// skipIfUnimplemented ends the case as skipped when err is the plugin's
// Unimplemented answer to the optional RPC rpc; any other error is the
// caller's to judge.
func skipIfUnimplemented(t *T, rpc, table string, err error) {
	if host.IsUnimplemented(err) {
		t.Skipf("not applicable: %s answers Unimplemented (%v); it is optional (%s)", rpc, err, table)
	}
}

// optionalRecv wraps the Recv of an optional RPC's stream for holdOpen: an
// Unimplemented answer is noted and then reads as a stream held open until ctx
// ends, so the case goes on to judge its other streams. Any other error is
// returned as it came.
func optionalRecv(ctx context.Context, t *T, rpc, table string, recv func() error) func() error {
	return func() error {
		err := recv()
		if host.IsUnimplemented(err) {
			t.Logf("%s answers Unimplemented, not checked: it is optional (%s)", rpc, table)
			<-ctx.Done()
			return ctx.Err()
		}
		return err
	}
}

// clockTicks is USER_HZ, the unit of utime/stime in /proc/<pid>/stat (100 on
// every Linux architecture Nomad supports).
const clockTicks = 100

// taskCPUTicks sums utime+stime over the task's live processes (marker scan).
func taskCPUTicks(pt *preparedTask) uint64 {
	var sum uint64
	for _, p := range pt.procs() {
		if st, err := readProcStat(p.Pid); err == nil {
			sum += st.UserTicks + st.SysTicks
		}
	}
	return sum
}

func statsCases() []Case {
	return []Case{
		{ID: "driver/stats-interval", Level: Required, Kind: DriverPlugin,
			Doc: "TaskStats sends at the requested collection interval (mean gap between 0.6× and 2× the interval + 250 ms; skipped when TaskStats answers Unimplemented: it is optional)",
			Run: caseDriverStatsInterval},
		{ID: "driver/stats-busy", Level: Required, Kind: DriverPlugin,
			// Units are Nomad's (client/lib/cpustats/stats.go, and
			// `nomad alloc status -stats` prints total_ticks as MHz): percent
			// of one core over the interval, total_ticks = percent/100 × total
			// compute / cores. The reference percent is the task's own CPU use
			// read by the harness from /proc over the same window, which is
			// 100 for a busy loop on an idle machine and less on a loaded one.
			Doc: "for a busy loop, TaskStats percent is the task's CPU use in % of one core (within 15 points of the harness's own /proc measurement, ~100), total_ticks is percent/100 × total compute / cores of the topology sent in SetConfig (±15%), both are in measured_fields, and memory RSS is > 0 and measured (skipped when TaskStats answers Unimplemented: it is optional)",
			Run: caseDriverStatsBusy},
	}
}

// caseDriverStatsInterval is case driver/stats-interval.
func caseDriverStatsInterval(t *T) {
	_, d := driverSession(t)
	pt := prepareTask(t, d, RoleLongRunning)
	startTask(t, d, pt)
	const iv = 300 * time.Millisecond
	ctx, cancel := waitCtx(t, 10*time.Second)
	defer cancel()
	s, err := d.TaskStats(ctx, pt.Config.ID, iv)
	skipIfUnimplemented(t, "TaskStats", driverOptionalTable, err)
	t.Check(err, "TaskStats")
	var at []time.Time
	for len(at) < 8 {
		if _, err := s.Recv(); err != nil {
			if len(at) == 0 {
				skipIfUnimplemented(t, "TaskStats", driverOptionalTable, err)
			}
			t.Fatalf("TaskStats message %d: %v", len(at)+1, err)
		}
		at = append(at, time.Now())
	}
	// The first message may come at once; judge the gaps after it.
	mean := at[len(at)-1].Sub(at[1]) / time.Duration(len(at)-2)
	lo, hi := iv*6/10, 2*iv+250*time.Millisecond
	if mean < lo || mean > hi {
		t.Errorf("TaskStats with collection_interval %s: expected a mean gap between %s and %s, got %s", iv, lo, hi, mean.Round(time.Millisecond))
	} else {
		t.Logf("mean gap %s for %s", mean.Round(time.Millisecond), iv)
	}
}

// caseDriverStatsBusy is case driver/stats-busy.
func caseDriverStatsBusy(t *T) {
	_, d := driverSession(t)
	pt := prepareTask(t, d, RoleBusy)
	startTask(t, d, pt)
	pt.mainPid(t)
	time.Sleep(time.Second)
	ctx, cancel := waitCtx(t, 15*time.Second)
	defer cancel()
	s, err := d.TaskStats(ctx, pt.Config.ID, time.Second)
	skipIfUnimplemented(t, "TaskStats", driverOptionalTable, err)
	t.Check(err, "TaskStats")
	total, cores := topologyCompute(hostTopology())
	var percents, refs []float64
	var prevTicks uint64
	var prevAt time.Time
	for i := 0; i < 5; i++ {
		m, err := s.Recv()
		if i == 0 {
			skipIfUnimplemented(t, "TaskStats", driverOptionalTable, err)
		}
		t.Check(err, "TaskStats message %d", i+1)
		now, ticks := time.Now(), taskCPUTicks(pt)
		cpu, mem := usageParts(m)
		if i == 0 {
			if !slices.Contains(cpu.Measured, driver.CPUPercent) || !slices.Contains(cpu.Measured, driver.CPUTotalTicks) {
				t.Errorf("cpu.measured_fields: expected PERCENT and TOTAL_TICKS, got %v", cpuFieldNames(cpu.Measured))
			}
			if mem.RSS == 0 || !slices.Contains(mem.Measured, driver.MemoryRSS) {
				t.Errorf("memory: expected rss > 0 with RSS in measured_fields, got rss %d, measured %v", mem.RSS, memoryFieldNames(mem.Measured))
			}
		} else {
			// The first message may cover the time since the task
			// started; judge the later ones, each over one interval.
			percents = append(percents, cpu.Percent)
			refs = append(refs, float64(ticks-prevTicks)/clockTicks/now.Sub(prevAt).Seconds()*100)
			if cores > 0 {
				want := cpu.Percent / 100 * total / float64(cores)
				if math.Abs(cpu.TotalTicks-want) > 0.15*want+1 {
					t.Errorf("TaskStats message %d: total_ticks: expected percent/100 × %.0f MHz / %d cores = %.1f MHz (±15%%), got %.1f",
						i+1, total, cores, want, cpu.TotalTicks)
				}
			}
		}
		prevTicks, prevAt = ticks, now
	}
	p, r := mean(percents), mean(refs)
	if math.Abs(p-r) > 15 {
		t.Errorf("TaskStats percent of a busy loop: expected about %.0f (its CPU use in %% of one core, from /proc; ±15), got %.1f (samples %v)", r, p, roundAll(percents))
	}
	t.Logf("percent %.1f, /proc %.1f, total compute %.0f MHz on %d cores", p, r, total, cores)
}

func mean(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	var s float64
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

func roundAll(xs []float64) []float64 {
	out := make([]float64, len(xs))
	for i, x := range xs {
		out[i] = math.Round(x*10) / 10
	}
	return out
}
