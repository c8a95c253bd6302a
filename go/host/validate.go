package host

import (
	"errors"
	"fmt"
	"math"

	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/yurt-sdk/yurt/go/gen/devicepb"
	"github.com/yurt-sdk/yurt/go/gen/driverpb"
)

// Replies are checked the way Nomad's Go driver client decodes them
// (hashicorp/nomad v2.0.5 plugins/drivers/client.go and utils.go): what
// would make that client fail or panic is an error here too, naming the
// field, what Nomad expects and what came.
//
//   - taskStatusFromProto converts started_at and completed_at with
//     ptypes.Timestamp, which fails on nil and on values outside
//     0001-01-01..9999-12-31; InspectTask then fails.
//   - TaskStatsFromProto does the same with stats.timestamp (the message is
//     dropped) and dereferences agg_resource_usage (nil panics).
//   - ExecTask dereferences result (exitResultFromProto; nil panics).
//   - Enums outside the declared values are silently mapped to a default by
//     Nomad (an unknown health reads UNDETECTED, an unknown task state reads
//     ""); that hides a plugin bug, so they are errors here.

// ErrNomadDecode marks a reply Nomad's Go client could not decode.
var ErrNomadDecode = errors.New("reply Nomad's client cannot decode")

func decodeErr(rpc, field, expected, got string) error {
	return fmt.Errorf("%s: %w: field %s: expected %s, got %s", rpc, ErrNomadDecode, field, expected, got)
}

// checkTimestamp is ptypes.Timestamp's validation.
func checkTimestamp(rpc, field string, ts *timestamppb.Timestamp) error {
	if ts == nil {
		return decodeErr(rpc, field, "a timestamp (Nomad's client fails on a missing one; a running task's completed_at is Go's zero time 0001-01-01T00:00:00Z)", "none")
	}
	if err := ts.CheckValid(); err != nil {
		return decodeErr(rpc, field, "a time between 0001-01-01 and 9999-12-31 with nanos in [0, 1e9)", fmt.Sprintf("seconds=%d nanos=%d", ts.GetSeconds(), ts.GetNanos()))
	}
	return nil
}

func checkTaskState(rpc, field string, s driverpb.TaskState) error {
	if _, ok := driverpb.TaskState_name[int32(s)]; !ok {
		return decodeErr(rpc, field, "UNKNOWN, RUNNING or EXITED", fmt.Sprintf("enum value %d", s))
	}
	return nil
}

// checkInspectReply checks an InspectTask reply as Nomad decodes it.
func checkInspectReply(r *driverpb.InspectTaskResponse) error {
	const rpc = "InspectTask"
	t := r.GetTask()
	if t == nil {
		return decodeErr(rpc, "task", "a task status", "none")
	}
	if err := checkTaskState(rpc, "task.state", t.GetState()); err != nil {
		return err
	}
	if err := checkTimestamp(rpc, "task.started_at", t.GetStartedAt()); err != nil {
		return err
	}
	if err := checkTimestamp(rpc, "task.completed_at", t.GetCompletedAt()); err != nil {
		return err
	}
	// taskStatusFromProto calls exitResultFromProto(pb.Result), which reads
	// pb.ExitCode without a nil check, in every state: a running task's
	// reply carries an empty ExitResult (Nomad's server side sends one).
	if t.GetResult() == nil {
		what := "the task's exit result (Nomad's client dereferences it in every state; a running task sends an empty ExitResult)"
		if t.GetState() == driverpb.TaskState_EXITED {
			what = "the exit result of an EXITED task"
		}
		return decodeErr(rpc, "task.result", what, "none")
	}
	return nil
}

// checkWaitReply checks a WaitTask reply: Nomad's handleWaitTask reads
// resp.Result.ExitCode whenever the call succeeded, err text or not
// (hashicorp/nomad v2.0.5 plugins/drivers/client.go), so a missing result
// panics it.
func checkWaitReply(r *driverpb.WaitTaskResponse) error {
	if r.GetResult() == nil {
		return decodeErr("WaitTask", "result", "the task's exit result (Nomad's client reads it even when err is set)", "none")
	}
	return nil
}

// checkCapabilitiesReply checks a Capabilities reply's enums. Nomad's client
// (plugins/drivers/client.go Capabilities) maps an unknown fs_isolation to
// NONE and casts network modes and mount_configs unchecked: the plugin's
// meaning is lost without an error, so an unknown value is one here.
func checkCapabilitiesReply(r *driverpb.CapabilitiesResponse) error {
	const rpc = "Capabilities"
	c := r.GetCapabilities()
	if c == nil {
		return nil // Nomad's client reads no capabilities as all off
	}
	if _, ok := driverpb.DriverCapabilities_FSIsolation_name[int32(c.GetFsIsolation())]; !ok {
		return decodeErr(rpc, "capabilities.fs_isolation", "NONE, CHROOT or IMAGE", fmt.Sprintf("enum value %d", c.GetFsIsolation()))
	}
	for i, m := range c.GetNetworkIsolationModes() {
		if _, ok := driverpb.NetworkIsolationSpec_NetworkIsolationMode_name[int32(m)]; !ok {
			return decodeErr(rpc, fmt.Sprintf("capabilities.network_isolation_modes[%d]", i), "HOST, GROUP, TASK or NONE", fmt.Sprintf("enum value %d", m))
		}
	}
	if _, ok := driverpb.DriverCapabilities_MountConfigs_name[int32(c.GetMountConfigs())]; !ok {
		return decodeErr(rpc, "capabilities.mount_configs", "ANY_MOUNTS or NO_MOUNTS", fmt.Sprintf("enum value %d", c.GetMountConfigs()))
	}
	return nil
}

// CheckReply checks any plugin reply or stream message, as the generated
// code decodes it off the wire, with the check of its type (nil for types
// Nomad's client decodes without a way to fail, and for values that are not
// plugin messages). A StartTask reply is checked when its result is
// SUCCESS, as Nomad only then keeps the handle. The typed clients (Driver,
// Device) apply the same checks to every reply before converting it; a
// caller of the raw service, such as the conformance harness's gRPC
// interceptors, runs every message it receives through CheckReply.
func CheckReply(m any) error {
	switch r := m.(type) {
	case *driverpb.InspectTaskResponse:
		return checkInspectReply(r)
	case *driverpb.TaskStatsResponse:
		return checkStatsReply(r)
	case *driverpb.FingerprintResponse:
		return checkFingerprintReply(r)
	case *driverpb.StartTaskResponse:
		if r.GetResult() != driverpb.StartTaskResponse_SUCCESS {
			return nil
		}
		return checkStartReply(r)
	case *driverpb.ExecTaskResponse:
		return checkExecReply(r)
	case *driverpb.WaitTaskResponse:
		return checkWaitReply(r)
	case *driverpb.CapabilitiesResponse:
		return checkCapabilitiesReply(r)
	case *devicepb.StatsResponse:
		return checkDeviceStatsReply(r)
	}
	return nil
}

// checkStatsReply checks one TaskStats stream message as Nomad decodes it,
// and that the CPU figures are finite and not negative.
func checkStatsReply(r *driverpb.TaskStatsResponse) error {
	const rpc = "TaskStats"
	s := r.GetStats()
	if s == nil {
		return decodeErr(rpc, "stats", "a stats message", "none")
	}
	if err := checkTimestamp(rpc, "stats.timestamp", s.GetTimestamp()); err != nil {
		return err
	}
	if s.GetAggResourceUsage() == nil {
		return decodeErr(rpc, "stats.agg_resource_usage", "the task's total usage (Nomad's client dereferences it)", "none")
	}
	if err := checkUsage(rpc, "stats.agg_resource_usage", s.GetAggResourceUsage()); err != nil {
		return err
	}
	for pid, u := range s.GetResourceUsageByPid() {
		if err := checkUsage(rpc, fmt.Sprintf("stats.resource_usage_by_pid[%q]", pid), u); err != nil {
			return err
		}
	}
	return nil
}

func checkUsage(rpc, field string, u *driverpb.TaskResourceUsage) error {
	c := u.GetCpu()
	for _, f := range []struct {
		name string
		v    float64
	}{{"percent", c.GetPercent()}, {"user_mode", c.GetUserMode()}, {"system_mode", c.GetSystemMode()}, {"total_ticks", c.GetTotalTicks()}} {
		if math.IsNaN(f.v) || math.IsInf(f.v, 0) || f.v < 0 {
			return decodeErr(rpc, field+".cpu."+f.name, "a finite figure >= 0 (percent of one core; total_ticks in MHz)", fmt.Sprint(f.v))
		}
	}
	for _, m := range c.GetMeasuredFields() {
		if _, ok := driverpb.CPUUsage_Fields_name[int32(m)]; !ok {
			return decodeErr(rpc, field+".cpu.measured_fields", "CPUUsage.Fields values", fmt.Sprintf("enum value %d", m))
		}
	}
	for _, m := range u.GetMemory().GetMeasuredFields() {
		if _, ok := driverpb.MemoryUsage_Fields_name[int32(m)]; !ok {
			return decodeErr(rpc, field+".memory.measured_fields", "MemoryUsage.Fields values", fmt.Sprintf("enum value %d", m))
		}
	}
	return nil
}

// checkDeviceStatsReply checks one device Stats message: Nomad's client
// drops an instance's stats whose timestamp is missing or out of range
// (hashicorp/nomad v2.0.5 plugins/device/util.go convertProtoDeviceStats).
func checkDeviceStatsReply(r *devicepb.StatsResponse) error {
	for _, g := range r.GetGroups() {
		for id, st := range g.GetInstanceStats() {
			field := fmt.Sprintf("groups[%s/%s/%s].instance_stats[%q].timestamp", g.GetVendor(), g.GetType(), g.GetName(), id)
			if err := checkTimestamp("device Stats", field, st.GetTimestamp()); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkFingerprintReply checks one driver Fingerprint message.
func checkFingerprintReply(r *driverpb.FingerprintResponse) error {
	if _, ok := driverpb.FingerprintResponse_HealthState_name[int32(r.GetHealth())]; !ok {
		return decodeErr("Fingerprint", "health", "UNDETECTED, UNHEALTHY or HEALTHY", fmt.Sprintf("enum value %d", r.GetHealth()))
	}
	return nil
}

// checkStartReply checks a StartTask reply: the handle Nomad persists and
// later recovers by handle.config.id (task_runner.go restoreHandle skips a
// handle without config).
func checkStartReply(r *driverpb.StartTaskResponse) error {
	const rpc = "StartTask"
	h := r.GetHandle()
	if h == nil {
		return decodeErr(rpc, "handle", "a task handle", "none")
	}
	if h.GetConfig().GetId() == "" {
		return decodeErr(rpc, "handle.config.id", "the task's config with its id (Nomad recovers and calls the task by it)", `""`)
	}
	return checkTaskState(rpc, "handle.state", h.GetState())
}

// checkExecReply checks an ExecTask reply (Nomad dereferences result).
func checkExecReply(r *driverpb.ExecTaskResponse) error {
	if r.GetResult() == nil {
		return decodeErr("ExecTask", "result", "the command's exit result", "none")
	}
	return nil
}
