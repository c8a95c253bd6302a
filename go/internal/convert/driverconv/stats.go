package driverconv

import (
	"time"

	"github.com/yurt-sdk/yurt/go/gen/driverpb"
	"github.com/yurt-sdk/yurt/go/internal/convert/baseconv"
	"github.com/yurt-sdk/yurt/go/plugin/driver"
)

func usageToProto(u *driver.ResourceUsage) *driverpb.TaskResourceUsage {
	if u == nil {
		return nil
	}
	out := &driverpb.TaskResourceUsage{}
	if c := u.CPU; c != nil {
		out.Cpu = &driverpb.CPUUsage{SystemMode: c.SystemMode, UserMode: c.UserMode, TotalTicks: c.TotalTicks,
			ThrottledPeriods: c.ThrottledPeriods, ThrottledTime: c.ThrottledTime, Percent: c.Percent}
		for _, f := range c.Measured {
			out.Cpu.MeasuredFields = append(out.Cpu.MeasuredFields, driverpb.CPUUsage_Fields(f))
		}
	}
	if m := u.Memory; m != nil {
		out.Memory = &driverpb.MemoryUsage{Rss: m.RSS, Cache: m.Cache, MaxUsage: m.MaxUsage, KernelUsage: m.KernelUsage,
			KernelMaxUsage: m.KernelMaxUsage, Usage: m.Usage, Swap: m.Swap}
		for _, f := range m.Measured {
			out.Memory.MeasuredFields = append(out.Memory.MeasuredFields, driverpb.MemoryUsage_Fields(f))
		}
	}
	return out
}

func usageFromProto(u *driverpb.TaskResourceUsage) *driver.ResourceUsage {
	if u == nil {
		return nil
	}
	out := &driver.ResourceUsage{}
	if c := u.GetCpu(); c != nil {
		out.CPU = &driver.CPUUsage{SystemMode: c.GetSystemMode(), UserMode: c.GetUserMode(), TotalTicks: c.GetTotalTicks(),
			ThrottledPeriods: c.GetThrottledPeriods(), ThrottledTime: c.GetThrottledTime(), Percent: c.GetPercent()}
		for _, f := range c.GetMeasuredFields() {
			out.CPU.Measured = append(out.CPU.Measured, driver.CPUField(f))
		}
	}
	if m := u.GetMemory(); m != nil {
		out.Memory = &driver.MemoryUsage{RSS: m.GetRss(), Cache: m.GetCache(), MaxUsage: m.GetMaxUsage(), KernelUsage: m.GetKernelUsage(),
			KernelMaxUsage: m.GetKernelMaxUsage(), Usage: m.GetUsage(), Swap: m.GetSwap()}
		for _, f := range m.GetMeasuredFields() {
			out.Memory.Measured = append(out.Memory.Measured, driver.MemoryField(f))
		}
	}
	return out
}

// TaskStatsToProto converts the SDK's TaskStats to its wire message; TaskStatsFromProto is
// the inverse.
func TaskStatsToProto(s *driver.TaskStats) *driverpb.TaskStats {
	if s == nil {
		return nil
	}
	// Nomad's client drops stats without a timestamp and dereferences
	// agg_resource_usage (plugins/drivers/utils.go TaskStatsFromProto), so
	// both are always sent: a zero Timestamp means "now".
	when := s.Timestamp
	if when.IsZero() {
		when = time.Now()
	}
	agg := usageToProto(s.Aggregate)
	if agg == nil {
		agg = &driverpb.TaskResourceUsage{}
	}
	out := &driverpb.TaskStats{Id: s.ID, Timestamp: baseconv.TimeToProtoSet(when), AggResourceUsage: agg}
	if s.ByPID != nil {
		out.ResourceUsageByPid = make(map[string]*driverpb.TaskResourceUsage, len(s.ByPID))
		for k, v := range s.ByPID {
			if v != nil {
				out.ResourceUsageByPid[k] = usageToProto(v)
			}
		}
	}
	return out
}

// TaskStatsFromProto converts the wire message to the SDK's TaskStats; TaskStatsToProto is
// the inverse.
func TaskStatsFromProto(s *driverpb.TaskStats) *driver.TaskStats {
	if s == nil {
		return nil
	}
	out := &driver.TaskStats{ID: s.GetId(), Timestamp: baseconv.TimeFromProto(s.GetTimestamp()), Aggregate: usageFromProto(s.GetAggResourceUsage())}
	if s.GetResourceUsageByPid() != nil {
		out.ByPID = make(map[string]*driver.ResourceUsage, len(s.GetResourceUsageByPid()))
		for k, v := range s.GetResourceUsageByPid() {
			if v != nil {
				out.ByPID[k] = usageFromProto(v)
			}
		}
	}
	return out
}

// TaskEventToProto converts the SDK's TaskEvent to its wire message; TaskEventFromProto is
// the inverse.
func TaskEventToProto(e *driver.TaskEvent) *driverpb.DriverTaskEvent {
	if e == nil {
		return nil
	}
	return &driverpb.DriverTaskEvent{TaskId: e.TaskID, AllocId: e.AllocID, TaskName: e.TaskName,
		Timestamp: baseconv.TimeToProto(e.Timestamp), Message: e.Message, Annotations: e.Annotations}
}

// TaskEventFromProto converts the wire message to the SDK's TaskEvent; TaskEventToProto is
// the inverse.
func TaskEventFromProto(e *driverpb.DriverTaskEvent) *driver.TaskEvent {
	if e == nil {
		return nil
	}
	return &driver.TaskEvent{TaskID: e.GetTaskId(), AllocID: e.GetAllocId(), TaskName: e.GetTaskName(),
		Timestamp: baseconv.TimeFromProto(e.GetTimestamp()), Message: e.GetMessage(), Annotations: e.GetAnnotations()}
}

// ExecResultToProto converts the SDK's ExecResult to its wire message; ExecResultFromProto is
// the inverse.
func ExecResultToProto(r *driver.ExecResult) *driverpb.ExecTaskResponse {
	if r == nil {
		return nil
	}
	return &driverpb.ExecTaskResponse{Stdout: r.Stdout, Stderr: r.Stderr, Result: exitResultAlways(r.Exit)}
}

// ExecResultFromProto converts the wire message to the SDK's ExecResult; ExecResultToProto is
// the inverse.
func ExecResultFromProto(r *driverpb.ExecTaskResponse) *driver.ExecResult {
	if r == nil {
		return nil
	}
	return &driver.ExecResult{Stdout: r.GetStdout(), Stderr: r.GetStderr(), Exit: ExitResultFromProto(r.GetResult())}
}
