package driverconv

import (
	"errors"

	"github.com/yurt-sdk/yurt/go/gen/driverpb"
	"github.com/yurt-sdk/yurt/go/internal/convert/baseconv"
	"github.com/yurt-sdk/yurt/go/plugin/driver"
)

// Converters between the hand-written types and the generated messages.
// nil maps to nil both ways and a zero value to a zero message, so that Go
// values survive a round trip exactly.

// TaskConfigToProto converts the SDK's TaskConfig to its wire message; TaskConfigFromProto is
// the inverse.
func TaskConfigToProto(c *driver.TaskConfig) *driverpb.TaskConfig {
	if c == nil {
		return nil
	}
	out := &driverpb.TaskConfig{
		Id: c.ID, Name: c.Name, MsgpackDriverConfig: c.DriverConfig, Env: c.Env, DeviceEnv: c.DeviceEnv,
		Resources: resourcesToProto(c.Resources), User: c.User, AllocDir: c.AllocDir,
		StdoutPath: c.StdoutPath, StderrPath: c.StderrPath, TaskGroupName: c.TaskGroupName,
		JobName: c.JobName, AllocId: c.AllocID, NetworkIsolationSpec: NetworkIsolationToProto(c.NetworkIsolation),
		JobId: c.JobID, Namespace: c.Namespace, NodeName: c.NodeName, NodeId: c.NodeID, ParentJobId: c.ParentJobID,
	}
	for _, m := range c.Mounts {
		out.Mounts = append(out.Mounts, &driverpb.Mount{TaskPath: m.TaskPath, HostPath: m.HostPath, Readonly: m.ReadOnly,
			PropagationMode: m.PropagationMode, SelinuxLabel: m.SELinuxLabel, RequestName: m.RequestName})
	}
	for _, d := range c.Devices {
		out.Devices = append(out.Devices, &driverpb.Device{TaskPath: d.TaskPath, HostPath: d.HostPath, CgroupPermissions: d.CgroupPermissions})
	}
	if c.DNS != nil {
		out.Dns = &driverpb.DNSConfig{Servers: c.DNS.Servers, Searches: c.DNS.Searches, Options: c.DNS.Options}
	}
	return out
}

// TaskConfigFromProto converts the wire message to the SDK's TaskConfig; TaskConfigToProto is
// the inverse.
func TaskConfigFromProto(c *driverpb.TaskConfig) *driver.TaskConfig {
	if c == nil {
		return nil
	}
	out := &driver.TaskConfig{
		ID: c.GetId(), Name: c.GetName(), DriverConfig: c.GetMsgpackDriverConfig(), Env: c.GetEnv(), DeviceEnv: c.GetDeviceEnv(),
		Resources: resourcesFromProto(c.GetResources()), User: c.GetUser(), AllocDir: c.GetAllocDir(),
		StdoutPath: c.GetStdoutPath(), StderrPath: c.GetStderrPath(), TaskGroupName: c.GetTaskGroupName(),
		JobName: c.GetJobName(), AllocID: c.GetAllocId(), NetworkIsolation: NetworkIsolationFromProto(c.GetNetworkIsolationSpec()),
		JobID: c.GetJobId(), Namespace: c.GetNamespace(), NodeName: c.GetNodeName(), NodeID: c.GetNodeId(), ParentJobID: c.GetParentJobId(),
	}
	for _, m := range c.GetMounts() {
		if m == nil {
			continue
		}
		out.Mounts = append(out.Mounts, driver.Mount{TaskPath: m.GetTaskPath(), HostPath: m.GetHostPath(), ReadOnly: m.GetReadonly(),
			PropagationMode: m.GetPropagationMode(), SELinuxLabel: m.GetSelinuxLabel(), RequestName: m.GetRequestName()})
	}
	for _, d := range c.GetDevices() {
		if d == nil {
			continue
		}
		out.Devices = append(out.Devices, driver.DeviceMount{TaskPath: d.GetTaskPath(), HostPath: d.GetHostPath(), CgroupPermissions: d.GetCgroupPermissions()})
	}
	if d := c.GetDns(); d != nil {
		out.DNS = &driver.DNSConfig{Servers: d.GetServers(), Searches: d.GetSearches(), Options: d.GetOptions()}
	}
	return out
}

func portsToProto(ps []driver.Port) []*driverpb.NetworkPort {
	var out []*driverpb.NetworkPort
	for _, p := range ps {
		out = append(out, &driverpb.NetworkPort{Label: p.Label, Value: int32(p.Value)})
	}
	return out
}

func portsFromProto(ps []*driverpb.NetworkPort) []driver.Port {
	var out []driver.Port
	for _, p := range ps {
		if p != nil {
			out = append(out, driver.Port{Label: p.GetLabel(), Value: int(p.GetValue())})
		}
	}
	return out
}

func resourcesToProto(r *driver.Resources) *driverpb.Resources {
	if r == nil {
		return nil
	}
	out := &driverpb.Resources{AllocatedResources: &driverpb.AllocatedTaskResources{
		Cpu:    &driverpb.AllocatedCpuResources{CpuShares: r.CPUShares},
		Memory: &driverpb.AllocatedMemoryResources{MemoryMb: r.MemoryMB, MemoryMaxMb: r.MemoryMaxMB},
	}}
	for _, n := range r.Networks {
		out.AllocatedResources.Networks = append(out.AllocatedResources.Networks, &driverpb.NetworkResource{
			Device: n.Device, Cidr: n.CIDR, Ip: n.IP, Mbits: int32(n.MBits),
			ReservedPorts: portsToProto(n.ReservedPorts), DynamicPorts: portsToProto(n.DynamicPorts)})
	}
	if l := r.Linux; l != nil {
		out.LinuxResources = &driverpb.LinuxResources{CpuPeriod: l.CPUPeriod, CpuQuota: l.CPUQuota, CpuShares: l.CPUShares,
			MemoryLimitBytes: l.MemoryLimitBytes, OomScoreAdj: l.OOMScoreAdj, CpusetCpus: l.CpusetCPUs,
			PercentTicks: l.PercentTicks, CpusetCgroup: l.CpusetCgroup}
	}
	for _, p := range r.Ports {
		out.Ports = append(out.Ports, &driverpb.PortMapping{Label: p.Label, Value: int32(p.Value), To: int32(p.To), HostIp: p.HostIP})
	}
	return out
}

func resourcesFromProto(r *driverpb.Resources) *driver.Resources {
	if r == nil {
		return nil
	}
	a := r.GetAllocatedResources()
	out := &driver.Resources{
		CPUShares:   a.GetCpu().GetCpuShares(),
		MemoryMB:    a.GetMemory().GetMemoryMb(),
		MemoryMaxMB: a.GetMemory().GetMemoryMaxMb(),
	}
	for _, n := range a.GetNetworks() {
		if n == nil {
			continue
		}
		out.Networks = append(out.Networks, driver.NetworkResource{Device: n.GetDevice(), CIDR: n.GetCidr(), IP: n.GetIp(), MBits: int(n.GetMbits()),
			ReservedPorts: portsFromProto(n.GetReservedPorts()), DynamicPorts: portsFromProto(n.GetDynamicPorts())})
	}
	if l := r.GetLinuxResources(); l != nil {
		out.Linux = &driver.LinuxResources{CPUPeriod: l.GetCpuPeriod(), CPUQuota: l.GetCpuQuota(), CPUShares: l.GetCpuShares(),
			MemoryLimitBytes: l.GetMemoryLimitBytes(), OOMScoreAdj: l.GetOomScoreAdj(), CpusetCPUs: l.GetCpusetCpus(),
			PercentTicks: l.GetPercentTicks(), CpusetCgroup: l.GetCpusetCgroup()}
	}
	for _, p := range r.GetPorts() {
		if p != nil {
			out.Ports = append(out.Ports, driver.PortMapping{Label: p.GetLabel(), Value: int(p.GetValue()), To: int(p.GetTo()), HostIP: p.GetHostIp()})
		}
	}
	return out
}

// NetworkIsolationToProto converts the SDK's NetworkIsolation to its wire message; NetworkIsolationFromProto is
// the inverse.
func NetworkIsolationToProto(n *driver.NetworkIsolationSpec) *driverpb.NetworkIsolationSpec {
	if n == nil {
		return nil
	}
	out := &driverpb.NetworkIsolationSpec{Mode: driverpb.NetworkIsolationSpec_NetworkIsolationMode(n.Mode), Path: n.Path, Labels: n.Labels}
	if n.Hosts != nil {
		out.HostsConfig = &driverpb.HostsConfig{Hostname: n.Hosts.Hostname, Address: n.Hosts.Address}
	}
	return out
}

// NetworkIsolationFromProto converts the wire message to the SDK's NetworkIsolation; NetworkIsolationToProto is
// the inverse.
func NetworkIsolationFromProto(n *driverpb.NetworkIsolationSpec) *driver.NetworkIsolationSpec {
	if n == nil {
		return nil
	}
	out := &driver.NetworkIsolationSpec{Mode: driver.NetIsolationMode(n.GetMode()), Path: n.GetPath(), Labels: n.GetLabels()}
	if h := n.GetHostsConfig(); h != nil {
		out.Hosts = &driver.HostsConfig{Hostname: h.GetHostname(), Address: h.GetAddress()}
	}
	return out
}

// TaskHandleToProto converts the SDK's TaskHandle to its wire message; TaskHandleFromProto is
// the inverse.
func TaskHandleToProto(h *driver.TaskHandle) *driverpb.TaskHandle {
	if h == nil {
		return nil
	}
	return &driverpb.TaskHandle{Version: int32(h.Version), Config: TaskConfigToProto(h.Config),
		State: driverpb.TaskState(h.State), DriverState: h.DriverState}
}

// TaskHandleFromProto converts the wire message to the SDK's TaskHandle; TaskHandleToProto is
// the inverse.
func TaskHandleFromProto(h *driverpb.TaskHandle) *driver.TaskHandle {
	if h == nil {
		return nil
	}
	return &driver.TaskHandle{Version: int(h.GetVersion()), Config: TaskConfigFromProto(h.GetConfig()),
		State: driver.TaskState(h.GetState()), DriverState: h.GetDriverState()}
}

// NetworkOverrideToProto converts the SDK's NetworkOverride to its wire message; NetworkOverrideFromProto is
// the inverse.
func NetworkOverrideToProto(n *driver.NetworkOverride) *driverpb.NetworkOverride {
	if n == nil {
		return nil
	}
	out := &driverpb.NetworkOverride{Addr: n.Addr, AutoAdvertise: n.AutoAdvertise}
	if n.PortMap != nil {
		out.PortMap = make(map[string]int32, len(n.PortMap))
		for k, v := range n.PortMap {
			out.PortMap[k] = int32(v)
		}
	}
	return out
}

// NetworkOverrideFromProto converts the wire message to the SDK's NetworkOverride; NetworkOverrideToProto is
// the inverse.
func NetworkOverrideFromProto(n *driverpb.NetworkOverride) *driver.NetworkOverride {
	if n == nil {
		return nil
	}
	out := &driver.NetworkOverride{Addr: n.GetAddr(), AutoAdvertise: n.GetAutoAdvertise()}
	if n.GetPortMap() != nil {
		out.PortMap = make(map[string]int, len(n.GetPortMap()))
		for k, v := range n.GetPortMap() {
			out.PortMap[k] = int(v)
		}
	}
	return out
}

// ExitResultToProto drops Err, which travels beside the result as text.
func ExitResultToProto(r *driver.ExitResult) *driverpb.ExitResult {
	if r == nil {
		return nil
	}
	return &driverpb.ExitResult{ExitCode: int32(r.ExitCode), Signal: int32(r.Signal), OomKilled: r.OOMKilled}
}

// exitResultAlways is ExitResultToProto for the replies Nomad's Go client
// decodes without a nil check: TaskStatus.result (InspectTask) and
// ExecTaskResponse.result. Nomad's own server sends an empty ExitResult when
// there is none, and its client dereferences it (hashicorp/nomad v2.0.5
// plugins/drivers/utils.go: exitResultToProto returns &proto.ExitResult{} for
// nil; exitResultFromProto reads pb.ExitCode; taskStatusFromProto and
// client.go ExecTask call it unconditionally), so a missing one panics a Nomad
// agent on InspectTask of a running task.
func exitResultAlways(r *driver.ExitResult) *driverpb.ExitResult {
	if r == nil {
		return &driverpb.ExitResult{}
	}
	return ExitResultToProto(r)
}

// ExitResultFromProto converts the wire message to the SDK's ExitResult; ExitResultToProto is
// the inverse.
func ExitResultFromProto(r *driverpb.ExitResult) *driver.ExitResult {
	if r == nil {
		return nil
	}
	return &driver.ExitResult{ExitCode: int(r.GetExitCode()), Signal: int(r.GetSignal()), OOMKilled: r.GetOomKilled()}
}

// WaitResponseToProto carries ExitResult.Err in the response's err field.
func WaitResponseToProto(r *driver.ExitResult) *driverpb.WaitTaskResponse {
	resp := &driverpb.WaitTaskResponse{Result: exitResultAlways(r)}
	if r != nil && r.Err != nil {
		resp.Err = r.Err.Error()
	}
	return resp
}

// WaitResponseFromProto converts the wire message to the SDK's WaitResponse; WaitResponseToProto is
// the inverse.
func WaitResponseFromProto(r *driverpb.WaitTaskResponse) *driver.ExitResult {
	if r == nil {
		return nil
	}
	out := ExitResultFromProto(r.GetResult())
	if r.GetErr() != "" {
		if out == nil {
			out = &driver.ExitResult{}
		}
		out.Err = errors.New(r.GetErr())
	}
	return out
}

// InspectResponseToProto converts the SDK's InspectResponse to its wire message; InspectResponseFromProto is
// the inverse.
func InspectResponseToProto(s *driver.TaskStatus) *driverpb.InspectTaskResponse {
	if s == nil {
		return nil
	}
	return &driverpb.InspectTaskResponse{
		Task: &driverpb.TaskStatus{Id: s.ID, Name: s.Name, State: driverpb.TaskState(s.State),
			StartedAt: baseconv.TimeToProtoSet(s.StartedAt), CompletedAt: baseconv.TimeToProtoSet(s.CompletedAt),
			Result: exitResultAlways(s.ExitResult)},
		Driver:          &driverpb.TaskDriverStatus{Attributes: s.DriverAttributes},
		NetworkOverride: NetworkOverrideToProto(s.NetworkOverride),
	}
}

// InspectResponseFromProto converts the wire message to the SDK's InspectResponse; InspectResponseToProto is
// the inverse.
func InspectResponseFromProto(r *driverpb.InspectTaskResponse) *driver.TaskStatus {
	if r == nil {
		return nil
	}
	t := r.GetTask()
	// A task that has not exited carries an empty result on the wire
	// (exitResultAlways); the SDK's status has none.
	res := t.GetResult()
	if t.GetState() != driverpb.TaskState_EXITED && res.GetExitCode() == 0 && res.GetSignal() == 0 && !res.GetOomKilled() {
		res = nil
	}
	return &driver.TaskStatus{ID: t.GetId(), Name: t.GetName(), State: driver.TaskState(t.GetState()),
		StartedAt: baseconv.TimeFromProto(t.GetStartedAt()), CompletedAt: baseconv.TimeFromProto(t.GetCompletedAt()),
		ExitResult: ExitResultFromProto(res), DriverAttributes: r.GetDriver().GetAttributes(),
		NetworkOverride: NetworkOverrideFromProto(r.GetNetworkOverride())}
}

// CapabilitiesToProto converts the SDK's Capabilities to its wire message; CapabilitiesFromProto is
// the inverse.
func CapabilitiesToProto(c *driver.Capabilities) *driverpb.DriverCapabilities {
	if c == nil {
		return nil
	}
	out := &driverpb.DriverCapabilities{SendSignals: c.SendSignals, Exec: c.Exec,
		FsIsolation: driverpb.DriverCapabilities_FSIsolation(c.FSIsolation), MustCreateNetwork: c.MustCreateNetwork,
		MountConfigs: driverpb.DriverCapabilities_MountConfigs(c.MountConfigs), DisableLogCollection: c.DisableLogCollection,
		DynamicWorkloadUsers: c.DynamicWorkloadUsers}
	for _, m := range c.NetIsolationModes {
		out.NetworkIsolationModes = append(out.NetworkIsolationModes, driverpb.NetworkIsolationSpec_NetworkIsolationMode(m))
	}
	return out
}

// CapabilitiesFromProto converts the wire message to the SDK's Capabilities; CapabilitiesToProto is
// the inverse.
func CapabilitiesFromProto(c *driverpb.DriverCapabilities) *driver.Capabilities {
	if c == nil {
		return nil
	}
	out := &driver.Capabilities{SendSignals: c.GetSendSignals(), Exec: c.GetExec(), FSIsolation: driver.FSIsolation(c.GetFsIsolation()),
		MustCreateNetwork: c.GetMustCreateNetwork(), MountConfigs: driver.MountConfigs(c.GetMountConfigs()),
		DisableLogCollection: c.GetDisableLogCollection(), DynamicWorkloadUsers: c.GetDynamicWorkloadUsers()}
	for _, m := range c.GetNetworkIsolationModes() {
		out.NetIsolationModes = append(out.NetIsolationModes, driver.NetIsolationMode(m))
	}
	return out
}

// FingerprintToProto converts the SDK's Fingerprint to its wire message; FingerprintFromProto is
// the inverse.
func FingerprintToProto(f *driver.Fingerprint) *driverpb.FingerprintResponse {
	if f == nil {
		return nil
	}
	out := &driverpb.FingerprintResponse{Attributes: baseconv.AttributesToProto(f.Attributes),
		Health: driverpb.FingerprintResponse_HealthState(f.Health), HealthDescription: f.HealthDescription}
	if f.Err != nil {
		out.Err = f.Err.Error()
	}
	return out
}

// FingerprintFromProto converts the wire message to the SDK's Fingerprint; FingerprintToProto is
// the inverse.
func FingerprintFromProto(f *driverpb.FingerprintResponse) *driver.Fingerprint {
	if f == nil {
		return nil
	}
	out := &driver.Fingerprint{Attributes: baseconv.AttributesFromProto(f.GetAttributes()),
		Health: driver.HealthState(f.GetHealth()), HealthDescription: f.GetHealthDescription()}
	if f.GetErr() != "" {
		out.Err = errors.New(f.GetErr())
	}
	return out
}
