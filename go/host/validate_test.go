package host

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/yurt-sdk/yurt/go/gen/devicepb"
	"github.com/yurt-sdk/yurt/go/gen/driverpb"
)

func TestCheckRepliesAsNomadDecodes(t *testing.T) {
	now := timestamppb.Now()
	goZero := timestamppb.New(time.Time{})
	running := func() *driverpb.InspectTaskResponse {
		return &driverpb.InspectTaskResponse{Task: &driverpb.TaskStatus{Id: "a/t/01234567", State: driverpb.TaskState_RUNNING, StartedAt: now, CompletedAt: goZero, Result: &driverpb.ExitResult{}}}
	}
	require.NoError(t, checkInspectReply(running()), "Go's zero time is what Nomad's server sends")

	for name, c := range map[string]struct {
		mut  func(*driverpb.InspectTaskResponse)
		want string
	}{
		"no task":         {func(r *driverpb.InspectTaskResponse) { r.Task = nil }, "field task: expected a task status, got none"},
		"no started_at":   {func(r *driverpb.InspectTaskResponse) { r.Task.StartedAt = nil }, "field task.started_at: expected a timestamp"},
		"no completed_at": {func(r *driverpb.InspectTaskResponse) { r.Task.CompletedAt = nil }, "field task.completed_at: expected a timestamp"},
		"before year 1": {func(r *driverpb.InspectTaskResponse) {
			r.Task.CompletedAt = &timestamppb.Timestamp{Seconds: -62135596801}
		}, "got seconds=-62135596801 nanos=0"},
		"bad nanos":     {func(r *driverpb.InspectTaskResponse) { r.Task.StartedAt = &timestamppb.Timestamp{Nanos: -1} }, "nanos in [0, 1e9)"},
		"unknown state": {func(r *driverpb.InspectTaskResponse) { r.Task.State = 7 }, "field task.state: expected UNKNOWN, RUNNING or EXITED, got enum value 7"},
		"exited, no result": {func(r *driverpb.InspectTaskResponse) {
			r.Task.State, r.Task.Result = driverpb.TaskState_EXITED, nil
		}, "field task.result: expected the exit result of an EXITED task"},
		"running, no result": {func(r *driverpb.InspectTaskResponse) { r.Task.Result = nil }, "field task.result: expected the task's exit result (Nomad's client dereferences it in every state"},
	} {
		r := running()
		c.mut(r)
		err := checkInspectReply(r)
		require.ErrorIs(t, err, ErrNomadDecode, name)
		assert.Contains(t, err.Error(), c.want, name)
		assert.Contains(t, err.Error(), "InspectTask: ", name)
	}

	stats := func() *driverpb.TaskStatsResponse {
		return &driverpb.TaskStatsResponse{Stats: &driverpb.TaskStats{Timestamp: now, AggResourceUsage: &driverpb.TaskResourceUsage{
			Cpu: &driverpb.CPUUsage{Percent: 99.5, TotalTicks: 2400, MeasuredFields: []driverpb.CPUUsage_Fields{driverpb.CPUUsage_PERCENT, driverpb.CPUUsage_TOTAL_TICKS}}}}}
	}
	require.NoError(t, checkStatsReply(stats()))
	for name, c := range map[string]struct {
		mut  func(*driverpb.TaskStatsResponse)
		want string
	}{
		"no stats":      {func(r *driverpb.TaskStatsResponse) { r.Stats = nil }, "field stats: expected a stats message"},
		"no timestamp":  {func(r *driverpb.TaskStatsResponse) { r.Stats.Timestamp = nil }, "field stats.timestamp: expected a timestamp"},
		"no aggregate":  {func(r *driverpb.TaskStatsResponse) { r.Stats.AggResourceUsage = nil }, "field stats.agg_resource_usage: expected the task's total usage"},
		"NaN percent":   {func(r *driverpb.TaskStatsResponse) { r.Stats.AggResourceUsage.Cpu.Percent = math.NaN() }, "field stats.agg_resource_usage.cpu.percent: expected a finite figure >= 0"},
		"negative tick": {func(r *driverpb.TaskStatsResponse) { r.Stats.AggResourceUsage.Cpu.TotalTicks = -1 }, "cpu.total_ticks: expected a finite figure >= 0"},
		"unknown field": {func(r *driverpb.TaskStatsResponse) {
			r.Stats.AggResourceUsage.Memory = &driverpb.MemoryUsage{MeasuredFields: []driverpb.MemoryUsage_Fields{42}}
		}, "memory.measured_fields: expected MemoryUsage.Fields values, got enum value 42"},
		"bad pid entry": {func(r *driverpb.TaskStatsResponse) {
			r.Stats.ResourceUsageByPid = map[string]*driverpb.TaskResourceUsage{"12": {Cpu: &driverpb.CPUUsage{UserMode: math.Inf(1)}}}
		}, `stats.resource_usage_by_pid["12"].cpu.user_mode`},
	} {
		r := stats()
		c.mut(r)
		err := checkStatsReply(r)
		require.ErrorIs(t, err, ErrNomadDecode, name)
		assert.Contains(t, err.Error(), c.want, name)
	}

	require.NoError(t, checkFingerprintReply(&driverpb.FingerprintResponse{Health: driverpb.FingerprintResponse_HEALTHY}))
	assert.ErrorContains(t, checkFingerprintReply(&driverpb.FingerprintResponse{Health: 3}), "field health: expected UNDETECTED, UNHEALTHY or HEALTHY, got enum value 3")

	okStart := &driverpb.StartTaskResponse{Handle: &driverpb.TaskHandle{Config: &driverpb.TaskConfig{Id: "x"}}}
	require.NoError(t, checkStartReply(okStart))
	assert.ErrorContains(t, checkStartReply(&driverpb.StartTaskResponse{}), "field handle: expected a task handle, got none")
	assert.ErrorContains(t, checkStartReply(&driverpb.StartTaskResponse{Handle: &driverpb.TaskHandle{}}), "field handle.config.id: expected the task's config with its id")
	assert.ErrorContains(t, checkStartReply(&driverpb.StartTaskResponse{Handle: &driverpb.TaskHandle{Config: &driverpb.TaskConfig{Id: "x"}, State: 5}}), "field handle.state")

	devStats := &devicepb.StatsResponse{Groups: []*devicepb.DeviceGroupStats{{Vendor: "v", Type: "t", Name: "n",
		InstanceStats: map[string]*devicepb.DeviceStats{"d0": {Timestamp: now}}}}}
	require.NoError(t, checkDeviceStatsReply(devStats))
	devStats.Groups[0].InstanceStats["d1"] = &devicepb.DeviceStats{}
	assert.ErrorContains(t, checkDeviceStatsReply(devStats), `device Stats: reply Nomad's client cannot decode: field groups[v/t/n].instance_stats["d1"].timestamp: expected a timestamp`)

	require.NoError(t, checkExecReply(&driverpb.ExecTaskResponse{Result: &driverpb.ExitResult{}}))
	assert.ErrorContains(t, checkExecReply(&driverpb.ExecTaskResponse{}), "ExecTask: reply Nomad's client cannot decode: field result: expected the command's exit result, got none")

	require.NoError(t, checkWaitReply(&driverpb.WaitTaskResponse{Result: &driverpb.ExitResult{ExitCode: 3}}))
	assert.ErrorContains(t, checkWaitReply(&driverpb.WaitTaskResponse{Err: "lost"}), "WaitTask: reply Nomad's client cannot decode: field result: expected the task's exit result (Nomad's client reads it even when err is set), got none")

	caps := func() *driverpb.CapabilitiesResponse {
		return &driverpb.CapabilitiesResponse{Capabilities: &driverpb.DriverCapabilities{FsIsolation: driverpb.DriverCapabilities_IMAGE,
			NetworkIsolationModes: []driverpb.NetworkIsolationSpec_NetworkIsolationMode{driverpb.NetworkIsolationSpec_HOST, driverpb.NetworkIsolationSpec_NONE},
			MountConfigs:          driverpb.DriverCapabilities_NO_MOUNTS}}
	}
	require.NoError(t, checkCapabilitiesReply(caps()))
	require.NoError(t, checkCapabilitiesReply(&driverpb.CapabilitiesResponse{}), "Nomad reads no capabilities as all off")
	for name, c := range map[string]struct {
		mut  func(*driverpb.DriverCapabilities)
		want string
	}{
		"fs_isolation":  {func(c *driverpb.DriverCapabilities) { c.FsIsolation = 9 }, "field capabilities.fs_isolation: expected NONE, CHROOT or IMAGE, got enum value 9"},
		"network mode":  {func(c *driverpb.DriverCapabilities) { c.NetworkIsolationModes[1] = 4 }, "field capabilities.network_isolation_modes[1]: expected HOST, GROUP, TASK or NONE, got enum value 4"},
		"mount_configs": {func(c *driverpb.DriverCapabilities) { c.MountConfigs = 2 }, "field capabilities.mount_configs: expected ANY_MOUNTS or NO_MOUNTS, got enum value 2"},
	} {
		r := caps()
		c.mut(r.Capabilities)
		err := checkCapabilitiesReply(r)
		require.ErrorIs(t, err, ErrNomadDecode, name)
		assert.ErrorContains(t, err, "Capabilities: reply Nomad's client cannot decode: "+c.want, name)
	}
}

// TestCheckReplyDispatches: CheckReply, what the conformance harness runs on
// every message it receives, reaches the check of each reply type.
func TestCheckReplyDispatches(t *testing.T) {
	for _, c := range []struct {
		msg  any
		want string
	}{
		{&driverpb.InspectTaskResponse{}, "InspectTask: "},
		{&driverpb.TaskStatsResponse{}, "TaskStats: "},
		{&driverpb.FingerprintResponse{Health: 5}, "Fingerprint: "},
		{&driverpb.StartTaskResponse{}, "StartTask: "},
		{&driverpb.ExecTaskResponse{}, "ExecTask: "},
		{&driverpb.WaitTaskResponse{}, "WaitTask: "},
		{&driverpb.CapabilitiesResponse{Capabilities: &driverpb.DriverCapabilities{FsIsolation: 7}}, "Capabilities: "},
		{&devicepb.StatsResponse{Groups: []*devicepb.DeviceGroupStats{{InstanceStats: map[string]*devicepb.DeviceStats{"d": {}}}}}, "device Stats: "},
	} {
		err := CheckReply(c.msg)
		require.ErrorIs(t, err, ErrNomadDecode, "%T", c.msg)
		assert.True(t, strings.HasPrefix(err.Error(), c.want), "%T: %v", c.msg, err)
	}
	// A failed StartTask keeps no handle in Nomad; nothing else to decode.
	assert.NoError(t, CheckReply(&driverpb.StartTaskResponse{Result: driverpb.StartTaskResponse_FATAL}))
	assert.NoError(t, CheckReply(&driverpb.StopTaskResponse{}))
}
