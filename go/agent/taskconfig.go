package agent

import (
	"github.com/yurt-sdk/yurt/go/config"
	"github.com/yurt-sdk/yurt/go/host/allocdir"
	"github.com/yurt-sdk/yurt/go/logmon"
	"github.com/yurt-sdk/yurt/go/plugin/driver"
)

func logmonConfig(t *task) logmon.Config {
	c := logmon.Config{Dir: t.spec.TaskDir, MaxFiles: t.parsed.Logs.MaxFiles, MaxFileSize: int64(t.parsed.Logs.MaxFileSizeMB) << 20}
	// Nomad's FIFOs: <alloc dir>/alloc/logs/.<task>.std{out,err}.fifo.
	if ad := specPaths(t.spec); ad != nil {
		c.StdoutFIFO, c.StderrFIFO = ad.StdoutFIFO, ad.StderrFIFO
	}
	return c
}

// The agent's tasks each run as the only task of a job, group and
// allocation of the same name, in Nomad's defaults for the rest.
const (
	taskNamespace  = "default"
	taskRegion     = "global"
	taskDatacenter = "dc1"
)

// nomadResources is the task's cpu (MHz) and memory (MB) with Nomad's
// defaults for what the task file leaves unset (hashicorp/nomad v2.0.5
// nomad/structs DefaultResources: 100 MHz, 300 MB).
func nomadResources(r config.Resources) (cpuMHz, memoryMB int) {
	cpuMHz, memoryMB = r.CPU, r.MemoryMB
	if cpuMHz == 0 {
		cpuMHz = 100
	}
	if memoryMB == 0 {
		memoryMB = 300
	}
	return cpuMHz, memoryMB
}

func (a *Agent) taskConfig(t *task, ad *allocdir.AllocDir, fsi driver.FSIsolation, msgpack []byte, res *reservation) *driver.TaskConfig {
	pt := t.parsed
	cpu, mem := nomadResources(pt.Resources)
	// Nomad: cpu shares over the host's usable compute (task_runner.go
	// buildTaskConfig PercentTicks).
	var percentTicks float64
	if total := a.topology.TotalCompute(); total > 0 {
		percentTicks = float64(cpu) / float64(total)
	}
	// The environment Nomad's client/taskenv builds, the task's env on top,
	// the device reservation's on top of that (as Nomad's device hook).
	env := allocdir.TaskEnv(allocdir.EnvInput{
		Alloc: ad, FSIsolation: fsi,
		JobID: pt.Name, JobName: pt.Name, GroupName: pt.Name, AllocIndex: 0,
		Namespace: taskNamespace, Region: taskRegion, Datacenter: taskDatacenter,
		CPULimitMHz: int64(cpu), MemoryLimitMB: int64(mem),
		TaskEnv: pt.Env, DeviceEnv: res.env,
	})
	cfg := &driver.TaskConfig{
		ID: t.spec.DriverID(), DriverConfig: msgpack, Env: env, DeviceEnv: res.env,
		Resources: &driver.Resources{
			CPUShares: int64(cpu), MemoryMB: int64(mem),
			Linux: &driver.LinuxResources{CPUShares: int64(cpu), MemoryLimitBytes: int64(mem) << 20, PercentTicks: percentTicks},
		},
		Mounts: res.mounts, Devices: res.devices, User: pt.User,
		TaskGroupName: pt.Name, JobName: pt.Name, JobID: pt.Name, Namespace: taskNamespace,
		NodeName: a.nodeName, NodeID: a.nodeName,
	}
	// alloc_dir is the allocation directory; FIFOs, name and alloc id come
	// from the same layout.
	ad.Apply(cfg)
	return cfg
}
