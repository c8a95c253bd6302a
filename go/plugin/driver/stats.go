package driver

import "time"

// CPUField names a CPUUsage field in CPUUsage.Measured.
type CPUField int32

// The CPUUsage fields, as TaskStats' measured lists name them on the wire.
const (
	CPUSystemMode       CPUField = 0
	CPUUserMode         CPUField = 1
	CPUTotalTicks       CPUField = 2
	CPUThrottledPeriods CPUField = 3
	CPUThrottledTime    CPUField = 4
	CPUPercent          CPUField = 5
)

// MemoryField names a MemoryUsage field in MemoryUsage.Measured.
type MemoryField int32

// The MemoryUsage fields, as TaskStats' measured lists name them on the wire.
const (
	MemoryRSS            MemoryField = 0
	MemoryCache          MemoryField = 1
	MemoryMaxUsage       MemoryField = 2
	MemoryKernelUsage    MemoryField = 3
	MemoryKernelMaxUsage MemoryField = 4
	MemoryUsageField     MemoryField = 5
	MemorySwap           MemoryField = 6
)

// CPUUsage: Measured lists which fields hold real measurements.
type CPUUsage struct {
	SystemMode       float64
	UserMode         float64
	TotalTicks       float64
	ThrottledPeriods uint64
	ThrottledTime    uint64
	Percent          float64
	Measured         []CPUField
}

// MemoryUsage in bytes; Measured lists which fields hold real measurements.
type MemoryUsage struct {
	RSS            uint64
	Cache          uint64
	MaxUsage       uint64
	KernelUsage    uint64
	KernelMaxUsage uint64
	Usage          uint64
	Swap           uint64
	Measured       []MemoryField
}

// ResourceUsage is CPU and memory usage of a task or one of its processes.
type ResourceUsage struct {
	CPU    *CPUUsage
	Memory *MemoryUsage
}

// TaskStats is one TaskStats sample: the whole task (Aggregate) and,
// optionally, each of its processes.
type TaskStats struct {
	ID        string
	Timestamp time.Time
	Aggregate *ResourceUsage
	// ByPID is keyed by process ID in decimal.
	ByPID map[string]*ResourceUsage
}

// TaskEvent is a driver event about a task (an image pull, a warning); Nomad
// shows Message in the task's event list.
type TaskEvent struct {
	TaskID      string
	AllocID     string
	TaskName    string
	Timestamp   time.Time
	Message     string
	Annotations map[string]string
}

// ExecResult is ExecTask's answer: the command's output and how it ended.
type ExecResult struct {
	Stdout []byte
	Stderr []byte
	Exit   *ExitResult
}
