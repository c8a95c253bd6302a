package driverconv

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"

	"github.com/yurt-sdk/yurt/go/gen/driverpb"
	"github.com/yurt-sdk/yurt/go/plugin/base"
	"github.com/yurt-sdk/yurt/go/plugin/driver"
)

func TestConvertNil(t *testing.T) {
	assert.Nil(t, TaskConfigToProto(nil))
	assert.Nil(t, TaskConfigFromProto(nil))
	assert.Nil(t, TaskHandleToProto(nil))
	assert.Nil(t, TaskHandleFromProto(nil))
	assert.Nil(t, NetworkOverrideToProto(nil))
	assert.Nil(t, NetworkOverrideFromProto(nil))
	assert.Nil(t, NetworkIsolationToProto(nil))
	assert.Nil(t, NetworkIsolationFromProto(nil))
	assert.Nil(t, ExitResultToProto(nil))
	assert.Nil(t, ExitResultFromProto(nil))
	assert.Nil(t, WaitResponseFromProto(nil))
	// Result always set: Nomad reads it without a nil check (exitResultAlways).
	assert.True(t, proto.Equal(&driverpb.WaitTaskResponse{Result: &driverpb.ExitResult{}}, WaitResponseToProto(nil)))
	assert.Nil(t, InspectResponseToProto(nil))
	assert.Nil(t, InspectResponseFromProto(nil))
	assert.Nil(t, CapabilitiesToProto(nil))
	assert.Nil(t, CapabilitiesFromProto(nil))
	assert.Nil(t, FingerprintToProto(nil))
	assert.Nil(t, FingerprintFromProto(nil))
	assert.Nil(t, TaskStatsToProto(nil))
	assert.Nil(t, TaskStatsFromProto(nil))
	assert.Nil(t, TaskEventToProto(nil))
	assert.Nil(t, TaskEventFromProto(nil))
	assert.Nil(t, ExecResultToProto(nil))
	assert.Nil(t, ExecResultFromProto(nil))
}

func TestConvertZero(t *testing.T) {
	assert.Equal(t, &driver.TaskConfig{}, TaskConfigFromProto(TaskConfigToProto(&driver.TaskConfig{})))
	assert.True(t, proto.Equal(&driverpb.TaskConfig{}, TaskConfigToProto(&driver.TaskConfig{})))
	assert.Equal(t, &driver.TaskHandle{}, TaskHandleFromProto(&driverpb.TaskHandle{}))
	assert.Equal(t, &driver.NetworkOverride{}, NetworkOverrideFromProto(NetworkOverrideToProto(&driver.NetworkOverride{})))
	assert.Equal(t, &driver.ExitResult{}, ExitResultFromProto(&driverpb.ExitResult{}))
	assert.Equal(t, &driver.TaskStatus{}, InspectResponseFromProto(&driverpb.InspectTaskResponse{}))
	assert.Equal(t, &driver.TaskStatus{}, InspectResponseFromProto(InspectResponseToProto(&driver.TaskStatus{})))
	assert.Equal(t, &driver.Capabilities{}, CapabilitiesFromProto(CapabilitiesToProto(&driver.Capabilities{})))
	assert.Equal(t, &driver.Fingerprint{}, FingerprintFromProto(FingerprintToProto(&driver.Fingerprint{})))
	zs := TaskStatsFromProto(TaskStatsToProto(&driver.TaskStats{}))
	assert.WithinDuration(t, time.Now(), zs.Timestamp, time.Minute, "a zero stats time is sent as now")
	assert.Equal(t, &driver.ResourceUsage{}, zs.Aggregate)
	assert.Equal(t, &driver.TaskEvent{}, TaskEventFromProto(TaskEventToProto(&driver.TaskEvent{})))
	assert.Equal(t, &driver.ExecResult{Exit: &driver.ExitResult{}}, ExecResultFromProto(ExecResultToProto(&driver.ExecResult{})))
	// Zero resources become explicit zero CPU/memory on the wire.
	assert.Equal(t, &driver.Resources{}, TaskConfigFromProto(TaskConfigToProto(&driver.TaskConfig{Resources: &driver.Resources{}})).Resources)
	// A nil entry in a repeated field is skipped, not a panic.
	assert.Empty(t, TaskConfigFromProto(&driverpb.TaskConfig{Mounts: []*driverpb.Mount{nil}, Devices: []*driverpb.Device{nil}}).Mounts)
}

func TestConvertRoundTrip(t *testing.T) {
	cfg := &driver.TaskConfig{ID: "t", Name: "n", DriverConfig: []byte{1}, Env: map[string]string{"A": "1"}, DeviceEnv: map[string]string{"D": "2"},
		Resources: &driver.Resources{CPUShares: 100, MemoryMB: 256, MemoryMaxMB: 512,
			Networks: []driver.NetworkResource{{Device: "eth0", CIDR: "10.0.0.0/8", IP: "10.0.0.2", MBits: 10,
				ReservedPorts: []driver.Port{{Label: "r", Value: 22}}, DynamicPorts: []driver.Port{{Label: "d", Value: 20001}}}},
			Linux: &driver.LinuxResources{CPUPeriod: 1, CPUQuota: 2, CPUShares: 3, MemoryLimitBytes: 4, OOMScoreAdj: 5, CpusetCPUs: "0-1", PercentTicks: 0.5, CpusetCgroup: "/c"},
			Ports: []driver.PortMapping{{Label: "http", Value: 25000, To: 80, HostIP: "127.0.0.1"}}},
		Mounts:  []driver.Mount{{TaskPath: "/a", HostPath: "/b", ReadOnly: true, PropagationMode: "private", SELinuxLabel: "z", RequestName: "vol"}},
		Devices: []driver.DeviceMount{{TaskPath: "/dev/x", HostPath: "/dev/y", CgroupPermissions: "rwm"}},
		User:    "u", AllocDir: "/alloc", StdoutPath: "/o", StderrPath: "/e", TaskGroupName: "g", JobName: "j", AllocID: "a",
		NetworkIsolation: &driver.NetworkIsolationSpec{Mode: driver.NetIsolationGroup, Path: "/ns", Labels: map[string]string{"l": "v"}, Hosts: &driver.HostsConfig{Hostname: "h", Address: "1.1.1.1"}},
		DNS:              &driver.DNSConfig{Servers: []string{"8.8.8.8"}, Searches: []string{"local"}, Options: []string{"ndots:2"}},
		JobID:            "jid", Namespace: "ns", NodeName: "node", NodeID: "nid", ParentJobID: "pj"}
	assert.Equal(t, cfg, TaskConfigFromProto(TaskConfigToProto(cfg)))

	h := &driver.TaskHandle{Version: 2, Config: cfg, State: driver.TaskStateExited, DriverState: []byte("{}")}
	assert.Equal(t, h, TaskHandleFromProto(TaskHandleToProto(h)))

	st := &driver.TaskStatus{ID: "t", Name: "n", State: driver.TaskStateExited, StartedAt: time.Unix(1, 2).UTC(), CompletedAt: time.Unix(3, 4).UTC(),
		ExitResult: &driver.ExitResult{ExitCode: 2, Signal: 15, OOMKilled: true}, DriverAttributes: map[string]string{"k": "v"},
		NetworkOverride: &driver.NetworkOverride{PortMap: map[string]int{"p": 1}, Addr: "a", AutoAdvertise: true}}
	assert.Equal(t, st, InspectResponseFromProto(InspectResponseToProto(st)))

	caps := &driver.Capabilities{SendSignals: true, Exec: true, FSIsolation: driver.FSIsolationUnveil, NetIsolationModes: []driver.NetIsolationMode{driver.NetIsolationNone, driver.NetIsolationTask},
		MustCreateNetwork: true, MountConfigs: driver.MountConfigsNone, DisableLogCollection: true, DynamicWorkloadUsers: true}
	assert.Equal(t, caps, CapabilitiesFromProto(CapabilitiesToProto(caps)))

	fp := &driver.Fingerprint{Attributes: map[string]*base.Attribute{"a": base.NewBoolAttribute(true)}, Health: driver.HealthStateUnhealthy, HealthDescription: "d", Err: errors.New("e")}
	assert.Equal(t, fp, FingerprintFromProto(FingerprintToProto(fp)))

	stats := &driver.TaskStats{ID: "t", Timestamp: time.Unix(9, 9).UTC(),
		Aggregate: &driver.ResourceUsage{CPU: &driver.CPUUsage{SystemMode: 1, UserMode: 2, TotalTicks: 3, ThrottledPeriods: 4, ThrottledTime: 5, Percent: 6, Measured: []driver.CPUField{driver.CPUSystemMode, driver.CPUPercent}},
			Memory: &driver.MemoryUsage{RSS: 1, Cache: 2, MaxUsage: 3, KernelUsage: 4, KernelMaxUsage: 5, Usage: 6, Swap: 7, Measured: []driver.MemoryField{driver.MemorySwap}}},
		ByPID: map[string]*driver.ResourceUsage{"1": {}}}
	assert.Equal(t, stats, TaskStatsFromProto(TaskStatsToProto(stats)))

	ev := &driver.TaskEvent{TaskID: "t", AllocID: "a", TaskName: "n", Timestamp: time.Unix(5, 0).UTC(), Message: "m", Annotations: map[string]string{"x": "y"}}
	assert.Equal(t, ev, TaskEventFromProto(TaskEventToProto(ev)))

	ex := &driver.ExecResult{Stdout: []byte("o"), Stderr: []byte("e"), Exit: &driver.ExitResult{ExitCode: 1}}
	assert.Equal(t, ex, ExecResultFromProto(ExecResultToProto(ex)))

	w := &driver.ExitResult{ExitCode: 1, Err: errors.New("x")}
	assert.Equal(t, w, WaitResponseFromProto(WaitResponseToProto(w)))
	assert.Equal(t, &driver.ExitResult{Err: errors.New("only err")}, WaitResponseFromProto(&driverpb.WaitTaskResponse{Err: "only err"}))
}

func TestDriverState(t *testing.T) {
	var h driver.TaskHandle
	var out struct{ PID int }
	assert.ErrorContains(t, h.GetDriverState(&out), "handle has no driver state")
	assert.NoError(t, h.SetDriverState(struct{ PID int }{7}))
	assert.NoError(t, h.GetDriverState(&out))
	assert.Equal(t, 7, out.PID)
	assert.ErrorContains(t, h.SetDriverState(make(chan int)), "encoding driver state")
	h.DriverState = []byte("{")
	assert.ErrorContains(t, h.GetDriverState(&out), "decoding driver state")
	var nilCfg *driver.TaskConfig
	assert.ErrorContains(t, nilCfg.DecodeDriverConfig(nil, &out), "no task config")
}

func TestExitResultSuccessful(t *testing.T) {
	assert.True(t, (&driver.ExitResult{}).Successful())
	assert.False(t, (*driver.ExitResult)(nil).Successful())
	assert.False(t, (&driver.ExitResult{Signal: 9}).Successful())
	assert.False(t, (&driver.ExitResult{Err: errors.New("x")}).Successful())
}

// Nomad's Go client decodes both TaskStatus timestamps and every stats
// message's timestamp and aggregate usage (hashicorp/nomad v2.0.5
// plugins/drivers/utils.go taskStatusFromProto, TaskStatsFromProto); its
// server sends Go's zero time for a running task's completed_at.
func TestWhatNomadDecodesIsAlwaysSent(t *testing.T) {
	started := time.Unix(1700000000, 5).UTC()
	r := InspectResponseToProto(&driver.TaskStatus{ID: "a/t/01234567", State: driver.TaskStateRunning, StartedAt: started})
	require.NotNil(t, r.GetTask().GetStartedAt())
	require.NotNil(t, r.GetTask().GetCompletedAt(), "completed_at of a running task")
	assert.Equal(t, int64(-62135596800), r.GetTask().GetCompletedAt().GetSeconds(), "Go's zero time, as Nomad's server sends")
	assert.NoError(t, r.GetTask().GetCompletedAt().CheckValid())
	assert.Equal(t, started, r.GetTask().GetStartedAt().AsTime())
	back := InspectResponseFromProto(r)
	assert.True(t, back.CompletedAt.IsZero())
	// Nomad's client dereferences TaskStatus.result and
	// ExecTaskResponse.result (utils.go exitResultFromProto); its server
	// sends an empty one when there is none.
	require.NotNil(t, r.GetTask().GetResult(), "result of a running task")
	assert.Nil(t, back.ExitResult, "the empty result of a running task is not an exit")
	require.NotNil(t, ExecResultToProto(&driver.ExecResult{}).GetResult(), "exec result without an exit")

	st := TaskStatsToProto(&driver.TaskStats{ID: "x"})
	require.NotNil(t, st.GetTimestamp())
	require.NotNil(t, st.GetAggResourceUsage())
}
