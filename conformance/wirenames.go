package conformance

import (
	"github.com/yurt-sdk/yurt/go/gen/driverpb"
	"github.com/yurt-sdk/yurt/go/plugin/driver"
)

// Reports name states and enums as the wire does (RUNNING, CHROOT), the
// names the protocol and Nomad's documents use.

func stateName(s driver.TaskState) string { return driverpb.TaskState(s).String() }

func fsIsolationName(f driver.FSIsolation) string {
	return driverpb.DriverCapabilities_FSIsolation(f).String()
}

func healthName(h driver.HealthState) string {
	return driverpb.FingerprintResponse_HealthState(h).String()
}

func cpuFieldNames(fs []driver.CPUField) []string {
	var out []string
	for _, f := range fs {
		out = append(out, driverpb.CPUUsage_Fields(f).String())
	}
	return out
}

func memoryFieldNames(fs []driver.MemoryField) []string {
	var out []string
	for _, f := range fs {
		out = append(out, driverpb.MemoryUsage_Fields(f).String())
	}
	return out
}

// usageParts is a stats sample's total CPU and memory usage; a part the
// plugin left out reads as zero.
func usageParts(s *driver.TaskStats) (*driver.CPUUsage, *driver.MemoryUsage) {
	cpu, mem := &driver.CPUUsage{}, &driver.MemoryUsage{}
	if s != nil && s.Aggregate != nil {
		if s.Aggregate.CPU != nil {
			cpu = s.Aggregate.CPU
		}
		if s.Aggregate.Memory != nil {
			mem = s.Aggregate.Memory
		}
	}
	return cpu, mem
}
