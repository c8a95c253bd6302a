package main

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/yurt-sdk/yurt/go/gen/basepb"
	"github.com/yurt-sdk/yurt/go/gen/driverpb"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/timestamppb"
)

var topo struct {
	sync.Mutex
	totalMHz float64
	cores    int
}

// setTopology keeps the host topology from SetConfig's agent config.
func setTopology(t *basepb.ClientTopology) {
	var total float64
	n := 0
	for _, c := range t.GetCores() {
		total += float64(coreMHz(c))
		n++
	}
	if o := t.GetOverrideTotalCompute(); o > 0 {
		total = float64(o)
	}
	topo.Lock()
	topo.totalMHz, topo.cores = total, n
	topo.Unlock()
}

// groupUsage sums CPU ticks (utime, stime) and RSS pages over the processes
// of process group pgid.
func groupUsage(pgid int) (user, sys, rssPages uint64) {
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil {
			continue
		}
		i := strings.LastIndexByte(string(b), ')')
		f := strings.Fields(string(b[i+2:]))
		if len(f) < 22 {
			continue
		}
		if g, _ := strconv.Atoi(f[2]); g != pgid {
			continue
		}
		u, _ := strconv.ParseUint(f[11], 10, 64)
		st, _ := strconv.ParseUint(f[12], 10, 64)
		rss, _ := strconv.ParseUint(f[21], 10, 64)
		user, sys, rssPages = user+u, sys+st, rssPages+rss
	}
	return
}

func cpuInfoMHz() (float64, int) {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return 0, 0
	}
	defer f.Close()
	var total float64
	n := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "cpu MHz" {
			x, _ := strconv.ParseFloat(strings.TrimSpace(v), 64)
			total += x
			n++
		}
	}
	return total, n
}

// TaskStats reports Nomad's units (client/lib/cpustats): percent, user_mode
// and system_mode in % of one core over the interval since the previous
// sample, total_ticks = percent/100 × total compute / cores in MHz.
// -fault=no-task-stats is not a fault: it leaves the optional RPC out as an
// SDK does (Unimplemented, Nomad's DriverStatsNotImplemented text), which must
// pass; stats-error answers a plain error, which must not.
func (d *driver) TaskStats(r *driverpb.TaskStatsRequest, s grpc.ServerStreamingServer[driverpb.TaskStatsResponse]) error {
	if fault("no-task-stats") {
		return status.Error(codes.Unimplemented, "stats not implemented for driver")
	}
	if fault("stats-error") {
		return errors.New("stats: cannot read the task's usage")
	}
	t, err := d.get(r.GetTaskId())
	if err != nil {
		return err
	}
	iv := r.GetCollectionInterval().AsDuration()
	if iv <= 0 || fault("stats-fixed-interval") {
		iv = time.Second
	}
	topo.Lock()
	total, cores := topo.totalMHz, topo.cores
	topo.Unlock()
	if cores == 0 {
		total, cores = cpuInfoMHz()
	}
	prevAt := t.st.Started
	var prevUser, prevSys uint64
	for {
		var user, sys, rss uint64
		if t.st.TaskPid > 0 { // a timer task has no process
			user, sys, rss = groupUsage(t.st.TaskPid)
		}
		now := time.Now()
		el := now.Sub(prevAt).Seconds()
		// A process that exits takes its ticks out of the sum: no negative use.
		delta := func(cur, prev uint64) float64 {
			if cur < prev {
				return 0
			}
			return float64(cur-prev) / 100 / el * 100
		}
		cpu := &driverpb.CPUUsage{UserMode: delta(user, prevUser), SystemMode: delta(sys, prevSys), Percent: delta(user+sys, prevUser+prevSys),
			MeasuredFields: []driverpb.CPUUsage_Fields{driverpb.CPUUsage_USER_MODE, driverpb.CPUUsage_SYSTEM_MODE, driverpb.CPUUsage_PERCENT, driverpb.CPUUsage_TOTAL_TICKS}}
		if fault("stats-cumulative") {
			cpu.Percent = float64(user + sys)
		}
		if cores > 0 {
			cpu.TotalTicks = cpu.Percent / 100 * total / float64(cores)
		}
		if fault("stats-no-ticks") {
			cpu.TotalTicks, cpu.MeasuredFields = 0, cpu.MeasuredFields[:3]
		}
		mem := &driverpb.MemoryUsage{Rss: rss * uint64(os.Getpagesize()), MeasuredFields: []driverpb.MemoryUsage_Fields{driverpb.MemoryUsage_RSS}}
		prevAt, prevUser, prevSys = now, user, sys
		stamp := timestamppb.New(now)
		if fault("nomad-stats-no-timestamp") {
			stamp = nil
		}
		if fault("nomad-stats-negative-cpu") {
			cpu.SystemMode = -1
		}
		if err := s.Send(&driverpb.TaskStatsResponse{Stats: &driverpb.TaskStats{Id: t.id, Timestamp: stamp,
			AggResourceUsage: &driverpb.TaskResourceUsage{Cpu: cpu, Memory: mem}}}); err != nil {
			return err
		}
		if fault("stats-once") {
			return nil
		}
		select {
		case <-t.done:
			return nil
		case <-s.Context().Done():
			return nil
		case <-time.After(iv):
		}
	}
}
